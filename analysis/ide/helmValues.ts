/**
 * Helm templates in the editor (pure): hover, go to definition and completion on `.Values.a.b`
 * (also `$.Values…`, and relative fields inside `{{ with .Values.a }}`, where the dot is known),
 * and on the name of `include "x"` / `template "x"` (→ its `define`). The host hands in the chart's
 * texts (`HelmChartSources`: values.yaml, the values files of `kubeReach.helm.valueFiles`, the
 * templates of the chart tree); nothing here reads files.
 *
 * Values files are read as Helm reads them: keys of maps, later files over earlier ones
 * (helm.sh/docs/chart_template_guide/values_files/). The comment shown for a key is the block of
 * `#` lines right above it (and a comment after it on its line), as chart authors document values
 * (`# -- text` of helm-docs and `## @param key text` of readme-generator are shown as their text).
 */

import { isMap, isPair, isScalar } from 'yaml';
import { dedent, entriesIn, entryIn, entryLabel, MAX_VALUE_LINES, PARSED_KEPT } from './helmValuesFile.js';
import type { ValueEntry } from './helmValuesFile.js';
import { parentPath } from './helmLayers.js';
import type { ParentValues, SubchartValues } from './helmLayers.js';
import { parseTemplate } from '../render/helm/template/parse.js';
import type { ParseResult } from '../render/helm/template/parse.js';
import type { Node as TemplateNode } from '../render/helm/template/ast.js';
import type { CompletionResult, HoverResult, Location, Span } from '../types.js';

/** One file the host hands in: its URI, its text, and how hover names it (`values.yaml`, `deploy/prod.yaml`). */
export interface HelmSource {
  readonly uri: string;
  readonly text: string;
  readonly label: string;
}

export interface HelmChartSources {
  /** The chart's own values.yaml (the defaults). */
  readonly values?: HelmSource;
  /** The values files of `kubeReach.helm.valueFiles` for this chart, in order (later ones win). */
  readonly valueFiles: readonly HelmSource[];
  /** The templates of the chart tree (for `define`); may be empty when the target needs none. */
  readonly templates: readonly HelmSource[];
  /**
   * Values of the charts above a subchart, innermost first: a parent's values.yaml and values
   * files set this chart's `.Values.a` at `<prefix>.a` (its dependency's alias or name, through
   * every level), and `.Values.global.a` at `global.a` as it is.
   */
  readonly parents?: readonly ParentValues[];
  /** The vendored subcharts' values.yaml: the defaults of `.Values.<name>.…` below this chart's own. */
  readonly subcharts?: readonly SubchartValues[];
}

/** What the cursor is on in a template. */
export type HelmTarget =
  | { readonly kind: 'values'; readonly path: readonly string[]; readonly span: Span }
  | { readonly kind: 'template'; readonly name: string; readonly span: Span };

/**
 * The chart folder a template belongs to: the nearest folder above `path` (a path or URI,
 * `/`-separated) that holds Chart.yaml (`hasChart`) and whose `templates/` folder holds the file.
 * Undefined for any other file.
 */
export function chartRootOf(path: string, hasChart: (dir: string) => boolean): string | undefined {
  let i = path.lastIndexOf('/templates/');
  while (i > 0) {
    const dir = path.slice(0, i);
    if (hasChart(dir)) return dir;
    i = path.lastIndexOf('/templates/', i - 1);
  }
  return undefined;
}

/** The top chart of a chart tree: `dir` climbed up through `…/charts/<name>` while the parent holds Chart.yaml. */
export function chartTreeRootOf(dir: string, hasChart: (dir: string) => boolean): string {
  let cur = dir;
  for (let depth = 0; depth < 20; depth++) {
    const m = /^(.*)\/charts\/[^/]+$/.exec(cur);
    if (m === null || m[1] === undefined || !hasChart(m[1])) break;
    cur = m[1];
  }
  return cur;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The `{{ … }}` action around `offset`: its inner span (between the delimiters), or undefined. */
function actionAt(text: string, offset: number): { start: number; end: number } | undefined {
  const open = text.lastIndexOf('{{', offset - 1 < 0 ? 0 : offset - 1);
  if (open === -1) return undefined;
  const closeBefore = text.indexOf('}}', open + 2);
  // The cursor may sit right after `{{` or anywhere before the closing `}}` (or the end of an unfinished action).
  if (closeBefore !== -1 && closeBefore + 2 <= offset) return undefined;
  const end = closeBefore === -1 ? Math.min(text.length, nextLineEnd(text, offset)) : closeBefore;
  const inner = text.slice(open + 2, end).trimStart();
  if (inner.startsWith('/*') || inner.startsWith('- /*') || inner.startsWith('-/*')) return undefined;
  return { start: open + 2, end };
}

function nextLineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

/** A character that may come before a field chain (`.a`, `$.a`) as a term of its own. */
function termBoundary(c: string | undefined): boolean {
  return c === undefined || /[\s({|,=-]/.test(c);
}

interface Chain {
  /** `$` (the root) or `.` (the dot). */
  readonly base: '$' | '.';
  /** The field names after the base, with their spans. */
  readonly fields: ReadonlyArray<{ name: string; start: number; end: number }>;
  readonly start: number;
  /** Where a trailing `.` ends, when the chain ends in one (completion). */
  readonly trailingDot?: number;
}

/** Field chains of one action's text: `.a.b`, `$.a.b`, `.` followed by a partial name. */
function chainsIn(text: string, from: number, to: number): Chain[] {
  const out: Chain[] = [];
  const re = /(\$?)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)(\.?)/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m !== null && m.index < to; m = re.exec(text)) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    const start = m.index;
    const dollar = m[1] === '$';
    const before = text[start - 1];
    if (!termBoundary(before)) continue;
    if (dollar && text[start + 1] !== '.') continue;
    if (!dollar && m[2] === '' && m[3] === '') continue;
    const fields: Array<{ name: string; start: number; end: number }> = [];
    let p = start + (dollar ? 1 : 0);
    for (const part of (m[2] ?? '').split('.').slice(1)) {
      fields.push({ name: part, start: p + 1, end: p + 1 + part.length });
      p += 1 + part.length;
    }
    const end = start + m[0].length;
    if (end > to) continue;
    out.push({ base: dollar ? '$' : '.', fields, start, ...(m[3] === '.' ? { trailingDot: end } : {}) });
  }
  return out;
}

/** Parsed templates by text, the last few kept (hovering over one template parses it once). */
const parsedTemplates = new Map<string, ParseResult>();

function parsedTemplate(text: string): ParseResult {
  const hit = parsedTemplates.get(text);
  if (hit !== undefined) return hit;
  const parsed = parseTemplate('template', text, () => true);
  if (parsedTemplates.size >= PARSED_KEPT) {
    const oldest = parsedTemplates.keys().next();
    if (oldest.done !== true) parsedTemplates.delete(oldest.value);
  }
  parsedTemplates.set(text, parsed);
  return parsed;
}

/** The dot at `offset`: the root (`.Values` is the values), a values path (inside `with .Values.a`), or unknown. */
type Dot = { readonly kind: 'root' } | { readonly kind: 'values'; readonly path: readonly string[] } | { readonly kind: 'unknown' };

const ROOT: Dot = { kind: 'root' };
const UNKNOWN: Dot = { kind: 'unknown' };

/** Resolves a chain against a dot: the values path it names, or undefined. */
function resolve(dot: Dot, base: '$' | '.', names: readonly string[]): string[] | undefined {
  const d = base === '$' ? ROOT : dot;
  if (d.kind === 'root') return names[0] === 'Values' ? names.slice(1) : undefined;
  if (d.kind === 'values') return [...d.path, ...names];
  return undefined;
}

/**
 * The dot at `offset`, from the template's parse tree: the root at the top and in `define`
 * bodies (helpers are called with the root context in nearly every chart), a values path in the
 * body of `with .Values.a` (or `with $.Values.a`, or a field relative to an enclosing such `with`),
 * unknown inside `range` and other `with`s. A template that does not parse (being typed) is read
 * as at the top.
 */
function dotAt(text: string, offset: number, action: { start: number; end: number }): Dot {
  // The text as it is (parsed once per text); if it does not parse, with the action being typed
  // blanked (to `.`), so an unfinished one does not spoil the parse.
  let parsed = parsedTemplate(text);
  if (parsed.error !== undefined) {
    const inner = action.end - action.start;
    if (inner < 1 || !text.startsWith('}}', action.end)) return ROOT;
    parsed = parsedTemplate(`${text.slice(0, action.start)}.${' '.repeat(inner - 1)}${text.slice(action.end)}`);
    if (parsed.error !== undefined) return ROOT;
  }
  const walk = (nodes: readonly TemplateNode[], dot: Dot, depth: number): Dot | undefined => {
    if (depth > 100) return UNKNOWN;
    for (const n of nodes) {
      if (offset < n.pos || offset > n.end) continue;
      if (n.type !== 'if' && n.type !== 'with' && n.type !== 'range') return dot;
      if (offset <= n.pipe.end) return dot;
      const listEnd = n.list.length > 0 ? (n.list[n.list.length - 1]?.end ?? n.pipe.end) : n.pipe.end;
      const inList = n.elseList === undefined || offset <= listEnd;
      if (!inList) return walk(n.elseList ?? [], dot, depth + 1) ?? dot;
      let inner = dot;
      if (n.type === 'range') inner = UNKNOWN;
      else if (n.type === 'with') {
        const cmd = n.pipe.cmds.length === 1 ? n.pipe.cmds[0] : undefined;
        const arg = cmd?.args.length === 1 ? cmd.args[0] : undefined;
        let path: string[] | undefined;
        if (arg?.type === 'field') path = resolve(dot, '.', arg.idents);
        else if (arg?.type === 'variable' && arg.idents[0] === '$') path = resolve(dot, '$', arg.idents.slice(1));
        inner = path === undefined ? UNKNOWN : { kind: 'values', path };
      }
      return walk(n.list, inner, depth + 1) ?? inner;
    }
    return undefined;
  };
  for (const tree of parsed.trees) {
    const d = walk(tree.root, ROOT, 0);
    if (d !== undefined) return d;
  }
  return ROOT;
}

/** What the cursor is on in template `text`, or undefined. */
export function helmTargetAt(text: string, offset: number): HelmTarget | undefined {
  const action = actionAt(text, offset);
  if (action === undefined) return undefined;
  // include "name" / template "name": the cursor on the quoted name.
  const nameRe = /\b(include|template)\s+("(?:[^"\\\n]|\\.)*"|`[^`]*`)/g;
  nameRe.lastIndex = action.start;
  for (let m = nameRe.exec(text); m !== null && m.index < action.end; m = nameRe.exec(text)) {
    const q = m[2] ?? '';
    const qStart = m.index + m[0].length - q.length;
    if (offset >= qStart && offset <= qStart + q.length) {
      const name = q.startsWith('`') ? q.slice(1, -1) : unquote(q);
      return name === undefined ? undefined : { kind: 'template', name, span: { start: qStart, end: qStart + q.length } };
    }
  }
  for (const c of chainsIn(text, action.start, action.end)) {
    const i = c.fields.findIndex((f) => offset >= f.start - 1 && offset <= f.end);
    if (i === -1) continue;
    const names = c.fields.slice(0, i + 1).map((f) => f.name);
    const path = resolve(dotAt(text, offset, action), c.base, names);
    if (path === undefined) return undefined;
    const last = c.fields[i];
    return { kind: 'values', path, span: { start: c.start, end: last?.end ?? c.start } };
  }
  return undefined;
}

function unquote(q: string): string | undefined {
  try {
    const v: unknown = JSON.parse(q);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function codeBlock(text: string): string {
  return ['```yaml', text, '```'].join('\n');
}

/** Adds the lines of a hover that show a value: its supplying entry, then the earlier documents' maps merged below it. */
function pushValueLines(lines: string[], entries: readonly ValueEntry[], how: string): void {
  const first = entries[0];
  if (first === undefined) return;
  lines.push('', how, codeBlock(first.valueText));
  for (const e of entries.slice(1)) lines.push('', `Merged below it, from ${entryLabel(e)}:`, codeBlock(e.valueText));
}

function valuesHover(path: readonly string[], sources: HelmChartSources, span: Span): HoverResult {
  const name = `.Values${path.map((p) => `.${p}`).join('')}`;
  const lines = [`**\`${name}\`**`];
  const defaultEntries = sources.values === undefined ? [] : entriesIn(sources.values, path);
  const defaults = defaultEntries[0];
  const comment = defaults?.comment ?? '';
  if (comment !== '') lines.push('', comment);
  if (path.length === 0) {
    lines.push(
      '',
      `The chart's values: \`${sources.values?.label ?? 'values.yaml'}\`, then ${sources.valueFiles.map((f) => `\`${f.label}\``).join(', ') || 'no values files (kubeReach.helm.valueFiles)'}.`,
    );
    return { contents: lines.join('\n'), span };
  }
  const sub = subchartEntry(sources, path);
  if (defaults !== undefined) pushValueLines(lines, defaultEntries, `Default in ${entryLabel(defaults)}:`);
  else if (sub !== undefined) {
    if (sub.entry.comment !== '' && comment === '') lines.push('', sub.entry.comment);
    lines.push('', `Default in ${entryLabel(sub.entry)} (subchart \`${sub.name}\`):`, codeBlock(sub.entry.valueText));
  } else lines.push('', `Not set in \`${sources.values?.label ?? 'values.yaml'}\`: nil unless a values file or \`--set\` gives it.`);
  const set = (entries: readonly ValueEntry[], how: (e: ValueEntry) => string): void => {
    const e = entries[0];
    if (e === undefined) return;
    if (e.comment !== '' && comment === '' && defaults === undefined && sub === undefined) lines.push('', e.comment);
    pushValueLines(lines, entries, how(e));
  };
  for (const p of sources.parents ?? []) {
    if (p.valuesFile) continue;
    const at = parentPath(p, path);
    set(entriesIn(p.source, at), (e) => `Set by the parent chart in ${entryLabel(e)} (\`.Values.${at.join('.')}\` there):`);
  }
  for (const f of sources.valueFiles) set(entriesIn(f, path), (e) => `Set in ${entryLabel(e)} (kubeReach.helm.valueFiles):`);
  for (const p of sources.parents ?? []) {
    if (!p.valuesFile) continue;
    const at = parentPath(p, path);
    set(
      entriesIn(p.source, at),
      (e) => `Set in ${entryLabel(e)} (kubeReach.helm.valueFiles, \`.Values.${at.join('.')}\` of the top chart):`,
    );
  }
  return { contents: lines.join('\n'), span };
}

/** The subchart entry of `.Values.<name>.…`: the subchart's own values.yaml default. */
function subchartEntry(sources: HelmChartSources, path: readonly string[]): { name: string; entry: ValueEntry } | undefined {
  if (path.length < 2) return undefined;
  for (const s of sources.subcharts ?? []) {
    if (s.name !== path[0]) continue;
    const entry = entryIn(s.source, path.slice(1));
    if (entry !== undefined) return { name: s.name, entry };
  }
  return undefined;
}

/** Every file that gives `path` a value, each with the path it is written at there, in the order definition lists them. */
function layersFor(sources: HelmChartSources, path: readonly string[]): Array<{ source: HelmSource; path: readonly string[] }> {
  const out: Array<{ source: HelmSource; path: readonly string[] }> = [];
  if (sources.values !== undefined) out.push({ source: sources.values, path });
  if (path.length >= 1)
    for (const s of sources.subcharts ?? []) if (s.name === path[0]) out.push({ source: s.source, path: path.slice(1) });
  for (const p of sources.parents ?? []) if (!p.valuesFile) out.push({ source: p.source, path: parentPath(p, path) });
  for (const f of sources.valueFiles) out.push({ source: f, path });
  for (const p of sources.parents ?? []) if (p.valuesFile) out.push({ source: p.source, path: parentPath(p, path) });
  return out;
}

/** The body of `define "name"` (or `block`) in the template sources: where it is defined. */
function definesOf(name: string, sources: HelmChartSources): Array<{ source: HelmSource; span: Span; body: string }> {
  const out: Array<{ source: HelmSource; span: Span; body: string }> = [];
  const re = /\{\{-?\s*(?:define|block)\s+("(?:[^"\\\n]|\\.)*"|`[^`]*`)/g;
  for (const s of sources.templates) {
    for (const m of s.text.matchAll(re)) {
      const q = m[1] ?? '';
      const n = q.startsWith('`') ? q.slice(1, -1) : unquote(q);
      if (n !== name) continue;
      const start = m.index + m[0].length - q.length;
      const bodyStart = s.text.indexOf('}}', start);
      const bodyLines =
        bodyStart === -1
          ? []
          : s.text
              .slice(bodyStart + 2)
              .replace(/^\n/, '')
              .split('\n');
      const body: string[] = [];
      for (const l of bodyLines) {
        if (/^\s*\{\{-?\s*end\s*-?\}\}\s*$/.test(l) || body.length >= MAX_VALUE_LINES) break;
        body.push(l);
      }
      out.push({ source: s, span: { start, end: start + q.length }, body: body.join('\n') });
    }
  }
  return out;
}

/** What the action under the cursor wrote when the chart was rendered (`RenderedFile.renderedAt`). */
export interface RenderedAction {
  readonly action: Span;
  readonly outputs: readonly string[];
}

/** Outputs shown at most (an action in a `range` may run many times). */
const MAX_OUTPUTS = 3;

/** The "Rendered" part of a hover: what the action wrote, once per distinct output. */
function renderedLines(r: RenderedAction): string[] {
  const distinct = [...new Set(r.outputs)];
  if (distinct.length === 0) return ['', 'Rendered: nothing (kubeReach.helm.* values).'];
  const shown = distinct.slice(0, MAX_OUTPUTS).map((o) => codeBlock(dedent(o, 0, o.length) || '""'));
  const runs = r.outputs.length > 1 ? ` (${r.outputs.length} times${distinct.length > 1 ? `, ${distinct.length} different` : ''})` : '';
  return ['', `Rendered${runs} with the chart's values and kubeReach.helm.*:`, ...shown, ...(distinct.length > MAX_OUTPUTS ? ['…'] : [])];
}

/**
 * Hover on a Helm target (values path or template name), with what its action wrote in the
 * chart's render when known; on an action with no target, what it wrote alone.
 */
export function helmHover(target: HelmTarget | undefined, sources: HelmChartSources, rendered?: RenderedAction): HoverResult | undefined {
  const h = targetHover(target, sources);
  if (rendered === undefined) return h;
  if (h === undefined) return { contents: [`**\`{{ … }}\`**`, ...renderedLines(rendered)].join('\n'), span: rendered.action };
  return { ...h, contents: [h.contents, ...renderedLines(rendered)].join('\n') };
}

function targetHover(target: HelmTarget | undefined, sources: HelmChartSources): HoverResult | undefined {
  if (target === undefined) return undefined;
  if (target.kind === 'values') return valuesHover(target.path, sources, target.span);
  const defs = definesOf(target.name, sources);
  if (defs.length === 0)
    return { contents: `**template \`${target.name}\`**\n\nNo \`define "${target.name}"\` in the chart's templates.`, span: target.span };
  const lines = [`**template \`${target.name}\`**`];
  for (const d of defs) {
    const line = d.source.text.slice(0, d.span.start).split('\n').length;
    lines.push('', `Defined in \`${d.source.label}\` line ${line}:`, '```', d.body, '```');
  }
  return { contents: lines.join('\n'), span: target.span };
}

/** Go to definition: the key in values.yaml (then in the values files that set it), or the `define`. */
export function helmDefinition(target: HelmTarget, sources: HelmChartSources): Location[] {
  if (target.kind === 'template') return definesOf(target.name, sources).map((d) => ({ uri: d.source.uri, span: d.span }));
  if (target.path.length === 0) return sources.values === undefined ? [] : [{ uri: sources.values.uri, span: { start: 0, end: 0 } }];
  const out: Location[] = [];
  for (const l of layersFor(sources, target.path)) {
    if (l.path.length === 0) continue;
    // Every document that writes it: the one that supplies the value first, then the maps merged below it.
    for (const e of entriesIn(l.source, l.path)) out.push({ uri: l.source.uri, span: e.keySpan });
  }
  return out;
}

/** One-line form of a value for a completion item's detail. */
function shortValue(text: string): string {
  const first = text.split('\n')[0] ?? '';
  if (text.includes('\n')) return first.trim() === '' || first.trim().startsWith('#') ? '{…}' : `${first} …`;
  return first.length > 60 ? `${first.slice(0, 57)}…` : first;
}

/**
 * Completion after `.Values.` / `.Values.a.` (or `$.Values.`, or `.` inside `with .Values.a`):
 * the keys at that level of values.yaml and the values files, with their values. Undefined when the
 * cursor is not after such a chain (other completion applies).
 */
export function helmCompletion(text: string, offset: number, sources: HelmChartSources): CompletionResult[] | undefined {
  const action = actionAt(text, offset);
  if (action === undefined) return undefined;
  // The partial name being typed, and the chain before it.
  let wordStart = offset;
  while (wordStart > action.start && /[A-Za-z0-9_]/.test(text[wordStart - 1] ?? '')) wordStart--;
  if (text[wordStart - 1] !== '.') return undefined;
  const chain = chainsIn(text.slice(0, wordStart), action.start, wordStart).find((c) => c.trailingDot === wordStart);
  const names = chain?.fields.map((f) => f.name) ?? [];
  let path: string[] | undefined;
  if (chain !== undefined) path = resolve(dotAt(text, offset, action), chain.base, names);
  else if (termBoundary(text[wordStart - 2])) {
    // A bare `.` followed by a partial name: the dot's own fields.
    const dot = dotAt(text, offset, action);
    path = dot.kind === 'values' ? [...dot.path] : undefined;
  }
  if (path === undefined) return undefined;
  const replace: Span = { start: wordStart, end: offset };
  const items = new Map<string, CompletionResult>();
  // Lowest priority first (a subchart's defaults), so the value shown is the one that wins.
  const layers = layersFor(sources, path);
  const isSub = (l: { source: HelmSource }): boolean => (sources.subcharts ?? []).some((x) => x.source === l.source);
  for (const l of [...layers.filter(isSub), ...layers.filter((l) => !isSub(l))]) {
    const s = l.source;
    // Every document whose map merges into the value at this level (a values file of several `---` documents).
    const keys = new Set<string>();
    for (const e of entriesIn(s, l.path)) {
      const node = e.node;
      if (node === null || !isMap(node)) continue;
      for (const p of node.items) if (isPair(p) && isScalar(p.key)) keys.add(String(p.key.value));
    }
    for (const key of keys) {
      if (!IDENT.test(key)) continue;
      const entry = entryIn(s, [...l.path, key]);
      if (entry === undefined) continue;
      const documentation = [entry.comment, codeBlock(entry.valueText), `(${entryLabel(entry)})`].filter((x) => x !== '').join('\n\n');
      items.set(key, {
        label: key,
        insertText: key,
        kind: 'property',
        detail: shortValue(entry.valueText),
        documentation,
        replace,
        sortText: key,
      });
    }
  }
  return [...items.values()];
}
