/**
 * One unknown deciding several cluster-policy maybe-matches (docs/dev/cluster-policies.md C13): a
 * pod's templated app label decides every subject and peer that selects by `app`, and the same
 * selection written twice matches together or not at all. On seeded random workspaces of
 * AdminNetworkPolicies (and a BaselineAdminNetworkPolicy) whose subjects and peers are drawn from
 * a small pool of selections, over pods whose app labels are often templated (each its own value):
 * the all-pairs matrix gives the per-peer verdict of every pair; `explain` confirms every connection
 * `reach` lists; and every verdict that is sure while the labels are unknown holds in each
 * instantiation of them, where nothing is unknown. The engine weighs a selection that repeats as
 * one unknown: a key that took two different selections for one (say `app=web` and `app=api` over
 * one label) would leave out the worlds where one matches and the other does not, and fails here.
 */

import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readSettings } from '../../analysis/index.js';
import type { AnalysisSettings } from '../../analysis/index.js';
import { hasBit } from '../../analysis/reachability/bitset.js';
import type { ReachEngine } from '../../analysis/reachability/engine.js';
import type { Protocol } from '../../analysis/reachability/ports.js';
import { needsWorlds } from '../../analysis/reachability/clusterContexts.js';
import { crossCheck, explainCheck } from '../conformance/crossCheck.js';
import { rng } from '../support/fuzz.js';
import { engineOf as engineOfFile, randomAdminPolicies } from '../support/adminPolicies.js';

const APPS = ['web', 'api', 'db'];
const PROBES: ReadonlyArray<readonly [Protocol, number]> = [
  ['TCP', 80],
  ['TCP', 5432],
  ['UDP', 53],
];
const URI = 'file:///shared/workspace.yaml';

interface Workspace {
  readonly text: string;
  /** How many templated pod labels it has (`{{ .Values.pN }}`, one value each). */
  readonly slots: number;
}

function workspace(seed: number): Workspace {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number): boolean => r() < p;
  const docs: string[] = [];
  for (const [i, ns] of ['a', 'b'].entries())
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {team: t${i}}}\n`);
  let slots = 0;
  const pods = 3 + Math.floor(r() * 3);
  for (let i = 0; i < pods; i++) {
    const label = chance(0.6) ? `"{{ .Values.p${slots++} }}"` : pick(APPS);
    const port = pick([80, 5432]);
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w${i}, namespace: ${pick(['a', 'b'])}}\nspec:\n  selector: {matchLabels: {app: ${label}, i: "${i}"}}\n  template:\n    metadata: {labels: {app: ${label}, i: "${i}"}}\n    spec:\n      containers: [{name: c, image: x, ports: [{containerPort: ${port}}, {containerPort: 53, protocol: UDP}]}]\n`,
    );
  }
  // A small pool: selections repeat across subjects and peers.
  const pool: string[] = [];
  for (let i = 0; i < 3; i++) {
    const ns = chance(0.6) ? '{}' : `{matchLabels: {team: t${Math.floor(r() * 2)}}}`;
    pool.push(`{pods: {namespaceSelector: ${ns}, podSelector: {matchLabels: {app: ${pick(APPS)}}}}}`);
  }
  docs.push(...randomAdminPolicies(r, pool));
  return { text: docs.join('---\n'), slots };
}

const TEMPLATED = readSettings({ templateGlobs: ['**/*.yaml'] }).settings;
const PLAIN = readSettings({}).settings;

function engineOf(text: string, settings: AnalysisSettings): ReachEngine {
  return engineOfFile(URI, text, settings);
}

const SEEDS = 100;

test('shared unknowns in cluster policies: the all-pairs matrix agrees with the per-peer evaluation', () => {
  let sides = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const w = workspace(seed);
    crossCheck(`seed ${seed}`, new Map([[URI, w.text]]), TEMPLATED);
    const e = engineOf(w.text, TEMPLATED);
    for (const c of e.classes) for (const dir of ['ingress', 'egress'] as const) if (needsWorlds(e, c.index, dir)) sides++;
  }
  assert.ok(sides > 100, `only ${sides} sides where one unknown decides several matches`);
});

test('shared unknowns in cluster policies: every connection reach lists is confirmed by explain', () => {
  for (let seed = 3; seed <= SEEDS; seed += 5) explainCheck(`seed ${seed}`, new Map([[URI, workspace(seed).text]]), TEMPLATED);
});

test('shared unknowns in cluster policies: a verdict sure with unknown labels holds in every instantiation of them', () => {
  let sure = 0;
  let weighed = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const w = workspace(seed);
    const open = engineOf(w.text, TEMPLATED);
    const r = rng(seed * 104729);
    const values = [...APPS, 'nobody'];
    const worlds: string[][] = [];
    for (let k = 0; k < 10; k++) worlds.push(Array.from({ length: w.slots }, () => values[Math.floor(r() * values.length)] ?? 'nobody'));
    const classOf = (e: ReachEngine): Map<string, number> => {
      const m = new Map<string, number>();
      for (const n of e.nodes) if (n.classes.length === 1 && n.classes[0] !== undefined) m.set(n.id, n.classes[0]);
      return m;
    };
    const openClasses = classOf(open);
    for (const world of worlds) {
      const text = w.text.replace(/\{\{ \.Values\.p(\d+) \}\}/g, (_, i: string) => world[Number(i)] ?? 'nobody');
      const inst = engineOf(text, PLAIN);
      const instClasses = classOf(inst);
      for (const [from, s] of openClasses)
        for (const [to, d] of openClasses) {
          const is = instClasses.get(from);
          const id = instClasses.get(to);
          if (s === d || is === undefined || id === undefined) continue;
          const v = open.pair({ kind: 'class', index: s }, { kind: 'class', index: d });
          const x = inst.pair({ kind: 'class', index: is }, { kind: 'class', index: id });
          const both = needsWorlds(open, d, 'ingress') || needsWorlds(open, s, 'egress');
          for (const [proto, port] of PROBES) {
            const a = open.space.atomOf(proto, port);
            const b = inst.space.atomOf(proto, port);
            const here = hasBit(v.yes, a) ? 'allowed' : hasBit(v.maybe, a) ? undefined : 'denied';
            const there = hasBit(x.yes, b) ? 'allowed' : hasBit(x.maybe, b) ? undefined : 'denied';
            if (here === undefined) continue;
            sure++;
            if (both) weighed++;
            assert.ok(
              there === undefined || there === here,
              `seed ${seed}: ${from} -> ${to} ${proto}/${port}: ${here} with unknown labels, ${String(there)} with ${world.join(',')}`,
            );
          }
        }
    }
  }
  assert.ok(sure > 0);
  // Sure verdicts on sides where shared unknowns were weighed together.
  assert.ok(weighed > 500, `only ${weighed} sure verdicts on sides with shared unknowns`);
});
