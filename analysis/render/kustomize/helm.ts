/**
 * `helmCharts` of a kustomization (kustomize's HelmChartInflationGenerator, which runs
 * `helm template`): a chart found locally is rendered by the core's Helm renderer
 * (analysis/render/helm/render.ts) and its documents become resources of the build, with spans in
 * the template files that wrote them. Follows kustomize's documented fields (the kustomization
 * reference, `helmCharts` and `helmGlobals`; docs/dev/kustomize.md §1):
 *
 * - the chart is `{kustomization}/{helmGlobals.chartHome}/{name}` (`chartHome` defaults to
 *   `charts`), or `{chartHome}/{name}-{version}/{name}` when the entry has both a `version` and a
 *   `repo` (where kustomize keeps a pulled version: kustomize's `absChartHome`); a chart that is
 *   not there would be pulled from `repo`: it is unknown here, and the build is incomplete (a
 *   note, not an error);
 * - values: the chart's values.yaml, or `valuesFile` instead of it (relative to the
 *   kustomization), with `valuesInline` over it (`valuesMerge`: `override`, the default; `merge`,
 *   where the file's values win; `replace`, inline values alone; merged as kyaml's merge2 does,
 *   where a `null` over a map removes the key), then `additionalValuesFiles`;
 * - `releaseName`, or a `nameTemplate` without template actions (without either kustomize asks
 *   helm to generate a name: the names are unknown, the build incomplete, the objects rendered as
 *   `release-name`), `namespace` (the release namespace; without one, the kustomization's
 *   `namespace`, else the nearest including kustomization's: kustomize ≥ 5.8's
 *   `helmRootNamespace`), `includeCRDs` (the `crds/` files of the chart and its subcharts),
 *   `skipHooks`, `skipTests` (test hooks), `kubeVersion`, `apiVersions` (more entries for
 *   `.Capabilities.APIVersions`, which otherwise lists what `helm template` has without a cluster).
 *
 * Rendered objects carry `helm: true`: kustomize's namespace transformer leaves where a chart put
 * them (transforms.ts `setNamespaces`).
 *
 * A template that fails to render makes the build incomplete (absence checks stay silent).
 */

import { parse as parseYaml } from 'yaml';
import type { Span } from '../../types.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import { isMap, isSeq } from '../../syntax/tree.js';
import { parseFile } from '../../syntax/parse.js';
import { joinPath, relativePath } from '../../workspace/paths.js';
import { loadChart } from '../helm/chart.js';
import { renderChart } from '../helm/render.js';
import { copyValues, mergeValues } from '../helm/values.js';
import type { Values } from '../helm/values.js';
import { fromYamlValue } from '../helm/template/index.js';
import type { Segment } from '../helm/template/index.js';
import { getKey, mapSpans, plain, text } from './nodes.js';
import { kustomizeScalarValue } from './folded.js';
import type { Res } from './resource.js';
import type { BuildState } from './subBuilds.js';
import { ABSENCE_SILENT, notFetchedMessage } from '../../text/notFetched.js';

/** What inflating a chart reads from the build. */
export interface ChartIo {
  /** A file's text (recorded as an input of the build). */
  text(uri: string): string | undefined;
  /** The files of the workspace under a directory (recorded as inputs). */
  filesUnder(dir: string): readonly string[];
  /** A parsed plain file (a CRD of `crds/`), recorded. */
  resources(uri: string): Res[];
  /** A file whose objects the build decides (a chart's template). */
  claim(uri: string): void;
  /** Something the build cannot know: the build is incomplete (`remote`: what kustomize would fetch it from). */
  unknown(span: Span, message: string, remote?: string): void;
}

const CHART_FILE = /(^|\/)Chart\.ya?ml$/;

function valuesOf(js: unknown): Values {
  const v = fromYamlValue(js);
  return v instanceof Map ? v : new Map();
}

function readValuesFile(io: ChartIo, uri: string, span: Span, what: string): Values | undefined {
  const t = io.text(uri);
  if (t === undefined) {
    io.unknown(span, `${what} "${uri.slice(uri.lastIndexOf('/') + 1)}" is not in the workspace`);
    return undefined;
  }
  try {
    // As Helm reads a values file (sigs.k8s.io/yaml, go-yaml v2 not strict): a key given twice is no error, the later wins.
    return valuesOf(parseYaml(t, { maxAliasCount: 100, uniqueKeys: false, logLevel: 'error' }));
  } catch {
    io.unknown(span, `${what} "${uri.slice(uri.lastIndexOf('/') + 1)}" is not valid YAML`);
    return undefined;
  }
}

/**
 * kyaml's merge2 of `src` onto `dest` (kustomize's HelmChartInflationGenerator merges valuesInline
 * and the values file so): src's scalars and lists win, maps merge, and a `null` over a map
 * removes the key (Helm then coalesces the chart's defaults under the merged file).
 */
function kyamlMerge(dest: Values, src: Values, depth = 0): Values {
  for (const [k, v] of src) {
    const d = dest.get(k);
    if (v === null && d instanceof Map) dest.delete(k);
    else if (v instanceof Map && d instanceof Map && depth < 200) kyamlMerge(d, v, depth + 1);
    else dest.set(k, copyValues(v));
  }
  return dest;
}

/** Helm's test hooks (`helm template --skip-tests` leaves them out): `test`, or the older `test-success`. */
function isTestHook(node: YMap): boolean {
  const hook = text(getKey(getKey(getKey(node, 'metadata'), 'annotations'), 'helm.sh/hook'));
  return hook !== undefined && hook.split(',').some((e) => ['test', 'test-success'].includes(e.trim()));
}

/** The files of a chart (or of a subchart under `charts/`) that `--include-crds` adds: `crds/**.yaml|yml|json`. */
const CRD_FILE = /^(charts\/[^/]+\/)*crds\/.+\.(ya?ml|json)$/;

/** Maps offsets of a template's output to the template (or the file an `include`d define lives in). */
function segmentMapper(
  segments: readonly Segment[],
  uriOf: (source: string) => string | undefined,
): (o: number) => { uri: string; start: number; end: number } | undefined {
  return (o) => {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = segments[mid];
      if (s === undefined) break;
      if (o < s.outStart) hi = mid - 1;
      else if (o >= s.outEnd) lo = mid + 1;
      else {
        const uri = uriOf(s.source);
        if (uri === undefined) return undefined;
        if (s.literal) {
          const at = s.srcStart + (o - s.outStart);
          return { uri, start: at, end: at + 1 };
        }
        return { uri, start: s.srcStart, end: s.srcEnd };
      }
    }
    return undefined;
  };
}

/** A copy of a rendered document whose spans lie in the template (a span in another file carries its uri). */
function mapNode(n: YNode, home: string, base: number, map: ReturnType<typeof segmentMapper>, rendered: string): YNode {
  const sp = (s: Span): Span => {
    const a = map(base + s.start);
    if (a === undefined) return { start: 0, end: 0 };
    const b = s.end > s.start ? map(base + s.end - 1) : a;
    const end = b !== undefined && b.uri === a.uri && b.end >= a.start ? Math.max(a.end, b.end) : a.end;
    return a.uri === home ? { start: a.start, end } : { start: a.start, end, uri: a.uri };
  };
  // kustomize reads the chart's output as it reads a resource file: folded scalars as it writes them out.
  return mapSpans(n, sp, (x) => kustomizeScalarValue(x, rendered));
}

/** The namespace a chart renders into: its entry's, else the kustomization's, else the one handed down (`used`: that one). */
type ReleaseNamespace = (entry: string | undefined) => string | undefined;

/** The resources the `helmCharts` entries of the kustomization in `dir` generate. */
export function inflateCharts(
  io: ChartIo,
  dir: string,
  k: YMap,
  kubernetesVersion: string | undefined,
  releaseNamespace: ReleaseNamespace = (e) => e,
): Res[] {
  const list = getKey(k, 'helmCharts');
  if (!isSeq(list)) return [];
  const globals = getKey(k, 'helmGlobals');
  const chartHome = joinPath(dir, text(getKey(globals, 'chartHome')) ?? 'charts');
  const out: Res[] = [];
  for (const entry of list.items) {
    if (!isMap(entry)) continue;
    const name = text(getKey(entry, 'name'));
    if (name === undefined) {
      io.unknown(entry.span, 'a helmCharts entry without a name');
      continue;
    }
    const version = text(getKey(entry, 'version'));
    const repo = text(getKey(entry, 'repo'));
    // kustomize's absChartHome: a pulled version has a folder of its own only when the entry names a repo too.
    const home = version !== undefined && repo !== undefined ? joinPath(chartHome, `${name}-${version}`) : chartHome;
    const chartDir = joinPath(home, name);
    const files = io.filesUnder(chartDir);
    if (!files.some((f) => CHART_FILE.test(f.slice(chartDir.length + 1)) && !f.slice(chartDir.length + 1).includes('/'))) {
      if (repo !== undefined)
        io.unknown(
          entry.span,
          notFetchedMessage(
            `kustomize build --enable-helm pulls chart "${name}"${version !== undefined ? ` ${version}` : ''} from ${repo} into ${relativePath(dir, home)} and renders it`,
            'its objects',
            { tail: ABSENCE_SILENT },
          ),
          repo,
        );
      else io.unknown(entry.span, `chart "${name}" is not in ${home}`);
      continue;
    }
    const chartFiles = new Map<string, string>();
    // The chart's templates are read through this build only: their objects are the build's.
    for (const f of files) if (f.slice(chartDir.length + 1).startsWith('templates/')) io.claim(f);
    for (const f of files) {
      const t = io.text(f);
      if (t !== undefined) chartFiles.set(f.slice(chartDir.length + 1), t);
    }
    const chart = loadChart(chartFiles);
    if (chart === undefined) {
      io.unknown(entry.span, `chart "${name}" has no readable Chart.yaml`);
      continue;
    }
    // Values: the chart's own (or valuesFile instead), valuesInline over them, then additionalValuesFiles.
    let values: Values = new Map();
    const valuesFile = text(getKey(entry, 'valuesFile'));
    const fileValues = valuesFile === undefined ? undefined : readValuesFile(io, joinPath(dir, valuesFile), entry.span, 'valuesFile');
    if (fileValues !== undefined) values = fileValues;
    const inlineNode = getKey(entry, 'valuesInline');
    const inline = inlineNode === undefined ? new Map() : valuesOf(plain(inlineNode));
    // An empty valuesInline is none (kustomize copies the values file then, whatever valuesMerge says).
    if (inline.size > 0) {
      const how = text(getKey(entry, 'valuesMerge')) ?? 'override';
      // Without a valuesFile kustomize merges with the chart's values.yaml; Helm coalesces those defaults anyway.
      const base = fileValues ?? (chart.values instanceof Map ? (copyValues(chart.values) as Values) : new Map());
      if (how === 'replace') values = inline;
      else if (how === 'merge') values = kyamlMerge(inline, base);
      else values = kyamlMerge(base, inline);
    }
    const extraFiles = getKey(entry, 'additionalValuesFiles');
    for (const f of isSeq(extraFiles) ? extraFiles.items : []) {
      const rel = text(f);
      // A map is inline values in a host-made tree (an Argo CD Application's values after its value files, units/argocd.ts).
      const extra = isMap(f)
        ? valuesOf(plain(f))
        : rel === undefined
          ? undefined
          : readValuesFile(io, joinPath(dir, rel), f.span, 'additionalValuesFiles entry');
      if (extra !== undefined) mergeValues(values, extra);
    }
    const apiVersions = getKey(entry, 'apiVersions');
    const extraApis = isSeq(apiVersions) ? apiVersions.items.map((n) => text(n)).filter((v): v is string => v !== undefined) : [];
    const nameTemplate = text(getKey(entry, 'nameTemplate'));
    let releaseName = text(getKey(entry, 'releaseName'));
    if (releaseName !== undefined && nameTemplate !== undefined) {
      io.unknown(entry.span, `helmCharts "${name}" sets both releaseName and nameTemplate: helm stops there`);
      continue;
    }
    // helm renders --name-template as a template: text without actions is the name itself.
    if (nameTemplate !== undefined && !nameTemplate.includes('{{')) releaseName = nameTemplate;
    if (releaseName === undefined)
      io.unknown(entry.span, `helmCharts "${name}" has no releaseName: helm generates one, so the rendered names are not known`);
    const namespace = releaseNamespace(text(getKey(entry, 'namespace')));
    const kubeVersion = text(getKey(entry, 'kubeVersion'))?.replace(/^v/, '').split('.').slice(0, 2).join('.');
    const result = renderChart(chart, {
      values,
      releaseName: releaseName ?? 'release-name',
      // kustomize runs `helm template`: no cluster to ask, so only Helm's default API versions and these.
      capabilities: 'template',
      ...(extraApis.length > 0 ? { apiVersions: extraApis } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      ...(kubeVersion !== undefined || kubernetesVersion !== undefined ? { kubernetesVersion: kubeVersion ?? kubernetesVersion } : {}),
    });
    for (const e of result.parseErrors) io.unknown(entry.span, `chart "${name}": ${e.message}`);
    for (const m of result.missing) io.unknown(entry.span, `chart "${name}": ${m}`);
    for (const t of result.templates) if (t.error !== undefined) io.unknown(entry.span, `chart "${name}": ${t.error.message}`);
    const root = chart.meta.name;
    const uriOf = (source: string): string | undefined =>
      source.startsWith(`${root}/`) ? `${chartDir}/${source.slice(root.length + 1)}` : undefined;
    const byName = new Map(result.templates.map((t) => [t.name, t]));
    const skipHooks = text(getKey(entry, 'skipHooks')) === 'true';
    const skipTests = text(getKey(entry, 'skipTests')) === 'true';
    const docsPerTemplate = new Map<string, number>();
    for (const m of result.manifests) {
      if (m.hook && skipHooks) continue;
      const t = byName.get(m.source);
      const home = uriOf(m.source);
      if (t === undefined || home === undefined) continue;
      const parsed = parseFile(m.content);
      if (parsed.errors.length > 0) io.unknown(entry.span, `chart "${name}": ${m.source} renders YAML that does not parse`);
      const map = segmentMapper(t.segments, uriOf);
      for (const doc of parsed.documents) {
        if (!isMap(doc.root)) continue;
        const node = mapNode(doc.root, home, m.outStart, map, m.content) as YMap;
        if (skipTests && m.hook && isTestHook(node)) continue;
        const n = docsPerTemplate.get(home) ?? 0;
        docsPerTemplate.set(home, n + 1);
        const objName = text(getKey(getKey(node, 'metadata'), 'name'));
        out.push({
          node,
          uri: home,
          docIndex: n,
          names: objName === undefined ? [] : [objName],
          namespaces: [text(getKey(getKey(node, 'metadata'), 'namespace'))],
          helm: true,
        });
      }
    }
    if (text(getKey(entry, 'includeCRDs')) === 'true') {
      for (const f of files)
        if (CRD_FILE.test(f.slice(chartDir.length + 1))) for (const r of io.resources(f)) out.push({ ...r, helm: true });
    }
  }
  return out;
}

/** `helmCharts` of the kustomization `kustUri` in `dir`, read through the build `st`. */
export function chartResources(
  st: BuildState,
  dir: string,
  k: YMap,
  kustUri: string,
  ns: { readonly own: string | undefined; readonly inherited: string | undefined },
  load: (uri: string) => Res[],
): Res[] {
  const filesUnder = st.host.filesUnder;
  const unknownPart = (): void => {
    st.complete = false;
    st.unknown = true;
  };
  if (filesUnder === undefined) {
    unknownPart();
    return [];
  }
  const io: ChartIo = {
    text: (uri) => {
      st.inputs.add(uri);
      return st.host.text(uri);
    },
    filesUnder: (d) => {
      const list = filesUnder.call(st.host, d);
      st.listings.set(d, list.join('\n'));
      // A chart that comes or goes changes the build: its Chart.yaml is an input either way.
      st.inputs.add(joinPath(d, 'Chart.yaml'));
      for (const f of list) st.inputs.add(f);
      return list;
    },
    resources: load,
    claim: (uri) => st.resourceFiles.add(uri),
    unknown: (span, message, remote) => {
      st.notes.push({ uri: kustUri, span: { ...span, uri: kustUri }, message, ...(remote !== undefined ? { remote } : {}) });
      unknownPart();
    },
  };
  return inflateCharts(io, dir, k, st.host.kubernetesVersion, (entry) => {
    if (entry !== undefined || ns.own !== undefined) return entry ?? ns.own;
    st.usedHelmNamespace = true;
    return ns.inherited;
  });
}
