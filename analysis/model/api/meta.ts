/** Label maps, selectors (docs/dev/api-rules.md §A.3 M6–M8, §A.4 S1–S6) and ObjectMeta (§A.3). */

import type { Span } from '../../types.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import { get, isMap, isScalar, isSeq, pair } from '../../syntax/tree.js';
import { byteLength, dns1035Label, dns1123Label, dns1123Subdomain, goQuote, labelValue, qualifiedName } from '../apiFormats.js';
import { absent, anchorIn, closed, isUnknownSeq, keySpan, seqItems, str, unsetString } from './nodes.js';
import { ApiSink } from './sink.js';
import type { ApiFinding, ApiFix } from './sink.js';
import { EditWriter } from '../../edits/writer.js';

/** The Go struct that holds a map[string]string field at `path` (for the decoder's message). */
function goStruct(path: string): string {
  if (path.endsWith('matchLabels')) return 'LabelSelector';
  if (path.endsWith('metadata.labels') || path.endsWith('metadata.annotations')) return 'ObjectMeta';
  return path === 'spec.selector' ? 'ServiceSpec' : 'PodSpec';
}

/**
 * §A.13: a value of a map of strings that is a boolean or a number as kubectl reads the YAML
 * (`yes`, `on`, `true` unquoted; `1.0`, `0755`) fails decoding before any validation, and the
 * object is rejected. Returns whether it reported.
 */
function notAString(s: ApiSink, node: YNode | undefined, path: string, code: string): boolean {
  if (!isScalar(node) || node.unknown) return false;
  const what = typeof node.value === 'boolean' ? 'bool' : typeof node.value === 'number' ? 'number' : undefined;
  if (what === undefined) return false;
  // Go's decoder names the field by its JSON path without list indices.
  const field = path.replace(/\[\d+\]/g, '');
  s.add('A13', code, node.span, `json: cannot unmarshal ${what} into Go struct field ${goStruct(path)}.${field} of type string`, 'error', [
    { title: 'Quote it (the value must be a string)', edits: [s.stringEdit(node.span)], isPreferred: true },
  ]);
  return true;
}

export function labelMapRules(s: ApiSink, node: YNode | undefined, path: string, keyRule: string, valueRule: string): void {
  if (!isMap(node)) return;
  for (const p of node.pairs) {
    if (p.keyUnknown) continue;
    const key = p.key;
    const count = qualifiedName(key, 35).length;
    for (let i = 0; i < count; i++)
      s.invalid(keyRule, 'api-invalid-label-key', p.keySpan, path, goQuote(key), (m) => qualifiedName(key, m)[i] ?? '');
    if (notAString(s, p.value, path, 'api-invalid-label-value')) continue;
    const v = str(p.value);
    if (v === undefined || p.value === undefined) continue;
    const vcount = labelValue(v, 35).length;
    const span = p.value.span;
    for (let i = 0; i < vcount; i++)
      s.invalid(valueRule, 'api-invalid-label-value', span, path, goQuote(v), (m) => labelValue(v, m)[i] ?? '');
  }
}

export function annotationRules(s: ApiSink, node: YNode | undefined, path: string): void {
  if (!isMap(node)) return;
  let total = 0;
  for (const p of node.pairs) {
    if (p.keyUnknown) continue;
    const key = p.key;
    const lower = key.toLowerCase();
    const count = qualifiedName(lower, 35).length;
    for (let i = 0; i < count; i++)
      s.invalid('M8', 'api-invalid-label-key', p.keySpan, path, goQuote(key), (m) => qualifiedName(lower, m)[i] ?? '');
    notAString(s, p.value, path, 'api-invalid-annotation');
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
export function selectorRules(s: ApiSink, node: YNode | undefined, path: string): boolean {
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

export function serviceNameRule(s: ApiSink, rule: string, code: string, span: Span, path: string, value: string, printed: string): void {
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
  nameValueRules(s, kind, raw, node.span, path, prefix);
}

function nameValueRules(s: ApiSink, kind: string, raw: string, span: Span, path: string, prefix: boolean): void {
  // generateName: a trailing '-' is tolerated, a suffix follows it.
  const value = prefix && raw.endsWith('-') ? raw.slice(0, -1) + 'a' : raw;
  if (kind === 'Service') {
    serviceNameRule(s, 'M2', 'api-invalid-name', span, path, value, raw);
    return;
  }
  if (kind === 'Namespace') {
    for (const msg of dns1123Label(value)) s.invalid('M3', 'api-invalid-name', span, path, goQuote(raw), msg);
    return;
  }
  const sub = dns1123Subdomain(value);
  for (const msg of sub) s.invalid('M4', 'api-invalid-name', span, path, goQuote(raw), msg);
  if (kind === 'StatefulSet' && sub.length === 0) {
    // Some apps validation copies use a DNS-1123 label for StatefulSets (research M4 "verify").
    for (const msg of dns1123Label(value)) s.invalid('M4', 'api-invalid-name', span, path, goQuote(raw), msg, 'warning');
  }
}

/**
 * The name rules (M2–M4) on the name a Kustomize build gave an object (`namePrefix`/`nameSuffix`,
 * the namespace transformer naming a Namespace): what the API server says of the built object.
 * `span` is where the built name comes from (the kustomization's field; its `uri` set).
 */
export function builtNameFindings(kind: string, name: string, span: Span): ApiFinding[] {
  const out: ApiFinding[] = [];
  if (name !== '') nameValueRules(new ApiSink(out, span.start, new EditWriter('', undefined)), kind, name, span, 'metadata.name', false);
  return out;
}

export function metaRules(s: ApiSink, root: YMap, kind: string, kindSpan: Span): void {
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
