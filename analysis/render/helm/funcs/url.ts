/**
 * Sprig's URL functions (Sprig documentation, "URL Functions"): `urlParse` splits a URL into a dict
 * of scheme, host, hostname, path, query, opaque, fragment and userinfo; `urlJoin` writes such a
 * dict back as a URL. Both follow Go's net/url (`url.Parse`, `URL.String`), whose escaping rules
 * (RFC 3986 as Go applies them) are reproduced here for the parts these functions touch.
 */

import { def, FuncError } from '../template/callable.js';
import type { FuncDef } from '../template/callable.js';
import { utf8Decode, utf8Encode } from '../template/utf8.js';
import { typeName } from '../template/values.js';
import type { GoValue } from '../template/values.js';

type Mode = 'path' | 'host' | 'userPassword' | 'fragment';

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

/** Go's net/url shouldEscape. */
function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if (mode === 'host' && `!$&'()*+,;=:[]<>"`.includes(ch)) return false;
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    if (mode === 'path') return ch === '?';
    if (mode === 'userPassword') return ch === '@' || ch === '/' || ch === '?' || ch === ':';
    return false;
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

/** Go's net/url escape (percent-encoding of UTF-8 bytes, upper-case hex). */
function escape(s: string, mode: Mode): string {
  let out = '';
  for (const b of utf8Encode(s)) {
    out += shouldEscape(b, mode) ? '%' + b.toString(16).toUpperCase().padStart(2, '0') : String.fromCharCode(b);
  }
  return out;
}

const HEX = /^[0-9a-fA-F]{2}$/;

/** Go's net/url unescape: `%XX` sequences decoded; a malformed one is an error. */
function unescape(s: string, mode: Mode): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  const raw = utf8Encode(s);
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] ?? 0;
    if (b !== 0x25) {
      bytes.push(b);
      continue;
    }
    const hex = String.fromCharCode(raw[i + 1] ?? 0, raw[i + 2] ?? 0);
    if (i + 2 >= raw.length || !HEX.test(hex)) {
      const bad = utf8Decode(raw.slice(i, i + 3));
      throw new FuncError(`invalid URL escape ${JSON.stringify(bad)}`);
    }
    const v = parseInt(hex, 16);
    // In a host, %-escapes may only write non-ASCII bytes (RFC 6874's %25 aside).
    if (mode === 'host' && v < 0x80 && hex !== '25') throw new FuncError(`invalid URL escape ${JSON.stringify('%' + hex)}`);
    bytes.push(v);
    i += 2;
  }
  return utf8Decode(bytes);
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

interface ParsedUrl {
  scheme: string;
  opaque: string;
  user: { username: string; password?: string } | undefined;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new FuncError("missing ']' in host");
    const port = host.slice(i + 1);
    if (!validOptionalPort(port)) throw new FuncError(`invalid port ${JSON.stringify(port)} after host`);
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1 && !validOptionalPort(host.slice(i))) throw new FuncError(`invalid port ${JSON.stringify(host.slice(i))} after host`);
  }
  return unescape(host, 'host');
}

function parseAuthority(authority: string): { user: ParsedUrl['user']; host: string } {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (at < 0) return { user: undefined, host };
  const info = authority.slice(0, at);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(info)) throw new FuncError('net/url: invalid userinfo');
  const colon = info.indexOf(':');
  if (colon < 0) return { user: { username: unescape(info, 'userPassword') }, host };
  return {
    user: { username: unescape(info.slice(0, colon), 'userPassword'), password: unescape(info.slice(colon + 1), 'userPassword') },
    host,
  };
}

/** Go's url.Parse; throws FuncError with Go's message. */
function parseUrl(raw: string): ParsedUrl {
  const hash = raw.indexOf('#');
  const u = hash < 0 ? raw : raw.slice(0, hash);
  const frag = hash < 0 ? '' : raw.slice(hash + 1);
  try {
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f]/.test(u)) throw new FuncError('net/url: invalid control character in URL');
    const out: ParsedUrl = { scheme: '', opaque: '', user: undefined, host: '', path: '', rawQuery: '', fragment: '' };
    if (u === '*') {
      out.path = '*';
      return out;
    }
    let rest = u;
    const scheme = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(u);
    if (scheme !== null) {
      out.scheme = (scheme[1] ?? '').toLowerCase();
      rest = u.slice(scheme[0].length);
    } else if (u.startsWith(':')) throw new FuncError('missing protocol scheme');
    const q = rest.indexOf('?');
    if (q >= 0) {
      out.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
    if (!rest.startsWith('/')) {
      if (out.scheme !== '') {
        out.opaque = rest;
        return withFragment(out, frag);
      }
      const slash = rest.indexOf('/');
      if ((slash < 0 ? rest : rest.slice(0, slash)).includes(':')) throw new FuncError('first path segment in URL cannot contain colon');
    }
    if ((out.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
      let authority = rest.slice(2);
      rest = '';
      const slash = authority.indexOf('/');
      if (slash >= 0) {
        rest = authority.slice(slash);
        authority = authority.slice(0, slash);
      }
      const a = parseAuthority(authority);
      out.user = a.user;
      out.host = a.host;
    }
    out.path = unescape(rest, 'path');
    return withFragment(out, frag);
  } catch (e) {
    if (e instanceof FuncError) throw new FuncError(`unable to parse url: parse ${JSON.stringify(u)}: ${e.message}`);
    throw e;
  }
}

function withFragment(out: ParsedUrl, frag: string): ParsedUrl {
  out.fragment = unescape(frag, 'fragment');
  return out;
}

function userString(user: NonNullable<ParsedUrl['user']>): string {
  return escape(user.username, 'userPassword') + (user.password !== undefined ? ':' + escape(user.password, 'userPassword') : '');
}

/** Go's URL.String for a URL built from parts (no raw path or fragment). */
function urlString(u: ParsedUrl): string {
  let buf = u.scheme !== '' ? u.scheme + ':' : '';
  if (u.opaque !== '') buf += u.opaque;
  else {
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (u.host !== '' || u.path !== '' || u.user !== undefined) buf += '//';
      if (u.user !== undefined) buf += userString(u.user) + '@';
      if (u.host !== '') buf += escape(u.host, 'host');
    }
    const path = u.path === '*' ? '*' : escape(u.path, 'path');
    if (path !== '' && !path.startsWith('/') && u.host !== '') buf += '/';
    if (buf === '' && (path.split('/')[0] ?? '').includes(':')) buf += './';
    buf += path;
  }
  if (u.rawQuery !== '') buf += '?' + u.rawQuery;
  if (u.fragment !== '') buf += '#' + escape(u.fragment, 'fragment');
  return buf;
}

function hostname(host: string): string {
  let h = host;
  const colon = h.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(h.slice(colon))) h = h.slice(0, colon);
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h;
}

/** Sprig's dictGetOrEmpty: a missing key is '', a value that is not a string an error. */
function part(d: ReadonlyMap<string, GoValue>, key: string): string {
  const v = d.get(key);
  if (v === undefined) return '';
  if (typeof v !== 'string') throw new FuncError(`unable to parse ${key} key, must be of type string, but ${kindName(v)} found`);
  return v;
}

function kindName(v: GoValue): string {
  const t = typeName(v);
  if (t.startsWith('map[')) return 'map';
  if (t.startsWith('[]')) return 'slice';
  return t === '<nil>' ? 'invalid' : t;
}

export const URL_FUNCS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  [
    'urlParse',
    def(['string'], ([v]) => {
      const u = parseUrl(String(v));
      return new Map<string, GoValue>([
        ['scheme', u.scheme],
        ['host', u.host],
        ['hostname', hostname(u.host)],
        ['path', u.path],
        ['query', u.rawQuery],
        ['opaque', u.opaque],
        ['fragment', u.fragment],
        ['userinfo', u.user === undefined ? '' : userString(u.user)],
      ]);
    }),
  ],
  [
    'urlJoin',
    def(['map'], ([d]) => {
      const m = d instanceof Map ? (d as ReadonlyMap<string, GoValue>) : new Map<string, GoValue>();
      const info = part(m, 'userinfo');
      let user: ParsedUrl['user'];
      if (info !== '') {
        try {
          user = parseUrl(`proto://${info}@host`).user;
        } catch (e) {
          if (e instanceof FuncError)
            throw new FuncError(`unable to parse userinfo in dict: ${e.message.replace(/^unable to parse url: /, '')}`);
          throw e;
        }
      }
      return urlString({
        scheme: part(m, 'scheme'),
        host: part(m, 'host'),
        path: part(m, 'path'),
        rawQuery: part(m, 'query'),
        opaque: part(m, 'opaque'),
        fragment: part(m, 'fragment'),
        user,
      });
    }),
  ],
]);
