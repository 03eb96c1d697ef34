/**
 * Text edits for quick-fixes that keep the user's formatting: quoting style, indentation and
 * flow or block style.
 */

import type { Span, TextEdit } from '../types.js';

/** YAML needs quotes around this plain value (it would otherwise read as another type). */
function needsQuotes(value: string): boolean {
  return value === '' || /^[-?:,[\]{}#&*!|>'"%@`\s]|[:#]\s|\s$|^(true|false|yes|no|on|off|null|~|[-+]?[0-9.]+(e[-+]?[0-9]+)?)$/i.test(value);
}

/** A plain value as YAML text: quoted when it would otherwise read as another type. */
export function yamlScalar(value: string): string {
  return needsQuotes(value) ? JSON.stringify(value) : value;
}

/**
 * Appends a YAML document (`lines`, starting with `---`) at the end of a file, in the file's line
 * endings, on a line of its own.
 */
export function appendDocument(uri: string, text: string | undefined, lines: readonly string[]): TextEdit {
  const t = text ?? '';
  const nl = t.includes('\r\n') ? '\r\n' : '\n';
  const sep = t === '' || t.endsWith('\n') ? '' : nl;
  return { uri, span: { start: t.length, end: t.length }, newText: sep + [...lines, ''].join(nl) };
}

/** Replaces a scalar value, keeping its quote style. */
export function replaceScalar(uri: string, text: string | undefined, span: Span, value: string): TextEdit {
  const old = text?.slice(span.start, span.end) ?? '';
  const q = old.startsWith('"') ? '"' : old.startsWith("'") ? "'" : needsQuotes(value) ? '"' : '';
  return { uri, span, newText: `${q}${value}${q}` };
}

/** Replaces a scalar by a number or a string, as an IntOrString field wants. */
export function replaceIntOrString(uri: string, text: string | undefined, span: Span, value: number | string): TextEdit {
  if (typeof value === 'number') return { uri, span, newText: String(value) };
  return replaceScalar(uri, text, span, value);
}

/**
 * Inserts `key: value` as a sibling of the key whose value is at `valueSpan` (block or flow map).
 */
export function insertSiblingAfter(uri: string, text: string | undefined, valueSpan: Span, key: string, value: string): TextEdit | undefined {
  if (text === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', valueSpan.start - 1) + 1;
  const before = text.slice(lineStart, valueSpan.start);
  if (before.includes('{')) return { uri, span: { start: valueSpan.end, end: valueSpan.end }, newText: `, ${key}: ${value}` };
  const m = /^(\s*)(-\s+)?([^\s:][^:]*):\s*$/.exec(before);
  if (m === null) return undefined;
  const column = (m[1]?.length ?? 0) + (m[2]?.length ?? 0);
  const eol = text.indexOf('\n', valueSpan.end);
  const at = eol === -1 ? text.length : text[eol - 1] === '\r' ? eol - 1 : eol;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  return { uri, span: { start: at, end: at }, newText: `${nl}${' '.repeat(column)}${key}: ${value}` };
}
