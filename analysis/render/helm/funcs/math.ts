/**
 * Sprig's math and conversion functions (Sprig documentation, "Integer Math Functions", "Float
 * Math Functions", "Type Conversion Functions"): integer math converts operands with cast.ToInt64
 * and returns int64; the *f forms and floor/ceil/round return float64.
 */

import { FuncError, def } from '../template/callable.js';
import type { FuncDef } from '../template/callable.js';
import type { GoValue } from '../template/values.js';
import { toFloat64, toInt, toInt64 } from './convert.js';

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

function intDiv(a: bigint, b: bigint, mod: boolean): bigint {
  if (b === 0n) throw new FuncError('runtime error: integer divide by zero');
  return wrap(mod ? a % b : a / b);
}

function round(a: GoValue, p: bigint, rOpt: GoValue[]): number {
  const roundOn = rOpt.length > 0 ? toFloat64(rOpt[0] ?? null) : 0.5;
  const val = toFloat64(a);
  const pow = 10 ** Number(p);
  const digit = pow * val;
  const frac = digit - Math.trunc(digit);
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

/** strconv.Atoi: decimal with an optional sign; 0 when invalid. */
function atoi(s: string): bigint {
  if (!/^[+-]?\d+$/.test(s)) return 0n;
  const v = BigInt(s);
  return v > 2n ** 63n - 1n || v < -(2n ** 63n) ? 0n : v;
}

/** Sprig's toDecimal: an octal string to int64 (0 when invalid). */
function toDecimal(v: GoValue): bigint {
  const s = typeof v === 'string' ? v : String(v);
  return /^[0-7]+$/.test(s) ? BigInt('0o' + s) : 0n;
}

const f = (xs: GoValue[]): number[] => xs.map((x) => toFloat64(x ?? null));

export const MATH_FUNCS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  ['add', def([], (a) => wrap(a.reduce<bigint>((s, x) => s + toInt64(x ?? null), 0n)), 'any')],
  ['add1', def(['any'], ([a]) => wrap(toInt64(a ?? null) + 1n))],
  ['sub', def(['any', 'any'], ([a, b]) => wrap(toInt64(a ?? null) - toInt64(b ?? null)))],
  ['mul', def(['any'], ([a, ...r]) => wrap(r.reduce<bigint>((s, x) => s * toInt64(x ?? null), toInt64(a ?? null))), 'any')],
  ['div', def(['any', 'any'], ([a, b]) => intDiv(toInt64(a ?? null), toInt64(b ?? null), false))],
  ['mod', def(['any', 'any'], ([a, b]) => intDiv(toInt64(a ?? null), toInt64(b ?? null), true))],
  [
    'max',
    def(['any'], ([a, ...r]) => r.reduce<bigint>((m, x) => (toInt64(x ?? null) > m ? toInt64(x ?? null) : m), toInt64(a ?? null)), 'any'),
  ],
  [
    'biggest',
    def(['any'], ([a, ...r]) => r.reduce<bigint>((m, x) => (toInt64(x ?? null) > m ? toInt64(x ?? null) : m), toInt64(a ?? null)), 'any'),
  ],
  [
    'min',
    def(['any'], ([a, ...r]) => r.reduce<bigint>((m, x) => (toInt64(x ?? null) < m ? toInt64(x ?? null) : m), toInt64(a ?? null)), 'any'),
  ],
  ['addf', def([], (a) => f(a).reduce((s, x) => s + x, 0), 'any')],
  ['add1f', def(['any'], ([a]) => toFloat64(a ?? null) + 1)],
  ['subf', def(['any'], ([a, ...r]) => f(r).reduce((s, x) => s - x, toFloat64(a ?? null)), 'any')],
  ['mulf', def(['any'], ([a, ...r]) => f(r).reduce((s, x) => s * x, toFloat64(a ?? null)), 'any')],
  [
    'divf',
    def(
      ['any'],
      ([a, ...r]) =>
        f(r).reduce(
          (s, x) => {
            if (x === 0) throw new FuncError('decimal division by 0');
            return s / x;
          },
          toFloat64(a ?? null),
        ),
      'any',
    ),
  ],
  ['maxf', def(['any'], ([a, ...r]) => f(r).reduce((m, x) => Math.max(m, x), toFloat64(a ?? null)), 'any')],
  ['minf', def(['any'], ([a, ...r]) => f(r).reduce((m, x) => Math.min(m, x), toFloat64(a ?? null)), 'any')],
  ['floor', def(['any'], ([a]) => Math.floor(toFloat64(a ?? null)))],
  ['ceil', def(['any'], ([a]) => Math.ceil(toFloat64(a ?? null)))],
  ['round', def(['any', 'int'], ([a, p, ...r]) => round(a ?? null, p as bigint, r), 'float')],
  ['int', def(['any'], ([a]) => toInt(a ?? null))],
  ['int64', def(['any'], ([a]) => toInt64(a ?? null))],
  ['float64', def(['any'], ([a]) => toFloat64(a ?? null))],
  ['atoi', def(['string'], ([s]) => atoi(String(s)))],
  ['toDecimal', def(['any'], ([v]) => toDecimal(v ?? null))],
]);
