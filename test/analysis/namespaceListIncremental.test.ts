/**
 * The connection list of one namespace after NetworkPolicy edits (the panel's namespace asked again: `computeReach` with
 * the last matrix, `connectionList.ts` `namespaceAfterEdit`) carries the lines whose ends' sides the edit left alone and
 * computes the others: over many seeded random edits of a NetworkPolicy-heavy workspace (a peer's label, a port, a
 * policy removed and put back, a policy added), it must equal the list of an engine and matrix built from nothing.
 */

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import type { ReachMatrix } from '../../analysis/reachability/matrix.js';
import { computeReach } from '../../analysis/reachability/connectionList.js';
import { ReachEngine, optionsFromSettings } from '../../analysis/reachability/engine.js';
import { reachJson } from '../../analysis/reachability/render.js';
import { generateWorkspace, rng } from '../../scripts/bench/generate.js';

test('a namespace list after random NetworkPolicy edits equals one built from nothing', () => {
  const ws = generateWorkspace(600, 20261208, 'netpol');
  const host = new AnalysisHost();
  const texts = new Map<string, string>();
  for (const [rel, text] of ws.files) {
    texts.set(`file:///ws/${rel}`, text);
    host.setFile(`file:///ws/${rel}`, text);
  }
  const policies = [...texts.keys()].filter((u) => /^kind: NetworkPolicy$/m.test(texts.get(u) ?? ''));
  assert.ok(policies.length > 10, `only ${policies.length} policy files`);
  const namespaces = [...new Set(policies.map((u) => /namespace: (\S+)/.exec(texts.get(u) ?? '')?.[1] ?? ''))].slice(0, 3);
  const random = rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const edits: ReadonlyArray<(t: string) => string> = [
    (t) => t.replace(/tier: frontend\n/, 'tier: frontendx\n'),
    (t) => t.replace(/tier: frontendx\n/, 'tier: frontend\n'),
    (t) => t.replace(/port: (\d+)/, (_m, p: string) => `port: ${Number(p) === 9999 ? 8080 : 9999}`),
    () => '',
    (t) =>
      `${t}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: added-${Math.floor(random() * 1e6)}, namespace: ${pick(namespaces)}}\nspec:\n  podSelector: {}\n  ingress: [{from: [{podSelector: {matchLabels: {tier: backend}}}]}]\n`,
  ];
  let last = new Map<string, ReachMatrix | undefined>();
  let carried = 0;
  for (let i = 0; i < 40; i++) {
    const uri = pick(policies);
    // Now and then a file back as it was (a removed policy returns).
    const next = random() < 0.2 ? (ws.files.get(uri.slice('file:///ws/'.length)) ?? '') : pick(edits)(texts.get(uri) ?? '');
    texts.set(uri, next);
    host.setFile(uri, next);
    const analysis = host.snapshot();
    const engine = analysis.reachEngine();
    const fresh = new ReachEngine(analysis, optionsFromSettings(analysis.settings));
    const now = new Map<string, ReachMatrix | undefined>();
    for (const ns of namespaces) {
      const r = computeReach(engine, ns, last.get(ns));
      carried += r.carried ?? 0;
      now.set(ns, r.matrix);
      const f = computeReach(fresh, ns);
      assert.deepEqual(reachJson(engine.space, r, ns), reachJson(fresh.space, f, ns), `edit ${i} (${uri}), namespace ${ns}`);
    }
    last = now;
  }
  assert.ok(carried > 0, 'no line was carried over: the incremental path was not taken');
});
