/**
 * The CLI run in process, as the CLI tests run it: `main` with `args` in `cwd`, its exit code and what it
 * printed on stdout and stderr.
 */

import { main } from '../../cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCli(args: readonly string[], cwd: string): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd });
  return { code, out, err };
}
