/**
 * API-server parity (docs/dev/design.md §3.2, docs/dev/api-rules.md §A.3–A.10): one walk over each
 * document's tree at lowering time, producing plain findings that `FileFacts` keeps (the host holds
 * no trees). Messages are the API server's per-field errors; where the wording or the verdict
 * depends on the Kubernetes version, a finding carries one variant per range of minor versions and
 * the check picks the one for `kubeReach.kubernetesVersion`.
 *
 * Firewall (docs/dev/checks-spec.md "API-server parity"): templated values and structurally unknown maps and
 * lists are never judged; rules that relate two fields, or claim a field is missing, need both to
 * be literal and their map closed. Patches are filtered at check time (the index knows them).
 */

import type { ParsedDocument } from '../syntax/parse.js';
import { isPatchDocument } from './patchShape.js';
import type { YMap } from '../syntax/tree.js';
import { get, isMap, isSeq } from '../syntax/tree.js';
import { deprecationFinding, unservedFinding } from './apiDeprecated.js';
import { EditWriter } from '../edits/writer.js';
import { isToolConfig, splitApiVersion } from './kinds.js';
import { GATEWAY_GROUP } from './gateway.js';
import { gatewayApiRules } from './gatewayValidation.js';
import { ingressClassRules, ingressRules } from './api/ingress.js';
import { booleanFieldRules } from './api/booleans.js';
import { metaRules } from './api/meta.js';
import { networkPolicyRules } from './api/networkPolicy.js';
import { str } from './api/nodes.js';
import { serviceRules } from './api/service.js';
import { ApiSink } from './api/sink.js';
import type { ApiFinding } from './api/sink.js';
import { namespaceRules, podSpecRules, templateRules, workloadRules } from './api/workload.js';

// The rules by object kind live in model/api/; their shapes are re-exported for the rest of the core.
export type { ApiEdit, ApiFinding, ApiFix, ApiVariant } from './api/sink.js';
export { ApiSink } from './api/sink.js';
export { builtNameFindings } from './api/meta.js';

/**
 * The kinds the Gateway API CRDs define (v1.5.1, both channels): other kinds of the group, such
 * as the conformance suite's ConformanceReport, are files, not API objects, and are not judged.
 */
const GATEWAY_KINDS: ReadonlySet<string> = new Set([
  'GatewayClass',
  'Gateway',
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
  'ReferenceGrant',
  'BackendTLSPolicy',
  'ListenerSet',
]);

/** (apiVersion, kind) pairs whose schema §A.3–A.10 describes. */
const VALIDATED: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['v1', new Set(['Service', 'Pod', 'Namespace', 'ReplicationController', 'Secret', 'ConfigMap'])],
  ['apps/v1', new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'])],
  ['batch/v1', new Set(['Job', 'CronJob'])],
  ['networking.k8s.io/v1', new Set(['Ingress', 'IngressClass', 'NetworkPolicy'])],
]);

function validateObject(
  root: YMap,
  out: ApiFinding[],
  text: string,
  docText: { start: number },
  renderedHelm: boolean,
  inherited?: { apiVersion: string; kind: string },
): void {
  const avNode = get(root, 'apiVersion');
  const kindNode = get(root, 'kind');
  const apiVersion = str(avNode) ?? (avNode === undefined ? inherited?.apiVersion : undefined);
  const kind = str(kindNode) ?? (kindNode === undefined ? inherited?.kind : undefined);
  if (apiVersion === undefined || kind === undefined) return;
  const { group } = splitApiVersion(apiVersion);
  if (isToolConfig(apiVersion, group, kind)) return;
  const items = get(root, 'items');
  if (kind.endsWith('List') && isSeq(items)) {
    const itemKind = kind === 'List' ? undefined : { apiVersion, kind: kind.slice(0, -4) };
    for (const it of items.items) if (isMap(it)) validateObject(it, out, text, docText, renderedHelm, itemKind);
    return;
  }
  const s = new ApiSink(out, root.span.start, new EditWriter('', text));
  const kindSpan = kindNode?.span ?? { start: root.span.start, end: root.span.start };
  deprecationFinding(s, root, apiVersion, kind, text, renderedHelm);
  unservedFinding(s, root, apiVersion, group, kind, renderedHelm);
  if (group === GATEWAY_GROUP && GATEWAY_KINDS.has(kind)) {
    // The Gateway API CRDs' schemas and CEL rules (model/gatewayValidation.ts, docs/dev/api-rules.md §A.10a).
    metaRules(s, root, kind, kindSpan);
    gatewayApiRules(s, root, kind, splitApiVersion(apiVersion).version);
    return;
  }
  if (VALIDATED.get(apiVersion)?.has(kind) !== true) return;
  metaRules(s, root, kind, kindSpan);
  if (referenceOnly(root)) return;
  booleanFieldRules(s, root, kind, text);
  switch (kind) {
    case 'Service':
      serviceRules(s, root, kindSpan);
      break;
    case 'Ingress':
      ingressRules(s, root, kindSpan, text);
      break;
    case 'IngressClass':
      ingressClassRules(s, root, kindSpan);
      break;
    case 'NetworkPolicy':
      networkPolicyRules(s, root);
      break;
    case 'Namespace':
      namespaceRules(s, root);
      break;
    case 'Pod':
      podSpecRules(s, get(root, 'spec'), 'spec', false);
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      workloadRules(s, root, kind, kindSpan);
      break;
    case 'Job':
    case 'ReplicationController':
      templateRules(s, get(get(root, 'spec'), 'template'), 'spec.template', false);
      break;
    case 'CronJob':
      templateRules(s, get(get(get(get(root, 'spec'), 'jobTemplate'), 'spec'), 'template'), 'spec.jobTemplate.spec.template', false);
      break;
    default:
      break;
  }
}

/**
 * An object of nothing but apiVersion, kind and metadata names an object rather than describing one: a
 * deletion list (`kubectl delete -f`; Ansible's k8s module with `state: absent`, as kiali-operator's
 * `resources-to-remove.yml`). No API server is asked to create it, so its spec's required fields are
 * not judged; its metadata is.
 */
function referenceOnly(root: YMap): boolean {
  return !root.unknown && root.pairs.every((p) => p.key === 'apiVersion' || p.key === 'kind' || p.key === 'metadata');
}

/** Rendered Helm output: a `# Source:` comment in the lines just above the document's content. */
function sourceComment(text: string, contentStart: number): boolean {
  const lines = text.slice(Math.max(0, contentStart - 4000), contentStart).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = (lines[i] ?? '').trim();
    if (l === '' || l === '---') continue;
    if (!l.startsWith('#')) return false;
    if (/^#\s*Source:/.test(l)) return true;
  }
  return false;
}

/** API findings of one document (none for documents with syntax errors, or patches). Never throws. */
export function validateDocument(doc: ParsedDocument, text: string, renderedHelm: boolean): ApiFinding[] {
  const out: ApiFinding[] = [];
  if (doc.errors.length > 0 || !isMap(doc.root) || isPatchDocument(doc.root)) return out;
  try {
    validateObject(doc.root, out, text, { start: doc.span.start }, renderedHelm || sourceComment(text, doc.root.span.start));
  } catch {
    // Invariant: validation never throws; a document that trips it keeps no findings.
    return [];
  }
  return out;
}
