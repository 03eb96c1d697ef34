/**
 * Helpers of the Gateway API rules (docs/dev/api-rules.md §A.10a): the apiextensions server's
 * wording of schema errors (`Required value`, `Unsupported value`, `… in body should …`,
 * `Too many`) and of failed CEL rules (`Invalid value: "<type>": <message>`). Every helper keeps
 * the firewall of model/apiValidation.ts: templated values, unknown maps and lists are not judged.
 */

import type { Span } from '../../types.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import { get, isSeq, pair } from '../../syntax/tree.js';
import type { ApiSink } from './sink.js';
import { structured } from './sink.js';
import { goQuote, namePlaceholder } from '../apiFormats.js';
import { absent, closed, int, str } from './nodes.js';

export { absent, closed, int, str };

export function items(n: YNode | undefined): readonly YNode[] {
  return isSeq(n) ? n.items : [];
}

/** Where a "missing" finding anchors in a map: its first key. */
export function anchor(map: YMap): Span {
  const first = map.pairs[0];
  return first !== undefined ? first.keySpan : { start: map.span.start, end: Math.min(map.span.end, map.span.start + 1) };
}

/** The key of `key` in `map`, else the node's first character. */
export function keyOr(map: YNode | undefined, key: string, n: YNode): Span {
  return pair(map, key)?.keySpan ?? { start: n.span.start, end: Math.min(n.span.end, n.span.start + 1) };
}

export function required(s: ApiSink, rule: string, map: YNode | undefined, key: string, path: string): void {
  if (!closed(map) || !absent(get(map, key))) return;
  const p = pair(map, key);
  s.required(rule, p?.keySpan ?? anchor(map), `${path}.${key}`);
}

/** An integer field's `minimum`/`maximum` (either may be omitted). */
export function intRange(s: ApiSink, rule: string, code: string, n: YNode | undefined, path: string, min?: number, max?: number): void {
  const v = int(n);
  if (n === undefined || v === undefined) return;
  if (min !== undefined && v < min)
    s.invalid(rule, code, n.span, path, String(v), `${path} in body should be greater than or equal to ${min}`);
  else if (max !== undefined && v > max)
    s.invalid(rule, code, n.span, path, String(v), `${path} in body should be less than or equal to ${max}`);
}

export function portRange(s: ApiSink, rule: string, n: YNode | undefined, path: string): void {
  intRange(s, rule, 'api-invalid-port', n, path, 1, 65535);
}

export function enumValue(s: ApiSink, rule: string, n: YNode | undefined, path: string, supported: readonly string[]): void {
  const v = str(n);
  if (n === undefined || v === undefined || supported.includes(v)) return;
  s.unsupported(rule, n, path, v, supported);
}

/**
 * A string field's `pattern` (kube-openapi: `<path> in body should match '<pattern>'`). An empty string is judged by the
 * field's `minLength: 1` instead (gatewayLengths.ts: kube-openapi checks the pattern only of a string long enough), unless
 * `empty` says the field has none (durations).
 */
export function pattern(
  s: ApiSink,
  rule: string,
  code: string,
  n: YNode | undefined,
  path: string,
  re: RegExp,
  text: string,
  empty: 'no-min-length' | undefined = undefined,
): void {
  const v = str(n);
  if (n === undefined || v === undefined || re.test(v) || (v === '' && empty === undefined)) return;
  s.invalid(rule, code, n.span, path, goQuote(v), `${path} in body should match '${text}'`);
}

/** The CRDs' Hostname pattern (listener `hostname`, route `hostnames`). */
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOSTNAME_TEXT = '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** PreciseHostname (redirect and rewrite hostnames) and the object-name pattern of listener names and sectionNames. */
export const PRECISE_HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const PRECISE_HOSTNAME_TEXT = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

export function hostname(s: ApiSink, rule: string, n: YNode | undefined, path: string): void {
  // A placeholder a script replaces before applying (`juice-shop.REPLACE_ME`): not judged, as names are not.
  const v = str(n);
  if (v !== undefined && namePlaceholder(v)) return;
  pattern(s, rule, 'api-invalid-host', n, path, HOSTNAME, HOSTNAME_TEXT);
}

/**
 * `maxItems` of the list at `map[key]`: `<path>: Too many: <n>: must have at most <max> items`
 * (apimachinery's TooMany). A list a template may add to is not counted.
 */
export function maxItems(s: ApiSink, rule: string, map: YNode | undefined, key: string, path: string, max: number): void {
  const list = get(map, key);
  if (!isSeq(list) || list.unknown || list.items.length <= max) return;
  s.add(rule, 'api-invalid-value', keyOr(map, key, list), `${path}: Too many: ${list.items.length}: must have at most ${max} items`);
}

/**
 * A list that is required and has `minItems: 1`: absent → `Required value`; empty →
 * `Invalid value: 0: <path> in body should have at least 1 items`.
 */
export function requiredList(s: ApiSink, rule: string, map: YNode | undefined, key: string, parent: string): void {
  if (absent(get(map, key))) required(s, rule, map, key, parent);
  else nonEmpty(s, rule, map, key, `${parent}.${key}`);
}

/** `minItems: 1` of a list that may be omitted. */
export function nonEmpty(s: ApiSink, rule: string, map: YNode | undefined, key: string, path: string): void {
  const list = get(map, key);
  if (!isSeq(list) || list.unknown || list.items.length > 0) return;
  s.invalid(rule, 'api-required-value', keyOr(map, key, list), path, '0', `${path} in body should have at least 1 items`);
}

/** The first character of a node (findings about a whole list or object that has no key of its own). */
export function head(n: YNode): Span {
  return { start: n.span.start, end: Math.min(n.span.end, n.span.start + 1) };
}

/** A failed CEL rule on a list: `<path>: Invalid value: "array": <message>`. */
export function celArray(s: ApiSink, rule: string, code: string, span: Span, path: string, message: string): void {
  s.invalid(rule, code, span, path, '"array"', message);
}

/** A failed CEL rule on an object: `<path>: Invalid value: "object": <message>`. */
export function celObject(s: ApiSink, rule: string, code: string, span: Span, path: string, message: string): void {
  s.invalid(rule, code, span, path, '"object"', message);
}

/** The rule of BackendObjectReference (backendRefs, a mirror's backendRef): name, port range, a Service needs a port. */
export function backendRef(s: ApiSink, ref: YNode, path: string): void {
  required(s, 'GW5', ref, 'name', path);
  groupKind(s, ref, path);
  portRange(s, 'GW6', get(ref, 'port'), `${path}.port`);
  if (!closed(ref) || !absent(get(ref, 'port'))) return;
  const group = get(ref, 'group');
  const kind = get(ref, 'kind');
  const isService = (absent(group) || str(group) === '') && (absent(kind) || str(kind) === 'Service');
  if (isService && (group === undefined || !group.unknown) && (kind === undefined || !kind.unknown))
    celObject(s, 'GW10', 'api-required-value', anchor(ref), path, 'Must have port for Service reference');
}

const GROUP = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const GROUP_TEXT = '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const KIND = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const KIND_TEXT = '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$';

/** The `group` and `kind` patterns of every object reference (parentRefs, backendRefs, certificateRefs, grants, allowed kinds). */
export function groupKind(s: ApiSink, ref: YNode | undefined, path: string): void {
  pattern(s, 'GW47', 'api-invalid-value', get(ref, 'group'), `${path}.group`, GROUP, GROUP_TEXT);
  pattern(s, 'GW47', 'api-invalid-value', get(ref, 'kind'), `${path}.kind`, KIND, KIND_TEXT);
}

/** HTTPHeaderName (header matches, header modifiers, CORS headers) and query parameter names. */
export const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
export const HEADER_NAME_TEXT = "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$";

function jsonQuote(v: string): string {
  return JSON.stringify(v);
}

/**
 * `x-kubernetes-list-type: map` (keyed by `name`) or `set`: a second item with the same key is
 * `<path>[i]: Duplicate value: <key>` (a map's key printed as `{"name":"x"}` from 1.34, Go's
 * `map[string]interface {}{"name":"x"}` before; a set's value as a string).
 */
export function listDuplicates(s: ApiSink, list: YNode | undefined, path: string, mapKey?: string): void {
  if (!isSeq(list) || list.unknown) return;
  const seen = new Set<string>();
  list.items.forEach((item, i) => {
    const node = mapKey === undefined ? item : get(item, mapKey);
    const v = str(node);
    if (v === undefined || (mapKey !== undefined && !closed(item))) return;
    if (seen.has(v)) {
      const value =
        mapKey === undefined
          ? goQuote(v)
          : structured(`{${jsonQuote(mapKey)}:${jsonQuote(v)}}`, `map[string]interface {}{${goQuote(mapKey)}:${goQuote(v)}}`);
      s.duplicate('GW45', node?.span ?? head(item), `${path}[${i}]`, value);
    }
    seen.add(v);
  });
}
