/**
 * What the reachability graph groups, shared by the panel host's layout (client/panel/layout.ts,
 * which gives a client group's junction a place in its namespace) and the webview's drawing
 * (webview/graph.ts): the connections an "open" badge stands for, the aggregates between two
 * namespaces, and the client groups (clients reaching the same destinations on the same ports,
 * drawn through one junction). Pure, tested in Node (test/webview/graphModel.test.ts).
 */

import type { PanelEdge, PanelNode } from './panel.js';

/** An edge as the graph draws it: a connection, or a pair "only denied" shows. */
export interface DrawnEdge {
  readonly from: string;
  readonly to: string;
  readonly ports: PanelEdge['ports'];
  readonly label: string;
  readonly verdict: 'allowed' | 'undefined' | 'denied';
  readonly reason?: string | undefined;
}

/** Above this many edges between two namespaces (either way counted apart) they are drawn as one. */
export const AGGREGATE_MIN = 5;
/** The group of entry points (as client/panel/layout.ts names it). */
export const ENTRY_GROUP = '(entry points)';

export function groupOfNode(n: PanelNode): string {
  return n.entry || n.namespace === '' ? ENTRY_GROUP : n.namespace;
}

/** A node box's height (one line of 12 px text). */
export const NODE_HEIGHT = 30;
/** A namespace's box around its workloads: padding on the left, right and bottom, and the header above. */
export const GROUP_PAD = 16;
export const GROUP_HEADER = 28;
/**
 * Between a namespace's layers and the rows of its unconnected workloads under them: wider than
 * the gaps between boxes in the layers (24), so that the webview's fold (webview/fold.ts) tells
 * the rows from the layers.
 */
export const LOOSE_ROWS_GAP = 40;
/** An "in: any" / "out: any" badge's width. */
export const BADGE_W = 58;

/** The name a node's box shows (long names cut). */
export function nodeName(n: PanelNode): string {
  return n.name.length > 34 ? `${n.name.slice(0, 33)}…` : n.name;
}

/**
 * What a node's box says after its name, muted: its kind, except for a Deployment (most
 * workloads: the legend says so), an entry point's role, and "cut off" for an isolated workload
 * nothing reaches.
 */
export function nodeTag(n: PanelNode): string {
  const kind = n.entry ? (n.kind === 'External' ? 'external range' : 'ingress controller') : n.kind === 'Deployment' ? '' : n.kind;
  const cut = !n.entry && n.unreachable && n.isolatedIngress ? 'cut off' : '';
  return kind !== '' && cut !== '' ? `${kind} · ${cut}` : kind || cut;
}

/** A node box's width: its name (bold) and tag at 12 px, and room for its badges above it. */
export function nodeWidth(n: PanelNode): number {
  const tag = nodeTag(n);
  const text = nodeName(n).length * 7.4 + (tag === '' ? 0 : tag.length * 6.6 + 8) + 18;
  const badges = (n.entry ? 0 : (n.isolatedIngress ? 0 : 1) + (n.isolatedEgress ? 0 : 1)) * (BADGE_W + 4) + 8;
  return Math.round(Math.min(320, Math.max(72, text, badges)));
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

export function impliedByBadges(e: DrawnEdge, byId: ReadonlyMap<string, PanelNode>, o: Openness): boolean {
  if (e.verdict !== 'allowed' || e.ports !== 'all') return false;
  const src = byId.get(e.from);
  const dst = byId.get(e.to);
  if (src === undefined || dst === undefined) return false;
  const srcOpen = src.kind === 'External' || o.openOut.has(src.id);
  const dstOpen = dst.kind === 'External' || o.openIn.has(dst.id);
  return srcOpen && dstOpen && !(src.entry && dst.entry);
}

/** Connections between two groups drawn as one edge. */
export interface Aggregate<E extends DrawnEdge = DrawnEdge> {
  readonly fromGroup: string;
  readonly toGroup: string;
  readonly edges: readonly E[];
  /** Allowed, undefined or denied: the mix decides the style (`mixed` when they differ). */
  readonly verdict: 'allowed' | 'undefined' | 'denied' | 'mixed';
}

/**
 * Splits `edges` into those drawn one by one and the aggregates: between two different groups with
 * more than AGGREGATE_MIN connections (one direction), unless the pair is in `expanded`
 * (`from\u0000to`) or has an end in `keep` (the selected node's connections stay single).
 */
export function aggregate<E extends DrawnEdge>(
  edges: readonly E[],
  groupOf: (id: string) => string | undefined,
  expanded: ReadonlySet<string>,
  keep: string | undefined,
): { single: E[]; aggregates: Array<Aggregate<E>> } {
  const byPair = new Map<string, E[]>();
  for (const e of edges) {
    const a = groupOf(e.from);
    const b = groupOf(e.to);
    if (a === undefined || b === undefined || a === b) continue;
    const k = `${a}\u0000${b}`;
    const list = byPair.get(k);
    if (list === undefined) byPair.set(k, [e]);
    else list.push(e);
  }
  const aggregated = new Set<E>();
  const aggregates: Array<Aggregate<E>> = [];
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

/** A client group drawn as one junction: at least this many connections it stands for. */
export const BUNDLE_MIN_EDGES = 4;

/**
 * Clients that reach the same destinations on the same ports, drawn as one junction ("client
 * group"): a line from each client into it, one label, and an arrow from it to each destination.
 * `key` is stable across renders (the expanded set names it).
 */
export interface Bundle<E extends DrawnEdge = DrawnEdge> {
  readonly key: string;
  readonly sources: readonly string[];
  readonly targets: readonly string[];
  readonly label: string;
  readonly verdict: DrawnEdge['verdict'];
  readonly edges: readonly E[];
}

/**
 * Splits `edges` into those drawn one by one and the client groups: for each destination and
 * port label, the set of its clients; destinations with the same clients on the same ports share
 * one group, drawn when it has at least two clients and stands for at least BUNDLE_MIN_EDGES
 * connections. "Only denied"'s pairs, entry points (ingress controllers, external ranges) stay single, as do the
 * connections of `keep` (the selected node) and groups whose key is in `expanded`.
 */
export function bundleClients<E extends DrawnEdge>(
  edges: readonly E[],
  isEntry: (id: string) => boolean,
  expanded: ReadonlySet<string>,
  keep: string | undefined,
): { single: E[]; bundles: Array<Bundle<E>> } {
  const byTarget = new Map<string, E[]>();
  for (const e of edges) {
    if (e.verdict === 'denied' || e.from === keep || e.to === keep || isEntry(e.from) || isEntry(e.to)) continue;
    const k = `${e.to}\u0000${e.label}\u0000${e.verdict}`;
    const list = byTarget.get(k);
    if (list === undefined) byTarget.set(k, [e]);
    else list.push(e);
  }
  const byClients = new Map<string, E[][]>();
  for (const list of byTarget.values()) {
    if (list.length < 2) continue;
    const first = list[0];
    if (first === undefined) continue;
    const clients = list.map((e) => e.from).sort();
    const k = `${first.label}\u0000${first.verdict}\u0000${clients.join('\u0000')}`;
    const groups = byClients.get(k);
    if (groups === undefined) byClients.set(k, [list]);
    else groups.push(list);
  }
  const bundled = new Set<E>();
  const bundles: Array<Bundle<E>> = [];
  for (const [key, lists] of byClients) {
    const all = lists.flat();
    if (all.length < BUNDLE_MIN_EDGES || expanded.has(key)) continue;
    const first = all[0];
    if (first === undefined) continue;
    for (const e of all) bundled.add(e);
    const targets = lists.map((l) => l[0]?.to ?? '').sort();
    const sources = [...new Set(all.map((e) => e.from))].sort();
    bundles.push({ key, sources, targets, label: first.label, verdict: first.verdict, edges: all });
  }
  bundles.sort((a, b) => b.edges.length - a.edges.length || (a.key < b.key ? -1 : 1));
  return { single: edges.filter((e) => !bundled.has(e)), bundles };
}

/**
 * A client group's name, as a person would say it: the label all its clients carry and no other
 * workload of theirs does (`tier=edge (4)`), else their names when short, else their count.
 */
export function bundleName(sources: readonly string[], byId: ReadonlyMap<string, PanelNode>): string {
  const members = sources.map((id) => byId.get(id)).filter((n): n is PanelNode => n !== undefined);
  const first = members[0];
  if (first !== undefined) {
    const counts = labelCounts(byId);
    const namespaces = [...new Set(members.map((n) => n.namespace))];
    for (const [k, v] of Object.entries(first.labels)) {
      if (k === 'app' || k === 'app.kubernetes.io/name') continue;
      if (!members.every((n) => n.labels[k] === v)) continue;
      // Every workload of their namespaces carrying it is one of them.
      const holders = namespaces.reduce((s, ns) => s + (counts.get(`${ns}\u0000${k}=${v}`) ?? 0), 0);
      if (holders === members.length) return `${k}=${v} (${sources.length})`;
    }
  }
  const names = members.map((n) => n.name).join(', ');
  return members.length <= 3 && names.length <= 36 ? names : `${sources.length} clients`;
}

/** Per namespace and label `k=v`, how many workloads carry it; once per node map. */
const countsOf = new WeakMap<ReadonlyMap<string, PanelNode>, ReadonlyMap<string, number>>();
function labelCounts(byId: ReadonlyMap<string, PanelNode>): ReadonlyMap<string, number> {
  let counts = countsOf.get(byId);
  if (counts === undefined) {
    const c = new Map<string, number>();
    for (const n of byId.values()) {
      if (n.entry) continue;
      for (const [k, v] of Object.entries(n.labels)) {
        const key = `${n.namespace}\u0000${k}=${v}`;
        c.set(key, (c.get(key) ?? 0) + 1);
      }
    }
    countsOf.set(byId, c);
    counts = c;
  }
  return counts;
}

/** The id a client group's junction has in the host's layout (`PanelLayout.nodes`). */
export function junctionId(key: string): string {
  return `{clients}${key}`;
}

/** Between the two ends of a route's key (a junction's id holds U+0000). */
export const ROUTE_SEP = '\u0003';

/** The key of a route in `PanelLayout.routes`: a connection's (or a junction leg's) two ends. */
export function routeKey(from: string, to: string): string {
  return `${from}${ROUTE_SEP}${to}`;
}

/** Is this layout box a junction's (not a node's)? */
export function isJunctionId(id: string): boolean {
  return id.startsWith('{clients}');
}

/** The text of a client group's junction: its name, then the ports. */
export function junctionLines(b: Bundle, byId: ReadonlyMap<string, PanelNode>): [string, string] {
  return [bundleName(b.sources, byId), `→ ${b.verdict === 'undefined' ? `${b.label} (undefined)` : b.label}`];
}

/** A junction's size at 12 px (7 px a glyph, as the edge labels). */
export function junctionSize(lines: readonly string[]): { width: number; height: number } {
  return { width: Math.max(...lines.map((l) => l.length)) * 7 + 16, height: 36 };
}

/**
 * The client groups the graph of these nodes and connections draws, before any filter or
 * expansion: what the host lays out (the webview draws the same groups, and its filters may
 * make others, which it places itself).
 */
export function clientGroups<E extends DrawnEdge>(nodes: readonly PanelNode[], edges: readonly E[]): Array<Bundle<E>> {
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  const open = openness(nodes);
  const candidates = edges.filter((e) => e.from !== e.to && byId.has(e.from) && byId.has(e.to) && !impliedByBadges(e, byId, open));
  const groupOf = (id: string): string | undefined => {
    const n = byId.get(id);
    return n === undefined ? undefined : groupOfNode(n);
  };
  const none = new Set<string>();
  const { single } = aggregate(candidates, groupOf, none, undefined);
  return bundleClients(single, (id) => byId.get(id)?.entry === true, none, undefined).bundles;
}
