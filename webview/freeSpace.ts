/**
 * Free space of a drawing, indexed (pure, tested in Node): where a box of a given size fits,
 * nearest a point, without trying places one by one. The drawing is a raster of 4 px cells; a
 * cell any box overlaps is taken (so a place whose cells are all free overlaps no box: the answer
 * is exact on that side, and misses at most a cell's width of a gap). Each cell keeps how many
 * free cells run down from it, so "is a box of h cells free from this cell down" is one
 * comparison, and a row of places is read in one pass: the search goes through rows nearest the
 * point first and stops when no row further away can be nearer. Boxes are only added (a junction
 * placed is taken from the free space): only the columns it covers are updated, up to the box
 * above it. Each row's widest free run, by height, is kept, so rows with no room are skipped.
 */

import type { LayoutBox } from '../protocol/panel.js';

const CELL = 4;

export class FreeSpace {
  private readonly cols: number;
  private readonly rows: number;
  /** Free cells from (column, row) down, itself included: 0 for a taken cell. Row-major. */
  private readonly down: Int32Array;
  /**
   * By a height in cells: each row's longest run of columns free that far down (-1: not known
   * since a box was added above it), so a search skips a row with no room in one comparison.
   */
  private readonly widest = new Map<number, Int32Array>();

  /**
   * The area from (x0, y0), `width` × `height` (in drawing coordinates), with `boxes` taken.
   * Places are looked for only inside it.
   */
  constructor(
    private readonly x0: number,
    private readonly y0: number,
    width: number,
    height: number,
    boxes: Iterable<LayoutBox> = [],
  ) {
    // Whole cells only: a place found lies inside the area.
    this.cols = Math.max(0, Math.floor(width / CELL));
    this.rows = Math.max(0, Math.floor(height / CELL));
    this.down = new Int32Array(this.cols * this.rows);
    const taken = new Uint8Array(this.cols * this.rows);
    for (const b of boxes) {
      const r = this.cellsOf(b);
      if (r === undefined) continue;
      for (let row = r.r0; row <= r.r1; row++) taken.fill(1, row * this.cols + r.c0, row * this.cols + r.c1 + 1);
    }
    for (let row = this.rows - 1; row >= 0; row--)
      for (let c = 0; c < this.cols; c++) {
        const i = row * this.cols + c;
        this.down[i] = taken[i] === 1 ? 0 : row === this.rows - 1 ? 1 : (this.down[i + this.cols] ?? 0) + 1;
      }
  }

  /** The cells a box's inside overlaps, clipped to the area; undefined when it overlaps none. */
  private cellsOf(b: LayoutBox): { c0: number; c1: number; r0: number; r1: number } | undefined {
    const c0 = Math.max(0, Math.floor((b.x - this.x0) / CELL));
    const c1 = Math.min(this.cols - 1, Math.ceil((b.x + b.width - this.x0) / CELL) - 1);
    const r0 = Math.max(0, Math.floor((b.y - this.y0) / CELL));
    const r1 = Math.min(this.rows - 1, Math.ceil((b.y + b.height - this.y0) / CELL) - 1);
    return c0 > c1 || r0 > r1 ? undefined : { c0, c1, r0, r1 };
  }

  /** Takes the cells `b` overlaps. */
  add(b: LayoutBox): void {
    const r = this.cellsOf(b);
    if (r === undefined) return;
    const { cols, down } = this;
    let top: number = r.r0;
    for (let c = r.c0; c <= r.c1; c++) {
      for (let row = r.r0; row <= r.r1; row++) down[row * cols + c] = 0;
      // The free cells above it now run down to it.
      for (let row: number = r.r0 - 1; row >= 0; row--) {
        const i = row * cols + c;
        if (down[i] === 0) break;
        down[i] = row + 1 === r.r0 ? 1 : (down[i + cols] ?? 0) + 1;
        top = Math.min(top, row);
      }
    }
    for (const widest of this.widest.values()) widest.fill(-1, top, r.r1 + 1);
  }

  /** The longest run of columns of `row` free `hc` cells down. */
  private widestRun(row: number, hc: number): number {
    let widest = this.widest.get(hc);
    if (widest === undefined) this.widest.set(hc, (widest = new Int32Array(this.rows).fill(-1)));
    const known = widest[row] ?? -1;
    if (known >= 0) return known;
    const base = row * this.cols;
    let run = 0;
    let most = 0;
    for (let c = 0; c < this.cols; c++) {
      if ((this.down[base + c] ?? 0) >= hc) most = Math.max(most, ++run);
      else run = 0;
    }
    widest[row] = most;
    return most;
  }

  /**
   * The top-left corner of a free place for a box of `width` × `height` whose centre is nearest
   * (cx, cy), the place inside the area; undefined when there is none.
   */
  nearest(cx: number, cy: number, width: number, height: number): { x: number; y: number } | undefined {
    const { cols, rows, down } = this;
    const wc = Math.ceil(width / CELL);
    const hc = Math.ceil(height / CELL);
    const lastC = cols - wc;
    const lastR = rows - hc;
    if (lastC < 0 || lastR < 0) return undefined;
    // The cell a box centred on (cx, cy) would start at, fractional.
    const tc = (cx - width / 2 - this.x0) / CELL;
    const tr = (cy - height / 2 - this.y0) / CELL;
    const r0 = Math.min(lastR, Math.max(0, Math.round(tr)));
    let bestC = -1;
    let bestR = -1;
    let bestD = Infinity;
    for (let k = 0; ; k++) {
      const up = r0 - k;
      const below = r0 + k;
      const upIn = up >= 0;
      const belowIn = k > 0 && below <= lastR;
      if (!upIn && !belowIn) break;
      // No row this far or further can be nearer than the best found.
      const nearestDy = Math.min(upIn ? Math.abs(up - tr) : Infinity, belowIn ? Math.abs(below - tr) : Infinity) * CELL;
      if (nearestDy * nearestDy >= bestD) break;
      for (const r of upIn && belowIn ? [up, below] : upIn ? [up] : [below]) {
        const dy = (r - tr) * CELL;
        const dy2 = dy * dy;
        if (dy2 >= bestD || this.widestRun(r, hc) < wc) continue;
        const base = r * cols;
        let run = 0;
        for (let c = 0; c <= cols; c++) {
          if (c < cols && (down[base + c] ?? 0) >= hc) {
            run++;
            continue;
          }
          // Columns c - run to c - 1 are free for hc rows: a place may start at c - run to c - wc.
          const first = c - run;
          const last = Math.min(c - wc, lastC);
          run = 0;
          if (first > last) continue;
          const at = Math.min(last, Math.max(first, Math.round(tc)));
          const dx = (at - tc) * CELL;
          const d = dx * dx + dy2;
          if (d < bestD) {
            bestD = d;
            bestC = at;
            bestR = r;
          }
        }
      }
    }
    if (bestC < 0) return undefined;
    return { x: this.x0 + bestC * CELL, y: this.y0 + bestR * CELL };
  }
}
