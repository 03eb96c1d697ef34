/**
 * A cheap reading of CustomResourceDefinitions: the `openAPIV3Schema` of a CRD is most of its text
 * (a chart's `crds/`: 5 MB of the 9.6 MB of YAML in a 50-chart workspace) and nothing the analysis
 * keeps reads it (a CRD's facts are its metadata, group and kind; its API findings are metadata
 * rules). The facts of a file need from such a schema only what it would add to them: syntax errors,
 * YAML 1.1 scalars, and the limits its nodes count towards.
 *
 * `readManifest` therefore skims each schema's lines with a recognizer of the block YAML that CRD
 * generators write (maps, lists, plain one- or multi-line scalars, one-line quoted scalars, `|`/`>`
 * block scalars, `[]`, `{}`, one-line flow lists of plain words or quoted scalars such as
 * `["get", "list"]`), which accepts only text the `yaml` package reads without an error, a
 * duplicate key or a YAML 1.1 scalar; anything else (a comment, a tab, an anchor, a tag, other flow
 * collections, a `yes`, a key twice, a placeholder) stops the skim and the file is read in full. In
 * a helm-unittest suite's tests, comments are read too: whole lines, and after a one-line value or a
 * key (`port: 8000 # the web port`).
 * The schemas it accepted are blanked (each one comment line of its length: every offset outside stays) and the rest
 * is read by `parseManifest`; the reading is kept only when it has no error and every blanked
 * value is an `openAPIV3Schema` key's of a CustomResourceDefinition (`apiextensions.k8s.io`).
 * The facts lowered from it equal the full reading's (test/analysis/schemaSkim.test.ts compares
 * them on every CRD of the fixtures and on mutated schemas). The kustomize builder never gets the
 * skimmed reading (it outputs whole objects): it is not offered to syntax/parseMemo.ts.
 */

import type { Span } from '../types.js';
import { LIMITS, scanLimits } from './limits.js';
import { maskTemplates } from './mask.js';
import { parseManifest, parseRendered } from './parse.js';
import { ESCAPE, flowListEnd, maybeYaml11 } from './skimFlow.js';
import type { ParsedFile } from './parse.js';
import { get, isMap, isScalar, isSeq, str } from './tree.js';
import type { YNode } from './tree.js';

/** When a schema is worth skimming: files shorter than `minLength` and schemas of fewer lines are read in full (little to save). */
export interface SkimLimits {
  readonly minLength: number;
  readonly minLines: number;
}

export const SKIM_LIMITS: SkimLimits = { minLength: 8_000, minLines: 40 };

/** Readings `readManifest` made with skimmed schemas (for tests). */
export const skimStats = { files: 0, schemas: 0 };
/** The `yaml` package's limit on an implicit key's length (1024), with room. */
const MAX_KEY = 1_000;
/** Lowering's per-document node budget (parse.ts NODE_BUDGET) and nesting (MAX_DEPTH), with room. */
const NODE_ROOM = 150_000;
const DEPTH_ROOM = 200;

const SCHEMA_KEY = /( *)(?:- +)?openAPIV3Schema:[ ]*$/my;
/** Characters no skimmed text may hold: tabs, controls, BOM, line and paragraph separators, non-characters. */
const UNUSUAL =
  // eslint-disable-next-line no-control-regex
  /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** ytt annotations make a file a ytt template (syntax/yttTemplate.ts). */
const YTT = '#@';
/** Placeholders that make a file templated (syntax/mask.ts). */
const PLACEHOLDER = /\$\{|\$\(/;
/** Characters a plain scalar or a key may not start with (besides `-`, `?`, `:` before a space). */
const INDICATOR = new Set([...',[]{}#&*!|>\'"%@`']);
const KEY_CHAR = /^(?:[A-Za-z_$]|\.[A-Za-z_])[A-Za-z0-9_$./-]*$/;
/** Plain keys that are not strings in YAML 1.2 (null, booleans, `.inf`, `.nan`) or name the merge key. */
const NOT_STRING_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|\.(?:inf|Inf|INF|nan|NaN|NAN))$/;

interface Frame {
  readonly seq: boolean;
  readonly indent: number;
  readonly keys: Set<string>;
}

/** Where a line's content starts and ends. */
interface Line {
  readonly start: number;
  readonly end: number;
  readonly indent: number;
  /** First non-space offset (`end` for a blank line). */
  readonly content: number;
}

class Skim {
  nodes = 0;
  private pos: number;
  constructor(
    private readonly text: string,
    from: number,
    /** Whole-line comments are read (skipped) between nodes; else one stops the skim. */
    private readonly comments = false,
  ) {
    this.pos = from;
  }

  private line(at: number): Line | undefined {
    if (at >= this.text.length) return undefined;
    const nl = this.text.indexOf('\n', at);
    const end = nl === -1 ? this.text.length : nl;
    let i = at;
    while (i < end && this.text.charCodeAt(i) === 32) i++;
    return { start: at, end, indent: i - at, content: i };
  }

  /** The next non-blank line from `at` (with `skipComments`, not a comment line), or undefined at the end of the text. */
  private nextContent(at: number, skipComments = false): Line | undefined {
    for (let l = this.line(at); l !== undefined; l = this.line(l.end + 1))
      if (l.content < l.end && !(skipComments && this.text.charCodeAt(l.content) === 35)) return l;
    return undefined;
  }

  /**
   * Recognizes the block value below a key at `keyIndent` that starts at `this.pos`; returns where
   * it ends (the start of the first line at `keyIndent` or less, or the end of the text), or
   * undefined when the text is not one the recognizer vouches for.
   */
  value(keyIndent: number): number | undefined {
    const stack: Frame[] = [];
    let pending = keyIndent;
    for (;;) {
      const l = this.nextContent(this.pos, this.comments);
      if (l === undefined || l.indent <= keyIndent) return l === undefined ? this.text.length : l.start;
      const t = this.text;
      const c = t.charCodeAt(l.content);
      if (c === 35 /* # */) return undefined;
      const dash = c === 45 && (l.content + 1 === l.end || t.charCodeAt(l.content + 1) === 32);
      if (pending >= 0) {
        // The key's value: a list (at its column or deeper), a map (deeper), else null.
        if ((dash && l.indent >= pending) || (!dash && l.indent > pending)) {
          stack.push({ seq: dash, indent: l.indent, keys: new Set() });
          this.nodes++;
        }
        pending = -1;
      }
      while ((stack[stack.length - 1]?.indent ?? -1) > l.indent) stack.pop();
      let top = stack[stack.length - 1];
      if (top !== undefined && top.seq && top.indent === l.indent && !dash) {
        stack.pop();
        top = stack[stack.length - 1];
      }
      if (top === undefined || top.indent !== l.indent || top.seq !== dash || stack.length > DEPTH_ROOM) return undefined;
      let at = l.content;
      let frame = top;
      if (dash) {
        at++;
        while (at < l.end && t.charCodeAt(at) === 32) at++;
        if (at === l.end) return undefined;
        const k = this.key(at, l.end);
        if (k === 'bail') return undefined;
        if (k === undefined) {
          // A scalar item.
          const next = this.scalar(at, l, l.indent);
          if (next === undefined) return undefined;
          this.pos = next;
          continue;
        }
        frame = { seq: false, indent: at - l.start, keys: new Set() };
        stack.push(frame);
        this.nodes++;
      }
      const k = this.key(at, l.end);
      if (k === undefined || k === 'bail' || frame.keys.has(k.key) || frame.keys.size >= LIMITS.keysPerMap) return undefined;
      frame.keys.add(k.key);
      at = k.after;
      while (at < l.end && t.charCodeAt(at) === 32) at++;
      // `key: # a comment` (a suite's tests): the value follows on the next lines, as after `key:`.
      if (at === l.end || (this.comments && at > k.after && t.charCodeAt(at) === 35)) {
        pending = frame.indent;
        this.pos = l.end + 1;
        continue;
      }
      const next = this.scalar(at, l, frame.indent);
      if (next === undefined) return undefined;
      this.pos = next;
    }
  }

  /**
   * A map key at `at` (plain or quoted, then `:` and a space or the line's end): the key and the
   * offset after its colon; undefined when the text there is not a key (a scalar item), 'bail'
   * when it may be one the recognizer does not vouch for.
   */
  private key(at: number, end: number): { key: string; after: number } | undefined | 'bail' {
    const t = this.text;
    const q = t.charCodeAt(at);
    if (q === 34 || q === 39) {
      let close = -1;
      for (let i = at + 1; i < end; i++) {
        const c = t.charCodeAt(i);
        if (c === 92 /* \\ */) return 'bail';
        if (c === q) {
          close = i;
          break;
        }
      }
      if (close === -1 || (q === 39 && t.charCodeAt(close + 1) === 39)) return 'bail';
      if (t.charCodeAt(close + 1) !== 58) return undefined;
      return close + 2 === end || t.charCodeAt(close + 2) === 32 ? { key: t.slice(at + 1, close), after: close + 2 } : 'bail';
    }
    let colon = -1;
    for (let i = at; i < end; i++) {
      if (t.charCodeAt(i) === 58 && (i + 1 === end || t.charCodeAt(i + 1) === 32)) {
        colon = i;
        break;
      }
    }
    if (colon === -1) return undefined;
    const key = t.slice(at, colon);
    if (!KEY_CHAR.test(key) || key.length > MAX_KEY || NOT_STRING_KEY.test(key) || maybeYaml11(key)) return 'bail';
    return { key, after: colon + 1 };
  }

  /**
   * A scalar value at `at` on line `l` of a collection at column `owner` (its continuation lines and
   * block scalar lines are indented more): where the text after it starts, or undefined.
   */
  private scalar(at: number, l: Line, owner: number): number | undefined {
    const t = this.text;
    const c = t[at] ?? '';
    this.nodes++;
    if (c === '|' || c === '>') {
      const rest = t.slice(at + 1, l.end);
      if (rest !== '' && rest !== '-') return undefined;
      return this.block(l.end + 1, owner);
    }
    if (c === '"' || c === "'") {
      // One line, or several (folded), each indented past the owner; no escaped line break.
      let i = at + 1;
      let line = l;
      for (;;) {
        if (i >= line.end) {
          const n = this.line(line.end + 1);
          if (n === undefined || (n.content < n.end && n.indent <= owner)) return undefined;
          line = n;
          i = n.content;
          continue;
        }
        const ch = t[i];
        if (ch === c) {
          if (c === "'" && t[i + 1] === "'") {
            i += 2;
            continue;
          }
          break;
        }
        if (ch === '\\' && c === '"') {
          ESCAPE.lastIndex = i;
          const m = ESCAPE.exec(t);
          if (m === null) return undefined;
          i += m[0].length;
          continue;
        }
        i++;
      }
      return this.restBlank(i + 1, line) ? this.after(line, owner) : undefined;
    }
    if (c === '{') return t[at + 1] === '}' && this.restBlank(at + 2, l) ? this.after(l, owner) : undefined;
    if (c === '[') {
      const list = flowListEnd(t, at + 1, l.end);
      if (list === undefined) return undefined;
      this.nodes += list.items;
      return this.restBlank(list.end, l) ? this.after(l, owner) : undefined;
    }
    // A comment after a plain scalar (`a # b`) ends it, and its line: no continuation lines then.
    let valueEnd = l.end;
    if (this.comments)
      for (let i = at + 1; i < l.end; i++)
        if (t.charCodeAt(i) === 35 /* # */ && t.charCodeAt(i - 1) === 32) {
          valueEnd = i - 1;
          break;
        }
    const commented = valueEnd < l.end;
    if (!this.plainLine(at, valueEnd, true)) return undefined;
    let last = valueEnd;
    while (t.charCodeAt(last - 1) === 32) last--;
    if (last - at <= 64 && maybeYaml11(t.slice(at, last))) return undefined;
    if (commented) return this.after(l, owner);
    // Continuation lines: every non-blank line indented past the owner until one that is not.
    let next = l.end + 1;
    for (;;) {
      const n = this.nextContent(next);
      // A comment line ends a plain scalar (`value` reads what follows it).
      if (n === undefined || n.indent <= owner || (this.comments && this.text.charCodeAt(n.content) === 35)) return next;
      if (!this.plainLine(n.content, n.end, false)) return undefined;
      next = n.end + 1;
    }
  }

  /**
   * A plain scalar's line, its first or a continuation: no `: `, ` #` or final `:`; the first starts
   * with no indicator (`-`, `?`, `:` only before a non-space), a continuation not with `#`, `:`, or `-`/`?` and a space.
   */
  private plainLine(at: number, end: number, first: boolean): boolean {
    const t = this.text;
    const c = t[at] ?? '';
    const spaced = at + 1 >= end || t.charCodeAt(at + 1) === 32;
    if (
      first
        ? INDICATOR.has(c) || ((c === '-' || c === '?' || c === ':') && spaced)
        : c === '#' || c === ':' || ((c === '-' || c === '?') && spaced)
    )
      return false;
    let last = end;
    while (last > at && t.charCodeAt(last - 1) === 32) last--;
    for (let i = at; i < last; i++) {
      const ch = t.charCodeAt(i);
      if (ch === 58 /* : */ && (i + 1 === last || t.charCodeAt(i + 1) === 32)) return false;
      if (ch === 35 /* # */ && t.charCodeAt(i - 1) === 32) return false;
    }
    return true;
  }

  /**
   * Only spaces from `at` to the line's end; where comments are read, a comment after at least one
   * space may end the line.
   */
  private restBlank(at: number, l: Line): boolean {
    for (let i = at; i < l.end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 35 /* # */ && this.comments && i > at && this.text.charCodeAt(i - 1) === 32) return true;
      if (c !== 32) return false;
    }
    return true;
  }

  /** After a one-line value: the next line, which must not be indented past the owner. */
  private after(l: Line, owner: number): number | undefined {
    const n = this.nextContent(l.end + 1, this.comments);
    return n !== undefined && n.indent > owner ? undefined : l.end + 1;
  }

  /** A block scalar's lines from `at`, below a collection at column `owner`: where the text after it starts. */
  private block(at: number, owner: number): number | undefined {
    let indent = -1;
    let leading = 0;
    let pos = at;
    for (let l = this.line(pos); l !== undefined; l = this.line(pos)) {
      if (l.content === l.end) {
        if (indent < 0) leading = Math.max(leading, l.indent);
        pos = l.end + 1;
        continue;
      }
      if (l.indent <= owner) return l.start;
      if (indent < 0) {
        indent = l.indent;
        if (leading > indent) return undefined;
      } else if (l.indent < indent) return undefined;
      pos = l.end + 1;
    }
    return this.text.length;
  }
}

/** A blanked schema: the key's offset and the blanked value's span. */
interface Skimmed {
  readonly key: number;
  readonly value: Span;
}

/**
 * The text with every `openAPIV3Schema` value the recognizer vouches for blanked, and those values;
 * undefined when none was.
 */
export function skimSchemas(text: string, limits: SkimLimits = SKIM_LIMITS): Skim2 | undefined {
  if (text.length < limits.minLength || !text.includes('openAPIV3Schema:') || !text.includes('CustomResourceDefinition')) return undefined;
  return skimValues(text, SCHEMA_KEY, 'openAPIV3Schema', limits.minLines, false);
}

/** A helm-unittest suite's `tests:` key, at the root of a document. */
const SUITE_KEY = /tests:[ ]*$/my;

/**
 * A helm-unittest suite (a chart's `tests/*_test.yaml`: `suite:`, `templates:`, `tests:` at the
 * root; github.com/helm-unittest/helm-unittest) with its `tests:` values blanked when the recognizer
 * vouches for them: no Kubernetes object is read from a suite, and its tests are most of its text.
 */
export function skimSuites(text: string, limits: SkimLimits = SKIM_LIMITS): Skim2 | undefined {
  if (text.length < limits.minLength / 8 || !text.includes('\ntests:') || !/^(?:suite|templates):/m.test(text)) return undefined;
  return skimValues(text, SUITE_KEY, 'tests', Math.min(limits.minLines, 8), true);
}

interface Skim2 {
  readonly text: string;
  readonly skimmed: readonly Skimmed[];
  readonly placeholders: boolean;
}

/** Line terminators of a multiline pattern's `^` and `$`. */
const TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * The matches of `sticky` (a multiline, sticky pattern read from a line's start) on the lines where
 * `name:` occurs after spaces and dashes only, in text order: what a global `^…` pattern would find,
 * without trying it at every line of a large CRD.
 */
function* keyLines(text: string, name: string, sticky: RegExp): Generator<RegExpExecArray & { index: number }> {
  let last = -1;
  for (let at = text.indexOf(name + ':'); at >= 0; at = text.indexOf(name + ':', at + 1)) {
    let from = at;
    while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '-')) from--;
    if ((from > 0 && !TERMINATOR.test(text[from - 1] ?? '')) || from <= last) continue;
    sticky.lastIndex = from;
    const m = sticky.exec(text);
    if (m === null) continue;
    last = from;
    yield m;
  }
}

/** Blanks the values of the keys `pattern` finds (`name`, on a line of its own) that the recognizer vouches for. */
function skimValues(text: string, pattern: RegExp, name: string, minLines: number, last: boolean): Skim2 | undefined {
  const skimmed: Skimmed[] = [];
  let nodes = 0;
  let cursor = 0;
  let placeholders = false;
  for (const m of keyLines(text, name, pattern)) {
    if (m.index < cursor) continue;
    const lineEnd = m.index + m[0].length;
    const keyAt = text.indexOf(name, m.index);
    const keyIndent = keyAt - m.index;
    if (lineEnd >= text.length || keyIndent * 2 + DEPTH_ROOM > 250) continue;
    const skim = new Skim(text, lineEnd + 1, last);
    const end = skim.value(keyIndent);
    if (end === undefined) return undefined;
    // The document goes on after a schema (a key, not a comment or a document marker): no span ends with the schema.
    // A suite's tests may end the text or a document (`last`): the comment that blanks them ends it then.
    const after = text.slice(end, end + 4);
    if (!last && (end >= text.length || /^(?: *#|---|\.\.\.)/.test(after))) return undefined;
    const value = { start: lineEnd + 1, end: last ? contentEnd(text, lineEnd + 1, end) : end };
    if (value.end < 0) return undefined;
    const body = text.slice(value.start, value.end);
    if (UNUSUAL.test(body) || body.includes(YTT)) return undefined;
    if (PLACEHOLDER.test(body)) placeholders = true;
    cursor = end;
    if (body.trim() === '' || body.split('\n', minLines).length < minLines) continue;
    nodes += skim.nodes;
    skimmed.push({ key: keyAt, value });
  }
  if (skimmed.length === 0) return undefined;
  // Every document's nodes stay within lowering's budget: the skimmed ones and at most one per other character.
  const outside = text.length - skimmed.reduce((n, s) => n + s.value.end - s.value.start, 0);
  if (nodes + outside > NODE_ROOM) return undefined;
  // Each value becomes one comment line of its length (the `yaml` package reads one line at once, and no key of it).
  let out = '';
  let at = 0;
  for (const s of skimmed) {
    const length = s.value.end - s.value.start;
    // The value that ends a document leaves one node where it ended (` x`), so the document's span ends there too.
    const tail = !last ? '\n' : text[s.value.end - 1] === '\n' ? '\n x\n' : '\n x';
    out += text.slice(at, s.value.start) + '#' + ' '.repeat(length - 1 - tail.length) + tail;
    at = s.value.end;
  }
  return { text: out + text.slice(at), skimmed, placeholders };
}

/**
 * The end of a value's last line that is not blank (a value at a document's end: blank lines after
 * it are not the document's), or -1 when that line is a comment (a block scalar's text, or a
 * comment the document may keep: read in full).
 */
function contentEnd(text: string, start: number, end: number): number {
  let e = end;
  for (;;) {
    const from = text.lastIndexOf('\n', e - 2) + 1;
    if (from < start) return -1;
    const line = text.slice(from, e);
    if (line.trim() !== '') return line.trimStart().startsWith('#') || e - start < 8 ? -1 : e;
    e = from;
  }
}

/** The node of `root` whose span holds `offset`, descending to the pair whose key starts there. */
function schemaPairAt(root: YNode | undefined, offset: number): boolean {
  let node = root;
  for (let guard = 0; guard < 300 && node !== undefined; guard++) {
    if (isMap(node)) {
      const hit = node.pairs.find((p) => p.keySpan.start === offset);
      if (hit !== undefined) {
        // The blanked value: none, or an empty null scalar.
        const v = hit.value;
        const empty = v === undefined || (isScalar(v) && v.value === null && !v.quoted && v.span.start === v.span.end);
        return hit.key === 'openAPIV3Schema' && empty && !hit.keyUnknown;
      }
      node = node.pairs.find((p) => p.value !== undefined && p.value.span.start <= offset && offset < p.value.span.end)?.value;
    } else if (isSeq(node)) {
      node = node.items.find((it) => it.span.start <= offset && offset < it.span.end);
    } else return false;
  }
  return false;
}

/**
 * `parseManifest(text, options)` as the host lowers it into facts: a CRD's schemas and a
 * helm-unittest suite's tests skimmed when the recognizer vouches for them (their trees are not
 * built), else the full reading.
 */
export function readManifest(
  text: string,
  options: { readonly helm?: boolean; readonly offer?: boolean } = {},
  limits: SkimLimits = SKIM_LIMITS,
): ParsedFile {
  return options.helm === true
    ? parseManifest(text, options)
    : (skimmed(text, limits, (t) => parseManifest(t, { ...options, offer: false }), true) ?? parseManifest(text, options));
}

/** `parseRendered(text)` (a template's rendered output) with a CRD's schemas skimmed when the recognizer vouches for them. */
export function readRendered(text: string, limits: SkimLimits = SKIM_LIMITS): ParsedFile {
  return skimmed(text, limits, parseRendered) ?? parseRendered(text);
}

/**
 * The reading `parse` gives of the text with its schemas (or, with `suites`, a helm-unittest suite's
 * tests) skimmed, or undefined when it may differ from the full reading.
 */
function skimmed(text: string, limits: SkimLimits, parse: (text: string) => ParsedFile, suites = false): ParsedFile | undefined {
  if (scanLimits(text) !== undefined) return undefined;
  const schemas = skimSchemas(text, limits);
  const skim = schemas ?? (suites ? skimSuites(text, limits) : undefined);
  if (skim === undefined) return undefined;
  const parsed = parse(skim.text);
  const ok =
    parsed.errors.length === 0 &&
    parsed.limit === undefined &&
    parsed.guessedTemplate === undefined &&
    skim.skimmed.every((s) => {
      const doc = parsed.documents.find(
        (d) => d.span.start <= s.key && (schemas === undefined ? s.key < d.span.end : s.value.end < d.span.end),
      );
      const root = doc?.root;
      if (doc === undefined || doc.errors.length > 0) return false;
      // A suite is no Kubernetes object: its root names no kind or apiVersion, and its tests sit at the root.
      if (schemas === undefined)
        return (
          isMap(root) &&
          !root.pairs.some((p) => p.key === 'kind' || p.key === 'apiVersion') &&
          root.pairs.some(
            (p) => p.key === 'tests' && p.keySpan.start === s.key && isScalar(p.value) && p.value.value === 'x' && !p.value.quoted,
          )
        );
      return (
        str(get(root, 'kind')) === 'CustomResourceDefinition' &&
        (str(get(root, 'apiVersion')) ?? '').startsWith('apiextensions.k8s.io/') &&
        schemaPairAt(root, s.key)
      );
    });
  if (!ok) return undefined;
  skimStats.files++;
  skimStats.schemas += skim.skimmed.length;
  // Placeholders inside a schema (`$(VAR_NAME)` in a PodSpec's descriptions) make the whole file templated (syntax/mask.ts).
  return skim.placeholders && !parsed.templated ? { ...parsed, templated: maskTemplates(text).templated } : parsed;
}
