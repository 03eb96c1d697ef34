/**
 * API-server parity for the Gateway API kinds (docs/dev/api-rules.md §A.10a): what the CRDs'
 * OpenAPI schemas and CEL rules make the API server reject, worded as the apiextensions server
 * words it (`Required value`, `Unsupported value`, `… in body should be …`, `Too many`, and
 * `Invalid value: "object": <CEL message>`). The rules are those of the Gateway API v1.5.1 CRDs;
 * where the standard and experimental channels differ, only what both reject is reported.
 * Gateway, GatewayClass and ReferenceGrant: model/api/gatewayListeners.ts; route filters:
 * model/api/routeFilters.ts; this file: the routes. Same firewall as model/apiValidation.ts:
 * templated values and structurally unknown maps and lists are never judged.
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { get, isSeq, pair } from '../syntax/tree.js';
import type { ApiSink } from './apiValidation.js';
import { gatewayObjectRules, rootSpecRule } from './api/gatewayListeners.js';
import { stringLengths } from './api/gatewayLengths.js';
import { experimentalFields, experimentalHeaderValue } from './api/gatewayChannels.js';
import { gatewayPolicyRules } from './api/gatewayPolicies.js';
import {
  HEADER_NAME,
  HEADER_NAME_TEXT,
  PRECISE_HOSTNAME,
  PRECISE_HOSTNAME_TEXT,
  absent,
  anchor,
  backendRef,
  celArray,
  celObject,
  closed,
  enumValue,
  groupKind,
  head,
  hostname,
  int,
  intRange,
  items,
  listDuplicates,
  maxItems,
  nonEmpty,
  pattern,
  portRange,
  required,
  requiredList,
  str,
} from './api/gatewayNodes.js';
import type { FilterKind } from './api/routeFilters.js';
import { filterListRules, httpRuleRules } from './api/routeFilters.js';

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

/** Header and query parameter matches: `name` and `value` required, `type` `Exact` (the default) or `RegularExpression`. */
/** Header or query parameter matches; `headerValues`: the kind whose experimental CRD gives header values a pattern. */
function valueMatches(s: ApiSink, list: YNode | undefined, path: string, headerValues?: string): void {
  items(list).forEach((h, k) => {
    required(s, 'GW31', h, 'name', `${path}[${k}]`);
    required(s, 'GW31', h, 'value', `${path}[${k}]`);
    pattern(s, 'GW46', 'api-invalid-value', get(h, 'name'), `${path}[${k}].name`, HEADER_NAME, HEADER_NAME_TEXT);
    if (headerValues !== undefined) experimentalHeaderValue(s, get(h, 'value'), `${path}[${k}].value`, headerValues);
    enumValue(s, 'GW19', get(h, 'type'), `${path}[${k}].type`, ['Exact', 'RegularExpression']);
  });
  listDuplicates(s, list, path, 'name');
}

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

function weightRange(s: ApiSink, n: YNode | undefined, path: string): void {
  intRange(s, 'GW21', 'api-invalid-value', n, path, 0, 1000000);
}

/** A parentRef's identity for the CEL rules on `spec.parentRefs` (group and kind defaulted, namespace "" as unset). */
function parentKey(ref: YNode): { parent: string; section: string; port: number } | undefined {
  if (!closed(ref)) return undefined;
  const text = (key: string, dflt: string): string | undefined => {
    const n = get(ref, key);
    return absent(n) ? dflt : str(n);
  };
  const group = text('group', 'gateway.networking.k8s.io');
  const kind = text('kind', 'Gateway');
  const name = text('name', '');
  const namespace = text('namespace', '');
  const section = text('sectionName', '');
  const portNode = get(ref, 'port');
  const port = absent(portNode) ? 0 : int(portNode);
  if ([group, kind, name, namespace, section].includes(undefined) || port === undefined) return undefined;
  return { parent: [group, kind, name, namespace].join('\u0000'), section: section ?? '', port };
}

/**
 * The CEL rules on `spec.parentRefs` for two or more references to one parent (v1.5.1 CRDs). The
 * standard channel tells them apart by sectionName ("sectionName must be specified/unique when
 * parentRefs includes 2 or more references to the same parent"), the experimental one by
 * sectionName or port ("sectionName or port must be …"). Kinds and versions only the experimental
 * channel serves (TCPRoute and UDPRoute v1alpha2, TLSRoute v1alpha2/v1alpha3) get its rules and words. For the
 * others, a list both channels reject (for the same reason or not) is an error in the words of the
 * channel the cluster runs (the standard's while it is not known); one only one channel rejects goes by the channel
 * (GW34 with GW51's channel, `channelRule`): references that mix "port set" and "not set"
 * (experimental), two with one sectionName and different ports (standard).
 */
function parentRefRules(s: ApiSink, spec: YNode | undefined, kind: string, version: string): void {
  const list = get(spec, 'parentRefs');
  if (!isSeq(list) || list.unknown) return;
  const keys = list.items.map(parentKey);
  if (keys.includes(undefined)) return;
  const path = 'spec.parentRefs';
  // TCPRoute and UDPRoute `v1` are served by both channels from v1.6 (their standard CRDs carry the standard's rules).
  const experimentalOnly = (kind === 'TCPRoute' || kind === 'UDPRoute' || kind === 'TLSRoute') && version.startsWith('v1alpha');
  // The first reference each rule rejects, per channel: [rule, node].
  let std: [string, YNode] | undefined;
  let exp: [string, YNode] | undefined;
  keys.forEach((k, i) => {
    const node = list.items[i];
    if (k === undefined || node === undefined) return;
    for (let j = 0; j < i; j++) {
      const o = keys[j];
      if (o === undefined || o.parent !== k.parent) continue;
      const sectionMixed = (o.section === '') !== (k.section === '');
      const portMixed = (o.port === 0) !== (k.port === 0);
      if (sectionMixed) std ??= ['specified', node];
      else if (o.section === k.section) std ??= ['unique', node];
      if (sectionMixed || portMixed) exp ??= ['specified', node];
      else if (o.section === k.section && o.port === k.port) exp ??= ['unique', node];
    }
  });
  const x = (what: string): string =>
    `sectionName or port must be ${what} when parentRefs includes 2 or more references to the same parent`;
  const st = (what: string): string => `sectionName must be ${what} when parentRefs includes 2 or more references to the same parent`;
  if (experimentalOnly) {
    if (exp !== undefined) celArray(s, 'GW34', 'api-invalid-value', head(exp[1]), path, x(exp[0]));
    return;
  }
  // Both channels reject it: an error in the words of the channel the cluster runs (the standard's
  // unless it is known to be experimental); one alone: by the channel.
  const array = (m: string): string => `${path}: Invalid value: "array": ${m}`;
  if (std !== undefined && exp !== undefined)
    s.bothChannels(
      'GW34',
      'api-invalid-value',
      { span: head(std[1]), error: array(st(std[0])) },
      { span: head(exp[1]), error: array(x(exp[0])) },
      kind,
    );
  else if (std !== undefined) s.channelRule('GW34', 'api-invalid-value', head(std[1]), array(st(std[0])), kind, 'standard');
  else if (exp !== undefined) s.channelRule('GW34', 'api-invalid-value', head(exp[1]), array(x(exp[0])), kind, 'experimental');
}

/**
 * `Rule name must be unique within the route`: the experimental channel's TCPRoute, UDPRoute and
 * v1alpha2 TLSRoute; and its HTTPRoute and GRPCRoute (`byChannel`: the standard CRDs of those kinds
 * have rule names without the rule, so it goes by the channel, `channelRule`).
 */
function ruleNames(s: ApiSink, rules: YNode | undefined, byChannel?: string): void {
  if (!isSeq(rules) || rules.unknown) return;
  const seen = new Set<string>();
  for (const r of rules.items) {
    const n = get(r, 'name');
    const name = str(n);
    if (!closed(r) || (!absent(n) && name === undefined)) return;
    if (name === undefined) continue;
    if (seen.has(name)) {
      const span = n?.span ?? head(r);
      const message = 'Rule name must be unique within the route';
      if (byChannel === undefined) celArray(s, 'GW33', 'api-duplicate-value', span, 'spec.rules', message);
      else s.channelRule('GW33', 'api-duplicate-value', span, `spec.rules: Invalid value: "array": ${message}`, byChannel, 'experimental');
      return;
    }
    seen.add(name);
  }
}

/** `… the total number of matches across all rules in a route must be less than 128` (the first 16 rules are summed). */
function totalMatches(s: ApiSink, spec: YNode | undefined, kind: string): void {
  const rules = get(spec, 'rules');
  if (!isSeq(rules) || rules.unknown) return;
  let total = 0;
  for (const r of rules.items.slice(0, 16)) {
    const m = get(r, 'matches');
    if (!closed(r) || (!absent(m) && (!isSeq(m) || m.unknown))) return;
    total += isSeq(m) ? m.items.length : kind === 'HTTPRoute' ? 1 : 0;
  }
  if (total > 128)
    celArray(
      s,
      'GW32',
      'api-invalid-value',
      pair(spec, 'rules')?.keySpan ?? head(rules),
      'spec.rules',
      'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128',
    );
}

/** A Gateway API Duration (`1h`, `500ms`, `1m30s`) in milliseconds; undefined unless it matches the CRD's pattern. */
const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
function durationMs(v: string): number | undefined {
  if (!DURATION.test(v)) return undefined;
  let ms = 0;
  for (const [, n, unit] of v.matchAll(/([0-9]+)(ms|h|m|s)/g))
    ms += Number(n) * ({ h: 3600000, m: 60000, s: 1000, ms: 1 }[unit as 'h'] ?? 0);
  return ms;
}

/** HTTPRouteTimeouts: both durations match the pattern; a backend request may not outlast the request (unless `0s`). */
function timeouts(s: ApiSink, t: YNode | undefined, path: string): void {
  if (!closed(t)) return;
  for (const key of ['request', 'backendRequest'])
    pattern(s, 'GW41', 'api-invalid-value', get(t, key), `${path}.${key}`, DURATION, '^([0-9]{1,5}(h|m|s|ms)){1,4}$', 'no-min-length');
  const req = str(get(t, 'request'));
  const backend = str(get(t, 'backendRequest'));
  if (req === undefined || backend === undefined) return;
  const r = durationMs(req);
  const b = durationMs(backend);
  if (r !== undefined && b !== undefined && r !== 0 && b > r)
    celObject(
      s,
      'GW41',
      'api-invalid-value',
      pair(t, 'backendRequest')?.keySpan ?? anchor(t),
      path,
      'backendRequest timeout cannot be longer than request timeout',
    );
}

/** An IPv4 or IPv6 address as CEL's `isIP` (Go's netip.ParseAddr) reads it: no leading zeros, no zone. */
function isIP(h: string): boolean {
  const v4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;
  return v4.test(h) || (h.includes(':') && /^[0-9a-fA-F:.]+$/.test(h));
}

/** TLSRoute v1/v1alpha3 `spec.hostnames`: no IP, RFC 1123, a wildcard only as the first label. */
function tlsHostnames(s: ApiSink, spec: YNode | undefined): void {
  const list = get(spec, 'hostnames');
  if (!isSeq(list) || list.unknown) return;
  const values = list.items.map(str);
  if (values.includes(undefined)) return;
  const at = pair(spec, 'hostnames')?.keySpan ?? head(list);
  const rfc = new RegExp(`^(${PRECISE_HOSTNAME.source.slice(1, -1)})$`);
  const rules: ReadonlyArray<readonly [(h: string) => boolean, string]> = [
    [isIP, 'Hostnames cannot contain an IP'],
    [(h) => !h.includes('*') && !rfc.test(h), 'Hostnames must be valid based on RFC-1123'],
    [
      (h) => h.includes('*') && !(h.startsWith('*.') && rfc.test(h.slice(2))),
      'Wildcards on hostnames must be the first label, and the rest of hostname must be valid based on RFC-1123',
    ],
  ];
  for (const [fails, message] of rules)
    if (values.some((h) => h !== undefined && fails(h))) celArray(s, 'GW42', 'api-invalid-host', at, 'spec.hostnames', message);
}

/** The route kinds whose `spec.rules[i].backendRefs` are required (TCPRoute, UDPRoute, TLSRoute). */
const L4_ROUTES = ['TLSRoute', 'TCPRoute', 'UDPRoute'];

function routeRules(s: ApiSink, root: YMap, kind: string, version: string): void {
  const spec = get(root, 'spec');
  const tlsV1 = kind === 'TLSRoute' && version !== 'v1alpha2';
  // TCPRoute and UDPRoute `v1` (GA in Gateway API v1.6, both channels): one rule, as TLSRoute v1, and no rule names rule.
  const l4V1 = tlsV1 || ((kind === 'TCPRoute' || kind === 'UDPRoute') && version === 'v1');
  maxItems(s, 'GW29', spec, 'parentRefs', 'spec.parentRefs', 32);
  // TLSRoute hostnames: 1024 from v1.6 (16 up to v1.5.1; the larger, so no v1.6 route is refused).
  maxItems(s, 'GW29', spec, 'hostnames', 'spec.hostnames', kind === 'TLSRoute' ? 1024 : 16);
  maxItems(s, 'GW29', spec, 'rules', 'spec.rules', l4V1 ? 1 : 16);
  items(get(spec, 'parentRefs')).forEach((r, i) => {
    required(s, 'GW5', r, 'name', `spec.parentRefs[${i}]`);
    groupKind(s, r, `spec.parentRefs[${i}]`);
    portRange(s, 'GW6', get(r, 'port'), `spec.parentRefs[${i}].port`);
    pattern(
      s,
      'GW30',
      'api-invalid-name',
      get(r, 'sectionName'),
      `spec.parentRefs[${i}].sectionName`,
      PRECISE_HOSTNAME,
      PRECISE_HOSTNAME_TEXT,
    );
  });
  parentRefRules(s, spec, kind, version);
  items(get(spec, 'hostnames')).forEach((h, i) => hostname(s, 'GW8', h, `spec.hostnames[${i}]`));
  if (closed(spec) && L4_ROUTES.includes(kind)) requiredList(s, 'GW31', spec, 'rules', 'spec');
  if (kind === 'HTTPRoute') nonEmpty(s, 'GW31', spec, 'rules', 'spec.rules');
  if (tlsV1) {
    requiredList(s, 'GW31', spec, 'hostnames', 'spec');
    tlsHostnames(s, spec);
  }
  if (L4_ROUTES.includes(kind) && !l4V1) ruleNames(s, get(spec, 'rules'));
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute') ruleNames(s, get(spec, 'rules'), kind);
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute') totalMatches(s, spec, kind);
  items(get(spec, 'rules')).forEach((rule, i) => {
    const rp = `spec.rules[${i}]`;
    maxItems(s, 'GW29', rule, 'backendRefs', `${rp}.backendRefs`, 16);
    maxItems(s, 'GW29', rule, 'matches', `${rp}.matches`, 64);
    if (L4_ROUTES.includes(kind)) requiredList(s, 'GW31', rule, 'backendRefs', rp);
    items(get(rule, 'backendRefs')).forEach((b, j) => {
      backendRef(s, b, `${rp}.backendRefs[${j}]`);
      weightRange(s, get(b, 'weight'), `${rp}.backendRefs[${j}].weight`);
      if (kind === 'HTTPRoute' || kind === 'GRPCRoute') filterListRules(s, b, `${rp}.backendRefs[${j}].filters`, kind);
    });
    if (kind !== 'HTTPRoute' && kind !== 'GRPCRoute') return;
    filterListRules(s, rule, `${rp}.filters`, kind as FilterKind);
    items(get(rule, 'matches')).forEach((m, j) => {
      const mp = `${rp}.matches[${j}]`;
      maxItems(s, 'GW29', m, 'headers', `${mp}.headers`, 16);
      valueMatches(s, get(m, 'headers'), `${mp}.headers`, kind === 'HTTPRoute' ? kind : undefined);
      if (kind === 'GRPCRoute') {
        grpcMethodRules(s, get(m, 'method'), `${mp}.method`);
        return;
      }
      maxItems(s, 'GW29', m, 'queryParams', `${mp}.queryParams`, 16);
      pathRules(s, get(m, 'path'), `${mp}.path`);
      valueMatches(s, get(m, 'queryParams'), `${mp}.queryParams`);
      enumValue(s, 'GW20', get(m, 'method'), `${mp}.method`, HTTP_METHODS);
    });
    if (kind !== 'HTTPRoute') return;
    httpRuleRules(s, rule, rp);
    timeouts(s, get(rule, 'timeouts'), `${rp}.timeouts`);
  });
}

const ROUTES = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

/** The Gateway API rules for one object of `gateway.networking.k8s.io` (`version`: its apiVersion's version). */
export function gatewayApiRules(s: ApiSink, root: YMap, kind: string, version: string): void {
  const from = s.out.length;
  rootSpecRule(s, root, kind, version);
  if (!gatewayObjectRules(s, root, kind) && !gatewayPolicyRules(s, root, kind) && ROUTES.includes(kind)) routeRules(s, root, kind, version);
  stringLengths(s, root, kind);
  experimentalFields(s, root, kind, version);
  // The apiextensions server runs no CEL rule on an object with a "blocking" schema error
  // (Required, Unsupported, Too many, Too long): it says "some validation rules were not checked"
  // instead, so the CEL findings wait until those errors are fixed, as they would on apply.
  const mine = s.out.slice(from);
  const message = (f: (typeof mine)[number]): string => f.variants[0]?.message ?? '';
  const blocking = mine.filter((f) => BLOCKING.test(message(f)));
  if (blocking.length === 0) return;
  // A value only the standard channel's enum rejects (ExternalAuth) blocks the CEL rules there
  // alone: on an experimental cluster, and while the channel is not known, they are checked.
  if (blocking.every((f) => f.experimentalField?.standardOnly === true)) {
    s.out.splice(from, mine.length, ...mine.map((f) => (CEL.test(message(f)) ? { ...f, uncheckedOnStandard: kind } : f)));
    return;
  }
  s.out.splice(from, mine.length, ...mine.filter((f) => !CEL.test(message(f))));
}

const BLOCKING = /^[^ ]+: (Required value|Unsupported value:|Too many:|Too long:)/;
const CEL = /^[^ ]+: Invalid value: "(object|array)": /;
