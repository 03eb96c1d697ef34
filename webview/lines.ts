/**
 * Lines as the graph draws them (pure): a gentle curve between two boxes, and a line along the
 * points a layout routed, its corners rounded; each with a point at any fraction of its way.
 */

import type { LayoutBox } from '../protocol/panel.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A point of the quadratic curve p → q with control c, at t. */
export function onCurve(p: Point, c: Point, q: Point, t: number): Point {
  const u = 1 - t;
  return { x: u * u * p.x + 2 * u * t * c.x + t * t * q.x, y: u * u * p.y + 2 * u * t * c.y + t * t * q.y };
}

/** A line as drawn: its SVG path, its two ends, and a point along it at t (0 at p, 1 at q). */
export interface Line {
  readonly d: string;
  readonly p: Point;
  readonly q: Point;
  /** The point the line heads from as it reaches q (its direction there: an arrowhead's). */
  readonly toward: Point;
  at(t: number): Point;
}

/** A box's border point on the line from its centre to (tx, ty). */
function clip(b: LayoutBox, tx: number, ty: number): Point {
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const s = Math.min(dx === 0 ? Infinity : b.width / 2 / Math.abs(dx), dy === 0 ? Infinity : b.height / 2 / Math.abs(dy));
  return { x: cx + dx * s, y: cy + dy * s };
}

const f1 = (v: number): string => v.toFixed(1);

/** The ends and control point of the gentle curve from box a to box b (`curveLine`'s). */
export function curvePoints(a: LayoutBox, b: LayoutBox): { readonly p: Point; readonly c: Point; readonly q: Point } {
  const p = clip(a, b.x + b.width / 2, b.y + b.height / 2);
  const q = clip(b, a.x + a.width / 2, a.y + a.height / 2);
  const len = Math.max(1, Math.hypot(q.x - p.x, q.y - p.y));
  const bend = Math.min(18, len / 6);
  const c = { x: (p.x + q.x) / 2 + ((q.y - p.y) / len) * -bend, y: (p.y + q.y) / 2 + ((q.x - p.x) / len) * bend };
  return { p, c, q };
}

/**
 * A curve p → q with control c as a Line: an object of three points (no closure per line), its
 * path text made when first read: fitting a layout tests thousands of curves for crossings and
 * draws none, and a 300-workload graph draws thousands of junction legs.
 */
class Curve implements Line {
  private path: string | undefined;
  readonly toward: Point;
  constructor(
    readonly p: Point,
    readonly c: Point,
    readonly q: Point,
  ) {
    this.toward = c;
  }
  get d(): string {
    return (this.path ??= `M${f1(this.p.x)},${f1(this.p.y)} Q${f1(this.c.x)},${f1(this.c.y)} ${f1(this.q.x)},${f1(this.q.y)}`);
  }
  at(t: number): Point {
    return onCurve(this.p, this.c, this.q, t);
  }
}

/** A gentle curve from box a to box b (to the right of the direction of travel, so a→b and b→a stay apart). */
export function curveLine(a: LayoutBox, b: LayoutBox): Line {
  const { p, c, q } = curvePoints(a, b);
  return new Curve(p, c, q);
}

/**
 * The line the host's layout routed (flat `[x, y, …]`, from one box's border to the other's,
 * around the boxes between them), its corners rounded.
 */
export function routedLine(route: readonly number[]): Line {
  const pts: Point[] = [];
  for (let i = 0; i + 1 < route.length; i += 2) pts.push({ x: route[i] ?? 0, y: route[i + 1] ?? 0 });
  let d = `M${f1(pts[0]?.x ?? 0)},${f1(pts[0]?.y ?? 0)}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const c = pts[i];
    const n = pts[i + 1];
    if (c === undefined || n === undefined) continue;
    const m = i < pts.length - 2 ? { x: (c.x + n.x) / 2, y: (c.y + n.y) / 2 } : n;
    d += ` Q${f1(c.x)},${f1(c.y)} ${f1(m.x)},${f1(m.y)}`;
  }
  if (pts.length === 2) d += ` L${f1(pts[1]?.x ?? 0)},${f1(pts[1]?.y ?? 0)}`;
  const at = polylineAt(pts);
  return { d, p: pts[0] ?? { x: 0, y: 0 }, q: pts[pts.length - 1] ?? { x: 0, y: 0 }, toward: pts[pts.length - 2] ?? { x: 0, y: 0 }, at };
}

/** A point at fraction t of the length of the polyline through `pts`. */
function polylineAt(pts: readonly Point[]): (t: number) => Point {
  const lengths = pts.slice(1).map((pt, i) => Math.hypot(pt.x - (pts[i]?.x ?? 0), pt.y - (pts[i]?.y ?? 0)));
  const total = lengths.reduce((s, l) => s + l, 0);
  return (t: number): Point => {
    let rest = t * total;
    for (let i = 0; i < lengths.length; i++) {
      const l = lengths[i] ?? 0;
      const u = pts[i];
      const v = pts[i + 1];
      if (u === undefined || v === undefined) break;
      if (rest <= l || i === lengths.length - 1) {
        const k = l === 0 ? 0 : Math.min(1, rest / l);
        return { x: u.x + (v.x - u.x) * k, y: u.y + (v.y - u.y) * k };
      }
      rest -= l;
    }
    return pts[0] ?? { x: 0, y: 0 };
  };
}

/**
 * A line of straight runs through `pts` (a route through the gaps between namespaces), each corner
 * rounded with a radius of at most `radius`, so that it stays in its gaps: a corner cut from the
 * middle of one run to the middle of the next (`routedLine`) would cut across the boxes beside a
 * long run.
 */
export function orthoLine(pts: readonly Point[], radius = 6): Line {
  const first = pts[0] ?? { x: 0, y: 0 };
  const last = pts[pts.length - 1] ?? first;
  let d = `M${f1(first.x)},${f1(first.y)}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const u = pts[i - 1];
    const c = pts[i];
    const v = pts[i + 1];
    if (u === undefined || c === undefined || v === undefined) continue;
    const lin = Math.hypot(c.x - u.x, c.y - u.y);
    const lout = Math.hypot(v.x - c.x, v.y - c.y);
    const r = Math.min(radius, lin / 2, lout / 2);
    if (lin === 0 || lout === 0) continue;
    const p = { x: c.x - ((c.x - u.x) / lin) * r, y: c.y - ((c.y - u.y) / lin) * r };
    const q = { x: c.x + ((v.x - c.x) / lout) * r, y: c.y + ((v.y - c.y) / lout) * r };
    d += ` L${f1(p.x)},${f1(p.y)} Q${f1(c.x)},${f1(c.y)} ${f1(q.x)},${f1(q.y)}`;
  }
  d += ` L${f1(last.x)},${f1(last.y)}`;
  return { d, p: first, q: last, toward: pts[pts.length - 2] ?? first, at: polylineAt(pts) };
}

/**
 * Points along a line as drawn (its path's straight runs and quadratic curves, each cut into
 * `steps`), not as `at` walks it: a routed line's rounded corners leave the points it was routed
 * through.
 */
export function drawnPoints(line: Line, steps = 12): Point[] {
  const toks = line.d.match(/[MLQ]|-?\d+(?:\.\d+)?/g) ?? [];
  const out: Point[] = [];
  let at: Point = { x: 0, y: 0 };
  let i = 0;
  const num = (): number => Number(toks[i++]);
  while (i < toks.length) {
    const c = toks[i++];
    if (c === 'M') {
      at = { x: num(), y: num() };
      out.push(at);
    } else if (c === 'L') {
      const q = { x: num(), y: num() };
      for (let k = 1; k <= steps; k++) out.push({ x: at.x + ((q.x - at.x) * k) / steps, y: at.y + ((q.y - at.y) * k) / steps });
      at = q;
    } else if (c === 'Q') {
      const cc = { x: num(), y: num() };
      const q = { x: num(), y: num() };
      for (let k = 1; k <= steps; k++) out.push(onCurve(at, cc, q, k / steps));
      at = q;
    }
  }
  return out;
}

/** The three corners of the arrowhead at a line's end (10 long, 10 wide, its tip on q): tip, then the two base corners. */
export function arrowPoints(line: Line): readonly [Point, Point, Point] {
  const { q, toward } = line;
  const len = Math.hypot(q.x - toward.x, q.y - toward.y);
  const ux = len === 0 ? 1 : (q.x - toward.x) / len;
  const uy = len === 0 ? 0 : (q.y - toward.y) / len;
  const bx = q.x - 10 * ux;
  const by = q.y - 10 * uy;
  return [
    { x: q.x, y: q.y },
    { x: bx - 5 * uy, y: by + 5 * ux },
    { x: bx + 5 * uy, y: by - 5 * ux },
  ];
}

/**
 * The arrowhead at a line's end as one closed path (the shape of the graph's `marker-end`
 * arrows: 10 long, 10 wide, its tip on q), so that many lines' heads can be drawn as one path
 * (a marker draws only at the end of a path's last part).
 */
export function arrowHead(line: Line): string {
  const [tip, left, right] = arrowPoints(line);
  return `M${f1(left.x)},${f1(left.y)} L${f1(tip.x)},${f1(tip.y)} L${f1(right.x)},${f1(right.y)}Z`;
}
