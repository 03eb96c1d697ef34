/**
 * Lines between two namespace boxes (the aggregate edges, "24 connections") that go around the
 * namespaces between them, never through them (pure, tested in Node). A curve is kept when it
 * crosses no other namespace; otherwise the line leaves its namespace's side, runs down (or up) a
 * channel beside every namespace in the way and enters the other namespace's side. In a narrow
 * panel, where the namespaces are stacked in one column, fitLayout (graphModel.ts) keeps a gutter
 * left of the column for these channels (`gutterFor`), so there is always one.
 */

import type { LayoutBox } from '../protocol/panel.js';
import { curveLine, curvePoints, routedLine, type Line, type Point } from './lines.js';

/** Between two lanes of the channel, and between two lines' ends on a namespace's side. */
const LANE = 5;
/** Lanes a gutter holds (more lines share them). */
const GUTTER_LANES = 5;
/** A line's horizontal stub into a namespace's side: room for the arrowhead. */
const STUB = 10;
/** Label geometry at 12 px (as graphModel's labelBox). */
const CHAR_W = 7;
const LABEL_H = 16;

/** Is the point (x, y) inside the box (a 2 px margin inside its border)? */
function inside(b: LayoutBox, x: number, y: number): boolean {
  return x > b.x + 2 && x < b.x + b.width - 2 && y > b.y + 2 && y < b.y + b.height - 2;
}

/** Is (x, y) inside a box of `boxes` other than `a` and `b`? */
function insideOther(boxes: readonly LayoutBox[], a: LayoutBox, b: LayoutBox, x: number, y: number): boolean {
  for (const g of boxes) if (g !== a && g !== b && inside(g, x, y)) return true;
  return false;
}

/** Does the line pass through a box of `boxes` other than `a` and `b` (sampled every 1 % of its length)? */
export function crossesAny(l: Line, boxes: readonly LayoutBox[], a: LayoutBox, b: LayoutBox): boolean {
  if (boxes.every((g) => g === a || g === b)) return false;
  for (let t = 0; t <= 1.0001; t += 0.01) {
    const p = l.at(Math.min(1, t));
    if (insideOther(boxes, a, b, p.x, p.y)) return true;
  }
  return false;
}

/**
 * `crossesAny(curveLine(from, to), boxes, a, b)` without making the line or its points: fitting a
 * layout asks it of every connection between two namespaces, at every width it tries.
 */
export function curveCrossesAny(from: LayoutBox, to: LayoutBox, boxes: readonly LayoutBox[], a: LayoutBox, b: LayoutBox): boolean {
  if (boxes.every((g) => g === a || g === b)) return false;
  const { p, c, q } = curvePoints(from, to);
  for (let t = 0; t <= 1.0001; t += 0.01) {
    // onCurve's arithmetic, term by term (the same points).
    const s = Math.min(1, t);
    const u = 1 - s;
    const x = u * u * p.x + 2 * u * s * c.x + s * s * q.x;
    const y = u * u * p.y + 2 * u * s * c.y + s * s * q.y;
    if (insideOther(boxes, a, b, x, y)) return true;
  }
  return false;
}

/** The width a gutter of `lanes` lanes takes left of the namespaces (0 for none). */
export function gutterFor(lanes: number): number {
  return lanes <= 0 ? 0 : STUB + 4 + LANE * (Math.min(lanes, GUTTER_LANES) - 1);
}

/** One end of a routed line: the box it leaves or enters at its side, at height `y`. */
interface End {
  readonly box: LayoutBox;
  readonly y: number;
}

/**
 * The channel search both routed lines share: from `from`'s side out to a vertical channel beside
 * every namespace between `ga` and `gb` (the namespaces the ends are in, or the ends themselves),
 * along it and into `to`'s side. Left of them when there is room (the drawing's left edge is at
 * x = -8), else right (up to `right` + 8); a candidate is taken when it passes no namespace box but
 * `ga` and `gb` and `accept` takes it. `k` is the lane (0 … GUTTER_LANES - 1).
 */
function channelRoute(
  from: End,
  to: End,
  ga: LayoutBox,
  gb: LayoutBox,
  groups: readonly LayoutBox[],
  k: number,
  right: number,
  accept: (l: Line) => boolean,
): { readonly line: Line; readonly x: number; readonly side: 'left' | 'right' } | undefined {
  // The namespaces beside the channel's run (between the two ends' namespaces' heights).
  const top = Math.min(ga.y, gb.y);
  const bottom = Math.max(ga.y + ga.height, gb.y + gb.height);
  const between = groups.filter((g) => g !== ga && g !== gb && g.y < bottom && g.y + g.height > top);
  const a = from.box;
  const b = to.box;
  const tries: Array<{ line: Line; x: number; side: 'left' | 'right' }> = [];
  const leftX = Math.min(ga.x, gb.x, ...between.map((g) => g.x)) - STUB - LANE * k;
  if (leftX >= -8) tries.push({ line: routedLine([a.x, from.y, leftX, from.y, leftX, to.y, b.x, to.y]), x: leftX, side: 'left' });
  const rightX = Math.max(ga.x + ga.width, gb.x + gb.width, ...between.map((g) => g.x + g.width)) + STUB + LANE * k;
  if (rightX <= right + 8)
    tries.push({ line: routedLine([a.x + a.width, from.y, rightX, from.y, rightX, to.y, b.x + b.width, to.y]), x: rightX, side: 'right' });
  return tries.find((t) => !crossesAny(t.line, groups, ga, gb) && accept(t.line));
}

export interface GroupLine {
  readonly line: Line;
  /** Routed around the namespaces in the way (not a curve). */
  readonly routed: boolean;
  /** Where its label may go, best first (as `placeLabels` takes them). */
  readonly labelAt: readonly Point[];
}

/**
 * The line from namespace box `a` to namespace box `b`, around the other boxes of `groups`.
 * `lane` (0, 1, …) sets the channel apart from other routed lines' and the ends on the sides.
 * `label` is the text the line will carry (its label is offered in the gaps beside the channel).
 * The drawing's left edge is at x = -8 (its viewBox starts at -10); `right` is the layout's width.
 */
export function groupLine(a: LayoutBox, b: LayoutBox, groups: readonly LayoutBox[], lane: number, label: string, right: number): GroupLine {
  const curve = curveLine(a, b);
  const labelOn = (l: Line): Point[] => [0.5, 0.4, 0.6, 0.3, 0.7].map((t) => l.at(t));
  if (!crossesAny(curve, groups, a, b)) return { line: curve, routed: false, labelAt: labelOn(curve) };
  const k = lane % GUTTER_LANES;
  const down = b.y >= a.y;
  // Each end on its box's side, a lane apart from the others (inside the box, under its header).
  const endY = (g: LayoutBox, low: boolean): number =>
    low ? Math.max(g.y + 14, g.y + g.height - 12 - LANE * k) : Math.min(g.y + g.height - 6, g.y + 12 + LANE * k);
  const ya = endY(a, down);
  const yb = endY(b, !down);
  const clean = channelRoute({ box: a, y: ya }, { box: b, y: yb }, a, b, groups, k, right, () => true);
  if (clean === undefined) return { line: curve, routed: false, labelAt: labelOn(curve) };
  return {
    line: clean.line,
    routed: true,
    labelAt: [...besideChannel(clean.x, clean.side, ya, yb, groups, label, 'middle'), ...labelOn(clean.line)],
  };
}

/**
 * Label centres beside a channel at `x` running from `y0` to `y1` (on the side away from the
 * namespaces: it has no room), each in a gap between namespaces that `text` fits in, the middle
 * gaps first (or those nearest `y0`, the line's start, with `near: 'start'`).
 */
function besideChannel(
  x: number,
  side: 'left' | 'right',
  y0: number,
  y1: number,
  groups: readonly LayoutBox[],
  text: string,
  near: 'middle' | 'start',
): Point[] {
  const w = text.length * CHAR_W + 6;
  const x0 = side === 'left' ? x + 3 : x - 3 - w;
  const from = Math.min(y0, y1);
  const to = Math.max(y0, y1);
  const covered = groups
    .filter((g) => g.x < x0 + w && g.x + g.width > x0 && g.y + g.height > from && g.y < to)
    .map((g) => [g.y, g.y + g.height] as const)
    .sort((p, q) => p[0] - q[0]);
  const gaps: number[] = [];
  let y = from;
  for (const [g0, g1] of covered) {
    if (g0 - y >= LABEL_H + 4) gaps.push((y + g0) / 2);
    y = Math.max(y, g1);
  }
  if (to - y >= LABEL_H + 4) gaps.push((y + to) / 2);
  const aim = near === 'start' ? y0 : (from + to) / 2;
  gaps.sort((p, q) => Math.abs(p - aim) - Math.abs(q - aim));
  return gaps.map((m) => ({ x: x0 + w / 2, y: m + LABEL_H / 2 - 2 }));
}

/**
 * A line from box `a` (in namespace box `ga`) to box `b` (in another namespace, `gb`) around the
 * namespaces between them: out of a's side, along a channel beside every namespace in the way and
 * into b's side (an ingress controller's lines into a namespace stacked below another one). The
 * channel is left of them when there is room (the gutter of a one-column layout), else right;
 * `clear` says whether a candidate passes no workload box. Undefined when neither side is clear.
 */
export function aroundGroups(
  a: LayoutBox,
  b: LayoutBox,
  ga: LayoutBox,
  gb: LayoutBox,
  groups: readonly LayoutBox[],
  lane: number,
  right: number,
  clear: (l: Line) => boolean,
  label: string,
): { readonly line: Line; readonly labelAt: readonly Point[] } | undefined {
  const ya = a.y + a.height / 2;
  const yb = b.y + b.height / 2;
  const ok = channelRoute({ box: a, y: ya }, { box: b, y: yb }, ga, gb, groups, lane % GUTTER_LANES, right, clear);
  // Its label beside the channel near its source (a fan's lines still run together there).
  return ok === undefined ? undefined : { line: ok.line, labelAt: besideChannel(ok.x, ok.side, ya, yb, groups, label, 'start') };
}
