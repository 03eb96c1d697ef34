/**
 * What a reader of the index read: the dependency keys its lookups record while tracking is on
 * (the host re-runs only the checks whose keys an edit touched; ARCHITECTURE.md), the view that
 * filters lookups while a check judges an object that has alternatives (analysis/units/alternatives.ts),
 * and values computed once per index with the keys they read (replayed into later readers).
 */

import type { View } from '../units/alternatives.js';
import type { Placed } from '../units/placement.js';

type Memo = Map<string, { readonly value: unknown; readonly deps: ReadonlySet<string> }>;

export class Reads {
  private tracker: Set<string> | undefined;
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
  }

  stop(): Set<string> {
    const t = this.tracker ?? new Set<string>();
    this.tracker = undefined;
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
    this.tracker = undefined;
    try {
      return compute();
    } finally {
      this.tracker = outer;
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
      for (const k of hit.deps) {
        this.tracker?.add(k);
        if (k.startsWith('alt:')) this.viewFiltered = true;
      }
      return hit.value as T;
    }
    const outer = this.tracker;
    const deps = new Set<string>();
    this.tracker = deps;
    let value: T;
    try {
      value = compute();
    } finally {
      this.tracker = outer;
    }
    for (const k of deps) outer?.add(k);
    if (this.view !== undefined && [...deps].some((k) => k.startsWith('alt:'))) this.viewFiltered = true;
    memo.set(key, { value, deps });
    return value;
  }
}
