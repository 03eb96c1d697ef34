/**
 * ParsedFile → FileFacts: the objects of a file with everything checks, hover and reachability
 * need, and nothing else (closed files keep only this compact form).
 */

import type { Span } from '../types.js';
import type { ParsedDocument, ParsedFile, Yaml11Scalar } from '../syntax/parse.js';
import { LimitExceeded, parseFile } from '../syntax/parse.js';
import { LIMITS, formatCount, limitMessage, scanLimits } from '../syntax/limits.js';
import { commonPrefix, editRegion } from '../syntax/region.js';
import { movedObject, shiftSpans } from './shift.js';
import { newObject } from './objects.js';
import type { MutableObject } from './objects.js';
import { nextDocumentId, nextFactsSerial } from './serials.js';
import type { LimitHit } from '../syntax/limits.js';
import type { YMap, YNode } from '../syntax/tree.js';
import { get, getPath, isMap, isScalar, isSeq } from '../syntax/tree.js';
import { computeLineStarts, spliceLineStarts } from '../text/lineIndex.js';
import { isCertificate, isCoreService, isIngress, isIngressClass, isNetworkPolicy, isToolConfig, splitApiVersion } from './kinds.js';
import { lowerIngress, lowerNetworkPolicy, lowerService } from './networking.js';
import { lowerPodTemplate } from './podTemplate.js';
import { GATEWAY_GROUP, ROUTE_KINDS, lowerGateway, lowerGatewayClass, lowerReferenceGrant, lowerRoute } from './gateway.js';
import { lowerOperatorPods, lowerSpawnedPods } from './operators.js';
import { isClusterPolicyKind, lowerClusterPolicy } from './clusterPolicy.js';
import { grantsPodCreation, RBAC_GROUP } from './rbac.js';
import { validateDocument } from './apiValidation.js';
import type { ApiFinding } from './apiValidation.js';
import { readSuppressions } from './suppressions.js';
import type { FileFacts, KObject, LoweredDocument, ToolConfig, Value } from './types.js';
import { annotationMap, exact, labelMap, plainString, stringList, stringValue } from './values.js';
import { lacksTlsCertificate, tlsSecretNames } from './tlsProducers.js';
import { configMapListens } from './configListens.js';
import { clusterLoaderConfig, testToolFields } from './testTools.js';
import { anyPortBackends } from './anyPortBackends.js';
import { lowerSidecarSet } from './sidecarSet.js';
import { lowerHelmRelease } from './helmRelease.js';
import { lowerArgoChart } from './argoChart.js';
import { isPatchDocument } from './patchShape.js';

function baseName(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i === -1 ? uri : uri.slice(i + 1);
}

interface LowerContext {
  readonly uri: string;
  readonly docIndex: number;
  readonly renderedHelm: boolean;
  readonly out: KObject[];
  /** Maps visited as objects or Lists in this file (LIMITS.objectsPerFile). */
  readonly visited: { count: number };
  /** The file's text (a test tool's shell lines are read from it where the parse masked `${VAR}`). */
  readonly text?: string;
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
  // One literal site for every object (model/objects.ts: V8 hidden classes).
  const namespace = stringValue(get(meta, 'namespace'));
  const isPatch = isPatchDocument(root);
  const baseObject = (ordinal: number, objectName: Value<string> | undefined): MutableObject =>
    newObject({
      uri: ctx.uri,
      docIndex: ctx.docIndex,
      ordinal,
      apiVersion,
      group,
      version,
      kind,
      name: objectName,
      namespace,
      labels,
      annotations,
      span: root.span,
      anchor,
      isPatch,
      renderedHelm: ctx.renderedHelm,
    });
  const pod = lowerPodTemplate(group, kind, knownName, root, annotations);
  // A custom resource whose operator makes pods (model/operators.ts): its own pods are its `pod`;
  // pods of another workload it makes (Strimzi's ZooKeeper) are objects of their own, after it.
  const operated =
    pod === undefined
      ? lowerOperatorPods(group, kind, { name: knownName, root, labels, annotations, anchor })
      : lowerSpawnedPods({ name: knownName, root, labels, annotations, anchor });
  const obj = baseObject(ctx.out.length, name);
  const own = pod ?? operated.find((w) => w.workload === undefined)?.pod;
  if (own !== undefined) obj.pod = own;
  if (isCoreService(kinded)) obj.service = lowerService(root);
  if (isIngress(kinded)) obj.ingress = lowerIngress(root, annotations);
  if (isNetworkPolicy(kinded)) obj.networkPolicy = lowerNetworkPolicy(root);
  if (isClusterPolicyKind(group, kind)) obj.clusterPolicy = lowerClusterPolicy(kind, root);
  if (isIngressClass(kinded)) {
    obj.ingressClass = {
      controller: plainString(getPath(root, 'spec', 'controller')),
      isDefault: annotations.get('ingressclass.kubernetes.io/is-default-class') === 'true',
    };
  }
  if (group === GATEWAY_GROUP) {
    if (kind === 'Gateway') obj.gateway = lowerGateway(root);
    else if (ROUTE_KINDS.includes(kind)) obj.route = lowerRoute(root, kind);
    else if (kind === 'ReferenceGrant') obj.referenceGrant = lowerReferenceGrant(root);
    else if (kind === 'GatewayClass') obj.gatewayClass = lowerGatewayClass(root);
  }
  if (kind === 'EndpointSlice' && group === 'discovery.k8s.io') {
    const svc = labels?.entries.find((e) => e.key === 'kubernetes.io/service-name');
    if (svc?.value.known === true) obj.endpointSliceFor = svc.value.value;
  }
  if (kind === 'Endpoints' && group === '' && knownName !== undefined) obj.endpointSliceFor = knownName;
  const tls = tlsSecretNames(kinded, root, knownName);
  if (tls !== undefined) obj.tlsSecretNames = tls;
  if (tls !== undefined && apiVersion === 'v1' && kind === 'Secret' && lacksTlsCertificate(root)) obj.lacksTlsCertificate = true;
  const secretType = apiVersion === 'v1' && kind === 'Secret' ? plainString(get(root, 'type')) : undefined;
  if (secretType === 'kubernetes.io/tls' || isCertificate(kinded) || kind === 'SealedSecret' || kind === 'ExternalSecret') {
    obj.tlsMaterial = true;
    // Its Secret's name is templated (`secretName: wildcard-${DOMAIN//./-}`): it may be any name a listener or Ingress asks for.
    if (tls === undefined) obj.tlsSecretNameUnknown = true;
  }
  if (isCertificate(kinded)) obj.certificateDnsNames = stringList(getPath(root, 'spec', 'dnsNames'));
  if ((kind === 'Issuer' || kind === 'ClusterIssuer') && (group === 'cert-manager.io' || group === 'certmanager.k8s.io')) {
    const solvers = getPath(root, 'spec', 'acme', 'solvers');
    const http01 = isSeq(solvers)
      ? solvers.items.some((it) => get(it, 'http01') !== undefined)
      : getPath(root, 'spec', 'acme', 'http01') !== undefined;
    obj.acmeHttp01 = http01;
  }
  if (kind === 'ConfigMap' && group === '') {
    const listens = configMapListens(root);
    if (listens !== undefined) obj.configListens = listens;
  }
  if (group === RBAC_GROUP && (kind === 'Role' || kind === 'ClusterRole') && grantsPodCreation(root)) obj.createsPods = true;
  const anyPort = anyPortBackends(group, kind, get(root, 'spec'));
  if (anyPort !== undefined) obj.anyPortBackends = anyPort;
  const sidecarSet = lowerSidecarSet(group, kind, root);
  if (sidecarSet !== undefined) obj.sidecarSet = sidecarSet;
  const release = lowerHelmRelease(group, kind, knownName, root) ?? lowerArgoChart(group, kind, knownName, root);
  if (release !== undefined) obj.helmRelease = release;
  const tool = testToolFields(group, kind, root, ctx.text);
  if (tool !== undefined) Object.assign(obj, tool);
  ctx.out.push(obj);
  for (const w of operated) {
    if (w.workload === undefined) continue;
    const made = baseObject(ctx.out.length, { known: true, value: w.workload, span: anchor });
    made.pod = w.pod;
    made.madeBy = { kind, name: knownName ?? '', role: w.role };
    ctx.out.push(made);
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
  // A Flux Kustomization saved as kustomization.yaml is an object (a kustomization listing the file applies it, units/flux.ts reads it as a root).
  if (isMap(first) && plainString(get(first, 'apiVersion'))?.startsWith('kustomize.toolkit.fluxcd.io/') === true) return undefined;
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
  if (/^values(\..+)?\.ya?ml$/.test(file)) {
    const plugins = get(get(get(first, 'configs'), 'cmp'), 'plugins');
    const buildOptions = get(get(get(first, 'configs'), 'cm'), 'kustomize.buildOptions');
    return (isMap(plugins) && plugins.pairs.length > 0) || buildOptions !== undefined
      ? { kind: 'helm-values', argoCmp: true }
      : { kind: 'helm-values' };
  }
  const clusterLoader = clusterLoaderConfig(first);
  return clusterLoader === undefined ? undefined : { kind: 'other', clusterLoader };
}

/** A document lowered: its objects and API findings go to the file's lists, its record is returned. */
function lowerOneDocument(
  uri: string,
  text: string,
  doc: ParsedDocument,
  objects: KObject[],
  apiFindings: ApiFinding[],
  visited: { count: number },
): LoweredDocument {
  const firstObject = objects.length;
  const firstFinding = apiFindings.length;
  if (isMap(doc.root)) {
    const renderedHelm = /(^|\n)\s*Source:/.test(doc.commentBefore);
    try {
      lowerDocument(doc.root, { uri, docIndex: doc.index, renderedHelm, out: objects, visited, text });
    } catch (e) {
      // Invariant: lowering never throws; a document that trips it is skipped, and a file
      // past a limit is not analysed at all.
      if (e instanceof LimitExceeded) throw e;
    }
    for (const f of validateDocument(doc, text, renderedHelm)) apiFindings.push(f);
  }
  return {
    id: nextDocumentId(),
    span: doc.span,
    objects: objects.slice(firstObject),
    apiFindings: apiFindings.slice(firstFinding),
    errors: doc.errors,
    yaml11: doc.yaml11,
    map: isMap(doc.root),
    ...(doc.carried === true ? { carried: true } : {}),
  };
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
        // Its errors are this parse's: whether duplicate keys are errors depends on the whole file (placeholders anywhere).
        documents.push(old.errors === doc.errors && old.yaml11 === doc.yaml11 ? old : { ...old, errors: doc.errors, yaml11: doc.yaml11 });
        visited.count += old.objects.length;
        continue;
      }
      try {
        documents.push(lowerOneDocument(uri, text, doc, objects, apiFindings, visited));
      } catch (e) {
        if (e instanceof LimitExceeded) {
          limit = e.hit;
          break;
        }
        throw e;
      }
    }
  }
  if (limit !== undefined) return limitedFacts(uri, text, version, toolConfig, limit);
  return {
    uri,
    version,
    serial: nextFactsSerial(),
    objects: exact(objects),
    syntaxErrors: parsed.errors,
    toolConfig,
    template: parsed.template,
    templated: parsed.templated,
    ...(parsed.guessedTemplate !== undefined ? { guessedTemplate: parsed.guessedTemplate } : {}),
    suppressions: readSuppressions(text),
    lineStarts: computeLineStarts(text),
    length: text.length,
    ...(apiFindings.length > 0 ? { apiFindings } : {}),
    ...(yaml11.length > 0 ? { yaml11 } : {}),
    documents: exact(documents),
  };
}

/** The first document of `documents` that starts at or after `offset` (binary search on their starts). */
export function firstDocumentFrom(documents: readonly { readonly span: Span }[], offset: number): number {
  let lo = 0;
  let hi = documents.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((documents[mid]?.span.start ?? 0) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Smallest file (UTF-16 code units) checked document by document (`CheckRunner`; every multi-document file's edits are lowered by document, `lowerEdit`). */
export const INCREMENTAL_MIN_LENGTH = 32 * 1024;

/**
 * The facts of the new version of a multi-document file after an edit, when the edit lies within a run of whole documents
 * (`syntax/region.ts`): that run is parsed and lowered again, the documents before it keep their objects, those after it keep
 * theirs moved by the edit's length difference (`shift.ts`; the same objects when the length did not change). Undefined when the
 * file must be parsed whole: a template, a file with template syntax or placeholders anywhere (or read with them filled in:
 * `guessedTemplate`), a tool configuration, a file past a limit, or an edit the run cannot contain (a marker, directives, `...`,
 * a quote left open at the run's end). The result equals what `lowerFile` makes of the whole text
 * (test/analysis/incrementalDocuments.test.ts).
 */
export function lowerEdit(
  uri: string,
  text: string,
  version: number | undefined,
  before: { readonly text: string; readonly facts: FileFacts },
): FileFacts | undefined {
  const old = before.facts;
  const docs = old.documents;
  if (
    docs === undefined ||
    docs.length < 2 ||
    old.inputLimit !== undefined ||
    old.tooLarge !== undefined ||
    old.toolConfig !== undefined ||
    old.template ||
    old.templated ||
    old.guessedTemplate !== undefined ||
    text.includes('{{') ||
    text.includes('${') ||
    text.includes('$(') ||
    before.text.includes('{{')
  )
    return undefined;
  const region = editRegion(before.text, text);
  if (region === undefined) return undefined;
  const first = firstDocumentFrom(docs, region.start);
  const after = firstDocumentFrom(docs, region.endBefore);
  // No document of the old parse may run over either end of the run (a quote left open did).
  const straddles = (d: LoweredDocument | undefined, at: number): boolean => d !== undefined && d.span.start < at && d.span.end > at;
  if (straddles(docs[first - 1], region.start) || straddles(docs[after - 1], region.endBefore)) return undefined;
  // Nor take comments or errors met outside a document across either end (the parser gives them to the next document).
  if (docs[first]?.carried === true || docs[after]?.carried === true) return undefined;
  const delta = region.endAfter - region.endBefore;
  const regionText = text.slice(region.start, region.endAfter);
  // A run with more markers or aliases than before may pass a file-wide limit: the whole file decides.
  const oldRegion = before.text.slice(region.start, region.endBefore);
  if (
    (countOf(regionText, '---') > countOf(oldRegion, '---') || countOf(regionText, '*') > countOf(oldRegion, '*')) &&
    scanLimits(text) !== undefined
  )
    return undefined;
  // Errors running past the run are cut where the file ends, as in a parse of the whole text.
  const parsed = parseFile(regionText, { clampTo: text.length - region.start });
  if (parsed.limit !== undefined || parsed.templated || parsed.trailing === true) return undefined;
  if (parsed.documents.some((d) => d.errors.some((e) => e.message.startsWith('Missing closing')))) return undefined;
  // The documents before the run must include the file's first map (its tool configuration), or the run must.
  if (first > 0 && !docs.slice(0, first).some((d) => d.map === true)) return undefined;
  const objects: KObject[] = [];
  const apiFindings: ApiFinding[] = [];
  const documents: LoweredDocument[] = [];
  for (let i = 0; i < first; i++) {
    const d = docs[i];
    if (d === undefined) return undefined;
    append(objects, d.objects);
    append(apiFindings, d.apiFindings);
    documents.push(d);
  }
  const visited = { count: objects.length };
  const memo = new Map<object, unknown>();
  const regionDocs: ParsedDocument[] = parsed.documents.map((d) => ({ ...shiftSpans(d, region.start, memo), index: first + d.index }));
  if (first === 0) {
    const config = toolConfigOf(
      uri,
      regionDocs.map((d) => d.root),
    );
    if (config !== undefined) return undefined;
    if (!regionDocs.some((d) => isMap(d.root)) && docs.slice(after).some((d) => d.map === true)) return undefined;
  }
  try {
    for (const doc of regionDocs) documents.push(lowerOneDocument(uri, text, doc, objects, apiFindings, visited));
  } catch {
    // A limit passed: the whole file decides (and reports it).
    return undefined;
  }
  const oldFirstAfter = firstObjectOf(docs, after, old.objects.length);
  const objectShift = objects.length - oldFirstAfter;
  const documentShift = first + regionDocs.length - after;
  for (let i = after; i < docs.length; i++) {
    const d = docs[i];
    if (d === undefined) return undefined;
    const moved = delta === 0 && objectShift === 0 && documentShift === 0 ? d : moveDocument(d, delta, objectShift, i + documentShift);
    append(objects, moved.objects);
    append(apiFindings, moved.apiFindings);
    documents.push(moved);
  }
  if (objects.length > LIMITS.objectsPerFile) return undefined;
  const syntaxErrors: Array<{ readonly span: Span; readonly message: string }> = [];
  const yaml11: Yaml11Scalar[] = [];
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i];
    if (d?.errors !== undefined) append(syntaxErrors, d.errors);
    if (d?.yaml11 !== undefined) append(yaml11, d.yaml11);
  }
  return {
    uri,
    version,
    serial: nextFactsSerial(),
    objects: exact(objects),
    syntaxErrors,
    toolConfig: undefined,
    template: false,
    templated: false,
    // Suppressions name lines: a file without any keeps none unless the edit wrote one.
    suppressions: noSuppressions(old) && !regionText.includes('kube-reach-disable') ? old.suppressions : readSuppressions(text),
    lineStarts: spliceLineStarts(old.lineStarts, text, region.start, region.endBefore, region.endAfter),
    length: text.length,
    ...(apiFindings.length > 0 ? { apiFindings } : {}),
    ...(yaml11.length > 0 ? { yaml11 } : {}),
    documents: exact(documents),
    lastEdit: {
      baseSerial: old.serial ?? -1,
      firstDocument: first,
      removedDocuments: after - first,
      addedDocuments: regionDocs.length,
      firstObject: firstObjectOf(docs, first, old.objects.length),
      removedObjects: oldFirstAfter - firstObjectOf(docs, first, old.objects.length),
      addedObjects: objects.length - (old.objects.length - oldFirstAfter) - firstObjectOf(docs, first, old.objects.length),
      movedFrom: region.endBefore,
      delta,
    },
  };
}

/**
 * Appends `list` to `out` with an indexed loop: `lowerEdit` runs once per edit, too rarely to be
 * optimised, and there a `for…of` allocates an iterator result per element (thousands per edit).
 */
function append<T>(out: T[], list: readonly T[]): void {
  for (let i = 0; i < list.length; i++) out.push(list[i] as T);
}

/** The ordinal of the first object of `docs[i]` or later (`total` when none). */
function firstObjectOf(docs: readonly LoweredDocument[], i: number, total: number): number {
  for (let k = i; k < docs.length; k++) {
    const o = docs[k]?.objects[0];
    if (o !== undefined) return o.ordinal;
  }
  return total;
}

function noSuppressions(f: FileFacts): boolean {
  return f.suppressions.lines.size === 0 && f.suppressions.fromLine.length === 0;
}

function countOf(text: string, what: string): number {
  let n = 0;
  for (let at = text.indexOf(what); at !== -1; at = text.indexOf(what, at + what.length)) n++;
  return n;
}

/** A later document moved by an edit before it: its spans by `delta`, its objects' places in the file by the shifts. */
function moveDocument(d: LoweredDocument, delta: number, objectShift: number, index: number): LoweredDocument {
  // Objects move lazily (their nested spans when first read: `movedObject`); the rest, a few spans, now.
  const objects = d.objects.map((o) => movedObject(o, delta, { ordinal: o.ordinal + objectShift, docIndex: index }));
  // Most documents have no API findings, errors or YAML 1.1 scalars: those empty lists are kept, and
  // the memo (parts shared between the lists and the span stay shared) is made only for a list that is not.
  const span: Span = d.span.uri === undefined ? { ...d.span, start: d.span.start + delta, end: d.span.end + delta } : d.span;
  let memo: Map<object, unknown> | undefined;
  const move = <T>(list: readonly T[] | undefined): readonly T[] | undefined =>
    list === undefined || list.length === 0 ? list : shiftSpans(list, delta, (memo ??= new Map<object, unknown>([[d.span, span]])));
  const apiFindings = move(d.apiFindings) ?? d.apiFindings;
  return {
    id: d.id,
    span,
    objects,
    apiFindings,
    errors: move(d.errors),
    yaml11: move(d.yaml11),
    map: d.map,
    ...(d.carried === true ? { carried: true } : {}),
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
