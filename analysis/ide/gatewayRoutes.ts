/**
 * The panel's Routes view (`kubeReach/reachabilityContext` `gatewayRoutes`): per Gateway, each
 * backend of each route attached to it (reachability/gatewayRouting.ts), the pods behind its
 * Service port, and whether NetworkPolicies let the Gateway's data plane connect to each
 * (docs/dev/gateway-api.md §7). Pure over a snapshot and its engine.
 */

import type { Analysis } from '../host.js';
import type { RouteMatch } from '../model/gateway.js';
import { servicePortText } from '../model/servicePorts.js';
import type { ReachEngine } from '../reachability/engine.js';
import type { GatewayTarget } from '../reachability/gatewayRouting.js';
import { gatewayTargets } from '../reachability/gatewayRouting.js';
import { backendAtoms } from '../reachability/stunnerRoutes.js';
import { and, hasBit, isEmpty, or } from '../reachability/bitset.js';
import { isProtocol } from '../reachability/ports.js';
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
      // A Gateway that reaches the backends' pods on any port (STUNner): one endpoint per pod, at the port `anyPortRow` picks.
      const any = t.anyPort ? anyPortRow(engine, t, dp?.index) : undefined;
      for (const ep of any === undefined ? serviceEndpoints(engine, t.service, t.port).endpoints : []) {
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
        port: any?.port ?? servicePortText(t.port),
        endpoints: any?.endpoints ?? endpoints,
        dataPlane: dp?.node ?? null,
        location: { uri: o.uri, span: t.refSpan },
        ...(problems.length > 0 ? { problems } : {}),
      });
    }
  }
  return out;
}

/**
 * The Routes row of a target the Gateway reaches on any port (`GatewayTarget.anyPort`: STUNner): the ports it reaches
 * (`any UDP port`, or the pod ports STUNner's own UDPRoute names), and per pod behind the Service the port `explain
 * --via-gateway` judges (the first the policies let the data plane reach, surely, else possibly, else the first of
 * the range) and whether they let it: allowed when some port of the range surely is, undefined when one may be.
 */
function anyPortRow(
  engine: ReachEngine,
  t: GatewayTarget,
  dp: number | undefined,
): { readonly port: string; readonly endpoints: readonly PanelEndpoint[] } {
  const protocol = isProtocol(t.port.protocol) ? t.port.protocol : 'UDP';
  const reached = backendAtoms(engine.space, protocol, t.ports);
  const range = or(reached.atoms, reached.partly);
  const named = t.ports === undefined || 'unknown' in t.ports ? undefined : t.ports;
  const port =
    t.ports === undefined
      ? `any ${protocol} port`
      : named === undefined
        ? `${protocol} (templated ports)`
        : `${protocol} ${named.lo}${named.hi > named.lo ? `-${named.hi}` : ''}`;
  const endpoints: PanelEndpoint[] = [];
  const seen = new Set<string>();
  for (const ep of serviceEndpoints(engine, t.service, t.port).endpoints) {
    const dst = engine.classes[ep.cls];
    if (dst === undefined || seen.has(dst.node)) continue;
    seen.add(dst.node);
    const v = dp === undefined ? undefined : engine.pair({ kind: 'class', index: dp }, { kind: 'class', index: ep.cls });
    const yes = v === undefined ? engine.space.empty() : and(v.yes, reached.atoms);
    const open = v === undefined ? engine.space.empty() : and(or(v.yes, v.maybe), range);
    // Within an atom the route reaches only in part, its own first port.
    const first = isEmpty(yes) && named !== undefined ? named.lo : (engine.space.ranges(isEmpty(open) ? range : open)[0]?.port ?? 0);
    // As for a target port: unknown when the attachment or the selection is in doubt.
    const allowed = v === undefined || t.maybe || ep.maybe ? null : !isEmpty(yes) ? true : isEmpty(open) ? false : null;
    endpoints.push({ node: dst.node, targetPort: first, allowed });
  }
  return { port, endpoints };
}
