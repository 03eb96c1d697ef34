/**
 * The cluster tiers on one side of one connection (docs/dev/cluster-policies.md): the Admin tier's
 * policies in precedence order, then NetworkPolicy or the Baseline tier, then the default, over
 * every port atom toward one peer, with the steps `explain` shows. Evaluated over possible outcomes
 * (C13), with the unknowns that decide several maybe-matches at once weighed together (`worlds`).
 * `Verdicts.side` calls it where cluster policies affect the side; the all-pairs form of the same
 * rules is `tieredSides.ts`.
 */

import type { Bits } from './bitset.js';
import { and, andNot, hasBit, isEmpty, or } from './bitset.js';
import type { ClassModel } from './classModel.js';
import type { CCPolicy, CCRule, ClusterTier, PolicyGroups } from './clusterTier.js';
import { clusterPolicyWords, clusterRulePorts, membersSelecting, clusterRuleWords, oneValueWords, togetherWords } from './clusterTier.js';
import type { PortSpace } from './ports.js';
import type { Condition } from './sharedValues.js';
import { conditionKey, oneValueOn, podVaries, selectingIn, sharedConditions, worldKey, worlds } from './sharedValues.js';
import type { PeerMatch } from './peerMatch.js';
import { NO_MATCH, addressMatch } from './peerMatch.js';
import type { Peer, Selecting, SideExplanation, Verdicts } from './verdicts.js';

/** One cluster rule's decision on one side: the atoms it decided surely, and those it may decide. */
export interface TierStep {
  readonly rule: CCRule;
  /** The peer that matched (undefined: a fail-closed rule, or every peer). */
  readonly peer: number | undefined;
  readonly atoms: Bits;
  readonly unsure: Bits;
  readonly reason: string | undefined;
}

/**
 * What one tier (Admin or Baseline) may do with the atoms it was given (docs/dev/cluster-policies.md
 * C13, possible outcomes): each set holds the atoms for which that outcome is possible. An atom a
 * rule only maybe matches (a templated value, a peer or subject whose labels are not known) keeps
 * both the rule's action and going on; the verdict is sure when every possible outcome agrees.
 */
export interface TierResult {
  readonly allow: Bits;
  readonly deny: Bits;
  readonly pass: Bits;
  /** No rule of the tier decides (possibly): on to the next tier, as after a Pass. */
  readonly open: Bits;
  /** Undefined whatever else happens: policies of equal priority that may decide differently (C3). */
  readonly conflict: Bits;
  readonly steps: readonly TierStep[];
  /** Atoms on which policies of equal priority may decide differently, with those policies. */
  readonly conflicts: ReadonlyArray<{ readonly atoms: Bits; readonly policies: readonly CCPolicy[] }>;
}

export interface TieredTrace {
  /** The side as NetworkPolicies alone decide it. */
  readonly networkPolicy: SideExplanation;
  readonly admin: TierResult;
  /** The atoms that may reach the NetworkPolicy tier and that it decides (the pod is isolated by NetworkPolicies). */
  readonly byNetworkPolicy: Bits;
  /** Whether NetworkPolicies isolate the pod on this side surely (else maybe). */
  readonly networkPolicySure: boolean;
  readonly baseline: TierResult | undefined;
  /**
   * The unknowns that decide several of the side's maybe-matches at once, in words: the verdict
   * weighs them together (each true or false for all), the trace shows each match on its own.
   */
  readonly together?: readonly string[] | undefined;
}

/** The cluster tiers of a workspace over one peer at a time (`Verdicts.side`). */
export class TierVerdicts {
  /** While a side is evaluated in one world: the shared unknowns decided (`sharedConditions`). */
  private world: ReadonlyMap<string, boolean> | undefined;

  constructor(
    private readonly model: ClassModel,
    private readonly space: PortSpace,
    private readonly cluster: ClusterTier,
    /** The NetworkPolicy side and selections the tiers read. */
    private readonly verdicts: Verdicts,
  ) {}

  /**
   * One side through the tiers (docs/dev/cluster-policies.md): the Admin tier's rules in
   * precedence order decide an atom (Allow/Accept, Deny) or pass it on (Pass); then NetworkPolicies
   * decide every atom left if they isolate the pod; else the Baseline tier; else it is allowed.
   * Evaluated over possible outcomes (C13): an atom is allowed (denied) when every outcome the
   * unknowns leave possible allows (denies) it, else undefined.
   */
  side(np: SideExplanation, direction: 'ingress' | 'egress', target: number, other: Peer, dst: Peer): SideExplanation {
    const sp = this.space;
    const reasons: string[] = [];
    const sel = this.verdicts.selectingOf(target);
    const run = this.tieredOnce(np, sel, direction, target, other, dst, reasons);
    let { mayAllow, mayNot } = run;
    // Maybe-matches that one unknown decides together (a subject, peer or NetworkPolicy selection
    // over the same pods): every assignment of those unknowns, the rest independent (C13).
    const cl = this.cluster;
    const shared = this.verdicts.shared;
    const members =
      shared.size === 0
        ? []
        : [...this.tierMembers(cl.admin, direction, target), ...this.tierMembers(cl.baseline, direction, target)].flat();
    const nps = direction === 'ingress' ? sel.ingressMaybe : sel.egressMaybe;
    const far =
      other.kind === 'class' ? { index: other.index, varies: (u?: Condition) => podVaries(this.model.classes[other.index], u) } : undefined;
    const valueOn = (c: number, u?: Condition): string | undefined => oneValueOn(this.model.classes[c], u);
    const { keys, values, several } = sharedConditions(members, nps, direction, target, far, shared, valueOn);
    let together: string[] | undefined;
    if (keys.length > 0) {
      mayAllow = sp.empty();
      mayNot = sp.empty();
      try {
        for (const w of worlds(keys, values)) {
          this.world = w;
          const selW = selectingIn(sel, direction, target, w);
          const r =
            selW === undefined
              ? this.tieredOnce(np, sel, direction, target, other, dst, [])
              : this.tieredOnce(
                  this.verdicts.netpolSide(direction, target, other, dst, false, selW),
                  selW,
                  direction,
                  target,
                  other,
                  dst,
                  [],
                );
          mayAllow = or(mayAllow, r.mayAllow);
          mayNot = or(mayNot, r.mayNot);
        }
      } finally {
        this.world = undefined;
      }
      together = [
        ...several.map((k) => togetherWords(k, members, nps, direction, target, far?.index)),
        ...oneValueWords(values, members, nps, direction, target, far?.index),
      ];
    }
    const yes = andNot(mayAllow, mayNot);
    const maybe = and(mayAllow, mayNot);
    return {
      direction,
      isolating: np.isolating,
      isolated: true,
      yes,
      maybe,
      matches: np.matches,
      reasons: isEmpty(maybe) ? [] : [...new Set(reasons)],
      tiers: {
        networkPolicy: np,
        admin: run.admin,
        byNetworkPolicy: run.byNetworkPolicy,
        networkPolicySure: run.npSure,
        baseline: run.baseline,
        together,
      },
    };
  }

  /** The tiers once, with the unknowns of `world` decided (the others independent): what may be allowed, and not. */
  private tieredOnce(
    np: SideExplanation,
    sel: Selecting,
    direction: 'ingress' | 'egress',
    target: number,
    other: Peer,
    dst: Peer,
    reasons: string[],
  ): { mayAllow: Bits; mayNot: Bits; admin: TierResult; baseline: TierResult | undefined; byNetworkPolicy: Bits; npSure: boolean } {
    const sp = this.space;
    const admin = this.runTier(this.cluster.admin, direction, target, other, dst, sp.all(), reasons);
    // Possibly allowed, possibly not allowed (denied or undefined).
    let mayAllow = or(admin.allow, admin.conflict);
    let mayNot = or(admin.deny, admin.conflict);
    const onward = or(admin.pass, admin.open);
    const npSure = (direction === 'ingress' ? sel.ingress : sel.egress).length > 0;
    let baseline: TierResult | undefined;
    let byNetworkPolicy = sp.empty();
    if (np.isolated && npSure) {
      byNetworkPolicy = onward;
      mayAllow = or(mayAllow, and(onward, or(np.yes, np.maybe)));
      mayNot = or(mayNot, andNot(onward, np.yes));
      if (!isEmpty(and(onward, np.maybe))) for (const r of np.reasons) reasons.push(r);
    } else {
      baseline = this.runTier(this.cluster.baseline, direction, target, other, dst, onward, reasons);
      // Pass in the Baseline tier and atoms no rule decides go to the default: allowed.
      const bAllow = or(or(baseline.allow, baseline.conflict), or(baseline.pass, baseline.open));
      const bNot = or(baseline.deny, baseline.conflict);
      if (np.isolated) {
        // Only policies that maybe select the pod might isolate it: if one does, NetworkPolicy
        // decides (allowed when every one of them allows), else the Baseline tier.
        byNetworkPolicy = onward;
        mayAllow = or(mayAllow, or(bAllow, and(onward, np.ifSelected ?? sp.all())));
        mayNot = or(mayNot, or(bNot, andNot(onward, np.yes)));
        for (const r of np.reasons) reasons.push(r);
      } else {
        mayAllow = or(mayAllow, bAllow);
        mayNot = or(mayNot, bNot);
      }
    }
    return { mayAllow, mayNot, admin, baseline, byNetworkPolicy, npSure };
  }

  /** A tier's policy groups over the atoms `input` (those that may reach it), for one side. */
  private runTier(
    groups: PolicyGroups,
    direction: 'ingress' | 'egress',
    target: number,
    other: Peer,
    dst: Peer,
    input: Bits,
    reasons: string[],
  ): TierResult {
    const sp = this.space;
    let open = input;
    let allow = sp.empty();
    let deny = sp.empty();
    let pass = sp.empty();
    let conflict = sp.empty();
    const steps: TierStep[] = [];
    const conflicts: Array<{ atoms: Bits; policies: CCPolicy[] }> = [];
    for (const members of this.tierMembers(groups, direction, target)) {
      if (isEmpty(open)) break;
      const results = members.map((p) => this.runPolicy(p, direction, target, other, dst, open, reasons));
      for (const r of results) for (const st of r.steps) steps.push(st);
      let groupOpen = open;
      for (const r of results) {
        allow = or(allow, r.allow);
        deny = or(deny, r.deny);
        pass = or(pass, r.pass);
        groupOpen = and(groupOpen, r.open);
      }
      if (results.length > 1) {
        // Policies of equal priority that may decide an atom differently: undefined (C3).
        let c = sp.empty();
        results.forEach((r, i) => {
          for (const q of results.slice(i + 1))
            c = or(c, or(or(and(r.allow, or(q.deny, q.pass)), and(r.deny, or(q.allow, q.pass))), and(r.pass, or(q.allow, q.deny))));
        });
        if (!isEmpty(c)) {
          conflicts.push({ atoms: c, policies: members });
          reasons.push(
            `${members.map(clusterPolicyWords).join(' and ')} have the same priority and decide differently: the API lets the implementation apply either, so the verdict is undefined`,
          );
          conflict = or(conflict, c);
        }
      }
      open = groupOpen;
    }
    return { allow, deny, pass, open, conflict, steps, conflicts };
  }

  /** Per tier, target and direction: the non-empty groups of policies that may select the target with rules that way. */
  private readonly membersCache = new Map<string, CCPolicy[][]>();

  private tierMembers(groups: PolicyGroups, direction: 'ingress' | 'egress', target: number): CCPolicy[][] {
    const k = `${groups === this.cluster.admin ? 'a' : 'b'}${direction === 'ingress' ? 'i' : 'e'}${target}`;
    const hit = this.membersCache.get(k);
    if (hit !== undefined) return hit;
    const out = membersSelecting(groups, direction, target);
    this.membersCache.set(k, out);
    return out;
  }

  /**
   * One policy's rules in order over the atoms `input`: the first rule that matches an atom decides
   * it. A rule that only maybe matches (or a policy that only maybe selects the pod) makes its
   * action possible and leaves the atom open for the rules after it (C13).
   */
  private runPolicy(
    p: CCPolicy,
    direction: 'ingress' | 'egress',
    target: number,
    other: Peer,
    dst: Peer,
    input: Bits,
    reasons: string[],
  ): { allow: Bits; deny: Bits; pass: Bits; open: Bits; steps: TierStep[] } {
    const sp = this.space;
    const k = this.world === undefined || hasBit(p.selected.yes, target) ? undefined : conditionKey(p.condition, target);
    const chosen = k === undefined ? undefined : this.world?.get(worldKey(target, k));
    if (chosen === false) return { allow: sp.empty(), deny: sp.empty(), pass: sp.empty(), open: input, steps: [] };
    const surelySelected = (hasBit(p.selected.yes, target) || chosen === true) && !p.unknownPriority;
    let open = input;
    let allow = sp.empty();
    let deny = sp.empty();
    let pass = sp.empty();
    const steps: TierStep[] = [];
    for (const rule of direction === 'ingress' ? p.ingress : p.egress) {
      if (isEmpty(open)) break;
      const action = rule.denyAll ? 'deny' : rule.action;
      if (action === undefined && !rule.unknown) continue;
      const m = rule.denyAll ? { tri: 'yes' as const, peer: undefined, reason: undefined } : this.clusterPeerMatch(rule, other);
      if (m.tri === 'no') continue;
      const ports = rule.denyAll ? { yes: sp.all(), maybe: sp.empty(), reason: undefined } : this.clusterRulePorts(rule, dst);
      const cand = and(or(ports.yes, ports.maybe), open);
      if (isEmpty(cand)) continue;
      const sure = m.tri === 'yes' && surelySelected && !rule.unknown && action !== undefined ? and(ports.yes, open) : sp.empty();
      const notSure = andNot(cand, sure);
      // A templated action may be any of the three.
      if (action === 'allow' || action === undefined) allow = or(allow, cand);
      if (action === 'deny' || action === undefined) deny = or(deny, cand);
      if (action === 'pass' || action === undefined) pass = or(pass, cand);
      let reason: string | undefined;
      if (!isEmpty(notSure)) {
        reason =
          m.reason ??
          ports.reason ??
          (rule.unknown
            ? `${clusterRuleWords(rule)} is templated`
            : p.unknownPriority
              ? `the priority of ${p.key} is templated`
              : `whether ${p.key} selects the pod depends on a templated value`);
        reasons.push(reason);
      }
      steps.push({ rule, peer: m.peer, atoms: sure, unsure: notSure, reason });
      open = andNot(open, sure);
    }
    return { allow, deny, pass, open, steps };
  }

  /** Does a cluster rule's peer list match `peer`? */
  private clusterPeerMatch(rule: CCRule, peer: Peer): PeerMatch {
    let best: PeerMatch = NO_MATCH;
    for (const p of rule.peers) {
      if (peer.kind === 'class') {
        if (hasBit(p.pods.yes, peer.index)) return { tri: 'yes', peer: p.index, reason: undefined };
        const k = this.world === undefined || !hasBit(p.pods.maybe, peer.index) ? undefined : conditionKey(p.condition, peer.index);
        const chosen =
          k === undefined ? undefined : this.world?.get(worldKey(peer.index, k, podVaries(this.model.classes[peer.index], p.condition)));
        if (chosen === true) return { tri: 'yes', peer: p.index, reason: undefined };
        if (best.tri === 'no' && chosen === undefined && hasBit(p.pods.maybe, peer.index))
          best = {
            tri: 'maybe',
            peer: p.index,
            reason: p.podReason ?? `${clusterRuleWords(rule, p.index)}: a selector depends on a templated value`,
          };
      } else {
        const m = addressMatch(p, peer.range, best, () => `${clusterRuleWords(rule, p.index)} is templated`);
        if (m.tri === 'yes') return m;
        best =
          m === best && !p.unknown && p.nodes && best.tri === 'no'
            ? {
                tri: 'maybe',
                peer: p.index,
                reason: `${clusterRuleWords(rule, p.index)} selects nodes, whose addresses are not in the manifests`,
              }
            : m;
      }
    }
    return best;
  }

  /** A cluster rule's ports towards a destination (`clusterRulePorts`). */
  private clusterRulePorts(rule: CCRule, dst: Peer): { yes: Bits; maybe: Bits; reason: string | undefined } {
    return clusterRulePorts(this.model, this.space, rule, dst.kind === 'class' ? dst.index : undefined);
  }
}
