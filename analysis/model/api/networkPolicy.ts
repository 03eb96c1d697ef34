/** NetworkPolicy (docs/dev/api-rules.md §A.7). */

import type { YMap, YNode } from '../../syntax/tree.js';
import { get, isMap, isSeq, pair } from '../../syntax/tree.js';
import { CIDR_INVALID, goQuote, parseCidrSloppy, strictSubset } from '../apiFormats.js';
import type { ParsedCidr } from '../apiFormats.js';
import { selectorRules } from './meta.js';
import { absent, int, isUnknownSeq, keySpan, seqItems, str, unsetString } from './nodes.js';
import { goStringSlice, jsonList } from './service.js';
import { ApiSink, strictCidr, structured } from './sink.js';

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
    s.port('NP3', portNode.span, `${pp}.port`, portInt);
    if (end !== undefined && endNode !== undefined) {
      if (end < portInt)
        s.invalid('NP7', 'api-invalid-port-range', endNode.span, `${pp}.endPort`, String(end), 'must be greater than or equal to `port`');
      s.port('NP8', endNode.span, `${pp}.endPort`, end);
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
    s.portName('NP4', portNode.span, `${pp}.port`, portStr);
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

export function networkPolicyRules(s: ApiSink, root: YMap): void {
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
