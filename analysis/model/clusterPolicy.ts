/**
 * Lowering of the cluster-scoped network policies of the Network Policy API
 * (docs/dev/cluster-policies.md): AdminNetworkPolicy and BaselineAdminNetworkPolicy
 * (`policy.networking.k8s.io/v1alpha1`) and ClusterNetworkPolicy (`policy.networking.k8s.io/v1alpha2`,
 * tiers Admin and Baseline). The three share one lowered shape: a tier, a priority, a subject and
 * ordered rules with an action, peers and ports. Shapes the CRD schema rejects are kept (with
 * `shape`) so the checks can report them and the engine can treat them as the API says an
 * implementation must ("fail closed").
 */

import type { Span } from '../types.js';
import type { YMap, YNode } from '../syntax/tree.js';
import { get, isMap, isScalar, isSeq, pair } from '../syntax/tree.js';
import type { Selector, Value } from './types.js';
import { numberValue, plainString, selector, stringValue } from './values.js';

export const CLUSTER_POLICY_GROUP = 'policy.networking.k8s.io';
export type ClusterPolicyKind = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';
export const CLUSTER_POLICY_KINDS: readonly ClusterPolicyKind[] = [
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
];

/** A cluster policy's action, normalised: ANP/BANP `Allow` and CNP `Accept` are `allow`. */
export type ClusterAction = 'allow' | 'deny' | 'pass';

/** `pods: {namespaceSelector, podSelector}`: an absent namespaceSelector selects every namespace. */
export interface NamespacedPods {
  readonly namespaceSelector: Selector | undefined;
  readonly podSelector: Selector | undefined;
  readonly span: Span;
}

/** A subject or a peer: which of its one-of fields are set. */
export interface ClusterSelection {
  readonly span: Span;
  /** The one-of fields written (`namespaces`, `pods`, `nodes`, `networks`, `domainNames`, or any other key). */
  readonly fields: readonly string[];
  readonly namespaces: Selector | undefined;
  readonly pods: NamespacedPods | undefined;
  readonly nodes: Selector | undefined;
  /** `networks`: CIDRs. */
  readonly networks: ReadonlyArray<Value<string>> | undefined;
  readonly unknown: boolean;
  /**
   * Keys the API's types do not have inside the selection's label selectors (a LabelSelector has
   * `matchLabels` and `matchExpressions`) and `pods` (`namespaceSelector`, `podSelector`), by their
   * path below the selection (`namespaces.namespaceSelector`: the shape of the API before 2023).
   * kubectl's strict field validation rejects the object; without validation they are dropped.
   */
  readonly strayFields: ReadonlyArray<{ readonly path: string; readonly span: Span }>;
}

export interface ClusterPort {
  readonly span: Span;
  /** `number` (a port), `range` (start–end), `named` (a container port name), `all` (a protocol with no port), `invalid`. */
  readonly kind: 'number' | 'range' | 'named' | 'all' | 'invalid';
  /** TCP, UDP or SCTP (ANP defaults to TCP); undefined for a named port (its container port's protocol). */
  readonly protocol: string | undefined;
  readonly port: Value<number> | undefined;
  readonly end: Value<number> | undefined;
  readonly name: Value<string> | undefined;
  readonly unknown: boolean;
}

export interface ClusterRule {
  readonly span: Span;
  /** `spec.ingress[0]`. */
  readonly path: string;
  readonly direction: 'ingress' | 'egress';
  readonly name: string | undefined;
  /** The action as written (`Allow`, `Accept`, …). */
  readonly actionText: Value<string> | undefined;
  /** The normalised action, undefined when missing, templated or not one the kind accepts. */
  readonly action: ClusterAction | undefined;
  /** `from`/`to` (the API requires at least one peer). */
  readonly peers: readonly ClusterSelection[];
  readonly peersSpan: Span | undefined;
  /** undefined: no `ports`/`protocols`, every port. */
  readonly ports: readonly ClusterPort[] | undefined;
  readonly portsSpan: Span | undefined;
  readonly unknown: boolean;
}

export interface ClusterPolicySpec {
  readonly kind: ClusterPolicyKind;
  /** Admin (ANP, CNP tier Admin) or Baseline (BANP, CNP tier Baseline); undefined when a CNP's tier is missing or invalid. */
  readonly tier: 'Admin' | 'Baseline' | undefined;
  readonly tierText: Value<string> | undefined;
  /** BANP has none. */
  readonly priority: Value<number> | undefined;
  readonly priorityNode: Span | undefined;
  readonly subject: ClusterSelection | undefined;
  readonly ingress: readonly ClusterRule[];
  readonly egress: readonly ClusterRule[];
  readonly ingressSpan: Span | undefined;
  readonly egressSpan: Span | undefined;
  readonly unknown: boolean;
}

export function isClusterPolicyKind(group: string, kind: string): kind is ClusterPolicyKind {
  return group === CLUSTER_POLICY_GROUP && (CLUSTER_POLICY_KINDS as readonly string[]).includes(kind);
}

/** Whether a subject or peer has a key the API's types do not have (`ClusterSelection.strayFields`): kubectl rejects the object. */
export function hasStrayFields(spec: ClusterPolicySpec): boolean {
  const stray = (s: ClusterSelection | undefined): boolean => s !== undefined && s.strayFields.length > 0;
  return stray(spec.subject) || [...spec.ingress, ...spec.egress].some((r) => r.peers.some(stray));
}

/** A field written with no value (`from:`, `subject:`) is absent: the API server drops a null. */
function present(n: YNode | undefined): YNode | undefined {
  return n !== undefined && isScalar(n) && n.value === null && !n.unknown ? undefined : n;
}

function lowerSelection(n: YNode): ClusterSelection {
  const fields: string[] = [];
  if (isMap(n)) for (const p of n.pairs) fields.push(p.key);
  const podsNode = get(n, 'pods');
  const pods: NamespacedPods | undefined =
    podsNode === undefined || (isScalar(podsNode) && podsNode.value === null && !podsNode.unknown)
      ? undefined
      : {
          namespaceSelector: selector(get(podsNode, 'namespaceSelector')),
          podSelector: selector(get(podsNode, 'podSelector')),
          span: podsNode.span,
        };
  const netNode = get(n, 'networks');
  const networks = isSeq(netNode)
    ? netNode.items.map((it) => stringValue(it) ?? { known: false as const, span: it.span })
    : netNode === undefined
      ? undefined
      : [{ known: false as const, span: netNode.span }];
  const unknown =
    !isMap(n) ||
    n.unknown ||
    (podsNode !== undefined && (!isMap(podsNode) || podsNode.unknown)) ||
    (netNode !== undefined && (!isSeq(netNode) || netNode.unknown));
  const strayFields: Array<{ path: string; span: Span }> = [];
  const stray = (node: YNode | undefined, path: string, known: readonly string[]): void => {
    if (node === undefined || !isMap(node) || node.unknown) return;
    for (const p of node.pairs)
      if (!known.includes(p.key) && !/\{\{|\$\{|\$\(/.test(p.key)) strayFields.push({ path: `${path}.${p.key}`, span: p.keySpan });
  };
  const LABEL_SELECTOR = ['matchLabels', 'matchExpressions'];
  for (const f of ['namespaces', 'nodes']) stray(get(n, f), f, LABEL_SELECTOR);
  stray(podsNode, 'pods', ['namespaceSelector', 'podSelector']);
  for (const f of ['namespaceSelector', 'podSelector']) stray(get(podsNode, f), `pods.${f}`, LABEL_SELECTOR);
  return {
    span: n.span,
    fields,
    strayFields,
    namespaces: selector(get(n, 'namespaces')),
    pods,
    nodes: selector(get(n, 'nodes')),
    networks,
    unknown,
  };
}

/** ANP/BANP `ports`: `portNumber {protocol, port}`, `namedPort`, `portRange {protocol, start, end}`. */
function lowerAnpPort(n: YNode): ClusterPort {
  const base = { span: n.span, port: undefined, end: undefined, name: undefined };
  const keys = isMap(n) ? n.pairs.map((p) => p.key) : [];
  const unknownMap = !isMap(n) || n.unknown;
  if (keys.length !== 1 || unknownMap)
    return { ...base, kind: 'invalid', protocol: undefined, unknown: unknownMap || keys.some((k) => k.startsWith('{')) };
  const num = get(n, 'portNumber');
  if (num !== undefined) {
    const protoNode = get(num, 'protocol');
    const port = numberValue(get(num, 'port'));
    return {
      ...base,
      kind: port === undefined ? 'invalid' : 'number',
      protocol: plainString(protoNode) ?? (protoNode === undefined ? 'TCP' : undefined),
      port,
      unknown: !isMap(num) || num.unknown || (port !== undefined && !port.known) || (protoNode?.unknown ?? false),
    };
  }
  const named = get(n, 'namedPort');
  if (named !== undefined) {
    const name = stringValue(named);
    return { ...base, kind: name === undefined ? 'invalid' : 'named', protocol: undefined, name, unknown: name?.known === false };
  }
  const range = get(n, 'portRange');
  if (range !== undefined) {
    const protoNode = get(range, 'protocol');
    const start = numberValue(get(range, 'start'));
    const end = numberValue(get(range, 'end'));
    return {
      ...base,
      kind: start === undefined || end === undefined ? 'invalid' : 'range',
      protocol: plainString(protoNode) ?? (protoNode === undefined ? 'TCP' : undefined),
      port: start,
      end,
      unknown: !isMap(range) || range.unknown || start?.known === false || end?.known === false || (protoNode?.unknown ?? false),
    };
  }
  return { ...base, kind: 'invalid', protocol: undefined, unknown: false };
}

/** CNP `protocols`: `tcp|udp|sctp: {destinationPort: {number} | {range: {start, end}}}`, `destinationNamedPort`. */
function lowerCnpProtocol(n: YNode): ClusterPort {
  const base = { span: n.span, port: undefined, end: undefined, name: undefined };
  const keys = isMap(n) ? n.pairs.map((p) => p.key) : [];
  const unknownMap = !isMap(n) || n.unknown;
  if (keys.length !== 1 || unknownMap) return { ...base, kind: 'invalid', protocol: undefined, unknown: unknownMap };
  const named = get(n, 'destinationNamedPort');
  if (named !== undefined) {
    const name = stringValue(named);
    return { ...base, kind: name === undefined ? 'invalid' : 'named', protocol: undefined, name, unknown: name?.known === false };
  }
  const key = keys[0] ?? '';
  const protocol = key === 'tcp' ? 'TCP' : key === 'udp' ? 'UDP' : key === 'sctp' ? 'SCTP' : undefined;
  if (protocol === undefined) return { ...base, kind: 'invalid', protocol: undefined, unknown: false };
  const body = get(n, key);
  const dp = get(body, 'destinationPort');
  if (dp === undefined) return { ...base, kind: 'all', protocol, unknown: body !== undefined && body.unknown };
  const number = numberValue(get(dp, 'number'));
  const rangeNode = get(dp, 'range');
  const dpKeys = isMap(dp) ? dp.pairs.map((p) => p.key) : [];
  if (dpKeys.length !== 1) return { ...base, kind: 'invalid', protocol, unknown: !isMap(dp) || dp.unknown };
  if (number !== undefined) return { ...base, kind: 'number', protocol, port: number, unknown: !number.known };
  if (rangeNode !== undefined) {
    const start = numberValue(get(rangeNode, 'start'));
    const end = numberValue(get(rangeNode, 'end'));
    return {
      ...base,
      kind: start === undefined || end === undefined ? 'invalid' : 'range',
      protocol,
      port: start,
      end,
      unknown: !isMap(rangeNode) || rangeNode.unknown || start?.known === false || end?.known === false,
    };
  }
  return { ...base, kind: 'invalid', protocol, unknown: false };
}

function normaliseAction(kind: ClusterPolicyKind, text: string | undefined): ClusterAction | undefined {
  if (kind === 'ClusterNetworkPolicy') return text === 'Accept' ? 'allow' : text === 'Deny' ? 'deny' : text === 'Pass' ? 'pass' : undefined;
  if (kind === 'BaselineAdminNetworkPolicy') return text === 'Allow' ? 'allow' : text === 'Deny' ? 'deny' : undefined;
  return text === 'Allow' ? 'allow' : text === 'Deny' ? 'deny' : text === 'Pass' ? 'pass' : undefined;
}

function lowerRules(kind: ClusterPolicyKind, n: YNode | undefined, direction: 'ingress' | 'egress'): ClusterRule[] {
  if (n === undefined || (isScalar(n) && n.value === null && !n.unknown)) return [];
  if (!isSeq(n))
    return [
      {
        span: n.span,
        path: `spec.${direction}`,
        direction,
        name: undefined,
        actionText: undefined,
        action: undefined,
        peers: [],
        peersSpan: undefined,
        ports: undefined,
        portsSpan: undefined,
        unknown: true,
      },
    ];
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  const portsKey = kind === 'ClusterNetworkPolicy' ? 'protocols' : 'ports';
  return n.items.map((it, i) => {
    const actionText = stringValue(get(it, 'action'));
    const peersNode = present(get(it, peerKey));
    const portsNode = get(it, portsKey);
    const peers = isSeq(peersNode) ? peersNode.items.map(lowerSelection) : [];
    const ports =
      portsNode === undefined || (isScalar(portsNode) && portsNode.value === null && !portsNode.unknown)
        ? undefined
        : isSeq(portsNode)
          ? portsNode.items.map(kind === 'ClusterNetworkPolicy' ? lowerCnpProtocol : lowerAnpPort)
          : [
              {
                span: portsNode.span,
                kind: 'invalid' as const,
                protocol: undefined,
                port: undefined,
                end: undefined,
                name: undefined,
                unknown: true,
              },
            ];
    const unknown =
      !isMap(it) ||
      it.unknown ||
      actionText?.known === false ||
      (peersNode !== undefined && (!isSeq(peersNode) || peersNode.unknown)) ||
      (portsNode !== undefined && portsNode.unknown);
    return {
      span: it.span,
      path: `spec.${direction}[${i}]`,
      direction,
      name: plainString(get(it, 'name')),
      actionText,
      action: normaliseAction(kind, actionText?.known === true ? actionText.value : undefined),
      peers,
      peersSpan: peersNode?.span,
      ports,
      portsSpan: portsNode?.span,
      unknown,
    };
  });
}

export function lowerClusterPolicy(kind: ClusterPolicyKind, root: YMap): ClusterPolicySpec {
  const spec = get(root, 'spec');
  const tierText = stringValue(get(spec, 'tier'));
  const tier =
    kind === 'AdminNetworkPolicy'
      ? 'Admin'
      : kind === 'BaselineAdminNetworkPolicy'
        ? 'Baseline'
        : tierText?.known === true && (tierText.value === 'Admin' || tierText.value === 'Baseline')
          ? tierText.value
          : undefined;
  const priorityNode = get(spec, 'priority');
  const subjectNode = present(get(spec, 'subject'));
  const ingressPair = pair(spec, 'ingress');
  const egressPair = pair(spec, 'egress');
  return {
    kind,
    tier,
    tierText,
    priority: kind === 'BaselineAdminNetworkPolicy' ? undefined : numberValue(priorityNode),
    priorityNode: priorityNode?.span,
    subject: subjectNode === undefined ? undefined : lowerSelection(subjectNode),
    ingress: lowerRules(kind, ingressPair?.value, 'ingress'),
    egress: lowerRules(kind, egressPair?.value, 'egress'),
    ingressSpan: ingressPair?.keySpan,
    egressSpan: egressPair?.keySpan,
    unknown: !isMap(spec) || spec.unknown || tierText?.known === false,
  };
}
