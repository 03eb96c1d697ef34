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
import type { FieldSpec } from './configurations.js';
import { specPlaces, specSelects } from './configurations.js';
import type { Res } from './resource.js';
import { apiVersionOf, groupOf, isClusterScoped, kindOf, nameOf, namespaceOf, setName, setNamespace } from './resource.js';

const TEMPLATED_WORKLOADS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ReplicationController']);

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
 * ReplicationControllers, and the fields the `replicas` field specs of `configurations` name; how
 * many objects it matched (none stops kustomize: "resource with name … does not match a config").
 */
export function setReplicas(resources: readonly Res[], name: string, count: YNode, configured: readonly FieldSpec[] = []): number {
  let matched = 0;
  for (const r of resources) {
    if (!r.names.includes(name)) continue;
    const kind = kindOf(r);
    if (['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'].includes(kind)) {
      matched++;
      const spec = mapAt(r.node, ['spec'], true, count.span);
      if (spec !== undefined) setKey(spec, 'replicas', count, count.span);
    }
    for (const f of configured) {
      if (!specSelects(f, text(getKey(r.node, 'apiVersion')) ?? '', kind)) continue;
      matched++;
      for (const at of specPlaces(r.node, f, () => mapNode(count.span)))
        if (f.create || getKey(at.parent, at.key) !== undefined) setKey(at.parent, at.key, count, count.span);
    }
  }
  return matched;
}
