/**
 * What a Kustomize layout reads of every file, made to cost what an edit changed (docs/dev/units.md §2):
 * the files a layout looks at (each pass over all of them counted: `LayoutFiles.visited`), the sorted
 * paths folders are listed from (carried from the previous files, `sortedUris`), the kustomizations
 * (the previous layout's, with the edited folders read again: `kustomizationsAfter`), and the GitOps
 * roots a layout found with everything their search read (`ScanReads`): a later layout takes them when
 * no edited file is one the search looks for (`LayoutChange.scansKept`) and every read gives what it
 * gave. Pure (memos by identity). Design notes: docs/dev/units.md §2.
 */

import type { FileFacts } from '../model/types.js';
import { KUSTOMIZATION_FILES } from '../render/kustomize/index.js';
import { basename, dirname } from '../workspace/paths.js';
import type { ArgoRoot } from './argocd.js';
import type { FleetRoot } from './fleet.js';
import type { FluxRoot } from './flux.js';
import { STRICT_TEXT, strictReading } from './fluxValues.js';

/** An edit a layout is computed after: the files edited, and what `restructure` knows of them (units/layoutEdits.ts `changeOf`). */
export interface LayoutChange {
  readonly edited: ReadonlySet<string>;
  /** No edited file, before or after, is one the GitOps search looks for (its scans would find what they found). */
  readonly scansKept: boolean;
  /** No edited file, before or after, holds the kustomize-controller Deployment. */
  readonly controllerKept: boolean;
  /** A file came or went (a search that listed every path, a Fleet GitRepo's, may find other folders). */
  readonly moved: boolean;
  /** A kustomization is among the edited files (a search that read Flux values may find other generated ConfigMaps). */
  readonly kustomizations: boolean;
}

/**
 * The files a layout reads: every pass over all of them counted in `visited` (files times passes), and, while
 * `reads` is set, the facts looked up by path recorded.
 */
export class LayoutFiles implements ReadonlyMap<string, FileFacts> {
  visited = 0;
  reads: Map<string, FileFacts | undefined> | undefined;
  /** Whether every path was listed (`keys`, `entries`) while `reads` was set: what was found may depend on which files exist. */
  listed = false;
  constructor(readonly all: ReadonlyMap<string, FileFacts>) {}
  get size(): number {
    return this.all.size;
  }
  get(uri: string): FileFacts | undefined {
    const f = this.all.get(uri);
    this.reads?.set(uri, f);
    return f;
  }
  has(uri: string): boolean {
    return this.get(uri) !== undefined;
  }
  keys(): MapIterator<string> {
    this.visited += this.all.size;
    if (this.reads !== undefined) this.listed = true;
    return this.all.keys();
  }
  values(): MapIterator<FileFacts> {
    this.visited += this.all.size;
    return this.all.values();
  }
  entries(): MapIterator<[string, FileFacts]> {
    this.visited += this.all.size;
    if (this.reads !== undefined) this.listed = true;
    return this.all.entries();
  }
  [Symbol.iterator](): MapIterator<[string, FileFacts]> {
    return this.entries();
  }
  /** The workspace's top folder (`topFolder`: a Fleet GitRepo's `.`): which files exist decides it, so a search that asked runs again when one comes or goes. */
  top(): string | undefined {
    if (this.reads !== undefined) this.listed = true;
    return topFolder(sortedUris(this));
  }
  forEach(callback: (value: FileFacts, key: string, map: ReadonlyMap<string, FileFacts>) => void): void {
    for (const [k, v] of this.entries()) callback(v, k, this);
  }
}

/**
 * What the layouts computed so far cost (counters for the edit-cost tests and scripts/bench/testFolderBench.ts):
 * their passes over every file (files times passes) and the GitOps roots' searches (those not taken from the previous layout).
 * One counter is carried from a layout to the next computed from it (`KustomizeLayout.work`), so a layout computed and then
 * dropped for the previous one (`layoutAfterChange`'s `kept`) still counts; a workspace's first layout starts one.
 */
export interface LayoutWork {
  filesVisited: number;
  searches: number;
}

/** Sorted paths by the files map they are of (facts maps are forks: one per snapshot). */
const sorted = new WeakMap<ReadonlyMap<string, FileFacts>, readonly string[]>();

/** The paths of `files`, sorted: carried from the files they were edited from (`carrySorted`), else sorted (a pass, counted). */
export function sortedUris(files: LayoutFiles): readonly string[] {
  const hit = sorted.get(files.all);
  if (hit !== undefined) return hit;
  // A pass (counted), but no listing of what exists: the folders listed from it are recorded one by one.
  files.visited += files.size;
  const out = [...files.all.keys()].sort();
  sorted.set(files.all, out);
  return out;
}

/** Carries the sorted paths of `before` (when known) to `after`, which differs from it in `edited` only: each path found by binary search. */
export function carrySorted(
  before: ReadonlyMap<string, FileFacts>,
  after: ReadonlyMap<string, FileFacts>,
  edited: ReadonlySet<string>,
): void {
  const was = sorted.get(before);
  if (was === undefined || sorted.has(after)) return;
  let out = was;
  for (const uri of edited) {
    const at = firstAtOrAfter(out, uri);
    const present = out[at] === uri;
    if (present === after.has(uri)) continue;
    if (out === was) out = was.slice();
    (out as string[]).splice(at, present ? 1 : 0, ...(present ? [] : [uri]));
  }
  sorted.set(after, out);
}

/** The index of the first path at or after `key` (binary search). */
function firstAtOrAfter(list: readonly string[], key: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] ?? '') < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The folder holding every path of `list` (sorted): the common folder of its first and last paths; undefined without paths. */
function topFolder(list: readonly string[]): string | undefined {
  const first = list[0];
  const last = list[list.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const a = first.split('/');
  const b = last.split('/');
  let n = 0;
  // Folders only: the last segment of each path is its file's name.
  while (n < a.length - 1 && n < b.length - 1 && a[n] === b[n]) n++;
  return n === 0 ? undefined : a.slice(0, n).join('/');
}

/** The paths of `list` under folder `dir`: a run of the sorted paths. */
export function under(list: readonly string[], dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const out: string[] = [];
  for (let i = firstAtOrAfter(list, prefix); i < list.length && (list[i] ?? '').startsWith(prefix); i++) out.push(list[i] ?? '');
  return out;
}

/** Whether a file is a folder's kustomization as kustomize reads it (`kustomization.yaml`, `.yml`, `Kustomization`). */
function isKustomizationFile(f: FileFacts | undefined): f is FileFacts {
  return f !== undefined && f.toolConfig?.kind === 'kustomization' && KUSTOMIZATION_FILES.includes(basename(f.uri));
}

/**
 * The kustomizations by folder after an edit: `previous` (those of the files before it) with the edited files'
 * folders read again; undefined when a folder holds two (which one a pass over the files keeps depends on its order).
 */
export function kustomizationsAfter(
  previous: ReadonlyMap<string, FileFacts> | undefined,
  files: LayoutFiles,
  change: LayoutChange | undefined,
): Map<string, FileFacts> {
  const out = previous !== undefined && change !== undefined ? new Map(previous) : undefined;
  for (const uri of out !== undefined ? (change?.edited ?? []) : []) {
    if (!KUSTOMIZATION_FILES.includes(basename(uri))) continue;
    const dir = dirname(uri);
    const found = KUSTOMIZATION_FILES.map((name) => files.all.get(`${dir}/${name}`)).filter(isKustomizationFile);
    const f = found[0];
    if (found.length > 1) return allKustomizations(files);
    if (f === undefined) out?.delete(dir);
    else out?.set(dir, f);
  }
  return out ?? allKustomizations(files);
}

/** Every folder's kustomization: a pass over every file. */
function allKustomizations(files: LayoutFiles): Map<string, FileFacts> {
  const out = new Map<string, FileFacts>();
  for (const f of files.values()) if (isKustomizationFile(f)) out.set(dirname(f.uri), f);
  return out;
}

/** The GitOps roots a layout's search found, with what it read: a later layout takes them when the reads stand (`searchKept`). */
interface FoundRoots {
  readonly reads: ScanReads;
  readonly flux: ReadonlyMap<string, FluxRoot>;
  readonly fleet: ReadonlyMap<string, FleetRoot>;
  readonly argo: ReadonlyMap<string, ArgoRoot>;
  readonly argoParents: Map<string, ArgoRoot>;
  readonly argoInputs: ReadonlySet<string> | undefined;
}

/** By layout. */
const foundRoots = new WeakMap<object, FoundRoots>();
/** Whether Flux substitutes strictly, with the files that said so (`strictReading`), by layout: kept while no edit touches them. */
const strictRead = new WeakMap<object, Strictness>();
type Strictness = ReturnType<typeof strictReading>;

/** `prev` takes what `next` (computed for the same files, and found the same) read: a later edit validates against the files as they are. */
export function adoptReads(prev: object, next: object): void {
  for (const memo of [foundRoots, strictRead] as Array<WeakMap<object, unknown>>) {
    const m = memo.get(next);
    if (m !== undefined) memo.set(prev, m);
    else memo.delete(prev);
  }
}

/** The previous layout's GitOps roots, when `change` leaves what their search found as it was and every read gives what it gave. */
export function searchKept(
  previous: object | undefined,
  change: LayoutChange | undefined,
  now: Parameters<typeof sameReads>[1],
): FoundRoots | undefined {
  const found = previous !== undefined ? foundRoots.get(previous) : undefined;
  return found !== undefined && change !== undefined && searchStands(found.reads, change) && sameReads(found.reads, now)
    ? found
    : undefined;
}

/**
 * Whether Flux substitutes strictly (`strictReading`, a pass over every file, once asked): the previous layout's reading
 * while no edited file holds the kustomize-controller or is a kustomization whose text may say so.
 */
export function strictness(
  previous: object | undefined,
  change: LayoutChange | undefined,
  files: LayoutFiles,
  text: (uri: string) => string | undefined,
): { readonly value: () => boolean; readonly read: () => Strictness | undefined } {
  const was = previous !== undefined && change?.controllerKept === true ? strictRead.get(previous) : undefined;
  const stands =
    was !== undefined &&
    [...(change?.edited ?? [])].every(
      (u) => !was.read.has(u) && !(files.all.get(u)?.toolConfig?.kind === 'kustomization' && STRICT_TEXT.test(text(u) ?? '')),
    );
  let now: Strictness | undefined;
  return { value: () => (now ??= stands ? was : strictReading(files, text)).value, read: () => now ?? (stands ? was : undefined) };
}

/**
 * Keeps with `layout` what its search found (`previous`: the previous layout's, taken as they were; `searched`: found by a
 * search it ran) and the strictness read; counts the work on its counter (`LayoutWork`).
 */
export function keepReads<T extends { readonly work?: LayoutWork }>(
  layout: T,
  previous: object | undefined,
  found: FoundRoots | 'previous' | undefined,
  searched: boolean,
  strict: ReturnType<typeof strictness>,
  files: LayoutFiles,
): T {
  const roots = found === 'previous' ? (previous !== undefined ? foundRoots.get(previous) : undefined) : found;
  if (roots !== undefined) foundRoots.set(layout, roots);
  const s = strict.read();
  if (s !== undefined) strictRead.set(layout, s);
  if (layout.work !== undefined) {
    layout.work.filesVisited += files.visited;
    if (searched) layout.work.searches++;
  }
  return layout;
}

/** What the GitOps roots' search read: texts (parses read them), folder listings, folders' kustomizations looked up, facts by path. */
export interface ScanReads {
  readonly texts: Map<string, string | undefined>;
  readonly listings: Map<string, string>;
  readonly probes: Map<string, FileFacts | undefined>;
  readonly facts: Map<string, FileFacts | undefined>;
  /** Every path was listed (`LayoutFiles.listed`): a file that comes or goes may change what is found. */
  listed: boolean;
  /** Flux postBuild values were read (they read every kustomization's generators): a kustomization edited may change what is found. */
  values: boolean;
}

export function newReads(): ScanReads {
  return { texts: new Map(), listings: new Map(), probes: new Map(), facts: new Map(), listed: false, values: false };
}

/** Whether `change` leaves what a search with `reads` found as it was, given that its reads give what they gave (`sameReads`). */
function searchStands(reads: ScanReads, change: LayoutChange): boolean {
  return change.scansKept && !(reads.listed && change.moved) && !(reads.values && change.kustomizations);
}

/** Whether every read gives what it gave. */
function sameReads(
  r: ScanReads,
  now: {
    readonly text: (uri: string) => string | undefined;
    readonly listing: (dir: string) => string;
    readonly kustomization: (dir: string) => FileFacts | undefined;
    readonly facts: (uri: string) => FileFacts | undefined;
  },
): boolean {
  for (const [uri, f] of r.facts) if (now.facts(uri) !== f) return false;
  for (const [dir, f] of r.probes) if (now.kustomization(dir) !== f) return false;
  for (const [dir, list] of r.listings) if (now.listing(dir) !== list) return false;
  for (const [uri, t] of r.texts) if (now.text(uri) !== t) return false;
  return true;
}
