/**
 * Where an edit lies among the documents of a multi-document file (docs/dev/design.md §9, T5): the
 * smallest run of whole documents, between two document markers, that holds every changed
 * character. The documents before and after it are the same text as before, at the same place or
 * moved by the edit's length difference, so they keep what they lowered to (`model/lower.ts`,
 * `lowerEdit`).
 *
 * A document marker is `---` at the start of a line followed by a space, a tab, a line break or the
 * end of the text: YAML 1.2 forbids that at the start of a line inside any node (block scalars end
 * there; an indented `---` is content), so every such line starts a document. Two things make that
 * untrue, and a file with them is parsed whole: directives (`%YAML`, `%TAG`: they belong to the next
 * document and change how it reads) and the document end marker `...` (text after it starts a
 * document without a marker). A quoted scalar left open runs over a marker in the `yaml` parser, so
 * a run whose parse ends inside an open quote is parsed whole too (`lowerEdit`).
 */

/** The run of documents an edit changed: `[start, endBefore)` of the old text is `[start, endAfter)` of the new one. */
export interface EditRegion {
  readonly start: number;
  readonly endBefore: number;
  readonly endAfter: number;
}

/** Whether a document marker line starts at `at` (the start of a line). */
export function isMarkerLine(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 45 || text.charCodeAt(at + 1) !== 45 || text.charCodeAt(at + 2) !== 45) return false;
  const c = text.charCodeAt(at + 3);
  return Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13;
}

/** Length of the common prefix of two texts. */
export function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let lo = 0;
  // Compare in chunks first (string slices compare fast), then character by character.
  for (let step = 4096; step >= 1; step = step >>> 2) {
    while (lo + step <= n && a.slice(lo, lo + step) === b.slice(lo, lo + step)) lo += step;
  }
  while (lo < n && a.charCodeAt(lo) === b.charCodeAt(lo)) lo++;
  return lo;
}

/** Length of the common suffix of two texts, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let n = 0;
  for (let step = 4096; step >= 1; step = step >>> 2) {
    while (n + step <= max && a.slice(a.length - n - step, a.length - n) === b.slice(b.length - n - step, b.length - n)) n += step;
  }
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/** A line in `text[from, to)` that starts with `...` (document end) or `%` (a directive). */
function hasEndOrDirective(text: string, from: number, to: number): boolean {
  for (let at = from; at < to;) {
    const c = text.charCodeAt(at);
    if (c === 37 /* % */) return true;
    if (c === 46 && text.startsWith('...', at)) {
      const d = text.charCodeAt(at + 3);
      if (Number.isNaN(d) || d === 32 || d === 9 || d === 10 || d === 13) return true;
    }
    const nl = text.indexOf('\n', at);
    if (nl === -1 || nl >= to) break;
    at = nl + 1;
  }
  return false;
}

/**
 * The last text `editRegion` found without a directive line: the next edit's `before` is usually
 * that text, and a 5 MB bundle is not searched again on every keystroke.
 */
let lastWithoutDirectives: string | undefined;

/** Whether `text` has no line starting with `%` after its first (a directive). */
function withoutDirectives(text: string): boolean {
  if (text === lastWithoutDirectives) return true;
  return !text.includes('\n%');
}

/**
 * The run of whole documents that the change from `before` to `after` lies in, or undefined when
 * the texts are equal or the file cannot be split safely (directives, `...`). The run starts at a
 * marker line the edit left whole (or at 0) and ends where the next one starts (or at the end).
 */
export function editRegion(before: string, after: string): EditRegion | undefined {
  if (before === after) return undefined;
  if (after.startsWith('%') || before.startsWith('%') || !withoutDirectives(before)) return undefined;
  const prefix = commonPrefix(before, after);
  const suffix = commonSuffix(before, after, Math.min(before.length, after.length) - prefix);
  // `before` has no `\n%`, so one in `after` overlaps the changed part: only that part is searched.
  if (after.slice(Math.max(0, prefix - 1), after.length - suffix + 1).includes('\n%')) return undefined;
  lastWithoutDirectives = after;
  const changedEnd = before.length - suffix;
  // Back from the first changed character to a marker line whose `---` and the character after it are unchanged.
  let start = 0;
  for (let line = before.lastIndexOf('\n', prefix - 1) + 1; line > 0; line = before.lastIndexOf('\n', line - 2) + 1) {
    if (line + 4 <= prefix && isMarkerLine(before, line)) {
      start = line;
      break;
    }
  }
  // Forward from the last changed character to a marker line after it (its line break is unchanged too).
  let endBefore = before.length;
  for (let nl = before.indexOf('\n', changedEnd); nl !== -1; nl = before.indexOf('\n', nl + 1)) {
    if (isMarkerLine(before, nl + 1)) {
      endBefore = nl + 1;
      break;
    }
  }
  const endAfter = endBefore + after.length - before.length;
  if (hasEndOrDirective(before, start, endBefore) || hasEndOrDirective(after, start, endAfter)) return undefined;
  return { start, endBefore, endAfter };
}

/**
 * The documents around `offset`: from the marker line at or before it (or the start) to the next
 * marker line after it (or the end). Undefined when the file has directives or `...` lines there.
 */
export function documentRun(
  text: string,
  offset: number,
  noDirectives = false,
): { readonly start: number; readonly end: number } | undefined {
  // `noDirectives`: the caller knows the text has none (an edit's run was found in it, `editRegion`).
  if (!noDirectives && (text.startsWith('%') || text.includes('\n%'))) return undefined;
  let start = 0;
  for (let line = text.lastIndexOf('\n', offset - 1) + 1; line > 0; line = text.lastIndexOf('\n', line - 2) + 1) {
    if (isMarkerLine(text, line)) {
      start = line;
      break;
    }
  }
  let end = text.length;
  for (let nl = text.indexOf('\n', offset); nl !== -1; nl = text.indexOf('\n', nl + 1)) {
    if (isMarkerLine(text, nl + 1)) {
      end = nl + 1;
      break;
    }
  }
  return hasEndOrDirective(text, start, end) ? undefined : { start, end };
}
