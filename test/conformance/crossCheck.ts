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

/**
 * Asserts that an engine and matrix built incrementally (reusing the previous snapshot's) give
 * the same verdicts as fresh ones after `edit` rewrites one file.
 */
export function incrementalCheck(label: string, files: ReadonlyMap<string, string>, settings: AnalysisSettings, uri: string, edit: (text: string) => string, reuseExpected = false, policyEditExpected = false): void {
  const host = new AnalysisHost(settings);
  for (const [u, text] of files) host.setFile(u, text);
  const before = new ReachEngine(host.snapshot(), optionsFromSettings(settings));
  const beforeMatrix = new ReachMatrix(before);
  host.setFile(uri, edit(files.get(uri) ?? ''));
  const analysis = host.snapshot();
  const incremental = new ReachEngine(analysis, optionsFromSettings(settings), before);
  if (reuseExpected) assert.ok(incremental.reused, `${label}: the class model was not reused`);
  if (policyEditExpected) assert.ok(incremental.builtFromPolicyEdit, `${label}: the last engine's objects were not reused with the edited policy swapped in`);
  const incMatrix = new ReachMatrix(incremental, beforeMatrix);
  const fresh = new ReachEngine(analysis, optionsFromSettings(settings));
  const freshMatrix = new ReachMatrix(fresh);
  assert.equal(incremental.classes.length, fresh.classes.length);
  assert.deepEqual(incremental.notes, fresh.notes, `${label}: notes differ`);
  assert.deepEqual(
    incremental.policies.map((p) => p.key),
    fresh.policies.map((p) => p.key),
    `${label}: policies differ`,
  );
  assert.deepEqual(
    incremental.nodes.map((x) => x.id),
    fresh.nodes.map((x) => x.id),
  );
  const n = fresh.classes.length;
  const same = (what: string, a: { yes: Uint32Array; maybe: Uint32Array }, b: { yes: Uint32Array; maybe: Uint32Array }): void => {
    assert.ok(fresh.space.sameCuts(incremental.space), `${label}: port atoms differ`);
    assert.ok(equal(a.yes, b.yes) && equal(a.maybe, b.maybe), `${label}: ${what}: incremental and fresh verdicts differ`);
  };
  for (let s = 0; s < n; s++) {
    for (let d = 0; d < n; d++) if (s !== d) same(`${s} -> ${d}`, incMatrix.cell(s, d), freshMatrix.cell(s, d));
    fresh.dstRanges.forEach((_, i) => same(`${s} -> range ${i}`, incMatrix.toRange(s, i), freshMatrix.toRange(s, i)));
    fresh.srcRanges.forEach((_, i) => same(`range ${i} -> ${s}`, incMatrix.fromRange(i, s), freshMatrix.fromRange(i, s)));
  }
}
