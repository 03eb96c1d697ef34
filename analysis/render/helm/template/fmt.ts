/**
 * Go's fmt for template values: Sprint, Sprintln, Sprintf (verbs %v %+v %#v %s %d %q %x %X %o %b %c
 * %e %E %f %F %g %G %t %T %p-less %%, flags, width and precision incl. `*`) and the `%!verb(type=value)`
 * error forms, following the package documentation of Go's fmt.
 */

import { GoStruct, sortedKeys, typeName } from './values.js';
import type { GoValue } from './values.js';
import { utf8Encode } from './utf8.js';

/** strconv.FormatFloat(f, fmt, prec, 64) for 'e', 'f', 'g' (prec -1: shortest). */
export function formatFloat(f: number, verb: 'e' | 'E' | 'f' | 'F' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  const upper = verb === 'E' || verb === 'G';
  const v = verb.toLowerCase();
  let out: string;
  if (v === 'f') {
    out = prec < 0 ? shortestFixed(f) : toFixedBig(f, prec);
  } else if (v === 'e') {
    out = expForm(prec < 0 ? f.toExponential() : f.toExponential(Math.min(prec, 100)));
  } else {
    // %g: shortest digits (deciding with precision 6) or prec significant digits, trailing zeros
    // dropped; %e form when exp < -4 || exp >= eprec (strconv's ftoa).
    const e = prec < 0 ? f.toExponential() : f.toExponential(Math.max(0, Math.min((prec === 0 ? 1 : prec) - 1, 100)));
    const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e);
    if (m === null) return String(f);
    const digits = ((m[2] ?? '') + (m[3] ?? '')).replace(/(.)0+$/, '$1');
    const exp = Number(m[4]);
    let eprec = prec < 0 ? 6 : prec === 0 ? 1 : prec;
    if (prec >= 0 && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
    if (exp < -4 || exp >= eprec) {
      out = expForm(`${m[1]}${digits[0] ?? '0'}${digits.length > 1 ? '.' + digits.slice(1) : ''}e${m[4]}`);
    } else {
      out = m[1] + placeDigits(digits, exp);
    }
  }
  return upper ? out.toUpperCase() : out;
}

function expForm(jsExp: string): string {
  // JS "1.5e+6" → Go "1.5e+06"
  return jsExp.replace(/e([+-])(\d)$/, 'e$10$2');
}

function placeDigits(digits: string, exp: number): string {
  if (exp < 0) return '0.' + '0'.repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return digits + '0'.repeat(exp + 1 - digits.length);
  return digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
}

function shortestFixed(f: number): string {
  const e = f.toExponential();
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e);
  if (m === null) return String(f);
  return m[1] + placeDigits((m[2] ?? '') + (m[3] ?? ''), Number(m[4]));
}

function toFixedBig(f: number, prec: number): string {
  if (Math.abs(f) < 1e21 && prec <= 100) return f.toFixed(prec);
  const s = shortestFixed(f);
  return prec > 0 ? `${s}.${'0'.repeat(prec)}` : s;
}

/** strconv.Quote. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0x80 && c < 0xa0) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (c === 0xfffd && ch !== '\ufffd') out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

/** `%v` of a value, as fmt prints an interface{} holding it. `top` prints nil as text/template does. */
export function formatV(v: GoValue, depth = 0): string {
  if (v === null || v === undefined) return '<nil>';
  if (depth > 100) return '...';
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return formatFloat(v, 'g', -1);
    case 'bigint':
      return v.toString();
  }
  if (Array.isArray(v)) return '[' + v.map((e) => formatV(e, depth + 1)).join(' ') + ']';
  if (v instanceof Map)
    return (
      'map[' +
      sortedKeys(v)
        .map((k) => `${k}:${formatV(v.get(k), depth + 1)}`)
        .join(' ') +
      ']'
    );
  return formatStruct(v, depth);
}

function formatStruct(v: GoStruct, depth: number): string {
  // fmt prints a fmt.Stringer through its String method.
  const str = v.methods.get('String');
  if (str !== undefined) {
    const s = str();
    if (typeof s === 'string') return s;
  }
  return '{' + [...v.fields.values()].map((e) => formatV(e, depth + 1)).join(' ') + '}';
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  let prevString = false;
  args.forEach((a, i) => {
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += formatV(a);
    prevString = isString;
  });
  return out;
}

/** fmt.Sprintln: always spaces, and a newline. */
export function sprintln(args: readonly GoValue[]): string {
  return args.map((a) => formatV(a)).join(' ') + '\n';
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number;
  prec: number;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  const n = [...s].length;
  if (spec.width <= n) return s;
  const fill = spec.width - n;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? (s[0] ?? '') : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

function bad(verb: string, v: GoValue): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatV(v)})`;
}

function signed(s: string, neg: boolean, spec: Spec): string {
  if (neg) return '-' + s;
  if (spec.plus) return '+' + s;
  if (spec.space) return ' ' + s;
  return s;
}

function fmtInt(v: bigint, verb: string, spec: Spec): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  let s: string;
  switch (verb) {
    case 'd':
    case 'v':
      s = a.toString();
      break;
    case 'x':
      s = (spec.sharp ? '0x' : '') + a.toString(16);
      break;
    case 'X':
      s = (spec.sharp ? '0X' : '') + a.toString(16).toUpperCase();
      break;
    case 'o':
      s = (spec.sharp ? '0' : '') + a.toString(8);
      break;
    case 'O':
      s = '0o' + a.toString(8);
      break;
    case 'b':
      s = a.toString(2);
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(v) >= 0 && Number(v) <= 0x10ffff ? Number(v) : 0xfffd), spec, false);
    case 'q':
      return pad(`'${String.fromCodePoint(Number(v) >= 0 && Number(v) <= 0x10ffff ? Number(v) : 0xfffd)}'`, spec, false);
    case 'U':
      return pad('U+' + a.toString(16).toUpperCase().padStart(4, '0'), spec, false);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    default:
      return bad(verb, v);
  }
  if (spec.prec >= 0) s = s.padStart(spec.prec, '0');
  return pad(signed(s, neg, spec), spec, spec.prec < 0);
}

function fmtFloatVerb(v: number, verb: string, spec: Spec): string {
  const fv = verb === 'v' ? 'g' : verb;
  if (!'eEfFgG'.includes(fv)) return bad(verb, v);
  const s = formatFloat(Math.abs(v), fv as 'e', spec.prec < 0 && (fv === 'f' || fv === 'F' || fv === 'e' || fv === 'E') ? 6 : spec.prec);
  const neg = v < 0 || Object.is(v, -0);
  return pad(signed(s, neg, spec), spec, Number.isFinite(v));
}

function fmtString(v: string, verb: string, spec: Spec): string {
  let s = v;
  switch (verb) {
    case 'v':
    case 's':
      if (spec.prec >= 0) s = [...s].slice(0, spec.prec).join('');
      return pad(s, spec, false);
    case 'q':
      if (spec.prec >= 0) s = [...s].slice(0, spec.prec).join('');
      return pad(spec.sharp && !s.includes('`') ? '`' + s + '`' : goQuote(s), spec, false);
    case 'x':
    case 'X': {
      let hex = '';
      for (const b of utf8Encode(spec.prec >= 0 ? [...s].slice(0, spec.prec).join('') : s))
        hex += (spec.space && hex !== '' ? ' ' : '') + b.toString(16).padStart(2, '0');
      return pad(verb === 'X' ? hex.toUpperCase() : hex, spec, false);
    }
    default:
      return bad(verb, v);
  }
}

/** One operand under one verb. */
function fmtOne(v: GoValue, verb: string, spec: Spec, depth = 0): string {
  if (verb === 'T') return pad(typeName(v), spec, false);
  if (v === null || v === undefined) return verb === 'v' ? pad('<nil>', spec, false) : bad(verb, v);
  if (typeof v === 'string') return fmtString(v, verb, spec);
  if (typeof v === 'boolean') return verb === 'v' || verb === 't' ? pad(v ? 'true' : 'false', spec, false) : bad(verb, v);
  if (typeof v === 'bigint') return fmtInt(v, verb, spec);
  if (typeof v === 'number') return fmtFloatVerb(v, verb, spec);
  if (verb === 'v' && spec.sharp) return pad(goSyntax(v), spec, false);
  if (depth > 100) return '...';
  if (Array.isArray(v)) return '[' + v.map((e) => fmtOne(e, verb, spec, depth + 1)).join(' ') + ']';
  if (v instanceof Map)
    return (
      'map[' +
      sortedKeys(v)
        .map((k) => `${fmtOne(k, verb, spec, depth + 1)}:${fmtOne(v.get(k), verb, spec, depth + 1)}`)
        .join(' ') +
      ']'
    );
  if (verb === 'v' || verb === 's') return formatStruct(v, depth);
  return bad(verb, v);
}

function goSyntax(v: GoValue, depth = 0): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return formatFloat(v, 'g', -1);
  if (depth > 100) return '...';
  if (Array.isArray(v)) return '[]interface {}{' + v.map((e) => goSyntax(e, depth + 1)).join(', ') + '}';
  if (v instanceof Map)
    return (
      'map[string]interface {}{' +
      sortedKeys(v)
        .map((k) => `${goQuote(k)}:${goSyntax(v.get(k), depth + 1)}`)
        .join(', ') +
      '}'
    );
  return `${v.typeName}{}`;
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: -1, prec: -1 };
    for (; i < n; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    // width
    if (format[i] === '*') {
      i++;
      const a = args[argi++];
      if (typeof a === 'bigint') {
        spec.width = Number(a);
        if (spec.width < 0) {
          spec.minus = true;
          spec.width = -spec.width;
        }
      } else out += '%!(BADWIDTH)';
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m !== null) {
        spec.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        if (typeof a === 'bigint' && a >= 0n) spec.prec = Number(a);
        else out += '%!(BADPREC)';
      } else {
        const m = /^\d+/.exec(format.slice(i));
        spec.prec = m === null ? 0 : Number(m[0]);
        i += m === null ? 0 : m[0].length;
      }
    }
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[argi++];
    if (verb === 'w') {
      out += bad(verb, a);
      continue;
    }
    out += fmtOne(a ?? null, verb, spec);
  }
  if (argi < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argi)
        .map((a) => (a === null || a === undefined ? '<nil>' : `${typeName(a)}=${formatV(a)}`))
        .join(', ') +
      ')';
  }
  return out;
}
