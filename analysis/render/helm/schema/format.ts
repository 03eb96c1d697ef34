/**
 * `format` as santhosh-tekuri/jsonschema v6 asserts it (schemas before draft 2019-09; format.go),
 * with the library's reasons (`expected four decimals`), undefined when the value is valid. Followed
 * exactly: uuid, ipv4, hostname, json-pointer, relative-json-pointer, duration, period, date
 * (Go's `time.Parse("2006-01-02")` and its ParseError wording), time, date-time, email, semver.
 * ipv6 as netip.ParseAddr reads it, with its error text (Go 1.22+; a group of five or more digits,
 * which recent Go releases refuse ("each group must have 4 or less digits") and earlier ones read, and text outside printable ASCII are unknown).
 * Followed where the answer is sure: uri/iri/uri-reference/
 * iri-reference (text that net/url.Parse surely reads, with or without a scheme: `relative url`;
 * anything else unknown), uri-template (net/url's path, braces checked per segment, where net/url's
 * reading is sure). regex as Go's regexp.Compile parses it (../goRegexp.ts, Go's error text; look-behind,
 * unlisted `\p` names and the size limits unknown). A format the library does not know
 * is not asserted. Only strings are checked; text outside printable ASCII where Go slices bytes or
 * quotes is unknown.
 */

import type { GoValue } from '../template/index.js';
import { utf8Encode } from '../template/utf8.js';
import { goRegexpError } from '../goRegexp.js';

/** Formats the library knows; those without a check here give `unknown`. */
const LIBRARY_FORMATS = new Set([
  'json-pointer',
  'relative-json-pointer',
  'uuid',
  'duration',
  'period',
  'ipv4',
  'ipv6',
  'hostname',
  'email',
  'date',
  'time',
  'date-time',
  'uri',
  'iri',
  'uri-reference',
  'iri-reference',
  'uri-template',
  'semver',
  'regex',
]);

/** Go's `%q` of one rune. */
function goRune(ch: string): string {
  return `'${ch === "'" ? "\\'" : ch === '\\' ? '\\\\' : ch}'`;
}

function uuid(s: string): string | undefined {
  const sizes = [8, 4, 4, 4, 12];
  const groups = s.split('-');
  if (groups.length !== sizes.length) return `must have ${sizes.length} elements`;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] ?? '';
    if (g.length !== sizes[i]) return `element ${i + 1} must be ${sizes[i]} characters long`;
    for (const ch of g) if (!/[0-9a-fA-F]/.test(ch)) return `non-hex character ${goRune(ch)}`;
  }
  return undefined;
}

function ipv4(s: string): string | undefined {
  const groups = s.split('.');
  if (groups.length !== 4) return 'expected four decimals';
  for (const g of groups) {
    if (g.length > 1 && g.startsWith('0')) return 'leading zeros';
    // strconv.Atoi: an optional sign, then digits.
    if (!/^[+-]?\d+$/.test(g)) return `strconv.Atoi: parsing "${g}": invalid syntax`;
    const n = Number(g);
    if (n < 0 || n > 255) return 'decimal must be between 0 and 255';
  }
  return undefined;
}

function hostname(s: string): string | undefined {
  const h = s.endsWith('.') ? s.slice(0, -1) : s;
  // Go's len counts bytes.
  if (utf8Encode(h).length > 253) return 'more than 253 characters long';
  for (const label of h.split('.')) {
    const bytes = utf8Encode(label).length;
    if (bytes < 1 || bytes > 63) return 'label must be 1 to 63 characters long';
    if (label.startsWith('-')) return 'label starts with hyphen';
    if (label.endsWith('-')) return 'label ends with hyphen';
    for (const ch of label) if (!/[a-zA-Z0-9-]/.test(ch)) return `invalid character ${goRune(ch)}`;
  }
  return undefined;
}

function jsonPointer(s: string): string | undefined {
  if (s === '') return undefined;
  if (!s.startsWith('/')) return 'not starting with /';
  for (const tok of s.split('/').slice(1)) {
    let escape = false;
    for (const ch of tok) {
      if (escape) {
        escape = false;
        if (ch !== '0' && ch !== '1') return '~ must be followed by 0 or 1';
        continue;
      }
      if (ch === '~') escape = true;
    }
    if (escape) return '~ must be followed by 0 or 1';
  }
  return undefined;
}

function duration(input: string): string | undefined {
  if (!input.startsWith('P')) return 'must start with P';
  const s = input.slice(1);
  if (s === '') return 'nothing after P';
  if (s.endsWith('W')) {
    const w = s.slice(0, -1);
    if (w === '') return 'no number in week';
    return /^\d+$/.test(w) ? undefined : 'invalid week';
  }
  const all = ['YMD', 'HMS'];
  const parts = s.split('T');
  for (let i = 0; i < parts.length; i++) {
    let p = parts[i] ?? '';
    if (i !== 0 && p === '') return 'no time elements';
    if (i >= all.length) return 'more than one T';
    let units = all[i] ?? '';
    while (p !== '') {
      const digits = /^\d*/.exec(p)?.[0].length ?? 0;
      if (digits === 0) return 'missing number';
      p = p.slice(digits);
      if (p === '') return 'missing unit';
      const unit = p.charAt(0);
      const j = units.indexOf(unit);
      if (j === -1) return (all[i] ?? '').includes(unit) ? `unit ${goRune(unit)} out of order` : `invalid unit ${goRune(unit)}`;
      units = units.slice(j + 1);
      p = p.slice(1);
    }
  }
  return undefined;
}

/** A control character. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;
/** Printable ASCII: Go's byte slicing and quoting read it as JavaScript does. */
const ASCII = /^[\x20-\x7e]*$/;

function relativeJsonPointer(s: string): string | undefined {
  const digits = /^[0-9]*/.exec(s)?.[0].length ?? 0;
  if (digits === 0) return 'must start with non-negative integer';
  if (digits > 1 && s.startsWith('0')) return 'starts with zero';
  const rest = s.slice(digits);
  return rest === '#' ? undefined : jsonPointer(rest);
}

/** Go's time.quote of ASCII text. */
function timeQuote(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Go's `time.Parse("2006-01-02", s)`: its ParseError text, undefined when it parses. ASCII only. */
function date(value: string): string | undefined {
  const layout = '2006-01-02';
  const cannot = (valueElem: string, layoutElem: string): string =>
    `parsing time ${timeQuote(value)} as ${timeQuote(layout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`;
  const digit = (t: string, i: number): boolean => /[0-9]/.test(t.charAt(i));
  let v = value;
  // 2006
  if (v.length < 4 || !digit(v, 0) || !/^[0-9]{4}/.test(v)) return cannot(v, '2006');
  const year = Number(v.slice(0, 4));
  v = v.slice(4);
  const num = (elem: string): { n: number } | string => {
    if (!v.startsWith('-')) return cannot(v, '-');
    v = v.slice(1);
    if (!digit(v, 0) || !digit(v, 1)) return cannot(v, elem);
    const n = Number(v.slice(0, 2));
    v = v.slice(2);
    return { n };
  };
  const month = num('01');
  if (typeof month === 'string') return month;
  if (month.n <= 0 || month.n > 12) return `parsing time ${timeQuote(value)}: month out of range`;
  const day = num('02');
  if (typeof day === 'string') return day;
  if (v !== '') return `parsing time ${timeQuote(value)}: extra text: ${timeQuote(v)}`;
  if (day.n < 1 || day.n > daysIn(month.n, year)) return `parsing time ${timeQuote(value)}: day out of range`;
  return undefined;
}

/** strconv.Atoi of a token the library reads as an hour, minute or second (an optional sign, digits). */
function atoi(t: string): number | undefined {
  return /^[+-]?[0-9]+$/.test(t) ? Number(t) : undefined;
}

function time(str: string): string | undefined {
  if (str.length < 9) return 'less than 9 characters long';
  if (str[2] !== ':' || str[5] !== ':') return 'missing colon in correct place';
  const hms: number[] = [];
  for (const tok of str.slice(0, 8).split(':')) {
    const i = atoi(tok);
    if (i === undefined) return 'invalid hour/min/sec';
    if (i < 0) return 'non-positive hour/min/sec';
    hms.push(i);
  }
  let [h = 0, m = 0] = hms;
  const sec = hms[2] ?? 0;
  if (h > 23 || m > 59 || sec > 60) return 'hour/min/sec out of range';
  let rest = str.slice(8);
  if (rest.startsWith('.')) {
    const digits = /^[0-9]*/.exec(rest.slice(1))?.[0].length ?? 0;
    if (digits === 0) return 'no digits in second fraction';
    rest = rest.slice(1 + digits);
  }
  if (rest !== 'z' && rest !== 'Z') {
    if (rest.length !== 6) return 'offset must be 6 characters long';
    const sign = rest[0] === '+' ? -1 : rest[0] === '-' ? 1 : 0;
    if (sign === 0) return 'offset must begin with plus/minus';
    rest = rest.slice(1);
    if (rest[2] !== ':') return 'missing colon in offset in correct place';
    const zhm: number[] = [];
    for (const tok of rest.split(':', 2)) {
      const i = atoi(tok);
      if (i === undefined) return 'invalid hour/min in offset';
      if (i < 0) return 'non-positive hour/min in offset';
      zhm.push(i);
    }
    const [zh = 0, zm = 0] = zhm;
    if (zh > 23 || zm > 59) return 'hour/min in offset out of range';
    let hm = h * 60 + m + sign * (zh * 60 + zm);
    if (hm < 0) hm += 24 * 60;
    h = Math.trunc(hm / 60);
    m = hm % 60;
  }
  if (sec >= 60 && (h !== 23 || m !== 59)) return 'invalid leap second';
  return undefined;
}

function dateTime(s: string): string | undefined {
  if (s.length < 20) return 'less than 20 characters long';
  if (s[10] !== 't' && s[10] !== 'T') return '11th character must be t or T';
  const d = date(s.slice(0, 10));
  if (d !== undefined) return `invalid date element: ${d}`;
  const t = time(s.slice(11));
  if (t !== undefined) return `invalid time element: ${t}`;
  return undefined;
}

function period(s: string): string | undefined {
  const slash = s.indexOf('/');
  if (slash === -1) return 'missing slash';
  const start = s.slice(0, slash);
  const end = s.slice(slash + 1);
  const either = (what: string, d: string | undefined): string | undefined => (d === undefined ? undefined : `invalid ${what}: ${d}`);
  if (start.startsWith('P')) return either('start duration', duration(start)) ?? either('end date-time', dateTime(end));
  return (
    either('start date-time', dateTime(start)) ??
    (end.startsWith('P') ? either('end duration', duration(end)) : either('end date-time', dateTime(end)))
  );
}

function semver(input: string): string | undefined {
  let s = input;
  const plus = s.indexOf('+');
  if (plus !== -1) {
    const build = s.slice(plus + 1);
    if (build === '') return 'build is empty';
    for (const id of build.split('.')) {
      if (id === '') return 'build identifier is empty';
      for (const ch of id) if (!/[0-9a-zA-Z-]/.test(ch)) return `invalid character ${goRune(ch)} in build identifier`;
    }
    s = s.slice(0, plus);
  }
  const dash = s.indexOf('-');
  if (dash !== -1) {
    for (const id of s.slice(dash + 1).split('.')) {
      if (id === '') return 'pre-release identifier is empty';
      for (const ch of id) if (!/[0-9a-zA-Z-]/.test(ch)) return `invalid character ${goRune(ch)} in pre-release identifier`;
      if (/^[0-9]+$/.test(id) && id.length > 1 && id.startsWith('0')) return 'pre-release numeric identifier starts with zero';
    }
    s = s.slice(0, dash);
  }
  const versions = s.split('.');
  if (versions.length !== 3) return 'versionCore must have 3 numbers separated by dot';
  const names = ['major', 'minor', 'patch'];
  for (let i = 0; i < 3; i++) {
    const v = versions[i] ?? '';
    if (v === '') return `${names[i]} is empty`;
    if (v.length > 1 && v.startsWith('0')) return `${names[i]} starts with zero`;
    if (!/^[0-9]+$/.test(v)) return `${names[i]} contains non-digit`;
  }
  return undefined;
}

/** Go's strconv.Quote of printable ASCII text; undefined for other text (Go's escapes differ from JSON's). */
function goQuote(s: string): string | undefined {
  return /^[\x20-\x7e]*$/.test(s) ? `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"` : undefined;
}

/** Go's netip parseAddrError text: `ParseAddr("in"): msg (at "rest")`. */
function addrError(input: string, msg: string, at = ''): string {
  const q = (t: string): string => goQuote(t) ?? JSON.stringify(t);
  return `ParseAddr(${q(input)}): ${msg}${at === '' ? '' : ` (at ${q(at)})`}`;
}

/** netip's parseIPv4Fields over `input.slice(off, end)`: its error text, or undefined when it reads. */
function ipv4Fields(input: string, off: number, end: number): string | undefined {
  const s = input.slice(off, end);
  let val = 0;
  let pos = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (digits === 1 && val === 0) return addrError(input, 'IPv4 field has octet with leading zero');
      val = val * 10 + (c - 0x30);
      digits++;
      if (val > 255) return addrError(input, 'IPv4 field has value >255');
    } else if (c === 0x2e) {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') return addrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      if (pos === 3) return addrError(input, 'IPv4 address too long');
      pos++;
      val = 0;
      digits = 0;
    } else return addrError(input, 'unexpected character', s.slice(i));
  }
  return pos < 3 ? addrError(input, 'IPv4 address too short') : undefined;
}

/**
 * netip.ParseAddr's error for `input` (Go 1.22+), `undefined` when it reads, with the zone it read;
 * `unknown` where Go releases differ (a group of more than four digits: recent Go releases refuse it, earlier ones read it).
 */
function parseAddr(input: string): { error: string | undefined; zone: string } | 'unknown' {
  const fail = (msg: string, at = ''): { error: string; zone: string } => ({ error: addrError(input, msg, at), zone: '' });
  const first = /[.:%]/.exec(input)?.[0];
  if (first === undefined) return fail('unable to parse IP');
  if (first === '%') return fail('missing IPv6 address');
  if (first === '.') return { error: ipv4Fields(input, 0, input.length), zone: '' };
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct !== -1) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') return fail('zone must be a non-empty string');
  }
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return { error: undefined, zone };
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const c = s[off] ?? '';
      if (!/[0-9a-fA-F]/.test(c)) break;
      if (off > 3) return 'unknown';
      acc = acc * 16 + parseInt(c, 16);
    }
    if (off === 0) return fail('each colon-separated field must have at least one digit', s);
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) return fail('embedded IPv4 address must replace the final 2 fields of the address', s);
      if (i + 4 > 16) return fail('too many hex fields to fit an embedded IPv4 at the end of the address', s);
      const end = input.length - (zone.length > 0 ? zone.length + 1 : 0);
      const e = ipv4Fields(input, end - s.length, end);
      if (e !== undefined) return { error: e, zone: '' };
      s = '';
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(off);
    if (s === '') break;
    if (s[0] !== ':') return fail('unexpected character, want colon', s);
    if (s.length === 1) return fail('colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return fail('multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return fail('trailing garbage after address', s);
  if (i < 16 && ellipsis < 0) return fail('address string too short');
  if (i >= 16 && ellipsis >= 0) return fail('the :: must expand to at least one field of zeros');
  return { error: undefined, zone };
}

/** The library's ipv6: a colon, then netip.ParseAddr (its error as Go prints it), then no zone. */
function ipv6(s: string): string | undefined | 'unknown' {
  if (!s.includes(':')) return 'missing colon';
  if (goQuote(s) === undefined) return 'unknown';
  const parsed = parseAddr(s);
  if (parsed === 'unknown') return 'unknown';
  if (parsed.error !== undefined) return parsed.error;
  return parsed.zone !== '' ? 'zone id is not a part of ipv6 address' : undefined;
}

/** Characters of a URL part net/url.Parse takes as they are (no escapes, no spaces, no brackets). */
const URL_CHARS = "[A-Za-z0-9\\-._~!$&'()*+,;=:@/]";
const SURE_ABSOLUTE = new RegExp(
  `^[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9.-]*(?::[0-9]+)?(?:/${URL_CHARS}*)?(?:\\?${URL_CHARS.slice(0, -1)}?]*)?(?:#${URL_CHARS.slice(0, -1)}?]*)?$`,
);
const SURE_OPAQUE = new RegExp(`^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\\-._~!$&'()*+,;=@][A-Za-z0-9\\-._~!$&'()*+,;=@/]*$`);
/** A relative reference without a colon before its first `/` (Go: "first path segment in URL cannot contain colon"). */
const SURE_RELATIVE = new RegExp(
  `^(?:[A-Za-z0-9\\-._~!$&'()*+,;=@/]*)(?:\\?${URL_CHARS.slice(0, -1)}?]*)?(?:#${URL_CHARS.slice(0, -1)}?]*)?$`,
);

/** net/url.Parse where its answer is sure: 'absolute', 'relative', or undefined. */
function urlKind(s: string): 'absolute' | 'relative' | undefined {
  if (SURE_ABSOLUTE.test(s) || SURE_OPAQUE.test(s)) return 'absolute';
  if (SURE_RELATIVE.test(s) && !s.startsWith('//')) return 'relative';
  return undefined;
}

function uri(s: string): string | undefined | 'unknown' {
  const k = urlKind(s);
  return k === undefined ? 'unknown' : k === 'relative' ? 'relative url' : undefined;
}

function uriReference(s: string): string | undefined | 'unknown' {
  if (s.includes('\\')) return 'contains \\';
  return urlKind(s) === undefined ? 'unknown' : undefined;
}

/**
 * The library's uri-template: net/url.Parse must read it, then each `/` segment of `u.RawPath` must
 * open and close its braces in turn. net/url sets RawPath only when the path holds characters it
 * would escape (braces among them), so the query and fragment are never looked at
 * (`http://h/p{?x,y}` is refused: the query starts at `?`, leaving `p{` open). Followed for printable
 * ASCII without `%` or `\`, and hosts of letters, digits, dots and dashes with an optional port;
 * anything else is unknown.
 */
function uriTemplate(s: string): string | undefined | 'unknown' {
  if (!/^[\x21-\x7e]*$/.test(s) || s.includes('%') || s.includes('\\')) return 'unknown';
  let rest = s.split('#')[0] ?? '';
  const q = rest.indexOf('?');
  if (q !== -1) rest = rest.slice(0, q);
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(rest)?.[0];
  if (scheme !== undefined) rest = rest.slice(scheme.length);
  else if (rest.startsWith(':') || rest.startsWith('///')) return 'unknown';
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash === -1 ? rest.slice(2) : rest.slice(2, slash);
    if (!/^[A-Za-z0-9.-]*(?::[0-9]*)?$/.test(authority)) return 'unknown';
    rest = slash === -1 ? '' : rest.slice(slash);
  } else if (scheme !== undefined && !rest.startsWith('/')) return undefined;
  else if (scheme === undefined && (rest.split('/')[0] ?? '').includes(':')) {
    return `parse ${goQuote(s) ?? JSON.stringify(s)}: first path segment in URL cannot contain colon`;
  }
  for (const segment of rest.split('/')) {
    let open = false;
    for (const ch of segment) {
      if (ch !== '{' && ch !== '}') continue;
      if ((ch === '{') === open) return 'nested curly braces';
      open = !open;
    }
    if (open) return 'no matching closing brace';
  }
  return undefined;
}

function email(s: string): string | undefined | 'unknown' {
  if (utf8Encode(s).length > 254) return 'more than 255 characters long';
  const at = s.lastIndexOf('@');
  if (at === -1) return 'missing @';
  const local = s.slice(0, at);
  let domain = s.slice(at + 1);
  if (utf8Encode(local).length > 64) return 'local part more than 64 characters long';
  if (local.length > 1 && local.startsWith('"')) {
    // The library checks the opening quote twice (not the closing one) and drops the last byte.
    if (!ASCII.test(local)) return 'unknown';
    const inner = local.slice(1, -1);
    if (inner.includes('\\') || inner.includes('"')) return 'backslash and quote are not allowed within quoted local part';
  } else {
    if (local.startsWith('.')) return 'starts with dot';
    if (local.endsWith('.')) return 'ends with dot';
    if (local.includes('..')) return 'consecutive dots';
    for (const ch of local) if (!/[a-zA-Z0-9]/.test(ch) && !".!#$%&'*+-/=?^_`{|}~".includes(ch)) return `invalid character ${goRune(ch)}`;
  }
  if (domain.startsWith('[') && domain.endsWith(']')) {
    domain = domain.slice(1, -1);
    if (domain.startsWith('IPv6:')) {
      const e = ipv6(domain.slice(5));
      return e === 'unknown' ? e : e === undefined ? undefined : `invalid ipv6 address: ${e}`;
    }
    const e = ipv4(domain);
    return e === undefined ? undefined : `invalid ipv4 address: ${e}`;
  }
  const e = hostname(domain);
  return e === undefined ? undefined : `invalid domain: ${e}`;
}

/** Formats whose check reads bytes or quotes text as Go does: unknown outside printable ASCII. */
const ASCII_ONLY = new Set(['date', 'date-time', 'period', 'time']);

const CHECKS: ReadonlyMap<string, (s: string) => string | undefined | 'unknown'> = new Map([
  ['uuid', uuid],
  ['ipv4', ipv4],
  ['ipv6', ipv6],
  ['hostname', hostname],
  ['email', email],
  ['json-pointer', jsonPointer],
  ['relative-json-pointer', relativeJsonPointer],
  ['duration', duration],
  ['period', period],
  ['date', date],
  ['time', time],
  ['date-time', dateTime],
  ['semver', semver],
  ['uri', uri],
  ['iri', uri],
  ['uri-reference', uriReference],
  ['iri-reference', uriReference],
  ['uri-template', uriTemplate],
  ['regex', goRegexpError],
]);

/** The library's reason `v` is not of `format`, undefined when it is (or the format is not asserted), `unknown` when not followed here. */
export function checkFormat(format: string, v: GoValue): string | undefined | 'unknown' {
  if (typeof v !== 'string' || !LIBRARY_FORMATS.has(format)) return undefined;
  const check = CHECKS.get(format);
  // Go's %q of a control character is an escape the messages here do not write.
  if (check === undefined || (ASCII_ONLY.has(format) && !ASCII.test(v)) || CONTROL.test(v)) return 'unknown';
  return check(v);
}
