/**
 * The table `gateway-route-conflict` compares a route's matches with: every HTTPRoute and GRPCRoute
 * match of a unit by listener and key (hostname and match), first in namespace/name order. Built
 * once per index and shared by the unit's files; carried from one index to the next and patched for
 * the routes an edit may have changed (`carriedTable.ts`).
 */

import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import type { GatewayListener, RouteRule } from '../../model/gateway.js';
import { ruleKeys } from '../../model/gatewayMatchKeys.js';
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
  /** The name it answers (its own within the listener's, `*`: any) and the rank of the route's own hostname there (§9). */
  readonly host: string;
  readonly own: string;
  readonly text: string;
  readonly backends: string;
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
  for (const { listener, answers } of on) {
    const list: Entry[] = [];
    route.rules.forEach((r, i) => {
      for (const k of keyed[i] ?? []) {
        for (const { host: h, own } of answers)
          list.push({
            placed,
            pl,
            rule: i,
            span: k.span,
            key: `${h}\u0000${k.key}`,
            host: h,
            own,
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
