/**
 * `deprecated-api` at lowering time (docs/dev/api-rules.md §A.16): an apiVersion that a
 * Kubernetes release stopped serving, with the release, so the check can compare it with
 * `kubeReach.kubernetesVersion`. For Ingress, the rewrite to `networking.k8s.io/v1` is computed
 * here too (docs/dev/checks-spec.md `ingress-deprecated-api`: ImplementationSpecific on every path, serviceName
 * → service.name, servicePort → port.number/name, spec.backend → spec.defaultBackend).
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { get, isMap, isScalar, isSeq, pair } from '../syntax/tree.js';
import type { ApiEdit, ApiFix, ApiSink } from './apiValidation.js';
import type { EditWriter } from '../edits/writer.js';
import { lineBreakOf } from '../edits/writer.js';
import { isBuiltinGroup } from './kinds.js';
import { editDistance } from '../text/editDistance.js';

interface Removal {
  readonly kind: string;
  readonly apiVersion: string;
  readonly removedIn: number;
  readonly replacement: string | undefined;
}

const R = (kind: string, apiVersions: readonly string[], removedIn: number, replacement: string | undefined): Removal[] =>
  apiVersions.map((apiVersion) => ({ kind, apiVersion, removedIn, replacement }));

/** §A.16: (kind, apiVersion) → the minor release that removed it and what to use instead. */
export const REMOVALS: readonly Removal[] = [
  ...R('Ingress', ['extensions/v1beta1', 'networking.k8s.io/v1beta1'], 22, 'networking.k8s.io/v1'),
  ...R('IngressClass', ['networking.k8s.io/v1beta1'], 22, 'networking.k8s.io/v1'),
  ...R('NetworkPolicy', ['extensions/v1beta1'], 16, 'networking.k8s.io/v1'),
  ...R('Deployment', ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'], 16, 'apps/v1'),
  ...R('DaemonSet', ['extensions/v1beta1', 'apps/v1beta2'], 16, 'apps/v1'),
  ...R('StatefulSet', ['apps/v1beta1', 'apps/v1beta2'], 16, 'apps/v1'),
  ...R('ReplicaSet', ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'], 16, 'apps/v1'),
  ...R('PodSecurityPolicy', ['extensions/v1beta1'], 16, undefined),
  ...R('PodSecurityPolicy', ['policy/v1beta1'], 25, undefined),
  ...R('EndpointSlice', ['discovery.k8s.io/v1beta1'], 25, 'discovery.k8s.io/v1'),
  ...R('CronJob', ['batch/v1beta1'], 25, 'batch/v1'),
  ...R('PodDisruptionBudget', ['policy/v1beta1'], 25, 'policy/v1'),
  ...R('HorizontalPodAutoscaler', ['autoscaling/v2beta1'], 25, 'autoscaling/v2'),
  ...R('HorizontalPodAutoscaler', ['autoscaling/v2beta2'], 26, 'autoscaling/v2'),
  ...R('Event', ['events.k8s.io/v1beta1'], 25, 'events.k8s.io/v1'),
  ...R('RuntimeClass', ['node.k8s.io/v1beta1'], 25, 'node.k8s.io/v1'),
  ...R('PriorityClass', ['scheduling.k8s.io/v1beta1'], 22, 'scheduling.k8s.io/v1'),
  ...R('CSIStorageCapacity', ['storage.k8s.io/v1beta1'], 27, 'storage.k8s.io/v1'),
  ...R('FlowSchema', ['flowcontrol.apiserver.k8s.io/v1beta1'], 26, 'flowcontrol.apiserver.k8s.io/v1'),
  ...R('PriorityLevelConfiguration', ['flowcontrol.apiserver.k8s.io/v1beta1'], 26, 'flowcontrol.apiserver.k8s.io/v1'),
  ...R('FlowSchema', ['flowcontrol.apiserver.k8s.io/v1beta2'], 29, 'flowcontrol.apiserver.k8s.io/v1'),
  ...R('PriorityLevelConfiguration', ['flowcontrol.apiserver.k8s.io/v1beta2'], 29, 'flowcontrol.apiserver.k8s.io/v1'),
  ...R('FlowSchema', ['flowcontrol.apiserver.k8s.io/v1beta3'], 32, 'flowcontrol.apiserver.k8s.io/v1'),
  // The 1.22 removals beyond networking (the deprecation guide's v1.22 section).
  ...['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].flatMap((k) =>
    R(k, ['rbac.authorization.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1alpha1'], 22, 'rbac.authorization.k8s.io/v1'),
  ),
  ...R('MutatingWebhookConfiguration', ['admissionregistration.k8s.io/v1beta1'], 22, 'admissionregistration.k8s.io/v1'),
  ...R('ValidatingWebhookConfiguration', ['admissionregistration.k8s.io/v1beta1'], 22, 'admissionregistration.k8s.io/v1'),
  ...R('CustomResourceDefinition', ['apiextensions.k8s.io/v1beta1'], 22, 'apiextensions.k8s.io/v1'),
  ...R('APIService', ['apiregistration.k8s.io/v1beta1'], 22, 'apiregistration.k8s.io/v1'),
  ...R('CertificateSigningRequest', ['certificates.k8s.io/v1beta1'], 22, 'certificates.k8s.io/v1'),
  ...R('Lease', ['coordination.k8s.io/v1beta1'], 22, 'coordination.k8s.io/v1'),
  ...['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'].flatMap((k) => R(k, ['storage.k8s.io/v1beta1'], 22, 'storage.k8s.io/v1')),
  ...R('PriorityLevelConfiguration', ['flowcontrol.apiserver.k8s.io/v1beta3'], 32, 'flowcontrol.apiserver.k8s.io/v1'),
];

/** Kinds whose replacement version reads the same fields (an apiVersion swap is the whole fix). */
const SAME_SCHEMA = new Set([
  'IngressClass',
  'PriorityClass',
  'CronJob',
  'RuntimeClass',
  'HorizontalPodAutoscaler',
  'CSIStorageCapacity',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'StorageClass',
  'Lease',
]);

const CAPABILITY = /\.Capabilities\b|KubeVersion|semverCompare|"[\w.-]*capabilities[\w.-]*"/;
const ACTION = /\{\{-?\s*(if|else if|else|end|range|with|define|block)\b([^}]*)\}\}/g;

/**
 * Whether `offset` sits inside a Helm `if`/`else` chain whose conditions look at the cluster's
 * capabilities or version (charts that carry both apiVersions on purpose), or call a library's
 * capability helper (`include "common.capabilities.psp.supported" .`, Bitnami's common library).
 * Read from the start of the file: the `if` that wraps a document sits before the document starts.
 */
function inCapabilityConditional(text: string, offset: number): boolean {
  const stack: boolean[] = [];
  const region = text.slice(0, offset);
  for (const m of region.matchAll(ACTION)) {
    const word = m[1] ?? '';
    const cond = CAPABILITY.test(m[2] ?? '');
    if (word === 'if') stack.push(cond);
    else if (word === 'else if') {
      if (stack.length > 0) stack[stack.length - 1] = (stack[stack.length - 1] ?? false) || cond;
    } else if (word === 'else') {
      // The else branch of a capability check is still part of it.
    } else if (word === 'end') stack.pop();
    else stack.push(false);
  }
  return stack.some((x) => x);
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function slice(text: string, n: YNode): string {
  return text.slice(n.span.start, n.span.end);
}

/** The v1 form of a v1beta1 backend map, or undefined when it is not a plain serviceName/servicePort pair. */
function backendEdit(text: string, backend: YNode | undefined, nl: string, json: boolean): ApiEdit | undefined {
  if (!isMap(backend) || backend.unknown) return undefined;
  const nameP = pair(backend, 'serviceName');
  const portP = pair(backend, 'servicePort');
  if (nameP === undefined || portP === undefined || nameP.value === undefined || portP.value === undefined) return undefined;
  if (backend.pairs.some((p) => p.key !== 'serviceName' && p.key !== 'servicePort')) return undefined;
  const portNode = portP.value;
  // A templated port may render as a number or a name: the conversion cannot choose.
  if (!isScalar(portNode) || portNode.unknown) return undefined;
  const portText = slice(text, portNode);
  const numeric = typeof portNode.value === 'number' || (typeof portNode.value === 'string' && /^[0-9]+$/.test(portNode.value));
  const portKey = numeric ? 'number' : 'name';
  const portValue = numeric && typeof portNode.value === 'string' ? portNode.value : portText;
  const nameText = slice(text, nameP.value);
  if (json) return { span: backend.span, newText: `{"service": {"name": ${nameText}, "port": {"${portKey}": ${portValue}}}}` };
  if (backend.flow) {
    return { span: backend.span, newText: `{service: {name: ${nameText}, port: {${portKey}: ${portValue}}}}` };
  }
  const first = backend.pairs[0];
  const last = backend.pairs[backend.pairs.length - 1];
  if (first === undefined || last === undefined || last.value === undefined) return undefined;
  const col = columnOf(text, first.keySpan.start);
  const pad = (n: number): string => ' '.repeat(n);
  return {
    span: { start: first.keySpan.start, end: last.value.span.end },
    newText: `service:${nl}${pad(col + 2)}name: ${nameText}${nl}${pad(col + 2)}port:${nl}${pad(col + 4)}${portKey}: ${portValue}`,
  };
}

function insertPathType(w: EditWriter, text: string, item: YMap, value: string, nl: string): ApiEdit | undefined {
  const first = item.pairs[0];
  if (first === undefined) return undefined;
  if (w.language === 'json') return w.insertBefore(first.keySpan, 'pathType', value);
  const at = first.keySpan.start;
  if (item.flow) return { span: { start: at, end: at }, newText: `pathType: ${value}, ` };
  return { span: { start: at, end: at }, newText: `pathType: ${value}${nl}${' '.repeat(columnOf(text, at))}` };
}

/** The Ingress rewrite: one fix with ImplementationSpecific, and "use Prefix" when every path is plain. */
function ingressFixes(w: EditWriter, text: string, root: YMap, avNode: YNode): ApiFix[] {
  const json = w.language === 'json';
  const nl = lineBreakOf(text);
  const spec = get(root, 'spec');
  if (!isMap(spec) || spec.unknown) return [];
  const common: ApiEdit[] = [w.value(avNode.span, 'networking.k8s.io/v1')];
  const legacyDefault = pair(spec, 'backend');
  if (legacyDefault !== undefined) {
    const e = backendEdit(text, legacyDefault.value, nl, json);
    if (e === undefined) return [];
    common.push(w.key(legacyDefault.keySpan, 'defaultBackend'), e);
  }
  const items: YMap[] = [];
  const rules = get(spec, 'rules');
  if (rules !== undefined && (!isSeq(rules) || rules.unknown)) return [];
  for (const rule of isSeq(rules) ? rules.items : []) {
    if (!isMap(rule) || rule.unknown) return [];
    const http = get(rule, 'http');
    if (http === undefined) continue;
    const paths = get(http, 'paths');
    if (!isMap(http) || http.unknown || !isSeq(paths) || paths.unknown) return [];
    for (const item of paths.items) {
      if (!isMap(item) || item.unknown) return [];
      const e = backendEdit(text, get(item, 'backend'), nl, json);
      if (e === undefined) return [];
      common.push(e);
      items.push(item);
    }
  }
  const withPathType = (value: string): ApiEdit[] | undefined => {
    const edits = [...common];
    for (const item of items) {
      if (pair(item, 'pathType') !== undefined) continue;
      const e = insertPathType(w, text, item, value, nl);
      if (e === undefined) return undefined;
      edits.push(e);
    }
    return edits;
  };
  const fixes: ApiFix[] = [];
  const keep = withPathType('ImplementationSpecific');
  if (keep === undefined) return [];
  fixes.push({
    title: 'Convert to networking.k8s.io/v1 (pathType: ImplementationSpecific keeps the matching)',
    edits: keep,
    isPreferred: true,
  });
  const plain =
    items.length > 0 &&
    items.every((it) => {
      const p = get(it, 'path');
      return isScalar(p) && !p.unknown && typeof p.value === 'string' && /^\/[A-Za-z0-9/_-]*$/.test(p.value);
    });
  if (plain) {
    const prefix = withPathType('Prefix');
    if (prefix !== undefined) fixes.push({ title: 'Convert to networking.k8s.io/v1 with pathType: Prefix', edits: prefix });
  }
  return fixes;
}

export function deprecationFinding(s: ApiSink, root: YMap, apiVersion: string, kind: string, text: string, renderedHelm: boolean): void {
  const removal = REMOVALS.find((r) => r.kind === kind && r.apiVersion === apiVersion);
  if (removal === undefined) return;
  const avPairs = root.pairs.filter((p) => p.key === 'apiVersion');
  const avNode = avPairs[0]?.value;
  // A second apiVersion key, or a capabilities conditional around it: the chart picks per cluster.
  if (avNode === undefined || avPairs.length > 1) return;
  if (text.includes('{{') && inCapabilityConditional(text, avNode.span.start)) return;
  const use = removal.replacement === undefined ? 'there is no replacement API' : `use ${removal.replacement} ${kind}`;
  const message = `${apiVersion} ${kind} is no longer served since Kubernetes 1.${removal.removedIn} (kubectl: no matches for kind "${kind}" in version "${apiVersion}"); ${use}`;
  const fixes =
    kind === 'Ingress'
      ? ingressFixes(s.writer, text, root, avNode)
      : removal.replacement !== undefined &&
          SAME_SCHEMA.has(kind) &&
          !(kind === 'HorizontalPodAutoscaler' && apiVersion !== 'autoscaling/v2beta2')
        ? [{ title: `Use ${removal.replacement}`, edits: [s.scalarEdit(avNode.span, removal.replacement)], isPreferred: true }]
        : [];
  s.add(
    'A16',
    'deprecated-api',
    avNode.span,
    message,
    (m) => (m >= removal.removedIn ? (renderedHelm ? 'warning' : 'error') : undefined),
    fixes,
  );
}

/**
 * §A.16, kinds never served: the kinds the built-in groups serve at their GA version (Kubernetes
 * 1.36). A kind of these groups written with an apiVersion that does not serve it (`v1` Deployment,
 * `apps/v2` StatefulSet, `core/v1` Namespace: custom groups must hold a dot), or a typo of one of
 * them (`v1` Servce), gets kubectl's `no matches for kind`. Other unknown kinds stay silent: OpenShift's legacy `v1` kinds
 * (Template, Route) and alpha or beta versions a feature gate may serve.
 */
const SERVED: ReadonlyMap<string, readonly string[]> = new Map([
  [
    'v1',
    [
      'Binding',
      'ComponentStatus',
      'ConfigMap',
      'Endpoints',
      'Event',
      'LimitRange',
      'List',
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
  ['apps/v1', ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet']],
  ['batch/v1', ['CronJob', 'Job']],
  ['networking.k8s.io/v1', ['IPAddress', 'Ingress', 'IngressClass', 'NetworkPolicy', 'ServiceCIDR']],
  ['policy/v1', ['Eviction', 'PodDisruptionBudget']],
  ['rbac.authorization.k8s.io/v1', ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']],
]);
/** The served apiVersion of a kind of the built-in groups above. */
function servedVersionOf(kind: string): string | undefined {
  for (const [apiVersion, kinds] of SERVED) if (kinds.includes(kind)) return apiVersion;
  return undefined;
}

/** A served kind one or two letters off `kind` (a typo), for the same apiVersion. */
function typoOf(kind: string, apiVersion: string): string | undefined {
  const lower = kind.toLowerCase();
  return SERVED.get(apiVersion)?.find(
    (k) => k.toLowerCase() === lower || (Math.abs(k.length - kind.length) <= 2 && editDistance(k, kind, 2) <= 2),
  );
}

export function unservedFinding(s: ApiSink, root: YMap, apiVersion: string, group: string, kind: string, renderedHelm: boolean): void {
  if (kind.endsWith('List') || REMOVALS.some((r) => r.kind === kind && r.apiVersion === apiVersion)) return;
  const served = SERVED.get(apiVersion);
  if (served?.includes(kind) === true) return;
  const home = servedVersionOf(kind);
  // Only the built-in groups, and a made-up group without a dot for a built-in kind (`core/v1`
  // Namespace): a custom resource may share a built-in kind's name (Knative's Service).
  if (!isBuiltinGroup(group) && (group.includes('.') || home === undefined)) return;
  const avPairs = root.pairs.filter((p) => p.key === 'apiVersion');
  const avNode = avPairs[0]?.value;
  if (avNode === undefined || avPairs.length > 1) return;
  const typo = served !== undefined ? typoOf(kind, apiVersion) : undefined;
  let advice: string;
  if (home !== undefined && home !== apiVersion) advice = `use ${home} ${kind}`;
  else if (typo !== undefined) advice = `did you mean ${apiVersion} ${typo}?`;
  else return;
  const message = `${apiVersion} ${kind} is not served by Kubernetes (kubectl: no matches for kind "${kind}" in version "${apiVersion}"); ${advice}`;
  const fixes =
    home !== undefined && home !== apiVersion
      ? [{ title: `Use ${home}`, edits: [s.scalarEdit(avNode.span, home)], isPreferred: true }]
      : typo !== undefined
        ? [{ title: `Use kind ${typo}`, edits: [s.scalarEdit(get(root, 'kind')?.span ?? avNode.span, typo)], isPreferred: true }]
        : [];
  s.add('A16', 'deprecated-api', avNode.span, message, () => (renderedHelm ? 'warning' : 'error'), fixes);
}
