/**
 * Renders the overview (namespaces → workloads and Services → which workloads each Service
 * selects, on which ports) as a virtual tree. Pure: no DOM, so it is unit-tested in Node.
 * Links carry only an index (`data-loc`) into `locations`; the host validates and opens them.
 */

import type { WireLocation } from '../protocol/lsp.js';
import type { OverviewPortTarget, OverviewService, OverviewWorkload, WorkspaceOverview } from '../protocol/overview.js';
import { problemList } from './views.js';
import { h, rowsTable, type VElement, type VNode } from './vnode.js';
import { plural } from './words.js';

export interface Rendered {
  readonly tree: VElement;
  readonly locations: readonly WireLocation[];
  readonly counts: { readonly namespaces: number; readonly workloads: number; readonly services: number };
}

function labelChips(labels: Readonly<Record<string, string>>): VNode[] {
  const entries = Object.entries(labels);
  if (entries.length === 0) return [h('span', { class: 'muted' }, 'none')];
  return entries.map(([k, v]) => h('code', { class: 'label' }, `${k}=${v}`));
}

function portText(p: OverviewPortTarget): string {
  const port = p.port === null ? '?' : String(p.port);
  const name = p.portName !== undefined ? ` (${p.portName})` : '';
  let target: string;
  if (p.targetPort === null) target = '?';
  else if (typeof p.targetPort === 'string')
    target = p.containerPort === null ? `${p.targetPort} (not found)` : `${p.targetPort} (${p.containerPort})`;
  else target = String(p.targetPort);
  return `${port}${name} → ${target}/${p.protocol}`;
}

export function renderOverview(overview: WorkspaceOverview): Rendered {
  const locations: WireLocation[] = [];
  const link = (text: string, loc: WireLocation, title: string): VElement => {
    locations.push(loc);
    return h('a', { href: '#', class: 'obj-link', 'data-loc': String(locations.length - 1), title }, text);
  };
  const byId = new Map<string, OverviewWorkload>();
  let workloads = 0;
  let services = 0;
  for (const ns of overview.namespaces) {
    workloads += ns.workloads.length;
    services += ns.services.length;
    for (const w of ns.workloads) byId.set(w.id, w);
  }

  const workloadRow = (w: OverviewWorkload): VElement =>
    h(
      'tr',
      {},
      h('td', {}, link(w.name, w.location, `Open ${w.kind} ${w.name}`)),
      h('td', {}, w.kind),
      h('td', {}, labelChips(w.labels)),
      h(
        'td',
        {},
        w.ports.length === 0
          ? h('span', { class: 'muted' }, 'none')
          : w.ports.map((p) => h('code', { class: 'port' }, `${p.name !== undefined ? `${p.name} ` : ''}${p.containerPort}/${p.protocol}`)),
      ),
    );

  const serviceRow = (s: OverviewService): VElement => {
    let selects: VNode;
    if (s.selector === null) selects = h('span', { class: 'muted' }, 'no selector (endpoints managed elsewhere)');
    else if (s.selects.length === 0) selects = h('span', { class: 'warn' }, 'selects no workload');
    else
      selects = h(
        'ul',
        { class: 'selects' },
        s.selects.map((sel) => {
          const w = byId.get(sel.workloadId);
          return h(
            'li',
            {},
            w === undefined ? sel.workloadId : link(w.name, w.location, `Open ${w.kind} ${w.name}`),
            sel.match === 'unknown' ? h('span', { class: 'muted' }, ' (depends on a templated value)') : undefined,
            sel.ports.length > 0
              ? h(
                  'span',
                  { class: 'ports' },
                  ': ',
                  sel.ports.map((p) => h('code', { class: 'port' }, portText(p))),
                )
              : undefined,
          );
        }),
      );
    return h(
      'tr',
      {},
      h('td', {}, link(s.name, s.location, `Open Service ${s.name}`)),
      h('td', {}, s.type),
      h('td', {}, s.selector === null ? h('span', { class: 'muted' }, '—') : labelChips(s.selector)),
      h('td', {}, selects, s.problems !== undefined && s.problems.length > 0 ? problemList(s.problems) : undefined),
    );
  };

  const sections = overview.namespaces.map((ns) =>
    h(
      'section',
      { class: 'ns', 'data-ns': ns.name, 'aria-label': `Namespace ${ns.name}` },
      h('h2', {}, 'Namespace ', h('code', {}, ns.name)),
      h('h3', {}, `Workloads (${ns.workloads.length})`),
      ns.workloads.length === 0
        ? h('p', { class: 'muted' }, 'No workloads.')
        : rowsTable('workloads', ['Workload', 'Kind', 'Pod labels', 'Container ports'], ns.workloads.map(workloadRow)),
      h('h3', {}, `Services (${ns.services.length})`),
      ns.services.length === 0
        ? h('p', { class: 'muted' }, 'No Services.')
        : rowsTable('services', ['Service', 'Type', 'Selector', 'Selects (port → target)'], ns.services.map(serviceRow)),
    ),
  );

  const tree = h(
    'div',
    { class: 'overview' },
    h('h1', {}, 'Services and their endpoints'),
    h(
      'p',
      { class: 'summary' },
      `${plural(overview.namespaces.length, 'namespace')} · ${plural(workloads, 'workload')} · ${plural(services, 'Service')} · client → Service port → the targetPort on each selected workload`,
    ),
    overview.namespaces.length === 0 ? h('p', { class: 'muted' }, 'No workloads or Services in the workspace’s YAML files yet.') : sections,
  );
  return { tree, locations, counts: { namespaces: overview.namespaces.length, workloads, services } };
}

export function renderStatus(state: 'loading' | 'error', message: string): VElement {
  return h('p', { class: state === 'error' ? 'status error' : 'status', role: state === 'error' ? 'alert' : 'status' }, message);
}
