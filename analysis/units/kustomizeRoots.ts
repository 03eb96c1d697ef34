/**
 * Which kustomizations are build roots (docs/dev/kustomize.md §3): those no other one lists, not
 * switched off by a commented-out line, not components, plus the GitOps roots (units/flux.ts,
 * units/argocd.ts) with the folders they apply.
 */

import type { FileFacts, KObject } from '../model/types.js';
import { dirname, joinPath } from '../workspace/paths.js';
import { isRemote } from '../render/kustomize/index.js';

/**
 * Build roots: kustomizations no other one lists (as a resource), not switched off, not components,
 * and not applied by a Flux Kustomization or an Argo CD Application; and those GitOps roots
 * (`hosted`: root id → the kustomization folders it applies).
 */
export function findRoots(
  kustFiles: ReadonlyMap<string, FileFacts>,
  text: (uri: string) => string | undefined,
  hosted: ReadonlyMap<string, readonly string[]>,
): string[] {
  const included = new Set<string>();
  for (const dirs of hosted.values()) for (const d of dirs) included.add(d);
  const disabled = new Set<string>();
  for (const [dir, f] of kustFiles) {
    const { listed, commented } = targetsOf(dir, f, text(f.uri));
    for (const target of listed) if (kustFiles.has(target)) included.add(target);
    for (const target of commented) if (target !== dir && kustFiles.has(target)) disabled.add(target);
  }
  return [
    ...[...kustFiles.keys()].filter(
      (d) => !included.has(d) && !disabled.has(d) && kustFiles.get(d)?.toolConfig?.kustomization?.component !== true,
    ),
    ...hosted.keys(),
  ].sort();
}

/** What a kustomization's facts and text name, by its facts (a layout after an edit reads each kustomization again). */
const targetsMemo = new WeakMap<
  FileFacts,
  { readonly dir: string; readonly text: string | undefined; readonly listed: string[]; readonly commented: string[] }
>();

/**
 * The folders a kustomization lists as resources (local ones), and those it lists only in a commented-out
 * line (`#- ../network-policy`, a comment may follow; the scaffolds kubebuilder leaves disabled): switched
 * off, not a build of their own.
 */
function targetsOf(dir: string, f: FileFacts, t: string | undefined): { readonly listed: string[]; readonly commented: string[] } {
  const hit = targetsMemo.get(f);
  if (hit !== undefined && hit.dir === dir && hit.text === t) return hit;
  const listed: string[] = [];
  for (const r of f.toolConfig?.kustomization?.resources ?? []) if (!isRemote(r)) listed.push(joinPath(dir, r));
  const commented: string[] = [];
  if (t !== undefined)
    for (const m of t.matchAll(/^[ \t]*#+[ \t]*-[ \t]*([^\s#]+)[ \t]*(?:#.*)?$/gm)) commented.push(joinPath(dir, m[1] ?? ''));
  const out = { dir, text: t, listed, commented };
  targetsMemo.set(f, out);
  return out;
}

export function isClusterScopedKind(o: KObject): boolean {
  return (
    (o.group === '' && o.kind === 'Namespace') ||
    o.kind === 'IngressClass' ||
    o.kind === 'CustomResourceDefinition' ||
    o.kind.startsWith('Cluster') ||
    o.kind === 'PersistentVolume' ||
    o.kind === 'StorageClass' ||
    o.kind === 'PriorityClass' ||
    o.kind.endsWith('WebhookConfiguration')
  );
}

/** How deep under a kustomization's directory a file still belongs to its tree. */
const TREE_DEPTH = 2;

export function inTree(uri: string, dirs: ReadonlySet<string>): boolean {
  let d = dirname(uri);
  for (let i = 0; i <= TREE_DEPTH; i++) {
    if (dirs.has(d)) return true;
    const up = dirname(d);
    if (up === d) return false;
    d = up;
  }
  return false;
}
