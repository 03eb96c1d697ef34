/**
 * Helm's toYaml: sigs.k8s.io/yaml's Marshal (the value goes through JSON, then go-yaml v2 writes
 * it) with the final newline trimmed. Reproduces go-yaml v2's block style: two-space indentation,
 * sequences inside mappings not indented, keys in go-yaml's natural order (digit runs compared as
 * numbers), strings quoted only when needed (double quotes when the plain text would read as
 * another type, single quotes when it holds indicators, double quotes for non-printable text),
 * literal blocks (`|`, `|-`, `|+`) for multi-line text, and long lines folded after column 80.
 */

import { FuncError } from '../template/callable.js';
import { formatFloat } from '../template/fmt.js';
import { GoStruct } from '../template/values.js';
import type { GoValue } from '../template/values.js';

const BEST_WIDTH = 80;

/** Values after the JSON round trip: ints and floats are distinct, structs are maps. */
type J =
  | null
  | boolean
  | string
  | { readonly int: bigint }
  | { readonly float: number }
  | { readonly list: J[] }
  | { readonly entries: [string, J][] };

function toJ(v: GoValue, depth: number, direct = false): J {
  if (depth > 1000) throw new FuncError('json: unsupported value: too deep');
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'bigint':
      return { int: v };
    case 'number':
      // go-yaml v3 encodes a float64 itself (strconv 'g'), with no JSON round trip: 1e+06, .inf.
      if (direct) return { float: v };
      if (!Number.isFinite(v)) throw new FuncError(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
      // JSON writes integral floats below 1e21 without a fraction; go-yaml then reads an int if it fits int64.
      if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return { int: BigInt(v) };
      return { float: v };
  }
  if (Array.isArray(v)) return { list: v.map((e) => toJ(e, depth + 1, direct)) };
  const entries: [string, J][] = (v instanceof Map ? [...v] : v instanceof GoStruct ? [...v.fields] : []).map(([k, e]) => [
    k,
    toJ(e, depth + 1, direct),
  ]);
  entries.sort((a, b) => (keyLess(a[0], b[0]) ? -1 : keyLess(b[0], a[0]) ? 1 : 0));
  return { entries };
}

/** ASCII letters and digits answered without the Unicode property tables (the keys of almost every map). */
const isLetter = (c: string): boolean => {
  const x = c.charCodeAt(0);
  return c.length === 1 && x < 128 ? (x >= 65 && x <= 90) || (x >= 97 && x <= 122) : /^\p{L}$/u.test(c);
};
const isDigit = (c: string): boolean => {
  const x = c.charCodeAt(0);
  return c.length === 1 && x < 128 ? x >= 48 && x <= 57 : /^\p{Nd}$/u.test(c);
};
const ASCII_ONLY = /^[^\u0080-\uffff]*$/;

/** go-yaml v2's keyList.Less for string keys (runes: an ASCII string is its own list of runes). */
export function keyLess(a: string, b: string): boolean {
  const ar: ArrayLike<string> = ASCII_ONLY.test(a) ? a : [...a];
  const br: ArrayLike<string> = ASCII_ONLY.test(b) ? b : [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ca = ar[i] ?? '';
    const cb = br[i] ?? '';
    if (ca === cb) continue;
    const al = isLetter(ca);
    const bl = isLetter(cb);
    if (al && bl) return ca < cb;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ca === '0' || cb === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] ?? ''); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai] ?? ''); ai++) an = an * 10n + BigInt((ar[ai] ?? '0').charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi] ?? ''); bi++) bn = bn * 10n + BigInt((br[bi] ?? '0').charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ca < cb;
  }
  return ar.length < br.length;
}

// ── scalars ──────────────────────────────────────────────────────────────

const BOOL_NULL = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'OFF',
  '',
  '~',
  'null',
  'Null',
  'NULL',
  '<<',
]);
const SPECIAL_FLOATS = new Set(['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']);

/** Whether go-yaml v2 would read this plain text as something other than a string. */
function resolvesNonString(s: string): boolean {
  if (BOOL_NULL.has(s) || SPECIAL_FLOATS.has(s)) return true;
  if (!/^[-+0-9.]/.test(s)) return false;
  const plain = s.replace(/_/g, '');
  if (/^[-+]?(0b[01]+|0x[0-9a-fA-F]+|0o?[0-7]+|[0-9]+)$/.test(plain)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return true;
  return false;
}

const isBase60Float = (s: string): boolean => /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);

function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

interface Analysis {
  multiline: boolean;
  blockPlain: boolean;
  single: boolean;
  block: boolean;
}

/** go-yaml's yaml_emitter_analyze_scalar, for block context. */
function analyze(s: string): Analysis {
  if (s === '') return { multiline: false, blockPlain: true, single: true, block: false };
  const chars = [...s];
  let blockIndicators = s.startsWith('---') || s.startsWith('...');
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  let precededByWs = true;
  const isBlankz = (c: string | undefined): boolean =>
    c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
  chars.forEach((c, i) => {
    const followedByWs = isBlankz(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':') && followedByWs) blockIndicators = true;
      else if (c === '-' && followedByWs) blockIndicators = true;
    } else if (c === ':' && followedByWs) blockIndicators = true;
    else if (c === '#' && precededByWs) blockIndicators = true;
    const cp = c.codePointAt(0) ?? 0;
    if (!isPrintable(cp)) special = true;
    const isBreak = c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
    if (isBreak) lineBreaks = true;
    const last = i === chars.length - 1;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak) {
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevBreak = true;
      prevSpace = false;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = isBlankz(c);
  });
  const a: Analysis = { multiline: lineBreaks, blockPlain: true, single: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) {
    a.blockPlain = false;
    a.single = false;
  }
  if (spaceBreak || special) {
    a.blockPlain = false;
    a.single = false;
    a.block = false;
  }
  if (lineBreaks) a.blockPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

function styleOf(s: string, simpleKey: boolean): Style {
  const canUsePlain = !resolvesNonString(s) && !isBase60Float(s);
  let style: Style = s.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double';
  const a = analyze(s);
  if (style === 'plain') {
    if (!a.blockPlain || (s === '' && simpleKey) || (simpleKey && a.multiline)) style = 'single';
  }
  if (style === 'single' && !a.single) style = 'double';
  if (style === 'literal' && (!a.block || simpleKey)) style = 'double';
  return style;
}

const DQ_ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\u0085': 'N',
  '\u2028': 'L',
  '\u2029': 'P',
};

/** Writes a scalar at `column`; continuation lines are indented by `indent`. */
function scalar(s: string, style: Style, column: number, indent: number, allowBreaks: boolean): string {
  const nlIndent = '\n' + ' '.repeat(indent);
  const chars = [...s];
  let out = '';
  let col = column;
  let spaces = false;
  if (style === 'plain' || style === 'single') {
    const q = style === 'single' ? "'" : '';
    out += q;
    col += q.length;
    chars.forEach((c, i) => {
      if (c === ' ') {
        const next = chars[i + 1];
        const canBreak =
          allowBreaks && !spaces && col > BEST_WIDTH && next !== ' ' && (style === 'plain' || (i !== 0 && i !== chars.length - 1));
        if (canBreak) {
          out += nlIndent;
          col = indent;
        } else {
          out += c;
          col++;
        }
        spaces = true;
      } else {
        out += c === "'" && style === 'single' ? "''" : c;
        col += c === "'" && style === 'single' ? 2 : 1;
        spaces = false;
      }
    });
    return out + q;
  }
  // double-quoted
  out += '"';
  col++;
  chars.forEach((c, i) => {
    const cp = c.codePointAt(0) ?? 0;
    const esc = DQ_ESCAPES[c];
    if (!isPrintable(cp) || cp === 0xfeff || esc !== undefined) {
      let e: string;
      if (esc !== undefined) e = '\\' + esc;
      else if (cp <= 0xff) e = '\\x' + cp.toString(16).toUpperCase().padStart(2, '0');
      else if (cp <= 0xffff) e = '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
      else e = '\\U' + cp.toString(16).toUpperCase().padStart(8, '0');
      out += e;
      col += e.length;
      spaces = false;
    } else if (c === ' ') {
      if (allowBreaks && !spaces && col > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
        out += nlIndent;
        col = indent;
        if (chars[i + 1] === ' ') {
          out += '\\';
          col++;
        }
      } else {
        out += c;
        col++;
      }
      spaces = true;
    } else {
      out += c;
      col++;
      spaces = false;
    }
  });
  return out + '"';
}

/** A literal block scalar: header then lines indented by `indent`. */
function literal(s: string, indent: number): string {
  let header = '|';
  if (s.startsWith(' ') || s.startsWith('\n')) header += '2';
  if (!s.endsWith('\n')) header += '-';
  else if (s === '\n' || s.endsWith('\n\n')) header += '+';
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  const pad = ' '.repeat(indent);
  return (
    header +
    body
      .split('\n')
      .map((l) => (l === '' ? '\n' : '\n' + pad + l))
      .join('')
  );
}

function scalarText(j: J, column: number, indent: number, simpleKey: boolean): string {
  if (j === null) return 'null';
  if (typeof j === 'boolean') return j ? 'true' : 'false';
  if (typeof j === 'string') {
    const style = styleOf(j, simpleKey);
    if (style === 'literal') return literal(j, Math.max(indent, 2));
    return scalar(j, style, column, indent, !simpleKey);
  }
  if ('int' in j) return j.int.toString();
  if ('float' in j) return formatFloat(j.float, 'g', -1).replace('+Inf', '.inf').replace('-Inf', '-.inf').replace('NaN', '.nan');
  return '';
}

const isCollection = (j: J): boolean =>
  j !== null && typeof j === 'object' && (('list' in j && j.list.length > 0) || ('entries' in j && j.entries.length > 0));

/** Lines of a block node; `prefix` is the text already on its first line ("key:" or "- " chains). */
function emit(j: J, indent: number, out: string[], prefix: string, pretty = false): void {
  if (j !== null && typeof j === 'object' && 'entries' in j) {
    if (j.entries.length === 0) {
      out.push(prefix + '{}');
      return;
    }
    j.entries.forEach(([k, v], i) => {
      const pad = i === 0 ? prefix : ' '.repeat(indent);
      const keyText = scalarText(k, pad.length, indent, true);
      emitValue(v, indent, out, pad + keyText + ':', pretty);
    });
    return;
  }
  if (j !== null && typeof j === 'object' && 'list' in j) {
    if (j.list.length === 0) {
      out.push(prefix + '[]');
      return;
    }
    j.list.forEach((v, i) => {
      const pad = i === 0 ? prefix : ' '.repeat(indent);
      const line = pad + '- ';
      if (isCollection(v)) emit(v, indent + 2, out, line, pretty);
      else if (v !== null && typeof v === 'object' && ('list' in v || 'entries' in v)) out.push(line + ('list' in v ? '[]' : '{}'));
      else pushScalar(v, out, line, indent + 2);
    });
    return;
  }
  pushScalar(j, out, prefix, indent);
}

function emitValue(v: J, indent: number, out: string[], keyLine: string, pretty: boolean): void {
  if (v !== null && typeof v === 'object' && 'entries' in v) {
    if (v.entries.length === 0) out.push(keyLine + ' {}');
    else {
      out.push(keyLine);
      emit(v, indent + 2, out, ' '.repeat(indent + 2), pretty);
    }
  } else if (v !== null && typeof v === 'object' && 'list' in v) {
    if (v.list.length === 0) out.push(keyLine + ' []');
    else {
      // go-yaml v2 writes a mapping's sequence at the key's column; v3 with SetIndent(2) two columns in.
      const at = pretty ? indent + 2 : indent;
      out.push(keyLine);
      emit(v, at, out, ' '.repeat(at), pretty);
    }
  } else pushScalar(v, out, keyLine + ' ', indent + 2);
}

function pushScalar(v: J, out: string[], prefix: string, indent: number): void {
  out.push(prefix + scalarText(v, prefix.length, indent, false));
}

/** go-yaml v2 Marshal of the JSON form of v, with its final newline. */
export function marshalYaml(v: GoValue): string {
  const j = toJ(v, 0);
  const out: string[] = [];
  emit(j, 0, out, '');
  return out.join('\n') + '\n';
}

/**
 * Helm's toYamlPretty (Helm 3.17+): go-yaml v3's Encoder with SetIndent(2) on the value itself (no
 * JSON round trip: a float64 is written with strconv's 'g', `1e+06`), a mapping's sequences indented
 * two columns under their key; scalars quoted and blocks written as toYaml's go-yaml v2 emitter
 * does. Without its final newline; "" when the value cannot be encoded.
 */
export function toYamlPretty(v: GoValue): string {
  try {
    const out: string[] = [];
    emit(toJ(v ?? null, 0, true), 0, out, '', true);
    return out.join('\n');
  } catch (e) {
    if (e instanceof FuncError) return '';
    throw e;
  }
}

/** Helm's toYaml: the YAML without its final newline; "" when the value cannot be marshalled. */
export function toYaml(v: GoValue): string {
  try {
    return marshalYaml(v).replace(/\n$/, '');
  } catch (e) {
    if (e instanceof FuncError) return '';
    throw e;
  }
}
