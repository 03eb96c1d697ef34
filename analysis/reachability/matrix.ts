/**
 * The all-pairs form of the engine (docs/dev/design.md §5): for every behaviour group, its ingress side as a
 * few entries "for these port atoms, these sources" and its egress side as "for these atoms,
 * these destinations", each a bitset over classes plus external ranges. A cell (source,
 * destination) is then a handful of bit tests and one atom-set intersection; no pod × pod matrix
 * is stored. Verdicts agree with `ReachEngine.pair` (tested on every fixture).
 */

import type { Bits } from './bitset.js';
import { BitsSlab, and, andNot, andNotInto, bits, hasBit, isEmpty, or, orInto, setBit } from './bitset.js';
import type { CPolicy, CRule, ReachEngine } from './engine.js';
import { rangeIn } from './ip.js';
import { type SideEntry, perPeerEntries } from './sideEntries.js';
import { TierSetCache, TieredSides, sideContext, worldsOf } from './tieredSides.js';
import type { IpRange } from './ip.js';
import type { Protocol } from './ports.js';

/** For the atoms in `atoms`, the peers in `yes` surely and those in `maybe` possibly pass this side. */
type Entry = SideEntry;

interface RulePeers {
  readonly yes: Bits;
  readonly maybe: Bits;
}

export interface Cell {
  readonly yes: Bits;
  readonly maybe: Bits;
}

/** An atom's tokens as a key: `;` (a new policy's group) is not followed by a comma. */
function joinTokens(tokens: readonly string[]): string {
  let out = '';
  tokens.forEach((t, i) => {
    if (t === ';') out += ';';
    else out += (i === 0 || tokens[i - 1] === ';' ? '' : ',') + t;
  });
  return out;
}

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
  private readonly peerCache: Map<number, RulePeers>;
  private readonly entryCache: Map<string, { yes: Bits; maybe: Bits; any?: Bits }>;
  private readonly namedDst: Map<string, Map<number, Bits>>;
  private readonly portsUnknown: Bits;
  private readonly anyPortsUnknown: boolean;
  private readonly protoBits = new Map<string, Bits>();

  private protoAtoms(p: Protocol): Bits {
    let b = this.protoBits.get(p);
    if (b === undefined) this.protoBits.set(p, (b = this.engine.space.protocol(p)));
    return b;
  }

  private readonly byContent = new Map<number, CRule>();
  /** The caches of the previous matrix were reused (an edit that left classes, atoms and groups alone). */
  readonly reusedCaches: boolean;
  private readonly ingCache: Map<string, Entry[]>;
  private readonly egCache: Map<string, Entry[]>;

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
    for (const r of engine.rules) this.byContent.set(r.contentId, r);
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
      this.peerCache = previous.peerCache;
      this.entryCache = previous.entryCache;
      this.namedDst = previous.namedDst;
      this.allCache = previous.allCache;
      this.ingCache = previous.ingCache;
      this.egCache = previous.egCache;
      const sameTier = previous.engine.cluster === engine.cluster;
      this.tieredCache = sameTier || previous.tieredCache.size <= 20000 ? previous.tieredCache : new Map();
      this.tierSets = previous.tierSets.forTier(engine.cluster);
    } else {
      this.peerCache = new Map();
      this.entryCache = new Map();
      this.namedDst = new Map();
      this.allCache = new Map();
      this.ingCache = new Map();
      this.egCache = new Map();
      this.tieredCache = new Map();
      this.tierSets = new TierSetCache().forTier(engine.cluster);
    }
    this.groupOf = groupOf;
    this.reps = reps;
    this.allAtoms = engine.space.all();
    this.n = engine.classes.length;
    this.portsUnknown = bits(this.n + engine.dstRanges.length);
    for (const c of engine.classes) if (c.portsUnknown) setBit(this.portsUnknown, c.index);
    this.anyPortsUnknown = !isEmpty(this.portsUnknown);
    this.special = reps.map((c) => engine.implementationDefined(c) !== undefined);
    // Groups whose sides have rules of the same content (and, for ingress, the same named-port
    // resolution) share their entries.
    const ingCache = this.ingCache;
    const egCache = this.egCache;
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
        .join(',')}/${ReachMatrix.maybeGroups(maybe, dir)
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
        if (v === undefined) ingCache.set(k, (v = this.ingressEntries(c)));
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
        if (v === undefined) egCache.set(k, (v = this.egressEntries(c)));
        return v;
      };
      return engine.cluster.affects(c, 'egress') ? this.tieredEntries(c, 'egress', np) : np();
    });
  }

  private domain(direction: 'ingress' | 'egress'): number {
    return this.n + (direction === 'ingress' ? this.engine.srcRanges.length : this.engine.dstRanges.length);
  }

  private readonly allCache: Map<string, Bits>;
  /** The sets of the rule peers and entries this matrix makes (kept together in its caches). */
  private readonly slab = new BitsSlab();

  /** Every peer of a direction's domain (shared: never mutated). */
  private all(direction: 'ingress' | 'egress'): Bits {
    let b = this.allCache.get(direction);
    if (b === undefined) {
      const size = this.domain(direction);
      b = bits(size);
      for (let i = 0; i < size; i++) b[i >>> 5] = (b[i >>> 5] ?? 0) | (1 << (i & 31));
      this.allCache.set(direction, b);
    }
    return b;
  }

  /** A rule's peers over classes and the external ranges of its direction. */
  private rulePeers(rule: CRule): RulePeers {
    const hit = this.peerCache.get(rule.contentId);
    if (hit !== undefined) return hit;
    const size = this.domain(rule.direction);
    const ranges = rule.direction === 'ingress' ? this.engine.srcRanges : this.engine.dstRanges;
    let out: RulePeers;
    if (rule.unknown) out = { yes: bits(size), maybe: this.all(rule.direction) };
    else if (rule.allPeers) out = { yes: this.all(rule.direction), maybe: bits(size) };
    else {
      const yes = this.slab.bits(size);
      const maybe = this.slab.bits(size);
      for (const p of rule.peers) {
        orInto(yes, p.pods.yes);
        orInto(maybe, p.pods.maybe);
        // Only a templated peer or an ipBlock matches an external range.
        if (!p.unknown && p.ip === undefined) continue;
        ranges.forEach((r, i) => {
          if (p.unknown) setBit(maybe, this.n + i);
          else if (p.ip !== undefined && rangeIn(p.ip, r)) setBit(yes, this.n + i);
        });
      }
      out = { yes, maybe: andNotInto(maybe, yes) };
    }
    this.peerCache.set(rule.contentId, out);
    return out;
  }

  /** Combines rule contributions per atom into entries, computing each distinct combination once. */
  private entries(
    direction: 'ingress' | 'egress',
    perAtom: string[],
    contribution: (token: string) => RulePeers,
    onlyMaybe: boolean,
  ): Entry[] {
    const byKey = new Map<string, Bits>();
    const space = this.engine.space;
    perAtom.forEach((k, a) => {
      let atoms = byKey.get(k);
      if (atoms === undefined) byKey.set(k, (atoms = space.empty()));
      setBit(atoms, a);
    });
    const out: Entry[] = [];
    for (const [k, atoms] of byKey) {
      const cacheKey = `${direction}|${onlyMaybe ? 'M' : ''}|${k}`;
      let v = this.entryCache.get(cacheKey);
      if (v === undefined) this.entryCache.set(cacheKey, (v = this.combine(direction, k, contribution, onlyMaybe)));
      if (!isEmpty(v.yes) || !isEmpty(v.maybe)) out.push({ atoms, yes: v.yes, maybe: v.maybe, any: v.any });
    }
    return out;
  }

  /**
   * One entry's peers from its tokens. With only policies that maybe select the pod (`onlyMaybe`:
   * the key holds one `;`-separated group of tokens per policy, each read as if the policy selected
   * it), a peer is allowed when every policy surely allows it, else undefined (`Verdicts.netpolSide`);
   * `any` keeps the peers one of them may allow, for the tiers.
   */
  private combine(
    direction: 'ingress' | 'egress',
    k: string,
    token: (t: string) => RulePeers,
    onlyMaybe: boolean,
  ): { yes: Bits; maybe: Bits; any?: Bits } {
    const size = this.domain(direction);
    if (!onlyMaybe) {
      const yes = this.slab.bits(size);
      const maybe = this.slab.bits(size);
      for (const t of k === '' ? [] : k.split(',')) {
        const c = token(t);
        orInto(yes, c.yes);
        orInto(maybe, c.maybe);
      }
      return { yes, maybe: andNotInto(maybe, yes) };
    }
    let every: Bits | undefined;
    const any = bits(size);
    for (const group of k.split(';')) {
      const own = bits(size);
      for (const t of group === '' ? [] : group.split(',')) {
        const c = token(t);
        orInto(own, c.yes);
        orInto(any, c.yes);
        orInto(any, c.maybe);
      }
      every = every === undefined ? own : and(every, own);
    }
    const yes = every ?? bits(size);
    return { yes, maybe: andNot(this.all(direction), yes), any };
  }

  /**
   * The groups of a side that only maybe-selecting policies may isolate: the policies that select
   * the pod together (`CPolicy.selection`) form one, and groups of the same rule contents are one.
   */
  private static maybeGroups(policies: readonly CPolicy[], direction: 'ingress' | 'egress'): CPolicy[][] {
    const bySelection = new Map<string, CPolicy[]>();
    for (const p of policies) {
      const g = bySelection.get(p.selection);
      if (g === undefined) bySelection.set(p.selection, [p]);
      else g.push(p);
    }
    const seen = new Map<string, CPolicy[]>();
    for (const g of bySelection.values()) {
      const k = g
        .map((p) => (direction === 'ingress' ? p.ingressKey : p.egressKey))
        .sort()
        .join('+');
      if (!seen.has(k)) seen.set(k, g);
    }
    return [...seen.values()];
  }

  private ingressEntries(d: number): Entry[] {
    const e = this.engine;
    const iso = e.selectingOf(d).ingress;
    const isoMaybe = e.selectingOf(d).ingressMaybe;
    if (iso.length === 0 && isoMaybe.length === 0)
      return [{ atoms: e.space.all(), yes: this.all('ingress'), maybe: bits(this.domain('ingress')) }];
    const onlyMaybe = iso.length === 0;
    const perAtom: string[][] = Array.from({ length: e.space.size }, () => []);
    const groups = onlyMaybe ? ReachMatrix.maybeGroups(isoMaybe, 'ingress') : [...iso, ...isoMaybe].map((p) => [p]);
    groups.forEach((group, gi) => {
      // Only maybe-selecting policies: each group's rules as if it selected the pod, in a group of its own.
      const sep = onlyMaybe && gi > 0 ? ';' : '';
      for (let a = 0; a < e.space.size; a++) if (sep !== '') perAtom[a]?.push(sep);
      for (const pol of group) {
        const surely = onlyMaybe || iso.includes(pol);
        for (const rule of pol.ingress ?? []) {
          const ports = e.rulePorts(rule, { kind: 'class', index: d });
          for (let a = 0; a < e.space.size; a++) {
            if (surely && hasBit(ports.yes, a)) perAtom[a]?.push(`y${rule.contentId}`);
            else if (hasBit(ports.yes, a) || hasBit(ports.maybe, a)) perAtom[a]?.push(`m${rule.contentId}`);
          }
        }
      }
    });
    const token = (t: string): RulePeers => {
      const rule = this.byContent.get(Number(t.slice(1)));
      if (rule === undefined) return { yes: bits(0), maybe: bits(0) };
      const p = this.rulePeers(rule);
      return t[0] === 'y' ? p : { yes: bits(this.domain('ingress')), maybe: or(p.yes, p.maybe) };
    };
    return this.entries('ingress', perAtom.map(joinTokens), token, onlyMaybe);
  }

  /** Destinations (classes) where a named port of this protocol resolves to atom `a`. */
  private namedDestinations(name: string, protocol: string, a: number): Bits | undefined {
    const k = `${protocol}/${name}`;
    let m = this.namedDst.get(k);
    if (m === undefined) {
      m = new Map();
      const size = this.domain('egress');
      for (const c of this.engine.classes) {
        for (const cp of c.ports) {
          if (cp.name !== name || cp.protocol !== protocol || (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP')) continue;
          const atom = this.engine.space.atomOf(protocol, cp.containerPort);
          let b = m.get(atom);
          if (b === undefined) m.set(atom, (b = bits(size)));
          setBit(b, c.index);
        }
      }
      this.namedDst.set(k, m);
    }
    return m.get(a);
  }

  private egressEntries(s: number): Entry[] {
    const e = this.engine;
    const iso = e.selectingOf(s).egress;
    const isoMaybe = e.selectingOf(s).egressMaybe;
    if (iso.length === 0 && isoMaybe.length === 0)
      return [{ atoms: e.space.all(), yes: this.all('egress'), maybe: bits(this.domain('egress')) }];
    const onlyMaybe = iso.length === 0;
    const perAtom: string[][] = Array.from({ length: e.space.size }, () => []);
    const groups = onlyMaybe ? ReachMatrix.maybeGroups(isoMaybe, 'egress') : [...iso, ...isoMaybe].map((p) => [p]);
    groups.forEach((group, gi) => {
      // Only maybe-selecting policies: each group's rules as if it selected the pod, in a group of its own.
      if (onlyMaybe && gi > 0) for (let a = 0; a < e.space.size; a++) perAtom[a]?.push(';');
      for (const pol of group) {
        const surely = onlyMaybe || iso.includes(pol);
        for (const rule of pol.egress ?? []) {
          const ports = rule.ports;
          for (let a = 0; a < e.space.size; a++) {
            if (surely && hasBit(ports.yes, a)) perAtom[a]?.push(`y${rule.contentId}`);
            else if (hasBit(ports.yes, a) || hasBit(ports.maybe, a)) perAtom[a]?.push(`m${rule.contentId}`);
            ports.named.forEach((np, i) => {
              if (this.namedDestinations(np.name, np.protocol, a) !== undefined)
                perAtom[a]?.push(`${surely ? 'n' : 'N'}${rule.contentId}.${i}`);
              if (this.anyPortsUnknown && hasBit(this.protoAtoms(np.protocol), a)) perAtom[a]?.push(`u${rule.contentId}.${i}`);
            });
          }
        }
      }
    });
    const size = this.domain('egress');
    // Named tokens (n/N: a named port resolving to `atom` on the destination) depend on the atom.
    const token = (t: string, atom: number): RulePeers => {
      const [ri, ni] = t.slice(1).split('.').map(Number);
      const rule = this.byContent.get(ri ?? -1);
      if (rule === undefined) return { yes: bits(size), maybe: bits(size) };
      const p = this.rulePeers(rule);
      const kind = t[0];
      if (kind === 'y') return p;
      if (kind === 'm') return { yes: bits(size), maybe: or(p.yes, p.maybe) };
      const np = rule.ports.named[ni ?? -1];
      if (np === undefined) return { yes: bits(size), maybe: bits(size) };
      if (kind === 'u') return { yes: bits(size), maybe: and(or(p.yes, p.maybe), this.portsUnknown) };
      const dsts = this.namedDestinations(np.name, np.protocol, atom);
      if (dsts === undefined) return { yes: bits(size), maybe: bits(size) };
      if (kind === 'n') return { yes: and(p.yes, dsts), maybe: and(p.maybe, dsts) };
      return { yes: bits(size), maybe: and(or(p.yes, p.maybe), dsts) };
    };
    const keys = perAtom.map(joinTokens);
    const byKey = new Map<string, Bits>();
    keys.forEach((k, a) => {
      const kk = k.includes('n') || k.includes('N') ? `${k}@${a}` : k;
      let atoms = byKey.get(kk);
      if (atoms === undefined) byKey.set(kk, (atoms = e.space.empty()));
      setBit(atoms, a);
    });
    const out: Entry[] = [];
    for (const [kk, atoms] of byKey) {
      const at = kk.indexOf('@');
      const k = at === -1 ? kk : kk.slice(0, at);
      const atom = at === -1 ? -1 : Number(kk.slice(at + 1));
      const cacheKey = `egress|${onlyMaybe ? 'M' : ''}|${kk}`;
      let v = this.entryCache.get(cacheKey);
      if (v === undefined) this.entryCache.set(cacheKey, (v = this.combine('egress', k, (t) => token(t, atom), onlyMaybe)));
      if (!isEmpty(v.yes) || !isEmpty(v.maybe)) out.push({ atoms, yes: v.yes, maybe: v.maybe, any: v.any });
    }
    return out;
  }

  /**
   * The entries of a side that cluster policies decide (docs/dev/cluster-policies.md): the tiers
   * evaluated over peer sets rule by rule (`tieredSides.ts`), on top of the side's NetworkPolicy
   * entries. Pods with the same side context share them.
   */
  private tieredEntries(c: number, direction: 'ingress' | 'egress', np: () => Entry[]): Entry[] {
    const context = sideContext(this.engine, c, direction, this.tierSets);
    // One unknown deciding several maybe-matches: peer by peer, where it is weighed once (C13).
    const worlds = worldsOf(this.engine, c, direction);
    const cacheKey = `${context.policies}|${context.ports}${worlds === undefined ? '' : `|w:${worlds.signature}`}`;
    const cached = this.tieredCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const sides = (this.tieredSides[direction] ??= new TieredSides(this.engine, direction, this.tierSets));
    const out = worlds !== undefined ? perPeerEntries(this.engine, c, direction) : sides.entries(c, np());
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
      const first = entries[0];
      b = first === undefined ? new Uint32Array(0) : new Uint32Array(first.yes.length);
      for (const en of entries) {
        orInto(b, en.yes);
        orInto(b, en.maybe);
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

  /** Number of entries kept (a size measure for the benchmark). */
  get entryCount(): number {
    let k = 0;
    for (const l of this.ing) k += l.length;
    for (const l of this.eg) k += l.length;
    return k;
  }
}
