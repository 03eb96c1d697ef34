/** Service (docs/dev/api-rules.md §A.5). */

import type { Span } from '../../types.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import { get, isMap, isSeq, pair } from '../../syntax/tree.js';
import {
  CIDR_INVALID,
  dns1123Label,
  dns1123Subdomain,
  goQuote,
  IP_INVALID,
  parseCidrSloppy,
  parseIpSloppy,
  qualifiedName,
  specialIpError,
} from '../apiFormats.js';
import { labelMapRules } from './meta.js';
import { PortList } from './portList.js';
import { absent, anchorIn, int, keySpan, mapValue, seqItems, str, unsetString } from './nodes.js';
import { ApiSink, strictCidr, strictIp, structured } from './sink.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

export function goStringSlice(type: string, values: readonly string[]): string {
  return `[]${type}{${values.map((v) => goQuote(v)).join(', ')}}`;
}

export function jsonList(values: readonly string[]): string {
  return `[${values.map((v) => goQuote(v)).join(',')}]`;
}

export function serviceRules(s: ApiSink, root: YMap, kindSpan: Span): void {
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
  const list = new PortList(s, portsNode, { nameFormat: dns1123Label, invalidName: 'SV3', duplicateName: 'SV4', protocol: 'SV6' });
  const keys = new Set<string>();
  const nodePorts = new Set<string>();
  list.forEach((item, i) => {
    const pp = `spec.ports[${i}]`;
    const seqClosed = list.closed;
    const nameNode = get(item, 'name');
    if (unsetString(nameNode)) {
      if ((portCount ?? 0) > 1 && seqClosed && !item.unknown) s.required('SV2', anchorIn(item), `${pp}.name`);
    } else list.name(nameNode, `${pp}.name`);
    const portNode = get(item, 'port');
    const port = absent(portNode) ? (!seqClosed || item.unknown ? undefined : 0) : int(portNode);
    if (port !== undefined) s.port('SV5', portNode?.span ?? anchorIn(item), `${pp}.port`, port);
    // An unset protocol is TCP (once the list is literal); an unsupported one is reported and unknown.
    const proto = absent(get(item, 'protocol')) ? (!seqClosed || item.unknown ? undefined : 'TCP') : list.protocol(item, `${pp}.protocol`);
    // 0 and "" leave targetPort unset (it defaults to port).
    s.portOrName('SV7', get(item, 'targetPort'), `${pp}.targetPort`, true);
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
      s.port('SV29', hcNode.span, 'spec.healthCheckNodePort', hc);
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
    // An unknown value is an error; PreferSameNode and PreferSameZone need an alpha gate before 1.34: a warning.
    const known = newer.includes(td);
    if (td !== 'PreferClose') {
      s.add(
        'SV31',
        'api-unsupported-value',
        tdNode.span,
        (m) =>
          `spec.trafficDistribution: Unsupported value: ${goQuote(td)}: supported values: ${supported(m)
            .map((v) => `"${v}"`)
            .join(', ')}`,
        (m) => (m < 31 ? undefined : !known ? 'error' : m < 34 ? 'warning' : undefined),
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
