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
