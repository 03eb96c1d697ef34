/**
 * Predicates of a file's facts remembered per facts (facts are immutable): a layout computed after an
 * edit asks them of every file again (which files hold a Flux Kustomization, an Argo CD Application,
 * a Fleet GitRepo, a cluster Secret…), and each walks every object of the file. Pure.
 */

import type { FileFacts } from '../model/types.js';
import { isDeferred } from '../model/deferredFacts.js';

/** `compute(f)`, remembered in `memo` (false for no facts; a deferred template's objects are made when first read: not remembered before). */
export function remembered(memo: WeakMap<FileFacts, boolean>, f: FileFacts | undefined, compute: (f: FileFacts) => boolean): boolean {
  if (f === undefined) return false;
  if (isDeferred(f)) return compute(f);
  let v = memo.get(f);
  if (v === undefined) memo.set(f, (v = compute(f)));
  return v;
}
