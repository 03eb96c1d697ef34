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
  return starts;
}

/**
 * `computeLineStarts(text)` after an edit that replaced `[start, endBefore)` of the text whose line
 * starts were `old` by `[start, endAfter)` of `text`, where `start` is a line start (or 0) and the
 * text from `endBefore` (from `endAfter` now) is unchanged: the lines before are kept, those after
 * moved, and only the replaced part is scanned (a 5 MB bundle's edit, docs/dev/design.md §9, T5).
 */
export function spliceLineStarts(old: readonly number[], text: string, start: number, endBefore: number, endAfter: number): number[] {
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
  // An edit that keeps the number of lines (most keystrokes) writes into one copy of the same length.
  if (fresh.length === from - kept) {
    const out = old.slice();
    for (let k = 0; k < fresh.length; k++) out[kept + k] = fresh[k] ?? 0;
    for (let i = from; i < old.length; i++) out[i] = (old[i] ?? 0) + delta;
    return out;
  }
  const out = old.slice(0, kept);
  for (const x of fresh) out.push(x);
  if (toEnd) return out;
  for (let i = from; i < old.length; i++) out.push((old[i] ?? 0) + delta);
  return out;
}

/** The first index of the sorted `list` whose element passes `test` (false before it, true from it on), or its length. */
function firstIndex(list: readonly number[], test: (x: number) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (test(list[mid] ?? 0)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function positionAt(lineStarts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - (lineStarts[lo] ?? 0) };
}

export function offsetAt(lineStarts: readonly number[], length: number, pos: Position): number {
  const start = lineStarts[pos.line];
  if (start === undefined) return length;
  const next = lineStarts[pos.line + 1] ?? length;
  return Math.min(start + Math.max(0, pos.character), next, length);
}
