/**
 * `gateway-route-conflict`: two HTTPRoute rules on the same listener match exactly the same
 * requests (hostname, path type and value, method, headers, query parameters), or two GRPCRoute
 * rules do (hostname, gRPC service and method and their match type, headers). The Gateway API's
 * precedence (docs/dev/gateway-api.md §9) then falls through to the routes' creation time and
 * namespace/name, or, within one route, to rule order: one of the two never gets a request.
 * HTTPRoutes and GRPCRoutes are never compared with each other (the API forbids merging them).
 */

import { about } from '../support/findingFields.js';
import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import type { GatewayListener, GrpcMatch, RouteMatch, RouteRule } from '../../model/gateway.js';
import { ruleMatches } from '../../model/gateway.js';
import type { Span } from '../../types.js';
import type { Check, CheckContext } from '../support/check.js';
import { describe } from '../support/evidence.js';
import { listenerText } from './resolve.js';
import type { OnListener } from './routeTable.js';
import { COMPARED, gatewayText, identity, listenersOf, nsOf as ns, routesToCompare } from './routeTable.js';

interface Entry {
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

/** Every (listener, hostname, match) of an HTTPRoute or GRPCRoute, keyed; undefined when something is templated. */
function entriesOf(placed: Placed, on: readonly OnListener[] | undefined): Map<GatewayListener, Entry[]> | undefined {
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

type Table = Map<GatewayListener, Map<string, Array<{ identity: string; entry: Entry }>>>;

/**
 * Every HTTPRoute and GRPCRoute entry of a unit by listener and key, first in namespace/name order:
 * built once per index (and view) and shared by the unit's files, so a unit of n routes costs n,
 * not n². Its dependencies are the routes' attachments; which routes a reader depends on it says
 * itself (`routesToCompare`: those that may answer its hostnames).
 */
function unitTable(ctx: CheckContext, unit: string, routes: readonly Placed[]): Table {
  return ctx.index.cached(`gateway-route-conflict:${unit}`, () => {
    const table: Table = new Map();
    for (const p of routes) {
      if (!COMPARED.has(p.obj.kind)) continue;
      const entries = entriesOf(p, listenersOf(ctx, p));
      if (entries === undefined) continue;
      const id = identity(p);
      for (const [l, list] of entries) {
        let byKey = table.get(l);
        if (byKey === undefined) table.set(l, (byKey = new Map()));
        for (const entry of list) {
          const at = byKey.get(entry.key) ?? [];
          // Other routes only; variants of one route (same identity) are never compared.
          if (!at.some((x) => x.identity === id)) at.push({ identity: id, entry });
          byKey.set(entry.key, at);
        }
      }
    }
    for (const byKey of table.values())
      for (const list of byKey.values()) list.sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
    return table;
  });
}

export const gatewayRouteConflict: Check = {
  code: 'gateway-route-conflict',
  defaultSeverity: 'warning',
  summary: 'Two HTTPRoute (or GRPCRoute) rules on one listener match the same requests: one never gets them.',
  doc: [
    'Among the HTTPRoutes attached to a listener, a request goes to the match with the most specific hostname, then an',
    '`Exact` path over a `PathPrefix`, the longest prefix, a `method`, the most `headers`, the most `queryParams`. When',
    'two matches are equal in all of these, the **older route** wins (creation time, then namespace/name in',
    'alphabetical order), and within one route the **first rule**. A match that equals another one exactly (same',
    'hostname, path type and value, method, headers and query parameters) on the same listener therefore never gets',
    'a request: a copied route, or two teams claiming the same path. Reported on the losing match (within a route, the',
    'later rule; between routes created together, the one later in namespace/name order; the API server sets creation',
    'times when they are applied). Routes of different units (per-cluster folders, overlays) and variants of one route',
    'are never compared. The same backends on both sides are redundant (information).',
    '',
    '```yaml',
    'kind: HTTPRoute',
    'metadata: {name: shop-v2}',
    'spec:',
    '  parentRefs: [{name: web}]',
    '  hostnames: [shop.example.com]',
    '  rules:',
    '    - matches: [{path: {type: PathPrefix, value: /api}}]   # shop-api has the same match',
    '      backendRefs: [{name: api-v2, port: 80}]',
    '```',
    '',
    'GRPCRoutes are compared the same way among themselves (never with HTTPRoutes: the API forbids merging the two):',
    'the hostname, the method match (its type, `service` and `method`; a rule without `matches` matches every',
    'request, a match without `method` every method) and the headers. Their precedence reads, in order, the hostname,',
    'the characters of the matching service, of the method, and the number of header matches, then the same',
    'creation time, `namespace/name` and rule order; equal matches are decided by those last three alone.',
    '',
    '**Fix:** remove one of the routes, or make the matches differ (a header for the canary, another path or method).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      if (!COMPARED.has(placed.obj.kind)) continue;
      const on = listenersOf(ctx, placed);
      const mine = entriesOf(placed, on);
      const pl = placed.placements[0];
      if (on === undefined || mine === undefined || mine.size === 0 || pl === undefined) continue;
      const self = identity(placed);
      const table = unitTable(ctx, pl.unit, routesToCompare(ctx, pl, placed.obj.kind, on, true));
      const reported = new Set<Span>();
      for (const [listener, entries] of mine) {
        entries.forEach((e, idx) => {
          if (reported.has(e.span)) return;
          // Within the route: an earlier rule with the same match wins.
          let winner: Entry | undefined = entries.slice(0, idx).find((x) => x.key === e.key && x.rule < e.rule);
          let between = false;
          if (winner === undefined) {
            // Between routes created together, the one first in namespace/name order wins.
            const found = table
              .get(listener)
              ?.get(e.key)
              ?.find((x) => x.identity < self);
            if (found !== undefined) {
              winner = found.entry;
              between = true;
            }
          }
          if (winner === undefined) return;
          reported.add(e.span);
          const same = winner.backends === e.backends;
          const me = describe(placed.obj, ns(pl) === '' ? undefined : ns(pl));
          const them = describe(winner.placed.obj, ns(winner.pl) === '' ? undefined : ns(winner.pl));
          const gw = on.find((x) => x.listener === listener)?.gateway;
          const where = `on listener ${listenerText(listener)} of Gateway ${gw === undefined ? '?' : gatewayText(gw)}`;
          const message = between
            ? `${me} rules[${e.rule}] matches exactly what ${them} rules[${winner.rule}] matches (${e.text}) ${where}: the Gateway serves the older of the two routes (created together: ${them}, first in namespace/name order), ${same ? 'and both send these requests to the same backends: one of them is redundant.' : 'so this rule gets none of these requests.'}`
            : `${me} rules[${e.rule}] matches exactly what its rules[${winner.rule}] matches (${e.text}) ${where}: the earlier rule takes every such request; ${same ? 'both send it to the same backends, so this one is redundant.' : 'this one never gets any.'}`;
          ctx.report({
            ...about(placed.obj, e.span),
            confidence: 'evidence',
            severity: same ? 'information' : 'warning',
            message,
            related: [{ uri: winner.placed.obj.uri, span: winner.span, message: `the match that wins (${winner.text})` }],
          });
        });
      }
    }
  },
};
