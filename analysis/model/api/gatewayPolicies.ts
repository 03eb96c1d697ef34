/**
 * Gateway API parity for BackendTLSPolicy and ListenerSet (docs/dev/api-rules.md §A.10a, GW48 and
 * the listener rows), as the v1.5.1 CRDs declare them (the standard and experimental channels
 * agree on both kinds' `v1` schemas): required fields, list limits, patterns, enums and CEL rules.
 */

import type { YMap, YNode } from '../../syntax/tree.js';
import { get, isSeq, pair } from '../../syntax/tree.js';
import type { ApiSink } from './sink.js';
import { listenerRules } from './gatewayListeners.js';
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
  items,
  maxItems,
  pattern,
  required,
  requiredList,
  str,
} from './gatewayNodes.js';

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAMESPACE_TEXT = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const WELL_KNOWN =
  /^(System|([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]))$/;
const WELL_KNOWN_TEXT =
  '^(System|([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]))$';
const URI = /^(([^:/?#]+):)(\/\/([^/?#]*))([^?#]*)(\?([^#]*))?(#(.*))?/;
const URI_TEXT = '^(([^:/?#]+):)(//([^/?#]*))([^?#]*)(\\?([^#]*))?(#(.*))?';

/** A string field that is set (`has()`) and not empty; undefined when templated. */
function setNonEmpty(map: YNode | undefined, key: string): boolean | undefined {
  const n = get(map, key);
  if (absent(n)) return false;
  const v = str(n);
  return v === undefined ? undefined : v !== '';
}

/** The two CEL rules on `spec.targetRefs` (targets named twice need distinct, all-set sectionNames). */
function targetRefRules(s: ApiSink, spec: YNode | undefined): void {
  const list = get(spec, 'targetRefs');
  if (!isSeq(list) || list.unknown) return;
  const refs: Array<{ target: string; section: string | undefined; node: YNode }> = [];
  for (const r of list.items) {
    const g = str(get(r, 'group'));
    const k = str(get(r, 'kind'));
    const n = str(get(r, 'name'));
    const sec = get(r, 'sectionName');
    const section = absent(sec) ? '' : str(sec);
    if (!closed(r) || g === undefined || k === undefined || n === undefined || section === undefined) return;
    refs.push({ target: `${g}\u0000${k}\u0000${n}`, section: section === '' ? undefined : section, node: r });
  }
  const at = pair(spec, 'targetRefs')?.keySpan ?? list.span;
  const same = (a: (typeof refs)[number], b: (typeof refs)[number]): boolean => a.target === b.target;
  if (refs.some((a) => refs.some((b) => same(a, b) && (a.section === undefined) !== (b.section === undefined))))
    celArray(
      s,
      'GW48',
      'api-invalid-value',
      at,
      'spec.targetRefs',
      'sectionName must be specified when targetRefs includes 2 or more references to the same target',
    );
  if (refs.some((a) => refs.filter((b) => same(a, b) && a.section === b.section).length !== 1))
    celArray(
      s,
      'GW48',
      'api-invalid-value',
      at,
      'spec.targetRefs',
      'sectionName must be unique when targetRefs includes 2 or more references to the same target',
    );
}

/** `spec.validation`: its CA source (exactly one of the two) and its subjectAltNames. */
function validationRules(s: ApiSink, spec: YNode | undefined): void {
  const v = get(spec, 'validation');
  if (absent(v)) return;
  required(s, 'GW31', v, 'hostname', 'spec.validation');
  pattern(s, 'GW48', 'api-invalid-host', get(v, 'hostname'), 'spec.validation.hostname', PRECISE_HOSTNAME, PRECISE_HOSTNAME_TEXT);
  pattern(
    s,
    'GW48',
    'api-invalid-value',
    get(v, 'wellKnownCACertificates'),
    'spec.validation.wellKnownCACertificates',
    WELL_KNOWN,
    WELL_KNOWN_TEXT,
  );
  maxItems(s, 'GW29', v, 'caCertificateRefs', 'spec.validation.caCertificateRefs', 8);
  items(get(v, 'caCertificateRefs')).forEach((r, i) => {
    for (const f of ['group', 'kind', 'name']) required(s, 'GW31', r, f, `spec.validation.caCertificateRefs[${i}]`);
    groupKind(s, r, `spec.validation.caCertificateRefs[${i}]`);
  });
  maxItems(s, 'GW29', v, 'subjectAltNames', 'spec.validation.subjectAltNames', 5);
  items(get(v, 'subjectAltNames')).forEach((san, i) => {
    const path = `spec.validation.subjectAltNames[${i}]`;
    required(s, 'GW31', san, 'type', path);
    enumValue(s, 'GW48', get(san, 'type'), `${path}.type`, ['Hostname', 'URI']);
    hostname(s, 'GW48', get(san, 'hostname'), `${path}.hostname`);
    pattern(s, 'GW48', 'api-invalid-value', get(san, 'uri'), `${path}.uri`, URI, URI_TEXT);
    const type = str(get(san, 'type'));
    const host = setNonEmpty(san, 'hostname');
    const uri = setNonEmpty(san, 'uri');
    if (!closed(san) || type === undefined || host === undefined || uri === undefined) return;
    const rules: ReadonlyArray<readonly [boolean, string]> = [
      [type === 'Hostname' && !host, 'SubjectAltName element must contain Hostname, if Type is set to Hostname'],
      [type !== 'Hostname' && host, 'SubjectAltName element must not contain Hostname, if Type is not set to Hostname'],
      [type === 'URI' && !uri, 'SubjectAltName element must contain URI, if Type is set to URI'],
      [type !== 'URI' && uri, 'SubjectAltName element must not contain URI, if Type is not set to URI'],
    ];
    for (const [broken, message] of rules) if (broken) celObject(s, 'GW48', 'api-invalid-value', anchor(san), path, message);
  });
  const refs = get(v, 'caCertificateRefs');
  const refCount = absent(refs) ? 0 : isSeq(refs) && !refs.unknown ? refs.items.length : undefined;
  const wellKnown = setNonEmpty(v, 'wellKnownCACertificates');
  if (!closed(v) || refCount === undefined || wellKnown === undefined) return;
  const at = pair(spec, 'validation')?.keySpan ?? anchor(v);
  if (refCount > 0 && wellKnown)
    celObject(s, 'GW48', 'api-invalid-value', at, 'spec.validation', 'must not contain both CACertificateRefs and WellKnownCACertificates');
  if (refCount === 0 && !wellKnown)
    celObject(s, 'GW48', 'api-invalid-value', at, 'spec.validation', 'must specify either CACertificateRefs or WellKnownCACertificates');
}

function backendTlsPolicyRules(s: ApiSink, root: YMap): void {
  const spec = get(root, 'spec');
  if (closed(spec)) {
    requiredList(s, 'GW31', spec, 'targetRefs', 'spec');
    required(s, 'GW31', spec, 'validation', 'spec');
  }
  maxItems(s, 'GW29', spec, 'targetRefs', 'spec.targetRefs', 16);
  items(get(spec, 'targetRefs')).forEach((r, i) => {
    const path = `spec.targetRefs[${i}]`;
    for (const f of ['group', 'kind', 'name']) required(s, 'GW31', r, f, path);
    groupKind(s, r, path);
    pattern(s, 'GW30', 'api-invalid-name', get(r, 'sectionName'), `${path}.sectionName`, PRECISE_HOSTNAME, PRECISE_HOSTNAME_TEXT);
  });
  targetRefRules(s, spec);
  validationRules(s, spec);
}

function listenerSetRules(s: ApiSink, root: YMap): void {
  const spec = get(root, 'spec');
  if (closed(spec)) required(s, 'GW31', spec, 'parentRef', 'spec');
  const parent = get(spec, 'parentRef');
  required(s, 'GW31', parent, 'name', 'spec.parentRef');
  groupKind(s, parent, 'spec.parentRef');
  pattern(s, 'GW48', 'api-invalid-value', get(parent, 'namespace'), 'spec.parentRef.namespace', NAMESPACE, NAMESPACE_TEXT);
  listenerRules(s, spec);
}

/** The rules of BackendTLSPolicy and ListenerSet; false for other kinds. */
export function gatewayPolicyRules(s: ApiSink, root: YMap, kind: string): boolean {
  if (kind === 'BackendTLSPolicy') backendTlsPolicyRules(s, root);
  else if (kind === 'ListenerSet') listenerSetRules(s, root);
  else return false;
  return true;
}
