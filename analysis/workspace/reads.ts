/**
 * What a reader of the index read: the dependency keys its lookups record while tracking is on
 * (the host re-runs only the checks whose keys an edit touched; ARCHITECTURE.md), the view that
 * filters lookups while a check judges an object that has alternatives (analysis/units/alternatives.ts),
 * and values computed once per index with the keys they read (replayed into later readers).
 */

import type { View } from '../units/alternatives.js';
import type { Placed } from '../units/placement.js';

interface MemoEntry {
  readonly value: unknown;
  readonly deps: ReadonlySet<string>;
  /** Some key is an alternative's (`alt:…`): a reader is told its view filtered something. */
  readonly alt: boolean;
  /** The tracker (by `Reads.trackerId`) that last took `deps`: a later read into the same one adds nothing new. */
  addedTo: number;
}

type Memo = Map<string, MemoEntry>;

export class Reads {
  private tracker: Set<string> | undefined;
  /** Identifies `tracker` (0: none), so a memoized value's keys go into one tracker once. */
  private trackerId = 0;
  private nextTrackerId = 1;
  /** The view lookups are filtered by while a check judges an object that has alternatives. */
  view: View | undefined;
  /** Lookups under a view: view key → accessor key → the filtered list. */
  private readonly viewLists = new Map<string, Map<string, readonly Placed[]>>();
  /** Whether a lookup since `takeViewFiltered` left out an object of an alternative. */
  private viewFiltered = false;
  private readonly memo: Memo = new Map();
  private readonly objectMemo = new WeakMap<object, Memo>();

  start(): void {
    this.tracker = new Set();
    this.trackerId = this.nextTrackerId++;
  }

  stop(): Set<string> {
    const t = this.tracker ?? new Set<string>();
    this.tracker = undefined;
    this.trackerId = 0;
    return t;
  }

  track(key: string): void {
    this.tracker?.add(key);
  }

  takeViewFiltered(): boolean {
    const f = this.viewFiltered;
    this.viewFiltered = false;
    return f;
  }

  /** `list` (the lookup `key`) as the current view sees it. */
  seen(list: readonly Placed[], key: string): readonly Placed[] {
    const view = this.view;
    if (view === undefined || list.length === 0) return list;
    let lists = this.viewLists.get(view.key);
    if (lists === undefined) this.viewLists.set(view.key, (lists = new Map()));
    let out = lists.get(key);
    if (out === undefined) {
      const kept = list.filter((p) => !view.excludes(p));
      out = kept.length === list.length ? list : kept;
      lists.set(key, out);
    }
    if (out !== list) this.noteFiltered(view);
    return out;
  }

  private noteFiltered(view: View): void {
    this.viewFiltered = true;
    // Replayed with cached values computed from this lookup (`memoized`).
    this.tracker?.add(`alt:${view.key}`);
  }

  untracked<T>(compute: () => T): T {
    const outer = this.tracker;
    const outerId = this.trackerId;
    this.tracker = undefined;
    this.trackerId = 0;
    try {
      return compute();
    } finally {
      this.tracker = outer;
      this.trackerId = outerId;
    }
  }

  cached<T>(key: string, compute: () => T): T {
    return this.memoized(this.memo, key, compute);
  }

  cachedFor<T>(owner: object, tag: string, compute: () => T): T {
    let memo = this.objectMemo.get(owner);
    if (memo === undefined) this.objectMemo.set(owner, (memo = new Map()));
    return this.memoized(memo, tag, compute);
  }

  private memoized<T>(memo: Memo, key: string, compute: () => T): T {
    if (this.view !== undefined) key = `${this.view.key}\u0001${key}`;
    const hit = memo.get(key);
    if (hit !== undefined) {
      if (hit.alt) this.viewFiltered = true;
      // A check reads the same memoized values many times (a producer's Services, once per policy
      // rule reaching it): its keys are added to the tracker the first time only.
      if (this.tracker !== undefined && hit.addedTo !== this.trackerId) {
        for (const k of hit.deps) this.tracker.add(k);
        hit.addedTo = this.trackerId;
      }
      return hit.value as T;
    }
    const outer = this.tracker;
    const outerId = this.trackerId;
    const deps = new Set<string>();
    this.tracker = deps;
    this.trackerId = this.nextTrackerId++;
    let value: T;
    try {
      value = compute();
    } finally {
      this.tracker = outer;
      this.trackerId = outerId;
    }
    if (outer !== undefined) for (const k of deps) outer.add(k);
    let alt = false;
    for (const k of deps)
      if (k.startsWith('alt:')) {
        alt = true;
        break;
      }
    if (this.view !== undefined && alt) this.viewFiltered = true;
    memo.set(key, { value, deps, alt, addedTo: outerId });
    return value;
  }
}
