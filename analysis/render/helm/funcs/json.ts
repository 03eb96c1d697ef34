/**
 * Go's encoding/json for template values, as Sprig's toJson/toPrettyJson/toRawJson and Helm's
 * fromJson/fromJsonArray use it: map keys sorted, HTML characters escaped unless raw, float64 in
 * Go's shortest form ('e' below 1e-6 and from 1e21), NaN and infinities an error.
 */

import { FuncError } from '../template/callable.js';
import { GoStruct, sortedKeys } from '../template/values.js';
import type { GoValue } from '../template/values.js';

export function jsonString(s: string, escapeHtml: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] ?? '';
    const c = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20) {
      out +=
        ch === '\n'
          ? '\\n'
          : ch === '\r'
            ? '\\r'
            : ch === '\t'
              ? '\\t'
              : ch === '\b'
                ? '\\b'
                : ch === '\f'
                  ? '\\f'
                  : '\\u00' + c.toString(16).padStart(2, '0');
    } else if (escapeHtml && (ch === '<' || ch === '>' || ch === '&')) out += '\\u00' + c.toString(16);
    else if (c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16);
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += ch + (s[i + 1] ?? '');
        i++;
      } else out += '\\ufffd';
    } else out += ch;
  }
  return out + '"';
}

export function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new FuncError(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  if (Object.is(f, -0)) return '-0';
  return String(f);
}

/** json.Marshal (indent '' → compact; otherwise json.MarshalIndent with prefix ''). */
export function toJsonText(v: GoValue, opts: { indent: string; escapeHtml: boolean }, depth = 0): string {
  if (depth > 1000) throw new FuncError('json: unsupported value: encountered a cycle or too deep a value');
  const nl = opts.indent === '' ? '' : '\n' + opts.indent.repeat(depth + 1);
  const close = opts.indent === '' ? '' : '\n' + opts.indent.repeat(depth);
  const colon = opts.indent === '' ? ':' : ': ';
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return jsonString(v, opts.escapeHtml);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return jsonFloat(v);
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + v.map((e) => nl + toJsonText(e, opts, depth + 1)).join(',') + close + ']';
  }
  const entries: [string, GoValue][] =
    v instanceof Map ? sortedKeys(v).map((k) => [k, v.get(k)]) : v instanceof GoStruct ? [...v.fields] : [];
  if (entries.length === 0) return '{}';
  return (
    '{' + entries.map(([k, e]) => nl + jsonString(k, opts.escapeHtml) + colon + toJsonText(e, opts, depth + 1)).join(',') + close + '}'
  );
}

/** json.Unmarshal into interface{}: numbers become float64; Go's error wording approximated. */
export function parseJson(text: string): { value: GoValue } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (text.trim() === '') return { error: 'unexpected end of JSON input' };
    return { error: `invalid character in JSON input (${msg})` };
  }
  return { value: fromJson(parsed, 0) };
}

function fromJson(v: unknown, depth: number): GoValue {
  if (depth > 1000) return null;
  if (v === null) return null;
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map((e: unknown) => fromJson(e, depth + 1));
  if (typeof v === 'object') {
    const m = new Map<string, GoValue>();
    for (const [k, e] of Object.entries(v as Record<string, unknown>)) m.set(k, fromJson(e, depth + 1));
    return m;
  }
  return null;
}
