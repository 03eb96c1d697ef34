/**
 * The Exposure list (the panel's Exposure toggle; docs/dev/exposure.md): per workload, what its own
 * side allows toward pods the manifests do not have and toward the internet, as `kube-reach reach
 * --exposure` lists it, filtered by the panel's namespace and label filters. A virtual tree (pure);
 * workload names link to their YAML.
 */

import type { PanelModel } from '../protocol/panel.js';
import type { PanelExposure, PanelExposureEntry } from '../protocol/reachability.js';
import type { Links } from './views.js';
import { breakable, h, rowsTable, type VElement } from './vnode.js';

/** What the webview holds: nothing asked yet, the request on its way, the lists, or why not. */
export type ExposureState =
  | { readonly state: 'off' }
  | { readonly state: 'loading'; readonly requestId: number }
  | { readonly state: 'ready'; readonly requestId: number; readonly exposure: PanelExposure }
  | { readonly state: 'error'; readonly requestId: number; readonly message: string };

const PEER_WORDS: Record<PanelExposureEntry['peerKind'], string> = {
  'entire-cluster': 'any pod of any namespace',
  representative: 'pods a rule admits',
  external: 'addresses outside the cluster',
};

export function renderExposure(model: PanelModel, s: ExposureState, shown: ReadonlySet<string>, links: Links): VElement {
  const head = [
    h('h2', {}, 'Exposure'),
    h(
      'p',
      { class: 'muted' },
      'What each workload allows toward pods the manifests do not have (any pod, the pods a rule’s selectors admit) and toward the internet, judged on its own side.',
    ),
  ];
  if (s.state === 'off' || s.state === 'loading')
    return h('div', { class: 'exposure-view' }, head, h('p', { class: 'status', role: 'status' }, 'Computing exposure…'));
  if (s.state === 'error') return h('div', { class: 'exposure-view' }, head, h('p', { class: 'status error', role: 'alert' }, s.message));
  const byId = new Map(model.nodes.map((n) => [n.id, n] as const));
  const keep = (e: { workload: string }): boolean => shown.has(e.workload);
  const table = (title: string, arrow: string, rows: readonly PanelExposureEntry[]): VElement => {
    const kept = rows.filter(keep);
    return h(
      'section',
      { class: 'exposure-section', 'aria-label': title },
      h('h3', {}, title),
      kept.length === 0
        ? h('p', { class: 'muted' }, 'Nothing.')
        : rowsTable(
            'exposure',
            ['Workload', arrow, 'Peer', 'Ports'],
            kept.map((e) =>
              h(
                'tr',
                { class: e.verdict === 'allowed' ? e.peerKind : e.verdict },
                h('td', {}, links.link(breakable(e.workload), byId.get(e.workload)?.location, `Open ${e.workload}`)),
                h('td', { 'aria-hidden': 'true' }, arrow),
                h('td', {}, h('code', {}, breakable(e.peer)), ' ', h('small', { class: 'muted' }, PEER_WORDS[e.peerKind])),
                h(
                  'td',
                  {},
                  h('code', {}, e.label),
                  e.verdict === 'undefined' ? h('small', { class: 'warn' }, ` undefined: ${e.reason ?? ''}`) : undefined,
                ),
              ),
            ),
          ),
    );
  };
  const unprotected = s.exposure.unprotected.filter(keep);
  return h(
    'div',
    { class: 'exposure-view' },
    head,
    table('Egress exposure', '→', s.exposure.egress),
    table('Ingress exposure', '←', s.exposure.ingress),
    h(
      'section',
      { class: 'exposure-section', 'aria-label': 'Workloads not protected by network policies' },
      h('h3', {}, 'Not protected by any policy'),
      unprotected.length === 0
        ? h('p', { class: 'muted' }, 'Every workload shown is selected by a policy both ways.')
        : h(
            'ul',
            {},
            unprotected.map((u) =>
              h('li', {}, links.link(u.workload, byId.get(u.workload)?.location, `Open ${u.workload}`), ` on ${u.direction}`),
            ),
          ),
    ),
  );
}
