/**
 * Label selector evaluation exactly as Kubernetes does it (docs/dev/netpol-semantics.md §4), in three-valued logic:
 * a pod class either matches, does not, or depends on a value that templates or controllers decide.
 */

import type { PodTemplate, Selector, SelectorRequirement } from './types.js';

export type Tri = 'yes' | 'no' | 'unknown';

/** The labels a pod of some class carries. */
export interface PodLabels {
  /** Known key → value. */
  readonly known: ReadonlyMap<string, string>;
  /** Keys present with an unknown value. */
  readonly unknownValue: ReadonlySet<string>;
  /** Keys whose value differs per pod (value list when known). */
  readonly perPod: ReadonlyMap<string, readonly string[] | undefined>;
  /** Other keys may exist (the label map is templated). */
  readonly open: boolean;
  /**
   * What is known of keys that are not in `known`: a representative pod (exposure analysis) stands
   * for every pod a selector admits, so of a key it knows only what the selector requires.
   */
  readonly constraints?: ReadonlyMap<string, KeyConstraint> | undefined;
  /**
   * A representative pod of exposure analysis as a line describes it: the pods of its selectors
   * that no other selector singles out (docs/dev/exposure.md E3). A requirement these labels leave
   * undecided (open keys, a constraint that admits some values only) does not match; a templated
   * selector stays undecided.
   */
  readonly generic?: boolean | undefined;
}

/** What a selector requires of one key (`in`: one of these values; `notIn`: none of these; `exists`/`absent`). */
export interface KeyConstraint {
  readonly in: ReadonlySet<string> | undefined;
  readonly notIn: ReadonlySet<string>;
  readonly exists: boolean;
  readonly absent: boolean;
}

/**
 * The labels of a representative pod: every pod a selector admits, and nothing more known (other
 * keys open). Keys the selector pins to one value are known; undefined when no pod can match.
 */
export function selectorLabels(sel: Selector): PodLabels | undefined {
  if (sel.unknown || sel.matchLabels?.unknown === true) return undefined;
  const byKey = new Map<string, { in: Set<string> | undefined; notIn: Set<string>; exists: boolean; absent: boolean }>();
  const entry = (k: string): { in: Set<string> | undefined; notIn: Set<string>; exists: boolean; absent: boolean } => {
    let e = byKey.get(k);
    if (e === undefined) byKey.set(k, (e = { in: undefined, notIn: new Set(), exists: false, absent: false }));
    return e;
  };
  const restrict = (e: { in: Set<string> | undefined }, values: readonly string[]): void => {
    e.in = e.in === undefined ? new Set(values) : new Set([...e.in].filter((v) => values.includes(v)));
  };
  for (const m of sel.matchLabels?.entries ?? []) {
    if (!m.value.known) return undefined;
    restrict(entry(m.key), [m.value.value]);
  }
  for (const r of sel.matchExpressions) {
    if (r.unknown) return undefined;
    const e = entry(r.key);
    if (r.operator === 'In') restrict(e, r.values);
    else if (r.operator === 'NotIn') for (const v of r.values) e.notIn.add(v);
    else if (r.operator === 'Exists') e.exists = true;
    else e.absent = true;
  }
  const known = new Map<string, string>();
  const constraints = new Map<string, KeyConstraint>();
  for (const [k, e] of byKey) {
    const values = e.in === undefined ? undefined : new Set([...e.in].filter((v) => !e.notIn.has(v)));
    if (values !== undefined && (values.size === 0 || e.absent)) return undefined;
    if (e.exists && e.absent) return undefined;
    if (values !== undefined && values.size === 1) known.set(k, [...values][0] ?? '');
    else constraints.set(k, { in: values, notIn: e.notIn, exists: e.exists, absent: e.absent });
  }
  return { known, unknownValue: new Set(), perPod: new Map(), open: true, constraints };
}

/** A requirement on a key of which only a constraint is known. */
function constrained(c: KeyConstraint, r: SelectorRequirement): Tri {
  const present: Tri = c.in !== undefined || c.exists ? 'yes' : c.absent ? 'no' : 'unknown';
  switch (r.operator) {
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return present === 'yes' ? 'no' : present === 'no' ? 'yes' : 'unknown';
    case 'In': {
      if (present === 'no') return 'no';
      if (c.in !== undefined) {
        const inside = [...c.in].filter((v) => r.values.includes(v)).length;
        return inside === c.in.size ? 'yes' : inside === 0 ? 'no' : 'unknown';
      }
      return r.values.every((v) => c.notIn.has(v)) ? 'no' : 'unknown';
    }
    case 'NotIn': {
      if (present === 'no') return 'yes';
      if (c.in !== undefined) {
        const inside = [...c.in].filter((v) => r.values.includes(v)).length;
        return inside === 0 ? 'yes' : inside === c.in.size ? 'no' : 'unknown';
      }
      return r.values.every((v) => c.notIn.has(v)) ? 'yes' : 'unknown';
    }
  }
}

/** Template labels plus controller-added labels (docs/dev/checks-spec.md §1.4). */
export function podLabelsOf(pod: PodTemplate): PodLabels {
  const known = new Map<string, string>();
  const unknownValue = new Set<string>();
  for (const e of pod.labels?.entries ?? []) {
    if (e.value.known) known.set(e.key, e.value.value);
    else unknownValue.add(e.key);
  }
  for (const [k, v] of pod.controllerLabels) {
    if (v === undefined) {
      known.delete(k);
      unknownValue.add(k);
    } else {
      known.set(k, v);
    }
  }
  return { known, unknownValue, perPod: pod.perPodLabels, open: pod.labels?.unknown === true };
}

/**
 * The label keys on which a selector's verdict about the pod class may depend on more than its
 * template's known pairs: templated values, per-pod labels and labels its controller adds; `open`:
 * any key (the label map is templated). For every other key, the label index
 * (`WorkspaceIndex.producersWithLabel`) holds the class under each pair it can match.
 */
export function uncertainLabelKeys(pod: PodTemplate): { readonly open: boolean; readonly keys: readonly string[] } {
  const keys = new Set<string>(pod.controllerLabels.keys());
  for (const k of pod.perPodLabels.keys()) keys.add(k);
  for (const e of pod.labels?.entries ?? []) if (!e.value.known) keys.add(e.key);
  return { open: pod.labels?.unknown === true, keys: [...keys] };
}

/** Plain labels (a Namespace's, a bare object's). */
export function plainLabels(labels: ReadonlyMap<string, string>, open = false): PodLabels {
  return { known: labels, unknownValue: new Set(), perPod: new Map(), open };
}

function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'yes';
}

function has(labels: PodLabels, key: string): Tri {
  const c = labels.constraints?.get(key);
  if (c !== undefined) return c.in !== undefined || c.exists ? 'yes' : c.absent ? 'no' : 'unknown';
  if (labels.known.has(key) || labels.unknownValue.has(key) || labels.perPod.has(key)) return 'yes';
  return labels.open ? 'unknown' : 'no';
}

/** Does some pod of the class have key=value? */
function equals(labels: PodLabels, key: string, value: string): Tri {
  const v = labels.known.get(key);
  if (v !== undefined) return v === value ? 'yes' : 'no';
  const c = labels.constraints?.get(key);
  if (c !== undefined) return constrained(c, { key, operator: 'In', values: [value], span: { start: 0, end: 0 }, unknown: false });
  if (labels.unknownValue.has(key)) return 'unknown';
  if (labels.perPod.has(key)) {
    const values = labels.perPod.get(key);
    if (values === undefined) return 'unknown';
    return values.includes(value) ? 'yes' : 'no';
  }
  return labels.open ? 'unknown' : 'no';
}

function requirement(labels: PodLabels, r: SelectorRequirement): Tri {
  if (r.unknown) return 'unknown';
  const c = labels.constraints?.get(r.key);
  if (c !== undefined) return constrained(c, r);
  switch (r.operator) {
    case 'Exists':
      return has(labels, r.key);
    case 'DoesNotExist': {
      const h = has(labels, r.key);
      return h === 'yes' ? 'no' : h === 'no' ? 'yes' : 'unknown';
    }
    case 'In': {
      let out: Tri = 'no';
      for (const v of r.values) {
        const e = equals(labels, r.key, v);
        if (e === 'yes') return 'yes';
        if (e === 'unknown') out = 'unknown';
      }
      return out;
    }
    case 'NotIn': {
      // Matches when the key is absent, or its value is none of the values.
      const h = has(labels, r.key);
      if (h === 'no') return 'yes';
      const v = labels.known.get(r.key);
      if (v !== undefined) return r.values.includes(v) ? 'no' : 'yes';
      return 'unknown';
    }
  }
}

/**
 * Evaluates a selector against a pod class. An empty selector matches everything; an unknown
 * selector matches 'unknown'.
 */
export function matchSelector(sel: Selector, labels: PodLabels): Tri {
  if (sel.unknown) return 'unknown';
  const generic = labels.generic === true;
  let out: Tri = 'yes';
  for (const e of sel.matchLabels?.entries ?? []) {
    if (!e.value.known) return 'unknown';
    const m = equals(labels, e.key, e.value.value);
    out = and(out, generic && m === 'unknown' ? 'no' : m);
    if (out === 'no') return 'no';
  }
  for (const r of sel.matchExpressions) {
    const m = requirement(labels, r);
    out = and(out, generic && m === 'unknown' && !r.unknown ? 'no' : m);
    if (out === 'no') return 'no';
  }
  if (sel.matchLabels?.unknown === true && out === 'yes') return 'unknown';
  return out;
}
