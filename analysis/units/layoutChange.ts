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
import { computeLayout, sameFlux } from './kustomize.js';
import type { KustomizeLayout } from './kustomize.js';
import type { Structure } from './structure.js';

/** The files of `edited` that came or went (neither kind of edit changes a file's text alone). */
export function cameOrWent(
  before: ReadonlyMap<string, FileFacts>,
  after: ReadonlyMap<string, FileFacts>,
  edited: ReadonlySet<string>,
): string[] {
  return [...edited].filter((uri) => before.has(uri) !== after.has(uri));
}

/**
 * Whether a file that comes or goes may change a chart's render: it lies in a chart's folder (a
 * template, a `.Files` input, a vendored subchart) or a render read it. Such a file reads the
 * workspace again.
 */
export function inChart(structure: Structure, uri: string): boolean {
  return structure.helm.readers.has(uri) || structure.charts.some((c) => isUnder(uri, c.dir));
}

/**
 * Whether the Kustomize, Flux, Argo CD and Fleet layout of `files` is `prev` unchanged: the same
 * roots with the same builds and placed objects, the same inputs, claimed files, incomplete roots,
 * kustomization folders, GitOps roots and the sets that decide their edits.
 */
export function layoutKept(
  prev: KustomizeLayout,
  files: ReadonlyMap<string, FileFacts>,
  text: (uri: string) => string | undefined,
  defaultNamespace: string,
): boolean {
  return sameLayout(prev, computeLayout(files, text, defaultNamespace, prev));
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
    sameFlux(a.flux, b.flux ?? new Map()) &&
    sameArgoRoots(a.argo, b.argo ?? new Map()) &&
    sameFleetRoots(a.fleet, b.fleet ?? new Map()) &&
    sameSet(a.argoInputs ?? new Set(), b.argoInputs ?? new Set()) &&
    sameSet(a.substituteNames ?? new Set(), b.substituteNames ?? new Set()) &&
    sameSet(a.argoOwnValues ?? new Set(), b.argoOwnValues ?? new Set())
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
