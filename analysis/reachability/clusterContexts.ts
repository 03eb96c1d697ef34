/**
 * The cluster context of a pod's side in the all-pairs form (`tieredSides.ts`, docs/dev/cluster-policies.md): the
 * cluster policies that may select it with rules that way, surely or maybe, in order, as a number. Equal numbers are
 * equal contexts in every engine whose matrix shares the `ContextIds` (`TierSetCache` carries them along), for
 * policies are named by their compilation (`CCPolicy.serial`, kept by later engines whose cluster tiers keep them).
 * Every class's is computed at once, policy by policy over the classes each selects, instead of class by class
 * over every policy.
 */

import { hasBit } from './bitset.js';
import type { CPolicy, ReachEngine, Selecting } from './engine.js';
import { oneValueOn, podVaries, worldsSignature } from './sharedValues.js';
import type { SideEntry } from './sideEntries.js';
import type { TierSetCache } from './tieredSides.js';

/** Interned sequences of (policy serial, sure or maybe): a trie whose nodes are the numbers. */
export class ContextIds {
  /** Node → edge (`serial * 2 + maybe`) → child. Nodes 0 and 1 are the roots (the Baseline tier merged or not). */
  private readonly children: Array<Map<number, number> | undefined> = [];
  private next = 2;

  child(parent: number, edge: number): number {
    let m = this.children[parent];
    if (m === undefined) this.children[parent] = m = new Map();
    let c = m.get(edge);
    if (c === undefined) m.set(edge, (c = this.next++));
    return c;
  }
}

/**
 * Per class, the number of its cluster context on one side: the policies with rules that way that select it surely or
 * maybe, in the tier's order, after a root that says whether the Baseline tier's policies form one group.
 */
export function clusterContexts(engine: ReachEngine, direction: 'ingress' | 'egress', ids: ContextIds): Int32Array {
  const n = engine.classes.length;
  const cl = engine.cluster;
  const out = new Int32Array(n).fill(cl.baselineMerged ? 1 : 0);
  for (const p of cl.policies) {
    if ((direction === 'ingress' ? p.ingress : p.egress).length === 0) continue;
    const yes = p.selected.yes;
    const maybe = p.selected.maybe;
    const words = Math.min(Math.max(yes.length, maybe.length), (n + 31) >>> 5);
    for (let w = 0; w < words; w++) {
      const y = yes[w] ?? 0;
      let rest = y | (maybe[w] ?? 0);
      while (rest !== 0) {
        const low = rest & -rest;
        rest ^= low;
        const c = (w << 5) + 31 - Math.clz32(low);
        if (c >= n) break;
        out[c] = ids.child(out[c] ?? 0, p.serial * 2 + ((y & low) !== 0 ? 0 : 1));
      }
    }
  }
  return out;
}

/** Class `c`'s context number alone (`clusterContexts` for one class). */
function contextOf(engine: ReachEngine, c: number, direction: 'ingress' | 'egress', ids: ContextIds): number {
  const cl = engine.cluster;
  let id = cl.baselineMerged ? 1 : 0;
  for (const p of cl.policies) {
    if ((direction === 'ingress' ? p.ingress : p.egress).length === 0) continue;
    if (hasBit(p.selected.yes, c)) id = ids.child(id, p.serial * 2);
    else if (hasBit(p.selected.maybe, c)) id = ids.child(id, p.serial * 2 + 1);
  }
  return id;
}

/** How the named ports cluster rules use resolve on class `c` (ingress: the pod is the destination). */
export function namedOn(engine: ReachEngine, c: number): string {
  const cls = engine.classes[c];
  if (cls === undefined) return '';
  let out = cls.portsUnknown ? '?' : '';
  for (const cp of cls.ports)
    if (cp.name !== undefined && engine.cluster.namedUsed.has(cp.name)) out += `${cp.name}/${cp.protocol}/${cp.containerPort},`;
  return out;
}

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
  cache: TierSetCache,
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
 * The cluster policies that may select class `c` with rules that way (`cluster`: their context's number,
 * `clusterContexts.ts`), and the key of its cluster tiers' results (`tiers`: with the direction and, for ingress, how
 * the named ports cluster rules use resolve on it).
 */
export function classContext(
  engine: ReachEngine,
  c: number,
  direction: 'ingress' | 'egress',
  cache: TierSetCache,
): { cluster: string; tiers: string } {
  const perClass = cache.contexts[direction];
  const kept = perClass[c];
  if (kept !== undefined) return kept;
  // Every class's context number at once, the first time one is asked for in a cold matrix's tier; after an edit,
  // which recomputes the sides of the classes it touched, class by class.
  const ids = cache.everyClass ? (cache.contextIds[direction] ??= clusterContexts(engine, direction, cache.ids)) : undefined;
  const cluster = String(ids?.[c] ?? contextOf(engine, c, direction, cache.ids));
  const out = { cluster, tiers: direction === 'ingress' ? `i${cluster}|${namedOn(engine, c)}` : `e${cluster}` };
  perClass[c] = out;
  return out;
}
