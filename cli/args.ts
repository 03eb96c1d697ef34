/**
 * A small, strict flag parser over declared flags: `--flag value`, `--flag=value`, repeatable
 * flags, booleans, positionals. Unknown flags are usage errors (exit 2), never ignored. The same
 * declarations print each command's `--help` (cli/command.ts), so a new flag is one entry.
 */

import { UsageError } from './io.js';

export interface Flag {
  /** `--name`. */
  readonly name: string;
  /** The value's placeholder in help (`FILE`, `text|json`); absent for a boolean flag. */
  readonly value?: string;
  /** The flag may be given more than once. */
  readonly repeatable?: boolean;
  /** One line of help. */
  readonly help: string;
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Map<string, string[]>;
  readonly booleans: Set<string>;
}

export function parseArgs(args: readonly string[], flags: readonly Flag[]): ParsedArgs {
  const byName = new Map(flags.map((f) => [f.name, f]));
  const positionals: string[] = [];
  const values = new Map<string, string[]>();
  const booleans = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      for (const p of args.slice(i + 1)) positionals.push(p);
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq === -1 ? a : a.slice(0, eq);
    const flag = byName.get(name);
    if (flag === undefined) throw new UsageError(`unknown option ${name}`);
    if (flag.value === undefined) {
      if (eq !== -1) throw new UsageError(`${name} takes no value`);
      booleans.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = a.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    const list = values.get(name) ?? [];
    if (list.length > 0 && flag.repeatable !== true) throw new UsageError(`${name} may be given only once`);
    list.push(value);
    values.set(name, list);
  }
  return { positionals, values, booleans };
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}

/** The help lines of a list of flags, aligned. */
export function flagHelp(flags: readonly Flag[]): string {
  const heads = flags.map((f) => `  ${f.name}${f.value === undefined ? '' : ' ' + f.value}${f.repeatable === true ? ' …' : ''}`);
  const width = Math.min(34, heads.reduce((m, h) => Math.max(m, h.length), 0) + 2);
  return flags
    .map((f, i) => {
      const head = heads[i] ?? '';
      return head.length + 1 > width ? `${head}\n${' '.repeat(width)}${f.help}\n` : `${head.padEnd(width)}${f.help}\n`;
    })
    .join('');
}
