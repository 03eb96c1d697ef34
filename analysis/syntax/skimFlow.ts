/**
 * Pieces of the skim's recognizer (syntax/schemaSkim.ts) that read single scalars and one-line flow
 * lists: what the `yaml` package reads without an error, and what kubectl's YAML 1.1 may read
 * otherwise.
 */

import { yaml11Value } from './yaml11.js';

/** Double-quoted escapes the `yaml` package reads. */
export const ESCAPE = /\\(?:[0abtnvfre "/\\N_LP\t]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})/y;

/** A plain scalar kubectl's YAML 1.1 may read otherwise (yaml11.ts `yaml11Value`): they all start so. */
const YAML11_FIRST = /^[-+0-9yYnNoO]/;

export function maybeYaml11(text: string): boolean {
  return YAML11_FIRST.test(text) && yaml11Value(text) !== undefined;
}

/** A plain word in a one-line flow list (`[get, list]`, `[--port=80]`): no indicator (but a `-` before more of it), space, colon or comma. */
const FLOW_WORD = /(?:[A-Za-z0-9_./$]|-(?=[A-Za-z0-9_./$=+-]))[A-Za-z0-9_./$=+-]*/y;

/**
 * The items of a one-line flow list of `text` after its `[` at `at` (plain words that YAML 1.1
 * reads as YAML 1.2 does, one-line quoted scalars, none at all), up to its `]` before `end`: the
 * offset after the `]` and the number of items, or undefined.
 */
export function flowListEnd(text: string, at: number, end: number): { readonly end: number; readonly items: number } | undefined {
  let i = at;
  let items = 0;
  const spaces = (): void => {
    while (i < end && text.charCodeAt(i) === 32) i++;
  };
  spaces();
  if (text.charCodeAt(i) === 93 /* ] */) return { end: i + 1, items };
  for (;;) {
    const q = text.charCodeAt(i);
    if (q === 34 || q === 39) {
      const close = quotedEnd(text, i, end);
      if (close === undefined) return undefined;
      i = close;
    } else {
      FLOW_WORD.lastIndex = i;
      const m = FLOW_WORD.exec(text);
      if (m === null || i + m[0].length > end) return undefined;
      if (m[0].length <= 64 && maybeYaml11(m[0])) return undefined;
      i += m[0].length;
    }
    items++;
    spaces();
    const c = text.charCodeAt(i);
    if (c === 93 /* ] */) return { end: i + 1, items };
    if (c !== 44 /* , */) return undefined;
    i++;
    spaces();
    // No empty item and no comma before the `]` (`[a,]`, `[a,,b]`).
    if (i >= end || text.charCodeAt(i) === 93 || text.charCodeAt(i) === 44) return undefined;
  }
}

/** The offset after a quoted scalar of `text` that opens at `at` and closes before `end` (escapes the `yaml` package reads), or undefined. */
function quotedEnd(text: string, at: number, end: number): number | undefined {
  const q = text[at];
  for (let i = at + 1; i < end;) {
    const ch = text[i];
    if (ch === q) {
      if (q === "'" && text[i + 1] === "'") {
        i += 2;
        continue;
      }
      return i + 1;
    }
    if (ch === '\\' && q === '"') {
      ESCAPE.lastIndex = i;
      const m = ESCAPE.exec(text);
      if (m === null) return undefined;
      i += m[0].length;
      continue;
    }
    i++;
  }
  return undefined;
}
