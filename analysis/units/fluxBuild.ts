/**
 * The kustomization kustomize-controller builds for a Flux root (units/flux.ts): the generated one
 * listing the folder's manifests, or the folder's own with the Kustomization's spec merged in;
 * `commonMetadata` after the build; and the build problems of a Flux root's spec (objects left
 * without a namespace, v1beta2 fields the v1 API drops). Design notes: docs/dev/flux.md.
 */

import type { Span } from '../types.js';
import type { YMap, YNode, YPair, YScalar } from '../syntax/tree.js';
import type { BuildProblem } from '../render/kustomize/index.js';
import { isMap, isScalar, isSeq } from '../syntax/tree.js';
import { cloneNode } from '../render/kustomize/nodes.js';
import { dirname, joinPath } from '../workspace/paths.js';
import type { FluxRoot } from './flux.js';
import { get, known, relativePath } from './flux.js';

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
  const own = read.kustomizationOf(root.path);
  // A Flux Kustomization saved as the folder's kustomization file is read by the generator as a
  // kustomization (go-yaml decodes it leniently: no resources), so the build has none of its own.
  if (own !== undefined) {
    if (!read.isManifest(own)) resources.push(scalar(ref(root.path), at));
  } else {
    // kustomize-controller's generator: every .yaml/.yml of the tree, a sub-folder with a kustomization
    // file (by its name, whatever it holds: a Flux Kustomization saved so too) as a folder.
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
