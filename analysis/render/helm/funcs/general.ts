/**
 * Sprig's default and flow functions (default, empty, coalesce, ternary, all, any), type
 * reflection (kindOf, kindIs, typeOf, typeIs, typeIsLike, deepEqual), encodings and digests
 * (b64enc, b64dec, b32enc, b32dec, sha1sum, sha256sum, sha512sum, adler32sum), semver, and
 * path functions (base, dir, ext, clean, isAbs) — Sprig documentation, "Default Functions",
 * "Type Conversion", "Reflection", "Encoding", "Cryptographic", "Semantic Version", "Path".
 */

import { def } from '../template/callable.js';
import type { FuncDef } from '../template/callable.js';
import { utf8Decode, utf8Encode } from '../template/utf8.js';
import { isTrue, typeName } from '../template/values.js';
import type { GoValue } from '../template/values.js';
import { deepEqual, reflectKind } from './convert.js';
import { adler32, base32Decode, base32Encode, base64Decode, base64Encode, sha1, sha256, sha512 } from './digest.js';
import { parseVersion, semverCompare, versionStruct } from './semver.js';

const nn = (v: GoValue | undefined): GoValue => (v === undefined ? null : v);

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return rooted ? '/' + joined : joined === '' ? '.' : joined;
}

function base(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

function dir(p: string): string {
  const i = p.lastIndexOf('/');
  return cleanPath(p.slice(0, i + 1));
}

function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

function decoded(r: number[] | string): string {
  return typeof r === 'string' ? r : utf8Decode(r);
}

export const GENERAL_FUNCS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  ['default', def(['any'], ([d, ...given]) => (given.length === 0 || !isTrue(nn(given[0])) ? nn(d) : nn(given[0])), 'any')],
  ['empty', def(['any'], ([v]) => !isTrue(nn(v)))],
  ['coalesce', def([], (a) => a.find((v) => isTrue(nn(v))) ?? null, 'any')],
  ['all', def([], (a) => a.every((v) => isTrue(nn(v))), 'any')],
  ['any', def([], (a) => a.length > 0 && a.some((v) => isTrue(nn(v))), 'any')],
  ['ternary', def(['any', 'any', 'bool'], ([t, f, c]) => (c === true ? nn(t) : nn(f)))],
  ['kindOf', def(['any'], ([v]) => reflectKind(nn(v)))],
  ['kindIs', def(['string', 'any'], ([k, v]) => reflectKind(nn(v)) === k)],
  ['typeOf', def(['any'], ([v]) => typeName(nn(v)))],
  ['typeIs', def(['string', 'any'], ([t, v]) => typeName(nn(v)) === t)],
  ['typeIsLike', def(['string', 'any'], ([t, v]) => typeName(nn(v)) === t || `*${typeName(nn(v))}` === t)],
  ['deepEqual', def(['any', 'any'], ([a, b]) => deepEqual(nn(a), nn(b)))],
  ['b64enc', def(['string'], ([s]) => base64Encode(utf8Encode(String(s))))],
  ['b64dec', def(['string'], ([s]) => decoded(base64Decode(String(s))))],
  ['b32enc', def(['string'], ([s]) => base32Encode(utf8Encode(String(s))))],
  ['b32dec', def(['string'], ([s]) => decoded(base32Decode(String(s))))],
  ['sha1sum', def(['string'], ([s]) => sha1(String(s)))],
  ['sha256sum', def(['string'], ([s]) => sha256(String(s)))],
  ['sha512sum', def(['string'], ([s]) => sha512(String(s)))],
  ['adler32sum', def(['string'], ([s]) => String(adler32(String(s))))],
  ['semver', def(['string'], ([s]) => versionStruct(parseVersion(String(s))))],
  ['semverCompare', def(['string', 'string'], ([c, v]) => semverCompare(String(c), String(v)))],
  ['base', def(['string'], ([p]) => base(String(p)))],
  ['dir', def(['string'], ([p]) => dir(String(p)))],
  ['ext', def(['string'], ([p]) => ext(String(p)))],
  ['clean', def(['string'], ([p]) => cleanPath(String(p)))],
  ['isAbs', def(['string'], ([p]) => String(p).startsWith('/'))],
]);
