/**
 * Routing through Gateway API Gateways (docs/dev/gateway-api.md §7): the Service ports a Gateway's
 * data plane forwards to, through the routes attached to it (parentRefs, sectionName/port,
 * allowedRoutes, hostnames: §2–§3), for `reach` and `explain`.
 */

import type { Placed } from '../workspace/workspaceIndex.js';
import type { KObject, ServicePort } from '../model/types.js';
import { ANY_PORT_CONTROLLERS, OWN_ROUTE_CONTROLLERS, isStaticService } from '../model/anyPortBackends.js';
import type { Span } from '../types.js';
import { matchSelector } from '../model/labels.js';
import type { Tri } from '../model/labels.js';
import type { GatewayListener, GatewayObjectRef } from '../model/gateway.js';
import { GATEWAY_GROUP, acceptsKind, connectionKinds, listenerAdmitsHostnames, selectedListeners } from '../model/gateway.js';
import type { ReachEngine } from './engine.js';
import type { ServiceRef } from './routing.js';
import { findService } from './routing.js';
import type { BackendPorts } from './stunnerRoutes.js';
import { ownBackendPorts, routeSpecOf } from './stunnerRoutes.js';

export interface GatewayTarget {
  /** The route, `Kind ns/name`. */
  readonly route: string;
  /** The route object, its rule index and the backendRef (for the panel's Routes view). */
  readonly placed: Placed;
  readonly rule: number;
  readonly refSpan: Span;
  readonly service: ServiceRef;
  readonly port: ServicePort;
  /** Whether the route attaches depends on namespace labels the workspace does not show. */
  readonly maybe: boolean;
  /** The listeners it attaches to, `"pg" TCP 5432` (the Routes view names them for TLS, TCP and UDP routes). */
  readonly listeners: readonly string[];
  /**
   * Whether a listener it attaches to gives its kind connections: a TCPRoute on TLS listeners that
   * pass TLS through only gets none (§10); `reach` lists no connection through it.
   */
  readonly carries: boolean;
  /**
   * The Gateway reaches the pods of the Service on any port of the route's transport, whatever its backendRef's port
   * (`anyPortController`): `port` is then a stand-in (`anyPortOf`) whose endpoints are the pods the Service selects.
   */
  readonly anyPort: boolean;
  /**
   * The pod ports of STUNner's own UDPRoute's backendRef (`port`/`endPort`, `stunnerRoutes.ts`): with `anyPort`, only
   * those are reached; `unknown`: templated. Undefined: every port of the transport.
   */
  readonly ports?: BackendPorts;
}

/**
 * The controller of the Gateway's class when it reaches the pods of a route of `kind`'s backend Services on any port
 * and takes such routes on every listener that lists no kinds (`model/anyPortBackends.ts` `ANY_PORT_CONTROLLERS`:
 * STUNner, whose operator drops a standard UDPRoute's backendRef port); undefined otherwise.
 */
export function anyPortController(engine: ReachEngine, gw: KObject, kind: string, group = GATEWAY_GROUP): string | undefined {
  const cn = gw.gateway?.className;
  const controller = cn?.known === true ? engine.gathering.gathered.gatewayClasses.get(cn.value) : undefined;
  if (controller === undefined) return undefined;
  // A custom route kind (STUNner's own UDPRoute) is its controller's only: another Gateway does not read it.
  if (group !== GATEWAY_GROUP) return OWN_ROUTE_CONTROLLERS.get(group) === controller ? controller : undefined;
  return (ANY_PORT_CONTROLLERS.get(controller) ?? []).includes(kind) ? controller : undefined;
}

/** Whether listener `l` takes routes of `kind`: every listener that lists no kinds does on such a Gateway (`anyPort`). */
export function takesKind(l: GatewayListener, kind: string, anyPort: boolean): Tri {
  return anyPort && l.kinds === undefined && !l.kindsUnknown ? 'yes' : acceptsKind(l, kind);
}

const anyPorts = new WeakMap<Placed, Map<string, ServicePort>>();

/**
 * A stand-in port of `protocol` for a Service whose pods a route reaches on any port: port 0 with no targetPort, so
 * that its endpoints (`serviceEndpoints`) are the pods the Service selects. One object per Service and protocol.
 */
export function anyPortOf(service: ServiceRef, protocol: string): ServicePort {
  let m = anyPorts.get(service.placed);
  if (m === undefined) anyPorts.set(service.placed, (m = new Map()));
  let p = m.get(protocol);
  if (p === undefined) {
    const span = service.placed.obj.service?.portsSpan ?? { start: 0, end: 0 };
    p = {
      span,
      name: undefined,
      port: { known: true, value: 0, span },
      targetPort: undefined,
      protocol,
      protocolSpan: undefined,
      nodePort: undefined,
    };
    m.set(protocol, p);
  }
  return p;
}

function nameOf(o: { readonly name?: { readonly known: boolean; readonly value?: string } | undefined }): string | undefined {
  return o.name?.known === true ? o.name.value : undefined;
}

/** allowedRoutes.namespaces on the engine's namespace labels (docs/dev/gateway-api.md §3). */
export function admitsNamespace(engine: ReachEngine, l: GatewayListener, gatewayNs: string, routeNs: string): Tri {
  if (l.from === undefined) return 'unknown';
  if (l.from === 'All') return 'yes';
  if (l.from === 'Same') return gatewayNs === routeNs ? 'yes' : 'no';
  const sel = l.namespaceSelector;
  const labels = engine.namespaces.get(routeNs)?.labels;
  if (sel === undefined || sel.unknown || labels === undefined) return 'unknown';
  return matchSelector(sel, labels);
}

/**
 * Does a ReferenceGrant in `toNs` let a route of `kind` in `fromNs` reference the Service `toNs/name`
 * (docs/dev/gateway-api.md §4)? 'yes' within one namespace; 'unknown' when a grant there is templated.
 * Without one the Gateway does not follow the backendRef (`RefNotPermitted`).
 */
export function backendPermitted(engine: ReachEngine, kind: string, fromNs: string, toNs: string, name: string): Tri {
  if (fromNs === toNs) return 'yes';
  let doubt = false;
  for (const { placed, namespace } of engine.gathering.gathered.grants) {
    const g = placed.obj.referenceGrant;
    if (namespace !== toNs || g === undefined) continue;
    const from = g.from.some((f) => f.group === GATEWAY_GROUP && f.kind === kind && f.namespace === fromNs);
    const to = g.to.some((t) => t.group === '' && t.kind === 'Service' && (t.name === undefined || t.name === name));
    if (from && to) return 'yes';
    if (g.unknown) doubt = true;
  }
  return doubt ? 'unknown' : 'no';
}

/**
 * A StaticService a route on a STUNner Gateway names (`staticServices.ts`): the data plane reaches its prefixes, on
 * any UDP port or the ports STUNner's own UDPRoute's backendRef names (`ports`).
 */
export interface StaticTarget {
  readonly route: string;
  readonly placed: Placed;
  readonly refSpan: Span;
  readonly staticService: { readonly placed: Placed; readonly namespace: string };
  readonly maybe: boolean;
  readonly carries: boolean;
  /** The listeners the route attaches to, as `GatewayTarget.listeners`. */
  readonly listeners: readonly string[];
  readonly ports?: BackendPorts;
}

/** The StaticService `ns/name` the engine gathered (`staticServices.ts`). */
export function findStaticService(
  engine: ReachEngine,
  ns: string | undefined,
  name: string,
): { readonly placed: Placed; readonly namespace: string } | undefined {
  return engine.gathering.gathered.staticServices.find((x) => x.namespace === ns && nameOf(x.placed.obj) === name);
}

const memo = new WeakMap<ReachEngine, Map<string, { targets: readonly GatewayTarget[]; statics: readonly StaticTarget[] }>>();

function targetsOf(engine: ReachEngine, key: string): { targets: readonly GatewayTarget[]; statics: readonly StaticTarget[] } {
  let perEngine = memo.get(engine);
  if (perEngine === undefined) memo.set(engine, (perEngine = new Map()));
  const hit = perEngine.get(key);
  if (hit !== undefined) return hit;
  const statics: StaticTarget[] = [];
  const out = { targets: computeTargets(engine, key, statics), statics };
  perEngine.set(key, out);
  return out;
}

/** The Service ports the Gateway `ns/name` forwards to (weight-0 backends left out, but on STUNner, which has no weights). */
export function gatewayTargets(engine: ReachEngine, key: string): readonly GatewayTarget[] {
  return targetsOf(engine, key).targets;
}

/** The StaticServices the routes of the STUNner Gateway `ns/name` name (`StaticTarget`). */
export function gatewayStaticTargets(engine: ReachEngine, key: string): readonly StaticTarget[] {
  return targetsOf(engine, key).statics;
}

function computeTargets(engine: ReachEngine, key: string, statics: StaticTarget[]): GatewayTarget[] {
  const slash = key.indexOf('/');
  const gwNs = key.slice(0, slash);
  const gwName = key.slice(slash + 1);
  const gw = engine.gathering.gathered.gateways.find((g) => g.namespace === gwNs && nameOf(g.placed.obj) === gwName);
  if (gw === undefined) return [];
  const out: GatewayTarget[] = [];
  for (const { placed, namespace } of engine.gathering.gathered.routes) {
    const r = placed.obj;
    const spec = routeSpecOf(engine, r);
    if (spec === undefined) continue;
    let attached: Tri = 'no';
    const listeners: string[] = [];
    const l4 = r.kind === 'TLSRoute' || r.kind === 'TCPRoute' || r.kind === 'UDPRoute';
    const anyPort = anyPortController(engine, gw.placed.obj, r.kind, r.group) !== undefined;
    // STUNner's own UDPRoute (stunnerRoutes.ts): only a STUNner Gateway reads it.
    const own = r.group !== GATEWAY_GROUP;
    if (own && !anyPort) continue;
    let carries = !l4 || anyPort;
    for (const ref of spec.parentRefs) {
      if (ref.unknown || ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway' || ref.name?.known !== true || ref.name.value !== gwName)
        continue;
      const refNs = ref.namespace === undefined ? namespace : ref.namespace.known ? ref.namespace.value : undefined;
      if (refNs !== gwNs) continue;
      const hostnames = spec.hostnames?.map((h) => (h.known ? { known: true, value: h.value } : { known: false }));
      for (const l of selectedListeners(gw.placed.obj, ref) ?? []) {
        const k = takesKind(l, r.kind, anyPort);
        const n = admitsNamespace(engine, l, gwNs, namespace);
        const h = listenerAdmitsHostnames(l, hostnames);
        if (k === 'no' || n === 'no' || h === 'no') continue;
        if (l4 && connectionKinds(l).includes(r.kind)) carries = true;
        if (k === 'yes' && n === 'yes' && h === 'yes') attached = 'yes';
        else if (attached === 'no') attached = 'unknown';
        const text = `${l.name?.known === true ? `"${l.name.value}"` : '?'} ${l.protocol ?? '?'} ${l.port?.known === true ? l.port.value : '?'}`;
        if (!listeners.includes(text)) listeners.push(text);
      }
    }
    if (attached === 'no') continue;
    const protocol = r.kind === 'UDPRoute' ? 'UDP' : 'TCP';
    // STUNner's operator reads a route's first rule only (l7mp/stunner-gateway-operator `renderCluster`).
    for (const [ruleIndex, rule] of (anyPort ? spec.rules.slice(0, 1) : spec.rules).entries()) {
      for (const b of rule.backendRefs) {
        if (anyPort && !b.unknown && b.name?.known === true && isStaticService(b.group, b.kind)) {
          // STUNner's StaticService, in any namespace (STUNner implements no ReferenceGrant).
          const ns = b.namespace === undefined ? namespace : b.namespace.known ? b.namespace.value : undefined;
          const name = b.name.value;
          const ss = findStaticService(engine, ns, name);
          if (ss !== undefined)
            statics.push({
              route: `${r.kind} ${namespace}/${nameOf(r) ?? '?'}`,
              placed,
              refSpan: b.span,
              staticService: ss,
              maybe: attached === 'unknown',
              carries,
              listeners,
              ...(own ? { ports: ownBackendPorts(engine, r, b.span) } : {}),
            });
          continue;
        }
        if (b.unknown || b.group !== '' || b.kind !== 'Service' || b.name?.known !== true || (b.port?.known !== true && !anyPort)) continue;
        // A weight-0 backend gets no traffic (Gateway API); STUNner has no weights: its operator's backendRef has no
        // such field (l7mp/stunner-gateway-operator api/v1 UDPRoute, "backend weight is not supported"; the standard
        // route's conversion copies group, kind, name and namespace only), so its data plane reaches every backend.
        if (b.weight?.known === true && b.weight.value === 0 && !anyPort) continue;
        const ns = b.namespace === undefined ? namespace : b.namespace.known ? b.namespace.value : undefined;
        if (ns === undefined) continue;
        // A cross-namespace backend no ReferenceGrant permits gets no traffic; STUNner implements no ReferenceGrant, its
        // routes reach Services in any namespace (l7mp/stunner-gateway-operator README: "ReferenceGrants are not implemented").
        const permitted = anyPort ? 'yes' : backendPermitted(engine, r.kind, namespace, ns, b.name.value);
        if (permitted === 'no') continue;
        const service = findService(engine, ns, b.name.value);
        const want = b.port?.known === true ? b.port.value : undefined;
        const port =
          service === undefined
            ? undefined
            : anyPort
              ? anyPortOf(service, protocol)
              : service.placed.obj.service?.ports.find((p) => p.port?.known === true && p.port.value === want && p.protocol === protocol);
        if (service === undefined || port === undefined) continue;
        out.push({
          route: `${r.kind} ${namespace}/${nameOf(r) ?? '?'}`,
          placed,
          rule: ruleIndex,
          refSpan: b.span,
          service,
          port,
          maybe: attached === 'unknown' || permitted === 'unknown',
          listeners,
          carries,
          anyPort,
          ...(own ? { ports: ownBackendPorts(engine, r, b.span) } : {}),
        });
      }
    }
  }
  return out;
}

/** A backendRef of a route rule, as `explain --via-gateway` reads it: the Service, port and weight. */
export interface BackendRefTarget {
  readonly ns: string;
  readonly name: string;
  readonly port: number;
  readonly weight: number;
  /** STUNner's own UDPRoute (`stunnerRoutes.ts`): no ReferenceGrant needed, and the pod ports it names (`ports`). */
  readonly own?: { readonly ports: BackendPorts };
}

/** The Service backendRefs of a rule (templated ones left out). */
export function serviceBackendRefs(refs: readonly GatewayObjectRef[], routeNs: string): BackendRefTarget[] {
  const out: BackendRefTarget[] = [];
  for (const b of refs) {
    if (b.unknown || b.group !== '' || b.kind !== 'Service' || b.name?.known !== true || b.port?.known !== true) continue;
    const ns = b.namespace === undefined ? routeNs : b.namespace.known ? b.namespace.value : undefined;
    if (ns === undefined) continue;
    out.push({ ns, name: b.name.value, port: b.port.value, weight: b.weight?.known === true ? b.weight.value : 1 });
  }
  return out;
}

/**
 * A StaticService a route on a STUNner Gateway forwards to (`staticServices.ts`): addresses outside the cluster, on any
 * UDP port or the ports STUNner's own UDPRoute's backendRef names (`ports`). `name` is `ns/name`.
 */
export interface StaticBackend {
  readonly name: string;
  readonly staticService: { readonly placed: Placed; readonly namespace: string };
  readonly ports: BackendPorts;
}

/**
 * The StaticService backendRefs of the first rule of a route on a STUNner Gateway (its operator reads that rule only),
 * as `explain --via-gateway` follows them: found (in any namespace: no ReferenceGrant) or missing (`ns/name`).
 */
export function staticBackendsOf(
  engine: ReachEngine,
  o: KObject,
  refs: readonly GatewayObjectRef[],
  routeNs: string,
): { readonly found: readonly StaticBackend[]; readonly missing: readonly string[] } {
  const found: StaticBackend[] = [];
  const missing: string[] = [];
  const own = o.group !== GATEWAY_GROUP;
  for (const b of refs) {
    if (b.unknown || !isStaticService(b.group, b.kind) || b.name?.known !== true) continue;
    const ns = b.namespace === undefined ? routeNs : b.namespace.known ? b.namespace.value : undefined;
    if (ns === undefined) continue;
    const ss = findStaticService(engine, ns, b.name.value);
    if (ss === undefined) missing.push(`StaticService ${ns}/${b.name.value}`);
    else found.push({ name: `${ns}/${b.name.value}`, staticService: ss, ports: own ? ownBackendPorts(engine, o, b.span) : undefined });
  }
  return { found, missing };
}

/** A backend Service port a route forwards to, with its name (`ns/name`). */
export interface GatewayBackend {
  readonly service: ServiceRef;
  readonly port: ServicePort;
  readonly name: string;
  /** The pod ports STUNner's own UDPRoute's backendRef names (`BackendPorts`; absent: any port of the transport). */
  readonly ports?: BackendPorts;
}

/** The backends of the rule that takes a request or connection, as the Gateway resolves them. */
export interface ResolvedBackends {
  readonly backends: readonly GatewayBackend[];
  /** Backends the rule names that are not in the manifests (`ns/name:port`). */
  readonly missing: readonly string[];
  /** Cross-namespace backends no ReferenceGrant permits (the Gateway does not follow them), with the Service when it exists. */
  readonly notPermitted: ReadonlyArray<{ readonly text: string; readonly backend: GatewayBackend | undefined }>;
  /** Whether a ReferenceGrant permits some backend depends on a templated grant. */
  readonly grantUnknown: boolean;
}

/**
 * The Service ports a rule's backendRefs (of a route of `kind` in `routeNs`) name over `protocol`,
 * weight-0 ones left out (but with `anyPort`: STUNner reads no weight): those the Gateway forwards to, those not in the manifests, and those in
 * another namespace that no ReferenceGrant permits (docs/dev/gateway-api.md §4, §10). `anyPort`: the Gateway reaches
 * the Services' pods on any port (`anyPortController`): a Service by name, with its stand-in port (`anyPortOf`).
 */
export function resolveBackends(
  engine: ReachEngine,
  kind: string,
  routeNs: string,
  refs: readonly BackendRefTarget[],
  protocol: 'TCP' | 'UDP',
  anyPort = false,
): ResolvedBackends {
  const backends: GatewayBackend[] = [];
  const missing: string[] = [];
  const notPermitted: Array<{ text: string; backend: GatewayBackend | undefined }> = [];
  let grantUnknown = false;
  for (const b of refs) {
    // STUNner reads no weight (`computeTargets`).
    if (b.weight === 0 && !anyPort && b.own === undefined) continue;
    const service = findService(engine, b.ns, b.name);
    const port =
      service === undefined
        ? undefined
        : anyPort
          ? anyPortOf(service, protocol)
          : service.placed.obj.service?.ports.find((p) => p.port?.known === true && p.port.value === b.port && p.protocol === protocol);
    const ports = b.own?.ports;
    const backend =
      service === undefined || port === undefined
        ? undefined
        : { service, port, name: `${b.ns}/${b.name}`, ...(ports === undefined ? {} : { ports }) };
    const ref = anyPort ? `${b.ns}/${b.name}` : `${b.ns}/${b.name}:${b.port}${protocol === 'UDP' ? '/UDP' : ''}`;
    // STUNner implements no ReferenceGrant: its routes reach Services in any namespace (l7mp/stunner-gateway-operator README).
    const permitted = b.own !== undefined || anyPort ? 'yes' : backendPermitted(engine, kind, routeNs, b.ns, b.name);
    if (permitted === 'no') {
      notPermitted.push({
        text: `${ref}: no ReferenceGrant in namespace ${b.ns} lets ${kind}s of namespace ${routeNs} reference it`,
        backend,
      });
      continue;
    }
    if (permitted === 'unknown') grantUnknown = true;
    if (backend === undefined) missing.push(ref);
    else backends.push(backend);
  }
  return { backends, missing, notPermitted, grantUnknown };
}
