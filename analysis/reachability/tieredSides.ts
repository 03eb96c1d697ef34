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
import type { CCPolicy, CCRule, ClusterTier } from './clusterTier.js';
import { membersSelecting } from './clusterTier.js';
import type { ReachEngine } from './engine.js';
import type { IpRange } from './ip.js';
import { contains } from './ip.js';
import type { NpUnion, SideEntry } from './sideEntries.js';
import { npUnionsOf } from './sideEntries.js';
import { ContextIds, classContext } from './clusterContexts.js';

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
    const out = new TierSetCache(this.ids, false);
    out.tier = tier;
    if (this.atoms.size + this.tiers.size > limit) return out;
    for (const r of tier.rules) {
      const hit = this.rules.get(r);
      if (hit !== undefined) out.rules.set(r, hit);
    }
    for (const [k, v] of this.tiers) out.tiers.set(k, v);
    for (const [k, v] of this.atoms) out.atoms.set(k, v);
    for (const [k, v] of this.adminRuns) out.adminRuns.set(k, v);
    for (const [k, v] of this.named) out.named.set(k, v);
    out.portsUnknown = this.portsUnknown;
    return out;
  }

  /** The numbers of cluster contexts: shared by every cache made from this one, whose keys hold them. */
  constructor(
    readonly ids: ContextIds = new ContextIds(),
    /** Whether every class's cluster context is computed at once (a cold matrix; after an edit, class by class). */
    readonly everyClass = true,
  ) {}

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
  /** Per direction: every class's cluster context number (`clusterContexts`), for this cache's tier. */
  readonly contextIds: { ingress?: Int32Array; egress?: Int32Array } = {};
  /** Per atom result by the cluster policies selecting the pod and the rules whose ports hold the atom. */
  readonly atoms = new Map<string, AtomTiers>();
  /**
   * The Admin tier's run on an atom (`AdminRun`), by what it reads: the Admin-tier policies that may select the pod
   * (surely or maybe) and which of their rules' ports hold the atom. Pods whose Baseline-tier policies differ share it.
   */
  readonly adminRuns = new Map<string, AdminRun>();
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

/** The Admin tier's outcomes on one atom over the peers (`AtomTiers` reads them). */
interface AdminRun {
  readonly mayAllow: Bits;
  readonly mayNot: Bits;
  readonly rest: Bits;
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
  /** Sides' results on this atom by NetworkPolicy union (`NpUnion.id`) and how NetworkPolicies isolate the pod. */
  readonly results: Map<number, TieredResult>;
  /** With no NetworkPolicy surely isolating the pod: the Admin tier's and the Baseline tier's outcomes together (`outside`). */
  outside?: { readonly mayAllow: Bits; readonly mayNot: Bits };
}

/** An atom's side over the peers: allowed (`yes`), undefined (`maybe`); `none`: neither. */
interface TieredResult {
  readonly yes: Bits;
  readonly maybe: Bits;
  readonly none: boolean;
}

/**
 * The outcomes of the tiers around NetworkPolicy on one atom: the Admin tier's, and the Baseline tier's over what it
 * leaves, where Pass and what no rule decides go to the default (allowed).
 */
function outside(t: AtomTiers, bl: TierSets): { mayAllow: Bits; mayNot: Bits } {
  const W = t.rest.length;
  const mayAllow = new Uint32Array(W);
  const mayNot = new Uint32Array(W);
  for (let i = 0; i < W; i++) {
    const cf = bl.conflict[i] ?? 0;
    mayAllow[i] = (t.mayAllow[i] ?? 0) | (bl.allow[i] ?? 0) | cf | (bl.pass[i] ?? 0) | (bl.open[i] ?? 0);
    mayNot[i] = (t.mayNot[i] ?? 0) | (bl.deny[i] ?? 0) | cf;
  }
  return { mayAllow, mayNot };
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
  /**
   * Per cluster context (`classContext`'s `cluster`): the tiers' policies that may select the pod, their rules this way
   * (the Admin tier's first, `adminRules` of them), and the Admin-tier policies as a key (`adminKey`: each one's
   * compilation and whether it surely selects the pod).
   */
  private readonly members = new Map<
    string,
    { admin: CCPolicy[][]; baseline: CCPolicy[][]; rules: CCRule[]; adminRules: number; adminKey: string }
  >();

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
    const unions = npUnionsOf(np, this.slab);
    // How the pod's NetworkPolicies may isolate it: none, maybe, surely.
    const how = npSure ? 2 : npIsolated ? 1 : 0;
    // Atoms with the same cluster-tier result and the same NetworkPolicy union share one entry.
    const byResult = new Map<TieredResult, SideEntry>();
    const out: SideEntry[] = [];
    for (let a = 0; a < e.space.size; a++) {
      const t = tiers.atoms[a];
      if (t === undefined) continue;
      const u = unions.at(a);
      const k = u.id * 3 + how;
      let r = t.results.get(k);
      if (r === undefined) t.results.set(k, (r = this.result(t, u, npSure, npIsolated)));
      let en = byResult.get(r);
      if (en === undefined) {
        byResult.set(r, (en = { atoms: e.space.empty(), yes: r.yes, maybe: r.maybe }));
        if (!r.none) out.push(en);
      }
      setBit(en.atoms, a);
    }
    return out;
  }

  /** One atom's side over the peers: the tiers' result `t` with the NetworkPolicy tier's `u`. */
  private result(t: AtomTiers, u: NpUnion, npSure: boolean, npIsolated: boolean): TieredResult {
    const W = this.words;
    // The NetworkPolicy tier's verdict per peer on this atom: `u.yes` allowed, `u.any` maybe.
    const npYes = u.yes;
    const npAny = u.any;
    // Possible outcomes (C13): allowed when only "allowed" is possible, undefined when both are.
    const yes = new Uint32Array(W);
    const maybe = new Uint32Array(W);
    const rest = t.rest;
    // What the tiers above and below NetworkPolicy may do whatever the pod's NetworkPolicies say.
    const base = npSure ? t : (t.outside ??= outside(t, (t.baseline ??= t.baselineRun())));
    let any = 0;
    for (let i = 0; i < W; i++) {
      let may = base.mayAllow[i] ?? 0;
      let not = base.mayNot[i] ?? 0;
      // Surely isolated: NetworkPolicy decides what the Admin tier leaves; maybe: it does if it isolates the pod.
      if (npIsolated) {
        const r = rest[i] ?? 0;
        may |= r & (npAny[i] ?? 0);
        not |= r & ~(npYes[i] ?? 0);
      }
      yes[i] = may & ~not;
      maybe[i] = may & not;
      any |= may;
    }
    return { yes, maybe, none: any === 0 };
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
    // The policies that may select the pod and their rules: the same for every pod of its cluster context.
    let members = this.members.get(ctx.cluster);
    if (members === undefined) {
      const admin = membersSelecting(e.cluster.admin, dir, c);
      const baseline = membersSelecting(e.cluster.baseline, dir, c);
      const own = (p: CCPolicy): readonly CCRule[] => (dir === 'ingress' ? p.ingress : p.egress);
      const adminRules = admin.flat().flatMap(own);
      const rules = [...adminRules, ...baseline.flat().flatMap(own)];
      // The run reads a policy's selection only as whether it is sure (`policy`'s `surelySelected`).
      const adminKey = admin.map((g) => g.map((p) => `${p.serial}${hasBit(p.selected.yes, c) ? 'y' : 'm'}`).join('+')).join(',');
      this.members.set(ctx.cluster, (members = { admin, baseline, rules, adminRules: adminRules.length, adminKey }));
    }
    const { admin, baseline, rules, adminRules, adminKey } = members;
    // Ingress: the rules' ports on the pod, where a named port resolves (the others' are their own ports).
    const portsOf = new Map<CCRule, { yes: Bits; maybe: Bits }>();
    const dstPeer = { kind: 'class' as const, index: c };
    if (dir === 'ingress') for (const r of rules) if (r.ports.named.length > 0) portsOf.set(r, e.clusterRulePorts(r, dstPeer));
    // An atom's result depends on the pod's ports only through which rules' ports hold it: atoms
    // (of this pod or another one selected alike) that no rule's ports tell apart share it.
    const W = this.words;
    const atoms: AtomTiers[] = [];
    const ports = rules.map((r) => portsOf.get(r) ?? r.ports);
    const same = this.sameAtoms(rules, ports);
    for (let a = 0; a < e.space.size; a++) {
      const first = atoms[same[a] ?? a];
      if (first !== undefined) {
        atoms.push(first);
        continue;
      }
      // Which rules' ports hold the atom: the Admin tier's rules first (the key of its run), then the Baseline tier's.
      let held = '';
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i] as CCRule;
        const p = ports[i] ?? r.ports;
        held += hasBit(p.yes, a) ? 'y' : hasBit(p.maybe, a) ? 'm' : 'n';
        if (dir === 'egress' && r.ports.named.length > 0 && this.named(r.ports.named, a) !== undefined) held += `@${a}`;
        if (i === adminRules - 1) held += '|';
      }
      const sig = `${selection}#${held}`;
      let t = this.cache.atoms.get(sig);
      if (t === undefined) {
        const adminSig = `${dir}|${adminKey}#${held.slice(0, held.indexOf('|') + 1)}`;
        let run = this.cache.adminRuns.get(adminSig);
        if (run === undefined) {
          const ad = this.tier(c, a, admin, this.full, portsOf);
          const rest = new Uint32Array(W);
          const mayAllow = new Uint32Array(W);
          const mayNot = new Uint32Array(W);
          for (let i = 0; i < W; i++) {
            rest[i] = (ad.pass[i] ?? 0) | (ad.open[i] ?? 0);
            mayAllow[i] = (ad.allow[i] ?? 0) | (ad.conflict[i] ?? 0);
            mayNot[i] = (ad.deny[i] ?? 0) | (ad.conflict[i] ?? 0);
          }
          this.cache.adminRuns.set(adminSig, (run = { mayAllow, mayNot, rest }));
        }
        const { rest } = run;
        const baselineRun = (): TierSets => this.tier(c, a, baseline, rest, portsOf);
        t = {
          id: this.cache.atoms.size,
          mayAllow: run.mayAllow,
          mayNot: run.mayNot,
          rest,
          baselineRun,
          baseline: undefined,
          results: new Map(),
        };
        this.cache.atoms.set(sig, t);
      }
      atoms.push(t);
    }
    const out: ClusterTiers = { atoms };
    this.cache.tiers.set(k, out);
    return out;
  }

  /**
   * Per atom, the first atom whose signature in `clusterTiers` is its own: which of `rules`' ports (`ports`) hold it
   * surely, maybe or not, and for egress a named port resolving to it makes it an atom of its own. Computed on
   * one-word masks where the atoms fit in one (else every atom is its own first).
   */
  private sameAtoms(rules: readonly CCRule[], ports: ReadonlyArray<{ readonly yes: Bits; readonly maybe: Bits }>): Int32Array {
    const size = this.engine.space.size;
    const same = new Int32Array(size);
    for (let a = 0; a < size; a++) same[a] = a;
    if (size > 32) return same;
    let alone = 0;
    if (this.direction === 'egress')
      for (const r of rules)
        if (r.ports.named.length > 0) for (let a = 0; a < size; a++) if (this.named(r.ports.named, a) !== undefined) alone |= 1 << a;
    const all = size === 32 ? -1 : (1 << size) - 1;
    let groups = [all & ~alone];
    for (const p of ports) {
      const y = p.yes[0] ?? 0;
      const m = (p.maybe[0] ?? 0) & ~y;
      // A rule whose ports hold every atom of every group alike cuts none.
      if (groups.every((g) => (g & y) === g || (g & m) === g || (g & (y | m)) === 0)) continue;
      const next: number[] = [];
      for (const g of groups) {
        const gy = g & y;
        const gm = g & m;
        const gn = g & ~y & ~m;
        if (gy !== 0) next.push(gy);
        if (gm !== 0) next.push(gm);
        if (gn !== 0) next.push(gn);
      }
      groups = next;
    }
    for (const g of groups) {
      const first = 31 - Math.clz32(g & -g);
      for (let rest = g; rest !== 0; rest &= rest - 1) same[31 - Math.clz32(rest & -rest)] = first;
    }
    return same;
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
      if (members.length === 1) {
        // One policy of its priority: no conflict to weigh.
        const r = this.policy(c, a, members[0] as CCPolicy, open, portsOf, 0);
        for (let i = 0; i < W; i++) {
          out.allow[i] = (out.allow[i] ?? 0) | (r.allow[i] ?? 0);
          out.deny[i] = (out.deny[i] ?? 0) | (r.deny[i] ?? 0);
          out.pass[i] = (out.pass[i] ?? 0) | (r.pass[i] ?? 0);
          open[i] = (open[i] ?? 0) & (r.open[i] ?? 0);
        }
        continue;
      }
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
      const ports = this.rulePorts(rule, a, portsOf);
      // The atom is none of the rule's ports toward any peer: the rule takes nothing here.
      if (ports.any === this.none) continue;
      const peers = rule.denyAll ? { yes: this.full, any: this.full } : this.ruleSets(rule);
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
