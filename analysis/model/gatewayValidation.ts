/**
 * API-server parity for the Gateway API kinds (docs/dev/api-rules.md §A.10a): what the CRDs'
 * OpenAPI schemas and CEL rules make the API server reject, worded as the apiextensions server
 * words it (`Required value`, `Unsupported value`, `… in body should be …`, and
 * `Invalid value: "object": <CEL message>`). Same firewall as model/apiValidation.ts: templated
 * values and structurally unknown maps are never judged.
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { get, isMap, isScalar, isSeq, pair } from '../syntax/tree.js';
import type { ApiSink } from './apiValidation.js';
import { goQuote } from './apiFormats.js';

/** The CRDs' Hostname pattern (listener `hostname`, route `hostnames`). */
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOSTNAME_TEXT = '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

function str(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && typeof n.value === 'string' ? n.value : undefined;
}

function int(n: YNode | undefined): number | undefined {
  return isScalar(n) && !n.unknown && typeof n.value === 'number' && Number.isInteger(n.value) ? n.value : undefined;
}

function absent(n: YNode | undefined): boolean {
  return n === undefined || (isScalar(n) && !n.unknown && n.value === null);
}

/** A map whose keys are all known (no template may add the one we say is missing). */
function closed(n: YNode | undefined): n is YMap {
  return isMap(n) && !n.unknown;
}

function items(n: YNode | undefined): readonly YNode[] {
  return isSeq(n) ? n.items : [];
}

/** Where a "missing" finding anchors in a map: its first key. */
function anchor(map: YMap): { start: number; end: number } {
  const first = map.pairs[0];
  return first !== undefined ? first.keySpan : { start: map.span.start, end: Math.min(map.span.end, map.span.start + 1) };
}

function required(s: ApiSink, rule: string, map: YNode | undefined, key: string, path: string): void {
  if (!closed(map) || !absent(get(map, key))) return;
  const p = pair(map, key);
  s.required(rule, p?.keySpan ?? anchor(map), `${path}.${key}`);
}

function portRange(s: ApiSink, rule: string, n: YNode | undefined, path: string): void {
  const v = int(n);
  if (n === undefined || v === undefined) return;
  if (v < 1) s.invalid(rule, 'api-invalid-port', n.span, path, String(v), `${path} in body should be greater than or equal to 1`);
  else if (v > 65535) s.invalid(rule, 'api-invalid-port', n.span, path, String(v), `${path} in body should be less than or equal to 65535`);
}

function enumValue(s: ApiSink, rule: string, n: YNode | undefined, path: string, supported: readonly string[]): void {
  const v = str(n);
  if (n === undefined || v === undefined || supported.includes(v)) return;
  s.unsupported(rule, n, path, v, supported);
}

function hostname(s: ApiSink, rule: string, n: YNode | undefined, path: string): void {
  const v = str(n);
  if (n === undefined || v === undefined || v === '' || HOSTNAME.test(v)) return;
  s.invalid(rule, 'api-invalid-host', n.span, path, goQuote(v), `${path} in body should match '${HOSTNAME_TEXT}'`);
}

function refRules(s: ApiSink, ref: YNode, path: string, service: boolean): void {
  required(s, 'GW5', ref, 'name', path);
  portRange(s, 'GW6', get(ref, 'port'), `${path}.port`);
  // CEL on BackendObjectReference: a Service backend needs a port.
  if (service && closed(ref) && absent(get(ref, 'port'))) {
    const group = get(ref, 'group');
    const kind = get(ref, 'kind');
    const isService = (absent(group) || str(group) === '') && (absent(kind) || str(kind) === 'Service');
    if (isService && (group === undefined || !group.unknown) && (kind === undefined || !kind.unknown))
      s.invalid('GW10', 'api-required-value', anchor(ref), path, '"object"', 'Must have port for Service reference');
  }
}

function gatewayRules(s: ApiSink, root: YMap): void {
  const spec = get(root, 'spec');
  required(s, 'GW1', spec, 'gatewayClassName', 'spec');
  const listeners = get(spec, 'listeners');
  if (closed(spec) && (absent(listeners) || (isSeq(listeners) && !listeners.unknown && listeners.items.length === 0))) {
    s.required('GW2', pair(spec, 'listeners')?.keySpan ?? anchor(spec), 'spec.listeners');
  }
  const names = new Map<string, number>();
  items(listeners).forEach((l, i) => {
    const lp = `spec.listeners[${i}]`;
    for (const key of ['name', 'port', 'protocol']) required(s, 'GW3', l, key, lp);
    portRange(s, 'GW4', get(l, 'port'), `${lp}.port`);
    hostname(s, 'GW8', get(l, 'hostname'), `${lp}.hostname`);
    enumValue(s, 'GW9', get(get(l, 'tls'), 'mode'), `${lp}.tls.mode`, ['Terminate', 'Passthrough']);
    enumValue(s, 'GW7', get(get(get(l, 'allowedRoutes'), 'namespaces'), 'from'), `${lp}.allowedRoutes.namespaces.from`, [
      'All',
      'Selector',
      'Same',
    ]);
    const name = str(get(l, 'name'));
    if (name !== undefined) names.set(name, (names.get(name) ?? 0) + 1);
  });
  // CEL on GatewaySpec.listeners.
  if (isSeq(listeners) && !listeners.unknown && [...names.values()].some((n) => n > 1)) {
    const p = pair(spec, 'listeners');
    s.invalid(
      'GW11',
      'api-duplicate-value',
      p?.keySpan ?? listeners.span,
      'spec.listeners',
      '"array"',
      'Listener name must be unique within the Gateway',
    );
  }
}

/** The characters the GRPCRoute CRD's CEL rules allow in an `Exact` method match. */
const GRPC_SERVICE = /^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i;
const GRPC_SERVICE_TEXT = '^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$';
const GRPC_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;

/** GRPCMethodMatch: its `type` enum and the CRD's three CEL rules (`type` defaults to `Exact`). */
function grpcMethodRules(s: ApiSink, n: YNode | undefined, path: string): void {
  if (!closed(n)) return;
  const typeNode = get(n, 'type');
  enumValue(s, 'GW14', typeNode, `${path}.type`, ['Exact', 'RegularExpression']);
  const type = absent(typeNode) ? 'Exact' : str(typeNode);
  if (type === undefined) return;
  const service = get(n, 'service');
  const method = get(n, 'method');
  if (absent(service) && absent(method))
    s.invalid('GW15', 'api-required-value', anchor(n), path, '"object"', "One or both of 'service' or 'method' must be specified");
  if (type !== 'Exact') return;
  const sv = str(service);
  if (service !== undefined && sv !== undefined && !GRPC_SERVICE.test(sv))
    s.invalid(
      'GW16',
      'api-invalid-value',
      service.span,
      path,
      '"object"',
      `service must only contain valid characters (matching ${GRPC_SERVICE_TEXT})`,
    );
  const mv = str(method);
  if (method !== undefined && mv !== undefined && !GRPC_METHOD.test(mv))
    s.invalid(
      'GW17',
      'api-invalid-value',
      method.span,
      path,
      '"object"',
      'method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)',
    );
}

/** The CEL rules of HTTPPathMatch for `Exact` and `PathPrefix` paths, in the CRD's order: [fails, message]. */
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;
const PATH_RULES: ReadonlyArray<readonly [(v: string) => boolean, string]> = [
  [(v) => !v.startsWith('/'), "value must be an absolute path and start with '/'"],
  [(v) => v.includes('//'), "must not contain '//'"],
  [(v) => v.includes('/./'), "must not contain '/./'"],
  [(v) => v.includes('/../'), "must not contain '/../'"],
  [(v) => v.includes('%2f'), "must not contain '%2f'"],
  [(v) => v.includes('%2F'), "must not contain '%2F'"],
  [(v) => v.includes('#'), "must not contain '#'"],
  [(v) => v.endsWith('/..'), "must not end with '/..'"],
  [(v) => v.endsWith('/.'), "must not end with '/.'"],
];

/** HTTPPathMatch (`type` defaults to PathPrefix, `value` to `/`): its type enum and the CRD's CEL rules on the value. */
function pathRules(s: ApiSink, n: YNode | undefined, path: string): void {
  if (!closed(n)) return;
  const typeNode = get(n, 'type');
  enumValue(s, 'GW12', typeNode, `${path}.type`, ['Exact', 'PathPrefix', 'RegularExpression']);
  const type = absent(typeNode) ? 'PathPrefix' : str(typeNode);
  const valueNode = get(n, 'value');
  const value = absent(valueNode) ? '/' : str(valueNode);
  if ((type !== 'Exact' && type !== 'PathPrefix') || value === undefined || valueNode === undefined) return;
  const when = " when type one of ['Exact', 'PathPrefix']";
  for (const [fails, message] of PATH_RULES)
    if (fails(value)) s.invalid('GW18', 'api-invalid-path', valueNode.span, path, '"object"', `${message}${when}`);
  if (!PATH_CHARS.test(value))
    s.invalid(
      'GW18',
      'api-invalid-path',
      valueNode.span,
      path,
      '"object"',
      "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']",
    );
}

/** Header and query parameter matches: `type` is `Exact` (the default) or `RegularExpression`. */
function valueMatchTypes(s: ApiSink, list: YNode | undefined, path: string): void {
  items(list).forEach((h, k) => enumValue(s, 'GW19', get(h, 'type'), `${path}[${k}].type`, ['Exact', 'RegularExpression']));
}

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

function weightRange(s: ApiSink, n: YNode | undefined, path: string): void {
  const v = int(n);
  if (n === undefined || v === undefined) return;
  if (v < 0) s.invalid('GW21', 'api-invalid-value', n.span, path, String(v), `${path} in body should be greater than or equal to 0`);
  else if (v > 1000000)
    s.invalid('GW21', 'api-invalid-value', n.span, path, String(v), `${path} in body should be less than or equal to 1000000`);
}

/** HTTPRouteFilter types and the field each needs (the CRD's `type` enum and its CEL rules). */
const FILTER_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['RequestHeaderModifier', 'requestHeaderModifier'],
  ['ResponseHeaderModifier', 'responseHeaderModifier'],
  ['RequestMirror', 'requestMirror'],
  ['RequestRedirect', 'requestRedirect'],
  ['URLRewrite', 'urlRewrite'],
  ['ExtensionRef', 'extensionRef'],
  ['CORS', 'cors'],
];
/** The CRD's order of the CEL rules on one filter. */
const FILTER_RULE_ORDER = [
  'cors',
  'requestHeaderModifier',
  'responseHeaderModifier',
  'requestMirror',
  'requestRedirect',
  'urlRewrite',
  'extensionRef',
];

/** One HTTPRoute filter: its `type` enum, and the field of that type set, no other (the CRD's CEL rules). */
function filterRules(s: ApiSink, f: YNode | undefined, path: string): void {
  if (!closed(f)) return;
  const typeNode = get(f, 'type');
  enumValue(
    s,
    'GW22',
    typeNode,
    `${path}.type`,
    FILTER_FIELDS.map(([t]) => t),
  );
  const type = str(typeNode);
  if (type === undefined || !FILTER_FIELDS.some(([t]) => t === type)) return;
  for (const field of FILTER_RULE_ORDER) {
    const t = FILTER_FIELDS.find(([, x]) => x === field)?.[0] ?? '';
    const set = !absent(get(f, field));
    if (set && type !== t)
      s.invalid(
        'GW24',
        'api-invalid-value',
        pair(f, field)?.keySpan ?? anchor(f),
        path,
        '"object"',
        `filter.${field} must be nil if the filter.type is not ${t}`,
      );
    if (!set && type === t)
      s.invalid(
        'GW23',
        'api-required-value',
        typeNode?.span ?? anchor(f),
        path,
        '"object"',
        `filter.${field} must be specified for ${t} filter.type`,
      );
  }
}

/** A rule's filters: each filter's rules, then the list's CEL rules (no redirect with a rewrite; no filter type twice but mirrors and extensions). */
function filterListRules(s: ApiSink, list: YNode | undefined, path: string): void {
  if (!isSeq(list)) return;
  list.items.forEach((f, k) => filterRules(s, f, `${path}[${k}]`));
  if (list.unknown) return;
  const types = list.items.map((f) => (closed(f) ? str(get(f, 'type')) : undefined));
  if (types.includes(undefined)) return;
  const p = { start: list.span.start, end: Math.min(list.span.end, list.span.start + 1) };
  if (types.includes('RequestRedirect') && types.includes('URLRewrite'))
    s.invalid(
      'GW25',
      'api-invalid-value',
      p,
      path,
      '"array"',
      'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
    );
  for (const t of ['CORS', 'RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite'])
    if (types.filter((x) => x === t).length > 1)
      s.invalid('GW25', 'api-invalid-value', p, path, '"array"', `${t} filter cannot be repeated`);
}

function routeRules(s: ApiSink, root: YMap, kind: string): void {
  const spec = get(root, 'spec');
  items(get(spec, 'parentRefs')).forEach((r, i) => refRules(s, r, `spec.parentRefs[${i}]`, false));
  items(get(spec, 'hostnames')).forEach((h, i) => hostname(s, 'GW8', h, `spec.hostnames[${i}]`));
  items(get(spec, 'rules')).forEach((rule, i) => {
    items(get(rule, 'backendRefs')).forEach((b, j) => {
      refRules(s, b, `spec.rules[${i}].backendRefs[${j}]`, true);
      weightRange(s, get(b, 'weight'), `spec.rules[${i}].backendRefs[${j}].weight`);
    });
    if (kind === 'GRPCRoute')
      items(get(rule, 'matches')).forEach((m, j) => {
        grpcMethodRules(s, get(m, 'method'), `spec.rules[${i}].matches[${j}].method`);
        valueMatchTypes(s, get(m, 'headers'), `spec.rules[${i}].matches[${j}].headers`);
      });
    if (kind !== 'HTTPRoute') return;
    filterListRules(s, get(rule, 'filters'), `spec.rules[${i}].filters`);
    items(get(rule, 'backendRefs')).forEach((b, j) =>
      items(get(b, 'filters')).forEach((f, k) => filterRules(s, f, `spec.rules[${i}].backendRefs[${j}].filters[${k}]`)),
    );
    items(get(rule, 'matches')).forEach((m, j) => {
      const mp = `spec.rules[${i}].matches[${j}]`;
      pathRules(s, get(m, 'path'), `${mp}.path`);
      valueMatchTypes(s, get(m, 'headers'), `${mp}.headers`);
      valueMatchTypes(s, get(m, 'queryParams'), `${mp}.queryParams`);
      enumValue(s, 'GW20', get(m, 'method'), `${mp}.method`, HTTP_METHODS);
    });
  });
}

/** The Gateway API rules for one object of `gateway.networking.k8s.io`. */
export function gatewayApiRules(s: ApiSink, root: YMap, kind: string): void {
  if (kind === 'Gateway') gatewayRules(s, root);
  else if (['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'].includes(kind)) routeRules(s, root, kind);
  else if (kind === 'GatewayClass') required(s, 'GW13', get(root, 'spec'), 'controllerName', 'spec');
}
