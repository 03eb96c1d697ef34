/**
 * Values files as hover, definition and completion read them (analysis/ide/helmValues.ts): parsed
 * by text, the last few kept, and a top-level key's section alone when that is safe; a file of
 * several `---` documents read as Helm 4 merges them, each entry in the document that supplies it.
 */

import { isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import type { HelmSource } from './helmValues.js';
import { valuesDocumentSpans } from '../render/helm/chart.js';
import type { Span } from '../types.js';

/** Values shown in hover and completion are cut after this many lines. */
export const MAX_VALUE_LINES = 15;

function nextLineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

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
  /** The file's `---` documents, each parsed at its offset; null when Helm refuses the file. */
  documents?: readonly ValuesDocument[] | null;
}

/** One document of a values file: its node (null when empty) and the offset of its text in the file. */
export interface ValuesDocument {
  readonly node: YamlNode | null;
  readonly offset: number;
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
function valuesRoot(source: HelmSource, key: string | undefined): { node: YamlNode | null | undefined; offset: number } {
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

/** A line that starts with `---`: the file is read as Helm 4 reads several documents. */
const SEPARATOR_LINE = /^---/m;

/**
 * The documents of a values file that hold top-level key `key`, in file order, as Helm 4 reads the
 * file (render/helm/chart.ts `valuesDocumentSpans`: the documents are merged in order, a later one's
 * map into a map, anything else replacing): one (`valuesRoot`) for a text with no `---` line; none
 * when Helm refuses the file (a separator with text after it, a document that does not parse).
 */
export function valuesDocuments(source: HelmSource, key: string | undefined): readonly ValuesDocument[] {
  if (!SEPARATOR_LINE.test(source.text)) {
    const root = valuesRoot(source, key);
    return root.node === undefined ? [] : [{ node: root.node, offset: root.offset }];
  }
  const p = parsedFile(source.text);
  if (p.documents === undefined) {
    const spans = valuesDocumentSpans(source.text);
    let docs: ValuesDocument[] | null = null;
    if (Array.isArray(spans)) {
      docs = [];
      for (const span of spans) {
        const node = parseYamlNode(source.text.slice(span.start, span.end));
        // A document that does not parse, or is not a map, makes Helm refuse the file.
        if (node === undefined || (node !== null && !isMap(node))) {
          docs = null;
          break;
        }
        docs.push({ node, offset: span.start });
      }
    }
    p.documents = docs;
  }
  return p.documents ?? [];
}

/** A key of a values file: where it is written, its value's source text and its comment. */
export interface ValueEntry {
  readonly source: HelmSource;
  readonly keySpan: Span;
  readonly valueText: string;
  readonly comment: string;
  /** The node, for completion of the level below. */
  readonly node: YamlNode | null;
  /** Which `---` document of the file holds it (1-based), when the file has several. */
  readonly document?: number;
}

function pairOf(node: YamlNode | null | undefined, key: string): Pair<YamlNode, YamlNode | null> | undefined {
  if (node === null || node === undefined || !isMap(node)) return undefined;
  for (const p of node.items) {
    if (!isPair(p)) continue;
    const k = p.key;
    if (isScalar(k) && String(k.value) === key) return p as Pair<YamlNode, YamlNode | null>;
  }
  return undefined;
}

/** The comment block right above the line of `offset` (and a comment after the value on that line). */
function commentAbove(text: string, offset: number, valueEnd: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lines: string[] = [];
  let end = lineStart - 1;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).trim();
    if (!line.startsWith('#')) break;
    lines.unshift(line);
    end = start - 1;
  }
  const lineEnd = nextLineEnd(text, valueEnd);
  const rest = text.slice(valueEnd, lineEnd);
  const trailing = /\s#\s?(.*)$/.exec(rest);
  if (trailing !== null && !text.slice(offset, valueEnd).includes('\n')) lines.push(`# ${trailing[1] ?? ''}`);
  return lines
    .map((l) =>
      l
        .replace(/^#+\s?/, '')
        .replace(/^--\s?/, '')
        .replace(/^@param\s+\S+\s*/, ''),
    )
    .join('\n')
    .trim();
}

/**
 * What one document of a values file says of `path`: it writes it (`entry`), it leaves it alone
 * (`absent`: a map on the way lacks a key), or it writes something that is not a map above it
 * (`replaced`: merged, that value replaces whatever earlier documents wrote at `path`).
 */
type DocumentLookup = { readonly kind: 'entry'; readonly entry: ValueEntry } | { readonly kind: 'absent' } | { readonly kind: 'replaced' };

function lookupIn(source: HelmSource, doc: ValuesDocument, path: readonly string[], document: number | undefined): DocumentLookup {
  let node: YamlNode | null = doc.node;
  if (node === null) return { kind: 'absent' };
  let pair: Pair<YamlNode, YamlNode | null> | undefined;
  for (const key of path) {
    if (node === null || !isMap(node)) return { kind: 'replaced' };
    pair = pairOf(node, key);
    if (pair === undefined) return { kind: 'absent' };
    node = pair.value;
  }
  const at = document === undefined ? {} : { document };
  if (pair === undefined) {
    // The whole file (`.Values`).
    return { kind: 'entry', entry: { source, keySpan: { start: doc.offset, end: doc.offset }, valueText: '', comment: '', node, ...at } };
  }
  const off = doc.offset;
  const keyRange = pair.key.range ?? [0, 0, 0];
  const v = pair.value;
  const vr = v?.range;
  const valueText = vr === null || vr === undefined ? 'null' : dedent(source.text, vr[0] + off, vr[1] + off);
  const valueEnd = (vr?.[1] ?? keyRange[1]) + off;
  const entry: ValueEntry = {
    source,
    keySpan: { start: keyRange[0] + off, end: keyRange[1] + off },
    valueText,
    comment: commentAbove(source.text, keyRange[0] + off, valueEnd),
    node: v,
    ...at,
  };
  return { kind: 'entry', entry };
}

/**
 * The entries of a values file that make the value at `path`, as Helm 4 merges the file's `---`
 * documents (in order, a later document's map into a map, anything else replacing): the document
 * that supplies the value first (the last one that writes it), then, while the value is a map, the
 * earlier documents whose maps at `path` merge below it. Empty when the file does not set `path`.
 */
export function entriesIn(source: HelmSource, path: readonly string[]): ValueEntry[] {
  const docs = valuesDocuments(source, path[0]);
  const out: ValueEntry[] = [];
  for (let i = docs.length - 1; i >= 0; i--) {
    const doc = docs[i];
    if (doc === undefined) continue;
    const r = lookupIn(source, doc, path, docs.length > 1 ? i + 1 : undefined);
    if (r.kind === 'absent') continue;
    if (r.kind === 'replaced') break;
    const isTable = r.entry.node !== null && isMap(r.entry.node);
    // A value that is not a map under a later document's map is replaced by it.
    if (out.length > 0 && !isTable) break;
    out.push(r.entry);
    if (!isTable) break;
  }
  return out;
}

/** The entry that supplies the value at `path` in a values file (the last `---` document that writes it). */
export function entryIn(source: HelmSource, path: readonly string[]): ValueEntry | undefined {
  return entriesIn(source, path)[0];
}

/** How hover names the file of an entry: its label, and its document when the file has several. */
export function entryLabel(e: ValueEntry): string {
  return e.document === undefined ? `\`${e.source.label}\`` : `\`${e.source.label}\` (document ${e.document})`;
}

/** A value's source text, its block lines dedented to their least indentation, cut after MAX_VALUE_LINES. */
export function dedent(text: string, start: number, end: number): string {
  const raw = text.slice(start, end).replace(/\s+$/, '');
  const lines = raw.split('\n');
  const rest = lines.slice(1).filter((l) => l.trim() !== '');
  let indent = rest.length === 0 ? 0 : Infinity;
  for (const l of rest) indent = Math.min(indent, l.length - l.trimStart().length);
  const out = [lines[0] ?? '', ...lines.slice(1).map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))];
  if (out.length > MAX_VALUE_LINES) return [...out.slice(0, MAX_VALUE_LINES), '# …'].join('\n');
  return out.join('\n');
}
