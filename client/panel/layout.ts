/**
 * Graph layout for the reachability panel (docs/dev/design.md §7): elkjs (in the panel webview's
 * worker when the host gives one, `ElkElsewhere`; else in the extension host), one layered
 * layout per namespace (its workloads and the connections inside it), then the namespace groups
 * packed in rows; entry points (external ranges, ingress controllers) form their own group first.
 * A client group (protocol/graphGroups.ts) wholly inside a namespace is laid out there as a node
 * of its own, its junction, between its clients and their destinations.
 * The webview receives absolute coordinates only. No vscode import: tested in Node.
 */

import type { ELK as ElkApi } from 'elkjs/lib/elk-api.js';
import {
  GROUP_HEADER,
  GROUP_PAD,
  LOOSE_ROWS_GAP,
  NODE_HEIGHT,
  clientGroups,
  junctionId,
  junctionLines,
  junctionSize,
  nodeWidth,
  routeKey,
} from '../../protocol/graphGroups.js';
import type { LayoutBox, PanelEdge, PanelLayout, PanelNode } from '../../protocol/panel.js';
import type { LayoutGraph } from '../../protocol/webviewMessages.js';
import { readElkOutput, type ElkOutput } from './elkGraph.js';

/** Above this many nodes the panel opens on the matrix and lays out nothing. */
export const GRAPH_NODE_LIMIT = 400;

export const ENTRY_GROUP = '(entry points)';
const GAP = 32;

let elk: ElkApi | undefined;

/**
 * elkjs is loaded on the first layout, not at activation (design T9: it takes ~70 ms to load).
 * A plain `require` inside the function: esbuild bundles it and evaluates it on the first call.
 */
function elkInstance(): ElkApi {
  if (elk === undefined) {
    // CommonJS interop may nest the constructor under `default`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    let ctor: unknown = require('elkjs/lib/elk.bundled.js');
    for (let i = 0; i < 2 && typeof ctor !== 'function' && typeof ctor === 'object' && ctor !== null && 'default' in ctor; i++)
      ctor = ctor.default;
    if (typeof ctor !== 'function') throw new Error('elkjs did not load');
    const made = new (ctor as new () => ElkApi)();
    elk = made;
    return made;
  }
  return elk;
}

export function groupOf(n: PanelNode): string {
  return n.entry || n.namespace === '' ? ENTRY_GROUP : n.namespace;
}

interface Laid {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly nodes: ReadonlyArray<{ id: string } & LayoutBox>;
  /** The routed connections that bend (`routeKey`): their points, ends included, flat, relative to the group. */
  readonly routes: ReadonlyArray<readonly [string, readonly number[]]>;
}

/**
 * Final layouts by group content (name, node ids and widths; not edges): an edit that changes
 * connections keeps every position (the graph does not jump), and a group is laid out again only
 * when its workloads change. Bounded, oldest first out.
 */
const finalCache = new Map<string, Laid>();
const CACHE_MAX = 2000;

/** elkjs layered for small groups with internal connections; a plain grid otherwise. */
const LAYERED_MAX_NODES = 40;
const LAYERED_MAX_EDGES = 120;
const GRID_GAP = 16;
/** Between rows: room for the badges above a node. */
const LOOSE_GAP = 24;
/** Between junctions in a grid's junction rows (no badges above them). */
const JUNCTION_GAP = 16;

/** A client group's junction laid out as a node of its namespace (protocol/graphGroups.ts). */
interface Junction {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly sources: readonly string[];
  readonly targets: readonly string[];
}

interface GroupInput {
  readonly name: string;
  readonly nodes: readonly PanelNode[];
  readonly junctions: readonly Junction[];
  readonly key: string;
  readonly edges: ReadonlyArray<{ id: string; sources: string[]; targets: string[] }>;
  readonly layered: boolean;
}

/** A group's nodes, the junctions of the client groups wholly inside it and its cache key (which its connections are not part of). */
function groupHead(name: string, nodes: readonly PanelNode[], junctions: readonly Junction[]): Omit<GroupInput, 'edges' | 'layered'> {
  const ids = new Set(nodes.map((n) => n.id));
  const inside = junctions.filter((j) => j.sources.every((id) => ids.has(id)) && j.targets.every((id) => ids.has(id)));
  const key = `${name}\u0001${nodes.map((n) => `${n.id}:${nodeWidth(n)}`).join('\u0002')}\u0001${inside.map((j) => `${j.id}:${j.width}`).join('\u0002')}`;
  return { name, nodes, junctions: inside, key };
}

/**
 * A group's layout input (`groupHead`) with its connections, a client group's as one edge from
 * each client into its junction and one out to each destination (so elkjs puts the junction
 * between them): needed only when the group's layout is not cached.
 */
function groupEdges(head: Omit<GroupInput, 'edges' | 'layered'>, edges: readonly PanelEdge[]): GroupInput {
  const { nodes, junctions: inside } = head;
  const ids = new Set(nodes.map((n) => n.id));
  const seen = new Set<string>();
  const elkEdges: Array<{ id: string; sources: string[]; targets: string[] }> = [];
  const add = (from: string, to: string): void => {
    const k = `${from}\u0000${to}`;
    if (seen.has(k)) return;
    seen.add(k);
    elkEdges.push({ id: `e${elkEdges.length}`, sources: [from], targets: [to] });
  };
  const viaJunction = new Set<string>();
  for (const j of inside) {
    for (const s of j.sources) {
      add(s, j.id);
      for (const t of j.targets) viaJunction.add(`${s}\u0000${t}`);
    }
    for (const t of j.targets) add(j.id, t);
  }
  for (const e of edges) {
    if (e.from === e.to || !ids.has(e.from) || !ids.has(e.to) || viaJunction.has(`${e.from}\u0000${e.to}`)) continue;
    add(e.from, e.to);
  }
  const count = nodes.length + inside.length;
  const layered = elkEdges.length > 0 && count <= LAYERED_MAX_NODES && elkEdges.length <= LAYERED_MAX_EDGES;
  return { ...head, edges: elkEdges, layered };
}

/**
 * A group's layout from its boxes and routes: as wide and tall as they reach (at least 160 by one
 * row; a route elkjs ran under the last row stays inside its namespace's box).
 */
function laidOut(name: string, nodes: Array<{ id: string } & LayoutBox>, routes: Laid['routes'] = []): Laid {
  let right = Math.max(160, ...nodes.map((b) => b.x + b.width));
  let bottom = Math.max(NODE_HEIGHT, ...nodes.map((b) => b.y + b.height));
  for (const [, pts] of routes)
    for (let k = 0; k + 1 < pts.length; k += 2) {
      right = Math.max(right, (pts[k] ?? 0) + 4);
      bottom = Math.max(bottom, (pts[k + 1] ?? 0) + 4);
    }
  return { name, width: right, height: bottom, nodes, routes };
}

/**
 * Rows of boxes about 2.5 times as wide as tall (a panel is wider than tall): instant, used for big
 * groups and as the first paint. The junctions of the client groups inside the group go in rows under its workloads, where nothing else is: a grid has no free place between
 * its boxes, and a junction the webview placed in it lay over a workload or, placed in the free
 * space of the whole drawing, in another namespace (of the panel bench's 196 junctions, 35 were
 * knots at 500 px in the first paint and 143 lay outside their namespace in the final graph at
 * 1,400 px). Every grid has them: a first paint's, until elkjs lays the group out, and a big
 * group's final one.
 */
function gridGroup(g: GroupInput): Laid {
  const widths = g.nodes.map(nodeWidth);
  const area = widths.reduce((s, w) => s + (w + GRID_GAP) * (NODE_HEIGHT + GRID_GAP), 0);
  const rowWidth = Math.max(Math.max(0, ...widths), Math.sqrt(area * 2.5));
  const nodes: Array<{ id: string } & LayoutBox> = [];
  let x = 0;
  let y = 0;
  g.nodes.forEach((n, i) => {
    const w = widths[i] ?? 120;
    if (x > 0 && x + w > rowWidth) {
      x = 0;
      y += NODE_HEIGHT + GRID_GAP;
    }
    nodes.push({ id: n.id, x, y, width: w, height: NODE_HEIGHT });
    x += w + GRID_GAP;
  });
  if (g.junctions.length > 0) {
    x = 0;
    y += NODE_HEIGHT + LOOSE_ROWS_GAP;
    let rowH = 0;
    for (const j of g.junctions) {
      if (x > 0 && x + j.width > rowWidth) {
        x = 0;
        y += rowH + JUNCTION_GAP;
        rowH = 0;
      }
      nodes.push({ id: j.id, x, y, width: j.width, height: j.height });
      x += j.width + JUNCTION_GAP;
      rowH = Math.max(rowH, j.height);
    }
  }
  return laidOut(g.name, nodes);
}

/**
 * Where elkjs runs besides the extension host: the panel's webview, in a worker (`run` answers
 * elkjs's output graph as untrusted data). When it fails or answers something that is not a
 * layout of the graph, elkjs runs here instead and `fellBack` says why.
 */
export interface ElkElsewhere {
  readonly run: (graph: LayoutGraph) => Promise<unknown>;
  readonly fellBack: (why: string) => void;
}

async function runElk(graph: LayoutGraph, elsewhere: ElkElsewhere | undefined): Promise<ElkOutput> {
  if (elsewhere !== undefined) {
    try {
      const out = readElkOutput(await elsewhere.run(graph), graph);
      if (out !== undefined) return out;
      elsewhere.fellBack('the answer was not a layout of the namespace');
    } catch (e) {
      elsewhere.fellBack(e instanceof Error ? e.message : String(e));
    }
  }
  const here = await elkInstance().layout({
    id: graph.id,
    layoutOptions: { ...graph.layoutOptions },
    children: graph.children.map((c) => ({ ...c })),
    edges: graph.edges.map((e) => ({ id: e.id, sources: [...e.sources], targets: [...e.targets] })),
  });
  const out = readElkOutput(here, graph);
  if (out === undefined) throw new Error('elkjs answered something that is not a layout');
  return out;
}

async function layeredGroup(g: GroupInput, elsewhere?: ElkElsewhere): Promise<Laid> {
  // Workloads with no connection inside the namespace go in rows under the layered ones (not
  // above them, where lines coming into the namespace would cross them).
  const ends = new Set(g.edges.flatMap((e) => [...e.sources, ...e.targets]));
  const linked = g.nodes.filter((n) => ends.has(n.id));
  const loose = g.nodes.filter((n) => !ends.has(n.id));
  const graph: LayoutGraph = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      // Room for the badges above a node.
      'elk.spacing.nodeNode': '24',
      // Room for a 12 px port label ("TCP 8080") between two layers.
      'elk.layered.spacing.nodeNodeBetweenLayers': '68',
      'elk.separateConnectedComponents': 'true',
      'elk.spacing.componentComponent': '24',
      'elk.aspectRatio': '1.6',
      'elk.padding': '[top=0,left=0,bottom=0,right=0]',
      'elk.layered.thoroughness': '1',
      'elk.layered.nodePlacement.strategy': 'SIMPLE',
      'elk.layered.compaction.postCompaction.strategy': 'NONE',
      'elk.edgeRouting': 'POLYLINE',
    },
    children: [
      ...linked.map((n) => ({ id: n.id, width: nodeWidth(n), height: NODE_HEIGHT })),
      ...g.junctions.map((j) => ({ id: j.id, width: j.width, height: j.height })),
    ],
    edges: g.edges.map((e) => ({ id: e.id, sources: [...e.sources], targets: [...e.targets] })),
  };
  const out = await runElk(graph, elsewhere);
  const keys = new Map(g.edges.map((e) => [e.id, routeKey(e.sources[0] ?? '', e.targets[0] ?? '')] as const));
  const routes: Array<readonly [string, number[]]> = [];
  for (const e of out.edges) {
    const key = keys.get(e.id);
    const section = e.section;
    const bends = section?.bendPoints ?? [];
    // Only the routes that bend: a straight one is drawn as well from box to box.
    if (key === undefined || section === undefined || bends.length === 0) continue;
    routes.push([key, [section.startPoint, ...bends, section.endPoint].flatMap((b) => [Math.round(b.x), Math.round(b.y)])]);
  }
  const laid = out.children.map((c) => ({ id: c.id, x: c.x, y: c.y, width: c.width, height: c.height }));
  const rowWidth = Math.max(400, ...laid.map((b) => b.x + b.width));
  let x = 0;
  let y = laid.length === 0 ? 0 : Math.max(...laid.map((b) => b.y + b.height)) + LOOSE_ROWS_GAP;
  for (const n of loose) {
    const w = nodeWidth(n);
    if (x > 0 && x + w > rowWidth) {
      x = 0;
      y += NODE_HEIGHT + LOOSE_GAP;
    }
    laid.push({ id: n.id, x, y, width: w, height: NODE_HEIGHT });
    x += w + GRID_GAP;
  }
  return laidOut(g.name, laid, routes);
}

/**
 * Each group's last final layout, by name: after an edit that changes a laid-out namespace (a
 * workload's box, a client group's junction), its first paint keeps the positions it had
 * (`carriedOver`) instead of a grid, until elkjs refines it.
 */
const lastFinal = new Map<string, Laid>();

/**
 * A group's first paint from its last final layout: every workload and junction it had stays at
 * its place (with its new width; one that grew pushes those after it on its row), the others in
 * rows under them; no routes (lines are drawn as
 * curves until elkjs routes them again).
 */
function carriedOver(prev: Laid, g: GroupInput): Laid {
  const was = new Map(prev.nodes.map((b) => [b.id, b] as const));
  const items = [...g.nodes.map((n) => ({ id: n.id, width: nodeWidth(n) })), ...g.junctions.map((j) => ({ id: j.id, width: j.width }))];
  const nodes: Array<{ id: string } & LayoutBox> = [];
  const fresh: Array<{ id: string; width: number }> = [];
  for (const it of items) {
    const b = was.get(it.id);
    if (b === undefined) fresh.push(it);
    else nodes.push({ id: it.id, x: b.x, y: b.y, width: it.width, height: b.height });
  }
  // A box that grew pushes the boxes after it on its row (no overlap).
  nodes.sort((a, b) => a.y - b.y || a.x - b.x);
  for (let i = 1; i < nodes.length; i++) {
    const a = nodes[i - 1];
    const b = nodes[i];
    if (a !== undefined && b !== undefined && a.y === b.y && b.x < a.x + a.width + GRID_GAP / 2)
      nodes[i] = { ...b, x: a.x + a.width + GRID_GAP / 2 };
  }
  const rowWidth = Math.max(400, ...nodes.map((b) => b.x + b.width));
  let x = 0;
  let y = nodes.length === 0 ? 0 : Math.max(...nodes.map((b) => b.y + b.height)) + LOOSE_ROWS_GAP;
  for (const it of fresh) {
    if (x > 0 && x + it.width > rowWidth) {
      x = 0;
      y += NODE_HEIGHT + LOOSE_GAP;
    }
    const junction = g.junctions.find((j) => j.id === it.id);
    nodes.push({ id: it.id, x, y, width: it.width, height: junction?.height ?? NODE_HEIGHT });
    x += it.width + GRID_GAP;
  }
  return laidOut(g.name, nodes);
}

/** Forgets every layout made (tests and benchmarks that compare a cold layout with another). */
export function forgetLayouts(): void {
  finalCache.clear();
  lastFinal.clear();
}

function remember(key: string, laid: Laid): void {
  lastFinal.set(laid.name, laid);
  finalCache.delete(key);
  finalCache.set(key, laid);
  while (finalCache.size > CACHE_MAX) {
    const oldest = finalCache.keys().next().value;
    if (oldest === undefined) break;
    finalCache.delete(oldest);
  }
}

export interface LayoutOutcome {
  readonly layout: PanelLayout;
  /** Some group shows its first-paint grid: a `full` layout would refine it. */
  readonly pending: boolean;
}

/**
 * Lays out the graph; nodes of one namespace stay in one group box. `fast`: groups without a
 * final layout yet get the instant grid (and `pending` says so); otherwise elkjs runs for them.
 */
export async function layoutGraphWith(
  nodes: readonly PanelNode[],
  edges: readonly PanelEdge[],
  mode: 'fast' | 'full',
  elsewhere?: ElkElsewhere,
): Promise<LayoutOutcome> {
  const byGroup = new Map<string, PanelNode[]>();
  for (const n of nodes) {
    const g = groupOf(n);
    let list = byGroup.get(g);
    if (list === undefined) byGroup.set(g, (list = []));
    list.push(n);
  }
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  const junctions: Junction[] = clientGroups(nodes, edges).map((b) => ({
    id: junctionId(b.key),
    ...junctionSize(junctionLines(b, byId)),
    sources: b.sources,
    targets: b.targets,
  }));
  const names = [...byGroup.keys()].sort((a, b) => (a === ENTRY_GROUP ? -1 : b === ENTRY_GROUP ? 1 : a < b ? -1 : a > b ? 1 : 0));
  // A group elkjs lays out is a promise: all of them are asked for at once (the worker takes them in turn).
  const laid: Array<Laid | Promise<Laid>> = [];
  let pending = false;
  // Each group's own connections and junctions, bucketed once (not every edge per group).
  const groupOfId = new Map(nodes.map((n) => [n.id, groupOf(n)] as const));
  const edgesIn = new Map<string, PanelEdge[]>();
  for (const e of edges) {
    const g = groupOfId.get(e.from);
    if (g === undefined || g !== groupOfId.get(e.to)) continue;
    const list = edgesIn.get(g);
    if (list === undefined) edgesIn.set(g, [e]);
    else list.push(e);
  }
  const junctionsIn = new Map<string, Junction[]>();
  for (const j of junctions) {
    const g = groupOfId.get(j.sources[0] ?? '');
    if (g === undefined) continue;
    const list = junctionsIn.get(g);
    if (list === undefined) junctionsIn.set(g, [j]);
    else list.push(j);
  }
  for (const name of names) {
    // The cache is keyed by the group's workloads and junctions: its connections (what a policy
    // edit changes) are gathered only for a group laid out anew.
    const head = groupHead(name, byGroup.get(name) ?? [], junctionsIn.get(name) ?? []);
    const cached = finalCache.get(head.key);
    if (cached !== undefined) {
      remember(head.key, cached);
      laid.push(cached);
      continue;
    }
    const g = groupEdges(head, edgesIn.get(name) ?? []);
    if (!g.layered) {
      const grid = gridGroup(g);
      remember(g.key, grid);
      laid.push(grid);
    } else if (mode === 'fast') {
      pending = true;
      const prev = lastFinal.get(name);
      laid.push(prev === undefined ? gridGroup(g) : carriedOver(prev, g));
    } else {
      laid.push(
        layeredGroup(g, elsewhere).then((l) => {
          remember(g.key, l);
          return l;
        }),
      );
    }
  }
  return { layout: pack(await Promise.all(laid)), pending };
}

/** The final layout (elkjs where it applies: in the extension host, or `elsewhere` when given). */
export async function layoutGraph(
  nodes: readonly PanelNode[],
  edges: readonly PanelEdge[],
  elsewhere?: ElkElsewhere,
): Promise<PanelLayout> {
  return (await layoutGraphWith(nodes, edges, 'full', elsewhere)).layout;
}

/**
 * Shelf packing of the group boxes into rows about as wide as the whole is tall, first fit: a
 * group goes into the first row with room left (a small namespace beside the entry points, not
 * in a row of its own under a wide one).
 */
function pack(laid: readonly Laid[]): PanelLayout {
  const area = laid.reduce((s, g) => s + (g.width + 2 * GROUP_PAD + GAP) * (g.height + GROUP_PAD + GROUP_HEADER + GAP), 0);
  const widest = Math.max(0, ...laid.map((g) => g.width + 2 * GROUP_PAD));
  const rowWidth = Math.max(widest, 900, Math.sqrt(area * 1.6));
  const rows: Array<{ used: number; height: number; members: Array<{ g: Laid; x: number }> }> = [];
  for (const g of laid) {
    const w = g.width + 2 * GROUP_PAD;
    const h = g.height + GROUP_PAD + GROUP_HEADER;
    let row = rows.find((r) => r.used + GAP + w <= rowWidth);
    if (row === undefined) rows.push((row = { used: -GAP, height: 0, members: [] }));
    row.members.push({ g, x: row.used + GAP });
    row.used += GAP + w;
    row.height = Math.max(row.height, h);
  }
  const groups: Array<LayoutBox & { name: string }> = [];
  const boxes: Record<string, LayoutBox> = {};
  const routes: Record<string, number[]> = {};
  let y = 0;
  let width = 0;
  for (const row of rows) {
    for (const { g, x } of row.members) {
      const w = g.width + 2 * GROUP_PAD;
      const h = g.height + GROUP_PAD + GROUP_HEADER;
      groups.push({ name: g.name, x: Math.round(x), y: Math.round(y), width: Math.ceil(w) + 1, height: Math.ceil(h) + 1 });
      const ox = Math.round(x + GROUP_PAD);
      const oy = Math.round(y + GROUP_HEADER);
      for (const n of g.nodes)
        boxes[n.id] = { x: ox + Math.round(n.x), y: oy + Math.round(n.y), width: Math.round(n.width), height: Math.round(n.height) };
      for (const [key, pts] of g.routes) routes[key] = pts.map((v, i) => v + (i % 2 === 0 ? ox : oy));
    }
    width = Math.max(width, row.used);
    y += row.height + GAP;
  }
  return {
    width,
    height: Math.max(0, y - GAP),
    groups,
    nodes: boxes,
    ...(Object.keys(routes).length > 0 ? { routes } : {}),
  };
}
