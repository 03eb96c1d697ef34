/**
 * The all-pairs form of a side that cluster policies affect (docs/dev/cluster-policies.md,
 * `ReachMatrix`): the tiers evaluated over peer sets rule by rule, as NetworkPolicy sides are,
 * instead of once per peer. For one pod and direction, every port atom holds the set of peers
 * (classes and external ranges) still open; each rule of each policy that may select the pod, in
 * precedence order, takes from it the peers its peer list and ports match and decides them
 * (Allow/Accept, Deny, Pass), exactly as `TierVerdicts.side` does for one peer: the same
 * operations, with a peer set where that has a peer. Sets hold the peers for which an outcome is
 * possible (C13: a maybe-matched peer keeps the rule's action and stays open for the rules after
 * it); a peer is allowed when every possible outcome allows it. Atoms no rule tells apart are
 * computed once.
 */

import type { Bits } from './bitset.js';
import { BitsSlab, bits, hasBit, setBit } from './bitset.js';
import type { CCPolicy, CCRule, ClusterTier, PolicyGroups } from './clusterTier.js';
import type { CPolicy, ReachEngine, Selecting } from './engine.js';
import type { IpRange } from './ip.js';
import { contains } from './ip.js';
import { oneValueOn, podVaries, worldsSignature } from './sharedValues.js';
import type { SideEntry } from './sideEntries.js';
import { NP_KEYS, npUnionsOf } from './sideEntries.js';

/** NetworkPolicy parts of side contexts, per `Selecting` (kept by the engine for unchanged namespaces). */
const npContexts = new WeakMap<Selecting, { ingress?: string; egress?: string }>();

/**
 * What one side of pod `c` depends on besides the peer: the policies that may select it that way
 * (`policies`), and for ingress the container ports its named ports resolve on (`ports`). Pods with
 * equal contexts have equal sides toward every peer, in every engine with the same class model,
 * port atoms, external ranges and cluster policies (`cache` keeps the parts that depend on those).
 */
export function sideContext(
  engine: ReachEngine,
  c: number,
  direction: 'ingress' | 'egress',
  cache?: TierSetCache,
): { policies: string; ports: string } {
  const sel = engine.selectingOf(c);
  let perSel = npContexts.get(sel);
  if (perSel === undefined) npContexts.set(sel, (perSel = {}));
  // NetworkPolicies by the content of their rules (stable while the class model is), sure and maybe;
  // bracketed, so that a policy with no rules that way (it isolates, allowing nothing) counts.
  const content = (ps: readonly CPolicy[]): string =>
    ps
      .map((p) => `[${direction === 'ingress' ? p.ingressKey : p.egressKey}]`)
      .sort()
      .join(',');
  const np = (perSel[direction] ??=
    direction === 'ingress'
      ? `${content(sel.ingress)};${content(sel.ingressMaybe)}`
      : `${content(sel.egress)};${content(sel.egressMaybe)}`);
  const own = classContext(engine, c, direction, cache);
  const cls = engine.classes[c];
  const ports =
    direction === 'ingress'
      ? `${cls?.portsUnknown === true ? '?' : ''}${(cls?.ports ?? []).map((p) => `${p.name ?? ''}/${p.protocol}/${p.containerPort}`).join(',')}`
      : '';
  return { policies: `${direction}|${np}|${own.cluster}`, ports };
}

/** Numbers for entries lists (`tieredKey`), by identity. */
const listIds = new WeakMap<readonly SideEntry[], number>();
let nextListId = 0;

/**
 * The key of pod `c`'s tiered side where no unknown is weighed on it (`worldsOf` undefined): what
 * `TieredSides.entries` reads of the pod. That is its NetworkPolicy entries `np` (the matrix keeps one
 * list per NetworkPolicy profile, so pods alike share it: by identity), which also tell whether
 * NetworkPolicies isolate it surely or maybe; the cluster policies that may select it; and for
 * ingress how the named ports cluster rules use resolve on it (`TieredSides.clusterTiers`). Valid
 * as long as the lists are (`ReachMatrix` keeps both together).
 */
export function tieredKey(
  engine: ReachEngine,
  c: number,
  direction: 'ingress' | 'egress',
  np: readonly SideEntry[],
  cache: TierSetCache,
): string {
  let id = listIds.get(np);
  if (id === undefined) listIds.set(np, (id = nextListId++));
  return `${id}#${classContext(engine, c, direction, cache).tiers}`;
}

/**
 * Whether one unknown may decide several of pod `c`'s maybe-matches on this side toward some peer
 * (two subjects, a subject and a NetworkPolicy's selection, or two peers that select the same pods
 * together or not at all, or a subject and a peer of the pod's own traffic: `sharedConditions`).
 * Such a side is evaluated peer by peer (`perPeerEntries`), where those unknowns are weighed
 * together; `signature` is what pods with equal side contexts must also share to answer alike.
 */
export function worldsOf(engine: ReachEngine, c: number, direction: 'ingress' | 'egress'): { signature: string; own: boolean } | undefined {
  const shared = engine.verdicts.shared;
  if (shared.size === 0) return undefined;
  const cl = engine.cluster;
  const members = cl.policies.filter(
    (p) => (direction === 'ingress' ? p.ingress : p.egress).length > 0 && (hasBit(p.selected.yes, c) || hasBit(p.selected.maybe, c)),
  );
  if (members.length === 0) return undefined;
  const sel = engine.selectingOf(c);
  return worldsSignature(
    members,
    direction === 'ingress' ? sel.ingressMaybe : sel.egressMaybe,
    direction,
    c,
    (u) => podVaries(engine.classes[c], u),
    shared,
    (u) => oneValueOn(engine.classes[c], u),
  );
}

/** `worldsOf` as a yes or no. */
export function needsWorlds(engine: ReachEngine, c: number, direction: 'ingress' | 'egress'): boolean {
  return worldsOf(engine, c, direction) !== undefined;
}

/**
 * The cluster policies that may select class `c` with rules that way (`cluster`), and the key of its
 * cluster tiers' results (`tiers`: with the direction and, for ingress, how the named ports cluster
 * rules use resolve on it).
 */
function classContext(
  engine: ReachEngine,
  c: number,
  direction: 'ingress' | 'egress',
  cache: TierSetCache | undefined,
): { cluster: string; tiers: string } {
  const kept = cache?.contexts[direction][c];
  if (kept !== undefined) return kept;
  // The policies by their compilation (`CCPolicy.serial`: kept by later engines whose cluster
  // tiers keep them), so that a cluster-policy edit leaves the contexts of pods it cannot select alone.
  let cluster = engine.cluster.baselineMerged ? 'B:' : '';
  for (const p of engine.cluster.policies) {
    if ((direction === 'ingress' ? p.ingress : p.egress).length === 0) continue;
    if (hasBit(p.selected.yes, c)) cluster += `${p.serial}y,`;
    else if (hasBit(p.selected.maybe, c)) cluster += `${p.serial}m,`;
  }
  const selection = `${direction}|${cluster}`;
  const out = { cluster, tiers: direction === 'ingress' ? `${selection}|${namedOn(engine, c)}` : selection };
  if (cache !== undefined) cache.contexts[direction][c] = out;
  return out;
}

/** How the named ports cluster rules use resolve on class `c` (ingress: the pod is the destination). */
function namedOn(engine: ReachEngine, c: number): string {
  const cls = engine.classes[c];
  if (cls === undefined) return '';
  let out = cls.portsUnknown ? '?' : '';
  for (const cp of cls.ports)
    if (cp.name !== undefined && engine.cluster.namedUsed.has(cp.name)) out += `${cp.name}/${cp.protocol}/${cp.containerPort},`;
  return out;
}

/** A rule's peers over the domain (classes, then the direction's external ranges). */
interface RuleSets {
  readonly yes: Bits;
  /** yes or maybe. */
  readonly any: Bits;
}

/**
 * What the evaluation keeps between sides and between matrices over the same class model, port
 * atoms and external ranges (`ReachMatrix` drops it otherwise). Its keys name cluster policies by
 * their compilation (`CCPolicy.serial`) and rules by identity, so they hold in a later engine whose
 * cluster tiers keep those policies; the per-class contexts belong to one cluster tier (`forTier`).
 */
export class TierSetCache {
  /** The cluster tiers `contexts` were read from. */
  private tier: ClusterTier | undefined;

  /**
   * This cache for an engine with the cluster tiers `tier`: itself when they are the ones it has
   * seen (or none yet), else a cache with the rule and tier results of the policies `tier` kept and
   * no per-class contexts. Past `limit` results it starts afresh (results of policies compiled
   * again are never read again).
   */
  forTier(tier: ClusterTier, limit = 20000): TierSetCache {
    if (this.tier === undefined || this.tier === tier) {
      this.tier = tier;
      return this;
    }
    const out = new TierSetCache();
    out.tier = tier;
    if (this.atoms.size + this.tiers.size > limit) return out;
    for (const r of tier.rules) {
      const hit = this.rules.get(r);
      if (hit !== undefined) out.rules.set(r, hit);
    }
    for (const [k, v] of this.tiers) out.tiers.set(k, v);
    for (const [k, v] of this.atoms) out.atoms.set(k, v);
    for (const [k, v] of this.named) out.named.set(k, v);
    out.portsUnknown = this.portsUnknown;
    return out;
  }

  readonly rules = new Map<CCRule, RuleSets>();
  /** The cluster tiers' results per cluster context (`TieredSides.clusterTiers`). */
  readonly tiers = new Map<string, ClusterTiers>();
  /** Per direction and class: its part of the side context (`classContext`). */
  readonly contexts: {
    ingress: Array<{ cluster: string; tiers: string } | undefined>;
    egress: Array<{ cluster: string; tiers: string } | undefined>;
  } = {
    ingress: [],
    egress: [],
  };
  /** Per atom result by the cluster policies selecting the pod and the rules whose ports hold the atom. */
  readonly atoms = new Map<string, AtomTiers>();
  /** `direction|name` → atom → the classes a named port of that name resolves to that atom on. */
  readonly named = new Map<string, Map<number, Bits>>();
  portsUnknown: Bits | undefined;
}

/** The per-atom state of one tier's run: the peers that may be allowed, denied, passed, left open, or undefined by a conflict. */
interface TierSets {
  allow: Bits;
  deny: Bits;
  pass: Bits;
  open: Bits;
  conflict: Bits;
}

/** One atom's Admin-tier result over the peers (shared by the atoms no rule tells apart). */
interface AtomTiers {
  readonly id: number;
  /** Peers the Admin tier may allow, or leaves undefined (a conflict). */
  readonly mayAllow: Bits;
  /** Peers the Admin tier may deny, or leaves undefined. */
  readonly mayNot: Bits;
  /** Peers the Admin tier may pass on or leave undecided: on to NetworkPolicy or the Baseline tier. */
  readonly rest: Bits;
  /** The Baseline tier over `rest`, run when a pod's NetworkPolicies do not decide (`baseline` keeps it). */
  readonly baselineRun: () => TierSets;
  baseline: TierSets | undefined;
}

interface ClusterTiers {
  /** Per atom. */
  readonly atoms: readonly AtomTiers[];
}

export class TieredSides {
  private readonly words: number;
  private readonly n: number;
  private readonly ranges: readonly IpRange[];
  private readonly full: Bits;
  private readonly none: Bits;
  /** The sets of this matrix's tiered sides (kept together with its caches). */
  private readonly slab = new BitsSlab();

  constructor(
    private readonly engine: ReachEngine,
    private readonly direction: 'ingress' | 'egress',
    private readonly cache: TierSetCache,
  ) {
    this.n = engine.classes.length;
    this.ranges = direction === 'ingress' ? engine.srcRanges : engine.dstRanges;
    const size = this.n + this.ranges.length;
    this.full = bits(size);
    for (let i = 0; i < size; i++) setBit(this.full, i);
    this.none = bits(size);
    this.words = this.full.length;
  }

  /**
   * The entries of pod `c`'s side: `np` are its entries as NetworkPolicies alone decide it (the
   * matrix's), from which the NetworkPolicy tier's verdict per atom and peer is read.
   */
  entries(c: number, np: readonly SideEntry[]): SideEntry[] {
    const e = this.engine;
    const dir = this.direction;
    const sel = e.selectingOf(c);
    const npSure = (dir === 'ingress' ? sel.ingress : sel.egress).length > 0;
    const npIsolated = npSure || (dir === 'ingress' ? sel.ingressMaybe : sel.egressMaybe).length > 0;
    const tiers = this.clusterTiers(c);
    const W = this.words;
    const unions = npUnionsOf(np, this.slab);
    // Atoms with the same cluster-tier result and the same NetworkPolicy entries are computed once.
    const byKey = new Map<number | string, SideEntry>();
    const out: SideEntry[] = [];
    for (let a = 0; a < e.space.size; a++) {
      const t = tiers.atoms[a];
      if (t === undefined) continue;
      const u = unions.at(a);
      const k = typeof u.key === 'number' ? t.id * NP_KEYS + u.key : `${t.id}|${u.key}`;
      const hit = byKey.get(k);
      if (hit !== undefined) {
        setBit(hit.atoms, a);
        continue;
      }
      // The NetworkPolicy tier's verdict per peer on this atom: `u.yes` allowed, `u.any` maybe.
      const npYes = u.yes;
      const npAny = u.any;
      // Possible outcomes (C13): allowed when only "allowed" is possible, undefined when both are.
      const yes = this.slab.words(W);
      const maybe = this.slab.words(W);
      const rest = t.rest;
      const bl = npSure ? undefined : (t.baseline ??= t.baselineRun());
      for (let i = 0; i < W; i++) {
        const r = rest[i] ?? 0;
        let may = t.mayAllow[i] ?? 0;
        let not = t.mayNot[i] ?? 0;
        if (bl === undefined) {
          may |= r & (npAny[i] ?? 0);
          not |= r & ~(npYes[i] ?? 0);
        } else {
          // Pass in the Baseline tier and what no rule decides go to the default: allowed.
          may |= (bl.allow[i] ?? 0) | (bl.conflict[i] ?? 0) | (bl.pass[i] ?? 0) | (bl.open[i] ?? 0);
          not |= (bl.deny[i] ?? 0) | (bl.conflict[i] ?? 0);
          if (npIsolated) {
            // Only policies that maybe select the pod might isolate it: if one does, NetworkPolicy decides.
            may |= r & (npAny[i] ?? 0);
            not |= r & ~(npYes[i] ?? 0);
          }
        }
        yes[i] = may & ~not;
        maybe[i] = may & not;
      }
      const en = { atoms: e.space.empty(), yes, maybe };
      setBit(en.atoms, a);
      byKey.set(k, en);
      if (!this.isNone(yes) || !this.isNone(maybe)) out.push(en);
    }
    return out;
  }

  /**
   * The Admin tier's result per atom for pod `c` (and, on demand, the Baseline tier's over what
   * the Admin tier left): it depends on the pod only through the cluster policies that may select
   * it and, for ingress, its container ports, so pods alike share it whatever their NetworkPolicies.
   */
  private clusterTiers(c: number): ClusterTiers {
    const dir = this.direction;
    const e = this.engine;
    const ctx = classContext(e, c, dir, this.cache);
    const k = ctx.tiers;
    const hit = this.cache.tiers.get(k);
    if (hit !== undefined) return hit;
    const selection = `${dir}|${ctx.cluster}`;
    const admin = this.members(e.cluster.admin, c);
    const baseline = this.members(e.cluster.baseline, c);
    const rules = [...admin.flat(), ...baseline.flat()].flatMap((p) => (dir === 'ingress' ? p.ingress : p.egress));
    const portsOf = new Map<CCRule, { yes: Bits; maybe: Bits }>();
    const dstPeer = { kind: 'class' as const, index: c };
    if (dir === 'ingress') for (const r of rules) portsOf.set(r, e.clusterRulePorts(r, dstPeer));
    // An atom's result depends on the pod's ports only through which rules' ports hold it: atoms
    // (of this pod or another one selected alike) that no rule's ports tell apart share it.
    const W = this.words;
    const atoms: AtomTiers[] = [];
    for (let a = 0; a < e.space.size; a++) {
      let sig = `${selection}#`;
      for (const r of rules) {
        const p = portsOf.get(r) ?? r.ports;
        sig += hasBit(p.yes, a) ? 'y' : hasBit(p.maybe, a) ? 'm' : 'n';
        if (dir === 'egress' && r.ports.named.length > 0 && this.named(r.ports.named, a) !== undefined) sig += `@${a}`;
      }
      let t = this.cache.atoms.get(sig);
      if (t === undefined) {
        const ad = this.tier(c, a, admin, this.full, portsOf);
        const rest = new Uint32Array(W);
        const mayAllow = new Uint32Array(W);
        const mayNot = new Uint32Array(W);
        for (let i = 0; i < W; i++) {
          rest[i] = (ad.pass[i] ?? 0) | (ad.open[i] ?? 0);
          mayAllow[i] = (ad.allow[i] ?? 0) | (ad.conflict[i] ?? 0);
          mayNot[i] = (ad.deny[i] ?? 0) | (ad.conflict[i] ?? 0);
        }
        const baselineRun = (): TierSets => this.tier(c, a, baseline, rest, portsOf);
        t = { id: this.cache.atoms.size, mayAllow, mayNot, rest, baselineRun, baseline: undefined };
        this.cache.atoms.set(sig, t);
      }
      atoms.push(t);
    }
    const out: ClusterTiers = { atoms };
    this.cache.tiers.set(k, out);
    return out;
  }

  /** The tier's non-empty groups of policies that may select `c` with rules this way (as `TierVerdicts.tierMembers`). */
  private members(groups: PolicyGroups, c: number): CCPolicy[][] {
    const out: CCPolicy[][] = [];
    for (const group of groups) {
      const m = group.filter(
        (p) =>
          (this.direction === 'ingress' ? p.ingress : p.egress).length > 0 && (hasBit(p.selected.yes, c) || hasBit(p.selected.maybe, c)),
      );
      if (m.length > 0) out.push(m);
    }
    return out;
  }

  /** Nothing allowed, denied or passed yet: every peer of `input` still open (a copy). */
  private sets(input: Bits): TierSets {
    const W = this.words;
    return {
      allow: new Uint32Array(W),
      deny: new Uint32Array(W),
      pass: new Uint32Array(W),
      open: input.slice(),
      conflict: new Uint32Array(W),
    };
  }

  /**
   * Scratch sets for the `slot`-th policy of a priority group (`policy`'s result, read by `tier`
   * before the next group reuses them): nothing decided, every peer of `input` open.
   */
  private scratchSets(slot: number, input: Bits): TierSets {
    let s = this.pool[slot];
    if (s === undefined) this.pool[slot] = s = this.sets(input);
    else {
      s.allow.fill(0);
      s.deny.fill(0);
      s.pass.fill(0);
      s.conflict.fill(0);
      s.open.set(input);
    }
    return s;
  }

  private readonly pool: TierSets[] = [];

  /** A tier's groups on one atom over the peers `input` (`TierVerdicts.runTier`). */
  private tier(
    c: number,
    a: number,
    groups: CCPolicy[][],
    input: Bits,
    portsOf: ReadonlyMap<CCRule, { yes: Bits; maybe: Bits }>,
  ): TierSets {
    const W = this.words;
    const out = this.sets(input);
    const open = out.open;
    for (const members of groups) {
      if (this.isNone(open)) break;
      const results = members.map((p, j) => this.policy(c, a, p, open, portsOf, j));
      for (let i = 0; i < W; i++) {
        let o = open[i] ?? 0;
        let cf = 0;
        for (let j = 0; j < results.length; j++) {
          const r = results[j] as TierSets;
          const al = r.allow[i] ?? 0;
          const de = r.deny[i] ?? 0;
          const ps = r.pass[i] ?? 0;
          out.allow[i] = (out.allow[i] ?? 0) | al;
          out.deny[i] = (out.deny[i] ?? 0) | de;
          out.pass[i] = (out.pass[i] ?? 0) | ps;
          o &= r.open[i] ?? 0;
          // Policies of equal priority that may decide differently: undefined (rule C3).
          for (let k = j + 1; k < results.length; k++) {
            const q = results[k] as TierSets;
            const qa = q.allow[i] ?? 0;
            const qd = q.deny[i] ?? 0;
            const qp = q.pass[i] ?? 0;
            cf |= (al & (qd | qp)) | (de & (qa | qp)) | (ps & (qa | qd));
          }
        }
        out.conflict[i] = (out.conflict[i] ?? 0) | cf;
        open[i] = o;
      }
    }
    return out;
  }

  /** One policy's rules in order on one atom over the peers `input` (`TierVerdicts.runPolicy`). */
  private policy(
    c: number,
    a: number,
    p: CCPolicy,
    input: Bits,
    portsOf: ReadonlyMap<CCRule, { yes: Bits; maybe: Bits }>,
    slot: number,
  ): TierSets {
    const W = this.words;
    const out = this.scratchSets(slot, input);
    const open = out.open;
    const surelySelected = hasBit(p.selected.yes, c) && !p.unknownPriority;
    for (const rule of this.direction === 'ingress' ? p.ingress : p.egress) {
      if (this.isNone(open)) break;
      const action = rule.denyAll ? 'deny' : rule.action;
      if (action === undefined && !rule.unknown) continue;
      const peers = rule.denyAll ? { yes: this.full, any: this.full } : this.ruleSets(rule);
      const ports = this.rulePorts(rule, a, portsOf);
      const sure = surelySelected && !rule.unknown && action !== undefined;
      for (let i = 0; i < W; i++) {
        const o = open[i] ?? 0;
        const cand = o & (peers.any[i] ?? 0) & (ports.any[i] ?? 0);
        if (cand === 0) continue;
        const s = sure ? o & (peers.yes[i] ?? 0) & (ports.yes[i] ?? 0) : 0;
        // A templated action may be any of the three.
        if (action === 'allow' || action === undefined) out.allow[i] = (out.allow[i] ?? 0) | cand;
        if (action === 'deny' || action === undefined) out.deny[i] = (out.deny[i] ?? 0) | cand;
        if (action === 'pass' || action === undefined) out.pass[i] = (out.pass[i] ?? 0) | cand;
        open[i] = o & ~s;
      }
    }
    return out;
  }

  /**
   * The peers for which atom `a` is among a rule's ports, surely (`yes`) or at all (`any`):
   * `Verdicts.clusterRulePorts` toward each peer (ingress: the pod itself, `portsOf`; egress: the
   * peer, where named ports resolve, and an address, where they match nothing).
   */
  private rulePorts(rule: CCRule, a: number, portsOf: ReadonlyMap<CCRule, { yes: Bits; maybe: Bits }>): { yes: Bits; any: Bits } {
    if (rule.denyAll) return { yes: this.full, any: this.full };
    if (this.direction === 'ingress') {
      const p = portsOf.get(rule) ?? rule.ports;
      return { yes: hasBit(p.yes, a) ? this.full : this.none, any: hasBit(p.yes, a) || hasBit(p.maybe, a) ? this.full : this.none };
    }
    const p = rule.ports;
    if (hasBit(p.yes, a)) return { yes: this.full, any: this.full };
    const maybeAll = hasBit(p.maybe, a);
    if (p.named.length === 0) return { yes: this.none, any: maybeAll ? this.full : this.none };
    // Classes: the named ports resolving to `a`; the atom's templated ports; any port where the
    // container ports are unknown. Addresses: only the templated ports.
    const resolved = this.named(p.named, a) ?? this.none;
    if (maybeAll) return { yes: resolved, any: this.full };
    const any = resolved.slice();
    const unknown = this.portsUnknown();
    for (let i = 0; i < this.words; i++) any[i] = (any[i] ?? 0) | (unknown[i] ?? 0);
    return { yes: resolved, any };
  }

  /** Classes whose container ports are templated or unreadable. */
  private portsUnknown(): Bits {
    let b = this.cache.portsUnknown;
    if (b === undefined || b.length !== this.words) {
      b = bits(this.n);
      const sized = new Uint32Array(this.words);
      for (const cls of this.engine.classes) if (cls.portsUnknown) setBit(b, cls.index);
      sized.set(b.subarray(0, Math.min(b.length, this.words)));
      this.cache.portsUnknown = b = sized;
    }
    return b;
  }

  /** `named`'s maps by the list of names (a rule's), so that each list is looked up by its text once. */
  private readonly namedByList = new WeakMap<readonly string[], Map<number, Bits>>();

  /** The classes on which one of `names` resolves to atom `a` (in its container port's protocol); undefined when none. */
  private named(names: readonly string[], a: number): Bits | undefined {
    let m = this.namedByList.get(names);
    if (m !== undefined) return m.get(a);
    const k = `${this.direction}|${names.join('\u0000')}`;
    m = this.cache.named.get(k);
    if (m === undefined) {
      m = new Map();
      for (const cls of this.engine.classes)
        for (const cp of cls.ports) {
          if (cp.name === undefined || !names.includes(cp.name)) continue;
          if (cp.protocol !== 'TCP' && cp.protocol !== 'UDP' && cp.protocol !== 'SCTP') continue;
          const atom = this.engine.space.atomOf(cp.protocol, cp.containerPort);
          let b = m.get(atom);
          if (b === undefined) m.set(atom, (b = new Uint32Array(this.words)));
          setBit(b, cls.index);
        }
      this.cache.named.set(k, m);
    }
    this.namedByList.set(names, m);
    return m.get(a);
  }

  /** A rule's peer list over the domain (`TierVerdicts.clusterPeerMatch` for every peer). */
  private ruleSets(rule: CCRule): RuleSets {
    const hit = this.cache.rules.get(rule);
    if (hit !== undefined) return hit;
    const W = this.words;
    const yes = new Uint32Array(W);
    const any = new Uint32Array(W);
    for (const p of rule.peers) {
      for (let i = 0; i < p.pods.yes.length && i < W; i++) {
        yes[i] = (yes[i] ?? 0) | (p.pods.yes[i] ?? 0);
        any[i] = (any[i] ?? 0) | (p.pods.yes[i] ?? 0) | (p.pods.maybe[i] ?? 0);
      }
    }
    this.ranges.forEach((r, j) => {
      const i = this.n + j;
      for (const p of rule.peers) {
        if (!p.unknown && p.ip !== undefined && contains(p.ip, r.family, r.lo) && contains(p.ip, r.family, r.hi)) {
          setBit(yes, i);
          setBit(any, i);
        } else if (p.unknown || p.nodes) setBit(any, i);
      }
    });
    const out = { yes, any };
    this.cache.rules.set(rule, out);
    return out;
  }

  private isNone(b: Bits): boolean {
    for (let i = 0; i < b.length; i++) if ((b[i] ?? 0) !== 0) return false;
    return true;
  }
}
