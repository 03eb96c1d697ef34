/**
 * Sprig's string functions (Sprig documentation, "String Functions", "String Slice Functions",
 * "Regular Expressions"). Go strings are bytes: trunc/substr cut UTF-8 bytes as Go slices do.
 */

import { FuncError, def } from '../template/callable.js';
import type { FuncDef } from '../template/callable.js';
import { goQuote } from '../template/fmt.js';
import { utf8Decode, utf8Encode } from '../template/utf8.js';
import type { GoValue } from '../template/values.js';
import { strslice, strval } from './convert.js';
import { expand, findAll, goRegex } from './regex.js';
import { camelCaseWords, lowerCaseWords } from './caseWords.js';

const isAscii = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
};

/** Go's s[a:b] on bytes. */
function byteSlice(s: string, a: number, b?: number): string {
  if (isAscii(s)) return s.slice(a, b);
  const bytes = utf8Encode(s);
  return utf8Decode(bytes.slice(a, b));
}

function byteLen(s: string): number {
  return isAscii(s) ? s.length : utf8Encode(s).length;
}

function trunc(c: bigint, s: string): string {
  const n = byteLen(s);
  const ci = Number(c);
  if (ci < 0 && n + ci > 0) return byteSlice(s, n + ci);
  if (ci >= 0 && n > ci) return byteSlice(s, 0, ci);
  return s;
}

function substr(start: bigint, end: bigint, s: string): string {
  const n = byteLen(s);
  const a = Number(start);
  const b = Number(end);
  if (a < 0) {
    if (b > n || b < 0) throw new FuncError(`runtime error: slice bounds out of range [:${b}] with length ${n}`);
    return byteSlice(s, 0, b);
  }
  if (b < 0 || b > n) {
    if (a > n) throw new FuncError(`runtime error: slice bounds out of range [${a}:${n}]`);
    return byteSlice(s, a);
  }
  if (a > b) throw new FuncError(`runtime error: slice bounds out of range [${a}:${b}]`);
  return byteSlice(s, a, b);
}

/** strings.Trim with a cutset. */
function trimCutset(s: string, cutset: string): string {
  const set = new Set([...cutset]);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a] ?? '')) a++;
  while (b > a && set.has(chars[b - 1] ?? '')) b--;
  return chars.slice(a, b).join('');
}

/** strings.Title: upper-cases letters that start words. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isSeparator(prev) ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function isSeparator(c: string): boolean {
  if (/^[A-Za-z0-9_]$/.test(c)) return false;
  if ((c.codePointAt(0) ?? 0) <= 0x7f) return true;
  if (/^[\p{L}\p{Nd}]$/u.test(c)) return false;
  return /^\s$/u.test(c);
}

/** goutils' Uncapitalize / Initials over white-space separated words. */
function untitle(s: string): string {
  let prevSpace = true;
  let out = '';
  for (const ch of s) {
    out += prevSpace ? ch.toLowerCase() : ch;
    prevSpace = /\s/u.test(ch);
  }
  return out;
}

function initials(s: string): string {
  let prevSpace = true;
  let out = '';
  for (const ch of s) {
    if (prevSpace && !/\s/u.test(ch)) out += ch;
    prevSpace = /\s/u.test(ch);
  }
  return out;
}

function swapcase(s: string): string {
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    const low = ch.toLowerCase();
    out += ch === up && ch !== low ? low : ch === low && ch !== up ? up : ch;
  }
  return out;
}

/** goutils' WrapCustom (Apache Commons WordUtils.wrap): break at spaces within the width. */
export function wrap(str: string, width: number, newline: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  const nl = newline === '' ? '\n' : newline;
  const w = Math.max(1, width);
  let offset = 0;
  let out = '';
  while (str.length - offset > w) {
    if (str[offset] === ' ') {
      offset++;
      continue;
    }
    const space = str.slice(offset, w + offset + 1).lastIndexOf(' ');
    if (space >= 0) {
      out += str.slice(offset, offset + space) + nl;
      offset += space + 1;
    } else if (wrapLongWords) {
      out += str.slice(offset, offset + w) + nl;
      offset += w;
    } else {
      const idx = str.indexOf(' ', offset + w);
      if (idx < 0) {
        out += str.slice(offset);
        offset = str.length;
      } else {
        out += str.slice(offset, idx) + nl;
        offset = idx + 1;
      }
    }
  }
  return out + str.slice(offset);
}

function abbrev(width: bigint, s: string): string {
  const w = Number(width);
  if (w < 4) return s;
  if (s.length <= w) return s;
  return s.slice(0, w - 3) + '...';
}

function abbrevboth(left: bigint, right: bigint, s: string): string {
  let offset = Number(left);
  const w = Number(right);
  if (w < 4 || (offset > 0 && w < 7)) return s;
  if (s.length <= w) return s;
  if (offset > s.length) offset = s.length;
  if (s.length - offset < w - 3) offset = s.length - (w - 3);
  if (offset <= 4) return s.slice(0, w - 3) + '...';
  if (w < 7) return s;
  if (offset + w - 3 < s.length) return '...' + abbrev(BigInt(w - 3), s.slice(offset));
  return '...' + s.slice(s.length - (w - 3));
}

function splitMap(parts: string[]): Map<string, GoValue> {
  const m = new Map<string, GoValue>();
  parts.forEach((p, i) => m.set(`_${i}`, p));
  return m;
}

/** strings.SplitN. */
function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  const all = sep === '' ? [...s] : s.split(sep);
  if (n < 0 || all.length <= n) return all;
  const head = all.slice(0, n - 1);
  return [...head, all.slice(n - 1).join(sep)];
}

function regexSplit(re: RegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.source === '(?:)' && s.length > 0) return splitN(s, '', n);
  const out: string[] = [];
  let beg = 0;
  for (const m of findAll(re, s, -1)) {
    if (n > 0 && out.length === n - 1) break;
    const end = m.index;
    if (m[0] === '' && (m.index === 0 || m.index >= s.length)) continue;
    out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  out.push(s.slice(beg));
  return out;
}

const str = (v: GoValue): string => String(v);
const int = (v: GoValue): bigint => v as bigint;

export const STRING_FUNCS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  ['trim', def(['string'], ([s]) => str(s).trim())],
  ['trimAll', def(['string', 'string'], ([cut, s]) => trimCutset(str(s), str(cut)))],
  ['trimall', def(['string', 'string'], ([cut, s]) => trimCutset(str(s), str(cut)))],
  [
    'trimSuffix',
    def(['string', 'string'], ([suf, s]) => (str(s).endsWith(str(suf)) ? str(s).slice(0, str(s).length - str(suf).length) : str(s))),
  ],
  ['trimPrefix', def(['string', 'string'], ([pre, s]) => (str(s).startsWith(str(pre)) ? str(s).slice(str(pre).length) : str(s)))],
  ['upper', def(['string'], ([s]) => str(s).toUpperCase())],
  ['lower', def(['string'], ([s]) => str(s).toLowerCase())],
  ['title', def(['string'], ([s]) => title(str(s)))],
  ['untitle', def(['string'], ([s]) => untitle(str(s)))],
  ['initials', def(['string'], ([s]) => initials(str(s)))],
  ['swapcase', def(['string'], ([s]) => swapcase(str(s)))],
  ['replace', def(['string', 'string', 'string'], ([o, n, s]) => str(s).split(str(o)).join(str(n)))],
  ['contains', def(['string', 'string'], ([sub, s]) => str(s).includes(str(sub)))],
  ['hasPrefix', def(['string', 'string'], ([p, s]) => str(s).startsWith(str(p)))],
  ['hasSuffix', def(['string', 'string'], ([p, s]) => str(s).endsWith(str(p)))],
  [
    'quote',
    def(
      [],
      (a) =>
        a
          .filter((v) => v !== null && v !== undefined)
          .map((v) => goQuote(strval(v)))
          .join(' '),
      'any',
    ),
  ],
  [
    'squote',
    def(
      [],
      (a) =>
        a
          .filter((v) => v !== null && v !== undefined)
          .map((v) => `'${strval(v)}'`)
          .join(' '),
      'any',
    ),
  ],
  [
    'cat',
    def(
      [],
      (a) =>
        a
          .filter((v) => v !== null && v !== undefined)
          .map(strval)
          .join(' '),
      'any',
    ),
  ],
  ['indent', def(['int', 'string'], ([n, s]) => indent(int(n), str(s)))],
  ['nindent', def(['int', 'string'], ([n, s]) => '\n' + indent(int(n), str(s)))],
  ['trunc', def(['int', 'string'], ([c, s]) => trunc(int(c), str(s)))],
  ['substr', def(['int', 'int', 'string'], ([a, b, s]) => substr(int(a), int(b), str(s)))],
  [
    'repeat',
    def(['int', 'string'], ([n, s]) => {
      if (int(n) < 0n) throw new FuncError('strings: negative Repeat count');
      if (int(n) * BigInt(str(s).length) > 10_000_000n) throw new FuncError('strings: Repeat output length overflow');
      return str(s).repeat(Number(n));
    }),
  ],
  ['nospace', def(['string'], ([s]) => str(s).replace(/\s/gu, ''))],
  ['snakecase', def(['string'], ([s]) => lowerCaseWords(str(s), '_'))],
  ['kebabcase', def(['string'], ([s]) => lowerCaseWords(str(s), '-'))],
  ['camelcase', def(['string'], ([s]) => camelCaseWords(str(s)))],
  ['wrap', def(['int', 'string'], ([n, s]) => wrap(str(s), Number(n), '\n', false))],
  ['wrapWith', def(['int', 'string', 'string'], ([n, sep, s]) => wrap(str(s), Number(n), str(sep), true))],
  ['abbrev', def(['int', 'string'], ([n, s]) => abbrev(int(n), str(s)))],
  ['abbrevboth', def(['int', 'int', 'string'], ([l, r, s]) => abbrevboth(int(l), int(r), str(s)))],
  ['plural', def(['string', 'string', 'int'], ([one, many, n]) => (int(n) === 1n ? str(one) : str(many)))],
  ['toString', def(['any'], ([v]) => strval(v))],
  ['toStrings', def(['any'], ([v]) => strslice(v))],
  ['split', def(['string', 'string'], ([sep, s]) => splitMap(splitN(str(s), str(sep), -1)))],
  ['splitList', def(['string', 'string'], ([sep, s]) => splitN(str(s), str(sep), -1))],
  ['splitn', def(['string', 'int', 'string'], ([sep, n, s]) => splitMap(splitN(str(s), str(sep), Number(n))))],
  ['join', def(['string', 'any'], ([sep, l]) => strslice(l).join(str(sep)))],
  ['sortAlpha', def(['any'], ([l]) => (Array.isArray(l) ? strslice(l).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : [strval(l)]))],
  [
    'regexMatch',
    def(['string', 'string'], ([re, s]) => {
      try {
        return goRegex(str(re)).test(str(s));
      } catch {
        return false;
      }
    }),
  ],
  ['mustRegexMatch', def(['string', 'string'], ([re, s]) => goRegex(str(re)).test(str(s)))],
  ['regexFind', def(['string', 'string'], ([re, s]) => findAll(goRegex(str(re), true), str(s), 1)[0]?.[0] ?? '')],
  ['mustRegexFind', def(['string', 'string'], ([re, s]) => findAll(goRegex(str(re)), str(s), 1)[0]?.[0] ?? '')],
  ['regexFindAll', def(['string', 'string', 'int'], ([re, s, n]) => findAll(goRegex(str(re), true), str(s), Number(n)).map((m) => m[0]))],
  ['mustRegexFindAll', def(['string', 'string', 'int'], ([re, s, n]) => findAll(goRegex(str(re)), str(s), Number(n)).map((m) => m[0]))],
  [
    'regexReplaceAll',
    def(['string', 'string', 'string'], ([re, s, r]) => replaceAll(goRegex(str(re), true), str(s), (m) => expand(str(r), m))),
  ],
  [
    'mustRegexReplaceAll',
    def(['string', 'string', 'string'], ([re, s, r]) => replaceAll(goRegex(str(re)), str(s), (m) => expand(str(r), m))),
  ],
  ['regexReplaceAllLiteral', def(['string', 'string', 'string'], ([re, s, r]) => replaceAll(goRegex(str(re), true), str(s), () => str(r)))],
  ['mustRegexReplaceAllLiteral', def(['string', 'string', 'string'], ([re, s, r]) => replaceAll(goRegex(str(re)), str(s), () => str(r)))],
  ['regexSplit', def(['string', 'string', 'int'], ([re, s, n]) => regexSplit(goRegex(str(re), true), str(s), Number(n)))],
  ['mustRegexSplit', def(['string', 'string', 'int'], ([re, s, n]) => regexSplit(goRegex(str(re)), str(s), Number(n)))],
  ['regexQuoteMeta', def(['string'], ([s]) => str(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'))],
]);

function indent(n: bigint, s: string): string {
  if (n < 0n) throw new FuncError('strings: negative Repeat count');
  if (n > 100_000n) throw new FuncError('strings: Repeat output length overflow');
  const pad = ' '.repeat(Number(n));
  return pad + s.split('\n').join('\n' + pad);
}

function replaceAll(re: RegExp, s: string, f: (m: RegExpExecArray) => string): string {
  let out = '';
  let last = 0;
  for (const m of findAll(re, s, -1)) {
    out += s.slice(last, m.index) + f(m);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}
