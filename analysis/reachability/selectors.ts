/**
 * Selector evaluation over pod classes, each distinct selector once (docs/dev/design.md §5). Classes whose
 * labels are fully known go through an inverted index (key=value → bitset of classes), so a
 * selector costs a few bitset operations; the rest (templated labels, per-pod labels) go through
 * the three-valued `matchSelector`.
 */

import { ForkMap } from '../workspace/forkMap.js';
import type { PodLabels } from '../model/labels.js';
import { matchSelector } from '../model/labels.js';
import type { Selector } from '../model/types.js';
import type { Bits } from './bitset.js';
import { and, andNot, bits, clearBit, or, setBit } from './bitset.js';

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
  private readonly byKeyValue = new Map<string, ForkMap<string, Bits>>();
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
        clearBit(this.ownBits(this.ownKeyValues(k, own), v, own), i);
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
  private ownKeyValues(key: string, own: Set<object>): ForkMap<string, Bits> {
    const kv = this.byKeyValue.get(key);
    if (kv !== undefined && own.has(kv)) return kv;
    const copy = kv?.fork() ?? new ForkMap<string, Bits>();
    own.add(copy);
    this.byKeyValue.set(key, copy);
    return copy;
  }

  /** The classes with `key=value` in `kv`, as a bitset this index may change. */
  private ownBits(kv: ForkMap<string, Bits>, value: string, own: Set<object>): Bits {
    const b = kv.get(value);
    if (b !== undefined && own.has(b)) return b;
    const copy = b === undefined ? bits(this.size) : b.slice();
    own.add(copy);
    kv.set(value, copy);
    return copy;
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
        setBit(this.ownBits(this.ownKeyValues(k, own), v, own), i);
        const kb = this.byKey.get(k);
        const copy = kb === undefined ? bits(this.size) : own.has(kb) ? kb : kb.slice();
        own.add(copy);
        this.byKey.set(k, copy);
        setBit(copy, i);
        continue;
      }
      let kv = this.byKeyValue.get(k);
      if (kv === undefined) this.byKeyValue.set(k, (kv = new ForkMap()));
      let b = kv.get(v);
      if (b === undefined) kv.set(v, (b = bits(this.size)));
      setBit(b, i);
      let kb = this.byKey.get(k);
      if (kb === undefined) this.byKey.set(k, (kb = bits(this.size)));
      setBit(kb, i);
    }
  }

  private kv(key: string, value: string): Bits {
    return this.byKeyValue.get(key)?.get(value) ?? this.empty;
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
