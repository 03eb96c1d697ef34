/**
 * Gateway API (gateway.networking.k8s.io): GatewayClass, Gateway, the routes (HTTPRoute,
 * GRPCRoute, TLSRoute, TCPRoute, UDPRoute) and ReferenceGrant, lowered into the facts the
 * gateway checks, hover and completion read. Semantics and sources: docs/dev/gateway-api.md.
 *
 * References carry the API's defaults already applied (a parentRef's group and kind are
 * `gateway.networking.k8s.io`/`Gateway`, a backendRef's are the core group and `Service`), and
 * their namespace as written (undefined: the referrer's own).
 */

import type { Span } from '../types.js';
import type { YNode } from '../syntax/tree.js';
import { get, getPath, isMap, isScalar, isSeq, pair } from '../syntax/tree.js';
import type { Tri } from './labels.js';
import type { KObject, Selector, Value } from './types.js';
import { exact, numberValue, plainString, selector, stringValue } from './values.js';
import { namePlaceholder } from './apiFormats.js';

/**
 * A listener or route hostname; one holding an upper-case placeholder word (`juice-shop.REPLACE_ME`, replaced by a
 * script before applying, as names are: apiFormats.ts `namePlaceholder`) is not known here.
 */
function hostnameValue(n: YNode | undefined): Value<string> | undefined {
  const v = stringValue(n);
  return v?.known === true && namePlaceholder(v.value) ? { known: false, span: v.span } : v;
}

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** The route kinds Kube Reach reads, all in GATEWAY_GROUP. */
export const ROUTE_KINDS: readonly string[] = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

/** A reference to another object (parentRef, backendRef, certificateRef), defaults applied. */
export interface GatewayObjectRef {
  readonly span: Span;
  readonly group: string;
  readonly kind: string;
  readonly name: Value<string> | undefined;
  /** As written; undefined means the referrer's namespace. */
  readonly namespace: Value<string> | undefined;
  /** parentRef and backendRef `port`. */
  readonly port: Value<number> | undefined;
  /** parentRef `sectionName`. */
  readonly sectionName: Value<string> | undefined;
  /** backendRef `weight` (absent means 1). */
  readonly weight: Value<number> | undefined;
  /** Group or kind is templated: the reference's target is unknown. */
  readonly unknown: boolean;
}

export type FromNamespaces = 'Same' | 'All' | 'Selector';

export interface GatewayListener {
  readonly span: Span;
  readonly name: Value<string> | undefined;
  readonly port: Value<number> | undefined;
  /** undefined when absent or templated (see `protocolKnown`). */
  readonly protocol: string | undefined;
  readonly protocolSpan: Span | undefined;
  /** undefined: the listener matches every hostname. */
  readonly hostname: Value<string> | undefined;
  /** allowedRoutes.namespaces.from (default Same); undefined when templated or not a known value. */
  readonly from: FromNamespaces | undefined;
  readonly fromSpan: Span | undefined;
  readonly namespaceSelector: Selector | undefined;
  /** allowedRoutes.kinds; undefined when absent or empty (the protocol decides). */
  readonly kinds: ReadonlyArray<{ readonly group: string; readonly kind: string; readonly span: Span }> | undefined;
  readonly kindsUnknown: boolean;
  /** tls.mode (default Terminate). */
  readonly tlsMode: string | undefined;
  readonly certificateRefs: readonly GatewayObjectRef[];
  /** Some part of the listener is templated or structurally unknown. */
  readonly unknown: boolean;
}

export interface GatewaySpec {
  readonly className: Value<string> | undefined;
  readonly listeners: readonly GatewayListener[];
  /** The listener list is templated (listeners may be added or hidden). */
  readonly listenersUnknown: boolean;
}

/** One HTTPRoute match (docs/dev/gateway-api.md §9), defaults applied: path PathPrefix `/`, header and query types Exact. */
export interface RouteMatch {
  readonly span: Span;
  readonly pathType: string;
  readonly path: string;
  readonly method: string | undefined;
  /** Header names lower-cased (they match case-insensitively). */
  readonly headers: ReadonlyArray<{ readonly type: string; readonly name: string; readonly value: string }>;
  readonly queryParams: ReadonlyArray<{ readonly type: string; readonly name: string; readonly value: string }>;
}

/** The match of a rule without `matches`: every request (PathPrefix `/`). */
export const MATCH_EVERYTHING: RouteMatch = {
  span: { start: 0, end: 0 },
  pathType: 'PathPrefix',
  path: '/',
  method: undefined,
  headers: [],
  queryParams: [],
};

/** A rule's matches, the implicit one when it has none. */
export function ruleMatches(r: { readonly matches: readonly RouteMatch[] }): readonly RouteMatch[] {
  return r.matches.length > 0 ? r.matches : [MATCH_EVERYTHING];
}

/** A GRPCRoute match (docs/dev/gateway-api.md §9). */
export interface GrpcMatch {
  readonly span: Span;
  /** The method match's `type`: `Exact` (the default) or `RegularExpression`. */
  readonly type: string;
  /** `service` and `method`; '' when omitted (any). A match without `method` has both ''. */
  readonly service: string;
  readonly method: string;
  /** Header names lower-cased (they match case-insensitively), sorted by name. */
  readonly headers: ReadonlyArray<{ readonly type: string; readonly name: string; readonly value: string }>;
}

export interface RouteRule {
  readonly span: Span;
  readonly backendRefs: readonly GatewayObjectRef[];
  readonly backendRefsUnknown: boolean;
  /** HTTPRoute matches; empty when the rule has none (it matches every request: PathPrefix `/`). */
  readonly matches: readonly RouteMatch[];
  /** Some match is templated, or the route is not an HTTPRoute (matches are not read). */
  readonly matchesUnknown: boolean;
  /** A GRPCRoute rule's matches (empty: every request); undefined for other kinds, or when templated. */
  readonly grpcMatches?: readonly GrpcMatch[];
}

export interface RouteSpec {
  readonly parentRefs: readonly GatewayObjectRef[];
  readonly parentRefsUnknown: boolean;
  /** undefined: absent (every hostname). */
  readonly hostnames: ReadonlyArray<Value<string>> | undefined;
  readonly hostnamesSpan: Span | undefined;
  readonly rules: readonly RouteRule[];
  readonly rulesUnknown: boolean;
}

export interface ReferenceGrantSpec {
  readonly from: ReadonlyArray<{ readonly group: string; readonly kind: string; readonly namespace: string }>;
  /** `name` undefined: every object of the kind. */
  readonly to: ReadonlyArray<{ readonly group: string; readonly kind: string; readonly name: string | undefined }>;
  /** Some entry is templated: the grant may permit more than it shows. */
  readonly unknown: boolean;
}

/**
 * A Gateway API object that makes nothing: a route, grant, class or policy (a Gateway's controller
 * may make a Service and pods; nothing else of the group does).
 */
export function isInertGatewayObject(o: { readonly group: string; readonly kind: string }): boolean {
  return o.group === GATEWAY_GROUP && o.kind !== 'Gateway';
}

export function isGatewayKind(o: { readonly group: string; readonly kind: string }): boolean {
  return o.group === GATEWAY_GROUP && o.kind === 'Gateway';
}

export function isRouteKind(o: { readonly group: string; readonly kind: string }): boolean {
  return o.group === GATEWAY_GROUP && ROUTE_KINDS.includes(o.kind);
}

/** A group or kind field: its literal value, the default when absent, undefined when templated. */
function groupOrKind(n: YNode | undefined, fallback: string): string | undefined {
  if (n === undefined || (isScalar(n) && !n.unknown && n.value === null)) return fallback;
  const v = stringValue(n);
  if (v === undefined) return fallback;
  return v.known ? v.value : undefined;
}

function objectRef(n: YNode, group: string, kind: string): GatewayObjectRef {
  const g = groupOrKind(get(n, 'group'), group);
  const k = groupOrKind(get(n, 'kind'), kind);
  return {
    span: n.span,
    group: g ?? '',
    kind: k ?? '',
    name: stringValue(get(n, 'name')),
    namespace: stringValue(get(n, 'namespace')),
    port: numberValue(get(n, 'port')),
    sectionName: stringValue(get(n, 'sectionName')),
    weight: numberValue(get(n, 'weight')),
    unknown: g === undefined || k === undefined || !isMap(n) || n.unknown,
  };
}

function refList(n: YNode | undefined, group: string, kind: string): { refs: GatewayObjectRef[]; unknown: boolean } {
  if (n === undefined) return { refs: [], unknown: false };
  if (!isSeq(n)) return { refs: [], unknown: !isScalar(n) || n.unknown || n.value !== null };
  return { refs: exact(n.items.map((it) => objectRef(it, group, kind))), unknown: n.unknown };
}

function lowerListener(n: YNode): GatewayListener {
  const allowed = get(n, 'allowedRoutes');
  const nsNode = get(allowed, 'namespaces');
  const fromNode = get(nsNode, 'from');
  const fromV = stringValue(fromNode);
  const from: FromNamespaces | undefined =
    fromV === undefined
      ? 'Same'
      : fromV.known && ['Same', 'All', 'Selector'].includes(fromV.value)
        ? (fromV.value as FromNamespaces)
        : undefined;
  const kindsNode = get(allowed, 'kinds');
  let kinds: Array<{ group: string; kind: string; span: Span }> | undefined;
  let kindsUnknown = false;
  if (isSeq(kindsNode)) {
    kindsUnknown = kindsNode.unknown;
    const list: Array<{ group: string; kind: string; span: Span }> = [];
    for (const it of kindsNode.items) {
      const g = groupOrKind(get(it, 'group'), GATEWAY_GROUP);
      const k = plainString(get(it, 'kind'));
      if (g === undefined || k === undefined || !isMap(it) || it.unknown) kindsUnknown = true;
      else list.push({ group: g, kind: k, span: it.span });
    }
    kinds = list.length > 0 || kindsUnknown ? exact(list) : undefined;
  } else if (kindsNode !== undefined && !(isScalar(kindsNode) && !kindsNode.unknown && kindsNode.value === null)) {
    kindsUnknown = true;
  }
  const tls = get(n, 'tls');
  const certs = refList(get(tls, 'certificateRefs'), '', 'Secret');
  const protoNode = get(n, 'protocol');
  const selNode = get(nsNode, 'selector');
  return {
    span: n.span,
    name: stringValue(get(n, 'name')),
    port: numberValue(get(n, 'port')),
    protocol: plainString(protoNode),
    protocolSpan: protoNode?.span,
    hostname: hostnameValue(get(n, 'hostname')),
    from,
    fromSpan: fromNode?.span,
    namespaceSelector: selector(selNode),
    kinds,
    kindsUnknown,
    tlsMode: tls === undefined ? undefined : (plainString(get(tls, 'mode')) ?? 'Terminate'),
    certificateRefs: certs.refs,
    unknown:
      !isMap(n) ||
      n.unknown ||
      (isMap(allowed) && allowed.unknown) ||
      (isMap(nsNode) && nsNode.unknown) ||
      (protoNode !== undefined && protoNode.unknown) ||
      certs.unknown,
  };
}

export function lowerGateway(root: YNode): GatewaySpec {
  const spec = get(root, 'spec');
  const ls = get(spec, 'listeners');
  const listeners = isSeq(ls) ? ls.items.map(lowerListener) : [];
  return {
    className: stringValue(get(spec, 'gatewayClassName')),
    listeners: exact(listeners),
    listenersUnknown: (ls !== undefined && !isSeq(ls)) || (isSeq(ls) && ls.unknown) || (isMap(spec) && spec.unknown),
  };
}

function nameValueList(
  n: YNode | undefined,
  lower: boolean,
): { list: Array<{ type: string; name: string; value: string }>; unknown: boolean } {
  if (n === undefined || (isScalar(n) && !n.unknown && n.value === null)) return { list: [], unknown: false };
  if (!isSeq(n) || n.unknown) return { list: [], unknown: true };
  const list: Array<{ type: string; name: string; value: string }> = [];
  let unknown = false;
  for (const it of n.items) {
    const type = groupOrKind(get(it, 'type'), 'Exact');
    const name = plainString(get(it, 'name'));
    const value = plainString(get(it, 'value'));
    if (type === undefined || name === undefined || value === undefined || !isMap(it) || it.unknown) unknown = true;
    else list.push({ type, name: lower ? name.toLowerCase() : name, value });
  }
  return { list, unknown };
}

/** An HTTPRoute rule's matches (undefined: unknown). */
function lowerMatches(n: YNode | undefined): RouteMatch[] | undefined {
  if (n === undefined || (isScalar(n) && !n.unknown && n.value === null)) return [];
  if (!isSeq(n) || n.unknown) return undefined;
  const out: RouteMatch[] = [];
  for (const m of n.items) {
    if (!isMap(m) || m.unknown) return undefined;
    const path = get(m, 'path');
    if (path !== undefined && (!isMap(path) || path.unknown)) return undefined;
    const pathType = groupOrKind(get(path, 'type'), 'PathPrefix');
    const pathValue = groupOrKind(get(path, 'value'), '/');
    const methodNode = get(m, 'method');
    const method = methodNode === undefined ? undefined : plainString(methodNode);
    const headers = nameValueList(get(m, 'headers'), true);
    const query = nameValueList(get(m, 'queryParams'), false);
    if (
      pathType === undefined ||
      pathValue === undefined ||
      (methodNode !== undefined && method === undefined) ||
      headers.unknown ||
      query.unknown
    )
      return undefined;
    const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    out.push({
      span: m.span,
      pathType,
      path: pathValue,
      method,
      headers: exact([...headers.list].sort(byName)),
      queryParams: exact([...query.list].sort(byName)),
    });
  }
  return out;
}

/** A GRPCRoute rule's matches (undefined: unknown). */
function lowerGrpcMatches(n: YNode | undefined): GrpcMatch[] | undefined {
  if (n === undefined || (isScalar(n) && !n.unknown && n.value === null)) return [];
  if (!isSeq(n) || n.unknown) return undefined;
  const out: GrpcMatch[] = [];
  for (const m of n.items) {
    if (!isMap(m) || m.unknown) return undefined;
    const methodNode = get(m, 'method');
    if (methodNode !== undefined && (!isMap(methodNode) || methodNode.unknown)) return undefined;
    const type = groupOrKind(get(methodNode, 'type'), 'Exact');
    const service = groupOrKind(get(methodNode, 'service'), '');
    const method = groupOrKind(get(methodNode, 'method'), '');
    const headers = nameValueList(get(m, 'headers'), true);
    if (type === undefined || service === undefined || method === undefined || headers.unknown) return undefined;
    const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    out.push({ span: m.span, type, service, method, headers: exact([...headers.list].sort(byName)) });
  }
  return out;
}

export function lowerRoute(root: YNode, kind = ''): RouteSpec {
  const spec = get(root, 'spec');
  const parents = refList(get(spec, 'parentRefs'), GATEWAY_GROUP, 'Gateway');
  const hostPair = pair(spec, 'hostnames');
  const hostNode = hostPair?.value;
  let hostnames: Array<Value<string>> | undefined;
  if (isSeq(hostNode)) {
    hostnames = hostNode.items.map((it) => hostnameValue(it) ?? { known: false as const, span: it.span });
    if (hostNode.unknown) hostnames.push({ known: false, span: hostNode.span });
    if (hostnames.length === 0) hostnames = undefined;
  } else if (hostNode !== undefined && !(isScalar(hostNode) && !hostNode.unknown && hostNode.value === null)) {
    hostnames = [{ known: false, span: hostNode.span }];
  }
  const rulesNode = get(spec, 'rules');
  const rules: RouteRule[] = [];
  if (isSeq(rulesNode)) {
    for (const r of rulesNode.items) {
      const b = refList(get(r, 'backendRefs'), '', 'Service');
      const matches = kind === 'HTTPRoute' ? lowerMatches(get(r, 'matches')) : undefined;
      const grpc = kind === 'GRPCRoute' && isMap(r) && !r.unknown ? lowerGrpcMatches(get(r, 'matches')) : undefined;
      rules.push({
        span: r.span,
        backendRefs: b.refs,
        backendRefsUnknown: b.unknown || !isMap(r) || r.unknown,
        matches: exact(matches ?? []),
        matchesUnknown: matches === undefined || !isMap(r) || r.unknown,
        ...(grpc !== undefined ? { grpcMatches: exact(grpc) } : {}),
      });
    }
  }
  return {
    parentRefs: parents.refs,
    parentRefsUnknown: parents.unknown || (isMap(spec) && spec.unknown),
    hostnames: hostnames === undefined ? undefined : exact(hostnames),
    hostnamesSpan: hostNode?.span,
    rules: exact(rules),
    rulesUnknown: (rulesNode !== undefined && !isSeq(rulesNode)) || (isSeq(rulesNode) && rulesNode.unknown),
  };
}

export function lowerReferenceGrant(root: YNode): ReferenceGrantSpec {
  const spec = get(root, 'spec');
  let unknown = !isMap(spec) || spec.unknown;
  const from: Array<{ group: string; kind: string; namespace: string }> = [];
  const to: Array<{ group: string; kind: string; name: string | undefined }> = [];
  const fromNode = get(spec, 'from');
  const toNode = get(spec, 'to');
  if (!isSeq(fromNode) || fromNode.unknown || !isSeq(toNode) || toNode.unknown) unknown = true;
  for (const it of isSeq(fromNode) ? fromNode.items : []) {
    const group = groupOrKind(get(it, 'group'), '');
    const kind = plainString(get(it, 'kind'));
    const namespace = plainString(get(it, 'namespace'));
    if (group === undefined || kind === undefined || namespace === undefined || !isMap(it) || it.unknown) unknown = true;
    else from.push({ group, kind, namespace });
  }
  for (const it of isSeq(toNode) ? toNode.items : []) {
    const group = groupOrKind(get(it, 'group'), '');
    const kind = plainString(get(it, 'kind'));
    const nameNode = get(it, 'name');
    const name = stringValue(nameNode);
    if (group === undefined || kind === undefined || (name !== undefined && !name.known) || !isMap(it) || it.unknown) unknown = true;
    else to.push({ group, kind, name: name?.known === true && name.value !== '' ? name.value : undefined });
  }
  return { from: exact(from), to: exact(to), unknown };
}

export function lowerGatewayClass(root: YNode): { readonly controllerName: string | undefined } {
  return { controllerName: plainString(getPath(root, 'spec', 'controllerName')) };
}

// ---------------------------------------------------------------------------------------------
// Attachment semantics shared by the checks and reachability (docs/dev/gateway-api.md §2–§3)

/** The listeners a parentRef's sectionName and port select (all when neither is set); undefined when that is unknown. */
export function selectedListeners(gw: KObject, ref: GatewayObjectRef): GatewayListener[] | undefined {
  const spec = gw.gateway;
  if (spec === undefined) return undefined;
  if ((ref.sectionName !== undefined && !ref.sectionName.known) || (ref.port !== undefined && !ref.port.known)) return undefined;
  const section = ref.sectionName?.known === true && ref.sectionName.value !== '' ? ref.sectionName.value : undefined;
  const port = ref.port?.known === true ? ref.port.value : undefined;
  const out: GatewayListener[] = [];
  let doubt = spec.listenersUnknown;
  for (const l of spec.listeners) {
    if (section !== undefined) {
      if (l.name === undefined) continue;
      if (!l.name.known) {
        doubt = true;
        continue;
      }
      if (l.name.value !== section) continue;
    }
    if (port !== undefined) {
      if (l.port === undefined) continue;
      if (!l.port.known) {
        doubt = true;
        continue;
      }
      if (l.port.value !== port) continue;
    }
    out.push(l);
  }
  return out.length === 0 && doubt ? undefined : out;
}

/** The route kinds a listener protocol admits when allowedRoutes.kinds is empty (docs/dev/gateway-api.md §3). */
const PROTOCOL_KINDS: Readonly<Record<string, readonly string[]>> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute', 'TCPRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

export function acceptsKind(l: GatewayListener, routeKind: string): Tri {
  if (l.kinds !== undefined) {
    if (l.kinds.some((k) => k.group === GATEWAY_GROUP && k.kind === routeKind)) return 'yes';
    return l.kindsUnknown ? 'unknown' : 'no';
  }
  if (l.kindsUnknown || l.protocol === undefined) return 'unknown';
  const kinds = PROTOCOL_KINDS[l.protocol];
  // Implementation-specific protocols (`example.com/proto`) decide for themselves.
  if (kinds === undefined) return 'unknown';
  // A TLS listener takes TCPRoutes only where it terminates TLS (§3): passed through, the stream is TLSRoutes'.
  if (l.protocol === 'TLS' && routeKind === 'TCPRoute' && l.tlsMode === 'Passthrough') return 'no';
  return kinds.includes(routeKind) ? 'yes' : 'no';
}

/**
 * The route kinds a TLS, TCP or UDP listener gives connections to (docs/dev/gateway-api.md §10): a
 * TLS listener that terminates TLS forwards the stream as TCP, so TCPRoutes attached to it take
 * connections too; one that passes TLS through gives them none.
 */
export function connectionKinds(l: GatewayListener): readonly string[] {
  if (l.protocol === 'TLS') return l.tlsMode === 'Passthrough' ? ['TLSRoute'] : ['TLSRoute', 'TCPRoute'];
  if (l.protocol === 'TCP') return ['TCPRoute'];
  if (l.protocol === 'UDP') return ['UDPRoute'];
  return [];
}

/**
 * The names a TLS, TCP or UDP route of `kind` answers on a listener of hostname `lh` (undefined:
 * none written), lower-cased: a TLSRoute its hostnames within the listener's; a TCPRoute, a UDPRoute
 * or a TLSRoute without hostnames every name (`''`). Two routes answering one name on one listener
 * are of one rank (§10): the older takes it. Undefined when a hostname is templated.
 */
export function connectionNamesOn(kind: string, route: RouteSpec, lh: string | undefined): readonly string[] | undefined {
  if (kind !== 'TLSRoute' || route.hostnames === undefined) return [''];
  const out: string[] = [];
  for (const h of route.hostnames) {
    if (!h.known) return undefined;
    const v = h.value.toLowerCase();
    if (lh === undefined || hostnamesIntersect(lh, v)) out.push(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hostnames (docs/dev/gateway-api.md §2)

/** Do a listener hostname and a route hostname intersect? A wildcard `*.x` matches any name ending in `.x`. */
export function hostnamesIntersect(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  const wa = x.startsWith('*.');
  const wb = y.startsWith('*.');
  if (wa && wb) {
    const sa = x.slice(1);
    const sb = y.slice(1);
    return sa.endsWith(sb) || sb.endsWith(sa);
  }
  if (wa) return y.endsWith(x.slice(1));
  if (wb) return x.endsWith(y.slice(1));
  return false;
}

/** Whether a listener admits some hostname of the route: yes when either side has none. */
export function listenerAdmitsHostnames(l: GatewayListener, hostnames: ReadonlyArray<{ known: boolean; value?: string }> | undefined): Tri {
  if (hostnames === undefined || l.hostname === undefined) return 'yes';
  if (!l.hostname.known) return 'unknown';
  let doubt = false;
  for (const h of hostnames) {
    if (!h.known || h.value === undefined) {
      doubt = true;
      continue;
    }
    if (hostnamesIntersect(l.hostname.value, h.value)) return 'yes';
  }
  return doubt ? 'unknown' : 'no';
}
