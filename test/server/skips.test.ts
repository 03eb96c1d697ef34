/**
 * Nothing is skipped silently: an open document past maxFileSizeMB gets one information
 * diagnostic (`file-too-large`); UTF-16 files with a byte order mark are decoded (LE and BE);
 * UTF-16 without one is named in the log; `.kube-reach.yaml` is never analysed as a manifest,
 * on disk or open.
 */

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { pathToUri } from '../../server/uris.js';
import { Harness, tempWorkspace } from './harness.js';

const BROKEN = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n';

function utf16(text: string, endian: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const body = endian === 'le' ? le : Buffer.from(le.map((_, i) => le[i % 2 === 0 ? i + 1 : i - 1] ?? 0));
  const mark = endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return Buffer.concat([Buffer.from(bom ? mark : []), body]);
}

let ws: { root: string; cleanup: () => void };
before(() => {
  ws = tempWorkspace({ '.kube-reach.yaml': 'maxFileSizeMB: 1\nexclude: [nothing/**]\n', 'ok.yaml': BROKEN });
  writeFileSync(join(ws.root, 'le.yaml'), utf16(BROKEN, 'le', true));
  writeFileSync(join(ws.root, 'be.yaml'), utf16(BROKEN, 'be', true));
  writeFileSync(join(ws.root, 'nobom.yaml'), utf16(BROKEN, 'le', false));
});
after(() => ws.cleanup());

function codesFor(h: Harness, uri: string): string[] | undefined {
  const pubs = h.publications(uri);
  return pubs[pubs.length - 1]?.diagnostics.map((d) => String(d.code));
}

test('UTF-16 with a BOM is decoded; without one it is named in the log; .kube-reach.yaml is not a manifest', async () => {
  const h = new Harness({ capabilities: {}, rootPath: ws.root });
  try {
    await h.initialize();
    await h.analysisComplete();
    for (const name of ['le.yaml', 'be.yaml']) assert.deepEqual(codesFor(h, pathToUri(join(ws.root, name))), ['yaml-syntax'], name);
    assert.equal(h.server.host.hasFile(pathToUri(join(ws.root, 'nobom.yaml'))), false);
    const logs = h.received.filter((r) => r.method === 'window/logMessage').map((r) => String((r.params as { message?: unknown }).message));
    assert.ok(
      logs.some((l) => l.includes('nobom.yaml') && l.includes('UTF-16')),
      logs.join('\n'),
    );
    const config = pathToUri(join(ws.root, '.kube-reach.yaml'));
    assert.equal(h.server.host.hasFile(config), false);
    await h.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: config, languageId: 'yaml', version: 1, text: 'maxFileSizeMB: 1\n' },
    });
    await h.client.sendRequest('textDocument/hover', { textDocument: { uri: config }, position: { line: 0, character: 0 } });
    assert.equal(h.server.host.hasFile(config), false);
  } finally {
    h.dispose();
  }
});

test('an open document past maxFileSizeMB gets one information diagnostic', async () => {
  const h = new Harness({ capabilities: {}, rootPath: ws.root });
  try {
    await h.initialize();
    await h.analysisComplete();
    const uri = pathToUri(join(ws.root, 'huge.yaml'));
    const text = `${BROKEN}# ${'x'.repeat(1024)}\n`.repeat(1100);
    const from = h.received.length;
    await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const pub = await h.waitFor(
      'a publication for huge.yaml',
      (r) => r.method === 'textDocument/publishDiagnostics' && (r.params as PublishDiagnosticsParams).uri === uri,
      from,
    );
    const diagnostics = (pub.params as PublishDiagnosticsParams).diagnostics;
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity]),
      [['file-too-large', 3]],
    );
    const message = diagnostics[0]?.message ?? '';
    assert.match(typeof message === 'string' ? message : message.value, /kubeReach\.maxFileSizeMB \(1 MB\)/);
  } finally {
    h.dispose();
  }
});
