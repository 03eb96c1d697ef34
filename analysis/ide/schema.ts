/**
 * The Kubernetes API field documentation (generated at build time from kubernetes-models 1.36 by
 * scripts/gen-k8s-docs.ts), and the Gateway API's (from @kubernetes-models/gateway-api, same
 * script): field lookup by key path for hover and schema completion.
 */

import raw from './generated/k8sDocs.json';
import gatewayRaw from './generated/gatewayDocs.json';
import { isRecord } from '../narrow.js';
import { CLUSTER_POLICY_DOCS, isClusterPolicyKey } from './clusterPolicyDocs.js';

export interface FieldDoc {
  /** Description, as the Kubernetes API documents it. */
  readonly d: string;
  /** Type: `string`, `number|string`, `object[]`, `map[string]string`, … */
  readonly t: string;
  /** Required. */
  readonly r?: 1;
  /** Allowed values. */
  readonly e?: readonly string[];
  /** The type of the object, its items, or its map values. */
  readonly ref?: string;
}

export interface TypeDoc {
  readonly d: string;
  readonly f: Readonly<Record<string, FieldDoc>>;
}

export interface Docs {
  readonly source: { readonly package: string; readonly kubernetes: string };
  readonly roots: Readonly<Record<string, string>>;
  readonly types: Readonly<Record<string, TypeDoc>>;
}

/** Narrows the generated JSON once (a malformed table gives no docs rather than a crash). */
function narrow(v: unknown): Docs {
  const empty: Docs = { source: { package: '', kubernetes: '' }, roots: {}, types: {} };
  if (!isRecord(v) || !isRecord(v['source']) || !isRecord(v['roots']) || !isRecord(v['types'])) return empty;
  return v as unknown as Docs;
}

const K8S_DOCS: Docs = narrow(raw as unknown);

function narrowGateway(v: unknown): { readonly package: string; readonly roots: Docs['roots']; readonly types: Docs['types'] } {
  if (!isRecord(v) || !isRecord(v['source']) || !isRecord(v['roots']) || !isRecord(v['types']))
    return { package: '', roots: {}, types: {} };
  const pkg = v['source']['package'];
  return { package: typeof pkg === 'string' ? pkg : '', roots: v['roots'] as Docs['roots'], types: v['types'] as Docs['types'] };
}

const GATEWAY_TABLE = narrowGateway(gatewayRaw as unknown);

/** The Gateway API table's source package (`@kubernetes-models/gateway-api@2.0.0`). */
export const GATEWAY_DOCS_SOURCE: string = GATEWAY_TABLE.package;

/**
 * The tables as one: Gateway API and cluster network policy types (`clusterPolicyDocs.ts`, written
 * from the CRDs) refer to Kubernetes' (ObjectMeta, LabelSelector) by key.
 */
export const DOCS: Docs = {
  source: K8S_DOCS.source,
  roots: { ...K8S_DOCS.roots, ...GATEWAY_TABLE.roots, ...CLUSTER_POLICY_DOCS.roots },
  types: { ...K8S_DOCS.types, ...GATEWAY_TABLE.types, ...CLUSTER_POLICY_DOCS.types },
};

function isGatewayKey(key: string): boolean {
  return key.startsWith('gateway.networking.k8s.io/');
}

const ROOT_PAGES: Readonly<Record<string, string>> = {
  'v1/Service': 'service-resources/service-v1',
  'v1/Endpoints': 'service-resources/endpoints-v1',
  'discovery.k8s.io/v1/EndpointSlice': 'service-resources/endpoint-slice-v1',
  'networking.k8s.io/v1/Ingress': 'service-resources/ingress-v1',
  'networking.k8s.io/v1/IngressClass': 'service-resources/ingress-class-v1',
  'networking.k8s.io/v1/NetworkPolicy': 'policy-resources/network-policy-v1',
  'v1/Pod': 'workload-resources/pod-v1',
  'v1/ReplicationController': 'workload-resources/replication-controller-v1',
  'apps/v1/Deployment': 'workload-resources/deployment-v1',
  'apps/v1/StatefulSet': 'workload-resources/stateful-set-v1',
  'apps/v1/DaemonSet': 'workload-resources/daemon-set-v1',
  'apps/v1/ReplicaSet': 'workload-resources/replica-set-v1',
  'batch/v1/Job': 'workload-resources/job-v1',
  'batch/v1/CronJob': 'workload-resources/cron-job-v1',
  'v1/Namespace': 'cluster-resources/namespace-v1',
  'meta/v1/ObjectMeta': 'common-definitions/object-meta',
  'meta/v1/LabelSelector': 'common-definitions/label-selector',
};

/** A link to the Kubernetes API reference for a type, reached from a root kind. */
export function referenceUrl(rootKey: string, typeKey: string): string {
  if (isClusterPolicyKey(typeKey)) {
    // `policy.networking.k8s.io/v1alpha1/AdminNetworkPolicySpec` → the API reference's anchor.
    const slash = typeKey.lastIndexOf('/');
    return `https://network-policy-api.sigs.k8s.io/reference/spec/#${typeKey.slice(0, slash)}.${typeKey.slice(slash + 1)}`;
  }
  if (isGatewayKey(typeKey)) {
    // `gateway.networking.k8s.io/v1/HTTPRouteSpec` → the spec page's `gateway.networking.k8s.io/v1.HTTPRouteSpec`.
    const slash = typeKey.lastIndexOf('/');
    return `https://gateway-api.sigs.k8s.io/reference/spec/#${typeKey.slice(0, slash)}.${typeKey.slice(slash + 1)}`;
  }
  const own = ROOT_PAGES[typeKey];
  const page = own ?? ROOT_PAGES[rootKey] ?? '';
  const typeName = typeKey.slice(typeKey.lastIndexOf('/') + 1);
  return `https://kubernetes.io/docs/reference/kubernetes-api/${page}/${own !== undefined ? '' : `#${typeName}`}`;
}

export interface FieldHit {
  readonly name: string;
  readonly field: FieldDoc;
  /** The type that declares the field. */
  readonly owner: string;
  readonly root: string;
  /** The cursor is on a key of a map field (a label), not on the field itself. */
  readonly mapKey?: string;
}

/** The root type of a kind, for its apiVersion (`networking.k8s.io/v1`) and kind. */
export function rootType(apiVersion: string, kind: string): string | undefined {
  return DOCS.roots[`${apiVersion}/${kind}`];
}

/**
 * The field documented at a key path (`['spec', 'ports', '[0]', 'targetPort']`); list indexes are
 * skipped, map keys resolve to their map field.
 */
export function fieldAt(apiVersion: string, kind: string, keys: readonly string[]): FieldHit | undefined {
  const root = rootType(apiVersion, kind);
  if (root === undefined) return undefined;
  let typeKey: string | undefined = root;
  let hit: FieldHit | undefined;
  for (const key of keys) {
    if (key.startsWith('[')) continue;
    if (hit !== undefined && hit.field.t.startsWith('map[') && hit.field.ref === undefined) return { ...hit, mapKey: key };
    if (typeKey === undefined) return undefined;
    const type: TypeDoc | undefined = DOCS.types[typeKey];
    const field: FieldDoc | undefined = type?.f[key];
    if (field === undefined) return undefined;
    hit = { name: key, field, owner: typeKey, root };
    typeKey = field.ref;
  }
  return hit;
}

/**
 * Like `fieldAt`, falling back to the kind's other apiVersions: a Helm template that picks the
 * apiVersion by cluster capabilities still gets docs for the fields it writes.
 */
export function fieldAtAnyVersion(apiVersion: string, kind: string, keys: readonly string[]): FieldHit | undefined {
  const own = fieldAt(apiVersion, kind, keys);
  if (own !== undefined) return own;
  for (const rootKey of Object.keys(DOCS.roots)) {
    const slash = rootKey.lastIndexOf('/');
    if (rootKey.slice(slash + 1) !== kind || rootKey.slice(0, slash) === apiVersion) continue;
    const hit = fieldAt(rootKey.slice(0, slash), kind, keys);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** The type whose fields are written under a key path (for key completion). */
export function typeAt(apiVersion: string, kind: string, keys: readonly string[]): string | undefined {
  const root = rootType(apiVersion, kind);
  if (root === undefined) return undefined;
  if (keys.length === 0) return root;
  const hit = fieldAt(apiVersion, kind, keys);
  if (hit === undefined || hit.mapKey !== undefined) return undefined;
  return hit.field.ref;
}

/** Markdown for a field: name, type, required, allowed values, description, reference link. */
export function fieldMarkdown(hit: FieldHit): string {
  const f = hit.field;
  const typeDoc = f.d === '' && f.ref !== undefined ? (DOCS.types[f.ref]?.d ?? '') : f.d;
  const parts = [
    `**${hit.mapKey !== undefined ? `${hit.name}.${hit.mapKey}` : hit.name}** · \`${hit.mapKey !== undefined ? 'string' : f.t}\` · ${f.r === 1 ? 'required' : 'optional'}`,
    '',
  ];
  if (typeDoc !== '') parts.push(typeDoc.replace(/\n\nPossible enum values:[\s\S]*$/, ''), '');
  if (f.e !== undefined && f.e.length > 0) parts.push(`Allowed values: ${f.e.map((v) => `\`${v}\``).join(', ')}`, '');
  const typeName = hit.owner.slice(hit.owner.lastIndexOf('/') + 1);
  if (isClusterPolicyKey(hit.owner))
    parts.push(`[${typeName} in the Network Policy API reference](${referenceUrl(hit.root, hit.owner)}) · from the CRD schema`);
  else if (isGatewayKey(hit.owner))
    parts.push(`[${typeName} in the Gateway API reference](${referenceUrl(hit.root, hit.owner)}) · ${GATEWAY_DOCS_SOURCE}`);
  else
    parts.push(
      `[${typeName} in the Kubernetes API reference](${referenceUrl(hit.root, hit.owner)}) · Kubernetes ${DOCS.source.kubernetes}`,
    );
  return parts.join('\n');
}
