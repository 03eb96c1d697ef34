/**
 * kustomize's built-in transformers, in the order a kustomization runs them (its
 * `configureBuiltinTransformers`): patches, namespace, name prefix and suffix, labels,
 * annotations, JSON patches, replicas, images. The field lists follow kustomize's default field
 * specs (its `builtinpluginconsts`): which selectors and templates `commonLabels` reaches, which
 * subjects `namespace` updates, which fields refer to which kinds by name. Nodes a transformer
 * adds get the span of the kustomization field that asked for them (`Span.uri`: the
 * kustomization), so a finding about an added label lands on the kustomization.
 */

import type { Span } from '../../types.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import { isMap, isSeq } from '../../syntax/tree.js';
import { getKey, mapAt, nodesAt, scalarNode, setKey, text } from './nodes.js';
import type { Res } from './resource.js';
import { isClusterScoped, kindOf, nameOf, namespaceOf, setName, setNamespace } from './resource.js';

const TEMPLATED_WORKLOADS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ReplicationController']);

/** The path of a kind's pod spec. */
export function podSpecPath(kind: string): string[] | undefined {
  if (kind === 'Pod') return ['spec'];
  if (TEMPLATED_WORKLOADS.has(kind) || kind === 'Job') return ['spec', 'template', 'spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return undefined;
}

/** `namespace:`: every namespaced object, and the ServiceAccount subjects named `default` of role bindings. */
export function setNamespaces(resources: readonly Res[], ns: string, span: Span): void {
  for (const r of resources) {
    const kind = kindOf(r);
    if (!isClusterScoped(r)) setNamespace(r, ns, span);
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      const subjects = getKey(r.node, 'subjects');
      if (isSeq(subjects)) {
        for (const s of subjects.items) {
          if (isMap(s) && text(getKey(s, 'name')) === 'default' && (text(getKey(s, 'kind')) ?? 'ServiceAccount') === 'ServiceAccount')
            setKey(s, 'namespace', scalarNode(ns, span), span);
        }
      }
    }
    const services: YNode[] = [];
    if (kind === 'MutatingWebhookConfiguration' || kind === 'ValidatingWebhookConfiguration')
      for (const x of nodesAt(r.node, ['webhooks', '[]', 'clientConfig', 'service'])) if (x.node !== undefined) services.push(x.node);
    if (kind === 'APIService') for (const x of nodesAt(r.node, ['spec', 'service'])) if (x.node !== undefined) services.push(x.node);
    for (const svc of services) if (isMap(svc) && getKey(svc, 'namespace') !== undefined) setKey(svc, 'namespace', scalarNode(ns, span));
  }
}

/** `namePrefix` / `nameSuffix` (every object but CustomResourceDefinitions). */
export function affixNames(resources: readonly Res[], prefix: string, suffix: string, span: Span): void {
  for (const r of resources) {
    if (kindOf(r) === 'CustomResourceDefinition') continue;
    const name = nameOf(r);
    if (name === undefined) continue;
    setName(r, `${prefix}${name}${suffix}`, span);
  }
}

export interface LabelEntry {
  readonly key: string;
  readonly value: string;
  readonly keySpan: Span;
  readonly valueSpan: Span;
}

/** Label fields kustomize's commonLabels reaches: [kinds (empty: every kind), path, create]. */
const SELECTOR_FIELDS: ReadonlyArray<readonly [readonly string[], readonly string[], boolean]> = [
  [['Service'], ['spec', 'selector'], true],
  [['ReplicationController'], ['spec', 'selector'], true],
  [['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'], ['spec', 'selector', 'matchLabels'], true],
  [['Job'], ['spec', 'selector', 'matchLabels'], false],
  [['CronJob'], ['spec', 'jobTemplate', 'spec', 'selector', 'matchLabels'], false],
  [['PodDisruptionBudget'], ['spec', 'selector', 'matchLabels'], false],
  [['NetworkPolicy'], ['spec', 'podSelector', 'matchLabels'], false],
  [['NetworkPolicy'], ['spec', 'ingress', '[]', 'from', '[]', 'podSelector', 'matchLabels'], false],
  [['NetworkPolicy'], ['spec', 'egress', '[]', 'to', '[]', 'podSelector', 'matchLabels'], false],
];

const TEMPLATE_FIELDS: ReadonlyArray<readonly [readonly string[], readonly string[], boolean]> = [
  [
    ['ReplicationController', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'],
    ['spec', 'template', 'metadata', 'labels'],
    true,
  ],
  [['CronJob'], ['spec', 'jobTemplate', 'metadata', 'labels'], true],
  [['CronJob'], ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'], true],
  [['StatefulSet'], ['spec', 'volumeClaimTemplates', '[]', 'metadata', 'labels'], true],
];

function addPairs(target: YMap, labels: readonly LabelEntry[], uri: string): void {
  for (const l of labels) setKey(target, l.key, scalarNode(l.value, { ...l.valueSpan, uri }), { ...l.keySpan, uri });
}

/** Adds `labels` at `path` (with `[]` for every item) in `root`, creating maps (not lists) when `create`. */
function labelAt(root: YMap, path: readonly string[], create: boolean, labels: readonly LabelEntry[], uri: string, span: Span): void {
  const seqAt = path.indexOf('[]');
  if (seqAt === -1) {
    const m = mapAt(root, path, create, { ...span, uri });
    if (m !== undefined) addPairs(m, labels, uri);
    return;
  }
  // Walk to the list, then into each item for the rest of the path.
  const listHolder = path.slice(0, seqAt);
  const list = listHolder.reduce<YNode | undefined>((n, k) => getKey(n, k), root);
  if (!isSeq(list)) return;
  for (const it of list.items) if (isMap(it)) labelAt(it, path.slice(seqAt + 1), create, labels, uri, span);
}

/**
 * `commonLabels` (selectors and templates too) and `labels` entries (metadata only, plus
 * templates with `includeTemplates`, plus selectors with `includeSelectors`).
 */
export function addLabels(
  resources: readonly Res[],
  labels: readonly LabelEntry[],
  scope: { selectors: boolean; templates: boolean },
  uri: string,
  span: Span,
): void {
  if (labels.length === 0) return;
  for (const r of resources) {
    const kind = kindOf(r);
    labelAt(r.node, ['metadata', 'labels'], true, labels, uri, span);
    if (scope.selectors)
      for (const [kinds, path, create] of SELECTOR_FIELDS) if (kinds.includes(kind)) labelAt(r.node, path, create, labels, uri, span);
    if (scope.selectors || scope.templates)
      for (const [kinds, path, create] of TEMPLATE_FIELDS) if (kinds.includes(kind)) labelAt(r.node, path, create, labels, uri, span);
  }
}

/** `commonAnnotations`: metadata of every object and the pod templates of workloads. */
export function addAnnotations(resources: readonly Res[], annotations: readonly LabelEntry[], uri: string, span: Span): void {
  if (annotations.length === 0) return;
  for (const r of resources) {
    const kind = kindOf(r);
    labelAt(r.node, ['metadata', 'annotations'], true, annotations, uri, span);
    if (TEMPLATED_WORKLOADS.has(kind) || kind === 'Job')
      labelAt(r.node, ['spec', 'template', 'metadata', 'annotations'], true, annotations, uri, span);
    if (kind === 'CronJob') {
      labelAt(r.node, ['spec', 'jobTemplate', 'metadata', 'annotations'], true, annotations, uri, span);
      labelAt(r.node, ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'annotations'], true, annotations, uri, span);
    }
  }
}

/** `replicas`: spec.replicas of the named Deployments, ReplicaSets, StatefulSets and ReplicationControllers. */
export function setReplicas(resources: readonly Res[], name: string, count: YNode): void {
  for (const r of resources) {
    if (!['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'].includes(kindOf(r)) || !r.names.includes(name)) continue;
    const spec = mapAt(r.node, ['spec'], true, count.span);
    if (spec !== undefined) setKey(spec, 'replicas', count, count.span);
  }
}

/** `images`: new name, tag or digest of the containers whose image has `name`. */
export function setImages(resources: readonly Res[], entry: YNode, span: Span): void {
  const name = text(getKey(entry, 'name'));
  if (name === undefined) return;
  const newName = text(getKey(entry, 'newName'));
  const newTag = text(getKey(entry, 'newTag'));
  const digest = text(getKey(entry, 'digest'));
  for (const r of resources) {
    const podPath = podSpecPath(kindOf(r));
    if (podPath === undefined) continue;
    for (const list of ['containers', 'initContainers']) {
      for (const x of nodesAt(r.node, [...podPath, list, '[]', 'image'])) {
        const image = text(x.node);
        if (image === undefined) continue;
        const at = image.indexOf('@');
        const beforeDigest = at === -1 ? image : image.slice(0, at);
        const colon = beforeDigest.lastIndexOf(':');
        const slash = beforeDigest.lastIndexOf('/');
        const base = colon > slash ? beforeDigest.slice(0, colon) : beforeDigest;
        if (base !== name) continue;
        const tag = colon > slash ? beforeDigest.slice(colon) : '';
        const oldDigest = at === -1 ? '' : image.slice(at);
        const next = `${newName ?? base}${digest !== undefined ? `@${digest}` : newTag !== undefined ? `:${newTag}` : tag + oldDigest}`;
        setKey(x.parent, 'image', scalarNode(next, span));
      }
    }
  }
}

/** A field that names an object of `kind` (kustomize's nameReference field specs). */
interface Reference {
  readonly kind: string;
  readonly referrers: readonly string[] | 'pod';
  readonly path: readonly string[];
  /** The referrer names the object only when a sibling field says its kind (roleRef, subjects, scaleTargetRef). */
  readonly kindField?: string;
}

const POD_REFERENCES: readonly Reference[] = [
  { kind: 'ConfigMap', referrers: 'pod', path: ['volumes', '[]', 'configMap', 'name'] },
  { kind: 'ConfigMap', referrers: 'pod', path: ['volumes', '[]', 'projected', 'sources', '[]', 'configMap', 'name'] },
  { kind: 'Secret', referrers: 'pod', path: ['volumes', '[]', 'secret', 'secretName'] },
  { kind: 'Secret', referrers: 'pod', path: ['volumes', '[]', 'projected', 'sources', '[]', 'secret', 'name'] },
  { kind: 'Secret', referrers: 'pod', path: ['imagePullSecrets', '[]', 'name'] },
  { kind: 'PersistentVolumeClaim', referrers: 'pod', path: ['volumes', '[]', 'persistentVolumeClaim', 'claimName'] },
  { kind: 'ServiceAccount', referrers: 'pod', path: ['serviceAccountName'] },
  { kind: 'ServiceAccount', referrers: 'pod', path: ['serviceAccount'] },
  { kind: 'PriorityClass', referrers: 'pod', path: ['priorityClassName'] },
  ...['containers', 'initContainers', 'ephemeralContainers'].flatMap((c): Reference[] => [
    { kind: 'ConfigMap', referrers: 'pod', path: [c, '[]', 'env', '[]', 'valueFrom', 'configMapKeyRef', 'name'] },
    { kind: 'ConfigMap', referrers: 'pod', path: [c, '[]', 'envFrom', '[]', 'configMapRef', 'name'] },
    { kind: 'Secret', referrers: 'pod', path: [c, '[]', 'env', '[]', 'valueFrom', 'secretKeyRef', 'name'] },
    { kind: 'Secret', referrers: 'pod', path: [c, '[]', 'envFrom', '[]', 'secretRef', 'name'] },
  ]),
];

const REFERENCES: readonly Reference[] = [
  ...POD_REFERENCES,
  { kind: 'Service', referrers: ['Ingress'], path: ['spec', 'rules', '[]', 'http', 'paths', '[]', 'backend', 'service', 'name'] },
  { kind: 'Service', referrers: ['Ingress'], path: ['spec', 'rules', '[]', 'http', 'paths', '[]', 'backend', 'serviceName'] },
  { kind: 'Service', referrers: ['Ingress'], path: ['spec', 'defaultBackend', 'service', 'name'] },
  { kind: 'Service', referrers: ['Ingress'], path: ['spec', 'backend', 'serviceName'] },
  { kind: 'Service', referrers: ['StatefulSet'], path: ['spec', 'serviceName'] },
  { kind: 'Service', referrers: ['APIService'], path: ['spec', 'service', 'name'] },
  {
    kind: 'Service',
    referrers: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    path: ['webhooks', '[]', 'clientConfig', 'service', 'name'],
  },
  { kind: 'Secret', referrers: ['Ingress'], path: ['spec', 'tls', '[]', 'secretName'] },
  { kind: 'Secret', referrers: ['ServiceAccount'], path: ['secrets', '[]', 'name'] },
  { kind: 'Secret', referrers: ['ServiceAccount'], path: ['imagePullSecrets', '[]', 'name'] },
  { kind: 'IngressClass', referrers: ['Ingress'], path: ['spec', 'ingressClassName'] },
  { kind: 'Role', referrers: ['RoleBinding'], path: ['roleRef', 'name'], kindField: 'kind' },
  { kind: 'ClusterRole', referrers: ['RoleBinding', 'ClusterRoleBinding'], path: ['roleRef', 'name'], kindField: 'kind' },
  { kind: 'ServiceAccount', referrers: ['RoleBinding', 'ClusterRoleBinding'], path: ['subjects', '[]', 'name'], kindField: 'kind' },
  { kind: 'PersistentVolume', referrers: ['PersistentVolumeClaim'], path: ['spec', 'volumeName'] },
  { kind: 'StorageClass', referrers: ['PersistentVolumeClaim'], path: ['spec', 'storageClassName'] },
  ...['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].map((k): Reference => ({
    kind: k,
    referrers: ['HorizontalPodAutoscaler'],
    path: ['spec', 'scaleTargetRef', 'name'],
    kindField: 'kind',
  })),
];

/**
 * kustomize's back-reference fix at the end of a build: a field that names an object by a name it
 * had (before a prefix, suffix or hash) names it by its final name. Among several objects with
 * that old name, the one in the referrer's namespace wins; an ambiguous reference is left alone.
 */
export function fixReferences(resources: readonly Res[]): void {
  const byKind = new Map<string, Res[]>();
  for (const r of resources) {
    const k = kindOf(r);
    const list = byKind.get(k);
    if (list === undefined) byKind.set(k, [r]);
    else list.push(r);
  }
  for (const r of resources) {
    const kind = kindOf(r);
    const podPath = podSpecPath(kind);
    for (const ref of REFERENCES) {
      let path: readonly string[];
      if (ref.referrers === 'pod') {
        if (podPath === undefined) continue;
        path = [...podPath, ...ref.path];
      } else {
        if (!ref.referrers.includes(kind)) continue;
        path = ref.path;
      }
      const candidates = byKind.get(ref.kind);
      if (candidates === undefined) continue;
      for (const x of nodesAt(r.node, path)) {
        const value = text(x.node);
        if (value === undefined || x.node === undefined) continue;
        if (ref.kindField !== undefined) {
          const k = text(getKey(x.parent, ref.kindField));
          if (k !== undefined && k !== ref.kind) continue;
          if (k === undefined && ref.kind !== 'ServiceAccount') continue;
        }
        const found = candidates.filter((c) => c.names.includes(value));
        if (found.length === 0) continue;
        if (found.some((c) => c.hashSuffix === true && c.contentUnknown === true)) {
          // A generated name whose hash depends on a file outside the workspace: not known.
          setKey(x.parent, x.key, { kind: 'scalar', value: null, unknown: true, quoted: false, span: x.node.span });
          continue;
        }
        const ns = namespaceOf(r);
        const local = found.filter((c) => namespaceOf(c) === ns);
        const pick = local.length > 0 ? local : found;
        const names = new Set(pick.map((c) => nameOf(c)));
        if (names.size !== 1) continue;
        const next = [...names][0];
        if (next === undefined || next === value) continue;
        setKey(x.parent, x.key, { ...x.node, kind: 'scalar', value: next, unknown: false, quoted: true, span: x.node.span });
      }
    }
  }
}
