/**
 * Sprig's dictionary functions (Sprig documentation, "Dictionaries and Dict Functions"): dict, get,
 * set, unset, hasKey, keys, values, pick, omit, pluck, dig, merge/mergeOverwrite (mergo's rules:
 * maps merge deeply; without overwrite a destination value wins unless it is empty), deepCopy.
 * Go's map order is random where Sprig returns keys or values; here it is sorted, so renders are
 * stable.
 */

import { FuncError, def } from '../template/callable.js';
import type { CallContext, FuncDef } from '../template/callable.js';
import { deepCopy, isTrue, sortedKeys } from '../template/values.js';
import type { GoValue } from '../template/values.js';
import { strval } from './convert.js';

function needMap(v: GoValue): Map<string, GoValue> {
  if (v instanceof Map) return v;
  throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
}

function dict(args: GoValue[]): Map<string, GoValue> {
  const m = new Map<string, GoValue>();
  for (let i = 0; i < args.length; i += 2) {
    const k = strval(args[i] ?? null);
    m.set(k, i + 1 < args.length ? (args[i + 1] ?? null) : '');
  }
  return m;
}

/** mergo.Merge(dst, src) / with WithOverride, on map[string]interface{}. */
export function mergeInto(
  dst: Map<string, GoValue>,
  src: Map<string, GoValue>,
  overwrite: boolean,
  depth = 0,
  writing?: (m: Map<string, GoValue>) => void,
): void {
  if (depth > 100) throw new FuncError('merge: maximum depth exceeded');
  writing?.(dst);
  for (const [k, sv] of src) {
    if (sv === null || sv === undefined) continue;
    const dv = dst.get(k);
    const dExists = dst.has(k) && dv !== null && dv !== undefined;
    if (sv instanceof Map) {
      if (dv instanceof Map) mergeInto(dv, sv, overwrite, depth + 1, writing);
      if (dExists && isTrue(dv ?? null)) continue;
      dst.set(k, sv);
      continue;
    }
    if (Array.isArray(sv)) {
      if (dExists && isTrue(dv ?? null)) {
        if (overwrite && sv.length > 0) dst.set(k, sv);
        continue;
      }
      dst.set(k, sv);
      continue;
    }
    if (overwrite || !dExists || !isTrue(dv ?? null)) dst.set(k, sv);
  }
}

function merge(args: GoValue[], overwrite: boolean, ctx: CallContext): GoValue {
  const [dst, ...srcs] = args;
  const d = dst instanceof Map ? dst : new Map<string, GoValue>();
  const writing = ctx.writing === undefined ? undefined : (m: Map<string, GoValue>): void => ctx.writing?.(m);
  for (const s of srcs) if (s instanceof Map) mergeInto(d, s, overwrite, 0, writing);
  return d;
}

function dig(args: GoValue[], ctx: CallContext): GoValue {
  if (args.length < 3) throw new FuncError('dig needs at least three arguments');
  const d = args[args.length - 1];
  const dflt = args[args.length - 2] ?? null;
  const keys = args.slice(0, -2);
  let cur: GoValue = d ?? null;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (typeof k !== 'string')
      throw new FuncError(`interface conversion: interface {} is ${k === null || k === undefined ? 'nil' : typeof k}, not string`);
    if (!(cur instanceof Map))
      throw new FuncError(
        `interface conversion: interface {} is ${cur === null || cur === undefined ? 'nil' : typeof cur}, not map[string]interface {}`,
      );
    ctx.read?.(cur, k, cur.get(k));
    if (!cur.has(k)) return dflt;
    cur = cur.get(k) ?? null;
  }
  return cur;
}

export const DICT_FUNCS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  ['dict', def([], dict, 'any')],
  [
    'get',
    def(['map', 'string'], ([m, k], ctx) => {
      if (m instanceof Map) ctx.read?.(m, String(k), m.get(String(k)));
      return m instanceof Map && m.has(String(k)) ? (m.get(String(k)) ?? null) : '';
    }),
  ],
  [
    'set',
    def(['map', 'string', 'any'], ([m, k, v], ctx) => {
      const d = needMap(m ?? null);
      ctx.writing?.(d);
      return d.set(String(k), v ?? null);
    }),
  ],
  [
    'unset',
    def(['map', 'string'], ([m, k], ctx) => {
      const d = needMap(m ?? null);
      ctx.writing?.(d);
      d.delete(String(k));
      return d;
    }),
  ],
  ['hasKey', def(['map', 'string'], ([m, k]) => m instanceof Map && m.has(String(k)))],
  ['keys', def([], (ms) => ms.flatMap((m) => (m instanceof Map ? sortedKeys(m) : [])), 'map')],
  ['values', def(['map'], ([m]) => (m instanceof Map ? sortedKeys(m).map((k) => m.get(k) ?? null) : []))],
  [
    'pick',
    def(
      ['map'],
      ([m, ...ks]) => {
        const out = new Map<string, GoValue>();
        if (m instanceof Map) for (const k of ks) if (m.has(String(k))) out.set(String(k), m.get(String(k)) ?? null);
        return out;
      },
      'string',
    ),
  ],
  [
    'omit',
    def(
      ['map'],
      ([m, ...ks]) => {
        const out = new Map<string, GoValue>();
        const drop = new Set(ks.map(String));
        if (m instanceof Map) for (const [k, v] of m) if (!drop.has(k)) out.set(k, v);
        return out;
      },
      'string',
    ),
  ],
  [
    'pluck',
    def(
      ['string'],
      ([k, ...ms]) =>
        ms.filter((m): m is Map<string, GoValue> => m instanceof Map && m.has(String(k))).map((m) => m.get(String(k)) ?? null),
      'map',
    ),
  ],
  ['dig', def([], dig, 'any')],
  ['merge', def(['map'], (a, ctx) => merge(a, false, ctx), 'map')],
  ['mustMerge', def(['map'], (a, ctx) => merge(a, false, ctx), 'map')],
  ['mergeOverwrite', def(['map'], (a, ctx) => merge(a, true, ctx), 'map')],
  ['mustMergeOverwrite', def(['map'], (a, ctx) => merge(a, true, ctx), 'map')],
  ['deepCopy', def(['any'], ([v]) => deepCopy(v ?? null))],
  [
    'mustDeepCopy',
    def(['any'], ([v]) => {
      if (v === null || v === undefined) throw new FuncError('copy: cannot copy nil');
      return deepCopy(v);
    }),
  ],
]);
