/**
 * `\'` in a double-quoted scalar (`description: "… \'{{ $labels.name }}\' failed"`): YAML 1.2 has
 * no such escape and the `yaml` package refuses it, but go-yaml (kubectl, kustomize, Helm) reads it
 * as `'`, as libyaml does. The text is read again with each such escape written `''` (same length;
 * two apostrophes mean themselves in double quotes), and the scalars holding one get the value
 * go-yaml gives, decoded from their source. Only one-line scalars: a folded multi-line scalar keeps
 * its error.
 */

import type { YNode } from './tree.js';
import { restoreQuotedValues } from './quoteContinuation.js';

export const QUOTE_ESCAPE_ERROR = "Invalid escape sequence \\'";

/** go-yaml's one-character escapes in double-quoted scalars (scannerc.go, yaml_parser_scan_flow_scalar). */
const SIMPLE: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** The value go-yaml gives the one-line double-quoted scalar `raw` (with its quotes); undefined when it cannot be decoded. */
export function decodeDoubleQuoted(raw: string): string | undefined {
  if (raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"') || /[\r\n]/.test(raw)) return undefined;
  let out = '';
  for (let i = 1; i < raw.length - 1; i++) {
    const c = raw[i] ?? '';
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = raw[i + 1] ?? '';
    const simple = SIMPLE[e];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    const n = HEX[e];
    if (n === undefined) return undefined;
    const hex = raw.slice(i + 2, i + 2 + n);
    if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(hex)) return undefined;
    const code = parseInt(hex, 16);
    if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return undefined;
    out += String.fromCodePoint(code);
    i += 1 + n;
  }
  return out;
}

/** The text with each `\'` the errors point at written `''`, and the offsets rewritten; undefined when none is. */
export function rewriteQuoteEscapes(
  input: string,
  errors: ReadonlyArray<{ span: { start: number }; message: string }>,
): { text: string; offsets: number[] } | undefined {
  const offsets = errors
    .filter((e) => e.message.startsWith(QUOTE_ESCAPE_ERROR) && input.startsWith("\\'", e.span.start))
    .map((e) => e.span.start)
    .sort((a, b) => a - b);
  if (offsets.length === 0) return undefined;
  let text = '';
  let at = 0;
  for (const o of offsets) {
    text += input.slice(at, o) + "''";
    at = o + 2;
  }
  return { text: text + input.slice(at), offsets };
}

/**
 * Gives the double-quoted scalars of `root` that hold a rewritten offset go-yaml's value, decoded from
 * `input`; false when one of them cannot be decoded (a multi-line scalar), which keeps the plain reading.
 */
export function restoreQuoteEscapes(roots: ReadonlyArray<YNode | undefined>, input: string, offsets: readonly number[]): boolean {
  const values = new Map<number, string>();
  const spans: Array<{ start: number; end: number }> = [];
  const seen = new Set<YNode>();
  const walk = (n: YNode | undefined): void => {
    if (n === undefined || seen.has(n)) return;
    seen.add(n);
    if (n.kind === 'scalar') {
      if (n.quoted && offsets.some((o) => o >= n.span.start && o < n.span.end)) spans.push(n.span);
    } else if (n.kind === 'seq') for (const item of n.items) walk(item);
    else if (n.kind === 'map') for (const p of n.pairs) walk(p.value);
  };
  for (const r of roots) walk(r);
  // Every rewritten escape must lie in a scalar decoded here (a key, a multi-line value: keep the error).
  if (!offsets.every((o) => spans.some((s) => o >= s.start && o < s.end))) return false;
  for (const s of spans) {
    const v = decodeDoubleQuoted(input.slice(s.start, s.end));
    if (v === undefined) return false;
    values.set(s.start, v);
  }
  for (const r of roots) restoreQuotedValues(r, values);
  return true;
}
