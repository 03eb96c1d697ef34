/**
 * A namespace wider than the panel folded into it (pure, tested in Node): the host lays a
 * namespace's workloads out in layers, left to right (client/panel/layout.ts), so a namespace of
 * many layers is wider than a narrow panel however the namespaces are packed. Folding cuts the
 * namespace between layers into chunks no wider than the panel and stacks them, each chunk below
 * the one before (as elkjs's graph wrapping does). A line the host routed across a cut, and a
 * straight connection between two chunks, goes around: out of its chunk's right side, left along
 * the gap under that chunk, and down the new chunk's left side into its box. Rows of boxes (a
 * namespace's unconnected workloads, a big namespace's grid) are folded the same way, between boxes.
 */

import { GROUP_HEADER, GROUP_PAD, LOOSE_ROWS_GAP, ROUTE_SEP, routeKey } from '../protocol/graphGroups.js';
import type { LayoutBox } from '../protocol/panel.js';

/** Between two chunks of one band: room for the badges above a box and for the lines going round. */
const FOLD_GAP = 44;
/** Right of a chunk's boxes: the channel a line leaving it (or coming back to it) runs down, lanes included. */
const CHANNEL = 26;
/** Room above a box for its badges. */
const BADGE_ROOM = 10;
/** Between two rows laid out again. */
const ROW_GAP = 24;
const GRID_GAP = 16;

interface Band {
  y0: number;
  y1: number;
  ids: string[];
}

interface Chunk {
  /** Original x where the chunk starts (the cut before it) and the right edge of its boxes. */
  readonly x0: number;
  readonly right: number;
  /** The cut after it (Infinity for a band's last chunk). */
  readonly cut: number;
  dx: number;
  dy: number;
  /** Placed bottom (its boxes and routes), for the gap under it. */
  bottom: number;
}

interface Folded {
  readonly width: number;
  readonly height: number;
  readonly nodes: Record<string, LayoutBox>;
  readonly routes: Record<string, readonly number[]>;
}

/** Runs of intervals closer than `slack` (0: overlapping ones). */
function mergeIntervals(
  items: ReadonlyArray<{ a: number; b: number; id: string }>,
  slack = 0,
): Array<{ a: number; b: number; ids: string[] }> {
  const sorted = [...items].sort((p, q) => p.a - q.a);
  const out: Array<{ a: number; b: number; ids: string[] }> = [];
  for (const it of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && it.a < last.b + slack) {
      last.b = Math.max(last.b, it.b);
      last.ids.push(it.id);
    } else out.push({ a: it.a, b: it.b, ids: [it.id] });
  }
  return out;
}

/** The index of the chunk of `list` that `x` lies in: the first whose cut is right of it, else the last. */
function chunkIndex(list: readonly Chunk[], x: number): number {
  for (let i = 0; i < list.length; i++) if (x < (list[i] as Chunk).cut) return i;
  return list.length - 1;
}

/**
 * Folds the group `g` (its member boxes `boxes`, absolute) so that it is at most `width` wide.
 * `routes` are the group's routed lines (absolute, keyed by `routeKey`), `pairs` the connections
 * drawn between two of its members: those that end up in two chunks without a route get one.
 * Returns undefined when the group fits already or cannot be cut.
 */
export function foldGroup(
  g: LayoutBox,
  boxes: ReadonlyMap<string, LayoutBox>,
  routes: ReadonlyMap<string, readonly number[]>,
  pairs: ReadonlyArray<readonly [string, string]>,
  width: number,
): Folded | undefined {
  if (g.width <= width || boxes.size === 0) return undefined;
  const left = g.x + GROUP_PAD;
  const top = g.y + GROUP_HEADER;
  const room = width - 2 * GROUP_PAD;
  // Bands: the layers (boxes closer than LOOSE_ROWS_GAP one above another) and the rows under
  // them, with the routes that start in them.
  const bandOf = new Map<string, Band>();
  const bands: Band[] = mergeIntervals(
    [...boxes].map(([id, b]) => ({ a: b.y, b: b.y + b.height, id })),
    LOOSE_ROWS_GAP - 4,
  ).map((m) => ({ y0: m.a - BADGE_ROOM, y1: m.b, ids: m.ids }));
  for (const band of bands) for (const id of band.ids) bandOf.set(id, band);
  const ownRoutes = new Map<Band, Array<[string, readonly number[]]>>();
  for (const [key, pts] of routes) {
    const band = bandOf.get(key.slice(0, key.indexOf(ROUTE_SEP)));
    if (band === undefined) continue;
    for (let i = 1; i < pts.length; i += 2) {
      const y = pts[i] ?? 0;
      band.y0 = Math.min(band.y0, y - 4);
      band.y1 = Math.max(band.y1, y + 4);
    }
    const list = ownRoutes.get(band);
    if (list === undefined) ownRoutes.set(band, [[key, pts]]);
    else list.push([key, pts]);
  }
  // Each band's chunks: its boxes' columns (runs of overlapping x), as many as fit in a chunk.
  const chunksOf = new Map<Band, Chunk[]>();
  /** Rows laid out again: each box's new place relative to the band's top left. */
  const reflowed = new Map<string, { x: number; y: number }>();
  const reflowHeight = new Map<Band, number>();
  let cut = false;
  for (const band of bands) {
    const columns = mergeIntervals(
      band.ids.map((id) => {
        const b = boxes.get(id) as LayoutBox;
        return { a: b.x, b: b.x + b.width, id };
      }),
    );
    const chunks: Array<{ x0: number; right: number; cut: number }> = [];
    let x0 = left;
    let right = -Infinity;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i];
      if (c === undefined) continue;
      if (right > -Infinity && c.b - x0 > room - CHANNEL) {
        const at = (right + c.a) / 2;
        chunks.push({ x0, right, cut: at });
        x0 = at;
      }
      right = Math.max(right, c.b);
    }
    chunks.push({ x0, right, cut: Infinity });
    const tooWide = chunks.some((c) => c.right - c.x0 > room - CHANNEL);
    // Rows (boxes side by side at one height, two or more a row on average, nothing routed):
    // a grid, or the unconnected workloads under the layers.
    const rows = !ownRoutes.has(band) && new Set(band.ids.map((id) => boxes.get(id)?.y)).size * 2 <= band.ids.length;
    if ((tooWide || (rows && chunks.length > 1)) && !ownRoutes.has(band)) {
      // Rows, or boxes that cannot be cut between columns: laid out again, in reading order, as wide as the panel.
      const order = [...band.ids].sort((p, q) => {
        const a = boxes.get(p) as LayoutBox;
        const b = boxes.get(q) as LayoutBox;
        return a.y - b.y || a.x - b.x;
      });
      let x = 0;
      let y = 0;
      let rowH = 0;
      for (const id of order) {
        const b = boxes.get(id) as LayoutBox;
        if (x > 0 && x + b.width > room) {
          x = 0;
          y += rowH + ROW_GAP;
          rowH = 0;
        }
        reflowed.set(id, { x, y });
        x += b.width + GRID_GAP;
        rowH = Math.max(rowH, b.height);
      }
      reflowHeight.set(band, y + rowH);
      cut = true;
      chunksOf.set(band, [{ x0: left, right: left, cut: Infinity, dx: 0, dy: 0, bottom: 0 }]);
      continue;
    }
    if (chunks.length > 1) cut = true;
    chunksOf.set(
      band,
      chunks.map((c) => ({ ...c, dx: left - c.x0, dy: 0, bottom: 0 })),
    );
  }
  if (!cut) return undefined;
  // Stacked: chunks one under another, bands in order, keeping the gaps between bands.
  let y = top;
  let prev: Band | undefined;
  const chunkAt = (band: Band, x: number): Chunk => {
    const list = chunksOf.get(band) ?? [];
    return list[chunkIndex(list, x)] as Chunk;
  };
  for (const band of bands) {
    if (prev !== undefined) y += Math.max(FOLD_GAP / 2, band.y0 - prev.y1);
    const list = chunksOf.get(band) ?? [];
    const rowsHeight = reflowHeight.get(band);
    if (rowsHeight !== undefined) {
      // Its rows start where the band did (below the one before it).
      const c = list[0] as Chunk;
      c.dy = y - band.y0;
      y += BADGE_ROOM + rowsHeight;
      c.bottom = y;
      prev = band;
      continue;
    }
    // Each chunk's own height: its boxes' and its routes' points in its columns (one pass over them).
    const tops = list.map(() => Infinity);
    const bottoms = list.map(() => -Infinity);
    const extend = (x: number, top: number, bottom: number): void => {
      const k = chunkIndex(list, x);
      tops[k] = Math.min(tops[k] ?? Infinity, top);
      bottoms[k] = Math.max(bottoms[k] ?? -Infinity, bottom);
    };
    for (const id of band.ids) {
      const b = boxes.get(id) as LayoutBox;
      extend(b.x, b.y - BADGE_ROOM, b.y + b.height);
    }
    for (const [, pts] of ownRoutes.get(band) ?? [])
      for (let k = 0; k + 1 < pts.length; k += 2) extend(pts[k] ?? 0, (pts[k + 1] ?? 0) - 4, (pts[k + 1] ?? 0) + 4);
    list.forEach((c, i) => {
      let y0 = tops[i] ?? Infinity;
      let y1 = bottoms[i] ?? -Infinity;
      if (y0 === Infinity) [y0, y1] = [band.y0, band.y0];
      if (i > 0) y += FOLD_GAP;
      c.dy = y - y0;
      y += y1 - y0;
      c.bottom = y;
    });
    prev = band;
  }
  const nodes: Record<string, LayoutBox> = {};
  let right = left;
  for (const band of bands)
    for (const id of band.ids) {
      const b = boxes.get(id) as LayoutBox;
      const c = chunkAt(band, b.x);
      const r = reflowed.get(id);
      const at = r !== undefined ? { x: left + r.x, y: band.y0 + BADGE_ROOM + c.dy + r.y } : { x: b.x + c.dx, y: b.y + c.dy };
      nodes[id] = { ...b, ...at };
      // The channel right of its chunk, when it has one.
      right = Math.max(right, at.x + b.width + (r === undefined && (chunksOf.get(band)?.length ?? 0) > 1 ? CHANNEL : 0));
    }
  // Lines between chunks go round; each a few px apart from the others so they can be told apart.
  let wrapped = 0;
  const wrap = (band: Band, pts: readonly number[]): number[] => {
    const lane = ((wrapped++ % 5) - 2) * 4;
    // The channel down the chunks' left side (left of every chunk's boxes but the first's,
    // which a line never enters from the left).
    const channel = left - 6 + lane;
    const out: number[] = [];
    for (let i = 0; i + 1 < pts.length; i += 2) {
      const x = pts[i] ?? 0;
      const yv = pts[i + 1] ?? 0;
      const c = chunkAt(band, x);
      const pc = i > 0 ? chunkAt(band, pts[i - 2] ?? 0) : c;
      if (pc !== c) {
        const py = pts[i - 1] ?? 0;
        const list = chunksOf.get(band) ?? [];
        if (list.indexOf(c) > list.indexOf(pc)) {
          // Rightwards: out of the right side of its chunk, along the gap under it, down the
          // channel to the new chunk.
          const edge = pc.right + pc.dx + CHANNEL / 2 + 5 + lane;
          const gutter = pc.bottom + FOLD_GAP / 2 + lane;
          out.push(edge, py + pc.dy, edge, gutter, channel, gutter, channel, yv + c.dy);
        } else {
          // Leftwards (a connection back to an earlier layer): up the channel to the gap under
          // the earlier chunk, along it, and into that chunk from its right side.
          const edge = c.right + c.dx + CHANNEL / 2 + 5 + lane;
          const gutter = c.bottom + FOLD_GAP / 2 + lane;
          out.push(channel, py + pc.dy, channel, gutter, edge, gutter, edge, yv + c.dy);
        }
      }
      out.push(x + c.dx, yv + c.dy);
    }
    return out;
  };
  const outRoutes: Record<string, readonly number[]> = {};
  for (const band of bands) for (const [key, pts] of ownRoutes.get(band) ?? []) outRoutes[key] = wrap(band, pts);
  for (const [from, to] of pairs) {
    const a = boxes.get(from);
    const b = boxes.get(to);
    const band = bandOf.get(from);
    if (a === undefined || b === undefined || band === undefined || bandOf.get(to) !== band) continue;
    // Most pairs lie in one chunk: their route key is made only for those that do not.
    if (chunkAt(band, a.x) === chunkAt(band, b.x)) continue;
    const key = routeKey(from, to);
    if (outRoutes[key] !== undefined) continue;
    const rightwards = a.x < b.x;
    const pts = rightwards
      ? [a.x + a.width, a.y + a.height / 2, b.x, b.y + b.height / 2]
      : [a.x, a.y + a.height / 2, b.x + b.width, b.y + b.height / 2];
    outRoutes[key] = wrap(band, pts);
  }
  return {
    width: Math.ceil(right + GROUP_PAD - g.x),
    height: Math.ceil(y + GROUP_PAD - g.y),
    nodes,
    routes: outRoutes,
  };
}
