/**
 * The one writer of edits (quick-fixes, suppressions, added objects), in the language of the file
 * it edits. A YAML file gets YAML that keeps the user's quoting, indentation and flow or block
 * style; a JSON manifest gets JSON: quoted strings and keys, members added into the object with
 * the file's indentation and commas, suppressions through the `kube-reach.io/ignore` annotation
 * (JSON has no comments), and a new object as a `List` item or a new file, never `---`.
 * Every producer of edits goes through an `EditWriter`; none writes YAML text by hand.
 */

import type { Span, TextEdit } from '../types.js';
import { yaml11Value } from '../syntax/yaml11.js';
import { firstSignificant, member, members, items as jsonItems, valueEnd } from './json.js';

/** A value an edit writes: a scalar, a list or a map (keys in insertion order). */
export type EditValue = string | number | boolean | readonly EditValue[] | { readonly [key: string]: EditValue };

export type EditLanguage = 'yaml' | 'json';

export const IGNORE_ANNOTATION = 'kube-reach.io/ignore';

/**
 * JSON when the file is named `.json` or its first character (after a BOM and whitespace) opens a
 * JSON object or array; `{{` is a template action, not JSON.
 */
/**
 * The line break a file uses, read from its first line (a whole-text search would cost a scan of
 * a 5 MB bundle for every finding, docs/dev/design.md §9).
 */
export function lineBreakOf(text: string | undefined): '\r\n' | '\n' {
  const i = text === undefined ? -1 : text.indexOf('\n');
  return i > 0 && text?.charCodeAt(i - 1) === 13 ? '\r\n' : '\n';
}

export function languageOf(uri: string | undefined, text: string | undefined): EditLanguage {
  if (uri !== undefined && /\.json$/i.test(uri)) return 'json';
  return /^[\s\uFEFF]*(\{(?!\{)|\[)/.test(text ?? '') ? 'json' : 'yaml';
}

/** YAML needs quotes around this plain value (it would otherwise read as another type, in YAML 1.2 or 1.1). */
function needsQuotes(value: string): boolean {
  return (
    value === '' ||
    yaml11Value(value) !== undefined ||
    /^[-?:,[\]{}#&*!|>'"%@`\s]|[:#]\s|\s$|^(true|false|yes|no|y|n|on|off|null|~|[-+]?[0-9.]+(e[-+]?[0-9]+)?|0x[0-9a-f]+|0o[0-7]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+)$/i.test(
      value,
    )
  );
}

/** A plain value as YAML text: quoted when it would otherwise read as another type. */
export function yamlScalar(value: string): string {
  return needsQuotes(value) ? JSON.stringify(value) : value;
}

function isMapValue(v: EditValue): v is { readonly [key: string]: EditValue } {
  return typeof v === 'object' && !Array.isArray(v);
}

/** A value on one line, in YAML flow style. */
export function yamlInline(v: EditValue): string {
  if (typeof v === 'string') return yamlScalar(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${(v as readonly EditValue[]).map(yamlInline).join(', ')}]`;
  const entries = Object.entries(v as { readonly [key: string]: EditValue });
  return entries.length === 0 ? '{}' : `{${entries.map(([k, x]) => `${yamlScalar(k)}: ${yamlInline(x)}`).join(', ')}}`;
}

/** A value on one line, as JSON with a space after each comma and colon. */
export function jsonInline(v: EditValue): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${(v as readonly EditValue[]).map(jsonInline).join(', ')}]`;
  const entries = Object.entries(v as { readonly [key: string]: EditValue });
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${jsonInline(x)}`).join(', ')}}`;
}

function isScalarOrFlow(v: EditValue): boolean {
  if (!Array.isArray(v) && !isMapValue(v)) return true;
  if (Array.isArray(v)) return (v as readonly EditValue[]).every((x) => !Array.isArray(x) && !isMapValue(x));
  return Object.keys(v).length === 0;
}

/** A map as YAML block lines at `pad`: lists of scalars in flow style, lists of maps as `- ` items. */
export function yamlBlock(v: { readonly [key: string]: EditValue }, pad = ''): string[] {
  const out: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    const key = `${pad}${yamlScalar(k)}:`;
    if (isScalarOrFlow(x)) out.push(`${key} ${yamlInline(x)}`);
    else if (Array.isArray(x)) {
      out.push(key);
      for (const item of x as readonly EditValue[]) {
        if (isMapValue(item) && Object.keys(item).length > 0) {
          const lines = yamlBlock(item, `${pad}    `);
          out.push(`${pad}  - ${(lines[0] ?? '').slice(pad.length + 4)}`);
          for (const l of lines.slice(1)) out.push(l);
        } else out.push(`${pad}  - ${yamlInline(item)}`);
      }
    } else {
      out.push(key);
      for (const l of yamlBlock(x as { readonly [key: string]: EditValue }, `${pad}  `)) out.push(l);
    }
  }
  return out;
}

/** What a suppression edit says it does, and the edit. */
export interface Suppression {
  readonly title: string;
  readonly edit: TextEdit;
}

export class EditWriter {
  readonly language: EditLanguage;
  private readonly t: string;
  /** The file's line break. */
  readonly nl: string;

  /**
   * `exists` says whether a file is in the workspace (a new JSON object goes to a new file whose
   * name is free).
   */
  constructor(
    readonly uri: string,
    text: string | undefined,
    private readonly exists: (uri: string) => boolean = () => false,
  ) {
    this.t = text ?? '';
    this.language = languageOf(uri, text);
    this.nl = lineBreakOf(this.t);
  }

  private edit(start: number, end: number, newText: string): TextEdit {
    return { uri: this.uri, span: { start, end }, newText };
  }

  /**
   * A span of another file (a field a Kustomize patch set: `Span.uri`): no edit of this text can be
   * made there. The edit keeps that file in its span, so the finding's quick-fix is dropped
   * (relocate.ts) instead of editing this file at the other file's offsets.
   */
  private elsewhere(span: Span): TextEdit | undefined {
    return span.uri !== undefined && span.uri !== this.uri
      ? { uri: this.uri, span: { start: span.start, end: span.end, uri: span.uri }, newText: '' }
      : undefined;
  }

  private lineStart(offset: number): number {
    const s = this.t.lastIndexOf('\n', offset - 1) + 1;
    // A byte order mark belongs before everything: never insert ahead of it.
    return s === 0 && this.t.startsWith('\uFEFF') ? 1 : s;
  }

  private lineEnd(offset: number): number {
    const eol = this.t.indexOf('\n', offset);
    return eol === -1 ? this.t.length : this.t[eol - 1] === '\r' ? eol - 1 : eol;
  }

  /** Replaces the scalar at `span` by `value`; a YAML string keeps its quote style. */
  value(span: Span, value: EditValue): TextEdit {
    const other = this.elsewhere(span);
    if (other !== undefined) return other;
    if (this.language === 'json') return this.edit(span.start, span.end, jsonInline(value));
    if (typeof value !== 'string') return this.edit(span.start, span.end, yamlInline(value));
    const old = this.t.slice(span.start, span.end);
    const q = old.startsWith('"') ? '"' : old.startsWith("'") ? "'" : '';
    if (q === '"') return this.edit(span.start, span.end, JSON.stringify(value));
    if (q === "'") return this.edit(span.start, span.end, `'${value.replace(/'/g, "''")}'`);
    return this.edit(span.start, span.end, yamlScalar(value));
  }

  /** The scalar at `span` as the string it is written as (`yes` → `"yes"`, `1.0` → `"1.0"`). */
  asString(span: Span): TextEdit {
    return this.value(span, this.t.slice(span.start, span.end));
  }

  /** A number, or a string, as an IntOrString field wants it. */
  intOrString(span: Span, value: number | string): TextEdit {
    return this.value(span, value);
  }

  /** Renames the key at `span`. */
  key(span: Span, key: string): TextEdit {
    const other = this.elsewhere(span);
    if (other !== undefined) return other;
    return this.edit(span.start, span.end, this.language === 'json' ? JSON.stringify(key) : yamlScalar(key));
  }

  /** Inserts `key: value` as a sibling after the member whose value is at `valueSpan`. */
  insertAfter(valueSpan: Span, key: string, value: EditValue): TextEdit | undefined {
    const other = this.elsewhere(valueSpan);
    if (other !== undefined) return other;
    const t = this.t;
    const lineStart = t.lastIndexOf('\n', valueSpan.start - 1) + 1;
    const before = t.slice(lineStart, valueSpan.start);
    if (this.language === 'json') {
      const m = /^(\s*)"(?:[^"\\]|\\.)*"\s*:\s*$/.exec(before);
      if (m !== null)
        return this.edit(valueSpan.end, valueSpan.end, `,${this.nl}${m[1] ?? ''}${JSON.stringify(key)}: ${jsonInline(value)}`);
      return this.edit(valueSpan.end, valueSpan.end, `, ${JSON.stringify(key)}: ${jsonInline(value)}`);
    }
    if (before.includes('{')) return this.edit(valueSpan.end, valueSpan.end, `, ${yamlScalar(key)}: ${yamlInline(value)}`);
    const m = /^(\s*)(-\s+)?([^\s:][^:]*):\s*$/.exec(before);
    if (m === null) return undefined;
    const column = (m[1]?.length ?? 0) + (m[2]?.length ?? 0);
    const at = this.lineEnd(valueSpan.end);
    return this.edit(at, at, `${this.nl}${' '.repeat(column)}${yamlScalar(key)}: ${yamlInline(value)}`);
  }

  /** Inserts `key: value` before the member whose key is at `keySpan`, on its own line when that key starts one. */
  insertBefore(keySpan: Span, key: string, value: EditValue): TextEdit | undefined {
    const other = this.elsewhere(keySpan);
    if (other !== undefined) return other;
    const lineStart = this.lineStart(keySpan.start);
    const before = this.t.slice(lineStart, keySpan.start);
    const k = this.language === 'json' ? JSON.stringify(key) : yamlScalar(key);
    const v = this.language === 'json' ? jsonInline(value) : yamlInline(value);
    const sep = this.language === 'json' ? ',' : '';
    if (/^\s*$/.test(before)) return this.edit(lineStart, lineStart, `${before}${k}: ${v}${sep}${this.nl}`);
    if (/[{,]\s*$/.test(before)) return this.edit(keySpan.start, keySpan.start, `${k}: ${v}, `);
    return undefined;
  }

  /**
   * Deletes the member whose key is at `keySpan`. In YAML, from the start of the key's line to
   * the end of the line of `lastEnd` (block style only); in JSON, the member and one comma.
   */
  deleteMember(keySpan: Span, lastEnd: number): TextEdit | undefined {
    const t = this.t;
    const lineStart = this.lineStart(keySpan.start);
    const alone = t.slice(lineStart, keySpan.start).trim() === '';
    if (this.language === 'yaml') {
      if (!alone) return undefined;
      const eol = t.indexOf('\n', lastEnd);
      return this.edit(lineStart, eol === -1 ? t.length : eol + 1, '');
    }
    const colon = t.indexOf(':', keySpan.end);
    const end = colon === -1 ? undefined : valueEnd(t, colon + 1);
    if (end === undefined) return undefined;
    const after = /^\s*/.exec(t.slice(end))?.[0].length ?? 0;
    if (t[end + after] === ',') {
      if (!alone) return this.edit(keySpan.start, end + after + 1 + (/^[ \t]*/.exec(t.slice(end + after + 1))?.[0].length ?? 0), '');
      const rest = /^[ \t]*\r?\n/.exec(t.slice(end + after + 1));
      return this.edit(lineStart, end + after + 1 + (rest?.[0].length ?? 0), '');
    }
    let p = keySpan.start - 1;
    while (p >= 0 && /\s/.test(t[p] ?? '')) p--;
    if (t[p] === ',') return this.edit(p, end, '');
    return this.edit(keySpan.start, end, '');
  }

  /**
   * Makes two items of a list one: the members of the map at `second` move into the map at
   * `first` (the two must be adjacent items). YAML block items only lose the second's `- `.
   */
  joinItems(first: Span, second: Span): TextEdit | undefined {
    const t = this.t;
    if (this.language === 'yaml') {
      if (t.slice(second.start - 2, second.start) !== '- ') return undefined;
      return this.edit(second.start - 2, second.start, '  ');
    }
    const firstEnd = valueEnd(t, first.start);
    if (t[first.start] !== '{' || t[second.start] !== '{' || firstEnd === undefined) return undefined;
    let i = firstEnd - 2;
    while (i > first.start && /\s/.test(t[i] ?? '')) i--;
    if (t[i] === '{') return undefined;
    return this.edit(i + 1, second.start + 1, /\s/.test(t[second.start + 1] ?? '') ? ',' : ', ');
  }

  /** The indentation unit of a JSON text (the first member's indentation), 2 if it has none. */
  private jsonUnit(): number {
    const m = /\n([ \t]+)"/.exec(this.t);
    return m?.[1] !== undefined && m[1].length > 0 && m[1].length <= 8 ? m[1].length : 2;
  }

  /** `value` as JSON block text whose lines after the first start with `pad`. */
  private jsonBlock(value: EditValue, pad: string): string {
    return JSON.stringify(value, null, this.jsonUnit()).split('\n').join(`${this.nl}${pad}`);
  }

  /**
   * Adds `obj` as a new object: a YAML document appended to a YAML file; in JSON an item of the
   * file's `List`, or else a new file `<stem>.json` next to it (a free name).
   */
  addObject(obj: { readonly [key: string]: EditValue }, stem: string): TextEdit[] {
    const t = this.t;
    if (this.language === 'yaml') {
      const sep = t === '' || t.endsWith('\n') ? '' : this.nl;
      return [this.edit(t.length, t.length, sep + ['---', ...yamlBlock(obj), ''].join(this.nl))];
    }
    const root = firstSignificant(t);
    const rootMembers = members(t, root);
    const kind = member(rootMembers, 'kind');
    const itemsMember = member(rootMembers, 'items');
    if (kind !== undefined && t.slice(kind.valueStart, kind.valueEnd) === '"List"' && itemsMember !== undefined) {
      const list = jsonItems(t, itemsMember.valueStart);
      const last = list?.[list.length - 1];
      if (list !== undefined && last !== undefined) {
        const pad = /^[ \t]*/.exec(t.slice(this.lineStart(last.start)))?.[0] ?? '';
        const multi = t.slice(itemsMember.valueStart, list[0]?.start ?? last.start).includes('\n');
        return [this.edit(last.end, last.end, multi ? `,${this.nl}${pad}${this.jsonBlock(obj, pad)}` : `, ${jsonInline(obj)}`)];
      }
      if (list !== undefined) return [this.edit(itemsMember.valueStart + 1, itemsMember.valueStart + 1, jsonInline(obj))];
      return [];
    }
    const dir = this.uri.slice(0, this.uri.lastIndexOf('/') + 1);
    const safe = stem.replace(/[^A-Za-z0-9._-]/g, '-');
    let uri = `${dir}${safe}.json`;
    for (let n = 2; this.exists(uri); n++) uri = `${dir}${safe}-${n}.json`;
    return [{ uri, span: { start: 0, end: 0 }, newText: `${JSON.stringify(obj, null, this.jsonUnit())}\n`, create: true }];
  }

  /**
   * Adds several objects at once, with `comments` (lines without `#`) above the first: YAML
   * documents appended to a YAML file, or (`newFile`) a new `<stem>.yaml` next to it; in JSON items
   * of the file's `List`, else a new `<stem>.json` (one object, or a `List` of them). JSON has no
   * comments: the caller carries what they say in the objects.
   */
  addObjects(
    objs: ReadonlyArray<{ readonly [key: string]: EditValue }>,
    stem: string,
    comments: readonly string[] = [],
    newFile = false,
  ): TextEdit[] {
    const dir = this.uri.slice(0, this.uri.lastIndexOf('/') + 1);
    const safe = stem.replace(/[^A-Za-z0-9._-]/g, '-');
    const freeName = (ext: string): string => {
      let uri = `${dir}${safe}.${ext}`;
      for (let n = 2; this.exists(uri); n++) uri = `${dir}${safe}-${n}.${ext}`;
      return uri;
    };
    if (this.language === 'yaml') {
      const nl = newFile ? '\n' : this.nl;
      const docs = objs.map((o, i) => [...(i === 0 ? comments.map((c) => (c === '' ? '#' : `# ${c}`)) : []), ...yamlBlock(o)].join(nl));
      if (newFile)
        return [{ uri: freeName('yaml'), span: { start: 0, end: 0 }, newText: `${docs.join(`${nl}---${nl}`)}${nl}`, create: true }];
      const t = this.t;
      const sep = t === '' || t.endsWith('\n') ? '' : this.nl;
      return [this.edit(t.length, t.length, sep + docs.map((d) => `---${nl}${d}${nl}`).join(''))];
    }
    const t = this.t;
    const rootMembers = members(t, firstSignificant(t));
    const kind = member(rootMembers, 'kind');
    const itemsMember = member(rootMembers, 'items');
    if (!newFile && kind !== undefined && t.slice(kind.valueStart, kind.valueEnd) === '"List"' && itemsMember !== undefined) {
      const list = jsonItems(t, itemsMember.valueStart);
      const last = list?.[list.length - 1];
      if (list !== undefined && last !== undefined) {
        const pad = /^[ \t]*/.exec(t.slice(this.lineStart(last.start)))?.[0] ?? '';
        const multi = t.slice(itemsMember.valueStart, list[0]?.start ?? last.start).includes('\n');
        const text = objs.map((o) => (multi ? `,${this.nl}${pad}${this.jsonBlock(o, pad)}` : `, ${jsonInline(o)}`)).join('');
        return [this.edit(last.end, last.end, text)];
      }
      if (list !== undefined) return [this.edit(itemsMember.valueStart + 1, itemsMember.valueStart + 1, objs.map(jsonInline).join(', '))];
      return [];
    }
    const only = objs.length === 1 ? objs[0] : undefined;
    const value: EditValue = only ?? { apiVersion: 'v1', kind: 'List', items: objs };
    return [
      { uri: freeName('json'), span: { start: 0, end: 0 }, newText: `${JSON.stringify(value, null, this.jsonUnit())}\n`, create: true },
    ];
  }

  /**
   * Suppresses `code`: in YAML a `# kube-reach-disable-next-line` comment above the line of
   * `span`, at its indentation; in JSON the code added to the `kube-reach.io/ignore` annotation
   * of the object at `objectSpan` (merged with the codes it already lists).
   */
  suppress(span: Span, code: string, objectSpan: Span | undefined): Suppression | undefined {
    const t = this.t;
    if (this.language === 'yaml') {
      const lineStart = this.lineStart(span.start);
      const indent = /^[ \t]*(- )?/.exec(t.slice(lineStart, span.start + 1))?.[0].replace('- ', '  ') ?? '';
      return {
        title: `Suppress ${code} on this line`,
        edit: this.edit(lineStart, lineStart, `${indent}# kube-reach-disable-next-line ${code}${this.nl}`),
      };
    }
    const open = objectSpan === undefined ? undefined : firstSignificant(t, objectSpan.start);
    if (open === undefined || t[open] !== '{') return undefined;
    const title = `Suppress ${code} on this object (${IGNORE_ANNOTATION} annotation)`;
    const obj = members(t, open);
    const metadata = member(obj, 'metadata');
    if (obj === undefined) return undefined;
    if (metadata === undefined) {
      const e = this.insertMember(open, 'metadata', { annotations: { [IGNORE_ANNOTATION]: code } });
      return e === undefined ? undefined : { title, edit: e };
    }
    const annotations = member(members(t, metadata.valueStart), 'annotations');
    if (annotations === undefined) {
      const e = this.insertMember(metadata.valueStart, 'annotations', { [IGNORE_ANNOTATION]: code });
      return e === undefined ? undefined : { title, edit: e };
    }
    const ignore = member(members(t, annotations.valueStart), IGNORE_ANNOTATION);
    if (ignore === undefined) {
      const e = this.insertMember(annotations.valueStart, IGNORE_ANNOTATION, code);
      return e === undefined ? undefined : { title, edit: e };
    }
    let old: unknown;
    try {
      old = JSON.parse(t.slice(ignore.valueStart, ignore.valueEnd));
    } catch {
      return undefined;
    }
    if (typeof old !== 'string') return undefined;
    const codes = old
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    return { title, edit: this.edit(ignore.valueStart, ignore.valueEnd, JSON.stringify([...codes, code].join(','))) };
  }

  /**
   * Removes the annotation `name` from the object at `objectSpan`: in YAML its line (block
   * style), in JSON its member and one comma.
   */
  removeAnnotation(objectSpan: Span, name: string): TextEdit | undefined {
    const t = this.t;
    if (this.language === 'json') {
      const metadata = member(members(t, firstSignificant(t, objectSpan.start)), 'metadata');
      const annotations = metadata === undefined ? undefined : member(members(t, metadata.valueStart), 'annotations');
      const m = annotations === undefined ? undefined : member(members(t, annotations.valueStart), name);
      return m === undefined ? undefined : this.deleteMember({ start: m.keyStart, end: m.keyEnd }, m.valueEnd);
    }
    const objText = t.slice(objectSpan.start, objectSpan.end);
    const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const line = new RegExp(`^[ \\t]*["']?${escaped}["']?\\s*:.*(\\r?\\n|$)`, 'm').exec(objText);
    return line === null ? undefined : this.edit(objectSpan.start + line.index, objectSpan.start + line.index + line[0].length, '');
  }

  /** Adds a member at the end of the JSON object whose `{` is at `open`, in the object's layout. */
  private insertMember(open: number, key: string, value: EditValue): TextEdit | undefined {
    const t = this.t;
    const list = members(t, open);
    if (list === undefined) return undefined;
    const brace = t.indexOf('{', open);
    const first = list[0];
    const last = list[list.length - 1];
    if (first === undefined || last === undefined) return this.edit(brace + 1, brace + 1, `${JSON.stringify(key)}: ${jsonInline(value)}`);
    if (!t.slice(brace, first.keyStart).includes('\n'))
      return this.edit(last.valueEnd, last.valueEnd, `, ${JSON.stringify(key)}: ${jsonInline(value)}`);
    const pad = t.slice(this.lineStart(first.keyStart), first.keyStart);
    return this.edit(last.valueEnd, last.valueEnd, `,${this.nl}${pad}${JSON.stringify(key)}: ${this.jsonBlock(value, pad)}`);
  }
}

/** The writer for a file of a check's or a host's workspace. */
export function writerFor(files: { text(uri: string): string | undefined }, uri: string): EditWriter {
  return new EditWriter(uri, files.text(uri), (u) => files.text(u) !== undefined);
}
