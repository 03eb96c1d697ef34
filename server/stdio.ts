/**
 * The language server over standard input/output, for any LSP client: `kube-reach lsp --stdio`
 * (the CLI calls `runStdioServer`) and `node dist/server.js --stdio`.
 */

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { nodeRuntime } from './runtime.js';
import { startServer } from './server.js';

/**
 * Stdout carries the protocol, so anything that would print there (a stray `console.log` in a
 * dependency) goes to stderr instead; one such line would corrupt the stream.
 */
export function protectStdout(): void {
  const toStderr = (...args: unknown[]): void => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

/** Serves LSP on this process's stdin/stdout until the client exits. */
export function runStdioServer(): void {
  protectStdout();
  startServer((options) => createConnection(ProposedFeatures.all, process.stdin, process.stdout, options), nodeRuntime);
}
