/**
 * The `maxLength` and `minLength` of the Gateway API's string fields (docs/dev/api-rules.md §A.10a,
 * GW49, GW50), as the v1.5.1 CRDs declare them: `<path>: Too long: may not be more than N bytes`
 * (the apiextensions server's TooLong; up to 1.32, `may not be longer than N`), and for an empty
 * string where the CRD says `minLength: 1`, kube-openapi's TooShort, which the server words as any
 * other schema failure: `<path>: Invalid value: "": <path> in body should be at least 1 chars long`
 * (its `pattern` is then not checked: kube-openapi stops at the first failure of a string). kube-openapi
 * counts characters (runes), not bytes. Each field is named by its path in the object, `[]` for every
 * item of a list and `{}` for every value of a map; a templated value is not judged.
 */

import type { YNode } from '../../syntax/tree.js';
import { get, isMap, isSeq } from '../../syntax/tree.js';
import type { ApiSink } from './sink.js';
import { str } from './gatewayNodes.js';

/** A field: its path, its `maxLength`, and 1 when it has `minLength: 1` (no Gateway API string has another). */
type Field = readonly [string, number, 1?];
type Fields = readonly Field[];

/** An object reference: group (may be empty: the core group), kind, name (and namespace, sectionName where the type has them). */
function ref(at: string, extra: readonly string[] = []): Fields {
  const out: Field[] = [
    [`${at}.group`, 253],
    [`${at}.kind`, 63, 1],
    [`${at}.name`, 253, 1],
  ];
  if (extra.includes('namespace')) out.push([`${at}.namespace`, 63, 1]);
  if (extra.includes('sectionName')) out.push([`${at}.sectionName`, 253, 1]);
  return out;
}

const LISTENERS: Fields = [
  ['spec.listeners[].name', 253, 1],
  ['spec.listeners[].hostname', 253, 1],
  ['spec.listeners[].protocol', 255, 1],
  ...ref('spec.listeners[].tls.certificateRefs[]', ['namespace']),
  ['spec.listeners[].tls.options{}', 4096],
  ['spec.listeners[].allowedRoutes.kinds[].group', 253],
  ['spec.listeners[].allowedRoutes.kinds[].kind', 63, 1],
];

const PARENTS: Fields = [...ref('spec.parentRefs[]', ['namespace', 'sectionName']), ['spec.rules[].name', 253, 1]];

function filters(at: string, http: boolean): Fields {
  const out: Field[] = [
    [`${at}.extensionRef.group`, 253],
    [`${at}.extensionRef.kind`, 63, 1],
    [`${at}.extensionRef.name`, 253, 1],
    ...ref(`${at}.requestMirror.backendRef`, ['namespace']),
  ];
  for (const m of ['requestHeaderModifier', 'responseHeaderModifier'])
    for (const op of ['add', 'set']) out.push([`${at}.${m}.${op}[].name`, 256, 1], [`${at}.${m}.${op}[].value`, 4096, 1]);
  if (!http) return out;
  for (const f of ['requestRedirect', 'urlRewrite'])
    out.push([`${at}.${f}.hostname`, 253, 1], [`${at}.${f}.path.replaceFullPath`, 1024], [`${at}.${f}.path.replacePrefixMatch`, 1024]);
  out.push([`${at}.cors.allowOrigins[]`, 253, 1], [`${at}.cors.allowHeaders[]`, 256, 1], [`${at}.cors.exposeHeaders[]`, 256, 1]);
  return out;
}

function route(http: boolean, grpc: boolean): Fields {
  const out: Field[] = [['spec.hostnames[]', 253, 1], ...PARENTS, ...ref('spec.rules[].backendRefs[]', ['namespace'])];
  if (!http && !grpc) return out;
  for (const at of ['spec.rules[].filters[]', 'spec.rules[].backendRefs[].filters[]']) for (const f of filters(at, http)) out.push(f);
  out.push(['spec.rules[].matches[].headers[].name', 256, 1], ['spec.rules[].matches[].headers[].value', 4096, 1]);
  if (http)
    out.push(
      ['spec.rules[].matches[].path.value', 1024],
      ['spec.rules[].matches[].queryParams[].name', 256, 1],
      ['spec.rules[].matches[].queryParams[].value', 1024, 1],
    );
  if (grpc) out.push(['spec.rules[].matches[].method.service', 1024], ['spec.rules[].matches[].method.method', 1024]);
  return out;
}

const FIELDS: Readonly<Record<string, Fields>> = {
  Gateway: [
    ['spec.gatewayClassName', 253, 1],
    ['spec.addresses[].type', 253, 1],
    ['spec.addresses[].value', 253],
    ['spec.infrastructure.labels{}', 63],
    ['spec.infrastructure.annotations{}', 4096],
    ['spec.infrastructure.parametersRef.group', 253],
    ['spec.infrastructure.parametersRef.kind', 63, 1],
    ['spec.infrastructure.parametersRef.name', 253, 1],
    ...LISTENERS,
    ...ref('spec.tls.backend.clientCertificateRef', ['namespace']),
    ...ref('spec.tls.frontend.default.validation.caCertificateRefs[]', ['namespace']),
    ...ref('spec.tls.frontend.perPort[].tls.validation.caCertificateRefs[]', ['namespace']),
  ],
  GatewayClass: [['spec.controllerName', 253, 1], ['spec.description', 64], ...ref('spec.parametersRef', ['namespace'])],
  ListenerSet: [...ref('spec.parentRef', ['namespace']), ...LISTENERS],
  HTTPRoute: route(true, false),
  GRPCRoute: route(false, true),
  TLSRoute: route(false, false),
  TCPRoute: route(false, false),
  UDPRoute: route(false, false),
  ReferenceGrant: [
    ['spec.from[].group', 253],
    ['spec.from[].kind', 63, 1],
    ['spec.from[].namespace', 63, 1],
    ['spec.to[].group', 253],
    ['spec.to[].kind', 63, 1],
    ['spec.to[].name', 253, 1],
  ],
  BackendTLSPolicy: [
    ...ref('spec.targetRefs[]', ['sectionName']),
    ...ref('spec.validation.caCertificateRefs[]'),
    ['spec.validation.hostname', 253, 1],
    ['spec.validation.subjectAltNames[].hostname', 253, 1],
    ['spec.validation.subjectAltNames[].uri', 253, 1],
    ['spec.validation.wellKnownCACertificates', 253, 1],
    ['spec.options{}', 4096],
  ],
};

/** Every node at `segments` under `n` (`[]`: every item of a list, `{}`: every value of a map), with its field path. */
export function visit(n: YNode | undefined, segments: readonly string[], path: string, out: (node: YNode, path: string) => void): void {
  if (n === undefined) return;
  const [first, ...rest] = segments;
  if (first === undefined) {
    out(n, path);
    return;
  }
  const list = first.endsWith('[]');
  const map = first.endsWith('{}');
  const key = list || map ? first.slice(0, -2) : first;
  const child = key === '' ? n : get(n, key);
  const at = key === '' ? path : path === '' ? key : `${path}.${key}`;
  if (list) {
    if (isSeq(child)) child.items.forEach((item, i) => visit(item, rest, `${at}[${i}]`, out));
  } else if (map) {
    if (isMap(child)) for (const p of child.pairs) if (!p.keyUnknown) visit(p.value, rest, `${at}[${p.key}]`, out);
  } else visit(child, rest, at, out);
}

/** Runes in `v` (kube-openapi's MaxLength counts them). */
function runes(v: string): number {
  let n = 0;
  for (const _ of v) n++;
  return n;
}

/** The `maxLength` (GW49) and `minLength` (GW50) of every string field of an object of `kind`. */
export function stringLengths(s: ApiSink, root: YNode, kind: string): void {
  for (const [field, max, min] of FIELDS[kind] ?? []) {
    visit(root, field.split('.'), '', (node, path) => {
      const v = str(node);
      if (v === '' && min === 1)
        s.invalid('GW50', 'api-invalid-value', node.span, path, '""', `${path} in body should be at least 1 chars long`);
      if (v === undefined || v.length <= max || runes(v) <= max) return;
      s.add('GW49', 'api-invalid-value', node.span, (m) =>
        m >= 33 ? `${path}: Too long: may not be more than ${max} bytes` : `${path}: Too long: may not be longer than ${max}`,
      );
    });
  }
}
