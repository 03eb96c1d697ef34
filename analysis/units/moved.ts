/**
 * Placed objects an edit only moved (docs/dev/design.md §9, T5): a document after an edit's run
 * keeps its objects' content, only their spans and places in the file change (`model/shift.ts`
 * `movedObject`), so what is worked out from an object's content (the index lists it is in, its
 * alternatives' entries) is the first one's. Caches of such work key by `contentOf(p)`.
 */

import type { Placed } from './placement.js';

/** The `Placed` whose content `p` has (itself, unless an edit made it by moving another: `Placed.movedFrom`). */
export function contentOf(p: Placed): Placed {
  return p.movedFrom ?? p;
}
