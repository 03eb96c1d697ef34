/**
 * On a NetworkPolicy-heavy workspace (`generate.ts --netpol`: cross-namespace peers by team label,
 * DNS egress, Service ports), an edit gives the findings of a fresh full analysis. The policy
 * checks share per-snapshot values across policies (a peer's pods per namespace and selector
 * text, a pod's Services and their port translations, the egress policies of a workload;
 * analysis/checks/support/selection.ts, netpolPortIsServicePort.ts, netpolEgressBlocksDns.ts,
 * netpolPeerNoMatch.ts): replayed with the keys they read, they must follow every edit.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import { generateWorkspace, rng } from '../../scripts/bench/generate.js';

function render(host: AnalysisHost): string[] {
  const out: string[] = [];
  for (const [uri, list] of host.snapshot().diagnostics())
    for (const d of list) out.push(`${uri}|${d.span.start}|${d.code}|${d.severity}|${d.message}`);
  return out.sort();
}

const EDITS: ReadonlyArray<{ name: string; file: RegExp; edit: (text: string) => string }> = [
  // A pod's tier: the cross-namespace peers (`tier In [backend, data]`) and `tier: frontend` peers.
  {
    name: 'tier',
    file: /\.ya?ml$/,
    edit: (t) =>
      t.replace(
        /(labels:\n {8}app: [a-z0-9-]+\n {8}tier: )(\w+)/,
        (_m, a: string, b: string) => `${a}${b === 'frontend' ? 'data' : 'frontend'}`,
      ),
  },
  // A namespace's team: which namespaces a team's namespaceSelector selects.
  { name: 'team', file: /namespace\.yaml$/, edit: (t) => t.replace(/team: (\w+)/, (_m, v: string) => `team: ${v}x`) },
  { name: 'team back', file: /namespace\.yaml$/, edit: (t) => t.replace(/team: (\w+)x/, 'team: $1') },
  // A Service's port becomes the pod port, or a pod port goes away: netpol-port-is-service-port.
  {
    name: 'service port',
    file: /\.ya?ml$/,
    edit: (t) => t.replace(/port: 80\n {6}targetPort: http/, 'port: 8080\n      targetPort: http'),
  },
  { name: 'container port', file: /\.ya?ml$/, edit: (t) => t.replace(/containerPort: (\d+)/, 'containerPort: 80') },
  // A policy's own selector and a workload's app label.
  { name: 'app label', file: /\.ya?ml$/, edit: (t) => t.replace(/(labels:\n {8}app: [a-z0-9-]+)/, '$1z') },
  { name: 'dns policy', file: /\.ya?ml$/, edit: (t) => t.replace('k8s-app: kube-dns', 'k8s-app: kube-dnz') },
];

it('edits of a NetworkPolicy-heavy workspace give the findings of a fresh analysis', () => {
  const ws = generateWorkspace(300, 3, 'netpol');
  const current = new Map<string, string>();
  for (const [path, text] of ws.files) current.set(`file:///ws/${path}`, text);
  const host = new AnalysisHost();
  for (const [uri, text] of current) host.setFile(uri, text);
  const first = render(host);
  const uris = [...current.keys()];
  const random = rng(1919);
  let changed = 0;
  let applied = 0;
  const names = new Set<string>();
  for (let step = 0; step < 3000 && applied < 24; step++) {
    const e = EDITS[Math.floor(random() * EDITS.length)];
    const uri = uris[Math.floor(random() * uris.length)] ?? '';
    if (e === undefined || !e.file.test(uri)) continue;
    const before = current.get(uri) ?? '';
    const next = e.edit(before);
    if (next === before) continue;
    applied++;
    names.add(e.name);
    current.set(uri, next);
    host.setFile(uri, next);
    const incremental = render(host);
    const fresh = new AnalysisHost();
    for (const [u, t] of current) fresh.setFile(u, t);
    assert.deepEqual(incremental, render(fresh), `step ${step}: ${e.name} in ${uri}`);
    if (incremental.join('\n') !== first.join('\n')) changed++;
  }
  assert.ok(applied >= 10, `only ${applied} edits applied`);
  assert.ok(names.size >= 5, `only ${[...names].join(', ')} applied`);
  assert.ok(changed > 0, 'no edit changed a finding');
});

it("a workload's app label edit re-checks its own namespace's selectors of its other labels, not every namespace's", () => {
  // Every policy of the mix admits its namespace's `tier: frontend` pods: thousands of readers of
  // that pair across a big workspace, none of which an edit in another namespace can change.
  const ws = generateWorkspace(900, 7, 'netpol');
  const files = new Map<string, string>();
  for (const [path, text] of ws.files) files.set(`file:///ws/${path}`, text);
  const label = /(labels:\n {8}app: )([a-z0-9-]+)(\n {8}tier: frontend\n)/;
  const uri = [...files.keys()].find((u) => u.endsWith('/workload.yaml') && label.test(files.get(u) ?? ''));
  assert.ok(uri !== undefined, 'no frontend workload');
  const ns = uri.slice('file:///ws/'.length).split('/')[0] ?? '';
  const elsewhere = [...files].filter(
    ([u, t]) => !u.startsWith(`file:///ws/${ns}/`) && t.includes('podSelector:\n            matchLabels:\n              tier: frontend'),
  );
  assert.ok(elsewhere.length > 40, `${elsewhere.length} policies of other namespaces name tier: frontend`);
  const host = new AnalysisHost();
  for (const [u, t] of files) host.setFile(u, t);
  render(host);
  const original = files.get(uri) ?? '';
  for (const text of [original.replace(label, '$1$2x$3'), original]) {
    files.set(uri, text);
    host.setFile(uri, text);
    const incremental = render(host);
    assert.ok(
      host.stats.rechecked < elsewhere.length / 2,
      `${host.stats.rechecked} files re-checked; ${elsewhere.length} other namespaces' policies name tier: frontend`,
    );
    const fresh = new AnalysisHost();
    for (const [u, t] of files) fresh.setFile(u, t);
    assert.deepEqual(incremental, render(fresh));
  }
});

it('a policy whose peers select namespaces by label records the namespaces as two keys, not two per namespace', () => {
  // Its peers' namespaces are computed from every known namespace's labels and ownership: the
  // policy re-runs when any of them changes (the seeded edits above change the `team` labels).
  const ws = generateWorkspace(900, 7, 'netpol');
  const host = new AnalysisHost();
  for (const [path, text] of ws.files) host.setFile(`file:///ws/${path}`, text);
  render(host);
  const cached = host.checksForCache();
  assert.ok(cached !== undefined);
  const namespaces = new Set([...ws.files.keys()].map((p) => p.split('/')[0])).size;
  let readers = 0;
  const perNamespace: string[] = [];
  for (const unit of cached.units) {
    const keys = unit.deps.map((i) => cached.keys[i] ?? '');
    if (keys.includes('nsany')) readers++;
    const n = keys.filter((k) => k.startsWith('nsdecl:') || k.startsWith('owners:')).length;
    if (n >= namespaces) perNamespace.push(`${unit.uri}: ${n}`);
  }
  assert.deepEqual(perNamespace, [], `units reading two keys per namespace (${namespaces} namespaces)`);
  assert.ok(readers > 20, `${readers} units read every namespace`);
});
