/**
 * The ingress-nginx annotations "Convert to Gateway API" maps beyond ingress2gateway's set
 * (docs/dev/gateway-api.md §8), written from ingress-nginx's annotation documentation and the
 * Gateway API v1.5 reference: CORS (the HTTPRoute `CORS` filter, Standard since v1.5),
 * canary-by-cookie (a `Cookie` header match), ssl-passthrough (a TLS listener in `Passthrough` mode
 * and a TLSRoute) and backend-protocol (what the Service and a BackendTLSPolicy must say). Pure
 * helpers; `ingressToGateway.ts` calls them.
 */

import type { IngressBackend } from '../model/types.js';
import type { Group, Listeners, Obj } from './ingressFacts.js';
import { GATEWAY_API_VERSION } from './ingressFacts.js';
import { boolAnnotation, NGINX, parseRedirect, REDIRECT_CODES } from './nginxAnnotations.js';

type Annotation = (name: string) => string | undefined;

/** ingress-nginx's defaults for the `cors-*` annotations. */
const CORS_DEFAULTS = {
  origin: '*',
  methods: 'GET, PUT, POST, DELETE, PATCH, OPTIONS',
  headers: 'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization',
  maxAge: 1728000,
} as const;

/** HTTPCORSFilter `allowMethods` values. */
const CORS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', '*']);

/** An origin HTTPCORSFilter accepts: `*`, or `<scheme>://<host>(:<port>)` with a host that may start with `*.`. */
const ORIGIN = /^(\*|https?:\/\/(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?)$/;

/** A header name as HTTP allows it (a token). */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

function list(text: string): string[] {
  return text
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

/** The `cors-*` annotations other than `enable-cors`. */
export const CORS_ANNOTATIONS: readonly string[] = [
  'cors-allow-origin',
  'cors-allow-methods',
  'cors-allow-headers',
  'cors-expose-headers',
  'cors-allow-credentials',
  'cors-max-age',
];

/**
 * `enable-cors: "true"` and the `cors-*` annotations (ingress-nginx's defaults for those not set)
 * as a CORS filter; values HTTPCORSFilter does not accept are left out with a note. Undefined
 * when CORS is not enabled (the `cors-*` annotations alone do nothing: a note says so).
 */
export function corsFilter(a: Annotation, notes: string[]): Obj | undefined {
  if (boolAnnotation(a('enable-cors')) !== true) {
    const set = CORS_ANNOTATIONS.filter((n) => a(n) !== undefined);
    if (set.length > 0) notes.push(`${set.map((n) => NGINX + n).join(', ')}: ignored, as ingress-nginx does without enable-cors: "true"`);
    return undefined;
  }
  const dropped = (what: string, values: readonly string[]): void => {
    if (values.length > 0)
      notes.push(`${NGINX}${what}: ${values.map((v) => `"${v}"`).join(', ')} left out (not a value HTTPCORSFilter accepts)`);
  };
  const origins = list(a('cors-allow-origin') ?? CORS_DEFAULTS.origin);
  dropped(
    'cors-allow-origin',
    origins.filter((o) => !ORIGIN.test(o)),
  );
  const allowOrigins = origins.filter((o) => ORIGIN.test(o));
  if (allowOrigins.length === 0) {
    notes.push(`${NGINX}enable-cors: no origin HTTPCORSFilter accepts, so no CORS filter was written`);
    return undefined;
  }
  const methods = list(a('cors-allow-methods') ?? CORS_DEFAULTS.methods).map((m) => m.toUpperCase());
  dropped(
    'cors-allow-methods',
    methods.filter((m) => !CORS_METHODS.has(m)),
  );
  const headers = list(a('cors-allow-headers') ?? CORS_DEFAULTS.headers);
  dropped(
    'cors-allow-headers',
    headers.filter((h) => !HEADER_NAME.test(h)),
  );
  const expose = list(a('cors-expose-headers') ?? '');
  dropped(
    'cors-expose-headers',
    expose.filter((h) => !HEADER_NAME.test(h)),
  );
  const cors: Obj = { allowOrigins: [...new Set(allowOrigins)] };
  const allowMethods = [...new Set(methods.filter((m) => CORS_METHODS.has(m)))];
  if (allowMethods.length > 0) cors['allowMethods'] = allowMethods;
  const allowHeaders = [...new Set(headers.filter((h) => HEADER_NAME.test(h)))];
  if (allowHeaders.length > 0) cors['allowHeaders'] = allowHeaders;
  const exposeHeaders = [...new Set(expose.filter((h) => HEADER_NAME.test(h)))];
  if (exposeHeaders.length > 0) cors['exposeHeaders'] = exposeHeaders;
  // ingress-nginx allows credentials unless told otherwise; HTTPCORSFilter does not by default.
  if (boolAnnotation(a('cors-allow-credentials')) !== false) cors['allowCredentials'] = true;
  const ageText = a('cors-max-age');
  const age = ageText === undefined ? CORS_DEFAULTS.maxAge : Number(ageText.trim());
  if (Number.isInteger(age) && age >= 1) cors['maxAge'] = age;
  else notes.push(`${NGINX}cors-max-age: "${ageText ?? ''}" is not a number of seconds; HTTPCORSFilter's default (5 s) applies`);
  return { type: 'CORS', cors };
}

/**
 * canary-by-cookie: a request whose cookie `name` is `always` goes to the canary. Gateway API
 * matches no cookies, so the rule matches the `Cookie` header by a regular expression (support
 * for RegularExpression header matches is implementation-specific). Anchored at both ends, so it
 * reads the same whether the implementation matches the whole value or searches it.
 */
export function cookieCanaryHeader(name: string): Obj {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { type: 'RegularExpression', name: 'Cookie', value: `^(.*;\\s*)?${escaped}=always(;.*)?$` };
}

/**
 * What backend-protocol asks of the Gateway, which Gateway API says on the Service and in a
 * BackendTLSPolicy rather than on the route; undefined when there is nothing to say (HTTP).
 */
export function backendProtocolNote(value: string, services: readonly string[], grpcRoutes = false): string | undefined {
  const v = value.trim().toUpperCase();
  const names = services.length === 0 ? 'its backend Services' : services.map((s) => `Service ${s}`).join(', ');
  const tls = `a BackendTLSPolicy targeting ${names} (its CA certificates and hostname are yours to say) makes the Gateway speak TLS to it`;
  const h2c = `appProtocol: kubernetes.io/h2c on the port of ${names} makes the Gateway speak HTTP/2 to it`;
  const key = `${NGINX}backend-protocol: ${v}`;
  if (v === 'HTTP' || v === 'AUTO_HTTP') return undefined;
  if (v === 'HTTPS') return `${key}: not converted; ${tls}`;
  if (v === 'GRPC') return grpcRoutes ? undefined : `${key}: not converted; ${h2c} (or route it with a GRPCRoute)`;
  if (v === 'GRPCS')
    return grpcRoutes ? `${key}: GRPCRoutes written; ${tls}` : `${key}: not converted; ${tls}, and a GRPCRoute routes gRPC`;
  return `${key}: no Gateway API equivalent`;
}

/**
 * from-to-www-redirect: the other name of each host (`www.` added or removed) that the Ingress does
 * not serve itself (ingress-nginx then leaves it out), as a group of its own (no paths; the host's
 * certificates, which ingress-nginx wants to name both). With a Gateway of the workspace (`existing`)
 * the names are a note instead.
 */
export function wwwGroups(groups: readonly Group[], enabled: boolean, existing: string | undefined, notes: string[]): Group[] {
  if (!enabled) return [];
  const hosts = new Set(groups.map((g) => g.host));
  const out: Group[] = [];
  const skipped: string[] = [];
  for (const g of groups) {
    if (g.host === '' || g.host.startsWith('*.')) continue;
    const other = g.host.startsWith('www.') ? g.host.slice(4) : `www.${g.host}`;
    if (hosts.has(other)) continue;
    if (existing !== undefined) skipped.push(other);
    else out.push({ host: other, paths: [], secrets: g.secrets });
  }
  if (skipped.length > 0)
    notes.push(
      `${NGINX}from-to-www-redirect: Gateway ${existing ?? ''} has no listener for ${skipped.join(', ')}; add one and a RequestRedirect route by hand`,
    );
  return out;
}

/** The route that redirects `host` (a www group's name) to its other name: 301 (Core; ingress-nginx answers 308), the scheme kept. */
export function wwwRedirectRoute(name: string, host: string, p: Listeners, meta: (name: string) => Obj): Obj {
  const to = host.startsWith('www.') ? host.slice(4) : `www.${host}`;
  return {
    apiVersion: GATEWAY_API_VERSION,
    kind: 'HTTPRoute',
    metadata: meta(name),
    spec: {
      parentRefs: p.https === undefined ? [p.http] : [p.http, p.https],
      hostnames: [host],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: to, statusCode: 301 } }] }],
    },
  };
}

const GRPC_SERVICE = /^[A-Za-z_][A-Za-z_0-9]*(\.[A-Za-z_][A-Za-z_0-9]*)*$/;
const GRPC_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;

/**
 * A host of an Ingress whose backends speak gRPC as a GRPCRoute (ingress2gateway's conversion): one
 * rule per distinct path, whose `/service/method` (or `/service`) is the rule's method match; `/` and
 * paths that name no gRPC service match every call.
 */
export function grpcRoute(
  metadata: Obj,
  parent: Obj,
  hostnames: readonly string[],
  g: Group,
  backendRefs: (b: readonly IngressBackend[], where: string) => Obj[],
): Obj {
  const byPath = new Map<string, IngressBackend[]>();
  for (const { path } of g.paths) {
    const value = path.path?.known === true && path.path.value !== '' ? path.path.value : '/';
    const list = byPath.get(value) ?? [];
    if (path.backend !== undefined) list.push(path.backend);
    byPath.set(value, list);
  }
  const rules: Obj[] = [];
  for (const [value, backends] of byPath) {
    const [service = '', method = ''] = value.replace(/^\/+/, '').split('/');
    const m: Obj = {};
    if (GRPC_SERVICE.test(service)) m['service'] = service;
    if (m['service'] !== undefined && GRPC_METHOD.test(method)) m['method'] = method;
    const rule: Obj = m['service'] === undefined ? {} : { matches: [{ method: m }] };
    const refs = backendRefs(backends, `path ${value}`);
    if (refs.length > 0) rule['backendRefs'] = refs;
    rules.push(rule);
  }
  const spec: Obj = { parentRefs: [parent] };
  if (hostnames.length > 0) spec['hostnames'] = hostnames;
  spec['rules'] = rules;
  return { apiVersion: GATEWAY_API_VERSION, kind: 'GRPCRoute', metadata, spec };
}

/** permanent-redirect / temporal-redirect (and their -code) as a RequestRedirect filter; `a` reads an ingress-nginx annotation. */
export function redirectFilter(a: (name: string) => string | undefined, notes: string[]): Obj | undefined {
  const permanent = a('permanent-redirect');
  const temporal = a('temporal-redirect');
  // Both set: ingress-nginx reads temporal-redirect first (its redirect annotation parser; ingress2gateway too).
  const url = temporal ?? permanent;
  if (url === undefined) return undefined;
  const isPermanent = temporal === undefined;
  const which = isPermanent ? 'permanent-redirect' : 'temporal-redirect';
  const target = parseRedirect(url);
  if (target === undefined) {
    notes.push(`${NGINX}${which}: "${url}" is not an absolute http(s) URL or a path`);
    return undefined;
  }
  const codeText = a(`${which}-code`);
  const code = codeText === undefined ? (isPermanent ? 301 : 302) : Number(codeText);
  const statusCode = REDIRECT_CODES.includes(code) ? code : isPermanent ? 301 : 302;
  if (codeText !== undefined && !REDIRECT_CODES.includes(code))
    notes.push(`${NGINX}${which}-code: ${codeText} is not a redirect code Gateway API accepts; ${statusCode} written`);
  const r: Obj = {};
  if (target.scheme !== undefined) r['scheme'] = target.scheme;
  if (target.hostname !== undefined) r['hostname'] = target.hostname;
  if (target.port !== undefined) r['port'] = target.port;
  if (target.path !== undefined) r['path'] = { type: 'ReplaceFullPath', replaceFullPath: target.path };
  r['statusCode'] = statusCode;
  return { type: 'RequestRedirect', requestRedirect: r };
}

/** A host's route hostnames: the host and the names of server-alias (none for the catch-all host ""). */
export function routeHostnames(host: string, serverAlias: string | undefined): string[] {
  if (host === '') return [];
  const out = [host];
  for (const alias of (serverAlias ?? '').split(/[,\s]+/)) {
    const h = alias.trim().toLowerCase();
    if (h !== '' && !out.includes(h)) out.push(h);
  }
  return out;
}
