/**
 * Cross-check of the all-pairs matrix against the per-pair engine path (used by the fixture test
 * and by the conformance run on every peer case).
 */

import { strict as assert } from 'node:assert';
import { AnalysisHost } from '../../analysis/index.js';
import type { AnalysisSettings } from '../../analysis/index.js';
import { equal } from '../../analysis/reachability/bitset.js';
import { ReachEngine, optionsFromSettings } from '../../analysis/reachability/engine.js';
import type { Peer } from '../../analysis/reachability/engine.js';
import { ReachMatrix } from '../../analysis/reachability/matrix.js';

/** Asserts that every class/range pair gets the same verdict from both paths. */
export function crossCheck(label: string, files: ReadonlyMap<string, string>, settings: AnalysisSettings): void {
  const host = new AnalysisHost(settings);
  for (const [uri, text] of files) host.setFile(uri, text);
  const engine = new ReachEngine(host.snapshot(), optionsFromSettings(settings));
  const matrix = new ReachMatrix(engine);
  const n = engine.classes.length;
  const same = (what: string, a: { yes: Uint32Array; maybe: Uint32Array }, b: { yes: Uint32Array; maybe: Uint32Array }): void => {
    assert.ok(equal(a.yes, b.yes) && equal(a.maybe, b.maybe), `${label}: ${what}: matrix ${engine.space.ranges(a.yes).length}/${engine.space.ranges(a.maybe).length} vs pair ${engine.space.ranges(b.yes).length}/${engine.space.ranges(b.maybe).length}`);
  };
  const cls = (c: number): Peer => ({ kind: 'class', index: c });
  for (let s = 0; s < n; s++) {
    for (let d = 0; d < n; d++) {
      if (s !== d) same(`${engine.classes[s]?.node ?? s} -> ${engine.classes[d]?.node ?? d}`, matrix.cell(s, d), engine.pair(cls(s), cls(d)));
    }
    engine.dstRanges.forEach((r, i) => same(`${engine.classes[s]?.node ?? s} -> range ${i}`, matrix.toRange(s, i), engine.pair(cls(s), { kind: 'ip', range: r })));
    engine.srcRanges.forEach((r, i) => same(`range ${i} -> ${engine.classes[s]?.node ?? s}`, matrix.fromRange(i, s), engine.pair({ kind: 'ip', range: r }, cls(s))));
  }
}
