/**
 * One TLS, TCP or UDP connection through a Gateway (docs/dev/gateway-api.md §10): the listener of
 * that protocol on the port (and, for TLS, the most specific hostname taking the SNI name), the
 * TLSRoute, TCPRoute or UDPRoute attached to it (for TLS, the route whose hostname matches the SNI
 * name most specifically; among equals the older, created together the first by namespace/name),
 * and the backends of its rule, cross-namespace ones only where a ReferenceGrant permits them. The
 * routes that name the listener but are not attached to it are named with the reason. On a STUNner Gateway a TLS
 * (DTLS) connection goes to its `TURN-TLS` (`TURN-DTLS`) listener on the port, whatever the SNI name. Read by
 * `explain --via-gateway ns/name (--sni H [--port N] [--protocol UDP] | --port N [--protocol UDP])`.
 */

import type { GatewayListener, RouteSpec } from '../model/gateway.js';
import {
  GATEWAY_GROUP,
  acceptsKind,
  connectionKinds,
  connectionNamesOn,
  listenerAdmitsHostnames,
  selectedListeners,
} from '../model/gateway.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { ReachEngine } from './engine.js';
import { apart } from './testInputs.js';
import type { FoundGateway, GatewayRequestRoute } from './gatewayRequest.js';
import { GRANT_UNKNOWN, attachment, gatewayOf } from './gatewayRequest.js';
import { hostScore } from './gatewayRank.js';
import { claimingListener, hostnameRank, intersectHostnames } from '../model/gatewayMatchKeys.js';
import type { BackendRefTarget, GatewayBackend, StaticBackend } from './gatewayRouting.js';
import { admitsNamespace, anyPortController, resolveBackends, serviceBackendRefs, staticBackendsOf } from './gatewayRouting.js';
import { ownBackendRefs, routeSpecOf, samePorts } from './stunnerRoutes.js';

/**
 * A connection a Gateway's TLS, TCP or UDP listener takes; `DTLS` is TLS over UDP, which STUNner's `TURN-DTLS`
 * listeners take (the Gateway API has no DTLS protocol).
 */
export interface GatewayConnection {
  readonly connection: 'TLS' | 'DTLS' | 'TCP' | 'UDP';
  /** The listener port; for TLS and DTLS it may be left out (any listener taking the SNI name). */
  readonly port: number | undefined;
  /** The TLS server name (SNI). */
  readonly sni?: string;
}

const ROUTE_KIND = { TLS: 'TLSRoute', DTLS: 'UDPRoute', TCP: 'TCPRoute', UDP: 'UDPRoute' } as const;

export function connectionText(c: GatewayConnection): string {
  const port = c.port === undefined ? '' : ` port ${c.port}`;
  return c.connection === 'TLS' || c.connection === 'DTLS'
    ? `a ${c.connection} connection for ${c.sni ?? '?'}${port}`
    : `a ${c.connection} connection to${port}`;
}

/** The transport a connection goes over: TCP for TLS, UDP for DTLS. */
function transport(c: GatewayConnection): 'TCP' | 'UDP' {
  return c.connection === 'UDP' || c.connection === 'DTLS' ? 'UDP' : 'TCP';
}

interface Candidate {
  readonly score: number;
  /** The same of its hostname within the listener's (§9: the API does not say which of the two ranks routes). */
  readonly meet: number;
  readonly kind: string;
  /** `namespace/name`: the precedence's last criterion. */
  readonly order: string;
  readonly label: string;
  readonly rules: number;
  readonly backends: readonly BackendRefTarget[];
  readonly namespace: string;
  readonly maybe: boolean;
  /** STUNner's own UDPRoute (`stunnerRoutes.ts`): its backendRefs' `port`/`endPort` are pod ports. */
  readonly own: boolean;
  /** On a STUNner Gateway: the StaticServices the rule names (`staticServices.ts`), and those not in the manifests. */
  readonly statics: ReturnType<typeof staticBackendsOf>;
}

const NO_STATICS: Candidate['statics'] = { found: [], missing: [] };

function listenerName(l: GatewayListener): string {
  return l.name?.known === true ? `"${l.name.value}"` : 'a listener';
}

/**
 * Why a route of `kind` in `namespace` that names the Gateway `found` is not attached to `listener`
 * (docs/dev/gateway-api.md §3): the first reason that holds for a parentRef selecting the listener,
 * else undefined (it names another listener, or the answer is unknown).
 */
function notAttachedWhy(
  engine: ReachEngine,
  found: FoundGateway,
  listener: GatewayListener,
  kind: string,
  route: RouteSpec,
  namespace: string,
): string | undefined {
  const lname = listenerName(listener);
  for (const ref of route.parentRefs) {
    if (ref.unknown || ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway' || ref.name?.known !== true || ref.name.value !== found.name)
      continue;
    const refNs = ref.namespace === undefined ? namespace : ref.namespace.known ? ref.namespace.value : undefined;
    if (refNs !== found.ns || !(selectedListeners(found.gw.placed.obj, ref) ?? []).includes(listener)) continue;
    if (acceptsKind(listener, kind) === 'no')
      return listener.kinds !== undefined
        ? `allowedRoutes.kinds of listener ${lname} does not list ${kind}`
        : `listener ${lname} is ${listener.protocol ?? '?'}, which takes no ${kind}`;
    if (admitsNamespace(engine, listener, found.ns, namespace) === 'no')
      return listener.from === 'Same'
        ? `listener ${lname} takes routes of namespace ${found.ns} only (allowedRoutes.namespaces.from: Same)`
        : `the namespace selector of listener ${lname} does not match namespace ${namespace} (allowedRoutes.namespaces.from: Selector)`;
    const hostnames = route.hostnames?.map((x) => (x.known ? { known: true, value: x.value } : { known: false }));
    if (listenerAdmitsHostnames(listener, hostnames) === 'no')
      return `none of its hostnames (${(route.hostnames ?? []).map((x) => (x.known ? x.value : '?')).join(', ')}) is within the hostname ${listener.hostname?.known === true ? listener.hostname.value : '?'} of listener ${lname}`;
  }
  return undefined;
}

/** How a TLS listener treats the stream: passed through to the backend, or terminated with its certificates. */
function tlsText(l: GatewayListener): string {
  if (l.protocol !== 'TLS') return '';
  if (l.tlsMode === 'Passthrough') return ' (TLS passed through)';
  const certs = l.certificateRefs.map((c) => (c.name?.known === true ? c.name.value : '?'));
  return ` (TLS terminated${certs.length > 0 ? ` with ${certs.join(', ')}` : ''}, the stream forwarded as TCP)`;
}

/**
 * Whether STUNner's `TURN-TLS`/`TURN-DTLS` listener `l` has no certificate: its operator renders one for `tls.mode:
 * Terminate` (the default) from a certificateRef only, and stunnerd cannot start the listener without one ("cannot load
 * cert/key pair"). A Secret the manifests do not hold may be the cluster's: only a listener naming none has none.
 */
function uncertified(l: GatewayListener): boolean {
  return l.tlsMode === 'Passthrough' || (l.certificateRefs.length === 0 && !l.unknown);
}

/**
 * How STUNner's `TURN-TLS`/`TURN-DTLS` listener `l` treats a TLS (DTLS) connection: it terminates it with the
 * certificate of its first workable certificateRef, whatever the SNI name (one certificate per listener; the operator
 * reads no listener hostname), and relays the TURN client's traffic to the backends over UDP.
 */
function turnTlsText(l: GatewayListener, dtls: boolean): string {
  const cert = l.certificateRefs[0]?.name;
  const hostname = l.hostname?.known === true ? `; its hostname ${l.hostname.value} is not read` : '';
  return ` (${dtls ? 'DTLS' : 'TLS'} terminated with ${cert?.known === true ? cert.value : 'its certificate'} whatever the SNI name${hostname})`;
}

/**
 * The route kinds that take a connection on listener `l`: a TLS listener that terminates TLS
 * forwards the stream as TCP, so TCPRoutes attached to it take it too ("TLS admits TLSRoute, and
 * TCPRoute for mode: Terminate implementations", docs/dev/gateway-api.md §3); one that passes TLS
 * through takes TLSRoutes.
 */
function kindsOn(c: GatewayConnection, l: GatewayListener): readonly string[] {
  if (c.connection === 'TLS' && l.protocol === 'TLS' && l.tlsMode !== 'Passthrough') return ['TLSRoute', 'TCPRoute'];
  return [ROUTE_KIND[c.connection]];
}

/** Candidates best first: the most specific match, then `namespace/name` (routes applied together), then kind. */
function byPrecedence(a: Candidate, b: Candidate, meet = false): number {
  return (
    (meet ? b.meet - a.meet : b.score - a.score) ||
    (a.order < b.order ? -1 : a.order > b.order ? 1 : 0) ||
    (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)
  );
}

/** Routes a TLS (by SNI), TCP or UDP connection through the Gateway `ns/name`. */
export function routeConnectionThroughGateway(
  engine: ReachEngine,
  key: string,
  c: GatewayConnection,
  only?: (p: Placed) => boolean,
): GatewayRequestRoute {
  const found = gatewayOf(engine, key);
  if (found === undefined) return { kind: 'none', reason: `Gateway ${key} is not in the manifests` };
  // STUNner's TURN listeners take a client's connection whatever their protocol's name (anyPortController): UDP on
  // `TURN-UDP`, `TURN-DTLS` and their aliases `UDP`, `DTLS`; TCP on `TURN-TCP`, `TURN-TLS`, `TCP`, `TLS` (a TURN client
  // over TCP). Either way STUNner relays to the backends of its UDPRoutes over UDP (l7mp/stunner docs/GATEWAY.md).
  const turn = anyPortController(engine, found.gw.placed.obj, 'UDPRoute');
  // A TLS (DTLS) connection goes to a `TURN-TLS` (`TURN-DTLS`) listener only, which STUNner picks by port: each
  // listener is a socket of its own with the one certificate of its first workable certificateRef, served whatever
  // the SNI name, and the operator reads no listener hostname (l7mp/stunner internal/object/turn/server.go,
  // l7mp/stunner-gateway-operator internal/renderer/listener_render.go).
  const turnTls = turn !== undefined && (c.connection === 'TLS' || c.connection === 'DTLS');
  if (c.connection === 'DTLS' && turn === undefined)
    return {
      kind: 'none',
      reason: `Gateway ${key} is not STUNner's, and the Gateway API has no DTLS listener (a UDP listener takes DTLS as UDP datagrams, by port: follow it with --port N --protocol UDP): ${connectionText(c)} is refused`,
    };
  // STUNner reads no SNI name: neither a listener's hostname nor a route's decides.
  const sni = turnTls ? undefined : c.sni?.toLowerCase();
  const anyPort = turn ?? anyPortController(engine, found.gw.placed.obj, ROUTE_KIND[c.connection]);
  const turnProtocols =
    c.connection === 'TLS'
      ? /^(TURN-)?TLS$/
      : c.connection === 'DTLS'
        ? /^(TURN-)?DTLS$/
        : c.connection === 'UDP'
          ? /^(TURN-)?(UDP|DTLS)$/
          : /^(TURN-)?(TCP|TLS)$/;
  const takes = (l: GatewayListener): boolean => (turn !== undefined ? turnProtocols.test(l.protocol ?? '') : l.protocol === c.connection);
  const protocolWord = turnTls ? `TURN-${c.connection}` : c.connection;
  let listener: GatewayListener | undefined;
  let best = -2;
  // STUNner's listeners that take a TLS (DTLS) connection, when no port picks one.
  const takers: GatewayListener[] = [];
  // Listeners of other protocols on the port, named when none of this protocol takes the connection.
  const others: string[] = [];
  for (const l of found.spec.listeners) {
    if (l.port !== undefined && !l.port.known) return { kind: 'unknown', reason: `a listener port of Gateway ${key} is templated` };
    if (c.port !== undefined && l.port?.value !== c.port) continue;
    if (!takes(l)) {
      if (c.port !== undefined)
        others.push(
          `listener ${listenerName(l)} on port ${c.port} is ${l.protocol ?? 'templated'}${l.protocol === 'HTTPS' || l.protocol === 'HTTP' ? `, which takes HTTPRoutes and GRPCRoutes (follow a request with --host)` : ''}`,
        );
      continue;
    }
    if (l.port === undefined) return { kind: 'unknown', reason: `a listener port of Gateway ${key} is templated` };
    if (l.hostname !== undefined && !l.hostname.known)
      return { kind: 'unknown', reason: `a listener hostname of Gateway ${key} is templated` };
    takers.push(l);
    // Without a port, the first of STUNner's listeners that can start (below) unless another one can too.
    const s = turnTls
      ? uncertified(l) && listener !== undefined
        ? undefined
        : uncertified(l)
          ? -1
          : 0
      : sni === undefined
        ? 0
        : hostScore(l.hostname?.known === true ? l.hostname.value : undefined, sni);
    if (s !== undefined && s > best) {
      best = s;
      listener = l;
    }
  }
  const what = connectionText(c);
  if (listener === undefined)
    return {
      kind: 'none',
      reason: `no ${protocolWord} listener of Gateway ${key}${c.port === undefined ? '' : ` on port ${c.port}`}${sni === undefined ? '' : ` takes ${sni}`}: ${what} is refused${others.length > 0 ? ` (${others.join('; ')})` : ''}`,
    };
  const lname = listenerName(listener);
  if (turnTls && turn !== undefined) {
    // STUNner picks the listener by the port the client dials: without one, several may take the connection.
    const started = takers.filter((l) => !uncertified(l));
    if (started.length > 1)
      return {
        kind: 'unknown',
        reason: `STUNner picks a ${protocolWord} listener by port, not by the SNI name, and ${started.map((l) => `${listenerName(l)} (port ${l.port?.known === true ? l.port.value : '?'})`).join(', ')} of Gateway ${key} take ${what}: give the port`,
      };
    if (uncertified(listener))
      return {
        kind: 'none',
        reason: `listener ${lname} of Gateway ${key} is ${listener.protocol ?? '?'} with ${listener.tlsMode === 'Passthrough' ? 'tls.mode: Passthrough' : 'no tls.certificateRefs'}: STUNner's operator gives it no certificate and stunnerd cannot start it without one, so ${what} is refused`,
      };
  }
  const kinds = turn !== undefined ? ['UDPRoute'] : kindsOn(c, listener);
  const kindsText = kinds.join(' or ');
  const candidates: Candidate[] = [];
  // Routes that name the listener but are not attached there, and attached TLSRoutes for other names.
  const refused: Array<{ label: string; why: string; matches: boolean }> = [];
  const otherNames: string[] = [];
  let doubt = false;
  for (const { placed, namespace } of engine.gathering.gathered.routes) {
    const r = placed.obj;
    const route = routeSpecOf(engine, r);
    if (!kinds.includes(r.kind) || route === undefined || only?.(placed) === false) continue;
    // STUNner's own UDPRoute (stunnerRoutes.ts): only a STUNner Gateway reads it.
    const own = r.group !== GATEWAY_GROUP;
    if (own && anyPortController(engine, found.gw.placed.obj, r.kind, r.group) === undefined) continue;
    const kind = r.kind;
    const order = `${namespace}/${r.name?.known === true ? r.name.value : '?'}`;
    const label = `${kind} ${order}`;
    // TLS: the route's hostname that matches the SNI name (none written: every name of the listener).
    let score: number | undefined = route.hostnames === undefined || sni === undefined ? 0 : undefined;
    for (const x of route.hostnames ?? []) {
      if (sni === undefined) break;
      if (!x.known) {
        doubt = true;
        continue;
      }
      const s = hostScore(x.value, sni);
      if (s !== undefined && (score === undefined || s > score)) score = s;
    }
    // The same, of the route's hostnames within the listener's (none written, or a TCPRoute: the listener's).
    let meet = 0;
    if (sni !== undefined && score !== undefined) {
      const lh = listener.hostname?.known === true ? listener.hostname.value.toLowerCase() : undefined;
      if (route.hostnames === undefined) meet = hostScore(lh, sni) ?? 0;
      for (const x of route.hostnames ?? [])
        if (x.known && hostScore(x.value, sni) !== undefined)
          meet = Math.max(meet, hostScore(lh === undefined ? x.value : intersectHostnames(x.value.toLowerCase(), lh), sni) ?? 0);
    }
    const attached = attachment(engine, found, listener, kind, route, namespace);
    if (attached === 'no') {
      const why = notAttachedWhy(engine, found, listener, kind, route, namespace);
      if (why !== undefined) refused.push({ label, why, matches: score !== undefined });
      continue;
    }
    if (score === undefined) {
      otherNames.push(`${label} answers ${(route.hostnames ?? []).map((x) => (x.known ? x.value : '?')).join(', ')}`);
      continue;
    }
    const rule = route.rules[0];
    if (route.rulesUnknown || rule === undefined || rule.backendRefsUnknown) {
      doubt = true;
      continue;
    }
    const backends = own ? ownBackendRefs(engine, r, route, namespace) : serviceBackendRefs(rule.backendRefs, namespace);
    const statics = anyPort === undefined ? NO_STATICS : staticBackendsOf(engine, r, rule.backendRefs, namespace);
    candidates.push({
      score,
      meet,
      kind,
      order,
      label,
      rules: route.rules.length,
      backends,
      namespace,
      maybe: attached === 'unknown',
      own,
      statics,
    });
  }
  candidates.sort(byPrecedence);
  if (anyPort !== undefined && candidates.length > 0)
    return anyPortAnswer(
      engine,
      key,
      listener,
      candidates,
      anyPort,
      doubt,
      turnTls && (c.connection === 'TLS' || c.connection === 'DTLS') ? c.connection : undefined,
    );
  const win = candidates[0];
  const refusedText = (only: boolean): string[] =>
    refused.filter((x) => !only || x.matches).map((x) => `${x.label} is not attached to listener ${lname}: ${x.why}`);
  if (win === undefined) {
    if (doubt) return { kind: 'unknown', reason: `a route of Gateway ${key} is templated` };
    const notes = [...refusedText(sni !== undefined), ...otherNames];
    return {
      kind: 'none',
      reason: `no ${kindsText} on listener ${lname} of Gateway ${key} takes ${what}: the Gateway closes it${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
    };
  }
  const notes: string[] = [];
  // Routes of the same rank: the listener's precedence (allowedRoutes) gives the connection to the
  // oldest route; routes applied together share a creation time, so the first by namespace/name.
  const rivals = candidates.slice(1).filter((x) => x.score === win.score);
  // A TLSRoute and a TCPRoute of one namespace and name: the criteria do not decide.
  const undecided = rivals.find((x) => x.order === win.order);
  if (rivals.length > 0)
    notes.push(
      undecided !== undefined
        ? `${undecided.label} takes it on the same listener too, and the precedence does not decide between routes of one namespace and name`
        : `${rivals.map((x) => x.label).join(', ')} ${rivals.length === 1 ? 'takes' : 'take'} it on the same listener too: the older route wins (created together: ${win.label}, first in namespace/name order)`,
    );
  // Routes for this name (TLS) or this listener that it does not take.
  for (const x of refusedText(true)) notes.push(x);
  const multi =
    win.rules > 1
      ? `${win.label} has ${win.rules} rules: which ones an implementation uses for one listener is implementation-specific`
      : undefined;
  const resolved = resolveBackends(engine, win.kind, win.namespace, win.backends, transport(c));
  // Ranked by their hostnames within the listener's, another route may take it (§9, kubernetes-sigs/gateway-api#5120).
  const byMeet = [...candidates].sort((a, b) => byPrecedence(a, b, true))[0];
  const other = byMeet !== undefined && byMeet.label !== win.label ? byMeet : undefined;
  const why =
    multi ??
    (undecided !== undefined ? `which of ${win.label} and ${undecided.label} takes it is not defined` : undefined) ??
    (resolved.grantUnknown ? GRANT_UNKNOWN : undefined);
  return {
    kind: 'backend',
    via: `rules[0] of ${win.label} on listener ${lname}${tlsText(listener)} of Gateway ${key}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
    backends: resolved.backends,
    missing: resolved.missing,
    notPermitted: resolved.notPermitted,
    maybe: win.maybe || doubt || why !== undefined,
    ...(why !== undefined ? { doubt: why } : {}),
    ...(other === undefined ? {} : { open: openAnswer(engine, key, c, listener, win, other) }),
  };
}

/**
 * What a STUNner Gateway does with the ports of its routes' backendRefs, in the words of `anyPortAnswer`. The Gateway
 * API makes a Service backendRef's `port` the Service's port; STUNner's operator drops it from a standard UDPRoute
 * (l7mp/stunner-gateway-operator `ConvertV1A2UDPRouteToV1`, "ignore port!") and reaches any UDP port of the pods,
 * while STUNner's own UDPRoute reads `port`/`endPort` as the pods' ports, every UDP port when it names none
 * (l7mp/stunner docs/GATEWAY.md, "UDPRoute").
 */
function anyPortWords(candidates: readonly Candidate[]): string {
  const standard = candidates.some((x) => !x.own && x.backends.length > 0);
  const named = candidates.some((x) => x.own && x.backends.some((b) => b.own?.ports !== undefined));
  const bare = candidates.some((x) => x.own && x.backends.some((b) => b.own?.ports === undefined));
  const parts: string[] = [];
  if (standard)
    parts.push(
      "it drops a standard UDPRoute backendRef's port (the Service's port in the Gateway API): a client reaches the pods of its backend Services on any UDP port",
    );
  if (named)
    parts.push(
      "STUNner's own UDPRoute names the pods' ports in a backendRef's port and endPort, not a Service port: a client reaches those ports of the pods",
    );
  if (bare) parts.push("a backendRef of STUNner's own UDPRoute without a port reaches the pods of its Service on any UDP port");
  if (candidates.some((x) => x.statics.found.length > 0 || x.statics.missing.length > 0))
    parts.push(
      "a StaticService backendRef names addresses outside the cluster (its spec.prefixes): a client reaches them on any UDP port, or the ports its backendRef names on STUNner's own UDPRoute",
    );
  return parts.join('; ');
}

/**
 * A UDP connection to a listener of a Gateway whose controller reaches the backends' pods on any port and uses every
 * route attached to a listener (`anyPortController`: STUNner, a TURN server): the backends of the first rule of every
 * route on it (STUNner's operator reads a route's first rule only, `renderCluster`), on the ports `anyPortWords` says.
 */
function anyPortAnswer(
  engine: ReachEngine,
  key: string,
  listener: GatewayListener,
  candidates: readonly Candidate[],
  controller: string,
  doubt: boolean,
  tls?: 'TLS' | 'DTLS',
): GatewayRequestRoute {
  const backends: GatewayBackend[] = [];
  const statics: StaticBackend[] = [];
  const missing: string[] = [];
  const notPermitted: Array<{ text: string; backend: GatewayBackend | undefined }> = [];
  let grantUnknown = false;
  for (const x of candidates) {
    const r = resolveBackends(engine, x.kind, x.namespace, x.backends, 'UDP', true);
    for (const b of r.backends) if (!backends.some((o) => o.name === b.name && samePorts(o.ports, b.ports))) backends.push(b);
    for (const m of r.missing) missing.push(m);
    for (const n of r.notPermitted) notPermitted.push(n);
    grantUnknown ||= r.grantUnknown;
    for (const b of x.statics.found) if (!statics.some((o) => o.name === b.name && samePorts(o.ports, b.ports))) statics.push(b);
    for (const m of x.statics.missing) if (!missing.includes(m)) missing.push(m);
  }
  const routes = candidates.map((x) => x.label).join(', ');
  const later = candidates.some((x) => x.rules > 1) ? ', and only the first rule of a route' : '';
  return {
    kind: 'backend',
    via: `rules[0] of ${candidates.length > 1 ? 'each of ' : ''}${routes} on listener ${listenerName(listener)}${tls === undefined ? '' : turnTlsText(listener, tls === 'DTLS')} of Gateway ${key} (its controller ${controller} uses every route attached to a listener${later}; ${anyPortWords(candidates)})`,
    backends,
    missing,
    notPermitted,
    maybe: candidates.some((x) => x.maybe) || doubt || grantUnknown,
    ...(grantUnknown ? { doubt: GRANT_UNKNOWN } : {}),
    anyPort: controller,
    ...(statics.length > 0 ? { statics } : {}),
  };
}

/** The answer by `other`, the route that takes the connection when routes are ranked by their hostnames within the listener's. */
function openAnswer(
  engine: ReachEngine,
  key: string,
  c: GatewayConnection,
  listener: GatewayListener,
  win: Candidate,
  other: Candidate,
): NonNullable<Extract<GatewayRequestRoute, { kind: 'backend' }>['open']> {
  const r = resolveBackends(engine, other.kind, other.namespace, other.backends, transport(c));
  return {
    why: `which of ${win.label} and ${other.label} takes it is the implementation's: ranked by the routes' own hostnames the first, by their hostnames within the listener's (Envoy Gateway, Cilium, Contour, Traefik) the second (kubernetes-sigs/gateway-api#5120)`,
    route: {
      kind: 'backend',
      via: `rules[0] of ${other.label} on listener ${listenerName(listener)}${tlsText(listener)} of Gateway ${key}`,
      backends: r.backends,
      missing: r.missing,
      notPermitted: r.notPermitted,
      maybe: other.maybe || other.rules > 1 || r.grantUnknown,
    },
  };
}

/** Why a TLS, TCP or UDP route gets no connection, with the code of the finding that says it. */
export interface LosingRoute {
  readonly code: 'gateway-route-conflict' | 'gateway-hostname-mismatch';
  readonly why: string;
  /** It loses by one reading of the hostname precedence only (§9): it may get connections, undefined. */
  readonly open?: true;
}

/**
 * The TLSRoutes, TCPRoutes and UDPRoutes of the Gateway `key` that get no connection on any
 * listener they attach to, by label (`TCPRoute shop/b`), with why: every name they answer there is
 * answered as specifically by a route first in `namespace/name` order (the listener's precedence
 * for routes applied together, §10). A route answers its hostnames within the listener's (a TLSRoute),
 * or every name (a TCPRoute, a TLSRoute without hostnames, every UDP and TCP connection). Only
 * routes attached for certain are judged, on listeners with no templated route hostname; a route of
 * the same namespace and name (another kind) decides nothing. The Routes view marks them and `reach`
 * draws no connection through them. So does every name a TLS listener with a more specific hostname on
 * the port takes (§10 rule 1; code `gateway-hostname-mismatch`).
 */
export function losingRoutes(engine: ReachEngine, key: string): ReadonlyMap<string, LosingRoute> {
  const found = gatewayOf(engine, key);
  const out = new Map<string, LosingRoute>();
  if (found === undefined) return out;
  /** Per route label: whether it keeps some name somewhere, and why it lost the first listener. */
  const standing = new Map<string, { keeps: boolean; open?: boolean; why: LosingRoute | undefined }>();
  for (const l of found.spec.listeners) {
    const kinds = connectionKinds(l);
    if (kinds.length === 0) continue;
    const lh = l.hostname === undefined ? undefined : l.hostname.known ? l.hostname.value.toLowerCase() : null;
    if (lh === null) continue;
    const claimer = claimingListener(l, found.spec.listeners);
    const on: Array<{ label: string; order: string; names: readonly string[]; placed: Placed }> = [];
    let judged = true;
    for (const { placed, namespace } of engine.gathering.gathered.routes) {
      const r = placed.obj;
      const route = r.route;
      if (!kinds.includes(r.kind) || route === undefined) continue;
      // A Gateway that reaches backends on any port uses every route attached to a listener (anyPortController).
      if (anyPortController(engine, found.gw.placed.obj, r.kind) !== undefined) continue;
      const attached = attachment(engine, found, l, r.kind, route, namespace);
      if (attached === 'no') continue;
      const order = `${namespace}/${r.name?.known === true ? r.name.value : '?'}`;
      const label = `${r.kind} ${order}`;
      // The names it answers on this listener: '' for every name of the listener.
      const names = connectionNamesOn(r.kind, route, lh);
      if (attached === 'unknown' || r.name?.known !== true || names === undefined) {
        judged = false;
        standing.set(label, { keeps: true, why: undefined });
        continue;
      }
      // Names a listener with a more specific hostname on the port takes never reach this one (§10 rule 1).
      const open = names.filter((n) => n === '' || claimer(lh === undefined ? n : intersectHostnames(n, lh)) === undefined);
      if (open.length > 0) on.push({ label, order, names: open, placed });
      else if (names.length > 0) {
        const st = standing.get(label) ?? { keeps: false, why: undefined };
        const by = claimer(lh === undefined ? (names[0] ?? '') : intersectHostnames(names[0] ?? '', lh));
        st.why ??= {
          code: 'gateway-hostname-mismatch',
          why: `${label} gets no connection on listener ${listenerName(l)}: listener ${by === undefined ? '?' : listenerName(by)} has the more specific hostname for ${names.join(', ')} on its port`,
        };
        standing.set(label, st);
      }
    }
    const lname = listenerName(l);
    for (const me of on) {
      const st = standing.get(me.label) ?? { keeps: false, why: undefined };
      standing.set(me.label, st);
      if (!judged) {
        st.keeps = true;
        continue;
      }
      // Each name it answers (within the listener's: '' is the listener's own), to the first route before it answering
      // the same name; by the routes' own hostnames, to one naming it more specifically, or as specifically before it
      // (§9's open question: where only one reading takes every name, the route may get connections).
      const keyOf = (n: string): { key: string; rank: number } => ({
        key: n === '' ? (lh ?? '') : lh === undefined ? n : intersectHostnames(n, lh),
        rank: n === '' ? 0 : hostnameRank(n),
      });
      const keysOf = (o: (typeof on)[number]) => o.names.map(keyOf);
      const mine = keysOf(me);
      // Routes of another file of one testdata folder are another test's: never applied with it.
      const rivals = on.filter((o) => o !== me && !apart(engine, o.placed, me.placed));
      const byMeet = mine.map((k) => rivals.find((o) => o.order < me.order && keysOf(o).some((x) => x.key === k.key)));
      const byOwn = mine.map((k) =>
        rivals.some((o) => keysOf(o).some((x) => x.key === k.key && (x.rank > k.rank || (x.rank === k.rank && o.order < me.order)))),
      );
      const lostMeet = byMeet.every((w) => w !== undefined);
      const lostOwn = byOwn.every((w) => w);
      if (!lostMeet && !lostOwn) {
        st.keeps = true;
        continue;
      }
      if (lostMeet !== lostOwn) {
        st.open = true;
        continue;
      }
      const winners = [...new Set(byMeet.map((w) => w?.label ?? '?'))];
      st.why ??= {
        code: 'gateway-route-conflict',
        why: `${me.label} gets no connection on listener ${lname}: ${winners.join(' and ')} ${winners.length === 1 ? 'answers' : 'answer'} ${me.names.length === 1 && me.names[0] !== '' ? me.names[0] : 'the same names'} there too, and of routes of one rank the older wins (created together: the first in namespace/name order)`,
      };
    }
  }
  for (const [label, st] of standing) {
    if (st.keeps) continue;
    if (st.open === true)
      out.set(label, {
        code: 'gateway-route-conflict',
        open: true,
        why: `whether ${label} gets connections depends on the implementation: another route answers its names on the listener, one of the two naming them more specifically (kubernetes-sigs/gateway-api#5120)`,
      });
    else if (st.why !== undefined) out.set(label, st.why);
  }
  return out;
}
