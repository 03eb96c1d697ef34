/**
 * The graph view as a virtual tree (pure): namespaces as group boxes, workloads as focusable
 * nodes, allowed connections as solid edges labelled with their ports, undefined ones dashed with
 * their reason, entry points (external ranges, ingress controllers) in their own group, and
 * isolated-and-unreachable workloads marked. Coordinates come from the host's elkjs layout.
 */

import type { PanelEdge, PanelLayout, PanelNode } from '../protocol/panel.js';
import { clip } from './export.js';
import { h, type VElement } from './vnode.js';
import { idWords, nodeWords } from './words.js';

/** Above this many visible edges only the selected node's edges are drawn. */
export const EDGE_DRAW_LIMIT = 600;
/** Above this many drawn edges labels show on hover/focus only. */
const LABEL_LIMIT = 120;

/** A pair policies deny something between ("only denied"): `label` says what is still allowed. */
export interface DeniedEdge {
  readonly from: string;
  readonly to: string;
  readonly ports: 'all';
  readonly label: string;
  readonly verdict: 'denied';
  readonly reason?: undefined;
}

export type GraphEdge = PanelEdge | DeniedEdge;

export interface GraphRender {
  readonly tree: VElement;
  /** Edges drawn, in `data-edge` order. */
  readonly drawn: readonly GraphEdge[];
  readonly note: string | undefined;
}

function kindText(n: PanelNode): string {
  return n.entry
    ? n.kind === 'External'
      ? 'External range'
      : 'Ingress controller'
    : n.kind + (n.unreachable && n.isolatedIngress ? ' · cut off' : '');
}

function nameText(n: PanelNode): string {
  return n.name.length > 34 ? `${n.name.slice(0, 33)}…` : n.name;
}

/** Starts with the visible text (kind, name), as screen readers and axe expect. */
export function nodeAriaLabel(n: PanelNode): string {
  const labels = Object.entries(n.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const marks = [
    n.isolatedIngress ? 'isolated for ingress' : '',
    n.isolatedEgress ? 'isolated for egress' : '',
    n.unreachable ? 'nothing reaches it' : '',
  ].filter((s) => s !== '');
  return `${kindText(n)} ${nameText(n)}: ${nodeWords(n)}${labels !== '' ? `; labels ${labels}` : ''}${marks.length > 0 ? `; ${marks.join(', ')}` : ''}`;
}

function edgeText(e: GraphEdge): string {
  return e.verdict === 'undefined' ? `${e.label} (undefined)` : e.label;
}

/** Holds the visible label text. */
export function edgeAriaLabel(e: GraphEdge, words: (id: string) => string = (id) => id): string {
  return `${words(e.from)} to ${words(e.to)}: ${edgeText(e)}${e.label === 'all' ? ' ports' : ''}${e.verdict === 'undefined' ? `: ${e.reason ?? 'undefined'}` : ''}`;
}

export function renderGraph(
  layout: PanelLayout,
  nodes: readonly PanelNode[],
  edges: readonly GraphEdge[],
  highlighted: ReadonlySet<string>,
  selectedNode: string | undefined,
  selectedEdge: string | undefined,
): GraphRender {
  const visible = new Set(nodes.map((n) => n.id));
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  const words = (id: string): string => idWords(byId, id);
  let drawn = edges.filter(
    (e) =>
      e.from !== e.to && visible.has(e.from) && visible.has(e.to) && layout.nodes[e.from] !== undefined && layout.nodes[e.to] !== undefined,
  );
  let note: string | undefined;
  if (drawn.length > EDGE_DRAW_LIMIT) {
    const total = drawn.length;
    drawn = selectedNode === undefined ? [] : drawn.filter((e) => e.from === selectedNode || e.to === selectedNode);
    note =
      selectedNode === undefined
        ? `${total} connections: select a workload, or filter, to draw its connections.`
        : `${total} connections: only those of the selected workload are drawn.`;
  }
  const usedGroups = new Set(nodes.map((n) => (n.entry || n.namespace === '' ? '(entry points)' : n.namespace)));
  const groups = layout.groups
    .filter((g) => usedGroups.has(g.name))
    .map((g) =>
      h(
        'g',
        { class: 'group', 'data-ns': g.name },
        h('rect', { x: String(g.x), y: String(g.y), width: String(g.width), height: String(g.height), rx: '6' }),
        h('text', { x: String(g.x + 10), y: String(g.y + 18), class: 'group-label' }, g.name),
      ),
    );
  const showLabels = drawn.length <= LABEL_LIMIT;
  const edgeEls = drawn.map((e, i) => {
    const a = layout.nodes[e.from];
    const b = layout.nodes[e.to];
    if (a === undefined || b === undefined) return undefined;
    const p = clip(a, b.x + b.width / 2, b.y + b.height / 2);
    const q = clip(b, a.x + a.width / 2, a.y + a.height / 2);
    // A slight bend to the right of the direction of travel keeps a→b and b→a apart.
    const len = Math.max(1, Math.hypot(q.x - p.x, q.y - p.y));
    const bend = Math.min(18, len / 6);
    const cx = (p.x + q.x) / 2 + ((q.y - p.y) / len) * -bend;
    const cy = (p.y + q.y) / 2 + ((q.x - p.x) / len) * bend;
    const d = `M${p.x.toFixed(1)},${p.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${q.x.toFixed(1)},${q.y.toFixed(1)}`;
    const lx = (p.x + 2 * cx + q.x) / 4;
    const ly = (p.y + 2 * cy + q.y) / 4;
    const key = `${e.from} -> ${e.to}`;
    const cls = [
      'edge',
      e.verdict,
      highlighted.has(e.from) || highlighted.has(e.to) ? 'hl' : '',
      selectedEdge === `${key}|${e.verdict}` ? 'selected' : '',
      showLabels ? 'labelled' : '',
    ]
      .filter((c) => c !== '')
      .join(' ');
    return h(
      'g',
      {
        class: cls,
        tabindex: '0',
        role: 'button',
        'aria-label': edgeAriaLabel(e, words),
        'data-edge': String(i),
        'data-from': e.from,
        'data-to': e.to,
      },
      h('title', {}, edgeAriaLabel(e, words)),
      h('path', { class: 'hit', d }),
      h('path', {
        class: 'line',
        d,
        'marker-end': e.verdict === 'undefined' ? 'url(#arrow-undef)' : e.verdict === 'denied' ? 'url(#arrow-denied)' : 'url(#arrow)',
      }),
      h('text', { class: 'edge-label', x: lx.toFixed(1), y: (ly - 3).toFixed(1), 'text-anchor': 'middle' }, edgeText(e)),
    );
  });
  const nodeEls = nodes.map((n) => {
    const b = layout.nodes[n.id];
    if (b === undefined) return undefined;
    const cls = [
      'node',
      n.entry ? 'entry' : '',
      n.isolatedIngress ? 'isolated' : '',
      n.unreachable ? 'unreachable' : '',
      n.unreachable && n.isolatedIngress ? 'cut-off' : '',
      highlighted.has(n.id) ? 'hl' : '',
      selectedNode === n.id ? 'selected' : '',
    ]
      .filter((c) => c !== '')
      .join(' ');
    return h(
      'g',
      {
        class: cls,
        tabindex: '0',
        role: 'button',
        'aria-label': nodeAriaLabel(n),
        'data-node': n.id,
        'data-x': String(b.x),
        'data-y': String(b.y),
        'data-w': String(b.width),
        'data-h': String(b.height),
      },
      h(
        'title',
        {},
        `${n.kind} ${nodeWords(n)}\n${Object.entries(n.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')}`,
      ),
      h('rect', { x: String(b.x), y: String(b.y), width: String(b.width), height: String(b.height), rx: '4' }),
      h('text', { class: 'node-kind', x: String(b.x + 8), y: String(b.y + 16) }, `${kindText(n)} `),
      h('text', { class: 'node-name', x: String(b.x + 8), y: String(b.y + 33) }, nameText(n)),
    );
  });
  const tree = h(
    'svg',
    {
      class: 'graph',
      width: String(Math.ceil(layout.width + 20)),
      height: String(Math.ceil(layout.height + 20)),
      viewBox: `-10 -10 ${Math.ceil(layout.width + 20)} ${Math.ceil(layout.height + 20)}`,
      role: 'group',
      'aria-label': `Reachability graph: ${nodes.length} nodes, ${drawn.length} connections drawn`,
    },
    h(
      'defs',
      {},
      h(
        'marker',
        { id: 'arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '8', markerHeight: '8', orient: 'auto-start-reverse' },
        h('path', { class: 'arrow allowed', d: 'M0,0 L10,5 L0,10 z' }),
      ),
      h(
        'marker',
        {
          id: 'arrow-undef',
          viewBox: '0 0 10 10',
          refX: '10',
          refY: '5',
          markerWidth: '8',
          markerHeight: '8',
          orient: 'auto-start-reverse',
        },
        h('path', { class: 'arrow undefined', d: 'M0,0 L10,5 L0,10 z' }),
      ),
      h(
        'marker',
        {
          id: 'arrow-denied',
          viewBox: '0 0 10 10',
          refX: '10',
          refY: '5',
          markerWidth: '8',
          markerHeight: '8',
          orient: 'auto-start-reverse',
        },
        h('path', { class: 'arrow denied', d: 'M0,0 L10,5 L0,10 z' }),
      ),
    ),
    h('g', { class: 'groups' }, groups),
    h(
      'g',
      { class: 'edges' },
      edgeEls.filter((x): x is VElement => x !== undefined),
    ),
    h(
      'g',
      { class: 'nodes' },
      nodeEls.filter((x): x is VElement => x !== undefined),
    ),
  );
  return { tree, drawn, note };
}
