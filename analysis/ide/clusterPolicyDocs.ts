/**
 * Offline field documentation for the cluster network policies of the Network Policy API
 * (AdminNetworkPolicy and BaselineAdminNetworkPolicy `policy.networking.k8s.io/v1alpha1`,
 * ClusterNetworkPolicy `v1alpha2`), in the shape of the generated tables (`schema.ts` `Docs`), so
 * hover and schema completion treat them like the Kubernetes kinds. No package ships these CRDs'
 * descriptions, so the text is ours, written from the CRD schemas (required fields, enums, limits)
 * and the semantics in docs/dev/cluster-policies.md.
 */

import type { FieldDoc, TypeDoc } from './schema.js';

const V1 = 'policy.networking.k8s.io/v1alpha1';
const V2 = 'policy.networking.k8s.io/v1alpha2';
const META = 'meta/v1/ObjectMeta';
const SELECTOR = 'meta/v1/LabelSelector';

const API_VERSION = (v: string): FieldDoc => ({
  d: 'The API group and version of this schema.',
  t: 'string',
  r: 1,
  e: [v],
});
const KIND = (k: string): FieldDoc => ({ d: 'The kind of object this is.', t: 'string', r: 1, e: [k] });
const METADATA: FieldDoc = {
  d: 'Standard object metadata. Cluster network policies are cluster-scoped: no namespace.',
  t: 'object',
  r: 1,
  ref: META,
};
const PRIORITY: FieldDoc = {
  d: 'The order of this policy among the policies of its tier: 0 to 1000, lower first. The first rule that matches a connection, in the first policy by priority, decides it. Policies of equal priority that could both match a connection are not ordered: the implementation may apply either (Kube Reach reports such verdicts as undefined).',
  t: 'integer',
  r: 1,
};
const NAME: FieldDoc = {
  d: 'A name for the rule, at most 100 characters, for logs and status. It does not change what the rule matches.',
  t: 'string',
};
const NAMESPACES_SUBJECT: FieldDoc = {
  d: 'Selects every pod of the namespaces whose labels match. An empty selector (`{}`) selects every namespace. Set exactly one of `namespaces` and `pods`.',
  t: 'object',
  ref: SELECTOR,
};
const NAMESPACES_PEER: FieldDoc = {
  d: 'Matches every pod of the namespaces whose labels match (`kubernetes.io/metadata.name` names one). An empty selector matches every pod of the cluster. Never matches an address outside the cluster. Set exactly one peer field.',
  t: 'object',
  ref: SELECTOR,
};
const NODES: FieldDoc = {
  d: 'Egress only: matches the nodes whose labels match (their host-network addresses). Node addresses are not in the manifests, so Kube Reach leaves what it matches undefined.',
  t: 'object',
  ref: SELECTOR,
};
const NETWORKS: FieldDoc = {
  d: 'Egress only: CIDRs (at most 25) the destination address must be in. Traffic to pods is checked against them too: a CIDR that covers pod addresses matches those pods. No named port may be used in a rule with `networks` peers.',
  t: 'string[]',
};

function pods(v: string): FieldDoc {
  return {
    d: 'Selects pods by their namespace and their own labels: the pods that `podSelector` matches in the namespaces that `namespaceSelector` matches.',
    t: 'object',
    ref: `${v}/NamespacedPod`,
  };
}

function types(): Record<string, TypeDoc> {
  const out: Record<string, TypeDoc> = {};
  // AdminNetworkPolicy
  out[`${V1}/AdminNetworkPolicy`] = {
    d: 'A cluster-wide policy of the Admin tier, evaluated before every NetworkPolicy: its Allow and Deny rules cannot be overridden by namespace owners, and Pass hands a connection on to the NetworkPolicies (then the BaselineAdminNetworkPolicy).',
    f: {
      apiVersion: API_VERSION(V1),
      kind: KIND('AdminNetworkPolicy'),
      metadata: METADATA,
      spec: { d: 'What the policy selects and its rules.', t: 'object', r: 1, ref: `${V1}/AdminNetworkPolicySpec` },
    },
  };
  out[`${V1}/AdminNetworkPolicySpec`] = {
    d: 'The subject, priority and rules of an AdminNetworkPolicy.',
    f: {
      priority: PRIORITY,
      subject: { d: 'The pods the policy applies to.', t: 'object', r: 1, ref: `${V1}/AdminNetworkPolicySubject` },
      ingress: {
        d: 'Rules for connections to the subject pods, read in order (at most 100). A policy without ingress rules does not affect ingress.',
        t: 'object[]',
        ref: `${V1}/AdminNetworkPolicyIngressRule`,
      },
      egress: {
        d: 'Rules for connections from the subject pods, read in order (at most 100). A policy without egress rules does not affect egress.',
        t: 'object[]',
        ref: `${V1}/AdminNetworkPolicyEgressRule`,
      },
    },
  };
  out[`${V1}/AdminNetworkPolicySubject`] = {
    d: 'The pods a policy applies to: exactly one of `namespaces` and `pods`.',
    f: { namespaces: NAMESPACES_SUBJECT, pods: pods(V1) },
  };
  out[`${V1}/NamespacedPod`] = {
    d: 'Pods selected by namespace labels AND pod labels. In `v1alpha1` both selectors are required.',
    f: {
      namespaceSelector: {
        d: 'The namespaces, by their labels; `{}` selects every namespace. Required.',
        t: 'object',
        r: 1,
        ref: SELECTOR,
      },
      podSelector: {
        d: 'The pods in those namespaces, by their labels; `{}` selects every pod. Required.',
        t: 'object',
        r: 1,
        ref: SELECTOR,
      },
    },
  };
  const anpAction: FieldDoc = {
    d: '`Allow` allows the connection (no NetworkPolicy can deny it), `Deny` denies it (no NetworkPolicy can allow it), `Pass` skips the rest of the Admin tier: the NetworkPolicies decide, else the BaselineAdminNetworkPolicy.',
    t: 'string',
    r: 1,
    e: ['Allow', 'Deny', 'Pass'],
  };
  out[`${V1}/AdminNetworkPolicyIngressRule`] = {
    d: 'An ingress rule: when a connection from one of its peers to one of its ports matches, its action decides.',
    f: {
      name: NAME,
      action: anpAction,
      from: { d: 'The sources (at least one, at most 100).', t: 'object[]', r: 1, ref: `${V1}/AdminNetworkPolicyIngressPeer` },
      ports: {
        d: 'The destination ports (at most 100); absent: every port of every protocol.',
        t: 'object[]',
        ref: `${V1}/AdminNetworkPolicyPort`,
      },
    },
  };
  out[`${V1}/AdminNetworkPolicyEgressRule`] = {
    d: 'An egress rule: when a connection to one of its peers on one of its ports matches, its action decides.',
    f: {
      name: NAME,
      action: anpAction,
      to: { d: 'The destinations (at least one, at most 100).', t: 'object[]', r: 1, ref: `${V1}/AdminNetworkPolicyEgressPeer` },
      ports: {
        d: 'The destination ports (at most 100); absent: every port of every protocol.',
        t: 'object[]',
        ref: `${V1}/AdminNetworkPolicyPort`,
      },
    },
  };
  out[`${V1}/AdminNetworkPolicyIngressPeer`] = {
    d: 'A source: exactly one of `namespaces` and `pods`.',
    f: { namespaces: NAMESPACES_PEER, pods: pods(V1) },
  };
  out[`${V1}/AdminNetworkPolicyEgressPeer`] = {
    d: 'A destination: exactly one of `namespaces`, `pods`, `nodes` and `networks`.',
    f: { namespaces: NAMESPACES_PEER, pods: pods(V1), nodes: NODES, networks: NETWORKS },
  };
  out[`${V1}/AdminNetworkPolicyPort`] = {
    d: 'A destination port: exactly one of `portNumber`, `portRange` and `namedPort`.',
    f: {
      portNumber: { d: 'One port of one protocol.', t: 'object', ref: `${V1}/Port` },
      portRange: { d: 'An inclusive range of ports of one protocol; `start` below `end`.', t: 'object', ref: `${V1}/PortRange` },
      namedPort: {
        d: 'A container port name, resolved on the destination pod, in that container port’s protocol. Not allowed in a rule with `networks` or `nodes` peers.',
        t: 'string',
      },
    },
  };
  const protocol: FieldDoc = { d: 'The protocol; default `TCP`.', t: 'string', e: ['TCP', 'UDP', 'SCTP'] };
  out[`${V1}/Port`] = {
    d: 'One port of one protocol.',
    f: { protocol, port: { d: 'The port number, 1–65535.', t: 'integer', r: 1 } },
  };
  out[`${V1}/PortRange`] = {
    d: 'An inclusive port range of one protocol.',
    f: {
      protocol,
      start: { d: 'The first port, 1–65535; must be less than `end`.', t: 'integer', r: 1 },
      end: { d: 'The last port, 1–65535.', t: 'integer', r: 1 },
    },
  };
  // BaselineAdminNetworkPolicy
  out[`${V1}/BaselineAdminNetworkPolicy`] = {
    d: 'The cluster-wide default of the Baseline tier, evaluated after the NetworkPolicies: it decides only what no AdminNetworkPolicy decided and, for each pod and direction, only when no NetworkPolicy isolates that pod. There is one, named `default`.',
    f: {
      apiVersion: API_VERSION(V1),
      kind: KIND('BaselineAdminNetworkPolicy'),
      metadata: { ...METADATA, d: 'Standard object metadata. The name must be `default` (one per cluster).' },
      spec: { d: 'What the policy selects and its rules.', t: 'object', r: 1, ref: `${V1}/BaselineAdminNetworkPolicySpec` },
    },
  };
  const banpAction: FieldDoc = {
    d: '`Allow` allows the connection, `Deny` denies it. (No `Pass`: nothing is below this tier but the default, which allows.)',
    t: 'string',
    r: 1,
    e: ['Allow', 'Deny'],
  };
  out[`${V1}/BaselineAdminNetworkPolicySpec`] = {
    d: 'The subject and rules of the BaselineAdminNetworkPolicy (no priority: there is one).',
    f: {
      subject: { d: 'The pods the policy applies to.', t: 'object', r: 1, ref: `${V1}/AdminNetworkPolicySubject` },
      ingress: {
        d: 'Rules for connections to the subject pods, read in order (at most 100).',
        t: 'object[]',
        ref: `${V1}/BaselineAdminNetworkPolicyIngressRule`,
      },
      egress: {
        d: 'Rules for connections from the subject pods, read in order (at most 100).',
        t: 'object[]',
        ref: `${V1}/BaselineAdminNetworkPolicyEgressRule`,
      },
    },
  };
  out[`${V1}/BaselineAdminNetworkPolicyIngressRule`] = {
    d: 'An ingress rule of the Baseline tier.',
    f: { ...(out[`${V1}/AdminNetworkPolicyIngressRule`]?.f ?? {}), action: banpAction },
  };
  out[`${V1}/BaselineAdminNetworkPolicyEgressRule`] = {
    d: 'An egress rule of the Baseline tier.',
    f: { ...(out[`${V1}/AdminNetworkPolicyEgressRule`]?.f ?? {}), action: banpAction },
  };
  // ClusterNetworkPolicy
  out[`${V2}/ClusterNetworkPolicy`] = {
    d: 'A cluster-wide policy in the Admin tier (before every NetworkPolicy) or the Baseline tier (after them), by `spec.tier`. It succeeds AdminNetworkPolicy and BaselineAdminNetworkPolicy, with the actions `Accept`, `Deny` and `Pass`.',
    f: {
      apiVersion: API_VERSION(V2),
      kind: KIND('ClusterNetworkPolicy'),
      metadata: METADATA,
      spec: { d: 'The tier, priority, subject and rules.', t: 'object', r: 1, ref: `${V2}/ClusterNetworkPolicySpec` },
    },
  };
  out[`${V2}/ClusterNetworkPolicySpec`] = {
    d: 'The tier, priority, subject and rules of a ClusterNetworkPolicy.',
    f: {
      tier: {
        d: '`Admin`: evaluated before the NetworkPolicies; `Baseline`: after them, for what they leave undecided. Admin-tier ClusterNetworkPolicies share one priority order with AdminNetworkPolicies.',
        t: 'string',
        r: 1,
        e: ['Admin', 'Baseline'],
      },
      priority: PRIORITY,
      subject: { d: 'The pods the policy applies to.', t: 'object', r: 1, ref: `${V2}/ClusterNetworkPolicySubject` },
      ingress: {
        d: 'Rules for connections to the subject pods, read in order (at most 25).',
        t: 'object[]',
        ref: `${V2}/ClusterNetworkPolicyIngressRule`,
      },
      egress: {
        d: 'Rules for connections from the subject pods, read in order (at most 25).',
        t: 'object[]',
        ref: `${V2}/ClusterNetworkPolicyEgressRule`,
      },
    },
  };
  out[`${V2}/ClusterNetworkPolicySubject`] = {
    d: 'The pods a policy applies to: exactly one of `namespaces` and `pods`.',
    f: { namespaces: NAMESPACES_SUBJECT, pods: pods(V2) },
  };
  out[`${V2}/NamespacedPod`] = {
    d: 'Pods selected by namespace labels AND pod labels.',
    f: {
      namespaceSelector: { d: 'The namespaces, by their labels; absent or `{}`: every namespace.', t: 'object', ref: SELECTOR },
      podSelector: {
        d: 'The pods in those namespaces, by their labels; `{}` selects every pod. Required.',
        t: 'object',
        r: 1,
        ref: SELECTOR,
      },
    },
  };
  const cnpAction: FieldDoc = {
    d: '`Accept` allows the connection at this tier, `Deny` denies it, `Pass` skips the rest of the tier: from the Admin tier to the NetworkPolicies (then the Baseline tier), from the Baseline tier to the default (allowed).',
    t: 'string',
    r: 1,
    e: ['Accept', 'Deny', 'Pass'],
  };
  const protocols: FieldDoc = {
    d: 'The protocols and destination ports (at most 25); absent: every port of every protocol.',
    t: 'object[]',
    ref: `${V2}/ClusterNetworkPolicyProtocol`,
  };
  out[`${V2}/ClusterNetworkPolicyIngressRule`] = {
    d: 'An ingress rule: when a connection from one of its peers matches its protocols, its action decides.',
    f: {
      name: NAME,
      action: cnpAction,
      from: { d: 'The sources (at least one, at most 25).', t: 'object[]', r: 1, ref: `${V2}/ClusterNetworkPolicyIngressPeer` },
      protocols,
    },
  };
  out[`${V2}/ClusterNetworkPolicyEgressRule`] = {
    d: 'An egress rule: when a connection to one of its peers matches its protocols, its action decides.',
    f: {
      name: NAME,
      action: cnpAction,
      to: { d: 'The destinations (at least one, at most 25).', t: 'object[]', r: 1, ref: `${V2}/ClusterNetworkPolicyEgressPeer` },
      protocols,
    },
  };
  out[`${V2}/ClusterNetworkPolicyIngressPeer`] = {
    d: 'A source: exactly one of `namespaces` and `pods`.',
    f: { namespaces: NAMESPACES_PEER, pods: pods(V2) },
  };
  out[`${V2}/ClusterNetworkPolicyEgressPeer`] = {
    d: 'A destination: exactly one of `namespaces`, `pods`, `nodes`, `networks` and `domainNames`.',
    f: {
      namespaces: NAMESPACES_PEER,
      pods: pods(V2),
      nodes: NODES,
      networks: NETWORKS,
      domainNames: {
        d: 'Egress, `Accept` rules only: domain names (at most 25; `*.` for one label of subdomains) the destination is resolved from. Kube Reach does not resolve names.',
        t: 'string[]',
      },
    },
  };
  const portOf = (p: string): FieldDoc => ({
    d: `${p} and a destination port.`,
    t: 'object',
    ref: `${V2}/ClusterNetworkPolicyProtocolPort`,
  });
  out[`${V2}/ClusterNetworkPolicyProtocol`] = {
    d: 'One protocol with its destination port, or a named port: exactly one of `tcp`, `udp`, `sctp` and `destinationNamedPort`.',
    f: {
      tcp: portOf('TCP'),
      udp: portOf('UDP'),
      sctp: portOf('SCTP'),
      destinationNamedPort: {
        d: 'A container port name, resolved on the destination pod, in that container port’s protocol. Not allowed in a rule with `networks` or `nodes` peers.',
        t: 'string',
      },
    },
  };
  out[`${V2}/ClusterNetworkPolicyProtocolPort`] = {
    d: 'The destination port of the protocol (required: at least one property).',
    f: {
      destinationPort: { d: 'A port number or an inclusive range.', t: 'object', ref: `${V2}/Port` },
    },
  };
  out[`${V2}/Port`] = {
    d: 'Exactly one of `number` and `range`.',
    f: {
      number: { d: 'One port, 1–65535.', t: 'integer' },
      range: { d: 'An inclusive range; `start` below `end`.', t: 'object', ref: `${V2}/PortRange` },
    },
  };
  out[`${V2}/PortRange`] = {
    d: 'An inclusive port range.',
    f: {
      start: { d: 'The first port, 1–65535; must be less than `end`.', t: 'integer', r: 1 },
      end: { d: 'The last port, 1–65535.', t: 'integer', r: 1 },
    },
  };
  return out;
}

/** The table: roots by `apiVersion/kind`, types by key. */
export const CLUSTER_POLICY_DOCS: { readonly roots: Readonly<Record<string, string>>; readonly types: Readonly<Record<string, TypeDoc>> } =
  {
    roots: {
      [`${V1}/AdminNetworkPolicy`]: `${V1}/AdminNetworkPolicy`,
      [`${V1}/BaselineAdminNetworkPolicy`]: `${V1}/BaselineAdminNetworkPolicy`,
      [`${V2}/ClusterNetworkPolicy`]: `${V2}/ClusterNetworkPolicy`,
    },
    types: types(),
  };

export function isClusterPolicyKey(key: string): boolean {
  return key.startsWith('policy.networking.k8s.io/');
}
