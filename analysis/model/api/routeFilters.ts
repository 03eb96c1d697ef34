/**
 * Gateway API parity for HTTPRoute and GRPCRoute filters (docs/dev/api-rules.md §A.10a): the
 * filter `type` enum and the CEL rules tying a type to its field, the list rules (no redirect with
 * a rewrite, no repeated filter), and the schema and CEL rules inside each filter — header
 * modifiers, request mirror (percent or fraction), redirect and rewrite (path modifier, scheme,
 * status code, hostname, port) and CORS — as the Gateway API v1.5.1 CRDs declare them.
 */

import type { YMap, YNode } from '../../syntax/tree.js';
import { get, isSeq, pair } from '../../syntax/tree.js';
import type { ApiSink } from './sink.js';
import { experimentalHeaderValue } from './gatewayChannels.js';
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
  head,
  int,
  intRange,
  items,
  listDuplicates,
  maxItems,
  pattern,
  portRange,
  required,
  str,
} from './gatewayNodes.js';

export type FilterKind = 'HTTPRoute' | 'GRPCRoute';

/** Filter types and their fields, in the order of the CRD's CEL rules on one filter. */
const HTTP_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['CORS', 'cors'],
  ['RequestHeaderModifier', 'requestHeaderModifier'],
  ['ResponseHeaderModifier', 'responseHeaderModifier'],
  ['RequestMirror', 'requestMirror'],
  ['RequestRedirect', 'requestRedirect'],
  ['URLRewrite', 'urlRewrite'],
  ['ExtensionRef', 'extensionRef'],
];
const GRPC_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['RequestHeaderModifier', 'requestHeaderModifier'],
  ['ResponseHeaderModifier', 'responseHeaderModifier'],
  ['RequestMirror', 'requestMirror'],
  ['ExtensionRef', 'extensionRef'],
];
/** The `type` enums in the standard CRDs' order (ExternalAuth, experimental-channel only, is judged by the channel: GW51). */
const HTTP_TYPES = [
  'RequestHeaderModifier',
  'ResponseHeaderModifier',
  'RequestMirror',
  'RequestRedirect',
  'URLRewrite',
  'ExtensionRef',
  'CORS',
];
const GRPC_TYPES = ['ResponseHeaderModifier', 'RequestHeaderModifier', 'RequestMirror', 'ExtensionRef'];

function headerModifier(s: ApiSink, m: YNode | undefined, path: string, kind: FilterKind): void {
  for (const key of ['add', 'set', 'remove']) maxItems(s, 'GW29', m, key, `${path}.${key}`, 16);
  for (const key of ['add', 'set']) {
    items(get(m, key)).forEach((h, i) => {
      required(s, 'GW31', h, 'name', `${path}.${key}[${i}]`);
      required(s, 'GW31', h, 'value', `${path}.${key}[${i}]`);
      pattern(s, 'GW46', 'api-invalid-value', get(h, 'name'), `${path}.${key}[${i}].name`, HEADER_NAME, HEADER_NAME_TEXT);
      experimentalHeaderValue(s, get(h, 'value'), `${path}.${key}[${i}].value`, kind);
    });
    listDuplicates(s, get(m, key), `${path}.${key}`, 'name');
  }
  // `remove` is a set of plain strings: the CRD gives its items no pattern.
  listDuplicates(s, get(m, 'remove'), `${path}.remove`);
}

/** HTTPRequestMirrorFilter: its backendRef, percent 0–100, or a fraction numerator ≤ denominator (default 100). */
function mirror(s: ApiSink, m: YNode | undefined, path: string): void {
  if (!closed(m)) return;
  const ref = get(m, 'backendRef');
  if (absent(ref)) required(s, 'GW31', m, 'backendRef', path);
  else if (ref !== undefined) backendRef(s, ref, `${path}.backendRef`);
  intRange(s, 'GW39', 'api-invalid-value', get(m, 'percent'), `${path}.percent`, 0, 100);
  const fraction = get(m, 'fraction');
  if (!absent(get(m, 'percent')) && !absent(fraction))
    celObject(
      s,
      'GW39',
      'api-invalid-value',
      anchor(m),
      path,
      'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter',
    );
  if (!closed(fraction)) return;
  const fp = `${path}.fraction`;
  const num = get(fraction, 'numerator');
  const den = get(fraction, 'denominator');
  if (absent(num)) required(s, 'GW31', fraction, 'numerator', fp);
  intRange(s, 'GW39', 'api-invalid-value', num, `${fp}.numerator`, 0);
  intRange(s, 'GW39', 'api-invalid-value', den, `${fp}.denominator`, 1);
  const n = int(num);
  const d = absent(den) ? 100 : int(den);
  if (n !== undefined && d !== undefined && n > d)
    celObject(s, 'GW39', 'api-invalid-value', num?.span ?? anchor(fraction), fp, 'numerator must be less than or equal to denominator');
}

/** HTTPPathModifier (redirect and rewrite): `type` required and one of two, and the CEL rules tying it to its field. */
function pathModifier(s: ApiSink, m: YNode | undefined, path: string): void {
  if (!closed(m)) return;
  const typeNode = get(m, 'type');
  if (absent(typeNode)) {
    required(s, 'GW31', m, 'type', path);
    return;
  }
  enumValue(s, 'GW38', typeNode, `${path}.type`, ['ReplaceFullPath', 'ReplacePrefixMatch']);
  const type = str(typeNode);
  if (type === undefined) return;
  for (const t of ['ReplaceFullPath', 'ReplacePrefixMatch']) {
    const field = t === 'ReplaceFullPath' ? 'replaceFullPath' : 'replacePrefixMatch';
    const set = !absent(get(m, field));
    if (type === t && !set)
      celObject(s, 'GW37', 'api-invalid-value', typeNode?.span ?? anchor(m), path, `${field} must be specified when type is set to '${t}'`);
    if (type !== t && set)
      celObject(s, 'GW37', 'api-invalid-value', pair(m, field)?.keySpan ?? anchor(m), path, `type must be '${t}' when ${field} is set`);
  }
}

const STATUS_CODES = [301, 302, 303, 307, 308];

function redirectOrRewrite(s: ApiSink, f: YNode | undefined, path: string, redirect: boolean): void {
  if (!closed(f)) return;
  pattern(s, 'GW43', 'api-invalid-host', get(f, 'hostname'), `${path}.hostname`, PRECISE_HOSTNAME, PRECISE_HOSTNAME_TEXT);
  pathModifier(s, get(f, 'path'), `${path}.path`);
  if (!redirect) return;
  enumValue(s, 'GW38', get(f, 'scheme'), `${path}.scheme`, ['http', 'https']);
  portRange(s, 'GW6', get(f, 'port'), `${path}.port`);
  const code = get(f, 'statusCode');
  const c = int(code);
  if (code !== undefined && c !== undefined && !STATUS_CODES.includes(c))
    s.add(
      'GW38',
      'api-unsupported-value',
      code.span,
      `${path}.statusCode: Unsupported value: ${c}: supported values: ${STATUS_CODES.map((v) => `"${v}"`).join(', ')}`,
    );
}

const ORIGIN = /(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)/;
const ORIGIN_TEXT = '(^\\*$)|(^(http(s)?):\\/\\/(((\\*\\.)?([a-zA-Z0-9\\-]+\\.)*[a-zA-Z0-9-]+|\\*)(:([0-9]{1,5}))?)$)';
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', '*'];

/** HTTPCORSFilter: list limits, `*` alone, origin and header patterns, the method enum, maxAge ≥ 1. */
function cors(s: ApiSink, c: YNode | undefined, path: string): void {
  if (!closed(c)) return;
  const lists: ReadonlyArray<readonly [string, number, string | undefined]> = [
    ['allowOrigins', 64, "AllowOrigins cannot contain '*' alongside other origins"],
    ['allowMethods', 9, "AllowMethods cannot contain '*' alongside other methods"],
    ['allowHeaders', 64, "AllowHeaders cannot contain '*' alongside other methods"],
    ['exposeHeaders', 64, undefined],
  ];
  for (const [key, max, star] of lists) {
    const lp = `${path}.${key}`;
    const list = get(c, key);
    maxItems(s, 'GW29', c, key, lp, max);
    items(list).forEach((v, i) => {
      if (key === 'allowOrigins') pattern(s, 'GW40', 'api-invalid-value', v, `${lp}[${i}]`, ORIGIN, ORIGIN_TEXT);
      else if (key === 'allowMethods') enumValue(s, 'GW38', v, `${lp}[${i}]`, CORS_METHODS);
      else pattern(s, 'GW40', 'api-invalid-value', v, `${lp}[${i}]`, HEADER_NAME, HEADER_NAME_TEXT);
    });
    listDuplicates(s, list, lp);
    if (star === undefined || !isSeq(list) || list.unknown) continue;
    const values = list.items.map(str);
    if (values.includes('*') && list.items.length > 1)
      celArray(s, 'GW40', 'api-invalid-value', pair(c, key)?.keySpan ?? head(list), lp, star);
  }
  intRange(s, 'GW40', 'api-invalid-value', get(c, 'maxAge'), `${path}.maxAge`, 1);
}

/**
 * The experimental channel's CEL rules of an HTTPRoute filter that involve ExternalAuth (v1.5.1:
 * `filter.externalAuth must be nil if the filter.type is not ExternalAuth`, `… must be specified for
 * ExternalAuth filter.type`), and, for `type: ExternalAuth`, the rules of every other type's field,
 * which only that channel's CRD lets such a filter reach (the standard enum rejects the type: GW22).
 * Each goes by the channel (`channelRule`).
 */
function externalAuthRules(s: ApiSink, f: YMap, typeNode: YNode | undefined, path: string, type: string): void {
  const cel = (m: string): string => `${path}: Invalid value: "object": ${m}`;
  const auth = !absent(get(f, 'externalAuth'));
  if (type !== 'ExternalAuth') {
    if (auth)
      s.channelRule(
        'GW24',
        'api-invalid-value',
        pair(f, 'externalAuth')?.keySpan ?? anchor(f),
        cel('filter.externalAuth must be nil if the filter.type is not ExternalAuth'),
        'HTTPRoute',
        'experimental',
      );
    return;
  }
  for (const [t, field] of HTTP_FIELDS)
    if (!absent(get(f, field)))
      s.channelRule(
        'GW24',
        'api-invalid-value',
        pair(f, field)?.keySpan ?? anchor(f),
        cel(`filter.${field} must be nil if the filter.type is not ${t}`),
        'HTTPRoute',
        'experimental',
      );
  if (!auth)
    s.channelRule(
      'GW23',
      'api-required-value',
      typeNode?.span ?? anchor(f),
      cel('filter.externalAuth must be specified for ExternalAuth filter.type'),
      'HTTPRoute',
      'experimental',
    );
}

/** One filter: its `type` enum, the field of that type set and no other (CEL), and that field's rules. */
function filterRules(s: ApiSink, f: YNode | undefined, path: string, kind: FilterKind): void {
  if (!closed(f)) return;
  const typeNode = get(f, 'type');
  const fields = kind === 'HTTPRoute' ? HTTP_FIELDS : GRPC_FIELDS;
  const types = kind === 'HTTPRoute' ? HTTP_TYPES : GRPC_TYPES;
  if (absent(typeNode)) required(s, 'GW31', f, 'type', path);
  const type = str(typeNode);
  if (type !== 'ExternalAuth' || kind !== 'HTTPRoute')
    enumValue(s, kind === 'HTTPRoute' ? 'GW22' : 'GW38', typeNode, `${path}.type`, types);
  // ExternalAuth is in the experimental channel's enum only: an Unsupported value where the channel is standard (GW22 with GW51's channel).
  else if (typeNode !== undefined) s.experimentalValue('GW22', typeNode, `${path}.type`, type, 'HTTPRoute', types);
  if (kind === 'HTTPRoute' && type !== undefined) externalAuthRules(s, f, typeNode, path, type);
  if (type !== undefined && types.includes(type))
    for (const [t, field] of fields) {
      const set = !absent(get(f, field));
      if (set && type !== t)
        celObject(
          s,
          'GW24',
          'api-invalid-value',
          pair(f, field)?.keySpan ?? anchor(f),
          path,
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
  headerModifier(s, get(f, 'requestHeaderModifier'), `${path}.requestHeaderModifier`, kind);
  headerModifier(s, get(f, 'responseHeaderModifier'), `${path}.responseHeaderModifier`, kind);
  mirror(s, get(f, 'requestMirror'), `${path}.requestMirror`);
  if (kind !== 'HTTPRoute') return;
  redirectOrRewrite(s, get(f, 'requestRedirect'), `${path}.requestRedirect`, true);
  redirectOrRewrite(s, get(f, 'urlRewrite'), `${path}.urlRewrite`, false);
  cors(s, get(f, 'cors'), `${path}.cors`);
}

/** A filter list (a rule's or a backendRef's): each filter, then the list's CEL rules. */
export function filterListRules(s: ApiSink, map: YNode | undefined, path: string, kind: FilterKind): void {
  const list = get(map, 'filters');
  if (!isSeq(list)) return;
  maxItems(s, 'GW29', map, 'filters', path, 16);
  list.items.forEach((f, k) => filterRules(s, f, `${path}[${k}]`, kind));
  if (list.unknown) return;
  const types = list.items.map((f) => (closed(f) ? str(get(f, 'type')) : undefined));
  if (types.includes(undefined)) return;
  const p = head(list);
  if (kind === 'HTTPRoute' && types.includes('RequestRedirect') && types.includes('URLRewrite'))
    celArray(
      s,
      'GW25',
      'api-invalid-value',
      p,
      path,
      'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
    );
  const once =
    kind === 'HTTPRoute'
      ? ['CORS', 'RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite']
      : ['RequestHeaderModifier', 'ResponseHeaderModifier'];
  for (const t of once)
    if (types.filter((x) => x === t).length > 1) celArray(s, 'GW25', 'api-invalid-value', p, path, `${t} filter cannot be repeated`);
}

/** A filter of `f`'s list that sets `field.path.type: ReplacePrefixMatch` with a `replacePrefixMatch`. */
function prefixReplacements(filters: YNode | undefined, field: string): number | undefined {
  if (!isSeq(filters) || filters.unknown) return filters === undefined || absent(filters) ? 0 : undefined;
  let n = 0;
  for (const f of filters.items) {
    const p = get(get(f, field), 'path');
    if (!closed(f) || (get(f, field) !== undefined && !closed(get(f, field))) || (p !== undefined && !closed(p))) return undefined;
    if (str(get(p, 'type')) === 'ReplacePrefixMatch' && !absent(get(p, 'replacePrefixMatch'))) n++;
  }
  return n;
}

/**
 * The CEL rules of an HTTPRouteRule: no RequestRedirect beside backendRefs; a `ReplacePrefixMatch`
 * (in exactly one filter of the rule, or of exactly one backendRef) needs exactly one match, of
 * type PathPrefix (`matches` defaults to one PathPrefix `/` match).
 */
export function httpRuleRules(s: ApiSink, rule: YNode, path: string): void {
  if (!closed(rule)) return;
  const filters = get(rule, 'filters');
  const backends = get(rule, 'backendRefs');
  if (isSeq(backends) && backends.items.length > 0 && isSeq(filters) && !filters.unknown) {
    const redirect = filters.items.find((f) => closed(f) && !absent(get(f, 'requestRedirect')));
    if (redirect !== undefined)
      celObject(
        s,
        'GW35',
        'api-invalid-value',
        pair(redirect, 'requestRedirect')?.keySpan ?? head(redirect),
        path,
        'RequestRedirect filter must not be used together with backendRefs',
      );
  }
  const matches = get(rule, 'matches');
  let onePrefix: boolean | undefined;
  if (absent(matches)) onePrefix = true;
  else if (isSeq(matches) && !matches.unknown) {
    const m = matches.items[0];
    const p = get(m, 'path');
    const t = absent(p) ? 'PathPrefix' : (str(get(p, 'type')) ?? (closed(p) && absent(get(p, 'type')) ? 'PathPrefix' : undefined));
    onePrefix = matches.items.length !== 1 ? false : closed(m) && t !== undefined ? t === 'PathPrefix' : undefined;
  }
  if (onePrefix !== false) return;
  const at = pair(rule, 'matches')?.keySpan ?? anchor(rule);
  for (const [field, name] of [
    ['requestRedirect', 'RequestRedirect'],
    ['urlRewrite', 'URLRewrite'],
  ] as const)
    if (prefixReplacements(filters, field) === 1)
      celObject(
        s,
        'GW36',
        'api-invalid-value',
        at,
        path,
        `When using ${name} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified`,
      );
  if (!isSeq(backends) || backends.unknown) return;
  for (const [field, text] of [
    ['requestRedirect', 'Within backendRefs, when using RequestRedirect filter'],
    ['urlRewrite', 'Within backendRefs, When using URLRewrite filter'],
  ] as const) {
    const counts = backends.items.map((b) => (closed(b) ? prefixReplacements(get(b, 'filters'), field) : undefined));
    if (counts.includes(undefined)) continue;
    if (counts.filter((n) => n === 1).length === 1)
      celObject(
        s,
        'GW36',
        'api-invalid-value',
        at,
        path,
        `${text} with path.replacePrefixMatch, exactly one PathPrefix match must be specified`,
      );
  }
}
