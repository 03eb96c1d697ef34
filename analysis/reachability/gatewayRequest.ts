/**
 * One HTTP request through a Gateway (docs/dev/gateway-api.md §10): which listener takes host H,
 * which HTTPRoute rule wins path P by the Gateway API's precedence (§9), and the backend Services
 * it forwards to. Read by `explain --via-gateway ns/name --host H --path P`.
 */

import type { GatewayListener, RouteMatch } from '../model/gateway.js';
import { GATEWAY_GROUP, acceptsKind, listenerAdmitsHostnames, ruleMatches, selectedListeners } from '../model/gateway.js';
import type { Tri } from '../model/labels.js';
import type { ServicePort } from '../model/types.js';
import type { ReachEngine } from './engine.js';
import type { ServiceRef } from './routing.js';
import { findService, serviceEndpoints } from './routing.js';
import { admitsNamespace } from './gatewayRouting.js';
import { servicePortText } from '../model/servicePorts.js';
import type { Endpoint, ProbeResult } from './explain.js';

export interface GatewayBackend {
  readonly service: ServiceRef;
  readonly port: ServicePort;
  readonly name: string;
}

export type GatewayRequestRoute =
  | {
      readonly kind: 'backend';
      /** `rules[1] of HTTPRoute shop/api (PathPrefix /api) on listener "http"`. */
      readonly via: string;
      readonly backends: readonly GatewayBackend[];
      /** Backends the rule names that are not in the manifests (name:port). */
      readonly missing: readonly string[];
      /** A regular-expression match or a namespace selector decided it: the implementation may differ. */
      readonly maybe: boolean;
    }
  | { readonly kind: 'none' | 'unknown'; readonly reason: string };

/** How well a hostname (listener's or route's) matches host `h`: exact > longer wildcard > none (-1), undefined if not. */
function hostScore(pattern: string | undefined, h: string): number | undefined {
  if (pattern === undefined) return 0;
  const p = pattern.toLowerCase();
  if (p === h) return 100000;
  if (p.startsWith('*.') && h.endsWith(p.slice(1))) return p.length;
  return undefined;
}

/** Does a match take a plain GET of `path` without headers or query parameters? undefined: a regex the implementation reads. */
function pathMatches(m: RouteMatch, path: string): boolean | undefined {
  if (m.method !== undefined && m.method !== 'GET') return false;
  if (m.headers.length > 0 || m.queryParams.length > 0) return false;
  if (m.pathType === 'Exact') return path === m.path;
  if (m.pathType === 'PathPrefix') {
    const p = m.path.replace(/\/+$/, '');
    return p === '' || path === p || path.startsWith(`${p}/`);
  }
  if (m.pathType === 'RegularExpression') {
    try {
      return new RegExp(`^(?:${m.path})$`).test(path) ? undefined : false;
    } catch {
      return false;
    }
  }
  return false;
}

interface Candidate {
  readonly hostScore: number;
  readonly match: RouteMatch;
  readonly regex: boolean;
  readonly route: string;
  readonly rule: number;
  readonly backends: ReadonlyArray<{ readonly ns: string; readonly name: string; readonly port: number; readonly weight: number }>;
  readonly maybe: boolean;
}

function compare(a: Candidate, b: Candidate): number {
  const typeRank = (c: Candidate): number => (c.match.pathType === 'Exact' ? 2 : c.match.pathType === 'PathPrefix' ? 1 : 0);
  return (
    b.hostScore - a.hostScore ||
    typeRank(b) - typeRank(a) ||
    b.match.path.length - a.match.path.length ||
    (b.match.method !== undefined ? 1 : 0) - (a.match.method !== undefined ? 1 : 0) ||
    (a.route < b.route ? -1 : a.route > b.route ? 1 : 0) ||
    a.rule - b.rule
  );
}

/** Routes a GET of `host` + `path` through the Gateway `ns/name`. */
export function routeThroughGateway(engine: ReachEngine, key: string, host: string, path: string): GatewayRequestRoute {
  const slash = key.indexOf('/');
  const gwNs = key.slice(0, slash);
  const gwName = key.slice(slash + 1);
  const gw = engine.gathering.gathered.gateways.find(
    (g) => g.namespace === gwNs && g.placed.obj.name?.known === true && g.placed.obj.name.value === gwName,
  );
  const spec = gw?.placed.obj.gateway;
  if (gw === undefined || spec === undefined) return { kind: 'none', reason: `Gateway ${key} is not in the manifests` };
  const h = host.toLowerCase();
  // The listener that takes the request: the most specific hostname among HTTP and HTTPS listeners.
  let listener: GatewayListener | undefined;
  let best = -2;
  for (const l of spec.listeners) {
    if (l.protocol !== 'HTTP' && l.protocol !== 'HTTPS') continue;
    if (l.hostname !== undefined && !l.hostname.known)
      return { kind: 'unknown', reason: `a listener hostname of Gateway ${key} is templated` };
    const s = hostScore(l.hostname?.known === true ? l.hostname.value : undefined, h);
    if (s !== undefined && s > best) {
      best = s;
      listener = l;
    }
  }
  if (listener === undefined) return { kind: 'none', reason: `no HTTP or HTTPS listener of Gateway ${key} takes host ${host}` };
  const lname = listener.name?.known === true ? `"${listener.name.value}"` : 'a listener';
  const candidates: Candidate[] = [];
  let doubt = false;
  for (const { placed, namespace } of engine.gathering.gathered.routes) {
    const r = placed.obj;
    const route = r.route;
    if (r.kind !== 'HTTPRoute' || route === undefined) continue;
    let attached: Tri = 'no';
    for (const ref of route.parentRefs) {
      if (ref.unknown || ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway' || ref.name?.known !== true || ref.name.value !== gwName)
        continue;
      const refNs = ref.namespace === undefined ? namespace : ref.namespace.known ? ref.namespace.value : undefined;
      if (refNs !== gwNs) continue;
      const selected = selectedListeners(gw.placed.obj, ref) ?? [];
      if (!selected.includes(listener)) continue;
      const hostnames = route.hostnames?.map((x) => (x.known ? { known: true, value: x.value } : { known: false }));
      const k = acceptsKind(listener, r.kind);
      const n = admitsNamespace(engine, listener, gwNs, namespace);
      const hn = listenerAdmitsHostnames(listener, hostnames);
      if (k === 'yes' && n === 'yes' && hn === 'yes') attached = 'yes';
      else if (attached === 'no' && k !== 'no' && n !== 'no' && hn !== 'no') attached = 'unknown';
    }
    if (attached === 'no') continue;
    // The route's hostnames that match the request (none written: it answers every host of the listener).
    let routeScore: number | undefined = route.hostnames === undefined ? 0 : undefined;
    for (const x of route.hostnames ?? []) {
      if (!x.known) {
        doubt = true;
        continue;
      }
      const s = hostScore(x.value, h);
      if (s !== undefined && (routeScore === undefined || s > routeScore)) routeScore = s;
    }
    if (routeScore === undefined) continue;
    if (route.rulesUnknown) doubt = true;
    const label = `HTTPRoute ${namespace}/${r.name?.known === true ? r.name.value : '?'}`;
    route.rules.forEach((rule, i) => {
      if (rule.matchesUnknown || rule.backendRefsUnknown) {
        doubt = true;
        return;
      }
      for (const m of ruleMatches(rule)) {
        const ok = pathMatches(m, path);
        if (ok === false) continue;
        const backends: Array<{ ns: string; name: string; port: number; weight: number }> = [];
        for (const b of rule.backendRefs) {
          if (b.unknown || b.group !== '' || b.kind !== 'Service' || b.name?.known !== true || b.port?.known !== true) continue;
          const ns = b.namespace === undefined ? namespace : b.namespace.known ? b.namespace.value : undefined;
          if (ns === undefined) continue;
          backends.push({ ns, name: b.name.value, port: b.port.value, weight: b.weight?.known === true ? b.weight.value : 1 });
        }
        candidates.push({
          hostScore: routeScore,
          match: m,
          regex: ok === undefined,
          route: label,
          rule: i,
          backends,
          maybe: attached === 'unknown',
        });
      }
    });
  }
  candidates.sort(compare);
  const win = candidates[0];
  if (win === undefined)
    return doubt
      ? { kind: 'unknown', reason: `a route of Gateway ${key} is templated` }
      : {
          kind: 'none',
          reason: `no HTTPRoute rule on listener ${lname} of Gateway ${key} matches ${host}${path} (a GET without headers or query parameters): the Gateway answers 404`,
        };
  const via = `rules[${win.rule}] of ${win.route} (${win.match.pathType} ${win.match.path}) on listener ${lname} of Gateway ${key}`;
  const backends: GatewayBackend[] = [];
  const missing: string[] = [];
  for (const b of win.backends) {
    if (b.weight === 0) continue;
    const service = findService(engine, b.ns, b.name);
    const port = service?.placed.obj.service?.ports.find((p) => p.port?.known === true && p.port.value === b.port && p.protocol === 'TCP');
    if (service === undefined || port === undefined) missing.push(`${b.ns}/${b.name}:${b.port}`);
    else backends.push({ service, port, name: `${b.ns}/${b.name}` });
  }
  return { kind: 'backend', via, backends, missing, maybe: win.maybe || win.regex || doubt };
}

/**
 * `explain --via-gateway` (docs/dev/gateway-api.md §10): a GET of host + path through a Gateway,
 * the winning HTTPRoute rule's backends, then `judge`'s verdict from the Gateway's data plane to
 * the endpoint `dst` (named `to`).
 */
export function explainViaGateway(
  engine: ReachEngine,
  to: string,
  via: { readonly gateway: string; readonly host: string; readonly path: string },
  dst: Endpoint,
  judge: (src: Endpoint, dst: Endpoint, port: number, prefix: string) => ProbeResult,
): ProbeResult {
  const key = via.gateway;
  const r = routeThroughGateway(engine, key, via.host, via.path);
  if (r.kind !== 'backend') return { allowed: r.kind === 'none' ? false : null, reason: r.reason, decidedBy: [] };
  const dpIndex = engine.model.gatewayDataPlanes.get(key)?.[0];
  const dp = dpIndex === undefined ? undefined : engine.classes[dpIndex];
  const at = `${via.host}${via.path} matches ${r.via}`;
  if (dp === undefined)
    return { allowed: null, reason: `${at}, but no data plane is known for Gateway ${key} (kubeReach.gatewayControllers)`, decidedBy: [] };
  const missing = r.missing.length > 0 ? ` (not in the manifests: ${r.missing.join(', ')})` : '';
  if (r.backends.length === 0)
    return { allowed: false, reason: `${at}, which forwards to no Service${missing}: the Gateway answers 500`, decidedBy: [] };
  for (const b of r.backends) {
    const ep = dst.kind === 'pod' ? serviceEndpoints(engine, b.service, b.port).endpoints.find((x) => x.cls === dst.cls) : undefined;
    if (ep === undefined) continue;
    const prefix = `${at}, to Service ${b.name} port ${servicePortText(b.port)}, TCP/${ep.port} of ${to}; `;
    const v = judge({ kind: 'pod', cls: dp.index, replica: 0, label: dp.node }, dst, ep.port, prefix);
    if ((ep.maybe || r.maybe) && v.allowed !== false)
      return {
        ...v,
        allowed: null,
        reason: `${v.reason}; ${ep.maybe ? 'whether the Service selects the pods depends on a templated value' : 'the match or the attachment depends on what the workspace does not show (a regular expression, a namespace selector, a templated route)'}`,
      };
    return v;
  }
  return {
    allowed: false,
    reason: `${at}, whose backends (${r.backends.map((b) => b.name).join(', ')})${missing} do not select ${to}`,
    decidedBy: [],
  };
}
