/**
 * Cross-check of the all-pairs matrix against the per-pair engine path (used by the fixture test
 * and by the conformance run on every peer case).
 */

import { strict as assert } from 'node:assert';
import { AnalysisHost } from '../../analysis/index.js';
import type { Analysis, AnalysisSettings } from '../../analysis/index.js';
import { andNot, equal, or } from '../../analysis/reachability/bitset.js';
import { diagnosticEngineOptions } from '../../analysis/checks/support/checkEngine.js';
import type { ProbeResult } from '../../analysis/reachability/explain.js';
import { explainProbe } from '../../analysis/reachability/explain.js';
import { computeReach } from '../../analysis/reachability/connectionList.js';
import type { ReachResult } from '../../analysis/reachability/connectionList.js';
import { policyAllowedConnections } from '../../analysis/reachability/policyConnections.js';
import { ReachEngine, optionsFromSettings } from '../../analysis/reachability/engine.js';
import type { EngineOptions, Peer } from '../../analysis/reachability/engine.js';
import { ReachMatrix } from '../../analysis/reachability/matrix.js';

/**
 * Asserts that every class/range pair gets the same verdict from both paths. `engineOf` builds the
 * engine (default: the CLI's), e.g. the exposure engine with its representative pods.
 */
export function crossCheck(
  label: string,
  files: ReadonlyMap<string, string>,
  settings: AnalysisSettings,
  engineOf: (analysis: Analysis, options: EngineOptions) => ReachEngine = (a, o) => new ReachEngine(a, o),
): void {
  const host = new AnalysisHost(settings);
  for (const [uri, text] of files) host.setFile(uri, text);
  const engine = engineOf(host.snapshot(), optionsFromSettings(settings));
  const matrix = new ReachMatrix(engine);
  const n = engine.classes.length;
  const same = (what: string, a: { yes: Uint32Array; maybe: Uint32Array }, b: { yes: Uint32Array; maybe: Uint32Array }): void => {
    assert.ok(
      equal(a.yes, b.yes) && equal(a.maybe, b.maybe),
      `${label}: ${what}: matrix ${engine.space.ranges(a.yes).length}/${engine.space.ranges(a.maybe).length} vs pair ${engine.space.ranges(b.yes).length}/${engine.space.ranges(b.maybe).length}`,
    );
  };
  const cls = (c: number): Peer => ({ kind: 'class', index: c });
  for (let s = 0; s < n; s++) {
    for (let d = 0; d < n; d++) {
      // A class's own cell is a policy verdict when it runs two pods at once (between them).
      if (s !== d || engine.classes[s]?.multi === true)
        same(`${engine.classes[s]?.node ?? s} -> ${engine.classes[d]?.node ?? d}`, matrix.cell(s, d), engine.pair(cls(s), cls(d)));
    }
    engine.dstRanges.forEach((r, i) =>
      same(`${engine.classes[s]?.node ?? s} -> range ${i}`, matrix.toRange(s, i), engine.pair(cls(s), { kind: 'ip', range: r })),
    );
    engine.srcRanges.forEach((r, i) =>
      same(`range ${i} -> ${engine.classes[s]?.node ?? s}`, matrix.fromRange(i, s), engine.pair({ kind: 'ip', range: r }, cls(s))),
    );
  }
}

/**
 * Asserts that an engine and matrix built incrementally (reusing the previous snapshot's) give
 * the same verdicts as fresh ones after `edit` rewrites one file.
 */
export function incrementalCheck(
  label: string,
  files: ReadonlyMap<string, string>,
  settings: AnalysisSettings,
  uri: string,
  edit: (text: string) => string,
  reuseExpected = false,
  policyEditExpected = false,
): void {
  const host = new AnalysisHost(settings);
  for (const [u, text] of files) host.setFile(u, text);
  const before = new ReachEngine(host.snapshot(), optionsFromSettings(settings));
  // The connection list and what each policy allows, as the panel and the code lenses read them,
  // so the next engine's may carry over what the edit cannot change.
  const beforeReach = computeReach(before);
  for (const p of before.policies) policyAllowedConnections(before, beforeReach.connections, p);
  const beforeMatrix = beforeReach.matrix;
  host.setFile(uri, edit(files.get(uri) ?? ''));
  const analysis = host.snapshot();
  const incremental = new ReachEngine(analysis, optionsFromSettings(settings), before);
  if (reuseExpected) assert.ok(incremental.reused, `${label}: the class model was not reused`);
  if (policyEditExpected)
    assert.ok(incremental.builtFromPolicyEdit, `${label}: the last engine's objects were not reused with the edited policy swapped in`);
  const incReach = computeReach(incremental, undefined, beforeMatrix);
  const incMatrix = incReach.matrix ?? new ReachMatrix(incremental, beforeMatrix);
  const fresh = new ReachEngine(analysis, optionsFromSettings(settings));
  const freshMatrix = new ReachMatrix(fresh);
  sameLists(label, incremental, incReach, fresh, computeReach(fresh, undefined, freshMatrix));
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

/**
 * Asserts, after each of several edits in turn, that the engine and matrix built incrementally
 * from the last step's (not from a fresh one) give the same verdicts as fresh ones: caches carried
 * over more than one edit (NetworkPolicy and cluster-policy edits alternating) stay right.
 * `check(step, incremental, previous)` may assert more about each step (e.g. what was kept).
 */
export function incrementalChain(
  label: string,
  files: ReadonlyMap<string, string>,
  settings: AnalysisSettings,
  edits: ReadonlyArray<readonly [string, (text: string) => string]>,
  check?: (step: number, incremental: ReachEngine, previous: ReachEngine) => void,
): void {
  const host = new AnalysisHost(settings);
  const texts = new Map(files);
  for (const [u, text] of files) host.setFile(u, text);
  let engine = new ReachEngine(host.snapshot(), optionsFromSettings(settings));
  let reach = computeReach(engine);
  for (const p of engine.policies) policyAllowedConnections(engine, reach.connections, p);
  edits.forEach(([uri, edit], step) => {
    const text = edit(texts.get(uri) ?? '');
    texts.set(uri, text);
    host.setFile(uri, text);
    const analysis = host.snapshot();
    const next = new ReachEngine(analysis, optionsFromSettings(settings), engine);
    check?.(step, next, engine);
    const nextReach = computeReach(next, undefined, reach.matrix);
    const nextMatrix = nextReach.matrix ?? new ReachMatrix(next);
    const fresh = new ReachEngine(analysis, optionsFromSettings(settings));
    const freshMatrix = new ReachMatrix(fresh);
    sameLists(`${label} step ${step}`, next, nextReach, fresh, computeReach(fresh, undefined, freshMatrix));
    assert.deepEqual(next.notes, fresh.notes, `${label} step ${step}: notes differ`);
    assert.equal(next.classes.length, fresh.classes.length);
    const same = (what: string, a: { yes: Uint32Array; maybe: Uint32Array }, b: { yes: Uint32Array; maybe: Uint32Array }): void =>
      assert.ok(equal(a.yes, b.yes) && equal(a.maybe, b.maybe), `${label} step ${step}: ${what}: incremental and fresh verdicts differ`);
    const n = fresh.classes.length;
    for (let s = 0; s < n; s++) {
      for (let d = 0; d < n; d++) if (s !== d) same(`${s} -> ${d}`, nextMatrix.cell(s, d), freshMatrix.cell(s, d));
      fresh.dstRanges.forEach((_, i) => same(`${s} -> range ${i}`, nextMatrix.toRange(s, i), freshMatrix.toRange(s, i)));
      fresh.srcRanges.forEach((_, i) => same(`range ${i} -> ${s}`, nextMatrix.fromRange(i, s), freshMatrix.fromRange(i, s)));
    }
    engine = next;
    reach = nextReach;
  });
}

/**
 * The connection list of an engine built after an edit (which carries over the lines the edit
 * cannot change, `computeReach`) and the connections each policy allows (whose sides carry over
 * too) equal a fresh engine's; every policy is asked, as the panel's context does.
 */
function sameLists(label: string, incremental: ReachEngine, incReach: ReachResult, fresh: ReachEngine, freshReach: ReachResult): void {
  const lines = (r: ReachResult): string[] =>
    r.connections.map((c) => `${c.from} -> ${c.to} ${[...c.allowed].join(',')} ${[...c.undefined].join(',')} ${c.reasons.join(';')}`);
  assert.deepEqual(lines(incReach), lines(freshReach), `${label}: the connection list differs from a fresh engine's`);
  const allows = (e: ReachEngine, r: ReachResult): string[] =>
    e.policies.map(
      (p) =>
        `${p.key}: ${policyAllowedConnections(e, r.connections, p)
          .map((c) => `${c.from}>${c.to}`)
          .join(' ')}`,
    );
  assert.deepEqual(allows(incremental, incReach), allows(fresh, freshReach), `${label}: a policy's allowed connections differ`);
}

/**
 * Every connection `reach` lists is confirmed by `explain` under the same names (issue 14, point
 * 1): the ends of each allowed port range are "allowed"; an undefined range is "undefined" and a
 * port outside both is "not allowed" (between single-pod-class nodes, where the line is one
 * class's verdict); and a pair `reach` leaves out is not allowed. The list is the CLI's (`reach`'s
 * engine options), the explanations are the CLI's too (with the checks' virtual pods).
 */
export function explainCheck(label: string, files: ReadonlyMap<string, string>, settings: AnalysisSettings): number {
  const host = new AnalysisHost(settings);
  for (const [uri, text] of files) host.setFile(uri, text);
  const analysis = host.snapshot();
  const listing = new ReachEngine(analysis, optionsFromSettings(settings));
  const explaining = new ReachEngine(analysis, diagnosticEngineOptions(settings));
  const reach = computeReach(listing);
  const space = listing.space;
  const single = (id: string): boolean => (listing.node(id)?.classes.length ?? 1) === 1;
  let asked = 0;
  const ask = (from: string, to: string, protocol: string, port: number, want: boolean | null, why: string): void => {
    asked++;
    let r: ProbeResult;
    try {
      r = explainProbe(explaining, { from, to, port, protocol, via: undefined });
    } catch (e) {
      assert.fail(
        `${label}: ${from} -> ${to} ${protocol}/${port} (${why}): explain refused: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    assert.equal(
      r.allowed,
      want,
      `${label}: ${from} -> ${to} ${protocol}/${port} (${why}): explain says ${String(r.allowed)}: ${r.reason}`,
    );
    assert.doesNotMatch(r.reason, /\{ingress-controller|spec\.(ingress|egress)\[/, `${label}: the reason names internal ids: ${r.reason}`);
  };
  const listed = new Set<string>();
  for (const c of reach.connections) {
    listed.add(`${c.from}\n${c.to}`);
    for (const r of space.ranges(c.allowed)) {
      ask(c.from, c.to, r.protocol, r.port, true, 'listed as allowed');
      if (r.endPort !== r.port) ask(c.from, c.to, r.protocol, r.endPort, true, 'listed as allowed');
    }
    // The controller's lines are the backend ports alone; a node of several classes lists what all allow.
    if (c.from.startsWith('{') || !single(c.from) || !single(c.to)) continue;
    for (const r of space.ranges(c.undefined)) ask(c.from, c.to, r.protocol, r.port, null, 'listed as undefined');
    const rest = space.ranges(andNot(space.all(), or(c.allowed, c.undefined)))[0];
    if (rest !== undefined) ask(c.from, c.to, rest.protocol, rest.port, false, 'not listed on that port');
  }
  const ends = listing.nodes.filter(
    (n) =>
      n.classes.length === 1 &&
      !(listing.classes[n.classes[0] ?? -1]?.synthetic ?? true) &&
      listing.implementationDefined(n.classes[0] ?? -1) === undefined,
  );
  let unlisted = 0;
  for (const a of ends) {
    for (const b of ends) {
      if (a === b || listed.has(`${a.id}\n${b.id}`) || unlisted >= 400) continue;
      unlisted++;
      ask(a.id, b.id, 'TCP', 80, false, 'no line for the pair');
    }
  }
  return asked;
}
