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
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { getKey, mapAt, mapNode, nodesAt, scalarNode, setKey, text } from './nodes.js';
import type { ConfiguredReference, FieldSpec } from './configurations.js';
import { fieldsAt, specPlaces, specSelects } from './configurations.js';
import type { Res } from './resource.js';
import {
  apiVersionOf,
  effectiveNamespace,
  groupOf,
  isClusterScoped,
  kindOf,
  nameOf,
  namespaceOf,
  setName,
  setNamespace,
} from './resource.js';

const TEMPLATED_WORKLOADS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ReplicationController']);

/** The path of a kind's pod spec. */
export function podSpecPath(kind: string): string[] | undefined {
  if (kind === 'Pod') return ['spec'];
  if (TEMPLATED_WORKLOADS.has(kind) || kind === 'Job') return ['spec', 'template', 'spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return undefined;
}

/**
 * `namespace:` (kustomize's namespace transformer and its default field specs): every namespaced
 * object; the name of a `v1` Namespace object; the ServiceAccount subjects named `default` of role
 * bindings (`setRoleBindingSubjects: defaultOnly`); an APIService's service namespace (created when
 * missing, as kustomize does) and a CRD conversion webhook's. A webhook configuration's service
 * follows the Service it names at the end of the build (`fixReferences`), not this. An object a
 * chart of `helmCharts` rendered keeps the namespace Helm gave it (kustomize ≥ 5.8 leaves chart
 * output to Helm, whose release namespace is the kustomization's: helm.ts); one the chart left
 * without a namespace gets this one's metadata.namespace only, as kustomize ≤ 5.7 set it (5.8.0
 * and 5.8.1 leave it without one: kustomize#6058, accepted as a bug).
 */
export function setNamespaces(resources: readonly Res[], ns: string, span: Span, configured: readonly FieldSpec[] = []): void {
  // kustomize's namespace filter sets metadata.namespace and role binding subjects itself, whatever the field specs say.
  const extra = configured.filter((f) => f.path.join('/') !== 'metadata/namespace' && f.path[0] !== 'subjects');
  for (const r of resources) {
    const kind = kindOf(r);
    if (r.helm === true) {
      // A chart's object stays where Helm put it; one it left without a namespace gets this one.
      if (!isClusterScoped(r) && (namespaceOf(r) ?? '') === '') setNamespace(r, ns, span);
      continue;
    }
    if (!isClusterScoped(r)) setNamespace(r, ns, span);
    if (kind === 'Namespace' && text(getKey(r.node, 'apiVersion')) === 'v1' && nameOf(r) !== ns) setName(r, ns, span);
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      const subjects = getKey(r.node, 'subjects');
      if (isSeq(subjects)) {
        for (const s of subjects.items) {
          if (isMap(s) && text(getKey(s, 'name')) === 'default') setKey(s, 'namespace', scalarNode(ns, span), span);
        }
      }
    }
    if (kind === 'APIService' && groupOf(r) === 'apiregistration.k8s.io') {
      const service = mapAt(r.node, ['spec', 'service'], true, span);
      if (service !== undefined) setKey(service, 'namespace', scalarNode(ns, span), span);
    }
    if (kind === 'CustomResourceDefinition' && groupOf(r) === 'apiextensions.k8s.io')
      for (const x of nodesAt(r.node, ['spec', 'conversion', 'webhook', 'clientConfig', 'service', 'namespace']))
        if (x.node !== undefined) setKey(x.parent, 'namespace', scalarNode(ns, span));
    for (const f of extra) {
      if (!specSelects(f, apiVersionOf(r), kind)) continue;
      for (const at of specPlaces(r.node, f, () => mapNode(span)))
        if (f.create || getKey(at.parent, at.key) !== undefined) setKey(at.parent, at.key, scalarNode(ns, span), span);
    }
  }
}

/** The kinds kustomize's prefix and suffix transformers leave alone, every field of them (`prefixFieldSpecsToSkip`). */
function affixSkipped(r: Res): boolean {
  const kind = kindOf(r);
  return kind === 'CustomResourceDefinition' || kind === 'Namespace' || (kind === 'APIService' && groupOf(r) === 'apiregistration.k8s.io');
}

const METADATA_NAME: FieldSpec = { path: ['metadata', 'name'], create: false };

/**
 * kustomize's PrefixTransformer or SuffixTransformer: `affix` added to the fields `specs` name on
 * every object but CustomResourceDefinitions, APIServices and Namespaces. A `metadata/name` spec
 * renames the object (its previous id kept) and records the affix for the name references
 * (`Res.prefixes`/`suffixes`); an empty affix changes nothing.
 */
export function affixFields(
  resources: readonly Res[],
  side: 'prefix' | 'suffix',
  affix: string,
  specs: readonly FieldSpec[],
  span: Span,
): void {
  if (affix === '') return;
  const affixed = (v: string): string => (side === 'prefix' ? `${affix}${v}` : `${v}${affix}`);
  for (const r of resources) {
    if (affixSkipped(r)) continue;
    const kind = kindOf(r);
    const apiVersion = apiVersionOf(r);
    for (const f of specs) {
      if (!specSelects(f, apiVersion, kind)) continue;
      if (f.path.join('/') === 'metadata/name') {
        const name = nameOf(r);
        if (name === undefined) continue;
        if (side === 'prefix') (r.prefixes ??= []).push(affix);
        else (r.suffixes ??= []).push(affix);
        setName(r, affixed(name), span);
        continue;
      }
      for (const at of specPlaces(r.node, f, () => mapNode(span))) {
        const v = text(getKey(at.parent, at.key));
        if (v !== undefined) setKey(at.parent, at.key, scalarNode(affixed(v), span), span);
      }
    }
  }
}

/**
 * `namePrefix` / `nameSuffix`: kustomize's prefix transformer, then its suffix transformer, each on
 * `metadata/name` and the field specs `configurations` add.
 */
export function affixNames(
  resources: readonly Res[],
  prefix: string,
  suffix: string,
  span: Span,
  /** The `namePrefix` and `nameSuffix` field specs of `configurations`: more fields that get the prefix or the suffix. */
  configured: { readonly prefix: readonly FieldSpec[]; readonly suffix: readonly FieldSpec[] } = { prefix: [], suffix: [] },
): void {
  const more = (specs: readonly FieldSpec[]): FieldSpec[] => specs.filter((f) => f.path.join('/') !== 'metadata/name');
  affixFields(resources, 'prefix', prefix, [METADATA_NAME, ...more(configured.prefix)], span);
  affixFields(resources, 'suffix', suffix, [METADATA_NAME, ...more(configured.suffix)], span);
}

export interface LabelEntry {
  readonly key: string;
  readonly value: string;
  readonly keySpan: Span;
  readonly valueSpan: Span;
}

/** The string entries of a kustomization's label or annotation map (unknown values left out). */
export function labelEntries(n: YNode | undefined): LabelEntry[] {
  if (!isMap(n)) return [];
  const out: LabelEntry[] = [];
  for (const p of n.pairs) {
    const v = p.value;
    if (v === undefined || !isScalar(v) || v.unknown) continue;
    out.push({ key: p.key, value: v.value === null ? '' : String(v.value), keySpan: p.keySpan, valueSpan: v.span });
  }
  return out;
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
  // Pod (anti-)affinity terms and topology spread constraints of Deployments and StatefulSets.
  ...['Deployment', 'StatefulSet'].flatMap((k): Array<readonly [readonly string[], readonly string[], boolean]> => [
    ...['podAffinity', 'podAntiAffinity'].flatMap((a): Array<readonly [readonly string[], readonly string[], boolean]> => [
      [
        [k],
        [
          'spec',
          'template',
          'spec',
          'affinity',
          a,
          'preferredDuringSchedulingIgnoredDuringExecution',
          '[]',
          'podAffinityTerm',
          'labelSelector',
          'matchLabels',
        ],
        false,
      ],
      [
        [k],
        ['spec', 'template', 'spec', 'affinity', a, 'requiredDuringSchedulingIgnoredDuringExecution', '[]', 'labelSelector', 'matchLabels'],
        false,
      ],
    ]),
    [[k], ['spec', 'template', 'spec', 'topologySpreadConstraints', '[]', 'labelSelector', 'matchLabels'], false],
  ]),
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
  configured: readonly FieldSpec[] = [],
): void {
  if (labels.length === 0) return;
  for (const r of resources) {
    const kind = kindOf(r);
    labelAt(r.node, ['metadata', 'labels'], true, labels, uri, span);
    if (scope.selectors)
      for (const [kinds, path, create] of SELECTOR_FIELDS) if (kinds.includes(kind)) labelAt(r.node, path, create, labels, uri, span);
    if (scope.selectors || scope.templates)
      for (const [kinds, path, create] of TEMPLATE_FIELDS) if (kinds.includes(kind)) labelAt(r.node, path, create, labels, uri, span);
    pairsAtSpecs(r, configured, labels, uri, span);
  }
}

/** Adds the pairs at the maps more field specs (`configurations`, `labels[].fields`) name, creating them when a spec says so. */
export function pairsAtSpecs(r: Res, specs: readonly FieldSpec[], pairs: readonly LabelEntry[], uri: string, span: Span): void {
  for (const f of specs) {
    if (!specSelects(f, apiVersionOf(r), kindOf(r))) continue;
    for (const at of specPlaces(r.node, f, () => mapNode({ ...span, uri }))) {
      let m = getKey(at.parent, at.key);
      if (!isMap(m) && f.create && (m === undefined || (m.kind === 'scalar' && m.value === null && !m.unknown)))
        setKey(at.parent, at.key, (m = mapNode({ ...span, uri })), { ...span, uri });
      if (isMap(m) && !m.unknown) addPairs(m, pairs, uri);
    }
  }
}

/** `commonAnnotations`: metadata of every object and the pod templates of workloads. */
export function addAnnotations(
  resources: readonly Res[],
  annotations: readonly LabelEntry[],
  uri: string,
  span: Span,
  configured: readonly FieldSpec[] = [],
): void {
  if (annotations.length === 0) return;
  for (const r of resources) {
    pairsAtSpecs(r, configured, annotations, uri, span);
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

/**
 * `replicas`: spec.replicas of the named Deployments, ReplicaSets, StatefulSets and
 * ReplicationControllers, and the fields the `replicas` field specs of `configurations` name.
 */
export function setReplicas(resources: readonly Res[], name: string, count: YNode, configured: readonly FieldSpec[] = []): void {
  for (const r of resources) {
    if (!r.names.includes(name)) continue;
    const kind = kindOf(r);
    if (['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'].includes(kind)) {
      const spec = mapAt(r.node, ['spec'], true, count.span);
      if (spec !== undefined) setKey(spec, 'replicas', count, count.span);
    }
    for (const f of configured) {
      if (!specSelects(f, text(getKey(r.node, 'apiVersion')) ?? '', kind)) continue;
      for (const at of specPlaces(r.node, f, () => mapNode(count.span)))
        if (f.create || getKey(at.parent, at.key) !== undefined) setKey(at.parent, at.key, count, count.span);
    }
  }
}

/** A field that names an object of `kind` (kustomize's nameReference field specs). */
interface Reference {
  readonly kind: string;
  readonly referrers: readonly string[] | 'pod';
  readonly path: readonly string[];
  /** The referrer names the object only when a sibling field says its kind (roleRef, scaleTargetRef). */
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
  { kind: 'Secret', referrers: ['Ingress'], path: ['spec', 'tls', '[]', 'secretName'] },
  { kind: 'Secret', referrers: ['ServiceAccount'], path: ['imagePullSecrets', '[]', 'name'] },
  { kind: 'IngressClass', referrers: ['Ingress'], path: ['spec', 'ingressClassName'] },
  { kind: 'Role', referrers: ['RoleBinding'], path: ['roleRef', 'name'], kindField: 'kind' },
  { kind: 'ClusterRole', referrers: ['RoleBinding', 'ClusterRoleBinding'], path: ['roleRef', 'name'], kindField: 'kind' },
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
 * A reference that is a map with `name` and `namespace` (role binding subjects, webhook services):
 * kustomize sets both from the object it names, and looks that object up by the namespace the map
 * names (the objects first in that namespace, else those now in it).
 */
const MAP_REFERENCES: ReadonlyArray<{ readonly kind: string; readonly referrers: readonly string[]; readonly path: readonly string[] }> = [
  { kind: 'ServiceAccount', referrers: ['RoleBinding', 'ClusterRoleBinding'], path: ['subjects', '[]'] },
  {
    kind: 'Service',
    referrers: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    path: ['webhooks', '[]', 'clientConfig', 'service'],
  },
];

/** The maps at `path` (a path ending in `[]`: the map items of that list). */
function mapsAt(root: YNode, path: readonly string[]): YMap[] {
  if (path[path.length - 1] !== '[]') return nodesAt(root, path).flatMap((x) => (isMap(x.node) ? [x.node] : []));
  return nodesAt(root, path.slice(0, -1)).flatMap((x) => (isSeq(x.node) ? x.node.items.filter(isMap) : []));
}

/** The namespaces a RoleBinding's ServiceAccount subjects name (kustomize lets it refer to objects there). */
function subjectNamespaces(r: Res): Set<string> {
  const out = new Set<string>();
  if (kindOf(r) !== 'RoleBinding') return out;
  for (const s of mapsAt(r.node, ['subjects', '[]'])) {
    const ns = text(getKey(s, 'namespace'));
    if (ns !== undefined && text(getKey(s, 'kind')) === 'ServiceAccount') out.add(ns);
  }
  return out;
}

/**
 * The objects `referrer` may name (kustomize's `SubsetThatCouldBeReferencedByResource` and its
 * `sameCurrentNamespaceAsReferrer` sieve): anything from a cluster-scoped referrer; otherwise
 * cluster-scoped objects, objects of its own namespace (none and `default` are one), and
 * ServiceAccounts in the namespaces a RoleBinding's subjects name.
 */
function referable(referrer: Res, all: readonly Res[]): Res[] {
  const own = effectiveNamespace(referrer);
  if (own === undefined) return [...all];
  const named = subjectNamespaces(referrer);
  return all.filter((c) => {
    const ns = effectiveNamespace(c);
    if (ns === undefined || ns === own) return true;
    return kindOf(c) === 'ServiceAccount' && named.has(namespaceOf(c) ?? '');
  });
}

/**
 * kustomize's `SameEndingSubSlice`: the shorter list is the end of the longer one (an empty list
 * ends only an empty one).
 */
function sameEnding(a: readonly string[], b: readonly string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const diff = long.length - short.length;
  if (short.length === 0) return diff === 0;
  return short.every((x, i) => long[i + diff] === x);
}

/**
 * kustomize's `PrefixesSuffixesEquals`: the candidate's prefixes and suffixes end as the
 * referrer's; with `allowEmpty`, a side where either has none matches anything.
 */
function affixesEqual(c: Res, referrer: Res, allowEmpty: boolean): boolean {
  const side = (x: readonly string[] | undefined, y: readonly string[] | undefined): boolean =>
    (allowEmpty && ((x ?? []).length === 0 || (y ?? []).length === 0)) || sameEnding(x ?? [], y ?? []);
  return side(c.prefixes, referrer.prefixes) && side(c.suffixes, referrer.suffixes);
}

/**
 * kustomize's `selectReferral`: the one object of `kind` that had `name` before a transformer
 * changed it. Among several, those whose prefixes and suffixes end as the referrer's (a DaemonSet an
 * overlay's `nameSuffix: -data-plane` renamed names the ServiceAccount renamed with it, not a
 * sibling overlay's).
 */
function selectReferral(
  candidates: readonly Res[],
  kind: string,
  name: string,
  referrer: Res,
  sameNamespace: boolean,
): Res | 'unknown' | undefined {
  let found = candidates.filter((c) => kindOf(c) === kind && c.previous?.includes(name) === true);
  if (found.some((c) => c.hashSuffix === true && c.contentUnknown === true)) return 'unknown';
  if (found.length === 1) return found[0];
  found = found.filter((c) => affixesEqual(c, referrer, true));
  if (found.length > 1) found = found.filter((c) => affixesEqual(c, referrer, false));
  const first = found[0];
  if (first === undefined) return undefined;
  if (found.length === 1) return first;
  // Several: the same name (and namespace) in all is one referral; otherwise kustomize stops with
  // an error and the reference is left as written.
  const same = found.every((c) => nameOf(c) === nameOf(first) && (!sameNamespace || namespaceOf(c) === namespaceOf(first)));
  return same ? first : undefined;
}

/**
 * kustomize's back-reference fix at the end of a build (its nameReference transformer): a field
 * that names an object by a name it had before a transformer changed it (a namespace, prefix,
 * suffix or hash) names it by its final name. The object must be one the referrer may name (its
 * namespace, cluster-scoped, or a ServiceAccount); a map reference (`subjects`, a webhook's
 * service) gets the object's namespace too; an ambiguous reference is left alone.
 */
export function fixReferences(resources: readonly Res[], configured: readonly ConfiguredReference[] = []): void {
  const unknownName = (x: { parent: YMap; key: string; node: YNode | undefined }): void => {
    if (x.node !== undefined) setKey(x.parent, x.key, { kind: 'scalar', value: null, unknown: true, quoted: false, span: x.node.span });
  };
  // Only kinds some object of which a transformer touched can be referrals: the other references
  // are not looked at (most builds rename a few kinds).
  const referrals = new Set<string>();
  for (const r of resources) if (r.previous !== undefined) referrals.add(kindOf(r));
  if (referrals.size === 0) return;
  for (const r of resources) {
    const kind = kindOf(r);
    const podPath = podSpecPath(kind);
    let candidates: Res[] | undefined;
    const visible = (): Res[] => (candidates ??= referable(r, resources));
    for (const ref of REFERENCES) {
      if (!referrals.has(ref.kind)) continue;
      let path: readonly string[];
      if (ref.referrers === 'pod') {
        if (podPath === undefined) continue;
        path = [...podPath, ...ref.path];
      } else {
        if (!ref.referrers.includes(kind)) continue;
        path = ref.path;
      }
      for (const x of nodesAt(r.node, path)) {
        const value = text(x.node);
        if (value === undefined || x.node === undefined) continue;
        if (ref.kindField !== undefined) {
          const k = text(getKey(x.parent, ref.kindField));
          if (k !== ref.kind) continue;
        }
        const referral = selectReferral(visible(), ref.kind, value, r, false);
        if (referral === undefined) continue;
        if (referral === 'unknown') {
          // A generated name whose hash depends on a file outside the workspace: not known.
          unknownName(x);
          continue;
        }
        const next = nameOf(referral);
        if (next === undefined || next === value) continue;
        setKey(x.parent, x.key, { ...x.node, kind: 'scalar', value: next, unknown: false, quoted: true, span: x.node.span });
      }
    }
    // The name references `configurations` teach: kustomize's fieldSpecs, lists stepped through.
    for (const ref of configured) {
      if (!referrals.has(ref.kind) || (ref.referrerKind !== undefined && ref.referrerKind !== kind)) continue;
      if (ref.referrerGroup !== undefined && ref.referrerGroup !== groupOf(r)) continue;
      for (const x of fieldsAt(r.node, ref.path)) {
        const value = text(x.node);
        if (value === undefined || x.node === undefined) continue;
        const referral = selectReferral(visible(), ref.kind, value, r, false);
        if (referral === undefined) continue;
        if (referral === 'unknown') {
          unknownName(x);
          continue;
        }
        const next = nameOf(referral);
        if (next === undefined || next === value) continue;
        setKey(x.parent, x.key, { ...x.node, kind: 'scalar', value: next, unknown: false, quoted: true, span: x.node.span });
      }
    }
    for (const ref of MAP_REFERENCES) {
      if (!referrals.has(ref.kind) || !ref.referrers.includes(kind)) continue;
      for (const m of mapsAt(r.node, ref.path)) {
        const nameNode = getKey(m, 'name');
        const value = text(nameNode);
        if (value === undefined || nameNode === undefined) continue;
        let pool = visible();
        const nsNode = getKey(m, 'namespace');
        const ns = text(nsNode);
        if (nsNode !== undefined) {
          if (ns === undefined) continue;
          // The objects first in that namespace, else those now in it (any kind decides which group).
          const key = (n: string | undefined): string => (n === undefined || n === '' ? 'default' : n);
          const first = pool.filter((c) => !isClusterScoped(c) && key(c.namespaces[0]) === ns);
          pool = first.length > 0 ? first : pool.filter((c) => effectiveNamespace(c) === ns);
        }
        const referral = selectReferral(pool, ref.kind, value, r, true);
        if (referral === undefined) continue;
        if (referral === 'unknown') {
          unknownName({ parent: m, key: 'name', node: nameNode });
          continue;
        }
        const next = nameOf(referral);
        const nextNs = namespaceOf(referral);
        if (next === undefined || (next === value && (nextNs === undefined || nextNs === ''))) continue;
        if (next !== value)
          setKey(m, 'name', { ...nameNode, kind: 'scalar', value: next, unknown: false, quoted: true, span: nameNode.span });
        if (nextNs !== undefined && nextNs !== '' && nextNs !== ns)
          setKey(m, 'namespace', scalarNode(nextNs, nsNode?.span ?? nameNode.span));
      }
    }
  }
}
