/**
 * Values files as hover, definition and completion read them (analysis/ide/helmValues.ts): parsed
 * by text, the last few kept, and a top-level key's section alone when that is safe.
 */

import { parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { HelmSource } from './helmValues.js';
import type { Span } from '../types.js';

/**
 * Parsed values files by text, the last few kept: hovering and completing over and over in a
 * chart parses its values.yaml once (a 5,000-key file takes tens of milliseconds to parse), and an
 * entry under a top-level key parses only that key's section (`topSections`), so the first hover
 * in a chart does not wait for the whole file.
 */
interface ParsedValues {
  /** The whole file's node; absent until asked for, undefined when it does not parse. */
  whole?: YamlNode | null | undefined;
  /** Where each top-level key's section is written; null when the file is not plain block YAML. */
  sections?: ReadonlyMap<string, Span> | null;
  readonly parsedSections: Map<string, { readonly node: YamlNode | null; readonly offset: number } | undefined>;
}

const parsedValues = new Map<string, ParsedValues>();
export const PARSED_KEPT = 16;

function parsedFile(text: string): ParsedValues {
  let hit = parsedValues.get(text);
  if (hit === undefined) {
    hit = { parsedSections: new Map() };
    if (parsedValues.size >= PARSED_KEPT) {
      const oldest = parsedValues.keys().next();
      if (oldest.done !== true) parsedValues.delete(oldest.value);
    }
    parsedValues.set(text, hit);
  }
  return hit;
}

/** The node a YAML text parses to; undefined when it has errors. */
function parseYamlNode(text: string): YamlNode | null | undefined {
  try {
    // Only the node tree is walked (aliases are not expanded), so a hostile file stays cheap.
    const doc = parseDocument(text);
    return doc.errors.length > 0 ? undefined : (doc.contents as YamlNode | null);
  } catch {
    return undefined;
  }
}

function parseValues(source: HelmSource): YamlNode | null | undefined {
  const p = parsedFile(source.text);
  if (!('whole' in p)) p.whole = parseYamlNode(source.text);
  return p.whole;
}

const TOP_KEY = /^([A-Za-z0-9_][^:#\s]*(?:[ \t]+[^:#\s]+)*)[ \t]*:(?:[ \t]|$)/;

/**
 * The top-level keys of a values file and the text each one's section spans (from its line to the
 * next top-level key's), when every line at column 0 is a comment or a plain `key:` written once:
 * in block YAML nothing else can start there (a value's lines are indented under its key). Null
 * otherwise (documents, directives, flow or quoted keys, a top-level list).
 */
function topSections(text: string): Map<string, Span> | null {
  const starts: Array<{ key: string; start: number }> = [];
  for (let at = 0; at < text.length;) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(at, end).replace(/\r$/, '');
    const c = line[0];
    if (c !== undefined && c !== ' ' && c !== '\t' && c !== '#') {
      const m = TOP_KEY.exec(line);
      if (m === null) return null;
      starts.push({ key: m[1] ?? '', start: at });
    }
    at = end + 1;
  }
  const out = new Map<string, Span>();
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i];
    if (s === undefined || out.has(s.key)) return null;
    out.set(s.key, { start: s.start, end: starts[i + 1]?.start ?? text.length });
  }
  return out;
}

/**
 * The node holding top-level key `key` of a values file and the offset of its text: the key's own
 * section parsed alone when that is safe (its parse has no errors: an alias to another section's
 * anchor has), else the whole file.
 */
export function valuesRoot(source: HelmSource, key: string | undefined): { node: YamlNode | null | undefined; offset: number } {
  const p = parsedFile(source.text);
  if (key !== undefined && p.whole === undefined) {
    if (p.sections === undefined) p.sections = topSections(source.text);
    if (p.sections !== null) {
      if (!p.parsedSections.has(key)) {
        const span = p.sections.get(key);
        const node = span === undefined ? undefined : parseYamlNode(source.text.slice(span.start, span.end));
        p.parsedSections.set(
          key,
          span === undefined ? { node: null, offset: 0 } : node === undefined ? undefined : { node, offset: span.start },
        );
      }
      const hit = p.parsedSections.get(key);
      if (hit !== undefined) return hit;
    }
  }
  return { node: parseValues(source), offset: 0 };
}
