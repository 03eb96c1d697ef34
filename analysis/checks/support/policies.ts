/**
 * NetworkPolicy facts shared by the policy checks: which policies select a workload, which pods a
 * rule's peers reach, and the namespaces a namespaceSelector may match.
 */

import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import { SYSTEM_NAMESPACES } from '../../workspace/wellKnown.js';
import { ANY_NAMESPACE_KEY } from '../../workspace/keys.js';
import type { PodLabels } from '../../model/labels.js';
import { matchSelector, plainLabels } from '../../model/labels.js';
import type { KObject, NetworkPolicySpec, PolicyPeer, PolicyRule, Selector } from '../../model/types.js';
import { selectorIsEmpty } from '../../model/values.js';
import { selectorKey } from '../../reachability/selectors.js';
import { selectInNamespace } from './selection.js';
import type { CheckContext } from './check.js';
import { labelsOf, unitsComplete } from './evidence.js';

export type Direction = 'Ingress' | 'Egress';

/**
 * Where a check judges objects together: a namespace, or a *floating unit*, the objects of one
 * unit without `metadata.namespace` that nothing binds (a folder of manifests applied with
 * `kubectl apply -n`, a Kustomize build without `namespace:`). A floating unit lands in one
 * namespace, whichever it is applied to, with nothing else known to be there: its objects are
 * judged together and alone, as the selection checks judge them (`evidence.ts`,
 * `candidateProducers`). The reachability engine places them in `kubeReach.defaultNamespace`
 * (`ns`); `ctx.reach([ns], unit)` is the engine over that unit's objects only.
 */
export interface Scope {
  /** The namespace: bound, or the one the engine places a floating unit in. */
  readonly ns: string;
  /** The floating unit's path; undefined for a namespace. */
  readonly unit: string | undefined;
}

/** A namespace as a scope (a plain string is one too). */
export type Where = Scope | string;

function scope(where: Where): Scope {
  return typeof where === 'string' ? { ns: where, unit: undefined } : where;
}

/** The scope of an object at `pl`: its namespace, or its floating unit; undefined for install-time namespaces. */
export function scopeOf(pl: Placement | undefined): Scope | undefined {
  if (pl === undefined || pl.namespace === undefined) return undefined;
  return { ns: pl.namespace, unit: pl.floating ? pl.unit : undefined };
}

/** The namespace to name in messages (`describe(o, …)`): none for a floating unit. */
export function scopeLabel(where: Where): string | undefined {
  const s = scope(where);
  return s.unit === undefined ? s.ns : undefined;
}

/** `"shop"` or `its namespace` (a floating unit's, decided when it is applied). */
export function scopeText(where: Where): string {
  const s = scope(where);
  return s.unit === undefined ? `"${s.ns}"` : 'its namespace';
}

function floatingOf(list: readonly Placed[], unit: string): Placed[] {
  return list.filter((p) => p.placements.some((x) => x.floating && x.unit === unit));
}

/** Pod producers of a scope: bound to the namespace, or floating in the unit. */
export function producersInScope(ctx: CheckContext, where: Where): readonly Placed[] {
  const s = scope(where);
  const unit = s.unit;
  if (unit === undefined) return ctx.index.producersIn(s.ns);
  return ctx.index.cached(`floating-producers:${unit}`, () => floatingOf(ctx.index.producersOfUnit(unit), unit));
}

/** Services of a scope. */
export function servicesInScope(ctx: CheckContext, where: Where): readonly Placed[] {
  const s = scope(where);
  const unit = s.unit;
  if (unit === undefined) return ctx.index.servicesIn(s.ns);
  return ctx.index.cached(`floating-services:${unit}`, () => floatingOf(ctx.index.servicesOfUnit(unit), unit));
}

/** Every object of a scope: bound to the namespace, or floating in the unit. */
export function objectsInScope(ctx: Pick<CheckContext, 'index'>, where: Where): readonly Placed[] {
  const s = scope(where);
  const unit = s.unit;
  if (unit === undefined) return ctx.index.objectsIn(s.ns);
  return ctx.index.cached(`floating-objects:${unit}`, () => floatingOf(ctx.index.objectsOfUnit(unit), unit));
}

/** Whether the workspace owns the scope (defines a pod producer, Service or Namespace there), `except` left out. */
export function ownsScope(ctx: CheckContext, where: Where, except?: KObject): boolean {
  const s = scope(where);
  if (s.unit === undefined) return ctx.index.owns(s.ns, except);
  return producersInScope(ctx, s).some((p) => p.obj !== except) || servicesInScope(ctx, s).some((p) => p.obj !== except);
}

/** NetworkPolicies of a scope: bound to the namespace, or floating in the unit. */
export function policiesIn(ctx: CheckContext, where: Where): readonly Placed[] {
  const s = scope(where);
  const unit = s.unit;
  if (unit === undefined) return ctx.index.networkPoliciesIn(s.ns);
  return ctx.index.cached(`floating-policies:${unit}`, () =>
    floatingOf(ctx.index.objectsOfUnit(unit), unit).filter((p) => p.obj.networkPolicy !== undefined),
  );
}

/**
 * A name for a NetworkPolicy a quick-fix adds to `ns`: `base`, or `base-2`, `base-3`… when a policy
 * of that name exists (applying the fix must add a policy, not replace one).
 */
export function freePolicyName(ctx: CheckContext, ns: Where, base: string): string {
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
export function isolating(ctx: CheckContext, ns: Where, producer: Placed, direction: Direction): Placed[] {
  return policiesIn(ctx, ns).filter(
    (p) => p.obj.networkPolicy?.policyTypes.includes(direction) === true && policySelects(p.obj, producer) === 'yes',
  );
}

/** Producers of the scope `ns` that the policy selects. */
export function selectedProducers(ctx: CheckContext, policy: KObject, ns: Where): { producers: Placed[]; maybe: boolean } {
  const sel = policy.networkPolicy?.podSelector;
  const s = scope(ns);
  if (sel !== undefined && s.unit === undefined) {
    // Looked up by label: a workload edit re-checks only the policies whose selector names its labels.
    const outcome = selectInNamespace(ctx, s.ns, sel);
    return { producers: [...outcome.matched], maybe: outcome.maybe };
  }
  const producers: Placed[] = [];
  let maybe = false;
  for (const p of producersInScope(ctx, ns)) {
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

/** What a rule's peers reach, evaluated from the policy's scope `ns` (its namespace or floating unit). */
export function peerTargets(ctx: CheckContext, rule: PolicyRule, ns: Where): PeerTargets {
  const s = scope(ns);
  const tag = `peerTargets:${s.ns}\u0000${s.unit ?? ''}`;
  const peers = peersKey(rule);
  // Rules with the same peers reach the same producers from the same scope: once per index, scope
  // and peers, not once per rule (a team's policies repeat their peers: at 10,000 NetworkPolicy-heavy
  // manifests 7,191 rule lookups name 1,379 peer lists), and the result is one object the checks
  // can cache what they derive from it on (`netpolPortIsServicePort.ts`).
  if (peers === undefined) return ctx.index.cachedFor(rule, tag, () => computePeerTargets(ctx, rule, s));
  return ctx.index.cached(`${tag}\u0000${peers}`, () => computePeerTargets(ctx, rule, s));
}

/** A rule's peers as `computePeerTargets` reads them, by selector content; undefined when a selector is unknown (kept per rule). */
const peersKeys = new WeakMap<PolicyRule, string | null>();

function peersKey(rule: PolicyRule): string | undefined {
  let k = peersKeys.get(rule);
  if (k === undefined) {
    k = computePeersKey(rule) ?? null;
    peersKeys.set(rule, k);
  }
  return k ?? undefined;
}

function computePeersKey(rule: PolicyRule): string | undefined {
  if (rule.unknown) return '!';
  if (rule.peers === undefined) return '*';
  const out: string[] = [];
  for (const peer of rule.peers) {
    if (peer.unknown) out.push(peer.ipBlock === undefined ? '?' : '?ip');
    else if (peer.ipBlock !== undefined) out.push('ip');
    else if (peer.podSelector?.unknown === true || peer.namespaceSelector?.unknown === true) return undefined;
    else
      out.push(
        `${peer.namespaceSelector === undefined ? '-' : selectorKey(peer.namespaceSelector)}|${peer.podSelector === undefined ? '-' : selectorKey(peer.podSelector)}`,
      );
  }
  return out.join('\u0001');
}

function computePeerTargets(ctx: CheckContext, rule: PolicyRule, ns: Scope): PeerTargets {
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
    // A floating unit's own namespace is decided when it is applied: a namespaceSelector may or
    // may not select it, and other namespaces' pods are not known to be there.
    if (ns.unit !== undefined && peer.namespaceSelector !== undefined) {
      open = true;
      continue;
    }
    for (const n of peerNamespaces(ctx, peer, ns)) {
      if (n.unowned) {
        open = true;
        continue;
      }
      const local = n.name === ns.ns && peer.namespaceSelector === undefined;
      if (peer.podSelector !== undefined && !(local && ns.unit !== undefined)) {
        // Looked up by label (`selection.ts`): the same producers, reading only the selector's pairs.
        const outcome = selectInNamespace(ctx, n.name, peer.podSelector);
        for (const p of outcome.matched) producers.add(p);
        if (outcome.maybe) open = true;
        continue;
      }
      for (const p of local ? producersInScope(ctx, ns) : ctx.index.producersIn(n.name)) {
        const r = peer.podSelector === undefined ? 'yes' : matchSelector(peer.podSelector, labelsOf(p));
        if (r === 'yes') producers.add(p);
        else if (r === 'unknown') open = true;
      }
    }
    if (peer.namespaceSelector !== undefined && (peer.namespaceSelector.unknown || !namespacesFullyKnown(ctx, peer.namespaceSelector)))
      open = true;
  }
  return { producers: [...producers], open, ipBlockOnly: peers.length > 0 && peers.every((p) => p.ipBlock !== undefined) };
}

/** Whether every namespace a selector could match is one the workspace knows (never for {}). */
function namespacesFullyKnown(_ctx: CheckContext, sel: Selector): boolean {
  const name = sel.matchLabels?.entries.find((e) => e.key === 'kubernetes.io/metadata.name');
  return !selectorIsEmpty(sel) && name !== undefined;
}

/** The namespaces a peer selects among known ones, with ownership. */
export function peerNamespaces(
  ctx: CheckContext,
  peer: PolicyPeer,
  ns: Where,
): ReadonlyArray<{ readonly name: string; readonly unowned: boolean }> {
  const s = scope(ns);
  if (peer.namespaceSelector === undefined) return [{ name: s.ns, unowned: !ownsScope(ctx, s) }];
  const sel = peer.namespaceSelector;
  if (sel.unknown) return [];
  // The same selector selects the same namespaces in every policy: once per index.
  return ctx.index.cached(`peerns:${selectorKey(sel)}`, () =>
    acrossNamespaces(ctx, () => {
      const out: Array<{ name: string; unowned: boolean }> = [];
      for (const n of knownNamespaces(ctx)) {
        if (matchSelector(sel, namespaceLabels(ctx, n)) === 'yes')
          out.push({ name: n, unowned: !ctx.index.owns(n) || ctx.settings.externalNamespaces.some((e) => e.name === n) });
      }
      return out;
    }),
  );
}

/**
 * Runs `compute`, which reads the set of namespaces and any namespace's declaration, labels and
 * ownership, recording two keys instead of two per namespace: `nsset` and `nsany` (keys.ts
 * `countKeys`: touched with any `nsdecl:` or `owners:` key). Every policy with a namespaceSelector
 * peer reads it, so at 116 namespaces this was about 1.7 million key copies per cold pass. Under
 * a view the lookups also read the namespaces' pods and Services and the view's key: tracked as read.
 */
function acrossNamespaces<T>(ctx: CheckContext, compute: () => T): T {
  if (ctx.index.currentView() !== undefined) return compute();
  const value = ctx.index.untracked(compute);
  ctx.index.replay(ACROSS_NAMESPACES_KEYS);
  return value;
}

const ACROSS_NAMESPACES_KEYS = ['nsset', ANY_NAMESPACE_KEY];

/**
 * The NetworkPolicies a rule check can judge: placed in one concrete namespace, or floating in a
 * unit (judged with that unit's floating objects), with every unit they belong to complete in the
 * workspace (the firewall, docs/dev/design.md §3.1).
 */
export function* judgeablePolicies(ctx: CheckContext): Generator<{ placed: Placed; np: NetworkPolicySpec; ns: Scope }> {
  for (const placed of ctx.objects) {
    const np = placed.obj.networkPolicy;
    const ns = scopeOf(placed.placements[0]);
    if (np === undefined || ns === undefined) continue;
    if (!unitsComplete(ctx, placed)) continue;
    yield { placed, np, ns };
  }
}
