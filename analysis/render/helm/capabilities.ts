/**
 * `.Capabilities` as Helm builds it (pkg/chart/common/capabilities.go). Two sources of
 * `.Capabilities.APIVersions`:
 *
 * - `helm template` (and `install --dry-run=client`, and Kustomize's `helmCharts`, which runs
 *   `helm template`) has no cluster: Helm's `DefaultVersionSet`, every group/version registered in
 *   client-go's scheme when Helm was built (`allKnownVersions`: k8s.io/client-go/kubernetes/scheme
 *   plus apiextensions.k8s.io v1beta1 and v1), whatever `--kube-version` says, and no kinds: so
 *   `Has "policy/v1beta1"` is true and `Has "networking.k8s.io/v1/Ingress"` false there, as in Helm.
 * - `helm install` against a cluster reads discovery: the group/versions and kinds the cluster
 *   serves. The Helm units render so, for a cluster of `kubeReach.kubernetesVersion`
 *   (`apiVersionsFor`: a version removed by then is absent).
 *
 * model/apiDeprecated.ts keeps its own table of served kinds (`SERVED`) on purpose: it answers what
 * the API server accepts at a kind's GA version (including kinds discovery lists only as
 * subresources or not at all, such as `List`), for `deprecated-api`'s "never served", not what Helm
 * sees.
 */

import { GoStruct, withMethods } from './template/index.js';
import type { GoValue } from './template/index.js';

/**
 * Helm v4.2.4's `DefaultVersionSet` (client-go v0.36.1, kubernetes/scheme/register.go, in the order
 * the scheme observed them, then the apiextensions versions Helm adds).
 */
const HELM_DEFAULT_VERSION_SET: readonly string[] = [
  'v1',
  'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/v1alpha1',
  'admissionregistration.k8s.io/v1beta1',
  'internal.apiserver.k8s.io/v1alpha1',
  'apps/v1',
  'apps/v1beta1',
  'apps/v1beta2',
  'authentication.k8s.io/v1',
  'authentication.k8s.io/v1alpha1',
  'authentication.k8s.io/v1beta1',
  'authorization.k8s.io/v1',
  'authorization.k8s.io/v1beta1',
  'autoscaling/v1',
  'autoscaling/v2',
  'batch/v1',
  'batch/v1beta1',
  'certificates.k8s.io/v1',
  'certificates.k8s.io/v1beta1',
  'certificates.k8s.io/v1alpha1',
  'coordination.k8s.io/v1alpha2',
  'coordination.k8s.io/v1beta1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1',
  'events.k8s.io/v1beta1',
  'extensions/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'flowcontrol.apiserver.k8s.io/v1beta3',
  'networking.k8s.io/v1',
  'networking.k8s.io/v1beta1',
  'node.k8s.io/v1',
  'node.k8s.io/v1alpha1',
  'node.k8s.io/v1beta1',
  'policy/v1',
  'policy/v1beta1',
  'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1',
  'resource.k8s.io/v1',
  'resource.k8s.io/v1beta2',
  'resource.k8s.io/v1beta1',
  'resource.k8s.io/v1alpha3',
  'scheduling.k8s.io/v1alpha2',
  'scheduling.k8s.io/v1beta1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1beta1',
  'storage.k8s.io/v1',
  'storage.k8s.io/v1alpha1',
  'storagemigration.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1',
];

/** Built-in group/versions a cluster of the target release serves, with the kinds charts ask for. */
function apiVersionsFor(minor: number): string[] {
  const gv: Array<[string, string[], number?]> = [
    [
      'v1',
      [
        'ConfigMap',
        'Endpoints',
        'Event',
        'LimitRange',
        'Namespace',
        'Node',
        'PersistentVolume',
        'PersistentVolumeClaim',
        'Pod',
        'PodTemplate',
        'ReplicationController',
        'ResourceQuota',
        'Secret',
        'Service',
        'ServiceAccount',
      ],
    ],
    ['admissionregistration.k8s.io/v1', ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']],
    ['apiextensions.k8s.io/v1', ['CustomResourceDefinition']],
    ['apiregistration.k8s.io/v1', ['APIService']],
    ['apps/v1', ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet']],
    ['authentication.k8s.io/v1', ['TokenReview']],
    ['authorization.k8s.io/v1', ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview']],
    ['autoscaling/v1', ['HorizontalPodAutoscaler']],
    ['autoscaling/v2', ['HorizontalPodAutoscaler']],
    ['autoscaling/v2beta2', ['HorizontalPodAutoscaler'], 26],
    ['batch/v1', ['CronJob', 'Job']],
    ['batch/v1beta1', ['CronJob'], 25],
    ['certificates.k8s.io/v1', ['CertificateSigningRequest']],
    ['coordination.k8s.io/v1', ['Lease']],
    ['discovery.k8s.io/v1', ['EndpointSlice']],
    ['events.k8s.io/v1', ['Event']],
    ['flowcontrol.apiserver.k8s.io/v1', ['FlowSchema', 'PriorityLevelConfiguration']],
    ['networking.k8s.io/v1', ['Ingress', 'IngressClass', 'NetworkPolicy']],
    ['node.k8s.io/v1', ['RuntimeClass']],
    ['policy/v1', ['PodDisruptionBudget']],
    ['policy/v1beta1', ['PodDisruptionBudget', 'PodSecurityPolicy'], 25],
    ['rbac.authorization.k8s.io/v1', ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']],
    ['scheduling.k8s.io/v1', ['PriorityClass']],
    ['storage.k8s.io/v1', ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment']],
  ];
  const out: string[] = [];
  for (const [v, kinds, removedIn] of gv) {
    if (removedIn !== undefined && minor >= removedIn) continue;
    out.push(v);
    for (const k of kinds) out.push(`${v}/${k}`);
  }
  return out;
}

export function capabilities(
  version: string,
  cluster: boolean,
  extra: readonly string[],
): { struct: GoStruct; kubeVersion: string; apiVersions: string[] } {
  const minor = Number(/^1\.(\d+)/.exec(version)?.[1] ?? '35');
  const git = `v1.${minor}.0`;
  const kv = new GoStruct(
    'chartutil.KubeVersion',
    new Map<string, GoValue>([
      ['Version', git],
      ['Major', '1'],
      ['Minor', String(minor)],
      ['GitVersion', git],
    ]),
  );
  kv.methods.set('String', () => git);
  const apiVersions = [...(cluster ? apiVersionsFor(minor) : HELM_DEFAULT_VERSION_SET), ...extra];
  // A VersionSet is a []string with a Has method: `has "x" .Capabilities.APIVersions` and `range` read the list.
  const set = new Set(apiVersions);
  const av = withMethods<GoValue[]>(
    [...apiVersions],
    'chartutil.VersionSet',
    new Map([['Has', (v: GoValue) => typeof v === 'string' && set.has(v)]]),
  );
  const caps = new GoStruct(
    'chartutil.Capabilities',
    new Map<string, GoValue>([
      ['KubeVersion', kv],
      ['APIVersions', av],
      [
        'HelmVersion',
        new GoStruct(
          'chartutil.HelmVersion',
          new Map<string, GoValue>([
            ['Version', 'v4.2.4'],
            ['GitCommit', ''],
            ['GoVersion', 'go1.24'],
          ]),
        ),
      ],
    ]),
  );
  return { struct: caps, kubeVersion: git, apiVersions };
}
