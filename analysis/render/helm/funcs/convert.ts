/**
 * Sprig's conversions (sprig's strval/strslice, and spf13/cast's ToInt64/ToFloat64 which Sprig's
 * int/int64/float64 and the integer math use), and Go's reflect.DeepEqual and emptiness.
 */

import { FuncError } from '../template/callable.js';
import { formatV } from '../template/fmt.js';
import { GoStruct, isTrue, kindOf } from '../template/values.js';
import type { GoValue } from '../template/values.js';

/** Sprig's strval: strings as they are, anything else through fmt's %v. */
export function strval(v: GoValue): string {
  return typeof v === 'string' ? v : formatV(v ?? null);
}

/** Sprig's strslice (toStrings): a list's non-nil elements as strings; nil → []; a scalar → [it]. */
export function strslice(v: GoValue): string[] {
  if (Array.isArray(v)) return v.filter((e) => e !== null && e !== undefined).map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function wrapInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** cast.ToInt64: strings parsed with base prefixes ("1.0" allowed), floats truncated, bools 1/0, else 0. */
export function toInt64(v: GoValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return INT64_MIN;
    const t = Math.trunc(v);
    if (t > Number(INT64_MAX) || t < Number(INT64_MIN)) return INT64_MIN;
    return BigInt(t);
  }
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    let s = v;
    // cast trims a zero decimal part ("8.0" → "8") before parsing.
    const z = /^([+-]?\d+)\.0*$/.exec(s);
    if (z !== null) s = z[1] ?? s;
    const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9]\d*|0)$/.exec(s);
    if (m === null) return 0n;
    let body = m[2] ?? '0';
    if (/^0[0-7]+$/.test(body)) body = '0o' + body.slice(1);
    const n = BigInt(body.replace(/^0O/, '0o').replace(/^0X/, '0x').replace(/^0B/, '0b'));
    const r = m[1] === '-' ? -n : n;
    return r > INT64_MAX || r < INT64_MIN ? 0n : r;
  }
  return 0n;
}

export function toInt(v: GoValue): bigint {
  return wrapInt64(toInt64(v));
}

/** cast.ToFloat64: numbers, numeric strings, bools 1/0, else 0. */
export function toFloat64(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim() === v ? v : '';
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) || /^[+-]?(Inf|inf|NaN)$/.test(s)) {
      if (/Inf|inf/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
      if (/NaN/.test(s)) return NaN;
      return Number(s);
    }
    return 0;
  }
  return 0;
}

/** Sprig's empty: Go's template falsehood. */
export function empty(v: GoValue): boolean {
  return !isTrue(v);
}

/** reflect.DeepEqual on Go values (an int never equals a float64). */
export function deepEqual(a: GoValue, b: GoValue, depth = 0): boolean {
  if (depth > 200) return false;
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((e, i) => deepEqual(e, b[i], depth + 1));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !deepEqual(v, b.get(k), depth + 1)) return false;
    return true;
  }
  if (a instanceof GoStruct && b instanceof GoStruct) return a === b;
  return false;
}

/** A list argument, or Go's error for a function that needs one ("Cannot <what> on type <kind>"). */
export function needList(v: GoValue, what: string): GoValue[] {
  if (Array.isArray(v)) return v;
  if (v === null || v === undefined) throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
  throw new FuncError(`Cannot ${what} on type ${reflectKind(v)}`);
}

/** reflect.Kind names as Sprig's kindOf prints them. */
export function reflectKind(v: GoValue): string {
  const k = kindOf(v);
  switch (k) {
    case 'float64':
      return 'float64';
    case 'struct':
      return v instanceof GoStruct && v.typeName.startsWith('*') ? 'ptr' : 'struct';
    default:
      return k;
  }
}
