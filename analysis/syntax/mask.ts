/**
 * Masking of template syntax before YAML parsing (design §2, "Unknown values").
 *
 * Helm actions (`{{ … }}`), `${VAR}` and `$(VAR)` placeholders are replaced by same-length runs of
 * `_` so that every offset stays exact. A line that holds nothing but template actions becomes a
 * YAML comment and is recorded as a directive: control flow (`if`, `range`, …) and injections
 * (`include`, `toYaml`, a bare value) make the map or list around them structurally unknown.
 */

import type { Span } from '../types.js';

export type DirectiveKind = 'control' | 'inject' | 'inert';

/** A line that held only template actions. */
export interface Directive {
  readonly offset: number;
  /** Column of the first action on its line. */
  readonly column: number;
  readonly kind: DirectiveKind;
}

export interface MaskResult {
  readonly text: string;
  /** Spans of inline template values; a scalar overlapping one is unknown. */
  readonly masked: readonly Span[];
  readonly directives: readonly Directive[];
  /** True when the text held any template syntax at all. */
  readonly templated: boolean;
}

// `$(NAME)`: Kubernetes' env expansion and Kustomize vars (`$(MY_SVC)`), Tekton/Knative-style
// parameters (`$(params.app-name)`, `$(var-name)`): names with hyphens and dots are placeholders too.
// A default (`${A:-x}`) is bounded: an unclosed one would otherwise rescan the line from every `${`.
const PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^}\n]{0,1024})?\}|\$\([A-Za-z_][A-Za-z0-9_.-]*\)/g;
const CONTROL = /^\{\{-?\s*(if|else|end|range|with|define|block)\b/;
const INERT = /^\{\{-?\s*(\/\*|\$[A-Za-z0-9_]*\s*:?=)/;

function classify(action: string): DirectiveKind {
  if (CONTROL.test(action)) return 'control';
  if (INERT.test(action)) return 'inert';
  return 'inject';
}

function blank(text: string, start: number, end: number, fill: string): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    out += c === 10 || c === 13 ? text[i] : fill;
  }
  return out;
}

/** Replaces template syntax by same-length placeholders; never throws. */
export function maskTemplates(text: string): MaskResult {
  if (!text.includes('{{') && !text.includes('${') && !text.includes('$(')) {
    return { text, masked: [], directives: [], templated: false };
  }
  const spans: Array<{ start: number; end: number; action: string }> = [];
  // `{{ … }}` by index search, not a lazy regex: an unclosed `{{` would make a regex rescan the
  // rest of the text from every later `{{` (80,000 of them took seconds); here each character is
  // looked at once.
  for (let at = text.indexOf('{{'); at !== -1; ) {
    const close = text.indexOf('}}', at + 2);
    if (close === -1) break;
    spans.push({ start: at, end: close + 2, action: text.slice(at, close + 2) });
    at = text.indexOf('{{', close + 2);
  }
  const actions = spans.length;
  let inside = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const start = m.index;
    // Actions are sorted and disjoint: one forward pointer finds the one that could contain `start`.
    while (inside < actions && (spans[inside]?.end ?? 0) <= start) inside++;
    const s = spans[inside];
    if (s !== undefined && inside < actions && start >= s.start) continue;
    spans.push({ start, end: start + m[0].length, action: '' });
  }
  if (spans.length === 0) return { text, masked: [], directives: [], templated: false };
  spans.sort((a, b) => a.start - b.start);

  const masked: Span[] = [];
  const directives: Directive[] = [];
  const parts: string[] = [];
  let cursor = 0;
  let i = 0;
  while (i < spans.length) {
    const first = spans[i];
    if (first === undefined) break;
    const lineStart = text.lastIndexOf('\n', first.start - 1) + 1;
    const lineEndRaw = text.indexOf('\n', first.start);
    const lineEnd = lineEndRaw === -1 ? text.length : lineEndRaw;
    // Collect every action on this line to see whether the line is only actions.
    let j = i;
    let onlyActions = text.slice(lineStart, first.start).trim() === '' && first.action !== '';
    let prevEnd = first.start;
    const lineSpans: typeof spans = [];
    while (j < spans.length) {
      const s = spans[j];
      if (s === undefined || s.start >= lineEnd) break;
      if (text.slice(prevEnd, s.start).trim() !== '' || s.action === '') onlyActions = false;
      prevEnd = Math.max(prevEnd, s.end);
      lineSpans.push(s);
      j++;
    }
    const tail = text.slice(prevEnd, Math.max(prevEnd, lineEnd)).replace(/\r$/, '');
    if (tail.trim() !== '' && !tail.trim().startsWith('#')) onlyActions = false;
    parts.push(text.slice(cursor, first.start));
    if (onlyActions) {
      const end = Math.max(prevEnd, first.end);
      // '#' then blanks: the line becomes a comment of the same length.
      parts.push('#' + blank(text, first.start + 1, end, ' '));
      cursor = end;
      const kinds = lineSpans.map((s) => classify(s.action));
      const kind: DirectiveKind = kinds.includes('inject') ? 'inject' : kinds.includes('control') ? 'control' : 'inert';
      directives.push({ offset: first.start, column: first.start - lineStart, kind });
    } else {
      let c = first.start;
      for (const s of lineSpans) {
        if (s.start < c) continue;
        parts.push(text.slice(c, s.start));
        parts.push(blank(text, s.start, s.end, '_'));
        masked.push({ start: s.start, end: s.end });
        c = s.end;
      }
      cursor = c;
    }
    i = j === i ? i + 1 : j;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), masked, directives, templated: true };
}
