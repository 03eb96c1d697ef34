/**
 * A unit's routes by listener and key, carried from one index to the next (`WorkspaceIndex.carried`)
 * and patched for the routes an edit may have changed: those whose entries read a key the edit
 * touched, those in a changed file, and those attached to a Gateway in a changed file (an edit
 * elsewhere in that file may move it without touching a key). An edit of one route of a thousand
 * then resolves that route's attachments, not every route's. The tables of `gateway-route-conflict`
 * (`conflictTable.ts`: matches by hostname and match) and `gateway-route-hostname-conflict` (the
 * routes of one kind on each listener) are built this way; a patched table equals a fresh build
 * (test/analysis/gatewayIncremental.test.ts).
 */

import type { Placed } from '../../workspace/workspaceIndex.js';
import { ForkMap } from '../../workspace/forkMap.js';
import { byPlace } from '../../workspace/lists.js';
import { NO_ALTERNATIVES } from '../../units/alternatives.js';
import type { GatewayListener } from '../../model/gateway.js';
import type { CheckContext } from '../support/check.js';
import { identity, listenersOf } from './routeTable.js';

/** What a table holds of a unit's routes. */
export interface Layout<E> {
  /** The table's name (one table per unit and name). */
  readonly name: string;
  /** Whether the table holds this route (its kind). */
  holds(p: Placed): boolean;
  /** A route's entries by listener; undefined when something is templated. What it reads decides when it is read again. */
  entries(ctx: CheckContext, p: Placed): ReadonlyMap<GatewayListener, readonly E[]> | undefined;
  /** An entry's key on its listener. */
  key(e: E): string;
}

/** One route's entry on a listener, under the route's identity (`Kind/namespace/name`). */
export interface Item<E> {
  readonly identity: string;
  readonly placed: Placed;
  readonly entry: E;
}

/** Listener → key → the items with that key, by identity then place (variants of one identity: the first wins, as readers take the first). */
export type Table<E> = ReadonlyMap<GatewayListener, ReadonlyMap<string, ReadonlyArray<Item<E>>>>;

/** What the table holds of one route, to take it out again. */
interface RouteRecord<E> {
  readonly entries: ReadonlyMap<GatewayListener, readonly E[]> | undefined;
  readonly deps: ReadonlySet<string>;
  /** The route's file and the files of the Gateways it attaches to. */
  readonly uris: ReadonlySet<string>;
}

/** The carried table of one unit, at the index `generation`. */
interface State<E> {
  generation: number;
  table: Map<GatewayListener, ForkMap<string, ReadonlyArray<Item<E>>>>;
  readonly records: Map<Placed, RouteRecord<E>>;
  readonly byDep: Map<string, Set<Placed>>;
  readonly byUri: Map<string, Set<Placed>>;
  /** How many routes read each key: the table's keys are those with a count. */
  readonly depCount: Map<string, number>;
}

function compareItems<E>(a: Item<E>, b: Item<E>): number {
  if (a.identity !== b.identity) return a.identity < b.identity ? -1 : 1;
  return byPlace(a.placed, b.placed);
}

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let set = m.get(k);
  if (set === undefined) m.set(k, (set = new Set()));
  set.add(v);
}

function removeFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const set = m.get(k);
  if (set === undefined) return;
  set.delete(v);
  if (set.size === 0) m.delete(k);
}

function add<E>(ctx: CheckContext, layout: Layout<E>, s: State<E>, p: Placed): void {
  const deps = new Set<string>();
  const entries = ctx.index.recording(deps, () => layout.entries(ctx, p));
  const uris = new Set<string>([p.obj.uri]);
  for (const on of ctx.index.recording(new Set(), () => listenersOf(ctx, p)) ?? []) uris.add(on.gateway.obj.uri);
  s.records.set(p, { entries, deps, uris });
  for (const k of deps) {
    addTo(s.byDep, k, p);
    s.depCount.set(k, (s.depCount.get(k) ?? 0) + 1);
  }
  for (const u of uris) addTo(s.byUri, u, p);
  if (entries === undefined) return;
  const id = identity(p);
  for (const [l, list] of entries) {
    let byKey = s.table.get(l);
    if (byKey === undefined) s.table.set(l, (byKey = new ForkMap()));
    for (const entry of list) {
      const item: Item<E> = { identity: id, placed: p, entry };
      const key = layout.key(entry);
      const at = byKey.get(key) ?? [];
      // After every item that sorts with it (a route's own entries stay in their order).
      let i = at.length;
      while (i > 0 && compareItems(at[i - 1] as Item<E>, item) > 0) i--;
      byKey.set(key, [...at.slice(0, i), item, ...at.slice(i)]);
    }
  }
}

function remove<E>(layout: Layout<E>, s: State<E>, p: Placed): void {
  const r = s.records.get(p);
  if (r === undefined) return;
  s.records.delete(p);
  for (const k of r.deps) {
    removeFrom(s.byDep, k, p);
    const n = (s.depCount.get(k) ?? 1) - 1;
    if (n > 0) s.depCount.set(k, n);
    else s.depCount.delete(k);
  }
  for (const u of r.uris) removeFrom(s.byUri, u, p);
  for (const [l, list] of r.entries ?? []) {
    const byKey = s.table.get(l);
    if (byKey === undefined) continue;
    for (const entry of list) {
      const key = layout.key(entry);
      const at = byKey.get(key);
      if (at === undefined) continue;
      const kept = at.filter((x) => x.placed !== p);
      if (kept.length > 0) byKey.set(key, kept);
      else byKey.delete(key);
    }
    if (byKey.size === 0) s.table.delete(l);
  }
}

function inUnit<E>(layout: Layout<E>, p: Placed, unit: string): boolean {
  return layout.holds(p) && p.obj.route !== undefined && p.placements.some((pl) => pl.unit === unit);
}

/**
 * The table `layout` of `unit` (`routes`: its routes, `WorkspaceIndex.routesOfUnit`), once per index and view; its keys are
 * the routes' entries' (which routes a reader depends on it says itself: `routesToCompare`).
 */
export function carriedTable<E>(ctx: CheckContext, layout: Layout<E>, unit: string, routes: readonly Placed[]): Table<E> {
  const index = ctx.index;
  const key = `${layout.name}:${unit}`;
  return index.cached(key, () => {
    // Under alternatives a view filters the routes: built afresh, not carried.
    const carry = index.alternatives === NO_ALTERNATIVES;
    const prev = carry ? (index.carried.get(key) as State<E> | undefined) : undefined;
    const touched = prev === undefined ? undefined : index.lineage.touchedSince(prev.generation);
    const changed = prev === undefined ? undefined : index.changedSince(prev.generation);
    let s: State<E>;
    if (prev === undefined || touched === undefined || changed === undefined) {
      s = { generation: index.generation, table: new Map(), records: new Map(), byDep: new Map(), byUri: new Map(), depCount: new Map() };
      for (const p of routes) if (layout.holds(p)) add(ctx, layout, s, p);
    } else {
      s = prev;
      // The previous index's table stays as it was (its snapshot may still be read).
      s.table = new Map([...prev.table].map(([l, m]) => [l, m.fork()]));
      const again = new Set<Placed>();
      for (const k of touched) for (const p of s.byDep.get(k) ?? []) again.add(p);
      for (const u of changed) for (const p of s.byUri.get(u) ?? []) again.add(p);
      for (const p of again) remove(layout, s, p);
      for (const p of again) if (index.isCurrent(p) && inUnit(layout, p, unit)) add(ctx, layout, s, p);
      for (const u of changed)
        for (const p of index.untracked(() => index.objectsOfFile(u)))
          if (inUnit(layout, p, unit) && !s.records.has(p)) add(ctx, layout, s, p);
      s.generation = index.generation;
    }
    if (carry) index.carried.set(key, s);
    index.replay(s.depCount.keys());
    return s.table;
  });
}
