/**
 * Behaviour groups (docs/dev/design.md §5: no pod × pod matrix): classes that behave identically
 * as source and destination, found by partition refinement over every set a verdict can depend
 * on. The all-pairs matrix (`matrix.ts`) computes one representative per group.
 */

import type { Bits } from './bitset.js';
import { equal, isEmpty } from './bitset.js';
import type { ClassModel } from './classModel.js';
import type { ClusterTier } from './clusterTier.js';
import type { CPolicy, NetworkPolicyTier } from './policyTier.js';
import { oneValueLabels, ownTrafficClasses, podVaries } from './sharedValues.js';

export interface Groups {
  readonly groupOf: Int32Array;
  readonly reps: number[];
}

/** Same elements, ignoring order and repeats (identity). */
function sameElements(a: readonly unknown[], b: readonly unknown[]): boolean {
  // Most often the same elements in the same order (no sets needed).
  if (a.length === b.length && a.every((x, i) => x === b[i])) return true;
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const x of sa) if (!sb.has(x)) return false;
  return true;
}

/** A set's hash (FNV-1a over its words): equal sets hash alike. */
function hashBits(b: Bits): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ (b[i] ?? 0), 16777619) >>> 0;
  return h;
}

/** The distinct sets a partition was refined by, by hash. */
type Family = ReadonlyMap<number, readonly Bits[]>;

/** Whether `sets` hold exactly the distinct sets of `family` (`size` of them), by content. */
function sameFamily(family: Family, size: number, sets: readonly Bits[]): boolean {
  const seen = new Set<Bits>();
  for (const b of sets) {
    const hit = family.get(hashBits(b))?.find((x) => equal(x, b));
    if (hit === undefined) return false;
    seen.add(hit);
  }
  return seen.size === size;
}

/**
 * Per compiled NetworkPolicy, the non-empty sets of its selection and its rules' peers, in that order: a policy an edit
 * left alone is the last engine's object (`NetworkPolicyTier`), so after an edit of one policy among thousands the
 * groups' input is gathered without reading every set again.
 */
const policySets = new WeakMap<CPolicy, readonly Bits[]>();

function setsOf(p: CPolicy): readonly Bits[] {
  let out = policySets.get(p);
  if (out === undefined) {
    const list: Bits[] = [];
    const add = (b: Bits): void => {
      if (!isEmpty(b)) list.push(b);
    };
    add(p.selected.yes);
    add(p.selected.maybe);
    for (const rules of [p.ingress, p.egress])
      for (const r of rules ?? [])
        for (const peer of r.peers) {
          add(peer.pods.yes);
          add(peer.pods.maybe);
        }
    policySets.set(p, (out = list));
  }
  return out;
}

/**
 * What the groups are refined by, as the next engine compares it: the named ports and shared unknowns (`head`), the
 * NetworkPolicies (whose sets are `setsOf`) and the cluster tiers' sets. `counts` (made on first use): how many of the
 * policies' sets are each set object, so that an edit of a few policies compares only their sets.
 */
interface GroupsInput {
  readonly head: readonly string[];
  readonly policies: readonly CPolicy[];
  readonly clusterSets: readonly Bits[];
  counts?: Map<Bits, number>;
}

function countsOf(input: GroupsInput): Map<Bits, number> {
  if (input.counts === undefined) {
    const counts = new Map<Bits, number>();
    for (const p of input.policies) for (const b of setsOf(p)) counts.set(b, (counts.get(b) ?? 0) + 1);
    input.counts = counts;
  }
  return input.counts;
}

/**
 * Whether `next` is refined by the same set objects as `prev` (repeats and order aside): the same head and cluster sets,
 * and the policies' sets, compared through the policies an edit added or removed (a policy it left alone is the last
 * engine's object) when they are few.
 */
function sameInput(prev: GroupsInput, next: GroupsInput): boolean {
  if (prev.head.length !== next.head.length || prev.head.some((x, i) => x !== next.head[i])) return false;
  if (!sameElements(prev.clusterSets, next.clusterSets)) return false;
  if (prev.policies === next.policies) {
    next.counts = prev.counts;
    return true;
  }
  const before = new Set(prev.policies);
  const after = new Set(next.policies);
  const added = next.policies.filter((p) => !before.has(p));
  const removed = prev.policies.filter((p) => !after.has(p));
  const was = countsOf(prev);
  if ((added.length + removed.length) * 4 > next.policies.length) {
    const now = countsOf(next);
    if (now.size !== was.size) return false;
    for (const b of now.keys()) if (!was.has(b)) return false;
    return true;
  }
  const now = new Map(was);
  const touched = new Set<Bits>();
  for (const p of removed)
    for (const b of setsOf(p)) {
      const k = (now.get(b) ?? 0) - 1;
      if (k > 0) now.set(b, k);
      else now.delete(b);
      touched.add(b);
    }
  for (const p of added)
    for (const b of setsOf(p)) {
      now.set(b, (now.get(b) ?? 0) + 1);
      touched.add(b);
    }
  next.counts = now;
  for (const b of touched) if (now.has(b) !== was.has(b)) return false;
  return true;
}

export class BehaviourGroups {
  private groupsCache: Groups | undefined;
  private groupsInput: GroupsInput | undefined;
  /** The distinct sets the groups were refined by (and how many): the same family gives the same groups. */
  private family: { readonly model: ClassModel; readonly sets: Family; readonly size: number } | undefined;
  /** Behaviour groups of the last engine's, with the sets they were refined by. */
  private readonly previousGroups:
    | {
        readonly input: GroupsInput;
        readonly result: Groups;
        readonly family: { readonly model: ClassModel; readonly sets: Family; readonly size: number } | undefined;
      }
    | undefined;
  private readonly previousNamed: { readonly key: string; readonly cache: string[] } | undefined;
  private namedSigCache: string[] = [];
  private namedSigKey: string | undefined;
  /** The cluster rules' named-port signatures per class, for the names in `clusterSig.key` (kept like `namedSigCache`). */
  private clusterSig: { readonly key: string; readonly cache: string[] } | undefined;

  /** `previous`: the last engine's groups, when this engine reused its class model. */
  constructor(
    private readonly model: ClassModel,
    private readonly tier: NetworkPolicyTier,
    private readonly cluster: ClusterTier,
    previous: BehaviourGroups | undefined,
  ) {
    this.previousGroups =
      previous?.groupsCache === undefined || previous.groupsInput === undefined
        ? undefined
        : { input: previous.groupsInput, result: previous.groupsCache, family: previous.family };
    this.previousNamed = previous?.namedSigKey === undefined ? undefined : { key: previous.namedSigKey, cache: previous.namedSigCache };
    this.clusterSig = previous?.clusterSig;
  }

  /**
   * Groups classes that behave identically as source and destination: partition refinement by
   * every distinct set a verdict can depend on — namespace, selection by each policy, membership
   * in each peer, named-port resolution — plus singletons for classes whose verdicts are
   * implementation-defined or whose ports are unreadable.
   */
  groups(): Groups {
    if (this.groupsCache !== undefined) return this.groupsCache;
    // The sets the partition is refined by; the same sets as last time give the same groups. The cluster tiers'
    // subjects and peers (docs/dev/cluster-policies.md) here, the NetworkPolicies' by policy (`setsOf`).
    const clusterSets: Bits[] = [];
    const add = (b: Bits): void => {
      if (!isEmpty(b)) clusterSets.push(b);
    };
    for (const p of this.cluster.policies) {
      add(p.selected.yes);
      add(p.selected.maybe);
    }
    for (const r of this.cluster.rules) {
      for (const p of r.peers) {
        add(p.pods.yes);
        add(p.pods.maybe);
      }
    }
    const clusterNamed = [...this.cluster.namedUsed].sort();
    // Classes whose own traffic one unknown decides with their selection: alone (`ownTrafficClasses`).
    const own = ownTrafficClasses(this.model.classes.length, this.cluster.policies, this.tier.policies, (c, u) =>
      podVaries(this.model.classes[c], u),
    );
    // Label keys whose one templated value decides a shared condition (`Condition.oneValue`): a pod's
    // value of them decides which of its peers' matches it can be matched with.
    const oneValue = oneValueLabels(this.cluster.policies, this.tier.policies);
    const input: GroupsInput = {
      head: [[...this.tier.namedUsed.keys()].sort().join(','), clusterNamed.join(','), `own:${own.join(',')}`, `one:${oneValue.join(',')}`],
      policies: this.tier.policies,
      clusterSets,
    };
    this.groupsInput = input;
    const prev = this.previousGroups;
    if (prev !== undefined && sameInput(prev.input, input)) {
      this.groupsCache = prev.result;
      this.family = prev.family;
      return prev.result;
    }
    // Other set objects with the same contents (a cluster-policy edit compiles its policy again,
    // and its peers select what they selected): the same partition, the last groups (by identity,
    // so that the matrix keeps the sides an edit does not change).
    // Each policy's selection and its rules' peers (the tier's rules are its policies' rules, in order); the order
    // of the sets changes neither the partition nor the comparisons with the last input (both ignore it).
    const sets: Bits[] = [];
    for (const p of this.tier.policies) for (const b of setsOf(p)) sets.push(b);
    for (const b of clusterSets) sets.push(b);
    const pf = prev?.family;
    if (
      prev !== undefined &&
      pf?.model === this.model &&
      input.head.every((x, i) => x === prev.input.head[i]) &&
      sameFamily(pf.sets, pf.size, sets)
    ) {
      this.groupsCache = prev.result;
      this.family = pf;
      return prev.result;
    }
    const n = this.model.classes.length;
    const groupOf = new Int32Array(n);
    // Group sizes (ids stay below n: a group splits only when some of its classes stay behind).
    const size = new Int32Array(n + 1);
    let count = 0;
    const refineBy = (value: (c: number) => number | string): void => {
      const ids = new Map<number | string, number>();
      const of = new Int32Array(n);
      for (let c = 0; c < n; c++) {
        const v = value(c);
        let id = ids.get(v);
        if (id === undefined) ids.set(v, (id = ids.size));
        of[c] = id;
      }
      const k = Math.max(1, ids.size);
      const pairs = new Map<number, number>();
      for (let c = 0; c < n; c++) {
        const key = (groupOf[c] ?? 0) * k + (of[c] ?? 0);
        let g = pairs.get(key);
        if (g === undefined) pairs.set(key, (g = pairs.size));
        groupOf[c] = g;
      }
      count = pairs.size;
      size.fill(0);
      for (let c = 0; c < n; c++) {
        const g = groupOf[c] ?? 0;
        size[g] = (size[g] ?? 0) + 1;
      }
    };
    // Refining by a set visits its members only: each group it cuts keeps its id for the members
    // outside and gives the members inside a new one.
    const seenSets = new Map<number, Bits[]>();
    const hits = new Int32Array(n + 1);
    const split = new Int32Array(n + 1);
    const touched = new Int32Array(n + 1);
    let distinct = 0;
    const refineBits = (b: Bits): void => {
      const h = hashBits(b);
      const same = seenSets.get(h);
      if (same !== undefined && same.some((x) => equal(x, b))) return;
      if (same === undefined) seenSets.set(h, [b]);
      else same.push(b);
      distinct++;
      let t = 0;
      const words = Math.min(b.length, (n + 31) >>> 5);
      for (let w = 0; w < words; w++) {
        let x = b[w] ?? 0;
        while (x !== 0) {
          const low = x & -x;
          x ^= low;
          const c = (w << 5) + 31 - Math.clz32(low);
          if (c >= n) break;
          const g = groupOf[c] ?? 0;
          if ((hits[g] = (hits[g] ?? 0) + 1) === 1) touched[t++] = g;
        }
      }
      let cut = false;
      for (let i = 0; i < t; i++) {
        const g = touched[i] ?? 0;
        const inside = hits[g] ?? 0;
        if (inside < (size[g] ?? 0)) {
          split[g] = count;
          size[count++] = inside;
          size[g] = (size[g] ?? 0) - inside;
          cut = true;
        } else split[g] = g;
      }
      if (cut)
        for (let w = 0; w < words; w++) {
          let x = b[w] ?? 0;
          while (x !== 0) {
            const low = x & -x;
            x ^= low;
            const c = (w << 5) + 31 - Math.clz32(low);
            if (c >= n) break;
            groupOf[c] = split[groupOf[c] ?? 0] ?? 0;
          }
        }
      for (let i = 0; i < t; i++) hits[touched[i] ?? 0] = 0;
    };
    const ownSet = new Set(own);
    const nsIndex = new Map([...this.model.namespaces.keys()].map((ns, i) => [ns, i]));
    refineBy((c) => {
      const cls = this.model.classes[c];
      if (cls === undefined) return 0;
      const special = this.model.implementationDefined(c) !== undefined || cls.portsUnknown || ownSet.has(c);
      return special ? `u${c}` : (nsIndex.get(cls.namespace) ?? -1);
    });
    for (const b of sets) refineBits(b);
    this.family = { model: this.model, sets: seenSets, size: distinct };
    if (this.tier.namedUsed.size > 0) refineBy((c) => this.namedSignature(c));
    if (clusterNamed.length > 0) {
      // The same classes (this engine reused the last one's model) and names: the last signatures.
      const key = clusterNamed.join(',');
      if (this.clusterSig?.key !== key) this.clusterSig = { key, cache: [] };
      const cache = this.clusterSig.cache;
      refineBy((c) => (cache[c] ??= this.clusterNamedSignature(c, clusterNamed)));
    }
    if (oneValue.length > 0)
      refineBy((c) => {
        const known = this.model.classes[c]?.labels.known;
        return JSON.stringify(oneValue.map((k) => known?.get(k) ?? null));
      });
    // Groups numbered in the order of their first class.
    const renumber = new Int32Array(count).fill(-1);
    const reps: number[] = [];
    for (let c = 0; c < n; c++) {
      const was = groupOf[c] ?? 0;
      let g = renumber[was] ?? -1;
      if (g === -1) {
        renumber[was] = g = reps.length;
        reps.push(c);
      }
      groupOf[c] = g;
    }
    this.groupsCache = { groupOf, reps };
    return this.groupsCache;
  }

  /** How the named ports that rules use resolve on this class (`name/proto=port+port;…`). */
  namedSignature(c: number): string {
    if (this.tier.namedUsed.size === 0) return '';
    if (this.namedSigKey === undefined) {
      // Named ports are all known once the tier is compiled; reuse the last engine's answers.
      const key = [...this.tier.namedUsed.keys()].join(',');
      this.namedSigKey = key;
      this.namedSigCache = this.previousNamed?.key === key ? this.previousNamed.cache : [];
    }
    const hit = this.namedSigCache[c];
    if (hit !== undefined) return hit;
    const sig = this.computeNamedSignature(c);
    this.namedSigCache[c] = sig;
    return sig;
  }

  private computeNamedSignature(c: number): string {
    const cls = this.model.classes[c];
    if (cls === undefined || cls.ports.length === 0) return '';
    // One pass per name over the class's ports, no intermediate lists: this runs for every class.
    let out = '';
    for (const np of this.tier.namedUsed.values()) {
      let ports = '';
      for (const cp of cls.ports)
        if (cp.name === np.name && cp.protocol === np.protocol) ports += `${ports === '' ? '' : '+'}${cp.containerPort}`;
      if (ports !== '') out += `${out === '' ? '' : ';'}${np.protocol}/${np.name}=${ports}`;
    }
    return out;
  }

  /** How the named ports of cluster rules resolve on this class (any protocol: `name=PROTO/port+…;…`). */
  clusterNamedSignature(c: number, names: readonly string[]): string {
    const cls = this.model.classes[c];
    if (cls === undefined || cls.ports.length === 0) return '';
    let out = '';
    for (const name of names) {
      let ports = '';
      for (const cp of cls.ports) if (cp.name === name) ports += `${ports === '' ? '' : '+'}${cp.protocol}/${cp.containerPort}`;
      if (ports !== '') out += `${out === '' ? '' : ';'}${name}=${ports}`;
    }
    return out;
  }
}
