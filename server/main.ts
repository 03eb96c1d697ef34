/**
 * Node entry of dist/server.js. The transport comes from the command line as
 * vscode-languageclient passes it (`--node-ipc`, `--stdio`, `--socket=N`, `--pipe=NAME`).
 */

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { nodeRuntime } from './runtime.js';
import { startServer } from './server.js';
import { protectStdout } from './stdio.js';
import { isParseWorker } from './parseWorker.js';

// A parse worker started from this bundle (server/parsePool.ts) runs the worker alone (parseWorker.ts).
if (!isParseWorker()) {
  if (process.argv.includes('--stdio')) protectStdout();
  startServer((options) => createConnection(ProposedFeatures.all, options), nodeRuntime);
}
