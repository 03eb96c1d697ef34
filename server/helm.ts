/**
 * Helm charts in the editor: the chart sources behind hover, definition and completion on
 * `.Values…` and `include "x"` in a template (analysis/ide/helmValues.ts), and the custom request
 * `kubeReach/renderTemplate` ("Kube Reach: Show Rendered Manifest"), which renders the template's
 * chart with `kubeReach.helm.*` and returns that template's manifests as `kube-reach render` prints
 * them. Texts come from the analysis host when it holds the file (open documents, unsaved edits
 * included), else from disk.
 */

import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve as resolvePath } from 'node:path';
import {
  chartRootOf,
  chartTreeRootOf,
  chartValueLayers,
  helmCompletion,
  helmDefinition,
  helmHover,
  helmTargetAt,
  helmValueFilesFor,
} from '../analysis/index.js';
import type {
  Analysis,
  AnalysisSettings,
  CompletionResult,
  HelmChartSources,
  HelmSource,
  HoverResult,
  Location,
} from '../analysis/index.js';
import { loadChart, openLocation } from '../analysis/index.js';
import { manifestText, renderChart, renderNotes } from '../analysis/index.js';
import { mergeValues } from '../analysis/index.js';
import type { Values } from '../analysis/index.js';
import { readValuesDocuments } from '../analysis/index.js';
import type { FileStatusResult, RenderTemplateResult } from '../protocol/lsp.js';
import { readChartFiles, readPackedSubcharts } from './chartFiles.js';
import { pathToUri, uriToPath } from './uris.js';

/** What the Helm features need from the server: the workspace roots, the settings, a file reader. */
export interface HelmContext {
  readonly roots: () => readonly string[];
  readonly settings: () => AnalysisSettings;
  readonly readTextFile: (path: string) => string | undefined;
}

function hasChartFile(dir: string): boolean {
  return existsSync(join(dir, 'Chart.yaml')) || existsSync(join(dir, 'Chart.yml'));
}

/** The chart folder (absolute path) of a template's URI, or undefined. */
export function chartOfUri(key: string): string | undefined {
  const path = uriToPath(key);
  if (path === undefined) return undefined;
  return chartRootOf(path.split('\\').join('/'), (d) => hasChartFile(d));
}

/** The workspace root that holds `path` (the first root when none does). */
function rootOf(ctx: HelmContext, path: string): string | undefined {
  const roots = ctx.roots();
  return roots.find((r) => {
    const rel = relative(r, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}

function textOf(ctx: HelmContext, analysis: Analysis, path: string): string | undefined {
  return analysis.text(pathToUri(path)) ?? ctx.readTextFile(path);
}

/** The label hover uses for a file: its path relative to the workspace root. */
function labelOf(ctx: HelmContext, path: string): string {
  const root = rootOf(ctx, path);
  return root === undefined ? path : relative(root, path).split('\\').join('/');
}

/**
 * The values files `kubeReach.helm.valueFiles` gives a chart, as absolute paths: relative to the
 * workspace root, or else to the chart folder; files that exist, in order. Unfound ones are
 * named in `missing`.
 */
export function valueFilePaths(ctx: HelmContext, chart: string): { paths: string[]; missing: string[] } {
  const root = rootOf(ctx, chart) ?? chart;
  const rel = relative(root, chart).split('\\').join('/');
  const paths: string[] = [];
  const missing: string[] = [];
  for (const f of helmValueFilesFor(ctx.settings().helm, rel === '' ? '.' : rel)) {
    const candidates = isAbsolute(f) ? [f] : [resolvePath(root, f), resolvePath(chart, f)];
    const found = candidates.find((c) => existsSync(c));
    if (found === undefined) missing.push(f);
    else if (!paths.includes(found)) paths.push(found);
  }
  return { paths, missing };
}

function source(ctx: HelmContext, analysis: Analysis, path: string): HelmSource | undefined {
  const text = textOf(ctx, analysis, path);
  return text === undefined ? undefined : { uri: pathToUri(path), text, label: labelOf(ctx, path) };
}

/** The templates of the chart tree `tree` (every file under a `templates/` folder). */
function treeTemplates(ctx: HelmContext, analysis: Analysis, tree: string): HelmSource[] {
  const out: HelmSource[] = [];
  for (const [rel, diskText] of readChartFiles(tree).files) {
    if (!rel.startsWith('templates/') && !/(^|\/)charts\/[^/]+\/templates\//.test(rel)) continue;
    // A .tgz subchart's files are not on disk: they keep the archive's text.
    const path = join(tree, rel);
    const text = analysis.text(pathToUri(path)) ?? diskText;
    out.push({ uri: pathToUri(path), text, label: labelOf(ctx, path) });
  }
  return out;
}

function sourcesFor(ctx: HelmContext, analysis: Analysis, chart: string, withTemplates: boolean): HelmChartSources {
  const values = source(ctx, analysis, join(chart, 'values.yaml')) ?? source(ctx, analysis, join(chart, 'values.yml'));
  const valueFiles = valueFilePaths(ctx, chart)
    .paths.map((p) => source(ctx, analysis, p))
    .filter((s): s is HelmSource => s !== undefined);
  const templates = withTemplates
    ? treeTemplates(
        ctx,
        analysis,
        chartTreeRootOf(chart, (d) => hasChartFile(d)),
      )
    : [];
  // The charts around this one: its parents up the chart tree, and its subcharts vendored as folders.
  const around = new Map<string, HelmSource>();
  const add = (dir: string): void => {
    for (const name of ['Chart.yaml', 'Chart.yml', 'values.yaml', 'values.yml']) {
      const s = source(ctx, analysis, join(dir, name));
      if (s !== undefined) around.set(s.uri, s);
    }
  };
  add(chart);
  for (let cur = chart, depth = 0; depth < 20; depth++) {
    const m = /^(.*)[\\/]charts[\\/][^\\/]+$/.exec(cur);
    if (m?.[1] === undefined || !hasChartFile(m[1])) break;
    cur = m[1];
    add(cur);
  }
  let subs: string[];
  try {
    subs = readdirSync(join(chart, 'charts'));
  } catch {
    subs = [];
  }
  for (const d of subs) if (hasChartFile(join(chart, 'charts', d))) add(join(chart, 'charts', d));
  // Packed subcharts (charts/*.tgz): their Chart.yaml and values.yaml as the archive holds them, at
  // the paths the render reads them from (no file there: hover and completion, no definition).
  if (subs.some((d) => d.endsWith('.tgz')))
    for (const [rel, { text, archive }] of readPackedSubcharts(chart)) {
      if (!/^charts\/[^/]+\/(?:Chart|values)\.ya?ml$/.test(rel)) continue;
      const u = pathToUri(join(chart, rel));
      if (!around.has(u)) around.set(u, { uri: u, text, label: `${labelOf(ctx, join(chart, archive))}: ${rel.slice('charts/'.length)}` });
    }
  const { parents, subcharts } = chartValueLayers(pathToUri(chart), around, (dirUri) => {
    const dir = uriToPath(dirUri);
    if (dir === undefined) return [];
    return valueFilePaths(ctx, dir)
      .paths.map((p) => source(ctx, analysis, p))
      .filter((s): s is HelmSource => s !== undefined);
  });
  return {
    ...(values !== undefined ? { values } : {}),
    valueFiles,
    templates,
    ...(parents.length > 0 ? { parents } : {}),
    ...(subcharts.length > 0 ? { subcharts } : {}),
  };
}

/** Hover on `.Values…` or a template name in a chart template; undefined elsewhere. */
export function helmHoverAt(ctx: HelmContext, analysis: Analysis, key: string, text: string, offset: number): HoverResult | undefined {
  const chart = chartOfUri(key);
  if (chart === undefined) return undefined;
  const target = helmTargetAt(text, offset);
  // What the action under the cursor wrote in the chart's render (the index's, kubeReach.helm.* values).
  const rendered = analysis.index.renderedTemplate(key)?.renderedAt(offset);
  if (target === undefined && rendered === undefined) return undefined;
  const sources = target === undefined ? { valueFiles: [], templates: [] } : sourcesFor(ctx, analysis, chart, target.kind === 'template');
  return helmHover(target, sources, rendered);
}

/** Definition of `.Values…` (values.yaml, values files) or of a template name (its `define`), with the target file's text. */
export function helmDefinitionAt(
  ctx: HelmContext,
  analysis: Analysis,
  key: string,
  text: string,
  offset: number,
): Array<Location & { readonly text: string }> | undefined {
  const chart = chartOfUri(key);
  if (chart === undefined) return undefined;
  const target = helmTargetAt(text, offset);
  if (target === undefined) return undefined;
  const sources = sourcesFor(ctx, analysis, chart, target.kind === 'template');
  const texts = new Map<string, string>();
  for (const s of [
    ...(sources.values !== undefined ? [sources.values] : []),
    ...sources.valueFiles,
    ...sources.templates,
    ...(sources.parents ?? []).map((p) => p.source),
    ...(sources.subcharts ?? []).map((p) => p.source),
  ])
    texts.set(s.uri, s.text);
  // A packed subchart's values have no file to open: its archive's dependency entry in Chart.yaml stands for them.
  const out: Array<Location & { readonly text: string }> = [];
  for (const l of helmDefinition(target, sources)) {
    const p = uriToPath(l.uri);
    const at = p !== undefined && existsSync(p) ? l : openLocation(analysis.index, l);
    const t = texts.get(at.uri) ?? analysis.text(at.uri);
    const q = uriToPath(at.uri);
    if (t === undefined || q === undefined || !existsSync(q) || out.some((o) => o.uri === at.uri && o.span.start === at.span.start))
      continue;
    out.push({ ...at, text: t });
  }
  return out;
}

/** Completion after `.Values.`; undefined when the cursor is not there. */
export function helmCompletionAt(
  ctx: HelmContext,
  analysis: Analysis,
  key: string,
  text: string,
  offset: number,
): CompletionResult[] | undefined {
  const chart = chartOfUri(key);
  if (chart === undefined) return undefined;
  return helmCompletion(text, offset, sourcesFor(ctx, analysis, chart, false));
}

/** A values file as Helm 4 reads `-f` (every `---` document merged; render/helm/chart.ts `readValuesDocuments`). */
function readValuesFile(text: string, label: string, into: Values, notes: string[]): void {
  const problems: string[] = [];
  const v = readValuesDocuments(text, label, problems);
  if (problems[0] !== undefined) notes.push(`${problems[0].split('\n')[0] ?? ''} (not read)`);
  else mergeValues(into, v);
}

/**
 * Renders the chart of template `key` with the values files and release of `kubeReach.helm.*`
 * and returns that template's manifests with `# Source:` headers, or why it renders nothing.
 */
export function renderTemplate(ctx: HelmContext, analysis: Analysis, key: string): RenderTemplateResult {
  const chart = chartOfUri(key);
  const path = uriToPath(key);
  if (chart === undefined || path === undefined)
    return { ok: false, text: '', notes: [], message: 'Not a Helm chart template (a file under the templates/ folder of a chart).' };
  const settings = ctx.settings();
  const tree = chartTreeRootOf(chart, (d) => hasChartFile(d));
  const read = readChartFiles(tree);
  const notes = [...read.notes];
  // Open documents win over the disk (unsaved edits render).
  for (const rel of [...read.files.keys()]) {
    const text = analysis.text(pathToUri(join(tree, rel)));
    if (text !== undefined) read.files.set(rel, text);
  }
  const loaded = loadChart(read.files);
  if (loaded === undefined) return { ok: false, text: '', notes, message: `${labelOf(ctx, tree)}: no readable Chart.yaml with a name.` };
  const values: Values = new Map();
  const { paths, missing } = valueFilePaths(ctx, tree);
  for (const m of missing) notes.push(`kubeReach.helm.valueFiles: ${m}: no such file`);
  for (const p of paths) {
    const text = textOf(ctx, analysis, p);
    if (text === undefined) notes.push(`${labelOf(ctx, p)}: unreadable`);
    else readValuesFile(text, labelOf(ctx, p), values, notes);
  }
  const r = renderChart(loaded, {
    values,
    kubernetesVersion: settings.kubernetesVersion,
    releaseName: settings.helm.releaseName,
    ...(settings.helm.namespace !== '' ? { namespace: settings.helm.namespace } : {}),
  });
  for (const n of renderNotes(r)) notes.push(n);
  const relToTree = relative(tree, path).split('\\').join('/');
  const name = `${loaded.meta.name}/${relToTree}`;
  const base = relToTree.slice(relToTree.lastIndexOf('/') + 1);
  const valuesUsed = [labelOf(ctx, join(tree, 'values.yaml')), ...paths.map((p) => labelOf(ctx, p))];
  const head = { chart: labelOf(ctx, tree), template: name, valueFiles: valuesUsed, notes };
  if (base.startsWith('_') || base === 'NOTES.txt')
    return { ...head, ok: false, text: '', message: `${name} is a partial: Helm renders it only where it is included.` };
  const parseError = r.parseErrors.find((e) => e.source === name);
  const t = r.templates.find((x) => x.name === name);
  const e = parseError ?? t?.error;
  if (e !== undefined) {
    const reason = e.kind === 'unsupported' && e.func !== undefined ? `function "${e.func}" is not supported` : e.message;
    return { ...head, ok: false, text: '', message: `${name} cannot be rendered: ${reason}` };
  }
  if (t === undefined) {
    const why = r.missing.length > 0 ? ` (${r.missing.join('; ')})` : '';
    return {
      ...head,
      ok: false,
      text: '',
      message: `${name} is not rendered: its chart is switched off or not part of the release${why}.`,
    };
  }
  const docs = r.manifests.filter((m) => m.source === name);
  const text =
    docs.length === 0
      ? `# ${name} renders nothing with these values (${valuesUsed.join(', ')}).\n`
      : // This template's documents as `kube-reach render` prints them (Helm v4.2's blank lines: manifestText).
        manifestText(r)
          .split(/(?=^---\n)/m)
          .filter((d) => d.startsWith(`---\n# Source: ${name}\n`))
          .join('');
  return { ...head, ok: true, text };
}

/** The language status of a document: its object count, and for a chart template the chart and its values files. */
export function fileStatus(ctx: HelmContext, analysis: Analysis, key: string): FileStatusResult {
  const objects = analysis.symbols(key).length;
  const chart = chartOfUri(key);
  if (chart === undefined) return { objects };
  const tree = chartTreeRootOf(chart, (d) => hasChartFile(d));
  const meta = textOf(ctx, analysis, join(tree, 'Chart.yaml')) ?? textOf(ctx, analysis, join(tree, 'Chart.yml')) ?? '';
  const name = /^name:[ \t]*["']?([^"'\s#]+)/m.exec(meta)?.[1] ?? tree.slice(tree.lastIndexOf('/') + 1);
  const valueFiles = [join(tree, 'values.yaml'), ...valueFilePaths(ctx, tree).paths].map((p) => labelOf(ctx, p));
  return { objects, chart: name, valueFiles };
}
