/**
 * HTTPRoutes and GRPCRoutes by the listeners they attach to, with the hostnames each answers there:
 * what `gateway-route-conflict` and `gateway-route-hostname-conflict` compare. A route reads only
 * the routes of its unit whose hostnames may intersect its own (`WorkspaceIndex.routesOfUnit`,
 * keyed by hostname, workspace/keys.ts), so an edit of one route re-checks those, not every route of the unit.
 */

import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import type { GatewayListener } from '../../model/gateway.js';
import type { KObject, Value } from '../../model/types.js';
import type { CheckContext } from '../support/check.js';
import { attachmentOf } from './attach.js';
import { hostnamesIntersect } from './resolve.js';
import { claimingListener, hostsOnListener } from '../../model/gatewayMatchKeys.js';

/** The route kinds compared. */
export const COMPARED: ReadonlySet<string> = new Set(['HTTPRoute', 'GRPCRoute']);

/** A placement's namespace ('' floating). */
export function nsOf(pl: Placement): string {
  return pl.floating ? '' : (pl.namespace ?? '');
}

/** `Kind/namespace/name`: the order routes created together are served in (namespace/name), and one identity for a route's variants. */
export function identity(p: Placed): string {
  const o = p.obj;
  return `${o.kind}/${nsOf(p.placements[0] ?? { unit: '', namespace: undefined, floating: true })}/${o.name?.known === true ? o.name.value : '?'}`;
}

/** The hostnames a route answers on a listener: its own that intersect the listener's, else the listener's (`*`: any). */
function hostnamesOn(route: KObject, l: GatewayListener): string[] | undefined {
  const own = route.route?.hostnames;
  if (l.hostname !== undefined && !l.hostname.known) return undefined;
  const lh = l.hostname?.known === true ? l.hostname.value.toLowerCase() : undefined;
  if (own === undefined) return [lh ?? '*'];
  const out: string[] = [];
  for (const h of own as ReadonlyArray<Value<string>>) {
    if (!h.known) return undefined;
    const v = h.value.toLowerCase();
    if (lh === undefined || hostnamesIntersect(lh, v)) out.push(v);
  }
  return out;
}

/** One listener a route attaches to, the Gateway it belongs to, and the hostnames the route answers there. */
export interface OnListener {
  readonly listener: GatewayListener;
  readonly gateway: Placed;
  readonly hosts: readonly string[];
  /**
   * The names it answers there: each of its own within the listener's (their intersection, `*`: any), with its own that
   * answers it (§9); not those a listener with a more specific hostname on the port takes (§10).
   */
  readonly answers: ReadonlyArray<{ readonly host: string; readonly own: string }>;
}

/**
 * Where an HTTPRoute or GRPCRoute attaches (first parentRef first, each listener once); undefined when something is templated.
 * Carried from one index to the next while nothing it read changed (`WorkspaceIndex.carriedFor`): the route tables of a
 * unit of a thousand routes then resolve the attachments of the routes an edit touched, not of every route.
 */
export function listenersOf(ctx: CheckContext, placed: Placed): readonly OnListener[] | undefined {
  return ctx.index.carriedFor(
    placed,
    'route-listeners',
    () => resolveListeners(ctx, placed),
    (on) => on === undefined || on.every((x) => ctx.index.isCurrent(x.gateway)),
  );
}

function resolveListeners(ctx: CheckContext, placed: Placed): readonly OnListener[] | undefined {
  const o = placed.obj;
  const route = o.route;
  const pl = placed.placements[0];
  if (!COMPARED.has(o.kind) || route === undefined || pl === undefined || route.parentRefsUnknown) return undefined;
  const out: OnListener[] = [];
  const seen = new Set<GatewayListener>();
  for (const ref of route.parentRefs) {
    const a = attachmentOf(ctx, o, pl, ref);
    if (a.state !== 'attached') continue;
    for (const l of a.listeners) {
      if (seen.has(l)) continue;
      seen.add(l);
      const hosts = hostnamesOn(o, l);
      if (hosts === undefined) return undefined;
      const own = route.hostnames?.map((h) => (h.known ? h.value.toLowerCase() : '*'));
      // Names a more specific listener on the port takes never reach this one (§10 rule 1).
      const claimed = claimingListener(l, a.gateway.obj.gateway?.listeners ?? []);
      const answers = hostsOnListener(own, l.hostname?.known === true ? l.hostname.value.toLowerCase() : undefined).filter(
        (h) => claimed(h.host) === undefined,
      );
      out.push({ listener: l, gateway: a.gateway, hosts, answers });
    }
  }
  return out;
}

/** Two hostnames, one of each route's on one listener, that intersect (`*`: every hostname); undefined when none do. */
export function hostsIntersect(a: readonly string[], b: readonly string[]): readonly [string, string] | undefined {
  for (const x of a) for (const y of b) if (x === '*' || y === '*' || hostnamesIntersect(x, y)) return [x, y];
  return undefined;
}

/**
 * The routes of the unit of `pl`, for a route answering `mine` that compares itself with those of
 * `kind`: read as depending only on the routes of that kind that may share a hostname with it
 * (`exact`: an equal hostname; else intersecting ones, and every route of the kind when it answers
 * every hostname).
 */
export function routesToCompare(
  ctx: CheckContext,
  pl: Placement,
  kind: string,
  mine: readonly OnListener[],
  exact: boolean,
): readonly Placed[] {
  const hosts = new Set<string>();
  for (const m of mine) for (const h of m.hosts) hosts.add(h);
  return ctx.index.routesOfUnit(pl.unit, kind, !exact && hosts.has('*') ? undefined : [...hosts], exact);
}

/** A Gateway as messages name it: `ns/name`, or `name` when it floats. */
export function gatewayText(g: Placed): string {
  const gpl = g.placements[0];
  const name = g.obj.name?.known === true ? g.obj.name.value : '?';
  return gpl === undefined || gpl.floating || gpl.namespace === undefined ? name : `${gpl.namespace}/${name}`;
}
