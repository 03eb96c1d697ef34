/**
 * The candidates that qualify as each kind of evidence for a selector that matched nothing
 * (`selectorEvidence`, docs/dev/checks-spec.md §1.3), carried from one index to the next (issue
 * #21). Whether a producer qualifies depends on that producer and the selector alone, so after an
 * edit only the producers of the files the index says changed (`WorkspaceIndex.changedSince`) are
 * judged again: those of unchanged files keep their verdict. While a Service's selector misses in a
 * namespace of thousands of workloads, an edit of its file then judges that file's producers, not
 * every producer of the namespace. The answer is the one a full pass gives: the qualifying candidate
 * that sorts first by its description, then by its place among the candidates.
 */

import type { Placed, WorkspaceIndex } from '../../workspace/workspaceIndex.js';

/** Where `WorkspaceIndex.carried` holds the memo. */
const CARRIED_KEY = 'evidence';
/** Entries kept (least recently used dropped first): one per selector that missed, typed variants included. */
const MAX_ENTRIES = 512;

interface Entry {
  /** The index the lists were computed on (`WorkspaceIndex.generation`). */
  readonly generation: number;
  /** Per kind, the qualifying candidates in candidate order. */
  readonly kinds: Map<string, readonly Placed[]>;
}

/** `String.prototype.localeCompare`'s order (the default locale's collation), without its cost per call. */
const COLLATOR = new Intl.Collator();

function memoOf(index: WorkspaceIndex): Map<string, Entry> {
  let memo = index.carried.get(CARRIED_KEY) as Map<string, Entry> | undefined;
  if (memo === undefined) index.carried.set(CARRIED_KEY, (memo = new Map()));
  return memo;
}

/**
 * The evidence search of one selector over its candidates. `key` names everything qualifying
 * depends on besides the candidate (the selector, the object and its placement); undefined when
 * nothing may be carried (every candidate is judged).
 */
export class EvidenceSearch {
  private readonly entry: Entry;
  /** The files changed since the memo's index; undefined: judge every candidate. */
  private readonly changed: ReadonlySet<string> | undefined;
  private readonly previous: Entry | undefined;

  constructor(
    private readonly index: WorkspaceIndex,
    key: string | undefined,
    private readonly candidates: readonly Placed[],
    private readonly describe: (p: Placed) => string,
  ) {
    const memo = key === undefined ? undefined : memoOf(index);
    const previous = key === undefined ? undefined : memo?.get(key);
    const changed = previous === undefined ? undefined : index.changedSince(previous.generation);
    // A memo newer than this index (an older snapshot's checks) or off this lineage is not used.
    this.previous = changed === undefined ? undefined : previous;
    this.changed = changed;
    this.entry = { generation: index.generation, kinds: new Map() };
    if (memo !== undefined && key !== undefined) {
      memo.delete(key);
      memo.set(key, this.entry);
      for (const k of memo.keys()) {
        if (memo.size <= MAX_ENTRIES) break;
        memo.delete(k);
      }
    }
  }

  /** The candidate of `kind` that sorts first by its description (then by its place among the candidates). */
  first(kind: string, qualifies: (c: Placed) => boolean): Placed | undefined {
    const qualifying = this.qualifying(kind, qualifies);
    this.entry.kinds.set(kind, qualifying);
    let best: Placed | undefined;
    let bestKey = '';
    let bestAt = -1;
    for (const c of qualifying) {
      const key = this.describe(c);
      const order = best === undefined ? -1 : COLLATOR.compare(key, bestKey);
      if (best === undefined || order < 0) {
        best = c;
        bestKey = key;
        bestAt = -1;
      } else if (order === 0) {
        // Ties (rare) go to the earlier candidate, as a pass in candidate order gives.
        if (bestAt < 0) bestAt = this.candidates.indexOf(best);
        const at = this.candidates.indexOf(c);
        if (at < bestAt) {
          best = c;
          bestKey = key;
          bestAt = at;
        }
      }
    }
    return best;
  }

  private qualifying(kind: string, qualifies: (c: Placed) => boolean): readonly Placed[] {
    const before = this.previous?.kinds.get(kind);
    const changed = this.changed;
    if (before === undefined || changed === undefined) return this.candidates.filter(qualifies);
    // Producers of unchanged files keep their objects, placements and verdicts; those of the
    // changed files are judged again, if they are candidates.
    const out = before.filter((p) => !changed.has(p.obj.uri));
    for (const uri of changed)
      for (const p of this.index.untracked(() => this.index.objectsOfFile(uri)))
        if (!out.includes(p) && this.candidates.includes(p) && qualifies(p)) out.push(p);
    return out;
  }
}
