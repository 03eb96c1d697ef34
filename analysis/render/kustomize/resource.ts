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
  /** A generated ConfigMap or Secret that gets kustomize's content-hash suffix at the end of the build. */
  hashSuffix?: boolean;
  /** A generated object whose content is not fully known (a generator file outside the workspace). */
  contentUnknown?: boolean;
  /** `behavior` of the generator that made it (`create`, `merge`, `replace`). */
  behavior?: string;
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

/** Kinds kustomize leaves without a namespace (cluster-scoped in the Kubernetes API). */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'IngressClass',
  'PriorityClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'Node',
  'CSIDriver',
  'CSINode',
  'RuntimeClass',
  'PodSecurityPolicy',
  'ComponentStatus',
  'CertificateSigningRequest',
  'VolumeAttachment',
  'FlowSchema',
  'PriorityLevelConfiguration',
]);

export function isClusterScoped(r: Res): boolean {
  return CLUSTER_SCOPED.has(kindOf(r));
}

/** The same object (kind, group, name, namespace) by any of the names and namespaces it has had. */
export function matchesId(r: Res, kind: string, group: string | undefined, name: string, namespace: string | undefined): boolean {
  if (kindOf(r) !== kind) return false;
  if (group !== undefined && groupOf(r) !== group) return false;
  if (!r.names.includes(name)) return false;
  // A cluster-scoped object has no namespace to tell it apart (kustomize's effective namespace).
  if (namespace === undefined || isClusterScoped(r)) return true;
  return r.namespaces.includes(namespace) || (namespace === 'default' && r.namespaces.includes(undefined));
}
