/**
 * The objects of a file at an offset, for the editor's requests on one place (hover, completion,
 * navigation, code actions): looked up through the file's lowered documents, which lie in file
 * order, by binary search, not by walking every object of the file (a 5 MB bundle holds thousands:
 * docs/dev/design.md §9, T6). A file whose index objects are not its own lowered ones (a rendered
 * Helm template, a Kustomize resource) or that has one document is answered by a walk, with the
 * same answer.
 */

import type { KObject, LoweredDocument } from '../model/types.js';
import type { Placed } from '../units/placement.js';
import type { WorkspaceIndex } from './workspaceIndex.js';

function holds(o: KObject, offset: number): boolean {
  return o.span.start <= offset && offset <= o.span.end;
}

/** The index of the first document ending at or after `offset` (documents touch: one's end is the next one's start). */
function firstDocumentEndingFrom(docs: readonly LoweredDocument[], offset: number): number {
  let lo = 0;
  let hi = docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((docs[mid]?.span.end ?? 0) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the last document starting at or before `offset` (-1: none). */
function lastDocumentFrom(docs: readonly LoweredDocument[], offset: number): number {
  let lo = 0;
  let hi = docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((docs[mid]?.span.start ?? 0) <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The placed entry of `o` in `placed` (in ordinal order), by binary search; undefined if none (a patch is not placed). */
function placedOf(placed: readonly Placed[], o: KObject): Placed | undefined {
  let lo = 0;
  let hi = placed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((placed[mid]?.obj.ordinal ?? 0) < o.ordinal) lo = mid + 1;
    else hi = mid;
  }
  const p = placed[lo];
  return p !== undefined && p.obj.ordinal === o.ordinal ? p : undefined;
}

/** Marks a lookup the documents cannot answer (the index's objects are not the lowered ones). */
const WALK = Symbol('walk');

/**
 * The documents of `uri` and its placed objects, when the index's objects of the file are the
 * objects its documents hold (a plain multi-document file); undefined otherwise.
 */
function documentsOf(index: WorkspaceIndex, uri: string): { docs: readonly LoweredDocument[]; placed: readonly Placed[] } | undefined {
  const placed = index.objectsOfFile(uri);
  const facts = index.files.get(uri);
  // A template's documents are its deferred masked reading (model/deferredFacts.ts): not read here.
  const docs = facts === undefined || facts.template ? undefined : facts.documents;
  if (docs === undefined || docs.length < 2 || placed.length === 0) return undefined;
  return { docs, placed };
}

/** `o`'s placed entry, WALK when the index does not hold the document's own object, undefined when `o` is not placed. */
function entryOf(placed: readonly Placed[], o: KObject): Placed | undefined | typeof WALK {
  if (o.uri === undefined) return WALK;
  const p = placedOf(placed, o);
  if (p === undefined) return o.isPatch === true ? undefined : WALK;
  return p.obj === o ? p : WALK;
}

/**
 * The first object of `uri` (in file order) whose span holds `offset`; with `docIndex`, among the
 * objects of that document only.
 */
export function objectAt(index: WorkspaceIndex, uri: string, offset: number, docIndex?: number): Placed | undefined {
  const walk = (): Placed | undefined =>
    index.objectsOfFile(uri).find((p) => (docIndex === undefined || p.obj.docIndex === docIndex) && holds(p.obj, offset));
  const file = documentsOf(index, uri);
  if (file === undefined) return walk();
  if (docIndex !== undefined) {
    const d = file.docs[docIndex];
    return d === undefined ? walk() : firstHolding(d, docIndex, file.placed, offset, walk);
  }
  // The documents whose span holds the offset: one, or two that touch there.
  for (let i = firstDocumentEndingFrom(file.docs, offset); i < file.docs.length; i++) {
    const d = file.docs[i];
    if (d === undefined || d.span.start > offset) break;
    const found = firstHolding(d, i, file.placed, offset, walk);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The first object of document `d` (the file's `at`th) holding `offset`, or what `walk` says when the documents cannot tell. */
function firstHolding(
  d: LoweredDocument,
  at: number,
  placed: readonly Placed[],
  offset: number,
  walk: () => Placed | undefined,
): Placed | undefined {
  for (const o of d.objects) {
    if (o.docIndex !== at) return walk();
    if (!holds(o, offset)) continue;
    const p = entryOf(placed, o);
    if (p === WALK) return walk();
    if (p !== undefined) return p;
  }
  return undefined;
}

/** The last object of `uri` (in file order) that starts at or before `offset`: the one being typed. */
export function objectStartingBefore(index: WorkspaceIndex, uri: string, offset: number): Placed | undefined {
  const walk = (): Placed | undefined => {
    let best: Placed | undefined;
    for (const p of index.objectsOfFile(uri))
      if (p.obj.span.start <= offset && (best === undefined || p.obj.span.start > best.obj.span.start)) best = p;
    return best;
  };
  const file = documentsOf(index, uri);
  if (file === undefined) return walk();
  // The document the cursor is in may hold no object yet (half typed): the last one before it then.
  for (let i = lastDocumentFrom(file.docs, offset); i >= 0; i--) {
    const d = file.docs[i];
    if (d === undefined) return walk();
    let best: Placed | undefined;
    for (const o of d.objects) {
      if (o.span.start > offset || (best !== undefined && o.span.start <= best.obj.span.start)) continue;
      const p = entryOf(file.placed, o);
      if (p === WALK) return walk();
      if (p !== undefined) best = p;
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

/** The objects of `uri` (in file order) whose span overlaps `start`..`end`. */
export function objectsOverlapping(index: WorkspaceIndex, uri: string, start: number, end: number): readonly Placed[] {
  const overlaps = (o: KObject): boolean => o.span.start <= end && start <= o.span.end;
  const walk = (): readonly Placed[] => index.objectsOfFile(uri).filter((p) => overlaps(p.obj));
  const file = documentsOf(index, uri);
  if (file === undefined) return walk();
  const out: Placed[] = [];
  // Documents do not overlap (they touch): from the first ending at or after `start` to the last starting by `end`.
  for (let i = firstDocumentEndingFrom(file.docs, start); i < file.docs.length; i++) {
    const d = file.docs[i];
    if (d === undefined || d.span.start > end) break;
    for (const o of d.objects) {
      if (!overlaps(o)) continue;
      const p = entryOf(file.placed, o);
      if (p === WALK) return walk();
      if (p !== undefined) out.push(p);
    }
  }
  return out;
}
