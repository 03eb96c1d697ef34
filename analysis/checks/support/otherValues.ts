/**
 * What a rendered Helm chart makes under other values: the templates of the chart in their masked
 * reading (every branch kept, `{{ }}` unknown). An absence claim about a chart's object ("selects no
 * pods", "no such Service") holds for the values rendered, but a template the render left out (a
 * DaemonSet written only with an API key) may make the target under other values. The chart is
 * written for every configuration, so such a claim is information naming that template, never a
 * warning (as `netpol-named-port-unknown` does for a port a template defines under other values).
 *
 * "May make" is judged from the template's own text, not from a guess: a label or name matches
 * when the masked reading has the same literal value, or when both are written by the same template
 * text (`app: {{ template "x.fullname" . }}` on both sides gives one value under any values), or
 * when the pod labels splice the same `include` the selector was written by (`nindent` aside).
 * Objects the render did write are not "other values": their rendered labels are the evidence.
 */

import type { KObject, LabelEntry, Selector, Value } from '../../model/types.js';
import type { RenderedFile } from '../../units/helm.js';
import type { Span } from '../../types.js';
import type { CheckContext } from './check.js';

/** The template files of the chart `rf` belongs to (its release: root chart and subcharts), sorted. */
function chartTemplates(ctx: CheckContext, rf: RenderedFile): readonly string[] {
  const layout = ctx.index.helmLayout();
  let byChart = templatesByLayout.get(layout.rendered);
  if (byChart === undefined) {
    byChart = new Map();
    for (const [uri, f] of layout.rendered) {
      const list = byChart.get(f.chart) ?? [];
      list.push(uri);
      byChart.set(f.chart, list);
    }
    for (const list of byChart.values()) list.sort();
    templatesByLayout.set(layout.rendered, byChart);
  }
  return byChart.get(rf.chart) ?? [];
}

const templatesByLayout = new WeakMap<object, Map<string, string[]>>();

/** A template's text between `span`, with trim markers, `indent`/`nindent` and spacing taken out. */
function source(text: string | undefined, span: Span): string | undefined {
  if (text === undefined || span.end <= span.start || span.end > text.length) return undefined;
  return normalized(text.slice(span.start, span.end));
}

function normalized(s: string): string {
  return s
    .replace(/\{\{-\s*/g, '{{')
    .replace(/\s*-\}\}/g, '}}')
    .replace(/\s*\|\s*n?indent\s+\d+\s*(?=\}\})/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\{\{ /g, '{{')
    .replace(/ \}\}/g, '}}')
    .trim();
}

/**
 * The actions (normalized) written in and around a label map at `span`: the lines holding it, and
 * the lines of actions alone right before and after it (`{{- include "x.labels" . | nindent 8 }}`
 * splices entries there, and the masked map starts after it).
 */
function actionsAround(text: string | undefined, span: Span): readonly string[] {
  if (text === undefined || span.start > text.length) return [];
  const actionLine = (from: number, to: number): boolean => /^\s*\{\{[^\n]*\}\}\s*$/.test(text.slice(from, to));
  let start = text.lastIndexOf('\n', span.start - 1) + 1;
  while (start > 0) {
    const prev = text.lastIndexOf('\n', start - 2) + 1;
    if (!actionLine(prev, start - 1)) break;
    start = prev;
  }
  let end = text.indexOf('\n', Math.max(span.end - 1, span.start));
  while (end !== -1) {
    const next = text.indexOf('\n', end + 1);
    const stop = next === -1 ? text.length : next;
    if (!actionLine(end + 1, stop)) break;
    end = next;
  }
  const part = text.slice(start, end === -1 ? text.length : end);
  return [...part.matchAll(/\{\{[\s\S]*?\}\}/g)].map((m) => normalized(m[0]));
}

/** The value the rendered object wrote under `key`, as known and as written in its template. */
interface Wanted {
  readonly key: string;
  readonly value: string;
  /**
   * The template text that wrote it (normalized); an action alone (`{{ … }}`) may also be spliced
   * into a map. Compared only within one chart folder: `.Chart.Name` or `.Values.x` written in a
   * subchart's template is another value.
   */
  readonly written: string | undefined;
}

function wanted(key: string, text: string | undefined, v: Value<string>): Wanted | undefined {
  return v.known ? { key, value: v.value, written: source(text, v.span) } : undefined;
}

function sameValue(w: Wanted, v: Value<string>, text: string | undefined): boolean {
  if (v.known) return v.value === w.value;
  const s = source(text, v.span);
  return s !== undefined && s === w.written && s.includes('{{');
}

/** Whether masked pod labels may carry `w` under other values. */
function mayCarry(
  entries: readonly LabelEntry[],
  unknownMap: boolean,
  mapSpan: Span | undefined,
  w: Wanted,
  text: string | undefined,
): boolean {
  const own = entries.filter((e) => e.key === w.key);
  if (own.length > 0) return own.some((e) => sameValue(w, e.value, text));
  // A key the map does not write may come from an action spliced into it: the same one the selector was written by.
  if (!unknownMap || mapSpan === undefined || w.written === undefined || !isAction(w.written)) return false;
  return actionsAround(text, mapSpan).includes(w.written);
}

function isAction(written: string): boolean {
  return written.startsWith('{{') && written.endsWith('}}') && written.indexOf('}}') === written.length - 2;
}

const escaped = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A cheap test on a template's text before its masked reading (a parse of its own, deferred until
 * read) is asked for: every wanted value is written there as `key: value`, as `key:` and the same
 * template text, or (a spliced map) as the same action.
 */
function writesAll(text: string, wants: readonly Wanted[]): boolean {
  let flat: string | undefined;
  return wants.every((w) => {
    const key = `${escaped(w.key)}["']?\\s*:\\s*`;
    if (new RegExp(`${key}["']?${escaped(w.value)}["']?\\s*(?:$|[,}#])`, 'm').test(text)) return true;
    if (w.written === undefined || !w.written.includes('{{')) return false;
    flat ??= normalized(text);
    return new RegExp(`${key}["']?${escaped(w.written)}`).test(flat) || (isAction(w.written) && flat.includes(w.written));
  });
}

/** A masked object `m` of template `uri` that the render wrote (a rendered object of its kind starts inside it). */
function wasRendered(rf: RenderedFile, m: KObject): boolean {
  return rf.objects.some((o) => o.kind === m.kind && o.group === m.group && o.span.start >= m.span.start && o.span.start < m.span.end);
}

/** The chart folder of a template (`…/templates/x.yaml` → `…`). */
function chartFolder(uri: string): string {
  const i = uri.lastIndexOf('/templates/');
  return i < 0 ? uri : uri.slice(0, i);
}

/**
 * The first masked object of the chart's templates that the render did not write, `pick` selects
 * and `test` accepts with the wanted values (their template text dropped in another chart folder).
 */
function unrendered(
  ctx: CheckContext,
  obj: KObject,
  wants: readonly Wanted[],
  pick: (m: KObject) => boolean,
  test: (m: KObject, text: string | undefined, wants: readonly Wanted[]) => boolean,
): KObject | undefined {
  const own = ctx.index.renderedTemplate(obj.uri);
  if (own === undefined) return undefined;
  const folder = chartFolder(obj.uri);
  const literal = wants.map((w) => ({ ...w, written: undefined }));
  for (const uri of chartTemplates(ctx, own)) {
    const rf = ctx.index.renderedTemplate(uri);
    if (rf === undefined) continue;
    // Records the dependency on the template (`file:` key): an edit in a branch not rendered changes the answer.
    ctx.index.objectsOfFile(uri);
    const text = ctx.text(uri);
    const here = chartFolder(uri) === folder ? wants : literal;
    if (text === undefined || !writesAll(text, here)) continue;
    const found = (ctx.index.files.get(uri)?.objects ?? []).find((m) => pick(m) && !wasRendered(rf, m) && test(m, text, here));
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A template of `obj`'s chart that makes, under other values, pods `sel` selects (see above); its
 * object, or undefined. Only label selectors (matchExpressions make no claim here).
 */
export function podsUnderOtherValues(ctx: CheckContext, obj: KObject, sel: Selector): KObject | undefined {
  if (sel.unknown || sel.matchExpressions.length > 0) return undefined;
  const entries = sel.matchLabels?.entries ?? [];
  if (entries.length === 0 || sel.matchLabels?.unknown === true) return undefined;
  if (ctx.index.renderedTemplate(obj.uri) === undefined) return undefined;
  const selText = ctx.text(obj.uri);
  const wants: Wanted[] = [];
  for (const e of entries) {
    const w = wanted(e.key, selText, e.value);
    if (w === undefined) return undefined;
    wants.push(w);
  }
  return unrendered(
    ctx,
    obj,
    wants,
    (m) => m.pod !== undefined,
    (m, text, here) => {
      const labels = m.pod?.labels;
      return labels !== undefined && here.every((w) => mayCarry(labels.entries, labels.unknown, labels.span, w, text));
    },
  );
}

/**
 * A template of `obj`'s chart that writes, under other values, an object of `kind` named as
 * `name` (a reference `obj` makes); that object, or undefined.
 */
export function namedUnderOtherValues(ctx: CheckContext, obj: KObject, kind: string, name: Value<string>): KObject | undefined {
  if (ctx.index.renderedTemplate(obj.uri) === undefined) return undefined;
  const w = wanted('name', ctx.text(obj.uri), name);
  if (w === undefined) return undefined;
  return unrendered(
    ctx,
    obj,
    [w],
    (m) => m.kind === kind && m.group === '',
    (m, text, here) => m.name !== undefined && here.every((x) => sameValue(x, m.name ?? name, text)),
  );
}
