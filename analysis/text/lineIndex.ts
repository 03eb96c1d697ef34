/**
 * Offsets ↔ (line, character), both in UTF-16 code units as LSP counts them. Any of `\n`, `\r\n`
 * and a lone `\r` ends a line, as in LSP.
 */

export interface Position {
  readonly line: number;
  readonly character: number;
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  // At its own size: a list grown by `push` keeps up to half again as many slots, and every file's
  // facts keep theirs (at 10,000 NetworkPolicy-heavy manifests 423,000 slots for 304,000 starts).
  return starts.slice();
}

/**
 * The line starts of a text: a list (`computeLineStarts`), or what an edit made of an earlier text's
 * line starts (`spliceLineStarts`) without copying them. Read them with `lineStartAt`,
 * `positionAt` and `offsetAt`; `lineStartsList` gives the list (for the warm-start cache).
 */
export type LineStarts = readonly number[] | LineSplice;

/**
 * Splices on splices an edit may stack before the next is made a list again: a read walks at most
 * this many, and a list of a 5 MB bundle's lines (~130,000) is copied once per that many edits.
 */
const MAX_SPLICES = 32;

/**
 * Line starts after an edit, sharing those of the text before it (`prev`): lines `[0, kept)` are
 * `prev`'s, then `fresh` (the lines the edit's run starts), then `prev`'s lines from `from` on,
 * moved by `delta`. Immutable, like the list: the facts of the text before keep theirs.
 */
export class LineSplice {
  readonly length: number;
  /** Splices down to a list, this one included. */
  readonly depth: number;

  constructor(
    readonly prev: LineStarts,
    readonly kept: number,
    readonly fresh: readonly number[],
    readonly from: number,
    readonly delta: number,
  ) {
    this.length = kept + fresh.length + (prev.length - from);
    this.depth = (prev instanceof LineSplice ? prev.depth : 0) + 1;
  }

  /** JSON as the list (the facts print and compare as those of a whole parse). */
  toJSON(): readonly number[] {
    return lineStartsList(this);
  }
}

/** The start of line `i`, or undefined past the last line. */
export function lineStartAt(starts: LineStarts, i: number): number | undefined {
  let at: LineStarts = starts;
  let index = i;
  let add = 0;
  while (at instanceof LineSplice) {
    if (index < 0 || index >= at.length) return undefined;
    if (index < at.kept) {
      at = at.prev;
      continue;
    }
    const j = index - at.kept;
    const fresh = at.fresh[j];
    if (fresh !== undefined) return fresh + add;
    index = at.from + j - at.fresh.length;
    add += at.delta;
    at = at.prev;
  }
  const v = at[index];
  return v === undefined ? undefined : v + add;
}

/** The line starts as a list (the same list when they are one). */
export function lineStartsList(starts: LineStarts): readonly number[] {
  if (!(starts instanceof LineSplice)) return starts;
  const out: number[] = [];
  copyLines(starts, 0, starts.length, 0, out);
  return out;
}

/** Appends lines `[lo, hi)` of `starts`, each plus `add`, to `out`: a pass per part, not a walk per line. */
function copyLines(starts: LineStarts, lo: number, hi: number, add: number, out: number[]): void {
  if (!(starts instanceof LineSplice)) {
    for (let i = lo; i < hi; i++) out.push((starts[i] ?? 0) + add);
    return;
  }
  const { prev, kept, fresh, from, delta } = starts;
  if (lo < Math.min(hi, kept)) copyLines(prev, lo, Math.min(hi, kept), add, out);
  const freshEnd = kept + fresh.length;
  for (let i = Math.max(lo, kept); i < Math.min(hi, freshEnd); i++) out.push((fresh[i - kept] ?? 0) + add);
  const after = Math.max(lo, freshEnd);
  if (after < hi) copyLines(prev, from + after - freshEnd, from + hi - freshEnd, add + delta, out);
}

/**
 * `computeLineStarts(text)` after an edit that replaced `[start, endBefore)` of the text whose line
 * starts were `old` by `[start, endAfter)` of `text`, where `start` is a line start (or 0) and the
 * text from `endBefore` (from `endAfter` now) is unchanged: the lines before are kept, those after
 * moved, and only the replaced part is scanned (a 5 MB bundle's edit, docs/dev/design.md §9, T5).
 * The result shares `old` (a `LineSplice`) instead of copying it; every `MAX_SPLICES` edits it is
 * a list again.
 */
export function spliceLineStarts(old: LineStarts, text: string, start: number, endBefore: number, endAfter: number): LineStarts {
  const toEnd = endAfter >= text.length;
  // The first line start after `start`, and the first at or after `endBefore` (binary searches).
  const kept = firstIndex(old, (x) => x > start);
  const fresh: number[] = [];
  const last = toEnd ? text.length : endAfter - 1;
  for (let at = start; at < last; at++) {
    const c = text.charCodeAt(at);
    if (c === 13) {
      if (text.charCodeAt(at + 1) === 10) at++;
      if (at + 1 <= last) fresh.push(at + 1);
    } else if (c === 10) {
      fresh.push(at + 1);
    }
  }
  const from = toEnd
    ? old.length
    : Math.max(
        kept,
        firstIndex(old, (x) => x >= endBefore),
      );
  const delta = endAfter - endBefore;
  if (!(old instanceof LineSplice) || old.depth < MAX_SPLICES) return new LineSplice(old, kept, fresh, from, delta);
  const out: number[] = [];
  copyLines(old, 0, kept, 0, out);
  for (const x of fresh) out.push(x);
  copyLines(old, from, old.length, delta, out);
  return out;
}

/** The first index of the sorted `list` whose element passes `test` (false before it, true from it on), or its length. */
function firstIndex(list: LineStarts, test: (x: number) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (test(lineStartAt(list, mid) ?? 0)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function positionAt(lineStarts: LineStarts, offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStartAt(lineStarts, mid) ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - (lineStartAt(lineStarts, lo) ?? 0) };
}

export function offsetAt(lineStarts: LineStarts, length: number, pos: Position): number {
  const start = lineStartAt(lineStarts, pos.line);
  if (start === undefined) return length;
  const next = lineStartAt(lineStarts, pos.line + 1) ?? length;
  return Math.min(start + Math.max(0, pos.character), next, length);
}
