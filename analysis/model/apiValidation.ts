/**
 * API-server parity (docs/dev/design.md §3.2, docs/dev/api-rules.md §A.3–A.10): one walk over each
 * document's tree at lowering time, producing plain findings that `FileFacts` keeps (the host holds
 * no trees). Messages are the API server's per-field errors; where the wording or the verdict
 * depends on the Kubernetes version, a finding carries one variant per range of minor versions and
 * the check picks the one for `kubeReach.kubernetesVersion`.
 *
 * Firewall (docs/dev/checks-spec.md "API-server parity"): templated values and structurally unknown maps and
 * lists are never judged; rules that relate two fields, or claim a field is missing, need both to
 * be literal and their map closed. Patches are filtered at check time (the index knows them).
 */

import type { Severity, Span } from '../types.js';
import type { ParsedDocument } from '../syntax/parse.js';
import type { YMap, YNode } from '../syntax/tree.js';
import { get, isMap, isScalar, isSeq, pair } from '../syntax/tree.js';
import { lineBreakOf } from '../edits/writer.js';
import {
  CIDR_INVALID,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  domainPrefixedPath,
  goQuote,
  ianaSvcName,
  IP_INVALID,
  ipv4CidrStrictness,
  ipv4LeadingZeros,
  labelValue,
  parseCidrSloppy,
  parseIpSloppy,
  pathSegmentName,
  portNumber,
  qualifiedName,
  specialIpError,
  strictSubset,
  wildcardSubdomain,
  byteLength,
} from './apiFormats.js';
import type { ParsedCidr } from './apiFormats.js';
import { deprecationFinding } from './apiDeprecated.js';
import { EditWriter } from '../edits/writer.js';
import { isToolConfig, splitApiVersion } from './kinds.js';
import { GATEWAY_GROUP } from './gateway.js';
import { gatewayApiRules } from './gatewayValidation.js';

/** One message for a range of Kubernetes minor versions (1.from … 1.to, inclusive). */
export interface ApiVariant {
  readonly from: number;
  readonly to: number;
  readonly severity: Severity;
  readonly message: string;
}

export interface ApiEdit {
  readonly span: Span;
  readonly newText: string;
}

export interface ApiFix {
  readonly title: string;
  readonly edits: readonly ApiEdit[];
  readonly isPreferred?: boolean;
}

/** A finding computed at lowering time; kept in `FileFacts.apiFindings`. */
export interface ApiFinding {
  /** The research row id (`SV5`, `IN6`, …; `A16` for removed apiVersions). */
  readonly rule: string;
  readonly code: string;
  readonly span: Span;
  /** Start offset of the object's root map (to find its `KObject`). */
  readonly objectStart: number;
  /** The first variant whose range contains the target minor version applies; none: silent. */
  readonly variants: readonly ApiVariant[];
  readonly fixes?: readonly ApiFix[];
}

/** The Kubernetes minor versions that `kubeReach.kubernetesVersion` accepts. */
export const MIN_MINOR = 22;
export const MAX_MINOR = 36;

type Msg = string | ((minor: number) => string);
type Sev = Severity | ((minor: number) => Severity | undefined);

/** Go %#v (≤1.33) or JSON (≥1.34) rendering of a structured bad value (§A.2). */
function structured(json: string, go: string): (minor: number) => string {
  return (minor) => (minor >= 34 ? json : go);
}

/**
 * StrictIPCIDRValidation (alpha, off through 1.35): values the legacy parser accepts but the strict
 * one rejects. The server warns from 1.33 (§A.14) and may reject them once the gate is on, so
 * these are warnings with the warning's text, and with the strict error's text from 1.36.
 */
function strictIp(s: ApiSink, rule: string, node: YNode, path: string, value: string): void {
  const canonical = ipv4LeadingZeros(value);
  if (canonical === undefined) return;
  s.add(
    rule,
    'api-invalid-ip',
    node.span,
    (m) =>
      m >= 36
        ? `${path}: Invalid value: ${goQuote(value)}: must not have leading 0s`
        : `${path}: non-standard IP address ${goQuote(value)} is invalid: use ${goQuote(canonical)}`,
    (m) => (m >= 33 ? 'warning' : undefined),
  );
}

function strictCidr(s: ApiSink, rule: string, node: YNode, path: string, value: string): void {
  const st = ipv4CidrStrictness(value);
  if (st === undefined) return;
  const msg =
    st.kind === 'leading-zeros'
      ? (m: number): string =>
          m >= 36
            ? `${path}: Invalid value: ${goQuote(value)}: must not have leading 0s in IP or prefix length`
            : `${path}: non-standard CIDR value ${goQuote(value)} is invalid: use ${goQuote(st.canonical)}`
      : (m: number): string =>
          m >= 36
            ? `${path}: Invalid value: ${goQuote(value)}: must not have bits set beyond the prefix length`
            : `${path}: CIDR value ${goQuote(value)} is ambiguous in this context (should be ${goQuote(st.network)} or ${goQuote(st.host)}?)`;
  s.add(rule, 'api-invalid-ip', node.span, msg, (m) => (m >= 33 ? 'warning' : undefined));
}

export class ApiSink {
  constructor(
    readonly out: ApiFinding[],
    readonly objectStart: number,
    /** Writes the fixes' edits in the file's language (YAML or JSON). */
    readonly writer: EditWriter,
  ) {}

  /** An edit that replaces the scalar at `span` by `value`. */
  scalarEdit(span: Span, value: string): ApiEdit {
    const e = this.writer.value(span, value);
    return { span: e.span, newText: e.newText };
  }

  add(rule: string, code: string, span: Span, msg: Msg, sev: Sev = 'error', fixes?: readonly ApiFix[]): void {
    const variants: ApiVariant[] = [];
    for (let minor = MIN_MINOR; minor <= MAX_MINOR; minor++) {
      const severity = typeof sev === 'function' ? sev(minor) : sev;
      if (severity === undefined) continue;
      const message = typeof msg === 'function' ? msg(minor) : msg;
      const last = variants[variants.length - 1];
      if (last !== undefined && last.to === minor - 1 && last.message === message && last.severity === severity) {
        variants[variants.length - 1] = { ...last, to: minor };
      } else {
        variants.push({ from: minor, to: minor, severity, message });
      }
    }
    if (variants.length === 0) return;
    // The edges stand for everything outside the accepted range.
    const first = variants[0];
    if (first !== undefined && first.from === MIN_MINOR) variants[0] = { ...first, from: 0 };
    const lastV = variants[variants.length - 1];
    if (lastV !== undefined && lastV.to === MAX_MINOR) variants[variants.length - 1] = { ...lastV, to: 99 };
    this.out.push({
      rule,
      code,
      span,
      objectStart: this.objectStart,
      variants,
      ...(fixes !== undefined && fixes.length > 0 ? { fixes } : {}),
    });
  }

  invalid(
    rule: string,
    code: string,
    span: Span,
    path: string,
    value: Msg,
    detail: Msg,
    sev: Sev = 'error',
    fixes?: readonly ApiFix[],
  ): void {
    this.add(
      rule,
      code,
      span,
      (m) =>
        `${path}: Invalid value: ${typeof value === 'function' ? value(m) : value}: ${typeof detail === 'function' ? detail(m) : detail}`,
      sev,
      fixes,
    );
  }

  required(rule: string, span: Span, path: string, detail = '', fixes?: readonly ApiFix[]): void {
    this.add(rule, 'api-required-value', span, `${path}: Required value${detail === '' ? '' : `: ${detail}`}`, 'error', fixes);
  }

  forbidden(rule: string, code: string, span: Span, path: string, detail: string): void {
    this.add(rule, code, span, `${path}: Forbidden: ${detail}`);
  }

  duplicate(rule: string, span: Span, path: string, value: Msg): void {
    this.add(rule, 'api-duplicate-value', span, (m) => `${path}: Duplicate value: ${typeof value === 'function' ? value(m) : value}`);
  }

  unsupported(rule: string, node: YNode, path: string, value: string, supported: readonly string[]): void {
    const fix = supported.filter((s) => s.toLowerCase() === value.toLowerCase());
    const fixes: ApiFix[] =
      fix.length === 1 && fix[0] !== undefined
        ? [{ title: `Use "${fix[0]}"`, edits: [this.scalarEdit(node.span, fix[0])], isPreferred: true }]
        : [];
    this.add(
      rule,
      'api-unsupported-value',
      node.span,
      `${path}: Unsupported value: ${goQuote(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
      'error',
      fixes,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Tree helpers

/** A literal string (not a number: Kubernetes' decoder refuses those for string fields). */
function str(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && typeof n.value === 'string' ? n.value : undefined;
}

function int(n: YNode | undefined): number | undefined {
  return isScalar(n) && !n.unknown && typeof n.value === 'number' && Number.isInteger(n.value) ? n.value : undefined;
}

/** Absent, or a literal null. */
function absent(n: YNode | undefined): boolean {
  return n === undefined || (isScalar(n) && !n.unknown && n.value === null);
}

/** Absent/null/"" — an unset string field. */
function unsetString(n: YNode | undefined): boolean {
  return absent(n) || str(n) === '';
}

function closed(n: YNode | undefined): n is YMap {
  return isMap(n) && !n.unknown;
}

/** A list that a template may add items to or hide items in: its items' fields are not related. */
function isUnknownSeq(n: YNode | undefined): boolean {
  return isSeq(n) && n.unknown;
}

function seqItems(n: YNode | undefined): readonly YNode[] {
  return isSeq(n) ? n.items : [];
}

/** The span to anchor "missing" findings in a map: the key of `key` if present, else the map's first key. */
function anchorIn(map: YMap, key?: string): Span {
  const p = key === undefined ? undefined : pair(map, key);
  if (p !== undefined) return p.keySpan;
  const first = map.pairs[0];
  return first !== undefined ? first.keySpan : { start: map.span.start, end: Math.min(map.span.end, map.span.start + 1) };
}

function keySpan(map: YNode | undefined, key: string, fallback: Span): Span {
  return pair(map, key)?.keySpan ?? fallback;
}

function mapValue(map: YNode | undefined, key: string): YMap | undefined {
  const v = get(map, key);
  return isMap(v) ? v : undefined;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces: label maps and selectors (A.3 M6–M8, A.4 S1–S6)

function labelMapRules(s: ApiSink, node: YNode | undefined, path: string, keyRule: string, valueRule: string): void {
  if (!isMap(node)) return;
  for (const p of node.pairs) {
    if (p.keyUnknown) continue;
    const key = p.key;
    const count = qualifiedName(key, 35).length;
    for (let i = 0; i < count; i++)
      s.invalid(keyRule, 'api-invalid-label-key', p.keySpan, path, goQuote(key), (m) => qualifiedName(key, m)[i] ?? '');
    const v = str(p.value);
    if (v === undefined || p.value === undefined) continue;
    const vcount = labelValue(v, 35).length;
    const span = p.value.span;
    for (let i = 0; i < vcount; i++)
      s.invalid(valueRule, 'api-invalid-label-value', span, path, goQuote(v), (m) => labelValue(v, m)[i] ?? '');
  }
}

function annotationRules(s: ApiSink, node: YNode | undefined, path: string): void {
  if (!isMap(node)) return;
  let total = 0;
  for (const p of node.pairs) {
    if (p.keyUnknown) continue;
    const key = p.key;
    const lower = key.toLowerCase();
    const count = qualifiedName(lower, 35).length;
    for (let i = 0; i < count; i++)
      s.invalid('M8', 'api-invalid-label-key', p.keySpan, path, goQuote(key), (m) => qualifiedName(lower, m)[i] ?? '');
    total += byteLength(key) + byteLength(str(p.value) ?? '');
  }
  if (total > 262144) {
    s.add(
      'M8',
      'api-invalid-annotation',
      node.span,
      (m) => `${path}: Too long: ${m >= 33 ? 'may not be more than' : 'must have at most'} 262144 bytes`,
    );
  }
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** S1–S6 on a metav1.LabelSelector; returns whether it converts cleanly (no finding, all literal). */
function selectorRules(s: ApiSink, node: YNode | undefined, path: string): boolean {
  if (!isMap(node)) return false;
  let clean = !node.unknown;
  const ml = get(node, 'matchLabels');
  const before = s.out.length;
  labelMapRules(s, ml, `${path}.matchLabels`, 'S1', 'S1');
  if (ml !== undefined && !absent(ml) && !closed(ml)) clean = false;
  const exprs = get(node, 'matchExpressions');
  if (exprs !== undefined && !absent(exprs) && (!isSeq(exprs) || exprs.unknown)) clean = false;
  seqItems(exprs).forEach((item, i) => {
    if (!isMap(item)) {
      clean = false;
      return;
    }
    const itemOpen = item.unknown || isUnknownSeq(exprs);
    if (itemOpen) clean = false;
    const ep = `${path}.matchExpressions[${i}]`;
    const opNode = get(item, 'operator');
    const valuesNode = get(item, 'values');
    const valuesKnown = absent(valuesNode) || (isSeq(valuesNode) && !valuesNode.unknown);
    const nValues = seqItems(valuesNode).length;
    const op = absent(opNode) && !itemOpen ? '' : str(opNode);
    if (op === undefined) clean = false;
    else if (op === 'In' || op === 'NotIn') {
      if (nValues === 0 && valuesKnown && !itemOpen)
        s.required(
          'S3',
          keySpan(item, 'values', opNode?.span ?? anchorIn(item)),
          `${ep}.values`,
          "must be specified when `operator` is 'In' or 'NotIn'",
        );
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (nValues > 0 && !itemOpen)
        s.forbidden(
          'S4',
          'api-invalid-selector',
          keySpan(item, 'values', anchorIn(item)),
          `${ep}.values`,
          "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        );
    } else {
      const fix = OPERATORS.filter((o) => o.toLowerCase() === op.toLowerCase());
      const fixes: ApiFix[] =
        fix[0] !== undefined && opNode !== undefined
          ? [{ title: `Use "${fix[0]}"`, edits: [s.scalarEdit(opNode.span, fix[0])], isPreferred: true }]
          : [];
      s.invalid(
        'S5',
        'api-invalid-selector',
        opNode?.span ?? anchorIn(item),
        `${ep}.operator`,
        goQuote(op),
        'not a valid selector operator',
        'error',
        fixes,
      );
    }
    const keyNode = get(item, 'key');
    const key = absent(keyNode) && !itemOpen ? '' : str(keyNode);
    if (key === undefined) clean = false;
    else {
      const count = qualifiedName(key, 35).length;
      for (let k = 0; k < count; k++)
        s.invalid(
          'S2',
          'api-invalid-label-key',
          keyNode?.span ?? anchorIn(item),
          `${ep}.key`,
          goQuote(key),
          (m) => qualifiedName(key, m)[k] ?? '',
        );
    }
    seqItems(valuesNode).forEach((vn, j) => {
      const v = str(vn);
      if (v === undefined) {
        clean = false;
        return;
      }
      const count = labelValue(v, 35).length;
      for (let k = 0; k < count; k++)
        s.invalid('S6', 'api-invalid-label-value', vn.span, `${ep}.values[${j}]`, goQuote(v), (m) => labelValue(v, m)[k] ?? '');
    });
  });
  return clean && s.out.length === before;
}

// ---------------------------------------------------------------------------------------------
// ObjectMeta (A.3)

const CLUSTER_SCOPED = new Set(['Namespace', 'IngressClass']);

function serviceNameRule(s: ApiSink, rule: string, code: string, span: Span, path: string, value: string, printed: string): void {
  const strict = dns1035Label(value);
  if (strict.length === 0) return;
  // RelaxedServiceNameValidation (alpha in 1.34) accepts DNS-1123 labels: a warning from 1.34 on.
  const relaxedOk = dns1123Label(value).length === 0;
  for (const msg of strict)
    s.invalid(rule, code, span, path, goQuote(printed), msg, relaxedOk ? (m) => (m >= 34 ? 'warning' : 'error') : 'error');
}

function nameRules(s: ApiSink, kind: string, node: YNode | undefined, path: string, prefix: boolean): void {
  const raw = str(node);
  if (raw === undefined || node === undefined || raw === '') return;
  // generateName: a trailing '-' is tolerated, a suffix follows it.
  const value = prefix && raw.endsWith('-') ? raw.slice(0, -1) + 'a' : raw;
  if (kind === 'Service') {
    serviceNameRule(s, 'M2', 'api-invalid-name', node.span, path, value, raw);
    return;
  }
  if (kind === 'Namespace') {
    for (const msg of dns1123Label(value)) s.invalid('M3', 'api-invalid-name', node.span, path, goQuote(raw), msg);
    return;
  }
  const sub = dns1123Subdomain(value);
  for (const msg of sub) s.invalid('M4', 'api-invalid-name', node.span, path, goQuote(raw), msg);
  if (kind === 'StatefulSet' && sub.length === 0) {
    // Some apps validation copies use a DNS-1123 label for StatefulSets (research M4 "verify").
    for (const msg of dns1123Label(value)) s.invalid('M4', 'api-invalid-name', node.span, path, goQuote(raw), msg, 'warning');
  }
}

function metaRules(s: ApiSink, root: YMap, kind: string, kindSpan: Span): void {
  const metaPair = pair(root, 'metadata');
  const meta = metaPair?.value;
  if (meta !== undefined && !isMap(meta) && !absent(meta)) return;
  const m = isMap(meta) ? meta : undefined;
  const nameNode = get(m, 'name');
  const genNode = get(m, 'generateName');
  const metaClosed = m !== undefined ? !m.unknown : !root.unknown;
  if (unsetString(nameNode) && unsetString(genNode) && metaClosed) {
    s.required('M1', metaPair?.keySpan ?? kindSpan, 'metadata.name', 'name or generateName is required');
  }
  nameRules(s, kind, nameNode, 'metadata.name', false);
  nameRules(s, kind, genNode, 'metadata.generateName', true);
  const nsNode = get(m, 'namespace');
  const ns = str(nsNode);
  if (ns !== undefined && ns !== '' && nsNode !== undefined) {
    if (CLUSTER_SCOPED.has(kind)) {
      s.add(
        'M9',
        'api-ignored-field',
        nsNode.span,
        `metadata.namespace: ignored: ${kind} is cluster-scoped, so the API server clears the namespace before validation`,
        'hint',
      );
    } else {
      for (const msg of dns1123Label(ns)) s.invalid('M5', 'api-invalid-name', nsNode.span, 'metadata.namespace', goQuote(ns), msg);
    }
  }
  labelMapRules(s, get(m, 'labels'), 'metadata.labels', 'M6', 'M7');
  annotationRules(s, get(m, 'annotations'), 'metadata.annotations');
}

// ---------------------------------------------------------------------------------------------
// Service (A.5)

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS_SORTED = ['SCTP', 'TCP', 'UDP'];

function goStringSlice(type: string, values: readonly string[]): string {
  return `[]${type}{${values.map((v) => goQuote(v)).join(', ')}}`;
}

function jsonList(values: readonly string[]): string {
  return `[${values.map((v) => goQuote(v)).join(',')}]`;
}

function serviceRules(s: ApiSink, root: YMap, kindSpan: Span): void {
  const specPair = pair(root, 'spec');
  const specNode = specPair?.value;
  if (specNode !== undefined && !isMap(specNode) && !absent(specNode)) return;
  const spec = isMap(specNode) ? specNode : undefined;
  const specClosed = spec !== undefined ? !spec.unknown : !root.unknown;
  const specAnchor = specPair?.keySpan ?? kindSpan;
  const annotations = mapValue(mapValue(root, 'metadata'), 'annotations');

  // Type (SV12).
  const typeNode = get(spec, 'type');
  let type: string | undefined = absent(typeNode) ? (specClosed ? 'ClusterIP' : undefined) : str(typeNode);
  if (type !== undefined && typeNode !== undefined && !absent(typeNode) && !SERVICE_TYPES.includes(type)) {
    s.unsupported('SV12', typeNode, 'spec.type', type, SERVICE_TYPES);
    type = undefined;
  }
  // Rules that relate two fields need both in one closed map: in a templated spec the type and the
  // other field may sit in different branches.
  if (!specClosed) type = undefined;

  // Cluster IPs as the strategy leaves them: clusterIP is copied into clusterIPs.
  const cipNode = get(spec, 'clusterIP');
  const cipsNode = get(spec, 'clusterIPs');
  const cip = absent(cipNode) ? '' : str(cipNode);
  let ips: Array<{ value: string; node: YNode }> | undefined;
  if (isSeq(cipsNode) && cipsNode.items.length > 0) {
    const list = cipsNode.items.map((n) => ({ value: str(n), node: n }));
    ips =
      cipsNode.unknown || list.some((x) => x.value === undefined) ? undefined : list.map((x) => ({ value: x.value ?? '', node: x.node }));
  } else if (absent(cipsNode) || (isSeq(cipsNode) && !cipsNode.unknown)) {
    ips = cip === undefined ? undefined : cip === '' ? [] : cipNode !== undefined ? [{ value: cip, node: cipNode }] : [];
  }
  if (cipNode === undefined && cipsNode === undefined && !specClosed) ips = undefined;
  const headless = ips !== undefined && ips[0]?.value === 'None';

  // Ports (SV1–SV11).
  const portsPair = pair(spec, 'ports');
  const portsNode = portsPair?.value;
  const portsSeq = isSeq(portsNode) ? portsNode : undefined;
  const portCount = portsSeq !== undefined ? portsSeq.items.length : absent(portsNode) ? 0 : undefined;
  const portsKnown = portsSeq !== undefined ? !portsSeq.unknown : absent(portsNode) && specClosed;
  if (
    portCount === 0 &&
    portsKnown &&
    type !== undefined &&
    type !== 'ExternalName' &&
    ips !== undefined &&
    !(type === 'ClusterIP' && headless)
  ) {
    s.required('SV1', portsPair?.keySpan ?? specAnchor, 'spec.ports');
  }
  const names = new Set<string>();
  const keys = new Set<string>();
  const nodePorts = new Set<string>();
  seqItems(portsNode).forEach((item, i) => {
    if (!isMap(item)) return;
    const pp = `spec.ports[${i}]`;
    const seqClosed = portsSeq !== undefined && !portsSeq.unknown;
    const nameNode = get(item, 'name');
    const name = str(nameNode);
    if (unsetString(nameNode)) {
      if ((portCount ?? 0) > 1 && seqClosed && !item.unknown) s.required('SV2', anchorIn(item), `${pp}.name`);
    } else if (name !== undefined && nameNode !== undefined) {
      const errs = dns1123Label(name);
      for (const msg of errs) s.invalid('SV3', 'api-invalid-port-name', nameNode.span, `${pp}.name`, goQuote(name), msg);
      if (errs.length === 0) {
        if (names.has(name) && seqClosed) s.duplicate('SV4', nameNode.span, `${pp}.name`, goQuote(name));
        names.add(name);
      }
    }
    const portNode = get(item, 'port');
    const port = absent(portNode) ? (!seqClosed || item.unknown ? undefined : 0) : int(portNode);
    if (port !== undefined)
      for (const msg of portNumber(port))
        s.invalid('SV5', 'api-invalid-port', portNode?.span ?? anchorIn(item), `${pp}.port`, String(port), msg);
    const protoNode = get(item, 'protocol');
    let proto = absent(protoNode) ? (!seqClosed || item.unknown ? undefined : 'TCP') : str(protoNode);
    if (proto !== undefined && protoNode !== undefined && !absent(protoNode) && !PROTOCOLS_SORTED.includes(proto)) {
      s.unsupported('SV6', protoNode, `${pp}.protocol`, proto, PROTOCOLS_SORTED);
      proto = undefined;
    }
    const tpNode = get(item, 'targetPort');
    const tpInt = int(tpNode);
    const tpStr = str(tpNode);
    if (tpInt !== undefined && tpInt !== 0 && tpNode !== undefined)
      for (const msg of portNumber(tpInt)) s.invalid('SV7', 'api-invalid-port', tpNode.span, `${pp}.targetPort`, String(tpInt), msg);
    if (tpStr !== undefined && tpStr !== '' && tpNode !== undefined)
      for (const msg of ianaSvcName(tpStr)) s.invalid('SV7', 'api-invalid-port-name', tpNode.span, `${pp}.targetPort`, goQuote(tpStr), msg);
    const apNode = get(item, 'appProtocol');
    const ap = str(apNode);
    if (ap !== undefined && apNode !== undefined) {
      const count = qualifiedName(ap, 35).length;
      for (let k = 0; k < count; k++)
        s.invalid('SV8', 'api-invalid-label-key', apNode.span, `${pp}.appProtocol`, goQuote(ap), (m) => qualifiedName(ap, m)[k] ?? '');
    }
    if (port !== undefined && proto !== undefined && seqClosed) {
      const key = `${proto}/${port}`;
      if (keys.has(key)) {
        const json = `{"Name":"","Protocol":"${proto}","AppProtocol":null,"Port":${port},"TargetPort":0,"NodePort":0}`;
        const go = `core.ServicePort{Name:"", Protocol:"${proto}", AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
        s.duplicate('SV9', anchorIn(item), pp, structured(json, go));
      }
      keys.add(key);
    }
    const npNode = get(item, 'nodePort');
    const np = int(npNode);
    if (np !== undefined && np !== 0 && npNode !== undefined) {
      if (type === 'ClusterIP')
        s.forbidden('SV10', 'api-service-field-forbidden', npNode.span, `${pp}.nodePort`, "may not be used when `type` is 'ClusterIP'");
      if (proto !== undefined && seqClosed) {
        const key = `${proto}/${np}`;
        if (nodePorts.has(key)) s.duplicate('SV11', npNode.span, `${pp}.nodePort`, String(np));
        nodePorts.add(key);
      }
    }
  });

  // ClusterIPs (SV13–SV19).
  if (ips !== undefined && ips.length > 0) {
    const first = ips[0];
    if (first !== undefined && first.value === 'None' && (type === 'LoadBalancer' || type === 'NodePort')) {
      s.invalid(
        type === 'LoadBalancer' ? 'SV13' : 'SV14',
        'api-invalid-ip',
        first.node.span,
        'spec.clusterIPs[0]',
        '"None"',
        `may not be set to 'None' for ${type} services`,
      );
    }
    if (type === 'ExternalName') {
      s.forbidden(
        'SV15',
        'api-service-field-forbidden',
        pair(spec, 'clusterIPs')?.keySpan ?? pair(spec, 'clusterIP')?.keySpan ?? specAnchor,
        'spec.clusterIPs',
        'may not be set for ExternalName services',
      );
    }
    const values = ips.map((x) => x.value);
    const listValue = structured(jsonList(values), goStringSlice('string', values));
    const listSpan = pair(spec, 'clusterIPs')?.keySpan ?? first?.node.span ?? specAnchor;
    if (first?.value === 'None' && ips.length > 1)
      s.invalid('SV17', 'api-invalid-ip', listSpan, 'spec.clusterIPs', listValue, "'None' must be the first and only value");
    const parsed = ips.map((x, i) => (i === 0 && x.value === 'None' ? undefined : parseIpSloppy(x.value)));
    ips.forEach((x, i) => {
      if (i === 0 && x.value === 'None') return;
      if (parsed[i] === undefined) s.invalid('SV17', 'api-invalid-ip', x.node.span, `spec.clusterIPs[${i}]`, goQuote(x.value), IP_INVALID);
      else strictIp(s, 'SV17', x.node, `spec.clusterIPs[${i}]`, x.value);
    });
    if (isSeq(cipsNode) && ips.length > 2)
      s.invalid('SV18', 'api-invalid-ip', listSpan, 'spec.clusterIPs', listValue, 'may only hold up to 2 values');
    if (ips.length === 2 && parsed[0] !== undefined && parsed[1] !== undefined && parsed[0].family === parsed[1].family) {
      s.invalid('SV18', 'api-invalid-ip', listSpan, 'spec.clusterIPs', listValue, 'may specify no more than one IP for each IP family');
    }
    if (specClosed && isSeq(cipsNode) && cip !== undefined && cip !== '' && first !== undefined && first.value !== cip) {
      s.invalid('SV18', 'api-invalid-ip', first.node.span, 'spec.clusterIPs', listValue, 'first value must match `clusterIP`');
    }
    const famNode = get(spec, 'ipFamilies');
    seqItems(famNode).forEach((fn, i) => {
      const fam = str(fn);
      const p = parsed[i];
      const ipx = ips?.[i];
      if (
        specClosed &&
        (fam === 'IPv4' || fam === 'IPv6') &&
        p !== undefined &&
        ipx !== undefined &&
        (p.family === 4) !== (fam === 'IPv4')
      ) {
        s.invalid(
          'SV19',
          'api-invalid-ip',
          ipx.node.span,
          `spec.clusterIPs[${i}]`,
          goQuote(ipx.value),
          `expected an ${fam} value as indicated by \`ipFamilies[${i}]\``,
        );
      }
    });
  }
  if (type === 'ExternalName') {
    const famPair = pair(spec, 'ipFamilies');
    if (famPair !== undefined && seqItems(famPair.value).length > 0)
      s.forbidden('SV15', 'api-service-field-forbidden', famPair.keySpan, 'spec.ipFamilies', 'may not be set for ExternalName services');
    const polPair = pair(spec, 'ipFamilyPolicy');
    if (polPair !== undefined && !absent(polPair.value))
      s.forbidden(
        'SV15',
        'api-service-field-forbidden',
        polPair.keySpan,
        'spec.ipFamilyPolicy',
        'may not be set for ExternalName services',
      );
    const enNode = get(spec, 'externalName');
    const en = str(enNode);
    if (unsetString(enNode) || en === '.') {
      if (specClosed || enNode !== undefined) s.required('SV16', pair(spec, 'externalName')?.keySpan ?? specAnchor, 'spec.externalName');
    } else if (en !== undefined && enNode !== undefined) {
      const clean = en.endsWith('.') ? en.slice(0, -1) : en;
      // The server validates (and prints) the name without its trailing dot.
      for (const msg of dns1123Subdomain(clean))
        s.invalid('SV16', 'api-invalid-host', enNode.span, 'spec.externalName', goQuote(clean), msg);
    }
  }
  // ipFamilies / ipFamilyPolicy values (SV19).
  const seenFam = new Set<string>();
  seqItems(get(spec, 'ipFamilies')).forEach((fn, i) => {
    const fam = str(fn);
    if (fam === undefined) return;
    if (fam !== 'IPv4' && fam !== 'IPv6') s.unsupported('SV19', fn, `spec.ipFamilies[${i}]`, fam, ['IPv4', 'IPv6']);
    else if (seenFam.has(fam)) s.duplicate('SV19', fn.span, `spec.ipFamilies[${i}]`, goQuote(fam));
    seenFam.add(fam);
  });
  const polNode = get(spec, 'ipFamilyPolicy');
  const pol = str(polNode);
  if (pol !== undefined && polNode !== undefined && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(pol)) {
    s.unsupported('SV19', polNode, 'spec.ipFamilyPolicy', pol, ['PreferDualStack', 'RequireDualStack', 'SingleStack']);
  }

  // Session affinity (SV20–SV22).
  const saNode = get(spec, 'sessionAffinity');
  const saValue = absent(saNode) ? (specClosed ? 'None' : undefined) : str(saNode);
  if (saValue !== undefined && saNode !== undefined && !absent(saNode) && saValue !== 'ClientIP' && saValue !== 'None')
    s.unsupported('SV20', saNode, 'spec.sessionAffinity', saValue, ['ClientIP', 'None']);
  const sa = specClosed ? saValue : undefined;
  const sacPair = pair(spec, 'sessionAffinityConfig');
  if (sacPair !== undefined && isMap(sacPair.value)) {
    const toNode = get(get(sacPair.value, 'clientIP'), 'timeoutSeconds');
    const to = int(toNode);
    if (sa === 'ClientIP' && to !== undefined && toNode !== undefined && (to <= 0 || to > 86400)) {
      s.invalid(
        'SV21',
        'api-invalid-value',
        toNode.span,
        'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
        String(to),
        'must be greater than 0 and less than 86400',
      );
    }
    if (sa === 'None') {
      s.add(
        'SV22',
        'api-ignored-field',
        sacPair.keySpan,
        "spec.sessionAffinityConfig: ignored: the API server drops it when `sessionAffinity` is 'None'",
        'hint',
      );
    }
  }

  // Selector (SV23).
  labelMapRules(s, get(spec, 'selector'), 'spec.selector', 'SV23', 'SV23');

  // External IPs (SV24).
  const extNode = get(spec, 'externalIPs');
  seqItems(extNode).forEach((n, i) => {
    const v = str(n);
    if (v === undefined) return;
    const ip = parseIpSloppy(v);
    const err = ip === undefined ? IP_INVALID : specialIpError(ip);
    if (err !== undefined) s.invalid('SV24', 'api-invalid-ip', n.span, `spec.externalIPs[${i}]`, goQuote(v), err);
    else strictIp(s, 'SV24', n, `spec.externalIPs[${i}]`, v);
  });

  // Type-dependent fields (SV25–SV29).
  const lbsrPair = pair(spec, 'loadBalancerSourceRanges');
  if (lbsrPair !== undefined && seqItems(lbsrPair.value).length > 0) {
    if (type !== undefined && type !== 'LoadBalancer')
      s.forbidden(
        'SV25',
        'api-service-field-forbidden',
        lbsrPair.keySpan,
        'spec.LoadBalancerSourceRanges',
        "may only be used when `type` is 'LoadBalancer'",
      );
    seqItems(lbsrPair.value).forEach((n, i) => {
      const v = str(n)?.trim();
      if (v !== undefined && parseCidrSloppy(v) === undefined)
        s.invalid('SV25', 'api-invalid-ip', n.span, `spec.LoadBalancerSourceRanges[${i}]`, goQuote(v), CIDR_INVALID);
      else if (v !== undefined) strictCidr(s, 'SV25', n, `spec.loadBalancerSourceRanges[${i}]`, v);
    });
  }
  const alnpPair = pair(spec, 'allocateLoadBalancerNodePorts');
  if (alnpPair !== undefined && !absent(alnpPair.value) && type !== undefined && type !== 'LoadBalancer') {
    s.forbidden(
      'SV26',
      'api-service-field-forbidden',
      alnpPair.keySpan,
      'spec.allocateLoadBalancerNodePorts',
      "may only be used when `type` is 'LoadBalancer'",
    );
  }
  const lbcNode = get(spec, 'loadBalancerClass');
  const lbc = str(lbcNode);
  if (lbc !== undefined && lbcNode !== undefined) {
    if (type !== undefined && type !== 'LoadBalancer') {
      s.forbidden(
        'SV27',
        'api-service-field-forbidden',
        keySpan(spec, 'loadBalancerClass', lbcNode.span),
        'spec.loadBalancerClass',
        "may only be used when `type` is 'LoadBalancer'",
      );
    } else if (type === 'LoadBalancer') {
      const count = qualifiedName(lbc, 35).length;
      for (let k = 0; k < count; k++)
        s.invalid(
          'SV27',
          'api-invalid-label-key',
          lbcNode.span,
          'spec.loadBalancerClass',
          goQuote(lbc),
          (m) => qualifiedName(lbc, m)[k] ?? '',
        );
    }
  }
  const etpNode = get(spec, 'externalTrafficPolicy');
  const etp = absent(etpNode) ? (specClosed ? '' : undefined) : str(etpNode);
  const extCount = absent(extNode) ? (specClosed ? 0 : undefined) : isSeq(extNode) && !extNode.unknown ? extNode.items.length : undefined;
  const accessible =
    type === undefined
      ? undefined
      : type === 'LoadBalancer' || type === 'NodePort'
        ? true
        : type === 'ClusterIP'
          ? extCount === undefined
            ? undefined
            : extCount > 0
          : false;
  if (etp !== undefined && etp !== '' && etpNode !== undefined) {
    if (accessible === false)
      s.invalid(
        'SV28',
        'api-service-field-forbidden',
        etpNode.span,
        'spec.externalTrafficPolicy',
        goQuote(etp),
        'may only be set for externally-accessible services',
      );
    else if (accessible === true && etp !== 'Cluster' && etp !== 'Local')
      s.unsupported('SV28', etpNode, 'spec.externalTrafficPolicy', etp, ['Cluster', 'Local']);
  }
  const hcNode = get(spec, 'healthCheckNodePort');
  const hc = int(hcNode);
  if (hc !== undefined && hc !== 0 && hcNode !== undefined && type !== undefined && etp !== undefined) {
    if (!(type === 'LoadBalancer' && etp === 'Local')) {
      s.invalid(
        'SV29',
        'api-service-field-forbidden',
        hcNode.span,
        'spec.healthCheckNodePort',
        String(hc),
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      );
    } else {
      for (const msg of portNumber(hc)) s.invalid('SV29', 'api-invalid-port', hcNode.span, 'spec.healthCheckNodePort', String(hc), msg);
    }
  }
  const itpNode = get(spec, 'internalTrafficPolicy');
  const itp = str(itpNode);
  if (itp !== undefined && itpNode !== undefined && itp !== 'Cluster' && itp !== 'Local')
    s.unsupported('SV30', itpNode, 'spec.internalTrafficPolicy', itp, ['Cluster', 'Local']);

  // trafficDistribution (SV31): the accepted values grow with the version (PreferSameTrafficDistribution).
  const tdNode = get(spec, 'trafficDistribution');
  const td = str(tdNode);
  if (td !== undefined && tdNode !== undefined) {
    const newer = ['PreferClose', 'PreferSameNode', 'PreferSameZone'];
    const supported = (m: number): string[] => (m >= 34 ? newer : ['PreferClose']);
    if (!newer.includes(td)) {
      s.add(
        'SV31',
        'api-unsupported-value',
        tdNode.span,
        (m) =>
          `spec.trafficDistribution: Unsupported value: ${goQuote(td)}: supported values: ${supported(m)
            .map((v) => `"${v}"`)
            .join(', ')}`,
        (m) => (m >= 31 ? 'error' : undefined),
      );
    } else if (td !== 'PreferClose') {
      s.add(
        'SV31',
        'api-unsupported-value',
        tdNode.span,
        (m) =>
          `spec.trafficDistribution: Unsupported value: ${goQuote(td)}: supported values: ${supported(m)
            .map((v) => `"${v}"`)
            .join(', ')}`,
        (m) => (m >= 31 && m < 34 ? 'warning' : undefined),
      );
    }
  }

  // Topology annotations (SV32).
  const modeNode = get(annotations, 'service.kubernetes.io/topology-mode');
  const mode = str(modeNode);
  const hints = str(get(annotations, 'service.kubernetes.io/topology-aware-hints'));
  if (
    mode !== undefined &&
    hints !== undefined &&
    mode !== hints &&
    modeNode !== undefined &&
    annotations !== undefined &&
    !annotations.unknown
  ) {
    s.invalid(
      'SV32',
      'api-invalid-annotation',
      modeNode.span,
      'metadata.annotations[service.kubernetes.io/topology-mode]',
      goQuote(mode),
      'must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Ingress (A.6) and IngressClass

function v1beta1Field(s: ApiSink, map: YMap, key: string, path: string): void {
  const p = pair(map, key);
  if (p === undefined) return;
  s.add(
    'IN24',
    'api-invalid-backend',
    p.keySpan,
    `Ingress in version "v1" cannot be handled as a Ingress: strict decoding error: unknown field "${path}.${key}"`,
  );
}

function backendRules(s: ApiSink, node: YNode | undefined, path: string, anchor: Span, required: boolean, ownerClosed: boolean): void {
  if (absent(node)) {
    if (required && ownerClosed) s.invalid('IN12', 'api-invalid-backend', anchor, path, '""', 'resource or service backend is required');
    return;
  }
  if (!isMap(node)) return;
  // In a templated backend the v1beta1 keys may sit in the branch for old clusters.
  if (!node.unknown) {
    v1beta1Field(s, node, 'serviceName', path);
    v1beta1Field(s, node, 'servicePort', path);
  }
  const svc = get(node, 'service');
  const res = get(node, 'resource');
  const hasSvc = !absent(svc);
  const hasRes = !absent(res);
  if (hasSvc && hasRes) {
    if (node.unknown) return;
    s.invalid('IN11', 'api-invalid-backend', anchor, path, '""', 'cannot set both resource and service backends');
    return;
  }
  if (hasRes && isMap(res)) {
    const rp = `${path}.resource`;
    const group = str(get(res, 'apiGroup'));
    const groupNode = get(res, 'apiGroup');
    if (group !== undefined && groupNode !== undefined)
      for (const msg of dns1123Subdomain(group))
        s.invalid('IN18', 'api-invalid-name', groupNode.span, `${rp}.apiGroup`, goQuote(group), msg);
    for (const key of ['kind', 'name']) {
      const n = get(res, key);
      const v = str(n);
      if (unsetString(n)) {
        if (!res.unknown) s.required('IN18', keySpan(res, key, keySpan(node, 'resource', anchor)), `${rp}.${key}`);
      } else if (v !== undefined && n !== undefined) {
        for (const msg of pathSegmentName(v)) s.invalid('IN18', 'api-invalid-name', n.span, `${rp}.${key}`, goQuote(v), msg);
      }
    }
    return;
  }
  if (hasSvc && isMap(svc)) {
    const svcAnchor = keySpan(node, 'service', anchor);
    const nameNode = get(svc, 'name');
    const name = str(nameNode);
    if (unsetString(nameNode)) {
      if (!svc.unknown) s.required('IN13', keySpan(svc, 'name', svcAnchor), `${path}.service.name`);
    } else if (name !== undefined && nameNode !== undefined) {
      serviceNameRule(s, 'IN13', 'api-invalid-name', nameNode.span, `${path}.service.name`, name, name);
    }
    const portPair = pair(svc, 'port');
    const port = portPair?.value;
    if (port !== undefined && !absent(port) && !isMap(port)) return;
    const pm = isMap(port) ? port : undefined;
    const pnNode = get(pm, 'name');
    const numNode = get(pm, 'number');
    const pn = str(pnNode);
    const num = int(numNode);
    const hasName = pn !== undefined && pn !== '';
    const hasNum = num !== undefined && num !== 0;
    const portAnchor = portPair?.keySpan ?? svcAnchor;
    if (hasName && hasNum) {
      if (pm !== undefined && !pm.unknown)
        s.invalid('IN14', 'api-invalid-backend', portAnchor, path, '""', 'cannot set both port name & port number');
    } else if (hasName && pnNode !== undefined)
      for (const msg of ianaSvcName(pn))
        s.invalid('IN16', 'api-invalid-port-name', pnNode.span, `${path}.service.port.name`, goQuote(pn), msg);
    else if (hasNum && numNode !== undefined)
      for (const msg of portNumber(num))
        s.invalid('IN17', 'api-invalid-port', numNode.span, `${path}.service.port.number`, String(num), msg);
    else {
      const nameUnset = unsetString(pnNode);
      const numUnset = absent(numNode) || num === 0;
      const certain = pm !== undefined ? !pm.unknown : !svc.unknown;
      if (nameUnset && numUnset && certain) s.required('IN15', portAnchor, path, 'port name or number is required');
    }
    return;
  }
  if (!hasSvc && !hasRes && !node.unknown)
    s.invalid('IN12', 'api-invalid-backend', anchor, path, '""', 'resource or service backend is required');
}

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function hostRules(s: ApiSink, node: YNode | undefined, path: string, rule: string, ipRule: string | undefined): void {
  const host = str(node);
  if (host === undefined || host === '' || node === undefined) return;
  if (ipRule !== undefined && parseIpSloppy(host) !== undefined)
    s.invalid(ipRule, 'api-invalid-host', node.span, path, goQuote(host), 'must be a DNS name, not an IP address');
  const wild = host.includes('*');
  const msgs = wild ? wildcardSubdomain(host) : dns1123Subdomain(host);
  for (const msg of msgs)
    s.invalid(rule === 'IN19' ? 'IN19' : wild ? 'IN3' : 'IN4', 'api-invalid-host', node.span, path, goQuote(host), msg);
}

function insertKeyFix(s: ApiSink, text: string, map: YMap, key: string, value: string): ApiEdit | undefined {
  const first = map.pairs[0];
  if (first === undefined) return undefined;
  if (s.writer.language === 'json') return s.writer.insertBefore(first.keySpan, key, value);
  const at = first.keySpan.start;
  if (map.flow) return { span: { start: at, end: at }, newText: `${key}: ${value}, ` };
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const nl = lineBreakOf(text);
  return { span: { start: at, end: at }, newText: `${key}: ${value}${nl}${' '.repeat(at - lineStart)}` };
}

function ingressRules(s: ApiSink, root: YMap, kindSpan: Span, text: string): void {
  const specPair = pair(root, 'spec');
  const specNode = specPair?.value;
  if (specNode !== undefined && !isMap(specNode) && !absent(specNode)) return;
  const spec = isMap(specNode) ? specNode : undefined;
  const specClosed = spec !== undefined ? !spec.unknown : !root.unknown;
  const specAnchor = specPair?.keySpan ?? kindSpan;
  if (spec !== undefined && !spec.unknown) v1beta1Field(s, spec, 'backend', 'spec');
  const rulesNode = get(spec, 'rules');
  const dbPair = pair(spec, 'defaultBackend');
  const noRules = absent(rulesNode) || (isSeq(rulesNode) && rulesNode.items.length === 0 && !rulesNode.unknown);
  if ((dbPair === undefined || absent(dbPair.value)) && noRules && specClosed) {
    const value = isSeq(rulesNode) ? structured('[]', '[]networking.IngressRule{}') : structured('null', '[]networking.IngressRule(nil)');
    s.invalid('IN1', 'api-invalid-backend', specAnchor, 'spec', value, 'either `defaultBackend` or `rules` must be specified');
  }
  if (dbPair !== undefined) backendRules(s, dbPair.value, 'spec.defaultBackend', dbPair.keySpan, false, true);
  seqItems(rulesNode).forEach((rule, i) => {
    if (!isMap(rule)) return;
    const rp = `spec.rules[${i}]`;
    hostRules(s, get(rule, 'host'), `${rp}.host`, 'IN4', 'IN2');
    const httpPair = pair(rule, 'http');
    const http = httpPair?.value;
    if (!isMap(http)) return;
    const pathsPair = pair(http, 'paths');
    const paths = pathsPair?.value;
    const empty = absent(paths) ? !http.unknown : isSeq(paths) && paths.items.length === 0 && !paths.unknown;
    if (empty) s.required('IN5', pathsPair?.keySpan ?? httpPair?.keySpan ?? anchorIn(rule), `${rp}.http.paths`);
    seqItems(paths).forEach((item, j) => {
      const itemOpen = item.unknown || isUnknownSeq(paths);
      if (!isMap(item)) return;
      const pp = `${rp}.http.paths[${j}]`;
      const ptNode = get(item, 'pathType');
      if (absent(ptNode)) {
        if (!itemOpen) {
          const edit = insertKeyFix(s, text, item, 'pathType', 'ImplementationSpecific');
          s.required(
            'IN6',
            pair(item, 'path')?.keySpan ?? anchorIn(item),
            `${pp}.pathType`,
            'pathType must be specified',
            edit === undefined
              ? undefined
              : [{ title: "Add pathType: ImplementationSpecific (keeps the controller's matching)", edits: [edit], isPreferred: true }],
          );
        }
        return;
      }
      const pt = str(ptNode);
      const pathNode = get(item, 'path');
      // The path rules depend on pathType: both must sit in one closed item.
      const p = itemOpen ? undefined : absent(pathNode) ? '' : str(pathNode);
      const pSpan = pathNode?.span ?? ptNode?.span ?? anchorIn(item);
      if (pt === 'Exact' || pt === 'Prefix') {
        if (p !== undefined) {
          if (!p.startsWith('/')) s.invalid('IN8', 'api-invalid-path', pSpan, `${pp}.path`, goQuote(p), 'must be an absolute path');
          if (p.length > 0) {
            for (const bad of ['//', '/./', '/../', '%2f', '%2F'])
              if (p.includes(bad)) s.invalid('IN9', 'api-invalid-path', pSpan, `${pp}.path`, goQuote(p), `must not contain '${bad}'`);
            for (const bad of ['/..', '/.'])
              if (p.endsWith(bad)) s.invalid('IN9', 'api-invalid-path', pSpan, `${pp}.path`, goQuote(p), `cannot end with '${bad}'`);
          }
        }
      } else if (pt === 'ImplementationSpecific') {
        if (p !== undefined && p.length > 0 && !p.startsWith('/'))
          s.invalid('IN10', 'api-invalid-path', pSpan, `${pp}.path`, goQuote(p), 'must be an absolute path');
      } else if (pt !== undefined && ptNode !== undefined) {
        s.unsupported('IN7', ptNode, `${pp}.pathType`, pt, PATH_TYPES);
      }
      const bp = pair(item, 'backend');
      backendRules(s, bp?.value, `${pp}.backend`, bp?.keySpan ?? anchorIn(item), true, !itemOpen);
    });
  });
  seqItems(get(spec, 'tls')).forEach((tls, i) => {
    if (!isMap(tls)) return;
    seqItems(get(tls, 'hosts')).forEach((h, j) => hostRules(s, h, `spec.tls[${i}].hosts[${j}]`, 'IN19', undefined));
    const snNode = get(tls, 'secretName');
    const sn = str(snNode);
    if (sn !== undefined && sn !== '' && snNode !== undefined)
      for (const msg of dns1123Subdomain(sn))
        s.invalid('IN20', 'api-invalid-name', snNode.span, `spec.tls[${i}].secretName`, goQuote(sn), msg);
  });
  const icnNode = get(spec, 'ingressClassName');
  const icn = str(icnNode);
  if (icn !== undefined && icnNode !== undefined)
    for (const msg of dns1123Subdomain(icn))
      s.invalid('IN21', 'api-invalid-name', icnNode.span, 'spec.ingressClassName', goQuote(icn), msg);
  const annMap = mapValue(mapValue(root, 'metadata'), 'annotations');
  const annNode = get(annMap, 'kubernetes.io/ingress.class');
  const ann = str(annNode);
  // Both must be literal and outside template branches (charts set one or the other per cluster).
  if (
    ann !== undefined &&
    icn !== undefined &&
    ann !== icn &&
    annNode !== undefined &&
    annMap !== undefined &&
    !annMap.unknown &&
    specClosed
  ) {
    s.invalid(
      'IN22',
      'api-invalid-annotation',
      annNode.span,
      'annotations.kubernetes.io/ingress.class',
      goQuote(ann),
      'must match `ingressClassName` when both are specified',
    );
  }
}

function ingressClassRules(s: ApiSink, root: YMap, kindSpan: Span): void {
  const specPair = pair(root, 'spec');
  const spec = specPair?.value;
  if (spec !== undefined && !isMap(spec) && !absent(spec)) return;
  const ctlNode = get(spec, 'controller');
  const certain = isMap(spec) ? !spec.unknown : !root.unknown;
  if (unsetString(ctlNode)) {
    if (certain) s.required('IN23', keySpan(spec, 'controller', specPair?.keySpan ?? kindSpan), 'spec.controller');
    return;
  }
  const ctl = str(ctlNode);
  if (ctl === undefined || ctlNode === undefined) return;
  if (byteLength(ctl) > 250)
    s.add(
      'IN23',
      'api-invalid-value',
      ctlNode.span,
      (m) => `spec.controller: Too long: ${m >= 33 ? 'may not be more than' : 'must have at most'} 250 bytes`,
    );
  for (const [bad, detail] of domainPrefixedPath(ctl))
    s.invalid('IN23', 'api-invalid-value', ctlNode.span, 'spec.controller', goQuote(bad), detail);
}

// ---------------------------------------------------------------------------------------------
// NetworkPolicy (A.7)

function policyPortRules(s: ApiSink, item: YNode, pp: string, seqOpen: boolean): void {
  if (!isMap(item)) return;
  const itemOpen = item.unknown || seqOpen;
  const protoNode = get(item, 'protocol');
  const proto = str(protoNode);
  if (proto !== undefined && protoNode !== undefined && !['TCP', 'UDP', 'SCTP'].includes(proto))
    s.unsupported('NP2', protoNode, `${pp}.protocol`, proto, ['TCP', 'UDP', 'SCTP']);
  const portNode = get(item, 'port');
  const endNode = get(item, 'endPort');
  // endPort rules relate it to port: both must sit in one closed item.
  const end = itemOpen ? undefined : int(endNode);
  const portInt = int(portNode);
  const portStr = str(portNode);
  if (portInt !== undefined && portNode !== undefined) {
    for (const msg of portNumber(portInt)) s.invalid('NP3', 'api-invalid-port', portNode.span, `${pp}.port`, String(portInt), msg);
    if (end !== undefined && endNode !== undefined) {
      if (end < portInt)
        s.invalid('NP7', 'api-invalid-port-range', endNode.span, `${pp}.endPort`, String(end), 'must be greater than or equal to `port`');
      for (const msg of portNumber(end)) s.invalid('NP8', 'api-invalid-port', endNode.span, `${pp}.endPort`, String(end), msg);
    }
  } else if (portStr !== undefined && portNode !== undefined) {
    if (end !== undefined && endNode !== undefined)
      s.invalid(
        'NP5',
        'api-invalid-port-range',
        endNode.span,
        `${pp}.endPort`,
        String(end),
        'may not be specified when `port` is non-numeric',
      );
    for (const msg of ianaSvcName(portStr)) s.invalid('NP4', 'api-invalid-port-name', portNode.span, `${pp}.port`, goQuote(portStr), msg);
  } else if (absent(portNode) && !itemOpen && end !== undefined && endNode !== undefined) {
    s.invalid(
      'NP6',
      'api-invalid-port-range',
      endNode.span,
      `${pp}.endPort`,
      String(end),
      'may not be specified when `port` is not specified',
    );
  }
}

function peerRules(s: ApiSink, item: YNode, pp: string, seqOpen: boolean): void {
  if (!isMap(item)) return;
  const itemOpen = item.unknown || seqOpen;
  const ps = pair(item, 'podSelector');
  const ns = pair(item, 'namespaceSelector');
  const ib = pair(item, 'ipBlock');
  const present = (p: typeof ps): boolean => p !== undefined && !absent(p.value);
  let count = 0;
  if (present(ps)) {
    count++;
    selectorRules(s, ps?.value, `${pp}.podSelector`);
  }
  if (present(ns)) {
    count++;
    selectorRules(s, ns?.value, `${pp}.namespaceSelector`);
  }
  if (ib !== undefined && present(ib)) {
    count++;
    const block = ib.value;
    if (isMap(block)) {
      const cidrNode = get(block, 'cidr');
      const cidr = str(cidrNode);
      let parsed: ParsedCidr | undefined;
      if (unsetString(cidrNode)) {
        if (!block.unknown) s.required('NP12', keySpan(block, 'cidr', ib.keySpan), `${pp}.ipBlock.cidr`);
      } else if (cidr !== undefined && cidrNode !== undefined) {
        parsed = parseCidrSloppy(cidr);
        if (parsed === undefined) s.invalid('NP13', 'api-invalid-ip', cidrNode.span, `${pp}.ipBlock.cidr`, goQuote(cidr), CIDR_INVALID);
        else strictCidr(s, 'NP13', cidrNode, `${pp}.ipBlock.cidr`, cidr);
      }
      if (cidr !== undefined && cidr !== '' && parsed !== undefined && !block.unknown) {
        const outer = parsed;
        seqItems(get(block, 'except')).forEach((en, m) => {
          const e = str(en);
          if (e === undefined) return;
          const ep = parseCidrSloppy(e);
          if (ep === undefined) s.invalid('NP14', 'api-invalid-ip', en.span, `${pp}.ipBlock.except[${m}]`, goQuote(e), CIDR_INVALID);
          else {
            strictCidr(s, 'NP14', en, `${pp}.ipBlock.except[${m}]`, e);
            if (!strictSubset(outer, ep))
              s.invalid('NP15', 'api-invalid-ip', en.span, `${pp}.ipBlock.except[${m}]`, goQuote(e), 'must be a strict subset of `cidr`');
          }
        });
      }
    }
  }
  if (count === 0 && !itemOpen) s.required('NP9', item.pairs[0]?.keySpan ?? item.span, pp, 'must specify a peer');
  else if (count > 1 && ib !== undefined && present(ib) && !itemOpen)
    s.forbidden('NP10', 'api-invalid-peer', ib.keySpan, pp, 'may not specify both ipBlock and another peer');
}

function networkPolicyRules(s: ApiSink, root: YMap): void {
  const spec = get(root, 'spec');
  if (!isMap(spec)) return;
  const ps = get(spec, 'podSelector');
  if (!absent(ps)) selectorRules(s, ps, 'spec.podSelector');
  for (const [dir, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    seqItems(get(spec, dir)).forEach((rule, i) => {
      if (!isMap(rule)) return;
      seqItems(get(rule, 'ports')).forEach((p, j) =>
        policyPortRules(s, p, `spec.${dir}[${i}].ports[${j}]`, isUnknownSeq(get(rule, 'ports'))),
      );
      seqItems(get(rule, peersKey)).forEach((p, k) =>
        peerRules(s, p, `spec.${dir}[${i}].${peersKey}[${k}]`, isUnknownSeq(get(rule, peersKey))),
      );
    });
  }
  const ptPair = pair(spec, 'policyTypes');
  const pt = ptPair?.value;
  if (ptPair !== undefined && isSeq(pt)) {
    const values = pt.items.map((n) => str(n));
    if (pt.items.length > 2) {
      if (values.every((v): v is string => v !== undefined) && !pt.unknown) {
        s.invalid(
          'NP16',
          'api-invalid-value',
          ptPair.keySpan,
          'spec.policyTypes',
          structured(jsonList(values), goStringSlice('networking.PolicyType', values)),
          'may not specify more than two policyTypes',
        );
      }
      return;
    }
    pt.items.forEach((n, i) => {
      const v = str(n);
      if (v !== undefined && v !== 'Ingress' && v !== 'Egress')
        s.unsupported('NP17', n, `spec.policyTypes[${i}]`, v, ['Ingress', 'Egress']);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Pod spec and container ports (A.8), workloads (A.9)

function probePortRules(s: ApiSink, c: YMap, cp: string): void {
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    for (const handler of ['httpGet', 'tcpSocket']) {
      const n = get(get(get(c, probe), handler), 'port');
      const path = `${cp}.${probe}.${handler}.port`;
      const i = int(n);
      const v = str(n);
      if (i !== undefined && n !== undefined)
        for (const msg of portNumber(i)) s.invalid('C10', 'api-invalid-port', n.span, path, String(i), msg);
      if (v !== undefined && n !== undefined)
        for (const msg of ianaSvcName(v)) s.invalid('C10', 'api-invalid-port-name', n.span, path, goQuote(v), msg);
    }
  }
}

function containerPortRules(s: ApiSink, c: YMap, cp: string): void {
  const portsNode = get(c, 'ports');
  const seqClosed = isSeq(portsNode) && !portsNode.unknown;
  const names = new Set<string>();
  seqItems(portsNode).forEach((item, j) => {
    if (!isMap(item)) return;
    const pp = `${cp}.ports[${j}]`;
    const nameNode = get(item, 'name');
    const name = str(nameNode);
    if (name !== undefined && name !== '' && nameNode !== undefined) {
      const errs = ianaSvcName(name);
      for (const msg of errs) s.invalid('C1', 'api-invalid-port-name', nameNode.span, `${pp}.name`, goQuote(name), msg);
      if (errs.length === 0) {
        if (names.has(name) && seqClosed) s.duplicate('C2', nameNode.span, `${pp}.name`, goQuote(name));
        names.add(name);
      }
    }
    const cpNode = get(item, 'containerPort');
    const cport = int(cpNode);
    if ((absent(cpNode) && !item.unknown && seqClosed) || cport === 0)
      s.required('C3', cpNode?.span ?? anchorIn(item), `${pp}.containerPort`);
    else if (cport !== undefined && cpNode !== undefined)
      for (const msg of portNumber(cport)) s.invalid('C4', 'api-invalid-port', cpNode.span, `${pp}.containerPort`, String(cport), msg);
    const hpNode = get(item, 'hostPort');
    const hp = int(hpNode);
    if (hp !== undefined && hp !== 0 && hpNode !== undefined)
      for (const msg of portNumber(hp)) s.invalid('C5', 'api-invalid-port', hpNode.span, `${pp}.hostPort`, String(hp), msg);
    const protoNode = get(item, 'protocol');
    const proto = str(protoNode);
    if (proto !== undefined && protoNode !== undefined && !PROTOCOLS_SORTED.includes(proto))
      s.unsupported('C6', protoNode, `${pp}.protocol`, proto, PROTOCOLS_SORTED);
  });
}

function podSpecRules(s: ApiSink, spec: YNode | undefined, path: string, workload: boolean): void {
  if (!isMap(spec)) return;
  const allNames = new Set<string>();
  const lists: Array<[string, YNode | undefined]> = [
    ['containers', get(spec, 'containers')],
    ['initContainers', get(spec, 'initContainers')],
  ];
  const hostNetwork = (() => {
    const n = get(spec, 'hostNetwork');
    return isScalar(n) && !n.unknown && n.value === true;
  })();
  for (const [key, list] of lists) {
    const seqClosed = isSeq(list) && !list.unknown;
    seqItems(list).forEach((c, i) => {
      if (!isMap(c)) return;
      const cp = `${path}.${key}[${i}]`;
      const nameNode = get(c, 'name');
      const name = str(nameNode);
      if (unsetString(nameNode)) {
        if (!c.unknown && seqClosed) s.required('C9', anchorIn(c), `${cp}.name`);
      } else if (name !== undefined && nameNode !== undefined) {
        for (const msg of dns1123Label(name)) s.invalid('C9', 'api-invalid-name', nameNode.span, `${cp}.name`, goQuote(name), msg);
        if (allNames.has(name) && seqClosed) s.duplicate('C9', nameNode.span, `${cp}.name`, goQuote(name));
        allNames.add(name);
      }
      containerPortRules(s, c, cp);
      probePortRules(s, c, cp);
      if (hostNetwork) {
        seqItems(get(c, 'ports')).forEach((p, j) => {
          const hpNode = get(p, 'hostPort');
          const hp = int(hpNode);
          const cport = int(get(p, 'containerPort'));
          if (
            !spec.unknown &&
            isMap(p) &&
            !p.unknown &&
            !(isSeq(get(c, 'ports')) && get(c, 'ports')?.unknown === true) &&
            hp !== undefined &&
            hp !== 0 &&
            cport !== undefined &&
            hp !== cport &&
            hpNode !== undefined
          ) {
            s.invalid(
              'C8',
              'api-invalid-value',
              hpNode.span,
              `${cp}.ports[${j}].hostPort`,
              String(hp),
              'must match `containerPort` when `hostNetwork` is true',
            );
          }
        });
      }
    });
  }
  // C7: host ports are unique across the (regular) containers.
  const containers = get(spec, 'containers');
  if (isSeq(containers) && !containers.unknown) {
    const seen = new Set<string>();
    containers.items.forEach((c, ci) => {
      const ports = get(c, 'ports');
      if (!isSeq(ports) || ports.unknown) return;
      ports.items.forEach((p, pi) => {
        const hpNode = get(p, 'hostPort');
        const hp = int(hpNode);
        if (hp === undefined || hp === 0 || hpNode === undefined || !isMap(p) || p.unknown) return;
        const protoNode = get(p, 'protocol');
        const proto = absent(protoNode) ? 'TCP' : str(protoNode);
        const ipNode = get(p, 'hostIP');
        const hostIP = absent(ipNode) ? '' : str(ipNode);
        if (proto === undefined || hostIP === undefined) return;
        const key = `${proto}/${hostIP}/${hp}`;
        if (seen.has(key)) s.duplicate('C7', hpNode.span, `${path}.containers[${ci}].ports[${pi}].hostPort`, goQuote(key));
        seen.add(key);
      });
    });
  }
  if (workload) {
    const rpNode = get(spec, 'restartPolicy');
    const rp = str(rpNode);
    if (rp !== undefined && rpNode !== undefined && rp !== 'Always') s.unsupported('WL5', rpNode, `${path}.restartPolicy`, rp, ['Always']);
  }
}

function templateRules(s: ApiSink, template: YNode | undefined, path: string, workload: boolean): void {
  if (!isMap(template)) return;
  const meta = get(template, 'metadata');
  labelMapRules(s, get(meta, 'labels'), `${path}.metadata.labels`, 'M6', 'M7');
  annotationRules(s, get(meta, 'annotations'), `${path}.metadata.annotations`);
  podSpecRules(s, get(template, 'spec'), `${path}.spec`, workload);
}

function goMap(entries: ReadonlyArray<[string, string]>): string {
  return `map[string]string{${entries.map(([k, v]) => `${goQuote(k)}:${goQuote(v)}`).join(', ')}}`;
}

function jsonMap(entries: ReadonlyArray<[string, string]>): string {
  return `{${entries.map(([k, v]) => `${goQuote(k)}:${goQuote(v)}`).join(',')}}`;
}

/** Literal label entries of a closed map, or undefined. */
function literalLabels(n: YNode | undefined): Array<[string, string]> | undefined {
  if (!closed(n)) return undefined;
  const out: Array<[string, string]> = [];
  for (const p of n.pairs) {
    const v = absent(p.value) ? '' : str(p.value);
    if (p.keyUnknown || v === undefined) return undefined;
    out.push([p.key, v]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function workloadRules(s: ApiSink, root: YMap, kind: string, kindSpan: Span): void {
  const specPair = pair(root, 'spec');
  const specNode = specPair?.value;
  if (specNode !== undefined && !isMap(specNode) && !absent(specNode)) return;
  const spec = isMap(specNode) ? specNode : undefined;
  const specClosed = spec !== undefined ? !spec.unknown : !root.unknown;
  const selPair = pair(spec, 'selector');
  const sel = selPair?.value;
  if (absent(sel)) {
    if (specClosed) s.required('WL1', selPair?.keySpan ?? specPair?.keySpan ?? kindSpan, 'spec.selector');
  } else if (isMap(sel) && selPair !== undefined) {
    const clean = selectorRules(s, sel, 'spec.selector');
    const ml = get(sel, 'matchLabels');
    const me = get(sel, 'matchExpressions');
    const nLabels = isMap(ml) ? ml.pairs.length : 0;
    const nExprs = seqItems(me).length;
    const certain = !sel.unknown && (absent(ml) || closed(ml)) && (absent(me) || (isSeq(me) && !me.unknown));
    if (nLabels + nExprs === 0 && certain) {
      const goLabels = isMap(ml) ? 'map[string]string{}' : 'map[string]string(nil)';
      const goExprs = isSeq(me) ? '[]v1.LabelSelectorRequirement{}' : '[]v1.LabelSelectorRequirement(nil)';
      const go = `&v1.LabelSelector{MatchLabels:${goLabels}, MatchExpressions:${goExprs}}`;
      s.invalid(
        'WL2',
        'api-invalid-selector',
        selPair.keySpan,
        'spec.selector',
        structured('{}', go),
        `empty selector is invalid for ${kind === 'ReplicaSet' ? 'deployment' : kind.toLowerCase()}`,
      );
    } else if (clean) {
      // WL3: the template's labels must match the selector.
      const tmplPair = pair(spec, 'template');
      const tmeta = get(tmplPair?.value, 'metadata');
      const lp = pair(tmeta, 'labels');
      const labels = absent(lp?.value)
        ? closed(tmeta) || (absent(tmeta) && closed(tmplPair?.value))
          ? []
          : undefined
        : literalLabels(lp?.value);
      const matchLabels = literalLabels(ml) ?? [];
      if (labels !== undefined && tmplPair !== undefined) {
        const have = new Map(labels);
        let matches = matchLabels.every(([k, v]) => have.get(k) === v);
        for (const e of seqItems(me)) {
          const key = str(get(e, 'key')) ?? '';
          const op = str(get(e, 'operator'));
          const values = seqItems(get(e, 'values')).map((v) => str(v) ?? '');
          const v = have.get(key);
          if (op === 'In' && (v === undefined || !values.includes(v))) matches = false;
          if (op === 'NotIn' && v !== undefined && values.includes(v)) matches = false;
          if (op === 'Exists' && v === undefined) matches = false;
          if (op === 'DoesNotExist' && v !== undefined) matches = false;
        }
        if (!matches) {
          const value = absent(lp?.value) ? structured('null', 'map[string]string(nil)') : structured(jsonMap(labels), goMap(labels));
          s.invalid(
            'WL3',
            'api-invalid-selector',
            lp?.keySpan ?? pair(tmeta, 'labels')?.keySpan ?? tmplPair.keySpan,
            'spec.template.metadata.labels',
            value,
            '`selector` does not match template `labels`',
          );
        }
      }
    }
  }
  templateRules(s, get(spec, 'template'), 'spec.template', true);
}

function namespaceRules(s: ApiSink, root: YMap): void {
  seqItems(get(get(root, 'spec'), 'finalizers')).forEach((n, i) => {
    const v = str(n);
    if (v === undefined) return;
    const path = `spec.finalizers[${i}]`;
    const count = qualifiedName(v, 35).length;
    for (let k = 0; k < count; k++) s.invalid('NS2', 'api-invalid-name', n.span, path, goQuote(v), (m) => qualifiedName(v, m)[k] ?? '');
    if (!v.includes('/') && !['kubernetes', 'orphan', 'foregroundDeletion'].includes(v)) {
      s.invalid('NS2', 'api-invalid-name', n.span, path, goQuote(v), 'name is neither a standard finalizer name nor is it fully qualified');
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** (apiVersion, kind) pairs whose schema §A.3–A.10 describes. */
const VALIDATED: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['v1', new Set(['Service', 'Pod', 'Namespace', 'ReplicationController', 'Secret', 'ConfigMap'])],
  ['apps/v1', new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'])],
  ['batch/v1', new Set(['Job', 'CronJob'])],
  ['networking.k8s.io/v1', new Set(['Ingress', 'IngressClass', 'NetworkPolicy'])],
]);

function validateObject(
  root: YMap,
  out: ApiFinding[],
  text: string,
  docText: { start: number },
  renderedHelm: boolean,
  inherited?: { apiVersion: string; kind: string },
): void {
  const avNode = get(root, 'apiVersion');
  const kindNode = get(root, 'kind');
  const apiVersion = str(avNode) ?? (avNode === undefined ? inherited?.apiVersion : undefined);
  const kind = str(kindNode) ?? (kindNode === undefined ? inherited?.kind : undefined);
  if (apiVersion === undefined || kind === undefined) return;
  const { group } = splitApiVersion(apiVersion);
  if (isToolConfig(apiVersion, group, kind)) return;
  const items = get(root, 'items');
  if (kind.endsWith('List') && isSeq(items)) {
    const itemKind = kind === 'List' ? undefined : { apiVersion, kind: kind.slice(0, -4) };
    for (const it of items.items) if (isMap(it)) validateObject(it, out, text, docText, renderedHelm, itemKind);
    return;
  }
  const s = new ApiSink(out, root.span.start, new EditWriter('', text));
  const kindSpan = kindNode?.span ?? { start: root.span.start, end: root.span.start };
  deprecationFinding(s, root, apiVersion, kind, text, docText.start, renderedHelm);
  if (group === GATEWAY_GROUP) {
    // The Gateway API CRDs' schemas and CEL rules (model/gatewayValidation.ts, docs/dev/api-rules.md §A.10a).
    metaRules(s, root, kind, kindSpan);
    gatewayApiRules(s, root, kind);
    return;
  }
  if (VALIDATED.get(apiVersion)?.has(kind) !== true) return;
  metaRules(s, root, kind, kindSpan);
  switch (kind) {
    case 'Service':
      serviceRules(s, root, kindSpan);
      break;
    case 'Ingress':
      ingressRules(s, root, kindSpan, text);
      break;
    case 'IngressClass':
      ingressClassRules(s, root, kindSpan);
      break;
    case 'NetworkPolicy':
      networkPolicyRules(s, root);
      break;
    case 'Namespace':
      namespaceRules(s, root);
      break;
    case 'Pod':
      podSpecRules(s, get(root, 'spec'), 'spec', false);
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      workloadRules(s, root, kind, kindSpan);
      break;
    case 'Job':
    case 'ReplicationController':
      templateRules(s, get(get(root, 'spec'), 'template'), 'spec.template', false);
      break;
    case 'CronJob':
      templateRules(s, get(get(get(get(root, 'spec'), 'jobTemplate'), 'spec'), 'template'), 'spec.jobTemplate.spec.template', false);
      break;
    default:
      break;
  }
}

function hasPatchDirective(root: YMap): boolean {
  if (root.pairs.some((p) => p.key === '$patch')) return true;
  const meta = get(root, 'metadata');
  return isMap(meta) && meta.pairs.some((p) => p.key === '$patch');
}

/** Rendered Helm output: a `# Source:` comment in the lines just above the document's content. */
function sourceComment(text: string, contentStart: number): boolean {
  const lines = text.slice(Math.max(0, contentStart - 4000), contentStart).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = (lines[i] ?? '').trim();
    if (l === '' || l === '---') continue;
    if (!l.startsWith('#')) return false;
    if (/^#\s*Source:/.test(l)) return true;
  }
  return false;
}

/** API findings of one document (none for documents with syntax errors, or patches). Never throws. */
export function validateDocument(doc: ParsedDocument, text: string, renderedHelm: boolean): ApiFinding[] {
  const out: ApiFinding[] = [];
  if (doc.errors.length > 0 || !isMap(doc.root) || hasPatchDirective(doc.root)) return out;
  try {
    validateObject(doc.root, out, text, { start: doc.span.start }, renderedHelm || sourceComment(text, doc.root.span.start));
  } catch {
    // Invariant: validation never throws; a document that trips it keeps no findings.
    return [];
  }
  return out;
}
