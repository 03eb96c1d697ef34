/**
 * Lines between two namespaces that no curve, elbow or channel beside the namespaces draws without
 * crossing another namespace (pure, tested in Node): a wide panel's rows of namespaces, where the
 * namespaces between two ends sit side by side, or a workload deep in a namespace's grid. Such a
 * line is routed through the gaps the layout leaves between namespace boxes (32 px between two
 * boxes of a row and between two rows, the gutter a narrow panel keeps on the left, the margins),
 * as straight runs with rounded corners: out of its workload to its namespace's side (the side
 * whose way out crosses the fewest of the namespace's other workloads), along the gaps (shortest,
 * with few bends; a margin only when no gap leads there) and into the other end the same way.
 */

import type { LayoutBox } from '../protocol/panel.js';
import { drawnPoints, orthoLine, type Line, type Point } from './lines.js';

/** Half the gap between two namespace boxes: a corridor runs down its middle. */
const HALF_GAP = 16;
/** What a bend costs, in px of length. */
const BEND = 40;
/** A run along the drawing's margin costs this many times its length (a last resort). */
const MARGIN_COST = 3;
/** What crossing one of its own namespace's workloads on the way out costs, in px. */
const CROSSING = 400;
/** Between two routed lines sharing a corridor. */
const LANE = 4;
/** Lanes in a corridor (more lines share them). */
const LANES = 5;

/** One end of a routed line. */
export interface CorridorEnd {
  readonly box: LayoutBox;
  /** The namespace box it lies in; undefined when the end is a namespace box itself. */
  readonly group?: LayoutBox | undefined;
  /** The other boxes of its namespace, which its way out crosses as few of as it can. */
  readonly inside?: readonly LayoutBox[];
}

/** Is the point inside the box (`m` px inside its border)? */
function within(b: LayoutBox, x: number, y: number, m = 1): boolean {
  return x > b.x + m && x < b.x + b.width - m && y > b.y + m && y < b.y + b.height - m;
}

/** Does the horizontal or vertical run from (x0, y0) to (x1, y1) pass through the box? */
function runHits(b: LayoutBox, x0: number, y0: number, x1: number, y1: number, m = 1): boolean {
  const lx = Math.min(x0, x1);
  const hx = Math.max(x0, x1);
  const ly = Math.min(y0, y1);
  const hy = Math.max(y0, y1);
  return lx < b.x + b.width - m && hx > b.x + m && ly < b.y + b.height - m && hy > b.y + m;
}

/** A way out of an end: from its side (`side`) straight out to `out`, in a gap beside its namespace. */
interface Stub {
  readonly side: Point;
  readonly out: Point;
  /** 0: the run is horizontal, 1: vertical. */
  readonly axis: 0 | 1;
  readonly cost: number;
}

const DIRECTIONS = [
  [0, 1],
  [0, -1],
  [-1, 0],
  [1, 0],
] as const;

/** DIRECTIONS' steps apart, for the search's inner loop. */
const STEP_X = DIRECTIONS.map(([dx]) => dx);
const STEP_Y = DIRECTIONS.map(([, dy]) => dy);

function stubs(end: CorridorEnd, groups: readonly LayoutBox[], bounds: { readonly width: number; readonly height: number }): Stub[] {
  const b = end.box;
  const outer = end.group ?? b;
  const out: Stub[] = [];
  for (const [dx, dy] of DIRECTIONS) {
    const side = {
      x: dx === 0 ? b.x + b.width / 2 : dx < 0 ? b.x : b.x + b.width,
      y: dy === 0 ? b.y + b.height / 2 : dy < 0 ? b.y : b.y + b.height,
    };
    const o = {
      x: dx === 0 ? side.x : dx < 0 ? outer.x - HALF_GAP : outer.x + outer.width + HALF_GAP,
      y: dy === 0 ? side.y : dy < 0 ? outer.y - HALF_GAP : outer.y + outer.height + HALF_GAP,
    };
    if (o.x < -8 || o.y < -18 || o.x > bounds.width + 8 || o.y > bounds.height + 8) continue;
    if (groups.some((g) => g !== end.group && g !== end.box && runHits(g, side.x, side.y, o.x, o.y))) continue;
    const crossed = (end.inside ?? []).filter((x) => x !== b && runHits(x, side.x, side.y, o.x, o.y)).length;
    out.push({ side, out: o, axis: dx === 0 ? 1 : 0, cost: Math.abs(o.x - side.x) + Math.abs(o.y - side.y) + crossed * CROSSING });
  }
  return out;
}

/** Sorted coordinates, each once. */
function coordinates(values: readonly number[], lo: number, hi: number): number[] {
  const sorted = values.filter((v) => v >= lo && v <= hi).sort((p, q) => p - q);
  const out: number[] = [];
  for (const v of sorted) if (out.length === 0 || v - (out[out.length - 1] ?? v) > 0.5) out.push(v);
  return out;
}

/**
 * The line from end `a` to end `b` through the gaps between the namespace boxes `groups` (the
 * drawing `bounds` wide and high, its margins 8 px on either side), in `lane` of the corridors it
 * shares with other routed lines; undefined when no way passes no namespace box but the ends'.
 */
export function corridorLine(
  a: CorridorEnd,
  b: CorridorEnd,
  groups: readonly LayoutBox[],
  bounds: { readonly width: number; readonly height: number },
  lane: number,
): Line | undefined {
  const from = stubs(a, groups, bounds);
  const to = stubs(b, groups, bounds);
  if (from.length === 0 || to.length === 0) return undefined;
  const left = -4;
  const right = bounds.width + 4;
  const bottom = bounds.height + 4;
  const xs = coordinates(
    [
      ...groups.flatMap((g) => [g.x - HALF_GAP, g.x + g.width + HALF_GAP]),
      ...from.map((s) => s.out.x),
      ...to.map((s) => s.out.x),
      left,
      right,
    ],
    -8,
    bounds.width + 8,
  );
  const ys = coordinates(
    [...groups.flatMap((g) => [g.y - HALF_GAP, g.y + g.height + HALF_GAP]), ...from.map((s) => s.out.y), ...to.map((s) => s.out.y), bottom],
    -18,
    bounds.height + 8,
  );
  const nx = xs.length;
  const ny = ys.length;
  // Which grid points lie in no box, and which runs between two neighbours pass none (1: free),
  // worked out once, box by box over only the rows and columns it covers (found by bisection in the
  // sorted coordinates): the search then reads arrays.
  const freePoint = new Uint8Array(nx * ny).fill(1);
  const freeRight = new Uint8Array(nx * ny).fill(1);
  const freeDown = new Uint8Array(nx * ny).fill(1);
  for (const g of groups) {
    const x0 = g.x;
    const x1 = g.x + g.width;
    const y0 = g.y;
    const y1 = g.y + g.height;
    // Rows at a height inside the box, columns at an abscissa inside it (strictly).
    const j0 = above(ys, y0);
    const j1 = below(ys, y1);
    const i0 = above(xs, x0);
    const i1 = below(xs, x1);
    for (let j = j0; j <= j1; j++) {
      // The point inside the box; the run to the right neighbour at this height, over part of its width.
      for (let i = i0; i <= i1; i++) freePoint[j * nx + i] = 0;
      for (let i = Math.max(0, i0 - 1); i <= Math.min(i1, nx - 2); i++) freeRight[j * nx + i] = 0;
    }
    // The run down to the neighbour below, at an abscissa inside the box, over part of its height.
    for (let j = Math.max(0, j0 - 1); j <= Math.min(j1, ny - 2); j++) for (let i = i0; i <= i1; i++) freeDown[j * nx + i] = 0;
  }
  const free = (i: number, j: number): boolean => freePoint[j * nx + i] === 1;
  const index = (x: number, y: number): number => {
    const i = xs.findIndex((v) => Math.abs(v - x) <= 0.5);
    const j = ys.findIndex((v) => Math.abs(v - y) <= 0.5);
    return i < 0 || j < 0 || !free(i, j) ? -1 : j * nx + i;
  };
  // Dijkstra over (grid point, axis of the run that reached it): a bend costs BEND. The queue is a
  // binary heap of (cost, state) pairs in two typed arrays, so a search allocates no pair.
  const cost = new Float64Array(nx * ny * 2).fill(Infinity);
  const back = new Int32Array(nx * ny * 2).fill(-1);
  const heap = new Heap();
  const push = (state: number, c: number, prev: number): void => {
    if (c >= (cost[state] ?? Infinity)) return;
    cost[state] = c;
    back[state] = prev;
    heap.push(c, state);
  };
  for (const s of from) {
    const n = index(s.out.x, s.out.y);
    if (n >= 0) push(n * 2 + s.axis, s.cost, -1);
  }
  const goals = new Map<number, Stub[]>();
  for (const s of to) {
    const n = index(s.out.x, s.out.y);
    if (n >= 0) goals.set(n, [...(goals.get(n) ?? []), s]);
  }
  let best: { state: number; stub: Stub; cost: number } | undefined;
  while (heap.size > 0) {
    const c = heap.topCost();
    const state = heap.pop();
    if (c > (cost[state] ?? Infinity)) continue;
    if (best !== undefined && c >= best.cost) break;
    const node = state >> 1;
    const axis = state & 1;
    const arrived = goals.get(node);
    if (arrived !== undefined)
      for (const s of arrived) {
        const total = c + s.cost + (s.axis === axis ? 0 : BEND);
        if (best === undefined || total < best.cost) best = { state, stub: s, cost: total };
      }
    const i = node % nx;
    const j = (node - i) / nx;
    const x = xs[i] ?? 0;
    const y = ys[j] ?? 0;
    for (let d = 0; d < 4; d++) {
      const di = STEP_X[d] ?? 0;
      const dj = STEP_Y[d] ?? 0;
      const i2 = i + di;
      const j2 = j + dj;
      if (i2 < 0 || j2 < 0 || i2 >= nx || j2 >= ny || !free(i2, j2)) continue;
      // The run between the two points passes no box (read from the run's left or upper end).
      const run = di !== 0 ? freeRight[j * nx + Math.min(i, i2)] : freeDown[Math.min(j, j2) * nx + i];
      if (run !== 1) continue;
      const x2 = xs[i2] ?? 0;
      const y2 = ys[j2] ?? 0;
      const runAxis = di === 0 ? 1 : 0;
      const onMargin = runAxis === 1 ? x === left || x === right : y === bottom;
      const len = Math.abs(x2 - x) + Math.abs(y2 - y);
      push((j2 * nx + i2) * 2 + runAxis, c + len * (onMargin ? MARGIN_COST : 1) + (runAxis === axis ? 0 : BEND), state);
    }
  }
  if (best === undefined) return undefined;
  const grid: Point[] = [];
  for (let s = best.state; s >= 0; s = back[s] ?? -1) {
    const node = s >> 1;
    grid.push({ x: xs[node % nx] ?? 0, y: ys[Math.floor(node / nx)] ?? 0 });
  }
  grid.reverse();
  const start = from.find((s) => s.out.x === grid[0]?.x && s.out.y === grid[0]?.y);
  if (start === undefined) return undefined;
  const pts = corners([start.side, ...grid, best.stub.side]);
  const offset = LANE * ((lane % LANES) - (LANES - 1) / 2);
  for (const o of offset === 0 ? [0] : [offset, 0]) {
    const line = orthoLine(shifted(pts, o));
    if (
      !drawnPoints(line).some((p) =>
        groups.some((g) => g !== a.group && g !== b.group && g !== a.box && g !== b.box && within(g, p.x, p.y, 2)),
      )
    )
      return line;
  }
  return undefined;
}

/** The first index of the sorted `values` whose value is above `v` (`values.length` when none is). */
function above(values: readonly number[], v: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] ?? 0) > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The last index of the sorted `values` whose value is below `v` (-1 when none is). */
function below(values: readonly number[], v: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] ?? 0) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * A binary min-heap of (cost, state) pairs kept in typed arrays (grown by doubling), with the
 * sift order of a heap of pairs: equal costs come out in the same order, so the routes do too.
 */
class Heap {
  private costs = new Float64Array(256);
  private states = new Int32Array(256);
  size = 0;

  push(c: number, state: number): void {
    if (this.size === this.costs.length) {
      const costs = new Float64Array(this.size * 2);
      costs.set(this.costs);
      this.costs = costs;
      const states = new Int32Array(this.size * 2);
      states.set(this.states);
      this.states = states;
    }
    const costs = this.costs;
    const states = this.states;
    let k = this.size++;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if ((costs[parent] ?? 0) <= c) break;
      costs[k] = costs[parent] ?? 0;
      states[k] = states[parent] ?? 0;
      k = parent;
    }
    costs[k] = c;
    states[k] = state;
  }

  topCost(): number {
    return this.costs[0] ?? Infinity;
  }

  /** Takes the state of the least cost out. */
  pop(): number {
    const costs = this.costs;
    const states = this.states;
    const top = states[0] ?? -1;
    const n = --this.size;
    if (n === 0) return top;
    const c = costs[n] ?? 0;
    const state = states[n] ?? 0;
    let k = 0;
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      let mc = c;
      if (l < n && (costs[l] ?? 0) < mc) {
        m = l;
        mc = costs[l] ?? 0;
      }
      if (r < n && (costs[r] ?? 0) < mc) m = r;
      if (m === k) break;
      costs[k] = costs[m] ?? 0;
      states[k] = states[m] ?? 0;
      k = m;
    }
    costs[k] = c;
    states[k] = state;
    return top;
  }
}

/** The points where the runs turn (and the two ends): a point on a straight run between two others dropped. */
function corners(pts: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of pts) {
    const last = out[out.length - 1];
    if (last !== undefined && Math.abs(last.x - p.x) < 0.01 && Math.abs(last.y - p.y) < 0.01) continue;
    const before = out[out.length - 2];
    if (
      before !== undefined &&
      last !== undefined &&
      ((Math.abs(before.x - last.x) < 0.01 && Math.abs(last.x - p.x) < 0.01) ||
        (Math.abs(before.y - last.y) < 0.01 && Math.abs(last.y - p.y) < 0.01))
    )
      out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** The runs moved `o` px across themselves (a lane of their corridors): the ends slide along their sides. */
function shifted(pts: readonly Point[], o: number): Point[] {
  if (o === 0) return [...pts];
  const vertical = (p: Point | undefined, q: Point | undefined): boolean =>
    p !== undefined && q !== undefined && Math.abs(p.x - q.x) < 0.01;
  const horizontal = (p: Point | undefined, q: Point | undefined): boolean =>
    p !== undefined && q !== undefined && Math.abs(p.y - q.y) < 0.01;
  return pts.map((p, i) => {
    const prev = pts[i - 1];
    const next = pts[i + 1];
    return {
      x: p.x + (vertical(prev, p) || vertical(p, next) ? o : 0),
      y: p.y + (horizontal(prev, p) || horizontal(p, next) ? o : 0),
    };
  });
}

/** Does the line, as drawn, pass through a namespace box of `groups` other than `a` and `b`? */
export function crossesDrawn(line: Line, groups: readonly LayoutBox[], a: LayoutBox, b: LayoutBox): boolean {
  const others = groups.filter((g) => g !== a && g !== b);
  if (others.length === 0) return false;
  return drawnPoints(line).some((p) => others.some((g) => within(g, p.x, p.y, 2)));
}
