/**
 * Which checked units (a file, or one document of a big file) read each dependency key: what
 * `CheckRunner` asks after an edit (the units whose keys the edit touched run again).
 *
 * Kept compact because it is one of the largest things the server holds: at 10,000
 * NetworkPolicy-heavy manifests the units read about 930,000 (unit, key) pairs, and a `Set` of unit
 * names per key cost 21 MB. Here each unit has a small whole-number id (reused once the unit is
 * gone), a key read by few units lists their ids, and a key read by many (a namespace's
 * declaration, `ingressclasses`, `clusterpolicies`: thousands of readers) holds one bit per id.
 */

interface Readers {
  /** The key, one string for every unit that read it (units' key lists share it). */
  readonly key: string;
  /** The readers' ids while they are few (unordered, no repeats); undefined once `bits` holds them. */
  ids: number[] | undefined;
  /** One bit per unit id, once the readers are many. */
  bits: Uint32Array | undefined;
  size: number;
}

/** Readers listed beyond this many (and beyond a bit set's size in list entries) are kept as bits. */
const MIN_BITS = 32;
/** Reader lists up to this long are copied one longer on each add (exact size), longer ones pushed to. */
const SMALL_LIST = 8;

export class Dependents {
  private readonly byKey = new Map<string, Readers>();
  private readonly idOf = new Map<string, number>();
  private readonly unitOf: Array<string | undefined> = [];
  private readonly freeIds: number[] = [];

  clear(): void {
    this.byKey.clear();
    this.idOf.clear();
    this.unitOf.length = 0;
    this.freeIds.length = 0;
  }

  /**
   * The key's shared string (the first one met), the key recorded with no reader yet: a unit's keys
   * are kept as shared strings from the moment it is checked, though `add` records it as a reader
   * only later (`CheckRunner.prepare`).
   */
  intern(key: string): string {
    let r = this.byKey.get(key);
    if (r === undefined) this.byKey.set(key, (r = { key, ids: [], bits: undefined, size: 0 }));
    return r.key;
  }

  /** Records that `unit` read `key`; returns the key's shared string. */
  add(key: string, unit: string): string {
    let r = this.byKey.get(key);
    if (r === undefined) this.byKey.set(key, (r = { key, ids: [], bits: undefined, size: 0 }));
    const id = this.idFor(unit);
    if (r.bits !== undefined) {
      if (id >>> 5 >= r.bits.length) r.bits = grown(r.bits, id >>> 5);
      if (flip(r.bits, id, true)) r.size++;
    } else if (r.ids !== undefined && !r.ids.includes(id)) {
      // Most keys have a reader or two: a list grown by push (or spread) keeps room for 17, concat makes it exactly one longer.
      if (r.ids.length < SMALL_LIST) r.ids = r.ids.concat(id);
      else r.ids.push(id);
      r.size++;
      // A list costs a word per reader, bits one per unit: bits once the list is the larger.
      if (r.size > MIN_BITS && r.size * 64 > this.unitOf.length) {
        const bits = new Uint32Array((this.unitOf.length >>> 5) + 1);
        for (const i of r.ids) flip(bits, i, true);
        r.bits = bits;
        r.ids = undefined;
      }
    }
    return r.key;
  }

  /** Forgets that `unit` read each of `keys` (its last run's keys); the unit's id is free again. */
  removeUnit(unit: string, keys: Iterable<string>): void {
    const id = this.idOf.get(unit);
    if (id === undefined) return;
    for (const k of keys) {
      const r = this.byKey.get(k);
      if (r === undefined) continue;
      if (r.bits !== undefined) {
        if (flip(r.bits, id, false)) r.size--;
      } else if (r.ids !== undefined) {
        const at = r.ids.indexOf(id);
        const last = r.ids.pop();
        if (at >= 0 && last !== undefined) {
          if (at < r.ids.length) r.ids[at] = last;
          r.size--;
        } else if (last !== undefined) r.ids.push(last);
      }
      if (r.size === 0) this.byKey.delete(k);
    }
    this.idOf.delete(unit);
    this.unitOf[id] = undefined;
    this.freeIds.push(id);
  }

  /** Adds to `out` every unit that read `key`. */
  readersOf(key: string, out: Set<string>): void {
    const r = this.byKey.get(key);
    if (r === undefined) return;
    if (r.ids !== undefined) {
      for (const id of r.ids) {
        const unit = this.unitOf[id];
        if (unit !== undefined) out.add(unit);
      }
      return;
    }
    const bits = r.bits ?? new Uint32Array(0);
    for (let word = 0; word < bits.length; word++) {
      let w = bits[word] ?? 0;
      while (w !== 0) {
        const low = w & -w;
        const unit = this.unitOf[(word << 5) + 31 - Math.clz32(low)];
        if (unit !== undefined) out.add(unit);
        w ^= low;
      }
    }
  }

  private idFor(unit: string): number {
    let id = this.idOf.get(unit);
    if (id === undefined) {
      id = this.freeIds.pop() ?? this.unitOf.length;
      this.idOf.set(unit, id);
      this.unitOf[id] = unit;
    }
    return id;
  }
}

/** Sets (`on`) or clears bit `id` of `bits` (within its length); true when that changed it. */
function flip(bits: Uint32Array, id: number, on: boolean): boolean {
  const word = id >>> 5;
  const bit = 1 << (id & 31);
  const was = bits[word] ?? 0;
  if (word >= bits.length || ((was & bit) !== 0) === on) return false;
  bits[word] = on ? was | bit : was & ~bit;
  return true;
}

function grown(bits: Uint32Array, word: number): Uint32Array {
  const out = new Uint32Array(Math.max(word + 1, bits.length * 2));
  out.set(bits);
  return out;
}
