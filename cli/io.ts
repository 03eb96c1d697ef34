/**
 * The CLI's view of the outside world, so commands are testable in process.
 */

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
}

/** A command returns its exit code (design §6): 0 ok, 1 findings at/above --fail-on, 2 usage. */
export type Command = (args: readonly string[], io: CliIO) => Promise<number>;

/** Raised for bad flags or arguments: the CLI prints the message and exits 2. */
export class UsageError extends Error {}
