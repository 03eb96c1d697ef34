/**
 * Input limits (check `input-limit`, docs/rules.md). A file past one of them is not analysed: it
 * gets one finding that says which limit and by how much, and the rest of the workspace is
 * analysed as usual. The limits sit far above real manifests (the deepest CRD schemas nest about
 * 60 levels; large rendered bundles hold a few thousand objects) and far below what would crash or
 * stall the YAML parser or the analysis (a 2 KB file nested 1,000 levels overflows the `yaml`
 * package's recursive composer; 9 aliases of 9 Lists make 387 million objects).
 *
 * `scanLimits` runs before the YAML parser, in one linear pass over the text, and needs no parse:
 * it estimates the nesting depth from indentation and flow brackets and counts documents.
 */

import type { Span } from '../types.js';

export const LIMITS = {
  /** Nesting of block and flow collections in one document. */
  depth: 256,
  /** YAML documents in one file. */
  documents: 10_000,
  /** Kubernetes objects in one file, counting the items of Lists (also when reached through aliases). */
  objectsPerFile: 10_000,
  /** Kubernetes objects in the workspace; files past it are not analysed. */
  objectsPerWorkspace: 250_000,
  /** Pairs of one map. */
  keysPerMap: 50_000,
  /** Alias nodes (`*name`) in one file. */
  aliases: 10_000,
} as const;

export interface LimitHit {
  /** Where the limit was passed (a point of the file). */
  readonly span: Span;
  /** "not analysed: …", with the figure and the limit. */
  readonly message: string;
}

export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A finding's message for a passed limit: what passed it, with the figure and the limit. */
export function limitMessage(what: string): string {
  return `not analysed: ${what}`;
}

// Sticky, read from a line's offset in the whole text and never past its end (`(?=\r?\n|$)`: the
// text's breaks are normalised, so a `\r` only ends a line before its `\n`): no slice per line.
const KEY =
  /(?:"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\r\n]|'')*'|[^\s#'"[\]{},&*!|>%@`-][^#\r\n]*?|-[^\s#][^#\r\n]*?)[ \t]*:(?:[ \t]+|(?=\r?\n|$))/y;
const BLOCK_SCALAR = /[|>][0-9+-]*[ \t]*(?:#.*)?(?=\r?\n|$)/y;
const PROPS = /(?:[&!][^\s]*[ \t]+)+/y;
const INDICATOR = /[-?:](?:[ \t]+|(?=\r?\n|$))/y;

/** The length of `re`'s match at `at` (a sticky pattern), or -1. */
function matchAt(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  return re.test(text) ? re.lastIndex - at : -1;
}

/**
 * One linear pass: the first limit the text passes (nesting depth, documents, aliases), or
 * undefined. Never throws. `text` has its line breaks normalised (no lone `\r`).
 */
export function scanLimits(text: string): LimitHit | undefined {
  const stack: number[] = [];
  let flow = 0;
  let documents = 0;
  let aliases = 0;
  /** While inside a block scalar: the column its lines must pass. */
  let blockParent = -2;
  let pos = 0;
  const n = text.length;
  const deeper = (at: number): LimitHit => ({
    span: { start: at, end: at },
    message: limitMessage(`collections nested deeper than the limit of ${formatCount(LIMITS.depth)} levels`),
  });
  while (pos < n) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = n;
    let indent = 0;
    while (pos + indent < eol && text.charCodeAt(pos + indent) === 32) indent++;
    const contentStart = pos + indent;
    let lineEnd = eol;
    if (lineEnd > contentStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const line = pos;
    pos = eol + 1;
    if (contentStart >= lineEnd) continue;
    if (blockParent >= -1) {
      if (indent > blockParent) continue;
      blockParent = -2;
    }
    const first = text.charCodeAt(contentStart);
    if (first === 35 /* # */ && flow === 0) continue;
    if (
      indent === 0 &&
      (text.startsWith('---', line) || text.startsWith('...', line)) &&
      (lineEnd - line === 3 || /\s/.test(text[line + 3] ?? ''))
    ) {
      if (text.startsWith('---', line)) {
        documents++;
        if (documents > LIMITS.documents)
          return {
            span: { start: line, end: line + 3 },
            message: limitMessage(`more YAML documents than the limit of ${formatCount(LIMITS.documents)} per file`),
          };
      }
      stack.length = 0;
      flow = 0;
      continue;
    }
    if (documents === 0) documents = 1;
    let p = contentStart;
    if (flow === 0) {
      // Block structure: every node that starts on this line at a column opens a level there.
      while (stack.length > 0 && (stack[stack.length - 1] ?? 0) >= indent) stack.pop();
      let empty = false;
      for (;;) {
        const col = p - line;
        while (stack.length > 0 && (stack[stack.length - 1] ?? 0) >= col) stack.pop();
        stack.push(col);
        if (stack.length > LIMITS.depth) return deeper(p);
        const ind = matchAt(INDICATOR, text, p);
        if (ind > 0) {
          p += ind;
          continue;
        }
        const props = matchAt(PROPS, text, p);
        if (props > 0) p += props;
        const key = matchAt(KEY, text, p);
        if (key > 0 && p + key < lineEnd) {
          p += key;
          const valueProps = matchAt(PROPS, text, p);
          if (valueProps > 0) p += valueProps;
        } else if (key > 0) {
          empty = true;
        }
        break;
      }
      if (!empty && matchAt(BLOCK_SCALAR, text, p) >= 0) {
        blockParent = indent;
        continue;
      }
      const c = text.charCodeAt(p);
      if (c !== 91 /* [ */ && c !== 123 /* { */) {
        // A plain or quoted scalar: count its aliases only.
        if (c === 42 /* * */) aliases++;
        if (aliases > LIMITS.aliases)
          return {
            span: { start: p, end: p },
            message: limitMessage(`more aliases than the limit of ${formatCount(LIMITS.aliases)} per file`),
          };
        continue;
      }
    }
    // Flow context: brackets outside quotes, up to the end of the line or of the flow collection.
    const base = stack.length;
    let quote = 0;
    let prevSpace = true;
    for (let i = p; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (quote !== 0) {
        if (quote === 34 && c === 92 /* \ */) i++;
        else if (c === quote) quote = 0;
        prevSpace = false;
        continue;
      }
      if (c === 35 /* # */ && prevSpace) break;
      if (c === 34 || c === 39) quote = c;
      else if (c === 91 || c === 123) {
        flow++;
        if (base + flow > LIMITS.depth) return deeper(i);
      } else if (c === 93 || c === 125) {
        if (flow > 0) flow--;
        if (flow === 0) break;
      } else if (c === 42 && prevSpace) {
        aliases++;
        if (aliases > LIMITS.aliases)
          return {
            span: { start: i, end: i },
            message: limitMessage(`more aliases than the limit of ${formatCount(LIMITS.aliases)} per file`),
          };
      }
      prevSpace = c === 32 || c === 9 || c === 44 /* , */ || c === 91 || c === 123;
    }
  }
  return undefined;
}

/** Lone `\r` line breaks (valid in YAML 1.2, and in LSP) as `\n`: same length, same offsets. */
export function normalizeBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}
