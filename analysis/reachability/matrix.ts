/**
 * The all-pairs form of the engine (docs/dev/design.md §5): for every behaviour group, its ingress side as a
 * few entries "for these port atoms, these sources" and its egress side as "for these atoms,
 * these destinations", each a bitset over classes plus external ranges. A cell (source,
 * destination) is then a handful of bit tests and one atom-set intersection; no pod × pod matrix
 * is stored. Verdicts agree with `ReachEngine.pair` (tested on every fixture).
 */

import type { Bits } from './bitset.js';
import { hasBit, orInto } from './bitset.js';
import type { CPolicy, ReachEngine } from './engine.js';
import type { IpRange } from './ip.js';
import { EntryCaches, NetpolEntries, maybeGroups } from './netpolEntries.js';
import { type SideEntry, perPeerEntries } from './sideEntries.js';
import { sideContext, tieredKey, worldsOf } from './clusterContexts.js';
import { TierSetCache, TieredSides } from './tieredSides.js';

/** For the atoms in `atoms`, the peers in `yes` surely and those in `maybe` possibly pass this side. */
type Entry = SideEntry;

export interface Cell {
  readonly yes: Bits;
  readonly maybe: Bits;
}

/**
 * Per entries list, every peer some entry allows or may allow (`ReachMatrix.reachable`): lists are
 * shared by groups with equal sides and kept by the next matrix for the sides an edit left alone.
 */
const reachableOf = new WeakMap<readonly Entry[], Bits>();

export class ReachMatrix {
  readonly groupOf: Int32Array;
  readonly reps: readonly number[];
  private readonly n: number;
  private readonly ing: Entry[][];
  private readonly eg: Entry[][];
  private readonly special: boolean[];
  /** Cluster-affected sides by context (`tieredEntries`), kept like the other caches. */
  private readonly tieredCache: Map<string, Entry[]>;
  private readonly tierSets: TierSetCache;
  private readonly tieredSides: { ingress?: TieredSides; egress?: TieredSides } = {};
  /** NetworkPolicy entries and what they keep across matrices (`netpolEntries.ts`). */
  private readonly caches: EntryCaches;
  private readonly netpol: NetpolEntries;
  /** The caches of the previous matrix were reused (an edit that left classes, atoms and groups alone). */
  readonly reusedCaches: boolean;

  /**
   * `previous`: the matrix of the last snapshot. When the engine reused its class model and the
   * port atoms, external ranges and behaviour groups are unchanged, entries are looked up by the
   * content of the rules that make them, so only what an edit changed is recomputed.
   */
  constructor(
    readonly engine: ReachEngine,
    previous?: ReachMatrix,
  ) {
    const { groupOf, reps } = engine.behaviourGroups();
    const sameRanges = (a: readonly IpRange[], b: readonly IpRange[]): boolean =>
      a.length === b.length && a.every((r, i) => r.lo === b[i]?.lo && r.hi === b[i]?.hi);
    // Entries are bitsets over classes and external ranges, looked up by rule content: valid while
    // the class model, port atoms and ranges are the same, whatever the groups. The cluster tiers'
    // results are keyed by the cluster policies' compilations (`sideContext`, `TierSetCache`), so
    // they hold across cluster-policy edits too: an edit recomputes the sides of the pods whose
    // cluster policies it changed.
    const compatible =
      previous !== undefined &&
      engine.reused &&
      previous.engine.space === engine.space &&
      previous.engine.classes.length === engine.classes.length &&
      engine.classes.every((c, i) => c === previous.engine.classes[i]) &&
      sameRanges(previous.engine.srcRanges, engine.srcRanges) &&
      sameRanges(previous.engine.dstRanges, engine.dstRanges);
    this.reusedCaches = compatible;
    if (compatible) {
      this.caches = previous.caches;
      const sameTier = previous.engine.cluster === engine.cluster;
      this.tieredCache = sameTier || previous.tieredCache.size <= 20000 ? previous.tieredCache : new Map();
      this.tierSets = previous.tierSets.forTier(engine.cluster);
    } else {
      this.caches = new EntryCaches();
      this.tieredCache = new Map();
      this.tierSets = new TierSetCache().forTier(engine.cluster);
    }
    this.groupOf = groupOf;
    this.reps = reps;
    this.allAtoms = engine.space.all();
    this.n = engine.classes.length;
    this.netpol = new NetpolEntries(engine, this.caches);
    this.special = reps.map((c) => engine.implementationDefined(c) !== undefined);
    // Groups whose sides have rules of the same content (and, for ingress, the same named-port
    // resolution) share their entries.
    const ingCache = this.caches.ingress;
    const egCache = this.caches.egress;
    const profile = (c: number, dir: 'ingress' | 'egress'): string => {
      const sel = engine.selectingOf(c);
      const yes = dir === 'ingress' ? sel.ingress : sel.egress;
      const maybe = dir === 'ingress' ? sel.ingressMaybe : sel.egressMaybe;
      if (yes.length === 0 && maybe.length === 0) return '';
      const rules = (p: CPolicy): string => (dir === 'ingress' ? p.ingressKey : p.egressKey);
      const own = dir === 'ingress' ? `|${engine.namedSignature(c)}|${engine.classes[c]?.portsUnknown === true ? c : ''}` : '';
      return `${yes
        .map((p) => `y${rules(p)}`)
        .sort()
        .join(',')}/${maybeGroups(maybe, dir)
        .map((g) => `m${g.map(rules).sort().join('+')}`)
        .sort()
        .join(',')}${own}`;
    };
    // With the same groups, a group whose namespace has the same policies and whose cluster policies are the same keeps its entries.
    const cc = engine.clusterClassesChanged;
    const changed = compatible && previous.groupOf === groupOf ? (cc?.namespaces ?? engine.policyNamespacesChanged) : undefined;
    const unchanged = (g: number): boolean =>
      changed !== undefined &&
      !changed.has(engine.classes[reps[g] ?? -1]?.namespace ?? '') &&
      (cc === undefined || !hasBit(cc.classes, reps[g] ?? -1));
    this.ing = reps.map((c, g) => {
      const before = unchanged(g) ? previous?.ing[g] : undefined;
      if (before !== undefined) return before;
      const np = (): Entry[] => {
        const k = profile(c, 'ingress');
        let v = ingCache.get(k);
        if (v === undefined) ingCache.set(k, (v = this.netpol.ingress(c)));
        return v;
      };
      return engine.cluster.affects(c, 'ingress') ? this.tieredEntries(c, 'ingress', np) : np();
    });
    this.eg = reps.map((c, g) => {
      const before = unchanged(g) ? previous?.eg[g] : undefined;
      if (before !== undefined) return before;
      const np = (): Entry[] => {
        const k = profile(c, 'egress');
        let v = egCache.get(k);
        if (v === undefined) egCache.set(k, (v = this.netpol.egress(c)));
        return v;
      };
      return engine.cluster.affects(c, 'egress') ? this.tieredEntries(c, 'egress', np) : np();
    });
  }

  /**
   * The entries of a side that cluster policies decide (docs/dev/cluster-policies.md): the tiers
   * evaluated over peer sets rule by rule (`tieredSides.ts`), on top of the side's NetworkPolicy
   * entries. Pods with the same side context share them.
   */
  private tieredEntries(c: number, direction: 'ingress' | 'egress', np: () => Entry[]): Entry[] {
    // One unknown deciding several maybe-matches: peer by peer, where it is weighed once (C13).
    const worlds = worldsOf(this.engine, c, direction);
    if (worlds === undefined) {
      // Keyed by what the tiered side reads: the pod's NetworkPolicy entries and cluster context.
      const entries = np();
      const key = tieredKey(this.engine, c, direction, entries, this.tierSets);
      const hit = this.tieredCache.get(key);
      if (hit !== undefined) return hit;
      const sides = (this.tieredSides[direction] ??= new TieredSides(this.engine, direction, this.tierSets));
      const out = sides.entries(c, entries);
      this.tieredCache.set(key, out);
      return out;
    }
    const context = sideContext(this.engine, c, direction, this.tierSets);
    const cacheKey = `${context.policies}|${context.ports}|w:${worlds.signature}`;
    const cached = this.tieredCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const out = perPeerEntries(this.engine, c, direction);
    this.tieredCache.set(cacheKey, out);
    return out;
  }

  /** Every atom (shared: never mutated). */
  private readonly allAtoms: Bits;

  /** Scratch atom sets for one side of a cell (reused by every call: never handed out). */
  private readonly scratch = {
    ingYes: new Uint32Array(0),
    ingAny: new Uint32Array(0),
    egYes: new Uint32Array(0),
    egAny: new Uint32Array(0),
  };

  /** The atoms one side's entries allow for `peer`, surely (`yes`) and at all (`any`), into the given sets. */
  private side(entries: readonly Entry[], peer: number, yes: Bits, any: Bits): void {
    yes.fill(0);
    any.fill(0);
    const w = peer >>> 5;
    const bit = 1 << (peer & 31);
    for (const en of entries) {
      const y = ((en.yes[w] ?? 0) & bit) !== 0;
      if (y) orInto(yes, en.atoms);
      if (y || ((en.maybe[w] ?? 0) & bit) !== 0) orInto(any, en.atoms);
    }
  }

  /** Both sides combined into `out`; an absent side allows everything. */
  private combineInto(ing: Entry[] | undefined, eg: Entry[] | undefined, ingPeer: number, egPeer: number, out: Cell): void {
    const words = out.yes.length;
    const s = this.scratch;
    if (s.ingYes.length !== words) {
      s.ingYes = new Uint32Array(words);
      s.ingAny = new Uint32Array(words);
      s.egYes = new Uint32Array(words);
      s.egAny = new Uint32Array(words);
    }
    if (ing !== undefined) this.side(ing, ingPeer, s.ingYes, s.ingAny);
    if (eg !== undefined) this.side(eg, egPeer, s.egYes, s.egAny);
    const all = this.allAtoms;
    const iy = ing === undefined ? all : s.ingYes;
    const ia = ing === undefined ? all : s.ingAny;
    const ey = eg === undefined ? all : s.egYes;
    const ea = eg === undefined ? all : s.egAny;
    for (let i = 0; i < words; i++) {
      const yes = (iy[i] ?? 0) & (ey[i] ?? 0);
      out.yes[i] = yes;
      out.maybe[i] = (ia[i] ?? 0) & (ea[i] ?? 0) & ~yes;
    }
  }

  private undecided(out: Cell): void {
    out.yes.fill(0);
    out.maybe.set(this.allAtoms);
  }

  /** A cell over fresh atom sets (see `cellInto` to reuse them). */
  private fresh(): Cell {
    return { yes: this.engine.space.empty(), maybe: this.engine.space.empty() };
  }

  /** Class → class (through their groups). */
  cell(src: number, dst: number): Cell {
    const out = this.fresh();
    this.cellInto(src, dst, out);
    return out;
  }

  /**
   * False when no port can connect `src` to `dst` (one side's policies close it): the cheap test
   * `cellInto` starts with, for callers that skip such pairs without reading a cell.
   */
  mayConnect(src: number, dst: number): boolean {
    const gs = this.groupOf[src] ?? 0;
    const gd = this.groupOf[dst] ?? 0;
    if (this.special[gs] === true || this.special[gd] === true) return true;
    return this.open(gs, gd, this.reps[gs] ?? src, this.reps[gd] ?? dst);
  }

  /** Whether group `g`'s cells are undecided whatever the policies (`ReachEngine.implementationDefined`): `mayConnect` is true. */
  undecidedGroup(g: number): boolean {
    return this.special[g] === true;
  }

  /**
   * Group `g`'s peers as `mayConnect` reads them: the classes (then the external ranges) some entry
   * of its egress side (`egress`) or ingress side lets through or may. `mayConnect(s, d)` of groups
   * that are not undecided is `egressPeers(gs)` holding `reps[gd]` and `ingressPeers(gd)` holding `reps[gs]`.
   */
  egressPeers(g: number): Bits {
    return this.reachable(this.egReach, this.eg, g);
  }

  ingressPeers(g: number): Bits {
    return this.reachable(this.ingReach, this.ing, g);
  }

  /** Whether some entry of both sides lets the representatives `s` → `d` of groups `gs` → `gd` through. */
  private open(gs: number, gd: number, s: number, d: number): boolean {
    return hasBit(this.reachable(this.ingReach, this.ing, gd), s) && hasBit(this.reachable(this.egReach, this.eg, gs), d);
  }

  /** `cell`, written into `out` (atom sets of the space's size): no allocation per pair. */
  cellInto(src: number, dst: number, out: Cell): void {
    const gs = this.groupOf[src] ?? 0;
    const gd = this.groupOf[dst] ?? 0;
    if (this.special[gs] === true || this.special[gd] === true) return this.undecided(out);
    const s = this.reps[gs] ?? src;
    const d = this.reps[gd] ?? dst;
    // Most pairs are closed on one side: one bit test instead of combining entries.
    if (!this.open(gs, gd, s, d)) return this.closed(out);
    this.combineInto(this.ing[gd] ?? [], this.eg[gs] ?? [], s, d, out);
  }

  /** Per group and direction: every peer some entry allows or may allow (computed on first use). */
  private readonly ingReach: Array<Bits | undefined> = [];
  private readonly egReach: Array<Bits | undefined> = [];

  private reachable(cache: Array<Bits | undefined>, sides: readonly Entry[][], g: number): Bits {
    let b = cache[g];
    if (b === undefined) {
      const entries = sides[g] ?? [];
      b = reachableOf.get(entries);
      if (b === undefined) {
        const first = entries[0];
        b = first === undefined ? new Uint32Array(0) : new Uint32Array(first.yes.length);
        for (const en of entries) {
          orInto(b, en.yes);
          orInto(b, en.maybe);
        }
        reachableOf.set(entries, b);
      }
      cache[g] = b;
    }
    return b;
  }

  private closed(out: Cell): void {
    out.yes.fill(0);
    out.maybe.fill(0);
  }

  /** Source external range i → class. */
  fromRange(i: number, dst: number): Cell {
    const out = this.fresh();
    this.fromRangeInto(i, dst, out);
    return out;
  }

  fromRangeInto(i: number, dst: number, out: Cell): void {
    const gd = this.groupOf[dst] ?? 0;
    if (this.special[gd] === true) return this.undecided(out);
    if (!hasBit(this.reachable(this.ingReach, this.ing, gd), this.n + i)) return this.closed(out);
    this.combineInto(this.ing[gd] ?? [], undefined, this.n + i, -1, out);
  }

  /** Class → destination external range i. */
  toRange(src: number, i: number): Cell {
    const out = this.fresh();
    this.toRangeInto(src, i, out);
    return out;
  }

  toRangeInto(src: number, i: number, out: Cell): void {
    const gs = this.groupOf[src] ?? 0;
    if (this.special[gs] === true) return this.undecided(out);
    if (!hasBit(this.reachable(this.egReach, this.eg, gs), this.n + i)) return this.closed(out);
    this.combineInto(undefined, this.eg[gs] ?? [], -1, this.n + i, out);
  }

  /**
   * Whether class `c`'s sides are `previous`'s (the same entries lists, both undecided or neither): its cells with any
   * class whose sides are too are `previous`'s (`connectionList.ts` `namespaceAfterEdit`).
   */
  sameSides(previous: ReachMatrix, c: number): boolean {
    const g = this.groupOf[c] ?? -1;
    const pg = previous.groupOf[c] ?? -1;
    return this.ing[g] === previous.ing[pg] && this.eg[g] === previous.eg[pg] && this.special[g] === previous.special[pg];
  }

  /** Number of entries kept (a size measure for the benchmark). */
  get entryCount(): number {
    let k = 0;
    for (const l of this.ing) k += l.length;
    for (const l of this.eg) k += l.length;
    return k;
  }
}
