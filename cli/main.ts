/**
 * `kube-reach`: the command-line interface (design §6). `check`, `reach`, `explain` and
 * `lsp --stdio`, all over the same analysis as the editor.
 */

import { runCheck } from './check.js';
import type { CliIO, Command } from './io.js';
import { UsageError } from './io.js';
import { runExplain } from './explain.js';
import { runLsp } from './lsp.js';
import { runReach } from './reach.js';

const VERSION = '0.1.0';

const USAGE = `Usage: kube-reach <command> [options]

Commands:
  check [paths…]    Report Service, Ingress and NetworkPolicy mistakes.
                    --format text|json|sarif   --fail-on error|warning|information|none
  reach [paths…]    List who can connect to whom.
                    --format text|json|csv|dot|mermaid   --namespace NS   --unit PATH
  explain [paths…]  Explain verdicts: --probes FILE, or --from EP --to EP --port N
                    [--protocol P] [--via-service ns/name:port]
                    [--via-ingress ns/name --host H --path P]   --format text|json
  lsp --stdio       Run the language server for any LSP client.

Options for check, reach and explain:
  --config FILE        settings file (same keys as .kube-reach.yaml)
  --exclude GLOB       leave out matching files (repeatable)
  --severity code=lvl  error|warning|information|hint|off (repeatable)

Paths are files or folders (default: the current folder). Exit codes: 0 ok,
1 findings at or above --fail-on (check), 2 bad usage or unreadable path.
`;

const COMMANDS: Record<string, Command> = {
  check: runCheck,
  reach: runReach,
  explain: runExplain,
  lsp: runLsp,
};

/** Runs the CLI and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.stdout(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    io.stdout(`kube-reach ${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[cmd];
  if (command === undefined) {
    io.stderr(`kube-reach: unknown command "${cmd}"\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`kube-reach ${cmd}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

const isEntry = typeof require !== 'undefined' && require.main === module;
if (isEntry) {
  const io: CliIO = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      if (process.argv[2] !== 'lsp') process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`kube-reach: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
