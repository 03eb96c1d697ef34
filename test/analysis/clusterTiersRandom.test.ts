/**
 * The all-pairs matrix evaluates the cluster tiers over peer sets rule by rule
 * (`analysis/reachability/tieredSides.ts`); `explain` and every probe evaluate them per peer
 * (`TierVerdicts.side`). On seeded random workspaces of NetworkPolicies, AdminNetworkPolicies,
 * the BaselineAdminNetworkPolicy and ClusterNetworkPolicies of both tiers (equal priorities, Pass,
 * fail-closed peers, networks and nodes peers, numbered, ranged and named ports, named ports that
 * resolve differently per pod), every class pair and every external range must get the same
 * verdict from both paths, fresh and after an edit to one cluster policy, and on the exposure
 * engine, whose representative pods have labels the manifests leave open (maybe-matches).
 *
 * Possible outcomes (docs/dev/cluster-policies.md C13) are checked against instantiations of the
 * unknown: with the default pod CIDRs, a `networks: [10.0.0.0/8]` peer matches a pod only maybe;
 * with pod CIDRs inside 10.0.0.0/8 it surely matches and with pod CIDRs outside it surely does
 * not. Both are worlds the default admits, so a pair allowed (denied) under the default must not
 * be denied (allowed) in either.
 */

import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AnalysisHost, readSettings } from '../../analysis/index.js';
import { hasBit } from '../../analysis/reachability/bitset.js';
import { ReachEngine, optionsFromSettings } from '../../analysis/reachability/engine.js';
import { exposureEngine } from '../../analysis/reachability/exposure.js';
import { crossCheck, explainCheck, incrementalChain, incrementalCheck } from '../conformance/crossCheck.js';
import { rng } from '../support/fuzz.js';

const NS = ['a', 'b', 'c'];
const APPS = ['web', 'api', 'db', 'dns'];

function workspace(seed: number): { files: Map<string, string>; cluster: string[] } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number): boolean => r() < p;
  const docs: string[] = [];
  for (const [i, ns] of NS.entries())
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {team: t${i % 2}, env: ${pick(['prod', 'dev'])}}}\n`);
  const pods = 4 + Math.floor(r() * 5);
  for (let i = 0; i < pods; i++) {
    const app = pick(APPS);
    // The same port name on different numbers (and protocols) per pod: named ports resolve per destination.
    const http = pick([80, 8080, 8443]);
    const ports =
      app === 'dns'
        ? `[{containerPort: 53, name: dns, protocol: UDP}, {containerPort: 53, name: dns-tcp}]`
        : `[{containerPort: ${http}, name: http}, {containerPort: ${pick([9100, 9090])}, name: metrics}]`;
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w${i}, namespace: ${pick(NS)}}\nspec:\n  selector: {matchLabels: {app: ${app}, i: "${i}"}}\n  template:\n    metadata: {labels: {app: ${app}, i: "${i}", tier: ${pick(['front', 'back'])}}}\n    spec:\n      containers:\n        - name: c\n          image: x\n          ports: ${ports}\n`,
    );
  }
  const sel = (): string => (chance(0.3) ? '{}' : `{matchLabels: {app: ${pick(APPS)}}}`);
  const npPeer = (): string =>
    pick([
      `{podSelector: ${sel()}}`,
      `{namespaceSelector: {matchLabels: {team: t${Math.floor(r() * 2)}}}}`,
      `{namespaceSelector: {}, podSelector: ${sel()}}`,
      `{ipBlock: {cidr: ${pick(['203.0.113.0/24', '0.0.0.0/0', '198.51.100.0/25'])}}}`,
    ]);
  const npPorts = (): string =>
    pick(['', `\n      ports: [{port: ${pick(['80', '8080', 'http', 'metrics', '53'])}${chance(0.3) ? ', protocol: UDP' : ''}}]`]);
  const netpols = Math.floor(r() * 4);
  for (let i = 0; i < netpols; i++) {
    const types = pick([['Ingress'], ['Egress'], ['Ingress', 'Egress']]);
    let body = `  podSelector: ${sel()}\n  policyTypes: [${types.join(', ')}]\n`;
    if (types.includes('Ingress') && chance(0.8)) body += `  ingress:\n    - from: [${npPeer()}]${npPorts()}\n`;
    if (types.includes('Egress') && chance(0.8)) body += `  egress:\n    - to: [${npPeer()}]${npPorts()}\n`;
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np${i}, namespace: ${pick(NS)}}\nspec:\n${body}`);
  }
  const files = new Map([[`file:///random/${seed}/workloads.yaml`, docs.join('---\n')]]);
  const cluster: string[] = [];
  const subject = (v2: boolean): string =>
    pick([
      `    namespaces: {matchLabels: {team: t${Math.floor(r() * 2)}}}\n`,
      `    namespaces: {}\n`,
      `    pods:\n      namespaceSelector: {matchLabels: {env: ${pick(['prod', 'dev'])}}}\n      podSelector: ${sel()}\n`,
      v2 ? `    pods:\n      podSelector: ${sel()}\n` : `    pods:\n      namespaceSelector: {}\n      podSelector: ${sel()}\n`,
    ]);
  const peer = (egress: boolean, v2: boolean): string =>
    pick([
      `{namespaces: {matchLabels: {team: t${Math.floor(r() * 2)}}}}`,
      `{namespaces: {}}`,
      v2 ? `{pods: {podSelector: ${sel()}}}` : `{pods: {namespaceSelector: {}, podSelector: ${sel()}}}`,
      `{pods: {namespaceSelector: {matchLabels: {env: prod}}, podSelector: ${sel()}}}`,
      ...(egress
        ? [
            `{networks: [${pick(['203.0.113.0/24', '0.0.0.0/0', '10.0.0.0/8', '198.51.100.128/25'])}]}`,
            `{nodes: {matchLabels: {role: infra}}}`,
          ]
        : []),
      // The API rejects a peer with no field: fail closed.
      ...(chance(0.1) ? ['{}'] : []),
    ]);
  const v1Ports = (): string =>
    pick([
      '',
      `\n      ports: [{portNumber: {port: ${pick([80, 8080, 53])}${chance(0.3) ? ', protocol: UDP' : ''}}}]`,
      `\n      ports: [{portRange: {start: 8000, end: 8443}}]`,
      `\n      ports: [{namedPort: ${pick(['http', 'metrics', 'dns'])}}]`,
      `\n      ports: [{portNumber: {port: 9100}}, {namedPort: http}]`,
    ]);
  const v2Ports = (): string =>
    pick([
      '',
      `\n      protocols: [{tcp: {destinationPort: {number: ${pick([80, 8080])}}}}]`,
      `\n      protocols: [{udp: {destinationPort: {number: 53}}}]`,
      `\n      protocols: [{tcp: {destinationPort: {range: {start: 8000, end: 9100}}}}]`,
      `\n      protocols: [{destinationNamedPort: ${pick(['http', 'metrics', 'dns'])}}]`,
    ]);
  const rules = (dir: 'ingress' | 'egress', v2: boolean, actions: readonly string[]): string => {
    const n = 1 + Math.floor(r() * 3);
    let out = `  ${dir}:\n`;
    for (let i = 0; i < n; i++)
      out += `    - name: r${i}\n      action: ${pick(actions)}\n      ${dir === 'ingress' ? 'from' : 'to'}: [${peer(dir === 'egress', v2)}${chance(0.2) ? `, ${peer(dir === 'egress', v2)}` : ''}]${v2 ? v2Ports() : v1Ports()}\n`;
    return out;
  };
  const count = 1 + Math.floor(r() * 5);
  for (let i = 0; i < count; i++) {
    const kind = i === 0 && chance(0.5) ? 'BANP' : pick(['ANP', 'ANP', 'CNP']);
    const dirs = `${chance(0.8) ? 'ingress' : ''}${chance(0.6) ? 'egress' : ''}`;
    let text: string;
    if (kind === 'BANP') {
      text = `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject:\n${subject(false)}`;
      if (dirs.includes('ingress')) text += rules('ingress', false, ['Allow', 'Deny']);
      if (dirs.includes('egress')) text += rules('egress', false, ['Allow', 'Deny']);
    } else if (kind === 'ANP') {
      text = `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: anp${i}}\nspec:\n  priority: ${pick([1, 2, 2, 3])}\n  subject:\n${subject(false)}`;
      if (dirs.includes('ingress')) text += rules('ingress', false, ['Allow', 'Deny', 'Pass']);
      if (dirs.includes('egress')) text += rules('egress', false, ['Allow', 'Deny', 'Pass']);
    } else {
      text = `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: cnp${i}}\nspec:\n  tier: ${pick(['Admin', 'Baseline'])}\n  priority: ${pick([1, 2, 3])}\n  subject:\n${subject(true)}`;
      if (dirs.includes('ingress')) text += rules('ingress', true, ['Accept', 'Deny', 'Pass']);
      if (dirs.includes('egress')) text += rules('egress', true, ['Accept', 'Deny', 'Pass']);
    }
    const uri = `file:///random/${seed}/cluster-${i}.yaml`;
    files.set(uri, text);
    cluster.push(uri);
  }
  return { files, cluster };
}

test('cluster tiers: the all-pairs matrix agrees with the per-peer evaluation on random workspaces', () => {
  for (let seed = 1; seed <= 150; seed++) {
    const { files, cluster } = workspace(seed);
    const settings = readSettings(seed % 3 === 0 ? { podCIDRs: ['10.0.0.0/8'] } : {}).settings;
    crossCheck(`seed ${seed}`, files, settings);
    const edited = cluster[seed % cluster.length];
    if (edited !== undefined && seed % 5 === 0)
      incrementalCheck(`seed ${seed} cluster edit`, files, settings, edited, (t) =>
        t.replace(/action: (Allow|Accept)/, 'action: Deny').replace(/team: t(\d)/, (_, d: string) => `team: t${1 - Number(d)}`),
      );
  }
});

test('cluster tiers: after NetworkPolicy and cluster-policy edits in turn, the incremental matrix equals a fresh one', () => {
  // A NetworkPolicy file of its own (its edits keep the class model), edited between cluster-policy edits.
  const npUri = (seed: number): string => `file:///random/${seed}/np-own.yaml`;
  const np = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: own, namespace: a}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n    - from: [{namespaceSelector: {}}]\n      ports: [{port: 80}]\n`;
  let kept = 0;
  let clusterSteps = 0;
  let narrowed = 0;
  for (let seed = 1; seed <= 80; seed++) {
    const { files, cluster } = workspace(seed);
    files.set(npUri(seed), np);
    const settings = readSettings({}).settings;
    const first = cluster[seed % cluster.length];
    const second = cluster[(seed + 1) % cluster.length];
    if (first === undefined || second === undefined) continue;
    const toPort =
      (port: number) =>
      (t: string): string =>
        t.replace(/port: \d+/, `port: ${port}`);
    const flip = (t: string): string =>
      t
        .replace(/action: (Allow|Accept|Deny)/, (_, a: string) => `action: ${a === 'Deny' ? 'Pass' : 'Deny'}`)
        .replace(/team: t(\d)/, (_, d: string) => `team: t${1 - Number(d)}`);
    // A ClusterNetworkPolicy moving between the tiers: with the BANP, the Baseline tier's grouping changes for every pod.
    const move = (t: string): string =>
      t.replace(/tier: (Admin|Baseline)/, (_, x: string) => `tier: ${x === 'Admin' ? 'Baseline' : 'Admin'}`);
    incrementalChain(
      `seed ${seed}`,
      files,
      settings,
      [
        [npUri(seed), toPort(8080)],
        [first, flip],
        [npUri(seed), toPort(80)],
        [second, flip],
        [first, flip],
        [npUri(seed), (t) => t.replace('app: web', 'app: api')],
        [second, move],
        [first, move],
        // The first policy (often the BANP) removed and restored: the Baseline tier's grouping changes again.
        [cluster[0] ?? first, () => ''],
        [cluster[0] ?? first, () => files.get(cluster[0] ?? first) ?? ''],
      ],
      (step, next, previous) => {
        // A NetworkPolicy edit keeps the compiled cluster tiers (the same object, so the caches keyed by it hold).
        if ((step === 0 || step === 2 || step === 5) && next.reused && next.space === previous.space) {
          assert.equal(next.cluster, previous.cluster, `seed ${seed} step ${step}: the cluster tiers were compiled again`);
          kept++;
        }
        if (step === 1 || step === 3 || step === 4 || step > 5) {
          clusterSteps++;
          // The matrix keeps the sides of the classes no edited cluster policy may select (ClusterTier.changedFrom).
          if (next.clusterClassesChanged !== undefined) narrowed++;
        }
      },
    );
  }
  assert.ok(kept > 100, `only ${kept} NetworkPolicy edits kept the cluster tiers`);
  assert.ok(clusterSteps > 200, `only ${clusterSteps} cluster-policy edits`);
  assert.ok(narrowed > 100, `only ${narrowed} cluster-policy edits kept the sides of the classes the edit cannot change`);
});

test('cluster tiers: the exposure engine (representative pods with open labels) agrees with the per-peer evaluation', () => {
  for (let seed = 1; seed <= 150; seed += 2) {
    const { files } = workspace(seed);
    crossCheck(`seed ${seed} exposure`, files, readSettings({}).settings, (a, o) => exposureEngine(a, o).engine);
  }
});

test('cluster tiers: a verdict sure under unknown pod addresses holds in every instantiation of them', () => {
  const verdicts = (files: ReadonlyMap<string, string>, podCIDRs: string[] | undefined): { engine: ReachEngine; ids: string[] } => {
    const settings = readSettings(podCIDRs === undefined ? {} : { podCIDRs }).settings;
    const host = new AnalysisHost(settings);
    for (const [uri, text] of files) host.setFile(uri, text);
    const engine = new ReachEngine(host.snapshot(), optionsFromSettings(settings));
    return { engine, ids: engine.classes.map((c) => c.node) };
  };
  let checked = 0;
  for (let seed = 1; seed <= 150; seed++) {
    const { files } = workspace(seed);
    const open = verdicts(files, undefined);
    const worlds = [verdicts(files, ['10.0.0.0/9']), verdicts(files, ['172.16.0.0/12'])];
    for (const w of worlds) assert.deepEqual(w.ids, open.ids, `seed ${seed}: the classes differ`);
    const n = open.engine.classes.length;
    for (let s = 0; s < n; s++)
      for (let d = 0; d < n; d++) {
        if (s === d) continue;
        const pair = (e: ReachEngine): { yes: Uint32Array; maybe: Uint32Array } =>
          e.pair({ kind: 'class', index: s }, { kind: 'class', index: d });
        const v = pair(open.engine);
        const inWorlds = worlds.map((w) => pair(w.engine));
        for (let a = 0; a < open.engine.space.size; a++) {
          const sure = hasBit(v.yes, a) ? 'allowed' : hasBit(v.maybe, a) ? undefined : 'denied';
          if (sure === undefined) continue;
          checked++;
          inWorlds.forEach((x, i) => {
            const there = hasBit(x.yes, a) ? 'allowed' : hasBit(x.maybe, a) ? undefined : 'denied';
            assert.ok(
              there === undefined || there === sure,
              `seed ${seed}: ${open.ids[s] ?? s} -> ${open.ids[d] ?? d} atom ${a}: ${sure} with unknown pod addresses, ${there} in world ${i}`,
            );
          });
        }
      }
  }
  assert.ok(checked > 0);
});

test('cluster tiers: every connection reach lists on random workspaces is confirmed by explain', () => {
  for (let seed = 5; seed <= 150; seed += 5) explainCheck(`seed ${seed}`, workspace(seed).files, readSettings({}).settings);
});
