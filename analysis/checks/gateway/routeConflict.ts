/**
 * `gateway-route-conflict`: two HTTPRoute rules on the same listener match exactly the same
 * requests (hostname, path type and value, method, headers, query parameters), or two GRPCRoute
 * rules do (hostname, gRPC service and method and their match type, headers). The Gateway API's
 * precedence (docs/dev/gateway-api.md §9) then falls through to the routes' creation time and
 * namespace/name, or, within one route, to rule order: one of the two never gets a request.
 * HTTPRoutes and GRPCRoutes are never compared with each other (the API forbids merging them).
 */

import { about } from '../support/findingFields.js';
import { hostnameRank } from '../../model/gatewayMatchKeys.js';
import type { Span } from '../../types.js';
import type { Check } from '../support/check.js';
import { describe } from '../support/evidence.js';
import { listenerText } from './resolve.js';
import { L4_KINDS, reportL4Conflicts } from './l4Conflict.js';
import type { Entry } from './conflictTable.js';
import { entriesOf, unitTable } from './conflictTable.js';
import { COMPARED, gatewayText, identity, listenersOf, nsOf as ns, routesToCompare } from './routeTable.js';
import { separateTestInputs } from '../../units/testData.js';

export const gatewayRouteConflict: Check = {
  code: 'gateway-route-conflict',
  defaultSeverity: 'warning',
  summary:
    'Two HTTPRoute (or GRPCRoute) rules on one listener match the same requests, or two TLS, TCP or UDP routes take the same connections: one never gets them.',
  doc: [
    'Among the HTTPRoutes attached to a listener, a request goes to the match with the most specific hostname, then an',
    '`Exact` path over a `PathPrefix`, the longest prefix, a `method`, the most `headers`, the most `queryParams`. When',
    'two matches are equal in all of these, the **older route** wins (creation time, then namespace/name in',
    'alphabetical order), and within one route the **first rule**. A match that equals another one exactly (same',
    'hostname, path type and value, method, headers and query parameters) on the same listener therefore never gets',
    'a request: a copied route, or two teams claiming the same path. Reported on the losing match (within a route, the',
    'later rule; between routes created together, the one later in namespace/name order; the API server sets creation',
    'times when they are applied). Routes of different units (per-cluster folders, overlays), variants of one route and',
    'routes of two files of a Go `testdata` folder (test inputs a suite applies one test at a time) are never compared.',
    'The same backends on both sides are redundant (information).',
    '',
    "A route answers, on a listener, its own hostnames within the listener's (a route without `hostnames` the",
    'listener\'s hostname). Two routes answering one name there tie on it, but the API does not say whether "characters',
    'in a matching hostname" are counted on that intersection or on the routes\' own hostnames',
    '(kubernetes-sigs/gateway-api#5120; no conformance test decides it). When the older route names the host at least as',
    'specifically as the other (or both name the same), both readings agree and the other is reported as above. When the',
    'newer one names it more specifically (`hostnames: [shop.example.com]` beside an older route without hostnames on a',
    '`shop.example.com` listener, or `*.foo.example.com` beside `*.example.com` on a `*.foo.example.com` listener),',
    "which one gets the requests is the implementation's: Envoy Gateway, Cilium, Contour and Traefik rank the",
    'intersection (the older route), the proposed GatewayRouteHostnameIntersectionPrecedence the own hostnames (the',
    'newer one). That is information naming both; `explain --via-gateway` and `reach` call such a request undefined.',
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
    'TLSRoutes, TCPRoutes and UDPRoutes match no requests: two of one rank on a listener take the same connections',
    '(two TCPRoutes or two UDPRoutes on it, two TLSRoutes with the same hostname, a TLSRoute without hostnames and a',
    'TCPRoute on a TLS listener that terminates TLS), and the listener gives them to the older route, then the first',
    'in namespace/name order. The other is reported, per hostname it loses (routes with more than one rule are not',
    'judged: which rules an implementation uses for one listener is its own). A TLSRoute answers its hostnames within the',
    "listener's (one without hostnames, or a TCPRoute, the listener's own), and the open question above applies: the",
    'newer of two naming one such name, naming it more specifically, is information.',
    '',
    '```yaml',
    'kind: TCPRoute',
    'metadata: {name: postgres-b}   # postgres-a is attached to the same listener: this one gets no connection',
    'spec: {parentRefs: [{name: edge, sectionName: pg}], rules: [{backendRefs: [{name: postgres-new, port: 5432}]}]}',
    '```',
    '',
    '**Fix:** remove one of the routes, or make the matches differ (a header for the canary, another path or method;',
    'for TLS, TCP and UDP routes another hostname or listener).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      if (L4_KINDS.has(placed.obj.kind)) reportL4Conflicts(ctx, placed);
      if (!COMPARED.has(placed.obj.kind)) continue;
      const on = listenersOf(ctx, placed);
      const mine = entriesOf(ctx, placed);
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
            // Between routes created together, the one first in namespace/name order wins: for certain when its own
            // hostname is as specific as this one's (§9: the two readings of the hostname precedence agree).
            const before = table
              .get(listener)
              ?.get(e.key)
              ?.filter((x) => x.identity < self && !separateTestInputs(x.placed, placed, ctx.index.kustomizeDirs()));
            const found = before?.find((x) => hostnameRank(x.entry.own) >= hostnameRank(e.own)) ?? before?.[0];
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
          // The two tie on the name they answer here; ranked by their own hostnames instead, this one wins (§9).
          const open = between && hostnameRank(e.own) > hostnameRank(winner.own);
          const message = open
            ? openMessage(me, them, e, winner, where)
            : between
              ? `${me} rules[${e.rule}] matches exactly what ${them} rules[${winner.rule}] matches (${e.text}) ${where}: the Gateway serves the older of the two routes (created together: ${them}, first in namespace/name order), ${same ? 'and both send these requests to the same backends: one of them is redundant.' : 'so this rule gets none of these requests.'}`
              : `${me} rules[${e.rule}] matches exactly what its rules[${winner.rule}] matches (${e.text}) ${where}: the earlier rule takes every such request; ${same ? 'both send it to the same backends, so this one is redundant.' : 'this one never gets any.'}`;
          ctx.report({
            ...about(placed.obj, e.span),
            confidence: 'evidence',
            severity: same || open ? 'information' : 'warning',
            message,
            related: [
              { uri: winner.placed.obj.uri, span: winner.span, message: `the match that ${open ? 'may win' : 'wins'} (${winner.text})` },
            ],
          });
        });
      }
    }
  },
};

/** A hostname a route names, as a message says it. */
function ownText(h: string): string {
  return h === '*' ? 'no hostname (every name of the listener)' : `hostname ${h}`;
}

/**
 * Two routes answer one name on a listener, one by a more specific hostname of its own (§9): the Gateway API ranks
 * routes by "characters in a matching hostname" without saying whether of the route's own hostnames or of their
 * intersection with the listener's (kubernetes-sigs/gateway-api#5120; no conformance test decides it, #3921).
 */
function openMessage(me: string, them: string, e: Entry, winner: Entry, where: string): string {
  const host = e.host === '*' ? 'every name' : e.host;
  return (
    `${me} rules[${e.rule}] and ${them} rules[${winner.rule}] both match ${e.text} ${where}, and which of the two gets these requests is the implementation's: ` +
    `${me} names ${ownText(e.own)}, ${them} ${ownText(winner.own)}. Envoy Gateway, Cilium, Contour and Traefik rank the hostnames within the listener's (${host} for both), ` +
    `so the older route, ${them} (created together: first in namespace/name order), takes them; ranked by the routes' own hostnames ` +
    `(the Gateway API's proposal GatewayRouteHostnameIntersectionPrecedence, kubernetes-sigs/gateway-api#5120), ${me} does.`
  );
}
