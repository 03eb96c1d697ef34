/**
 * Sprig's list functions (Sprig documentation, "Lists and List Functions", "Integer Slice
 * Functions"): list, append/push, prepend, first, rest, last, initial, reverse, uniq, without,
 * has, compact, concat, slice, chunk, until, untilStep, seq, and their must* forms (which return
 * the error the plain form panics with: to a template both are `error calling <name>`).
 */

import { FuncError, def } from '../template/callable.js';
import type { FuncDef } from '../template/callable.js';
import type { GoValue } from '../template/values.js';
import { deepEqual, empty, needList, reflectKind, toInt } from './convert.js';

function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const out: bigint[] = [];
  const LIMIT = 1_000_000;
  if (stop < start) {
    if (step >= 0n) return out;
    for (let i = start; i > stop; i += step) {
      out.push(i);
      if (out.length > LIMIT) throw new FuncError('untilStep: too many elements');
    }
    return out;
  }
  if (step <= 0n) return out;
  for (let i = start; i < stop; i += step) {
    out.push(i);
    if (out.length > LIMIT) throw new FuncError('untilStep: too many elements');
  }
  return out;
}

function seq(params: bigint[]): string {
  let inc = 1n;
  switch (params.length) {
    case 1: {
      const end = params[0] ?? 0n;
      if (end < 1n) inc = -1n;
      return untilStep(1n, end + inc, inc).join(' ');
    }
    case 2: {
      const [start = 0n, end = 0n] = params;
      const step = end < start ? -1n : 1n;
      return untilStep(start, end + step, step).join(' ');
    }
    case 3: {
      const [start = 0n, step = 0n, end = 0n] = params;
      if (end < start) {
        inc = -1n;
        if (step > 0n) return '';
      }
      return untilStep(start, end + inc, step).join(' ');
    }
    default:
      return '';
  }
}

function inList(l: readonly GoValue[], v: GoValue): boolean {
  return l.some((e) => deepEqual(e, v));
}

function uniq(l: readonly GoValue[]): GoValue[] {
  const out: GoValue[] = [];
  for (const e of l) if (!inList(out, e)) out.push(e);
  return out;
}

function sliceList(l: GoValue[], ix: GoValue[]): GoValue[] {
  const start = ix.length > 0 ? Number(toInt(ix[0] ?? null)) : 0;
  const end = ix.length > 1 ? Number(toInt(ix[1] ?? null)) : l.length;
  if (start < 0 || end > l.length || start > end)
    throw new FuncError(`runtime error: slice bounds out of range [${start}:${end}] with capacity ${l.length}`);
  return l.slice(start, end);
}

function chunk(size: bigint, l: GoValue[]): GoValue[] {
  const n = Number(size);
  if (n <= 0) throw new FuncError('runtime error: integer divide by zero');
  const out: GoValue[] = [];
  for (let i = 0; i < l.length; i += n) out.push(l.slice(i, i + n));
  return out;
}

/** A family entry registered under its plain and must* names. */
function both(name: string, d: FuncDef): [string, FuncDef][] {
  return [
    [name, d],
    [`must${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`, d],
  ];
}

export const LIST_FUNCS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  ['list', def([], (a) => [...a.map((v) => (v === undefined ? null : v))], 'any')],
  ['tuple', def([], (a) => [...a.map((v) => (v === undefined ? null : v))], 'any')],
  ...both(
    'append',
    def(['any', 'any'], ([l, v]) => [...needList(l ?? null, 'push'), v === undefined ? null : v]),
  ),
  ...both(
    'push',
    def(['any', 'any'], ([l, v]) => [...needList(l ?? null, 'push'), v === undefined ? null : v]),
  ),
  ...both(
    'prepend',
    def(['any', 'any'], ([l, v]) => [v === undefined ? null : v, ...needList(l ?? null, 'prepend')]),
  ),
  ...both(
    'first',
    def(['any'], ([l]) => needList(l ?? null, 'find first')[0] ?? null),
  ),
  ...both(
    'last',
    def(['any'], ([l]) => {
      const a = needList(l ?? null, 'find last');
      return a.length === 0 ? null : (a[a.length - 1] ?? null);
    }),
  ),
  ...both(
    'rest',
    def(['any'], ([l]) => {
      const a = needList(l ?? null, 'find rest');
      return a.length === 0 ? null : a.slice(1);
    }),
  ),
  ...both(
    'initial',
    def(['any'], ([l]) => {
      const a = needList(l ?? null, 'find initial');
      return a.length === 0 ? null : a.slice(0, -1);
    }),
  ),
  ...both(
    'reverse',
    def(['any'], ([l]) => [...needList(l ?? null, 'find reverse')].reverse()),
  ),
  ...both(
    'uniq',
    def(['any'], ([l]) => uniq(needList(l ?? null, 'find uniq'))),
  ),
  ...both(
    'without',
    def(['any'], ([l, ...omit]) => needList(l ?? null, 'find without').filter((e) => !inList(omit, e)), 'any'),
  ),
  ...both(
    'has',
    def(['any', 'any'], ([needle, hay]) => {
      if (hay === null || hay === undefined) return false;
      return inList(needList(hay, 'find has'), needle ?? null);
    }),
  ),
  ...both(
    'compact',
    def(['any'], ([l]) => needList(l ?? null, 'compact').filter((e) => !empty(e))),
  ),
  ...both(
    'slice',
    def(['any'], ([l, ...ix]) => sliceList(needList(l ?? null, 'slice'), ix), 'any'),
  ),
  ...both(
    'chunk',
    def(['int', 'any'], ([n, l]) => chunk(n as bigint, needList(l ?? null, 'chunk'))),
  ),
  [
    'concat',
    def(
      [],
      (lists) => {
        const out: GoValue[] = [];
        for (const l of lists) {
          if (!Array.isArray(l))
            throw new FuncError(`Cannot concat type ${l === null || l === undefined ? 'invalid' : reflectKind(l)} as list`);
          for (const e of l) out.push(e);
        }
        return out;
      },
      'any',
    ),
  ],
  ['until', def(['int'], ([n]) => untilStep(0n, n as bigint, (n as bigint) < 0n ? -1n : 1n))],
  ['untilStep', def(['int', 'int', 'int'], ([a, b, s]) => untilStep(a as bigint, b as bigint, s as bigint))],
  ['seq', def([], (a) => seq(a as bigint[]), 'int')],
]);
