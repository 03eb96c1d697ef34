/**
 * The table `gateway-route-conflict` compares a route's matches with: every HTTPRoute and GRPCRoute
 * match of a unit by listener and key (hostname and match), first in namespace/name order. Built
 * once per index and shared by the unit's files; carried from one index to the next and patched for
 * the routes an edit may have changed (`carriedTable.ts`).
 */

import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import type { GatewayListener, GrpcMatch, RouteMatch, RouteRule } from '../../model/gateway.js';
import { ruleMatches } from '../../model/gateway.js';
import type { Span } from '../../types.js';
import type { CheckContext } from '../support/check.js';
import type { OnListener } from './routeTable.js';
import { COMPARED, listenersOf } from './routeTable.js';
import type { Layout, Table } from './carriedTable.js';
import { carriedTable } from './carriedTable.js';

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

const MATCHES: Layout<Entry> = {
  name: 'gateway-route-conflict',
  holds: (p) => COMPARED.has(p.obj.kind),
  entries: entriesOf,
  key: (e) => e.key,
};

/**
 * The table of `unit` (`routes`: its routes, `WorkspaceIndex.routesOfUnit`), once per index and view, carried and patched
 * (`carriedTable.ts`); its keys are the routes' attachments' (which routes a reader depends on it says itself: `routesToCompare`).
 */
export function unitTable(ctx: CheckContext, unit: string, routes: readonly Placed[]): Table<Entry> {
  return carriedTable(ctx, MATCHES, unit, routes);
}
