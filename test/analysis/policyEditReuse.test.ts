/**
 * After a NetworkPolicy edit the panel's answers carry over what the edit cannot change: the
 * connection list keeps the lines with no end in a namespace whose policies changed
 * (`computeReach`), and what each policy allows keeps the sides of classes outside them
 * (`policyAllowedConnections`). Through one host, as the server answers the panel after each edit,
 * they must equal a fresh host's answers over the same files; and the carrying must happen, with no
 * engine holding the engine it carries from.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost, ReachabilityMemory, panelContext, panelGraph } from '../../analysis/index.js';
import type { Analysis } from '../../analysis/index.js';
import { snapshotReach } from '../../analysis/ide/policyConnections.js';
import { ReachEngine } from '../../analysis/reachability/engine.js';
import { generateWorkspace } from '../../scripts/bench/generate.js';

/** The two answers the panel asks for after an edit, spans left out (they are the same objects' either way). */
function answers(analysis: Analysis, memory: ReachabilityMemory): { graph: string[]; policies: string[] } {
  const g = panelGraph(analysis, {}, memory);
  const c = panelContext(analysis, {}, memory);
  return {
    graph: [
      ...g.nodes.map((n) => `node ${n.id}`),
      ...g.connections.map((x) => `${x.from} -> ${x.to} ${x.verdict} ${JSON.stringify(x.ports)} ${x.reason ?? ''}`),
    ],
    policies: c.policies.map((p) => `${p.key} [${p.selects.join(' ')}] ${(p.allows ?? []).map((a) => `${a.from}>${a.to}`).join(' ')}`),
  };
}

it('policy edits: the carried-over connection list and allowed connections equal a fresh host’s', () => {
  const ws = generateWorkspace(250, 3, 'netpol');
  const files = new Map([...ws.files].map(([rel, text]) => [`file:///ws/${rel}`, text]));
  const policyFiles = [...files.keys()].filter((u) => /^kind: NetworkPolicy$/m.test(files.get(u) ?? ''));
  const peer = policyFiles.find((u) =>
    /tier: frontend\n/.test((files.get(u) ?? '').slice((files.get(u) ?? '').indexOf('kind: NetworkPolicy'))),
  );
  const ports = policyFiles.find((u) => /port: 8443/.test(files.get(u) ?? ''));
  const block = policyFiles.find((u) => (files.get(u) ?? '').includes('cidr: 203.0.113.0/24'));
  assert.ok(peer !== undefined && ports !== undefined && block !== undefined, 'the generated workspace lacks a policy to edit');
  const inPolicy = (t: string, edit: (policyPart: string) => string): string => {
    const at = t.indexOf('kind: NetworkPolicy');
    return t.slice(0, at) + edit(t.slice(at));
  };
  const edits: ReadonlyArray<readonly [string, string, (t: string) => string]> = [
    ['a peer selector', peer, (t) => inPolicy(t, (p) => p.replace('tier: frontend\n', 'tier: frontendx\n'))],
    ['the peer selector back', peer, (t) => inPolicy(t, (p) => p.replace('tier: frontendx\n', 'tier: frontend\n'))],
    ['a port (new port atoms)', ports, (t) => t.replace('port: 8443', 'port: 8444')],
    ['an ipBlock (new external ranges)', block, (t) => t.replace('cidr: 203.0.113.0/24', 'cidr: 203.0.113.0/25')],
    ['a peer selector again', peer, (t) => inPolicy(t, (p) => p.replace('tier: frontend\n', 'tier: backend\n'))],
    ['a policy removed', peer, (t) => t.slice(0, t.lastIndexOf('---', t.indexOf('kind: NetworkPolicy')))],
  ];
  const host = new AnalysisHost();
  for (const [u, t] of files) host.setFile(u, t);
  const memory = new ReachabilityMemory();
  answers(host.snapshot(), memory);
  let carriedAny = 0;
  let reused = 0;
  for (const [what, uri, edit] of edits) {
    const text = edit(files.get(uri) ?? '');
    assert.notEqual(text, files.get(uri), `${what}: the edit changed nothing`);
    files.set(uri, text);
    host.setFile(uri, text);
    const analysis = host.snapshot();
    const got = answers(analysis, memory);
    carriedAny += snapshotReach(analysis).carried ?? 0;
    const fresh = new AnalysisHost();
    for (const [u, t] of files) fresh.setFile(u, t);
    const want = answers(fresh.snapshot(), new ReachabilityMemory());
    assert.deepEqual(got.graph, want.graph, `${what}: the connection list differs from a fresh host's`);
    assert.deepEqual(got.policies, want.policies, `${what}: the policies' allowed connections differ from a fresh host's`);
    // No engine holds another, not even weakly: a WeakRef read keeps its target until the turn ends, and a loop of passes
    // in one turn (this one) kept every engine (~0.7 MB a pass on the mixed test workspace).
    const engine = analysis.reachEngine();
    if (engine.builtFromKey !== undefined) reused++;
    for (const [field, v] of Object.entries(engine))
      assert.ok(!(v instanceof ReachEngine) && !(v instanceof WeakRef), `${what}: the engine's ${field} holds an engine`);
  }
  assert.ok(reused > 0, 'no engine was built from the last one');
  // The peer edits change one namespace's policies: most lines are carried over.
  assert.ok(carriedAny > 0, 'no line was carried over after a policy edit');
});

const TWO_NAMESPACES = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: a}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: b}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {containers: [{name: c, image: i}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-out, namespace: b}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {}}]
`;

const API_IN = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-in, namespace: a}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: b}}}]
`;

it('an edit in one namespace that closes a line into it: the policy of the other end, unchanged, allows it no more', () => {
  const host = new AnalysisHost();
  host.setFile('file:///two/apps.yaml', TWO_NAMESPACES);
  host.setFile('file:///two/api-in.yaml', API_IN);
  const memory = new ReachabilityMemory();
  const before = answers(host.snapshot(), memory);
  assert.ok(
    before.policies.some((p) => p.startsWith('b/client-out') && p.includes('b/client[Deployment]>a/api[Deployment]')),
    `b's policy does not allow the line before the edit: ${before.policies.join(' | ')}`,
  );
  host.setFile('file:///two/api-in.yaml', API_IN.replace('kubernetes.io/metadata.name: b', 'kubernetes.io/metadata.name: c'));
  const after = host.snapshot();
  const got = answers(after, memory);
  assert.ok((snapshotReach(after).carried ?? -1) >= 0, 'the list was not built from the last one');
  const fresh = new AnalysisHost();
  fresh.setFile('file:///two/apps.yaml', TWO_NAMESPACES);
  fresh.setFile('file:///two/api-in.yaml', API_IN.replace('kubernetes.io/metadata.name: b', 'kubernetes.io/metadata.name: c'));
  const want = answers(fresh.snapshot(), new ReachabilityMemory());
  assert.deepEqual(got, want);
  assert.ok(!got.policies.some((p) => p.includes('b/client[Deployment]>a/api[Deployment]')), 'the closed line is still allowed');
});
