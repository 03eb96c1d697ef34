/**
 * A small, strict flag parser: `--flag value`, `--flag=value`, repeatable flags, positionals.
 * Unknown flags are usage errors (exit 2), never ignored.
 */

import { UsageError } from './io.js';

export interface FlagSpec {
  /** Flags that take a value. */
  readonly values: readonly string[];
  /** Value flags that may repeat. */
  readonly repeatable?: readonly string[];
  /** Flags without a value. */
  readonly booleans?: readonly string[];
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Map<string, string[]>;
  readonly booleans: Set<string>;
}

export function parseArgs(args: readonly string[], spec: FlagSpec): ParsedArgs {
  const positionals: string[] = [];
  const values = new Map<string, string[]>();
  const booleans = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq === -1 ? a : a.slice(0, eq);
    if (spec.booleans?.includes(name) === true) {
      if (eq !== -1) throw new UsageError(`${name} takes no value`);
      booleans.add(name);
      continue;
    }
    if (!spec.values.includes(name)) throw new UsageError(`unknown option ${name}`);
    let value: string | undefined;
    if (eq !== -1) value = a.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    const list = values.get(name) ?? [];
    if (list.length > 0 && spec.repeatable?.includes(name) !== true) throw new UsageError(`${name} may be given only once`);
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
