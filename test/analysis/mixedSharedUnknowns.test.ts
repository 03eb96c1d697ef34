/**
 * One unknown deciding a NetworkPolicy's selection and cluster policies' subjects and peers
 * (docs/dev/cluster-policies.md C13), and a subject and a peer of a pod's own traffic. On seeded
 * random workspaces of NetworkPolicies, AdminNetworkPolicies and a BaselineAdminNetworkPolicy whose
 * selectors come from a small pool (fixed `app` values, and one templated text that one value
 * decides everywhere in the file), over pods whose app labels are often templated and that often
 * run two replicas: the all-pairs matrix gives the per-peer verdict of every pair (a class's own
 * cell included); `explain` confirms every connection `reach` lists; and every verdict that is sure
 * while the labels and the templated selector are unknown holds in each instantiation of them.
 * Taking a NetworkPolicy's selection and a subject over the same pods as independent leaves such
 * verdicts undefined (sound); taking two different pod selectors as one unknown fails here.
 */

import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AnalysisHost, readSettings } from '../../analysis/index.js';
import type { AnalysisSettings } from '../../analysis/index.js';
import { hasBit } from '../../analysis/reachability/bitset.js';
import { ReachEngine, optionsFromSettings } from '../../analysis/reachability/engine.js';
import type { Protocol } from '../../analysis/reachability/ports.js';
import { worldsOf } from '../../analysis/reachability/clusterContexts.js';
import { crossCheck, explainCheck } from '../conformance/crossCheck.js';
import { rng } from '../support/fuzz.js';

const APPS = ['web', 'api', 'db'];
const PROBES: ReadonlyArray<readonly [Protocol, number]> = [
  ['TCP', 80],
  ['TCP', 5432],
  ['UDP', 53],
];
const URI = 'file:///shared/workspace.yaml';
const SELECTED = '"{{ .Values.sel }}"';

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
    const replicas = chance(0.5) ? '\n  replicas: 2' : '';
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w${i}, namespace: ${pick(['a', 'b'])}}\nspec:${replicas}\n  selector: {matchLabels: {app: ${label}, i: "${i}"}}\n  template:\n    metadata: {labels: {app: ${label}, i: "${i}"}}\n    spec:\n      containers: [{name: c, image: x, ports: [{containerPort: ${pick([80, 5432])}}, {containerPort: 53, protocol: UDP}]}]\n`,
    );
  }
  // A small pool of pod selectors (one templated text), each with or without a namespace part.
  const podSels: string[] = [];
  for (let i = 0; i < 3; i++) podSels.push(`{matchLabels: {app: ${chance(0.3) ? SELECTED : pick(APPS)}}}`);
  const clusterSel = (): string => {
    const ns = chance(0.5) ? '{}' : `{matchLabels: {team: t${Math.floor(r() * 2)}}}`;
    return `{pods: {namespaceSelector: ${ns}, podSelector: ${pick(podSels)}}}`;
  };
  const port = (cluster: boolean): string =>
    chance(0.5)
      ? ''
      : cluster
        ? `\n      ports: [{portNumber: {port: ${pick([80, 5432])}}}]`
        : `\n      ports: [{port: ${pick([80, 5432])}}]`;
  const clusterRules = (dir: 'ingress' | 'egress', actions: readonly string[]): string => {
    const n = Math.floor(r() * 3);
    if (n === 0) return '';
    let out = `  ${dir}:\n`;
    for (let k = 0; k < n; k++)
      out += `    - name: r${k}\n      action: ${pick(actions)}\n      ${dir === 'ingress' ? 'from' : 'to'}: [${clusterSel()}]${port(true)}\n`;
    return out;
  };
  const nps = 1 + Math.floor(r() * 3);
  for (let i = 0; i < nps; i++) {
    const types = pick([['Ingress'], ['Egress'], ['Ingress', 'Egress']]);
    let body = `  podSelector: ${pick(podSels)}\n  policyTypes: [${types.join(', ')}]\n`;
    for (const t of types) {
      const dir = t === 'Ingress' ? 'ingress' : 'egress';
      const n = Math.floor(r() * 3);
      if (n === 0) continue;
      body += `  ${dir}:\n`;
      for (let k = 0; k < n; k++) {
        const peer = chance(0.5) ? `{podSelector: ${pick(podSels)}}` : '{namespaceSelector: {}}';
        body += `    - ${dir === 'ingress' ? 'from' : 'to'}: [${peer}]${port(false)}\n`;
      }
    }
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np${i}, namespace: ${pick(['a', 'b'])}}\nspec:\n${body}`,
    );
  }
  const anps = 1 + Math.floor(r() * 3);
  for (let i = 0; i < anps; i++) {
    const body = `  priority: ${pick([5, 10, 20])}\n  subject: ${clusterSel()}\n${clusterRules('ingress', ['Allow', 'Deny', 'Pass'])}${clusterRules('egress', ['Allow', 'Deny', 'Pass'])}`;
    docs.push(`apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: anp${i}}\nspec:\n${body}`);
  }
  if (chance(0.5))
    docs.push(
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: ${clusterSel()}\n${clusterRules('ingress', ['Allow', 'Deny'])}${clusterRules('egress', ['Allow', 'Deny'])}`,
    );
  return { text: docs.join('---\n'), slots };
}

const TEMPLATED = readSettings({ templateGlobs: ['**/*.yaml'] }).settings;
const PLAIN = readSettings({}).settings;

function engineOf(text: string, settings: AnalysisSettings): ReachEngine {
  const host = new AnalysisHost(settings);
  host.setFile(URI, text);
  return new ReachEngine(host.snapshot(), optionsFromSettings(settings));
}

const SEEDS = 100;

test('NetworkPolicy and cluster unknowns: the all-pairs matrix agrees with the per-peer evaluation', () => {
  let mixed = 0;
  let own = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const w = workspace(seed);
    crossCheck(`seed ${seed}`, new Map([[URI, w.text]]), TEMPLATED);
    const e = engineOf(w.text, TEMPLATED);
    for (const c of e.classes)
      for (const dir of ['ingress', 'egress'] as const) {
        const x = worldsOf(e, c.index, dir);
        if (x?.signature.includes('n[') === true) mixed++;
        if (x?.own === true) own++;
      }
  }
  assert.ok(mixed > 30, `only ${mixed} sides where a NetworkPolicy's selection shares an unknown with a cluster policy`);
  assert.ok(own > 20, `only ${own} sides where a subject and a peer of the pod's own traffic share an unknown`);
});

test('NetworkPolicy and cluster unknowns: every connection reach lists is confirmed by explain', () => {
  for (let seed = 2; seed <= SEEDS; seed += 5) explainCheck(`seed ${seed}`, new Map([[URI, workspace(seed).text]]), TEMPLATED);
});

test('NetworkPolicy and cluster unknowns: a verdict sure with unknown labels holds in every instantiation of them', () => {
  let sure = 0;
  let weighed = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const w = workspace(seed);
    const open = engineOf(w.text, TEMPLATED);
    const r = rng(seed * 7919);
    const values = [...APPS, 'nobody'];
    const value = (): string => values[Math.floor(r() * values.length)] ?? 'nobody';
    const classOf = (e: ReachEngine): Map<string, number> => {
      const m = new Map<string, number>();
      for (const n of e.nodes) if (n.classes.length === 1 && n.classes[0] !== undefined) m.set(n.id, n.classes[0]);
      return m;
    };
    const openClasses = classOf(open);
    for (let k = 0; k < 10; k++) {
      const world = Array.from({ length: w.slots }, value);
      const sel = value();
      const text = w.text
        .replace(/\{\{ \.Values\.p(\d+) \}\}/g, (_, i: string) => world[Number(i)] ?? 'nobody')
        .replace(/\{\{ \.Values\.sel \}\}/g, sel);
      const inst = engineOf(text, PLAIN);
      const instClasses = classOf(inst);
      for (const [from, s] of openClasses)
        for (const [to, d] of openClasses) {
          const is = instClasses.get(from);
          const id = instClasses.get(to);
          // A class's own cell: between two of its pods (two replicas).
          if (is === undefined || id === undefined || (s === d && open.classes[s]?.multi !== true)) continue;
          const v = open.pair({ kind: 'class', index: s }, { kind: 'class', index: d });
          const x = inst.pair({ kind: 'class', index: is }, { kind: 'class', index: id });
          const both = worldsOf(open, d, 'ingress') !== undefined || worldsOf(open, s, 'egress') !== undefined;
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
              `seed ${seed}: ${from} -> ${to} ${proto}/${port}: ${here} with unknown labels, ${String(there)} with ${world.join(',')} sel=${sel}`,
            );
          }
        }
    }
  }
  assert.ok(sure > 0);
  assert.ok(weighed > 500, `only ${weighed} sure verdicts on sides with shared unknowns`);
});
