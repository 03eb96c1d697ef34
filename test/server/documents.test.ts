/**
 * Open documents: one opened while the first scan is still loading is judged with the whole
 * workspace (no early pass over the open documents alone); documents in other languages are not
 * analysed; an open document's text wins over the disk until it is closed.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { pathToUri } from '../../server/uris.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const BROKEN = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n';
const FINE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n';

let ws: { root: string; cleanup: () => void };
before(() => {
  const files: Record<string, string> = { 'README.md': '# not: [yaml\n', 'a/open-me.yaml': FINE };
  for (let i = 0; i < 300; i++) files[`many/f${i}.yaml`] = FINE.replace('fine', `fine-${i}`);
  ws = tempWorkspace(files);
});
after(() => ws.cleanup());

test('a document opened during the first scan is analysed with the whole workspace', async () => {
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  try {
    await h.initialize();
    const uri = pathToUri(join(ws.root, 'a/open-me.yaml'));
    // Unsaved text that differs from the disk: the open document wins.
    await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 7, text: BROKEN } });
    const first = await h.analysisComplete();
    assert.equal((first.params as { files: number; version: number }).files, 301, 'the first pass covers the whole workspace');
    const before = h.received
      .filter((r) => r.seq < first.seq && r.method === 'textDocument/publishDiagnostics')
      .map((r) => r.params as PublishDiagnosticsParams);
    const mine = before.filter((p) => p.uri === uri);
    assert.equal(mine.length, 1, 'exactly one publication for the open document in the first pass');
    assert.equal(mine[0]?.version, 7);
    assert.ok(
      mine[0]?.diagnostics.some((d) => d.code === 'yaml-syntax'),
      'the unsaved text was analysed, not the disk',
    );
    assert.equal(h.received.filter((r) => r.method === 'kubeReach/analysisComplete' && r.seq < first.seq).length, 0);
    // Closing it brings the disk text back: its diagnostics are cleared.
    const mark = h.received.length;
    await h.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await h.analysisComplete(mark);
    assert.deepEqual(h.publications(uri).at(-1)?.diagnostics, []);
  } finally {
    h.dispose();
  }
});

test('documents in other languages are not analysed', async () => {
  const h = new Harness({ capabilities: {}, rootPath: ws.root });
  try {
    await h.initialize();
    await h.analysisComplete();
    const readme = pathToUri(join(ws.root, 'README.md'));
    const untitledYaml = 'untitled:Untitled-1';
    const mark = h.received.length;
    await h.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: readme, languageId: 'markdown', version: 1, text: '# not: [yaml\n' },
    });
    await h.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: untitledYaml, languageId: 'yaml', version: 1, text: BROKEN },
    });
    await h.waitFor(
      'the untitled YAML document published',
      (r) => r.method === 'textDocument/publishDiagnostics' && (r.params as PublishDiagnosticsParams).uri === untitledYaml,
      mark,
    );
    await h.analysisComplete(mark);
    assert.equal(h.server.host.hasFile(readme), false);
    assert.deepEqual(h.publications(readme), []);
    assert.ok(h.server.host.hasFile(untitledYaml));
    // Closing an untitled document forgets it and clears what was published for it.
    const mark2 = h.received.length;
    await h.client.sendNotification('textDocument/didClose', { textDocument: { uri: untitledYaml } });
    await h.analysisComplete(mark2);
    assert.equal(h.server.host.hasFile(untitledYaml), false);
    assert.deepEqual(h.publications(untitledYaml).at(-1)?.diagnostics, []);
  } finally {
    h.dispose();
  }
});

test('a reopened document numbered from 1 again still gets its diagnostics', async () => {
  const h = new Harness({ capabilities: {}, rootPath: ws.root });
  try {
    await h.initialize();
    await h.analysisComplete();
    const uri = pathToUri(join(ws.root, 'many/f1.yaml'));
    let mark = h.received.length;
    await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: FINE } });
    for (let v = 2; v <= 9; v++)
      await h.client.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ text: v === 9 ? BROKEN : FINE + `# ${v}\n` }],
      });
    await h.waitFor(
      'version 9',
      (r) => r.method === 'textDocument/publishDiagnostics' && (r.params as PublishDiagnosticsParams).version === 9,
      mark,
    );
    // Close and reopen at once (no pass in between), numbering from 1 again.
    mark = h.received.length;
    await h.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: BROKEN } });
    const p = await h.waitFor(
      'the reopened version 1',
      (r) =>
        r.method === 'textDocument/publishDiagnostics' &&
        (r.params as PublishDiagnosticsParams).uri === uri &&
        (r.params as PublishDiagnosticsParams).version === 1,
      mark,
    );
    assert.ok((p.params as PublishDiagnosticsParams).diagnostics.some((d) => d.code === 'yaml-syntax'));
  } finally {
    h.dispose();
  }
});
