/**
 * Gathering after an edit (docs/dev/design.md §5): the last gathering's objects with the edited
 * files' objects swapped in, when every edited file kept its objects' identities, so an edit costs
 * the edited files and a pass over the gathered lists, not grouping and sorting every file again.
 * `afterPolicyEdit` for the workspace engine (only NetworkPolicies changed), `afterScopedEdit` for
 * the checks' engines over a few namespaces (any object kept its identity; issue #21).
 */

import type { KObject } from '../model/types.js';
import type { Placed, WorkspaceIndex } from '../workspace/workspaceIndex.js';
import type { EngineOptions } from './options.js';
import { NO_ALTERNATIVES } from '../units/alternatives.js';
import type { FilePart, Gathered, Gathering, PartEntry, PortCut } from './gather.js';
import { filePart, inScope, optionsPrint, sameCutList } from './gather.js';

/**
 * Whether the new part of a file differs from its old one only inside NetworkPolicies: the same
 * unit, the same entries (role, identity, namespace), every other object the same object, and the
 * policies adding the same port cut points and per-pod label use. Then the gathered objects of
 * the last engine hold with those policies swapped in.
 */
function policiesOnlyChanged(before: FilePart, after: FilePart): boolean {
  if (before.unit !== after.unit || before.entries.length !== after.entries.length) return false;
  return before.entries.every((a, i) => {
    const b = after.entries[i];
    if (b === undefined || a.role !== b.role || a.id !== b.id || a.ns !== b.ns) return false;
    if (a.role !== 'policy') return a.placed.obj === b.placed.obj;
    return a.perPodLabels === b.perPodLabels && sameCutList(a.cuts, b.cuts);
  });
}

/**
 * The last gathering's objects with the edited NetworkPolicies swapped in, when the index says
 * which files changed since then and each of them changed only inside NetworkPolicies (same
 * identities, same port cut points: `policiesOnlyChanged`); undefined otherwise. Costs the
 * changed files and one pass over the policies, not the workspace.
 */
export function afterPolicyEdit(index: WorkspaceIndex, options: EngineOptions, previous: Gathering): Gathering | undefined {
  const was = previous.options;
  if (was.objects !== undefined || was.namespaces !== undefined || was.unit !== options.unit) return undefined;
  const changed = index.changedSince(previous.index.generation);
  // Beyond a few files the workspace pass is as quick, and most such edits are not policy-only.
  if (changed === undefined || changed.size > 16) return undefined;
  const print = optionsPrint(options);
  if (print.some((x, i) => x !== previous.gathered.fingerprint[i])) return undefined;
  const byUri = previous.partByUri.fork();
  const swaps = new Map<KObject, PartEntry>();
  for (const uri of changed) {
    const before = previous.partByUri.get(uri);
    const placed = index.untracked(() => index.objectsOfFile(uri));
    if (before === undefined || placed.length === 0) return undefined;
    const after = before.placed === placed ? before : filePart(uri, placed, options.unit);
    if (!policiesOnlyChanged(before, after)) return undefined;
    byUri.set(uri, after);
    after.entries.forEach((e, i) => {
      const old = before.entries[i];
      if (old !== undefined && old.placed.obj !== e.placed.obj) swaps.set(old.placed.obj, e);
    });
  }
  // Every file keeps its unit and place, so the last (unit, file) order holds.
  const base = { index, options, partByUri: byUri, partOrder: previous.partOrder, fromPolicyEdit: true };
  const g = previous.gathered;
  if (swaps.size === 0) return { ...base, gathered: g };
  // Identities are unchanged, so the same entries win over their variants as before.
  const policies = g.policies.map((p) => {
    const e = swaps.get(p.placed.obj);
    return e === undefined ? p : { placed: e.placed, ns: e.ns };
  });
  return { ...base, gathered: { ...g, policies } };
}

/** The same entries (role, identity, namespace, per-pod label use) in the same order and unit. */
function sameIdentities(before: FilePart, after: FilePart): boolean {
  if (before.unit !== after.unit || before.entries.length !== after.entries.length) return false;
  return before.entries.every((a, i) => {
    const b = after.entries[i];
    return b !== undefined && a.role === b.role && a.id === b.id && a.ns === b.ns && a.perPodLabels === b.perPodLabels;
  });
}

/**
 * An engine over a few namespaces after an edit (the checks' scoped engines, issue #21): the last
 * gathering over the same namespaces with the edited files' objects swapped in, when the index
 * says which files changed since then and each kept its objects' identities (an edited label,
 * port, selector or rule; not an object added, removed or renamed). Costs a pass over the lists,
 * not the grouping and sorting of every file of the namespaces; undefined otherwise. The same
 * objects, in the same order, as gathering afresh: every identity keeps its place, so the same
 * entries win over their variants as before.
 */
export function afterScopedEdit(
  index: WorkspaceIndex,
  options: EngineOptions,
  scope: ReadonlySet<string>,
  previous: Gathering,
): Gathering | undefined {
  const was = previous.options;
  if (was.unit !== options.unit || was.namespaces?.join(',') !== options.namespaces?.join(',')) return undefined;
  const changed = index.changedSince(previous.index.generation);
  if (changed === undefined || changed.size > 16) return undefined;
  if (optionsPrint(options).some((x, i) => x !== previous.gathered.fingerprint[i])) return undefined;
  // The edited files' objects in scope, as the full pass takes them: every object that lands in
  // the namespaces is in `options.objects` unless a view left it out (alternatives); then they are
  // found by identity among those, else `options.objects` (which its caller may compute lazily) is not read.
  const objects = index.alternatives === NO_ALTERNATIVES ? undefined : options.objects;
  const lists = new Map<string, Placed[]>();
  for (const uri of changed) {
    const list = index
      .untracked(() => index.objectsOfFile(uri))
      .filter((p) => inScope(p, scope, options.unit) && (objects === undefined || objects.includes(p)));
    if (list.length > 0) lists.set(uri, list);
  }
  const byUri = previous.partByUri.fork();
  const swaps = new Map<KObject, PartEntry>();
  for (const uri of changed) {
    const before = previous.partByUri.get(uri);
    const list = lists.get(uri);
    if (before === undefined || list === undefined) {
      if (before === undefined && list === undefined) continue;
      return undefined;
    }
    const fresh = filePart(uri, list, options.unit);
    if (!sameIdentities(before, fresh)) return undefined;
    // An object the edit did not change keeps its entry: the gathered port cuts hold that entry's
    // list, which a later edit of the same file must find to swap (a new list would leave the old
    // cuts in and the new ones out).
    const after: FilePart = {
      ...fresh,
      entries: fresh.entries.map((e, i) => {
        const old = before.entries[i];
        return old !== undefined && old.placed.obj === e.placed.obj ? old : e;
      }),
    };
    byUri.set(uri, after);
    after.entries.forEach((e, i) => {
      const old = before.entries[i];
      if (old !== undefined && old.placed.obj !== e.placed.obj) swaps.set(old.placed.obj, e);
    });
  }
  const base = { index, options, partByUri: byUri, partOrder: undefined, fromPolicyEdit: false };
  const g = previous.gathered;
  if (swaps.size === 0) return { ...base, gathered: g };
  // A Namespace's or GatewayClass's new object: its labels or controller feed the model; gather afresh.
  for (const e of swaps.values()) if (e.role === 'namespace' || e.role === 'gatewayclass') return undefined;
  const swapList = <T extends { readonly placed: Placed }>(list: readonly T[], make: (e: PartEntry) => T): readonly T[] => {
    let out: T[] | undefined;
    list.forEach((x, i) => {
      const e = swaps.get(x.placed.obj);
      if (e === undefined) return;
      out ??= list.slice();
      out[i] = make(e);
    });
    return out ?? list;
  };
  const swappedProducers = new Map<KObject, Placed>();
  const producers = swapList(g.producers, (e) => ({ placed: e.placed, ns: e.ns }));
  g.producers.forEach((x, i) => {
    const now = producers[i];
    if (now !== undefined && now !== x) swappedProducers.set(x.placed.obj, now.placed);
  });
  const gateways = swapList(g.gateways, (e) => ({ placed: e.placed, namespace: e.ns }));
  // Port cut points: the swapped entries' lists replace theirs (the order of the lists is immaterial).
  const cutSwaps = new Map<readonly PortCut[], readonly PortCut[]>();
  const added: Array<readonly PortCut[]> = [];
  let taken: Set<KObject> | undefined;
  for (const [obj, e] of swaps) {
    const old = previous.partByUri.get(obj.uri)?.entries.find((x) => x.placed.obj === obj);
    if (old === undefined || sameCutList(old.cuts, e.cuts)) continue;
    if (taken === undefined) {
      taken = new Set<KObject>();
      for (const list of [g.producers, g.policies, g.services, g.ingresses, g.gateways, g.routes])
        for (const x of list) taken.add(x.placed.obj);
      for (const p of g.clusterPolicies) taken.add(p.obj);
    }
    // A variant the last gathering left out adds nothing.
    if (!taken.has(obj)) continue;
    if (old.cuts.length > 0) cutSwaps.set(old.cuts, e.cuts);
    else added.push(e.cuts);
  }
  const cuts =
    cutSwaps.size === 0 && added.length === 0 ? g.cuts : [...g.cuts.map((c) => cutSwaps.get(c) ?? c).filter((c) => c.length > 0), ...added];
  const objectSwaps = new Map<unknown, KObject>();
  for (const [obj, now] of swappedProducers) objectSwaps.set(obj, now.obj);
  for (const [i, x] of g.gateways.entries()) if (gateways[i] !== x) objectSwaps.set(x.placed.obj, gateways[i]?.placed.obj ?? x.placed.obj);
  const fingerprint =
    objectSwaps.size === 0 ? g.fingerprint : g.fingerprint.map((x) => (typeof x === 'object' ? (objectSwaps.get(x) ?? x) : x));
  const gathered: Gathered = {
    ...g,
    producers,
    policies: swapList(g.policies, (e) => ({ placed: e.placed, ns: e.ns })),
    clusterPolicies: g.clusterPolicies.map((p) => swaps.get(p.obj)?.placed ?? p),
    services: swapList(g.services, (e) => ({ placed: e.placed, namespace: e.ns })),
    ingresses: swapList(g.ingresses, (e) => ({ placed: e.placed, namespace: e.ns })),
    gateways,
    routes: swapList(g.routes, (e) => ({ placed: e.placed, namespace: e.ns })),
    cuts,
    fingerprint,
  };
  return { ...base, gathered, swappedProducers };
}
