/**
 * Selector evaluation over pod classes, each distinct selector once (docs/dev/design.md §5). Classes whose
 * labels are fully known go through an inverted index (key=value → the classes, listed while few, else a bitset), so a
 * selector costs a few bitset operations; the rest (templated labels, per-pod labels) go through
 * the three-valued `matchSelector`.
 */

import { ForkMap } from '../workspace/forkMap.js';
import type { PodLabels } from '../model/labels.js';
import { matchSelector } from '../model/labels.js';
import type { Selector } from '../model/types.js';
import type { Bits } from './bitset.js';
import { and, andNot, bits, clearBit, or, setBit } from './bitset.js';

/**
 * The classes with one label pair: a bitset, or (while few classes have it: `app` has a value per
 * workload) their indices in ascending order, which a pair of 8,000 classes' bitset would take
 * 1 KB for. Neither is changed once an index shares it with another (copy on write).
 */
type ClassSet = Bits | readonly number[];

/** Three-valued membership: `yes` surely matches, `maybe` depends on an unknown value. */
export interface TriBits {
  readonly yes: Bits;
  readonly maybe: Bits;
}

const keys = new WeakMap<Selector, string>();

/** A canonical key: selectors that select the same way share it (computed once per selector). */
export function selectorKey(sel: Selector): string {
  if (sel.unknown) return '?';
  const hit = keys.get(sel);
  if (hit !== undefined) return hit;
  const ml = (sel.matchLabels?.entries ?? []).map((e) => `${e.key}=${e.value.known ? e.value.value : '?'}`).sort();
  const me = sel.matchExpressions.map((r) => `${r.key} ${r.operator} ${[...r.values].sort().join('|')}`).sort();
  const k = JSON.stringify([ml, me]);
  keys.set(sel, k);
  return k;
}

export class SelectorIndex {
  private readonly size: number;
  private readonly regular: Bits;
  /** Classes whose whole label map is open: every selector is evaluated on them one by one. */
  private readonly irregular: number[] = [];
  /**
   * Classes by a key whose value is unknown or differs per pod (a controller's pod-template-hash,
   * a StatefulSet's pod name): only selectors naming that key are evaluated on them one by one.
   */
  private readonly uncertainByKey = new Map<string, number[]>();
  /** Per key, its values' classes: forked, not copied, when a patch changes a key's values (`app` holds a value per workload). */
  private readonly byKeyValue = new Map<string, ForkMap<string, ClassSet>>();
  /** A pair's classes are listed, not a bitset, up to this many (a list of them takes less than the bitset). */
  private readonly sparseMax: number;
  private readonly byKey = new Map<string, Bits>();
  private readonly cache = new Map<string, TriBits>();
  private readonly empty: Bits;
  evaluations = 0;

  /**
   * `base`: the index over the last model's classes, of which only the classes `changed` have other
   * labels now (`ClassModel.patch`): its lists are copied and only those classes' entries redone
   * (copy on write: the last model keeps its index). Evaluations start afresh.
   */
  constructor(
    private readonly labels: readonly PodLabels[],
    base?: { readonly index: SelectorIndex; readonly changed: readonly number[] },
  ) {
    this.size = labels.length;
    this.sparseMax = Math.max(2, this.size >> 6);
    this.empty = bits(this.size);
    if (base === undefined || base.index.size !== this.size) {
      this.regular = bits(this.size);
      labels.forEach((l, i) => this.add(i, l, undefined));
      return;
    }
    const from = base.index;
    const changed = new Set(base.changed);
    this.regular = from.regular.slice();
    this.irregular = from.irregular.filter((i) => !changed.has(i));
    for (const [k, list] of from.uncertainByKey) this.uncertainByKey.set(k, list);
    for (const [k, kv] of from.byKeyValue) this.byKeyValue.set(k, kv);
    for (const [k, b] of from.byKey) this.byKey.set(k, b);
    const own = new Set<object>();
    for (const i of changed) {
      const old = from.labels[i];
      if (old === undefined) continue;
      clearBit(this.regular, i);
      for (const k of [...old.unknownValue, ...old.perPod.keys()]) {
        const list = this.uncertainByKey.get(k);
        if (list !== undefined)
          this.uncertainByKey.set(
            k,
            list.filter((x) => x !== i),
          );
      }
      for (const [k, v] of old.known) {
        this.without(this.ownKeyValues(k, own), v, i, own);
        const kb = this.byKey.get(k);
        if (kb !== undefined) {
          const copy = own.has(kb) ? kb : kb.slice();
          own.add(copy);
          this.byKey.set(k, copy);
          clearBit(copy, i);
        }
      }
    }
    for (const i of changed) {
      const l = labels[i];
      if (l !== undefined) this.add(i, l, own);
    }
  }

  /** The values of `key` this index may change (a copy of the base's map, once). */
  private ownKeyValues(key: string, own: Set<object>): ForkMap<string, ClassSet> {
    const kv = this.byKeyValue.get(key);
    if (kv !== undefined && own.has(kv)) return kv;
    const copy = kv?.fork() ?? new ForkMap<string, ClassSet>();
    own.add(copy);
    this.byKeyValue.set(key, copy);
    return copy;
  }

  /** Adds class `i` to the classes with `value` in `kv` (`own`: sets this index may change in place; undefined while building). */
  private with(kv: ForkMap<string, ClassSet>, value: string, i: number, own: Set<object> | undefined): void {
    const set = kv.get(value);
    if (set === undefined) {
      kv.set(value, [i]);
      return;
    }
    if (Array.isArray(set)) {
      const list = set as readonly number[];
      if (list.includes(i)) return;
      if (list.length >= this.sparseMax) {
        const b = bits(this.size);
        for (const x of list) setBit(b, x);
        setBit(b, i);
        own?.add(b);
        kv.set(value, b);
        return;
      }
      // Building: the lists are this index's own, classes come in ascending order.
      if (own === undefined && (list.at(-1) ?? -1) < i) (list as number[]).push(i);
      else
        kv.set(
          value,
          [...list, i].sort((a, b) => a - b),
        );
      return;
    }
    const b = set as Bits;
    const mine = own === undefined || own.has(b) ? b : b.slice();
    own?.add(mine);
    setBit(mine, i);
    if (mine !== b) kv.set(value, mine);
  }

  /** Removes class `i` from the classes with `value` in `kv` (patching: `own` as in `with`). */
  private without(kv: ForkMap<string, ClassSet>, value: string, i: number, own: Set<object>): void {
    const set = kv.get(value);
    if (set === undefined) return;
    if (Array.isArray(set)) {
      const list = (set as readonly number[]).filter((x) => x !== i);
      if (list.length > 0) kv.set(value, list);
      else kv.delete(value);
      return;
    }
    const b = set as Bits;
    const mine = own.has(b) ? b : b.slice();
    own.add(mine);
    clearBit(mine, i);
    if (mine !== b) kv.set(value, mine);
  }

  /** Indexes class `i` (`own`: patching, bitsets and maps not in it are the base's and are copied first). */
  private add(i: number, l: PodLabels, own: Set<object> | undefined): void {
    if (l.open) {
      this.irregular.push(i);
      return;
    }
    setBit(this.regular, i);
    for (const k of [...l.unknownValue, ...l.perPod.keys()]) {
      const list = this.uncertainByKey.get(k);
      if (list === undefined) this.uncertainByKey.set(k, [i]);
      else if (own !== undefined) {
        if (!list.includes(i)) this.uncertainByKey.set(k, [...list, i]);
      } else if (list[list.length - 1] !== i) list.push(i);
    }
    for (const [k, v] of l.known) {
      if (own !== undefined) {
        this.with(this.ownKeyValues(k, own), v, i, own);
        const kb = this.byKey.get(k);
        const copy = kb === undefined ? bits(this.size) : own.has(kb) ? kb : kb.slice();
        own.add(copy);
        this.byKey.set(k, copy);
        setBit(copy, i);
        continue;
      }
      let kv = this.byKeyValue.get(k);
      if (kv === undefined) this.byKeyValue.set(k, (kv = new ForkMap()));
      this.with(kv, v, i, undefined);
      let kb = this.byKey.get(k);
      if (kb === undefined) this.byKey.set(k, (kb = bits(this.size)));
      setBit(kb, i);
    }
  }

  private kv(key: string, value: string): Bits {
    const set = this.byKeyValue.get(key)?.get(value);
    if (set === undefined) return this.empty;
    if (!Array.isArray(set)) return set as Bits;
    // A listed pair as a bitset, for this evaluation (whose result is cached).
    const b = bits(this.size);
    for (const x of set as readonly number[]) setBit(b, x);
    return b;
  }

  /** Classes the selector matches; `{}` matches all classes. */
  evaluate(sel: Selector): TriBits {
    const k = selectorKey(sel);
    const hit = this.cache.get(k);
    if (hit !== undefined) return hit;
    this.evaluations++;
    let result: TriBits;
    if (sel.unknown) {
      result = { yes: bits(this.size), maybe: or(this.regular, this.irregularBits()) };
    } else {
      let yes = this.regular;
      for (const e of sel.matchLabels?.entries ?? []) if (e.value.known) yes = and(yes, this.kv(e.key, e.value.value));
      for (const r of sel.matchExpressions) {
        switch (r.operator) {
          case 'In': {
            let u = bits(this.size);
            for (const v of r.values) u = or(u, this.kv(r.key, v));
            yes = and(yes, u);
            break;
          }
          case 'NotIn': {
            let u = bits(this.size);
            for (const v of r.values) u = or(u, this.kv(r.key, v));
            yes = andNot(yes, u);
            break;
          }
          case 'Exists':
            yes = and(yes, this.byKey.get(r.key) ?? this.empty);
            break;
          case 'DoesNotExist':
            yes = andNot(yes, this.byKey.get(r.key) ?? this.empty);
            break;
        }
      }
      yes = yes.slice();
      const maybe = bits(this.size);
      // The classes the bitsets cannot decide for this selector: open ones, and those where a key
      // it names is unknown or per pod. Each is evaluated as matchSelector does.
      const undecided = new Set(this.irregular);
      for (const e of sel.matchLabels?.entries ?? []) for (const i of this.uncertainByKey.get(e.key) ?? []) undecided.add(i);
      for (const r of sel.matchExpressions) for (const i of this.uncertainByKey.get(r.key) ?? []) undecided.add(i);
      for (const i of undecided) {
        const l = this.labels[i];
        if (l === undefined) continue;
        clearBit(yes, i);
        const m = matchSelector(sel, l);
        if (m === 'yes') setBit(yes, i);
        else if (m === 'unknown') setBit(maybe, i);
      }
      result = { yes, maybe };
    }
    this.cache.set(k, result);
    return result;
  }

  private irregularBits(): Bits {
    const b = bits(this.size);
    for (const i of this.irregular) setBit(b, i);
    return b;
  }
}
