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
import { gatewayStaticTargets, gatewayTargets } from '../reachability/gatewayRouting.js';
import type { BackendPorts } from '../reachability/stunnerRoutes.js';
import { backendAtoms } from '../reachability/stunnerRoutes.js';
import type { Peer } from '../reachability/verdicts.js';
import { contains } from '../reachability/ip.js';
import { externalId } from '../reachability/external.js';
import { staticPrefixes } from '../reachability/staticServices.js';
import { and, hasBit, isEmpty, or } from '../reachability/bitset.js';
import { isProtocol } from '../reachability/ports.js';
import type { Protocol } from '../reachability/ports.js';
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
      const any = t.anyPort
        ? anyPortRow(
            engine,
            isProtocol(t.port.protocol) ? t.port.protocol : 'UDP',
            t.ports,
            serviceEndpoints(engine, t.service, t.port).endpoints.flatMap((ep) => {
              const node = engine.classes[ep.cls]?.node;
              return node === undefined ? [] : [{ node, peer: { kind: 'class', index: ep.cls } as const, maybe: t.maybe || ep.maybe }];
            }),
            dp?.index,
          )
        : undefined;
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
    // STUNner's StaticServices (reachability/staticServices.ts): the external ranges within their prefixes, as `reach` lists them.
    for (const t of gatewayStaticTargets(engine, key)) {
      if (!t.carries) continue;
      const prefixes = staticPrefixes(engine, t.staticService.placed.obj).ranges;
      const ranges = engine.dstRanges.filter((r) => contains(prefixes, r.family, r.lo) && contains(prefixes, r.family, r.hi));
      const any = anyPortRow(
        engine,
        'UDP',
        t.ports,
        ranges.map((range) => ({ node: externalId(range), peer: { kind: 'ip', range } as const, maybe: t.maybe })),
        dp?.index,
      );
      const problems = problemsIn(analysis, t.placed.obj.uri, t.refSpan);
      const ss = t.staticService;
      out.push({
        gateway: key,
        route: t.route,
        rule: 0,
        matches: `listener ${t.listeners.join(', ')}`,
        service: `StaticService ${ss.namespace}/${ss.placed.obj.name?.known === true ? ss.placed.obj.name.value : '?'}`,
        port: any.port,
        endpoints: any.endpoints,
        dataPlane: dp?.node ?? null,
        location: { uri: t.placed.obj.uri, span: t.refSpan },
        ...(problems.length > 0 ? { problems } : {}),
      });
    }
  }
  return out;
}

/**
 * The Routes row of a target the Gateway reaches on any port (`GatewayTarget.anyPort`: STUNner, to the pods behind a
 * Service or a StaticService's external ranges): the ports it reaches (`any UDP port`, or the pod ports STUNner's own
 * UDPRoute names), and per destination the port `explain --via-gateway` judges (the first the policies let the data
 * plane reach, surely, else possibly, else the first of the range) and whether they let it: allowed when some port of
 * the range surely is, undefined when one may be or `maybe` (the attachment or the selection is in doubt).
 */
function anyPortRow(
  engine: ReachEngine,
  protocol: Protocol,
  ports: BackendPorts,
  destinations: ReadonlyArray<{ readonly node: string; readonly peer: Peer; readonly maybe: boolean }>,
  dp: number | undefined,
): { readonly port: string; readonly endpoints: readonly PanelEndpoint[] } {
  const reached = backendAtoms(engine.space, protocol, ports);
  const range = or(reached.atoms, reached.partly);
  const named = ports === undefined || 'unknown' in ports ? undefined : ports;
  const port =
    ports === undefined
      ? `any ${protocol} port`
      : named === undefined
        ? `${protocol} (templated ports)`
        : `${protocol} ${named.lo}${named.hi > named.lo ? `-${named.hi}` : ''}`;
  const endpoints: PanelEndpoint[] = [];
  const seen = new Set<string>();
  for (const d of destinations) {
    if (seen.has(d.node)) continue;
    seen.add(d.node);
    const v = dp === undefined ? undefined : engine.pair({ kind: 'class', index: dp }, d.peer);
    const yes = v === undefined ? engine.space.empty() : and(v.yes, reached.atoms);
    const open = v === undefined ? engine.space.empty() : and(or(v.yes, v.maybe), range);
    // Within an atom the route reaches only in part, its own first port.
    const first = isEmpty(yes) && named !== undefined ? named.lo : (engine.space.ranges(isEmpty(open) ? range : open)[0]?.port ?? 0);
    const allowed = v === undefined || d.maybe ? null : !isEmpty(yes) ? true : isEmpty(open) ? false : null;
    endpoints.push({ node: d.node, targetPort: first, allowed });
  }
  return { port, endpoints };
}
