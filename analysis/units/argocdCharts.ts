/**
 * Applications a Helm chart writes: an app-of-apps chart whose templates are Applications or
 * ApplicationSets (argocd-example-apps' `apps/`, ricsanfre/pi-cluster's `bootstrap/root`), and the
 * ones the argocd-apps chart (argoproj/argo-helm) writes from a chart's values when it is a
 * dependency not vendored (khuedoan/homelab's `system/argocd`). The chart is rendered as Argo CD
 * renders it: by the Application whose Helm source applies it (its values, release and namespace),
 * or, when no Application of the workspace applies it, as `helm template` with the chart's own
 * values (release `release-name`, as the Helm units render a chart). The Applications it writes are
 * read by the rules of `argocd.ts`, and so on down (an app of apps of apps), each render at most
 * once. Every file a render read decides the roots it made (`renderedFrom`; an edit to one reshapes
 * the layout). Design notes: docs/dev/argocd.md.
 */

import type { FileFacts } from '../model/types.js';
import { isDeferred } from '../model/deferredFacts.js';
import type { BuildResult } from '../render/kustomize/index.js';
import type { ParsedFile } from '../syntax/parse.js';
import type { YMap, YNode, YPair, YScalar } from '../syntax/tree.js';
import { get, isMap, isScalar, isSeq } from '../syntax/tree.js';
import { dirname } from '../workspace/paths.js';
import type { ArgoRoot, RenderedApp } from './argocd.js';
import { findArgoRoots, hasArgoApplication } from './argocd.js';

const ARGO_KINDS = new Set(['Application', 'ApplicationSet']);
/** How deep renders of renders are followed (an app of apps of apps …; a cycle stops at the first repeat). */
const DEPTH = 6;

/**
 * Whether a chart template's own reading holds an Argo CD Application or ApplicationSet (not read
 * from facts whose masked reading is deferred: reading them would make it, model/deferredFacts.ts).
 */
export function hasArgoTemplate(f: FileFacts | undefined): boolean {
  return f !== undefined && f.template && !isDeferred(f) && f.objects.some((o) => o.group === 'argoproj.io' && ARGO_KINDS.has(o.kind));
}

/** A template's text that writes an Argo CD Application or ApplicationSet (its `kind:` line and the argoproj.io group). */
const ARGO_TEMPLATE = /^[ \t]*kind:[ \t]*["']?Application(?:Set)?["']?[ \t]*(?:#.*)?$/m;

export function writesArgo(text: string | undefined): boolean {
  return text !== undefined && text.includes('argoproj.io/') && ARGO_TEMPLATE.test(text);
}

function known(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && n.value !== null ? String(n.value) : undefined;
}

/** The argocd-apps dependency of a chart, when it is not vendored: the values key its values are under. */
function argocdAppsKey(chart: string, parse: (uri: string) => ParsedFile | undefined, listFiles: (dir: string) => readonly string[]) {
  const doc = parse(`${chart}/Chart.yaml`)?.documents[0]?.root;
  const deps = get(doc, 'dependencies');
  for (const d of isSeq(deps) ? deps.items : []) {
    const name = known(get(d, 'name'));
    if (name !== 'argocd-apps') continue;
    const key = known(get(d, 'alias')) ?? name;
    // Vendored (charts/argocd-apps/ or a packed .tgz): the render writes its documents itself.
    if (listFiles(`${chart}/charts`).some((u) => u.slice(chart.length + 8).startsWith(name))) return undefined;
    return { key, condition: known(get(d, 'condition')) };
  }
  return undefined;
}

/** Chart folders whose render writes Argo CD documents (a template holds one, or an argocd-apps dependency not vendored). */
export function argoCharts(
  files: ReadonlyMap<string, FileFacts>,
  text: (uri: string) => string | undefined,
  parse: (uri: string) => ParsedFile | undefined,
  listFiles: (dir: string) => readonly string[],
): Set<string> {
  const out = new Set<string>();
  const charts: string[] = [];
  for (const f of files.values()) if (f.toolConfig?.kind === 'helm-chart') charts.push(dirname(f.uri));
  for (const c of charts) {
    // A vendored subchart renders with the chart that holds it.
    if (charts.some((p) => c.startsWith(`${p}/charts/`))) continue;
    if (
      listFiles(`${c}/templates`).some((u) => files.get(u)?.template === true && writesArgo(text(u))) ||
      argocdAppsKey(c, parse, listFiles) !== undefined
    )
      out.add(c);
  }
  return out;
}

function pairOf(key: string, value: YNode, keySpan: YPair['keySpan']): YPair {
  return { key, keySpan, value, keyUnknown: false };
}

function str(value: string, span: YScalar['span']): YScalar {
  return { kind: 'scalar', span, value, unknown: false, quoted: true };
}

const APP_SPEC = ['project', 'source', 'sources', 'destination', 'syncPolicy', 'ignoreDifferences', 'info', 'sourceHydrator'];
const SET_SPEC = [
  'goTemplate',
  'goTemplateOptions',
  'generators',
  'ignoreApplicationDifferences',
  'strategy',
  'syncPolicy',
  'template',
  'templatePatch',
];

/**
 * The documents argocd-apps' templates write from its values (`applications` and `applicationsets`,
 * by name as in 2.x, or a list of entries with `name` as in 1.x): each entry's fields, with the
 * spans of the values file that sets them.
 */
function argocdAppsDocs(values: YNode | undefined): YMap[] {
  const out: YMap[] = [];
  for (const [field, kind, keys] of [
    ['applicationsets', 'ApplicationSet', SET_SPEC],
    ['applications', 'Application', APP_SPEC],
  ] as const) {
    const list = get(values, field);
    const entries: Array<{ name: string; keySpan: YPair['keySpan']; data: YNode }> = [];
    if (isMap(list)) for (const p of list.pairs) if (isMap(p.value)) entries.push({ name: p.key, keySpan: p.keySpan, data: p.value });
    if (isSeq(list))
      for (const it of list.items) {
        const n = get(it, 'name');
        const name = known(n);
        if (name !== undefined && isMap(it) && n !== undefined) entries.push({ name, keySpan: n.span, data: it });
      }
    for (const e of entries) {
      if (!isMap(e.data) || e.data.pairs.length === 0) continue;
      const span = e.data.span;
      const spec: YMap = {
        kind: 'map',
        span,
        pairs: e.data.pairs.filter((p) => (keys as readonly string[]).includes(p.key)),
        unknown: false,
        flow: false,
      };
      const metadata: YMap = { kind: 'map', span, pairs: [pairOf('name', str(e.name, e.keySpan), e.keySpan)], unknown: false, flow: false };
      out.push({
        kind: 'map',
        span,
        pairs: [
          pairOf('apiVersion', str('argoproj.io/v1alpha1', span), span),
          pairOf('kind', str(kind, span), span),
          pairOf('metadata', metadata, span),
          pairOf('spec', spec, span),
        ],
        unknown: false,
        flow: false,
      });
    }
  }
  return out;
}

/** The argocd-apps documents a chart's values.yaml makes (none when its dependency's condition is false). */
function valuesDocs(
  chart: string,
  parse: (uri: string) => ParsedFile | undefined,
  listFiles: (dir: string) => readonly string[],
): RenderedApp[] {
  const dep = argocdAppsKey(chart, parse, listFiles);
  if (dep === undefined) return [];
  const uri = `${chart}/values.yaml`;
  const values = parse(uri)?.documents[0]?.root;
  if (dep.condition !== undefined) {
    let cur: YNode | undefined = values;
    for (const k of dep.condition.split('.')) cur = get(cur, k);
    if (known(cur) === 'false') return [];
  }
  const inputs = new Set([`${chart}/Chart.yaml`, uri]);
  return argocdAppsDocs(get(values, dep.key)).map((doc) => ({ uri, doc, inputs }));
}

/** The Argo CD documents a render wrote from the chart's templates. */
function renderedDocs(result: BuildResult, files: ReadonlyMap<string, FileFacts>): RenderedApp[] {
  const out: RenderedApp[] = [];
  for (const o of result.objects) {
    if (files.get(o.uri)?.template !== true) continue;
    const apiVersion = known(get(o.root, 'apiVersion')) ?? '';
    if (apiVersion.startsWith('argoproj.io/') && ARGO_KINDS.has(known(get(o.root, 'kind')) ?? ''))
      out.push({ uri: o.uri, doc: o.root, inputs: result.inputs });
  }
  return out;
}

/** A chart no Application applies, rendered as `helm template` would: an Application whose one Helm source is the chart. */
function standalone(chart: string, parse: (uri: string) => ParsedFile | undefined): ArgoRoot | undefined {
  const uri = `${chart}/Chart.yaml`;
  const doc = parse(uri)?.documents[0]?.root;
  if (!isMap(doc)) return undefined;
  const span = doc.span;
  const pathNode = str(chart.slice(chart.lastIndexOf('/') + 1), span);
  const node: YMap = {
    kind: 'map',
    span,
    pairs: [pairOf('helm', { kind: 'map', span, pairs: [], unknown: false, flow: false }, span)],
    unknown: false,
    flow: false,
  };
  const name = 'release-name';
  return {
    id: `${uri}#Application:${name}`,
    uri,
    name,
    doc,
    sources: [{ node, path: chart, pathNode, repoRoot: dirname(chart) }],
    unknown: [],
    namespace: undefined,
    refs: new Map(),
    nameNode: undefined,
    spec: doc,
  };
}

/** Adds a render's documents and the files it read; whether it wrote any. */
function take(found: readonly RenderedApp[], rendered: RenderedApp[], inputs: Set<string>): boolean {
  for (const d of found) {
    rendered.push(d);
    for (const u of d.inputs) inputs.add(u);
  }
  return found.length > 0;
}

export interface RenderedRoots {
  readonly roots: Map<string, ArgoRoot>;
  /** The parents rendered for them (not roots: their objects stay the Helm units'), by id. */
  readonly parents: ReadonlyMap<string, ArgoRoot>;
  /** Every file a render that wrote Applications read (an edit to one reshapes the layout). */
  readonly inputs: Set<string>;
}

/**
 * The Argo CD roots with those that charts' renders write: the charts of `argoCharts` rendered by
 * the Applications that apply them (a Helm source naming the folder), the others on their own;
 * then again for the Applications found, until no new render writes one. `build` builds a root
 * or parent (after `parents` holds it); `find` reads the roots with the rendered documents.
 */
export function withRenderedApplications(
  roots: Map<string, ArgoRoot>,
  charts: ReadonlySet<string>,
  files: ReadonlyMap<string, FileFacts>,
  parse: (uri: string) => ParsedFile | undefined,
  listFiles: (dir: string) => readonly string[],
  parents: Map<string, ArgoRoot>,
  build: (id: string) => BuildResult,
  find: (rendered: readonly RenderedApp[]) => Map<string, ArgoRoot>,
): RenderedRoots {
  const inputs = new Set<string>();
  if (charts.size === 0) return { roots, parents, inputs };
  const rendered: RenderedApp[] = [];
  const done = new Set<string>();
  const applied = new Set<string>();
  let current = roots;
  for (let depth = 0; depth < DEPTH; depth++) {
    let more = false;
    for (const r of current.values()) {
      if (
        done.has(r.id) ||
        !r.sources.some((s) => charts.has(s.path) && get(s.node, 'kustomize') === undefined && get(s.node, 'directory') === undefined)
      )
        continue;
      done.add(r.id);
      parents.set(r.id, r);
      for (const s of r.sources) applied.add(s.path);
      // argocd-apps writes from the chart's own values here (an Application's values over them are not read).
      const found = [
        renderedDocs(build(r.id), files),
        ...r.sources.map((s) => (charts.has(s.path) ? valuesDocs(s.path, parse, listFiles) : [])),
      ];
      more = take(found.flat(), rendered, inputs) || more;
    }
    if (depth === 0)
      for (const c of [...charts].sort()) {
        const p = applied.has(c) ? undefined : standalone(c, parse);
        if (p === undefined) continue;
        parents.set(p.id, p);
        more = take([...renderedDocs(build(p.id), files), ...valuesDocs(c, parse, listFiles)], rendered, inputs) || more;
      }
    if (!more) break;
    current = find(rendered);
  }
  return { roots: current, parents, inputs };
}

/**
 * Chart folders that Applications apply with the chart's own values only (a Helm source with no
 * value files, values or parameters), each of them so: their render is the Helm units' render of
 * the chart, whose broken rendered YAML (`yaml-syntax`) stands for them (units/structure.ts).
 */
export function chartsWithOwnValues(roots: ReadonlyMap<string, ArgoRoot>, listFiles: (dir: string) => readonly string[]): Set<string> {
  const own = new Set<string>();
  const other = new Set<string>();
  for (const r of roots.values())
    for (const s of r.sources) {
      if (
        !listFiles(s.path).includes(`${s.path}/Chart.yaml`) ||
        get(s.node, 'kustomize') !== undefined ||
        get(s.node, 'plugin') !== undefined
      )
        continue;
      const h = get(s.node, 'helm');
      const values = ['valueFiles', 'values', 'valuesObject', 'parameters', 'fileParameters'].some((k) => get(h, k) !== undefined);
      (values ? other : own).add(s.path);
    }
  return new Set([...own].filter((c) => !other.has(c)));
}

/** The folders of this repository Applications render with a config management plugin not run here, by layout's roots. */
const pluginFolders = new WeakMap<ReadonlyMap<string, ArgoRoot>, ReadonlySet<string>>();

/**
 * The folders of this repository an Application renders with a config management plugin Kube Reach
 * does not run (not `kustomize build`: units/argocdPlugins.ts). A chart among them is rendered by the
 * plugin (`helm template … | argocd-vault-plugin generate -`, with the plugin's own value arguments),
 * not by Helm with its defaults: its own render is not checked (units/structure.ts `checkedFacts`).
 */
export function pluginRenderedFolders(roots: ReadonlyMap<string, ArgoRoot> | undefined): ReadonlySet<string> {
  if (roots === undefined) return new Set();
  let out = pluginFolders.get(roots);
  if (out === undefined) {
    const found = new Set<string>();
    for (const r of roots.values())
      for (const s of r.sources) if (get(s.node, 'plugin') !== undefined && s.kustomizePlugin !== true) found.add(s.path);
    pluginFolders.set(roots, (out = found));
  }
  return out;
}

/**
 * The Argo CD roots of a workspace (units/argocd.ts), with those charts' renders write; `inputs`:
 * every file those renders read (undefined: none). `build` builds a root or parent `parents` holds.
 */
export function readArgoRoots(
  files: ReadonlyMap<string, FileFacts>,
  text: (uri: string) => string | undefined,
  parse: (uri: string) => ParsedFile | undefined,
  listFiles: (dir: string) => readonly string[],
  parents: Map<string, ArgoRoot>,
  build: (id: string) => BuildResult,
): { readonly roots: ReadonlyMap<string, ArgoRoot>; readonly inputs: ReadonlySet<string> | undefined } {
  // The files an ApplicationSet's git files generator reads decide its Applications too.
  const read = new Set<string>();
  const recorded = (uri: string): ParsedFile | undefined => {
    read.add(uri);
    return parse(uri);
  };
  const roots = findArgoRoots(files, recorded, listFiles);
  const charts = argoCharts(files, text, parse, listFiles);
  const r = withRenderedApplications(roots, charts, files, parse, listFiles, parents, build, (rendered) =>
    findArgoRoots(files, recorded, listFiles, rendered),
  );
  for (const u of read) if (!hasArgoApplication(files.get(u))) r.inputs.add(u);
  return { roots: r.roots, inputs: r.inputs.size > 0 ? r.inputs : undefined };
}
