/**
 * Gateway API parity for Gateway, GatewayClass and ReferenceGrant (docs/dev/api-rules.md §A.10a):
 * the CRDs' schemas (required fields, enums, ranges, patterns, list limits) and the CEL rules on
 * `spec.listeners` and a listener's `tls`, as the Gateway API v1.5.1 CRDs declare them.
 */

import type { YMap, YNode } from '../../syntax/tree.js';
import { get, isSeq, pair } from '../../syntax/tree.js';
import type { ApiSink } from './sink.js';
import {
  PRECISE_HOSTNAME,
  PRECISE_HOSTNAME_TEXT,
  absent,
  anchor,
  celArray,
  celObject,
  closed,
  enumValue,
  groupKind,
  hostname,
  int,
  items,
  keyOr,
  maxItems,
  nonEmpty,
  pattern,
  portRange,
  required,
  requiredList,
  str,
} from './gatewayNodes.js';

/** A listener whose fields the CEL rules read are all literal. */
interface Listener {
  readonly node: YMap;
  readonly name: string | undefined;
  readonly port: number;
  readonly protocol: string;
  /** `undefined`: no hostname field; `''` counts as set (`has()`). */
  readonly hostname: string | undefined;
}

function literalListener(l: YNode): Listener | undefined {
  if (!closed(l)) return undefined;
  const port = int(get(l, 'port'));
  const protocol = str(get(l, 'protocol'));
  const h = get(l, 'hostname');
  const host = absent(h) ? undefined : str(h);
  if (port === undefined || protocol === undefined || (!absent(h) && host === undefined)) return undefined;
  return { node: l, name: str(get(l, 'name')), port, protocol, hostname: host };
}

/**
 * The CEL rules on `spec.listeners` by protocol, in the CRD's order; each reports once (the rule is
 * `self.all(l, …)`), at the first listener that breaks it. `tls.mode` defaults to `Terminate`.
 */
function protocolRules(s: ApiSink, listeners: readonly YNode[], path: string): void {
  const rules: ReadonlyArray<readonly [string, (l: YMap, protocol: string) => YNode | undefined]> = [
    [
      "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
      (l, p) => (['HTTP', 'TCP', 'UDP'].includes(p) && !absent(get(l, 'tls')) ? get(l, 'tls') : undefined),
    ],
    [
      'tls mode must be Terminate for protocol HTTPS',
      (l, p) => {
        const tls = get(l, 'tls');
        if (p !== 'HTTPS' || absent(tls)) return undefined;
        const mode = get(tls, 'mode');
        const v = absent(mode) ? 'Terminate' : str(mode);
        return v !== undefined && v !== '' && v !== 'Terminate' ? mode : undefined;
      },
    ],
    [
      'tls mode must be set for protocol TLS',
      (l, p) => {
        if (p !== 'TLS') return undefined;
        const tls = get(l, 'tls');
        if (absent(tls)) return get(l, 'protocol');
        const mode = get(tls, 'mode');
        return str(mode) === '' ? mode : undefined;
      },
    ],
    [
      "hostname must not be specified for protocols ['TCP', 'UDP']",
      (l, p) => {
        const h = get(l, 'hostname');
        return ['TCP', 'UDP'].includes(p) && !absent(h) && str(h) !== '' ? h : undefined;
      },
    ],
  ];
  for (const [message, breaks] of rules) {
    for (const l of listeners) {
      const protocol = str(get(l, 'protocol'));
      if (!closed(l) || protocol === undefined) continue;
      const at = breaks(l, protocol);
      if (at === undefined) continue;
      const key = pair(l, 'tls')?.value === at ? pair(l, 'tls')?.keySpan : undefined;
      celArray(s, 'GW26', 'api-invalid-value', key ?? at.span, path, message);
      break;
    }
  }
}

/**
 * ListenerTLS: `certificateRefs or options must be specified when mode is Terminate` — the rule
 * reads `size(self.certificateRefs)` and `size(self.options)`, so an absent list fails to evaluate
 * (`no such key: …`) before the rule can be false.
 */
function tlsRule(s: ApiSink, tls: YNode | undefined, path: string): void {
  if (!closed(tls)) return;
  const mode = get(tls, 'mode');
  if (!absent(mode) && str(mode) !== 'Terminate') return;
  const refs = get(tls, 'certificateRefs');
  const options = get(tls, 'options');
  const size = (n: YNode | undefined): number | undefined =>
    absent(n) ? undefined : isSeq(n) ? (n.unknown ? -1 : n.items.length) : closed(n) ? n.pairs.length : -1;
  const refCount = size(refs);
  const optionCount = size(options);
  if (refCount === -1 || optionCount === -1 || (refCount ?? 0) > 0 || (optionCount ?? 0) > 0) return;
  const message = 'certificateRefs or options must be specified when mode is Terminate';
  const detail =
    refCount === undefined
      ? `no such key: certificateRefs evaluating rule: ${message}`
      : optionCount === undefined
        ? `no such key: options evaluating rule: ${message}`
        : message;
  celObject(s, 'GW27', 'api-required-value', anchor(tls), path, detail);
}

/** `Combination of port, protocol and hostname must be unique for each listener`, at the second listener of a pair. */
function uniqueCombination(s: ApiSink, listeners: readonly YNode[], path: string): void {
  const literal = listeners.map(literalListener);
  if (literal.some((l) => l === undefined)) return;
  const seen = new Set<string>();
  for (const l of literal) {
    if (l === undefined) continue;
    const key = `${l.port}\u0000${l.protocol}\u0000${l.hostname === undefined ? '\u0001' : l.hostname}`;
    if (seen.has(key)) {
      celArray(
        s,
        'GW28',
        'api-duplicate-value',
        keyOr(l.node, 'port', l.node),
        path,
        'Combination of port, protocol and hostname must be unique for each listener',
      );
      return;
    }
    seen.add(key);
  }
}

const LISTENER_NAME = PRECISE_HOSTNAME;
const PROTOCOL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$/;
const PROTOCOL_TEXT =
  '^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9]+$';

const CONTROLLER = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;
const CONTROLLER_TEXT = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$";
const ADDRESS_TYPE =
  /^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;
const ADDRESS_TYPE_TEXT =
  "^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$";
const HOSTNAME_TEXT = '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** Gateway `spec.addresses`: the type pattern (default IPAddress), a Hostname value's characters, unique IPAddress and Hostname values. */
function addresses(s: ApiSink, spec: YNode | undefined): void {
  maxItems(s, 'GW29', spec, 'addresses', 'spec.addresses', 16);
  const list = get(spec, 'addresses');
  const typed: Array<readonly [string, string, YNode]> = [];
  let literal = isSeq(list) && !list.unknown;
  items(list).forEach((a, i) => {
    const path = `spec.addresses[${i}]`;
    const typeNode = get(a, 'type');
    pattern(s, 'GW44', 'api-invalid-value', typeNode, `${path}.type`, ADDRESS_TYPE, ADDRESS_TYPE_TEXT);
    const type = absent(typeNode) ? 'IPAddress' : str(typeNode);
    const valueNode = get(a, 'value');
    const value = str(valueNode);
    if (!closed(a) || type === undefined || (!absent(valueNode) && value === undefined)) {
      literal = false;
      return;
    }
    if (
      type === 'Hostname' &&
      value !== undefined &&
      !/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)
    )
      celObject(
        s,
        'GW44',
        'api-invalid-value',
        valueNode?.span ?? anchor(a),
        path,
        `Hostname value must be empty or contain only valid characters (matching ${HOSTNAME_TEXT})`,
      );
    if (value !== undefined && valueNode !== undefined) typed.push([type, value, valueNode]);
  });
  if (!literal) return;
  for (const t of ['IPAddress', 'Hostname']) {
    const values = typed.filter(([ty]) => ty === t);
    const dup = values.find(([, v], i) => values.findIndex(([, w]) => w === v) !== i);
    if (dup !== undefined) celArray(s, 'GW44', 'api-invalid-value', dup[2].span, 'spec.addresses', `${t} values must be unique`);
  }
}

function gatewayRules(s: ApiSink, root: YMap): void {
  const spec = get(root, 'spec');
  addresses(s, spec);
  required(s, 'GW1', spec, 'gatewayClassName', 'spec');
  listenerRules(s, spec);
}

/** `spec.listeners` of a Gateway or a ListenerSet (the same schema and CEL rules in both CRDs). */
export function listenerRules(s: ApiSink, spec: YNode | undefined): void {
  const listeners = get(spec, 'listeners');
  if (absent(listeners)) required(s, 'GW2', spec, 'listeners', 'spec');
  else nonEmpty(s, 'GW2', spec, 'listeners', 'spec.listeners');
  maxItems(s, 'GW29', spec, 'listeners', 'spec.listeners', 64);
  const names = new Map<string, number>();
  items(listeners).forEach((l, i) => {
    const lp = `spec.listeners[${i}]`;
    for (const key of ['name', 'port', 'protocol']) required(s, 'GW3', l, key, lp);
    pattern(s, 'GW30', 'api-invalid-name', get(l, 'name'), `${lp}.name`, LISTENER_NAME, PRECISE_HOSTNAME_TEXT);
    pattern(s, 'GW30', 'api-invalid-name', get(l, 'protocol'), `${lp}.protocol`, PROTOCOL, PROTOCOL_TEXT);
    portRange(s, 'GW4', get(l, 'port'), `${lp}.port`);
    hostname(s, 'GW8', get(l, 'hostname'), `${lp}.hostname`);
    const tls = get(l, 'tls');
    enumValue(s, 'GW9', get(tls, 'mode'), `${lp}.tls.mode`, ['Terminate', 'Passthrough']);
    maxItems(s, 'GW29', tls, 'certificateRefs', `${lp}.tls.certificateRefs`, 64);
    items(get(tls, 'certificateRefs')).forEach((r, j) => {
      required(s, 'GW31', r, 'name', `${lp}.tls.certificateRefs[${j}]`);
      groupKind(s, r, `${lp}.tls.certificateRefs[${j}]`);
    });
    tlsRule(s, tls, `${lp}.tls`);
    const allowed = get(l, 'allowedRoutes');
    enumValue(s, 'GW7', get(get(allowed, 'namespaces'), 'from'), `${lp}.allowedRoutes.namespaces.from`, ['All', 'Selector', 'Same']);
    maxItems(s, 'GW29', allowed, 'kinds', `${lp}.allowedRoutes.kinds`, 8);
    items(get(allowed, 'kinds')).forEach((k, j) => {
      required(s, 'GW31', k, 'kind', `${lp}.allowedRoutes.kinds[${j}]`);
      groupKind(s, k, `${lp}.allowedRoutes.kinds[${j}]`);
    });
    const name = str(get(l, 'name'));
    if (name !== undefined) names.set(name, (names.get(name) ?? 0) + 1);
  });
  if (!isSeq(listeners) || listeners.unknown) return;
  const lp = 'spec.listeners';
  protocolRules(s, listeners.items, lp);
  // CEL on GatewaySpec.listeners.
  if ([...names.values()].some((n) => n > 1))
    celArray(
      s,
      'GW11',
      'api-duplicate-value',
      pair(spec, 'listeners')?.keySpan ?? listeners.span,
      lp,
      'Listener name must be unique within the Gateway',
    );
  uniqueCombination(s, listeners.items, lp);
}

/**
 * GW52/GW53: the root's `spec`, which every Gateway API CRD lists in `required` (`spec: Required value`, on the
 * object's `kind`, where kubectl's error names the object): ReferenceGrant's from v1.6 (`v1`, `v1beta1`; up to v1.5
 * it may be left out), GRPCRoute's from v1.4 (v1.1–v1.3 leave it optional), every other kind's in every release.
 * An object of nothing but apiVersion, kind and metadata names one (a deletion list): not judged.
 */
export function rootSpecRule(s: ApiSink, root: YMap, kind: string, version: string): void {
  if (!closed(root) || !absent(get(root, 'spec'))) return;
  if (!root.pairs.some((p) => p.key !== 'apiVersion' && p.key !== 'kind' && p.key !== 'metadata')) return;
  const kindNode = get(root, 'kind');
  const at = kindNode?.span ?? { start: root.span.start, end: Math.min(root.span.end, root.span.start + 1) };
  if (kind === 'ReferenceGrant') {
    if (version === 'v1' || version === 'v1beta1') s.sinceGatewayRelease('GW52', at, 'spec', kind, [1, 6]);
  } else if (kind === 'GRPCRoute') s.sinceGatewayRelease('GW53', at, 'spec', kind, [1, 4]);
  else s.required('GW53', at, 'spec');
}

/** The Gateway API rules for Gateway, GatewayClass and ReferenceGrant; false for other kinds. */
export function gatewayObjectRules(s: ApiSink, root: YMap, kind: string): boolean {
  if (kind === 'Gateway') gatewayRules(s, root);
  else if (kind === 'GatewayClass') {
    required(s, 'GW13', get(root, 'spec'), 'controllerName', 'spec');
    pattern(s, 'GW47', 'api-invalid-value', get(get(root, 'spec'), 'controllerName'), 'spec.controllerName', CONTROLLER, CONTROLLER_TEXT);
  } else if (kind === 'ReferenceGrant') {
    const spec = get(root, 'spec');
    for (const [key, fields] of [
      ['from', ['group', 'kind', 'namespace']],
      ['to', ['group', 'kind']],
    ] as const) {
      if (closed(spec)) requiredList(s, 'GW31', spec, key, 'spec');
      maxItems(s, 'GW29', spec, key, `spec.${key}`, 16);
      items(get(spec, key)).forEach((r, i) => {
        for (const f of fields) required(s, 'GW31', r, f, `spec.${key}[${i}]`);
        groupKind(s, r, `spec.${key}[${i}]`);
      });
    }
  } else return false;
  return true;
}
