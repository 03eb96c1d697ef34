/**
 * Group-aware kind recognition (docs/dev/design.md §2): a kind is (group, kind), never the kind alone.
 */

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  if (slash === -1) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

interface Kinded {
  readonly apiVersion: string;
  readonly group: string;
  readonly kind: string;
}

export function isCoreService(o: Kinded): boolean {
  return o.kind === 'Service' && o.apiVersion === 'v1';
}

export function isIngress(o: Kinded): boolean {
  return o.kind === 'Ingress' && (o.group === 'networking.k8s.io' || o.apiVersion === 'extensions/v1beta1');
}

export function isNetworkPolicy(o: Kinded): boolean {
  return o.kind === 'NetworkPolicy' && (o.apiVersion === 'networking.k8s.io/v1' || o.apiVersion === 'extensions/v1beta1');
}

export function isNamespace(o: Kinded): boolean {
  return o.kind === 'Namespace' && o.apiVersion === 'v1';
}

export function isIngressClass(o: Kinded): boolean {
  return o.kind === 'IngressClass' && o.group === 'networking.k8s.io';
}

export function isCertificate(o: Kinded): boolean {
  return o.kind === 'Certificate' && (o.group === 'cert-manager.io' || o.group === 'certmanager.k8s.io');
}

/** Groups whose kinds are built into Kubernetes (not custom resources). */
const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'networking.k8s.io',
  'extensions',
  'policy',
  'rbac.authorization.k8s.io',
  'autoscaling',
  'discovery.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'certificates.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
]);

export function isBuiltinGroup(group: string): boolean {
  return BUILTIN_GROUPS.has(group);
}

/** The built-in controllers whose pod template sits at spec.template. */
export const BUILTIN_WORKLOADS: ReadonlyMap<string, string> = new Map([
  ['Deployment', 'apps'],
  ['StatefulSet', 'apps'],
  ['DaemonSet', 'apps'],
  ['ReplicaSet', 'apps'],
  ['ReplicationController', ''],
  ['Job', 'batch'],
]);

/** Tool configuration groups: never cluster objects (docs/dev/design.md §2). */
export function isToolConfig(apiVersion: string, group: string, kind: string): boolean {
  if (group === 'kustomize.config.k8s.io') return true;
  if (apiVersion === 'v1' && kind === 'Config') return true;
  if (/^skaffold\//.test(apiVersion)) return true;
  return [
    'kind.x-k8s.io',
    'k3d.io',
    'kubeadm.k8s.io',
    'kubelet.config.k8s.io',
    'kubeproxy.config.k8s.io',
    'kubescheduler.config.k8s.io',
    'apiserver.config.k8s.io',
    'audit.k8s.io',
    'ctlptl.dev',
  ].includes(group);
}
