/**
 * Graph layout for the reachability panel (design §7): elkjs in the extension host, one layered
 * layout per namespace (its workloads and the connections inside it), then the namespace groups
 * packed in rows; entry points (external ranges, ingress controllers) form their own group first.
 * The webview receives absolute coordinates only. No vscode import: tested in Node.
 */

import type { ELK as ElkApi, ElkNode } from 'elkjs/lib/elk-api.js';
import type { LayoutBox, PanelEdge, PanelLayout, PanelNode } from '../../protocol/panel.js';

/** Above this many nodes the panel opens on the matrix and lays out nothing. */
export const GRAPH_NODE_LIMIT = 400;

export const ENTRY_GROUP = '(entry points)';
const GROUP_PAD = 16;
const GROUP_HEADER = 28;
const GAP = 32;
export const NODE_HEIGHT = 44;

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
    for (let i = 0; i < 2 && typeof ctor !== 'function' && typeof ctor === 'object' && ctor !== null && 'default' in ctor; i++) ctor = ctor.default;
    if (typeof ctor !== 'function') throw new Error('elkjs did not load');
    const made = new (ctor as new () => ElkApi)();
    elk = made;
    return made;
  }
  return elk;
}

export function nodeWidth(n: PanelNode): number {
  const chars = Math.max(n.name.length, n.kind.length + 2);
  return Math.min(260, Math.max(120, chars * 7.5 + 28));
}

export function groupOf(n: PanelNode): string {
  return n.entry || n.namespace === '' ? ENTRY_GROUP : n.namespace;
}

interface Laid {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly nodes: ReadonlyArray<{ id: string } & LayoutBox>;
}

/** Groups laid out by the previous call, by content key: an edit re-lays out only what changed. */
let groupCache = new Map<string, Laid>();
let nextCache = new Map<string, Laid>();

/** Layered layout for small groups with internal connections; a plain box packing otherwise. */
const LAYERED_MAX_NODES = 80;
const LAYERED_MAX_EDGES = 200;

async function layoutGroup(name: string, nodes: readonly PanelNode[], edges: readonly PanelEdge[]): Promise<Laid> {
  const ids = new Set(nodes.map((n) => n.id));
  const seen = new Set<string>();
  const elkEdges = [];
  for (const e of edges) {
    if (e.from === e.to || !ids.has(e.from) || !ids.has(e.to)) continue;
    const k = `${e.from}\u0000${e.to}`;
    if (seen.has(k)) continue;
    seen.add(k);
    elkEdges.push({ id: `e${elkEdges.length}`, sources: [e.from], targets: [e.to] });
  }
  const key = `${name}\u0001${nodes.map((n) => `${n.id}:${nodeWidth(n)}`).join('\u0002')}\u0001${[...seen].join('\u0002')}`;
  const cached = groupCache.get(key) ?? nextCache.get(key);
  if (cached !== undefined) {
    nextCache.set(key, cached);
    return cached;
  }
  const layered = elkEdges.length > 0 && nodes.length <= LAYERED_MAX_NODES && elkEdges.length <= LAYERED_MAX_EDGES;
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: layered ? {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '20',
      'elk.layered.spacing.nodeNodeBetweenLayers': '48',
      'elk.separateConnectedComponents': 'true',
      'elk.spacing.componentComponent': '24',
      'elk.aspectRatio': '1.6',
      'elk.padding': '[top=0,left=0,bottom=0,right=0]',
      'elk.layered.thoroughness': '1',
      'elk.layered.nodePlacement.strategy': 'SIMPLE',
      'elk.layered.compaction.postCompaction.strategy': 'NONE',
      'elk.edgeRouting': 'POLYLINE',
    } : { 'elk.algorithm': 'box', 'elk.spacing.nodeNode': '16', 'elk.aspectRatio': '1.6', 'elk.padding': '[top=0,left=0,bottom=0,right=0]' },
    children: nodes.map((n) => ({ id: n.id, width: nodeWidth(n), height: NODE_HEIGHT })),
    edges: layered ? elkEdges : [],
  };
  const out = await elkInstance().layout(graph);
  const laid = (out.children ?? []).map((c) => ({ id: c.id, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 120, height: c.height ?? NODE_HEIGHT }));
  const width = Math.max(160, ...laid.map((b) => b.x + b.width));
  const height = Math.max(NODE_HEIGHT, ...laid.map((b) => b.y + b.height));
  const result = { name, width, height, nodes: laid };
  nextCache.set(key, result);
  return result;
}

/** Lays out the graph; nodes of one namespace stay in one group box. */
export async function layoutGraph(nodes: readonly PanelNode[], edges: readonly PanelEdge[]): Promise<PanelLayout> {
  const byGroup = new Map<string, PanelNode[]>();
  for (const n of nodes) {
    const g = groupOf(n);
    let list = byGroup.get(g);
    if (list === undefined) byGroup.set(g, (list = []));
    list.push(n);
  }
  const names = [...byGroup.keys()].sort((a, b) => (a === ENTRY_GROUP ? -1 : b === ENTRY_GROUP ? 1 : a < b ? -1 : a > b ? 1 : 0));
  nextCache = new Map();
  const laid: Laid[] = [];
  for (const g of names) laid.push(await layoutGroup(g, byGroup.get(g) ?? [], edges));
  groupCache = nextCache;

  // Shelf packing of the group boxes into rows about as wide as the whole is tall.
  const area = laid.reduce((s, g) => s + (g.width + 2 * GROUP_PAD + GAP) * (g.height + GROUP_PAD + GROUP_HEADER + GAP), 0);
  const widest = Math.max(0, ...laid.map((g) => g.width + 2 * GROUP_PAD));
  const rowWidth = Math.max(widest, 900, Math.sqrt(area * 1.6));
  const groups: Array<LayoutBox & { name: string }> = [];
  const boxes: Record<string, LayoutBox> = {};
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  for (const g of laid) {
    const w = g.width + 2 * GROUP_PAD;
    const h = g.height + GROUP_PAD + GROUP_HEADER;
    if (x > 0 && x + w > rowWidth) {
      x = 0;
      y += rowHeight + GAP;
      rowHeight = 0;
    }
    groups.push({ name: g.name, x: Math.round(x), y: Math.round(y), width: Math.ceil(w) + 1, height: Math.ceil(h) + 1 });
    for (const n of g.nodes) boxes[n.id] = { x: Math.round(x + GROUP_PAD + n.x), y: Math.round(y + GROUP_HEADER + n.y), width: Math.round(n.width), height: Math.round(n.height) };
    x += w + GAP;
    rowHeight = Math.max(rowHeight, h);
    width = Math.max(width, x - GAP);
  }
  return { width, height: y + rowHeight, groups, nodes: boxes };
}
