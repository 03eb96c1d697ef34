/** Names Kubernetes itself gives: its own namespaces, and the pod labels controllers add. */

export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease', 'default'];

/** Keys with an unknown per-pod value, added by controllers (docs/dev/checks-spec.md §1.4). */
export const CONTROLLER_LABEL_KEYS: ReadonlySet<string> = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/job-completion-index',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'rollouts-pod-template-hash',
  // Pods an operator creates on demand: cert-manager's HTTP-01 solvers.
  'acme.cert-manager.io/http01-solver',
]);
