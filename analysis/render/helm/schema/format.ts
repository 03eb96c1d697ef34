/**
 * `format` as santhosh-tekuri/jsonschema v6 asserts it (schemas before draft 2019-09), for the
 * formats whose Go checks are short enough to follow exactly: uuid, ipv4, hostname, json-pointer,
 * duration. Each returns the library's reason (`expected four decimals`) or undefined when the value
 * is valid; a format the library knows and this module does not follow is `unknown`; one neither
 * knows is not asserted (the library ignores it). Only strings are checked.
 */

import type { GoValue } from '../template/index.js';
import { utf8Encode } from '../template/utf8.js';

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

const CHECKS: ReadonlyMap<string, (s: string) => string | undefined> = new Map([
  ['uuid', uuid],
  ['ipv4', ipv4],
  ['hostname', hostname],
  ['json-pointer', jsonPointer],
  ['duration', duration],
]);

/** The library's reason `v` is not of `format`, undefined when it is (or the format is not asserted), `unknown` when not followed here. */
export function checkFormat(format: string, v: GoValue): string | undefined | 'unknown' {
  if (typeof v !== 'string' || !LIBRARY_FORMATS.has(format)) return undefined;
  const check = CHECKS.get(format);
  return check === undefined ? 'unknown' : check(v);
}
