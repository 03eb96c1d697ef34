/**
 * The CLI and the language server give the same diagnostics (code, severity, range, message) for
 * the same files: examples/ and every check fixture folder, through `kube-reach check --format json`
 * and a real JSON-RPC session.
 */

import assert from 'node:assert/strict';
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { main } from '../../cli/main.js';
import { pathToUri } from '../../server/uris.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const repo = join(__dirname, '..', '..');

test('CLI and server agree on examples/ and the check fixtures', async () => {
  const ws = tempWorkspace({});
  cpSync(join(repo, 'examples'), join(ws.root, 'examples'), { recursive: true });
  // Fixture files carry annotations as comments: they are analysed as they are, by both.
  for (const d of readdirSync(join(repo, 'test/fixtures/checks')))
    cpSync(join(repo, 'test/fixtures/checks', d), join(ws.root, 'fixtures', d), { recursive: true });
  let out = '';
  await main(['check', '.', '--format', 'json'], { stdout: (s) => (out += s), stderr: () => undefined, cwd: ws.root });
  const cli = (
    JSON.parse(out) as {
      diagnostics: Array<{
        file: string;
        code: string;
        severity: string;
        message: string;
        range: { start: { line: number; character: number }; end: { line: number; character: number } };
      }>;
    }
  ).diagnostics
    .map(
      (d) =>
        `${pathToUri(join(ws.root, d.file))} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code} ${d.message}`,
    )
    .sort();
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  try {
    await h.initialize();
    await h.analysisComplete();
    const latest = new Map<string, PublishDiagnosticsParams>();
    for (const r of h.received)
      if (r.method === 'textDocument/publishDiagnostics')
        latest.set((r.params as PublishDiagnosticsParams).uri, r.params as PublishDiagnosticsParams);
    const sev = ['', 'error', 'warning', 'information', 'hint'];
    const server = [...latest.values()]
      .flatMap((p) =>
        p.diagnostics.map(
          (d) =>
            `${p.uri} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${sev[d.severity ?? 1] ?? '?'} ${String(d.code)} ${d.message}`,
        ),
      )
      .sort();
    assert.ok(cli.length > 50, `expected many diagnostics, got ${cli.length}`);
    assert.deepEqual(server, cli);
  } finally {
    h.dispose();
    ws.cleanup();
  }
});
