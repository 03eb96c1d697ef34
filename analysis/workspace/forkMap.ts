/**
 * A map that forks cheaply: each analysis snapshot needs its own view of per-file maps (texts,
 * facts, the index's lists) that later edits must not change, and copying 10,000 entries per edit
 * is most of the garbage an edit makes. A `ForkMap` is a frozen base map, shared by every fork made
 * from it, plus a small overlay of its own changes; a fork copies the overlay only. When the overlay
 * outgrows a fraction of the base, the next fork folds it into a new base (the old base is never
 * written, so earlier forks keep their view). Until its first fork a map owns its base and writes
 * into it: a map filled from scratch (an index's lists after a build) forks without folding, so the
 * first edit after a build does not pay for copying every entry.
 *
 * Iteration order: the base's keys in the base's order (with their current values), then keys that
 * only the overlay has, in the order they were added. This differs from a plain `Map`'s order for a
 * key deleted and set again (a plain map moves it to the end); callers must not rely on either.
 */

const GONE: unique symbol = Symbol('gone');

/** Overlays of up to this many entries are always kept (below it, folding buys nothing). */
const MIN_OVERLAY = 32;

/** Values cannot be `undefined` (an overlay miss and an undefined value would look alike). */
export class ForkMap<K, V extends NonNullable<unknown>> implements ReadonlyMap<K, V> {
  private base: Map<K, V>;
  private overlay: Map<K, V | typeof GONE>;
  private count: number;
  /** No fork shares the base yet (and the overlay is empty): changes go into the base. */
  private owned: boolean;

  constructor(entries?: Iterable<readonly [K, V]>) {
    this.base = new Map(entries);
    this.overlay = new Map();
    this.count = this.base.size;
    this.owned = true;
  }

  /** An independent map with the same entries; O(overlay), never O(size) unless it folds. */
  fork(): ForkMap<K, V> {
    if (this.overlay.size > Math.max(MIN_OVERLAY, this.base.size >> 5)) this.fold();
    const copy = Object.create(ForkMap.prototype) as ForkMap<K, V>;
    copy.base = this.base;
    copy.overlay = new Map(this.overlay);
    copy.count = this.count;
    copy.owned = false;
    this.owned = false;
    return copy;
  }

  /** Entries of its own changes (what a fork copies): 0 while it owns its base. */
  get ownChanges(): number {
    return this.overlay.size;
  }

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    const slot = this.overlay.get(key);
    if (slot === undefined) return this.base.get(key);
    return slot === GONE ? undefined : slot;
  }

  has(key: K): boolean {
    const slot = this.overlay.get(key);
    return slot === undefined ? this.base.has(key) : slot !== GONE;
  }

  set(key: K, value: V): this {
    if (this.owned) {
      this.base.set(key, value);
      this.count = this.base.size;
      return this;
    }
    if (!this.has(key)) this.count++;
    this.overlay.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    if (this.owned) {
      const had = this.base.delete(key);
      this.count = this.base.size;
      return had;
    }
    if (!this.has(key)) return false;
    this.count--;
    if (this.base.has(key)) this.overlay.set(key, GONE);
    else this.overlay.delete(key);
    return true;
  }

  entries(): MapIterator<[K, V]> {
    // The common case after a fold: nothing of its own, so the base's own iterator serves.
    return this.overlay.size === 0 ? this.base.entries() : this.merged((k, v): [K, V] => [k, v]);
  }

  keys(): MapIterator<K> {
    return this.overlay.size === 0 ? this.base.keys() : this.merged((k) => k);
  }

  values(): MapIterator<V> {
    return this.overlay.size === 0 ? this.base.values() : this.merged((_, v) => v);
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  /** Like iteration, without an iterator result per entry (for the loops over every file). */
  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    const { base, overlay } = this;
    base.forEach((v, k) => {
      const slot = overlay.get(k);
      if (slot === undefined) callback.call(thisArg, v, k, this);
      else if (slot !== GONE) callback.call(thisArg, slot, k, this);
    });
    overlay.forEach((slot, k) => {
      if (slot !== GONE && !base.has(k)) callback.call(thisArg, slot, k, this);
    });
  }

  private *merged<T>(item: (key: K, value: V) => T): MapIterator<T> {
    const { base, overlay } = this;
    for (const [k, v] of base) {
      const slot = overlay.get(k);
      if (slot === undefined) yield item(k, v);
      else if (slot !== GONE) yield item(k, slot);
    }
    for (const [k, slot] of overlay) if (slot !== GONE && !base.has(k)) yield item(k, slot);
  }

  /** Folds the overlay into a new base (the shared one is left as it is). */
  private fold(): void {
    // forEach, not the iterator: no entry array per key (a fold after a big edit copies every key).
    const next = new Map<K, V>();
    this.forEach((v, k) => {
      next.set(k, v);
    });
    this.base = next;
    this.overlay = new Map();
  }
}
