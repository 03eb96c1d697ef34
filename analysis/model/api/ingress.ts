/** Ingress (docs/dev/api-rules.md §A.6) and IngressClass. */

import type { Span } from '../../types.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import { get, isMap, isSeq, pair } from '../../syntax/tree.js';
import { lineBreakOf } from '../../edits/writer.js';
import {
  byteLength,
  dns1123Subdomain,
  domainPrefixedPath,
  goQuote,
  parseIpSloppy,
  pathSegmentName,
  wildcardSubdomain,
} from '../apiFormats.js';
import { serviceNameRule } from './meta.js';
import { absent, anchorIn, int, isUnknownSeq, keySpan, mapValue, seqItems, str, unsetString } from './nodes.js';
import { ApiSink, structured } from './sink.js';
import type { ApiEdit } from './sink.js';

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
    } else if (hasName && pnNode !== undefined) s.portName('IN16', pnNode.span, `${path}.service.port.name`, pn);
    else if (hasNum && numNode !== undefined) s.port('IN17', numNode.span, `${path}.service.port.number`, num);
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

export function ingressRules(s: ApiSink, root: YMap, kindSpan: Span, text: string): void {
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

export function ingressClassRules(s: ApiSink, root: YMap, kindSpan: Span): void {
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
