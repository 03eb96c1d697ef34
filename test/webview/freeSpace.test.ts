/**
 * The free-space index of the panel graph (webview/freeSpace.ts): the place it finds for a box
 * overlaps no box, lies inside its area, and is the nearest such place on its 4 px raster, checked
 * against a search of every place of the raster, before and after boxes are added.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayoutBox } from '../../protocol/panel.js';
import { FreeSpace } from '../../webview/freeSpace.js';
import { rng } from '../support/fuzz.js';

function overlap(a: LayoutBox, b: LayoutBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The nearest free place by trying every place of the raster, with its distance (squared). */
function brute(
  boxes: readonly LayoutBox[],
  area: { x0: number; y0: number; width: number; height: number },
  cx: number,
  cy: number,
  w: number,
  h: number,
): number | undefined {
  // A place is free when no box overlaps the cells it covers (whole 4 px cells).
  const wc = Math.ceil(w / 4) * 4;
  const hc = Math.ceil(h / 4) * 4;
  let best: number | undefined;
  for (let y = area.y0; y + hc <= area.y0 + Math.floor(area.height / 4) * 4; y += 4)
    for (let x = area.x0; x + wc <= area.x0 + Math.floor(area.width / 4) * 4; x += 4) {
      const cells = { x, y, width: wc, height: hc };
      if (boxes.some((b) => overlap(b, cells))) continue;
      const d = (x + w / 2 - cx) ** 2 + (y + h / 2 - cy) ** 2;
      if (best === undefined || d < best) best = d;
    }
  return best;
}

describe('panel graph: the free-space index', () => {
  it('finds the nearest free place of the raster, as trying every place does, and takes the places of the boxes added', () => {
    const random = rng(7);
    let found = 0;
    let none = 0;
    for (let round = 0; round < 40; round++) {
      const area = { x0: -14, y0: -24, width: 300 + Math.floor(random() * 300), height: 200 + Math.floor(random() * 300) };
      const boxes: LayoutBox[] = Array.from({ length: 5 + Math.floor(random() * 40) }, () => ({
        x: area.x0 + random() * area.width - 20,
        y: area.y0 + random() * area.height - 10,
        width: 10 + random() * 120,
        height: 10 + random() * 50,
      }));
      const space = new FreeSpace(area.x0, area.y0, area.width, area.height, boxes);
      for (let q = 0; q < 6; q++) {
        const w = 14 + random() * 150;
        const h = 14 + random() * 40;
        const cx = area.x0 + random() * area.width;
        const cy = area.y0 + random() * area.height;
        const at = space.nearest(cx, cy, w, h);
        const want = brute(boxes, area, cx, cy, w, h);
        if (want === undefined) {
          assert.equal(at, undefined, `round ${round}: a place where none is free`);
          none++;
          continue;
        }
        assert.ok(at !== undefined, `round ${round}: no place found where one is free`);
        const placed = { x: at.x, y: at.y, width: w, height: h };
        for (const b of boxes) assert.ok(!overlap(placed, b), `round ${round}: ${JSON.stringify(placed)} over ${JSON.stringify(b)}`);
        assert.ok(at.x >= area.x0 && at.y >= area.y0 && at.x + w <= area.x0 + area.width && at.y + h <= area.y0 + area.height);
        const d = (at.x + w / 2 - cx) ** 2 + (at.y + h / 2 - cy) ** 2;
        assert.ok(Math.abs(d - want) < 1e-6, `round ${round}: ${d} from the point, the nearest is ${want}`);
        found++;
        // Placed: the box is taken, and the next search knows it.
        space.add(placed);
        boxes.push(placed);
      }
    }
    assert.ok(found > 100 && none > 5, `${found} places found, ${none} searches without one`);
  });
});
