/**
 * One CLI command: its name, a one-line summary for `kube-reach --help`, its synopsis and flags
 * for `kube-reach <command> --help`, and what it runs. cli/main.ts holds the table; a new command
 * is a file exporting a `CommandSpec` and one entry there.
 */

import type { Flag, ParsedArgs } from './args.js';
import { flagHelp } from './args.js';
import type { CliIO } from './io.js';

export interface CommandSpec {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** What follows `kube-reach <name>` in the usage line, e.g. `[paths…] [options]`. */
  readonly synopsis: string;
  /** Paragraphs printed after the flags in `--help` (examples, exit codes). */
  readonly details?: string;
  readonly flags: readonly Flag[];
  /** Runs with the flags parsed; returns the exit code (0 ok, 1 findings, 2 usage). */
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

/** Flags every command accepts; main.ts handles them before the command runs. */
export const COMMON_FLAGS: readonly Flag[] = [
  { name: '--no-color', help: 'no colour, even on a terminal (also NO_COLOR=1)' },
  { name: '--help', help: 'show this help' },
];

/** `kube-reach <name> --help`. */
export function commandHelp(c: CommandSpec): string {
  const flags = [...c.flags, ...COMMON_FLAGS];
  return `Usage: kube-reach ${c.name} ${c.synopsis}\n\n${c.summary}\n\nOptions:\n${flagHelp(flags)}${c.details === undefined ? '' : '\n' + c.details.trimEnd() + '\n'}`;
}
