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

/**
 * Control characters (a newline or an escape sequence in a file name) written as `\n`, `\t`,
 * `\xNN` or `\uNNNN`, so each diagnostic stays one `path:line:col: …` line and cannot drive the
 * terminal.
 */
export function escapeControl(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}
