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
  let out = '';
  for (const c of s) {
    const n = c.charCodeAt(0);
    const control = n < 0x20 || (n >= 0x7f && n <= 0x9f) || n === 0x2028 || n === 0x2029;
    if (!control) out += c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else out += n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  }
  return out;
}
