/**
 * Files that come or go in a workspace whose layout Kustomize, Flux, Argo CD, Fleet or Helm decide:
 * whether the layout stays what it was (then the file is placed as any plain file is, and only the
 * files its objects concern are judged again), or the workspace is read again. The layout is
 * computed as a full pass computes it (`computeLayout`, with the previous layout's builds: a root
 * whose inputs, listings and probes are unchanged keeps its build) and compared part by part with
 * the previous one. Pure. Design notes: docs/dev/units.md §2.
 */

import type { FileFacts } from '../model/types.js';
import { isUnder } from '../workspace/paths.js';
import { sameArgoRoots } from './argocd.js';
import { sameFleetRoots } from './fleet.js';
import { computeLayout, filesTouched, sameFlux } from './kustomize.js';
import type { KustomizeLayout } from './kustomize.js';
import type { HelmLayout } from './helm.js';

/** The files of `edited` that came or went (neither kind of edit changes a file's text alone). */
export function cameOrWent(
  before: ReadonlyMap<string, FileFacts>,
  after: ReadonlyMap<string, FileFacts>,
  edited: ReadonlySet<string>,
): string[] {
  return [...edited].filter((uri) => before.has(uri) !== after.has(uri));
}

/**
 * The root charts whose render a file that comes or goes may change: those whose folder holds it (a
 * template, a `.Files` input, a vendored subchart) and those whose render read it. `restructure`
 * renders them again, and no other.
 */
export function chartsOf(helm: HelmLayout, uri: string): string[] {
  return [...new Set([...(helm.readers.get(uri) ?? []), ...helm.roots.filter((dir) => isUnder(uri, dir))])];
}

/**
 * The Kustomize, Flux, Argo CD and Fleet layout of `files` after files came or went, computed as a
 * full pass computes it (with `prev`'s builds: a root whose inputs, listings and probes are unchanged
 * keeps its build). `kept`: the layout is `prev` unchanged (the files are placed as plain files are).
 * Otherwise `layout` when only builds changed (what they output, read, claim and lack: a file a
 * kustomization lists, an unreferenced file in a Kustomize tree, a file of a Flux path) and the roots,
 * kustomization folders, GitOps roots and the sets that decide their edits are the same; `changed`
 * then holds every file whose objects or role may differ. Undefined: read the workspace again.
 */
export function layoutAfterMove(
  prev: KustomizeLayout,
  files: ReadonlyMap<string, FileFacts>,
  text: (uri: string) => string | undefined,
  defaultNamespace: string,
): { kept: true } | { kept: false; layout: KustomizeLayout; changed: Set<string> } | undefined {
  const next = computeLayout(files, text, defaultNamespace, prev);
  if (sameLayout(prev, next)) return { kept: true };
  if (!sameFrame(prev, next)) return undefined;
  const changed = filesTouched(prev, next);
  for (const uri of symmetricDifference(prev.claimed, next.claimed)) changed.add(uri);
  for (const uri of symmetricDifference(new Set(prev.readers.keys()), new Set(next.readers.keys()))) changed.add(uri);
  // Element by element: a layout whose roots changed places every object again, keeping each one whose root and ordinal stayed.
  for (const [uri, list] of next.objects) if (!sameList(prev.objects.get(uri), list)) changed.add(uri);
  for (const uri of prev.objects.keys()) if (!next.objects.has(uri)) changed.add(uri);
  return { kept: false, layout: next, changed };
}

/** The same GitOps roots and sets that decide their edits (Kustomize roots, folders and builds may differ). */
function sameFrame(a: KustomizeLayout, b: KustomizeLayout): boolean {
  return (
    sameFlux(a.flux, b.flux ?? new Map()) &&
    sameArgoRoots(a.argo, b.argo ?? new Map()) &&
    sameFleetRoots(a.fleet, b.fleet ?? new Map()) &&
    sameSet(a.argoInputs ?? new Set(), b.argoInputs ?? new Set()) &&
    sameSet(a.substituteNames ?? new Set(), b.substituteNames ?? new Set()) &&
    sameSet(a.argoOwnValues ?? new Set(), b.argoOwnValues ?? new Set())
  );
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[]): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

function symmetricDifference(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...[...a].filter((x) => !b.has(x)), ...[...b].filter((x) => !a.has(x))];
}

function sameLayout(a: KustomizeLayout, b: KustomizeLayout): boolean {
  return (
    a.roots.length === b.roots.length &&
    a.roots.every((r, i) => r === b.roots[i]) &&
    sameMap(a.builds, b.builds, (x, y) => x === y) &&
    sameMap(a.objects, b.objects, (x, y) => x === y) &&
    sameMap(a.readers, b.readers, (x, y) => x.length === y.length && x.every((r, i) => r === y[i])) &&
    sameSet(a.claimed, b.claimed) &&
    sameSet(a.incomplete, b.incomplete) &&
    sameSet(a.dirs, b.dirs) &&
    sameFrame(a, b)
  );
}

function sameMap<T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>, same: (x: T, y: T) => boolean): boolean {
  if (a.size !== b.size) return false;
  for (const [k, x] of a) {
    const y = b.get(k);
    if (y === undefined || !same(x, y)) return false;
  }
  return true;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
