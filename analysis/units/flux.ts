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
 * a templated field: no root, nothing changes. The build itself: `fluxBuild.ts`; children a parent's
 * build patches or substitutes: `fluxParents.ts`. Design notes: docs/dev/flux.md.
 */

import { remembered } from './factsMemo.js';
import type { FileFacts } from '../model/types.js';
import { isDeferred } from '../model/deferredFacts.js';
import type { ParsedFile } from '../syntax/parse.js';
import type { YMap, YNode, YScalar } from '../syntax/tree.js';
import { KUSTOMIZATION_FILES } from '../render/kustomize/index.js';
import { isMap, isScalar } from '../syntax/tree.js';
import { dirname, joinPath } from '../workspace/paths.js';

export { relativePath } from '../workspace/paths.js';

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
  return remembered(fluxFacts, f, (x) =>
    x.objects.some((o) => o.group === FLUX_GROUP && o.kind === 'Kustomization' && FLUX_VERSIONS.has(o.version)),
  );
}

const fluxFacts = new WeakMap<FileFacts, boolean>();

/** Whether a file's facts hold a Flux GitRepository (one may be the workspace's own source: `ownSources`). */
export function hasGitRepository(f: FileFacts | undefined): boolean {
  return f?.objects.some((o) => o.group === 'source.toolkit.fluxcd.io' && o.kind === 'GitRepository') === true;
}

/** Whether a root id is a Flux Kustomization's (`<file>#<name>`; a folder's last segment holds no `#`, a URI's is encoded). */
export function isFluxRootId(root: string): boolean {
  return root.slice(root.lastIndexOf('/') + 1).includes('#');
}

export function get(n: YNode | undefined, key: string): YNode | undefined {
  return isMap(n) ? n.pairs.find((p) => p.key === key)?.value : undefined;
}

export function known(n: YNode | undefined): string | undefined {
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
const gitRepositoryMemo = new WeakMap<FileFacts, readonly string[]>();
const NONE: readonly string[] = [];

/** The names of a file's Flux GitRepositories (by its facts: a layout after an edit reads every file again). */
function gitRepositoryNames(f: FileFacts): readonly string[] {
  if (isDeferred(f)) return NONE;
  let names = gitRepositoryMemo.get(f);
  if (names === undefined) {
    const found: string[] = [];
    for (const o of f.objects)
      if (o.group === 'source.toolkit.fluxcd.io' && o.kind === 'GitRepository' && o.name?.known === true) found.push(o.name.value);
    names = found.length === 0 ? NONE : found;
    gitRepositoryMemo.set(f, names);
  }
  return names;
}

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
    for (const name of gitRepositoryNames(f)) {
      const list = gitRepositories.get(name);
      if (list === undefined) gitRepositories.set(name, [f.uri]);
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
export function repositoryPath(from: string, rel: string, holdsFiles: (dir: string) => boolean): string | undefined {
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

/** Files whose edit reshapes the layout: the renders' that wrote roots and the Flux parents' builds'. */
export function joinInputs(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
  return b === undefined || b.size === 0 ? a : new Set([...(a ?? []), ...b]);
}
