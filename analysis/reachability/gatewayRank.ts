/**
 * Which HTTPRoute or GRPCRoute rule takes a request on a listener (docs/dev/gateway-api.md §9, §10): the matches
 * that take it and their ranks by the Gateway API's precedence, best first. Read by `explain --via-gateway`
 * (gatewayRequest.ts).
 */

import type { GrpcMatch, RouteMatch, RouteRule } from '../model/gateway.js';
import { ruleMatches } from '../model/gateway.js';
import { intersectHostnames } from '../model/gatewayMatchKeys.js';
import type { BackendRefTarget } from './gatewayRouting.js';
import { serviceBackendRefs } from './gatewayRouting.js';
import type { OnListener } from './gatewayCrossServing.js';

/** How well a hostname (listener's or route's) matches host `h`: exact > longer wildcard > none (-1), undefined if not. */
export function hostScore(pattern: string | undefined, h: string): number | undefined {
  if (pattern === undefined) return 0;
  const p = pattern.toLowerCase();
  if (p === h) return 100000;
  if (p.startsWith('*.') && h.endsWith(p.slice(1))) return p.length;
  return undefined;
}

/** Header and query parameter matches against what a request carries: false on a miss, undefined when a regex the implementation reads decides it. */
function pairsMatch(
  wanted: ReadonlyArray<{ readonly type: string; readonly name: string; readonly value: string }>,
  given: Readonly<Record<string, string>> | undefined,
  caseless: boolean,
): boolean | undefined {
  let regex = false;
  for (const w of wanted) {
    const name = caseless ? w.name.toLowerCase() : w.name;
    const got = Object.entries(given ?? {}).find(([k]) => (caseless ? k.toLowerCase() : k) === name)?.[1];
    if (got === undefined) return false;
    if (w.type === 'Exact') {
      if (got !== w.value) return false;
    } else if (w.type === 'RegularExpression') {
      try {
        if (!new RegExp(w.value).test(got)) return false;
      } catch {
        return false;
      }
      regex = true;
    } else return false;
  }
  return regex ? undefined : true;
}

/** Does a match take a request (`method`, GET by default; `headers`, `query`) of `path`? undefined: a regex the implementation reads. */
function pathMatches(m: RouteMatch, request: HttpRequest): boolean | undefined {
  const path = request.path;
  if (m.method !== undefined && m.method !== (request.method ?? 'GET')) return false;
  const headers = pairsMatch(m.headers, request.headers, true);
  const query = pairsMatch(m.queryParams, request.query, false);
  if (headers === false || query === false) return false;
  const regex = headers === undefined || query === undefined;
  if (m.pathType === 'Exact') return path === m.path && (regex ? undefined : true);
  if (m.pathType === 'PathPrefix') {
    const p = m.path.replace(/\/+$/, '');
    return (p === '' || path === p || path.startsWith(`${p}/`)) && (regex ? undefined : true);
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

/** An HTTP request through a Gateway: a GET of a path unless `method` says otherwise, with its headers and query parameters. */
export interface HttpRequest {
  readonly path: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
}

/** A request through a Gateway: an HTTP request, or a gRPC call of `service`/`method` (with its headers). */
export type GatewayRequest =
  | HttpRequest
  | { readonly grpc: { readonly service: string; readonly method: string }; readonly headers?: Readonly<Record<string, string>> };

/** What a request carries beside its host and path, as answers say it (` (POST, header x-canary: 1, query v=2)`; '' for a plain GET). */
export function requestDetailsText(r: GatewayRequest): string {
  const parts: string[] = [];
  if (!('grpc' in r) && r.method !== undefined && r.method !== 'GET') parts.push(r.method);
  for (const [k, v] of Object.entries(r.headers ?? {})) parts.push(`header ${k}: ${v}`);
  if (!('grpc' in r)) for (const [k, v] of Object.entries(r.query ?? {})) parts.push(`query ${k}=${v}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** Does a GRPCRoute match take a call of `service`/`method` with `headers`? undefined: a regex the implementation reads. */
function grpcMatches(
  m: GrpcMatch,
  service: string,
  method: string,
  headers: Readonly<Record<string, string>> | undefined,
): boolean | undefined {
  const h = pairsMatch(m.headers, headers, true);
  if (h === false) return false;
  if (m.type === 'Exact')
    return (m.service === '' || m.service === service) && (m.method === '' || m.method === method) && (h === undefined ? undefined : true);
  if (m.type !== 'RegularExpression') return false;
  try {
    const s = m.service === '' || new RegExp(`^(?:${m.service})$`).test(service);
    const f = m.method === '' || new RegExp(`^(?:${m.method})$`).test(method);
    return s && f ? undefined : false;
  } catch {
    return false;
  }
}

/** A match's method, header and query conditions, as answers name them. */
function matchDetails(m: RouteMatch): string {
  const parts = [
    ...(m.method !== undefined ? [`method ${m.method}`] : []),
    ...m.headers.map((h) => `header ${h.name}${h.type === 'Exact' ? ': ' : ' ~ '}${h.value}`),
    ...m.queryParams.map((q) => `query ${q.name}${q.type === 'Exact' ? '=' : ' ~ '}${q.value}`),
  ];
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}

/** The match that takes the request, as §9's precedence ranks it: its description and ranks (larger first). */
interface Taken {
  readonly text: string;
  readonly ranks: readonly number[];
  readonly regex: boolean;
}

function takes(rule: RouteRule, request: GatewayRequest): Taken[] | undefined {
  const out: Taken[] = [];
  if ('grpc' in request) {
    const matches = rule.grpcMatches;
    if (matches === undefined) return undefined;
    // A rule without matches takes every call.
    if (matches.length === 0) return [{ text: 'every gRPC call', ranks: [0, 0, 0], regex: false }];
    for (const m of matches) {
      const ok = grpcMatches(m, request.grpc.service, request.grpc.method, request.headers);
      if (ok === false) continue;
      const what = `${m.type === 'Exact' ? '' : `${m.type} `}${m.service === '' ? 'any service' : `service ${m.service}`}, ${m.method === '' ? 'any method' : `method ${m.method}`}`;
      out.push({ text: what, ranks: [m.service.length, m.method.length, m.headers.length], regex: ok === undefined });
    }
    return out;
  }
  if (rule.matchesUnknown) return undefined;
  for (const m of ruleMatches(rule)) {
    const ok = pathMatches(m, request);
    if (ok === false) continue;
    const typeRank = m.pathType === 'Exact' ? 2 : m.pathType === 'PathPrefix' ? 1 : 0;
    out.push({
      text: `${m.pathType} ${m.path}${matchDetails(m)}`,
      // A PathPrefix ignores a trailing `/`: `/api/` and `/api` match the same paths and rank alike (§9).
      ranks: [
        typeRank,
        m.pathType === 'PathPrefix' ? m.path.replace(/\/+$/, '').length : m.path.length,
        m.method !== undefined ? 1 : 0,
        m.headers.length,
        m.queryParams.length,
      ],
      regex: ok === undefined,
    });
  }
  return out;
}

export interface Candidate {
  readonly on: OnListener;
  /** How specific the route's own hostname matching the host is (none written: 0). */
  readonly hostScore: number;
  /** The same of that hostname within the listener's (§9: the API does not say which of the two ranks routes). */
  readonly meetScore: number;
  readonly match: Taken;
  readonly regex: boolean;
  readonly route: string;
  readonly rule: number;
  readonly backends: readonly BackendRefTarget[];
  readonly maybe: boolean;
}

/** Do two candidates tie on every criterion before the routes' age and name? */
export function sameRank(a: Candidate, b: Candidate): boolean {
  return (
    a.hostScore === b.hostScore &&
    a.match.ranks.every((r, i) => r === (b.match.ranks[i] ?? 0)) &&
    a.match.ranks.length === b.match.ranks.length
  );
}

function compare(a: Candidate, b: Candidate, meet = false): number {
  let d = meet ? b.meetScore - a.meetScore : b.hostScore - a.hostScore;
  for (let i = 0; d === 0 && i < a.match.ranks.length; i++) d = (b.match.ranks[i] ?? 0) - (a.match.ranks[i] ?? 0);
  return d || (a.route < b.route ? -1 : a.route > b.route ? 1 : 0) || a.rule - b.rule;
}

/**
 * The first of `candidates` (ranked by the routes' own hostnames) that `ok` keeps, and the one the ranking by their
 * hostnames within the listener's puts first when it is another route's rule (§9, kubernetes-sigs/gateway-api#5120:
 * which of the two the Gateway serves is the implementation's).
 */
export function winners(
  candidates: readonly Candidate[],
  ok: (c: Candidate) => boolean,
): { readonly win: Candidate | undefined; readonly other: Candidate | undefined } {
  const kept = candidates.filter(ok);
  const win = kept[0];
  const other = [...kept].sort((a, b) => compare(a, b, true))[0];
  return { win, other: other !== undefined && win !== undefined && other.on !== win.on ? other : undefined };
}

/**
 * The rules of the routes of `kind` in `routes` on a listener of hostname `lh` that take `request` to host `h`, best
 * first (§9's precedence).
 */
export function rank(
  routes: readonly OnListener[],
  kind: string,
  h: string,
  request: GatewayRequest,
  lh: string | undefined,
): { candidates: Candidate[]; doubt: boolean } {
  const candidates: Candidate[] = [];
  let doubt = false;
  for (const on of routes) {
    if (on.kind !== kind) continue;
    const route = on.route;
    // The route's hostnames that match the request (none written: it answers every host of the listener).
    let routeScore: number | undefined = route.hostnames === undefined ? 0 : undefined;
    let meetScore = route.hostnames === undefined ? (hostScore(lh, h) ?? 0) : 0;
    for (const x of route.hostnames ?? []) {
      if (!x.known) {
        doubt = true;
        continue;
      }
      const s = hostScore(x.value, h);
      if (s === undefined) continue;
      if (routeScore === undefined || s > routeScore) routeScore = s;
      const own = x.value.toLowerCase();
      meetScore = Math.max(meetScore, hostScore(lh === undefined ? own : intersectHostnames(own, lh), h) ?? 0);
    }
    if (routeScore === undefined) continue;
    if (route.rulesUnknown) doubt = true;
    route.rules.forEach((rule, i) => {
      const taken = rule.backendRefsUnknown ? undefined : takes(rule, request);
      if (taken === undefined) {
        doubt = true;
        return;
      }
      const backends = serviceBackendRefs(rule.backendRefs, on.namespace);
      for (const m of taken) {
        candidates.push({
          on,
          hostScore: routeScore,
          meetScore,
          match: m,
          regex: m.regex,
          route: on.label,
          rule: i,
          backends,
          maybe: on.attached === 'unknown',
        });
      }
    });
  }
  candidates.sort(compare);
  return { candidates, doubt };
}
