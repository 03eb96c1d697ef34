/**
 * Helm splits a template's output into documents with `(?:^|\s*\n)---\s*` (releaseutil's
 * SplitManifests), so `---` at the start of a line separates documents even when the next document
 * follows on the same line: `---` before a trimmed action (`---` then a trimmed `if` action, then
 * `apiVersion: v1`) renders as `---apiVersion: v1`. A YAML parser reads that line as a key, not as a
 * document marker. `separated` puts a line break after each such `---`, so the rendered text reads as
 * Helm's documents, and shifts the source map's output offsets to match.
 */

import type { Segment } from './template/output.js';

/** `---` at the start of a line, followed on that line by something that is not whitespace. */
const GLUED = /(?:^|\n)---(?=[^\s])/g;

export function separated(text: string, segments: readonly Segment[]): { text: string; segments: readonly Segment[] } {
  const at: number[] = [];
  for (const m of text.matchAll(GLUED)) at.push(m.index + m[0].length);
  if (at.length === 0) return { text, segments };
  let out = '';
  let from = 0;
  for (const p of at) {
    out += text.slice(from, p) + '\n';
    from = p;
  }
  out += text.slice(from);
  /** How many breaks were inserted at or before output offset `o` of the old text. */
  const shift = (o: number): number => {
    let n = 0;
    while (n < at.length && (at[n] as number) <= o) n++;
    return n;
  };
  const moved: Segment[] = [];
  for (const s of segments) {
    let start = s.outStart;
    // A break inside the segment cuts it in two: each piece keeps its part of the source.
    for (const p of at) {
      if (p <= start || p >= s.outEnd) continue;
      moved.push(piece(s, start, p, shift(start)));
      start = p;
    }
    moved.push(piece(s, start, s.outEnd, shift(start)));
  }
  return { text: out, segments: moved };
}

function piece(s: Segment, from: number, to: number, by: number): Segment {
  if (from === s.outStart && to === s.outEnd) return by === 0 ? s : { ...s, outStart: from + by, outEnd: to + by };
  const src = s.literal ? { srcStart: s.srcStart + (from - s.outStart), srcEnd: s.srcStart + (to - s.outStart) } : {};
  return { ...s, ...src, outStart: from + by, outEnd: to + by };
}
