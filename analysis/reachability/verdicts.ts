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
import { contains } from './ip.js';
import type { CPolicy, CRule, NetworkPolicyTier } from './policyTier.js';
import { ruleWords } from './policyTier.js';
import type { PortSpace } from './ports.js';

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

  constructor(
    private readonly model: ClassModel,
    private readonly tier: NetworkPolicyTier,
    private readonly space: PortSpace,
    private readonly previous: PreviousVerdicts | undefined,
  ) {}

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
  private peerMatch(rule: CRule, peer: Peer): { tri: 'yes' | 'maybe' | 'no'; peer: number | undefined; reason: string | undefined } {
    if (rule.unknown) return { tri: 'maybe', peer: undefined, reason: `${ruleWords(rule)} is templated` };
    if (rule.allPeers) return { tri: 'yes', peer: undefined, reason: undefined };
    let best: { tri: 'yes' | 'maybe' | 'no'; peer: number | undefined; reason: string | undefined } = {
      tri: 'no',
      peer: undefined,
      reason: undefined,
    };
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
        if (p.unknown) {
          if (best.tri === 'no') best = { tri: 'maybe', peer: p.index, reason: `${ruleWords(rule, p.index)} is templated` };
          continue;
        }
        if (p.ip !== undefined && contains(p.ip, peer.range.family, peer.range.lo) && contains(p.ip, peer.range.family, peer.range.hi))
          return { tri: 'yes', peer: p.index, reason: undefined };
      }
    }
    return best;
  }

  /**
   * One side of a connection: `target` is the pod whose policies decide (the destination for
   * ingress, the source for egress); `other` is the far end; `dst` is where ports resolve.
   */
  side(direction: 'ingress' | 'egress', target: number, other: Peer, dst: Peer, explain = false): SideExplanation {
    const sp = this.space;
    const sel = this.selectingOf(target);
    const isolating = direction === 'ingress' ? sel.ingress : sel.egress;
    const maybeIsolating = direction === 'ingress' ? sel.ingressMaybe : sel.egressMaybe;
    if (isolating.length === 0 && maybeIsolating.length === 0) {
      return { direction, isolating: [], isolated: false, yes: sp.all(), maybe: sp.empty(), matches: [], reasons: [] };
    }
    let yes = sp.empty();
    let maybe = sp.empty();
    const matches: Match[] = [];
    const reasons: string[] = [];
    for (const pol of [...isolating, ...maybeIsolating]) {
      const surely = isolating.includes(pol);
      for (const rule of (direction === 'ingress' ? pol.ingress : pol.egress) ?? []) {
        const m = this.peerMatch(rule, other);
        if (m.tri === 'no') continue;
        const ports = this.rulePorts(rule, dst);
        if (m.tri === 'yes' && surely) {
          yes = or(yes, ports.yes);
          maybe = or(maybe, ports.maybe);
        } else {
          maybe = or(maybe, or(ports.yes, ports.maybe));
        }
        if (m.reason !== undefined) reasons.push(m.reason);
        if (ports.reason !== undefined && !isEmpty(ports.maybe)) reasons.push(ports.reason);
        if (explain) matches.push({ rule, peer: m.peer, undefinedReason: m.tri === 'maybe' ? m.reason : undefined });
      }
    }
    if (isolating.length === 0) {
      // Only policies whose selector is unknown might isolate: everything else is undefined.
      maybe = andNot(sp.all(), yes);
      reasons.push(`whether ${maybeIsolating.map((p) => p.key).join(', ')} selects the pod depends on a templated value`);
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
}
