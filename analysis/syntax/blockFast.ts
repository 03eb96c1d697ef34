/**
 * Plain block YAML (what generators, `kubectl`, `helm template` and most hand-written manifests are)
 * read straight into the tree of `tree.ts`, without the `yaml` package's lexer, CST and AST: the same
 * documents, spans and values `parseFile` gives, at a fraction of the cost (the `yaml` package's
 * composition was a third of a cold pass's CPU on a 10,000-manifest workspace; issue 19).
 *
 * Only for text the recognizer vouches for, a subset of block YAML with one reading: printable ASCII
 * and line feeds (no tab, CR or non-ASCII character), `---` marker lines (comment lines at column 0
 * after one are its document's leading comment), comments after a value, comment lines before a line
 * of their own indentation, block maps whose
 * keys are plain names (`KEY`), block lists (under a key at the key's indentation or deeper), one-line
 * plain scalars, one-line quoted scalars (JSON's escapes only), one-line flow lists of such scalars and
 * the empty `{}`. Anything else — another comment, a `#` in a plain scalar, a duplicate key, an anchor, a tag, a block scalar, a
 * multi-line scalar, a key YAML 1.1 reads otherwise, an empty document, text the `yaml` package would
 * report an error for — returns undefined and the caller reads the text as YAML. The reading equals the
 * `yaml` package's (`parseFile(text, { block: false })`); `test/analysis/blockFast.test.ts` compares the
 * two on every YAML file of the repository's fixtures and examples, the bench's generated workspaces
 * and seeded mutations.
 */

import { Scalar } from 'yaml';
import type { Span } from '../types.js';
import type { MaskResult } from './mask.js';
import { overlapsMasked } from './mask.js';
import type { ParsedDocument, ParsedFile, Yaml11Scalar } from './parse.js';
import { AVP_PATH_ANNOTATION, avpPlaceholder, docPlaceholder, testExpression } from './scalars.js';
import type { ScalarValue, YMap, YNode, YPair, YScalar, YSeq } from './tree.js';
import { yaml11Value } from './yaml11.js';

/** Nodes per document beyond which the full reading's budget (200,000) could cut the tree. */
const MAX_NODES = 150_000;
/** Nesting beyond which the full reading marks values unknown (256). */
const MAX_DEPTH = 200;
/** Keys per map beyond which the full reading reports an input limit (50,000). */
const MAX_KEYS = 40_000;
/** Keys longer than this are read by the `yaml` package (its 1,024-character limit on implicit keys). */
const MAX_KEY_LENGTH = 1000;
/** The full reading records at most this many YAML 1.1 scalars per document. */
const MAX_YAML11 = 1000;

/** Characters outside the recognized subset: anything but printable ASCII and line feeds. */
const OUTSIDE = /[^\n\x20-\x7e]/;
/** A plain key: a name as manifests write them. */
const KEY_START = /[A-Za-z_$]/;
/** Plain keys that are not strings in YAML 1.2 (null, booleans). */
const NOT_STRING_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** JSON's escapes, which YAML's double-quoted scalars read alike. */
const JSON_ESCAPE = /\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})/y;

class Fallback extends Error {}

const LF = 0x0a;
const SPACE = 0x20;

/** The hooks the full reading applies to each scalar. */
interface Hooks {
  readonly masked: readonly Span[];
}

/** A node with the end of its extent as the `yaml` package counts it (after its line's break; a null value at its line's end). */
interface Read {
  readonly node: YNode;
  readonly end: number;
  /** It ends with a null value, at that value's line break (the `yaml` package's document then ends there too). */
  readonly open?: boolean;
}

/** A plain scalar's value in YAML 1.2's core schema, as the `yaml` package resolves it. */
function plainValue(s: string): ScalarValue {
  const c = s.charCodeAt(0);
  // Only these start anything but a string.
  if (!(c <= 0x39 || c === 0x7e || c === 0x6e || c === 0x4e || c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46 || s === '')) return s;
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return s[0] === 't' || s[0] === 'T';
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s))
    return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

/** `parseFile(text)` of a plain (not template) text `mask` masked, when it is block YAML the fast path reads. */
export function readBlock(text: string, mask: MaskResult): ParsedFile | undefined {
  if (mask.templated || mask.directives.length > 0 || mask.text !== text) return undefined;
  if (OUTSIDE.test(text)) return undefined;
  try {
    const documents = new Reader(text, { masked: mask.masked }).documents();
    return documents === undefined
      ? undefined
      : { documents, errors: [], tolerated: [], template: false, templated: false, directives: mask.directives };
  } catch (e) {
    if (e instanceof Fallback) return undefined;
    throw e;
  }
}

/** One line: where it starts, its first non-space character (its end for a blank line) and its end (its line feed or the text's end). */
interface Line {
  readonly start: number;
  readonly content: number;
  readonly end: number;
}

class Reader {
  private nodes = 0;
  private avp = false;
  private yaml11: Yaml11Scalar[] = [];
  /** Where the current document ends (the start of its next marker line, or the end of the text). */
  private limit = 0;

  constructor(
    private readonly text: string,
    private readonly hooks: Hooks,
  ) {}

  private lineAt(at: number): Line {
    const t = this.text;
    let nl = t.indexOf('\n', at);
    if (nl === -1 || nl > this.limit) nl = this.limit;
    let i = at;
    while (i < nl && t.charCodeAt(i) === SPACE) i++;
    return { start: at, content: i, end: nl };
  }

  /** The next line holding more than spaces from the line starting at `at`, before the document's end. */
  private nextContent(at: number): Line | undefined {
    let comment = -1;
    for (let p = at; p < this.limit;) {
      const l = this.lineAt(p);
      if (l.content < l.end) {
        const indent = l.content - l.start;
        // A comment line inside a document: only before a line of its indentation (it is then that node's, and moves no range).
        if (this.text.charCodeAt(l.content) === 0x23) {
          if (comment !== -1 && comment !== indent) throw new Fallback();
          comment = indent;
        } else {
          if (comment !== -1 && comment !== indent) throw new Fallback();
          return l;
        }
      }
      p = l.end + 1;
    }
    if (comment !== -1) throw new Fallback();
    return undefined;
  }

  /** `nextContent` where a comment line is content (the lines after a marker). */
  private nextLine(at: number): Line | undefined {
    for (let p = at; p < this.limit;) {
      const l = this.lineAt(p);
      if (l.content < l.end) return l;
      p = l.end + 1;
    }
    return undefined;
  }

  /** A line `---` (and spaces): a document marker. Other lines starting `---` or `...` are not read here. */
  private marker(at: number): boolean {
    const t = this.text;
    if (t.charCodeAt(at) === 0x2e && t.startsWith('...', at)) throw new Fallback();
    if (t.charCodeAt(at) !== 0x2d || !t.startsWith('---', at)) return false;
    for (let i = at + 3; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === LF) return true;
      if (c !== SPACE) throw new Fallback();
    }
    return true;
  }

  documents(): ParsedDocument[] | undefined {
    const t = this.text;
    // Marker lines: each starts a document.
    const markers: number[] = [];
    for (let p = 0; p < t.length;) {
      if (this.marker(p)) markers.push(p);
      const nl = t.indexOf('\n', p);
      if (nl === -1) break;
      p = nl + 1;
    }
    const out: ParsedDocument[] = [];
    // The text before the first marker is a document when it holds content.
    const starts: Array<{ start: number; body: number }> = [];
    if (markers[0] !== 0) starts.push({ start: -1, body: 0 });
    for (const m of markers) {
      const nl = t.indexOf('\n', m);
      starts.push({ start: m, body: nl === -1 ? t.length : nl + 1 });
    }
    for (let i = 0; i < starts.length; i++) {
      const s = starts[i];
      if (s === undefined) continue;
      this.limit = starts[i + 1]?.start ?? t.length;
      const comments: string[] = [];
      let first = this.nextLine(s.body);
      // Comment lines at column 0 between a marker and the document's content (`# Source:` in `helm template`'s output): its first node's.
      while (s.start !== -1 && first !== undefined && first.content === first.start && t.charCodeAt(first.content) === 0x23) {
        if (t.charCodeAt(first.end - 1) === SPACE || first.end >= this.limit) throw new Fallback();
        comments.push(t.slice(first.content + 1, first.end));
        first = this.lineAt(first.end + 1);
        if (first.content === first.end) throw new Fallback(); // a blank line after a comment
      }
      if (first === undefined) {
        // Only blank lines before the first marker: no document. An empty document after a marker: the `yaml` package's reading.
        if (s.start === -1) continue;
        throw new Fallback();
      }
      const start = s.start === -1 ? first.start : s.start;
      this.nodes = 0;
      this.yaml11 = [];
      this.avp = AVP_PATH_ANNOTATION.test(t.slice(start, this.limit)); // what the document's span leaves out is blank
      const root = this.node(first, -1, 0);
      if (this.nextContent(root.end) !== undefined) throw new Fallback();
      const end = root.open === true ? root.end : this.limit;
      out.push({
        index: out.length,
        span: { start, end },
        root: root.node,
        errors: [],
        commentBefore: comments.join('\n'),
        yaml11: this.yaml11,
      });
    }
    return out.length === 0 ? undefined : out;
  }

  /** The block node whose first line is `line`, inside a collection indented `parent` (−1: the document). */
  private node(line: Line, parent: number, depth: number): Read {
    if (depth > MAX_DEPTH) throw new Fallback();
    const indent = line.content - line.start;
    if (this.item(line.content)) return this.seq(indent, line, depth + 1);
    if (this.keyEnd(line.content) !== -1) return this.map(indent, line, depth + 1);
    // A document that is one scalar or flow collection ends as the `yaml` package counts its trailing blank lines: read by it.
    if (parent === -1) throw new Fallback();
    const read = this.inline(line.content, line.end);
    this.after(read.end, parent);
    return read;
  }

  /** `- ` or a `-` ending its line at `at`: a list item. */
  private item(at: number): boolean {
    const t = this.text;
    if (t.charCodeAt(at) !== 0x2d) return false;
    const c = t.charCodeAt(at + 1);
    return c === SPACE || c === LF || at + 1 >= this.limit;
  }

  /** Where the colon of the plain key at `at` is (`KEY:` followed by a space or the line's end), or −1. */
  private keyEnd(at: number): number {
    const t = this.text;
    if (!KEY_START.test(t[at] ?? '')) return -1;
    let i = at + 1;
    for (;;) {
      const c = t.charCodeAt(i);
      // [A-Za-z0-9_$./-]
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x2d && c <= 0x39) || c === 0x5f || c === 0x24) i++;
      else break;
    }
    if (t.charCodeAt(i) !== 0x3a) return -1;
    const after = t.charCodeAt(i + 1);
    return after === SPACE || after === LF || i + 1 >= this.limit ? i : -1;
  }

  /** After a one-line value ending (with its line) at `end`: the next content line must belong to a collection at or before `parent`'s indentation. */
  private after(end: number, parent: number): void {
    const next = this.nextContent(end);
    if (next !== undefined && next.content - next.start > parent) throw new Fallback();
  }

  private count(): void {
    if (++this.nodes > MAX_NODES) throw new Fallback();
  }

  private map(indent: number, first: Line, depth: number): Read {
    this.count();
    const t = this.text;
    const pairs: YPair[] = [];
    const seen = new Set<string>();
    let line: Line | undefined = first;
    let end = first.content;
    let open = false;
    const start = first.content;
    while (line !== undefined) {
      const at = line.content;
      const lineIndent = at - line.start;
      if (lineIndent < indent) break;
      if (lineIndent > indent) throw new Fallback();
      if (this.item(at)) break; // a list at the map's indentation belongs to a key before
      const colon = this.keyEnd(at);
      if (colon === -1) throw new Fallback();
      const key = t.slice(at, colon);
      if (key.length > MAX_KEY_LENGTH || seen.has(key) || seen.size >= MAX_KEYS || NOT_STRING_KEY.test(key)) throw new Fallback();
      if (key.length <= 64 && yaml11Value(key) !== undefined) throw new Fallback();
      seen.add(key);
      this.count();
      const keySpan: Span = { start: at, end: colon };
      let v = colon + 1;
      while (v < line.end && t.charCodeAt(v) === SPACE) v++;
      let value: Read;
      if (v < line.end) {
        value = this.inline(v, line.end);
        this.after(value.end, indent);
      } else {
        const next = this.nextContent(line.end + 1);
        const nextIndent = next === undefined ? -1 : next.content - next.start;
        if (next !== undefined && (nextIndent > indent || (nextIndent === indent && this.item(next.content))))
          value = this.node(next, indent, depth + 1);
        else value = { node: this.scalar({ start: line.end, end: line.end }, null, Scalar.PLAIN), end: line.end, open: true };
      }
      const keyUnknown = overlapsMasked(keySpan, this.hooks.masked);
      if (keyUnknown) throw new Fallback();
      pairs.push({ key, keySpan, value: value.node, keyUnknown });
      end = value.end;
      open = value.open === true;
      line = this.nextContent(value.end);
    }
    const out: YMap = { kind: 'map', span: { start, end }, pairs, unknown: false, flow: false };
    return open ? { node: out, end, open } : { node: out, end };
  }

  private seq(indent: number, first: Line, depth: number): Read {
    this.count();
    const t = this.text;
    const items: YNode[] = [];
    const start = first.content;
    let end = start;
    let open = false;
    let line: Line | undefined = first;
    while (line !== undefined) {
      const dash = line.content;
      const lineIndent = dash - line.start;
      if (lineIndent < indent) break;
      if (lineIndent > indent) throw new Fallback();
      if (!this.item(dash)) break; // a key after a list at its key's indentation
      let v = dash + 1;
      while (v < line.end && t.charCodeAt(v) === SPACE) v++;
      let item: Read;
      if (v >= line.end) {
        const next = this.nextContent(line.end + 1);
        if (next === undefined || next.content - next.start <= indent) throw new Fallback(); // a null item
        item = this.node(next, indent, depth + 1);
      } else if (this.item(v)) {
        throw new Fallback(); // a list in a list's item
      } else if (this.keyEnd(v) !== -1) {
        item = this.map(v - line.start, { start: line.start, content: v, end: line.end }, depth + 1);
      } else {
        item = this.inline(v, line.end);
        this.after(item.end, indent);
      }
      items.push(item.node);
      end = item.end;
      open = item.open === true;
      line = this.nextContent(item.end);
    }
    const out: YSeq = { kind: 'seq', span: { start, end }, items, unknown: false, flow: false };
    return open ? { node: out, end, open } : { node: out, end };
  }

  /** A one-line value at `at` on a line ending at `eol`: a flow list, `{}`, a quoted or a plain scalar. */
  private inline(at: number, eol: number): Read {
    const t = this.text;
    const c = t.charCodeAt(at);
    let node: YNode;
    let valueEnd: number;
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      const r = this.flow(at, eol);
      node = r;
      valueEnd = r.span.end;
    } else if (c === 0x22 || c === 0x27) {
      const q = this.quoted(at, eol);
      node = q;
      valueEnd = q.span.end;
    } else {
      // A comment after the value (` #`) ends it.
      let e = at;
      while (e < eol && !(t.charCodeAt(e) === 0x23 && t.charCodeAt(e - 1) === SPACE)) e++;
      if (e < eol) e--; // the space before the comment's `#`
      while (e > at && t.charCodeAt(e - 1) === SPACE) e--;
      const s = t.slice(at, e);
      if (!plainStart(s) || s.includes(': ') || s.endsWith(':') || s.includes('#')) throw new Fallback();
      node = this.plain({ start: at, end: e }, s);
      valueEnd = e;
    }
    for (let i = valueEnd; i < eol; i++) {
      const d = t.charCodeAt(i);
      if (d === 0x23 && i > valueEnd && t.charCodeAt(i - 1) === SPACE) break; // a comment after the value
      if (d !== SPACE) throw new Fallback();
    }
    return { node, end: eol < this.limit ? eol + 1 : eol };
  }

  /** A one-line flow list or map of scalars at `at` (`[` or `{`), closed before `eol`. */
  private flow(at: number, eol: number): YSeq | YMap {
    this.count();
    const t = this.text;
    const isMap = t.charCodeAt(at) === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    const items: YNode[] = [];
    const pairs: YPair[] = [];
    const seen = new Set<string>();
    let p = at + 1;
    const skip = (): void => {
      while (p < eol && t.charCodeAt(p) === SPACE) p++;
    };
    skip();
    if (t.charCodeAt(p) !== close) {
      for (;;) {
        if (p >= eol) throw new Fallback();
        if (isMap) {
          const colon = this.flowKeyEnd(p, eol);
          const key = t.slice(p, colon);
          if (seen.has(key) || NOT_STRING_KEY.test(key) || yaml11Value(key) !== undefined) throw new Fallback();
          seen.add(key);
          this.count();
          const keySpan: Span = { start: p, end: colon };
          p = colon + 1;
          skip();
          const value = this.flowScalar(p, eol);
          pairs.push({ key, keySpan, value, keyUnknown: false });
          p = value.span.end;
        } else {
          const item = this.flowScalar(p, eol);
          items.push(item);
          p = item.span.end;
        }
        skip();
        const d = t.charCodeAt(p);
        if (d === close) break;
        if (d !== 0x2c) throw new Fallback();
        p++;
        skip();
        if (t.charCodeAt(p) === close) throw new Fallback(); // a trailing comma
      }
    }
    if (p >= eol) throw new Fallback();
    const span = { start: at, end: p + 1 };
    return isMap ? { kind: 'map', span, pairs, unknown: false, flow: true } : { kind: 'seq', span, items, unknown: false, flow: true };
  }

  /** The colon after a plain key at `at` in a flow map (followed by a space), or a fallback. */
  private flowKeyEnd(at: number, eol: number): number {
    const t = this.text;
    if (!KEY_START.test(t[at] ?? '')) throw new Fallback();
    let i = at + 1;
    for (;;) {
      const c = t.charCodeAt(i);
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x2d && c <= 0x39 && c !== 0x2f) || c === 0x5f || c === 0x24) i++;
      else break;
    }
    if (i >= eol || t.charCodeAt(i) !== 0x3a || t.charCodeAt(i + 1) !== SPACE || i - at > 64) throw new Fallback();
    return i;
  }

  /** A quoted or plain scalar inside a flow collection at `at`; it ends before a `,` or the closing bracket. */
  private flowScalar(at: number, eol: number): YScalar {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === 0x22 || c === 0x27) return this.quoted(at, eol);
    let e = at;
    for (; e < eol; e++) {
      const d = t.charCodeAt(e);
      if (d === 0x2c || d === 0x5d || d === 0x5b || d === 0x7b || d === 0x7d || d === 0x3a) break;
    }
    const d = t.charCodeAt(e);
    if (e >= eol || (d !== 0x2c && d !== 0x5d && d !== 0x7d)) throw new Fallback();
    let ve = e;
    while (ve > at && t.charCodeAt(ve - 1) === SPACE) ve--;
    const s = t.slice(at, ve);
    if (s === '' || !plainStart(s) || s.includes('#')) throw new Fallback();
    return this.plain({ start: at, end: ve }, s);
  }

  /** A quoted scalar at `at` closed on its line (`eol`). */
  private quoted(at: number, eol: number): YScalar {
    const t = this.text;
    const q = t.charCodeAt(at);
    let p = at + 1;
    let escaped = false;
    for (;;) {
      if (p >= eol) throw new Fallback();
      const c = t.charCodeAt(p);
      if (c === q) {
        if (q === 0x27 && t.charCodeAt(p + 1) === 0x27) {
          escaped = true;
          p += 2;
          continue;
        }
        break;
      }
      if (c === 0x5c && q === 0x22) {
        JSON_ESCAPE.lastIndex = p;
        const m = JSON_ESCAPE.exec(t);
        if (m === null) throw new Fallback();
        escaped = true;
        p += m[0].length;
        continue;
      }
      p++;
    }
    const end = p + 1;
    const raw = t.slice(at + 1, p);
    const value = !escaped ? raw : q === 0x27 ? raw.replaceAll("''", "'") : (JSON.parse(t.slice(at, end)) as string);
    return this.scalar({ start: at, end }, value, q === 0x22 ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE);
  }

  private plain(span: Span, text: string): YScalar {
    return this.scalar(span, plainValue(text), Scalar.PLAIN, text);
  }

  /** A scalar as `parse.ts` lowers one (placeholders, masked text, kubectl's YAML 1.1 value). */
  private scalar(span: Span, value: ScalarValue, type: Scalar.Type, text?: string): YScalar {
    this.count();
    const quoted = type !== Scalar.PLAIN;
    const unknown =
      overlapsMasked(span, this.hooks.masked) ||
      docPlaceholder(value, type) ||
      testExpression(value, type) ||
      (this.avp && avpPlaceholder(value, type));
    const k8s = text !== undefined && !unknown && text.length <= 64 ? yaml11Value(text) : undefined;
    if (k8s !== undefined && text !== undefined && this.yaml11.length < MAX_YAML11)
      this.yaml11.push({ span, text, value: k8s, yaml12: value });
    return { kind: 'scalar', span, value: k8s ?? value, unknown, quoted };
  }
}

/** A plain scalar may start so (not with an indicator, nor with `-`, `?` or `:` before a space). */
function plainStart(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c === 0x2d) {
    const d = s.charCodeAt(1);
    return s.length > 1 && d !== SPACE;
  }
  return !'?:,[]{}#&*!|>\'"%@`'.includes(s[0] ?? '');
}
