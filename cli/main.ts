/**
 * `kube-reach`: the command-line interface (docs/dev/design.md §6, docs/cli.md). The commands are the table
 * below, each a `CommandSpec` (cli/command.ts) in its own file; `--help`, `--version` and
 * `--no-color` are handled here for all of them.
 */

import { PRODUCT_VERSION } from '../protocol/product.js';
import { parseArgs } from './args.js';
import { checkCommand } from './check.js';
import { convertCommand } from './convert.js';
import { diffCommand } from './diff.js';
import type { CommandSpec } from './command.js';
import { COMMON_FLAGS, commandHelp } from './command.js';
import { explainCommand } from './explain.js';
import type { CliIO } from './io.js';
import { UsageError } from './io.js';
import { lspCommand } from './lsp.js';
import { isParseWorker } from '../server/parseWorker.js';
import { reachCommand } from './reach.js';
import { renderCommand } from './render.js';
import { rulesCommand } from './rules.js';

const versionCommand: CommandSpec = {
  name: 'version',
  summary: 'Print the version of kube-reach.',
  synopsis: '',
  flags: [],
  run: async (_args, io) => {
    io.stdout(`kube-reach ${PRODUCT_VERSION}\n`);
    return 0;
  },
};

/** Every command, in the order `kube-reach --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  checkCommand,
  reachCommand,
  explainCommand,
  diffCommand,
  convertCommand,
  renderCommand,
  rulesCommand,
  lspCommand,
  versionCommand,
];

function usage(): string {
  const width = COMMANDS.reduce((m, c) => Math.max(m, c.name.length), 0) + 2;
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}\n`).join('');
  return `Usage: kube-reach <command> [options]

Commands:
${list}
Run \`kube-reach <command> --help\` for a command's options. \`kube-reach --version\` prints the
version. Exit codes: 0 ok, 1 findings at or above --fail-on (check), 2 bad usage, an unreadable
path or no manifest read, 3 an internal error. Documentation: docs/cli.md.
`;
}

/** `--help`/`-h` among a command's arguments (before a `--`). */
function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    const topic = cmd === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    if (topic !== undefined) io.stdout(commandHelp(topic));
    else if (cmd === undefined) io.stderr(usage());
    else io.stdout(usage());
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version' || cmd === '-v' || cmd === '-V') return versionCommand.run(parseArgs([], []), io);
  const command = COMMANDS.find((c) => c.name === cmd);
  if (command === undefined) {
    io.stderr(`kube-reach: unknown command "${cmd}"\n\n${usage()}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    io.stdout(commandHelp(command));
    return 0;
  }
  try {
    const parsed = parseArgs(rest, [...command.flags, ...COMMON_FLAGS]);
    const cio: CliIO = parsed.booleans.has('--no-color') ? { ...io, color: { stdout: false, stderr: false } } : io;
    return await command.run(parsed, cio);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`kube-reach ${cmd}: ${e.message}\n(see kube-reach ${cmd} --help)\n`);
      return 2;
    }
    throw e;
  }
}

/** Colour when the stream is a terminal and NO_COLOR is unset or empty (no-color.org). */
function colorFor(stream: NodeJS.WriteStream): boolean {
  const noColor = process.env['NO_COLOR'];
  return stream.isTTY && (noColor === undefined || noColor === '') && process.env['TERM'] !== 'dumb';
}

/** Reads standard input to its end. */
function readStdin(): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}

// A parse worker started from this bundle (server/parsePool.ts) runs the worker alone.
const isEntry = typeof require !== 'undefined' && require.main === module && !isParseWorker();
if (isEntry) {
  const io: CliIO = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    readStdin,
    color: { stdout: colorFor(process.stdout), stderr: colorFor(process.stderr) },
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      // `lsp --stdio` returns 0 once the server is listening; the process lives until the client exits.
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`kube-reach: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
