/**
 * `kube-reach lsp --stdio`: the language server for any LSP client (Neovim, Emacs, Helix, …).
 */

import { runStdioServer } from '../server/stdio.js';
import type { CliIO } from './io.js';
import { UsageError } from './io.js';

export async function runLsp(args: readonly string[], _io: CliIO): Promise<number> {
  const unknown = args.filter((a) => a !== '--stdio');
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown[0] ?? ''} (only --stdio is supported)`);
  if (!args.includes('--stdio')) throw new UsageError('the language server speaks over standard input/output: pass --stdio');
  runStdioServer();
  return 0;
}
