/**
 * The graph view as a virtual tree (pure): namespaces as group boxes, workloads as focusable
 * nodes, allowed connections as solid edges labelled with their ports, undefined ones dashed with
 * their reason, entry points (external ranges, ingress controllers) in their own group, and
 * isolated-and-unreachable workloads marked. Coordinates come from the host's elkjs layout.
 */

import type { LayoutBox, PanelEdge, PanelLayout, PanelNode } from '../protocol/panel.js';
import { h, type VElement } from './vnode.js';
import { idWords, nodeWords } from './words.js';
import { BADGE_W, ROUTE_SEP, junctionId, junctionLines, junctionSize, nodeName, nodeTag } from '../protocol/graphGroups.js';
import {
  BoxIndex,
  aggregate,
  arrowBox,
  bundleClients,
  crossesBoxes,
  curveLine,
  elbowLine,
  fitLayout,
  groupOfNode,
  impliedByBadges,
  labelBox,
  nodeGroupsKey,
  openness,
  placeLabelAt,
  placeJunction,
  placeLabels,
  routedLine,
  sameLayout,
  type Aggregate,
  type Bundle,
  type Line,
  type Openness,
  type Point,
} from './graphModel.js';
import { arrowHead } from './lines.js';
import { aroundGroups, groupLine } from './groupLines.js';
import { corridorLine, crossesDrawn } from './corridors.js';

/** Above this many visible edges only the selected node's edges are drawn. */
export const EDGE_DRAW_LIMIT = 600;
/** Above this many drawn edges labels show on hover/focus only. */
const LABEL_LIMIT = 120;
/** Edges from one source on the same ports that are labelled once, as a fan. */
export const FAN_MIN = 3;

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
  /** The host's layout fitted to a width as this render fits it (its lines known: gutters included). */
  readonly refit: (width: number) => PanelLayout;
  /** Edges drawn, in `data-edge` order. */
  readonly drawn: readonly GraphEdge[];
  /** Each drawn edge's line, in the same order. */
  readonly lines: ReadonlyArray<Line | undefined>;
  /** Connections between two groups drawn as one edge, in `data-agg` order. */
  readonly aggregates: readonly Aggregate[];
  /** Each aggregate's line, in the same order (undefined when a namespace of it is not drawn). */
  readonly aggregateLines: ReadonlyArray<Line | undefined>;
  /** Client groups drawn as one junction each, in `data-bundle` order. */
  readonly bundles: readonly Bundle[];
  /** Connections a node's "open" badge stands for (not drawn). */
  readonly byBadges: number;
  /** Whether the geometry (layout fitted, lines, junctions and labels placed) was the last render's: the same shape. */
  readonly reusedGeometry: boolean;
  /** The layout drawn (the host's, or repacked for the panel's width). */
  readonly layout: PanelLayout;
  readonly note: string | undefined;
  /**
   * The tooltip of a drawn workload (its kind, name, labels and what its badges mean), made when
   * it is hovered (`tooltip`): the graph draws no `title` elements, a thousand nodes fewer at 300
   * workloads. A connection's, aggregate's or client group's tooltip is its `aria-label`.
   */
  readonly nodeTip: (id: string) => string | undefined;
}

/**
 * Gives a hovered element of the graph (a workload, connection, aggregate or client group) its
 * tooltip, a `title` made now (not drawn with the graph); none when it has one.
 */
export function tooltip(el: Element, render: Pick<GraphRender, 'nodeTip'> | undefined): VElement | undefined {
  if ([...el.children].some((c) => c.localName === 'title')) return undefined;
  const id = el.getAttribute('data-node');
  // A client group's legs (drawn apart from its junction) take the group's label.
  const legsOf = el.getAttribute('data-legs-of');
  // A placed label (drawn apart from its line) takes its connection's or aggregate's.
  const label =
    legsOf !== null
      ? el.ownerDocument.querySelector(`g.edge.bundle[data-bundle="${legsOf}"]`)?.getAttribute('aria-label')
      : el.hasAttribute('data-label-of')
        ? labelOwner(el)?.getAttribute('aria-label')
        : el.getAttribute('aria-label');
  const text = id !== null ? render?.nodeTip(id) : (label ?? undefined);
  return text === undefined || text === '' ? undefined : h('title', {}, text);
}

/** Where a namespace's name sits in its box (baseline from the top): above its first row's badges. */
export const GROUP_LABEL_BASELINE = 15;
/** Along an aggregate's line, where its label is tried when no place beside its channel is free. */
const AGGREGATE_ON_LINE = [0.5, 0.4, 0.6, 0.3, 0.7];
/** Along an aggregate's line routed through the gaps between namespaces, where its label is tried. */
const CORRIDOR_LABEL_AT = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9, 0.15, 0.85, 0.25, 0.75, 0.35, 0.65, 0.45, 0.55];
/** A label's height and a little: how far above or below its line an aggregate's label is tried. */
const LABEL_STEP = 18;

/**
 * Label centres for an aggregate whose channel has no free place: along its line, then above and
 * below it and shifted half a label to either side (a short line between two namespaces side by
 * side, its label wider than the gap).
 */
function aroundLine(line: Line, width: number): Point[] {
  const out: Point[] = AGGREGATE_ON_LINE.map((t) => line.at(t));
  const mid = line.at(0.5);
  for (const dy of [-LABEL_STEP, LABEL_STEP, -2 * LABEL_STEP, 2 * LABEL_STEP])
    for (const dx of [0, -width / 2, width / 2]) out.push({ x: mid.x + dx, y: mid.y + dy });
  for (const dx of [-width / 2, width / 2]) out.push({ x: mid.x + dx, y: mid.y });
  return out;
}

export const OPEN_IN_TEXT = 'in: any';
export const OPEN_OUT_TEXT = 'out: any';

/** The badges' texts of a node, in drawing order. */
export function badgeTexts(n: PanelNode, open: Openness): string[] {
  return [open.openIn.has(n.id) ? OPEN_IN_TEXT : '', open.openOut.has(n.id) ? OPEN_OUT_TEXT : ''].filter((t) => t !== '');
}

/** Starts with the visible text (kind, name, badges), as screen readers and axe expect. */
export function nodeAriaLabel(n: PanelNode, badges: readonly string[] = []): string {
  const labels = Object.entries(n.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const marks = [
    n.isolatedIngress ? 'isolated for ingress' : '',
    n.isolatedEgress ? 'isolated for egress' : '',
    n.unreachable ? 'nothing reaches it' : '',
  ].filter((s) => s !== '');
  const visible = [nodeName(n), nodeTag(n), ...badges].filter((t) => t !== '').join(' ');
  return `${visible}: ${nodeWords(n)}${labels !== '' ? `; labels ${labels}` : ''}${marks.length > 0 ? `; ${marks.join(', ')}` : ''}`;
}

function edgeText(e: GraphEdge): string {
  return e.verdict === 'undefined' ? `${e.label} (undefined)` : e.label;
}

function bundleText(b: Bundle): string {
  return b.verdict === 'undefined' ? `${b.label} (undefined)` : b.label;
}

function centred(at: LayoutBox, size: { readonly width: number; readonly height: number }): LayoutBox {
  return { x: at.x + at.width / 2 - size.width / 2, y: at.y + at.height / 2 - size.height / 2, ...size };
}

/** Holds the visible label text. */
export function edgeAriaLabel(e: GraphEdge, words: (id: string) => string = (id) => id): string {
  return `${words(e.from)} to ${words(e.to)}: ${edgeText(e)}${e.label === 'all' ? ' ports' : ''}${e.verdict === 'undefined' ? `: ${e.reason ?? 'undefined'}` : ''}`;
}

export interface GraphOptions {
  /** The width the graph has in the panel: a layout wider than this is repacked (`fitLayout`). */
  readonly width?: number;
  /** Group pairs (`from\u0000to`) whose aggregate the user expanded, and client groups' keys (`Bundle.key`). */
  readonly expanded?: ReadonlySet<string>;
  /** 1 = 100 %. */
  readonly zoom?: number;
}

/** A badge: its pill and its text, children of the node's group (no group of their own: two elements, not three). */
function badge(x: number, y: number, cls: string, text: string): VElement[] {
  return [
    h('rect', { class: `badge ${cls}`, x: String(x), y: String(y), width: String(BADGE_W), height: '16', rx: '8' }),
    h('text', { class: `badge ${cls}`, x: String(x + BADGE_W / 2), y: String(y + 12), 'text-anchor': 'middle' }, `${text} `),
  ];
}

function marker(verdict: string): string {
  return verdict === 'undefined' ? 'url(#arrow-undef)' : verdict === 'denied' ? 'url(#arrow-denied)' : 'url(#arrow)';
}

/**
 * One side of a junction's legs as one path (each leg a subpath starting with `M`, in the order of
 * `ends`); `ends` is written only when a leg is missing (an end without a box), so that the
 * subpaths' order is the ends' order without it.
 */
function legsPath(ends: readonly string[], lines: ReadonlyArray<Line | undefined>): { d: string; ends: string | undefined } {
  const drawnEnds: string[] = [];
  const ds: string[] = [];
  ends.forEach((id, k) => {
    const g = lines[k];
    if (g === undefined) return;
    drawnEnds.push(id);
    ds.push(g.d);
  });
  return { d: ds.join(' '), ends: drawnEnds.length === ends.length ? undefined : drawnEnds.join('\n') };
}

/**
 * The leg of workload `id` in a drawn client group (`bundle`, a `g.edge.bundle` element's
 * attributes and its legs' paths), drawn over the group's legs when that workload is hovered or
 * focused: its leg into the junction as a client, or out of it (with its arrow) as a destination.
 * Undefined when it has none drawn.
 */
export function litLeg(
  bundle: { readonly sources: readonly string[]; readonly targets: readonly string[]; readonly verdict: string },
  paths: { readonly in?: { d: string; ends: string | null }; readonly out?: { d: string; ends: string | null } },
  id: string,
): VElement | undefined {
  const asSource = bundle.sources.includes(id);
  const side = asSource ? paths.in : paths.out;
  if (side === undefined) return undefined;
  const ends = side.ends === null ? (asSource ? bundle.sources : bundle.targets) : side.ends.split('\n');
  const d = side.d.split(/(?=M)/)[ends.indexOf(id)]?.trim();
  if (d === undefined || d === '' || !ends.includes(id)) return undefined;
  return h('path', { class: 'leg line lit', 'data-leg': id, d, ...(asSource ? {} : { 'marker-end': marker(bundle.verdict) }) });
}

/**
 * A placed label of a connection (`of` = `e` and its `data-edge`) or an aggregate (`a` and its
 * `data-agg`), drawn in the labels' group after every line, junction and leg, so that no line is
 * drawn over it (a label's box is free of boxes and other labels, not of lines: a line under it
 * shows through its halo's gaps). Clicking or hovering it is clicking or hovering what it labels
 * (`labelOwner`).
 */
function placedLabel(of: string, at: Point, text: string): VElement {
  return h(
    'text',
    { class: 'edge-label', 'data-label-of': of, x: at.x.toFixed(1), y: (at.y - 3).toFixed(1), 'text-anchor': 'middle' },
    text,
  );
}

/** The connection or aggregate (`g.edge`) a placed label of the graph labels; null for any other element. */
export function labelOwner(el: Element): Element | null {
  const label = el.closest('text[data-label-of]');
  const of = label?.getAttribute('data-label-of');
  if (label === null || of === null || of === undefined || !/^[ea]\d+$/.test(of)) return null;
  const attr = of.startsWith('a') ? 'data-agg' : 'data-edge';
  return label.ownerDocument.querySelector(`svg.graph g.edge[${attr}="${of.slice(1)}"]`);
}

/** A junction with no room for its box anywhere is drawn as a knot this size. */
const KNOT = { width: 14, height: 14 } as const;

/** What `graphGeometry` places: the fitted layout, every line, junction and label. */
interface Geometry {
  readonly layout: PanelLayout;
  /** The drawn connections' lines, in `drawn` order. */
  readonly lines: ReadonlyArray<Line | undefined>;
  readonly aggLines: ReadonlyArray<{ readonly line: Line; readonly text: string; readonly at: Point } | undefined>;
  readonly placedJunctions: ReadonlyArray<{
    readonly id: string;
    readonly name: string | undefined;
    readonly lines: readonly string[];
    readonly box: LayoutBox;
    /** Drawn as a knot (no room for its box): no text, its name in its label. */
    readonly knot?: boolean;
  }>;
  /** The drawn connections' label places (empty without labels). */
  readonly places: ReadonlyArray<Point | undefined>;
  /** Each bundle's legs, into its junction from each source and out to each target. */
  readonly legs: ReadonlyArray<{ readonly into: ReadonlyArray<Line | undefined>; readonly out: ReadonlyArray<Line | undefined> }>;
}

/** Where a render placed its labels and junctions, by identity (`placesOf`), for the next render of another shape. */
interface Places {
  /** The fitted layout they were placed on (a junction stays only where its ends stayed). */
  readonly layout: PanelLayout;
  /** Edge labels by `drawnKey`, with the line they were placed on. */
  readonly labels: ReadonlyMap<string, { readonly d: string; readonly at: Point }>;
  /** Aggregate labels by `aggregateKey`. */
  readonly aggregates: ReadonlyMap<string, { readonly d: string; readonly at: Point }>;
  /** Junction boxes by each of their `junctionKeys`. */
  readonly junctions: ReadonlyMap<string, LayoutBox>;
}

/** The last render's geometry and what it was computed from (one graph per page). */
let lastGeometry: { readonly shape: Shape; readonly geometry: Geometry } | undefined;

/** What `graphGeometry` computes from. */
interface Shape {
  readonly width: number | undefined;
  readonly showLabels: boolean;
  readonly hostLayout: PanelLayout;
  /** The nodes' ids and groups (`nodeGroupsKey`). */
  readonly nodes: string;
  /** Each drawn connection's ends and label text. */
  readonly drawn: readonly string[];
  readonly bundles: readonly Bundle[];
  readonly junctionTexts: ReadonlyArray<readonly string[]>;
  /** Each aggregate's groups and count. */
  readonly aggregates: readonly string[];
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The same geometry: a bundle's key holds its label, verdict and clients (its sources). */
function sameShape(a: Shape, b: Shape): boolean {
  if (a.width !== b.width || a.showLabels !== b.showLabels || a.nodes !== b.nodes) return false;
  if (!sameStrings(a.drawn, b.drawn) || !sameStrings(a.aggregates, b.aggregates) || a.bundles.length !== b.bundles.length) return false;
  for (let i = 0; i < a.bundles.length; i++) {
    const x = a.bundles[i];
    const y = b.bundles[i];
    if (x === undefined || y === undefined || x.key !== y.key || !sameStrings(x.targets, y.targets)) return false;
    if (!sameStrings(a.junctionTexts[i] ?? [], b.junctionTexts[i] ?? [])) return false;
  }
  return sameLayout(a.hostLayout, b.hostLayout);
}

/** Forgets the last render's geometry (tests compare a reused geometry with a fresh one). */
export function forgetGeometry(): void {
  lastGeometry = undefined;
}

/** A drawn connection's ends and label text (its label's identity from one render to the next). */
function drawnKey(e: GraphEdge): string {
  return `${e.from}\u0000${e.to}\u0000${edgeText(e)}`;
}

/** An aggregate's groups and count (its label's identity). */
function aggregateKey(agg: Aggregate): string {
  return `${agg.fromGroup}\u0000${agg.toGroup}\u0000${agg.edges.length}`;
}

/**
 * The identities of a client group's junction, most exact first: its key (ports, verdict and
 * clients), then its ports, verdict and destinations (the same group after a client joined or left).
 */
function junctionKeys(bd: Bundle | undefined): readonly string[] {
  return bd === undefined ? [] : [`k${bd.key}`, `t${bd.label}\u0000${bd.verdict}\u0000${bd.targets.join('\u0000')}`];
}

/** The last render's places, by identity. */
function placesOf(shape: Shape, g: Geometry): Places {
  const labels = new Map<string, { readonly d: string; readonly at: Point }>();
  shape.drawn.forEach((k, i) => {
    const at = g.places[i];
    const d = g.lines[i]?.d;
    if (at !== undefined && d !== undefined) labels.set(k, { d, at });
  });
  const aggregates = new Map<string, { readonly d: string; readonly at: Point }>();
  shape.aggregates.forEach((k, i) => {
    const a = g.aggLines[i];
    if (a !== undefined) aggregates.set(k, { d: a.line.d, at: a.at });
  });
  const junctions = new Map<string, LayoutBox>();
  shape.bundles.forEach((bd, i) => {
    const box = g.placedJunctions[i]?.box;
    if (box === undefined) return;
    for (const k of junctionKeys(bd)) if (!junctions.has(k)) junctions.set(k, box);
  });
  return { layout: g.layout, labels, aggregates, junctions };
}

/**
 * The aggregates' labels and the junctions the last render placed that stay: the same line (a
 * label) or the same client group (a junction, centred where it was), overlapping nothing in
 * `index` nor kept before it (each kept one is added to `index`). Undefined entries are placed anew.
 */
function keptPlaces(
  previous: Places | undefined,
  index: BoxIndex,
  want: {
    readonly aggregates: ReadonlyArray<{ readonly key: string; readonly text: string; readonly d: string } | undefined>;
    readonly junctions: ReadonlyArray<
      { readonly keys: readonly string[]; readonly size: { width: number; height: number }; readonly ends: readonly string[] } | undefined
    >;
    /** The layout placed on: a junction stays only where its clients and destinations stayed. */
    readonly layout: PanelLayout;
  },
): { aggregates: Array<Point | undefined>; junctions: Array<LayoutBox | undefined> } {
  if (previous === undefined) return { aggregates: [], junctions: [] };
  const aggregates = want.aggregates.map((a) => {
    const was = a === undefined ? undefined : previous.aggregates.get(a.key);
    if (a === undefined || was === undefined || was.d !== a.d) return undefined;
    const at = placeLabelAt(a.text, [was.at], index, 4);
    if (at !== undefined) index.add(labelBox(a.text, at));
    return at;
  });
  const junctions = want.junctions.map((j) => {
    if (j === undefined) return undefined;
    const was = j.keys.map((k) => previous.junctions.get(k)).find((b) => b !== undefined);
    if (was === undefined || !j.ends.every((id) => sameBox(previous.layout.nodes[id], want.layout.nodes[id]))) return undefined;
    const box = centred(was, j.size);
    if (index.hits(box, 6)) return undefined;
    index.add(box);
    return box;
  });
  return { aggregates, junctions };
}

function sameBox(a: LayoutBox | undefined, b: LayoutBox | undefined): boolean {
  return a !== undefined && b !== undefined && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

/** The edge labels the last render placed on the same lines that stay there (`keptPlaces`, for labels). */
function keepLabels(
  previous: Places | undefined,
  index: BoxIndex,
  want: ReadonlyArray<{ readonly key: string; readonly text: string; readonly d: string } | undefined>,
): Array<Point | undefined> {
  if (previous === undefined) return [];
  return want.map((l) => {
    const was = l === undefined ? undefined : previous.labels.get(l.key);
    if (l === undefined || was === undefined || was.d !== l.d) return undefined;
    const at = placeLabelAt(l.text, [was.at], index);
    if (at !== undefined) index.add(labelBox(l.text, at));
    return at;
  });
}

/**
 * Where everything goes: the layout fitted to the width, each connection's line (the host's route,
 * a curve, an elbow round boxes, or round the namespaces between two namespaces), the aggregates'
 * lines, the junctions and every label where it overlaps nothing. A function of the shape alone
 * (renderGraph's key), so a render of the same shape reuses it.
 */
function graphGeometry(input: {
  readonly hostLayout: PanelLayout;
  readonly nodes: readonly PanelNode[];
  readonly drawn: readonly GraphEdge[];
  readonly bundles: readonly Bundle[];
  readonly aggregates: readonly Aggregate[];
  readonly junctionTexts: ReadonlyArray<readonly string[]>;
  readonly width: number | undefined;
  readonly refit: (width: number) => PanelLayout;
  readonly showLabels: boolean;
  readonly groupOf: (id: string) => string | undefined;
  /** Where the last render (of another shape) put its labels and junctions: kept there when still free. */
  readonly previous?: Places | undefined;
}): Geometry {
  const { hostLayout, nodes, drawn, bundles, aggregates, junctionTexts, showLabels, groupOf } = input;
  const layout = input.width === undefined ? hostLayout : input.refit(input.width);
  const previous = input.previous;
  // Routes by their first end, then their second: a junction's long id is hashed once, not per leg.
  const routesFrom = new Map<string, Map<string, readonly number[]>>();
  for (const [key, pts] of Object.entries(layout.routes ?? {})) {
    const cut = key.indexOf(ROUTE_SEP);
    const from = key.slice(0, cut);
    let to = routesFrom.get(from);
    if (to === undefined) routesFrom.set(from, (to = new Map()));
    to.set(key.slice(cut + ROUTE_SEP.length), pts);
  }
  // A connection inside a namespace goes the way the host's layout routed it, around the boxes
  // between; another one is a curve, or an elbow where the curve would cross a box.
  let nodeBoxes: BoxIndex | undefined;
  const boxesOfNodes = (): BoxIndex =>
    (nodeBoxes ??= new BoxIndex(nodes.flatMap((n) => (layout.nodes[n.id] === undefined ? [] : [layout.nodes[n.id] as LayoutBox]))));
  // Lanes of the channels beside the namespaces: one per aggregate, one per source of lines
  // between two namespaces' workloads (an ingress controller's lines run together).
  const lanesOf = new Map<string, number>();
  /** The lane of `key`, or the next one (taken with `take` once the line uses it). */
  const lane = (key: string): number => lanesOf.get(key) ?? lanesOf.size;
  const take = (key: string): void => {
    if (!lanesOf.has(key)) lanesOf.set(key, lanesOf.size);
  };
  /** Where the label of a line routed around namespaces goes, by the line. */
  const labelsAt = new Map<Line, readonly Point[]>();
  const usedGroups = new Set(nodes.map(groupOfNode));
  const groupBoxes = new Map(layout.groups.map((g) => [g.name, g] as const));
  const shownGroups = layout.groups.filter((g) => usedGroups.has(g.name));
  // The workload boxes of each namespace (a routed line's way out of its namespace crosses as few as it can).
  let byGroup: Map<string, LayoutBox[]> | undefined;
  const boxesIn = (group: string): readonly LayoutBox[] => {
    if (byGroup === undefined) {
      byGroup = new Map();
      for (const n of nodes) {
        const b = layout.nodes[n.id];
        if (b === undefined) continue;
        const list = byGroup.get(groupOfNode(n));
        if (list === undefined) byGroup.set(groupOfNode(n), [b]);
        else list.push(b);
      }
    }
    return byGroup.get(group) ?? [];
  };
  const line = (from: string, to: string, a: LayoutBox, b: LayoutBox, avoid = false, text = ''): Line => {
    const route = routesFrom.get(from)?.get(to);
    if (route !== undefined && route.length >= 4) return routedLine(route);
    const c = curveLine(a, b);
    // Junction legs (hundreds at 300 workloads) are not checked: their junction sits between their ends.
    if (!avoid) return c;
    const l = crossesBoxes(c, a, b, boxesOfNodes()) ? (elbowLine(a, b, boxesOfNodes()) ?? c) : c;
    // Between two namespaces, through a namespace between them (as drawn): around it instead.
    const ga = groupBoxes.get(groupOf(from) ?? '');
    const gb = groupBoxes.get(groupOf(to) ?? '');
    if (ga === undefined || gb === undefined || ga === gb || !crossesDrawn(l, shownGroups, ga, gb)) return l;
    const key = `from ${from}`;
    const around = aroundGroups(a, b, ga, gb, shownGroups, lane(key), layout.width, (x) => !crossesBoxes(x, a, b, boxesOfNodes()), text);
    if (around !== undefined && !crossesDrawn(around.line, shownGroups, ga, gb)) {
      take(key);
      labelsAt.set(around.line, around.labelAt);
      return around.line;
    }
    // No channel beside the namespaces between (a wide panel's rows, a workload deep in a grid):
    // through the gaps between the namespaces.
    const routed = corridorLine(
      { box: a, group: ga, inside: boxesIn(groupOf(from) ?? '') },
      { box: b, group: gb, inside: boxesIn(groupOf(to) ?? '') },
      shownGroups,
      layout,
      lane(key),
    );
    if (routed === undefined) return l;
    take(key);
    return routed;
  };
  const lines = drawn.map((e) => {
    const a = layout.nodes[e.from];
    const b = layout.nodes[e.to];
    return a === undefined || b === undefined ? undefined : line(e.from, e.to, a, b, true, edgeText(e));
  });
  // Labels where they overlap nothing: the node boxes (with their badges) and the labels placed before.
  const obstacles: LayoutBox[] = [];
  for (const n of nodes) {
    const b = layout.nodes[n.id];
    if (b !== undefined) obstacles.push({ x: b.x, y: b.y - 10, width: b.width, height: b.height + 10 });
  }
  for (const g of layout.groups) if (usedGroups.has(g.name)) obstacles.push({ x: g.x, y: g.y, width: g.name.length * 8 + 20, height: 26 });
  // A junction the host laid out stays there (its size from this render's text); others are placed here.
  const junctions = bundles.map((bd, i) => {
    const texts = junctionTexts[i] ?? [];
    const size = junctionSize(texts);
    const id = junctionId(bd.key);
    const laid = layout.nodes[id];
    return { id, name: texts[0], lines: texts, size, box: laid === undefined ? undefined : centred(laid, size) };
  });
  for (const j of junctions) if (j.box !== undefined) obstacles.push(j.box);
  const index = new BoxIndex(obstacles);
  // An aggregate between two namespaces goes around the namespaces between them (a channel
  // beside them; in a narrow panel the gutter fitLayout keeps left of the column), its label
  // first where it overlaps nothing: beside the channel, in a gap between two namespaces.
  const aggRoutes = aggregates.map((agg, i) => {
    const a = groupBoxes.get(agg.fromGroup);
    const b = groupBoxes.get(agg.toGroup);
    if (a === undefined || b === undefined) return undefined;
    const text = `${agg.edges.length} connections`;
    const key = `aggregate ${i}`;
    let gl = groupLine(a, b, shownGroups, lane(key), text, layout.width);
    // No channel beside the namespaces between them: through the gaps between the namespaces.
    if (crossesDrawn(gl.line, shownGroups, a, b)) {
      const routed = corridorLine({ box: a }, { box: b }, shownGroups, layout, lane(key));
      if (routed !== undefined) gl = { line: routed, routed: true, labelAt: CORRIDOR_LABEL_AT.map((t) => routed.at(t)) };
    }
    if (gl.routed) take(key);
    return { gl, text, key: aggregateKey(agg) };
  });
  // No label over an arrowhead (a short line's label was drawn touching its own).
  for (const l of lines) if (l !== undefined) index.add(arrowBox(l));
  for (const r of aggRoutes) if (r !== undefined) index.add(arrowBox(r.gl.line));
  // After an edit, what the last render placed stays where it was when that place is still free
  // (the same line, overlapping nothing kept before it); the rest is placed around it as usual.
  const kept = keptPlaces(previous, index, {
    aggregates: aggRoutes.map((r) => (r === undefined ? undefined : { key: r.key, text: r.text, d: r.gl.line.d })),
    junctions: junctions.map((j, i) => {
      const bd = bundles[i];
      return j.box !== undefined || bd === undefined
        ? undefined
        : { keys: junctionKeys(bd), size: j.size, ends: [...bd.sources, ...bd.targets] };
    }),
    layout,
  });
  const aggLines = aggRoutes.map((r, i) => {
    if (r === undefined) return undefined;
    const { gl, text } = r;
    // Beside the channel; else on the line itself where it overlaps nothing; else where it must.
    const at =
      kept.aggregates[i] ??
      placeLabelAt(text, gl.labelAt, index, 4) ??
      placeLabelAt(text, aroundLine(gl.line, labelBox(text, { x: 0, y: 0 }).width), index) ??
      gl.labelAt[0] ??
      gl.line.at(0.5);
    if (kept.aggregates[i] === undefined) index.add(labelBox(text, at));
    return { line: gl.line, text, at };
  });
  // A panel wider than the drawing (a graph fitted to its height): a junction with no free place
  // inside the drawing may go beside it; the drawing then gets wider, never taller.
  // (A box may end 8 px past the room it is given, into the drawing's margin: given 8 px less, the
  // drawing stays within the width it is fitted to.)
  const room = input.width !== undefined && input.width - 8 > layout.width ? { width: input.width - 8, height: layout.height } : undefined;
  const placedJunctions = junctions.map((j, i) => {
    const bd = bundles[i];
    if (j.box !== undefined || bd === undefined) return { ...j, box: j.box ?? { x: 0, y: 0, width: 0, height: 0 } };
    const keptBox = kept.junctions[i];
    if (keptBox !== undefined) return { ...j, box: keptBox };
    const boxes = (ids: readonly string[]): LayoutBox[] => ids.map((id) => layout.nodes[id]).filter((b): b is LayoutBox => b !== undefined);
    const box = placeJunction(boxes(bd.sources), boxes(bd.targets), j.size, index, layout, room);
    // No free place for its box anywhere (a first paint's tight grids in a narrow panel): a knot
    // where one fits, its text in its label and tooltip, rather than a box over a workload.
    const knot = index.hits(box) ? placeJunction(boxes(bd.sources), boxes(bd.targets), KNOT, index, layout, room) : undefined;
    if (knot !== undefined && !index.hits(knot)) {
      index.add(knot);
      return { ...j, box: knot, lines: [], knot: true };
    }
    index.add(box);
    return { ...j, box };
  });
  const legs = bundles.map((bd, i) => {
    const j = placedJunctions[i];
    if (j === undefined) return { into: [], out: [] };
    const into = bd.sources.map((id) => {
      const a = layout.nodes[id];
      return a === undefined ? undefined : line(id, j.id, a, j.box);
    });
    const out = bd.targets.map((id) => {
      const b = layout.nodes[id];
      return b === undefined ? undefined : line(j.id, id, j.box, b);
    });
    return { into, out };
  });
  // Nor over a client group's arrowheads.
  for (const l of legs) for (const g of l.out) if (g !== undefined) index.add(arrowBox(g));
  // A fan (one source, the same ports, FAN_MIN destinations or more: an ingress controller's
  // backends) carries its label once, near the source where its lines still run together.
  const fanKey = (e: GraphEdge): string => `${e.from}\u0000${edgeText(e)}`;
  const fanSize = new Map<string, number>();
  for (const e of drawn) fanSize.set(fanKey(e), (fanSize.get(fanKey(e)) ?? 0) + 1);
  const fanLabelled = new Set<string>();
  const items = drawn.map((e, i) => {
    const g = lines[i];
    if (g === undefined) return { text: '', p: { x: 0, y: 0 }, q: { x: 0, y: 0 }, skip: true };
    const k = fanKey(e);
    const beside = labelsAt.get(g);
    const at = beside === undefined ? {} : { labelAt: beside };
    // The line's ends and its way (a Line's `at` is a method: not copied by a spread).
    const way = { p: g.p, q: g.q, at: (t: number): Point => g.at(t) };
    if ((fanSize.get(k) ?? 0) < FAN_MIN) return { text: edgeText(e), ...way, ...at };
    if (fanLabelled.has(k)) return { text: edgeText(e), ...way, skip: true };
    fanLabelled.add(k);
    return { text: edgeText(e), ...way, near: 'source' as const, ...at };
  });
  const keptLabels = showLabels
    ? keepLabels(
        previous,
        index,
        drawn.map((e, i) => (items[i]?.skip === true ? undefined : { key: drawnKey(e), text: edgeText(e), d: lines[i]?.d ?? '' })),
      )
    : [];
  const places = showLabels
    ? placeLabels(
        items.map((it, i) => (keptLabels[i] !== undefined ? { ...it, skip: true } : it)),
        index,
      ).map((p, i) => keptLabels[i] ?? p)
    : [];
  // A junction may end 8 px past the layout, in the drawing's margin; past that (beside it), the drawing is wider.
  const right = Math.max(layout.width, ...placedJunctions.map((j) => j.box.x + j.box.width - 8));
  return { layout: right > layout.width ? { ...layout, width: Math.ceil(right) } : layout, lines, aggLines, placedJunctions, places, legs };
}

export function renderGraph(
  hostLayout: PanelLayout,
  nodes: readonly PanelNode[],
  edges: readonly GraphEdge[],
  highlighted: ReadonlySet<string>,
  selectedNode: string | undefined,
  selectedEdge: string | undefined,
  options: GraphOptions = {},
): GraphRender {
  const visible = new Set(nodes.map((n) => n.id));
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  // Once per node a render (a client group's label names every client).
  const wordsOf = new Map<string, string>();
  const words = (id: string): string => {
    let w = wordsOf.get(id);
    if (w === undefined) wordsOf.set(id, (w = idWords(byId, id)));
    return w;
  };
  const open = openness(nodes);
  let candidates = edges.filter(
    (e) =>
      e.from !== e.to &&
      visible.has(e.from) &&
      visible.has(e.to) &&
      hostLayout.nodes[e.from] !== undefined &&
      hostLayout.nodes[e.to] !== undefined,
  );
  const before = candidates.length;
  candidates = candidates.filter((e) => !impliedByBadges(e, byId, open));
  const byBadges = before - candidates.length;
  const groupOf = (id: string): string | undefined => {
    const n = byId.get(id);
    return n === undefined ? undefined : groupOfNode(n);
  };
  const expanded = options.expanded ?? new Set<string>();
  const { single: ungrouped, aggregates } = aggregate(candidates, groupOf, expanded, selectedNode);
  const { single, bundles } = bundleClients(ungrouped, (id) => byId.get(id)?.entry === true, expanded, selectedNode);
  let drawn = single;
  let note: string | undefined;
  if (drawn.length > EDGE_DRAW_LIMIT) {
    const total = drawn.length;
    drawn = selectedNode === undefined ? [] : drawn.filter((e) => e.from === selectedNode || e.to === selectedNode);
    note =
      selectedNode === undefined
        ? `${total} connections: select a workload, or filter, to draw its connections.`
        : `${total} connections: only those of the selected workload are drawn.`;
  }
  // Fitted to the panel's width, knowing the lines drawn (those between two chunks of a folded namespace go round).
  const pairs = [
    ...drawn.map((e) => [e.from, e.to] as const),
    ...bundles.flatMap((bd) => {
      const j = junctionId(bd.key);
      return [...bd.sources.map((id) => [id, j] as const), ...bd.targets.map((id) => [j, id] as const)];
    }),
  ];
  const groupPairs = aggregates.map((agg) => [agg.fromGroup, agg.toGroup] as const);
  const refit = (width: number): PanelLayout => fitLayout(hostLayout, nodes, width, pairs, groupPairs);
  const showLabels = drawn.length <= LABEL_LIMIT;
  // The geometry (the fitted layout, every line, junction and label placed) is the last render's
  // when what it is computed from is the same: an edit that changes verdicts or reasons, not what
  // is drawn where, or a hover or a selection that groups nothing differently.
  const junctionTexts = bundles.map((bd) => junctionLines(bd, byId));
  // What the geometry is computed from, compared with the last render's without building keys (a
  // 300-workload graph's client groups name thousands of clients).
  const shape: Shape = {
    width: options.width,
    showLabels,
    hostLayout,
    nodes: nodeGroupsKey(nodes),
    drawn: drawn.map(drawnKey),
    bundles,
    junctionTexts,
    aggregates: aggregates.map(aggregateKey),
  };
  const last = lastGeometry;
  const reusedGeometry = last !== undefined && sameShape(shape, last.shape);
  // Another shape at the same width: what stays is placed where the last render put it.
  const previous =
    last !== undefined && !reusedGeometry && last.shape.width === options.width ? placesOf(last.shape, last.geometry) : undefined;
  const geo = reusedGeometry
    ? last.geometry
    : graphGeometry({
        hostLayout,
        nodes,
        drawn,
        bundles,
        aggregates,
        junctionTexts,
        width: options.width,
        refit,
        showLabels,
        groupOf,
        previous,
      });
  lastGeometry = { shape, geometry: geo };
  const { layout, lines: geometry, aggLines, placedJunctions, places, legs } = geo;
  const usedGroups = new Set(nodes.map(groupOfNode));
  const groups = layout.groups
    .filter((g) => usedGroups.has(g.name))
    .map((g) =>
      h(
        'g',
        { class: 'group', 'data-ns': g.name },
        h('rect', { x: String(g.x), y: String(g.y), width: String(g.width), height: String(g.height), rx: '6' }),
        // Its baseline 15 px down: the text ends above the badges of the workloads under it (19 px down).
        h('text', { x: String(g.x + 10), y: String(g.y + GROUP_LABEL_BASELINE), class: 'group-label' }, g.name),
      ),
    );
  // Every placed label is drawn after every line (`placedLabel`): no line drawn later crosses it.
  const labelEls: VElement[] = [];
  const edgeEls = drawn.map((e, i) => {
    const g = geometry[i];
    if (g === undefined) return undefined;
    const placedAt = places[i];
    if (placedAt !== undefined) labelEls.push(placedLabel(`e${i}`, placedAt, edgeText(e)));
    const at = g.at(0.5);
    const key = `${e.from} -> ${e.to}`;
    const cls = [
      'edge',
      e.verdict,
      highlighted.has(e.from) || highlighted.has(e.to) ? 'hl' : '',
      selectedEdge === `${key}|${e.verdict}` ? 'selected' : '',
      places[i] !== undefined ? 'labelled' : '',
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
      h('path', { class: 'hit', d: g.d }),
      h('path', { class: 'line', d: g.d, 'marker-end': marker(e.verdict) }),
      // A connection whose label has no free place: shown on hover and focus, at its middle.
      placedAt === undefined
        ? h('text', { class: 'edge-label', x: at.x.toFixed(1), y: (at.y - 3).toFixed(1), 'text-anchor': 'middle' }, edgeText(e))
        : undefined,
    );
  });
  const aggEls = aggregates.map((agg, i) => {
    const placed = aggLines[i];
    if (placed === undefined) return undefined;
    const { line: g, text, at } = placed;
    labelEls.push(placedLabel(`a${i}`, at, text));
    const label = `${agg.edges.length} connections from ${agg.fromGroup} to ${agg.toGroup}: select to draw them one by one`;
    return h(
      'g',
      {
        class: `edge aggregate ${agg.verdict === 'mixed' ? 'allowed' : agg.verdict} labelled`,
        tabindex: '0',
        role: 'button',
        'aria-label': label,
        'data-agg': String(i),
        'data-from-group': agg.fromGroup,
        'data-to-group': agg.toGroup,
      },
      h('path', { class: 'hit', d: g.d }),
      h('path', { class: 'line', d: g.d, 'marker-end': marker(agg.verdict === 'mixed' ? 'allowed' : agg.verdict) }),
    );
  });
  // A client group's legs and its junction are drawn apart: every group's legs first, then every
  // junction over them, so no other group's leg crosses a junction's name and ports (a namespace
  // drawn as a grid has rows of junctions under its workloads, their legs running between them).
  const legEls: Array<VElement | undefined> = [];
  const bundleEls = bundles.map((bd, i) => {
    const j = placedJunctions[i];
    if (j === undefined) return undefined;
    const label = `${j.name} (${bd.sources.map(words).join(', ')}) to ${bd.targets.map(words).join(', ')}: ${bundleText(bd)}${bd.label === 'all' ? ' ports' : ''}; select to draw them one by one`;
    // Each side's legs as one path, the arrowheads as another (no hit paths: a leg is not selected
    // on its own, the junction is): three elements per junction, not one per leg (1,876 legs at 300
    // workloads). Hovering a workload draws its own leg over them (`litLeg`).
    const into = legsPath(bd.sources, legs[i]?.into ?? []);
    const out = legsPath(bd.targets, legs[i]?.out ?? []);
    const heads = (legs[i]?.out ?? []).flatMap((g) => (g === undefined ? [] : [arrowHead(g)])).join(' ');
    const hl = bd.sources.some((id) => highlighted.has(id)) || bd.targets.some((id) => highlighted.has(id));
    legEls.push(
      h(
        'g',
        { class: `edge bundle-legs ${bd.verdict}${hl ? ' hl' : ''}`, 'data-legs-of': String(i), 'aria-hidden': 'true' },
        into.d === '' ? undefined : h('path', { class: 'legs line', 'data-side': 'in', d: into.d, 'data-ends': into.ends }),
        out.d === '' ? undefined : h('path', { class: 'legs line', 'data-side': 'out', d: out.d, 'data-ends': out.ends }),
        heads === '' ? undefined : h('path', { class: `legs heads arrow ${bd.verdict}`, 'data-side': 'out', d: heads }),
      ),
    );
    return h(
      'g',
      {
        class: `edge bundle ${bd.verdict}${hl ? ' hl' : ''}`,
        tabindex: '0',
        role: 'button',
        'aria-label': label,
        'data-bundle': String(i),
        'data-sources': bd.sources.join('\n'),
        'data-targets': bd.targets.join('\n'),
      },
      // The junction: its box and its lines.
      h('rect', {
        class: 'junction',
        x: String(j.box.x),
        y: String(j.box.y),
        width: String(j.box.width),
        height: String(j.box.height),
        rx: j.knot === true ? String(KNOT.width / 2) : '10',
        ...(j.knot === true ? { 'data-knot': '' } : {}),
      }),
      j.lines.map((t, k) =>
        h(
          'text',
          { class: 'junction', x: String(j.box.x + j.box.width / 2), y: String(j.box.y + 15 + k * 15), 'text-anchor': 'middle' },
          t,
        ),
      ),
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
    const badges = [
      open.openIn.has(n.id) ? badge(b.x + b.width - 2 * BADGE_W - 4, b.y - 9, 'open-in', OPEN_IN_TEXT) : undefined,
      open.openOut.has(n.id) ? badge(b.x + b.width - BADGE_W, b.y - 9, 'open-out', OPEN_OUT_TEXT) : undefined,
    ];
    return h(
      'g',
      {
        class: cls,
        tabindex: '0',
        role: 'button',
        'aria-label': nodeAriaLabel(n, badgeTexts(n, open)),
        'data-node': n.id,
        'data-group': groupOfNode(n),
        'data-x': String(b.x),
        'data-y': String(b.y),
        'data-w': String(b.width),
        'data-h': String(b.height),
      },
      h('rect', { x: String(b.x), y: String(b.y), width: String(b.width), height: String(b.height), rx: '4' }),
      // Its name, and its kind when it is not a Deployment's: a tspan each only when there are two.
      nodeTag(n) === ''
        ? h('text', { class: 'node-name', x: String(b.x + 9), y: String(b.y + b.height / 2 + 4) }, `${nodeName(n)} `)
        : h(
            'text',
            { x: String(b.x + 9), y: String(b.y + b.height / 2 + 4) },
            h('tspan', { class: 'node-name' }, `${nodeName(n)} `),
            h('tspan', { class: 'node-kind' }, `${nodeTag(n)} `),
          ),
      badges.flatMap((x) => x ?? []),
    );
  });
  const zoom = options.zoom ?? 1;
  const w = Math.ceil(layout.width + 20);
  const ht = Math.ceil(layout.height + 30);
  const arrow = (id: string, cls: string): VElement =>
    h(
      'marker',
      {
        id,
        viewBox: '0 0 10 10',
        refX: '10',
        refY: '5',
        markerUnits: 'userSpaceOnUse',
        markerWidth: '10',
        markerHeight: '10',
        orient: 'auto-start-reverse',
      },
      h('path', { class: `arrow ${cls}`, d: 'M0,0 L10,5 L0,10 z' }),
    );
  const tree = h(
    'svg',
    {
      class: 'graph',
      width: String(Math.ceil(w * zoom)),
      height: String(Math.ceil(ht * zoom)),
      viewBox: `-10 -20 ${w} ${ht}`,
      role: 'group',
      'data-zoom': String(zoom),
      'aria-label': `Reachability graph: ${nodes.length} nodes, ${drawn.length + aggregates.length + bundles.length} connections drawn`,
    },
    h('defs', {}, arrow('arrow', 'allowed'), arrow('arrow-undef', 'undefined'), arrow('arrow-denied', 'denied')),
    h('g', { class: 'groups' }, groups),
    h(
      'g',
      { class: 'edges' },
      edgeEls.filter((x): x is VElement => x !== undefined),
      aggEls.filter((x): x is VElement => x !== undefined),
      legEls.filter((x): x is VElement => x !== undefined),
      bundleEls.filter((x): x is VElement => x !== undefined),
    ),
    h('g', { class: 'labels' }, labelEls),
    h(
      'g',
      { class: 'nodes' },
      nodeEls.filter((x): x is VElement => x !== undefined),
    ),
  );
  return {
    tree,
    refit,
    drawn,
    lines: geometry,
    aggregates,
    aggregateLines: aggLines.map((l) => l?.line),
    bundles,
    byBadges,
    layout,
    note,
    reusedGeometry,
    nodeTip: (id) => {
      const n = byId.get(id);
      return n === undefined ? undefined : nodeTip(n, open);
    },
  };
}

function nodeTip(n: PanelNode, open: Openness): string {
  return [
    `${n.kind} ${nodeWords(n)}`,
    ...Object.entries(n.labels).map(([k, v]) => `${k}=${v}`),
    open.openIn.has(n.id)
      ? `${OPEN_IN_TEXT}: no NetworkPolicy isolates its ingress (its incoming connections on every port are not drawn)`
      : '',
    open.openOut.has(n.id)
      ? `${OPEN_OUT_TEXT}: no NetworkPolicy isolates its egress (its outgoing connections on every port are not drawn)`
      : '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}
