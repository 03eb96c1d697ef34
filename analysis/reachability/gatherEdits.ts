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
import { ForkMap } from '../workspace/forkMap.js';

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
  // A Namespace's or GatewayClass's new object: its labels or controller feed the model; gather afresh. So does a
  // StaticService's (its prefixes cut the external ranges).
  // A SidecarSet's too (its ports are the ports of the pods it injects into).
  for (const e of swaps.values())
    if (e.role === 'namespace' || e.role === 'gatewayclass' || e.role === 'static-service' || e.role === 'sidecarset') return undefined;
  // Where each swapped object is in the gathered lists: the last gathering's positions (built once,
  // then carried with the swaps), so an edit costs its swaps, not a pass over every list.
  const at = positionsOf(g);
  const swapList = <T extends { readonly placed: Placed }>(name: ListName, list: readonly T[], make: (e: PartEntry) => T): readonly T[] => {
    let out: T[] | undefined;
    const pos = at.get(name);
    const put = (i: number, e: PartEntry): void => {
      out ??= list.slice();
      out[i] = make(e);
    };
    if (pos === undefined)
      list.forEach((x, i) => {
        const e = swaps.get(x.placed.obj);
        if (e !== undefined) put(i, e);
      });
    else
      for (const [obj, e] of swaps) {
        const i = pos.get(obj);
        if (i !== undefined) put(i, e);
      }
    return out ?? list;
  };
  const producers = swapList('producers', g.producers, (e) => ({ placed: e.placed, ns: e.ns }));
  const swappedProducers = new Map<KObject, Placed>();
  const producerAt = at.get('producers');
  if (producers !== g.producers && producerAt !== undefined)
    for (const obj of swaps.keys()) {
      const i = producerAt.get(obj);
      const now = i === undefined ? undefined : producers[i];
      if (now !== undefined) swappedProducers.set(obj, now.placed);
    }
  else if (producers !== g.producers)
    g.producers.forEach((x, i) => {
      const now = producers[i];
      if (now !== undefined && now !== x) swappedProducers.set(x.placed.obj, now.placed);
    });
  const gateways = swapList('gateways', g.gateways, (e) => ({ placed: e.placed, namespace: e.ns }));
  // Port cut points: the swapped entries' lists replace theirs (the order of the lists is immaterial).
  const cutSwaps = new Map<readonly PortCut[], readonly PortCut[]>();
  const added: Array<readonly PortCut[]> = [];
  for (const [obj, e] of swaps) {
    const old = previous.partByUri.get(obj.uri)?.entries.find((x) => x.placed.obj === obj);
    if (old === undefined || sameCutList(old.cuts, e.cuts)) continue;
    // A variant the last gathering left out adds nothing.
    const taken = (name: ListName): boolean => at.get(name)?.has(obj) ?? g[name].some((x) => x.placed.obj === obj);
    if (!LISTS.some(taken) && !g.clusterPolicies.some((p) => p.obj === obj)) continue;
    if (old.cuts.length > 0) cutSwaps.set(old.cuts, e.cuts);
    else added.push(e.cuts);
  }
  const cuts =
    cutSwaps.size === 0 && added.length === 0 ? g.cuts : [...g.cuts.map((c) => cutSwaps.get(c) ?? c).filter((c) => c.length > 0), ...added];
  const gatewaySwaps = new Map<unknown, KObject>();
  for (const [i, x] of g.gateways.entries()) if (gateways[i] !== x) gatewaySwaps.set(x.placed.obj, gateways[i]?.placed.obj ?? x.placed.obj);
  const gathered: Gathered = {
    ...g,
    producers,
    policies: swapList('policies', g.policies, (e) => ({ placed: e.placed, ns: e.ns })),
    clusterPolicies: g.clusterPolicies.map((p) => swaps.get(p.obj)?.placed ?? p),
    services: swapList('services', g.services, (e) => ({ placed: e.placed, namespace: e.ns })),
    ingresses: swapList('ingresses', g.ingresses, (e) => ({ placed: e.placed, namespace: e.ns })),
    gateways,
    routes: swapList('routes', g.routes, (e) => ({ placed: e.placed, namespace: e.ns })),
    grants: swapList('grants', g.grants, (e) => ({ placed: e.placed, namespace: e.ns })),
    cuts,
    fingerprint: swapFingerprint(g, swappedProducers, gatewaySwaps),
  };
  carryPositions(g, gathered, swaps);
  return { ...base, gathered, swappedProducers };
}

const LISTS = ['producers', 'policies', 'services', 'ingresses', 'gateways', 'routes', 'grants'] as const;
type ListName = (typeof LISTS)[number];
type Positions = ReadonlyMap<ListName, ForkMap<KObject, number>>;

/** Per gathering: each list's objects by position (an object twice in one list has none: that list is not patched by position). */
const positions = new WeakMap<Gathered, Positions>();

/**
 * Each list's objects by position: carried from gathering to gathering after an edit, built once
 * for a scoped gathering made afresh (`gather` asks for them then, so the first edit after the
 * checks' cold pass does not pay for a pass over every list).
 */
export function positionsOf(g: Gathered): Positions {
  let out = positions.get(g);
  if (out === undefined) {
    const lists = new Map<ListName, ForkMap<KObject, number>>();
    for (const name of LISTS) {
      const byObj = new ForkMap<KObject, number>();
      const list: ReadonlyArray<{ readonly placed: Placed }> = g[name];
      list.forEach((x, i) => byObj.set(x.placed.obj, i));
      if (byObj.size === list.length) lists.set(name, byObj);
    }
    positions.set(g, (out = lists));
  }
  return out;
}

/** The new gathering's positions: the last one's with each swapped object's successor where it was. */
function carryPositions(from: Gathered, to: Gathered, swaps: ReadonlyMap<KObject, PartEntry>): void {
  const before = positionsOf(from);
  const lists = new Map<ListName, ForkMap<KObject, number>>();
  for (const [name, byObj] of before) {
    let next: ForkMap<KObject, number> | undefined;
    for (const [obj, e] of swaps) {
      const i = byObj.get(obj);
      if (i === undefined) continue;
      next ??= byObj.fork();
      next.delete(obj);
      next.set(e.placed.obj, i);
    }
    lists.set(name, next ?? byObj);
  }
  positions.set(to, lists);
}

/**
 * The fingerprint with the swapped producers' and Gateways' new objects: producers are its last
 * entries (two each, `gather.ts`), so each is found by position; a swapped Gateway maps the whole print.
 */
function swapFingerprint(
  g: Gathered,
  producers: ReadonlyMap<KObject, Placed>,
  gateways: ReadonlyMap<unknown, KObject>,
): readonly unknown[] {
  if (producers.size === 0 && gateways.size === 0) return g.fingerprint;
  const out = g.fingerprint.slice();
  const first = out.length - 2 * g.producers.length;
  const pos = positionsOf(g).get('producers');
  for (const [obj, now] of gateways.size > 0 || pos === undefined ? [] : producers) {
    const i = pos?.get(obj);
    if (i === undefined || out[first + 2 * i] !== obj) return mapAll();
    out[first + 2 * i] = now.obj;
  }
  return gateways.size > 0 || pos === undefined ? mapAll() : out;

  function mapAll(): readonly unknown[] {
    const all = new Map<unknown, KObject>(gateways);
    for (const [obj, now] of producers) all.set(obj, now.obj);
    return g.fingerprint.map((x) => (typeof x === 'object' ? (all.get(x) ?? x) : x));
  }
}
