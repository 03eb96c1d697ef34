/**
 * The predefined functions of Go's text/template (package documentation, "Functions"): and, or
 * (evaluated lazily by the executor), not, len, index, slice, print, printf, println, eq, ne, lt, le,
 * gt, ge, html, js, urlquery, call — with Go's comparison rules and error wording.
 */

import { FuncError, def } from './callable.js';
import type { CallContext, FuncDef } from './callable.js';
import { formatV, sprint, sprintf, sprintln } from './fmt.js';
import { utf8Decode, utf8Encode } from './utf8.js';
import { GoStruct, isTrue, typeName } from './values.js';
import type { GoValue } from './values.js';

type Basic = 'invalid' | 'bool' | 'int' | 'float' | 'string' | 'other';

function basicKind(v: GoValue): Basic {
  if (v === null || v === undefined) return 'invalid';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
    default:
      return 'other';
  }
}

/** Go's template `eq`: arg1 == any of the others; different basic kinds are an error unless one is nil. */
export function goEq(a: GoValue, others: readonly GoValue[]): boolean {
  if (others.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of others) {
    const k2 = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new FuncError('incompatible types for comparison');
    } else if (k1 === 'other') {
      if (Array.isArray(a) || a instanceof Map || Array.isArray(b) || b instanceof Map) {
        throw new FuncError(`non-comparable types ${formatV(a)}: ${typeName(a)}, ${typeName(b)}: ${formatV(b)}`);
      }
      truth = a === b;
    } else if (k1 === 'invalid') truth = true;
    else truth = a === b;
    if (truth) return true;
  }
  return false;
}

export function goLt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k1 === 'other' || k1 === 'bool' || k2 === 'invalid' || k2 === 'other' || k2 === 'bool') {
    if (k1 !== k2 && k1 !== 'invalid' && k2 !== 'invalid' && k1 !== 'other' && k2 !== 'other' && k1 !== 'bool' && k2 !== 'bool')
      throw new FuncError('incompatible types for comparison');
    throw new FuncError('invalid type for comparison');
  }
  if (k1 !== k2) throw new FuncError('incompatible types for comparison');
  return (a as string | number | bigint) < (b as string | number | bigint);
}

function toIndex(v: GoValue, cap: number, what: string): number {
  if (typeof v !== 'bigint') {
    if (v === null || v === undefined) throw new FuncError(`cannot index ${what} with nil`);
    throw new FuncError(`cannot index ${what} with type ${typeName(v)}`);
  }
  if (v < 0n || v >= BigInt(cap)) throw new FuncError(`index out of range: ${v}`);
  return Number(v);
}

function indexFn(item: GoValue, indexes: GoValue[], ctx?: CallContext): GoValue {
  let cur: GoValue = item;
  for (const ix of indexes) {
    if (cur === null || cur === undefined) throw new FuncError('index of untyped nil');
    if (Array.isArray(cur)) cur = cur[toIndex(ix, cur.length, 'slice/array')];
    else if (typeof cur === 'string') {
      const bytes = utf8Encode(cur);
      cur = BigInt(bytes[toIndex(ix, bytes.length, 'slice/array')] ?? 0);
    } else if (cur instanceof Map) {
      if (typeof ix !== 'string') {
        if (ix === null || ix === undefined) cur = undefined;
        else throw new FuncError(`value has type ${typeName(ix)}; should be string`);
      } else {
        const v: GoValue = cur.get(ix);
        ctx?.read?.(cur, ix, v);
        cur = v;
      }
    } else throw new FuncError(`can't index item of type ${typeName(cur)}`);
  }
  return cur;
}

function sliceFn(item: GoValue, indexes: GoValue[]): GoValue {
  if (item === null || item === undefined) throw new FuncError('slice of untyped nil');
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  let len: number;
  let bytes: number[] | undefined;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
    bytes = utf8Encode(item);
    len = bytes.length;
  } else if (Array.isArray(item)) len = item.length;
  else throw new FuncError(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len];
  indexes.forEach((v, i) => {
    if (typeof v !== 'bigint') throw new FuncError(`cannot index slice/array with type ${typeName(v)}`);
    if (v < 0n || v > BigInt(len)) throw new FuncError(`index out of range: ${v}`);
    idx[i] = Number(v);
  });
  const [i, j = len] = idx;
  if ((i ?? 0) > j) throw new FuncError(`invalid slice index: ${i} > ${j}`);
  if (bytes !== undefined) return utf8Decode(bytes.slice(i, j));
  return (item as GoValue[]).slice(i, j);
}

function lenFn(v: GoValue): GoValue {
  if (v === null || v === undefined) throw new FuncError('len of nil pointer');
  if (typeof v === 'string') return BigInt(utf8Encode(v).length);
  if (Array.isArray(v)) return BigInt(v.length);
  if (v instanceof Map) return BigInt(v.size);
  throw new FuncError(`len of type ${typeName(v)}`);
}

/** Go's evalArgs for html/js/urlquery: one string as is, anything else through fmt.Sprint. */
function argsString(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args);
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case "'":
        out += "\\'";
        break;
      case '"':
        out += '\\"';
        break;
      case '<':
        out += '\\u003C';
        break;
      case '>':
        out += '\\u003E';
        break;
      case '&':
        out += '\\u0026';
        break;
      case '=':
        out += '\\u003D';
        break;
      default:
        if (c < 0x20) out += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
        else if ((c >= 0x7f && c < 0xa0) || c === 0x2028 || c === 0x2029 || c === 0xfffe || c === 0xffff)
          out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
        else out += ch;
    }
  }
  return out;
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8Encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export const BUILTINS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  // and/or are evaluated lazily by the executor; these entries only declare them.
  ['and', def(['any'], (a) => a[a.length - 1], 'any')],
  ['or', def(['any'], (a) => a[a.length - 1], 'any')],
  ['not', def(['any'], ([a]) => !isTrue(a))],
  ['len', def(['any'], ([a]) => lenFn(a))],
  ['index', def(['any'], ([item, ...ix], ctx) => indexFn(item, ix, ctx), 'any')],
  ['slice', def(['any'], ([item, ...ix]) => sliceFn(item, ix), 'any')],
  ['print', def([], (a) => sprint(a), 'any')],
  ['println', def([], (a) => sprintln(a), 'any')],
  ['printf', def(['string'], ([f, ...a]) => sprintf(String(f), a), 'any')],
  ['eq', def(['any'], ([a, ...rest]) => goEq(a, rest), 'any')],
  ['ne', def(['any', 'any'], ([a, b]) => !goEq(a, [b]))],
  ['lt', def(['any', 'any'], ([a, b]) => goLt(a, b))],
  ['le', def(['any', 'any'], ([a, b]) => goLt(a, b) || goEq(a, [b]))],
  ['gt', def(['any', 'any'], ([a, b]) => !(goLt(a, b) || goEq(a, [b])))],
  ['ge', def(['any', 'any'], ([a, b]) => !goLt(a, b))],
  ['html', def([], (a) => htmlEscape(argsString(a)), 'any')],
  ['js', def([], (a) => jsEscape(argsString(a)), 'any')],
  ['urlquery', def([], (a) => queryEscape(argsString(a)), 'any')],
  [
    'call',
    def(
      ['any'],
      ([f]) => {
        if (f === null || f === undefined) throw new FuncError('call of nil');
        throw new FuncError(`non-function ${f instanceof GoStruct ? f.typeName : formatV(f)} of type ${typeName(f)}`);
      },
      'any',
    ),
  ],
]);
