/**
 * `gateway-route-conflict` for TLSRoutes, TCPRoutes and UDPRoutes (docs/dev/gateway-api.md §10): two
 * routes of one rank answer the same connections on one listener (two TCPRoutes or two UDPRoutes on
 * it, two TLSRoutes with the same hostname, a TLSRoute without hostnames and a TCPRoute on a TLS
 * listener that terminates TLS). The listener's precedence (the AllowedRoutes description: the most
 * specific match, then "the oldest Route based on creation timestamp", then "the Route appearing
 * first in alphabetical order (namespace/name)") gives them to the older; routes applied together
 * share a creation time, so the one first in `namespace/name` order. Reported on the other, per name
 * it loses, like `explain --via-gateway` and `reach` judge it (`losingRoutes`).
 *
 * Firewall: only routes of one unit are compared (per-cluster folders, overlays and variants are
 * never compared), attached for certain, with literal hostnames and one rule each (which rules of a
 * route an implementation uses for one listener is its own); a route before it whose attachment or
 * hostnames are not known keeps the listener silent; two routes of one namespace and name are not
 * ordered by it.
 */

import { about } from '../support/findingFields.js';
import type { Placed } from '../../workspace/workspaceIndex.js';
import type { GatewayListener, RouteSpec } from '../../model/gateway.js';
import { connectionKinds, connectionNamesOn } from '../../model/gateway.js';
import { claimingListener, hostnameRank, intersectHostnames } from '../../model/gatewayMatchKeys.js';
import type { Span } from '../../types.js';
import type { CheckContext } from '../support/check.js';
import { describe } from '../support/evidence.js';
import { attachmentOf } from './attach.js';
import { listenerText } from './resolve.js';
import { gatewayText, identity, nsOf } from './routeTable.js';
import { separateTestInputs } from '../../units/testData.js';
import { anyPortGateway } from './anyPort.js';

/** The route kinds judged here. */
export const L4_KINDS: ReadonlySet<string> = new Set(['TLSRoute', 'TCPRoute', 'UDPRoute']);

/** `{namespace}/{name}`: the order routes created together are served in. */
function order(p: Placed): string {
  const pl = p.placements[0];
  return `${pl === undefined ? '' : nsOf(pl)}/${p.obj.name?.known === true ? p.obj.name.value : ''}`;
}

/** The listeners giving connections to `p`'s kind it attaches to for certain (with their Gateway), or undefined when not known. */
function onListeners(ctx: CheckContext, p: Placed): Array<{ listener: GatewayListener; gateway: Placed }> | undefined {
  const route = p.obj.route;
  const pl = p.placements[0];
  if (route === undefined || pl === undefined || route.parentRefsUnknown) return undefined;
  const out: Array<{ listener: GatewayListener; gateway: Placed }> = [];
  for (const ref of route.parentRefs) {
    const a = attachmentOf(ctx, p.obj, pl, ref);
    if (a.state === 'unknown') return undefined;
    if (a.state !== 'attached') continue;
    for (const l of a.listeners)
      if (connectionKinds(l).includes(p.obj.kind) && !out.some((x) => x.listener === l)) out.push({ listener: l, gateway: a.gateway });
  }
  return out;
}

function backendsOf(route: RouteSpec): string {
  return (route.rules[0]?.backendRefs ?? [])
    .map(
      (b) =>
        `${b.namespace?.known === true ? b.namespace.value : ''}/${b.name?.known === true ? b.name.value : '?'}:${b.port?.known === true ? b.port.value : ''}@${b.weight?.known === true ? b.weight.value : 1}`,
    )
    .sort()
    .join(',');
}

/** Where a lost name is reported: the hostname that names it, else the parentRef attaching the route to the listener. */
function spanOf(p: Placed, name: string, listener: GatewayListener, ctx: CheckContext): Span {
  const route = p.obj.route;
  const host = route?.hostnames?.find((h) => h.known && h.value.toLowerCase() === name);
  if (host !== undefined) return host.span;
  const pl = p.placements[0];
  const ref = route?.parentRefs.find((r) => {
    const a = pl === undefined ? undefined : attachmentOf(ctx, p.obj, pl, r);
    return a?.state === 'attached' && a.listeners.includes(listener);
  });
  return ref?.span ?? route?.parentRefs[0]?.span ?? p.obj.span;
}

/** Reports each name a TLS, TCP or UDP route loses on a listener to a route first in namespace/name order. */
export function reportL4Conflicts(ctx: CheckContext, placed: Placed): void {
  const o = placed.obj;
  const route = o.route;
  const pl = placed.placements[0];
  if (route === undefined || pl === undefined || route.rulesUnknown || route.rules.length !== 1 || o.name?.known !== true) return;
  const mine = onListeners(ctx, placed);
  if (mine === undefined || mine.length === 0) return;
  const self = identity(placed);
  const myOrder = order(placed);
  const told = new Set<string>();
  for (const { listener, gateway } of mine) {
    if (listener.hostname !== undefined && !listener.hostname.known) continue;
    // STUNner's listeners use every route attached to them (anyPort.ts).
    if (anyPortGateway(ctx, gateway, o.kind)) continue;
    const lh = listener.hostname?.value.toLowerCase();
    // Names a TLS listener with a more specific hostname on the port takes never reach this one (§10 rule 1).
    const claimed = claimingListener(listener, gateway.obj.gateway?.listeners ?? []);
    const names = connectionNamesOn(o.kind, route, lh)?.filter(
      (n) => n === '' || claimed(lh === undefined ? n : intersectHostnames(n, lh)) === undefined,
    );
    if (names === undefined || names.length === 0) continue;
    // The routes before it on this listener, first in namespace/name order first.
    const before: Array<{ p: Placed; names: readonly string[] }> = [];
    let doubt = false;
    for (const kind of connectionKinds(listener)) {
      for (const p of ctx.index.routesOfUnit(pl.unit, kind, undefined, false)) {
        if (p.obj.kind !== kind || identity(p) === self || p.obj.route === undefined) continue;
        if (separateTestInputs(p, placed, ctx.index.kustomizeDirs())) continue;
        const theirs = order(p);
        if (theirs >= myOrder) continue;
        const on = onListeners(ctx, p);
        if (on === undefined) {
          doubt = true;
          continue;
        }
        if (!on.some((x) => x.listener === listener)) continue;
        const n = connectionNamesOn(p.obj.kind, p.obj.route, lh);
        if (n === undefined || p.obj.route.rulesUnknown || p.obj.route.rules.length !== 1) doubt = true;
        else before.push({ p, names: n });
      }
    }
    if (doubt) continue;
    before.sort((a, b) => (order(a.p) < order(b.p) ? -1 : order(a.p) > order(b.p) ? 1 : 0));
    // Names within the listener's ('' is the listener's own) and the rank of the route's own hostname (§9: two routes
    // answering one name there, the newer naming it more specifically, are the implementation's).
    const keyOf = (n: string): string => (n === '' ? (lh ?? '') : lh === undefined ? n : intersectHostnames(n, lh));
    const rankOf = (n: string): number => (n === '' ? 0 : hostnameRank(n));
    for (const name of names) {
      const mineKey = keyOf(name);
      const rivals = before.filter((x) => x.names.some((n) => keyOf(n) === mineKey));
      const sure = rivals.find((x) => x.names.some((n) => keyOf(n) === mineKey && rankOf(n) >= rankOf(name)));
      const found = sure ?? rivals[0];
      const winner = found?.p;
      if (winner === undefined || winner.obj.route === undefined || found === undefined) continue;
      const open = sure === undefined;
      const theirName = found.names.find((n) => keyOf(n) === mineKey) ?? name;
      const span = spanOf(placed, name, listener, ctx);
      const key = `${span.start}:${identity(winner)}`;
      if (told.has(key)) continue;
      told.add(key);
      const same = backendsOf(route) === backendsOf(winner.obj.route);
      const wpl = winner.placements[0];
      const me = describe(o, nsOf(pl) === '' ? undefined : nsOf(pl));
      const them = describe(winner.obj, wpl === undefined || nsOf(wpl) === '' ? undefined : nsOf(wpl));
      const what = mineKey === '' || name === '' ? 'every connection' : `the connections for ${mineKey}`;
      const where = `listener ${listenerText(listener)} of Gateway ${gatewayText(gateway)}`;
      ctx.report({
        ...about(o, span),
        confidence: 'evidence',
        severity: same || open ? 'information' : 'warning',
        message: open
          ? `${me} and ${them} both answer ${mineKey} on ${where}, and which of the two gets these connections is the implementation's: ${me} names ${name === '' ? 'no hostname' : name}, ${them} ${theirName === '' ? 'no hostname' : theirName}. Envoy Gateway, Cilium, Contour and Traefik rank the hostnames within the listener's (${mineKey} for both), so the older route, ${them} (created together: first in namespace/name order), takes them; ranked by the routes' own hostnames (kubernetes-sigs/gateway-api#5120), ${me} does.`
          : `${me} and ${them} both take ${what} on ${where}: of routes of one rank the Gateway serves the older (created together: ${them}, first in namespace/name order), ${same ? 'and both forward to the same backends: one of them is redundant.' : `so ${me} gets none of them.`}`,
        related: [
          {
            uri: winner.obj.uri,
            span: spanOf(winner, theirName, listener, ctx),
            message: `${them}, which takes ${what} there`,
          },
        ],
      });
    }
  }
}
