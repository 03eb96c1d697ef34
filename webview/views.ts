/**
 * The Ingress view, the explanation pane and the node details, as virtual trees (pure). Links
 * carry an index into a location list (`data-loc`); the host validates and opens them.
 */

import type { ExplainProbe, ExplainProbeResult, WireLocation } from '../protocol/lsp.js';
import type { PanelEdge, PanelModel, PanelNode } from '../protocol/panel.js';
import type { PanelIngressEndpoint, PanelIngressRoute, PanelPolicy } from '../protocol/reachability.js';
import { h, rowsTable, type VElement, type VNode } from './vnode.js';
import { idWords, nodeWords, reasonWords } from './words.js';
import type { ObjectProblem } from '../protocol/overview.js';

/** The checks' findings as the reason a row shows (code and message, as in the Problems view). */
export function problemList(problems: readonly ObjectProblem[]): VElement {
  return h(
    'ul',
    { class: 'problems' },
    problems.map((p) => h('li', { class: 'warn' }, h('code', { class: 'code' }, p.code), ' ', p.message)),
  );
}

/** Why an Ingress path reaches no pod: the checks' finding when there is one, else what the panel sees. */
function noEndpointsReason(r: PanelIngressRoute): VNode {
  if (r.problems !== undefined && r.problems.length > 0) return problemList(r.problems);
  if (r.service === null) return h('span', { class: 'warn' }, 'the backend is not a Service of the manifests');
  return h('span', { class: 'warn' }, `Service ${r.service} has no pod behind port ${r.port}`);
}

export class Links {
  readonly locations: WireLocation[] = [];
  constructor(private readonly offset: number) {}
  link(text: string | readonly VNode[], loc: WireLocation | undefined, title: string): VNode {
    if (loc === undefined) return h('span', {}, text);
    this.locations.push(loc);
    return h('a', { href: '#', class: 'obj-link', 'data-loc': String(this.offset + this.locations.length - 1), title }, text);
  }
}

/** The pods behind a route's backend (Ingress and Routes views), each linked, with what policies let the proxy do. */
export function endpointList(byId: ReadonlyMap<string, PanelNode>, links: Links, endpoints: readonly PanelIngressEndpoint[]): VElement {
  return h(
    'ul',
    { class: 'endpoints' },
    endpoints.map((e) => {
      const n = byId.get(e.node);
      const state = e.allowed === true ? 'allowed' : e.allowed === false ? 'blocked' : 'undefined';
      return h(
        'li',
        { class: `ep ${state}` },
        links.link(idWords(byId, e.node), n?.location, `Open ${idWords(byId, e.node)}`),
        ` :${e.targetPort} `,
        h(
          'span',
          { class: `badge ${state}`, 'aria-label': `backend ${state}` },
          state === 'blocked' ? '✕ blocked by policy' : state === 'allowed' ? '✓ allowed' : '? undefined',
        ),
      );
    }),
  );
}

export function renderIngress(model: PanelModel, links: Links): VElement {
  const byId = new Map(model.nodes.map((n) => [n.id, n] as const));
  if (model.ingressRoutes.length === 0)
    return h('div', { class: 'ingress-view' }, h('h2', {}, 'Ingress routes'), h('p', { class: 'muted' }, 'No Ingress in the manifests.'));
  const row = (r: PanelIngressRoute): VElement =>
    h(
      'tr',
      { class: r.endpoints.some((e) => e.allowed === false) ? 'blocked' : '' },
      h('td', {}, links.link(r.ingress, r.location, `Open Ingress ${r.ingress} at this rule`)),
      h(
        'td',
        {},
        h('code', {}, r.host),
        ' ',
        h('code', {}, r.path),
        r.pathType !== '' ? h('small', { class: 'muted' }, ` ${r.pathType}`) : undefined,
      ),
      h('td', {}, r.service === null ? h('span', { class: 'warn' }, 'no such Service') : h('code', {}, `${r.service}:${r.port}`)),
      h(
        'td',
        {},
        r.endpoints.length === 0 ? noEndpointsReason(r) : undefined,
        r.endpoints.length === 0 ? undefined : endpointList(byId, links, r.endpoints),
        r.endpoints.length > 0 && r.problems !== undefined && r.problems.length > 0 ? problemList(r.problems) : undefined,
      ),
    );
  return h(
    'div',
    { class: 'ingress-view' },
    h('h2', {}, 'Ingress routes'),
    h(
      'p',
      { class: 'muted' },
      'host/path → Service:port → pods and the targetPort the controller connects to; a backend that policies block is marked.',
    ),
    rowsTable('ingress', ['Ingress', 'Host / path', 'Service:port', 'Pods (targetPort)'], model.ingressRoutes.map(row)),
  );
}

function isolating(model: PanelModel, id: string, dir: 'ingress' | 'egress'): PanelPolicy[] {
  return model.policies.filter((p) => (dir === 'ingress' ? p.ingress : p.egress) && p.selects.includes(id));
}

/**
 * Which policies isolate workload `id` in direction `dir`, after `subject` ("Ingress", "Egress of
 * the source"): "… isolated by: <links>", or, when none does, that it is not isolated and what
 * that means (not "isolated by: not isolated").
 */
function isolationLine(model: PanelModel, links: Links, id: string, dir: 'ingress' | 'egress', subject: string): VElement {
  const list = isolating(model, id, dir);
  if (list.length === 0)
    return h(
      'p',
      {},
      `${subject}: not isolated `,
      h(
        'span',
        { class: 'muted' },
        `(no NetworkPolicy selects it for ${dir}: ${dir === 'ingress' ? 'anything may reach it' : 'it may reach anything'})`,
      ),
    );
  return h(
    'p',
    {},
    `${subject} isolated by: `,
    list.map((p, i) => h('span', {}, i > 0 ? ', ' : '', links.link(p.key, p.location, `Open NetworkPolicy ${p.key}`))),
  );
}

export function renderNodeDetails(model: PanelModel, n: PanelNode, links: Links): VElement {
  const labels = Object.entries(n.labels);
  return h(
    'div',
    { class: 'details' },
    h('h2', {}, n.entry ? undefined : `${n.kind} `, links.link(nodeWords(n), n.location, `Open ${n.kind} ${n.name}`)),
    h(
      'p',
      {},
      labels.length === 0 ? h('span', { class: 'muted' }, 'no labels') : labels.map(([k, v]) => h('code', { class: 'label' }, `${k}=${v}`)),
    ),
    n.entry ? undefined : isolationLine(model, links, n.id, 'ingress', 'Ingress'),
    n.entry ? undefined : isolationLine(model, links, n.id, 'egress', 'Egress'),
    n.unreachable && !n.entry ? h('p', { class: 'warn' }, 'Nothing in the manifests can reach this workload.') : undefined,
  );
}

export interface Explanation {
  readonly from: string;
  readonly to: string;
  readonly edges: readonly PanelEdge[];
  readonly probes: readonly ExplainProbe[];
  readonly results: readonly ExplainProbeResult[] | undefined;
  readonly error?: string;
}

export function renderExplanation(model: PanelModel, x: Explanation, links: Links): VElement {
  const byId = new Map(model.nodes.map((n) => [n.id, n] as const));
  const end = (id: string): VNode => links.link(idWords(byId, id), byId.get(id)?.location, `Open ${idWords(byId, id)}`);
  const summary =
    x.edges.length === 0
      ? h('p', { class: 'verdict denied' }, 'Nothing is allowed from this source to this destination.')
      : x.edges.map((e) =>
          h(
            'p',
            { class: `verdict ${e.verdict}` },
            e.verdict === 'allowed'
              ? `Allowed: ${e.label === 'all' ? 'all ports' : e.label}`
              : `Undefined on ${e.label}: ${e.reason ?? ''}`,
          ),
        );
  return h(
    'div',
    { class: 'explanation', role: 'region', 'aria-label': 'Explanation' },
    h('h2', {}, end(x.from), ' → ', end(x.to)),
    summary,
    byId.has(x.from) && !(byId.get(x.from)?.entry ?? false)
      ? isolationLine(model, links, x.from, 'egress', 'Egress of the source')
      : undefined,
    byId.has(x.to) && !(byId.get(x.to)?.entry ?? false)
      ? isolationLine(model, links, x.to, 'ingress', 'Ingress of the destination')
      : undefined,
    x.error !== undefined ? h('p', { class: 'status error', role: 'alert' }, x.error) : undefined,
    x.results === undefined
      ? h('p', { class: 'muted', role: 'status' }, 'Explaining…')
      : h(
          'ol',
          { class: 'probes' },
          x.probes.map((p, i) => {
            const r = x.results?.[i];
            if (r === undefined) return h('li', {}, 'no answer');
            const state = r.allowed === true ? 'allowed' : r.allowed === false ? 'denied' : 'undefined';
            return h(
              'li',
              { class: `probe ${state}` },
              h('strong', {}, `${p.protocol ?? 'TCP'}/${p.port}: ${state}`),
              h('p', { class: 'reason' }, reasonWords(r.reason, byId)),
              r.decidedBy.length === 0
                ? undefined
                : h(
                    'ul',
                    { class: 'decided-by' },
                    r.decidedBy.map((d) =>
                      h(
                        'li',
                        {},
                        d.tier !== undefined
                          ? h(
                              'span',
                              { class: `badge tier`, title: 'The tier that decided' },
                              d.tier === 'NetworkPolicy' ? 'NetworkPolicy' : `${d.tier} tier`,
                            )
                          : undefined,
                        d.tier !== undefined ? ' ' : undefined,
                        links.link(d.description, d.location, `Open ${d.policy} at line ${d.line + 1}`),
                        h('small', { class: 'muted' }, ` line ${d.line + 1}`),
                      ),
                    ),
                  ),
            );
          }),
        ),
  );
}
