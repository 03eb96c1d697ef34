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
import { pluginRenderedFolders } from './argocdCharts.js';
import { setReleasesTouched } from './argocdSetCharts.js';
import { refusedBundles, sameFleetRoots } from './fleet.js';
import { computeLayout, filesTouched, sameFlux } from './kustomize.js';
import { adoptReads } from './layoutScan.js';
import type { LayoutChange } from './layoutScan.js';
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
 * The Kustomize, Flux, Argo CD and Fleet layout of `files` after files came or went, or a file that
 * decides the layout changed in place (a kustomization, a Flux Kustomization, an Argo CD Application,
 * a Fleet GitRepo or fleet.yaml), computed as a full pass computes it (with `prev`'s builds: a root
 * whose inputs, listings and probes are unchanged keeps its build). `kept`: the layout is `prev`
 * unchanged (the files are placed as plain files are). Otherwise `layout`, and `changed` holds every
 * file whose objects or role may differ: the inputs, outputs and problems of every root whose build
 * changed, the files claimed or read (or no longer), the files whose placed objects differ element by
 * element, and, where the GitOps roots changed (a path, a destination, a root that comes or goes), the
 * file defining each changed root and what its builds read and made, with the charts whose own-values
 * reading changed.
 */
export function layoutAfterChange(
  prev: KustomizeLayout,
  files: ReadonlyMap<string, FileFacts>,
  text: (uri: string) => string | undefined,
  defaultNamespace: string,
  change?: LayoutChange,
): { kept: true } | { kept: false; layout: KustomizeLayout; changed: Set<string> } {
  const next = computeLayout(files, text, defaultNamespace, prev, undefined, change);
  if (sameLayout(prev, next) && sameKustFacts(prev, next)) {
    // The previous layout stays: what the new one's search read is now what it stands on.
    adoptReads(prev, next);
    return { kept: true };
  }
  const changed = filesTouched(prev, next);
  for (const uri of symmetricDifference(prev.claimed, next.claimed)) changed.add(uri);
  for (const uri of symmetricDifference(new Set(prev.readers.keys()), new Set(next.readers.keys()))) changed.add(uri);
  // Element by element: a layout whose roots changed places every object again, keeping each one whose root and ordinal stayed.
  for (const [uri, list] of next.objects) if (!sameList(prev.objects.get(uri), list)) changed.add(uri);
  for (const uri of prev.objects.keys()) if (!next.objects.has(uri)) changed.add(uri);
  if (!sameFrame(prev, next)) for (const uri of frameTouched(prev, next, files)) changed.add(uri);
  return { kept: false, layout: next, changed };
}

/**
 * What a change of GitOps roots concerns: each root (Flux, Argo CD, Fleet) that came, went or changed
 * (its file, and the inputs, outputs and problems of its builds before and after: its destination
 * cluster places them), the files Fleet refuses a bundle on, and the files of charts whose reading
 * with their own values (`argoOwnValues`) changed.
 */
function frameTouched(a: KustomizeLayout, b: KustomizeLayout, files: ReadonlyMap<string, FileFacts>): Set<string> {
  const out = new Set<string>();
  const roots = new Set<string>();
  const compare = <T extends { readonly uri: string }>(
    x: ReadonlyMap<string, T> | undefined,
    y: ReadonlyMap<string, T> | undefined,
    same: (p: ReadonlyMap<string, T>, q: ReadonlyMap<string, T>) => boolean,
  ): void => {
    for (const id of new Set([...(x?.keys() ?? []), ...(y?.keys() ?? [])])) {
      const p = x?.get(id);
      const q = y?.get(id);
      if (p !== undefined && q !== undefined && same(new Map([[id, p]]), new Map([[id, q]]))) continue;
      roots.add(id);
      for (const r of [p, q]) if (r !== undefined) out.add(r.uri);
    }
  };
  compare(a.flux, b.flux, (p, q) => sameFlux(p, q));
  compare(a.argo, b.argo, (p, q) => sameArgoRoots(p, q));
  compare(a.fleet, b.fleet, (p, q) => sameFleetRoots(p, q));
  for (const id of roots)
    for (const x of [a.builds.get(id), b.builds.get(id)]) {
      for (const uri of x?.result.inputs ?? []) out.add(uri);
      for (const o of x?.result.objects ?? []) out.add(o.uri);
      for (const p of x?.result.problems ?? []) out.add(p.uri);
    }
  for (const uri of [...refusedBundles(a.fleet).keys(), ...refusedBundles(b.fleet).keys()]) out.add(uri);
  const own = [
    ...symmetricDifference(a.argoOwnValues ?? new Set(), b.argoOwnValues ?? new Set()),
    ...symmetricDifference(pluginRenderedFolders(a.argo), pluginRenderedFolders(b.argo)),
  ];
  if (own.length > 0) for (const uri of files.keys()) if (own.some((dir) => isUnder(uri, dir))) out.add(uri);
  // ApplicationSets whose Applications install other chart releases: their objects carry them (units/argocdSetCharts.ts).
  for (const uri of setReleasesTouched(a.argo, b.argo)) out.add(uri);
  return out;
}

/** The kustomizations the roots were found from: the same facts (an edit in place gives a kustomization new facts). */
function sameKustFacts(a: KustomizeLayout, b: KustomizeLayout): boolean {
  const x = a.kustFacts ?? new Map<string, FileFacts>();
  const y = b.kustFacts ?? new Map<string, FileFacts>();
  return x.size === y.size && [...y].every(([dir, f]) => x.get(dir) === f);
}

/** The same GitOps roots and sets that decide their edits (Kustomize roots, folders and builds may differ). */
function sameFrame(a: KustomizeLayout, b: KustomizeLayout): boolean {
  return (
    sameFlux(a.flux, b.flux ?? new Map()) &&
    sameArgoRoots(a.argo, b.argo ?? new Map()) &&
    sameFleetRoots(a.fleet, b.fleet ?? new Map()) &&
    sameSet(a.argoInputs ?? new Set(), b.argoInputs ?? new Set()) &&
    sameSet(a.substituteNames ?? new Set(), b.substituteNames ?? new Set()) &&
    sameSet(a.argoOwnValues ?? new Set(), b.argoOwnValues ?? new Set()) &&
    setReleasesTouched(a.argo, b.argo).length === 0
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
