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
import type { Span } from '../types.js';

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

/** The reading of templates and values that names what a `%!<verb>(<nil>)` came from. */
interface NilContext {
  readonly sourceText: (template: string) => string | undefined;
  readonly prefixOf: (template: string) => readonly string[];
  readonly values: Values;
}

/**
 * The unset values the action that wrote output offset `o` reads as operands (`.Values.a.b`, as
 * the template names them), or undefined when literal template text wrote it.
 */
function unsetAt(o: number, segments: readonly Segment[], ctx: NilContext): string[] | undefined {
  const seg = segments.find((s) => !s.literal && s.outStart <= o && o < s.outEnd);
  const src = seg === undefined ? undefined : ctx.sourceText(seg.source);
  if (seg === undefined || src === undefined) return undefined;
  const prefix = ctx.prefixOf(seg.source);
  const unset = new Set<string>();
  for (const p of operandPaths(src.slice(seg.srcStart, seg.srcEnd)))
    if (nilAt(ctx.values, [...prefix, ...p])) unset.add(`.Values.${p.join('.')}`);
  return [...unset];
}

function because(verb: string, unset: readonly string[]): string {
  const names = unset.map((p) => `\`${p}\``);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
  return `the template wrote \`${verb}\` here (Go's fmt prints that for a nil value) because ${list} ${names.length === 1 ? 'is' : 'are'} not set in the values`;
}

/**
 * Words to add to a syntax error at output offset `at` of a template's rendered `text` when its line
 * holds `%!<verb>(<nil>)` written by an action that reads unset values: `the template wrote …`.
 */
function nilValuesNote(text: string, at: number, segments: readonly Segment[], ctx: NilContext): string | undefined {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at);
  for (const m of text.slice(lineStart, lineEnd).matchAll(NIL_VERB)) {
    const unset = unsetAt(lineStart + m.index, segments, ctx);
    if (unset !== undefined && unset.length > 0) return because(m[0], unset);
  }
  return undefined;
}

/** A `%!<verb>(<nil>)` an action wrote into a value YAML reads (quoted, or inside a plain or block scalar): output span and message. */
export interface NilWrite {
  readonly span: Span;
  readonly message: string;
}

/**
 * The `%!<verb>(<nil>)` that actions wrote into the rendered `text` on lines with no syntax error
 * (`errorAt`): YAML reads them as text (`name: "{{ printf "%s" .Values.x }}"` renders
 * `name: "%!s(<nil>)"`), so Kubernetes would receive them in the value. One per line, naming the
 * unset values the action reads, as the syntax error of an unquoted one does.
 */
function nilWrites(
  text: string,
  segments: readonly Segment[],
  ctx: NilContext,
  errorAt: (start: number, end: number) => boolean,
): NilWrite[] {
  const out: NilWrite[] = [];
  let lastLine = -1;
  for (const m of text.matchAll(NIL_VERB)) {
    const lineStart = text.lastIndexOf('\n', m.index - 1) + 1;
    if (lineStart === lastLine) continue;
    const nl = text.indexOf('\n', m.index);
    if (errorAt(lineStart, nl === -1 ? text.length : nl)) continue;
    const unset = unsetAt(m.index, segments, ctx);
    if (unset === undefined) continue;
    lastLine = lineStart;
    const why =
      unset.length > 0
        ? because(m[0], unset)
        : `the template wrote \`${m[0]}\` here (Go's fmt prints that for a nil value): an operand of this action is nil with these values`;
    out.push({
      span: { start: m.index, end: m.index + m[0].length },
      message: `${why[0]?.toUpperCase() ?? ''}${why.slice(1)}. The YAML reads it as text, so the object is applied with \`${m[0]}\` in this value.`,
    });
  }
  return out;
}

/** Added to a `%!s(<nil>)` note when only the chart's defaults were given: the chart may leave the value to the installer. */
const DEFAULTS_ONLY = "With the chart's defaults alone (no values file or --set): give it at install time.";

/** A `%!<verb>(<nil>)` note of a rendered template, in the template's coordinates. */
export interface NilNote extends NilWrite {
  /** A warning; information with the chart's defaults alone (no values file or `--set`: `userGiven` false). */
  readonly severity: 'warning' | 'information';
}

/**
 * What the `%!<verb>(<nil>)` in a render's output say, reading the templates' texts through `uriOf`
 * and `texts`: `message` is a syntax error's message with the unset values added when the error's
 * line holds one (`nilValuesNote`); `writes` lists those on lines with no syntax error (`nilWrites`),
 * mapped to the template by `span`; `dropNamed` takes out those a `helm-value-required` finding (its
 * place or a folded API finding's) already sits on, so the value is named once.
 */
export function nilValuesReader(
  r: RenderResult,
  uriOf: ReadonlyMap<string, string>,
  texts: ReadonlyMap<string, string | undefined>,
  userGiven: boolean,
): {
  message(text: string, at: number, segments: readonly Segment[], message: string): string;
  writes(
    uri: string,
    text: string,
    segments: readonly Segment[],
    errors: ReadonlyArray<{ readonly span: Span }>,
    span: (output: Span) => Span,
  ): NilNote[];
  dropNamed(
    needed: ReadonlyArray<{ readonly uri: string; readonly span: Span; readonly related: ReadonlyArray<{ uri: string; span: Span }> }>,
  ): void;
} {
  const pathOf = new Map(r.files.map((f) => [f.name, f.path]));
  const ctx: NilContext = {
    sourceText: (name) => {
      const u = uriOf.get(name);
      return u === undefined ? undefined : texts.get(u);
    },
    prefixOf: (name) => valuesPrefix(name, pathOf.get(name) ?? ''),
    values: r.values,
  };
  const written = new Map<string, NilNote[]>();
  return {
    message: (text, at, segments, message) => {
      const nil = text.includes('(<nil>)') ? nilValuesNote(text, at, segments, ctx) : undefined;
      return nil === undefined ? message : `${message}: ${nil}`;
    },
    writes: (uri, text, segments, errors, span) => {
      if (!text.includes('(<nil>)')) return [];
      const errorAt = (start: number, end: number): boolean => errors.some((e) => e.span.start >= start && e.span.start <= end);
      const out = nilWrites(text, segments, ctx, errorAt).map((w): NilNote => ({
        span: span(w.span),
        message: userGiven ? w.message : `${w.message} ${DEFAULTS_ONLY}`,
        severity: userGiven ? 'warning' : 'information',
      }));
      if (out.length > 0) written.set(uri, out);
      return out;
    },
    dropNamed: (needed) => {
      for (const n of needed)
        for (const at of [{ uri: n.uri, span: n.span }, ...n.related]) {
          const list = written.get(at.uri);
          if (list === undefined) continue;
          const kept = list.filter((w) => w.span.end <= at.span.start || w.span.start >= at.span.end);
          list.splice(0, list.length, ...kept);
        }
    },
  };
}
