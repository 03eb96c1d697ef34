/**
 * `gateway-route-hostname-conflict`: an HTTPRoute and a GRPCRoute attach to one listener and their
 * hostnames intersect. The GRPCRoute API (`spec.hostnames`, Support: Core; docs/dev/gateway-api.md §9)
 * has the implementation accept exactly one of the two: the older by creation timestamp, then the
 * first by `{namespace}/{name}`; the other gets `Accepted: False`. Routes applied together are
 * judged by the second criterion, so the route that sorts later is reported (both, when the two
 * have the same namespace and name: the criteria do not decide between them).
 */

import { about } from '../support/findingFields.js';
import type { Placed } from '../../workspace/workspaceIndex.js';
import type { GatewayListener } from '../../model/gateway.js';
import type { Check, CheckContext } from '../support/check.js';
import type { Item, Layout } from './carriedTable.js';
import { carriedTable } from './carriedTable.js';
import { describe } from '../support/evidence.js';
import { listenerText } from './resolve.js';
import { COMPARED, gatewayText, hostsIntersect, listenersOf, nsOf, routesToCompare } from './routeTable.js';
import type { OnListener } from './routeTable.js';
import { claimingListener, intersectHostnames } from '../../model/gatewayMatchKeys.js';
import { hostnamesIntersect } from './resolve.js';
import { separateTestInputs } from '../../units/testData.js';

interface OnIt {
  readonly hosts: readonly string[];
}

/** `{namespace}/{name}`, the order the API breaks a creation-time tie by (a floating route's namespace is its unit's, unknown: ''). */
function nsName(p: Placed): string {
  const pl = p.placements[0];
  return `${pl === undefined ? '' : nsOf(pl)}/${p.obj.name?.known === true ? p.obj.name.value : ''}`;
}

/** The routes of one kind on a listener, with their hostnames there: one entry per route and listener, under one key. */
function kindLayout(kind: string): Layout<OnIt> {
  return {
    name: `gateway-route-kinds:${kind}`,
    holds: (p) => p.obj.kind === kind,
    entries: (ctx, p) => {
      const on = listenersOf(ctx, p);
      return on === undefined ? undefined : new Map(on.map((x) => [x.listener, [{ hosts: x.hosts }]]));
    },
    key: () => '',
  };
}

const LAYOUTS: ReadonlyMap<string, Layout<OnIt>> = new Map([...COMPARED].map((k) => [k, kindLayout(k)]));

/**
 * The routes of one kind (HTTPRoute or GRPCRoute) of a unit on `listener`, one per identity (variants of one route are one
 * route: the first by place). A route reads the table of the other kind only, so an HTTPRoute edit in a unit of many
 * HTTPRoutes and few GRPCRoutes reads the GRPCRoutes alone; the tables are carried from index to index (`carriedTable.ts`).
 */
function onListener(
  ctx: CheckContext,
  unit: string,
  kind: string,
  routes: readonly Placed[],
  listener: GatewayListener,
): Array<Item<OnIt>> {
  const layout = LAYOUTS.get(kind);
  if (layout === undefined) return [];
  const out: Array<Item<OnIt>> = [];
  for (const item of carriedTable(ctx, layout, unit, routes).get(listener)?.get('') ?? [])
    if (out.at(-1)?.identity !== item.identity) out.push(item);
  return out;
}

/** How a route stands on one listener against the routes of the other kind whose hostnames meet its own there. */
interface Standing {
  /** Accepted routes of the other kind earlier in namespace/name order: the route is not accepted. */
  readonly winners: ReadonlyArray<Item<OnIt>>;
  /** Routes of the other kind of the same namespace and name (the criteria do not order them). */
  readonly ties: ReadonlyArray<Item<OnIt>>;
}

/**
 * How an HTTPRoute or GRPCRoute stands on each listener it attaches to (once per index). The API has the implementation
 * accept routes by creation time, then namespace/name, and reject one whose hostnames meet those of an accepted route of
 * the other kind: a route rejected itself takes nothing from the routes after it, so whether an earlier route wins is
 * decided the same way, over every route of the listener (a chain of routes is followed only where hostnames meet).
 */
function standingOf(ctx: CheckContext, placed: Placed): ReadonlyMap<GatewayListener, Standing> | undefined {
  return ctx.index.cachedFor(placed, 'gateway-route-kind-standing', () => {
    const pl = placed.placements[0];
    const mine = listenersOf(ctx, placed);
    if (pl === undefined || mine === undefined) return undefined;
    const otherKind = placed.obj.kind === 'HTTPRoute' ? 'GRPCRoute' : 'HTTPRoute';
    const routes = routesToCompare(ctx, pl, otherKind, mine, false);
    const order = nsName(placed);
    const out = new Map<GatewayListener, Standing>();
    for (const on of mine) {
      const winners: Array<Item<OnIt>> = [];
      const ties: Array<Item<OnIt>> = [];
      for (const other of onListener(ctx, pl.unit, otherKind, routes, on.listener)) {
        const theirs = nsName(other.placed);
        if (theirs > order || hostsIntersect(on.hosts, other.entry.hosts) === undefined) continue;
        if (separateTestInputs(other.placed, placed, ctx.index.kustomizeDirs())) continue;
        if (theirs === order) ties.push(other);
        else if (accepted(ctx, other.placed, on.listener)) winners.push(other);
      }
      out.set(on.listener, { winners, ties });
    }
    return out;
  });
}

/** No accepted route of the other kind before it in namespace/name order shares its hostnames on `listener`. */
function noWinners(ctx: CheckContext, p: Placed, listener: GatewayListener): boolean {
  return (standingOf(ctx, p)?.get(listener)?.winners.length ?? 0) === 0;
}

/** Accepted on `listener`: nothing before it wins, and no route of its namespace and name ties with it (undecided: not accepted). */
function accepted(ctx: CheckContext, p: Placed, listener: GatewayListener): boolean {
  const st = standingOf(ctx, p)?.get(listener);
  return st !== undefined && st.winners.length === 0 && !st.ties.some((t) => noWinners(ctx, t.placed, listener));
}

/**
 * The listener with a more specific hostname on the same port that takes every name two routes share on `on.listener`
 * (their hostnames' intersection within the listener's; docs/dev/gateway-api.md §10 rule 1); undefined when a shared
 * name reaches `on.listener`. The cross-serving rule still applies there (it counts the routes' hostnames on the
 * listener they attach to), but no request of the shared names reaches the two routes on it.
 */
function takerOfShared(on: OnListener, theirs: readonly string[]): { readonly by: GatewayListener; readonly name: string } | undefined {
  const claimed = claimingListener(on.listener, on.gateway.obj.gateway?.listeners ?? []);
  const lh = on.listener.hostname?.known === true ? on.listener.hostname.value.toLowerCase() : '*';
  let taker: { readonly by: GatewayListener; readonly name: string } | undefined;
  for (const x of on.hosts)
    for (const y of theirs) {
      if (x !== '*' && y !== '*' && !hostnamesIntersect(x, y)) continue;
      const both = intersectHostnames(x, y);
      if (both !== '*' && lh !== '*' && !hostnamesIntersect(both, lh)) continue;
      const name = intersectHostnames(both, lh);
      const by = claimed(name);
      if (by === undefined) return undefined;
      taker ??= { by, name };
    }
  return taker;
}

export const gatewayRouteHostnameConflict: Check = {
  code: 'gateway-route-hostname-conflict',
  defaultSeverity: 'warning',
  summary: 'An HTTPRoute and a GRPCRoute on one listener share a hostname: the Gateway accepts only the older one.',
  doc: [
    'A Gateway that supports GRPCRoute keeps the hostnames of HTTPRoutes and GRPCRoutes apart. The GRPCRoute API',
    '(`spec.hostnames`, Support: Core) says: when an HTTPRoute and a GRPCRoute attach to one listener and their',
    'hostnames intersect, the implementation accepts exactly one of them: the **older** (creation timestamp), then the',
    'first by `{namespace}/{name}` in alphabetical order. The other is not accepted there (its `Accepted` condition is',
    '`False`) and serves nothing through that listener. Routes applied together get the same timestamp, so the route',
    'that sorts later is reported, with the one that wins; a route without `hostnames` answers every hostname the',
    'listener does. The routes of a listener are taken in that order over the whole set: a route that is not accepted',
    'takes nothing from the routes after it, so a route that meets only rejected routes of the other kind is accepted.',
    'The rule counts the hostnames on the listener a route attaches to even where every shared name goes to a listener',
    'with a more specific hostname on the same port: the message says so, and it is information when the route not',
    'accepted gets no request on that listener anyway. Routes of two files of a Go `testdata` folder (test inputs a suite',
    'applies one test at a time) are not compared.',
    'Some implementations do not enforce this and serve both kinds on one hostname; the API does not',
    'let a portable configuration rely on it (GEP-1016, "Cross Serving").',
    '',
    '```yaml',
    'kind: HTTPRoute',
    'metadata: {name: api}',
    'spec: {parentRefs: [{name: web}], hostnames: [api.example.com]}',
    '---',
    'kind: GRPCRoute',
    'metadata: {name: grpc}    # sorts after "api": not accepted',
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
      const standing = standingOf(ctx, placed);
      const order = nsName(placed);
      const told = new Set<string>();
      for (const on of mine) {
        const st = standing?.get(on.listener);
        if (st === undefined) continue;
        // Not accepted: told about each accepted route it loses to; else about a route of its namespace and name that
        // no earlier route rejects (the criteria do not decide between the two).
        const winners = st.winners.length > 0 ? st.winners : st.ties.filter((t) => noWinners(ctx, t.placed, on.listener));
        for (const other of winners) {
          if (told.has(other.identity)) continue;
          const theirs = nsName(other.placed);
          const pair = hostsIntersect(on.hosts, other.entry.hosts);
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
          // Every shared name goes to a more specific listener: the rule still rejects one of the two on this listener,
          // which costs the rejected route the requests it gets here (none: information).
          const taker = takerOfShared(on, other.entry.hosts);
          const shadowNote =
            taker === undefined
              ? ''
              : ` Requests for ${taker.name} go to listener ${listenerText(taker.by)} (a more specific hostname on the same port), but the rule counts the routes' hostnames on the listener they attach to${on.answers.length === 0 ? `; ${me} gets no request on listener ${listenerText(on.listener)} anyway` : `, and ${me} loses every request it would get on listener ${listenerText(on.listener)}`}.`;
          ctx.report({
            ...about(o, o.route.hostnamesSpan ?? o.route.parentRefs[0]?.span ?? o.span),
            confidence: 'evidence',
            severity: taker !== undefined && on.answers.length === 0 ? 'information' : 'warning',
            message:
              (theirs === order
                ? `${me} and ${them} both ${taker === undefined ? 'answer' : 'name'} ${hostText} on listener ${listenerText(on.listener)} of Gateway ${gatewayText(on.gateway)}: a Gateway accepts only one of an HTTPRoute and a GRPCRoute sharing a hostname, the older; with the same namespace and name, which one is not decided by name order.`
                : `${me} and ${them} both ${taker === undefined ? 'answer' : 'name'} ${hostText} on listener ${listenerText(on.listener)} of Gateway ${gatewayText(on.gateway)}: a Gateway accepts only one of an HTTPRoute and a GRPCRoute sharing a hostname, the older (created together: ${them}, first in namespace/name order), so ${me} is not accepted there.`) +
              shadowNote,
            related: [
              {
                uri: other.placed.obj.uri,
                span: otherRoute?.hostnamesSpan ?? otherRoute?.parentRefs[0]?.span ?? other.placed.obj.span,
                message: theirs === order ? `${them} on the same listener` : `${them}, accepted on the same listener`,
              },
            ],
          });
        }
      }
    }
  },
};
