/**
 * Flux Kustomizations as a parent Flux Kustomization's build outputs them (units/flux.ts): patched by
 * the parent's patches, or with `spec.path` filled in by its postBuild substitution. Design notes:
 * docs/dev/flux.md.
 */

import type { ParsedFile } from '../syntax/parse.js';
import type { YMap, YNode } from '../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../syntax/tree.js';
import { isRemote } from '../render/kustomize/index.js';
import { dirname, joinPath } from '../workspace/paths.js';
import type { FluxRoot, PendingFluxDoc } from './flux.js';
import { FLUX_GROUP, get, known, repositoryPath } from './flux.js';

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

interface BuiltLike {
  readonly uri: string;
  readonly docIndex: number;
  readonly root: YMap;
}

/** What `leftOutByParents` reads of the kustomizations: their folders and the resources each lists. */
type KustomizationFolders = ReadonlyMap<
  string,
  { readonly toolConfig?: { readonly kustomization?: { readonly resources: readonly string[] } } }
>;

const listedMemo = new WeakMap<KustomizationFolders, ReadonlySet<string>>();

/** Every file a kustomization of the workspace lists as a resource. */
function listedFiles(kustomizations: KustomizationFolders): ReadonlySet<string> {
  let out = listedMemo.get(kustomizations);
  if (out !== undefined) return out;
  const set = new Set<string>();
  for (const [dir, f] of kustomizations)
    for (const r of f.toolConfig?.kustomization?.resources ?? []) if (!isRemote(r)) set.add(joinPath(dir, r));
  listedMemo.set(kustomizations, (out = set));
  return out;
}

/**
 * Whether every parent Flux Kustomization whose path holds this one's file leaves the file out: a
 * kustomization between the parent's path and the file decides what the parent applies, and no
 * kustomization lists the file (home labs switch an app off by commenting `# - ./app/ks.yaml` out
 * of their folder's kustomization, or by not listing it). kustomize-controller never applies such a
 * Kustomization, so what its own apply would refuse is not said. A Kustomization no parent holds (a
 * bootstrap path's) is applied.
 */
export function leftOutByParents(root: FluxRoot, roots: ReadonlyMap<string, FluxRoot>, kustomizations: KustomizationFolders): boolean {
  const parents = [...roots.values()].filter((p) => p !== root && root.uri.startsWith(`${p.path}/`));
  if (parents.length === 0) return false;
  for (const p of parents) {
    let decided = false;
    for (let d = dirname(root.uri); d.startsWith(p.path); d = dirname(d)) {
      if (kustomizations.has(d)) decided = true;
      if (d === p.path || d === dirname(d)) break;
    }
    // A parent whose generated kustomization takes every file applies it; one whose kustomization lists it, too.
    if (!decided || listedFiles(kustomizations).has(root.uri)) return false;
  }
  return true;
}

/**
 * A Flux root's build cache key (`computeLayout`'s `valuesKey`) with what its parents decide of it: the
 * parent builds that patch it (their texts are the build's inputs, but a parent that starts patching it
 * reads nothing the cached build read), and whether their kustomizations leave it out (what its apply
 * would refuse is then unsaid, units/postBuild.ts): either change builds it again.
 */
export function fluxBuildKey(
  root: FluxRoot | undefined,
  roots: ReadonlyMap<string, FluxRoot>,
  kustomizations: KustomizationFolders,
  key: string | undefined,
): string | undefined {
  if (root === undefined) return key;
  const patched = [...(root.patchedBy ?? [])].sort().join('\n');
  const leftOut = leftOutByParents(root, roots, kustomizations);
  return patched === '' && !leftOut ? key : `${key ?? ''}\u0000${patched}\u0000${leftOut ? 'left out' : ''}`;
}
