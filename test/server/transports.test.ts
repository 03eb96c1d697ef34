/**
 * The server as a separate process, over the transports clients use: `kube-reach lsp --stdio`
 * (the CLI calls `runStdioServer`) and `server/main.ts --node-ipc` (vscode-languageclient's
 * default). Each test initializes, gets a diagnostic for an open document, and shuts down
 * cleanly (exit code 0 after `shutdown` + `exit`).
 */

import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { WAIT_MS } from './harness.js';

const repo = join(__dirname, '..', '..');
const BROKEN = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n';

async function roundTrip(child: ChildProcess, connection: MessageConnection): Promise<void> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const uri = 'untitled:broken.yaml';
  const published = new Promise<PublishDiagnosticsParams>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no publishDiagnostics')), WAIT_MS);
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      if (p.uri !== uri) return;
      clearTimeout(timer);
      resolve(p);
    });
  });
  connection.listen();
  const init = (await connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} })) as {
    capabilities: { hoverProvider?: unknown };
  };
  assert.ok(init.capabilities.hoverProvider);
  await connection.sendNotification('initialized', {});
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 3, text: BROKEN } });
  const p = await published;
  assert.equal(p.version, 3);
  assert.ok(p.diagnostics.some((d) => d.code === 'yaml-syntax'));
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  assert.equal(await exited, 0);
  connection.dispose();
}

test('kube-reach lsp --stdio', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'cli/main.ts'), 'lsp', '--stdio'], {
    cwd: repo,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  try {
    const { stdout, stdin } = child;
    assert.ok(stdout !== null && stdin !== null);
    await roundTrip(child, createMessageConnection(new StreamMessageReader(stdout), new StreamMessageWriter(stdin)));
  } finally {
    if (child.exitCode === null) child.kill();
  }
});

test('server/main.ts --node-ipc', async () => {
  const child = fork(join(repo, 'server/main.ts'), ['--node-ipc'], {
    cwd: repo,
    execArgv: ['--import', 'tsx'],
    stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
  });
  try {
    await roundTrip(child, createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child)));
  } finally {
    if (child.exitCode === null) child.kill();
  }
});
