/**
 * The bad-input corpus through the language server (docs/dev/design.md §2): binary, oversize, alias-bomb,
 * deeply nested, invalid UTF-8, BOM + CRLF, empty, lone `---`, huge scalar and Helm files in the
 * workspace; the scan completes, each file can be opened and hovered, and the server keeps
 * answering.
 */

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { pathToUri } from '../../server/uris.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  let prev = 'a';
  for (const n of 'bcdefghi'.split('')) {
    lines.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`);
    prev = n;
  }
  return lines.join('\n') + `\nkind: Service\napiVersion: v1\nmetadata: {name: bomb}\nspec: {selector: *${prev}}\n`;
}

const TEXT_FILES: Record<string, string> = {
  'alias-bomb.yaml': aliasBomb(),
  'deep.yaml': Array.from({ length: 200 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n') + '\n',
  'bom-crlf.yaml':
    '\ufeffapiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web\r\n  namespace: shop\r\nspec:\r\n  selector: {app: web}\r\n',
  'empty.yaml': '',
  'lone.yaml': '---\n',
  'scalar.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: "${'x'.repeat(1_048_576)}"\n`,
  'helm.yaml':
    '{{- if .Values.on }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "x" . }}\nspec:\n  selector:\n    {{- include "sel" . | nindent 4 }}\n{{- end }}\n',
  'garbage.yaml': 'a:\n\tb: c\n: : :\n"unterminated\n',
};

test('the server scans, publishes and answers for the bad-input corpus without dying', async () => {
  const ws = tempWorkspace(TEXT_FILES);
  writeFileSync(join(ws.root, 'binary.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0xff]));
  writeFileSync(
    join(ws.root, 'invalid-utf8.yaml'),
    Buffer.from([...Buffer.from('apiVersion: v1\nkind: Service\nmetadata:\n  name: caf'), 0xc3, 0x28, 0xff, 0x0a]),
  );
  writeFileSync(join(ws.root, 'ten-megabytes.yaml'), `# big\n${'k: v\n'.repeat(2_200_000)}`);
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  try {
    await h.initialize();
    await h.analysisComplete();
    const garbage = h.publications(pathToUri(join(ws.root, 'garbage.yaml'))).at(-1) as PublishDiagnosticsParams | undefined;
    assert.ok(
      garbage?.diagnostics.some((d) => d.code === 'yaml-syntax'),
      'the broken file reports its syntax error',
    );
    for (const name of [...Object.keys(TEXT_FILES), 'invalid-utf8.yaml']) {
      const uri = pathToUri(join(ws.root, name));
      const text = TEXT_FILES[name] ?? 'apiVersion: v1\nkind: Service\nmetadata:\n  name: caf\uFFFD(\uFFFD\n';
      const from = h.received.length;
      await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      await h.analysisComplete(from);
      await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
      await h.client.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 0 } });
      await h.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    }
    // Still alive and answering.
    const symbols = await h.client.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri: pathToUri(join(ws.root, 'bom-crlf.yaml')) },
    });
    assert.ok(Array.isArray(symbols) && symbols.length === 1);
  } finally {
    h.dispose();
    ws.cleanup();
  }
});
