/**
 * One TLS, TCP or UDP connection through a Gateway (docs/dev/gateway-api.md §10): the listener of
 * that protocol on the port (and, for TLS, the most specific hostname taking the SNI name), the
 * TLSRoute, TCPRoute or UDPRoute attached to it (for TLS, the route whose hostname matches the SNI
 * name most specifically), and the backends of its rule. Read by
 * `explain --via-gateway ns/name (--sni H [--port N] | --port N [--protocol UDP])`.
 */

import type { GatewayListener } from '../model/gateway.js';
import type { ReachEngine } from './engine.js';
import type { GatewayBackend, GatewayRequestRoute } from './gatewayRequest.js';
import { attachment, gatewayOf, hostScore } from './gatewayRequest.js';
import { findService } from './routing.js';

/** A connection a Gateway's TLS, TCP or UDP listener takes. */
export interface GatewayConnection {
  readonly connection: 'TLS' | 'TCP' | 'UDP';
  /** The listener port; for TLS it may be left out (any TLS listener taking the SNI name). */
  readonly port: number | undefined;
  /** The TLS server name (SNI). */
  readonly sni?: string;
}

const ROUTE_KIND = { TLS: 'TLSRoute', TCP: 'TCPRoute', UDP: 'UDPRoute' } as const;

export function connectionText(c: GatewayConnection): string {
  const port = c.port === undefined ? '' : ` port ${c.port}`;
  return c.connection === 'TLS' ? `a TLS connection for ${c.sni ?? '?'}${port}` : `a ${c.connection} connection to${port}`;
}

interface Candidate {
  readonly score: number;
  readonly label: string;
  readonly rules: number;
  readonly backends: ReadonlyArray<{ readonly ns: string; readonly name: string; readonly port: number; readonly weight: number }>;
  readonly maybe: boolean;
}

/** Routes a TLS (by SNI), TCP or UDP connection through the Gateway `ns/name`. */
export function routeConnectionThroughGateway(engine: ReachEngine, key: string, c: GatewayConnection): GatewayRequestRoute {
  const found = gatewayOf(engine, key);
  if (found === undefined) return { kind: 'none', reason: `Gateway ${key} is not in the manifests` };
  const kind = ROUTE_KIND[c.connection];
  const sni = c.sni?.toLowerCase();
  let listener: GatewayListener | undefined;
  let best = -2;
  for (const l of found.spec.listeners) {
    if (l.protocol !== c.connection) continue;
    if (l.port === undefined || !l.port.known) return { kind: 'unknown', reason: `a listener port of Gateway ${key} is templated` };
    if (c.port !== undefined && l.port.value !== c.port) continue;
    if (l.hostname !== undefined && !l.hostname.known)
      return { kind: 'unknown', reason: `a listener hostname of Gateway ${key} is templated` };
    const s = sni === undefined ? 0 : hostScore(l.hostname?.known === true ? l.hostname.value : undefined, sni);
    if (s !== undefined && s > best) {
      best = s;
      listener = l;
    }
  }
  const what = connectionText(c);
  if (listener === undefined)
    return {
      kind: 'none',
      reason: `no ${c.connection} listener of Gateway ${key}${c.port === undefined ? '' : ` on port ${c.port}`}${sni === undefined ? '' : ` takes ${sni}`}: ${what} is refused`,
    };
  const lname = listener.name?.known === true ? `"${listener.name.value}"` : 'a listener';
  const candidates: Candidate[] = [];
  let doubt = false;
  for (const { placed, namespace } of engine.gathering.gathered.routes) {
    const r = placed.obj;
    const route = r.route;
    if (r.kind !== kind || route === undefined) continue;
    const attached = attachment(engine, found, listener, kind, route, namespace);
    if (attached === 'no') continue;
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
    if (score === undefined) continue;
    const rule = route.rules[0];
    if (route.rulesUnknown || rule === undefined || rule.backendRefsUnknown) {
      doubt = true;
      continue;
    }
    const backends: Array<{ ns: string; name: string; port: number; weight: number }> = [];
    for (const b of rule.backendRefs) {
      if (b.unknown || b.group !== '' || b.kind !== 'Service' || b.name?.known !== true || b.port?.known !== true) continue;
      const ns = b.namespace === undefined ? namespace : b.namespace.known ? b.namespace.value : undefined;
      if (ns === undefined) continue;
      backends.push({ ns, name: b.name.value, port: b.port.value, weight: b.weight?.known === true ? b.weight.value : 1 });
    }
    const label = `${kind} ${namespace}/${r.name?.known === true ? r.name.value : '?'}`;
    candidates.push({ score, label, rules: route.rules.length, backends, maybe: attached === 'unknown' });
  }
  candidates.sort((a, b) => b.score - a.score || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const win = candidates[0];
  if (win === undefined)
    return doubt
      ? { kind: 'unknown', reason: `a route of Gateway ${key} is templated` }
      : { kind: 'none', reason: `no ${kind} on listener ${lname} of Gateway ${key} takes ${what}: the Gateway closes it` };
  // Two routes of the same rank: which one the Gateway accepts is up to the implementation.
  const rival = candidates[1] !== undefined && candidates[1].score === win.score ? candidates[1] : undefined;
  const notes: string[] = [];
  if (rival !== undefined)
    notes.push(
      `${rival.label} attaches to the same listener${sni === undefined ? '' : ' for this name'}: the Gateway accepts only one of them (implementation-specific)`,
    );
  if (win.rules > 1)
    notes.push(`${win.label} has ${win.rules} rules: which ones an implementation uses for one listener is implementation-specific`);
  const backends: GatewayBackend[] = [];
  const missing: string[] = [];
  const protocol = c.connection === 'UDP' ? 'UDP' : 'TCP';
  for (const b of win.backends) {
    if (b.weight === 0) continue;
    const service = findService(engine, b.ns, b.name);
    const port = service?.placed.obj.service?.ports.find(
      (p) => p.port?.known === true && p.port.value === b.port && p.protocol === protocol,
    );
    if (service === undefined || port === undefined) missing.push(`${b.ns}/${b.name}:${b.port}/${protocol}`);
    else backends.push({ service, port, name: `${b.ns}/${b.name}` });
  }
  return {
    kind: 'backend',
    via: `rules[0] of ${win.label} on listener ${lname} of Gateway ${key}`,
    backends,
    missing,
    maybe: win.maybe || doubt || notes.length > 0,
    ...(notes.length > 0 ? { doubt: notes.join('; ') } : {}),
  };
}
