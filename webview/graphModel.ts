/**
 * What the graph draws, decided before drawing (pure, tested in Node): the connections a badge
 * stands for instead of an edge (a workload open to everything), the connections between two
 * namespaces drawn as one edge when a pair has many, the groups repacked into a narrow panel, and
 * edge labels placed where they overlap no other label and no box.
 */

import type { LayoutBox, PanelLayout, PanelNode } from '../protocol/panel.js';
import type { GraphEdge } from './graph.js';

/** Above this many edges between two namespaces (either way counted apart) they are drawn as one. */
export const AGGREGATE_MIN = 5;
/** The group of entry points (as client/panel/layout.ts names it). */
export const ENTRY_GROUP = '(entry points)';
const GAP = 32;
/** Label geometry at 12 px: average glyph width and the box height. */
const CHAR_W = 7;
const LABEL_H = 16;

export function groupOfNode(n: PanelNode): string {
  return n.entry || n.namespace === '' ? ENTRY_GROUP : n.namespace;
}

/** The badges of a node: open to every source (ingress), open to every destination (egress). */
export interface Openness {
  readonly openIn: ReadonlySet<string>;
  readonly openOut: ReadonlySet<string>;
}

/**
 * A workload no policy isolates for ingress takes every source on every port; one not isolated
 * for egress reaches every destination that takes it. A connection allowed on every port between
 * such a source and such a destination says nothing its two badges do not: it is not drawn. A
 * connection a policy allows (a port, or every port from a source it names) is drawn, as are the
 * ingress controllers' and Gateways' routed connections.
 */
export function openness(nodes: readonly PanelNode[]): Openness {
  const openIn = new Set<string>();
  const openOut = new Set<string>();
  for (const n of nodes) {
    if (n.entry) continue;
    if (!n.isolatedIngress) openIn.add(n.id);
    if (!n.isolatedEgress) openOut.add(n.id);
  }
  return { openIn, openOut };
}

export function impliedByBadges(e: GraphEdge, byId: ReadonlyMap<string, PanelNode>, o: Openness): boolean {
  if (e.verdict !== 'allowed' || e.ports !== 'all') return false;
  const src = byId.get(e.from);
  const dst = byId.get(e.to);
  if (src === undefined || dst === undefined) return false;
  const srcOpen = src.kind === 'External' || o.openOut.has(src.id);
  const dstOpen = dst.kind === 'External' || o.openIn.has(dst.id);
  return srcOpen && dstOpen && !(src.entry && dst.entry);
}

/** Connections between two groups drawn as one edge. */
export interface Aggregate {
  readonly fromGroup: string;
  readonly toGroup: string;
  readonly edges: readonly GraphEdge[];
  /** Allowed, undefined or denied: the mix decides the style (`mixed` when they differ). */
  readonly verdict: 'allowed' | 'undefined' | 'denied' | 'mixed';
}

/**
 * Splits `edges` into those drawn one by one and the aggregates: between two different groups with
 * more than AGGREGATE_MIN connections (one direction), unless the pair is in `expanded`
 * (`from\u0000to`) or has an end in `keep` (the selected node's connections stay single).
 */
export function aggregate(
  edges: readonly GraphEdge[],
  groupOf: (id: string) => string | undefined,
  expanded: ReadonlySet<string>,
  keep: string | undefined,
): { single: GraphEdge[]; aggregates: Aggregate[] } {
  const byPair = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    const a = groupOf(e.from);
    const b = groupOf(e.to);
    if (a === undefined || b === undefined || a === b) continue;
    const k = `${a}\u0000${b}`;
    const list = byPair.get(k);
    if (list === undefined) byPair.set(k, [e]);
    else list.push(e);
  }
  const aggregated = new Set<GraphEdge>();
  const aggregates: Aggregate[] = [];
  for (const [k, list] of byPair) {
    if (list.length <= AGGREGATE_MIN || expanded.has(k)) continue;
    const [fromGroup = '', toGroup = ''] = k.split('\u0000');
    const inPair = keep === undefined ? list : list.filter((e) => e.from !== keep && e.to !== keep);
    if (inPair.length <= AGGREGATE_MIN) continue;
    for (const e of inPair) aggregated.add(e);
    const kinds = new Set(inPair.map((e) => e.verdict));
    const first = inPair[0]?.verdict ?? 'allowed';
    aggregates.push({ fromGroup, toGroup, edges: inPair, verdict: kinds.size === 1 ? first : 'mixed' });
  }
  return { single: edges.filter((e) => !aggregated.has(e)), aggregates };
}

/**
 * The host's layout repacked for a panel `width` wide: when the groups' rows are wider, the
 * groups are shelf-packed again into rows that fit (a narrow panel gets one column), each
 * group's nodes moving with it. A layout that fits is returned as it is.
 */
export function fitLayout(layout: PanelLayout, nodes: readonly PanelNode[], width: number): PanelLayout {
  if (layout.width <= width || layout.groups.length <= 1) return layout;
  const members = new Map<string, string[]>();
  for (const n of nodes) {
    if (layout.nodes[n.id] === undefined) continue;
    const g = groupOfNode(n);
    const list = members.get(g);
    if (list === undefined) members.set(g, [n.id]);
    else list.push(n.id);
  }
  const order = [...layout.groups].sort((a, b) => a.y - b.y || a.x - b.x);
  const groups: Array<LayoutBox & { name: string }> = [];
  const boxes: Record<string, LayoutBox> = { ...layout.nodes };
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let right = 0;
  for (const g of order) {
    if (x > 0 && x + g.width > width) {
      x = 0;
      y += rowHeight + GAP;
      rowHeight = 0;
    }
    const dx = x - g.x;
    const dy = y - g.y;
    groups.push({ ...g, x, y });
    for (const id of members.get(g.name) ?? []) {
      const b = layout.nodes[id];
      if (b !== undefined) boxes[id] = { ...b, x: b.x + dx, y: b.y + dy };
    }
    x += g.width + GAP;
    rowHeight = Math.max(rowHeight, g.height);
    right = Math.max(right, x - GAP);
  }
  return { width: right, height: y + rowHeight, groups, nodes: boxes };
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A point of the quadratic curve p → q with control c, at t. */
export function onCurve(p: Point, c: Point, q: Point, t: number): Point {
  const u = 1 - t;
  return { x: u * u * p.x + 2 * u * t * c.x + t * t * q.x, y: u * u * p.y + 2 * u * t * c.y + t * t * q.y };
}

export function labelBox(text: string, at: Point): LayoutBox {
  const width = text.length * CHAR_W + 6;
  return { x: at.x - width / 2, y: at.y - LABEL_H + 2, width, height: LABEL_H };
}

function overlaps(a: LayoutBox, b: LayoutBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const T_CANDIDATES = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78];

/**
 * Places each label at the first point along its edge where its box overlaps no box in
 * `obstacles` (the nodes) and no label placed before; a label with no such point is left out
 * (undefined: shown on hover and focus only). Greedy, in edge order.
 */
export function placeLabels(
  items: ReadonlyArray<{ readonly text: string; readonly p: Point; readonly c: Point; readonly q: Point }>,
  obstacles: readonly LayoutBox[],
): Array<Point | undefined> {
  const placed: LayoutBox[] = [];
  return items.map((it) => {
    for (const t of T_CANDIDATES) {
      const at = onCurve(it.p, it.c, it.q, t);
      const box = labelBox(it.text, at);
      if (obstacles.some((o) => overlaps(o, box)) || placed.some((o) => overlaps(o, box))) continue;
      placed.push(box);
      return at;
    }
    return undefined;
  });
}
