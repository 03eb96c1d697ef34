/**
 * Editing: rapid `didChange` versions end with a publication for the last version and never a
 * stale one after a newer one; each edit re-parses exactly the edited file (the analysis host's
 * real counter, read in process and through `kubeReach/debug/stats`).
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { AnalysisHost } from '../../analysis/index.js';
import { pathToUri } from '../../server/uris.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          ports: [{name: http, containerPort: 8080}]
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
`;

let ws: { root: string; cleanup: () => void };
before(() => {
  ws = tempWorkspace({ 'deploy.yaml': DEPLOY, 'svc.yaml': SERVICE, 'more/db.yaml': DEPLOY.replace(/web/g, 'db') });
});
after(() => ws.cleanup());

async function started(): Promise<Harness> {
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  await h.initialize({ debug: true });
  await h.analysisComplete();
  return h;
}

test('five rapid didChange versions: the last publication carries version 5, none goes back', async () => {
  const h = await started();
  try {
    const uri = pathToUri(join(ws.root, 'svc.yaml'));
    await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 0, text: SERVICE } });
    // Five edits sent back to back, without waiting: each appends to the selector value; the
    // last one breaks the YAML, so its diagnostics differ from every earlier version's.
    const edits = ['-', 'x', 'y', 'z', ': ['];
    let text = SERVICE;
    const at = SERVICE.indexOf('app: web') + 'app: web'.length;
    let offset = at;
    for (let v = 1; v <= 5; v++) {
      const edit = edits[v - 1] ?? '';
      const line = text.slice(0, offset).split('\n').length - 1;
      const character = offset - (text.slice(0, offset).lastIndexOf('\n') + 1);
      void h.client.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: edit }],
      });
      text = text.slice(0, offset) + edit + text.slice(offset);
      offset += edit.length;
    }
    await h.waitFor(
      'a publication for version 5',
      (r) =>
        r.method === 'textDocument/publishDiagnostics' &&
        (r.params as PublishDiagnosticsParams).uri === uri &&
        (r.params as PublishDiagnosticsParams).version === 5,
    );
    // The pass that published version 5 ends with analysisComplete; nothing for this document
    // can follow it (no change is pending).
    await h.waitFor(
      'analysisComplete after version 5',
      (r) => r.method === 'kubeReach/analysisComplete' && r.seq > (findSeq(h, uri, 5) ?? Infinity),
    );
    const versions = h.publications(uri).map((p) => p.version);
    assert.equal(versions.at(-1), 5, `publication versions: ${versions.join(',')}`);
    for (let i = 1; i < versions.length; i++)
      assert.ok((versions[i] ?? -1) >= (versions[i - 1] ?? -1), `versions never go back: ${versions.join(',')}`);
    // The last publication is exactly what the analysis façade says about the version-5 text
    // in the same workspace.
    const host = new AnalysisHost();
    for (const rel of ['deploy.yaml', 'more/db.yaml'])
      host.setFile(pathToUri(join(ws.root, rel)), readFileSync(join(ws.root, rel), 'utf8'));
    host.setFile(uri, text, 5);
    const facade = host.snapshot();
    const expected = facade.diagnosticsFor(uri);
    const lastPublished = h.publications(uri).at(-1);
    assert.ok(lastPublished !== undefined);
    assert.deepEqual(
      lastPublished.diagnostics.map((d) => [d.code, d.range.start, d.message]),
      expected.map((d) => [d.code, facade.positionAt(uri, d.span.start), d.message]),
    );
    assert.ok(
      expected.some((d) => d.code === 'yaml-syntax'),
      'the version-5 text is broken YAML',
    );
    // The server's document text is the client's (incremental sync applied correctly).
    assert.equal(h.server.host.snapshot().text(uri), text);
  } finally {
    h.dispose();
  }
});

test('an edit re-parses exactly the edited file', async () => {
  const h = await started();
  try {
    const parsesAfterScan = h.server.host.stats.parses;
    assert.equal(parsesAfterScan, 3);
    const svc = pathToUri(join(ws.root, 'svc.yaml'));
    const deploy = pathToUri(join(ws.root, 'deploy.yaml'));
    // Opening a file with its disk text re-parses nothing.
    let mark = h.received.length;
    await h.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: svc, languageId: 'yaml', version: 1, text: readFileSync(join(ws.root, 'svc.yaml'), 'utf8') },
    });
    await h.passEnd(
      await h.waitFor(
        'publication of svc v1',
        (r) => r.method === 'textDocument/publishDiagnostics' && (r.params as PublishDiagnosticsParams).version === 1,
        mark,
      ),
    );
    assert.equal(h.server.host.stats.parses, parsesAfterScan);
    // One edit: one parse.
    mark = h.received.length;
    await h.client.sendNotification('textDocument/didChange', {
      textDocument: { uri: svc, version: 2 },
      contentChanges: [{ text: SERVICE.replace('port: 80', 'port: 81') }],
    });
    await h.passEnd(
      await h.waitFor(
        'publication of svc v2',
        (r) => r.method === 'textDocument/publishDiagnostics' && (r.params as PublishDiagnosticsParams).version === 2,
        mark,
      ),
    );
    assert.equal(h.server.host.stats.parses, parsesAfterScan + 1);
    // Two more files edited (one opened with new text): two more parses, nothing else.
    mark = h.received.length;
    await h.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: deploy, languageId: 'yaml', version: 1, text: DEPLOY.replace('8080', '8081') },
    });
    await h.client.sendNotification('textDocument/didChange', {
      textDocument: { uri: svc, version: 3 },
      contentChanges: [{ text: SERVICE.replace('port: 80', 'port: 82') }],
    });
    await h.passEnd(
      await h.waitFor(
        'publication of svc v3',
        (r) => r.method === 'textDocument/publishDiagnostics' && (r.params as PublishDiagnosticsParams).version === 3,
        mark,
      ),
    );
    assert.equal(h.server.host.snapshot().text(deploy), DEPLOY.replace('8080', '8081'));
    assert.equal(h.server.host.stats.parses, parsesAfterScan + 3);
    // The same counter, through the test-only request.
    const stats = (await h.client.sendRequest('kubeReach/debug/stats')) as { parses: number; files: number };
    assert.equal(stats.parses, parsesAfterScan + 3);
    assert.equal(stats.files, 3);
    // Closing a document re-reads the disk: its disk text is back (one parse).
    mark = h.received.length;
    await h.client.sendNotification('textDocument/didClose', { textDocument: { uri: deploy } });
    await h.analysisComplete(mark);
    assert.equal(h.server.host.snapshot().text(deploy), DEPLOY);
    assert.equal(h.server.host.stats.parses, parsesAfterScan + 4);
  } finally {
    h.dispose();
  }
});

function findSeq(h: Harness, uri: string, version: number): number | undefined {
  return h.received.find(
    (r) =>
      r.method === 'textDocument/publishDiagnostics' &&
      (r.params as PublishDiagnosticsParams).uri === uri &&
      (r.params as PublishDiagnosticsParams).version === version,
  )?.seq;
}
