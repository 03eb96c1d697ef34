/**
 * Flux Kustomizations as build roots. A `kustomize.toolkit.fluxcd.io` Kustomization (v1, v1beta2)
 * of the workspace whose source is the workspace's own repository applies `spec.path` as Flux's
 * kustomize-controller builds it: the folder's kustomization, or (when it has none) one generated
 * listing every manifest of the folder's tree (a sub-folder holding a kustomization is listed as a
 * folder and not walked into), then the Kustomization's own settings on top (`targetNamespace` as
 * kustomize's `namespace:`, `namePrefix`/`nameSuffix`, `patches`, `images`, `components` relative
 * to the path, `commonMetadata` labels and annotations on objects only, never selectors).
 *
 * The builder reads that as a kustomization of its own (`fluxKustomization`): its root is the Flux
 * Kustomization (`<file>#<name>`), its fields keep their spans in the Flux file, so a namespace
 * the build sets points at `targetNamespace`. A folder it applies is no longer a root of its own
 * (as a base an overlay includes). A source other than the workspace's own (any sourceRef but the
 * `flux-system` source `flux bootstrap` or a FluxInstance creates), a path no folder of the workspace holds, or
 * a templated field: no root, nothing changes. Design notes: docs/dev/flux.md.
 */

import type { Span } from '../types.js';
import type { FileFacts } from '../model/types.js';
import { isDeferred } from '../model/deferredFacts.js';
import type { ParsedFile } from '../syntax/parse.js';
import type { YMap, YNode, YPair, YScalar } from '../syntax/tree.js';
import type { BuildProblem } from '../render/kustomize/index.js';
import { KUSTOMIZATION_FILES } from '../render/kustomize/index.js';
import { isMap, isScalar, isSeq } from '../syntax/tree.js';
import { cloneNode } from '../render/kustomize/nodes.js';
import { dirname, displayPart, joinPath } from '../workspace/paths.js';

export const FLUX_GROUP = 'kustomize.toolkit.fluxcd.io';
const FLUX_VERSIONS: ReadonlySet<string> = new Set(['v1', 'v1beta2']);

/** A Flux Kustomization that builds a folder of the workspace. */
export interface FluxRoot {
  /** The root's id: `<file>#<metadata.name>` (its last segment is not a folder, so paths join from the file's folder). */
  readonly id: string;
  /** The file holding the Flux Kustomization. */
  readonly uri: string;
  readonly docIndex: number;
  /** The folder `spec.path` names. */
  readonly path: string;
  /** `spec` of the Flux Kustomization (spans in `uri`). */
  readonly spec: YMap;
  /** `spec.path`'s node (where the build's resources point). */
  readonly pathNode: YScalar;
  /** The Flux Kustomization's own namespace (where kustomize-controller reads `substituteFrom`), if written. */
  readonly namespace?: string;
  /** The files the parent Flux Kustomization's build read when it patched `spec` (an edit to one rebuilds this root). */
  readonly patchedBy?: ReadonlySet<string>;
}

/** Whether a file's facts hold a Flux Kustomization (a change to it reshapes the builds). */
export function hasFluxKustomization(f: FileFacts | undefined): boolean {
  // A Helm template is never a Flux root: its objects are not read (that would make its deferred masked reading).
  if (f === undefined || f.template) return false;
  return f.objects.some((o) => o.group === FLUX_GROUP && o.kind === 'Kustomization' && FLUX_VERSIONS.has(o.version)) === true;
}

/** Whether a file's facts hold a Flux GitRepository (one may be the workspace's own source: `ownSources`). */
export function hasGitRepository(f: FileFacts | undefined): boolean {
  return f?.objects.some((o) => o.group === 'source.toolkit.fluxcd.io' && o.kind === 'GitRepository') === true;
}

/** Whether a root id is a Flux Kustomization's (`<file>#<name>`; a folder's last segment holds no `#`, a URI's is encoded). */
export function isFluxRootId(root: string): boolean {
  return root.slice(root.lastIndexOf('/') + 1).includes('#');
}

function get(n: YNode | undefined, key: string): YNode | undefined {
  return isMap(n) ? n.pairs.find((p) => p.key === key)?.value : undefined;
}

function known(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && typeof n.value === 'string' ? n.value : undefined;
}

/** The GitRepository a Flux Kustomization's `sourceRef` names, if it names one. */
function gitSource(spec: YMap): string | undefined {
  const ref = get(spec, 'sourceRef');
  if (syncSource(ref)) return 'flux-system';
  return known(get(ref, 'kind')) === 'GitRepository' ? known(get(ref, 'name')) : undefined;
}

/** An OCIRepository or Bucket named `flux-system`: the sync source a FluxInstance creates (from this repository's artifact). */
function syncSource(ref: YNode | undefined): boolean {
  const kind = known(get(ref, 'kind'));
  return (kind === 'OCIRepository' || kind === 'Bucket') && known(get(ref, 'name')) === 'flux-system';
}

interface FluxDoc {
  readonly uri: string;
  readonly index: number;
  readonly name: string;
  readonly spec: YMap;
  readonly pathNode: YScalar;
  /** `spec.path`; undefined while it holds a variable the parent's postBuild fills in (`./kubernetes/${CLUSTER}/apps`). */
  readonly rel: string | undefined;
  readonly namespace: string | undefined;
}

/** A Flux Kustomization of the workspace's own source whose `spec.path` holds a variable: a root once a parent's build substitutes it. */
export interface PendingFluxDoc {
  readonly uri: string;
  readonly docIndex: number;
}

/**
 * The GitRepositories that are the workspace's own repository: `flux-system`, the one `flux
 * bootstrap` creates for the repository it bootstraps, and one the workspace defines that applies
 * itself: a Flux Kustomization sourced from it applies a folder holding the GitRepository's own
 * file (the flux-cluster-template's `home-kubernetes`, whose `cluster` Kustomization applies
 * `./kubernetes/flux`, where `config/cluster.yaml` defines both).
 */
function ownSources(
  docs: readonly FluxDoc[],
  gitRepositories: ReadonlyMap<string, readonly string[]>,
  holdsFiles: (dir: string) => boolean,
): Set<string> {
  const own = new Set(['flux-system']);
  for (const d of docs) {
    const source = gitSource(d.spec);
    const files = source === undefined || own.has(source) ? undefined : gitRepositories.get(source);
    if (source === undefined || files === undefined || d.rel === undefined) continue;
    const path = repositoryPath(dirname(d.uri), d.rel, holdsFiles);
    if (path !== undefined && files.some((f) => f.startsWith(`${path}/`))) own.add(source);
  }
  return own;
}

/**
 * The Flux Kustomizations of the workspace that build one of its folders, by root id. `holdsFiles`
 * says whether a folder holds workspace files; the repository root is the nearest folder above the
 * Flux file from which `spec.path` names one.
 */
export function findFluxRoots(
  files: ReadonlyMap<string, FileFacts>,
  parse: (uri: string) => ParsedFile | undefined,
  holdsFiles: (dir: string) => boolean,
  text: (uri: string) => string | undefined,
  /** Filled with the documents whose `spec.path` waits for a parent's substitution (`patchedByParents`). */
  pending?: Map<string, PendingFluxDoc>,
): Map<string, FluxRoot> {
  const docs: FluxDoc[] = [];
  // GitRepositories the workspace defines, by name: the files defining them.
  const gitRepositories = new Map<string, string[]>();
  for (const f of files.values()) {
    for (const o of isDeferred(f) ? [] : f.objects)
      if (o.group === 'source.toolkit.fluxcd.io' && o.kind === 'GitRepository' && o.name?.known === true) {
        const list = gitRepositories.get(o.name.value);
        if (list === undefined) gitRepositories.set(o.name.value, [f.uri]);
        else list.push(f.uri);
      }
    if (f.toolConfig !== undefined || !hasFluxKustomization(f) || switchedOff(f.uri, files, text)) continue;
    const parsed = parse(f.uri);
    if (parsed === undefined || parsed.template) continue;
    for (const doc of parsed.documents) {
      const root = doc.root;
      if (!isMap(root) || doc.errors.length > 0) continue;
      const apiVersion = known(get(root, 'apiVersion')) ?? '';
      if (known(get(root, 'kind')) !== 'Kustomization' || !apiVersion.startsWith(`${FLUX_GROUP}/`)) continue;
      if (!FLUX_VERSIONS.has(apiVersion.slice(FLUX_GROUP.length + 1))) continue;
      const name = known(get(get(root, 'metadata'), 'name'));
      const spec = get(root, 'spec');
      const pathNode = get(spec, 'path');
      const rel = known(pathNode);
      if (name === undefined || !isMap(spec) || !isScalar(pathNode)) continue;
      if (rel !== undefined && (rel.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(rel))) continue;
      docs.push({ uri: f.uri, index: doc.index, name, spec, pathNode, rel, namespace: known(get(get(root, 'metadata'), 'namespace')) });
    }
  }
  const own = ownSources(docs, gitRepositories, holdsFiles);
  const out = new Map<string, FluxRoot>();
  for (const d of docs) {
    const source = gitSource(d.spec);
    if (source === undefined || !own.has(source)) continue;
    if (d.rel === undefined) {
      if (text(d.uri)?.slice(d.pathNode.span.start, d.pathNode.span.end).includes('${') === true)
        pending?.set(`${d.uri}#${d.index}`, { uri: d.uri, docIndex: d.index });
      continue;
    }
    const path = repositoryPath(dirname(d.uri), d.rel, holdsFiles);
    if (path === undefined) continue;
    const id = `${d.uri}#${d.name}`;
    const { uri, index: docIndex, spec, pathNode, namespace } = d;
    if (!out.has(id)) out.set(id, { id, uri, docIndex, path, spec, pathNode, ...(namespace !== undefined ? { namespace } : {}) });
  }
  return out;
}

/**
 * A file its folder's kustomization lists only in a commented-out line (`# - ./app.yaml`, an app a
 * home lab turned off): the parent build never applies it, so its Flux Kustomizations are no roots
 * (as a kustomization listed only that way is no build: units/kustomize.ts).
 */
function switchedOff(uri: string, files: ReadonlyMap<string, FileFacts>, text: (uri: string) => string | undefined): boolean {
  const dir = dirname(uri);
  const kust = KUSTOMIZATION_FILES.map((n) => files.get(joinPath(dir, n))).find((f) => f?.toolConfig?.kind === 'kustomization');
  const t = kust === undefined ? undefined : text(kust.uri);
  if (kust === undefined || t === undefined) return false;
  if ((kust.toolConfig?.kustomization?.resources ?? []).some((r) => joinPath(dir, r) === uri)) return false;
  return [...t.matchAll(/^[ \t]*#+[ \t]*-[ \t]*([^\s#]+)[ \t]*(?:#.*)?$/gm)].some((m) => joinPath(dir, m[1] ?? '') === uri);
}

/** `rel` joined onto the nearest folder at or above `from` where it names a folder holding files. */
function repositoryPath(from: string, rel: string, holdsFiles: (dir: string) => boolean): string | undefined {
  const root = repositoryRoot(from, rel, holdsFiles);
  return root === undefined ? undefined : joinPath(root, rel);
}

/** The nearest folder at or above `from` from which `rel` names a folder holding files (the repository root a GitOps path is read from). */
export function repositoryRoot(from: string, rel: string, holdsFiles: (dir: string) => boolean): string | undefined {
  let d = from;
  for (;;) {
    if (holdsFiles(joinPath(d, rel))) return d;
    const up = dirname(d);
    if (up === d || up === '.' || /^[a-z][a-z0-9+.-]*:\/*$/i.test(up)) return undefined;
    d = up;
  }
}

/** A relative path (as a user writes it) from folder `from` to `to`. */
export function relativePath(from: string, to: string): string {
  const a = from.split('/');
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const parts = [...a.slice(i).map(() => '..'), ...b.slice(i).map((s) => displayPart(s, to))];
  return parts.length === 0 ? '.' : parts.join('/');
}

function scalar(value: string, span: Span): YScalar {
  return { kind: 'scalar', span, value, unknown: false, quoted: true };
}

function pairOf(key: string, value: YNode, keySpan: Span): YPair {
  return { key, keySpan, value, keyUnknown: false };
}

/** What the synthesized kustomization needs from the workspace (recorded by the build's host as lookups). */
export interface FluxReader {
  /** The kustomization file of a folder, if any. */
  kustomizationOf(dir: string): string | undefined;
  /** The workspace files under a folder, sorted. */
  filesUnder(dir: string): readonly string[];
  /** Whether a file holds manifests (objects kustomize would load). */
  isManifest(uri: string): boolean;
  /** Whether a file or folder holding files is there (`ignoreMissingComponents`). */
  exists(path: string): boolean;
}

/**
 * `spec.components` as kustomize-controller's generator lists them: with `ignoreMissingComponents:
 * true`, a path not in the source is left out (else kustomize stops at it).
 */
function presentComponents(root: FluxRoot, items: readonly YNode[], exists: (path: string) => boolean): YNode[] {
  const ignore = get(root.spec, 'ignoreMissingComponents');
  if (!isScalar(ignore) || ignore.unknown || ignore.value !== true) return [...items];
  return items.filter((it) => {
    const c = known(it);
    return c === undefined || exists(joinPath(root.path, c));
  });
}

/**
 * The kustomization kustomize-controller builds for a Flux root, as a tree whose paths are relative
 * to the root id (so to the Flux file's folder, the id's last segment being the Kustomization).
 */
export function fluxKustomization(root: FluxRoot, read: FluxReader): YMap {
  const from = dirname(root.uri);
  // Paths join onto the root id, whose last segment is popped by `..`.
  const ref = (target: string): string => `../${relativePath(from, target)}`;
  const at = root.pathNode.span;
  const resources: YNode[] = [];
  if (read.kustomizationOf(root.path) !== undefined) resources.push(scalar(ref(root.path), at));
  else {
    // kustomize-controller's generator: every .yaml/.yml of the tree, a sub-folder with a kustomization as a folder.
    const taken = new Set<string>();
    for (const uri of read.filesUnder(root.path)) {
      const sub = outermostKustomization(uri, root.path, read);
      if (sub !== undefined) {
        if (!taken.has(sub)) resources.push(scalar(ref(sub), at));
        taken.add(sub);
        continue;
      }
      if (!/\.ya?ml$/.test(uri) || !read.isManifest(uri)) continue;
      resources.push(scalar(ref(uri), at));
    }
  }
  const spec = root.spec;
  const specPair = (key: string): YPair | undefined => spec.pairs.find((p) => p.key === key);
  const pairs: YPair[] = [pairOf('resources', { kind: 'seq', span: at, items: resources, unknown: false, flow: false }, at)];
  const ns = specPair('targetNamespace');
  if (ns?.value !== undefined) pairs.push(pairOf('namespace', ns.value, ns.keySpan));
  for (const key of ['namePrefix', 'nameSuffix', 'patches', 'images']) {
    const p = specPair(key);
    if (p?.value !== undefined) pairs.push(p);
  }
  const components = specPair('components');
  if (components?.value !== undefined) {
    const items = isSeq(components.value)
      ? presentComponents(root, components.value.items, read.exists).map((it) => {
          const c = known(it);
          return c === undefined ? it : scalar(ref(joinPath(root.path, c)), it.span);
        })
      : [];
    pairs.push(pairOf('components', { ...components.value, kind: 'seq', items, unknown: false, flow: false } as YNode, components.keySpan));
  }
  return { kind: 'map', span: spec.span, pairs, unknown: false, flow: false };
}

/**
 * The folder's own kustomization with the Flux Kustomization's spec merged in, as
 * kustomize-controller's generator writes it (fluxcd/pkg/kustomize `Generator.WriteFile`):
 * `targetNamespace`, `namePrefix` and `nameSuffix` replace the folder's; `patches` and `components`
 * (relative to the folder) are appended to its lists, so a component's objects are there for the
 * folder's own patches; an `images` entry replaces the folder's of that name or is appended. The
 * merged nodes keep their spans in the Flux file.
 */
export function mergeFluxSpec(root: FluxRoot, k: YMap, exists: (path: string) => boolean): YMap {
  const own = (n: YNode): YNode => cloneNode(n, root.uri);
  const at = (p: YPair): Span => ({ ...p.keySpan, uri: root.uri });
  const pairs = [...k.pairs];
  const put = (key: string, value: YNode, keySpan: Span): void => {
    const i = pairs.findIndex((p) => p.key === key);
    const p = pairOf(key, value, keySpan);
    if (i === -1) pairs.push(p);
    else pairs[i] = p;
  };
  const listOf = (key: string): YNode[] => {
    const v = pairs.find((p) => p.key === key)?.value;
    return isSeq(v) ? [...v.items] : [];
  };
  const seq = (items: YNode[], span: Span): YNode => ({ kind: 'seq', span, items, unknown: false, flow: false });
  for (const p of root.spec.pairs) {
    if (p.value === undefined) continue;
    if (p.key === 'targetNamespace') put('namespace', own(p.value), at(p));
    else if (p.key === 'namePrefix' || p.key === 'nameSuffix') put(p.key, own(p.value), at(p));
    else if ((p.key === 'patches' || p.key === 'components') && isSeq(p.value)) {
      const items = p.key === 'components' ? presentComponents(root, p.value.items, exists) : p.value.items;
      put(p.key, seq([...listOf(p.key), ...items.map(own)], own(p.value).span), at(p));
    } else if (p.key === 'images' && isSeq(p.value)) {
      const items = listOf('images');
      for (const image of p.value.items) {
        const name = known(get(image, 'name'));
        const i = name === undefined ? -1 : items.findIndex((it) => known(get(it, 'name')) === name);
        if (i === -1) items.push(own(image));
        else items[i] = own(image);
      }
      put('images', seq(items, own(p.value).span), at(p));
    }
  }
  return { ...k, pairs };
}

/** A Flux root whose folder has a kustomization, built as that folder with its spec merged in (`KustomizeHost.mergedKustomization`). */
export function fluxMerge(
  root: FluxRoot | undefined,
  kustomizationOf: (dir: string) => string | undefined,
  exists: (path: string) => boolean,
): { dir: string; uri: string; merge: (k: YMap) => YMap } | undefined {
  if (root === undefined || kustomizationOf(root.path) === undefined) return undefined;
  return { dir: root.path, uri: root.uri, merge: (k) => mergeFluxSpec(root, k, exists) };
}

/**
 * `commonMetadata`: kustomize-controller sets its labels and annotations on every object's
 * metadata after the build (never selectors or pod templates), replacing a value of the same key.
 */
export function setCommonMetadata(root: FluxRoot, objects: ReadonlyArray<{ readonly root: YMap }>): void {
  const meta = get(root.spec, 'commonMetadata');
  for (const field of ['labels', 'annotations']) {
    const add = get(meta, field);
    if (!isMap(add) || add.pairs.length === 0) continue;
    for (const o of objects) {
      const m = get(o.root, 'metadata');
      if (!isMap(m)) continue;
      const i = m.pairs.findIndex((p) => p.key === field);
      const old = m.pairs[i]?.value;
      const kept = isMap(old) ? old.pairs.filter((p) => !add.pairs.some((a) => a.key === p.key)) : [];
      const value: YMap = {
        kind: 'map',
        span: isMap(old) ? old.span : { ...add.span, uri: root.uri },
        pairs: [
          ...kept,
          ...add.pairs.map((a) => ({
            ...a,
            keySpan: { ...a.keySpan, uri: root.uri },
            value: a.value === undefined ? undefined : cloneNode(a.value, root.uri),
          })),
        ],
        unknown: false,
        flow: false,
      };
      if (i === -1) m.pairs.push(pairOf(field, value, { ...add.span, uri: root.uri }));
      else m.pairs[i] = { ...(m.pairs[i] as YPair), value };
    }
  }
}

/** The kustomization folders a Flux root lists (the path's own, or sub-folders the generated one lists). */
export function fluxIncluded(root: FluxRoot, read: Pick<FluxReader, 'kustomizationOf' | 'filesUnder'>): string[] {
  if (read.kustomizationOf(root.path) !== undefined) return [root.path];
  const out = new Set<string>();
  for (const uri of read.filesUnder(root.path)) {
    const sub = outermostKustomization(uri, root.path, read);
    if (sub !== undefined) out.add(sub);
  }
  return [...out];
}

/** The outermost folder between `path` (excluded) and `uri` that holds a kustomization: the generated kustomization lists it as a folder. */
function outermostKustomization(uri: string, path: string, read: Pick<FluxReader, 'kustomizationOf'>): string | undefined {
  let sub: string | undefined;
  for (let d = dirname(uri); d !== path && d.startsWith(`${path}/`); d = dirname(d)) if (read.kustomizationOf(d) !== undefined) sub = d;
  return sub;
}

/** Kinds the API serves namespaced (built-in, Gateway API, Flux): one without a namespace cannot be applied by name alone. */
const NAMESPACED = new Set(
  [
    'v1/ConfigMap v1/Secret v1/Service v1/ServiceAccount v1/Pod v1/PersistentVolumeClaim v1/Endpoints v1/LimitRange v1/ResourceQuota',
    'apps/Deployment apps/StatefulSet apps/DaemonSet apps/ReplicaSet batch/Job batch/CronJob autoscaling/HorizontalPodAutoscaler',
    'networking.k8s.io/Ingress networking.k8s.io/NetworkPolicy policy/PodDisruptionBudget rbac.authorization.k8s.io/Role',
    'rbac.authorization.k8s.io/RoleBinding gateway.networking.k8s.io/Gateway gateway.networking.k8s.io/HTTPRoute',
    'gateway.networking.k8s.io/GRPCRoute gateway.networking.k8s.io/TCPRoute gateway.networking.k8s.io/TLSRoute',
    'gateway.networking.k8s.io/UDPRoute gateway.networking.k8s.io/ReferenceGrant helm.toolkit.fluxcd.io/HelmRelease',
    'kustomize.toolkit.fluxcd.io/Kustomization source.toolkit.fluxcd.io/GitRepository source.toolkit.fluxcd.io/HelmRepository',
    'source.toolkit.fluxcd.io/OCIRepository',
  ]
    .join(' ')
    .split(' '),
);

/**
 * kustomize-controller applies a build whose Kustomization sets no `targetNamespace` as built: a
 * namespaced object left without a namespace fails its server-side dry run (`Service/web namespace
 * not specified: the server could not find the requested resource`, fluxcd/pkg ssa) and the whole
 * apply with it. The problem lies on the Flux Kustomization's `path`, naming the objects.
 */
export function unplacedObjects(root: FluxRoot, objects: ReadonlyArray<{ readonly root: YMap }>): BuildProblem | undefined {
  if (get(root.spec, 'targetNamespace') !== undefined) return undefined;
  const names: string[] = [];
  for (const o of objects) {
    const apiVersion = known(get(o.root, 'apiVersion')) ?? '';
    const kind = known(get(o.root, 'kind')) ?? '';
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : apiVersion;
    if (!NAMESPACED.has(`${group}/${kind}`) || get(get(o.root, 'metadata'), 'namespace') !== undefined) continue;
    const name = get(get(o.root, 'metadata'), 'name');
    if (!isScalar(name) || name.unknown) continue;
    names.push(`${kind}/${String(name.value)}`);
  }
  if (names.length === 0) return undefined;
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  return {
    uri: root.uri,
    span: root.pathNode.span,
    message: `Flux Kustomization "${root.id.slice(root.id.lastIndexOf('#') + 1)}" sets no targetNamespace and its build leaves ${shown} without a namespace: kustomize-controller rejects the whole apply ("${names[0] ?? ''} namespace not specified")`,
    applyFails: true,
  };
}

/**
 * `spec.patchesStrategicMerge` and `spec.patchesJson6902`: kustomize.toolkit.fluxcd.io/v1beta2
 * fields that the v1 API (kustomize-controller v1.0, Flux 2.0, and later; the version the cluster
 * stores) does not have. The API server drops them when it stores the Kustomization, so the
 * controller never applies these patches; the build leaves them out as the cluster does. A warning
 * on the field's key.
 */
export function droppedFields(root: FluxRoot): BuildProblem[] {
  const name = root.id.slice(root.id.lastIndexOf('#') + 1);
  return root.spec.pairs
    .filter((p) => (p.key === 'patchesStrategicMerge' || p.key === 'patchesJson6902') && !p.keyUnknown && p.value !== undefined)
    .map((p) => ({
      uri: root.uri,
      span: { ...p.keySpan, uri: root.uri },
      message: `Flux Kustomization "${name}": spec.${p.key} is not applied: kustomize-controller (Flux 2.0 and later) reads the kustomize.toolkit.fluxcd.io/v1 Kustomization, which has no ${p.key} field, and the API server drops it when it stores the object; move these patches to spec.patches`,
      level: 'warning' as const,
    }));
}

/** Whether a patch list may change Flux Kustomizations: a target of that kind, or an inline patch or patch file naming it. */
function patchesKustomizations(patches: YNode | undefined, fileText: (rel: string) => string | undefined): boolean {
  if (!isSeq(patches)) return false;
  return patches.items.some((p) => {
    const kind = isScalar(p) ? undefined : known(get(get(p, 'target'), 'kind'));
    if (kind !== undefined) return kind === 'Kustomization';
    // A `patchesStrategicMerge` item is a path or the patch itself.
    const item = isScalar(p) ? known(p) : undefined;
    const path = item !== undefined ? (item.includes('\n') ? undefined : item) : known(get(p, 'path'));
    const body = path !== undefined ? fileText(path) : (item ?? known(get(p, 'patch')));
    return /kind:\s*Kustomization\b/.test(body ?? '') && /kustomize\.toolkit\.fluxcd\.io|target/.test(body ?? '');
  });
}

/** What `patchedByParents` reads of a parent's folder: its kustomization (parsed) and files' texts. */
export interface ParentReader {
  kustomizationOf(dir: string): string | undefined;
  /** Whether a folder holds workspace files (where a substituted `spec.path` leads). */
  holdsFiles(dir: string): boolean;
  parse(uri: string): ParsedFile | undefined;
  text(uri: string): string | undefined;
}

/** Whether a Flux root's build may patch the Flux Kustomizations it applies: its own `patches`, or its folder kustomization's. */
function patchesChildren(root: FluxRoot, read: ParentReader): boolean {
  if (patchesKustomizations(get(root.spec, 'patches'), () => undefined)) return true;
  const uri = read.kustomizationOf(root.path);
  const k = uri === undefined ? undefined : read.parse(uri)?.documents.find((d) => isMap(d.root))?.root;
  const fileText = (rel: string): string | undefined => read.text(joinPath(root.path, rel));
  return ['patches', 'patchesStrategicMerge', 'patchesJson6902'].some((key) => patchesKustomizations(get(k, key), fileText));
}

/**
 * Flux Kustomizations a parent Flux Kustomization's build applies read as that build outputs them:
 * as it patches them (home-ops' `cluster-apps` adds `postBuild.substituteFrom` or `decryption` to
 * every child, by its own `patches` or by patches of the folder's kustomization, inline or in a
 * patch file), and as its postBuild substitution fills in a variable of their `spec.path`
 * (`./kubernetes/${CLUSTER}/apps/home/app`: `pending`, no root until then). A patched child root
 * keeps its file, name and path (a patched `path` is not followed) and takes the built spec, whose
 * patched fields point at the patch; a pending one becomes a root with the substituted path, and may
 * be a parent in turn. `inputs`: what those parents' builds read (an edit to one reshapes the
 * layout: the children's specs come from it).
 */
export function patchedByParents(
  roots: ReadonlyMap<string, FluxRoot>,
  build: (id: string) => { readonly objects: ReadonlyArray<BuiltLike>; readonly inputs: ReadonlySet<string> },
  read: ParentReader,
  pending: ReadonlyMap<string, PendingFluxDoc> = new Map(),
): { roots: ReadonlyMap<string, FluxRoot>; inputs: ReadonlySet<string> } {
  const waiting = new Map(pending);
  const appliesWaiting = (r: FluxRoot): boolean => [...waiting.values()].some((d) => d.uri.startsWith(`${r.path}/`));
  let round = [...roots.values()].filter((r) => patchesChildren(r, read) || appliesWaiting(r));
  const inputs = new Set<string>();
  if (round.length === 0) return { roots, inputs };
  const byDoc = new Map<string, FluxRoot>();
  for (const r of roots.values()) byDoc.set(`${r.uri}#${r.docIndex}`, r);
  const out = new Map(roots);
  const built = new Set<string>();
  // A child made a root may apply waiting documents of its own: a few levels, as home labs nest them.
  for (let depth = 0; round.length > 0 && depth < 6; depth++) {
    const next: FluxRoot[] = [];
    for (const parent of round) {
      if (built.has(parent.id)) continue;
      built.add(parent.id);
      const result = build(parent.id);
      for (const u of result.inputs) inputs.add(u);
      for (const o of result.objects) {
        const key = `${o.uri}#${o.docIndex}`;
        const spec = get(o.root, 'spec');
        if (!isMap(spec) || known(get(o.root, 'kind')) !== 'Kustomization') continue;
        if (!(known(get(o.root, 'apiVersion')) ?? '').startsWith(`${FLUX_GROUP}/`)) continue;
        const child = byDoc.get(key);
        if (child !== undefined) {
          if (child.id !== parent.id) out.set(child.id, { ...child, spec, patchedBy: result.inputs });
          continue;
        }
        const made = waiting.has(key) ? substitutedRoot(o, spec, read) : undefined;
        if (made === undefined || out.has(made.id)) continue;
        waiting.delete(key);
        const root: FluxRoot = { ...made, patchedBy: result.inputs };
        out.set(root.id, root);
        byDoc.set(key, root);
        next.push(root);
      }
    }
    round = next.filter((r) => patchesChildren(r, read) || appliesWaiting(r));
  }
  return { roots: out, inputs };
}

/** A waiting Flux Kustomization as a parent's build outputs it: a root when its name and substituted `spec.path` are known. */
function substitutedRoot(o: BuiltLike, spec: YMap, read: ParentReader): FluxRoot | undefined {
  const name = known(get(get(o.root, 'metadata'), 'name'));
  const pathNode = get(spec, 'path');
  const rel = known(pathNode);
  if (name === undefined || !isScalar(pathNode) || rel === undefined || rel.includes('${')) return undefined;
  if (rel.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(rel)) return undefined;
  const path = repositoryPath(dirname(o.uri), rel, read.holdsFiles);
  if (path === undefined) return undefined;
  const namespace = known(get(get(o.root, 'metadata'), 'namespace'));
  return {
    id: `${o.uri}#${name}`,
    uri: o.uri,
    docIndex: o.docIndex,
    path,
    spec,
    pathNode,
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

/** Files whose edit reshapes the layout: the renders' that wrote roots and the Flux parents' builds'. */
export function joinInputs(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
  return b === undefined || b.size === 0 ? a : new Set([...(a ?? []), ...b]);
}

interface BuiltLike {
  readonly uri: string;
  readonly docIndex: number;
  readonly root: YMap;
}
