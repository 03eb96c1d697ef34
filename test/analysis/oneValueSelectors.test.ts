/**
 * One templated value of one label key (docs/dev/cluster-policies.md C13, `oneValueKey`): a pod
 * selector `app: "{{ .Values.sN }}"` renders to one value, so over pods whose app labels are known
 * it matches the pods of one app. On seeded random workspaces of AdminNetworkPolicies (and a
 * BaselineAdminNetworkPolicy) whose subjects and peers are drawn from a small pool of selections,
 * some of them templated with one of two texts, over pods of known apps: the all-pairs matrix
 * gives the per-peer verdict of every pair; `explain` confirms every connection `reach` lists; and
 * every verdict that is sure with the values unknown holds in each instantiation of them. Linking
 * two pods' matches the wrong way (pods of one app never both, or pods of two apps together) makes
 * a sure verdict that some instantiation contradicts, and fails here.
 */

import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { hasBit } from '../../analysis/reachability/bitset.js';
import type { ReachEngine } from '../../analysis/reachability/engine.js';
import type { Protocol } from '../../analysis/reachability/ports.js';
import { explainProbe } from '../../analysis/reachability/explain.js';
import { crossCheck, explainCheck } from '../conformance/crossCheck.js';
import { rng } from '../support/fuzz.js';
import { PLAIN, TEMPLATED, engineOf, randomAdminPolicies, teamNamespaces } from '../support/adminPolicies.js';

const APPS = ['web', 'api', 'db'];
const TEXTS = 2;
const PROBES: ReadonlyArray<readonly [Protocol, number]> = [
  ['TCP', 80],
  ['TCP', 5432],
];
const URI = 'file:///one-value/workspace.yaml';

function workspace(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number): boolean => r() < p;
  const docs = teamNamespaces();
  const pods = 3 + Math.floor(r() * 3);
  for (let i = 0; i < pods; i++) {
    const app = pick(APPS);
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w${i}, namespace: ${pick(['a', 'b'])}}\nspec:\n  selector: {matchLabels: {app: ${app}, i: "${i}"}}\n  template:\n    metadata: {labels: {app: ${app}, i: "${i}"}}\n    spec:\n      containers: [{name: c, image: x, ports: [{containerPort: ${pick([80, 5432])}}]}]\n`,
    );
  }
  // A small pool: selections repeat across subjects and peers, most of them by a templated value.
  const pool: string[] = [];
  for (let i = 0; i < 4; i++) {
    const ns = chance(0.6) ? '{}' : `{matchLabels: {team: t${Math.floor(r() * 2)}}}`;
    const app = chance(0.75) ? `"{{ .Values.s${Math.floor(r() * TEXTS)} }}"` : pick(APPS);
    pool.push(`{pods: {namespaceSelector: ${ns}, podSelector: {matchLabels: {app: ${app}}}}}`);
  }
  docs.push(...randomAdminPolicies(r, pool));
  return docs.join('---\n');
}

const SEEDS = 80;

test('one templated value of a label: the all-pairs matrix agrees with the per-peer evaluation', () => {
  for (let seed = 1; seed <= SEEDS; seed++) crossCheck(`seed ${seed}`, new Map([[URI, workspace(seed)]]), TEMPLATED);
});

test('one templated value of a label: every connection reach lists is confirmed by explain', () => {
  for (let seed = 2; seed <= SEEDS; seed += 4) explainCheck(`seed ${seed}`, new Map([[URI, workspace(seed)]]), TEMPLATED);
});

test('one templated value of a label: a verdict sure with the value unknown holds for every value', () => {
  let sure = 0;
  let linked = 0;
  const values = [...APPS, 'nobody'];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const text = workspace(seed);
    const open = engineOf(URI, text, TEMPLATED);
    const ids = new Map<string, number>();
    for (const n of open.nodes) if (n.classes.length === 1 && n.classes[0] !== undefined) ids.set(n.id, n.classes[0]);
    const insts: Array<{ engine: ReachEngine; ids: Map<string, number>; world: string }> = [];
    for (const s0 of values)
      for (const s1 of values) {
        const engine = engineOf(URI, text.replaceAll('{{ .Values.s0 }}', s0).replaceAll('{{ .Values.s1 }}', s1), PLAIN);
        const m = new Map<string, number>();
        for (const n of engine.nodes) if (n.classes.length === 1 && n.classes[0] !== undefined) m.set(n.id, n.classes[0]);
        insts.push({ engine, ids: m, world: `s0=${s0} s1=${s1}` });
      }
    for (const [from, s] of ids)
      for (const [to, d] of ids) {
        if (s === d) continue;
        const v = open.pair({ kind: 'class', index: s }, { kind: 'class', index: d });
        for (const [proto, port] of PROBES) {
          const a = open.space.atomOf(proto, port);
          const here = hasBit(v.yes, a) ? 'allowed' : hasBit(v.maybe, a) ? undefined : 'denied';
          if (here === undefined) continue;
          sure++;
          const why = JSON.stringify(explainProbe(open, { from, to, port, protocol: proto, via: undefined }));
          if (why.includes('by one templated value')) linked++;
          const there = insts.map((x) => {
            const xv = x.engine.pair({ kind: 'class', index: x.ids.get(from) ?? -1 }, { kind: 'class', index: x.ids.get(to) ?? -1 });
            const b = x.engine.space.atomOf(proto, port);
            return { world: x.world, verdict: hasBit(xv.yes, b) ? 'allowed' : hasBit(xv.maybe, b) ? undefined : 'denied' };
          });
          const wrong = there.find((t) => t.verdict !== undefined && t.verdict !== here);
          assert.equal(
            wrong,
            undefined,
            `seed ${seed}: ${from} -> ${to} ${proto}/${port}: ${here} with the values unknown, ${wrong?.verdict ?? ''} with ${wrong?.world ?? ''}`,
          );
        }
      }
  }
  assert.ok(sure > 1000, `only ${sure} sure verdicts`);
  // Sure verdicts where two pods' matches were linked by one value (explain says so).
  assert.ok(linked > 100, `only ${linked} sure verdicts with linked matches`);
});
