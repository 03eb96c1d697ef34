/**
 * Just enough of a JSON scanner for edits (`edits/writer.ts`): where a value ends and which
 * members an object has, with offsets into the original text. Tolerant: on text it does not
 * understand it answers `undefined`, and the writer then offers no edit rather than a wrong one.
 */

export interface JsonMember {
  readonly key: string;
  /** The key with its quotes. */
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && /[\s\uFEFF]/.test(text[i] ?? '')) i++;
  return i;
}

/** The end of the string starting at `i` (a `"`), after its closing quote. */
function stringEnd(text: string, i: number): number | undefined {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '"') return j + 1;
  }
  return undefined;
}

/** The end of the JSON value starting at `i` (after whitespace), or undefined. */
export function valueEnd(text: string, from: number): number | undefined {
  const i = skipWs(text, from);
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') {
        const e = stringEnd(text, j);
        if (e === undefined) return undefined;
        j = e - 1;
      } else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return undefined;
  }
  const m = /^[-+0-9.eEa-zA-Z]+/.exec(text.slice(i, i + 64));
  return m === null ? undefined : i + m[0].length;
}

/** The members of the object whose `{` is at `open` (after whitespace), or undefined. */
export function members(text: string, open: number): JsonMember[] | undefined {
  let i = skipWs(text, open);
  if (text[i] !== '{') return undefined;
  const out: JsonMember[] = [];
  i = skipWs(text, i + 1);
  if (text[i] === '}') return out;
  for (;;) {
    if (text[i] !== '"') return undefined;
    const keyEnd = stringEnd(text, i);
    if (keyEnd === undefined) return undefined;
    let key: unknown;
    try {
      key = JSON.parse(text.slice(i, keyEnd));
    } catch {
      return undefined;
    }
    const colon = skipWs(text, keyEnd);
    if (text[colon] !== ':' || typeof key !== 'string') return undefined;
    const valueStart = skipWs(text, colon + 1);
    const end = valueEnd(text, valueStart);
    if (end === undefined) return undefined;
    out.push({ key, keyStart: i, keyEnd, valueStart, valueEnd: end });
    i = skipWs(text, end);
    if (text[i] === '}') return out;
    if (text[i] !== ',') return undefined;
    i = skipWs(text, i + 1);
  }
}

/** The items of the array whose `[` is at `open`, as [start, end) pairs, or undefined. */
export function items(text: string, open: number): Array<{ readonly start: number; readonly end: number }> | undefined {
  let i = skipWs(text, open);
  if (text[i] !== '[') return undefined;
  const out: Array<{ start: number; end: number }> = [];
  i = skipWs(text, i + 1);
  if (text[i] === ']') return out;
  for (;;) {
    const end = valueEnd(text, i);
    if (end === undefined) return undefined;
    out.push({ start: i, end });
    i = skipWs(text, end);
    if (text[i] === ']') return out;
    if (text[i] !== ',') return undefined;
    i = skipWs(text, i + 1);
  }
}

/** The first member named `key`. */
export function member(list: readonly JsonMember[] | undefined, key: string): JsonMember | undefined {
  return list?.find((m) => m.key === key);
}

/** The offset of the first character from `from` that is neither whitespace nor a BOM. */
export function firstSignificant(text: string, from = 0): number {
  return skipWs(text, from);
}
