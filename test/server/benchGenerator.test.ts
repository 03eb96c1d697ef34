/**
 * The benchmark's workspace generator (scripts/bench/generate.ts) is deterministic by seed and its
 * ground truth names files it generated; the bench itself is not part of `npm test`.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { generateWorkspace } from '../../scripts/bench/generate.js';

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
