/**
 * The workspace overview after an edit (the panel asks for it on every update): with the server's
 * `OverviewMemory`, a namespace whose workloads and Services are the same objects and whose
 * Services have the same problems keeps its last rows. Through one host, as the server answers
 * after each edit, the overview must equal a fresh host's over the same files; and the reuse must
 * happen where nothing of a namespace changed.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost, OverviewMemory, workspaceOverview } from '../../analysis/index.js';
import { generateWorkspace } from '../../scripts/bench/generate.js';
import { applyEdit } from '../support/gitops.js';

function fresh(files: ReadonlyMap<string, string>): unknown {
  const host = new AnalysisHost();
  for (const [u, t] of files) host.setFile(u, t);
  return workspaceOverview(host.snapshot());
}

const deployment = (name: string, ns: string, app: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:
      containers: [{name: c, image: c, ports: [{name: http, containerPort: 8080}]}]
`;

const service = (name: string, ns: string, app: string, targetPort = 'http'): string => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {app: ${app}}
  ports: [{port: 80, targetPort: ${targetPort}}]
`;

it('edits: the overview through one memory equals a fresh host’s, and untouched namespaces keep their rows', () => {
  const files = new Map<string, string>([
    [
      'file:///ws/shop.yaml',
      `${deployment('web', 'shop', 'web')}---\n${service('web', 'shop', 'web')}---\n${service('api', 'shop', 'api')}`,
    ],
    ['file:///ws/data.yaml', `${deployment('db', 'data', 'db')}---\n${service('db', 'data', 'db')}`],
  ]);
  const host = new AnalysisHost();
  for (const [u, t] of files) host.setFile(u, t);
  const memory = new OverviewMemory();
  let last = workspaceOverview(host.snapshot(), memory);
  assert.deepEqual(last, fresh(files));
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;
  // [what, file, its new text (undefined: removed), namespaces whose rows must be the last ones]
  const edits: ReadonlyArray<readonly [string, string, string | undefined, readonly string[]]> = [
    ['a NetworkPolicy added', 'file:///ws/policy.yaml', policy, ['data', 'shop']],
    ['a Deployment’s labels', 'file:///ws/data.yaml', `${deployment('db', 'data', 'store')}---\n${service('db', 'data', 'db')}`, ['shop']],
    [
      'a Service’s targetPort',
      'file:///ws/shop.yaml',
      `${deployment('web', 'shop', 'web')}---\n${service('web', 'shop', 'web', '8080')}---\n${service('api', 'shop', 'api')}`,
      ['data'],
    ],
    // Only the problems of shop/api change: its pods now exist, in another namespace.
    ['a workload elsewhere that the Service’s finding names', 'file:///ws/other.yaml', deployment('api', 'other', 'api'), ['data']],
    ['a file removed', 'file:///ws/data.yaml', undefined, ['other', 'shop']],
  ];
  for (const [what, uri, text, kept] of edits) {
    applyEdit(files, host, uri, text);
    const next = workspaceOverview(host.snapshot(), memory);
    assert.deepEqual(next, fresh(files), `${what}: the overview differs from a fresh host’s`);
    const keptRows = next.filter((ns) => last.some((o) => o === ns)).map((ns) => ns.name);
    assert.deepEqual(keptRows, kept, `${what}: the namespaces that kept their rows`);
    assert.equal(memory.reused, kept.length);
    last = next;
  }
  const api = last.find((ns) => ns.name === 'shop')?.services.find((s) => s.name === 'api');
  assert.match(api?.problems?.[0]?.message ?? '', /exist only in namespace "other"/, 'the problems-only edit changed the finding');
});

it('a NetworkPolicy edit in the bench’s workspace recomputes no namespace and answers as a fresh host', () => {
  const ws = generateWorkspace(250, 3, 'netpol');
  const files = new Map([...ws.files].map(([rel, text]) => [`file:///ws/${rel}`, text]));
  const uri = [...files.keys()].find(
    (u) => /^kind: NetworkPolicy$/m.test(files.get(u) ?? '') && (files.get(u) ?? '').includes('tier: frontend\n'),
  );
  assert.ok(uri !== undefined);
  const host = new AnalysisHost();
  for (const [u, t] of files) host.setFile(u, t);
  const memory = new OverviewMemory();
  const before = workspaceOverview(host.snapshot(), memory);
  const text = files.get(uri) ?? '';
  const at = text.indexOf('kind: NetworkPolicy');
  files.set(uri, text.slice(0, at) + text.slice(at).replace('tier: frontend\n', 'tier: frontendx\n'));
  host.setFile(uri, files.get(uri) ?? '');
  const after = workspaceOverview(host.snapshot(), memory);
  assert.deepEqual(after, fresh(files));
  assert.equal(memory.reused, before.length, 'every namespace kept its rows');
});
