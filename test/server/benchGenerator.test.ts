/**
 * The benchmark's workspace generator (scripts/bench/generate.ts) is deterministic by seed and its
 * ground truth names files it generated; the bench itself is not part of `npm test`.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { generateBundle, generateWorkspace } from '../../scripts/bench/generate.js';
import { AnalysisHost, computeLineStarts, positionAt } from '../../analysis/index.js';
import { positionOf } from '../../scripts/bench/lspClient.js';

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

test("a bundle's ground truth (documents that parse) names the lines of each mistake, and the analysis reports each there and nothing else", () => {
  const b = generateBundle(300_000, 5);
  const [[rel, text]] = [...b.files] as [[string, string]];
  const lines = text.split('\n');
  assert.ok(b.truth.length > 3, `${b.truth.length} mistakes`);
  // A workspace of this size has a file that does not parse; the bundle leaves it out (it would make the one unit incomplete).
  assert.ok(generateWorkspace(Math.round((300_000 * 0.6) / 450), 5).truth.some((t) => t.code === 'yaml-syntax'));
  assert.ok(!b.truth.some((t) => t.code === 'yaml-syntax'));
  for (const t of b.truth) {
    assert.equal(t.file, rel);
    assert.ok(t.lines !== undefined && t.lines[0] < t.lines[1] && t.lines[1] <= lines.length, t.note);
    // The mistake's object is named in its lines (the note starts with namespace/name).
    const name = t.note.slice(t.note.indexOf('/') + 1, t.note.indexOf(':'));
    assert.ok(
      lines.slice(t.lines[0], t.lines[1]).some((l) => l.includes(name)),
      `${t.note} in lines ${t.lines[0]}–${t.lines[1]}`,
    );
  }
  const host = new AnalysisHost();
  const uri = `file:///ws/${rel}`;
  host.setFile(uri, text);
  const a = host.snapshot();
  const found = (a.diagnostics().get(uri) ?? [])
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => ({ code: d.code, line: a.positionAt(uri, d.span.start).line }));
  const within = (line: number, t: (typeof b.truth)[number]): boolean => t.lines !== undefined && t.lines[0] <= line && line < t.lines[1];
  for (const t of b.truth)
    assert.ok(
      found.some((f) => f.code === t.code && within(f.line, t)),
      `${t.note} reported in its lines`,
    );
  for (const f of found)
    assert.ok(
      b.truth.some((t) => t.code === f.code && within(f.line, t)),
      `${f.code} at line ${f.line + 1} is a mistake`,
    );
});

test("the bench's positions (computed before its clock starts) are the LSP positions of the line index", () => {
  const text = 'a: 1\n\n---\nkind: Service\n  x\n\n';
  const starts = computeLineStarts(text);
  for (let offset = 0; offset <= text.length; offset++)
    assert.deepEqual(positionOf(text, offset), positionAt(starts, offset), `offset ${offset}`);
});
