/**
 * The table `gateway-route-conflict` compares a route's matches with: every HTTPRoute and GRPCRoute
 * match of a unit by listener and key (hostname and match), first in namespace/name order. Built
 * once per index and shared by the unit's files; carried from one index to the next
 * (`WorkspaceIndex.carried`) and patched for the routes an edit may have changed: those whose
 * attachments read a key the edit touched, those in a changed file, and those attached to a Gateway
 * in a changed file (an edit elsewhere in that file may move it without touching a key). An edit of
 * one route of a thousand then resolves that route's attachments, not every route's. The patched
 * table equals a fresh build (test/analysis/gatewayIncremental.test.ts).
 */

import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import { ForkMap } from '../../workspace/forkMap.js';
import { byPlace } from '../../workspace/lists.js';
import { NO_ALTERNATIVES } from '../../units/alternatives.js';
import type { GatewayListener, GrpcMatch, RouteMatch, RouteRule } from '../../model/gateway.js';
import { ruleMatches } from '../../model/gateway.js';
import type { Span } from '../../types.js';
import type { CheckContext } from '../support/check.js';
import type { OnListener } from './routeTable.js';
import { COMPARED, identity, listenersOf } from './routeTable.js';

export interface Entry {
  readonly placed: Placed;
  readonly pl: Placement;
  readonly rule: number;
  /** The match's span, or the rule's when it has no matches. */
  readonly span: Span;
  readonly key: string;
  readonly text: string;
  readonly backends: string;
}

function matchKey(m: RouteMatch): { key: string; text: string } {
  // A PathPrefix ignores a trailing `/` (it matches whole path elements).
  const path = m.pathType === 'PathPrefix' && m.path.length > 1 ? m.path.replace(/\/+$/, '') : m.path;
  const headers = m.headers.map((h) => `${h.type}:${h.name}=${h.value}`).join(',');
  const query = m.queryParams.map((q) => `${q.type}:${q.name}=${q.value}`).join(',');
  const parts = [`${m.pathType} ${path}`];
  if (m.method !== undefined) parts.push(`method ${m.method}`);
  if (headers !== '') parts.push(`headers ${headers}`);
  if (query !== '') parts.push(`query ${query}`);
  return { key: `${m.pathType}\u0000${path}\u0000${m.method ?? ''}\u0000${headers}\u0000${query}`, text: parts.join(', ') };
}

/** A GRPCRoute match, keyed: its method match (type, service, method) and its headers. */
function grpcMatchKey(m: GrpcMatch | undefined): { key: string; text: string } {
  if (m === undefined) return { key: 'grpc\u0000*', text: 'every gRPC request' };
  const headers = m.headers.map((h) => `${h.type}:${h.name}=${h.value}`).join(',');
  const regex = m.type === 'Exact' ? '' : `${m.type} `;
  const parts = [
    m.service === '' && m.method === ''
      ? 'any method'
      : `${regex}${m.service === '' ? 'any service' : `service ${m.service}`}, ${m.method === '' ? 'any method' : `method ${m.method}`}`,
  ];
  if (headers !== '') parts.push(`headers ${headers}`);
  const method = m.service === '' && m.method === '' ? '*' : `${m.type}\u0000${m.service}\u0000${m.method}`;
  return { key: `grpc\u0000${method}\u0000${headers}`, text: parts.join(', ') };
}

/** A rule's matches, keyed; undefined when they are unknown. */
function ruleKeys(kind: string, r: RouteRule): Array<{ span: Span; key: string; text: string }> | undefined {
  if (kind === 'GRPCRoute') {
    const grpc = r.grpcMatches;
    if (grpc === undefined) return undefined;
    // A rule without matches matches every gRPC request.
    if (grpc.length === 0) return [{ span: r.span, ...grpcMatchKey(undefined) }];
    return grpc.map((m) => ({ span: m.span, ...grpcMatchKey(m) }));
  }
  if (r.matchesUnknown) return undefined;
  return ruleMatches(r).map((m) => ({ span: r.matches.length > 0 ? m.span : r.span, ...matchKey(m) }));
}

function backendsOf(r: RouteRule): string {
  return r.backendRefs
    .map(
      (b) =>
        `${b.namespace?.known === true ? b.namespace.value : ''}/${b.name?.known === true ? b.name.value : '?'}:${b.port?.known === true ? b.port.value : ''}@${b.weight?.known === true ? b.weight.value : 1}`,
    )
    .sort()
    .join(',');
}

/** Every (listener, hostname, match) of an HTTPRoute or GRPCRoute, keyed, carried with its attachments (`listenersOf`'s value). */
export function entriesOf(ctx: CheckContext, placed: Placed): ReadonlyMap<GatewayListener, readonly Entry[]> | undefined {
  const on = listenersOf(ctx, placed);
  return on === undefined ? undefined : ctx.index.carriedFor(on, 'route-entries', () => keyedEntries(placed, on));
}

/** Every (listener, hostname, match) of an HTTPRoute or GRPCRoute, keyed; undefined when something is templated. */
function keyedEntries(placed: Placed, on: readonly OnListener[] | undefined): Map<GatewayListener, Entry[]> | undefined {
  const o = placed.obj;
  const route = o.route;
  const pl = placed.placements[0];
  if (on === undefined || route === undefined || pl === undefined || route.rulesUnknown) return undefined;
  if (route.rules.some((r) => r.backendRefsUnknown)) return undefined;
  const keyed = route.rules.map((r) => ruleKeys(o.kind, r));
  if (keyed.some((k) => k === undefined)) return undefined;
  const out = new Map<GatewayListener, Entry[]>();
  for (const { listener, hosts } of on) {
    const list: Entry[] = [];
    route.rules.forEach((r, i) => {
      for (const k of keyed[i] ?? []) {
        for (const h of hosts)
          list.push({
            placed,
            pl,
            rule: i,
            span: k.span,
            key: `${h}\u0000${k.key}`,
            text: `${h === '*' ? 'any host' : h}, ${k.text}`,
            backends: backendsOf(r),
          });
      }
    });
    out.set(listener, list);
  }
  return out;
}

/** One route's match on a listener, under the route's identity (`Kind/namespace/name`). */
export interface Item {
  readonly identity: string;
  readonly entry: Entry;
}

/** Listener → key → the items with that key, by identity then place (variants of one identity: the first wins, as readers take the first). */
export type Table = ReadonlyMap<GatewayListener, ReadonlyMap<string, readonly Item[]>>;

/** What the table holds of one route, to take it out again. */
interface RouteRecord {
  readonly entries: ReadonlyMap<GatewayListener, readonly Entry[]> | undefined;
  readonly deps: ReadonlySet<string>;
  /** The route's file and the files of the Gateways it attaches to. */
  readonly uris: ReadonlySet<string>;
}

/** The carried table of one unit, at the index `generation`. */
interface State {
  generation: number;
  table: Map<GatewayListener, ForkMap<string, readonly Item[]>>;
  readonly records: Map<Placed, RouteRecord>;
  readonly byDep: Map<string, Set<Placed>>;
  readonly byUri: Map<string, Set<Placed>>;
  /** How many routes read each key: the table's keys are those with a count. */
  readonly depCount: Map<string, number>;
}

function compareItems(a: Item, b: Item): number {
  if (a.identity !== b.identity) return a.identity < b.identity ? -1 : 1;
  return byPlace(a.entry.placed, b.entry.placed);
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

function add(ctx: CheckContext, s: State, p: Placed): void {
  const deps = new Set<string>();
  const entries = ctx.index.recording(deps, () => entriesOf(ctx, p));
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
      const item: Item = { identity: id, entry };
      const at = byKey.get(entry.key) ?? [];
      // After every item that sorts with it (a route's own entries stay in rule order).
      let i = at.length;
      while (i > 0 && compareItems(at[i - 1] as Item, item) > 0) i--;
      byKey.set(entry.key, [...at.slice(0, i), item, ...at.slice(i)]);
    }
  }
}

function remove(s: State, p: Placed): void {
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
      const at = byKey.get(entry.key);
      if (at === undefined) continue;
      const kept = at.filter((x) => x.entry.placed !== p);
      if (kept.length > 0) byKey.set(entry.key, kept);
      else byKey.delete(entry.key);
    }
    if (byKey.size === 0) s.table.delete(l);
  }
}

function inUnit(p: Placed, unit: string): boolean {
  return COMPARED.has(p.obj.kind) && p.obj.route !== undefined && p.placements.some((pl) => pl.unit === unit);
}

/**
 * The table of `unit` (`routes`: its routes, `WorkspaceIndex.routesOfUnit`), once per index and view; its keys are the
 * routes' attachments' (which routes a reader depends on it says itself: `routesToCompare`).
 */
export function unitTable(ctx: CheckContext, unit: string, routes: readonly Placed[]): Table {
  const index = ctx.index;
  return index.cached(`gateway-route-conflict:${unit}`, () => {
    const key = `gateway-route-conflict:${unit}`;
    // Under alternatives a view filters the routes: built afresh, not carried.
    const carry = index.alternatives === NO_ALTERNATIVES;
    const prev = carry ? (index.carried.get(key) as State | undefined) : undefined;
    const touched = prev === undefined ? undefined : index.lineage.touchedSince(prev.generation);
    const changed = prev === undefined ? undefined : index.changedSince(prev.generation);
    let s: State;
    if (prev === undefined || touched === undefined || changed === undefined) {
      s = { generation: index.generation, table: new Map(), records: new Map(), byDep: new Map(), byUri: new Map(), depCount: new Map() };
      for (const p of routes) if (COMPARED.has(p.obj.kind)) add(ctx, s, p);
    } else {
      s = prev;
      // The previous index's table stays as it was (its snapshot may still be read).
      s.table = new Map([...prev.table].map(([l, m]) => [l, m.fork()]));
      const again = new Set<Placed>();
      for (const k of touched) for (const p of s.byDep.get(k) ?? []) again.add(p);
      for (const u of changed) for (const p of s.byUri.get(u) ?? []) again.add(p);
      for (const p of again) remove(s, p);
      for (const p of again) if (index.isCurrent(p) && inUnit(p, unit)) add(ctx, s, p);
      for (const u of changed)
        for (const p of index.untracked(() => index.objectsOfFile(u))) if (inUnit(p, unit) && !s.records.has(p)) add(ctx, s, p);
      s.generation = index.generation;
    }
    if (carry) index.carried.set(key, s);
    index.replay(s.depCount.keys());
    return s.table;
  });
}
