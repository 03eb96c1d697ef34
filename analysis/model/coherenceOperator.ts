/** The Coherence operator's entries of the operator registry (docs/operators.md; data only). */

import type { OperatorKind, OperatorPodGroup, Path } from './operatorRegistry.js';

/**
 * Oracle's Coherence operator (`coherence.oracle.com`): a `Coherence` resource makes a StatefulSet of
 * cluster members, a `CoherenceJob` a Job; both label their pods alike (CreateCommonLabels and
 * CreatePodSelectorLabels) and give the `coherence` container the same four ports. `spec.ports`
 * adds ports by name (`extend`, `grpc`, `metrics`, `management`), the operator's global labels and
 * `spec.global.labels` add labels the manifests may not show.
 */
export function coherenceKinds(): OperatorKind[] {
  const source = (what: string): string =>
    `oracle/coherence-operator api/v1/constants.go (label names, coherenceComponent: coherencePod, port names and defaults), api/v1/coherenceresource_types.go and coherencejobresource_types.go (CreateCommonLabels: coherenceDeployment <name>, coherenceCluster spec.cluster or <name>, coherenceRole spec.role or <name>), api/v1/coherenceresourcespec_types.go (CreateCoherenceContainer ports coherence 7, health 6676, coh-local 7575, coh-cluster 7574; ${what})`;
  const pods = (role: string, replicas: Path): OperatorPodGroup => ({
    role,
    labels: {
      coherenceDeployment: '{name}',
      coherenceCluster: '{path:cluster|name}',
      coherenceRole: '{path:role|name}',
      coherenceComponent: 'coherencePod',
    },
    // The WKA member flag and the spec hash are set per pod or per spec; `app` and `version` from spec.appLabel/versionLabel.
    unknownLabels: ['coherenceWKAMember', 'coherence-hash', 'app', 'version', 'statefulset.kubernetes.io/pod-name'],
    podLabels: ['spec', 'labels'],
    // The operator's own configuration adds global labels to every pod.
    labelsOpen: true,
    ports: [
      { name: 'coherence', port: 7 },
      { name: 'health', port: 6676 },
      { name: 'coh-local', port: 7575 },
      { name: 'coh-cluster', port: 7574 },
    ],
    portsOpenWhen: [
      ['spec', 'ports'],
      ['spec', 'healthPort'],
      ['spec', 'coherence', 'localPort'],
      ['spec', 'sideCars'],
      ['spec', 'jvm', 'debug'],
    ],
    replicas,
  });
  return [
    {
      group: 'coherence.oracle.com',
      kind: 'Coherence',
      operator: 'Coherence Operator',
      source: source('a StatefulSet per resource'),
      pods: [pods('Coherence cluster members', ['spec', 'replicas'])],
    },
    {
      group: 'coherence.oracle.com',
      kind: 'CoherenceJob',
      operator: 'Coherence Operator',
      source: source('a Job per resource'),
      pods: [pods('Coherence job members', ['spec', 'replicas'])],
    },
  ];
}
