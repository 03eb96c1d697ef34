/**
 * Selector evaluation over pod classes, each distinct selector once (docs/dev/design.md §5). Classes whose
 * labels are fully known go through an inverted index (key=value → bitset of classes), so a
 * selector costs a few bitset operations; the rest (templated labels, per-pod labels) go through
 * the three-valued `matchSelector`.
 */

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
  private readonly byKeyValue = new Map<string, Map<string, Bits>>();
  private readonly byKey = new Map<string, Bits>();
  private readonly cache = new Map<string, TriBits>();
  private readonly empty: Bits;
  evaluations = 0;

  constructor(private readonly labels: readonly PodLabels[]) {
    this.size = labels.length;
    this.regular = bits(this.size);
    this.empty = bits(this.size);
    labels.forEach((l, i) => {
      if (l.open) {
        this.irregular.push(i);
        return;
      }
      setBit(this.regular, i);
      for (const k of [...l.unknownValue, ...l.perPod.keys()]) {
        const list = this.uncertainByKey.get(k);
        if (list === undefined) this.uncertainByKey.set(k, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
      for (const [k, v] of l.known) {
        let kv = this.byKeyValue.get(k);
        if (kv === undefined) this.byKeyValue.set(k, (kv = new Map()));
        let b = kv.get(v);
        if (b === undefined) kv.set(v, (b = bits(this.size)));
        setBit(b, i);
        let kb = this.byKey.get(k);
        if (kb === undefined) this.byKey.set(k, (kb = bits(this.size)));
        setBit(kb, i);
      }
    });
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
