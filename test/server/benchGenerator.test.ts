/**
 * The benchmark's workspace generator (scripts/bench/generate.ts) is deterministic by seed and its
 * ground truth names files it generated; the bench itself is not part of `npm test`.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { generateWorkspace } from '../../scripts/bench/generate.js';
import { AnalysisHost } from '../../analysis/index.js';

test('same seed, same workspace; another seed, another workspace', () => {
  const a = generateWorkspace(120, 7);
  const b = generateWorkspace(120, 7);
  const c = generateWorkspace(120, 8);
  assert.deepEqual([...a.files], [...b.files]);
  assert.deepEqual(a.truth, b.truth);
  assert.deepEqual(a.splitApps, b.splitApps);
  assert.notDeepEqual([...a.files], [...c.files]);
});

test('size, ground truth and syntax are what they claim', () => {
  const ws = generateWorkspace(300, 1);
  assert.ok(ws.manifests >= 250 && ws.manifests <= 350, `about 300 manifests, got ${ws.manifests}`);
  let documents = 0;
  for (const [path, text] of ws.files) {
    const docs = parseAllDocuments(text);
    documents += docs.length;
    const broken = docs.some((d) => d.errors.length > 0);
    assert.equal(
      broken,
      ws.truth.some((t) => t.file === path && t.code === 'yaml-syntax'),
      path,
    );
  }
  assert.equal(documents, ws.manifests);
  const codes = new Set(ws.truth.map((t) => t.code));
  for (const code of [
    'service-selector-no-match',
    'service-target-port-unknown',
    'ingress-backend-missing',
    'ingress-backend-port-missing',
    'netpol-selects-nothing',
    'yaml-syntax',
  ]) {
    assert.ok(codes.has(code), `a ${code} mistake is injected`);
  }
  for (const t of ws.truth) assert.ok(ws.files.has(t.file), t.file);
  for (const app of ws.splitApps) {
    assert.ok(ws.files.get(app.workloadFile)?.includes(`app: ${app.name}`));
    assert.ok(ws.files.get(app.serviceFile)?.includes(`app: ${app.name}`));
  }
});

test('the NetworkPolicy-heavy mix: deterministic, about a quarter policies with ingress and egress, its mistakes reported', () => {
  const a = generateWorkspace(600, 3, 'netpol');
  assert.deepEqual([...a.files], [...generateWorkspace(600, 3, 'netpol').files]);
  assert.notDeepEqual([...a.files], [...generateWorkspace(600, 3).files]);
  let policies = 0;
  let egress = 0;
  for (const text of a.files.values()) {
    policies += text.match(/^kind: NetworkPolicy$/gm)?.length ?? 0;
    egress += text.match(/^ {2}policyTypes: \[Ingress, Egress\]$/gm)?.length ?? 0;
  }
  assert.ok(policies / a.manifests > 0.2 && policies / a.manifests < 0.3, `${policies} policies of ${a.manifests}`);
  assert.ok(egress > policies / 2, `${egress} policies with egress rules`);
  // The analysis reports every injected mistake and no other error or warning on this mix too.
  const host = new AnalysisHost();
  for (const [rel, text] of a.files) host.setFile(`file:///ws/${rel}`, text);
  const found = new Set<string>();
  for (const [uri, list] of host.snapshot().diagnostics())
    for (const d of list) if (d.severity === 'error' || d.severity === 'warning') found.add(`${uri.slice('file:///ws/'.length)} ${d.code}`);
  assert.deepEqual([...found].sort(), [...new Set(a.truth.map((t) => `${t.file} ${t.code}`))].sort());
});
