/**
 * `kube-reach lsp --stdio`: the language server for any LSP client (Neovim, Emacs, Helix, …).
 * Bad usage (no `--stdio`, an unknown option) exits 2 before anything is served.
 */

import { runStdioServer } from '../server/stdio.js';
import type { CommandSpec } from './command.js';
import { UsageError } from './io.js';

export const lspCommand: CommandSpec = {
  name: 'lsp',
  summary: 'Run the language server over standard input/output (--stdio).',
  synopsis: '--stdio',
  flags: [{ name: '--stdio', help: 'speak LSP over standard input/output (required)' }],
  details: 'The server reads the workspace folders the client names, from disk. Exit codes: 2 bad usage.',
  run: async (args) => {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ''}"`);
    if (!args.booleans.has('--stdio')) throw new UsageError('the language server speaks over standard input/output: pass --stdio');
    runStdioServer();
    return 0;
  },
};
