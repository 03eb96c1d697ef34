/**
 * One resource of a Kustomize build while it is being built: a private, mutable copy of its
 * document, the file it comes from, and the names and namespaces it has had (patches and
 * references find it by any of them, as kustomize's resource ids do).
 */

import type { Span } from '../../types.js';
import type { YMap } from '../../syntax/tree.js';
import { getKey, mapAt, scalarNode, setKey, text } from './nodes.js';

export interface Res {
  node: YMap;
  /** The file the object comes from (a resource file, or the kustomization of a generator). */
  readonly uri: string;
  readonly docIndex: number;
  /** Every name it has had, oldest first; the last is the current one. */
  readonly names: string[];
  /** Every namespace it has had, oldest first. */
  readonly namespaces: Array<string | undefined>;
  /**
   * The names of its previous ids (kustomize's `PrevIds`: the id it had before each namespace,
   * prefix, suffix, hash or JSON patch transformer touched it). A name reference is updated only
   * to an object that has one with the referenced name: an object no transformer touched is
   * never a referral.
   */
  previous?: string[];
  /**
   * The name prefixes and suffixes kustomize's prefix and suffix transformers gave it, in the order
   * given (its build annotations `config.kubernetes.io/prefixes` and `suffixes`, kept up to the top
   * build): a name reference with several candidates takes the one whose affixes end as the
   * referrer's (kustomize's `PrefixesSuffixesEquals`).
   */
  prefixes?: string[];
  suffixes?: string[];
  /** A generated ConfigMap or Secret that gets kustomize's content-hash suffix at the end of the build. */
  hashSuffix?: boolean;
  /** A generated object whose content is not fully known (a generator file outside the workspace). */
  contentUnknown?: boolean;
  /** `behavior` of the generator that made it (`create`, `merge`, `replace`). */
  behavior?: string;
  /** Rendered from a chart of `helmCharts` (kustomize's `helm-generated` annotation). */
  helm?: true;
}

export function kindOf(r: Res): string {
  return text(getKey(r.node, 'kind')) ?? '';
}

export function apiVersionOf(r: Res): string {
  return text(getKey(r.node, 'apiVersion')) ?? '';
}

export function groupOf(r: Res): string {
  const v = apiVersionOf(r);
  const i = v.indexOf('/');
  return i === -1 ? '' : v.slice(0, i);
}

export function nameOf(r: Res): string | undefined {
  return text(getKey(getKey(r.node, 'metadata'), 'name'));
}

export function namespaceOf(r: Res): string | undefined {
  return text(getKey(getKey(r.node, 'metadata'), 'namespace'));
}

export function setName(r: Res, name: string, span: Span): void {
  const meta = mapAt(r.node, ['metadata'], true, span);
  if (meta === undefined) return;
  const old = getKey(meta, 'name');
  rememberId(r);
  setKey(meta, 'name', scalarNode(name, old?.span ?? span));
  r.names.push(name);
}

export function setNamespace(r: Res, ns: string, span: Span): void {
  const meta = mapAt(r.node, ['metadata'], true, span);
  if (meta === undefined) return;
  rememberId(r);
  setKey(meta, 'namespace', scalarNode(ns, span), span);
  r.namespaces.push(ns);
}

/** Records the object's current id as a previous one (kustomize's `StorePreviousId`), before a transformer changes it. */
export function rememberId(r: Res): void {
  const name = nameOf(r);
  if (name === undefined) return;
  if (r.previous === undefined) r.previous = [name];
  else r.previous.push(name);
}

/** kustomize's effective namespace: none and `default` are one; cluster-scoped objects have none. */
export function effectiveNamespace(r: Res): string | undefined {
  if (isClusterScoped(r)) return undefined;
  const ns = namespaceOf(r);
  return ns === undefined || ns === '' ? 'default' : ns;
}

/**
 * The types kustomize knows to be cluster-scoped, by apiVersion and kind: the `false` entries of
 * kyaml's `precomputedIsNamespaceScoped` (kyaml/openapi/openapi.go, from its built-in Kubernetes
 * 1.21 schema). Every other type is namespaced to kustomize (`Gvk.IsClusterScoped` is
 * `IsCertainlyClusterScoped`: known and not namespaced), so `namespace:` sets the namespace of a
 * `flowcontrol.apiserver.k8s.io/v1` FlowSchema, a `gateway.networking.k8s.io` GatewayClass or a
 * cert-manager ClusterIssuer too (the API server drops it on cluster-scoped objects). Where the
 * objects land is decided apart from this, as the API knows them (units/kustomize.ts). The two
 * ValidatingAdmissionPolicy v1 entries came with kustomize#6056 (2026); kustomize v5.5.0 (kubectl
 * 1.32) still namespaces them.
 */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding',
  'apiextensions.k8s.io/v1 CustomResourceDefinition',
  'apiextensions.k8s.io/v1beta1 CustomResourceDefinition',
  'apiregistration.k8s.io/v1 APIService',
  'apiregistration.k8s.io/v1beta1 APIService',
  'certificates.k8s.io/v1 CertificateSigningRequest',
  'certificates.k8s.io/v1beta1 CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema',
  'flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration',
  'networking.k8s.io/v1 IngressClass',
  'networking.k8s.io/v1beta1 IngressClass',
  'node.k8s.io/v1 RuntimeClass',
  'node.k8s.io/v1beta1 RuntimeClass',
  'policy/v1beta1 PodSecurityPolicy',
  'rbac.authorization.k8s.io/v1 ClusterRole',
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1beta1 ClusterRole',
  'rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding',
  'scheduling.k8s.io/v1 PriorityClass',
  'scheduling.k8s.io/v1beta1 PriorityClass',
  'storage.k8s.io/v1 CSIDriver',
  'storage.k8s.io/v1 CSINode',
  'storage.k8s.io/v1 StorageClass',
  'storage.k8s.io/v1 VolumeAttachment',
  'storage.k8s.io/v1beta1 CSIDriver',
  'storage.k8s.io/v1beta1 CSINode',
  'storage.k8s.io/v1beta1 StorageClass',
  'storage.k8s.io/v1beta1 VolumeAttachment',
  'v1 ComponentStatus',
  'v1 Namespace',
  'v1 Node',
  'v1 NodeProxyOptions',
  'v1 PersistentVolume',
]);

export function isClusterScoped(r: Res): boolean {
  return CLUSTER_SCOPED.has(`${apiVersionOf(r)} ${kindOf(r)}`);
}

/**
 * The same object (kind, group, name, namespace) by any of the names and namespaces it has had
 * (kustomize's `GetMatchingResourcesByAnyId` with `ResId.Equals`): namespaces compare as effective
 * namespaces, so a patch without a namespace is one in `default` and does not find an object a
 * file placed in `shop` (kubectl kustomize v5.5.0: "no matches for Id Service.v1.[noGrp]/web.[noNs]").
 */
export function matchesId(r: Res, kind: string, group: string | undefined, name: string, namespace: string | undefined): boolean {
  if (kindOf(r) !== kind) return false;
  if (group !== undefined && groupOf(r) !== group) return false;
  if (!r.names.includes(name)) return false;
  // A cluster-scoped object has no namespace to tell it apart (kustomize's effective namespace).
  if (isClusterScoped(r)) return true;
  const effective = (ns: string | undefined): string => (ns === undefined || ns === '' ? 'default' : ns);
  return r.namespaces.some((n) => effective(n) === effective(namespace));
}
