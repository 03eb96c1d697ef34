/**
 * One request through a Gateway (docs/dev/gateway-api.md §10): which listener takes host H, which
 * HTTPRoute rule wins path P (or which GRPCRoute rule wins the gRPC method S/M) by the Gateway API's
 * precedence (§9), and the backend Services it forwards to. Read by
 * `explain --via-gateway ns/name --host H (--path P | --grpc S/M)`.
 */

import type { GatewayListener, GatewaySpec, RouteSpec } from '../model/gateway.js';
import { GATEWAY_GROUP, listenerAdmitsHostnames, selectedListeners } from '../model/gateway.js';
import type { Tri } from '../model/labels.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { ReachEngine } from './engine.js';
import { serviceEndpoints } from './routing.js';
import type { GatewayBackend, ResolvedBackends, StaticBackend } from './gatewayRouting.js';
import { admitsNamespace, anyPortController, resolveBackends, takesKind } from './gatewayRouting.js';
import type { Candidate, GatewayRequest } from './gatewayRank.js';
import { hostScore, rank, requestDetailsText, sameRank, winners } from './gatewayRank.js';
import { servicePortText } from '../model/servicePorts.js';
import { and, andNot, isEmpty, or } from './bitset.js';
import { backendAtoms } from './stunnerRoutes.js';
import type { BackendPorts } from './stunnerRoutes.js';
import type { PortVerdict } from './verdicts.js';
import { contains } from './ip.js';
import { staticPrefixes } from './staticServices.js';
import { formatConns, isProtocol } from './ports.js';
import type { Protocol } from './ports.js';
import type { Endpoint, ProbeResult } from './explain.js';
import type { GatewayConnection } from './gatewayConnection.js';
import { connectionText, routeConnectionThroughGateway } from './gatewayConnection.js';
import { hostsOf, refusalText, standing, type OnListener, type Standing } from './gatewayCrossServing.js';
import { apart, testScopes } from './testInputs.js';

/** The rule that takes a request, with its backends. */
interface RuleAnswer {
  readonly kind: 'backend';
  /** `rules[1] of HTTPRoute shop/api (PathPrefix /api) on listener "http"`. */
  readonly via: string;
  readonly backends: readonly GatewayBackend[];
  /** Backends the rule names that are not in the manifests (name:port). */
  readonly missing: readonly string[];
  /** Cross-namespace backends no ReferenceGrant permits: the Gateway does not follow them (docs/dev/gateway-api.md §4). */
  readonly notPermitted: ResolvedBackends['notPermitted'];
  /** A regular-expression match or a namespace selector decided it: the implementation may differ. */
  readonly maybe: boolean;
  /** Why, when it is not one of those: a route of the other kind answers the host (§9, cross serving). */
  readonly doubt?: string;
  /**
   * The controller of a Gateway that reaches the backends' pods on any port (`anyPortController`): the backends' ports
   * are stand-ins, and the verdict is over every port of the transport.
   */
  readonly anyPort?: string;
  /** On a STUNner Gateway: the StaticServices the rules forward to (addresses outside the cluster, `staticServices.ts`). */
  readonly statics?: readonly StaticBackend[];
}

export type GatewayRequestRoute =
  | (RuleAnswer & {
      /**
       * Another route's rule that takes it when routes are ranked by their hostnames within the listener's rather than
       * by their own (§9: the API does not say which, kubernetes-sigs/gateway-api#5120), and why.
       */
      readonly open?: { readonly why: string; readonly route: RuleAnswer };
    })
  | { readonly kind: 'none' | 'unknown'; readonly reason: string };

/** The Gateway `ns/name` of the gathered workspace, with its spec. */
export interface FoundGateway {
  readonly gw: { readonly placed: Placed; readonly namespace: string };
  readonly spec: GatewaySpec;
  readonly ns: string;
  readonly name: string;
}

export function gatewayOf(engine: ReachEngine, key: string): FoundGateway | undefined {
  const slash = key.indexOf('/');
  const ns = key.slice(0, slash);
  const name = key.slice(slash + 1);
  const gw = engine.gathering.gathered.gateways.find(
    (g) => g.namespace === ns && g.placed.obj.name?.known === true && g.placed.obj.name.value === name,
  );
  const spec = gw?.placed.obj.gateway;
  return gw === undefined || spec === undefined ? undefined : { gw, spec, ns, name };
}

/**
 * Whether some route of `kinds` may name the Gateway `found` in a parentRef (one whose reference is templated may):
 * when none does, the Gateway forwards nothing of those kinds, whatever its listeners say (a templated listener
 * hostname or port included).
 */
export function anyRouteNames(
  engine: ReachEngine,
  found: FoundGateway,
  kinds: readonly string[],
  only: ((p: Placed) => boolean) | undefined,
): boolean {
  return engine.gathering.gathered.routes.some(
    ({ placed }) =>
      kinds.includes(placed.obj.kind) &&
      only?.(placed) !== false &&
      (placed.obj.route === undefined ||
        placed.obj.route.parentRefs.some(
          (ref) => ref.unknown || ref.name?.known !== true || (ref.kind === 'Gateway' && ref.name.value === found.name),
        )),
  );
}

/** Does a route of `kind` in `namespace` attach to `listener` (parentRef, allowed kinds and namespaces, hostnames)? */
export function attachment(
  engine: ReachEngine,
  found: FoundGateway,
  listener: GatewayListener,
  kind: string,
  route: RouteSpec,
  namespace: string,
): Tri {
  let attached: Tri = 'no';
  for (const ref of route.parentRefs) {
    if (ref.unknown || ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway' || ref.name?.known !== true || ref.name.value !== found.name)
      continue;
    const refNs = ref.namespace === undefined ? namespace : ref.namespace.known ? ref.namespace.value : undefined;
    if (refNs !== found.ns) continue;
    const selected = selectedListeners(found.gw.placed.obj, ref) ?? [];
    if (!selected.includes(listener)) continue;
    const hostnames = route.hostnames?.map((x) => (x.known ? { known: true, value: x.value } : { known: false }));
    const k = takesKind(listener, kind, anyPortController(engine, found.gw.placed.obj, kind) !== undefined);
    const n = admitsNamespace(engine, listener, found.ns, namespace);
    const hn = listenerAdmitsHostnames(listener, hostnames);
    if (k === 'yes' && n === 'yes' && hn === 'yes') attached = 'yes';
    else if (attached === 'no' && k !== 'no' && n !== 'no' && hn !== 'no') attached = 'unknown';
  }
  return attached;
}

/** The HTTPRoutes and GRPCRoutes on `listener` of the Gateway `found`, with where each stands against the other kind (§9). */
export function routesOnListener(
  engine: ReachEngine,
  found: FoundGateway,
  listener: GatewayListener,
  only?: (p: Placed) => boolean,
): Map<OnListener, Standing> {
  const onListener: OnListener[] = [];
  for (const { placed, namespace } of engine.gathering.gathered.routes) {
    const r = placed.obj;
    const route = r.route;
    if ((r.kind !== 'HTTPRoute' && r.kind !== 'GRPCRoute') || route === undefined || only?.(placed) === false) continue;
    const attached = attachment(engine, found, listener, r.kind, route, namespace);
    if (attached === 'no') continue;
    const order = `${namespace}/${r.name?.known === true ? r.name.value : '?'}`;
    const apartFrom = (o: OnListener): boolean => apart(engine, placed, o.placed);
    onListener.push({
      kind: r.kind,
      label: `${r.kind} ${order}`,
      order,
      route,
      namespace,
      attached,
      hosts: hostsOf(route),
      placed,
      apartFrom,
    });
  }
  return new Map(onListener.map((r) => [r, standing(r, onListener)] as const));
}

/**
 * The HTTPRoutes and GRPCRoutes of the Gateway `key` it accepts on none of the listeners they
 * attach to (an HTTPRoute and a GRPCRoute sharing a hostname, §9), by label (`HTTPRoute shop/site`),
 * with why (on the first such listener). The panel's Routes view marks their rows.
 */
export function refusedRoutes(engine: ReachEngine, key: string): ReadonlyMap<string, string> {
  const found = gatewayOf(engine, key);
  if (found === undefined) return new Map();
  const refused = new Map<string, string>();
  const accepted = new Set<string>();
  for (const l of found.spec.listeners) {
    if (l.protocol !== 'HTTP' && l.protocol !== 'HTTPS') continue;
    const lname = l.name?.known === true ? `"${l.name.value}"` : 'a listener';
    for (const [r, st] of routesOnListener(engine, found, l)) {
      if (st.refusedBy === undefined) accepted.add(r.label);
      else if (!refused.has(r.label)) refused.set(r.label, refusalText(r, st.refusedBy, lname));
    }
  }
  for (const label of accepted) refused.delete(label);
  return refused;
}

/** The words for another protocol's listener on the asked port: which routes it takes and how to follow them. */
function otherListenerText(l: GatewayListener, port: number): string {
  const lname = l.name?.known === true ? `"${l.name.value}"` : 'a listener';
  const follow =
    l.protocol === 'TLS'
      ? ', which takes TLSRoutes (follow a connection with --sni)'
      : l.protocol === 'TCP'
        ? ', which takes TCPRoutes (follow a connection with --port)'
        : l.protocol === 'UDP'
          ? ', which takes UDPRoutes (follow a connection with --port --protocol UDP)'
          : '';
  return `listener ${lname} on port ${port} is ${l.protocol ?? 'templated'}${follow}`;
}

/**
 * Routes a GET of `host` + `path`, or a gRPC call to `host`, through the Gateway `ns/name`: to the
 * HTTP or HTTPS listener on `port` (any port when undefined) whose hostname is the most specific for `host`.
 */
export function routeThroughGateway(
  engine: ReachEngine,
  key: string,
  host: string,
  request: GatewayRequest,
  port?: number,
  only?: (p: Placed) => boolean,
): GatewayRequestRoute {
  const kind = 'grpc' in request ? 'GRPCRoute' : 'HTTPRoute';
  const asked = `${'grpc' in request ? `${host} ${request.grpc.service}/${request.grpc.method}` : `${host}${request.path}`}${requestDetailsText(request)}`;
  const found = gatewayOf(engine, key);
  if (found === undefined) return { kind: 'none', reason: `Gateway ${key} is not in the manifests` };
  const { spec } = found;
  if (!anyRouteNames(engine, found, ['HTTPRoute', 'GRPCRoute'], only))
    return {
      kind: 'none',
      reason: `no HTTPRoute or GRPCRoute names Gateway ${key}: it forwards no ${kind === 'GRPCRoute' ? 'call' : 'request'}`,
    };
  const h = host.toLowerCase();
  // The listener that takes the request: the most specific hostname among HTTP and HTTPS listeners.
  let listener: GatewayListener | undefined;
  let best = -2;
  // Listeners of other protocols on the asked port, named when no HTTP or HTTPS listener takes the host there.
  const others: string[] = [];
  for (const l of spec.listeners) {
    if (port !== undefined) {
      if (l.port === undefined || !l.port.known) return { kind: 'unknown', reason: `a listener port of Gateway ${key} is templated` };
      if (l.port.value !== port) continue;
    }
    if (l.protocol !== 'HTTP' && l.protocol !== 'HTTPS') {
      if (port !== undefined) others.push(otherListenerText(l, port));
      continue;
    }
    if (l.hostname !== undefined && !l.hostname.known)
      return { kind: 'unknown', reason: `a listener hostname of Gateway ${key} is templated` };
    const s = hostScore(l.hostname?.known === true ? l.hostname.value : undefined, h);
    if (s !== undefined && s > best) {
      best = s;
      listener = l;
    }
  }
  if (listener === undefined)
    return {
      kind: 'none',
      reason: `no HTTP or HTTPS listener of Gateway ${key}${port === undefined ? '' : ` on port ${port}`} takes host ${host}${others.length > 0 ? ` (${others.join('; ')})` : ''}`,
    };
  const lname = listener.name?.known === true ? `"${listener.name.value}"` : 'a listener';
  // Every HTTPRoute and GRPCRoute on the listener: of two of different kinds sharing a hostname the
  // Gateway accepts one (§9, gatewayCrossServing.ts), and the request is answered by the accepted routes.
  const standings = routesOnListener(engine, found, listener, only);
  const onListener = [...standings.keys()];
  const shadowed = shadowedRoutes(engine, found, listener, best, kind, h, new Set(onListener.map((r) => r.label)), only);
  const lh = listener.hostname?.known === true ? listener.hostname.value.toLowerCase() : undefined;
  const ranked = rank(onListener, kind, h, request, lh);
  const { win, other: open } = winners(ranked.candidates, (c) => standings.get(c.on)?.refusedBy === undefined);
  // A route that would take the request first but is not accepted on the listener.
  const first = ranked.candidates[0];
  const passed = first !== undefined && first !== win ? first : undefined;
  const passedBy = passed === undefined ? undefined : standings.get(passed.on)?.refusedBy;
  if (win !== undefined) {
    const st = standings.get(win.on);
    const notes: string[] = shadowed === undefined ? [] : [shadowed];
    if (passed !== undefined && passedBy !== undefined)
      notes.push(`${refusalText(passed.on, passedBy, lname)}, so rules[${passed.rule}] of ${passed.route} does not take it`);
    const beaten = st?.over.find((o) => o.route.hosts?.some((x) => hostScore(x === '*' ? undefined : x, h) !== undefined) === true);
    if (beaten !== undefined)
      notes.push(
        `${beaten.route.label}, which shares ${beaten.shared} with it, is not accepted there: of an HTTPRoute and a GRPCRoute sharing a hostname the Gateway accepts only the older (created together: ${win.route}, first in namespace/name order)`,
      );
    // Rules of other routes that match the request exactly as well: the tie-break gives it to the older route.
    const tied = [
      ...new Set(
        ranked.candidates
          .filter((c) => c.on !== win.on && standings.get(c.on)?.refusedBy === undefined && sameRank(c, win))
          .map((c) => `rules[${c.rule}] of ${c.route}`),
      ),
    ];
    if (tied.length > 0)
      notes.push(
        `${tied.join(', ')} ${tied.length === 1 ? 'matches' : 'match'} it as well: the older route wins (created together: ${win.route}, first in namespace/name order)`,
      );
    const main = answer(engine, key, lname, win, ranked.doubt, st?.undecided, notes);
    if (open === undefined) return main;
    return {
      ...main,
      open: {
        why: `which of rules[${win.rule}] of ${win.route} and rules[${open.rule}] of ${open.route} takes it is the implementation's: ranked by the routes' own hostnames (the proposed GatewayRouteHostnameIntersectionPrecedence) the first, by their hostnames within the listener's (Envoy Gateway, Cilium, Contour, Traefik) the second (kubernetes-sigs/gateway-api#5120)`,
        route: answer(engine, key, lname, open, ranked.doubt, standings.get(open.on)?.undecided, []),
      },
    };
  }
  if (passed !== undefined && passedBy !== undefined) {
    // Every route of the asked kind that would take it is refused: the accepted routes of the other
    // kind answer the host. A gRPC call is an HTTP/2 POST of /service/method; a GET of such a path
    // is what a GRPCRoute's method match names.
    const refused = refusalText(passed.on, passedBy, lname);
    const seg = 'grpc' in request ? undefined : /^\/([^/]+)\/([^/]+)$/.exec(request.path);
    const other: GatewayRequest | undefined =
      'grpc' in request
        ? { path: `/${request.grpc.service}/${request.grpc.method}`, method: 'POST' }
        : seg !== null && seg !== undefined
          ? { grpc: { service: seg[1] ?? '', method: seg[2] ?? '' } }
          : undefined;
    const otherKind = kind === 'HTTPRoute' ? 'GRPCRoute' : 'HTTPRoute';
    const answered = other === undefined ? undefined : rank(onListener, otherKind, h, other, lh);
    const by = answered?.candidates.find((c) => standings.get(c.on)?.refusedBy === undefined);
    if (by !== undefined && answered !== undefined) {
      const as =
        'grpc' in request
          ? `the call, an HTTP/2 POST of /${request.grpc.service}/${request.grpc.method},`
          : `the GET of ${request.path}, the path of gRPC method ${seg?.[1] ?? ''}/${seg?.[2] ?? ''},`;
      return answer(engine, key, lname, by, answered.doubt, standings.get(by.on)?.undecided, [
        `${refused}, so ${as} is answered by ${by.route}`,
      ]);
    }
    if (answered?.doubt === true || ranked.doubt) return { kind: 'unknown', reason: `${refused}; a route of Gateway ${key} is templated` };
    return {
      kind: 'none',
      reason: `${refused}, and no rule of the ${otherKind}s accepted there takes ${asked}: ${kind === 'HTTPRoute' ? 'the Gateway answers 404' : 'the Gateway answers UNIMPLEMENTED'}`,
    };
  }
  if (ranked.doubt) return { kind: 'unknown', reason: `a route of Gateway ${key} is templated` };
  return {
    kind: 'none',
    reason:
      kind === 'HTTPRoute'
        ? `no HTTPRoute rule on listener ${lname} of Gateway ${key} matches ${asked} (${plainText(request, 'a GET without headers or query parameters')}): the Gateway answers 404${shadowed === undefined ? '' : ` (${shadowed})`}`
        : `no GRPCRoute rule on listener ${lname} of Gateway ${key} matches ${asked} (${plainText(request, 'a call without headers')}): the Gateway answers UNIMPLEMENTED${shadowed === undefined ? '' : ` (${shadowed})`}`,
  };
}

/**
 * Routes of `kind` attached to a less specific HTTP or HTTPS listener on the port of `listener` (which took host `h` with
 * score `best`) for `h` by a hostname of their own, and not to that listener (`here`): they get none of it (§10 rule 1).
 */
function shadowedRoutes(
  engine: ReachEngine,
  found: FoundGateway,
  listener: GatewayListener,
  best: number,
  kind: string,
  h: string,
  here: ReadonlySet<string>,
  only: ((p: Placed) => boolean) | undefined,
): string | undefined {
  if (listener.port?.known !== true) return undefined;
  const out: string[] = [];
  for (const l of found.spec.listeners) {
    if (l === listener || (l.protocol !== 'HTTP' && l.protocol !== 'HTTPS') || l.port?.known !== true) continue;
    if (l.port.value !== listener.port.value || (l.hostname !== undefined && !l.hostname.known)) continue;
    const s = hostScore(l.hostname?.value, h);
    if (s === undefined || s >= best) continue;
    const name = l.name?.known === true ? `"${l.name.value}"` : 'a listener';
    for (const r of routesOnListener(engine, found, l, only).keys())
      if (r.kind === kind && !here.has(r.label) && r.route.hostnames?.some((x) => x.known && hostScore(x.value, h) !== undefined) === true)
        out.push(`${r.label}, attached to listener ${name} for ${h}`);
  }
  if (out.length === 0) return undefined;
  const lname = listener.name?.known === true ? `"${listener.name.value}"` : 'a listener';
  return `${out.join('; ')}, ${out.length === 1 ? 'gets' : 'get'} none of it: listener ${lname} has the more specific hostname on port ${listener.port.value}`;
}

/** How the answer describes the request when no rule takes it: `plain` for a request without method, headers or query, else what it carried. */
function plainText(request: GatewayRequest, plain: string): string {
  const d = requestDetailsText(request);
  return d === '' ? plain : `a ${'grpc' in request ? 'call' : 'request'} with ${d.slice(2, -1)}`;
}

/** Why a verdict is undefined when a templated ReferenceGrant may permit a backend. */
export const GRANT_UNKNOWN = 'whether a ReferenceGrant permits a cross-namespace backend depends on a templated grant';

/** The answer by the rule `win`: its backends, and what else the reader should know (`notes`, `undecided`). */
function answer(
  engine: ReachEngine,
  key: string,
  lname: string,
  win: Candidate,
  doubt: boolean,
  undecided: string | undefined,
  notes: readonly string[],
): RuleAnswer {
  const via = `rules[${win.rule}] of ${win.route} (${win.match.text}) on listener ${lname} of Gateway ${key}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
  const r = resolveBackends(engine, win.on.kind, win.on.namespace, win.backends, 'TCP');
  const why = undecided ?? (r.grantUnknown ? GRANT_UNKNOWN : undefined);
  return {
    kind: 'backend',
    via,
    backends: r.backends,
    missing: r.missing,
    notPermitted: r.notPermitted,
    maybe: win.maybe || win.regex || doubt || why !== undefined,
    ...(why !== undefined ? { doubt: why } : {}),
  };
}

/** What `explain --via-gateway` asks: an HTTP or gRPC request through a Gateway, or a TLS, TCP or UDP connection. */
type ViaGateway =
  | ({ readonly gateway: string; readonly host: string; readonly port?: number } & GatewayRequest)
  | ({ readonly gateway: string } & GatewayConnection);

/** The verdict of a probe from the Gateway's data plane to an endpoint. */
type Judge = (src: Endpoint, dst: Endpoint, protocol: string, port: number, prefix: string) => ProbeResult;

/**
 * `explain --via-gateway` (docs/dev/gateway-api.md §10): a GET of host + path (or a gRPC call)
 * through a Gateway, the winning HTTPRoute (GRPCRoute) rule's backends — or a TLS, TCP or UDP
 * connection and the TLSRoute, TCPRoute or UDPRoute taking it — then `judge`'s verdict from the
 * Gateway's data plane to the endpoint `dst` (named `to`).
 */
export function explainViaGateway(engine: ReachEngine, to: string, via: ViaGateway, dst: Endpoint, judge: Judge): ProbeResult {
  // Routes of several files of one testdata folder: one test's routes at a time (testInputs.ts).
  const gwName = via.gateway.slice(via.gateway.indexOf('/') + 1);
  const naming = engine.gathering.gathered.routes
    .filter(({ placed }) => placed.obj.route?.parentRefs.some((ref) => ref.name?.known === true && ref.name.value === gwName) === true)
    .map(({ placed }) => placed);
  const scopes = testScopes(engine, naming);
  if (scopes === undefined) return explainInScope(engine, to, via, dst, judge, undefined);
  const results = scopes.map((sc) => ({ sc, v: explainInScope(engine, to, via, dst, judge, sc.only) }));
  const file = (u: string): string => u.slice(u.lastIndexOf('/') + 1);
  const folder = decodeURIComponent((scopes[0]?.folder ?? '').replace(/^file:\/\//, ''));
  const lead = `the routes of Gateway ${via.gateway} come from several files of the testdata folder ${folder}, inputs of separate tests applied one at a time`;
  // Reached in some test: that test's answer, as reach lists the connection.
  const hit = results.find((x) => x.v.allowed === true) ?? results.find((x) => x.v.allowed === null);
  if (hit !== undefined) return { ...hit.v, reason: `${lead}; with ${file(hit.sc.file)}: ${hit.v.reason}` };
  const first = results[0];
  if (first === undefined || results.every((x) => x.v.reason === first.v.reason))
    return first === undefined
      ? explainInScope(engine, to, via, dst, judge, undefined)
      : { ...first.v, reason: `${lead}; in each: ${first.v.reason}` };
  return {
    allowed: false,
    reason: `${lead}; ${results.map((x) => `with ${file(x.sc.file)}: ${x.v.reason}`).join('; ')}`,
    decidedBy: results.flatMap((x) => x.v.decidedBy),
  };
}

/** `explainViaGateway` over the routes `only` keeps (all when undefined). */
function explainInScope(
  engine: ReachEngine,
  to: string,
  via: ViaGateway,
  dst: Endpoint,
  judge: Judge,
  only: ((p: Placed) => boolean) | undefined,
): ProbeResult {
  const key = via.gateway;
  let r: GatewayRequestRoute;
  let asked: string;
  if ('connection' in via) {
    r = routeConnectionThroughGateway(engine, key, via, only);
    asked = connectionText(via);
  } else {
    const request: GatewayRequest =
      'grpc' in via
        ? { grpc: via.grpc, ...(via.headers === undefined ? {} : { headers: via.headers }) }
        : {
            path: via.path,
            ...(via.method === undefined ? {} : { method: via.method }),
            ...(via.headers === undefined ? {} : { headers: via.headers }),
            ...(via.query === undefined ? {} : { query: via.query }),
          };
    r = routeThroughGateway(engine, key, via.host, request, via.port, only);
    asked = `${'grpc' in via ? `${via.host} ${via.grpc.service}/${via.grpc.method}` : `${via.host}${via.path}`}${requestDetailsText(request)}${via.port === undefined ? '' : ` (port ${via.port})`}`;
  }
  if (r.kind !== 'backend') return { allowed: r.kind === 'none' ? false : null, reason: r.reason, decidedBy: [] };
  const connection = 'connection' in via;
  const v = throughRule(engine, key, to, r, `${asked} ${connection ? 'goes to' : 'matches'} ${r.via}`, connection, dst, judge);
  if (r.open === undefined) return v;
  // Ranked by their hostnames within the listener's, another route's rule takes it (§9): the verdicts of both.
  const w = throughRule(
    engine,
    key,
    to,
    r.open.route,
    `${asked} ${connection ? 'goes to' : 'matches'} ${r.open.route.via}`,
    connection,
    dst,
    judge,
  );
  if (v.allowed === w.allowed) return { ...v, reason: `${v.reason}; ${r.open.why}, and ${w.reason}` };
  return {
    allowed: v.allowed === false && w.allowed === false ? false : null,
    reason: `${r.open.why}: by the first, ${v.reason}; by the second, ${w.reason}`,
    decidedBy: [...v.decidedBy, ...w.decidedBy],
  };
}

/** The verdict for `dst` of a request or connection `r` takes (`at`: what it matched, as the answer says it). */
function throughRule(
  engine: ReachEngine,
  key: string,
  to: string,
  r: RuleAnswer,
  at: string,
  connection: boolean,
  dst: Endpoint,
  judge: (src: Endpoint, dst: Endpoint, protocol: string, port: number, prefix: string) => ProbeResult,
): ProbeResult {
  const dpIndex = engine.model.gatewayDataPlanes.get(key)?.[0];
  const dp = dpIndex === undefined ? undefined : engine.classes[dpIndex];
  if (dp === undefined)
    return { allowed: null, reason: `${at}, but no data plane is known for Gateway ${key} (kubeReach.gatewayControllers)`, decidedBy: [] };
  const left = [
    ...(r.missing.length > 0 ? [`not in the manifests: ${r.missing.join(', ')}`] : []),
    ...(r.notPermitted.length > 0 ? [`not permitted: ${r.notPermitted.map((x) => x.text).join('; ')}`] : []),
  ];
  const missing = left.length > 0 ? ` (${left.join('; ')})` : '';
  const selects = (b: GatewayBackend) =>
    dst.kind === 'pod' ? serviceEndpoints(engine, b.service, b.port).endpoints.find((x) => x.cls === dst.cls) : undefined;
  // The endpoint is behind a backend the Gateway may not follow: it gets none of this traffic.
  const refused = r.notPermitted.find((x) => x.backend !== undefined && selects(x.backend) !== undefined);
  if (refused?.backend !== undefined && !r.backends.some((b) => selects(b) !== undefined))
    return {
      allowed: false,
      reason: `${at}, to Service ${refused.backend.name}, which the Gateway does not follow (${refused.text}; RefNotPermitted): ${to} gets none of it`,
      decidedBy: [],
    };
  const statics = r.statics ?? [];
  if (r.backends.length === 0 && statics.length === 0)
    return {
      allowed: false,
      reason: `${at}, which forwards to no Service${missing}: ${connection ? 'the Gateway rejects the connection' : 'the Gateway answers 500'}`,
      decidedBy: [],
    };
  const src: Endpoint = { kind: 'pod', cls: dp.index, replica: 0, label: dp.node };
  // Any port (or the ports STUNner's own UDPRoute names) of a pod or of a StaticService's addresses: the ports the
  // policies let the data plane reach, judged on the first of them.
  const anyPortVerdict = (v: PortVerdict, protocol: Protocol, ports: BackendPorts, what: string, maybe: boolean): ProbeResult => {
    const named = ports === undefined ? undefined : backendAtoms(engine.space, protocol, ports);
    const every = named === undefined ? engine.space.protocol(protocol) : or(named.atoms, named.partly);
    // Atoms the route reaches only in part: whether a connection there is forwarded depends on the port.
    const partly = named?.partly ?? engine.space.empty();
    const yes = andNot(and(v.yes, every), partly);
    const maybeAtoms = andNot(and(or(v.yes, v.maybe), every), yes);
    // Within an atom the route reaches only in part, the route's own first port.
    const own = ports === undefined || 'unknown' in ports ? undefined : ports.lo;
    const port =
      isEmpty(yes) && own !== undefined
        ? own
        : (engine.space.ranges(isEmpty(yes) ? (isEmpty(maybeAtoms) ? every : maybeAtoms) : yes)[0]?.port ?? 1);
    const open = or(yes, maybeAtoms);
    const allowedText = isEmpty(open) ? `no ${protocol} port` : formatConns(engine.space, open);
    const where = named === undefined ? `any ${protocol} port` : isEmpty(every) ? `no ${protocol} port` : formatConns(engine.space, every);
    const prefix = `${at}, to ${what} on ${where} of ${to}: the policies let the data plane reach ${allowedText} of it; ${protocol}/${port}: `;
    const w = judge(src, dst, protocol, port, prefix);
    if (isEmpty(yes) && named?.why !== undefined && w.allowed !== false)
      return { ...w, allowed: null, reason: `${w.reason}; ${named.why}` };
    return maybe ? { ...w, allowed: w.allowed === false ? false : null } : w;
  };
  // A StaticService's addresses (`staticServices.ts`): an address or range wholly within its prefixes.
  if (dst.kind === 'host')
    for (const b of statics) {
      const prefixes = staticPrefixes(engine, b.staticService.placed.obj).ranges;
      const range = dst.peer.range;
      if (!contains(prefixes, range.family, range.lo) || !contains(prefixes, range.family, range.hi)) continue;
      const v = engine.pair({ kind: 'class', index: dp.index }, dst.peer);
      return anyPortVerdict(v, 'UDP', b.ports, `StaticService ${b.name}`, r.maybe);
    }
  for (const b of r.backends) {
    const ep = selects(b);
    if (ep === undefined) continue;
    const protocol = b.port.protocol;
    if (r.anyPort !== undefined && isProtocol(protocol)) {
      const v = engine.pair({ kind: 'class', index: dp.index }, { kind: 'class', index: ep.cls });
      return anyPortVerdict(v, protocol, b.ports, `Service ${b.name}`, ep.maybe || r.maybe);
    }
    const prefix = `${at}, to Service ${b.name} port ${servicePortText(b.port)}, ${protocol}/${ep.port} of ${to}; `;
    const v = judge({ kind: 'pod', cls: dp.index, replica: 0, label: dp.node }, dst, protocol, ep.port, prefix);
    if ((ep.maybe || r.maybe) && v.allowed !== false)
      return {
        ...v,
        allowed: null,
        reason: `${v.reason}; ${ep.maybe ? 'whether the Service selects the pods depends on a templated value' : (r.doubt ?? 'the match or the attachment depends on what the workspace does not show (a regular expression, a namespace selector, a templated route)')}`,
      };
    return v;
  }
  const names = [...new Set(r.backends.map((b) => b.name))];
  for (const b of statics) names.push(`StaticService ${b.name}`);
  return {
    allowed: false,
    reason: `${at}, whose backends (${names.join(', ')})${missing} ${statics.length > 0 ? 'neither select nor hold' : 'do not select'} ${to}`,
    decidedBy: [],
  };
}
