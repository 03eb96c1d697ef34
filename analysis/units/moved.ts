/**
 * Placed objects an edit only moved (docs/dev/design.md §9, T5): a document after an edit's run
 * keeps its objects' content, only their spans and places in the file change (`model/shift.ts`
 * `movedObject`), so what is worked out from an object's content (the index lists it is in, its
 * alternatives' entries) is the first one's. Caches of such work key by `contentOf(p)`.
 */

import type { Placed } from './placement.js';

const movedFrom = new WeakMap<Placed, Placed>();

/** The `Placed` whose content `p` has (itself, unless an edit made it by moving another). */
export function contentOf(p: Placed): Placed {
  return movedFrom.get(p) ?? p;
}

/** `next` is `before` moved by an edit: the same content. */
export function markMoved(next: Placed, before: Placed): void {
  movedFrom.set(next, contentOf(before));
}
