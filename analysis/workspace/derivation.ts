/**
 * How the workspace index's per-file parts are made: built from every file's facts, or derived
 * from the previous index's parts by replacing the changed files' contributions (copy on write:
 * the previous parts stay valid for the snapshot that holds them). `WorkspaceIndex` (workspaceIndex.ts)
 * holds the parts and answers the checks' lookups from them.
 */

import type { FileFacts } from '../model/types.js';
import { ForkMap } from './forkMap.js';
import { byPlace, markBroken, movedTo, ObjectLists, sortedIndex } from './lists.js';
import { isGlobalObject, keysOfPlaced } from './keys.js';
import { computeAlternatives, relationChange } from '../units/alternatives.js';
import type { Alternatives } from '../units/alternatives.js';
import { contribute, packedContributions, recontribute, sameEntries } from '../units/placement.js';
import type { Contribution, Placed } from '../units/placement.js';
import type { Structure } from '../units/structure.js';

/** Every file's objects, files in path order. */
export type FileList = ReadonlyArray<{ readonly uri: string; readonly placed: readonly Placed[] }>;

/** What an index holds per file, and what is gathered from all files' contributions. */
export interface IndexParts {
  readonly contrib: ForkMap<string, Contribution>;
  /** Placed objects by namespace, unit, Service name and pod label (workspace/lists.ts). */
  readonly lists: ObjectLists;
  readonly brokenFiles: ForkMap<string, Set<string>>;
  readonly globalObjects: readonly Placed[];
  /** Units and files that are alternatives of one another (analysis/units/alternatives.ts). */
  readonly alternatives: Alternatives;
  /** The sorted file list, when the previous index had one and the change kept the files (edits alone). */
  readonly fileList: FileList | undefined;
}

/** The parts of a full build: every file contributes its objects under `structure`. */
export function buildParts(structure: Structure, files: ReadonlyMap<string, FileFacts>, defaultNamespace: string): IndexParts {
  const contrib = new ForkMap<string, Contribution>();
  const lists = new ObjectLists();
  const brokenFiles = new ForkMap<string, Set<string>>();
  const all: Placed[] = [];
  for (const f of files.values()) {
    const c = contribute(structure, f, defaultNamespace);
    contrib.set(f.uri, c);
    for (const pl of c.placed) all.push(pl);
    if (c.broken) for (const u of c.units) markBroken(brokenFiles, u, f.uri, true);
  }
  // Packed subcharts' templates: their objects in the parent release's unit (not analysed, never checked).
  for (const [uri, c] of packedContributions(structure, (u) => files.has(u), defaultNamespace)) {
    contrib.set(uri, c);
    for (const pl of c.placed) all.push(pl);
    if (c.broken) for (const u of c.units) markBroken(brokenFiles, u, uri, true);
  }
  lists.reindex(new Set(), all);
  return {
    contrib,
    lists,
    brokenFiles,
    globalObjects: all.filter((p) => isGlobalObject(p.obj)).sort(byPlace),
    alternatives: computeAlternatives([...contrib.values()].map((c) => c.alts)),
    fileList: undefined,
  };
}

/**
 * The parts after `changed` files changed (added, edited or removed): the previous parts forked,
 * the changed files' contributions replaced. `restructured` is true when the change rebuilt the
 * structure (a file's unchanged serial is then no reason to keep its contribution).
 */
export function deriveParts(
  prev: IndexParts,
  prevFiles: ReadonlyMap<string, FileFacts>,
  structure: Structure,
  restructured: boolean,
  files: ReadonlyMap<string, FileFacts>,
  changed: ReadonlySet<string>,
  defaultNamespace: string,
): IndexParts {
  const contrib = prev.contrib.fork();
  const lists = new ObjectLists(prev.lists);
  const brokenFiles = prev.brokenFiles.fork();
  const removed = new Set<Placed>();
  const added: Placed[] = [];
  // Each document-edited file's pairs (old → moved), as `contributeEdit` made them.
  const moved: Array<ReadonlyMap<Placed, Placed>> = [];
  for (const uri of changed) {
    const old = prev.contrib.get(uri);
    for (const u of old?.units ?? []) markBroken(brokenFiles, u, uri, false);
    const facts = files.get(uri);
    if (facts === undefined) {
      for (const p of old?.placed ?? []) removed.add(p);
      contrib.delete(uri);
      continue;
    }
    const same = restructured ? undefined : prevFiles.get(uri)?.serial;
    const c = recontribute(structure, facts, old, same, defaultNamespace, { removed, added, moved });
    contrib.set(uri, c);
    for (const u of c.units) if (c.broken) markBroken(brokenFiles, u, uri, true);
  }
  lists.replace(moved);
  lists.reindex(removed, added);
  // Edits alone keep the file order: the sorted list is carried over with the new contributions.
  const fileList = editedFileList(prev, contrib, changed);
  // Moved objects keep their order (an edit moves the objects after it together); added ones go where they belong.
  const globalObjects = prev.globalObjects.filter((p) => !removed.has(p)).map((p) => movedTo(moved, p) ?? p);
  const addedGlobal = added.filter((p) => isGlobalObject(p.obj));
  if (addedGlobal.length > 8) {
    for (const p of addedGlobal) globalObjects.push(p);
    globalObjects.sort(byPlace);
  } else for (const p of addedGlobal) globalObjects.splice(sortedIndex(globalObjects, p), 0, p);
  // Most edits keep every identity: the relation is the previous index's.
  const alternatives = [...changed].every((uri) => sameEntries(prev.contrib.get(uri)?.alts, contrib.get(uri)?.alts))
    ? prev.alternatives
    : computeAlternatives([...contrib.values()].map((c) => c.alts));
  return { contrib, lists, brokenFiles, globalObjects, alternatives, fileList };
}

/** The previous index's sorted file list with the changed files' new objects, when every changed file was and still is in the index (edits alone). */
function editedFileList(prev: IndexParts, contrib: ForkMap<string, Contribution>, changed: ReadonlySet<string>): FileList | undefined {
  const prevList = prev.fileList;
  if (prevList === undefined) return undefined;
  const out = prevList.slice();
  for (const uri of changed) {
    if (!prev.contrib.has(uri) || !contrib.has(uri)) return undefined;
    // The list is sorted by URI: the file is found by binary search, not a pass over every file.
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((out[mid]?.uri ?? '') < uri) lo = mid + 1;
      else hi = mid;
    }
    if (out[lo]?.uri !== uri) return undefined;
    out[lo] = { uri, placed: contrib.get(uri)?.placed ?? [] };
  }
  return out;
}

/**
 * The files whose objects' views a change of the alternatives relation changed, their objects' keys
 * added to `keys` (readers that saw or left out those objects are judged again): empty when the
 * relation is kept; undefined when the change is not scoped (units/alternatives.ts `relationChange`:
 * read the workspace again).
 */
export function viewChanges(before: IndexParts, after: IndexParts, keys: Set<string>): Set<string> | undefined {
  const out = new Set<string>();
  if (after.alternatives === before.alternatives || after.alternatives.signature === before.alternatives.signature) return out;
  const concerns = relationChange(before.alternatives, after.alternatives);
  if (concerns === undefined) return undefined;
  for (const parts of [before, after])
    for (const [uri, c] of parts.contrib)
      for (const p of c.placed)
        if (concerns(p)) {
          keysOfPlaced(p, keys);
          out.add(uri);
        }
  return out;
}
