/**
 * `%!s(<nil>)` in a rendered template: Go's fmt writes `%!<verb>(<nil>)` for a nil operand, so
 * `printf "%s/%s" .Values.image.repository .Chart.Name` with `image.repository` unset renders
 * `%!s(<nil>)/chart`, which YAML refuses as a plain value (`%` starts a directive). When a syntax
 * error of the rendered output sits on such text, this names the unset values the action that
 * wrote it reads (stackabletech's operator charts: `image.repository` is given by a registry
 * overlay, not values.yaml).
 */

import type { RenderResult } from '../render/helm/render.js';
import type { Segment } from '../render/helm/template/output.js';
import type { Values } from '../render/helm/values.js';
import type { GoValue } from '../render/helm/template/index.js';
import { valuesPrefix } from './helmNeeded.js';

const NIL_VERB = /%!([a-zA-Z])\(<nil>\)/g;

/** Whether `path` is absent or null in the values (Go's field chain then gives nil). */
function nilAt(values: Values, path: readonly string[]): boolean {
  let cur: GoValue = values;
  for (const k of path) {
    if (!(cur instanceof Map)) return cur === null || cur === undefined;
    cur = cur.get(k);
  }
  return cur === null || cur === undefined;
}

/**
 * The `.Values` paths an action reads directly as operands: outside parentheses (a parenthesized
 * `(.Values.tag | default .Chart.AppVersion)` gives its default) and not piped into `default`,
 * `required` or `coalesce`.
 */
function operandPaths(action: string): string[][] {
  const out: string[][] = [];
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < action.length; i++) {
    const c = action[i];
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && (c === '.' || c === '$')) {
      const m = /^\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/.exec(action.slice(i));
      if (m === null || /[\w$.]/.test(action[i - 1] ?? ' ')) continue;
      i += m[0].length - 1;
      if (/^\s*\|\s*(?:default|required|coalesce)\b/.test(action.slice(i + 1))) continue;
      out.push((m[1] ?? '').slice(1).split('.'));
    }
  }
  return out;
}

/**
 * Words to add to a syntax error at output offset `at` of a template's rendered `text` when its line
 * holds `%!<verb>(<nil>)` written by an action that reads unset values: `the template wrote …`.
 */
function nilValuesNote(
  text: string,
  at: number,
  segments: readonly Segment[],
  sourceText: (template: string) => string | undefined,
  prefixOf: (template: string) => readonly string[],
  values: Values,
): string | undefined {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at);
  for (const m of text.slice(lineStart, lineEnd).matchAll(NIL_VERB)) {
    const o = lineStart + m.index;
    const seg = segments.find((s) => !s.literal && s.outStart <= o && o < s.outEnd);
    const src = seg === undefined ? undefined : sourceText(seg.source);
    if (seg === undefined || src === undefined) continue;
    const prefix = prefixOf(seg.source);
    const unset = new Set<string>();
    for (const p of operandPaths(src.slice(seg.srcStart, seg.srcEnd)))
      if (nilAt(values, [...prefix, ...p])) unset.add(`.Values.${p.join('.')}`);
    if (unset.size === 0) continue;
    const names = [...unset].map((p) => `\`${p}\``);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
    return `the template wrote \`${m[0]}\` here (Go's fmt prints that for a nil value) because ${list} ${names.length === 1 ? 'is' : 'are'} not set in the values`;
  }
  return undefined;
}

/**
 * A syntax error's message for a render: `message`, and the unset values when the error's line holds
 * `%!<verb>(<nil>)` (`nilValuesNote`), reading the templates' texts through `uriOf` and `texts`.
 */
export function nilValuesReader(
  r: RenderResult,
  uriOf: ReadonlyMap<string, string>,
  texts: ReadonlyMap<string, string | undefined>,
): (text: string, at: number, segments: readonly Segment[], message: string) => string {
  const pathOf = new Map(r.files.map((f) => [f.name, f.path]));
  const sourceOf = (name: string): string | undefined => {
    const u = uriOf.get(name);
    return u === undefined ? undefined : texts.get(u);
  };
  const prefixOf = (name: string): string[] => valuesPrefix(name, pathOf.get(name) ?? '');
  return (text, at, segments, message) => {
    const nil = text.includes('(<nil>)') ? nilValuesNote(text, at, segments, sourceOf, prefixOf, r.values) : undefined;
    return nil === undefined ? message : `${message}: ${nil}`;
  };
}
