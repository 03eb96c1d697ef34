/**
 * `gateway-route-hostname-conflict`: an HTTPRoute and a GRPCRoute attach to one listener and their
 * hostnames intersect. The Gateway API's cross-serving rule (GRPCRoute, docs/dev/gateway-api.md §9)
 * makes the implementation reject whichever of the two attaches second (`Accepted: False`): which one
 * that is depends on the order the controller sees them, so both routes are told.
 */

import { about } from '../support/findingFields.js';
import type { Placed } from '../../workspace/workspaceIndex.js';
import type { GatewayListener } from '../../model/gateway.js';
import type { Check, CheckContext } from '../support/check.js';
import { describe } from '../support/evidence.js';
import { listenerText } from './resolve.js';
import { COMPARED, gatewayText, hostsIntersect, identity, listenersOf, nsOf, routesToCompare } from './routeTable.js';

interface OnIt {
  readonly placed: Placed;
  readonly identity: string;
  readonly hosts: readonly string[];
}

/**
 * The routes of one kind (HTTPRoute or GRPCRoute) of a unit by listener, with their hostnames there
 * (once per index and view). A route reads the table of the other kind only, so an HTTPRoute edit
 * in a unit of many HTTPRoutes and few GRPCRoutes resolves the attachments of the GRPCRoutes alone.
 */
function byListener(ctx: CheckContext, unit: string, kind: string, routes: readonly Placed[]): Map<GatewayListener, OnIt[]> {
  return ctx.index.cached(`gateway-route-kinds:${unit}:${kind}`, () => {
    const out = new Map<GatewayListener, OnIt[]>();
    for (const p of routes) {
      if (p.obj.kind !== kind) continue;
      const id = identity(p);
      for (const on of listenersOf(ctx, p) ?? []) {
        const list = out.get(on.listener) ?? [];
        // Variants of one route (same identity) are one route.
        if (!list.some((x) => x.identity === id)) list.push({ placed: p, identity: id, hosts: on.hosts });
        out.set(on.listener, list);
      }
    }
    return out;
  });
}

export const gatewayRouteHostnameConflict: Check = {
  code: 'gateway-route-hostname-conflict',
  defaultSeverity: 'warning',
  summary: 'An HTTPRoute and a GRPCRoute on one listener share a hostname: the Gateway rejects the one it attaches second.',
  doc: [
    'A Gateway that supports GRPCRoute keeps the hostnames of HTTPRoutes and GRPCRoutes apart: when a route of one kind',
    'attaches to a listener that already has a route of the other kind whose hostnames intersect its own, the route',
    'is rejected (its `Accepted` condition is `False`) and serves nothing. Which of the two is rejected depends on the',
    'order the controller sees them in, so both are reported. A route without `hostnames` answers every hostname the',
    'listener does.',
    '',
    '```yaml',
    'kind: HTTPRoute',
    'spec: {parentRefs: [{name: web}], hostnames: [api.example.com]}',
    '---',
    'kind: GRPCRoute',
    'spec: {parentRefs: [{name: web}], hostnames: ["*.example.com"]}   # intersects api.example.com',
    '```',
    '',
    '**Fix:** give gRPC its own hostname (the usual practice), or, to serve HTTP and gRPC on one hostname, route both',
    'with HTTPRoutes.',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const pl = placed.placements[0];
      if (!COMPARED.has(o.kind) || o.route === undefined || pl === undefined) continue;
      const mine = listenersOf(ctx, placed);
      if (mine === undefined || mine.length === 0) continue;
      const otherKind = o.kind === 'HTTPRoute' ? 'GRPCRoute' : 'HTTPRoute';
      const table = byListener(ctx, pl.unit, otherKind, routesToCompare(ctx, pl, otherKind, mine, false));
      const self = identity(placed);
      const told = new Set<string>();
      for (const on of mine) {
        for (const other of table.get(on.listener) ?? []) {
          if (other.placed.obj.kind === o.kind || other.identity === self || told.has(other.identity)) continue;
          const pair = hostsIntersect(on.hosts, other.hosts);
          if (pair === undefined) continue;
          told.add(other.identity);
          const opl = other.placed.placements[0];
          const ons = opl === undefined ? '' : nsOf(opl);
          const them = describe(other.placed.obj, ons === '' ? undefined : ons);
          const me = describe(o, nsOf(pl) === '' ? undefined : nsOf(pl));
          const [mineHost, theirHost] = pair;
          const hostText =
            mineHost === '*' && theirHost === '*'
              ? 'every hostname'
              : mineHost === theirHost || theirHost === '*'
                ? `hostname ${mineHost}`
                : mineHost === '*'
                  ? `hostname ${theirHost}`
                  : `intersecting hostnames (${mineHost}, ${theirHost})`;
          const otherRoute = other.placed.obj.route;
          ctx.report({
            ...about(o, o.route.hostnamesSpan ?? o.route.parentRefs[0]?.span ?? o.span),
            confidence: 'evidence',
            severity: 'warning',
            message: `${me} and ${them} both answer ${hostText} on listener ${listenerText(on.listener)} of Gateway ${gatewayText(on.gateway)}: a Gateway does not serve an HTTPRoute and a GRPCRoute on one hostname, and rejects whichever of the two it attaches second.`,
            related: [
              {
                uri: other.placed.obj.uri,
                span: otherRoute?.hostnamesSpan ?? otherRoute?.parentRefs[0]?.span ?? other.placed.obj.span,
                message: `${them} on the same listener`,
              },
            ],
          });
        }
      }
    }
  },
};
