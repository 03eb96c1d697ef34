/**
 * The CLI's view of the outside world, so commands are testable in process.
 */

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
  /** Standard input, read whole (for the path `-`); absent: there is none. */
  readonly readStdin?: () => Promise<Uint8Array>;
  /** Colour for text on stdout and stderr (a terminal, NO_COLOR unset); absent: none. */
  readonly color?: { readonly stdout: boolean; readonly stderr: boolean };
}


/** Raised for bad flags or arguments: the CLI prints the message and exits 2. */
export class UsageError extends Error {}
