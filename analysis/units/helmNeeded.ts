/**
 * Values a chart needs at install time and its defaults do not give (`helm-value-required`,
 * checks/helmValueRequired.ts). Two shapes, both of which make `helm install` with the chart's
 * defaults fail:
 *
 * - a template stops on `required` or `fail` (Helm prints `execution error at (<template>:L:C):
 *   <message>` and installs nothing): one finding per message, in Helm's words, on the values.yaml
 *   entry the failing call reads when there is one, else on the call (or the template's first line);
 * - the chart renders, but a value it reads is empty or absent in values.yaml and what it writes with
 *   it is refused by the API server (`name: {{ .Release.Name }}-{{ .Values.version }}` gives
 *   `release-name-`; a name helper that writes nothing gives no name). The API findings that vanish
 *   when the chart is rendered again with that value given (a probe value, `value`) while every
 *   object of the template stays, are the chart asking for it: they are replaced by one finding per
 *   chart naming the value, with the API server's messages as related information.
 *
 * With the chart's defaults alone (no values file, no host values) these are information: the chart
 * asks the installer for a value, as `required` says. With values given, a `required`/`fail` stop is
 * an error (`helm install` with them fails) and API findings stay as they are.
 */

import { validateDocument } from '../model/apiValidation.js';
import { readRendered } from '../syntax/schemaSkim.js';
import { pair } from '../syntax/tree.js';
import type { YNode } from '../syntax/tree.js';
import type { RelatedInformation, Span } from '../types.js';
import type { ApiFinding, ApiVariant } from '../model/apiValidation.js';
import { isMap, isScalar, isSeq } from '../syntax/tree.js';
import { valuesTree } from './helmSchema.js';
import { packedFile } from './helmPacked.js';
import { helmTemplateOrder } from '../render/helm/render.js';
import type { EmptyRead, RenderResult } from '../render/helm/render.js';
import type { Values } from '../render/helm/values.js';
import type { GoValue } from '../render/helm/template/index.js';
import { conditionsAround } from '../render/helm/template/index.js';

/** One finding of `helm-value-required`. */
export interface NeededFinding {
  readonly uri: string;
  readonly span: Span;
  readonly message: string;
  readonly severity: 'error' | 'information';
  readonly related: readonly RelatedInformation[];
}

/** What the finder needs of the chart's render and files. */
export interface NeededContext {
  readonly dir: string;
  readonly render: RenderResult;
  /** Template name (`<chart>/templates/x.yaml`) → its file's uri. */
  readonly uriOf: ReadonlyMap<string, string>;
  readonly texts: ReadonlyMap<string, string | undefined>;
  readonly analysed: (uri: string) => boolean;
  /**
   * The values.yaml (analysed) of the chart at `chartPath` (`''`, `charts/sub`) and its tree (parsed
   * when a finding first needs it).
   */
  readonly valuesAt: (chartPath: string) => { readonly uri: string; root(): YNode | undefined } | undefined;
  /** Whether values besides the chart's defaults were given (values files, `--set`). */
  readonly userGiven: boolean;
}

/** The value the probe render gives an empty value (a valid DNS label and label value). */
export const PROBE_VALUE = 'value';

/** How many values the probe render fills at most, and how many are tried one by one to name the cause. */
const MAX_CANDIDATES = 40;
const MAX_SINGLE_PROBES = 16;
/** How many values a finding names when only all of them together mend the objects. */
const MAX_NAMED = 5;

const VALUES_PATH = /\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g;

const rel = (dir: string, uri: string): string => (uri.startsWith(dir + '/') ? uri.slice(dir.length + 1) : uri);

/** The key span of `path` in a values tree (values.yaml's). */
export function valueKeySpan(root: YNode | undefined, path: readonly string[]): Span | undefined {
  let cur = root;
  let span: Span | undefined;
  for (const k of path) {
    const p = pair(cur, k);
    if (p === undefined) return undefined;
    span = p.keySpan;
    cur = p.value;
  }
  return span;
}

/** The first line of a text that is not blank (a whole file's place). */
function firstLine(text: string): Span {
  const m = /^[ \t]*\S.*$/m.exec(text);
  return m === null ? { start: 0, end: 0 } : { start: m.index, end: m.index + m[0].length };
}

/** `.Values` paths a text reads (written out: `.Values.a.b`), in order of first appearance. */
function valuesPaths(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(VALUES_PATH)) out.add((m[1] ?? '').slice(1));
  return [...out];
}

/** A value path as a key (keys may hold dots). */
const pathKey = (path: readonly string[]): string => path.join('\u0000');

/** A value path as a template reads it: `.Values.a.b`, or `index .Values "a" "b.c"`. */
const pathName = (path: readonly string[]): string =>
  path.every((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
    ? `.Values.${path.join('.')}`
    : `index .Values ${path.map((k) => JSON.stringify(k)).join(' ')}`;

/** The subchart names (aliases) a template's `.Values` sits under: `<root>/charts/a/charts/b/templates/x.yaml` → a, b. */
export function valuesPrefix(name: string, path: string): string[] {
  return name
    .slice(0, Math.max(0, name.length - path.length - 1))
    .split('/')
    .slice(1)
    .filter((_, i) => i % 2 === 1);
}

/**
 * Where values.yaml sets `path` (from the root chart's values): the root chart's entry, else the
 * entry of the deepest subchart it is under in that subchart's own values.yaml.
 */
function entryOf(ctx: NeededContext, path: readonly string[]): { uri: string; span: Span } | undefined {
  const charts = new Map<string, { prefix: string[]; chartPath: string }>();
  for (const f of ctx.render.files) {
    const prefix = valuesPrefix(f.name, f.path);
    charts.set(f.chartPath, { prefix, chartPath: f.chartPath });
  }
  const order = [...charts.values()]
    .filter((c) => c.prefix.length < path.length && c.prefix.every((k, i) => path[i] === k))
    .sort((a, b) => a.prefix.length - b.prefix.length);
  if (!order.some((c) => c.chartPath === '')) order.unshift({ prefix: [], chartPath: '' });
  for (const c of order) {
    const v = ctx.valuesAt(c.chartPath);
    const span = v === undefined ? undefined : valueKeySpan(v.root(), path.slice(c.prefix.length));
    if (v !== undefined && span !== undefined) return { uri: v.uri, span };
  }
  return undefined;
}

/**
 * The reads of empty values of a render of the chart with the same values, tracked (`EmptyRead`),
 * made once when a finding first needs them.
 */
export type TrackedReads = () => readonly EmptyRead[];

function trackReads(rerender: Rerender): TrackedReads {
  let reads: EmptyRead[] | undefined;
  return () => {
    if (reads !== undefined) return reads;
    const seen = new Set<string>();
    const out: EmptyRead[] = [];
    rerender(new Map(), (r) => {
      const k = `${r.template}|${r.source}|${r.pos}|${pathKey(r.path)}`;
      if (!seen.has(k)) out.push(r);
      seen.add(k);
    });
    return (reads = out);
  };
}

/** Renders the chart with more user values (and its reads of empty values told to `onEmptyRead`). */
export type Rerender = (values: Values, onEmptyRead?: (read: EmptyRead) => void) => RenderResult;

/** How `path` stands in the values: absent or empty (`~`, `""`, `[]`): a probe can fill it; else undefined. */
function emptyAt(values: Values, path: readonly string[]): 'absent' | 'empty' | 'list' | undefined {
  let cur: GoValue = values;
  for (const k of path) {
    if (!(cur instanceof Map)) return cur === null || cur === undefined ? 'absent' : undefined;
    cur = cur.get(k);
  }
  if (cur === undefined) return 'absent';
  if (cur === null || cur === '') return 'empty';
  if (Array.isArray(cur) && cur.length === 0) return 'list';
  return undefined;
}

function setPath(values: Values, path: readonly string[], v: GoValue): void {
  let cur = values;
  for (const [i, k] of path.entries()) {
    if (i === path.length - 1) {
      cur.set(k, v);
      return;
    }
    let next = cur.get(k);
    if (!(next instanceof Map)) {
      next = new Map<string, GoValue>();
      cur.set(k, next);
    }
    cur = next;
  }
}

/** Helm's words for a stop without their place (`execution error at (<template>:L:C): `): the chart's own message. */
const stopText = (message: string): string => message.replace(/^execution error at \(.*?:\d+:\d+\): /, '');

/** The action (`{{ … }}`) around a call at [start, end) of a template's text: `.Values.x | required "…"` reads `.Values.x` outside the call. */
function actionAround(text: string, start: number, end: number): Span {
  const open = text.lastIndexOf('{{', start);
  const close = text.indexOf('}}', end);
  if (open === -1 || close === -1 || text.lastIndexOf('}}', start) > open) return { start, end };
  return { start: open, end: close + 2 };
}

/** Whether a value reads as false in Go's `if` (absent, nil, false, 0, empty): the one a condition finds wanting. */
function falsyAt(values: Values, path: readonly string[]): boolean {
  let cur: GoValue = values;
  for (const k of path) {
    if (!(cur instanceof Map)) return true;
    cur = cur.get(k);
  }
  if (cur instanceof Map || Array.isArray(cur)) return (cur instanceof Map ? cur.size : cur.length) === 0;
  return cur === undefined || cur === null || cur === false || cur === 0 || cur === '' || cur === 0n;
}

/**
 * The values.yaml entry of a value an action or a condition (`text`, at `span` of template `source`)
 * reads: written out in it (`.Values.a.b`, under the template's subchart `prefix`; those Go reads
 * as false first), else one it read empty in the tracked render (`index`, `$v.b`, `with`, a
 * partial's `.`).
 */
function valueRead(
  ctx: NeededContext,
  text: string,
  prefix: readonly string[],
  tracked: TrackedReads,
  source: string,
  span: Span,
): { uri: string; span: Span } | undefined {
  const paths = valuesPaths(text).map((p) => [...prefix, ...p.split('.')]);
  const ordered = [...paths.filter((p) => falsyAt(ctx.render.values, p)), ...paths.filter((p) => !falsyAt(ctx.render.values, p))];
  for (const p of ordered) {
    const at = entryOf(ctx, p);
    if (at !== undefined) return at;
  }
  for (const r of tracked()) {
    if (r.source !== source || r.pos < span.start || r.pos >= span.end) continue;
    const at = entryOf(ctx, r.path);
    if (at !== undefined) return at;
  }
  return undefined;
}

/**
 * Where a stop in a packed (.tgz) subchart's template is reported (its files are not analysed): the
 * root chart's values.yaml entry of that subchart's values (`<alias>:`, the deepest of the subchart
 * path present), else the first line of the root chart's values.yaml.
 */
function packedPlace(ctx: NeededContext, prefix: readonly string[]): { uri: string; span: Span } | undefined {
  if (prefix.length === 0) return undefined;
  const v = ctx.valuesAt('');
  if (v === undefined) return undefined;
  for (let n = prefix.length; n > 0; n--) {
    const span = valueKeySpan(v.root(), prefix.slice(0, n));
    if (span !== undefined) return { uri: v.uri, span };
  }
  return { uri: v.uri, span: firstLine(ctx.texts.get(v.uri) ?? '') };
}

/**
 * The findings of `required`/`fail` stops: one per message (templates that stop with the chart's
 * same words, at different places, are one finding: the value they ask for is one), Helm's words
 * first.
 */
export function stopFindings(ctx: NeededContext, tracked: TrackedReads): NeededFinding[] {
  const byMessage = new Map<
    string,
    { message: string; uri: string; span: Span; related: RelatedInformation[]; kind: string; valued: boolean }
  >();
  // In Helm's order: Helm stops on the first template that fails and prints its words.
  for (const t of [...ctx.render.templates].sort((a, b) => helmTemplateOrder(a.name, b.name))) {
    const e = t.error;
    if (e === undefined || (e.kind !== 'required' && e.kind !== 'fail')) continue;
    const uri = ctx.uriOf.get(t.name);
    if (uri === undefined) continue;
    const prefix = valuesPrefix(t.name, t.path);
    // The template's own place; a packed (.tgz) subchart's template is not analysed: the parent's
    // values section for that subchart stands for it.
    const place = ctx.analysed(uri) ? { uri, span: firstLine(ctx.texts.get(uri) ?? '') } : packedPlace(ctx, prefix);
    if (place === undefined) continue;
    const packed = ctx.analysed(uri) ? undefined : packedFile(ctx.dir, uri, (u) => ctx.texts.get(u), ctx.analysed);
    const also = {
      ...place,
      message: `${packed === undefined ? rel(ctx.dir, uri) : `${packed.archive.slice(ctx.dir.length + 1)}: ${packed.inner}`} stops here too`,
    };
    const seen = byMessage.get(stopText(e.message));
    if (seen !== undefined && seen.valued) {
      seen.related.push(also);
      continue;
    }
    // Where the failing call is: its own template, or a partial the host may not analyse.
    const srcUri = ctx.uriOf.get(e.source);
    const srcText = srcUri === undefined ? undefined : ctx.texts.get(srcUri);
    const action = srcText === undefined ? { start: e.srcStart, end: e.srcEnd } : actionAround(srcText, e.srcStart, e.srcEnd);
    const call = srcText === undefined ? '' : srcText.slice(action.start, action.end);
    const related: RelatedInformation[] = [];
    // The value the call reads: written out in it (`.Values.a.b`, under the template's subchart),
    // else one the call read empty in a tracked render (`index`, `$v.b`, `with`, a partial's `.`).
    let at = valueRead(ctx, call, prefix, tracked, e.source, action);
    // Else the value the conditions around the call read (`{{ if not .Values.x }}{{ fail "…" }}`),
    // the innermost first.
    if (srcText !== undefined)
      for (const c of conditionsAround(e.source, srcText, e.srcStart)) {
        if (at !== undefined) break;
        at = valueRead(ctx, srcText.slice(c.pos, c.end), prefix, tracked, e.source, { start: c.pos, end: c.end });
      }
    const callAt =
      srcUri !== undefined && srcText !== undefined && ctx.analysed(srcUri)
        ? { uri: srcUri, span: { start: e.srcStart, end: e.srcEnd } }
        : undefined;
    if (callAt !== undefined && at !== undefined) related.push({ ...callAt, message: `the ${e.kind} call` });
    const valued = at !== undefined;
    at ??= callAt ?? place;
    if (seen !== undefined) {
      // The same words where a template reads the value: the finding moves to its entry.
      if (!valued) {
        seen.related.push(also);
        continue;
      }
      related.push({ uri: seen.uri, span: seen.span, message: `the chart stops here too` });
      for (const r of seen.related) related.push(r);
    }
    // Helm's words name the template as Helm does (`shop/charts/queue/templates/x.yaml`); in a packed subchart, where to find it.
    const srcPacked =
      srcUri === undefined || ctx.analysed(srcUri) ? undefined : packedFile(ctx.dir, srcUri, (u) => ctx.texts.get(u), ctx.analysed);
    const words = srcPacked === undefined ? e.message : `${e.message} (${srcPacked.inner} in ${rel(ctx.dir, srcPacked.archive)})`;
    byMessage.set(stopText(e.message), { message: seen?.message ?? words, ...at, related, kind: e.kind, valued });
  }
  return [...byMessage.values()].map(({ message, ...f }) => ({
    uri: f.uri,
    span: f.span,
    related: f.related,
    severity: ctx.userGiven ? 'error' : 'information',
    message: ctx.userGiven
      ? `${message}. \`helm install\` with these values stops here and installs nothing.`
      : `${message}. The chart's defaults do not give a value it requires: \`helm install\` with them stops here and installs nothing; give it in a values file or with --set.`,
  }));
}

/** A template output's API findings by document and field (`<doc>|<code>|<field>`), and its documents' kinds. */
function readOutput(text: string): { keys: string[]; kinds: string } {
  const parsed = readRendered(text);
  const keys: string[] = [];
  const kinds: string[] = [];
  for (const doc of parsed.documents) {
    const kind = pair(doc.root, 'kind')?.value;
    // A document that no longer parses (a string given where a map was written) is no object to compare.
    kinds.push(`${kind !== undefined && kind.kind === 'scalar' ? String(kind.value) : ''}${doc.errors.length > 0 ? '!' : ''}`);
    for (const f of validateDocument(doc, text, false)) keys.push(findingKey(doc.index, f));
  }
  return { keys, kinds: kinds.join(',') };
}

function findingKey(doc: number, f: ApiFinding): string {
  const message = f.variants[0]?.message ?? '';
  return `${doc}|${f.code}|${message.slice(0, Math.max(0, message.indexOf(': ')))}`;
}

/** The API findings of one rendered template, in the order `validateDocument` gave them. */
export interface TemplateFindings {
  readonly name: string;
  readonly uri: string;
  readonly text: string;
  /** The rendered file's own list (findings the chart's defaults explain are taken out of it). */
  readonly findings: ApiFinding[];
}

/**
 * The API findings (by template uri) that the chart's defaults cause by leaving a value empty, and
 * the chart's findings naming those values. `rerender` renders the chart with other user values.
 */
export function emptyValueFindings(
  ctx: NeededContext,
  templates: readonly TemplateFindings[],
  rerender: Rerender,
  tracked: TrackedReads,
): { findings: NeededFinding[]; explained: Map<string, Set<ApiFinding>> } {
  const explained = new Map<string, Set<ApiFinding>>();
  const none = { findings: [], explained };
  if (ctx.userGiven) return none;
  const withErrors = templates
    .filter((t) => t.findings.length > 0)
    .filter((t) => t.findings.some((f) => f.variants.some((v) => v.severity === 'error')));
  if (withErrors.length === 0) return none;
  // Values the templates and partials read that the defaults leave empty: written out in the root
  // chart's, then as the chart's templates read them (tracked: `index`, variables, `with`, subcharts).
  const paths = new Map<string, string[]>();
  for (const [uri, text] of ctx.texts) {
    if (text === undefined || !uri.startsWith(`${ctx.dir}/templates/`)) continue;
    for (const p of valuesPaths(text)) paths.set(pathKey(p.split('.')), p.split('.'));
  }
  for (const r of tracked()) if (!paths.has(pathKey(r.path))) paths.set(pathKey(r.path), [...r.path]);
  const candidates = [...paths.values()]
    .map((p) => ({ path: p, how: emptyAt(ctx.render.values, p) }))
    .filter((c): c is { path: string[]; how: 'absent' | 'empty' | 'list' } => c.how !== undefined)
    .filter((c, _, all) => !all.some((o) => o.path.length > c.path.length && c.path.every((k, i) => o.path[i] === k)))
    .slice(0, MAX_CANDIDATES);
  if (candidates.length === 0) return none;
  const before = new Map<string, { keys: string[]; kinds: string }>();
  for (const t of withErrors) before.set(t.name, readOutput(t.text));
  /**
   * Findings of `withErrors` a render with `fill` given no longer has, on objects it still writes
   * (`gone`), and the templates whose objects changed (their findings cannot be compared).
   */
  const vanishing = (fill: readonly (typeof candidates)[number][]): { gone: Map<string, Set<number>>; changed: Set<string> } => {
    const values: Values = new Map();
    for (const c of fill) setPath(values, c.path, c.how === 'list' ? [PROBE_VALUE] : PROBE_VALUE);
    const probe = rerender(values);
    const gone = new Map<string, Set<number>>();
    const changed = new Set<string>();
    for (const t of withErrors) {
      const was = before.get(t.name);
      const now = probe.templates.find((p) => p.name === t.name);
      if (was === undefined || was.keys.length !== t.findings.length) continue;
      const after = now === undefined || now.error !== undefined ? undefined : readOutput(now.text);
      if (after === undefined || after.kinds !== was.kinds) {
        changed.add(t.name);
        continue;
      }
      const left = new Map<string, number>();
      for (const k of after.keys) left.set(k, (left.get(k) ?? 0) + 1);
      const here = new Set<number>();
      was.keys.forEach((k, i) => {
        const n = left.get(k) ?? 0;
        if (n > 0) left.set(k, n - 1);
        else if (t.findings[i]?.variants.some((v) => v.severity === 'error') === true) here.add(i);
      });
      if (here.size > 0) gone.set(t.name, here);
    }
    return { gone, changed };
  };
  const all = vanishing(candidates);
  if (all.gone.size === 0 && all.changed.size === 0) return none;
  // Which values: each tried alone (those the templates concerned read themselves first, then those
  // their partials read); a value whose absence alone breaks objects is named, and what giving it
  // alone mends is folded in. Where only all of them together mend something, every value is named.
  const involved = withErrors.filter((t) => all.gone.has(t.name) || all.changed.has(t.name));
  const order = new Map<string, number>();
  const add = (p: readonly string[]): void => void (order.has(pathKey(p)) || order.set(pathKey(p), order.size));
  for (const t of involved) for (const p of valuesPaths(ctx.texts.get(t.uri) ?? '')) add(p.split('.'));
  for (const [u, x] of ctx.texts)
    if (x !== undefined && u.startsWith(`${ctx.dir}/templates/`) && /\/_[^/]*$/.test(u)) for (const p of valuesPaths(x)) add(p.split('.'));
  const names = new Set(involved.map((t) => t.name));
  for (const r of tracked()) if (names.has(r.template)) add(r.path);
  const rank = (c: (typeof candidates)[number]): number => order.get(pathKey(c.path)) ?? Infinity;
  const tried = candidates
    .filter((c) => rank(c) !== Infinity)
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, MAX_SINGLE_PROBES);
  let goneBy = new Map<string, Set<number>>();
  const named: Array<(typeof candidates)[number]> = [];
  for (const c of tried) {
    const v = vanishing([c]).gone;
    if (v.size === 0) continue;
    named.push(c);
    for (const [name, set] of v) goneBy.set(name, new Set([...(goneBy.get(name) ?? []), ...set]));
  }
  if (named.length === 0) goneBy = all.gone;
  if (goneBy.size === 0) return none;
  const causes = named.length > 0 ? named : candidates.slice(0, MAX_NAMED);
  const affected = withErrors.filter((t) => goneBy.has(t.name));
  const related: RelatedInformation[] = [];
  let first: { uri: string; span: Span } | undefined;
  for (const t of affected) {
    const gone = goneBy.get(t.name) ?? new Set<number>();
    const set = new Set<ApiFinding>();
    for (const i of gone) {
      const f = t.findings[i];
      if (f === undefined) continue;
      set.add(f);
      first ??= { uri: t.uri, span: f.span };
      related.push({ uri: t.uri, span: f.span, message: f.variants.find((v) => v.severity === 'error')?.message ?? '' });
    }
    explained.set(t.uri, set);
  }
  const causeNames = causes.map((c) => pathName(c.path));
  const where = causes.map((c) => (c.how === 'absent' ? 'not set in values.yaml' : 'empty in values.yaml'));
  const at = causes.map((c) => entryOf(ctx, c.path)).find((e) => e !== undefined) ?? first;
  if (at === undefined) return none;
  const subject =
    causeNames.length === 1
      ? `${causeNames[0] ?? ''} (${where[0] ?? ''})`
      : `${causeNames.slice(0, -1).join(', ')} or ${causeNames[causeNames.length - 1] ?? ''} (${[...new Set(where)].join(' / ')})`;
  const firstMessage = related[0] === undefined ? '' : `${rel(ctx.dir, related[0].uri)}: ${related[0].message}`;
  return {
    explained,
    findings: [
      {
        uri: at.uri,
        span: at.span,
        severity: 'information',
        related,
        message: `The chart's defaults leave ${subject} without a value, and what the templates write with it is invalid: \`helm install\` with the defaults fails (${firstMessage}${
          related.length > 1 ? `, and ${related.length - 1} more` : ''
        }). The chart needs this value at install time; give it in a values file or with --set.`,
      },
    ],
  };
}

/**
 * Both kinds of findings of a chart. The API findings the empty values explain are taken out of
 * `templates`' finding lists (the rendered files' own): the chart's one finding stands for them.
 */
export function neededFindings(ctx: NeededContext, templates: readonly TemplateFindings[], rerender: Rerender): NeededFinding[] {
  const tracked = trackReads(rerender);
  const empty = emptyValueFindings(ctx, templates, rerender, tracked);
  for (const t of templates) {
    const gone = empty.explained.get(t.uri);
    if (gone === undefined) continue;
    const kept = t.findings.filter((f) => !gone.has(f));
    t.findings.splice(0, t.findings.length, ...kept);
  }
  return [...stopFindings(ctx, tracked), ...empty.findings];
}

/**
 * An API finding on a packed (`charts/*.tgz`) subchart's template, whose files the host does not
 * analyse (there is no file to put it on): placed where the user can act, its messages naming the
 * packed template and line.
 */
export interface PackedFinding {
  readonly uri: string;
  readonly span: Span;
  readonly code: string;
  readonly rule: string;
  readonly variants: readonly ApiVariant[];
}

/** The item of the root chart's Chart.yaml `dependencies` that is the subchart `alias` (its `alias`, else its `name`): its `name` value. */
function dependencyEntry(ctx: NeededContext, alias: string): { uri: string; span: Span } | undefined {
  for (const name of ['Chart.yaml', 'Chart.yml']) {
    const uri = `${ctx.dir}/${name}`;
    const text = ctx.texts.get(uri);
    if (text === undefined || !ctx.analysed(uri)) continue;
    const deps = pair(valuesTree(text, true), 'dependencies')?.value;
    if (!isSeq(deps)) return undefined;
    for (const d of deps.items) {
      if (!isMap(d)) continue;
      const n = pair(d, 'name')?.value;
      const a = pair(d, 'alias')?.value;
      const id = isScalar(a) && a.value !== null && a.value !== '' ? String(a.value) : isScalar(n) ? String(n.value) : undefined;
      if (id === alias && n !== undefined) return { uri, span: n.span };
    }
    return undefined;
  }
  return undefined;
}

/**
 * The API findings of packed subcharts' templates (`charts/*.tgz`, unpacked into support files the
 * host does not analyse), each placed where the user can change what it is about: the root chart's
 * values.yaml entry of a value the action that wrote the field reads (`.Values.x` in the subchart is
 * the parent's `<alias>.x`), else the subchart's dependency entry in the root chart's Chart.yaml
 * (its `name:`), else the root values.yaml's section for it (`packedPlace`). The message starts with
 * the archive, the template's path inside it and its line (`charts/db-1.0.0.tgz: db/templates/deployment.yaml:17`). Findings the
 * chart's defaults explain were folded into `helm-value-required` before (`neededFindings`).
 */
export function packedFindings(ctx: NeededContext, templates: readonly TemplateFindings[]): PackedFinding[] {
  const files = new Map(ctx.render.files.map((f) => [f.name, f]));
  const out: PackedFinding[] = [];
  const seen = new Set<string>();
  for (const t of templates) {
    if (t.findings.length === 0 || ctx.analysed(t.uri)) continue;
    const file = files.get(t.name);
    if (file === undefined) continue;
    const prefix = valuesPrefix(t.name, file.path);
    const alias = prefix[0];
    if (alias === undefined) continue;
    const text = ctx.texts.get(t.uri) ?? '';
    // The archive and the path inside it, as the user finds them (`charts/db-1.0.0.tgz: db/templates/x.yaml`).
    const packed = packedFile(ctx.dir, t.uri, (u) => ctx.texts.get(u), ctx.analysed);
    const where = packed === undefined ? `${file.chartPath}/${file.path}` : `${rel(ctx.dir, packed.archive)}: ${packed.inner}`;
    for (const f of t.findings) {
      const action = actionAround(text, f.span.start, f.span.end);
      const at =
        (action.start !== f.span.start || text.startsWith('{{', action.start)
          ? valueRead(ctx, text.slice(action.start, action.end), prefix, () => [], t.name, action)
          : undefined) ??
        dependencyEntry(ctx, alias) ??
        packedPlace(ctx, prefix);
      if (at === undefined) continue;
      const line = text.slice(0, f.span.start).split('\n').length;
      const variants = f.variants.map((v) => ({ ...v, message: `${where}:${line} (packed subchart ${alias}): ${v.message}` }));
      const key = `${at.uri}|${at.span.start}|${f.code}|${variants.map((v) => v.message).join('|')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ uri: at.uri, span: at.span, code: f.code, rule: f.rule, variants });
    }
  }
  return out;
}
