/**
 * Rancher Fleet bundles as build roots. A folder holding `fleet.yaml` (or `fleet.yml`) is a bundle,
 * and Fleet deploys it as its agent renders it (rancher/fleet `internal/bundlereader/style.go`,
 * `internal/helmdeployer/render/helm.go`, `postrender.go`, `kustomize/kustomize.go`):
 *
 * - a Helm chart (`helm.chart` a folder of the bundle holding Chart.yaml, or Chart.yaml at the
 *   bundle's root) rendered with `helm.values` then each of `helm.valuesFiles` over the chart's
 *   values; a chart of a repository or URL (`helm.repo`, `helm.chart` not a folder here) is not
 *   known here: the build is incomplete;
 * - then, when `kustomize.dir` (default the bundle's root) holds `kustomization.yaml`, the chart's
 *   output is the first resource of that kustomization (Fleet writes it as `fleet-manifests.yaml`
 *   and prepends it to `resources`) and the kustomization is built: its patches apply to the
 *   chart's objects;
 * - a bundle with neither is raw YAML: every `.yaml`, `.yml` and `.json` file below the folder,
 *   except `fleet.yaml`, its values files, folders of other bundles or charts, and `overlays/`;
 * - then `namespace` forces every object's namespace, `defaultNamespace` is where objects without
 *   one land (and the Helm release namespace), `placeBundle`.
 *
 * `targetCustomizations` give per-cluster options merged over the bundle's (Fleet's
 * `options.Merge`): each is a root of its own, and so is the bundle's own options (clusters no
 * customization matches), so they are alternatives of one another, never judged together.
 * Design notes: docs/dev/fleet.md.
 */

import type { FileFacts } from '../model/types.js';
import type { ParsedFile } from '../syntax/parse.js';
import type { YMap, YNode, YPair, YScalar } from '../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../syntax/tree.js';
import { mapOf, pairOf, scalar, seqOf } from './treeBuild.js';
import type { Span } from '../types.js';
import { basename, dirname, joinPath } from '../workspace/paths.js';
import { relativePath } from './flux.js';
import { placeNamespace } from './placeNamespace.js';
import { fleetGitRepos, gitRepoNamespace, pathBundles } from './fleetGitRepo.js';
import { FLEET_IGNORE, fleetIgnore, foldersOf } from './fleetIgnore.js';
import type { FleetIgnore } from './fleetIgnore.js';

/** The id segment that marks a Fleet bundle root: `<dir>/fleet.yaml#Bundle:<target>` (empty target: the bundle's own options). */
const MARK = '#Bundle:';

const FLEET_FILE = /^fleet\.ya?ml$/;

/** The options of one deployment of a bundle: the bundle's, with a target customization's merged over them. */
interface FleetOptions {
  readonly namespace: YScalar | undefined;
  readonly defaultNamespace: YScalar | undefined;
  readonly chart: YScalar | undefined;
  readonly repo: YScalar | undefined;
  readonly releaseName: YScalar | undefined;
  /** Values in Fleet's merge order (the bundle's values then values files, then the target's): maps, or value file paths. */
  readonly values: readonly YNode[];
  readonly kustomizeDir: YScalar | undefined;
  /** `yaml.overlays` (raw YAML bundles): not read here, the build is incomplete. */
  readonly overlays: readonly YNode[];
  /** Options not known here (`valuesFrom`, `templateValues`): the build is incomplete. */
  readonly unknown: readonly YNode[];
}

/** One deployment of a Fleet bundle: its own options, or one target customization's. */
export interface FleetRoot {
  readonly id: string;
  /** The fleet.yaml file. */
  readonly uri: string;
  /** The bundle's folder. */
  readonly dir: string;
  /** The target customization's name (undefined: the bundle's own options). */
  readonly target: string | undefined;
  readonly doc: YMap;
  readonly options: FleetOptions;
  /**
   * fleet.yaml's `name`, the bundle's name, when it is a Helm release name as it stands (Fleet's
   * `names.HelmReleaseName` leaves a lowercase DNS name of at most 53 characters unchanged): the
   * release name when `helm.releaseName` is not given (the BundleDeployment is named after the bundle).
   */
  readonly bundleName: YScalar | undefined;
  /** Value files (and the bundle's other inputs) the build reads besides the chart and kustomization. */
  readonly valueFiles: readonly string[];
  /** The namespace a GitRepo writes over the deployment (units/fleetGitRepo.ts) and where: a cached build with another is built again. */
  readonly forcedBy?: string;
}

/** A field of fleet.yaml as Fleet's reader (sigs.k8s.io/yaml, then encoding/json) finds it: the exact key, else one of another case. */
export function get(n: YNode | undefined, key: string): YNode | undefined {
  if (!isMap(n)) return undefined;
  const lower = key.toLowerCase();
  return (n.pairs.find((p) => p.key === key) ?? n.pairs.find((p) => p.key.toLowerCase() === lower))?.value;
}

export function known(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && n.value !== null && n.value !== '' ? String(n.value) : undefined;
}

/** A non-empty literal scalar, as Fleet's Go struct reads a string field (empty: not set). */
function given(n: YNode | undefined): YScalar | undefined {
  return isScalar(n) && n.value !== null && n.value !== '' ? n : undefined;
}

export function isFleetFile(uri: string): boolean {
  return FLEET_FILE.test(basename(uri));
}

/** Whether a file is a bundle's fleet.yaml (a change to it reshapes the builds). */
export function hasFleetBundle(f: FileFacts | undefined): boolean {
  return f !== undefined && !f.template && isFleetFile(f.uri);
}

export function isFleetRootId(root: string): boolean {
  return root.slice(root.lastIndexOf('/') + 1).includes(MARK);
}

/** How a finding names a Fleet root: the bundle's folder name, and its target customization. */
export function fleetRootName(root: string): string {
  const at = root.lastIndexOf(MARK);
  const bundle = basename(dirname(root.slice(0, at)));
  const target = root.slice(at + MARK.length);
  return target === '' ? bundle : `${bundle}/${target}`;
}

/** Whether a values tree holds a `${ }` template Fleet fills in per cluster. */
function templated(n: YNode): boolean {
  if (isScalar(n)) return typeof n.value === 'string' && n.value.includes('${');
  return isMap(n) ? n.pairs.some((p) => p.value !== undefined && templated(p.value)) : n.items.some(templated);
}

/** The options of one HelmOptions/kustomize/yaml block (the bundle's or a target's). */
function ownOptions(n: YMap): FleetOptions {
  const helm = get(n, 'helm');
  const values: YNode[] = [];
  const v = get(helm, 'values');
  if (isMap(v)) values.push(v);
  const files = get(helm, 'valuesFiles');
  for (const f of isSeq(files) ? files.items : []) values.push(f);
  const unknown: YNode[] = [];
  for (const key of ['valuesFrom', 'templateValues']) {
    const u = get(helm, key);
    if (u !== undefined && !(isScalar(u) && u.value === null)) unknown.push(u);
  }
  // Fleet fills `${ }` in values from the cluster (its labels, name, templateValues) unless disablePreProcess.
  if (isMap(v) && known(get(helm, 'disablePreProcess')) !== 'true' && templated(v)) unknown.push(v);
  const overlays = get(get(n, 'yaml'), 'overlays');
  return {
    namespace: given(get(n, 'namespace')),
    defaultNamespace: given(get(n, 'defaultNamespace')),
    chart: given(get(helm, 'chart')),
    repo: given(get(helm, 'repo')),
    releaseName: given(get(helm, 'releaseName')),
    values,
    kustomizeDir: given(get(get(n, 'kustomize'), 'dir')),
    overlays: isSeq(overlays) ? overlays.items : [],
    unknown,
  };
}

/** Fleet's `options.Merge`: a target's non-empty fields replace the bundle's, values merge over them, overlays add. */
function merge(base: FleetOptions, custom: FleetOptions): FleetOptions {
  return {
    namespace: custom.namespace ?? base.namespace,
    defaultNamespace: custom.defaultNamespace ?? base.defaultNamespace,
    chart: custom.chart ?? base.chart,
    repo: custom.repo ?? base.repo,
    releaseName: custom.releaseName ?? base.releaseName,
    values: [...base.values, ...custom.values],
    kustomizeDir: custom.kustomizeDir ?? base.kustomizeDir,
    overlays: [...base.overlays, ...custom.overlays],
    unknown: [...base.unknown, ...custom.unknown],
  };
}

/**
 * The Fleet bundles of the workspace, one root per deployment: the bundle's own options, and each
 * target customization not marked `doNotDeploy`.
 */
export function findFleetRoots(
  files: ReadonlyMap<string, FileFacts>,
  parse: (uri: string) => ParsedFile | undefined,
  listFiles: (dir: string) => readonly string[],
  /** The workspace's top folder (the folder holding every file): the repository root a GitRepo's `.` names (fleetGitRepo.ts). */
  top: () => string | undefined = () => undefined,
): Map<string, FleetRoot> {
  const out = new Map<string, FleetRoot>();
  const refused = new Map<string, FleetRefusal>();
  refusals.set(out, refused);
  let reaches: ReturnType<typeof fleetGitRepos> | undefined;
  for (const f of files.values()) {
    if (!hasFleetBundle(f)) continue;
    const dir = dirname(f.uri);
    // fleet.yaml wins over fleet.yml in one folder (fleetyaml.GetFleetYamlPath).
    if (basename(f.uri) === 'fleet.yml' && files.has(joinPath(dir, 'fleet.yaml'))) continue;
    const parsed = parse(f.uri);
    const doc = parsed?.documents[0]?.root;
    if (parsed === undefined || parsed.template || !isMap(doc) || (parsed.documents[0]?.errors.length ?? 0) > 0) continue;
    // A Kubernetes object named fleet.yaml is no bundle file.
    if (get(doc, 'kind') !== undefined && get(doc, 'apiVersion') !== undefined) continue;
    // Fleet's bundle reader fails on a values file it cannot read (`readResources`): no bundle.
    const missing = missingValuesFile(doc, dir, files);
    if (missing !== undefined) {
      refused.set(f.uri, { span: missing.span, file: known(missing) ?? '' });
      continue;
    }
    const base = ownOptions(doc);
    const nameNode = given(get(doc, 'name'));
    const name = known(nameNode);
    const bundleName = name !== undefined && name.length <= 53 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) ? nameNode : undefined;
    // A GitRepo of the workspace that reaches the bundle writes its targetNamespace over every deployment (bundlereader/read.go).
    const forced = gitRepoNamespace((reaches ??= fleetGitRepos(files, parse, listFiles, top)), dir);
    const add = (target: string | undefined, given: FleetOptions): void => {
      const id = `${f.uri}${MARK}${target ?? ''}`;
      if (out.has(id)) return;
      const options = forced === undefined ? given : { ...given, namespace: forced };
      const valueFiles = options.values.flatMap((n) => {
        const rel = known(n);
        return rel === undefined || isMap(n) ? [] : [joinPath(dir, rel)];
      });
      const forcedBy = forced === undefined ? undefined : `${String(forced.value)}@${forced.span.uri ?? ''}:${forced.span.start}`;
      out.set(id, { id, uri: f.uri, dir, target, doc, options, bundleName, valueFiles, ...(forcedBy !== undefined ? { forcedBy } : {}) });
    };
    add(undefined, base);
    const targets = get(doc, 'targetCustomizations');
    const deployed: Array<{ name: string; t: YMap }> = [];
    for (const [i, t] of (isSeq(targets) ? targets.items : []).entries()) {
      if (!isMap(t) || known(get(t, 'doNotDeploy')) === 'true') continue;
      deployed.push({ name: known(get(t, 'name')) ?? `#${i + 1}`, t });
    }
    for (const { name, t } of deployed) add(name, merge(base, ownOptions(t)));
    // `AllMatches`: a cluster takes every customization it matches, merged in list order (target/builder.go).
    if (known(get(doc, 'targetCustomizationMode')) === 'AllMatches')
      for (const combo of combinations(deployed.map((d) => d.t))) {
        const names = combo.map((t) => deployed.find((d) => d.t === t)?.name ?? '');
        add(
          names.join('+'),
          combo.reduce((o, t) => merge(o, ownOptions(t)), base),
        );
      }
  }
  // A GitRepo path without fleet.yaml that holds manifests is a bundle too (Fleet's bundle reader, default options).
  for (const { dir, forced } of pathBundles(reaches ?? fleetGitRepos(files, parse, listFiles, top), files, out, listFiles)) {
    // Its id reads as a fleet.yaml of the folder (paths are relative to it); its file is the GitRepo's, whose edit builds it again.
    const id = `${joinPath(dir, 'fleet.yaml')}${MARK}`;
    const uri = forced.span.uri ?? id;
    const doc = EMPTY_DOC;
    const forcedBy = `${String(forced.value)}@${forced.span.uri ?? ''}:${forced.span.start}`;
    out.set(id, {
      id,
      uri,
      dir,
      target: undefined,
      doc,
      options: { ...ownOptions(doc), namespace: forced },
      bundleName: undefined,
      valueFiles: [],
      forcedBy,
    });
  }
  return out;
}

/** The empty fleet.yaml tree of a GitRepo path without one: one tree for every layout (`sameFleetRoots` compares trees). */
const EMPTY_DOC: YMap = { kind: 'map', span: { start: 0, end: 0 }, pairs: [], unknown: false, flow: true };

/** How many merged deployments `AllMatches` adds at most (the subsets of customizations one cluster may match). */
const MAX_COMBINATIONS = 16;

/**
 * The sets of two or more customizations one cluster can match at once, in list order, smallest
 * first, at most MAX_COMBINATIONS: two that name different `clusterName`s, or `clusterSelector`
 * `matchLabels` with different values for one key, never match the same cluster.
 */
function combinations(ts: readonly YMap[]): YMap[][] {
  const out: YMap[][] = [];
  const exclusive = (a: YMap, b: YMap): boolean => {
    const na = known(get(a, 'clusterName'));
    const nb = known(get(b, 'clusterName'));
    if (na !== undefined && nb !== undefined && na !== nb) return true;
    const la = get(get(a, 'clusterSelector'), 'matchLabels');
    const lb = get(get(b, 'clusterSelector'), 'matchLabels');
    if (!isMap(la) || !isMap(lb)) return false;
    return la.pairs.some((p) => {
      const va = known(p.value);
      const vb = known(get(lb, p.key));
      return va !== undefined && vb !== undefined && va !== vb;
    });
  };
  const grow = (size: number, from: number, picked: YMap[]): void => {
    if (out.length >= MAX_COMBINATIONS) return;
    if (picked.length === size) {
      out.push(picked);
      return;
    }
    for (let i = from; i < ts.length; i++) {
      const t = ts[i];
      if (t !== undefined && !picked.some((p) => exclusive(p, t))) grow(size, i + 1, [...picked, t]);
    }
  };
  for (let size = 2; size <= ts.length; size++) grow(size, 0, []);
  return out;
}

/**
 * The first values file Fleet's bundle reader reads and the workspace lacks: `helm.valuesFiles` of
 * the bundle when it names a chart or repo, and of every target customization (`doNotDeploy` ones
 * too), relative to the bundle's folder (rancher/fleet `bundlereader/resources.go` `readResources`,
 * `generateValues`: "reading values file: …: no such file or directory" refuses the whole bundle).
 * A copy of Fleet's reference fleet.yaml at a repository's root (values1.yaml, values2.yaml) is so.
 */
export function missingValuesFile(doc: YMap, dir: string, files: ReadonlyMap<string, unknown>): YNode | undefined {
  const helms: YNode[] = [];
  const own = get(doc, 'helm');
  if (known(get(own, 'chart')) !== undefined || known(get(own, 'repo')) !== undefined) helms.push(own as YNode);
  const targets = get(doc, 'targetCustomizations');
  for (const t of isSeq(targets) ? targets.items : []) {
    const h = get(t, 'helm');
    if (h !== undefined) helms.push(h);
  }
  for (const h of helms) {
    const list = get(h, 'valuesFiles');
    for (const f of isSeq(list) ? list.items : []) {
      const rel = known(f);
      if (rel !== undefined && !rel.includes('${') && !files.has(joinPath(dir, rel))) return f;
    }
  }
  return undefined;
}

/** What the synthesized kustomization needs from the workspace (recorded by the build's host). */
export interface FleetReader {
  kustomizationOf(dir: string): string | undefined;
  filesUnder(dir: string): readonly string[];
  /** Whether a file holds plain manifests (objects, no template, no tool configuration). */
  isManifest(uri: string): boolean;
  parse(uri: string): ParsedFile | undefined;
  /** A support file's text (a `.fleetignore`). */
  text(uri: string): string | undefined;
  /** Folders whose kustomization this build reads as Fleet changed it (the chart's output prepended), filled in here. */
  readonly edited: Map<string, YMap>;
}

/** The bundle's local chart folder (holding Chart.yaml), or whether its chart is not known here. */
export function chartOf(root: FleetRoot, read: Pick<FleetReader, 'filesUnder'>): { dir?: string; remote?: YNode } {
  const o = root.options;
  const rel = known(o.chart);
  // go-getter URLs, OCI references and charts of a repository are pulled: not known here.
  if (o.repo !== undefined) return { remote: o.repo };
  const dir = rel === undefined ? root.dir : joinPath(root.dir, rel.replace(/\/+$/, ''));
  const hasChart = (d: string): boolean => read.filesUnder(d).includes(`${d}/Chart.yaml`);
  if (rel !== undefined && (/^[a-z][a-z0-9+.-]*:/i.test(rel) || rel.includes('::') || !hasChart(dir)))
    return { remote: o.chart ?? root.doc };
  return hasChart(dir) ? { dir } : {};
}

/** The folder whose kustomization.yaml Fleet builds (`kustomize.dir`, default the bundle's root), when it holds one. */
export function kustomizeDirOf(root: FleetRoot, read: Pick<FleetReader, 'kustomizationOf'>): string | undefined {
  const rel = known(root.options.kustomizeDir);
  const dir = rel === undefined ? root.dir : joinPath(root.dir, rel.replace(/^\.\/|\/+$/g, '') || '.');
  const uri = read.kustomizationOf(dir);
  // Fleet looks for `kustomization.yaml` only (kustomize.Process).
  return uri !== undefined && basename(uri) === 'kustomization.yaml' ? dir : undefined;
}

/** The kustomization folders a bundle applies: no roots of their own. */
export function fleetIncluded(root: FleetRoot, read: Pick<FleetReader, 'kustomizationOf'>): string[] {
  const dir = kustomizeDirOf(root, read);
  return dir === undefined ? [] : [dir];
}

/** A local chart as a `helmCharts` entry of a kustomization in `from`, with the bundle's release and values. */
function helmEntry(root: FleetRoot, chartDir: string, from: string, span: Span): { entry: YMap; home: YPair } {
  const o = root.options;
  const pairs: YPair[] = [pairOf('name', scalar(basename(chartDir), span), span)];
  const release = o.releaseName ?? root.bundleName;
  if (release !== undefined) pairs.push(pairOf('releaseName', release, release.span));
  const ns = o.namespace ?? o.defaultNamespace;
  if (ns !== undefined) pairs.push(pairOf('namespace', ns, ns.span));
  pairs.push(pairOf('includeCRDs', { kind: 'scalar', span, value: true, unknown: false, quoted: false }, span));
  const extra = o.values.map((v) => {
    const rel = known(v);
    return isMap(v) || rel === undefined ? v : scalar(relativePath(from, joinPath(root.dir, rel)), v.span);
  });
  if (extra.length > 0) pairs.push(pairOf('additionalValuesFiles', seqOf(extra, span), span));
  const home = relativePath(from, dirname(chartDir));
  return { entry: mapOf(pairs, span), home: pairOf('helmGlobals', mapOf([pairOf('chartHome', scalar(home, span), span)], span), span) };
}

/**
 * What Fleet's walk of the bundle's folder leaves out of its content: hidden files and folders, and
 * what its `.fleetignore` files name (units/fleetIgnore.ts).
 */
export function bundleIgnore(root: FleetRoot, read: Pick<FleetReader, 'filesUnder' | 'text'>): FleetIgnore {
  return fleetIgnore(root.dir, foldersOf(root.dir, read.filesUnder(root.dir)), read.text);
}

/** The `.fleetignore` files a bundle's build may read (inputs of the build: an edit to one builds it again). */
export function fleetIgnoreInputs(root: FleetRoot | undefined, filesUnder: (dir: string) => readonly string[]): string[] {
  return root === undefined ? [] : [...foldersOf(root.dir, filesUnder(root.dir))].map((d) => `${d}/${FLEET_IGNORE}`);
}

/** The raw YAML files of a bundle: below its folder, not of another bundle or chart, not `overlays/`, not its values files, not left out of its content. */
function rawFiles(root: FleetRoot, read: Pick<FleetReader, 'filesUnder'>, ignore: FleetIgnore): string[] {
  const all = read.filesUnder(root.dir).filter((uri) => !ignore.ignored(uri));
  const skip = new Set<string>();
  for (const uri of all) {
    const d = dirname(uri);
    if (d !== root.dir && (isFleetFile(uri) || basename(uri) === 'Chart.yaml')) skip.add(`${d}/`);
  }
  const values = new Set(root.valueFiles);
  return all.filter((uri) => {
    const rel = uri.slice(root.dir.length + 1);
    if (!/\.(ya?ml|json)$/.test(rel) || isFleetFile(uri) || values.has(uri) || rel.startsWith('overlays/')) return false;
    if ([...skip].some((p) => uri.startsWith(p))) return false;
    return true;
  });
}

/**
 * A raw YAML bundle's resources and patches, with `yaml.overlays` applied as Fleet's `patch.Process`
 * applies them: for each overlay in order, a file of `overlays/<name>/` replaces (or adds) the file of
 * the same path below the bundle, and an `x_patch.yaml` patches `x.yaml` (a JSON merge patch, or a
 * JSON patch for a list of operations). A merge patch is built as a patch targeted at the file's
 * object, marked `jsonMergePatch` so that its lists replace the object's whole, as a JSON merge patch
 * does (render/kustomize/mergePatch.ts); a target file holding other than one object, or a missing
 * target (Fleet fails) is not known here.
 */
function rawBuild(
  root: FleetRoot,
  read: FleetReader,
  ref: (u: string) => string,
  span: Span,
  unknown: YNode[],
  ignore: FleetIgnore,
): YPair[] {
  const byRel = new Map<string, string>();
  for (const uri of rawFiles(root, read, ignore)) byRel.set(uri.slice(root.dir.length + 1), uri);
  const patches: YNode[] = [];
  for (const o of root.options.overlays) {
    const name = known(o);
    const dir = name === undefined ? undefined : joinPath(root.dir, `overlays/${name}`);
    if (dir === undefined || name?.includes('..') === true) {
      unknown.push(o);
      continue;
    }
    const files = read.filesUnder(dir).filter((uri) => !ignore.ignored(uri));
    for (const uri of files) if (!basename(uri).includes('_patch.')) byRel.set(uri.slice(dir.length + 1), uri);
    for (const uri of files) {
      const rel = uri.slice(dir.length + 1);
      if (!basename(rel).includes('_patch.')) continue;
      const target = byRel.get(rel.slice(0, rel.length - basename(rel).length) + basename(rel).replace('_patch.', '.'));
      const docs = target === undefined ? undefined : read.parse(target)?.documents.filter((d) => d.root !== undefined);
      const body = read.parse(uri)?.documents[0]?.root;
      const obj = docs?.length === 1 ? docs[0]?.root : undefined;
      const kind = known(get(obj, 'kind'));
      const objName = known(get(get(obj, 'metadata'), 'name'));
      if (body === undefined || kind === undefined || objName === undefined) {
        unknown.push(o);
        continue;
      }
      const at = o.span;
      const targetNode = mapOf([pairOf('kind', scalar(kind, at), at), pairOf('name', scalar(objName, at), at)], at);
      const entry = [pairOf('path', scalar(ref(uri), at), at), pairOf('target', targetNode, at)];
      if (isMap(body)) entry.push(pairOf('jsonMergePatch', scalar('true', at), at));
      patches.push(mapOf(entry, at));
    }
  }
  const resources = [...byRel.values()].filter((u) => read.isManifest(u)).map((u) => scalar(ref(u), span));
  const out = [pairOf('resources', seqOf(resources, span), span)];
  if (patches.length > 0) out.push(pairOf('patches', seqOf(patches, span), span));
  return out;
}

/**
 * The kustomization Fleet's render amounts to for one deployment of a bundle, as a tree whose paths
 * are relative to the root id (so to the bundle's folder).
 */
export function fleetKustomization(root: FleetRoot, read: FleetReader): YMap {
  const span = root.doc.span;
  const ref = (target: string): string => `../${relativePath(root.dir, target)}`;
  const unknown: YNode[] = [...root.options.unknown];
  const pairs: YPair[] = [];
  const chart = chartOf(root, read);
  const kust = kustomizeDirOf(root, read);
  const ignore = bundleIgnore(root, read);
  // A line Go refuses fails Fleet's walk, so the bundle: not known here.
  if (ignore.malformed !== undefined) unknown.push(root.doc);
  // A chart or kustomization folder whose files the content leaves out renders without them in Fleet (a template gone, a resource kustomize cannot find): not known here.
  for (const d of [chart.dir, kust])
    if (d !== undefined && read.filesUnder(d).some((uri) => ignore.ignored(uri))) {
      unknown.push(root.doc);
      break;
    }
  if (kust !== undefined) {
    // The chart's output is the kustomization's first resource: its patches apply to the chart's objects.
    const uri = read.kustomizationOf(kust);
    const own = uri === undefined ? undefined : read.parse(uri);
    const tree = own?.documents[0]?.root;
    if (chart.dir !== undefined || chart.remote !== undefined) {
      if (own !== undefined && own.errors.length === 0 && !own.templated && isMap(tree)) {
        const added: YPair[] = [];
        if (chart.dir !== undefined) {
          const { entry, home } = helmEntry(root, chart.dir, kust, span);
          const charts = get(tree, 'helmCharts');
          added.push(pairOf('helmCharts', seqOf([entry, ...(isSeq(charts) ? charts.items : [])], span), span), home);
        } else if (chart.remote !== undefined) added.push(pairOf('generators', seqOf([chart.remote], span), span));
        const kept = tree.pairs.filter((p) => !added.some((a) => a.key === p.key));
        read.edited.set(kust, mapOf([...kept, ...added], tree.span));
      } else unknown.push(root.doc);
    }
    pairs.push(pairOf('resources', seqOf([scalar(ref(kust), span)], span), span));
  } else if (chart.dir !== undefined) {
    const { entry, home } = helmEntry(root, chart.dir, root.id, span);
    pairs.push(pairOf('helmCharts', seqOf([entry], span), span), home);
  } else if (chart.remote !== undefined) unknown.push(chart.remote);
  else for (const p of rawBuild(root, read, ref, span, unknown, ignore)) pairs.push(p);
  // Parts not known here: kustomize's generator plugins are unknown to the builder, so the build is incomplete.
  if (unknown.length > 0) pairs.push(pairOf('generators', seqOf(unknown, span), span));
  return mapOf(pairs, span);
}

/**
 * Where Fleet's agent puts a bundle's objects: `namespace` on every namespaced object (Fleet's
 * post-render sets it; a cluster-scoped object makes the deployment fail), else `defaultNamespace`
 * (the release namespace) on those without one. Without either, the agent's default namespace,
 * not known here: the objects stay floating.
 */
export function placeBundle(root: FleetRoot, objects: ReadonlyArray<{ readonly root: YMap }>): void {
  const forced = root.options.namespace;
  const ns = forced ?? root.options.defaultNamespace;
  if (ns !== undefined) placeNamespace(objects, ns, forced !== undefined);
}

/** A fleet.yaml Fleet's bundle reader refuses for a values file it cannot read: the entry, and the file as written. */
export interface FleetRefusal {
  readonly span: Span;
  readonly file: string;
}

/** The refused fleet.yaml files of the layout whose roots `findFleetRoots` returned, by uri. */
const refusals = new WeakMap<ReadonlyMap<string, FleetRoot>, ReadonlyMap<string, FleetRefusal>>();

export function refusedBundles(fleet: ReadonlyMap<string, FleetRoot> | undefined): ReadonlyMap<string, FleetRefusal> {
  return (fleet === undefined ? undefined : refusals.get(fleet)) ?? new Map();
}

/** Whether two layouts' Fleet roots are the same deployments of the same fleet.yaml trees (and refuse the same files). */
export function sameFleetRoots(a: ReadonlyMap<string, FleetRoot> | undefined, b: ReadonlyMap<string, FleetRoot>): boolean {
  if ((a?.size ?? 0) !== b.size) return false;
  for (const [id, r] of b) if (a?.get(id)?.doc !== r.doc || a.get(id)?.forcedBy !== r.forcedBy) return false;
  const [ra, rb] = [refusedBundles(a), refusedBundles(b)];
  if (ra.size !== rb.size) return false;
  for (const [uri, r] of rb) if (ra.get(uri)?.file !== r.file || ra.get(uri)?.span.start !== r.span.start) return false;
  return true;
}

/**
 * The local charts every deployment that renders them renders with the chart's own values only (no
 * `helm.values`, no values files, no overlay): their render is the Helm units' one, so `yaml-syntax`
 * on its output stays reported on the template line (as for Argo CD, units/argocdCharts.ts).
 */
export function fleetChartsWithOwnValues(
  fleet: ReadonlyMap<string, FleetRoot>,
  read: Pick<FleetReader, 'filesUnder' | 'kustomizationOf'>,
): Set<string> {
  const own = new Set<string>();
  const other = new Set<string>();
  for (const r of fleet.values()) {
    const dir = chartOf(r, read).dir;
    if (dir === undefined) continue;
    (r.options.values.length > 0 || kustomizeDirOf(r, read) !== undefined ? other : own).add(dir);
  }
  return new Set([...own].filter((c) => !other.has(c)));
}
