/**
 * A JSON file (a chart's values.schema.json, a Grafana dashboard, a JSON manifest) read straight into
 * the tree of `tree.ts`, without the `yaml` package's CST and AST: the same documents, spans and
 * values `parseFile` gives, at a fraction of the cost. Only for text that is one valid JSON object or
 * array (`JSON.parse` accepts it) with nothing the YAML reading would treat otherwise: no tab or lone CR,
 * no duplicate key, no `<<` key, no very long key, within the node and depth budgets. Anything else
 * returns undefined and the caller reads the text as YAML. `test/analysis/jsonFast.test.ts` compares
 * the two readings.
 */

import { Scalar } from 'yaml';
import type { Span } from '../types.js';
import type { MaskResult } from './mask.js';
import { overlapsMasked } from './mask.js';
import type { ParsedDocument, ParsedFile } from './parse.js';
import { AVP_PATH_ANNOTATION, avpPlaceholder, docPlaceholder, testExpression } from './scalars.js';
import type { ScalarValue, YMap, YNode, YPair, YScalar, YSeq } from './tree.js';

/** What the caller's full reading applies to each scalar and key. */
export interface JsonReadHooks {
  /** The span overlaps text masked as a template elsewhere (`{{ … }}` in a string): unknown. */
  readonly masked: (span: Span) => boolean;
  /** A string value that stands for another one (a placeholder, a test expression): unknown. */
  readonly placeholder: (value: string) => boolean;
}

/** Nodes beyond which the full reading would cut the tree (its budget is 200,000; depth 256). */
const MAX_NODES = 150_000;
const MAX_DEPTH = 200;
/** Keys per map beyond which the full reading reports an input limit (50,000). */
const MAX_KEYS = 40_000;
/** Keys longer than this fall back (YAML's 1,024-character limit on implicit keys). */
const MAX_KEY_LENGTH = 1000;

class Fallback extends Error {}

/** `parseFile(text)` of a plain (not template) text `mask` masked, when it is JSON the fast path reads. */
export function readJson(text: string, mask: MaskResult): ParsedFile | undefined {
  if (mask.templated || mask.directives.length > 0 || mask.text !== text) return undefined;
  const avp = AVP_PATH_ANNOTATION.test(text);
  const doc = readJsonDocument(text, {
    masked: (span) => overlapsMasked(span, mask.masked),
    placeholder: (value) =>
      docPlaceholder(value, Scalar.QUOTE_DOUBLE) ||
      testExpression(value, Scalar.QUOTE_DOUBLE) ||
      (avp && avpPlaceholder(value, Scalar.QUOTE_DOUBLE)),
  });
  return doc === undefined ? undefined : { documents: [doc], errors: [], tolerated: [], template: false, templated: false, directives: [] };
}

/** The one document of a JSON text, or undefined when it must be read as YAML. */
export function readJsonDocument(text: string, hooks: JsonReadHooks): ParsedDocument | undefined {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  const first = text.charCodeAt(start);
  if (first !== 0x7b /* { */ && first !== 0x5b /* [ */) return undefined;
  if (text.includes('\t') || /\r(?!\n)/.test(text)) return undefined;
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  const reader = new Reader(text, hooks);
  let root: YNode;
  try {
    root = reader.value(start, 0);
  } catch (e) {
    if (e instanceof Fallback) return undefined;
    throw e;
  }
  // The `yaml` package's document ends after the second line break that follows the value (or at the end of the text).
  let end = root.span.end;
  for (let breaks = 0; end < text.length && breaks < 2; end++) if (text.charCodeAt(end) === 0x0a) breaks++;
  if (end < text.length && text.charCodeAt(end - 1) !== 0x0a) end = text.length;
  return {
    index: 0,
    span: { start: text.lastIndexOf('\n', start - 1) + 1, end },
    root,
    errors: [],
    commentBefore: '',
    yaml11: [],
  };
}

class Reader {
  pos = 0;
  nodes = 0;

  constructor(
    private readonly text: string,
    private readonly hooks: JsonReadHooks,
  ) {}

  private skip(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (isSpace(c)) p++;
      else break;
    }
    this.pos = p;
  }

  /** The value at `at` (valid JSON, whitespace skipped); `pos` ends after it. */
  value(at: number, depth: number): YNode {
    if (++this.nodes > MAX_NODES || depth > MAX_DEPTH) throw new Fallback();
    this.pos = at;
    const c = this.text.charCodeAt(at);
    if (c === 0x7b) return this.map(at, depth);
    if (c === 0x5b) return this.seq(at, depth);
    if (c === 0x22) {
      const { span, value } = this.string(at);
      const unknown = this.hooks.masked(span) || this.hooks.placeholder(value);
      return scalar(span, value, unknown, true);
    }
    let end = at;
    const t = this.text;
    for (;;) {
      const d = t.charCodeAt(end);
      if (d === 0x2c || d === 0x7d || d === 0x5d || isSpace(d) || Number.isNaN(d)) break;
      end++;
    }
    this.pos = end;
    const token = t.slice(at, end);
    const span = { start: at, end };
    const v: ScalarValue = token === 'true' ? true : token === 'false' ? false : token === 'null' ? null : Number(token);
    return scalar(span, v, this.hooks.masked(span), false);
  }

  private string(at: number): { span: Span; value: string } {
    const t = this.text;
    let p = at + 1;
    let escaped = false;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        p += 2;
      } else p++;
    }
    const end = p + 1;
    this.pos = end;
    return { span: { start: at, end }, value: escaped ? (JSON.parse(t.slice(at, end)) as string) : t.slice(at + 1, p) };
  }

  /** The elements of the collection opened at `at` and closed by `close`, one `item` call each; its span. */
  private elements(at: number, close: number, item: () => void): Span {
    this.pos = at + 1;
    this.skip();
    if (this.text.charCodeAt(this.pos) !== close) {
      for (;;) {
        item();
        this.skip();
        if (this.text.charCodeAt(this.pos) !== 0x2c) break;
        this.pos++;
        this.skip();
      }
    }
    this.pos++;
    return { start: at, end: this.pos };
  }

  private map(at: number, depth: number): YMap {
    const pairs: YPair[] = [];
    let unknown = false;
    const seen = new Set<string>();
    const span = this.elements(at, 0x7d, () => {
      const { span: keySpan, value: key } = this.string(this.pos);
      if (key === '<<' || key.length > MAX_KEY_LENGTH || seen.has(key) || seen.size >= MAX_KEYS) throw new Fallback();
      seen.add(key);
      this.skip();
      this.pos++; // ':'
      this.skip();
      const value = this.value(this.pos, depth + 1);
      const keyUnknown = this.hooks.masked(keySpan);
      if (keyUnknown) unknown = true;
      pairs.push({ key, keySpan, value, keyUnknown });
    });
    return { kind: 'map', span, pairs, unknown, flow: true };
  }

  private seq(at: number, depth: number): YSeq {
    const items: YNode[] = [];
    const span = this.elements(at, 0x5d, () => items.push(this.value(this.pos, depth + 1)));
    return { kind: 'seq', span, items, unknown: false, flow: true };
  }
}

/** JSON's whitespace but the tab (a CR comes before a line feed: `normalizeBreaks`). */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d;
}

function scalar(span: Span, value: ScalarValue, unknown: boolean, quoted: boolean): YScalar {
  return { kind: 'scalar', span, value, unknown, quoted };
}
