/**
 * NetworkPolicies that only maybe select a pod (a templated podSelector: docs/dev/netpol-semantics.md
 * rule 1, possible outcomes). On seeded random workspaces of NetworkPolicies whose pod selectors are
 * templated or not (and, on some seeds, a BaselineAdminNetworkPolicy and AdminNetworkPolicies
 * around them), the all-pairs matrix must give the per-peer verdict of every pair, fresh and after
 * an edit; `explain` must confirm every connection `reach` lists; and every verdict that is sure
 * while the selectors are unknown must hold in each instantiation of them (the templated values
 * replaced by an app label of the workspace, or by one no pod has), where nothing is unknown. Half
 * the templated selectors reuse a value an earlier one uses (`{{ .Values.s0 }}` in two policies, or
 * in a policy and a peer); an instantiation sets the value once for every use, and a sure verdict
 * must hold there too. A third of the pods have a templated app label, and half of the
 * policies repeat an earlier one's namespace and pod selector: policies with one known selector
 * select such a pod together or not at all, which the engine uses (`CPolicy.selection`), and the
 * instantiations check that too (docs/dev/netpol-semantics.md rule 1). The same text of a templated
 * selector in one file is one value: policies with it select together too. On even seeds,
 * AdminNetworkPolicies whose subjects and peers repeat earlier selections: one unknown decides
 * several cluster-policy maybe-matches, weighed together (docs/dev/cluster-policies.md C13).
 */

import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AnalysisHost, readSettings } from '../../analysis/index.js';
import type { AnalysisSettings } from '../../analysis/index.js';
import { hasBit } from '../../analysis/reachability/bitset.js';
import { ReachEngine, optionsFromSettings } from '../../analysis/reachability/engine.js';
import { needsWorlds } from '../../analysis/reachability/clusterContexts.js';
import type { Protocol } from '../../analysis/reachability/ports.js';
import { crossCheck, explainCheck, incrementalCheck } from '../conformance/crossCheck.js';
import { rng } from '../support/fuzz.js';

const NS = ['a', 'b'];
const APPS = ['web', 'api', 'db'];
/** The probes compared between the templated workspace and its instantiations. */
const PROBES: ReadonlyArray<readonly [Protocol, number]> = [
  ['TCP', 80],
  ['TCP', 8080],
  ['TCP', 5432],
  ['TCP', 9999],
  ['UDP', 53],
];

interface Workspace {
  /** The text with `{{ .Values.sN }}` placeholders. */
  readonly text: string;
  /** How many templated values it has (s0 … sN-1). */
  readonly slots: number;
  readonly cluster: string | undefined;
}

function workspace(seed: number): Workspace {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number): boolean => r() < p;
  let slots = 0;
  const docs: string[] = [];
  for (const [i, ns] of NS.entries()) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {team: t${i}}}\n`);
  const pods = 3 + Math.floor(r() * 4);
  for (let i = 0; i < pods; i++) {
    const app = pick(APPS);
    const port = app === 'db' ? 5432 : pick([80, 8080]);
    // A pod whose app label is templated: policies with one known selector then maybe select it,
    // all together or none (the same label value decides them).
    const label = chance(0.35) ? `"{{ .Values.s${slots++} }}"` : app;
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w${i}, namespace: ${pick(NS)}}\nspec:\n  selector: {matchLabels: {app: ${label}, i: "${i}"}}\n  template:\n    metadata: {labels: {app: ${label}, i: "${i}"}}\n    spec:\n      containers: [{name: c, image: x, ports: [{containerPort: ${port}, name: main}]}]\n`,
    );
  }
  // A pod selector: templated (a slot, often one an earlier selector already uses: one value then
  // decides both), an app, or every pod.
  const podSel = (templatedChance: number): string => {
    if (chance(templatedChance)) {
      const slot = slots > 0 && chance(0.5) ? Math.floor(r() * slots) : slots++;
      return `{matchLabels: {app: "{{ .Values.s${slot} }}"}}`;
    }
    return chance(0.3) ? '{}' : `{matchLabels: {app: ${pick(APPS)}}}`;
  };
  const peer = (): string =>
    pick([
      `{podSelector: ${podSel(0.15)}}`,
      `{namespaceSelector: {matchLabels: {team: t${Math.floor(r() * 2)}}}}`,
      `{namespaceSelector: {}, podSelector: ${podSel(0.15)}}`,
      `{ipBlock: {cidr: ${pick(['203.0.113.0/24', '0.0.0.0/0'])}}}`,
    ]);
  const ports = (): string =>
    pick(['', `\n      ports: [{port: ${pick(['80', '8080', '5432', 'main'])}}]`, `\n      ports: [{port: 53, protocol: UDP}]`]);
  const rules = (dir: 'ingress' | 'egress'): string => {
    const n = Math.floor(r() * 3);
    let out = `  ${dir}:${n === 0 ? ' []' : ''}\n`;
    for (let i = 0; i < n; i++) out += `    - ${dir === 'ingress' ? 'from' : 'to'}: [${peer()}]${ports()}\n`;
    return out;
  };
  const netpols = 1 + Math.floor(r() * 5);
  const written: Array<{ ns: string; sel: string }> = [];
  for (let i = 0; i < netpols; i++) {
    const types = pick([['Ingress'], ['Egress'], ['Ingress', 'Egress']]);
    // Often the pod selector and namespace of an earlier policy: the two select the same pods.
    const again = written.length > 0 && chance(0.5) ? pick(written) : undefined;
    const ns = again?.ns ?? pick(NS);
    const sel = again?.sel ?? podSel(0.45);
    written.push({ ns, sel });
    let body = `  podSelector: ${sel}\n  policyTypes: [${types.join(', ')}]\n`;
    if (types.includes('Ingress')) body += rules('ingress');
    if (types.includes('Egress')) body += rules('egress');
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np${i}, namespace: ${ns}}\nspec:\n${body}`);
  }
  if (seed % 2 === 0) {
    // AdminNetworkPolicies whose subjects and peers often repeat an earlier selection (a known app
    // over a templated pod label, or the same templated text): one unknown then decides several
    // maybe-matches, which the engine weighs together (docs/dev/cluster-policies.md C13).
    const pool: string[] = [];
    const selection = (): string => {
      if (pool.length > 0 && chance(0.5)) return pick(pool);
      const ns = chance(0.5) ? '{}' : `{matchLabels: {team: t${Math.floor(r() * 2)}}}`;
      const s = `{pods: {namespaceSelector: ${ns}, podSelector: ${podSel(0.4)}}}`;
      pool.push(s);
      return s;
    };
    const anps = 1 + Math.floor(r() * 3);
    for (let i = 0; i < anps; i++) {
      let body = `  priority: ${pick([5, 10, 20])}\n  subject: ${selection()}\n`;
      for (const dir of ['ingress', 'egress'] as const) {
        const n = Math.floor(r() * 3);
        if (n === 0) continue;
        body += `  ${dir}:\n`;
        for (let k = 0; k < n; k++) {
          const port = chance(0.5) ? '' : `\n      ports: [{portNumber: {port: ${pick([80, 8080, 5432])}}}]`;
          body += `    - name: r${k}\n      action: ${pick(['Allow', 'Deny', 'Pass'])}\n      ${dir === 'ingress' ? 'from' : 'to'}: [${selection()}]${port}\n`;
        }
      }
      docs.push(`apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: anp${i}}\nspec:\n${body}`);
    }
  }
  let cluster: string | undefined;
  if (seed % 3 === 0) {
    // The Baseline tier decides what the NetworkPolicies leave when none of them selects the pod.
    const action = (): string => pick(['Allow', 'Deny']);
    cluster =
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject:\n    namespaces: {}\n` +
      `  ingress:\n    - name: i0\n      action: ${action()}\n      from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: ${pick(APPS)}}}}}]\n    - name: i1\n      action: ${action()}\n      from: [{namespaces: {}}]\n` +
      `  egress:\n    - name: e0\n      action: ${action()}\n      to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: ${pick(APPS)}}}}}]\n      ports: [{portNumber: {port: ${pick([80, 8080, 5432])}}}]\n    - name: e1\n      action: ${action()}\n      to: [{networks: [0.0.0.0/0]}]\n`;
    if (chance(0.5))
      cluster += `---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: pass-web}\nspec:\n  priority: 3\n  subject:\n    pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: ${pick(APPS)}}}}\n  ingress:\n    - name: p\n      action: ${pick(['Pass', 'Allow', 'Deny'])}\n      from: [{namespaces: {matchLabels: {team: t${Math.floor(r() * 2)}}}}]\n`;
  }
  return { text: docs.join('---\n'), slots, cluster };
}

const TEMPLATED = readSettings({ templateGlobs: ['**/*.yaml'] }).settings;
const PLAIN = readSettings({}).settings;

function files(w: Workspace, text = w.text): Map<string, string> {
  const out = new Map([['file:///random/workloads.yaml', text]]);
  if (w.cluster !== undefined) out.set('file:///random/cluster.yaml', w.cluster);
  return out;
}

function engineOf(fs: ReadonlyMap<string, string>, settings: AnalysisSettings): ReachEngine {
  const host = new AnalysisHost(settings);
  for (const [uri, text] of fs) host.setFile(uri, text);
  return new ReachEngine(host.snapshot(), optionsFromSettings(settings));
}

test('maybe-selecting NetworkPolicies: the all-pairs matrix agrees with the per-peer evaluation, fresh and after an edit', () => {
  let maybeSides = 0;
  let togetherSides = 0;
  let worldSides = 0;
  for (let seed = 1; seed <= 120; seed++) {
    const w = workspace(seed);
    const fs = files(w);
    crossCheck(`seed ${seed}`, fs, TEMPLATED);
    if (seed % 4 === 0)
      incrementalCheck(`seed ${seed} edit`, fs, TEMPLATED, 'file:///random/workloads.yaml', (t) =>
        t.replace(/port: (80|8080)\b/, 'port: 5432').replace('{{ .Values.s0 }}', 'web'),
      );
    const e = engineOf(fs, TEMPLATED);
    for (const c of e.classes) {
      for (const dir of ['ingress', 'egress'] as const) if (needsWorlds(e, c.index, dir)) worldSides++;
      const sel = e.selectingOf(c.index);
      for (const [sure, maybe] of [
        [sel.ingress, sel.ingressMaybe],
        [sel.egress, sel.egressMaybe],
      ] as const) {
        if (sure.length > 0 || maybe.length === 0) continue;
        maybeSides++;
        if (new Set(maybe.map((p) => p.selection)).size < maybe.length) togetherSides++;
      }
    }
  }
  // The generator must exercise sides that only maybe-selecting policies may isolate, and sides two
  // of which select the pod together (one known selector, the pod's label templated).
  assert.ok(maybeSides > 100, `only ${maybeSides} maybe-only sides`);
  assert.ok(togetherSides > 20, `only ${togetherSides} sides with policies that select the pod together`);
  // And sides where one unknown decides several cluster-policy maybe-matches.
  assert.ok(worldSides > 30, `only ${worldSides} sides with cluster-policy matches one unknown decides together`);
});

test('maybe-selecting NetworkPolicies: every connection reach lists is confirmed by explain', () => {
  for (let seed = 2; seed <= 120; seed += 4) explainCheck(`seed ${seed}`, files(workspace(seed)), TEMPLATED);
});

test('maybe-selecting NetworkPolicies: a verdict sure with unknown selectors holds in every instantiation of them', () => {
  let sure = 0;
  let decidedHere = 0;
  let shared = 0;
  for (let seed = 1; seed <= 120; seed++) {
    const w = workspace(seed);
    const uses = new Map<string, number>();
    for (const m of w.text.matchAll(/\{\{ \.Values\.s(\d+) \}\}/g)) uses.set(m[1] ?? '', (uses.get(m[1] ?? '') ?? 0) + 1);
    const sharedHere = [...uses.values()].some((n) => n > 1);
    if (sharedHere) shared++;
    const open = engineOf(files(w), TEMPLATED);
    const r = rng(seed * 7919);
    const values = [...APPS, 'nobody'];
    // Every slot the same value (each app, and none), then random mixes.
    const worlds: string[][] = values.map((v) => Array.from({ length: w.slots }, () => v));
    for (let k = 0; k < 6; k++) worlds.push(Array.from({ length: w.slots }, () => values[Math.floor(r() * values.length)] ?? 'nobody'));
    const classOf = (e: ReachEngine): Map<string, number> => {
      const m = new Map<string, number>();
      for (const n of e.nodes) if (n.classes.length === 1 && n.classes[0] !== undefined) m.set(n.id, n.classes[0]);
      return m;
    };
    const openClasses = classOf(open);
    for (const world of worlds) {
      const text = w.text.replace(/\{\{ \.Values\.s(\d+) \}\}/g, (_, i: string) => world[Number(i)] ?? 'nobody');
      const inst = engineOf(files(w, text), PLAIN);
      const instClasses = classOf(inst);
      for (const [from, s] of openClasses)
        for (const [to, d] of openClasses) {
          const is = instClasses.get(from);
          const id = instClasses.get(to);
          if (s === d || is === undefined || id === undefined) continue;
          const v = open.pair({ kind: 'class', index: s }, { kind: 'class', index: d });
          const x = inst.pair({ kind: 'class', index: is }, { kind: 'class', index: id });
          for (const [proto, port] of PROBES) {
            const a = open.space.atomOf(proto, port);
            const b = inst.space.atomOf(proto, port);
            const there = hasBit(x.yes, b) ? 'allowed' : hasBit(x.maybe, b) ? undefined : 'denied';
            const here = hasBit(v.yes, a) ? 'allowed' : hasBit(v.maybe, a) ? undefined : 'denied';
            if (here === undefined) continue;
            sure++;
            if (open.selectingOf(d).ingress.length === 0 && open.selectingOf(d).ingressMaybe.length > 0) decidedHere++;
            assert.ok(
              there === undefined || there === here,
              `seed ${seed}: ${from} -> ${to} ${proto}/${port}: ${here} with unknown selectors, ${String(there)} with ${world.join(',')}`,
            );
          }
        }
    }
  }
  assert.ok(sure > 0);
  // Sure verdicts on sides only maybe-selecting policies may isolate: what this change decides.
  assert.ok(decidedHere > 50, `only ${decidedHere} sure verdicts toward maybe-only ingress sides`);
  // Workspaces where one templated value decides two selectors.
  assert.ok(shared > 30, `only ${shared} workspaces share a templated value`);
});
