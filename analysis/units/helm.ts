/**
 * Helm units: every chart of the workspace (a Chart.yaml that is not a vendored subchart of another
 * chart) rendered as `helm template` renders it (analysis/render/helm/), with its values.yaml, the
 * value files `kubeReach.helm.valueFiles` names and the values a host hands over (the CLI's
 * `--values`/`--set`). The rendered documents become the objects of the template files that wrote
 * them, with every span mapped back to the template (docs/dev/helm-units.md): literal text one to
 * one, text an action wrote (also through `include` or `template`) to the whole action.
 *
 * A template that cannot be rendered (an unsupported function, `fail`/`required`, a missing
 * dependency, a parse error) keeps its tolerant masked reading (its own facts) and is named in the
 * chart's note. `yaml-syntax` on a rendered template is the rendered output's, on the template line
 * that wrote the broken text.
 *
 * Renders are cached per chart with the texts of every file they read and the options: a new
 * layout renders again only the charts one of whose files changed.
 */

import type { FileFacts, KObject } from '../model/types.js';
import type { ApiFinding } from '../model/apiValidation.js';
import { validateDocument } from '../model/apiValidation.js';
import { lowerRenderedDocument } from '../model/lower.js';
import { readRendered } from '../syntax/schemaSkim.js';
import type { Yaml11Scalar } from '../syntax/parse.js';
import { scanActions } from '../syntax/mask.js';
import { compileTemplateGlobs } from '../syntax/templateFiles.js';
import { isMap, isScalar, pair } from '../syntax/tree.js';
import type { YMap, YNode } from '../syntax/tree.js';
import type { RelatedInformation, Span } from '../types.js';
import { dirname, isUnder } from '../workspace/paths.js';
import { loadChart } from '../render/helm/chart.js';
import { renderChart } from '../render/helm/render.js';
import type { RenderMemo, RenderResult } from '../render/helm/render.js';
import { copyValues, mergeValues, type Values } from '../render/helm/values.js';
import { actionOutputs, mapTree, segmentsFingerprint, SourceMap } from './helmSourceMap.js';
import { userValuesFor } from './helmValueFiles.js';
import { chartNoteLines, reasonOf, type NotRendered } from './helmNote.js';
import { neededFindings, packedFindings, valueKeySpan } from './helmNeeded.js';
import { nilValuesReader } from './helmNil.js';
import type { NeededContext, NeededFinding, PackedFinding, TemplateFindings } from './helmNeeded.js';
import { chartSchemaFindings, valuesTree, type SchemaFinding } from './helmSchema.js';

/** What decides a chart's values and release, besides its own files. */
export interface HelmOptions {
  /** `kubeReach.kubernetesVersion` (`.Capabilities`). */
  readonly kubernetesVersion: string;
  /** `kubeReach.helm.releaseName`; '' for Helm's default (`release-name`). */
  readonly releaseName: string;
  /** `kubeReach.helm.namespace`; '' when not set: `.Release.Namespace` is then decided at install time. */
  readonly namespace: string;
  /**
   * `kubeReach.helm.valueFiles`: a glob of chart folders → value files, relative to the workspace
   * root or else to the chart folder (the first of the chart's ancestors, outermost first, where
   * the file is among the workspace's files, then the chart folder).
   */
  readonly valueFiles: Readonly<Record<string, readonly string[]>>;
  /** Values over the value files (the CLI's `--values` files, then `--set`), applied to every chart. */
  readonly values?: Values;
  /** Identifies `values` (a new identity renders every chart again). */
  readonly valuesKey?: string;
}

export const DEFAULT_HELM_OPTIONS: HelmOptions = { kubernetesVersion: '1.35', releaseName: '', namespace: '', valueFiles: {} };

/** Where a values.yaml entry an action reads is written. */
interface ValueRef {
  readonly start: number;
  readonly end: number;
  readonly related: RelatedInformation;
}

/** The facts of one rendered template file, in the template's coordinates. */
export interface RenderedFile {
  readonly uri: string;
  /** The root chart whose release renders it (its unit). */
  readonly chart: string;
  /** The release namespace when the user named it (objects without a namespace are installed there). */
  readonly releaseNamespace: string | undefined;
  readonly objects: readonly KObject[];
  readonly syntaxErrors: ReadonlyArray<{ readonly span: Span; readonly message: string }>;
  /**
   * Whether `syntaxErrors` are reported (`yaml-syntax`): not when a template of the chart called
   * `fail` or `required` with these values (the chart's own checks say the values are incomplete and
   * `helm template` would print nothing; a tag left empty writes `image: repo:`). They still make the
   * unit broken.
   */
  readonly reportSyntax: boolean;
  /**
   * `%!<verb>(<nil>)` actions wrote into values YAML reads as text (`units/helmNil.ts`), reported with
   * `yaml-syntax`: warnings, information with the chart's defaults alone (the chart may leave the
   * value to the installer, as `helm-value-required` says).
   */
  readonly nilWrites: ReadonlyArray<{ readonly span: Span; readonly message: string; readonly severity: 'warning' | 'information' }>;
  readonly apiFindings: readonly ApiFinding[];
  readonly yaml11: readonly Yaml11Scalar[];
  /** The template's `{{ … }}` spans, sorted: a fix whose edit touches one would edit an action's output. */
  readonly actions: readonly Span[];
  /** Actions whose pipeline starts from `.Values.a.b` with `a.b` in values.yaml. */
  readonly valueRefs: readonly ValueRef[];
  /**
   * What the action at template offset `offset` wrote in this render (its own output and what the
   * templates it included wrote), once per execution (an action in a `range` runs several times);
   * undefined when the offset is not in an action that ran.
   */
  renderedAt(offset: number): { readonly action: Span; readonly outputs: readonly string[] } | undefined;
}

export interface HelmNote {
  /** The chart folder. */
  readonly chart: string;
  /** One line: what was not rendered and why (file and function), paths relative to the chart. */
  readonly message: string;
}

interface CachedRender {
  readonly key: string;
  /** The text of every input when the chart was rendered (undefined: the file was absent). */
  readonly texts: ReadonlyMap<string, string | undefined>;
  readonly rendered: ReadonlyMap<string, RenderedFile>;
  /** Template files that could not be rendered (kept as read tolerantly). */
  readonly fallback: ReadonlySet<string>;
  /** Template files whose objects the render decides (rendered ones, and those of disabled subcharts: none). */
  readonly claimed: ReadonlySet<string>;
  readonly note: HelmNote | undefined;
  /**
   * Whether what the chart installs is unknown: a dependency the render loads is not vendored in charts/,
   * a values.schema.json refuses the values, or the engine could not run a template Helm renders (a
   * function it lacks, a limit). Undefined when the chart could not be loaded.
   */
  readonly missingDependency: boolean | undefined;
  /** Each rendered file's output and a fingerprint of its source map: equal ones keep its `RenderedFile`. */
  readonly outputs: ReadonlyMap<string, { readonly text: string; readonly map: string }>;
  /** What the next render after an edit in templates only starts from (`RenderOptions.previous`). */
  readonly memo: RenderMemo | undefined;
  /** values.schema.json violations (Helm then renders nothing: the chart installs nothing known). */
  readonly schema: readonly SchemaFinding[];
  /** Values the chart needs and its defaults leave empty (`helm-value-required`, units/helmNeeded.ts). */
  readonly needed: readonly NeededFinding[];
  /** API findings of packed (`charts/*.tgz`) subcharts' templates, on the parent's files (units/helmNeeded.ts `packedFindings`). */
  readonly packed: readonly PackedFinding[];
}

export interface HelmLayout {
  readonly options: HelmOptions;
  /** Root charts (folders), sorted. */
  readonly roots: readonly string[];
  readonly renders: ReadonlyMap<string, CachedRender>;
  /** Rendered template files by uri. */
  readonly rendered: ReadonlyMap<string, RenderedFile>;
  /** Input file → the root charts whose render read it. */
  readonly readers: ReadonlyMap<string, readonly string[]>;
  /** Files whose objects a render decides: rendered templates (`rendered`), or none (partials, disabled subcharts, `.Files` data). */
  readonly claimed: ReadonlySet<string>;
  readonly notes: readonly HelmNote[];
  /** The support files (not manifests) the renders could read. */
  readonly support: readonly string[];
}

export const EMPTY_HELM_LAYOUT: HelmLayout = {
  options: DEFAULT_HELM_OPTIONS,
  roots: [],
  renders: new Map(),
  rendered: new Map(),
  readers: new Map(),
  claimed: new Set(),
  notes: [],
  support: [],
};

function optionsKey(o: HelmOptions): string {
  return JSON.stringify([
    o.kubernetesVersion,
    o.releaseName,
    o.namespace,
    o.valueFiles,
    o.valuesKey ?? (o.values === undefined ? '' : '?'),
  ]);
}

/** Chart folders that are not vendored subcharts (`<chart>/charts/<sub>`) of another chart. */
function rootCharts(chartDirs: readonly string[]): string[] {
  const set = new Set(chartDirs);
  return chartDirs
    .filter((d) => {
      for (let p = dirname(d); p !== dirname(p); p = dirname(p)) {
        if (p.endsWith('/charts') && set.has(dirname(p))) return false;
      }
      return true;
    })
    .sort();
}

const VALUES_REF = /^\{\{-?\s*(?:(?:toYaml|toJson|quote|squote|int|int64|toString)\s+)?\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)/;

interface ChartInputs {
  readonly files: Map<string, string>;
  readonly texts: Map<string, string | undefined>;
}

/** Renders one root chart and maps its output onto its template files. */
function renderRoot(
  dir: string,
  inputs: ChartInputs,
  user: { readonly values: Values; readonly notes: readonly string[]; readonly files: readonly string[] },
  options: HelmOptions,
  key: string,
  analysed: (uri: string) => boolean,
  previous: CachedRender | undefined,
): CachedRender {
  const chart = loadChart(inputs.files);
  if (chart === undefined)
    return {
      key,
      texts: inputs.texts,
      rendered: new Map(),
      fallback: new Set(),
      claimed: new Set(),
      note: undefined,
      missingDependency: undefined,
      outputs: new Map(),
      memo: undefined,
      schema: [],
      needed: [],
      packed: [],
    };
  const renderOptions = {
    manifests: false,
    kubernetesVersion: options.kubernetesVersion,
    ...(options.releaseName !== '' ? { releaseName: options.releaseName } : {}),
    ...(options.namespace !== '' ? { namespace: options.namespace } : {}),
  };
  const r: RenderResult = renderChart(chart, {
    ...renderOptions,
    ...(previous?.memo !== undefined && onlyTemplatesEdited(dir, previous.texts, inputs.texts) ? { previous: previous.memo } : {}),
    values: user.values,
  });
  const releaseNamespace = options.namespace !== '' ? options.namespace : 'default';
  const uriOf = new Map<string, string>();
  for (const f of r.files) uriOf.set(f.name, `${dir}/${f.chartPath === '' ? '' : f.chartPath + '/'}${f.path}`);
  const rendered = new Map<string, RenderedFile>();
  const outputs = new Map<string, { readonly text: string; readonly map: string }>();
  const fallback = new Set<string>();
  const reasons: NotRendered[] = [];
  const rel = (uri: string): string => (isUnder(uri, dir) ? uri.slice(dir.length + 1) : uri);
  const reportSyntax = !r.templates.some((t) => t.error?.kind === 'fail' || t.error?.kind === 'required');
  const schema = chartSchemaFindings(dir, r.schema.failures, user.files, inputs.texts, analysed, options.values !== undefined);
  for (const e of r.parseErrors) {
    const uri = uriOf.get(e.source);
    if (uri === undefined) continue;
    fallback.add(uri);
    reasons.push({ path: rel(uri), reason: reasonOf(e) });
  }
  // values.yaml of each chart folder, parsed when a finding first asks for an entry of it.
  const valuesTrees = new Map<string, { uri: string; text: string; root?: YNode | undefined } | undefined>();
  const valuesFile = (chartFolder: string): { uri: string; text: string; root?: YNode | undefined } | undefined => {
    if (valuesTrees.has(chartFolder)) return valuesTrees.get(chartFolder);
    let found: { uri: string; text: string } | undefined;
    for (const name of ['values.yaml', 'values.yml']) {
      const uri = `${chartFolder}/${name}`;
      const t = inputs.texts.get(uri);
      // Related information points into files the host analyses (their lines are known).
      if (t === undefined || !analysed(uri)) continue;
      found = { uri, text: t };
      break;
    }
    valuesTrees.set(chartFolder, found);
    return found;
  };
  const valuesRoot = (v: { text: string; root?: YNode | undefined }): YNode | undefined =>
    'root' in v ? v.root : (v.root = valuesTree(v.text));
  const withFindings: TemplateFindings[] = [];
  const userGiven = options.values !== undefined || user.files.length > 0;
  const nilNote = nilValuesReader(r, uriOf, inputs.texts, userGiven);
  for (const t of r.templates) {
    const uri = uriOf.get(t.name);
    if (uri === undefined) continue;
    if (t.error !== undefined) {
      fallback.add(uri);
      reasons.push({ path: rel(uri), reason: reasonOf(t.error) });
      continue;
    }
    const templateText = inputs.texts.get(uri) ?? '';
    const chartFolder = uri.slice(0, uri.length - t.path.length - 1);
    // A template whose text, output and source map are what they were (its chart rendered again
    // for an edit elsewhere) keeps its facts: its objects are the same, and its file is not touched.
    const last = previous?.outputs.get(uri);
    // A template the render did not run again is the same object: its fingerprint is the last one.
    const output =
      last !== undefined && previous?.memo?.runs.get(t.name)?.result === t ? last : { text: t.text, map: segmentsFingerprint(t.segments) };
    outputs.set(uri, output);
    const before = previous?.rendered.get(uri);
    if (
      previous !== undefined &&
      before !== undefined &&
      previous.needed.length === 0 &&
      before.reportSyntax === reportSyntax &&
      before.nilWrites.every((w) => w.severity === (userGiven ? 'warning' : 'information')) &&
      last?.text === output.text &&
      last.map === output.map &&
      previous.texts.get(uri) === templateText &&
      ['values.yaml', 'values.yml'].every((n) => previous.texts.get(`${chartFolder}/${n}`) === inputs.texts.get(`${chartFolder}/${n}`))
    ) {
      rendered.set(uri, before);
      continue;
    }
    const map = new SourceMap(t.segments, t.name);
    const parsed = readRendered(t.text);
    const objects: KObject[] = [];
    const apiFindings: ApiFinding[] = [];
    withFindings.push({ name: t.name, uri, text: t.text, findings: apiFindings });
    const visited = { count: 0 };
    for (const doc of parsed.documents) {
      if (!isMap(doc.root)) continue;
      const root = mapTree(doc.root, map) as YMap;
      const first = objects.length;
      if (!lowerRenderedDocument(uri, doc.index, root, objects, visited)) break;
      // `.Release.Namespace` is decided at install time unless the user named it: an object in it
      // lands with the rest of the release, wherever that is (the index floats it in the chart's unit).
      if (options.namespace === '') {
        const ns = pair(pair(doc.root, 'metadata')?.value, 'namespace')?.value;
        if (isScalar(ns) && ns.value === releaseNamespace && map.written(ns.span.start))
          for (let i = first; i < objects.length; i++) {
            const o = objects[i];
            if (o !== undefined) objects[i] = { ...o, namespace: undefined };
          }
      }
      for (const f of validateDocument(doc, t.text, false)) {
        const fixes = f.fixes?.filter((x) => x.edits.every((e) => map.literalLine(t.text, e.span.start, e.span.end)));
        apiFindings.push({
          ...f,
          span: map.span(f.span),
          objectStart: map.span({ start: f.objectStart, end: f.objectStart }).start,
          ...(fixes !== undefined
            ? { fixes: fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, span: map.span(e.span) })) })) }
            : {}),
        });
      }
    }
    // The actions and their values.yaml entries are read only for findings on this file: computed
    // when first asked for (values.yaml parsed once per chart folder).
    let scanned: { actions: Span[]; valueRefs: ValueRef[] } | undefined;
    const values = valuesFile(chartFolder);
    const scan = (): { actions: Span[]; valueRefs: ValueRef[] } => {
      if (scanned !== undefined) return scanned;
      const actions: Span[] = [];
      const valueRefs: ValueRef[] = [];
      for (const a of scanActions(templateText)) {
        if (a.action === '') continue;
        actions.push({ start: a.start, end: a.end });
        const m = VALUES_REF.exec(a.action);
        if (m === null || values === undefined) continue;
        const path = (m[1] ?? '').slice(1).split('.');
        const keySpan = valueKeySpan(valuesRoot(values), path);
        if (keySpan === undefined) continue;
        valueRefs.push({
          start: a.start,
          end: a.end,
          related: { uri: values.uri, span: keySpan, message: `.Values.${path.join('.')} (values.yaml)` },
        });
      }
      return (scanned = { actions, valueRefs });
    };
    rendered.set(uri, {
      uri,
      chart: dir,
      releaseNamespace: options.namespace !== '' ? options.namespace : undefined,
      objects,
      // `%!s(<nil>)` where a printf got an unset value: the error names the value.
      syntaxErrors: parsed.errors.map((e) => ({
        span: map.span(e.span),
        message: nilNote.message(t.text, e.span.start, t.segments, e.message),
      })),
      // `%!s(<nil>)` YAML reads as text (quoted, inside a value): the same words, on lines with no syntax error.
      nilWrites: nilNote.writes(uri, t.text, t.segments, parsed.errors, (span) => map.span(span)),
      reportSyntax,
      apiFindings,
      yaml11: parsed.documents.flatMap((d) => d.yaml11.map((y) => ({ ...y, span: map.span(y.span) }))),
      get actions() {
        return scan().actions;
      },
      get valueRefs() {
        return scan().valueRefs;
      },
      renderedAt: (offset) => actionOutputs(t.text, t.segments, t.name, offset),
    });
  }
  const neededContext: NeededContext = {
    dir,
    render: r,
    uriOf,
    texts: inputs.texts,
    analysed,
    valuesAt: (chartPath) => {
      const v = valuesFile(chartPath === '' ? dir : `${dir}/${chartPath}`);
      return v === undefined ? undefined : { uri: v.uri, root: () => valuesRoot(v) };
    },
    userGiven,
  };
  const needed = neededFindings(neededContext, withFindings, (v, onEmptyRead) =>
    renderChart(chart, {
      ...renderOptions,
      values: mergeValues(copyValues(user.values) as Values, v),
      ...(onEmptyRead === undefined ? {} : { onEmptyRead }),
    }),
  );
  // Packed subcharts' templates are not analysed: their API findings go where the user can act.
  const packed = packedFindings(neededContext, withFindings);
  nilNote.dropNamed(needed);
  // Template files of disabled subcharts (condition, tags) render nothing, as in Helm.
  const lines = chartNoteLines(reasons, r.missing, [...r.problems, ...user.notes], chart.meta.name);
  const note = lines.length > 0 ? { chart: dir, message: lines.join('; ') } : undefined;
  const claimed = new Set<string>();
  for (const uri of inputs.texts.keys()) {
    const path = rel(uri);
    if (fallback.has(uri)) continue;
    if (path.startsWith('templates/') || (path.startsWith('charts/') && path.includes('/templates/'))) claimed.add(uri);
  }
  // Files templates read through `.Files` are chart data (a config a ConfigMap embeds, a file `tpl`
  // renders): Helm installs only what templates write, so they hold no objects and get no findings
  // of their own; what the templates made of them is checked where it was written. crds/ stays
  // manifests (Helm installs it as it is).
  for (const path of r.filesRead) if (!/(?:^|\/)crds\//.test(path)) claimed.add(`${dir}/${path}`);
  // A template the engine cannot run (a function it lacks, a limit it hit: Helm renders it) leaves
  // the objects Helm would write unknown, as a missing dependency does. The chart's own errors
  // (a nil value, a helper defined nowhere, `fail`) fail Helm too: those templates are read as
  // templates, their objects kept with the unreadable parts unknown.
  const ours = (kind: string | undefined): boolean => kind === 'unsupported' || kind === 'limit';
  const renderGap = r.parseErrors.some((e) => ours(e.kind)) || r.templates.some((t) => ours(t.error?.kind));
  const missingDependency = r.missing.length > 0 || r.schema.message !== undefined || renderGap;
  return { key, texts: inputs.texts, rendered, fallback, claimed, note, missingDependency, outputs, memo: r.memo, schema, needed, packed };
}

/**
 * Whether the inputs of chart `dir` are the same files as before with only template files'
 * texts changed (`templates/` of the chart or of a subchart folder): the values, Chart.yaml files
 * and `.Files` data are what the last render read, so it can keep what unaffected templates wrote.
 */
function onlyTemplatesEdited(
  dir: string,
  before: ReadonlyMap<string, string | undefined>,
  after: ReadonlyMap<string, string | undefined>,
): boolean {
  if (before.size !== after.size) return false;
  for (const [uri, t] of after) {
    if (!before.has(uri)) return false;
    if (before.get(uri) === t) continue;
    if (t === undefined || !isUnder(uri, dir) || !/^(?:charts\/[^/]+\/)*templates\//.test(uri.slice(dir.length + 1))) return false;
  }
  return true;
}

/**
 * The Helm layout of a workspace. With `previous`, a chart whose inputs all have the texts its
 * cached render read (and the same options) is not rendered again. `only`: the root charts whose
 * inputs may have changed (the files are the same ones, with some texts edited): the others keep
 * their renders without their inputs being compared.
 */
export function computeHelmLayout(
  files: ReadonlyMap<string, FileFacts>,
  text: (uri: string) => string | undefined,
  options: HelmOptions,
  previous?: HelmLayout,
  support: readonly string[] = [],
  only?: ReadonlySet<string>,
): HelmLayout {
  const chartDirs: string[] = [];
  for (const f of files.values()) if (f.toolConfig?.kind === 'helm-chart') chartDirs.push(dirname(f.uri));
  // A chart whose Chart.yaml the host read only as a support file (`kube-reach check chart/templates`).
  for (const uri of support) if (/\/Chart\.ya?ml$/.test(uri) && !files.has(uri)) chartDirs.push(dirname(uri));
  if (chartDirs.length === 0) return { ...EMPTY_HELM_LAYOUT, options, support };
  const roots = rootCharts(chartDirs);
  const key = optionsKey(options);
  const globs = Object.entries(options.valueFiles).map(([glob, list]) => ({
    match: compileTemplateGlobs([glob.replace(/\/+$/, '')]),
    files: list,
  }));
  let sorted: string[] | undefined;
  /** The files under `dir`: a run of the sorted uris (a pass over them when only a few charts are looked at). */
  const under = (dir: string): string[] => {
    const prefix = dir + '/';
    if (only !== undefined) {
      const out = new Set<string>();
      for (const u of files.keys()) if (u.startsWith(prefix)) out.add(u);
      for (const u of support) if (u.startsWith(prefix)) out.add(u);
      return [...out].sort();
    }
    const uris = (sorted ??= [...new Set([...files.keys(), ...support])].sort());
    let lo = 0;
    let hi = uris.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((uris[mid] ?? '') < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < uris.length && (uris[i] ?? '').startsWith(prefix); i++) out.push(uris[i] ?? '');
    return out;
  };
  const renders = new Map<string, CachedRender>();
  const rendered = new Map<string, RenderedFile>();
  const readers = new Map<string, string[]>();
  const claimed = new Set<string>();
  const notes: HelmNote[] = [];
  const collect = (dir: string, render: CachedRender): void => {
    renders.set(dir, render);
    for (const uri of render.texts.keys()) {
      const list = readers.get(uri);
      if (list === undefined) readers.set(uri, [dir]);
      else list.push(dir);
    }
    for (const [uri, rf] of render.rendered) rendered.set(uri, rf);
    for (const uri of render.claimed) claimed.add(uri);
    if (render.note !== undefined) notes.push(render.note);
  };
  for (const dir of roots) {
    const kept = only !== undefined && !only.has(dir) ? previous?.renders.get(dir) : undefined;
    if (kept !== undefined && kept.key === key) {
      collect(dir, kept);
      continue;
    }
    const chartFiles = new Map<string, string>();
    const texts = new Map<string, string | undefined>();
    for (const uri of under(dir)) {
      const t = text(uri);
      texts.set(uri, t);
      if (t !== undefined) chartFiles.set(uri.slice(dir.length + 1), t);
    }
    const user = userValuesFor(dir, options, globs, text, texts);
    const old = previous?.renders.get(dir);
    let render: CachedRender;
    if (
      old !== undefined &&
      old.key === key &&
      old.texts.size === texts.size &&
      [...texts].every(([uri, t]) => old.texts.has(uri) && old.texts.get(uri) === t)
    ) {
      render = old;
    } else {
      render = renderRoot(
        dir,
        { files: chartFiles, texts },
        user,
        options,
        key,
        (uri) => files.has(uri),
        old?.key === key ? old : undefined,
      );
    }
    collect(dir, render);
  }
  return { options, roots, renders, rendered, readers, claimed, notes, support };
}

/**
 * Files whose objects may differ between two layouts: of a chart rendered again, the inputs whose
 * text changed and the template files whose rendered facts or fallback reading changed (a template
 * whose output is what it was keeps its `RenderedFile`); of a chart that came or went, every input.
 */
export function helmFilesTouched(before: HelmLayout, after: HelmLayout): Set<string> {
  const out = new Set<string>();
  for (const dir of new Set([...before.roots, ...after.roots])) {
    const a = before.renders.get(dir);
    const b = after.renders.get(dir);
    if (a === b) continue;
    if (a === undefined || b === undefined) {
      for (const x of [a, b]) if (x !== undefined) for (const uri of x.texts.keys()) out.add(uri);
      continue;
    }
    for (const uri of new Set([...a.texts.keys(), ...b.texts.keys()])) {
      if (
        a.texts.get(uri) !== b.texts.get(uri) ||
        a.texts.has(uri) !== b.texts.has(uri) ||
        a.rendered.get(uri) !== b.rendered.get(uri) ||
        a.fallback.has(uri) !== b.fallback.has(uri) ||
        a.claimed.has(uri) !== b.claimed.has(uri)
      )
        out.add(uri);
    }
    // The files a schema or needed-value finding is on (values files, whose own text may not have changed: a
    // template edited elsewhere in the chart changes what `helm-value-required` says there).
    if (JSON.stringify(a.schema) !== JSON.stringify(b.schema)) for (const f of [...a.schema, ...b.schema]) out.add(f.uri);
    if (JSON.stringify(a.needed) !== JSON.stringify(b.needed)) for (const f of [...a.needed, ...b.needed]) out.add(f.uri);
    if (JSON.stringify(a.packed) !== JSON.stringify(b.packed)) for (const f of [...a.packed, ...b.packed]) out.add(f.uri);
  }
  return out;
}
