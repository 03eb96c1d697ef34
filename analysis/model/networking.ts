/**
 * Lowering of the networking kinds: Service, Ingress, NetworkPolicy.
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { get, isMap, isScalar, isSeq, pair } from '../syntax/tree.js';
import type {
  IngressBackend,
  IngressPath,
  IngressRule,
  IngressSpec,
  IpBlock,
  NetworkPolicySpec,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  ServicePort,
  ServiceSpec,
} from './types.js';
import { readOwner } from './podTemplate.js';
import { exact, intOrString, labelMap, numberValue, plainString, selector, stringList, stringValue } from './values.js';

export function lowerService(root: YMap): ServiceSpec {
  const spec = get(root, 'spec');
  const typeNode = get(spec, 'type');
  const selPair = pair(spec, 'selector');
  const portsNode = get(spec, 'ports');
  const ports: ServicePort[] = [];
  let portsUnknown = portsNode !== undefined && portsNode.unknown;
  if (isSeq(portsNode)) {
    for (const p of portsNode.items) {
      if (!isMap(p) || p.unknown) portsUnknown = true;
      const protoNode = get(p, 'protocol');
      const port = numberValue(get(p, 'port'));
      // The API server defaults a targetPort of 0 or "" to the port (SetDefaults_Service): Go clients write an unset one as 0.
      const written = intOrString(get(p, 'targetPort'));
      const targetPort = written?.known === true && (written.value === 0 || written.value === '') ? undefined : written;
      const name = stringValue(get(p, 'name'));
      if (
        (port !== undefined && !port.known) ||
        (targetPort !== undefined && !targetPort.known) ||
        (protoNode !== undefined && protoNode.unknown)
      ) {
        portsUnknown = true;
      }
      const nodePort = numberValue(get(p, 'nodePort'));
      ports.push({
        span: p.span,
        name,
        port,
        targetPort,
        protocol: plainString(protoNode) ?? 'TCP',
        protocolSpan: protoNode?.span,
        nodePort: nodePort?.known === true ? nodePort.value : undefined,
      });
    }
  } else if (portsNode !== undefined && !isScalar(portsNode)) {
    portsUnknown = true;
  }
  const clusterIP = plainString(get(spec, 'clusterIP'));
  const ownedBy = readOwner(get(root, 'metadata'), true);
  return {
    type: plainString(typeNode) ?? 'ClusterIP',
    typeSpan: typeNode?.span,
    selector:
      selPair === undefined
        ? undefined
        : (labelMap(selPair.value) ?? { span: { start: selPair.keySpan.end, end: selPair.keySpan.end }, entries: [], unknown: false }),
    selectorKeySpan: selPair?.keySpan,
    ports: exact(ports),
    portsUnknown,
    portsSpan: portsNode?.span,
    clusterIP,
    headless: clusterIP === 'None',
    clusterIPs: stringList(get(spec, 'clusterIPs')),
    externalIPs: stringList(get(spec, 'externalIPs')),
    loadBalancerIP: plainString(get(spec, 'loadBalancerIP')),
    externalName: plainString(get(spec, 'externalName')),
    externalTrafficPolicy: plainString(get(spec, 'externalTrafficPolicy')),
    loadBalancerSourceRanges: stringList(get(spec, 'loadBalancerSourceRanges')),
    ...(ownedBy !== undefined ? { ownedBy } : {}),
  };
}

function lowerBackend(n: YNode | undefined): IngressBackend | undefined {
  if (n === undefined || !isMap(n)) return undefined;
  const svc = get(n, 'service');
  if (svc !== undefined) {
    const port = get(svc, 'port');
    return {
      span: n.span,
      serviceName: stringValue(get(svc, 'name')),
      portNumber: numberValue(get(port, 'number')),
      portName: stringValue(get(port, 'name')),
      portSpan: port?.span,
      resource: false,
      legacy: false,
    };
  }
  if (get(n, 'serviceName') !== undefined || get(n, 'servicePort') !== undefined) {
    const sp = intOrString(get(n, 'servicePort'));
    return {
      span: n.span,
      serviceName: stringValue(get(n, 'serviceName')),
      portNumber:
        sp === undefined
          ? undefined
          : sp.known
            ? typeof sp.value === 'number'
              ? { known: true, value: sp.value, span: sp.span }
              : undefined
            : { known: false, span: sp.span },
      portName: sp?.known === true && typeof sp.value === 'string' ? { known: true, value: sp.value, span: sp.span } : undefined,
      portSpan: sp?.span,
      resource: false,
      legacy: true,
    };
  }
  const res = get(n, 'resource');
  const apiGroup = get(res, 'apiGroup') === undefined ? '' : plainString(get(res, 'apiGroup'));
  const kind = plainString(get(res, 'kind'));
  const name = plainString(get(res, 'name'));
  return {
    span: n.span,
    serviceName: undefined,
    portNumber: undefined,
    portName: undefined,
    portSpan: undefined,
    resource: res !== undefined,
    ...(apiGroup !== undefined && kind !== undefined && name !== undefined ? { resourceRef: { apiGroup, kind, name } } : {}),
    legacy: false,
  };
}

export function lowerIngress(root: YMap, annotations: ReadonlyMap<string, string>): IngressSpec {
  const spec = get(root, 'spec');
  const rules: IngressRule[] = [];
  const rulesNode = get(spec, 'rules');
  if (isSeq(rulesNode)) {
    for (const r of rulesNode.items) {
      const paths: IngressPath[] = [];
      const pathsNode = get(get(r, 'http'), 'paths');
      if (isSeq(pathsNode)) {
        for (const p of pathsNode.items) {
          paths.push({
            path: stringValue(get(p, 'path')),
            pathType: plainString(get(p, 'pathType')),
            backend: lowerBackend(get(p, 'backend')),
            span: p.span,
          });
        }
      }
      rules.push({ host: stringValue(get(r, 'host')), paths: exact(paths), span: r.span });
    }
  }
  const tls: Array<IngressSpec['tls'][number]> = [];
  const tlsNode = get(spec, 'tls');
  if (isSeq(tlsNode)) {
    for (const t of tlsNode.items)
      tls.push({ hosts: stringList(get(t, 'hosts')), secretName: stringValue(get(t, 'secretName')), span: t.span });
  }
  return {
    className: stringValue(get(spec, 'ingressClassName')),
    classAnnotation: annotations.get('kubernetes.io/ingress.class'),
    defaultBackend: lowerBackend(get(spec, 'defaultBackend') ?? get(spec, 'backend')),
    rules: exact(rules),
    tls: exact(tls),
  };
}

function lowerIpBlock(n: YNode | undefined): IpBlock | undefined {
  if (n === undefined) return undefined;
  const cidr = stringValue(get(n, 'cidr')) ?? { known: false as const, span: n.span };
  const exceptNode = get(n, 'except');
  const except = isSeq(exceptNode) ? exceptNode.items.map((e) => stringValue(e) ?? { known: false as const, span: e.span }) : [];
  return { cidr, except, span: n.span };
}

function lowerPeers(n: YNode | undefined): { peers: PolicyPeer[] | undefined; unknown: boolean } {
  if (n === undefined || (isScalar(n) && !n.unknown && n.value === null)) return { peers: undefined, unknown: false };
  if (!isSeq(n)) return { peers: [], unknown: true };
  if (n.items.length === 0 && !n.unknown) return { peers: undefined, unknown: false };
  const peers: PolicyPeer[] = [];
  for (const it of n.items) {
    const ps = get(it, 'podSelector');
    const ns = get(it, 'namespaceSelector');
    peers.push({
      span: it.span,
      // Peer selectors are pointers in the API: null means absent.
      podSelector: selector(ps),
      namespaceSelector: selector(ns),
      ipBlock: lowerIpBlock(get(it, 'ipBlock')),
      unknown: !isMap(it) || it.unknown,
    });
  }
  return { peers: exact(peers), unknown: n.unknown };
}

function lowerPorts(n: YNode | undefined): { ports: PolicyPort[] | undefined; unknown: boolean } {
  if (n === undefined || (isScalar(n) && !n.unknown && n.value === null)) return { ports: undefined, unknown: false };
  if (!isSeq(n)) return { ports: [], unknown: true };
  if (n.items.length === 0 && !n.unknown) return { ports: undefined, unknown: false };
  const ports: PolicyPort[] = [];
  let unknown = n.unknown;
  for (const it of n.items) {
    const port = intOrString(get(it, 'port'));
    const endPort = numberValue(get(it, 'endPort'));
    const protoNode = get(it, 'protocol');
    if (!isMap(it) || it.unknown || (port !== undefined && !port.known) || (protoNode !== undefined && protoNode.unknown)) unknown = true;
    ports.push({ span: it.span, protocol: plainString(protoNode) ?? 'TCP', protocolExplicit: protoNode !== undefined, port, endPort });
  }
  return { ports: exact(ports), unknown };
}

function lowerRules(n: YNode | undefined, direction: 'ingress' | 'egress'): PolicyRule[] | undefined {
  if (n === undefined || (isScalar(n) && !n.unknown && n.value === null)) return undefined;
  if (!isSeq(n)) return [{ span: n.span, path: `spec.${direction}`, peers: [], ports: [], unknown: true }];
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  return n.items.map((it, i) => {
    const peers = lowerPeers(get(it, peerKey));
    const ports = lowerPorts(get(it, 'ports'));
    return {
      span: it.span,
      path: `spec.${direction}[${i}]`,
      peers: peers.peers,
      ports: ports.ports,
      unknown: !isMap(it) || it.unknown || peers.unknown || ports.unknown,
    };
  });
}

export function lowerNetworkPolicy(root: YMap): NetworkPolicySpec {
  const spec = get(root, 'spec');
  const psNode = get(spec, 'podSelector');
  const ingressPair = pair(spec, 'ingress');
  const egressPair = pair(spec, 'egress');
  const ptNode = get(spec, 'policyTypes');
  const explicitTypes = stringList(ptNode).filter((t): t is 'Ingress' | 'Egress' => t === 'Ingress' || t === 'Egress');
  const egress = lowerRules(egressPair?.value, 'egress');
  let policyTypes: Array<'Ingress' | 'Egress'>;
  if (explicitTypes.length > 0) policyTypes = exact(explicitTypes);
  else policyTypes = egress !== undefined && egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  return {
    podSelector:
      selector(psNode) ??
      (psNode !== undefined ? { span: psNode.span, matchLabels: undefined, matchExpressions: [], unknown: false } : undefined),
    podSelectorSpan: psNode?.span,
    policyTypes,
    policyTypesExplicit: explicitTypes.length > 0,
    policyTypesSpan: ptNode?.span,
    ingress: lowerRules(ingressPair?.value, 'ingress'),
    egress,
    ingressKeySpan: ingressPair?.keySpan,
    egressKeySpan: egressPair?.keySpan,
    unknown: !isMap(spec) || spec.unknown || (ptNode !== undefined && ptNode.unknown),
  };
}
