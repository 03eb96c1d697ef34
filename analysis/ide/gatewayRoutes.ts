/**
 * The panel's Routes view (`kubeReach/reachabilityContext` `gatewayRoutes`): per Gateway, each
 * backend of each route attached to it (reachability/gatewayRouting.ts), the pods behind its
 * Service port, and whether NetworkPolicies let the Gateway's data plane connect to each
 * (docs/dev/gateway-api.md §7). Pure over a snapshot and its engine.
 */

import type { Analysis } from '../host.js';
import type { RouteMatch } from '../model/gateway.js';
import { servicePortText } from '../model/servicePorts.js';
import { hasBit } from '../reachability/bitset.js';
import type { ReachEngine } from '../reachability/engine.js';
import { gatewayTargets } from '../reachability/gatewayRouting.js';
import { refusedRoutes } from '../reachability/gatewayRequest.js';
import { losingRoutes } from '../reachability/gatewayConnection.js';
import { serviceEndpoints } from '../reachability/routing.js';
import type { Location } from '../types.js';
import type { ObjectProblem } from './problems.js';
import { problemsIn } from './problems.js';

/** A pod (node) behind a route's or an Ingress path's Service port, and whether policies let the data plane reach it. */
export interface PanelEndpoint {
  readonly node: string;
  readonly targetPort: number;
  readonly allowed: boolean | null;
}

export interface GatewayRouteRow {
  readonly gateway: string;
  readonly route: string;
  readonly rule: number;
  readonly matches: string;
  readonly service: string;
  readonly port: string;
  readonly endpoints: readonly PanelEndpoint[];
  readonly dataPlane: string | null;
  readonly location: Location;
  readonly problems?: readonly ObjectProblem[];
}

function matchWords(m: RouteMatch): string {
  const parts = [`${m.pathType} ${m.path}`];
  if (m.method !== undefined) parts.push(m.method);
  for (const h of m.headers) parts.push(`header ${h.name}${h.type === 'Exact' ? '=' : '~'}${h.value}`);
  for (const q of m.queryParams) parts.push(`?${q.name}${q.type === 'Exact' ? '=' : '~'}${q.value}`);
  return parts.join(' ');
}

export function gatewayRouteRows(analysis: Analysis, engine: ReachEngine): GatewayRouteRow[] {
  const out: GatewayRouteRow[] = [];
  const keys = engine.gathering.gathered.gateways
    .map((g) => `${g.namespace}/${g.placed.obj.name?.known === true ? g.placed.obj.name.value : '?'}`)
    .sort();
  for (const key of keys) {
    const dpIndex = engine.model.gatewayDataPlanes.get(key)?.[0];
    const dp = dpIndex === undefined ? undefined : engine.classes[dpIndex];
    // HTTPRoutes and GRPCRoutes the Gateway does not accept (one of each kind sharing a hostname, §9).
    const refused = refusedRoutes(engine, key);
    // TLS, TCP and UDP routes an older route of the same rank takes every connection from (§10).
    const losing = losingRoutes(engine, key);
    for (const t of gatewayTargets(engine, key)) {
      // A route whose Gateway reaches its backends' pods on any port (STUNner) has no target port to show.
      if (t.anyPort) continue;
      const o = t.placed.obj;
      const rule = o.route?.rules[t.rule];
      const hosts = (o.route?.hostnames ?? []).map((h) => (h.known ? h.value : '(templated)'));
      const matches =
        rule === undefined || rule.matchesUnknown
          ? o.kind === 'HTTPRoute'
            ? '(templated)'
            : ''
          : rule.matches.map(matchWords).join(' | ');
      // TLS, TCP and UDP routes match no requests: the listeners they take connections on say where.
      const l4 = o.kind === 'TLSRoute' || o.kind === 'TCPRoute' || o.kind === 'UDPRoute';
      const words = (
        l4
          ? [o.kind === 'TLSRoute' ? (hosts.length > 0 ? hosts.join(', ') : '*') : '', `listener ${t.listeners.join(', ')}`]
          : [hosts.length > 0 ? hosts.join(', ') : '*', matches === '' && o.kind === 'HTTPRoute' ? 'PathPrefix /' : matches]
      )
        .filter((x) => x !== '')
        .join(' · ');
      const endpoints: PanelEndpoint[] = [];
      const seen = new Set<string>();
      for (const ep of serviceEndpoints(engine, t.service, t.port).endpoints) {
        const dst = engine.classes[ep.cls];
        if (dst === undefined || seen.has(`${dst.node}:${ep.port}`)) continue;
        seen.add(`${dst.node}:${ep.port}`);
        let allowed: boolean | null = null;
        if (dp !== undefined && !t.maybe && !ep.maybe) {
          const v = engine.pair({ kind: 'class', index: dp.index }, { kind: 'class', index: ep.cls });
          const atom = engine.space.atomOf(ep.protocol, ep.port);
          allowed = hasBit(v.yes, atom) ? true : hasBit(v.maybe, atom) ? null : false;
        }
        endpoints.push({ node: dst.node, targetPort: ep.port, allowed });
      }
      const why = refused.get(t.route);
      const lost = losing.get(t.route)?.open === true ? undefined : losing.get(t.route);
      // A rule that loses its matches to an equal one of an older route (or an earlier rule): the
      // `gateway-route-conflict` findings on its matches, beside those on the backendRef.
      const conflicts =
        rule === undefined || l4 ? [] : problemsIn(analysis, o.uri, rule.span).filter((p) => p.code === 'gateway-route-conflict');
      const problems = [
        ...(why !== undefined
          ? [{ code: 'gateway-route-hostname-conflict', message: `${why}: it serves nothing through Gateway ${key}` }]
          : []),
        ...(lost !== undefined ? [{ code: lost.code, message: `${lost.why}: it serves nothing through Gateway ${key}` }] : []),
        ...conflicts,
        ...problemsIn(analysis, o.uri, t.refSpan).filter((p) => !conflicts.some((c) => c.code === p.code && c.message === p.message)),
      ];
      out.push({
        gateway: key,
        route: t.route,
        rule: t.rule,
        matches: words,
        service: `${t.service.namespace}/${t.service.placed.obj.name?.known === true ? t.service.placed.obj.name.value : '?'}`,
        port: servicePortText(t.port),
        endpoints,
        dataPlane: dp?.node ?? null,
        location: { uri: o.uri, span: t.refSpan },
        ...(problems.length > 0 ? { problems } : {}),
      });
    }
  }
  return out;
}
