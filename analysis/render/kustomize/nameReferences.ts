/**
 * kustomize's back-reference fix at the end of a top build (its nameReference transformer,
 * `api/filters/nameref`): a field that names an object by a name it had before a transformer
 * changed it (a namespace, prefix, suffix or hash) names it by its final name. Which fields name
 * which kinds is kustomize v5.5.0's default nameReference configuration (`builtinpluginconsts`,
 * written out below), plus the `nameReference` entries of `configurations` and `crds`.
 */

import type { YMap, YNode } from '../../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { getKey, scalarNode, setKey, text } from './nodes.js';
import type { ConfiguredReference } from './configurations.js';
import { fieldsAt, splitFieldPath } from './configurations.js';
import type { Res } from './resource.js';
import { apiVersionOf, effectiveNamespace, isClusterScoped, kindOf, nameOf, namespaceOf } from './resource.js';

/** Objects of a kind, group and version (each absent: any; kustomize's `Gvk.IsSelected`). */
interface Selector {
  readonly kind?: string;
  readonly group?: string;
  readonly version?: string;
}

/** A field (a fieldSpec path, lists stepped through wherever met) of objects `referrer` selects that names an object `target` selects. */
interface NameReference {
  readonly target: Selector;
  readonly referrer: Selector;
  readonly path: readonly string[];
}

/** `Kind`, `Kind.group`, `Kind/version` or `Kind.group/version` (the group has no `/`). */
function selector(id: string): Selector {
  const slash = id.indexOf('/');
  const kg = slash === -1 ? id : id.slice(0, slash);
  const dot = kg.indexOf('.');
  return {
    kind: dot === -1 ? kg : kg.slice(0, dot),
    ...(dot !== -1 ? { group: kg.slice(dot + 1) } : {}),
    ...(slash !== -1 ? { version: id.slice(slash + 1) } : {}),
  };
}

const WORKLOADS = 'Deployment ReplicaSet DaemonSet StatefulSet Job';
const SA_WORKLOADS = 'StatefulSet Deployment ReplicationController Job DaemonSet';

/** The pod spec fields naming a ConfigMap or Secret, under `at`. */
function podFields(at: string, secret: boolean): string[] {
  const [ref, keyRef, volume, projected] = secret
    ? ['secretRef', 'secretKeyRef', 'secret/secretName', 'secret/name']
    : ['configMapRef', 'configMapKeyRef', 'configMap/name', 'configMap/name'];
  return [
    `${at}volumes/${volume}`,
    `${at}containers/env/valueFrom/${keyRef}/name`,
    `${at}initContainers/env/valueFrom/${keyRef}/name`,
    `${at}containers/envFrom/${ref}/name`,
    `${at}initContainers/envFrom/${ref}/name`,
    ...(secret ? [`${at}imagePullSecrets/name`] : []),
    `${at}volumes/projected/sources/${projected}`,
  ];
}

/**
 * kustomize v5.5.0's default nameReference configuration (`api/internal/konfig/builtinpluginconsts/
 * namereference.go`; unchanged up to v5.8.1): the kind named, and each field with the kinds of
 * the objects holding it. As kustomize has it: ephemeral containers and a pod's deprecated
 * `serviceAccount` name nothing; a ReplicaSet's ServiceAccount, claims and PriorityClass and a
 * ReplicationController's ConfigMaps and Secrets are not followed; role rules' `resourceNames`
 * name ConfigMaps, Secrets and (of a ClusterRole) PersistentVolumes; and the IngressClass entry's
 * group is `networking.k8s.io/v1`, which no object has, so an Ingress keeps the class name it
 * was written with.
 */
const TABLE: ReadonlyArray<readonly [target: Selector, fields: ReadonlyArray<readonly [path: string, referrers: string]>]> = [
  [{ kind: 'Deployment' }, [['spec/scaleTargetRef/name', 'HorizontalPodAutoscaler']]],
  [{ kind: 'ReplicationController' }, [['spec/scaleTargetRef/name', 'HorizontalPodAutoscaler']]],
  [{ kind: 'ReplicaSet' }, [['spec/scaleTargetRef/name', 'HorizontalPodAutoscaler']]],
  [{ kind: 'StatefulSet' }, [['spec/scaleTargetRef/name', 'HorizontalPodAutoscaler']]],
  [
    { kind: 'ConfigMap', version: 'v1' },
    [
      ...podFields('spec/', false).map((p) => [p, 'Pod/v1'] as const),
      ...podFields('template/spec/', false).map((p) => [p, 'PodTemplate'] as const),
      ...podFields('spec/template/spec/', false).map((p) => [p, WORKLOADS] as const),
      ...podFields('spec/jobTemplate/spec/template/spec/', false).map((p) => [p, 'CronJob'] as const),
      ['spec/configSource/configMap', 'Node'],
      ['rules/resourceNames', 'Role ClusterRole'],
      ['metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap', 'Ingress'],
    ],
  ],
  [
    { kind: 'Secret', version: 'v1' },
    [
      ...podFields('spec/', true).map((p) => [p, 'Pod/v1'] as const),
      ...podFields('template/spec/', true).map((p) => [p, 'PodTemplate'] as const),
      ...podFields('spec/template/spec/', true).map(
        (p) =>
          [
            p,
            p.endsWith('containers/env/valueFrom/secretKeyRef/name') && !p.includes('init')
              ? `${WORKLOADS} Service.serving.knative.dev/v1`
              : WORKLOADS,
          ] as const,
      ),
      ...podFields('spec/jobTemplate/spec/template/spec/', true).map((p) => [p, 'CronJob'] as const),
      ['spec/tls/secretName', 'Ingress'],
      ['metadata/annotations/ingress.kubernetes.io\\/auth-secret', 'Ingress'],
      ['metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret', 'Ingress'],
      ['metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret', 'Ingress'],
      ['imagePullSecrets/name', 'ServiceAccount'],
      ['parameters/secretName', 'StorageClass'],
      ['parameters/adminSecretName', 'StorageClass'],
      ['parameters/userSecretName', 'StorageClass'],
      ['parameters/secretRef', 'StorageClass'],
      ['rules/resourceNames', 'Role ClusterRole'],
      ['spec/azureFile/secretName', 'PersistentVolume'],
    ],
  ],
  [
    { kind: 'Service', version: 'v1' },
    [
      ['spec/serviceName', 'StatefulSet.apps'],
      ['spec/rules/http/paths/backend/serviceName', 'Ingress'],
      ['spec/backend/serviceName', 'Ingress'],
      ['spec/rules/http/paths/backend/service/name', 'Ingress'],
      ['spec/defaultBackend/service/name', 'Ingress'],
      ['spec/service/name', 'APIService.apiregistration.k8s.io'],
      [
        'webhooks/clientConfig/service',
        'ValidatingWebhookConfiguration.admissionregistration.k8s.io MutatingWebhookConfiguration.admissionregistration.k8s.io',
      ],
    ],
  ],
  [{ kind: 'Role', group: 'rbac.authorization.k8s.io' }, [['roleRef/name', 'RoleBinding.rbac.authorization.k8s.io']]],
  [
    { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io' },
    [['roleRef/name', 'RoleBinding.rbac.authorization.k8s.io ClusterRoleBinding.rbac.authorization.k8s.io']],
  ],
  [
    { kind: 'ServiceAccount', version: 'v1' },
    [
      ['subjects', 'RoleBinding.rbac.authorization.k8s.io ClusterRoleBinding.rbac.authorization.k8s.io'],
      ['spec/serviceAccountName', 'Pod'],
      ['spec/template/spec/serviceAccountName', SA_WORKLOADS],
      ['spec/jobTemplate/spec/template/spec/serviceAccountName', 'CronJob'],
    ],
  ],
  [
    { kind: 'PersistentVolumeClaim', version: 'v1' },
    [
      ['spec/volumes/persistentVolumeClaim/claimName', 'Pod'],
      ['spec/template/spec/volumes/persistentVolumeClaim/claimName', SA_WORKLOADS],
      ['spec/jobTemplate/spec/template/spec/volumes/persistentVolumeClaim/claimName', 'CronJob'],
    ],
  ],
  [
    { kind: 'PersistentVolume', version: 'v1' },
    [
      ['spec/volumeName', 'PersistentVolumeClaim'],
      ['rules/resourceNames', 'ClusterRole'],
    ],
  ],
  [
    { kind: 'StorageClass', group: 'storage.k8s.io', version: 'v1' },
    [
      ['spec/storageClassName', 'PersistentVolume PersistentVolumeClaim'],
      ['spec/volumeClaimTemplates/spec/storageClassName', 'StatefulSet'],
    ],
  ],
  [
    { kind: 'PriorityClass', group: 'scheduling.k8s.io', version: 'v1' },
    [
      ['spec/priorityClassName', 'Pod'],
      ['spec/template/spec/priorityClassName', SA_WORKLOADS],
      ['spec/jobTemplate/spec/template/spec/priorityClassName', 'CronJob'],
    ],
  ],
  [{ kind: 'IngressClass', group: 'networking.k8s.io/v1', version: 'v1' }, [['spec/ingressClassName', 'Ingress']]],
  [
    { kind: 'ValidatingAdmissionPolicy', group: 'admissionregistration.k8s.io' },
    [['spec/policyName', 'ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io']],
  ],
];

const DEFAULTS: readonly NameReference[] = TABLE.flatMap(([target, fields]) =>
  fields.flatMap(([path, referrers]) =>
    referrers.split(' ').map((id): NameReference => ({ target, referrer: selector(id), path: splitFieldPath(path) })),
  ),
);

/** Whether an object of this apiVersion and kind is one the selector names (an empty group selects any). */
function selects(s: Selector, apiVersion: string, kind: string): boolean {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  return (
    (s.kind === undefined || s.kind === '' || s.kind === kind) &&
    (s.group === undefined || s.group === '' || s.group === group) &&
    (s.version === undefined || s.version === '' || s.version === version)
  );
}

function fromConfigured(c: ConfiguredReference): NameReference {
  return {
    target: {
      kind: c.kind,
      ...(c.group !== undefined ? { group: c.group } : {}),
      ...(c.version !== undefined ? { version: c.version } : {}),
    },
    referrer: {
      ...(c.referrerKind !== undefined ? { kind: c.referrerKind } : {}),
      ...(c.referrerGroup !== undefined ? { group: c.referrerGroup } : {}),
      ...(c.referrerVersion !== undefined ? { version: c.referrerVersion } : {}),
    },
    path: c.path,
  };
}

/** The namespaces a RoleBinding's ServiceAccount subjects name (kustomize lets it refer to objects there). */
function subjectNamespaces(r: Res): Set<string> {
  const out = new Set<string>();
  if (kindOf(r) !== 'RoleBinding') return out;
  const subjects = getKey(r.node, 'subjects');
  for (const s of isSeq(subjects) ? subjects.items : []) {
    const ns = text(getKey(s, 'namespace'));
    if (ns !== undefined && text(getKey(s, 'kind')) === 'ServiceAccount') out.add(ns);
  }
  return out;
}

/**
 * The objects `referrer` may name (kustomize's `SubsetThatCouldBeReferencedByResource` and its
 * `sameCurrentNamespaceAsReferrer` sieve): anything from a cluster-scoped referrer; otherwise
 * cluster-scoped objects, objects of its own namespace (none and `default` being one), and
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
 * kustomize's `roleRefFilter`: a `roleRef/name` names only an object of the roleRef's kind and
 * apiGroup (any, when the roleRef lacks either).
 */
function roleRefAccepts(referrer: Res, path: readonly string[]): (c: Res) => boolean {
  if (path.length < 2 || path[path.length - 1] !== 'name' || path[path.length - 2] !== 'roleRef') return () => true;
  const roleRef = getKey(referrer.node, 'roleRef');
  const group = text(getKey(roleRef, 'apiGroup'));
  const kind = text(getKey(roleRef, 'kind'));
  if (getKey(roleRef, 'apiGroup') === undefined || kind === undefined) return () => true;
  return (c) => selects({ kind, group: group ?? '' }, apiVersionOf(c), kindOf(c));
}

/**
 * kustomize's `selectReferral`: the one object the reference names, among the objects the
 * referrer may name that had the name before a transformer changed it. Among several, those whose
 * prefixes and suffixes end as the referrer's (a DaemonSet an overlay's `nameSuffix: -data-plane`
 * renamed names the ServiceAccount renamed with it, not a sibling overlay's).
 */
function selectReferral(
  candidates: readonly Res[],
  ref: NameReference,
  name: string,
  referrer: Res,
  sameNamespace: boolean,
): Res | 'unknown' | undefined {
  const roleRef = roleRefAccepts(referrer, ref.path);
  let found = candidates.filter(
    (c) => c.previous?.includes(name) === true && selects(ref.target, apiVersionOf(c), kindOf(c)) && roleRef(c),
  );
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

/** A name read as unknown: a generated name whose hash depends on a file outside the workspace. */
function unknownScalar(node: YNode): YNode {
  return { kind: 'scalar', value: null, unknown: true, quoted: false, span: node.span };
}

/**
 * Fixes every name reference of `resources` (kustomize's `FixBackReferences`, run once at the end
 * of the top build). A field is looked for as kustomize's fieldspec filter looks (lists stepped
 * through wherever met): a scalar is a name; a map (role binding subjects, a webhook's service, a
 * Node's config source) has a `name`, and an optional `namespace` that picks the objects first in
 * that namespace (else those now in it), and gets the object's namespace; a list has names or such
 * maps (`rules[].resourceNames`). An ambiguous reference is left alone.
 */
export function fixReferences(resources: readonly Res[], configured: readonly ConfiguredReference[] = []): void {
  // Only kinds some object of which a transformer touched can be referrals: the other references
  // are not looked at (most builds rename a few kinds).
  const referrals = new Set<string>();
  for (const r of resources) if (r.previous !== undefined) referrals.add(kindOf(r));
  if (referrals.size === 0) return;
  const refs = [...DEFAULTS, ...configured.map(fromConfigured)].filter(
    (ref) => ref.target.kind !== undefined && referrals.has(ref.target.kind),
  );
  if (refs.length === 0) return;
  for (const r of resources) {
    const kind = kindOf(r);
    const apiVersion = apiVersionOf(r);
    let candidates: Res[] | undefined;
    const visible = (): Res[] => (candidates ??= referable(r, resources));
    const scalar = (ref: NameReference, node: YNode, put: (n: YNode) => void): void => {
      const value = text(node);
      if (value === undefined) return;
      const referral = selectReferral(visible(), ref, value, r, false);
      if (referral === undefined) return;
      if (referral === 'unknown') return put(unknownScalar(node));
      const next = nameOf(referral);
      if (next === undefined || next === value) return;
      put({ ...node, kind: 'scalar', value: next, unknown: false, quoted: true, span: node.span });
    };
    const mapping = (ref: NameReference, m: YMap): void => {
      const nameNode = getKey(m, 'name');
      const value = text(nameNode);
      if (value === undefined || nameNode === undefined) return;
      let pool = visible();
      const nsNode = getKey(m, 'namespace');
      const ns = text(nsNode);
      if (nsNode !== undefined) {
        if (ns === undefined) return;
        // The objects first in that namespace, else those now in it (kustomize's
        // GroupedByOriginalNamespace, then GroupedByCurrentNamespace).
        const key = (n: string | undefined): string => (n === undefined || n === '' ? 'default' : n);
        const first = pool.filter((c) => !isClusterScoped(c) && key(c.namespaces[0]) === ns);
        pool = first.length > 0 ? first : pool.filter((c) => effectiveNamespace(c) === ns);
      }
      const referral = selectReferral(pool, ref, value, r, true);
      if (referral === undefined) return;
      if (referral === 'unknown') return setKey(m, 'name', unknownScalar(nameNode));
      const next = nameOf(referral);
      const nextNs = namespaceOf(referral);
      if (next === undefined || (next === value && (nextNs === undefined || nextNs === ''))) return;
      if (next !== value)
        setKey(m, 'name', { ...nameNode, kind: 'scalar', value: next, unknown: false, quoted: true, span: nameNode.span });
      if (nextNs !== undefined && nextNs !== '' && nextNs !== ns) setKey(m, 'namespace', scalarNode(nextNs, nsNode?.span ?? nameNode.span));
    };
    for (const ref of refs) {
      if (!selects(ref.referrer, apiVersion, kind)) continue;
      for (const x of fieldsAt(r.node, ref.path)) {
        const node = x.node;
        if (node === undefined) continue;
        if (isScalar(node)) scalar(ref, node, (n) => setKey(x.parent, x.key, n));
        else if (isMap(node)) mapping(ref, node);
        else if (isSeq(node))
          node.items.forEach((item, i) => {
            if (isScalar(item))
              scalar(ref, item, (n) => {
                node.items[i] = n;
              });
            else if (isMap(item)) mapping(ref, item);
          });
      }
    }
  }
}
