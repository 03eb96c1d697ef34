/**
 * A Kustomize build in pure TypeScript: what `kustomize build <dir>` outputs, as copied YAML
 * trees whose spans say which file each field came from. No file system: the host hands over
 * texts (`KustomizeHost`). Follows kustomize's own order (its `KustTarget.accumulateTarget`):
 * resources (files, and directories with a kustomization, each built on its own first), then
 * generators, then components (which run on what the including kustomization accumulated so far,
 * since kustomize v5.1), then transformers (`transforms.ts`); at the end of the top build only, generated
 * names get their content hash and references to renamed objects follow them.
 *
 * What it cannot know makes the build incomplete (`complete: false`), never an error: remote
 * resources and components, charts of `helmCharts` not found locally, plugin generators and
 * transformers, a `replacements` entry kustomize would stop at, `vars`, files outside the workspace. Design notes: docs/dev/kustomize.md.
 */

import type { Span } from '../../types.js';
import type { ParsedFile } from '../../syntax/parse.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { basename, displayPart, isUnder, joinPath } from '../../workspace/paths.js';
import { contentHash, generate, mergeGenerated } from './generators.js';
import { addBuildMetadata, clearEmptyAnnotations } from './buildMetadata.js';
import { cloneNode, getKey, plain, scalarNode, setKey, text, unknownTemplateText } from './nodes.js';
import { asMergePatch } from './mergePatch.js';
import type { Res } from './resource.js';
import { kindOf, nameOf, rememberId } from './resource.js';
import { chartResources } from './helm.js';
import { readVars, resolveVars } from './vars.js';
import { runtimeExpansion } from './runtimeEnv.js';
import { addAnnotations, addLabels, affixNames, labelEntries, setNamespaces, setReplicas } from './transforms.js';
import { fixReferences } from './nameReferences.js';
import { readConfiguration, readFieldSpecs } from './configurations.js';
import { readCrdConfiguration } from './crds.js';
import { applyOpenApi, readTopOpenApi } from './openapi.js';
import type { Configuration, FieldSpec, FieldSpecSection } from './configurations.js';
import { setImages } from './images.js';
import { applyReplacements } from './replacements.js';
import { replacementIo, runTransformerConfigs } from './transformerConfigs.js';
import { readTarget } from './targets.js';
import { freshState, kustomizationIn, sharedSubBuild } from './subBuilds.js';
import { envsubstOnly, kustomizationReading } from './envsubst.js';
import { applyPatch, patchDocuments } from './patches.js';
import { Appender, generatorExists, namespaceConflicts } from './ids.js';
import { canonicalFields, refusedKustomization } from './kustomizationFields.js';
import { generatorFile, isRemote, kyamlReading, outsideRoot, problem, read, remotePart, unknownPart } from './reading.js';
import type { BuildState as State, SubBuildCache } from './subBuilds.js';

export { isRemote } from './reading.js';

/** What the builder reads from the workspace. */
export interface KustomizeHost {
  /** A file's parsed text, or undefined when the file is not in the workspace. */
  parse(uri: string): ParsedFile | undefined;
  /** A file's raw text (generator sources, inline patches), or undefined. */
  text(uri: string): string | undefined;
  /** The kustomization file of a directory (kustomization.yaml, .yml or Kustomization), if any. */
  kustomizationOf(dir: string): string | undefined;
  /** The workspace's files under a directory (a chart of `helmCharts`); without it, charts are unknown. */
  filesUnder?(dir: string): readonly string[];
  /** The Kubernetes release charts render for (`.Capabilities`), e.g. "1.35". */
  readonly kubernetesVersion?: string;
  /** Sub-builds shared by the roots that include them, kept across builds (`subBuilds.ts`). */
  readonly subBuilds?: SubBuildCache;
  /** The kustomization read for `dir` instead of its file's first document (a Flux build, units/flux.ts). */
  kustomizationTree?(dir: string): YMap | undefined;
  /** The files the last `kustomizationTree(dir)` read besides the workspace's listing (a Fleet bundle's `.fleetignore`s): inputs of the build. */
  treeInputs?(dir: string): Iterable<string>;
  /**
   * The files the (synthesized) kustomization of `dir` lists are read as kubectl reads them (YAML
   * 1.1: an Argo CD directory or chart source, which Argo CD reads itself), not as kustomize does.
   */
  readsLikeKubectl?(dir: string): boolean;
  /**
   * A root built as the kustomization of another folder with fields merged in (a Flux root whose
   * folder has a kustomization: kustomize-controller's generator merges its spec into it; the
   * merged nodes' spans name their file, `uri`, an input of the build).
   */
  mergedKustomization?(root: string): { readonly dir: string; readonly uri: string; merge(k: YMap): YMap } | undefined;
}

export interface BuiltObject {
  /** The file the object comes from (a resource file; a generator's kustomization). */
  readonly uri: string;
  readonly docIndex: number;
  /** Identifies the source document's object in its file: kind and name before the build renamed it. */
  readonly source: string;
  readonly root: YMap;
}

export interface BuildProblem {
  readonly uri: string;
  readonly span: Span;
  readonly message: string;
  /** A file or folder the kustomization names that is not in the workspace (it may lie outside what was opened). */
  readonly missing?: string;
  /** What the step needs is not in the build (a patch's target, a generator's merge base): it may be in a part not known here. */
  readonly absentTarget?: true;
  /** The `.gitignore` that lists the missing file, or the Makefile that names it: a file some step writes before the build, not a misspelled one. */
  readonly ignoredBy?: string;
  /** The Makefile in the kustomization's folder that rewrites the kustomization before it builds (makefiles.ts `rewrittenByMakefile`). */
  readonly rewrittenBy?: string;
  /** The controller that applies the build rejects it (units/flux.ts `unplacedObjects`): the message says what and why. */
  readonly applyFails?: true;
  /**
   * `kustomize build` fails here whatever the parts of the build not known here hold (a resource
   * whose id the build already holds): an error even in a build with unknown parts.
   */
  readonly certain?: true;
  /** Not a problem but how the root was made (an ApplicationSet generator not known here, units/argocdSets.ts): information. */
  readonly note?: true;
  /**
   * Not a step that failed but a field the tool reads otherwise than written: information (a field
   * kustomize v5 still builds and warns about) or a warning (a field the controller never applies).
   * The message is complete.
   */
  readonly level?: 'warning' | 'information';
  /**
   * A note (`BuildResult.notes`) about a part the tool fetches from the network or runs, which Kube
   * Reach does not: what it fetches (a URL, a chart repository) or runs (an Argo CD plugin).
   * `remote-source-not-fetched` reports it (text/notFetched.ts).
   */
  readonly remote?: string;
  /** The tool that fetches or runs `remote` when it is not kustomize (`Argo CD`, `Fleet`): the root's own tool. */
  readonly fetchedBy?: string;
  /** A file outside the kustomization's folder, as written (reading.ts `outsideRoot`): the root's tool decides what it is (units/loadRestrictor.ts). */
  readonly outsideRoot?: string;
}

export interface BuildResult {
  /** The directory of the top kustomization. */
  readonly dir: string;
  readonly objects: readonly BuiltObject[];
  /** Every file the build read: a change to any of them changes the build. */
  readonly inputs: ReadonlySet<string>;
  /** Kustomization files of the build (the top one, its bases and components). */
  readonly kustomizations: ReadonlySet<string>;
  /** Files read as resources (their objects are the build's). */
  readonly resourceFiles: ReadonlySet<string>;
  /** Files read as patches (not objects of their own). */
  readonly patchFiles: ReadonlySet<string>;
  /** False when something the build depends on cannot be known here. */
  readonly complete: boolean;
  /**
   * `${VAR}` text its kustomizations copy into the objects (`namespace: ${NS}`): kustomize builds it
   * as text, and what the cluster gets is what a substitution after the build makes of it (Flux's
   * postBuild, units/flux.ts); `complete` is false, and this one says whether the build is complete
   * once substituted.
   */
  readonly pendingVariables?: { readonly complete: boolean };
  /** Its objects hold `${VAR}` text read as kustomize reads it (a substitution after the build, or none, decides what it becomes: units/postBuild.ts). */
  readonly variables?: true;
  /** Resource files whose `yes`/`on`/`n`/… the build read as strings, as kustomize does (reading.ts `kyamlReading`): kubectl's YAML 1.1 findings on them do not apply. */
  readonly kyamlFiles?: ReadonlySet<string>;
  readonly problems: readonly BuildProblem[];
  /** Every part of the build is known here, so a problem in it is one `kustomize build` would have too. */
  readonly knownParts: boolean;
  /** What the build could not know (a chart kustomize would pull): not errors, the build is incomplete. */
  readonly notes: readonly BuildProblem[];
}

function strings(n: YNode | undefined): Array<{ value: string; span: Span }> {
  if (!isSeq(n)) return [];
  const out: Array<{ value: string; span: Span }> = [];
  for (const it of n.items) {
    const v = text(it);
    if (v !== undefined) out.push({ value: v, span: it.span });
  }
  return out;
}

/** The documents of a resource file as build resources. */
function loadResources(st: State, uri: string, asKubectl = false): Res[] {
  const read0 = read(st, uri, true);
  if (read0 === undefined) return [];
  const parsed = asKubectl ? read0 : kyamlReading(read0);
  if (parsed !== read0) st.kyamlFiles.add(uri);
  st.resourceFiles.add(uri);
  if (parsed.errors.length > 0 || (parsed.templated && !envsubstOnly(parsed, st.host.text(uri)))) unknownPart(st);
  const out: Res[] = [];
  for (const doc of parsed.documents) {
    if (!isMap(doc.root)) continue;
    const items = getKey(doc.root, 'items');
    const kind = text(getKey(doc.root, 'kind')) ?? '';
    const roots = kind.endsWith('List') && isSeq(items) ? items.items.filter(isMap) : [doc.root];
    const fileText = st.host.text(uri);
    for (const r of roots) {
      const node = cloneNode(r, undefined, undefined, fileText) as YMap;
      const name = text(getKey(getKey(node, 'metadata'), 'name'));
      out.push({
        node,
        uri,
        docIndex: doc.index,
        names: name === undefined ? [] : [name],
        namespaces: [text(getKey(getKey(node, 'metadata'), 'namespace'))],
      });
    }
  }
  return out;
}

/** The fields kustomize v5 still builds and warns about, with what to use instead (api/types `CheckDeprecatedFields`). */
const DEPRECATED: ReadonlyArray<readonly [string, string]> = [
  ['bases', 'resources'],
  ['commonLabels', 'labels'],
  ['imageTags', 'images'],
  ['patchesJson6902', 'patches'],
  ['patchesStrategicMerge', 'patches'],
  ['vars', 'replacements'],
];

/** kustomize's warning for each deprecated field a kustomization holds, on its key, in kustomize's words. */
function deprecatedFields(st: State, k: YMap, kustUri: string): void {
  for (const [field, instead] of DEPRECATED) {
    const pair = k.pairs.find((p) => p.key === field && !p.keyUnknown);
    // A field a Flux or Argo CD root merged in lies in its own file (none is deprecated; kept apart all the same).
    if (pair === undefined || (pair.keySpan.uri !== undefined && pair.keySpan.uri !== kustUri)) continue;
    const fix = field === 'vars' ? "[EXPERIMENTAL] Run 'kustomize edit fix'" : "Run 'kustomize edit fix'";
    st.problems.push({
      uri: kustUri,
      span: { ...pair.keySpan, uri: kustUri },
      message: `'${field}' is deprecated. Please use '${instead}' instead. ${fix} to update your Kustomization automatically.`,
      level: 'information',
    });
  }
}

/** Keys a kustomization may hold whose effect this builder does not model. */
const UNMODELLED = ['helmChartInflationGenerator', 'generators', 'validators'];

/**
 * Accumulates the kustomization in `dir` into `ra` (kustomize's accumulateTarget): its resources,
 * components, generators and transformers.
 */
function accumulate(st: State, root: string, ra: Res[]): void {
  // A Flux root whose folder has a kustomization: kustomize-controller merges its spec into it.
  const merged = st.host.mergedKustomization?.(root);
  if (merged !== undefined) st.inputs.add(merged.uri);
  const dir = merged?.dir ?? root;
  const kustUri = kustomizationIn(st, dir);
  if (kustUri === undefined) return;
  if (st.stack.includes(dir)) {
    st.cycle = true;
    problem(st, kustUri, { start: 0, end: 0 }, `kustomization cycle through "${displayPart(basename(dir), dir)}"`);
    return;
  }
  st.stack.push(dir);
  st.kustomizations.add(kustUri);
  const inherited = st.helmNamespace;
  try {
    const tree = st.host.kustomizationTree?.(dir);
    if (tree !== undefined) for (const u of st.host.treeInputs?.(dir) ?? []) st.inputs.add(u);
    const read0 = read(st, kustUri);
    const reading = read0 === undefined || tree !== undefined ? undefined : kustomizationReading(read0, st.host.text(kustUri));
    const parsed = reading?.parsed ?? read0;
    if (reading?.copiesVariables === true) st.copiesVariables = st.literalVariables = true;
    const k0 = tree ?? parsed?.documents.find((d) => isMap(d.root))?.root;
    const k1 = merged !== undefined && isMap(k0) ? merged.merge(k0) : k0;
    // Go's JSON decoder reads `Resources:` as `resources:` (kustomizationFields.ts).
    const k = isMap(k1) ? canonicalFields(k1) : k1;
    // kustomize refuses an empty kustomization and fields it does not know (kustomizationFields.ts).
    if (parsed !== undefined && tree === undefined && merged === undefined)
      refusedKustomization(st, kustUri, parsed, isMap(k) ? k : undefined);
    if (parsed === undefined || !isMap(k)) return;
    const kind = getKey(k, 'kind');
    st.kinds.set(dir, kind === undefined ? 'Kustomization' : text(kind));
    // A tree the host made holds only known fields of its file (a `${VAR}` in a comment is no template).
    if (tree === undefined && (parsed.errors.length > 0 || parsed.templated)) unknownPart(st);
    for (const key of UNMODELLED) if (getKey(k, key) !== undefined) unknownPart(st);
    // A base's or component's `openapi` sets the build's schema when none is set yet (the top's was read first).
    if (st.stack.length > 1 && !applyOpenApi(st, dir, k, (uri) => read(st, uri))) unknownPart(st);
    deprecatedFields(st, k, kustUri);
    const at = k.span;
    const own = { ...at, uri: kustUri };
    // The namespace its bases' and components' charts render into when they set none (helm.ts).
    const ownNamespace = text(getKey(k, 'namespace'));
    st.helmNamespace = ownNamespace ?? inherited;
    // Resources: files, and directories with a kustomization built on their own first; kustomize refuses a second resource of one id (ids.ts).
    const asKubectl = st.host.readsLikeKubectl?.(dir) === true;
    // kustomize's default load restrictor (LoadRestrictionsRootOnly) applies to the files a kustomization file names (not one a GitOps root writes).
    const restricted = tree === undefined && merged === undefined && !asKubectl;
    const append = new Appender(st, ra, kustUri, asKubectl && tree !== undefined);
    for (const r of [...strings(getKey(k, 'resources')), ...strings(getKey(k, 'bases'))]) {
      if (isRemote(r.value)) {
        remotePart(st, r.span.uri ?? kustUri, r.span, 'resource', r.value);
        continue;
      }
      const target = joinPath(dir, r.value);
      if (kustomizationIn(st, target) !== undefined) {
        // Built on its own first: once for every root that includes it (subBuilds.ts).
        const built = sharedSubBuild(st, target, accumulate);
        if (st.kinds.get(target) === 'Component') append.fails(r.span, `expected kind != 'Component' for path '${r.value}'`);
        for (const x of built) append.add(x, r.span);
      } else if (st.host.text(target) !== undefined) {
        // kustomize's default load restrictor (LoadRestrictionsRootOnly) refuses a file outside the kustomization's folder.
        if (restricted && !isUnder(target, dir)) outsideRoot(st, r.span.uri ?? kustUri, r.span, r.value);
        for (const x of loadResources(st, target, asKubectl)) append.add(x, r.span);
      } else {
        st.inputs.add(target);
        problem(st, kustUri, r.span, `resource "${r.value}" is not in the workspace`, target);
      }
    }
    // configurations and crds: name references and field specs the build's transformers follow (configurations.ts, crds.ts).
    for (const [field, c] of [
      ...strings(getKey(k, 'configurations')).map((c) => ['configurations', c] as const),
      ...strings(getKey(k, 'crds')).map((c) => ['crds', c] as const),
    ]) {
      if (isRemote(c.value)) {
        remotePart(st, c.span.uri ?? kustUri, c.span, `${field} file`, c.value);
        continue;
      }
      const uri = joinPath(dir, c.value);
      if (restricted && !isUnder(uri, dir)) outsideRoot(st, c.span.uri ?? kustUri, c.span, c.value);
      const file = read(st, uri);
      if (file === undefined) {
        problem(st, kustUri, c.span, `${field} file "${c.value}" is not in the workspace`, uri);
        continue;
      }
      st.patchFiles.add(uri);
      const readDoc = field === 'crds' ? readCrdConfiguration : readConfiguration;
      const refs = file.errors.length > 0 || file.templated ? undefined : file.documents.map((d) => readDoc(d.root));
      if (refs === undefined || refs.some((r) => r === undefined)) unknownPart(st);
      else for (const r of refs) joinConfiguration(st, r);
    }
    const options = getKey(k, 'generatorOptions');
    const generated = new Appender(st, ra, kustUri);
    for (const [field, kind] of [
      ['configMapGenerator', 'ConfigMap'],
      ['secretGenerator', 'Secret'],
    ] as const) {
      const list = getKey(k, field);
      if (!isSeq(list)) continue;
      for (const entry of list.items) {
        const g = generate(
          kind,
          entry,
          options,
          { read: (rel, at) => generatorFile(st, dir, rel, { ...at, uri: at.uri ?? kustUri }, restricted) },
          entry.span,
        );
        if (g === undefined) continue;
        const node = cloneNode(g.node, undefined) as YMap;
        const name = text(getKey(getKey(node, 'metadata'), 'name')) ?? '';
        const made: Res = {
          node,
          uri: kustUri,
          docIndex: 0,
          names: [name],
          namespaces: [text(getKey(getKey(node, 'metadata'), 'namespace'))],
          hashSuffix: g.hashSuffix,
          contentUnknown: g.contentUnknown,
          behavior: g.behavior,
        };
        if (g.behavior === 'merge' || g.behavior === 'replace') {
          const existing = ra.find((r) => kindOf(r) === kind && r.names.includes(name));
          if (existing === undefined) {
            problem(
              st,
              kustUri,
              entry.span,
              `${field} "${name}" with behavior ${g.behavior} has no ${kind} to ${g.behavior} in the build`,
              undefined,
              true,
            );
            continue;
          }
          mergeGenerated(existing, g.behavior, existing.uri === kustUri ? node : (cloneNode(g.node, kustUri) as YMap));
          existing.hashSuffix = g.hashSuffix;
          existing.contentUnknown = (g.behavior === 'merge' && existing.contentUnknown === true) || g.contentUnknown;
          continue;
        }
        const held = generated.holder(made);
        if (held !== undefined) generatorExists(st, kustUri, entry.span, field, made, held);
        else generated.add(made, entry.span);
      }
    }
    // helmCharts: local charts rendered as `helm template` renders them (helm.ts).
    if (getKey(k, 'helmCharts') !== undefined)
      for (const r of chartResources(st, dir, k, kustUri, { own: ownNamespace, inherited }, (uri) =>
        loadResources(st, uri, st.host.readsLikeKubectl?.(dir) === true),
      ))
        ra.push(r);
    // Components run on all this kustomization accumulated, generated objects included (kustomize ≥ v5.1, #5170).
    for (const c of strings(getKey(k, 'components'))) {
      if (isRemote(c.value)) {
        remotePart(st, c.span.uri ?? kustUri, c.span, 'component', c.value);
        continue;
      }
      const target = joinPath(dir, c.value);
      if (kustomizationIn(st, target) === undefined) {
        st.inputs.add(joinPath(target, 'kustomization.yaml'));
        problem(st, c.span.uri ?? kustUri, c.span, `component "${c.value}" has no kustomization in the workspace`, target);
        continue;
      }
      accumulate(st, target, ra);
      const kind = st.kinds.get(target);
      if (kind !== undefined && kind !== 'Component')
        append.fails(c.span, `expected kind 'Component' for path '${c.value}' but got '${kind}'`);
    }
    // Transformers, in kustomize's order.
    const patchesAt = (field: string): void => {
      const list = getKey(k, field);
      if (!isSeq(list)) return;
      for (const item of list.items) {
        // A patch the host merged in (a Flux Kustomization's) lies in its own file.
        const from = item.span.uri ?? kustUri;
        if (field === 'patchesStrategicMerge') {
          // A path, or an inline patch as a string.
          const s = text(item);
          if (s === undefined) continue;
          const docs =
            s.includes('\n') || s.includes(':')
              ? patchDocuments(st, dir, from, undefined, item, true)
              : patchDocuments(st, dir, from, item, undefined, true);
          for (const d of docs) applyPatch(st, ra, d, undefined, from, item.span);
          continue;
        }
        const target = readTarget(getKey(item, 'target'));
        const docs = patchDocuments(st, dir, from, getKey(item, 'path'), getKey(item, 'patch'), target !== undefined);
        // A JSON merge patch a synthesized kustomization asks for (Fleet's overlays): lists replaced whole (mergePatch.ts).
        const json = text(getKey(item, 'jsonMergePatch')) === 'true';
        for (const d of docs)
          applyPatch(
            st,
            ra,
            json && isMap(d.node) ? { ...d, node: asMergePatch(d.node) } : d,
            target,
            from,
            item.span,
            getKey(item, 'options'),
          );
      }
    };
    patchesAt('patchesStrategicMerge');
    patchesAt('patches');
    const ns = getKey(k, 'namespace');
    const nsName = text(ns) ?? templateText(st, ns);
    if (nsName !== undefined && ns !== undefined) {
      setNamespaces(ra, nsName, { ...ns.span, uri: ns.span.uri ?? kustUri }, specsOf(st, 'namespace'));
      if (!asKubectl) namespaceConflicts(st, ra, kustUri, ns.span);
    }
    const prefix = text(getKey(k, 'namePrefix')) ?? templateText(st, getKey(k, 'namePrefix')) ?? '';
    const suffix = text(getKey(k, 'nameSuffix')) ?? templateText(st, getKey(k, 'nameSuffix')) ?? '';
    const affix = (getKey(k, 'namePrefix') ?? getKey(k, 'nameSuffix') ?? k).span;
    if (prefix !== '' || suffix !== '')
      affixNames(
        ra,
        prefix,
        suffix,
        { ...affix, uri: affix.uri ?? kustUri },
        { prefix: specsOf(st, 'namePrefix'), suffix: specsOf(st, 'nameSuffix') },
      );
    const commonLabels = specsOf(st, 'commonLabels');
    addLabels(ra, labelEntries(getKey(k, 'commonLabels')), { selectors: true, templates: true }, kustUri, own, commonLabels);
    const labels = getKey(k, 'labels');
    if (isSeq(labels)) {
      for (const l of labels.items) {
        const sel = plain(getKey(l, 'includeSelectors')) === true;
        const tpl = plain(getKey(l, 'includeTemplates')) === true;
        // kustomize: the entry's fields, the configured label fields, then what its flags include.
        const fields = readFieldSpecs(getKey(l, 'fields'));
        if (fields === undefined) unknownPart(st);
        const extra = [...(fields ?? []), ...specsOf(st, 'labels'), ...(sel ? commonLabels : tpl ? specsOf(st, 'templateLabels') : [])];
        addLabels(ra, labelEntries(getKey(l, 'pairs')), { selectors: sel, templates: tpl }, kustUri, own, extra);
      }
    }
    addAnnotations(ra, labelEntries(getKey(k, 'commonAnnotations')), kustUri, own, specsOf(st, 'commonAnnotations'));
    const json = getKey(k, 'patchesJson6902');
    if (isSeq(json)) {
      for (const item of json.items) {
        const target = readTarget(getKey(item, 'target'));
        for (const d of patchDocuments(st, dir, kustUri, getKey(item, 'path'), getKey(item, 'patch')))
          applyPatch(st, ra, d, target, kustUri, item.span);
      }
    }
    // vars: resolved at the end of the top build (vars.ts).
    const vars = readVars(getKey(k, 'vars'));
    if (vars === undefined) unknownPart(st);
    else for (const v of vars) st.vars.push(v);
    const replicas = getKey(k, 'replicas');
    if (isSeq(replicas)) {
      for (const item of replicas.items) {
        const name = text(getKey(item, 'name'));
        const count = getKey(item, 'count');
        if (name === undefined || count === undefined) continue;
        if (setReplicas(ra, name, cloneNode(count, kustUri), specsOf(st, 'replicas')) > 0) continue;
        // kustomize's ReplicaCountTransformer stops when no object of a kind it scales has the name (now or before).
        if (ra.some((r) => nameOf(r) === undefined)) unknownPart(st);
        else
          problem(
            st,
            kustUri,
            getKey(item, 'name')?.span ?? item.span,
            `replicas target "${name}" is not in the build: no Deployment, StatefulSet, ReplicaSet or ReplicationController has that name (kustomize: "resource with name ${name} does not match a config")`,
            undefined,
            true,
          );
      }
    }
    // The legacy `imageTags` after `images`, as kustomize's FixKustomization appends them.
    for (const images of [getKey(k, 'images'), getKey(k, 'imageTags')])
      if (isSeq(images))
        for (const item of images.items) setImages(ra, item, { ...item.span, uri: item.span.uri ?? kustUri }, specsOf(st, 'images'));
    // replacements: the last transformer (replacements.ts).
    const replacements = getKey(k, 'replacements');
    if (replacements !== undefined) applyReplacements(replacements, ra, replacementIo(st, dir));
    // transformers: configurations run after the kustomization's own transformers (transformerConfigs.ts).
    runTransformerConfigs(st, dir, getKey(k, 'transformers'), kustUri, ra, {
      accumulate,
      load: (uri) => loadResources(st, uri, st.host.readsLikeKubectl?.(dir) === true),
    });
  } finally {
    st.stack.pop();
    st.helmNamespace = inherited;
  }
}

/**
 * The text of a templated kustomization value (`namespace: "{{ .Release.Namespace }}"`, a chart
 * scaffold's kustomization): kustomize copies it as it stands, so the build does too (names,
 * namespaces and references follow it as kustomize's do), and the values that hold it become
 * unknown at the end of the top build (`unknownTemplateText`): some tool after the build decides them.
 */
function templateText(st: State, n: YNode | undefined): string | undefined {
  if (!isScalar(n) || !n.unknown || typeof n.value !== 'string' || n.value === '') return undefined;
  st.templateTexts.add(n.value);
  return n.value;
}

function joinConfiguration(st: State, c: Configuration | undefined): void {
  for (const x of c?.references ?? []) st.references.push(x);
  for (const f of c?.fieldSpecs ?? []) st.fieldSpecs.push(f);
}

function specsOf(st: State, section: FieldSpecSection): FieldSpec[] {
  return st.fieldSpecs.filter((f) => f.section === section).map((f) => f.spec);
}

/** A generator's file; `at`, where kustomize's load restrictor applies: a file outside the kustomization's folder is recorded. */
/** Builds the kustomization in `dir` as `kustomize build dir` would. */
export function buildKustomization(dir: string, host: KustomizeHost): BuildResult {
  const st = freshState(host, []);
  const ra: Res[] = [];
  try {
    if (!readTopOpenApi(st, dir, (uri) => read(st, uri))) unknownPart(st);
    accumulate(st, dir, ra);
    // The end of the top build: content hashes, then references follow the final names.
    for (const r of ra) {
      if (r.hashSuffix !== true) continue;
      const meta = getKey(r.node, 'metadata');
      const nameNode = getKey(meta, 'name');
      if (!isMap(meta) || nameNode === undefined) continue;
      const hash = r.contentUnknown === true ? undefined : contentHash(r.node);
      rememberId(r);
      if (hash === undefined) {
        setKey(meta, 'name', { kind: 'scalar', value: null, unknown: true, quoted: false, span: nameNode.span });
        continue;
      }
      const name = `${nameOf(r) ?? ''}-${hash}`;
      setKey(meta, 'name', scalarNode(name, nameNode.span));
      r.names.push(name);
    }
    fixReferences(ra, st.references);
    if (!resolveVars(st.vars, ra, specsOf(st, 'varReference'), (u) => st.host.text(u))) unknownPart(st);
    runtimeExpansion(ra);
    if (st.templateTexts.size > 0) for (const r of ra) r.node = unknownTemplateText(r.node, st.templateTexts);
    const top = kustomizationIn(st, dir);
    if (top !== undefined) addBuildMetadata(st.host.parse(top)?.documents.find((d) => isMap(d.root))?.root, top, ra);
    clearEmptyAnnotations(ra);
  } catch {
    // Invariant: a build never throws; what it could not do makes it incomplete.
    unknownPart(st);
  }
  return {
    dir,
    objects: ra.map((r) => ({ uri: r.uri, docIndex: r.docIndex, source: `${kindOf(r)}/${r.names[0] ?? ''}`, root: r.node })),
    inputs: st.inputs,
    kustomizations: st.kustomizations,
    resourceFiles: st.resourceFiles,
    patchFiles: st.patchFiles,
    complete: st.complete && !st.copiesVariables,
    ...(st.copiesVariables ? { pendingVariables: { complete: st.complete } } : {}),
    ...(st.literalVariables ? { variables: true as const } : {}),
    ...(st.kyamlFiles.size > 0 ? { kyamlFiles: st.kyamlFiles } : {}),
    problems: st.problems,
    notes: st.notes,
    knownParts: !st.unknown,
  };
}
