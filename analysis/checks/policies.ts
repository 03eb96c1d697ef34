/**
 * NetworkPolicy facts shared by the policy checks: which policies select a workload, which pods a
 * rule's peers reach, and the namespaces a namespaceSelector may match.
 */

import type { Placed } from '../index/workspaceIndex.js';
import { SYSTEM_NAMESPACES } from '../index/workspaceIndex.js';
import type { PodLabels } from '../model/labels.js';
import { matchSelector, plainLabels } from '../model/labels.js';
import type { KObject, NetworkPolicySpec, PolicyPeer, PolicyRule, Selector } from '../model/types.js';
import { selectorIsEmpty } from '../model/values.js';
import { selectorKey } from '../reachability/selectors.js';
import type { CheckContext } from './check.js';
import { labelsOf, unitsComplete } from './evidence.js';

export type Direction = 'Ingress' | 'Egress';

/** NetworkPolicies bound to `ns`. */
export function policiesIn(ctx: CheckContext, ns: string): readonly Placed[] {
  return ctx.index.cached(`policies:${ns}`, () => ctx.index.objectsIn(ns).filter((p) => p.obj.networkPolicy !== undefined));
}

/**
 * A name for a NetworkPolicy a quick-fix adds to `ns`: `base`, or `base-2`, `base-3`… when a policy
 * of that name exists (applying the fix must add a policy, not replace one).
 */
export function freePolicyName(ctx: CheckContext, ns: string, base: string): string {
  const taken = new Set(policiesIn(ctx, ns).map((p) => (p.obj.name?.known === true ? p.obj.name.value : '')));
  if (!taken.has(base)) return base;
  let i = 2;
  while (taken.has(`${base}-${i}`)) i++;
  return `${base}-${i}`;
}

const EMPTY: Selector = { span: { start: 0, end: 0 }, matchLabels: undefined, matchExpressions: [], unknown: false };

export function policySelects(policy: KObject, producer: Placed): 'yes' | 'no' | 'unknown' {
  const np = policy.networkPolicy;
  if (np === undefined) return 'no';
  return matchSelector(np.podSelector ?? EMPTY, labelsOf(producer));
}

/** The policies of `ns` that isolate `producer` in `direction`. */
export function isolating(ctx: CheckContext, ns: string, producer: Placed, direction: Direction): Placed[] {
  return policiesIn(ctx, ns).filter((p) => p.obj.networkPolicy?.policyTypes.includes(direction) === true && policySelects(p.obj, producer) === 'yes');
}

/** Long-running producers bound to `ns` that the policy selects. */
export function selectedProducers(ctx: CheckContext, policy: KObject, ns: string): { producers: Placed[]; maybe: boolean } {
  const producers: Placed[] = [];
  let maybe = false;
  for (const p of ctx.index.producersIn(ns)) {
    const r = policySelects(policy, p);
    if (r === 'yes') producers.push(p);
    else if (r === 'unknown') maybe = true;
  }
  return { producers, maybe };
}

/** Labels of a namespace as far as the workspace knows them; `open` when others may exist. */
export function namespaceLabels(ctx: CheckContext, ns: string): PodLabels {
  // Once per index and namespace (settings are fixed for an index's lifetime): policy checks ask
  // for every known namespace's labels, per rule.
  return ctx.index.cached(`nslabels:${ns}`, () => computeNamespaceLabels(ctx, ns));
}

function computeNamespaceLabels(ctx: CheckContext, ns: string): PodLabels {
  const labels = new Map<string, string>([['kubernetes.io/metadata.name', ns]]);
  const external = ctx.settings.externalNamespaces.find((e) => e.name === ns);
  if (external !== undefined) {
    for (const [k, v] of Object.entries(external.labels)) labels.set(k, v);
    return plainLabels(labels, false);
  }
  const declared = ctx.index.declaredNamespace(ns);
  if (declared !== undefined) {
    let open = false;
    for (const o of declared) {
      if (o.labels?.unknown === true) open = true;
      for (const e of o.labels?.entries ?? []) {
        if (e.value.known) labels.set(e.key, e.value.value);
        else open = true;
      }
    }
    return plainLabels(labels, open);
  }
  // System namespaces carry only the name label unless settings say otherwise; others are unknown.
  return plainLabels(labels, !SYSTEM_NAMESPACES.includes(ns));
}

/** Namespaces the workspace knows of: declared, bound, system and external ones. */
export function knownNamespaces(ctx: CheckContext): string[] {
  return [...new Set([...ctx.index.namespaceNames(), ...SYSTEM_NAMESPACES, ...ctx.settings.externalNamespaces.map((e) => e.name)])].sort();
}

export interface PeerTargets {
  /** Producers the peers reach (owned namespaces only). */
  readonly producers: readonly Placed[];
  /** Some peer reaches pods the workspace cannot see (unowned namespaces, all namespaces, ipBlocks). */
  readonly open: boolean;
  /** Every peer is an ipBlock. */
  readonly ipBlockOnly: boolean;
}

/** What a rule's peers reach, evaluated from the policy's namespace `ns`. */
export function peerTargets(ctx: CheckContext, rule: PolicyRule, ns: string): PeerTargets {
  return ctx.index.cachedFor(rule, `peerTargets:${ns}`, () => computePeerTargets(ctx, rule, ns));
}

function computePeerTargets(ctx: CheckContext, rule: PolicyRule, ns: string): PeerTargets {
  const peers = rule.peers;
  if (peers === undefined || rule.unknown) return { producers: [], open: true, ipBlockOnly: false };
  const producers = new Set<Placed>();
  let open = false;
  for (const peer of peers) {
    if (peer.unknown) {
      open = true;
      continue;
    }
    if (peer.ipBlock !== undefined) {
      open = true;
      continue;
    }
    for (const n of peerNamespaces(ctx, peer, ns)) {
      if (n.unowned) {
        open = true;
        continue;
      }
      for (const p of ctx.index.producersIn(n.name)) {
        const r = peer.podSelector === undefined ? 'yes' : matchSelector(peer.podSelector, labelsOf(p));
        if (r === 'yes') producers.add(p);
        else if (r === 'unknown') open = true;
      }
    }
    if (peer.namespaceSelector !== undefined && (peer.namespaceSelector.unknown || !namespacesFullyKnown(ctx, peer.namespaceSelector))) open = true;
  }
  return { producers: [...producers], open, ipBlockOnly: peers.length > 0 && peers.every((p) => p.ipBlock !== undefined) };
}

/** Whether every namespace a selector could match is one the workspace knows (never for {}). */
function namespacesFullyKnown(_ctx: CheckContext, sel: Selector): boolean {
  const name = sel.matchLabels?.entries.find((e) => e.key === 'kubernetes.io/metadata.name');
  return !selectorIsEmpty(sel) && name !== undefined;
}

/** The namespaces a peer selects among known ones, with ownership. */
export function peerNamespaces(ctx: CheckContext, peer: PolicyPeer, ns: string): ReadonlyArray<{ readonly name: string; readonly unowned: boolean }> {
  if (peer.namespaceSelector === undefined) return [{ name: ns, unowned: !ctx.index.owns(ns) }];
  const sel = peer.namespaceSelector;
  if (sel.unknown) return [];
  // The same selector selects the same namespaces in every policy: once per index.
  return ctx.index.cached(`peerns:${selectorKey(sel)}`, () => {
    const out: Array<{ name: string; unowned: boolean }> = [];
    for (const n of knownNamespaces(ctx)) {
      if (matchSelector(sel, namespaceLabels(ctx, n)) === 'yes') out.push({ name: n, unowned: !ctx.index.owns(n) || ctx.settings.externalNamespaces.some((e) => e.name === n) });
    }
    return out;
  });
}

/**
 * The NetworkPolicies a rule check can judge: placed in one concrete namespace (not floating), with
 * every unit they belong to complete in the workspace (the firewall, design §3.1).
 */
export function* judgeablePolicies(ctx: CheckContext): Generator<{ placed: Placed; np: NetworkPolicySpec; ns: string }> {
  for (const placed of ctx.objects) {
    const np = placed.obj.networkPolicy;
    const pl = placed.placements[0];
    if (np === undefined || pl === undefined || pl.namespace === undefined || pl.floating) continue;
    if (!unitsComplete(ctx, placed)) continue;
    yield { placed, np, ns: pl.namespace };
  }
}
