/**
 * What the graph draws, decided before drawing (pure, tested in Node): the connections a badge
 * stands for instead of an edge (a workload open to everything), the connections between two
 * namespaces drawn as one edge when a pair has many, and the client groups (all three in
 * protocol/graphGroups.ts, shared with the host's layout); the groups repacked into a narrow
 * panel, a client group's junction placed where the host's layout has none, and edge labels
 * placed where they overlap no other label and no box.
 */

import { ROUTE_SEP, groupOfNode, isJunctionId } from '../protocol/graphGroups.js';
import type { LayoutBox, PanelLayout, PanelNode } from '../protocol/panel.js';
import { foldGroup } from './fold.js';
import { FreeSpace } from './freeSpace.js';
import { aroundGroups, crossesAny, curveCrossesAny, groupLine, gutterFor } from './groupLines.js';
import { arrowPoints, onCurve, routedLine, type Line, type Point } from './lines.js';

export { curveLine, routedLine, type Line, type Point } from './lines.js';

export {
  AGGREGATE_MIN,
  BUNDLE_MIN_EDGES,
  aggregate,
  bundleClients,
  bundleName,
  groupOfNode,
  impliedByBadges,
  openness,
  type Aggregate,
  type Bundle,
  type Openness,
} from '../protocol/graphGroups.js';

const GAP = 32;
/** Label geometry at 12 px: average glyph width and the box height. */
const CHAR_W = 7;
const LABEL_H = 16;

/**
 * The host's layout fitted to a panel `width` wide: a namespace wider than that is folded into it
 * (webview/fold.ts: its layers cut into chunks stacked one under another, `pairs` being the
 * connections drawn, so that those between two chunks go round); then, when the groups' rows are
 * wider, the groups are shelf-packed again into rows that fit (a narrow panel gets one column),
 * each group's nodes (and client-group junctions) and routes moving with it. A layout that fits
 * is returned as it is.
 */
export function fitLayout(
  layout: PanelLayout,
  nodes: readonly PanelNode[],
  width: number,
  pairs: ReadonlyArray<readonly [string, string]> = [],
  groupPairs: ReadonlyArray<readonly [string, string]> = [],
): PanelLayout {
  if (layout.width <= width) return layout;
  const fitted = packGroups(layout, nodes, width, pairs);
  // Lines between two namespaces (aggregates) that would cross a namespace between them and have
  // no channel beside the column: packed again narrower, with a gutter on the left for them.
  const boxes = new Map(fitted.groups.map((g) => [g.name, g] as const));
  let lanes = 0;
  for (const [from, to] of groupPairs) {
    const a = boxes.get(from);
    const b = boxes.get(to);
    if (a === undefined || b === undefined) continue;
    const gl = groupLine(a, b, fitted.groups, lanes, '', fitted.width);
    if (!gl.routed && crossesAny(gl.line, fitted.groups, a, b)) lanes++;
  }
  // And the lines between two namespaces' workloads that cross a namespace between them (one lane
  // per source: an ingress controller's lines run together).
  const groupOfId = new Map(nodes.map((n) => [n.id, groupOfNode(n)] as const));
  const sources = new Set<string>();
  for (const [from, to] of pairs) {
    const fa = groupOfId.get(from);
    const fb = groupOfId.get(to);
    const a = fitted.nodes[from];
    const b = fitted.nodes[to];
    const ga = fa === undefined ? undefined : boxes.get(fa);
    const gb = fb === undefined ? undefined : boxes.get(fb);
    if (sources.has(from) || a === undefined || b === undefined || ga === undefined || gb === undefined || ga === gb) continue;
    if (!curveCrossesAny(a, b, fitted.groups, ga, gb)) continue;
    if (aroundGroups(a, b, ga, gb, fitted.groups, 0, fitted.width, () => true, '') === undefined) sources.add(from);
  }
  lanes += sources.size;
  if (lanes === 0) return fitted;
  const gutter = gutterFor(lanes);
  const narrower = packGroups(layout, nodes, width - gutter, pairs);
  const moved = (b: LayoutBox): LayoutBox => ({ ...b, x: b.x + gutter });
  return {
    width: narrower.width + gutter,
    height: narrower.height,
    groups: narrower.groups.map((g) => ({ ...g, x: g.x + gutter })),
    nodes: Object.fromEntries(Object.entries(narrower.nodes).map(([id, b]) => [id, moved(b)])),
    ...(narrower.routes !== undefined
      ? {
          routes: Object.fromEntries(
            Object.entries(narrower.routes).map(([k, pts]) => [k, pts.map((v, i) => (i % 2 === 0 ? v + gutter : v))]),
          ),
        }
      : {}),
  };
}

/** What packing reads of a host layout and its nodes, whatever the width it is fitted to. */
interface LayoutMembers {
  readonly nodes: readonly PanelNode[];
  /** Each namespace's members: its workloads, then the client groups' junctions inside its box. */
  readonly members: ReadonlyMap<string, readonly string[]>;
  /** The namespace of each member. */
  readonly groupOf: ReadonlyMap<string, string>;
  /** Each namespace's routes, by the member they start from (in the layout's order). */
  readonly routes: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;
}

/** Per host layout (and its nodes): fitting one layout to several widths (zoomToFit's bisection, then the render) sorts its members once. */
const membersOf = new WeakMap<PanelLayout, LayoutMembers>();

function layoutMembers(layout: PanelLayout, nodes: readonly PanelNode[]): LayoutMembers {
  const kept = membersOf.get(layout);
  if (kept !== undefined && kept.nodes === nodes) return kept;
  const members = new Map<string, string[]>();
  for (const n of nodes) {
    if (layout.nodes[n.id] === undefined) continue;
    const g = groupOfNode(n);
    const list = members.get(g);
    if (list === undefined) members.set(g, [n.id]);
    else list.push(n.id);
  }
  // A client group's junction moves with the group box it lies in.
  for (const [id, b] of Object.entries(layout.nodes)) {
    if (!isJunctionId(id)) continue;
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    const g = layout.groups.find((x) => cx >= x.x && cx <= x.x + x.width && cy >= x.y && cy <= x.y + x.height);
    if (g === undefined) continue;
    const list = members.get(g.name);
    if (list === undefined) members.set(g.name, [id]);
    else list.push(id);
  }
  const groupOf = new Map<string, string>();
  for (const [g, ids] of members) for (const id of ids) if (!groupOf.has(id)) groupOf.set(id, g);
  const routes = new Map<string, Map<string, readonly number[]>>();
  for (const [key, pts] of Object.entries(layout.routes ?? {})) {
    const g = groupOf.get(key.slice(0, key.indexOf(ROUTE_SEP)));
    if (g === undefined) continue;
    let m = routes.get(g);
    if (m === undefined) routes.set(g, (m = new Map()));
    m.set(key, pts);
  }
  const out = { nodes, members, groupOf, routes };
  membersOf.set(layout, out);
  return out;
}

/** A fitted layout's size: what zoomToFit's bisection reads of a fit. */
interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * The size of `fitLayout(layout, nodes, width)` (no connections: no gutter), without placing a
 * box: the namespaces folded and packed into rows as packGroups does, the boxes and routes of
 * the namespaces that move left where they were. zoomToFit's bisection fits one layout to three
 * to five widths and reads only this of each.
 */
function fittedSize(layout: PanelLayout, nodes: readonly PanelNode[], width: number): Size {
  return layout.width <= width ? layout : packGroups(layout, nodes, width, [], true);
}

/** fitLayout without the gutter: namespaces folded, then packed into rows `width` wide. */
function packGroups(
  layout: PanelLayout,
  nodes: readonly PanelNode[],
  width: number,
  pairs: ReadonlyArray<readonly [string, string]>,
): PanelLayout;
/** Only the size of the packing (`fittedSize`). */
function packGroups(
  layout: PanelLayout,
  nodes: readonly PanelNode[],
  width: number,
  pairs: ReadonlyArray<readonly [string, string]>,
  sizeOnly: true,
): Size;
function packGroups(
  layout: PanelLayout,
  nodes: readonly PanelNode[],
  width: number,
  pairs: ReadonlyArray<readonly [string, string]>,
  sizeOnly = false,
): PanelLayout | Size {
  const { members, groupOf, routes: routesByGroup } = layoutMembers(layout, nodes);
  // Sized only: no box or route is copied, moved or kept (the namespaces' folded sizes are read).
  const boxes: Record<string, LayoutBox> = sizeOnly ? {} : { ...layout.nodes };
  const routes: Record<string, readonly number[]> = sizeOnly ? {} : { ...layout.routes };
  // For the namespaces to fold: the pairs between two of its members, sorted out in one pass (in
  // their order), not once per namespace.
  let folding:
    | { routes: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>; pairs: Map<string, Array<readonly [string, string]>> }
    | undefined;
  const toFold = (): NonNullable<typeof folding> => {
    if (folding !== undefined) return folding;
    const pairsIn = new Map<string, Array<readonly [string, string]>>();
    for (const pair of pairs) {
      const g = groupOf.get(pair[0]);
      if (g === undefined || groupOf.get(pair[1]) !== g) continue;
      const list = pairsIn.get(g);
      if (list === undefined) pairsIn.set(g, [pair]);
      else list.push(pair);
    }
    return (folding = { routes: routesByGroup, pairs: pairsIn });
  };
  // Namespaces wider than the panel folded first (in place: the packing below moves them).
  const groupList = layout.groups.map((g) => {
    const ids = members.get(g.name) ?? [];
    if (g.width <= width || ids.length === 0) return g;
    const { routes: routesOf, pairs: pairsOf } = toFold();
    const folded = foldGroup(
      g,
      new Map(ids.flatMap((id) => (layout.nodes[id] === undefined ? [] : [[id, layout.nodes[id]] as const]))),
      routesOf.get(g.name) ?? new Map(),
      pairsOf.get(g.name) ?? [],
      width,
    );
    if (folded === undefined) return g;
    if (!sizeOnly) {
      Object.assign(boxes, folded.nodes);
      Object.assign(routes, folded.routes);
    }
    return { ...g, width: folded.width, height: folded.height };
  });
  const order = [...groupList].sort((a, b) => a.y - b.y || a.x - b.x);
  const groups: Array<LayoutBox & { name: string }> = [];
  const shift = new Map<string, { dx: number; dy: number }>();
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
    if (!sizeOnly) groups.push({ ...g, x, y });
    // A namespace that stays where it was keeps its boxes and routes as they are.
    if (!sizeOnly && (dx !== 0 || dy !== 0))
      for (const id of members.get(g.name) ?? []) {
        const b = boxes[id];
        if (b !== undefined) boxes[id] = { ...b, x: b.x + dx, y: b.y + dy };
        shift.set(id, { dx, dy });
      }
    x += g.width + GAP;
    rowHeight = Math.max(rowHeight, g.height);
    right = Math.max(right, x - GAP);
  }
  if (sizeOnly) return { width: right, height: y + rowHeight };
  // A route lies inside one group: it moves with the box it starts from.
  for (const [key, pts] of Object.entries(routes)) {
    const d = shift.get(key.slice(0, key.indexOf(ROUTE_SEP)));
    if (d !== undefined) routes[key] = pts.map((v, i) => v + (i % 2 === 0 ? d.dx : d.dy));
  }
  const hasRoutes = layout.routes !== undefined || Object.keys(routes).length > 0;
  return { width: right, height: y + rowHeight, groups, nodes: boxes, ...(hasRoutes ? { routes } : {}) };
}

/** The layout width a graph `width` px wide at `zoom` is fitted to (the drawing has a 20 px margin). */
export function renderWidth(width: number, zoom: number): number {
  return Math.max(120, Math.floor((width - 2) / zoom) - 20);
}

/**
 * The largest zoom, from `ceiling` (100 %) down to `floor` in 5 % steps, at which the layout fitted to the
 * panel's width (`renderWidth`: narrower the larger the zoom, so its namespaces fold more) fits
 * `width` and `height`; `floor` when none does (the graph then scrolls down, never sideways).
 * Found by bisection over the steps (a smaller zoom fits at least as well), so a 300-workload
 * graph is fitted three to five times, not up to fifteen. `fit` fits the layout to a width (a
 * render's `refit`, which knows the lines drawn and so the gutter they need).
 */
export function zoomToFit(
  layout: PanelLayout,
  nodes: readonly PanelNode[],
  width: number,
  height: number,
  floor: number,
  ceiling = 1,
  fit?: (width: number) => Size,
): number {
  // Fitted with the layout alone (no render's lines), the zoom is a function of the layout, the
  // nodes' groups and the sizes: an update that changes connections, not the layout, gets the
  // last answer without fitting the layout again.
  const key = fit === undefined ? `${width} ${height} ${floor} ${ceiling}\u0001${nodeGroupsKey(nodes)}` : undefined;
  const last = lastZoomFit;
  if (key !== undefined && last !== undefined && last.key === key && sameLayout(layout, last.layout)) return last.zoom;
  // Without a render's lines, fitLayout is packGroups (no gutter), of which the bisection reads the size.
  const zoom = bisectZoom(width, height, floor, ceiling, fit ?? ((w) => fittedSize(layout, nodes, w)));
  if (key !== undefined) lastZoomFit = { key, layout, zoom };
  return zoom;
}

/** The last zoom `zoomToFit` found without a render's `fit`, and what it was found for (one graph per page). */
let lastZoomFit: { readonly key: string; readonly layout: PanelLayout; readonly zoom: number } | undefined;

/** The nodes' ids and groups, as one string (what fitting a layout reads of them). */
export function nodeGroupsKey(nodes: readonly PanelNode[]): string {
  let out = '';
  for (const n of nodes) out += `${n.id}\u0000${groupOfNode(n)}\u0001`;
  return out;
}

/** Whether two layouts are the same (a model rebuilt from a delta has a new object for an unchanged layout). */
export function sameLayout(a: PanelLayout, b: PanelLayout): boolean {
  if (a === b) return true;
  if (a.width !== b.width || a.height !== b.height || a.groups.length !== b.groups.length) return false;
  const box = (x: LayoutBox | undefined, y: LayoutBox | undefined): boolean =>
    x !== undefined && y !== undefined && x.x === y.x && x.y === y.y && x.width === y.width && x.height === y.height;
  for (let i = 0; i < a.groups.length; i++) {
    const g = a.groups[i];
    const h = b.groups[i];
    if (g === undefined || h === undefined || g.name !== h.name || !box(g, h)) return false;
  }
  const ids = Object.keys(a.nodes);
  if (ids.length !== Object.keys(b.nodes).length) return false;
  for (const id of ids) if (!box(a.nodes[id], b.nodes[id])) return false;
  const ra = a.routes ?? {};
  const rb = b.routes ?? {};
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length) return false;
  for (const k of keys) {
    const p = ra[k];
    const q = rb[k];
    if (p === undefined || q === undefined || p.length !== q.length) return false;
    for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false;
  }
  return true;
}

/** Forgets the last zoom found (tests compare a reused answer with a fresh one). */
export function forgetZoomFit(): void {
  lastZoomFit = undefined;
}

function bisectZoom(width: number, height: number, floor: number, ceiling: number, fit: (width: number) => Size): number {
  const fits = (z: number): boolean => {
    const laid = fit(renderWidth(width, z));
    return Math.ceil(laid.width + 20) * z <= width - 2 && Math.ceil(laid.height + 30) * z <= height;
  };
  // The steps above the floor, largest first: 1, 0.95, …
  const steps: number[] = [];
  for (let z = ceiling; z > floor + 1e-9; z = Math.round((z - 0.05) * 100) / 100) steps.push(z);
  if (steps.length === 0 || !fits(steps[steps.length - 1] ?? floor)) return floor;
  let lo = 0;
  let hi = steps.length - 1;
  // Invariant: steps[hi] fits; find the first (largest) step that does.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fits(steps[mid] ?? floor)) hi = mid;
    else lo = mid + 1;
  }
  return steps[hi] ?? floor;
}

/** Does the line pass through a box of `boxes` (a 2 px margin inside) other than its ends `a` and `b`? */
export function crossesBoxes(l: Line, a: LayoutBox, b: LayoutBox, boxes: BoxIndex): boolean {
  for (let t = 0.05; t < 0.96; t += 0.05) {
    const pt = l.at(t);
    const hit = boxes.find({ x: pt.x - 0.5, y: pt.y - 0.5, width: 1, height: 1 }, [a, b]);
    if (hit !== undefined && pt.x > hit.x + 2 && pt.x < hit.x + hit.width - 2 && pt.y > hit.y + 2 && pt.y < hit.y + hit.height - 2)
      return true;
  }
  return false;
}

/**
 * A line from box a to box b above or below it that would cross other boxes drawn as an elbow
 * instead: out of a's bottom (or top), down (or up) a channel left of b and of every box in the
 * way, into b's left side; undefined when that crosses a box too (or b is beside a). For lines
 * between namespaces, which the layout did not route: an ingress controller's lines into a column
 * of workloads.
 */
export function elbowLine(a: LayoutBox, b: LayoutBox, boxes: BoxIndex): Line | undefined {
  const down = b.y > a.y + a.height;
  if (!down && b.y + b.height >= a.y) return undefined;
  const y0 = down ? a.y + a.height : a.y;
  const ty = b.y + b.height / 2;
  let x = b.x - 8;
  for (let i = 0; i < 8; i++) {
    const top = Math.min(y0, ty);
    const inWay = boxes.find({ x: x - 1, y: top, width: 2, height: Math.abs(ty - y0) }, [a, b]);
    if (inWay === undefined) break;
    x = inWay.x - 8;
  }
  const turn = y0 + (down ? 24 : -24);
  const l = routedLine([a.x + a.width / 2, y0, x, turn, x, ty, b.x, ty]);
  return crossesBoxes(l, a, b, boxes) ? undefined : l;
}

/** The box of a line's arrowhead (`arrowHead`'s triangle, 10 long and 10 wide, its tip on the line's end), 1 px more around. */
export function arrowBox(line: Line): LayoutBox {
  const corners = arrowPoints(line);
  const xs = corners.map((c) => c.x);
  const ys = corners.map((c) => c.y);
  const x = Math.min(...xs) - 1;
  const y = Math.min(...ys) - 1;
  return { x, y, width: Math.max(...xs) + 1 - x, height: Math.max(...ys) + 1 - y };
}

export function labelBox(text: string, at: Point): LayoutBox {
  const width = text.length * CHAR_W + 6;
  return { x: at.x - width / 2, y: at.y - LABEL_H + 2, width, height: LABEL_H };
}

function overlaps(a: LayoutBox, b: LayoutBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Boxes in a uniform grid of cells, so "does this box overlap any?" looks at the few boxes near
 * it, not at all of them (a graph of 300 workloads places hundreds of labels and junctions).
 */
export class BoxIndex {
  private static readonly CELL = 128;
  /** Cell (column, row) → its boxes; the key `column * 2^20 + row`, both offset to stay positive. */
  private readonly cells = new Map<number, LayoutBox[]>();
  /**
   * The sizes for which a search over the whole drawing (`placeJunction`) found no free place: boxes
   * are only added, so a box no smaller finds none either and is not looked for again.
   */
  private readonly roomless: Array<{ readonly width: number; readonly height: number; readonly within: number }> = [];

  /** A search over the whole drawing (`within` wide) found no free place for a box of this size. */
  noRoomFor(width: number, height: number, within: number): void {
    this.roomless.push({ width, height, within });
  }

  /** No free place for a box of this size in a drawing `within` wide: one no larger found none in one as wide or wider. */
  hasNoRoomFor(width: number, height: number, within: number): boolean {
    return this.roomless.some((r) => r.width <= width && r.height <= height && r.within >= within);
  }

  /** Every box added, for a free-space index made later (`freeSpace`). */
  private readonly all: LayoutBox[] = [];
  /** The free-space indexes made (`freeSpace`), by the room they cover, kept up to date by `add`. */
  private readonly spaces = new Map<string, FreeSpace>();

  constructor(boxes: readonly LayoutBox[] = []) {
    for (const b of boxes) this.add(b);
  }

  /**
   * The free space of a drawing `within.width` × `within.height` (its viewBox from -10, -20 and 10
   * more) for boxes kept `margin` away from every box of the index: made on the first search, then
   * kept up to date as boxes are added.
   */
  freeSpace(within: { readonly width: number; readonly height: number }, margin: number): FreeSpace {
    const key = `${within.width} ${within.height} ${margin}`;
    let space = this.spaces.get(key);
    if (space === undefined) {
      // A box may start 8 px left of and 18 px above the layout and end 8 px past it.
      const x0 = -8 - margin;
      const y0 = -18 - margin;
      space = new FreeSpace(x0, y0, within.width + 8 + margin - x0, within.height + 8 + margin - y0, this.all);
      this.spaces.set(key, space);
    }
    return space;
  }

  private static cell(v: number): number {
    return Math.floor(v / BoxIndex.CELL) + 4096;
  }

  add(b: LayoutBox): void {
    this.all.push(b);
    for (const space of this.spaces.values()) space.add(b);
    const x1 = BoxIndex.cell(b.x + b.width);
    const y1 = BoxIndex.cell(b.y + b.height);
    for (let x = BoxIndex.cell(b.x); x <= x1; x++)
      for (let y = BoxIndex.cell(b.y); y <= y1; y++) {
        const k = x * 1_048_576 + y;
        const list = this.cells.get(k);
        if (list === undefined) this.cells.set(k, [b]);
        else list.push(b);
      }
  }

  /** The first box of the index that `b` overlaps, other than those in `except`. */
  find(b: LayoutBox, except: readonly LayoutBox[] = []): LayoutBox | undefined {
    const x1 = BoxIndex.cell(b.x + b.width);
    const y1 = BoxIndex.cell(b.y + b.height);
    for (let x = BoxIndex.cell(b.x); x <= x1; x++)
      for (let y = BoxIndex.cell(b.y); y <= y1; y++) {
        const list = this.cells.get(x * 1_048_576 + y);
        if (list === undefined) continue;
        for (const o of list) if (overlaps(o, b) && !except.includes(o)) return o;
      }
    return undefined;
  }

  /** Does `b`, grown by `margin` on every side, overlap a box of the index? */
  hits(b: LayoutBox, margin = 0): boolean {
    return this.hitsAt(b.x, b.y, b.width, b.height, margin);
  }

  /**
   * `hits` for the box at (x, y) of `width` × `height`, without making one: a junction's search
   * tries hundreds of places, and a fresh object per try was a good part of a first render's garbage.
   */
  hitsAt(x: number, y: number, width: number, height: number, margin = 0): boolean {
    // As `find` of the grown box computes its edges (the same numbers to the last bit).
    const x0 = x - margin;
    const y0 = y - margin;
    const x1 = x0 + (width + 2 * margin);
    const y1 = y0 + (height + 2 * margin);
    const cx1 = BoxIndex.cell(x1);
    const cy1 = BoxIndex.cell(y1);
    for (let cx = BoxIndex.cell(x0); cx <= cx1; cx++)
      for (let cy = BoxIndex.cell(y0); cy <= cy1; cy++) {
        const list = this.cells.get(cx * 1_048_576 + cy);
        if (list === undefined) continue;
        for (const o of list) if (o.x < x1 && x0 < o.x + o.width && o.y < y1 && y0 < o.y + o.height) return true;
      }
    return false;
  }
}

/**
 * The first of `candidates` (label centres, as `placeLabels` places them) where the label's box,
 * grown by `margin`, overlaps nothing in `index` and the drawing would not cut it; undefined when
 * none is free.
 */
export function placeLabelAt(text: string, candidates: readonly Point[], index: BoxIndex, margin = 0): Point | undefined {
  return candidates.find((at) => {
    const box = labelBox(text, at);
    return box.x >= -8 && box.y >= -18 && !index.hits(box, margin);
  });
}

const T_CANDIDATES = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78];
/** Where along a line its label is tried beside it. */
const T_BESIDE = [0.5, 0.4, 0.6];

/**
 * Label places (as `placeLabels` takes them) beside a line, 3 px off it on either side: above
 * then below a flat line, left then right of a steep one, at its middle first.
 */
function besideLine(text: string, along: (t: number) => Point): Point[] {
  const width = text.length * CHAR_W + 6;
  const out: Point[] = [];
  for (const t of T_BESIDE) {
    const m = along(t);
    const u = along(t - 0.05);
    const v = along(t + 0.05);
    const len = Math.hypot(v.x - u.x, v.y - u.y);
    if (len === 0) continue;
    // The normal pointing up (or left): first above, then below.
    let nx = (v.y - u.y) / len;
    let ny = -(v.x - u.x) / len;
    if (ny > 0 || (ny === 0 && nx > 0)) [nx, ny] = [-nx, -ny];
    const off = Math.abs(nx) * (width / 2) + Math.abs(ny) * (LABEL_H / 2) + 3;
    // A label's box is centred 6 px above its place (`labelBox`).
    for (const s of [1, -1]) out.push({ x: m.x + s * nx * off, y: m.y + s * ny * off + 6 });
  }
  return out;
}
/** A fan's one label: near its source, where its lines still run together. */
const T_NEAR_SOURCE = [0.22, 0.3, 0.15, 0.4, 0.5];

/**
 * Places each label at the first point along its edge where its box overlaps no box in
 * `obstacles` (the nodes) and no label placed before; a label with no such point is left out
 * (undefined: shown on hover and focus only). Greedy, in edge order. `skip`: not placed (a fan's
 * other lines); `near: 'source'`: tried near the source first (a fan's one label).
 */
export function placeLabels(
  items: ReadonlyArray<{
    readonly text: string;
    /** Where along the line t lies; a quadratic curve p, c, q without it. */
    readonly at?: (t: number) => Point;
    readonly p: Point;
    readonly c?: Point;
    readonly q: Point;
    readonly skip?: boolean;
    readonly near?: 'source';
    /** Label centres tried first (a line routed around namespaces: beside its channel). */
    readonly labelAt?: readonly Point[];
  }>,
  obstacles: readonly LayoutBox[] | BoxIndex,
): Array<Point | undefined> {
  const index = obstacles instanceof BoxIndex ? obstacles : new BoxIndex(obstacles);
  return items.map((it) => {
    if (it.skip === true) return undefined;
    const first = it.labelAt === undefined ? undefined : placeLabelAt(it.text, it.labelAt, index);
    if (first !== undefined) {
      index.add(labelBox(it.text, first));
      return first;
    }
    const along = (t: number): Point => (it.at !== undefined ? it.at(t) : onCurve(it.p, it.c ?? it.p, it.q, t));
    for (const t of it.near === 'source' ? T_NEAR_SOURCE : T_CANDIDATES) {
      const at = along(t);
      const box = labelBox(it.text, at);
      // Inside the drawing (its viewBox starts at -10, -20): not cut at the panel's edge.
      if (box.x < -8 || box.y < -18 || index.hits(box)) continue;
      index.add(box);
      return at;
    }
    // No free place on the line (a short line between two boxes, its label wider than the gap
    // less the arrowhead): beside it, just off it on either side.
    const beside = placeLabelAt(it.text, besideLine(it.text, along), index);
    if (beside !== undefined) index.add(labelBox(it.text, beside));
    return beside;
  });
}

/**
 * Where a client group's junction goes: between its clients and its destinations, at the first
 * point (along the line between their centres, then stepped aside, then around the middle) where
 * its box overlaps no box in `obstacles` and, with `bounds` (the layout's size), lies inside the
 * drawing, looked for over the whole drawing when nothing near the middle is free, then beside it
 * within `wider`; the middle when there is none.
 */
export function placeJunction(
  sources: readonly LayoutBox[],
  targets: readonly LayoutBox[],
  size: { readonly width: number; readonly height: number },
  obstacles: BoxIndex,
  bounds?: { readonly width: number; readonly height: number },
  wider?: { readonly width: number; readonly height: number },
): LayoutBox {
  // Inside the drawing (its viewBox runs from -10, -20 to the layout's size and 10 more): not cut
  // off. Places are tried as numbers, a box made only for the one chosen.
  const w = size.width;
  const h = size.height;
  const freeIn = (x: number, y: number, within: { readonly width: number; readonly height: number } | undefined): boolean =>
    x >= -8 &&
    y >= -18 &&
    (within === undefined || (x + w <= within.width + 8 && y + h <= within.height + 8)) &&
    !obstacles.hitsAt(x, y, w, h, JUNCTION_MARGIN);
  const centre = (bs: readonly LayoutBox[]): Point => ({
    x: bs.reduce((s, b) => s + b.x + b.width / 2, 0) / Math.max(1, bs.length),
    y: bs.reduce((s, b) => s + b.y + b.height / 2, 0) / Math.max(1, bs.length),
  });
  const a = centre(sources);
  const b = centre(targets);
  // The box centred on (cx, cy).
  const box = (cx: number, cy: number): LayoutBox => ({ x: cx - w / 2, y: cy - h / 2, width: w, height: h });
  const freeAt = (cx: number, cy: number): boolean => freeIn(cx - w / 2, cy - h / 2, bounds);
  for (const step of LINE_STEPS) {
    for (const t of LINE_FRACTIONS) {
      const px = a.x + (b.x - a.x) * t;
      const py = a.y + (b.y - a.y) * t;
      // Stepped aside across the line, then along it.
      const dy = step * (h + 8);
      if (freeAt(px, py + dy)) return box(px, py + dy);
      const dx = step * (w / 2 + 8);
      if (freeAt(px + dx, py)) return box(px + dx, py);
    }
  }
  // Nothing free along or beside the line (a crowded graph: the line crosses namespaces full of
  // workloads): the nearest free place around its middle, in rings of the same steps, nearest first.
  const mx = (a.x + b.x) / 2;
  const my = (a.y + b.y) / 2;
  // A box and its margins apart: each candidate a place the ones before did not cover.
  const sx = w + 12;
  const sy = h + 12;
  for (const [i, k] of RING_STEPS) if (freeAt(mx + i * sx, my + k * sy)) return box(mx + i * sx, my + k * sy);
  // Inside a drawing of known size, on: the nearest free place anywhere in the drawing (a narrow
  // panel's tall column, or a first paint's tight grids, can have no free place within 12 steps of
  // the middle, and a junction over a workload hides it); then, with `wider` (the room the panel
  // has beside a drawing narrower than it), anywhere in that: the drawing gets wider, never
  // taller. Looked up in the index of the free space (webview/freeSpace.ts), to 4 px, not tried
  // place by place: the gaps between the boxes of a tight grid are narrower than a step.
  for (const within of [bounds, wider]) {
    if (within === undefined || bounds === undefined || obstacles.hasNoRoomFor(w, h, within.width)) continue;
    // The nearest free place to the middle, from the index of the drawing's free space (a place
    // it finds overlaps nothing, margins included: checked again all the same).
    const at = obstacles.freeSpace(within, JUNCTION_MARGIN).nearest(mx, my, w + 2 * JUNCTION_MARGIN, h + 2 * JUNCTION_MARGIN);
    if (at !== undefined && freeIn(at.x + JUNCTION_MARGIN, at.y + JUNCTION_MARGIN, within))
      return { x: at.x + JUNCTION_MARGIN, y: at.y + JUNCTION_MARGIN, width: w, height: h };
    obstacles.noRoomFor(w, h, within.width);
  }
  return box(mx, my);
}

/** Around a junction: the room its legs' arrowheads need from another box. */
const JUNCTION_MARGIN = 6;

const LINE_STEPS = [0, 1, -1, 2, -2, 3, -3, 4, -4] as const;
const LINE_FRACTIONS = [0.5, 0.4, 0.6, 0.3, 0.7] as const;

/**
 * The steps around a junction's middle tried when no place near its line is free: rings up to 12
 * steps out, each ring nearest first.
 */
const RING_STEPS: ReadonlyArray<readonly [number, number]> = (() => {
  const out: Array<readonly [number, number]> = [];
  for (let r = 1; r <= 12; r++) {
    const ring: Array<readonly [number, number]> = [];
    for (let i = -r; i <= r; i++) ring.push([i, -r], [i, r]);
    for (let i = -r + 1; i < r; i++) ring.push([-r, i], [r, i]);
    ring.sort((p, q) => p[0] * p[0] + p[1] * p[1] - (q[0] * q[0] + q[1] * q[1]));
    out.push(...ring);
  }
  return out;
})();
