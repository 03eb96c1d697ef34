/**
 * What a reader of the index read: the dependency keys its lookups record while tracking is on
 * (the host re-runs only the checks whose keys an edit touched; ARCHITECTURE.md), the view that
 * filters lookups while a check judges an object that has alternatives (analysis/units/alternatives.ts),
 * and values computed once per index with the keys they read (replayed into later readers).
 */

import type { View } from '../units/alternatives.js';
import type { Placed } from '../units/placement.js';
import type { Lineage } from './lineage.js';

/**
 * A memoized value's keys, as a list: the set that recorded them deduplicated them, and a list
 * costs a third of a set's memory (at 10,000 NetworkPolicy-heavy manifests the memo and carried
 * entries held 20 MB of sets).
 */
type Keys = readonly string[];

interface MemoEntry {
  readonly value: unknown;
  readonly deps: Keys;
  /** Some key is an alternative's (`alt:…`): a reader is told its view filtered something. */
  readonly alt: boolean;
  /** The tracker (by `Reads.trackerId`) that last took `deps`: a later read into the same one adds nothing new. */
  addedTo: number;
}

type Memo = Map<string, MemoEntry>;

/** A value carried along a lineage (`carriedFor`): the index it was last known true on, and the keys its computation read. */
interface CarriedEntry {
  generation: number;
  readonly deps: Keys;
  readonly value: unknown;
}

/** What `carriedFor` needs of the index: where carried values live (`WorkspaceIndex.carried`), its generation and lineage. */
export interface CarryContext {
  readonly carried: Map<string, unknown>;
  readonly generation: number;
  readonly lineage: Lineage;
}

/** Where `WorkspaceIndex.carried` holds `carriedFor`'s values: owner → tag → entry. */
const CARRIED_KEY = 'reads';

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

  /**
   * `cachedFor`, carried from one index to the next: the value computed on an earlier index of the lineage is kept while no
   * derivation since touched a key its computation read (the keys that decide which checks re-run), and those keys are
   * replayed into the reader. The owner must be what the value is about (a placed object: an edit of it makes a new one),
   * and the value may read the index only through tracked lookups (settings are fixed for a lineage). An edit may move
   * other objects without touching a key (a new `Placed` and object for the same content): `valid` says whether the
   * objects a kept value holds are still the index's. Computed afresh under a view, when a key is an alternative's, or
   * off the lineage (an older snapshot's checks).
   */
  carriedFor<T>(owner: object, tag: string, at: CarryContext, compute: () => T, valid?: (value: T) => boolean): T {
    return this.cachedFor(owner, `carried\u0000${tag}`, () => {
      if (this.view !== undefined) return compute();
      let store = at.carried.get(CARRIED_KEY) as WeakMap<object, Map<string, CarriedEntry>> | undefined;
      if (store === undefined) at.carried.set(CARRIED_KEY, (store = new WeakMap()));
      let tags = store.get(owner);
      const hit = tags?.get(tag);
      if (hit !== undefined) {
        const touched = at.lineage.touchedSince(hit.generation);
        if (touched !== undefined && !someIn(hit.deps, touched) && (valid === undefined || valid(hit.value as T))) {
          if (this.tracker !== undefined) for (const k of hit.deps) this.tracker.add(k);
          hit.generation = at.generation;
          return hit.value as T;
        }
      }
      const recorded = new Set<string>();
      const value = this.recording(recorded, compute);
      if (this.tracker !== undefined) for (const k of recorded) this.tracker.add(k);
      if (tags === undefined) store.set(owner, (tags = new Map()));
      const deps = [...recorded];
      if (someAlt(deps)) tags.delete(tag);
      else tags.set(tag, { generation: at.generation, deps, value });
      return value;
    });
  }

  /** Runs `compute` recording what it reads into `deps` (and not into the current reader's tracking). */
  recording<T>(deps: Set<string>, compute: () => T): T {
    const outer = this.tracker;
    const outerId = this.trackerId;
    this.tracker = deps;
    this.trackerId = this.nextTrackerId++;
    try {
      return compute();
    } finally {
      this.tracker = outer;
      this.trackerId = outerId;
    }
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
    const outerId = this.trackerId;
    const recorded = new Set<string>();
    const value = this.recording(recorded, compute);
    if (this.tracker !== undefined) for (const k of recorded) this.tracker.add(k);
    const deps = [...recorded];
    const alt = someAlt(deps);
    if (this.view !== undefined && alt) this.viewFiltered = true;
    memo.set(key, { value, deps, alt, addedTo: outerId });
    return value;
  }
}

function someIn(keys: Keys, touched: ReadonlySet<string>): boolean {
  for (const k of keys) if (touched.has(k)) return true;
  return false;
}

function someAlt(keys: Keys): boolean {
  for (const k of keys) if (k.startsWith('alt:')) return true;
  return false;
}
