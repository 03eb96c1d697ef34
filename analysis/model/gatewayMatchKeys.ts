/**
 * The keys of HTTPRoute and GRPCRoute matches (docs/dev/gateway-api.md §9): two matches with the
 * same key (and hostname) on one listener tie on every criterion of the API's precedence, so the
 * older route, then the earlier rule, takes every request they match. Read by
 * `gateway-route-conflict` (checks/gateway/conflictTable.ts) and by `reach`
 * (reachability/gatewayRuleLoss.ts), which must agree on which rule gets nothing.
 */

import type { GatewayListener, GrpcMatch, RouteMatch, RouteRule } from './gateway.js';
import { hostnamesIntersect, ruleMatches } from './gateway.js';
import type { Span } from '../types.js';

/** An HTTPRoute match, keyed: path type and value (a PathPrefix without its trailing `/`), method, headers, query parameters. */
export function matchKey(m: RouteMatch): { key: string; text: string } {
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

/** A rule's matches (of an HTTPRoute or, `kind`, a GRPCRoute), keyed; undefined when they are unknown. */
export function ruleKeys(kind: string, r: RouteRule): Array<{ span: Span; key: string; text: string }> | undefined {
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

/**
 * How specific a hostname is, as the HTTPRoute and GRPCRoute `hostnames` precedence ranks it ("characters in a
 * matching non-wildcard hostname", then "in a matching hostname"): a name above every wildcard, a longer wildcard
 * above a shorter one, none written (`*`) last.
 */
export function hostnameRank(h: string): number {
  if (h === '*') return 0;
  return h.startsWith('*.') ? h.length : 100000 + h.length;
}

/** Does hostname `o` (a name, a wildcard or `*`) match every name `k` matches? */
function covers(o: string, k: string): boolean {
  return o === '*' || o === k || (o.startsWith('*.') && k.endsWith(o.slice(1)));
}

/** The intersection of two intersecting hostnames (`*`: every name): the narrower of the two. */
export function intersectHostnames(a: string, b: string): string {
  return covers(a, b) ? b : a;
}

/**
 * The hostnames a route answers on a listener (docs/dev/gateway-api.md §9): the intersection of each of its own
 * (`own`, lower-cased; undefined: none written) with the listener's (`lh`; undefined: none) where they intersect,
 * `*` for every name, with `own`, the route's most specific own hostname (`hostnameRank`; `*`: none written) that
 * answers the name there: two routes answering one name tie on the intersection, and the Gateway API does not say which of the
 * two readings ranks them (kubernetes-sigs/gateway-api#5120).
 */
export function hostsOnListener(
  own: readonly string[] | undefined,
  lh: string | undefined,
): Array<{ readonly host: string; readonly own: string }> {
  const l = lh ?? '*';
  const mine = own ?? ['*'];
  const out = new Map<string, string>();
  for (const o of mine) {
    if (o !== '*' && l !== '*' && !hostnamesIntersect(o, l)) continue;
    const host = intersectHostnames(o, l);
    let best = '*';
    for (const x of mine) if (covers(x, host) && hostnameRank(x) > hostnameRank(best)) best = x;
    out.set(host, best);
  }
  return [...out].map(([host, o]) => ({ host, own: o }));
}

/** Listeners that choose among themselves by hostname: HTTP and HTTPS (the request's host), TLS (the SNI name). */
function family(protocol: string | undefined): string | undefined {
  return protocol === 'HTTP' || protocol === 'HTTPS' ? 'http' : protocol === 'TLS' ? 'tls' : undefined;
}

/**
 * The listener on the port of `l` (HTTP and HTTPS by the request's host, TLS by the SNI name) that takes a name instead
 * of it: "inbound request hostnames MUST match from the most specific to least specific Hostname values to choose the
 * correct Listener and its associated set of Routes" (the Listener API, listeners distinct only by hostname;
 * conformance: GatewayHTTPListenerIsolation), so a route of `l` gets no request or connection for a name a listener with
 * a more specific hostname covers (docs/dev/gateway-api.md §10). Nothing is claimed when a port or hostname there is
 * templated.
 */
export function claimingListener(l: GatewayListener, all: readonly GatewayListener[]): (host: string) => GatewayListener | undefined {
  const fam = family(l.protocol);
  if (l.port?.known !== true || fam === undefined) return () => undefined;
  if (l.hostname !== undefined && !l.hostname.known) return () => undefined;
  const mine = hostnameRank(l.hostname?.known === true ? l.hostname.value.toLowerCase() : '*');
  const claims: Array<{ readonly host: string; readonly by: GatewayListener }> = [];
  for (const o of all) {
    if (o === l || family(o.protocol) !== fam) continue;
    if (o.port?.known !== true || (o.hostname !== undefined && !o.hostname.known)) return () => undefined;
    if (o.port.value !== l.port.value || o.hostname === undefined) continue;
    const h = o.hostname.value.toLowerCase();
    if (hostnameRank(h) > mine) claims.push({ host: h, by: o });
  }
  // The most specific claim first: the listener that takes the name.
  claims.sort((a, b) => hostnameRank(b.host) - hostnameRank(a.host));
  return (host) => claims.find((c) => covers(c.host, host))?.by;
}
