/**
 * Verdicts (docs/dev/netpol-semantics.md rules 1–4): which policies isolate a class per direction,
 * what one side of a connection allows over every port atom (with the rules that matched, for
 * `explain`), and the verdict of one connection: the source's egress side and the destination's
 * ingress side must both allow it. Undecided bits carry their reasons, never a guess.
 */

import type { Bits } from './bitset.js';
import { and, andNot, hasBit, isEmpty, or, setBit } from './bitset.js';
import type { ClassModel } from './classModel.js';
import type { IpRange } from './ip.js';
import type { CCRule, ClusterTier } from './clusterTier.js';
import { clusterRulePorts } from './clusterTier.js';
import type { CPolicy, CRule, NetworkPolicyTier } from './policyTier.js';
import { ruleWords } from './policyTier.js';
import type { PortSpace } from './ports.js';
import { maybeSelectingWords, sharedConditionKeys } from './sharedValues.js';
import type { PeerMatch } from './peerMatch.js';
import { NO_MATCH, addressMatch } from './peerMatch.js';
import type { TieredTrace } from './tierVerdicts.js';
import { TierVerdicts } from './tierVerdicts.js';

/** One side of a connection: a pod class or an address range. */
export type Peer = { readonly kind: 'class'; readonly index: number } | { readonly kind: 'ip'; readonly range: IpRange };

/** The verdict of one direction or one pair over all port atoms. */
export interface PortVerdict {
  readonly yes: Bits;
  readonly maybe: Bits;
  readonly reasons: readonly string[];
}

export interface Match {
  readonly rule: CRule;
  /** The peer element that matched; undefined when the rule has no `from`/`to`. */
  readonly peer: number | undefined;
  readonly undefinedReason: string | undefined;
}

export interface Selecting {
  readonly ingress: CPolicy[];
  readonly egress: CPolicy[];
  readonly ingressMaybe: CPolicy[];
  readonly egressMaybe: CPolicy[];
}

export interface SideExplanation {
  readonly direction: 'ingress' | 'egress';
  /** The policies that isolate this side (yes or maybe). */
  readonly isolating: readonly CPolicy[];
  readonly isolated: boolean;
  readonly yes: Bits;
  readonly maybe: Bits;
  readonly matches: readonly Match[];
  readonly reasons: readonly string[];
  /** When cluster policies select the pod on this side: what each tier decided (docs/dev/cluster-policies.md). */
  readonly tiers?: TieredTrace | undefined;
  /**
   * When only policies that maybe select the pod may isolate it (a templated selector, labels the
   * manifests leave open): the atoms one of them may allow were it to select the pod. `yes` is then
   * what every one of them surely allows (allowed however many of them select it), and every other
   * atom is undefined, for "none selects it" allows everything (docs/dev/netpol-semantics.md rule 1).
   */
  readonly ifSelected?: Bits | undefined;
}

/** What a verdict computer takes from the last engine's when the class model is the same. */
export interface PreviousVerdicts {
  /** The namespaces whose list of policies changed (anything about a class elsewhere is as before). */
  readonly changed: ReadonlySet<string>;
  readonly selecting: ReadonlyArray<Selecting | undefined>;
}

export class Verdicts {
  /** Per class: the policies that select it (computed on first use). */
  readonly selectingCache: Array<Selecting | undefined> = [];
  private readonly namedCache = new Map<string, Bits>();
  private sharedKeys: ReadonlySet<string> | undefined;

  /** The condition keys two maybe-matches may share in this workspace (`sharedConditionKeys`; computed on first use). */
  get shared(): ReadonlySet<string> {
    return (this.sharedKeys ??= sharedConditionKeys(this.cluster.policies, this.tier.policies));
  }

  constructor(
    private readonly model: ClassModel,
    private readonly tier: NetworkPolicyTier,
    private readonly space: PortSpace,
    private readonly previous: PreviousVerdicts | undefined,
    private readonly cluster: ClusterTier,
  ) {
    this.tiers = new TierVerdicts(model, space, cluster, this);
  }

  /** The cluster tiers over one peer (`side`). */
  private readonly tiers: TierVerdicts;

  /** The policies that select a class, per direction, surely or maybe (computed on first use). */
  selectingOf(c: number): Selecting {
    const hit = this.selectingCache[c];
    if (hit !== undefined) return hit;
    const cls = this.model.classes[c];
    const before = cls === undefined || this.previous?.changed.has(cls.namespace) !== false ? undefined : this.previous.selecting[c];
    if (before !== undefined) return (this.selectingCache[c] = before);
    const out: Selecting = { ingress: [], egress: [], ingressMaybe: [], egressMaybe: [] };
    for (const p of cls === undefined ? [] : (this.tier.byNamespace.get(cls.namespace) ?? [])) {
      const yes = hasBit(p.selected.yes, c);
      if (!yes && !hasBit(p.selected.maybe, c)) continue;
      if (p.spec.policyTypes.includes('Ingress')) (yes ? out.ingress : out.ingressMaybe).push(p);
      if (p.spec.policyTypes.includes('Egress')) (yes ? out.egress : out.egressMaybe).push(p);
    }
    this.selectingCache[c] = out;
    return out;
  }

  /** The rule's ports towards a destination: named ports resolve on the destination pod only (rule 22). */
  rulePorts(rule: CRule, dst: Peer): { yes: Bits; maybe: Bits; reason: string | undefined } {
    const p = rule.ports;
    const templated = isEmpty(p.maybe) ? undefined : `${ruleWords(rule)}: a port is templated`;
    if (p.named.length === 0 || dst.kind === 'ip') return { yes: p.yes, maybe: p.maybe, reason: templated };
    const key = `${rule.contentId}:${dst.index}`;
    let yes = this.namedCache.get(key);
    if (yes === undefined) {
      yes = p.yes.slice();
      const cls = this.model.classes[dst.index];
      for (const np of p.named) {
        for (const cp of cls?.ports ?? []) {
          if (cp.name === np.name && cp.protocol === np.protocol) setBit(yes, this.space.atomOf(np.protocol, cp.containerPort));
        }
      }
      this.namedCache.set(key, yes);
    }
    let maybe = p.maybe;
    let reason = templated;
    const cls = this.model.classes[dst.index];
    if (cls?.portsUnknown === true) {
      for (const np of p.named) maybe = or(maybe, this.space.protocol(np.protocol));
      reason = `the container ports of ${cls.node} are templated or unreadable, so named port ${p.named.map((x) => x.name).join(', ')} may resolve on it`;
    }
    return { yes, maybe: andNot(maybe, yes), reason };
  }

  /** Does the rule's peer list match `peer`? */
  private peerMatch(rule: CRule, peer: Peer): PeerMatch {
    if (rule.unknown) return { tri: 'maybe', peer: undefined, reason: `${ruleWords(rule)} is templated` };
    if (rule.allPeers) return { tri: 'yes', peer: undefined, reason: undefined };
    let best: PeerMatch = NO_MATCH;
    for (const p of rule.peers) {
      if (peer.kind === 'class') {
        if (hasBit(p.pods.yes, peer.index)) return { tri: 'yes', peer: p.index, reason: undefined };
        if (best.tri === 'no' && hasBit(p.pods.maybe, peer.index)) {
          const reason = p.ipOverlapsPods
            ? `ipBlock ${p.ipText ?? ''} overlaps kubeReach.podCIDRs: whether it matches a pod is undefined (semantics rule 15)`
            : `${ruleWords(rule, p.index)}: a selector depends on a templated or per-pod value`;
          best = { tri: 'maybe', peer: p.index, reason };
        }
      } else {
        const m = addressMatch(p, peer.range, best, () => `${ruleWords(rule, p.index)} is templated`);
        if (m.tri === 'yes') return m;
        best = m;
      }
    }
    return best;
  }

  /**
   * One side of a connection: `target` is the pod whose policies decide (the destination for
   * ingress, the source for egress); `other` is the far end; `dst` is where ports resolve.
   */
  side(direction: 'ingress' | 'egress', target: number, other: Peer, dst: Peer, explain = false): SideExplanation {
    const np = this.netpolSide(direction, target, other, dst, explain);
    if (this.cluster.policies.length === 0 || !this.cluster.affects(target, direction)) return np;
    return this.tiers.side(np, direction, target, other, dst);
  }

  /**
   * One side as NetworkPolicies alone decide it (docs/dev/netpol-semantics.md rules 1–4). Policies
   * that only maybe select the pod are weighed by their possible outcomes: beside a policy that
   * surely selects it they may only add allows (undefined there); alone, the pod is allowed an atom
   * when every one of them surely allows it (so does any non-empty set of them, and so does none),
   * and every other atom is undefined; policies that select the same pods whatever the templated
   * values are (`CPolicy.selection`) select it together, so their allows count as one policy's.
   */
  netpolSide(
    direction: 'ingress' | 'egress',
    target: number,
    other: Peer,
    dst: Peer,
    explain: boolean,
    sel: Selecting = this.selectingOf(target),
  ): SideExplanation {
    const sp = this.space;
    const isolating = direction === 'ingress' ? sel.ingress : sel.egress;
    const maybeIsolating = direction === 'ingress' ? sel.ingressMaybe : sel.egressMaybe;
    if (isolating.length === 0 && maybeIsolating.length === 0) {
      return { direction, isolating: [], isolated: false, yes: sp.all(), maybe: sp.empty(), matches: [], reasons: [] };
    }
    const onlyMaybe = isolating.length === 0;
    let yes = sp.empty();
    let maybe = sp.empty();
    // Only maybe-selecting policies: what every one of them surely allows were it to select the pod;
    // policies with the same `selection` select it together or not at all, so they count as one.
    let every = sp.all();
    const together = new Map<string, Bits>();
    const matches: Match[] = [];
    const reasons: string[] = [];
    for (const pol of [...isolating, ...maybeIsolating]) {
      const surely = isolating.includes(pol);
      let own = sp.empty();
      for (const rule of (direction === 'ingress' ? pol.ingress : pol.egress) ?? []) {
        const m = this.peerMatch(rule, other);
        if (m.tri === 'no') continue;
        const ports = this.rulePorts(rule, dst);
        if (m.tri === 'yes' && (surely || onlyMaybe)) {
          if (surely) yes = or(yes, ports.yes);
          else own = or(own, ports.yes);
          maybe = or(maybe, ports.maybe);
        } else {
          maybe = or(maybe, or(ports.yes, ports.maybe));
        }
        if (m.reason !== undefined) reasons.push(m.reason);
        if (ports.reason !== undefined && !isEmpty(ports.maybe)) reasons.push(ports.reason);
        if (explain) matches.push({ rule, peer: m.peer, undefinedReason: m.tri === 'maybe' ? m.reason : undefined });
      }
      if (onlyMaybe) {
        together.set(pol.selection, or(together.get(pol.selection) ?? sp.empty(), own));
        maybe = or(maybe, own);
      }
    }
    for (const own of together.values()) every = and(every, own);
    if (onlyMaybe) {
      const ifSelected = or(maybe, every);
      yes = every;
      maybe = andNot(sp.all(), every);
      if (!isEmpty(maybe)) reasons.push(maybeSelectingWords(maybeIsolating));
      return { direction, isolating: maybeIsolating, isolated: true, yes, maybe, matches, reasons, ifSelected };
    }
    return { direction, isolating: [...isolating, ...maybeIsolating], isolated: true, yes, maybe: andNot(maybe, yes), matches, reasons };
  }

  /** The verdict for one connection from `src` to `dst` over every port atom. */
  pair(src: Peer, dst: Peer): PortVerdict {
    const sp = this.space;
    for (const p of [src, dst]) {
      const why = p.kind === 'class' ? this.model.implementationDefined(p.index) : undefined;
      if (why !== undefined) return { yes: sp.empty(), maybe: sp.all(), reasons: [why] };
    }
    const ing = dst.kind === 'class' ? this.side('ingress', dst.index, src, dst) : undefined;
    const eg = src.kind === 'class' ? this.side('egress', src.index, dst, dst) : undefined;
    const inAny = ing === undefined ? sp.all() : or(ing.yes, ing.maybe);
    const egAny = eg === undefined ? sp.all() : or(eg.yes, eg.maybe);
    const yes = and(ing?.yes ?? sp.all(), eg?.yes ?? sp.all());
    const maybe = andNot(and(inAny, egAny), yes);
    const reasons = isEmpty(maybe) ? [] : [...new Set([...(ing?.reasons ?? []), ...(eg?.reasons ?? [])])];
    return { yes, maybe, reasons };
  }

  /** A cluster rule's ports towards a destination (`clusterRulePorts`). */
  clusterRulePorts(rule: CCRule, dst: Peer): { yes: Bits; maybe: Bits; reason: string | undefined } {
    return clusterRulePorts(this.model, this.space, rule, dst.kind === 'class' ? dst.index : undefined);
  }
}
