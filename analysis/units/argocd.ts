/**
 * Argo CD Applications as build roots. An `argoproj.io` Application (or one an ApplicationSet's
 * list or git directory generator makes, `argocdSets.ts`) whose source is this repository applies
 * `path` as Argo CD's repo-server renders it: a Chart.yaml there → Helm (`spec.source.helm`), a
 * kustomization → kustomize (`spec.source.kustomize`), else a directory of plain manifests
 * (`directory.recurse`, `include`/`exclude`); every source of `spec.sources` together, `$ref`
 * values files from a `ref` source of the same repository; then objects without a namespace land
 * in `destination.namespace` (`argocdDestination.ts` `placeInDestination`).
 *
 * The builder reads that as a kustomization of its own (`argoKustomization`, as a Flux root's:
 * `KustomizeHost.kustomizationTree`): a kustomize source is a resource with the source's options on
 * top, a Helm source a `helmCharts` entry, a directory source its files. A source not known here
 * (a chart of a Helm repository, another repository's path, a plugin other than `kustomize build`, argocdPlugins.ts;
 * Jsonnet; a templated field)
 * is a `generators` entry, which makes the build incomplete (absence claims stay silent). A folder
 * a kustomize source applies is no longer a root of its own. Design notes: docs/dev/argocd.md.
 */

import { parse as parseYaml } from 'yaml';
import type { Span } from '../types.js';
import { remembered } from './factsMemo.js';
import type { FileFacts, KObject } from '../model/types.js';
import type { ParsedFile } from '../syntax/parse.js';
import type { YMap, YNode, YPair, YScalar } from '../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../syntax/tree.js';
import { mapOf, pairOf, scalar, seqOf } from './treeBuild.js';
import { dirname, joinPath } from '../workspace/paths.js';
import { applicationSetApps, globMatch, type ArgoNote } from './argocdSets.js';
import { relativePath, repositoryRoot } from './flux.js';
import { clusterNames, destinationCluster } from './argocdDestination.js';
import { newFileGlobbing } from './argocdGenerators.js';
import { argoLoadRestrictor, cmpPlugins, kustomizePlugin, pluginKey, sourcesRestrictor, type PluginDef } from './argocdPlugins.js';
import { sourcePluginNotes } from './argocdPluginNotes.js';
import { recordSetReleases } from './argocdSetCharts.js';

const ARGO_GROUP = 'argoproj.io';
/** The id segment that marks an Application root: `<file>#Application:<name>`. */
const MARK = '#Application:';

/** A source of an Application read from this repository. */
interface ArgoSource {
  readonly node: YMap;
  /** The folder `path` names. */
  readonly path: string;
  readonly pathNode: YScalar;
  /** The repository root the path was read from. */
  readonly repoRoot: string;
  /** A config management plugin whose generate step is `kustomize build` (argocdPlugins.ts): the folder is built as a kustomize source. */
  readonly kustomizePlugin?: true;
}

/** An Argo CD Application with at least one source in this repository. */
export interface ArgoRoot {
  readonly id: string;
  readonly uri: string;
  readonly name: string;
  /** The document it comes from (an ApplicationSet's for a generated one): the same tree, the same root. */
  readonly doc: YMap;
  readonly sources: readonly ArgoSource[];
  /** Sources not known here (each makes the build incomplete). */
  readonly unknown: readonly YNode[];
  /** `spec.destination.namespace` (unknown when templated), if set. */
  readonly namespace: YScalar | undefined;
  /** The destination cluster (`destinationCluster`): undefined when not known here. */
  readonly cluster?: string;
  /** `$ref` values sources: ref name → the repository folder their `$ref/...` paths start from. */
  readonly refs: ReadonlyMap<string, string>;
  /** The Application's name node (where names it makes point when nothing else sets them). */
  readonly nameNode: YNode | undefined;
  readonly spec: YMap;
  /** Made by a render (a chart's template or values, argocdCharts.ts): the files it read decide this root too. */
  readonly renderedFrom?: ReadonlySet<string>;
  /** Notes about how it was made (in `uri`). */
  readonly notes?: readonly ArgoNote[];
  /** With plugin sources: which are built as `kustomize build` (`k`) and which are not (`-`), in order; a change rebuilds the root. */
  readonly pluginKey?: string;
  /** How its `kustomize build` loads a file outside a kustomization's folder (argocdPlugins.ts `sourcesRestrictor`). */
  readonly loadRestrictor?: 'none' | 'root-only' | 'plugin';
}

/** An Application as read from a document (or made by an ApplicationSet). */
export interface AppDoc {
  readonly name: string;
  readonly nameNode: YNode | undefined;
  readonly spec: YMap;
  /** A part not known here (a generator's parameters: clusters, pull requests, …; a templatePatch): the build is incomplete. */
  readonly notKnown?: YNode;
  /** Notes about the ApplicationSet that made it (a generator whose parameters come from outside the repository). */
  readonly notes?: readonly ArgoNote[];
}

function get(n: YNode | undefined, key: string): YNode | undefined {
  return isMap(n) ? n.pairs.find((p) => p.key === key)?.value : undefined;
}

function known(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && n.value !== null ? String(n.value) : undefined;
}

/** Whether a file's facts hold an Argo CD Application or ApplicationSet (a change to it reshapes the builds; remembered per facts). */
export function hasArgoApplication(f: FileFacts | undefined): boolean {
  const app = (o: KObject): boolean => o.group === ARGO_GROUP && (o.kind === 'Application' || o.kind === 'ApplicationSet');
  return f !== undefined && !f.template && remembered(argoFacts, f, (x) => x.objects.some(app));
}
const argoFacts = new WeakMap<FileFacts, boolean>();

export function isArgoRootId(root: string): boolean {
  return root.slice(root.lastIndexOf('/') + 1).includes(MARK);
}

/** The Application's name in a root id. */
export function argoRootName(root: string): string {
  return root.slice(root.lastIndexOf(MARK) + MARK.length);
}

/** A repository URL as one repository: scheme, `git@host:`, `.git` and a trailing slash do not matter. */
function sameRepo(url: string): string {
  return url
    .toLowerCase()
    .replace(/^[a-z+]+:\/\/([^@/]*@)?/, '')
    .replace(/^[^@/]+@([^:/]+):/, '$1/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

interface Candidate {
  readonly uri: string;
  readonly doc: YMap;
  readonly app: AppDoc;
  readonly local: Array<ArgoSource & { readonly repo: string }>;
  readonly unknown: YNode[];
  readonly refs: Array<{ readonly name: string; readonly repo: string }>;
  /** The render that wrote it (an Application a chart's template or values make, argocdCharts.ts). */
  readonly from?: RenderedApp | undefined;
}

/** An Argo CD document a render wrote (argocdCharts.ts): its file, its tree, and every file the render read. */
export interface RenderedApp {
  readonly uri: string;
  readonly doc: YMap;
  readonly inputs: ReadonlySet<string>;
}

/**
 * The Applications of the workspace with a source in this repository, by root id. A source is this
 * repository's when its `path` names a folder holding workspace files (from the nearest folder at or
 * above the Application's file, as a Flux path) and it names no `chart`; when sources of several
 * repository URLs name such folders, the URL most of them name is this repository (the others'
 * sources are unknown: another repository's `deploy` folder is not this one's).
 */
export function findArgoRoots(
  files: ReadonlyMap<string, FileFacts>,
  parse: (uri: string) => ParsedFile | undefined,
  filesUnder: (dir: string) => readonly string[],
  rendered: readonly RenderedApp[] = [],
): Map<string, ArgoRoot> {
  const holdsFiles = (dir: string): boolean => filesUnder(dir).length > 0;
  const candidates: Candidate[] = [];
  let globbing: boolean | undefined;
  const add = (uri: string, root: YMap, rendered?: RenderedApp): void => {
    // The files an ApplicationSet's generators read (git files) decide its Applications, as a render's inputs do.
    const read = new Set<string>();
    const recorded = (u: string): ParsedFile | undefined => {
      read.add(u);
      return parse(u);
    };
    const apps = appsOf(uri, root, filesUnder, recorded, () => (globbing ??= newFileGlobbing(files, parse)));
    const from = rendered ?? (read.size > 0 ? { uri, doc: root, inputs: read } : undefined);
    for (const app of apps) candidates.push({ ...candidate(uri, root, app, holdsFiles), from });
  };
  for (const f of files.values()) {
    if (f.toolConfig !== undefined || !hasArgoApplication(f)) continue;
    const parsed = parse(f.uri);
    if (parsed === undefined || parsed.template) continue;
    for (const d of parsed.documents) if (isMap(d.root) && d.errors.length === 0) add(f.uri, d.root);
  }
  for (const r of rendered) add(r.uri, r.doc, r);
  // The repository URL most local sources name is this repository's (a tie keeps them all).
  const votes = new Map<string, number>();
  for (const c of candidates) for (const s of c.local) votes.set(s.repo, (votes.get(s.repo) ?? 0) + 1);
  let most = 0;
  for (const n of votes.values()) most = Math.max(most, n);
  const ours = new Set([...votes].filter(([, n]) => n === most).map(([r]) => r));
  const out = new Map<string, ArgoRoot>();
  let names: ReadonlyMap<string, string> | undefined;
  let plugins: ReadonlyMap<string, PluginDef> | undefined, cm: { readonly value: 'none' | 'root-only' | undefined } | undefined;
  const pluginDefs = (): ReadonlyMap<string, PluginDef> => (plugins ??= cmpPlugins(files, parse));
  const viaPlugin = (s: ArgoSource): ArgoSource => (kustomizePlugin(s.node, pluginDefs) ? { ...s, kustomizePlugin: true } : s);
  for (const c of candidates) {
    const sources = c.local.filter((s) => ours.has(s.repo)).map(viaPlugin);
    if (sources.length === 0) continue;
    // A source rendered by a plugin not run here (not `kustomize build`): a note names it (argocdPluginNotes.ts).
    const built = new Set(sources.filter((s) => s.kustomizePlugin === true).map((s) => s.node));
    const charts = new Set(sources.filter((s) => filesUnder(s.path).includes(`${s.path}/Chart.yaml`)).map((s) => s.node));
    const pluginNotes = sourcePluginNotes(sourceList(c.app.spec), built, pluginDefs, charts);
    const notes = [...(c.app.notes ?? []), ...pluginNotes];
    const restrictor = sourcesRestrictor(sources, pluginDefs, () => (cm ??= { value: argoLoadRestrictor(files, parse) }).value);
    const key = pluginKey(sources, pluginNotes, restrictor);
    const unknown = [...c.unknown, ...c.local.filter((s) => !ours.has(s.repo)).map((s) => s.node)];
    const refs = new Map<string, string>();
    for (const r of c.refs) {
      // A `$ref/...` path starts at the root of this repository, where its path sources are read from.
      const s = sources[0];
      if (ours.has(r.repo) && s !== undefined) refs.set(r.name, s.repoRoot);
    }
    const id = `${c.uri}${MARK}${c.app.name}`;
    if (out.has(id)) continue;
    const ns = get(get(c.app.spec, 'destination'), 'namespace');
    const cluster = destinationCluster(c.app.spec, (names ??= clusterNames(files, parse)));
    out.set(id, {
      id,
      uri: c.uri,
      name: c.app.name,
      doc: c.doc,
      sources,
      unknown,
      namespace: isScalar(ns) && ns.value !== '' ? ns : undefined,
      ...(cluster !== undefined ? { cluster } : {}),
      refs,
      nameNode: c.app.nameNode,
      spec: c.app.spec,
      ...(c.from !== undefined ? { renderedFrom: c.from.inputs } : {}),
      ...(notes.length > 0 ? { notes } : {}),
      ...(key !== undefined ? { pluginKey: key } : {}),
      ...(restrictor !== undefined ? { loadRestrictor: restrictor } : {}),
    });
  }
  recordSetReleases(out, candidates, new Set(rendered.map((r) => r.doc)));
  return out;
}

/** The Applications an Argo CD document is or makes (an ApplicationSet's from its generators). */
function appsOf(
  uri: string,
  root: YMap,
  filesUnder: (dir: string) => readonly string[],
  parse: (uri: string) => ParsedFile | undefined,
  newGlobbing: () => boolean,
): AppDoc[] {
  const apiVersion = known(get(root, 'apiVersion')) ?? '';
  if (!apiVersion.startsWith(`${ARGO_GROUP}/`)) return [];
  const kind = known(get(root, 'kind'));
  if (kind === 'ApplicationSet') return applicationSetApps(root, dirname(uri), filesUnder, parse, newGlobbing());
  if (kind !== 'Application') return [];
  const nameNode = get(get(root, 'metadata'), 'name');
  const name = known(nameNode);
  const spec = get(root, 'spec');
  return name !== undefined && isMap(spec) ? [{ name, nameNode, spec }] : [];
}

/** An Application spec's sources: `sources`, else `source`. */
function sourceList(spec: YMap): YNode[] {
  const many = get(spec, 'sources');
  return isSeq(many) ? many.items : [get(spec, 'source')].filter((n): n is YNode => n !== undefined);
}

function candidate(uri: string, doc: YMap, app: AppDoc, holdsFiles: (dir: string) => boolean): Candidate {
  const list = sourceList(app.spec);
  const c: Candidate = {
    uri,
    doc,
    app,
    local: [],
    unknown: app.notKnown !== undefined ? [app.notKnown] : [],
    refs: [],
  };
  for (const node of list) {
    if (!isMap(node)) {
      c.unknown.push(node);
      continue;
    }
    const repo = known(get(node, 'repoURL'));
    const pathNode = get(node, 'path');
    const rel = known(pathNode)?.replace(/^\.\//, '');
    const ref = known(get(node, 'ref'));
    // A `ref` source gives its repository to `$ref/...` value files; with a `path` it renders that folder too.
    if (ref !== undefined && repo !== undefined && get(node, 'chart') === undefined) c.refs.push({ name: ref, repo: sameRepo(repo) });
    if (ref !== undefined && pathNode === undefined) continue;
    // A chart of a Helm repository, a templated or root path (the repository root is not known here).
    if (get(node, 'chart') !== undefined || repo === undefined || !isScalar(pathNode) || rel === undefined || rel === '' || rel === '.') {
      c.unknown.push(node);
      continue;
    }
    const repoRoot = /^[a-z][a-z0-9+.-]*:|^\//i.test(rel) ? undefined : repositoryRoot(dirname(uri), rel, holdsFiles);
    if (repoRoot === undefined) c.unknown.push(node);
    else c.local.push({ node, path: joinPath(repoRoot, rel), pathNode, repoRoot, repo: sameRepo(repo) });
  }
  return c;
}

/** A plain value (a `values` string read as YAML, `--set` parameters) as a tree with one span. */
function fromPlain(v: unknown, span: Span): YNode {
  if (Array.isArray(v))
    return seqOf(
      v.map((x) => fromPlain(x, span)),
      span,
    );
  if (v !== null && typeof v === 'object')
    return mapOf(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => pairOf(k, fromPlain(x, span), span)),
      span,
    );
  const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
  return { kind: 'scalar', span, value, unknown: false, quoted: typeof v === 'string' };
}

/** What the synthesized kustomization needs from the workspace (recorded by the build's host). */
interface ArgoReader {
  kustomizationOf(dir: string): string | undefined;
  filesUnder(dir: string): readonly string[];
  /** Whether a file holds plain manifests (objects, no template, no tool configuration). */
  isManifest(uri: string): boolean;
  parse(uri: string): ParsedFile | undefined;
  /** Folders whose kustomization this build reads as Argo CD edited it (`kustomize edit set`), filled in here. */
  readonly edited: Map<string, YMap>;
}

type Tool = 'helm' | 'kustomize' | 'directory' | undefined;

/** Argo CD's tool detection: an explicit tool, else Chart.yaml → Helm, a kustomization → kustomize, else a directory. */
function toolOf(s: ArgoSource, read: ArgoReader): Tool {
  const chart = read.filesUnder(s.path).some((u) => u === `${s.path}/Chart.yaml`);
  const kust = read.kustomizationOf(s.path) !== undefined;
  const explicit = (['helm', 'kustomize', 'directory'] as const).filter((k) => get(s.node, k) !== undefined);
  const plugin = get(s.node, 'plugin') !== undefined;
  if ((plugin && (s.kustomizePlugin !== true || explicit.length > 0)) || explicit.length > 1) return undefined;
  const tool = plugin ? 'kustomize' : (explicit[0] ?? (chart ? 'helm' : kust ? 'kustomize' : 'directory'));
  // An explicit tool the folder cannot feed fails to render in Argo CD.
  if ((tool === 'helm' && !chart) || (tool === 'kustomize' && !kust) || (tool === 'directory' && (kust || chart))) return undefined;
  return tool;
}

/**
 * The kustomization Argo CD's render amounts to for an Application root, as a tree whose paths
 * are relative to the root id (so to the Application file's folder).
 */
export function argoKustomization(root: ArgoRoot, read: ArgoReader): YMap {
  const from = dirname(root.uri);
  const ref = (target: string): string => `../${relativePath(from, target)}`;
  const resources: YNode[] = [];
  const charts: YNode[] = [];
  const unknown: YNode[] = [...root.unknown];
  const pairs: YPair[] = [];
  let options = 0;
  for (const s of root.sources) {
    const at = s.pathNode.span;
    const tool = toolOf(s, read);
    if (tool === 'kustomize') {
      resources.push(scalar(ref(s.path), at));
      const k = get(s.node, 'kustomize');
      if (isMap(k) && options++ > 0) unknown.push(k);
      else if (isMap(k)) for (const p of kustomizeOptions(editSet(k, s.path, read), s, ref)) pairs.push(p);
    } else if (tool === 'helm') charts.push(helmEntry(root, s, read, ref, unknown));
    else if (tool === 'directory') {
      const dir = get(s.node, 'directory');
      const recurse = known(get(dir, 'recurse')) === 'true';
      const include = known(get(dir, 'include'));
      const exclude = known(get(dir, 'exclude'));
      if (get(dir, 'jsonnet') !== undefined && get(get(dir, 'jsonnet'), 'libs') !== undefined) unknown.push(dir as YNode);
      for (const uri of read.filesUnder(s.path)) {
        const rel = uri.slice(s.path.length + 1);
        if (!recurse && rel.includes('/')) continue;
        if (exclude !== undefined && globMatch(exclude, rel)) continue;
        if (include !== undefined && !globMatch(include, rel)) continue;
        if (/\.jsonnet$/.test(rel)) unknown.push(s.node);
        else if (/\.(ya?ml|json)$/.test(rel) && read.isManifest(uri)) resources.push(scalar(ref(uri), at));
      }
    } else unknown.push(s.node);
  }
  const span = root.spec.span;
  pairs.unshift(pairOf('resources', seqOf(resources, span), span));
  if (charts.length > 0) {
    pairs.push(pairOf('helmCharts', seqOf(charts, span), span));
    pairs.push(pairOf('helmGlobals', mapOf([pairOf('chartHome', scalar('..', span), span)], span), span));
  }
  // Parts not known here: kustomize's generator plugins are unknown to the builder, so the build is incomplete.
  if (unknown.length > 0) pairs.push(pairOf('generators', seqOf(unknown, span), span));
  return mapOf(pairs, span);
}

/** The fields Argo CD writes into the folder's kustomization with `kustomize edit set` (replacing the folder's own). */
const EDIT_SET = ['namePrefix', 'nameSuffix', 'namespace'];

/**
 * Argo CD runs `kustomize edit set nameprefix|namesuffix|namespace` in the source folder: where the
 * folder's kustomization sets the same field, the Application's replaces it (`read.edited`), and the
 * options left are built over the folder. Elsewhere an option over the folder builds the same.
 */
function editSet(k: YMap, dir: string, read: ArgoReader): YMap {
  const uri = read.kustomizationOf(dir);
  const own = uri === undefined ? undefined : read.parse(uri);
  const tree = own?.documents[0]?.root;
  if (own === undefined || own.errors.length > 0 || own.templated || !isMap(tree)) return k;
  const set = k.pairs.filter((p) => EDIT_SET.includes(p.key) && p.value !== undefined && tree.pairs.some((q) => q.key === p.key));
  if (set.length === 0) return k;
  read.edited.set(
    dir,
    mapOf(
      tree.pairs.map((q) => set.find((p) => p.key === q.key) ?? q),
      tree.span,
    ),
  );
  return { ...k, pairs: k.pairs.filter((p) => !set.includes(p)) };
}

/** `spec.source.kustomize` as fields of the kustomization over the source's folder. */
function kustomizeOptions(k: YMap, s: ArgoSource, ref: (target: string) => string): YPair[] {
  const out: YPair[] = [];
  const pair = (key: string): YPair | undefined => k.pairs.find((p) => p.key === key && p.value !== undefined);
  for (const key of ['namePrefix', 'nameSuffix', 'namespace', 'commonAnnotations', 'replicas']) {
    const p = pair(key);
    if (p !== undefined) out.push(p);
  }
  const labels = pair('commonLabels');
  if (labels?.value !== undefined) {
    if (known(get(k, 'labelWithoutSelector')) === 'true') {
      // Argo CD's labelWithoutSelector: labels on metadata (and templates with labelIncludeTemplates), never selectors.
      const entry = mapOf(
        [
          pairOf('pairs', labels.value, labels.keySpan),
          pairOf('includeSelectors', { kind: 'scalar', span: labels.keySpan, value: false, unknown: false, quoted: false }, labels.keySpan),
          pairOf(
            'includeTemplates',
            {
              kind: 'scalar',
              span: labels.keySpan,
              value: known(get(k, 'labelIncludeTemplates')) === 'true',
              unknown: false,
              quoted: false,
            },
            labels.keySpan,
          ),
        ],
        labels.value.span,
      );
      out.push(pairOf('labels', seqOf([entry], labels.value.span), labels.keySpan));
    } else out.push(labels);
  }
  const images = pair('images');
  if (images?.value !== undefined && isSeq(images.value))
    out.push(pairOf('images', seqOf(images.value.items.map(imageEntry), images.value.span), images.keySpan));
  // Paths of patches and components are the source folder's.
  const patches = pair('patches');
  if (patches?.value !== undefined && isSeq(patches.value)) {
    const items = patches.value.items.map((it) => {
      const p = known(get(it, 'path'));
      if (!isMap(it) || p === undefined) return it;
      return mapOf(
        it.pairs.map((q) =>
          q.key === 'path' && q.value !== undefined ? pairOf('path', scalar(ref(joinPath(s.path, p)), q.value.span), q.keySpan) : q,
        ),
        it.span,
      );
    });
    out.push(pairOf('patches', seqOf(items, patches.value.span), patches.keySpan));
  }
  const components = pair('components');
  if (components?.value !== undefined && isSeq(components.value)) {
    const items = components.value.items.map((it) => {
      const c = known(it);
      return c === undefined ? it : scalar(ref(joinPath(s.path, c)), it.span);
    });
    out.push(pairOf('components', seqOf(items, components.value.span), components.keySpan));
  }
  return out;
}

/** An Argo CD image override (`name=new:tag`, `name:tag`, `name@digest`) as a kustomize `images` entry. */
function imageEntry(n: YNode): YNode {
  const v = known(n);
  if (v === undefined) return n;
  const eq = v.indexOf('=');
  const name0 = eq === -1 ? undefined : v.slice(0, eq);
  const image = eq === -1 ? v : v.slice(eq + 1);
  const at = image.indexOf('@');
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  let repo = image;
  const pairs: YPair[] = [];
  if (at !== -1) {
    repo = image.slice(0, at);
    pairs.push(pairOf('digest', scalar(image.slice(at + 1), n.span), n.span));
  } else if (colon > slash) {
    repo = image.slice(0, colon);
    pairs.push(pairOf('newTag', scalar(image.slice(colon + 1), n.span), n.span));
  }
  pairs.unshift(pairOf('name', scalar(name0 ?? repo, n.span), n.span));
  if (name0 !== undefined) pairs.push(pairOf('newName', scalar(repo, n.span), n.span));
  return mapOf(pairs, n.span);
}

/**
 * A Helm source as a `helmCharts` entry: chart values, then `valueFiles` in order (relative to the
 * chart, `$ref/...` from a ref source), then `values` (or `valuesObject`), then `parameters`; the
 * release is `releaseName` or the Application's name, in the destination namespace; CRDs unless
 * `skipCrds`.
 */
function helmEntry(root: ArgoRoot, s: ArgoSource, read: ArgoReader, ref: (t: string) => string, unknown: YNode[]): YNode {
  const h = get(s.node, 'helm');
  const at = s.pathNode.span;
  const pairs: YPair[] = [pairOf('name', scalar(ref(s.path).replace(/^\.\.\//, ''), at), at)];
  const release = get(h, 'releaseName');
  pairs.push(pairOf('releaseName', isScalar(release) ? release : scalar(root.name, root.nameNode?.span ?? at), at));
  if (root.namespace !== undefined) pairs.push(pairOf('namespace', root.namespace, root.namespace.span));
  const skip = known(get(h, 'skipCrds')) === 'true';
  pairs.push(pairOf('includeCRDs', { kind: 'scalar', span: at, value: !skip, unknown: false, quoted: false }, at));
  const extra: YNode[] = [];
  const ignoreMissing = known(get(h, 'ignoreMissingValueFiles')) === 'true';
  const files = get(h, 'valueFiles');
  for (const f of isSeq(files) ? files.items : []) {
    const v = known(f);
    if (v === undefined || !isScalar(f)) {
      unknown.push(f);
      continue;
    }
    const m = /^\$([^/]+)\/(.*)$/.exec(v);
    const base = m === null ? s.path : root.refs.get(m[1] ?? '');
    if (base === undefined || /^[a-z][a-z0-9+.-]*:/i.test(v)) {
      unknown.push(f);
      continue;
    }
    const uri = joinPath(base, m === null ? v : (m[2] ?? ''));
    if (ignoreMissing && !read.filesUnder(dirname(uri)).includes(uri)) continue;
    extra.push(scalar(ref(uri), f.span));
  }
  const object = get(h, 'valuesObject');
  const valuesText = get(h, 'values');
  if (isMap(object)) extra.push(object);
  else if (isScalar(valuesText) && !valuesText.unknown && typeof valuesText.value === 'string') {
    try {
      const v: unknown = parseYaml(valuesText.value, { maxAliasCount: 100, uniqueKeys: false, logLevel: 'error' });
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) extra.push(fromPlain(v, valuesText.span));
    } catch {
      unknown.push(valuesText);
    }
  } else if (valuesText !== undefined && !(isScalar(valuesText) && valuesText.value === null)) unknown.push(valuesText);
  const params = get(h, 'parameters');
  if (isSeq(params)) {
    const set: Record<string, unknown> = {};
    for (const p of params.items) if (!setParameter(set, p)) unknown.push(p);
    if (Object.keys(set).length > 0) extra.push(fromPlain(set, params.span));
  }
  if (get(h, 'fileParameters') !== undefined) unknown.push(get(h, 'fileParameters') as YNode);
  // Value files and inline values in Argo CD's order (render/kustomize/helm.ts reads a map item as inline values).
  if (extra.length > 0) pairs.push(pairOf('additionalValuesFiles', seqOf(extra, at), at));
  for (const key of ['kubeVersion', 'apiVersions']) {
    const v = get(h, key);
    if (v !== undefined) pairs.push(pairOf(key, v, at));
  }
  return mapOf(pairs, at);
}

/** One `--set name=value` parameter into `set` (false: a list index or a templated part, not read here). */
function setParameter(set: Record<string, unknown>, p: YNode): boolean {
  const name = known(get(p, 'name'));
  const valueNode = get(p, 'value');
  if (name === undefined || /[[\]]/.test(name) || (valueNode !== undefined && valueNode.unknown)) return false;
  const raw = isScalar(valueNode) && valueNode.value !== null ? String(valueNode.value) : '';
  const force = known(get(p, 'forceString')) === 'true';
  // Helm's --set: true/false/null and integers are typed, everything else a string (--set-string: always a string).
  const value: unknown = force
    ? raw
    : raw === 'true'
      ? true
      : raw === 'false'
        ? false
        : raw === 'null'
          ? null
          : /^-?\d+$/.test(raw)
            ? Number(raw)
            : raw;
  const keys = name.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, '.'));
  let cur = set;
  for (const [i, k] of keys.entries()) {
    if (i === keys.length - 1) cur[k] = value;
    else {
      const next = cur[k];
      cur = (cur[k] = next !== null && typeof next === 'object' ? next : {}) as Record<string, unknown>;
    }
  }
  return true;
}

/** The kustomization folders an Application root applies (its kustomize sources'): no roots of their own. */
export function argoIncluded(root: ArgoRoot, read: Pick<ArgoReader, 'kustomizationOf' | 'filesUnder'>): string[] {
  return root.sources
    .filter((s) => read.kustomizationOf(s.path) !== undefined && !read.filesUnder(s.path).includes(`${s.path}/Chart.yaml`))
    .map((s) => s.path);
}

/** Whether two layouts' Argo CD roots are the same Applications applying the same folders. */
export function sameArgoRoots(a: ReadonlyMap<string, ArgoRoot> | undefined, b: ReadonlyMap<string, ArgoRoot>): boolean {
  if ((a?.size ?? 0) !== b.size) return false;
  for (const [id, r] of b) {
    const was = a?.get(id);
    if (was === undefined || was.doc !== r.doc || was.cluster !== r.cluster) return false;
    if (was.sources.map((s) => s.path).join('\n') !== r.sources.map((s) => s.path).join('\n')) return false;
  }
  return true;
}
