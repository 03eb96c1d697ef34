/**
 * The initial workspace scan: `initialize` is answered before any scanning, a client that
 * supports `window/workDoneProgress` sees begin and end, and `kubeReach/analysisComplete`
 * follows with every file of a 2,000-file workspace analysed.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const FILES = 2_000;

function manifest(i: number): string {
  const ns = `team-${i % 7}`;
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: app-${i}`,
    `  namespace: ${ns}`,
    'spec:',
    '  template:',
    '    metadata:',
    `      labels: {app: app-${i}}`,
    '    spec:',
    '      containers:',
    `        - name: c`,
    '          ports: [{name: http, containerPort: 8080}]',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: app-${i}`,
    `  namespace: ${ns}`,
    'spec:',
    `  selector: {app: app-${i}}`,
    '  ports: [{port: 80, targetPort: http}]',
    '',
  ].join('\n');
}

let ws: { root: string; cleanup: () => void };
before(() => {
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) files[`apps/dir-${i % 20}/app-${i}.yaml`] = manifest(i);
  files['broken/bad.yaml'] = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n';
  ws = tempWorkspace(files);
});
after(() => ws.cleanup());

test('scan of 2,000 files reports progress begin/end, then analysisComplete', async () => {
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  try {
    await h.initialize();
    const begin = await h.waitFor('$/progress begin', (r) => r.method === '$/progress' && kindOf(r.params) === 'begin');
    const end = await h.waitFor('$/progress end', (r) => r.method === '$/progress' && kindOf(r.params) === 'end');
    const done = await h.analysisComplete();
    assert.ok(begin.seq < end.seq && end.seq < done.seq, 'begin, end, then analysisComplete');
    // The token used is the one the server created through window/workDoneProgress/create.
    const create = h.received.find((r) => r.method === 'window/workDoneProgress/create');
    assert.ok(create !== undefined);
    assert.equal(tokenOf(create.params), tokenOf(begin.params));
    assert.equal(tokenOf(end.params), tokenOf(begin.params));
    const params = done.params as { version: number; files: number; durationMs: number };
    assert.equal(params.files, FILES + 1);
    assert.equal(params.version, 1);
    assert.equal(h.server.host.fileUris().length, FILES + 1);
    // Every file was parsed exactly once.
    assert.equal(h.server.host.stats.parses, FILES + 1);
    // The broken file's syntax error was published (and only files with findings were).
    const published = h.received.filter((r) => r.method === 'textDocument/publishDiagnostics');
    const bad = published.find((r) => (r.params as { uri: string }).uri.endsWith('/broken/bad.yaml'));
    assert.ok(bad !== undefined, 'diagnostics for broken/bad.yaml');
    const diags = (bad.params as { diagnostics: Array<{ code: string; source: string }> }).diagnostics;
    assert.ok(diags.some((d) => d.code === 'yaml-syntax' && d.source === 'kube-reach'));
  } finally {
    h.dispose();
  }
});

test('initialize is answered before the workspace scan starts', async () => {
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  try {
    const result = await h.initialize();
    assert.ok(result.capabilities.hoverProvider);
    // The scan starts on `initialized`, which the client sends after the result: at the time the
    // result arrived nothing was read, created or published.
    const answered = h.received.find((r) => r.method === '<initialize result>');
    assert.ok(answered !== undefined);
    assert.deepEqual(
      h.received.filter((r) => r.seq < answered.seq).map((r) => r.method),
      [],
      'no message from the server before the initialize result',
    );
    assert.equal(h.filesAtInitializeResult, 0, 'no file was read when initialize was answered');
    await h.analysisComplete();
    assert.equal(h.server.host.fileUris().length, FILES + 1);
    const firstScanMessage = h.received.find(
      (r) => r.method === 'window/workDoneProgress/create' || r.method === 'textDocument/publishDiagnostics',
    );
    assert.ok(firstScanMessage !== undefined && firstScanMessage.seq > answered.seq);
  } finally {
    h.dispose();
  }
});

function kindOf(params: unknown): unknown {
  return (params as { value?: { kind?: unknown } }).value?.kind;
}

function tokenOf(params: unknown): unknown {
  return (params as { token?: unknown }).token;
}
