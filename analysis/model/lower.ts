/**
 * ParsedFile → FileFacts: the objects of a file with everything checks, hover and reachability
 * need, and nothing else (closed files keep only this compact form).
 */

import type { Span } from '../types.js';
import type { ParsedFile } from '../syntax/parse.js';
import { LimitExceeded } from '../syntax/parse.js';
import { LIMITS, formatCount, limitMessage } from '../syntax/limits.js';
import type { LimitHit } from '../syntax/limits.js';
import type { YMap, YNode } from '../syntax/tree.js';
import { get, getPath, isMap, isScalar, isSeq } from '../syntax/tree.js';
import { computeLineStarts } from '../text/lineIndex.js';
import { isCertificate, isCoreService, isIngress, isIngressClass, isNetworkPolicy, isToolConfig, splitApiVersion } from './kinds.js';
import { lowerIngress, lowerNetworkPolicy, lowerService } from './networking.js';
import { lowerPodTemplate } from './podTemplate.js';
import { GATEWAY_GROUP, ROUTE_KINDS, lowerGateway, lowerGatewayClass, lowerReferenceGrant, lowerRoute } from './gateway.js';
import { lowerOperatorPods } from './operators.js';
import { isClusterPolicyKind, lowerClusterPolicy } from './clusterPolicy.js';
import { validateDocument } from './apiValidation.js';
import type { ApiFinding } from './apiValidation.js';
import { readSuppressions } from './suppressions.js';
import type { FileFacts, KObject, LoweredDocument, ToolConfig } from './types.js';
import { annotationMap, exact, labelMap, plainString, stringList, stringValue } from './values.js';

function baseName(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i === -1 ? uri : uri.slice(i + 1);
}

function hasPatchDirective(root: YMap): boolean {
  if (root.pairs.some((p) => p.key === '$patch')) return true;
  const meta = get(root, 'metadata');
  return isMap(meta) && meta.pairs.some((p) => p.key === '$patch');
}

function tlsSecretNames(
  o: { group: string; kind: string; apiVersion: string },
  root: YMap,
  name: string | undefined,
): string[] | undefined {
  const spec = get(root, 'spec');
  if (o.apiVersion === 'v1' && o.kind === 'Secret') {
    const type = plainString(get(root, 'type'));
    return name !== undefined && (type === undefined || type === 'kubernetes.io/tls') ? [name] : undefined;
  }
  if (isCertificate(o)) {
    const s = plainString(get(spec, 'secretName'));
    return s === undefined ? undefined : [s];
  }
  if (o.kind === 'SealedSecret' && name !== undefined) return [name];
  if (o.kind === 'ExternalSecret') {
    const t = plainString(getPath(spec, 'target', 'name')) ?? name;
    return t === undefined ? undefined : [t];
  }
  const generic = plainString(get(spec, 'secretName'));
  return generic === undefined ? undefined : [generic];
}

interface LowerContext {
  readonly uri: string;
  readonly docIndex: number;
  readonly renderedHelm: boolean;
  readonly out: KObject[];
  /** Maps visited as objects or Lists in this file (LIMITS.objectsPerFile). */
  readonly visited: { count: number };
}

/**
 * The objects of one document: the root, or the items of Lists (also Lists of Lists, and items
 * reached through aliases), depth first, without recursion. Every map visited counts against
 * LIMITS.objectsPerFile, so a List alias bomb stops at the limit instead of expanding.
 */
function lowerDocument(root: YMap, ctx: LowerContext): void {
  const work: Array<{ readonly map: YMap; readonly inherited: { apiVersion: string; kind: string } | undefined }> = [
    { map: root, inherited: undefined },
  ];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    if (++ctx.visited.count > LIMITS.objectsPerFile) {
      throw new LimitExceeded({
        span: { start: root.span.start, end: root.span.start },
        message: limitMessage(
          `more objects than the limit of ${formatCount(LIMITS.objectsPerFile)} per file (List items count, also through aliases)`,
        ),
      });
    }
    const items = lowerObject(item.map, ctx, item.inherited);
    if (items !== undefined) {
      for (let i = items.list.length - 1; i >= 0; i--) {
        const it = items.list[i];
        if (isMap(it)) work.push({ map: it, inherited: items.inherited });
      }
    }
  }
}

/** Lowers one object into `ctx.out`; for a List, returns its items instead. */
function lowerObject(
  root: YMap,
  ctx: LowerContext,
  inherited?: { apiVersion: string; kind: string },
): { readonly list: readonly YNode[]; readonly inherited: { apiVersion: string; kind: string } | undefined } | undefined {
  const apiVersion = plainString(get(root, 'apiVersion')) ?? inherited?.apiVersion;
  const kind = plainString(get(root, 'kind')) ?? inherited?.kind;
  if (apiVersion === undefined || kind === undefined) return undefined;
  const { group, version } = splitApiVersion(apiVersion);
  if (isToolConfig(apiVersion, group, kind)) return undefined;
  const items = get(root, 'items');
  if (kind.endsWith('List') && isSeq(items)) {
    return { list: items.items, inherited: kind === 'List' ? undefined : { apiVersion, kind: kind.slice(0, -4) } };
  }
  const meta = get(root, 'metadata');
  const nameNode = get(meta, 'name');
  const name = stringValue(nameNode);
  const annotations = annotationMap(get(meta, 'annotations'));
  const labels = labelMap(get(meta, 'labels'));
  const kindNode = get(root, 'kind');
  const anchor: Span = nameNode?.span ?? kindNode?.span ?? { start: root.span.start, end: root.span.start };
  const knownName = name?.known === true ? name.value : undefined;
  const kinded = { apiVersion, group, kind };
  const base = {
    uri: ctx.uri,
    docIndex: ctx.docIndex,
    ordinal: ctx.out.length,
    apiVersion,
    group,
    version,
    kind,
    name,
    namespace: stringValue(get(meta, 'namespace')),
    labels,
    annotations,
    span: root.span,
    anchor,
    isPatch: hasPatchDirective(root),
    renderedHelm: ctx.renderedHelm,
  };
  const pod = lowerPodTemplate(group, kind, knownName, root, annotations);
  // A custom resource whose operator makes pods (model/operators.ts): its own pods are its `pod`;
  // pods of another workload it makes (Strimzi's ZooKeeper) are objects of their own, after it.
  const operated = pod === undefined ? lowerOperatorPods(group, kind, knownName, root, labels, annotations, anchor) : [];
  const extra: Partial<Omit<KObject, keyof typeof base>> = {};
  const own = pod ?? operated.find((w) => w.workload === undefined)?.pod;
  if (own !== undefined) Object.assign(extra, { pod: own });
  if (isCoreService(kinded)) Object.assign(extra, { service: lowerService(root) });
  if (isIngress(kinded)) Object.assign(extra, { ingress: lowerIngress(root, annotations) });
  if (isNetworkPolicy(kinded)) Object.assign(extra, { networkPolicy: lowerNetworkPolicy(root) });
  if (isClusterPolicyKind(group, kind)) Object.assign(extra, { clusterPolicy: lowerClusterPolicy(kind, root) });
  if (isIngressClass(kinded)) {
    Object.assign(extra, {
      ingressClass: {
        controller: plainString(getPath(root, 'spec', 'controller')),
        isDefault: annotations.get('ingressclass.kubernetes.io/is-default-class') === 'true',
      },
    });
  }
  if (group === GATEWAY_GROUP) {
    if (kind === 'Gateway') Object.assign(extra, { gateway: lowerGateway(root) });
    else if (ROUTE_KINDS.includes(kind)) Object.assign(extra, { route: lowerRoute(root) });
    else if (kind === 'ReferenceGrant') Object.assign(extra, { referenceGrant: lowerReferenceGrant(root) });
    else if (kind === 'GatewayClass') Object.assign(extra, { gatewayClass: lowerGatewayClass(root) });
  }
  if (kind === 'EndpointSlice' && group === 'discovery.k8s.io') {
    const svc = labels?.entries.find((e) => e.key === 'kubernetes.io/service-name');
    if (svc?.value.known === true) Object.assign(extra, { endpointSliceFor: svc.value.value });
  }
  if (kind === 'Endpoints' && group === '' && knownName !== undefined) Object.assign(extra, { endpointSliceFor: knownName });
  const tls = tlsSecretNames(kinded, root, knownName);
  if (tls !== undefined) Object.assign(extra, { tlsSecretNames: tls });
  const secretType = apiVersion === 'v1' && kind === 'Secret' ? plainString(get(root, 'type')) : undefined;
  if (secretType === 'kubernetes.io/tls' || isCertificate(kinded) || kind === 'SealedSecret' || kind === 'ExternalSecret')
    Object.assign(extra, { tlsMaterial: true });
  if (isCertificate(kinded)) Object.assign(extra, { certificateDnsNames: stringList(getPath(root, 'spec', 'dnsNames')) });
  if ((kind === 'Issuer' || kind === 'ClusterIssuer') && (group === 'cert-manager.io' || group === 'certmanager.k8s.io')) {
    const solvers = getPath(root, 'spec', 'acme', 'solvers');
    const http01 = isSeq(solvers)
      ? solvers.items.some((it) => get(it, 'http01') !== undefined)
      : getPath(root, 'spec', 'acme', 'http01') !== undefined;
    Object.assign(extra, { acmeHttp01: http01 });
  }
  ctx.out.push({ ...base, ...extra });
  for (const w of operated) {
    if (w.workload === undefined) continue;
    ctx.out.push({
      ...base,
      ordinal: ctx.out.length,
      name: { known: true, value: w.workload, span: anchor },
      pod: w.pod,
      madeBy: { kind, name: knownName ?? '', role: w.role },
    });
  }
  return undefined;
}

/**
 * Lowers one built object (a Kustomize build's output document) as an object of `uri`, the file it
 * comes from. Its spans lie in `uri` unless they say otherwise (`Span.uri`). Never throws.
 */
export function lowerBuiltObject(uri: string, docIndex: number, root: YMap, ordinal: number): KObject | undefined {
  const out: KObject[] = [];
  try {
    lowerObject(root, { uri, docIndex, renderedHelm: false, out, visited: { count: 0 } });
  } catch {
    return undefined;
  }
  const o = out[0];
  return o === undefined ? undefined : { ...o, ordinal, isPatch: false };
}

/**
 * Lowers one document of a rendered Helm template as objects of `uri` (the template), appending to
 * `out` (ordinals follow `out`'s length): List items and the pods operators make included. Its
 * spans are the template's (the renderer maps them). Never throws; false when the document passed
 * an input limit.
 */
export function lowerRenderedDocument(uri: string, docIndex: number, root: YMap, out: KObject[], visited: { count: number }): boolean {
  try {
    lowerDocument(root, { uri, docIndex, renderedHelm: false, out, visited });
  } catch {
    return false;
  }
  return true;
}

function toolConfigOf(uri: string, roots: ReadonlyArray<YNode | undefined>): ToolConfig | undefined {
  const file = baseName(uri);
  const first = roots.find((r) => isMap(r));
  if (
    /^(kustomization\.ya?ml|Kustomization)$/.test(file) ||
    (isMap(first) &&
      plainString(get(first, 'apiVersion'))?.startsWith('kustomize.config.k8s.io/') === true &&
      plainString(get(first, 'kind')) === 'Kustomization')
  ) {
    if (!isMap(first)) return { kind: 'kustomization', kustomization: { namespace: undefined, resources: [], patches: [], remote: false } };
    const resources = [...stringList(get(first, 'resources')), ...stringList(get(first, 'bases')), ...stringList(get(first, 'components'))];
    const patches: string[] = [...stringList(get(first, 'patchesStrategicMerge'))];
    for (const key of ['patches', 'patchesJson6902']) {
      const list = get(first, key);
      if (isSeq(list)) {
        for (const it of list.items) {
          const p = isScalar(it) ? plainString(it) : plainString(get(it, 'path'));
          if (p !== undefined) patches.push(p);
        }
      }
    }
    const remote = resources.some((r) => /^(https?:|git@|github\.com\/|ssh:)/.test(r) || r.includes('?ref='));
    const component = plainString(get(first, 'kind')) === 'Component';
    return {
      kind: 'kustomization',
      kustomization: { namespace: plainString(get(first, 'namespace')), resources, patches, remote, ...(component ? { component } : {}) },
    };
  }
  if (file === 'Chart.yaml' || file === 'Chart.yml') {
    const deps = get(first, 'dependencies');
    const names = isSeq(deps) ? deps.items.map((d) => plainString(get(d, 'name'))).filter((n): n is string => n !== undefined) : [];
    return { kind: 'helm-chart', chartDependencies: names };
  }
  if (/^values(\..+)?\.ya?ml$/.test(file)) return { kind: 'helm-values' };
  return undefined;
}

/** Length of the common prefix of two texts. */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let lo = 0;
  // Compare in chunks first (string slices compare fast), then character by character.
  for (let step = 4096; step >= 1; step = step >>> 2) {
    while (lo + step <= n && a.slice(lo, lo + step) === b.slice(lo, lo + step)) lo += step;
  }
  while (lo < n && a.charCodeAt(lo) === b.charCodeAt(lo)) lo++;
  return lo;
}

/**
 * Lowers a parsed file into its index entry. Never throws. `before`: the previous version of the
 * file; a document that lies wholly in the text both versions share, at the same place, keeps the
 * objects and findings it lowered to then (the same objects, so everything keyed by them stays
 * valid: an edit to the last document of a file leaves the others' objects alone).
 */
export function lowerFile(
  uri: string,
  text: string,
  parsed: ParsedFile,
  version: number | undefined,
  before?: { readonly text: string; readonly facts: FileFacts },
): FileFacts {
  const objects: KObject[] = [];
  const apiFindings: ApiFinding[] = [];
  const documents: LoweredDocument[] = [];
  const roots = parsed.documents.map((d) => d.root);
  const yaml11 = parsed.documents.flatMap((d) => d.yaml11);
  const toolConfig = toolConfigOf(uri, roots);
  const shared = before === undefined || before.facts.inputLimit !== undefined ? 0 : commonPrefix(before.text, text);
  let limit: LimitHit | undefined = parsed.limit;
  const visited = { count: 0 };
  if (limit === undefined && (toolConfig === undefined || toolConfig.kind === 'other')) {
    for (const doc of parsed.documents) {
      const old = before?.facts.documents?.[doc.index];
      if (
        old !== undefined &&
        doc.span.end <= shared &&
        old.span.start === doc.span.start &&
        old.span.end === doc.span.end &&
        (old.objects[0]?.ordinal ?? objects.length) === objects.length
      ) {
        for (const o of old.objects) objects.push(o);
        for (const f of old.apiFindings) apiFindings.push(f);
        documents.push(old);
        visited.count += old.objects.length;
        continue;
      }
      const firstObject = objects.length;
      const firstFinding = apiFindings.length;
      if (isMap(doc.root)) {
        const renderedHelm = /(^|\n)\s*Source:/.test(doc.commentBefore);
        try {
          lowerDocument(doc.root, { uri, docIndex: doc.index, renderedHelm, out: objects, visited });
        } catch (e) {
          // Invariant: lowering never throws; a document that trips it is skipped, and a file
          // past a limit is not analysed at all.
          if (e instanceof LimitExceeded) {
            limit = e.hit;
            break;
          }
        }
        for (const f of validateDocument(doc, text, renderedHelm)) apiFindings.push(f);
      }
      documents.push({ span: doc.span, objects: objects.slice(firstObject), apiFindings: apiFindings.slice(firstFinding) });
    }
  }
  if (limit !== undefined) return limitedFacts(uri, text, version, toolConfig, limit);
  return {
    uri,
    version,
    objects: exact(objects),
    syntaxErrors: parsed.errors,
    toolConfig,
    template: parsed.template,
    templated: parsed.templated,
    suppressions: readSuppressions(text),
    lineStarts: computeLineStarts(text),
    length: text.length,
    ...(apiFindings.length > 0 ? { apiFindings } : {}),
    ...(yaml11.length > 0 ? { yaml11 } : {}),
    documents: exact(documents),
  };
}

/** The facts of a file past an input limit: no objects, one finding (check `input-limit`). */
export function limitedFacts(
  uri: string,
  text: string,
  version: number | undefined,
  toolConfig: ToolConfig | undefined,
  limit: LimitHit,
): FileFacts {
  return {
    uri,
    version,
    objects: [],
    syntaxErrors: [],
    toolConfig,
    template: false,
    templated: false,
    suppressions: readSuppressions(''),
    lineStarts: computeLineStarts(text),
    length: text.length,
    documents: [],
    inputLimit: limit,
  };
}
