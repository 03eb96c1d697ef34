/**
 * The cluster tiers (docs/dev/cluster-policies.md): AdminNetworkPolicy and ClusterNetworkPolicy
 * tier Admin before NetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy tier
 * Baseline after it. Each policy is compiled against the class model and port space: the classes
 * its subject selects, and per rule (in the order written) its action, the classes and addresses
 * its peers match and the port atoms its ports cover. Policies are ordered by priority; policies
 * of one tier with the same priority form one group, whose rules the API leaves unordered.
 */

import type { Placed } from '../workspace/workspaceIndex.js';
import type { ClusterAction, ClusterPolicySpec, ClusterRule, ClusterSelection } from '../model/clusterPolicy.js';
import type { KObject, Selector } from '../model/types.js';
import type { Bits } from './bitset.js';
import { andNot, bits, hasBit, or, setBit } from './bitset.js';
import type { ClassModel } from './classModel.js';
import { triAnd } from './classModel.js';
import { nameOf } from './gather.js';
import type { IpSet } from './ip.js';
import { contains, intersects, parseCidr, union } from './ip.js';
import type { PortSpace, Protocol } from './ports.js';
import { isProtocol } from './ports.js';
import type { TriBits } from './selectors.js';
import { selectorKey } from './selectors.js';
import type { Condition, OneValue } from './sharedValues.js';
import { conditionKey, oneValueKey, podConditionKey, selectorLabelKeys, sharedSelectionKey } from './sharedValues.js';

/** A compiled peer: the classes it matches, and the addresses (networks) it matches. */
export interface CCPeer {
  readonly index: number;
  readonly peer: ClusterSelection;
  readonly pods: TriBits;
  /** `networks`, as one set (undefined: not a networks peer, or no valid CIDR). */
  readonly ip: IpSet | undefined;
  /** A `nodes` peer: node addresses are not in the manifests. */
  readonly nodes: boolean;
  /** The peer is templated, or its shape is one the API rejects (matched as the API says: fail closed). */
  readonly unknown: boolean;
  /** Why it matches a pod only maybe (networks overlapping pod CIDRs). */
  readonly podReason: string | undefined;
  /**
   * What a maybe-match of this peer is about (`Condition`): peers, subjects and NetworkPolicy
   * selections with the same key on a pod match it together or not at all, whatever the templated
   * values and the labels the manifests leave open are (`selectionKey`); undefined: its own.
   */
  readonly condition: Condition | undefined;
}

export interface CCPorts {
  readonly yes: Bits;
  readonly maybe: Bits;
  /** Named ports: resolved on the destination pod, with the container port's own protocol. */
  readonly named: readonly string[];
}

export interface CCRule {
  readonly policy: CCPolicy;
  readonly direction: 'ingress' | 'egress';
  readonly index: number;
  readonly rule: ClusterRule;
  readonly action: ClusterAction | undefined;
  readonly peers: readonly CCPeer[];
  readonly ports: CCPorts;
  /** Templated: whether it matches is undecided. */
  readonly unknown: boolean;
  /**
   * A Deny or Pass rule with a peer the API rejects (no field or several): implementations must
   * fail closed, which for these actions means "deny all" (the peer types' API comments).
   */
  readonly denyAll: boolean;
}

export interface CCPolicy {
  readonly obj: KObject;
  /**
   * This compilation's identity in the process: a policy compiled again (its object, the class
   * model or the port atoms changed) gets a new one; a later engine's tier that keeps it keeps it.
   */
  readonly serial: number;
  /** `AdminNetworkPolicy/name`. */
  readonly key: string;
  readonly name: string;
  readonly spec: ClusterPolicySpec;
  readonly tier: 'Admin' | 'Baseline';
  /** The priority; undefined for a BANP (and a templated priority, with `unknownPriority`). */
  readonly priority: number | undefined;
  readonly unknownPriority: boolean;
  readonly selected: TriBits;
  /** As `CCPeer.condition`, for the subject: policies with the same one on a pod select it together or not at all. */
  readonly condition: Condition | undefined;
  readonly ingress: readonly CCRule[];
  readonly egress: readonly CCRule[];
}

/** Policies one after another in precedence order; a group's policies have the same priority. */
export type PolicyGroups = ReadonlyArray<readonly CCPolicy[]>;

/** A tier's non-empty groups of the policies that may select class `c` (yes or maybe) with rules in `direction`. */
export function membersSelecting(groups: PolicyGroups, direction: 'ingress' | 'egress', c: number): CCPolicy[][] {
  const out: CCPolicy[][] = [];
  for (const group of groups) {
    const members = group.filter(
      (p) => (direction === 'ingress' ? p.ingress : p.egress).length > 0 && (hasBit(p.selected.yes, c) || hasBit(p.selected.maybe, c)),
    );
    if (members.length > 0) out.push(members);
  }
  return out;
}

function tierName(t: 'Admin' | 'Baseline', kind: string): string {
  return kind === 'ClusterNetworkPolicy' ? `${t} tier` : t === 'Admin' ? 'admin tier' : 'baseline tier';
}

/** A policy in the user's words: `AdminNetworkPolicy deny-slytherin (priority 50)`. */
export function clusterPolicyWords(p: CCPolicy): string {
  const prio = p.priority === undefined ? '' : ` (${tierName(p.tier, p.spec.kind)}, priority ${p.priority})`;
  return `${p.spec.kind} ${p.name}${p.spec.kind === 'BaselineAdminNetworkPolicy' ? ' (baseline tier)' : prio}`;
}

/** A rule in the user's words: `ingress rule 2 "deny-from-slytherin" of AdminNetworkPolicy x (priority 50)`. */
export function clusterRuleWords(r: CCRule, peer?: number): string {
  const name = r.rule.name === undefined ? '' : ` "${r.rule.name}"`;
  const entry = peer !== undefined && r.peers.length > 1 ? ` (${r.direction === 'ingress' ? 'from' : 'to'} entry ${peer + 1})` : '';
  return `${r.direction} rule ${r.index + 1}${name} of ${clusterPolicyWords(r.policy)}${entry}`;
}

/** A cluster rule's ports towards a destination class (undefined: an address): named ports resolve on the destination pod, in its own protocol. */
export function clusterRulePorts(
  model: ClassModel,
  space: PortSpace,
  rule: CCRule,
  dst: number | undefined,
): { yes: Bits; maybe: Bits; reason: string | undefined } {
  const p = rule.ports;
  const templated = p.maybe.every((w) => w === 0) ? undefined : `${clusterRuleWords(rule)}: a port is templated`;
  if (p.named.length === 0 || dst === undefined) return { yes: p.yes, maybe: p.maybe, reason: templated };
  const cls = model.classes[dst];
  const yes = p.yes.slice();
  for (const name of p.named)
    for (const cp of cls?.ports ?? [])
      if (cp.name === name && isProtocol(cp.protocol)) setBit(yes, space.atomOf(cp.protocol, cp.containerPort));
  if (cls?.portsUnknown === true)
    return {
      yes,
      maybe: andNot(space.all(), yes),
      reason: `the container ports of ${cls.node} are templated or unreadable, so named port ${p.named.join(', ')} may resolve on it`,
    };
  return { yes, maybe: andNot(p.maybe, yes), reason: templated };
}

/**
 * A shared condition in words (`sharedConditions`): which subjects, NetworkPolicies or peers match
 * the same pods, together or not at all. `key` is a world key (`worldKey`: `c<class>|…`);
 * `target` the pod whose side it is, `other` the far pod.
 */
export function togetherWords(
  key: string,
  members: readonly CCPolicy[],
  networkPolicies: ReadonlyArray<{ readonly key: string; readonly condition: Condition }>,
  direction: 'ingress' | 'egress',
  target: number,
  other: number | undefined,
): string {
  const bar = key.indexOf('|');
  const on = key.slice(0, bar);
  const k = key.slice(bar + 1);
  const subjects: string[] = [];
  if (on === `c${target}`) {
    for (const np of networkPolicies) if (conditionKey(np.condition, target) === k) subjects.push(`NetworkPolicy ${np.key}`);
    for (const p of members) if (conditionKey(p.condition, target) === k) subjects.push(clusterPolicyWords(p));
  }
  const rules: string[] = [];
  if (other !== undefined && on.slice(1) === String(other))
    for (const p of members)
      for (const r of direction === 'ingress' ? p.ingress : p.egress)
        for (const peer of r.peers) if (conditionKey(peer.condition, other) === k) rules.push(clusterRuleWords(r, peer.index));
  const peers = [...new Set(rules)];
  const list = (xs: readonly string[]): string => `${xs.slice(0, -1).join(', ')}${xs.length > 1 ? ' and ' : ''}${xs[xs.length - 1] ?? ''}`;
  if (peers.length === 0) {
    const onlyCluster = subjects.every((x) => !x.startsWith('NetworkPolicy '));
    return onlyCluster
      ? `${list(subjects)} have the same subject: they select the pod together or not at all`
      : `${list(subjects)} select the pod by the same selector: together or not at all`;
  }
  if (subjects.length === 0) return `${list(peers)} name the same peers: they match together or not at all`;
  return `${list(subjects)} ${subjects.length > 1 ? 'select' : 'selects'} the pod exactly when ${list(peers)} ${peers.length > 1 ? 'match' : 'matches'} its peer, a pod of the same template (the same labels decide both)`;
}

/**
 * The conditions one templated value of a label key decides on two pods (`SharedConditions.values`),
 * in words: per condition, who selects the pod and which rules match the peer by it, and what one
 * value means for them (different values: never both; the same value: both or neither).
 */
export function oneValueWords(
  values: ReadonlyMap<string, OneValue> | undefined,
  members: readonly CCPolicy[],
  networkPolicies: ReadonlyArray<{ readonly key: string; readonly condition: Condition }>,
  direction: 'ingress' | 'egress',
  target: number,
  other: number | undefined,
): string[] {
  const byCondition = new Map<string, OneValue[]>();
  for (const v of values?.values() ?? []) byCondition.set(v.condition, [...(byCondition.get(v.condition) ?? []), v]);
  const out: string[] = [];
  const list = (xs: readonly string[]): string => `${xs.slice(0, -1).join(', ')}${xs.length > 1 ? ' and ' : ''}${xs[xs.length - 1] ?? ''}`;
  for (const [k, vs] of byCondition) {
    const on = vs.find((v) => v.c === target);
    const far = vs.find((v) => v.c === other && v !== on);
    if (on === undefined || far === undefined) continue;
    const subjects: string[] = [];
    for (const np of networkPolicies) if (conditionKey(np.condition, target) === k) subjects.push(`NetworkPolicy ${np.key}`);
    for (const p of members) if (conditionKey(p.condition, target) === k) subjects.push(clusterPolicyWords(p));
    const rules: string[] = [];
    for (const p of members)
      for (const r of direction === 'ingress' ? p.ingress : p.egress)
        for (const peer of r.peers) if (conditionKey(peer.condition, far.c) === k) rules.push(clusterRuleWords(r, peer.index));
    const who = `${list(subjects)} ${subjects.length > 1 ? 'select' : 'selects'} the pod (${on.label}=${on.value}) and ${list([...new Set(rules)])} ${rules.length > 1 ? 'match' : 'matches'} its peer (${far.label}=${far.value}) by one templated value of ${on.label}`;
    out.push(on.value === far.value ? `${who}: both or neither` : `${who}: never both`);
  }
  return out;
}

/** What compiling one policy gave besides the policy: kept with it, so a later tier can take it as it is. */
interface Compiled {
  readonly policy: CCPolicy | undefined;
  /** The text of its file when compiled (templated selectors are keyed by their place in it). */
  readonly text: string | undefined;
  readonly notes: string[];
  readonly egressNetworks: IpSet[];
  readonly named: string[];
}

let nextSerial = 0;

function isEmptySelector(s: Selector): boolean {
  return !s.unknown && (s.matchLabels === undefined || s.matchLabels.entries.length === 0) && s.matchExpressions.length === 0;
}

export class ClusterTier {
  readonly policies: CCPolicy[] = [];
  readonly rules: CCRule[] = [];
  /** Admin-tier policies (ANP, CNP tier Admin) in precedence order, grouped by priority. */
  readonly admin: PolicyGroups;
  /** Baseline-tier policies (BANP, CNP tier Baseline), grouped likewise. */
  readonly baseline: PolicyGroups;
  readonly notes: string[] = [];
  /** The IPv4 address sets of the egress `networks` peers (destination ranges are cut at them). */
  readonly egressNetworks: IpSet[] = [];
  /** Whether any named port is used (behaviour groups refine by its resolution). */
  readonly namedUsed = new Set<string>();
  /**
   * The BaselineAdminNetworkPolicy and Baseline-tier ClusterNetworkPolicies form one group (`group`):
   * the only way policies that do not select a pod change how those that do are grouped.
   */
  baselineMerged = false;

  /** Per policy object, in the order given: its compilation (reused by the next engine's tier when its inputs are the same). */
  private readonly compiled = new Map<KObject, Compiled>();
  /** The compilation under way (`compile` and what it calls write their notes here). */
  private sink: Compiled = { policy: undefined, text: undefined, notes: [], egressNetworks: [], named: [] };

  /**
   * `previous`: the last engine's tier. Over the same class model and port atoms (the engine
   * passes it only then; the pod CIDRs are part of what keeps the model), a policy whose object and
   * file text are the same keeps its compilation: the same `CCPolicy`, rules and bitsets, so the
   * caches keyed by them (behaviour groups, the matrix's tier sets) stay valid. `ClusterTier.build`
   * returns `previous` itself when every policy is kept.
   */
  constructor(
    private readonly model: ClassModel,
    private readonly space: PortSpace,
    private readonly podCIDRs: IpSet,
    policies: readonly Placed[],
    private readonly textOf: (uri: string) => string | undefined = () => undefined,
    previous?: ClusterTier,
  ) {
    const reusable = previous !== undefined && previous.model === model && previous.space === space ? previous : undefined;
    for (const placed of policies) {
      const text = this.textOf(placed.obj.uri);
      const kept = reusable?.compiled.get(placed.obj);
      let c: Compiled;
      if (kept !== undefined && kept.text === text) c = kept;
      else {
        this.sink = { policy: undefined, text, notes: [], egressNetworks: [], named: [] };
        c = { ...this.sink, policy: this.compile(placed.obj) };
      }
      if (this.compiled.has(placed.obj)) continue;
      this.compiled.set(placed.obj, c);
      for (const n of c.notes) this.notes.push(n);
      for (const ip of c.egressNetworks) this.egressNetworks.push(ip);
      for (const n of c.named) this.namedUsed.add(n);
      const p = c.policy;
      if (p === undefined) continue;
      this.policies.push(p);
      for (const r of [...p.ingress, ...p.egress]) this.rules.push(r);
    }
    this.admin = this.group('Admin');
    this.baseline = this.group('Baseline');
  }

  /**
   * The tier for `policies`: `previous` itself when the class model and port atoms are its own and
   * every policy is the same object in the same file text (an edit elsewhere), else a new tier that
   * keeps the compilations it can (see the constructor).
   */
  static build(
    model: ClassModel,
    space: PortSpace,
    podCIDRs: IpSet,
    policies: readonly Placed[],
    textOf: (uri: string) => string | undefined,
    previous?: ClusterTier,
  ): ClusterTier {
    if (
      previous !== undefined &&
      previous.model === model &&
      previous.space === space &&
      previous.compiled.size === policies.length &&
      policies.every((p) => previous.compiled.get(p.obj)?.text === textOf(p.obj.uri))
    ) {
      let i = 0;
      let sameOrder = true;
      for (const obj of previous.compiled.keys()) if (policies[i++]?.obj !== obj) sameOrder = false;
      if (sameOrder) return previous;
    }
    return new ClusterTier(model, space, podCIDRs, policies, textOf, previous);
  }

  /**
   * The classes whose cluster policies differ from `previous`'s (a tier over the same model): those
   * a policy of one and not the other may select; undefined when the Baseline tier's grouping
   * changed (then any class's may).
   */
  changedFrom(previous: ClusterTier): Bits | undefined {
    if (previous.baselineMerged !== this.baselineMerged || previous.model !== this.model) return undefined;
    const out = bits(this.model.classes.length);
    const before = new Set(previous.policies);
    const now = new Set(this.policies);
    for (const p of [...previous.policies.filter((q) => !now.has(q)), ...this.policies.filter((q) => !before.has(q))])
      for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) | (p.selected.yes[i] ?? 0) | (p.selected.maybe[i] ?? 0);
    return out;
  }

  /** Per direction: the classes some policy with rules that way selects, yes or maybe (`affects`; computed on first use). */
  private readonly affected: { ingress?: Bits; egress?: Bits } = {};

  /** Whether a class is selected (yes or maybe) by a cluster policy with rules in `direction`. */
  affects(c: number, direction: 'ingress' | 'egress'): boolean {
    let b = this.affected[direction];
    if (b === undefined) {
      b = bits(this.model.classes.length);
      for (const p of this.policies) {
        if ((direction === 'ingress' ? p.ingress : p.egress).length === 0) continue;
        for (let i = 0; i < b.length; i++) b[i] = (b[i] ?? 0) | (p.selected.yes[i] ?? 0) | (p.selected.maybe[i] ?? 0);
      }
      this.affected[direction] = b;
    }
    return hasBit(b, c);
  }

  private group(tier: 'Admin' | 'Baseline'): PolicyGroups {
    const list = this.policies.filter((p) => p.tier === tier);
    // A templated priority could put the policy anywhere: it goes first, and its rules decide only maybe.
    const unknown = list.filter((p) => p.unknownPriority);
    const known = list.filter((p) => !p.unknownPriority);
    const byPriority = new Map<number, CCPolicy[]>();
    const banp: CCPolicy[] = [];
    for (const p of known) {
      if (p.priority === undefined) banp.push(p);
      else {
        const g = byPriority.get(p.priority);
        if (g === undefined) byPriority.set(p.priority, [p]);
        else g.push(p);
      }
    }
    const groups: CCPolicy[][] = [];
    if (unknown.length > 0) groups.push(unknown);
    for (const prio of [...byPriority.keys()].sort((a, b) => a - b)) groups.push(byPriority.get(prio) ?? []);
    if (banp.length > 0) {
      // No API orders a BaselineAdminNetworkPolicy against ClusterNetworkPolicies of the Baseline
      // tier: with both, they are one group, and only what they agree on is decided.
      if (groups.length === 0) groups.push(banp);
      else {
        this.baselineMerged = true;
        return [[...groups.flat(), ...banp]];
      }
    }
    return groups;
  }

  private compile(obj: KObject): CCPolicy | undefined {
    const spec = obj.clusterPolicy;
    const name = nameOf(obj);
    if (spec === undefined || name === undefined) return undefined;
    const key = `${spec.kind}/${name}`;
    if (spec.tier === undefined) {
      this.sink.notes.push(
        `${key}: spec.tier is ${spec.tierText?.known === true ? `"${spec.tierText.value}"` : 'missing'}; the policy is left out`,
      );
      return undefined;
    }
    const prio = spec.priority;
    const unknownPriority = spec.kind !== 'BaselineAdminNetworkPolicy' && (prio === undefined || !prio.known);
    const selected = this.subject(spec);
    const policy: CCPolicy = {
      obj,
      serial: nextSerial++,
      key,
      name,
      spec,
      tier: spec.tier,
      priority: prio?.known === true ? prio.value : undefined,
      unknownPriority,
      selected,
      condition: spec.unknown || spec.subject === undefined ? undefined : this.conditionOf(spec.subject, obj.uri),
      ingress: [],
      egress: [],
    };
    const mutable = policy as { ingress: readonly CCRule[]; egress: readonly CCRule[] };
    mutable.ingress = spec.ingress.map((r, i) => this.compileRule(policy, r, i));
    mutable.egress = spec.egress.map((r, i) => this.compileRule(policy, r, i));
    return policy;
  }

  /** The classes a subject selects; a subject the API rejects (none or several fields) selects maybe. */
  private subject(spec: ClusterPolicySpec): TriBits {
    const s = spec.subject;
    if (s === undefined) return this.model.noClasses();
    const sel = this.selection(s, true);
    if (spec.unknown) return { yes: bits(this.model.classes.length), maybe: or(sel.yes, sel.maybe) };
    return sel;
  }

  /** The classes a `namespaces` or `pods` selection matches. */
  private selection(s: ClusterSelection, subject: boolean): TriBits {
    const m = this.model;
    if (s.unknown) return m.maybeAllClasses();
    const one = s.fields.length === 1;
    if (!one) return subject ? m.maybeAllClasses() : m.noClasses();
    if (s.namespaces !== undefined) return m.nsSelect(s.namespaces);
    if (s.pods !== undefined) {
      const ns = s.pods.namespaceSelector;
      const nsPart = ns === undefined || isEmptySelector(ns) ? { yes: m.allClasses(), maybe: bits(m.classes.length) } : m.nsSelect(ns);
      const pod = s.pods.podSelector;
      if (pod === undefined || isEmptySelector(pod)) return nsPart;
      return triAnd(m.selectors.evaluate(pod), nsPart);
    }
    return m.noClasses();
  }

  /**
   * The key of a `namespaces` or `pods` selection (a subject's or a peer's) that selects the same
   * pods as every selection with that key, whatever the labels the manifests leave open and the
   * templated values are: `namespaces: S` is `pods` with namespaces S and every pod; selectors
   * without a templated value by their content; templated ones when one value decides them
   * (`sharedSelectionKey`). Undefined: no such key (independent of every other selection).
   */
  private selectionKey(s: ClusterSelection, uri: string): string | undefined {
    if (s.unknown || s.fields.length !== 1) return undefined;
    let parts: Array<Selector | undefined>;
    if (s.namespaces !== undefined) parts = [s.namespaces, undefined];
    else if (s.pods !== undefined) parts = [s.pods.namespaceSelector, s.pods.podSelector];
    else return undefined;
    const norm = parts.map((p) => (p === undefined || isEmptySelector(p) ? undefined : p));
    if (norm.every((p) => p === undefined || !p.unknown)) return `f:${norm.map((p) => (p === undefined ? '*' : selectorKey(p))).join('&')}`;
    const shared = sharedSelectionKey(uri, this.textOf(uri), norm);
    return shared === undefined ? undefined : `t:${shared}`;
  }

  /**
   * A `namespaces` or `pods` selection as a `Condition`: its key (`selectionKey`), and for `pods`
   * with a pod selector, that selector's key and the classes whose namespace surely matches the
   * namespace part (there only the pod selector is unknown, as for a NetworkPolicy's selection).
   */
  private conditionOf(s: ClusterSelection, uri: string): Condition | undefined {
    const selection = this.selectionKey(s, uri);
    const pods = s.unknown || s.fields.length !== 1 ? undefined : s.pods;
    const podSel = pods?.podSelector;
    const pod = podSel === undefined || isEmptySelector(podSel) ? undefined : podConditionKey(uri, this.textOf(uri), podSel);
    if (selection === undefined && pod === undefined) return undefined;
    const ns = pods?.namespaceSelector;
    return {
      selection,
      pod,
      ns: pod === undefined || ns === undefined || isEmptySelector(ns) ? undefined : this.model.nsSelect(ns).yes,
      labelKeys: s.unknown ? undefined : s.namespaces !== undefined ? [] : selectorLabelKeys(podSel),
      oneValue: pod === undefined ? undefined : oneValueKey(podSel),
    };
  }

  private compileRule(policy: CCPolicy, rule: ClusterRule, index: number): CCRule {
    const peers: CCPeer[] = rule.peers.map((peer, i) => this.compilePeer(policy, rule, peer, i));
    const ports = this.compilePorts(rule);
    for (const n of ports.named) this.sink.named.push(n);
    const badPeer = rule.peers.some((p) => !p.unknown && p.fields.length !== 1);
    if (rule.action === undefined && rule.actionText?.known === true)
      this.sink.notes.push(
        `${policy.key}: ${rule.path} has action "${rule.actionText.value}", which a ${policy.spec.kind} does not accept; the rule is left out`,
      );
    return {
      policy,
      direction: rule.direction,
      index,
      rule,
      action: rule.action,
      peers,
      ports,
      unknown: rule.unknown,
      denyAll: badPeer && (rule.action === 'deny' || rule.action === 'pass'),
    };
  }

  private compilePeer(policy: CCPolicy, rule: ClusterRule, peer: ClusterSelection, index: number): CCPeer {
    const m = this.model;
    const shapeOk = peer.fields.length === 1;
    const base = { index, peer, ip: undefined, nodes: false, podReason: undefined, condition: undefined };
    if (peer.unknown) return { ...base, pods: m.maybeAllClasses(), unknown: true };
    if (!shapeOk) {
      this.sink.notes.push(
        `${policy.key}: ${rule.path}.${rule.direction === 'ingress' ? 'from' : 'to'}[${index}] sets ${peer.fields.length === 0 ? 'no peer' : peer.fields.join(' and ')}: the API requires exactly one; it matches nothing`,
      );
      return { ...base, pods: m.noClasses(), unknown: false };
    }
    if (peer.networks !== undefined) {
      if (rule.direction === 'ingress') return { ...base, pods: m.noClasses(), unknown: false };
      if (peer.networks.some((n) => !n.known)) return { ...base, pods: m.maybeAllClasses(), unknown: true };
      const ranges = [];
      for (const n of peer.networks) {
        if (!n.known) continue;
        const r = parseCidr(n.value);
        if (r === undefined) this.sink.notes.push(`${policy.key}: ${rule.path} network "${n.value}" is not a CIDR; it matches nothing`);
        else ranges.push(r);
      }
      const ip = union(ranges, []);
      this.sink.egressNetworks.push(ip.filter((x) => x.family === 4));
      // Cluster-internal traffic is checked against networks too: pods whose IPs lie inside.
      const v4 = this.podCIDRs.filter((r) => r.family === 4);
      let pods = m.noClasses();
      let podReason: string | undefined;
      if (v4.length > 0 && v4.every((r) => contains(ip, 4, r.lo) && contains(ip, 4, r.hi)))
        pods = { yes: m.allClasses(), maybe: bits(m.classes.length) };
      else if (intersects(ip, this.podCIDRs)) {
        pods = m.maybeAllClasses();
        podReason = `networks of ${policy.key} overlap kubeReach.podCIDRs: whether they match a pod's address is undefined`;
      }
      return { ...base, ip, pods, podReason, unknown: false };
    }
    if (peer.nodes !== undefined) return { ...base, nodes: true, pods: m.noClasses(), unknown: false };
    if (peer.fields[0] === 'domainNames') return { ...base, pods: m.noClasses(), unknown: false };
    return { ...base, pods: this.selection(peer, false), unknown: false, condition: this.conditionOf(peer, policy.obj.uri) };
  }

  private compilePorts(rule: ClusterRule): CCPorts {
    const sp = this.space;
    if (rule.ports === undefined) return { yes: sp.all(), maybe: sp.empty(), named: [] };
    let yes = sp.empty();
    let maybe = sp.empty();
    const named: string[] = [];
    for (const p of rule.ports) {
      if (p.unknown) {
        maybe = or(maybe, p.protocol !== undefined && isProtocol(p.protocol) ? sp.protocol(p.protocol) : sp.all());
        continue;
      }
      if (p.kind === 'named') {
        if (p.name?.known === true) named.push(p.name.value);
        continue;
      }
      if (p.protocol === undefined || !isProtocol(p.protocol)) continue;
      const proto: Protocol = p.protocol;
      if (p.kind === 'all') yes = or(yes, sp.protocol(proto));
      else if (p.kind === 'number' && p.port?.known === true) yes = or(yes, sp.range(proto, p.port.value, p.port.value));
      else if (p.kind === 'range' && p.port?.known === true && p.end?.known === true && p.port.value <= p.end.value)
        yes = or(yes, sp.range(proto, p.port.value, p.end.value));
    }
    return { yes, maybe: andNot(maybe, yes), named };
  }
}
