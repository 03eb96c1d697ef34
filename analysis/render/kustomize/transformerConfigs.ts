/**
 * A kustomization's `transformers:` field: transformer configurations, run after the transformers
 * the kustomization's own fields configure, in the order listed (kustomize's `runTransformers`:
 * `configureBuiltinTransformers`, then `configureExternalTransformers`). An entry is a file, a
 * folder whose kustomization builds the configurations (its own `namespace:` sets theirs), or an
 * inline YAML string. Configurations of kustomize's built-in transformers (`apiVersion: builtin`)
 * run as kustomize runs them, with only the field specs they list: `NamespaceTransformer`,
 * `LabelTransformer`, `AnnotationsTransformer`, `PrefixSuffixTransformer`, `PrefixTransformer`,
 * `SuffixTransformer`, `PatchTransformer`,
 * `PatchStrategicMergeTransformer`, `PatchJson6902Transformer`, `ReplacementTransformer`. Any other
 * configuration (an exec or container plugin, a KRM function) is a part not known here: the build is
 * incomplete. Design notes: docs/dev/kustomize.md.
 */

import type { Span } from '../../types.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import { isMap, isSeq } from '../../syntax/tree.js';
import { parseFile } from '../../syntax/parse.js';
import { joinPath } from '../../workspace/paths.js';
import type { FieldSpec } from './configurations.js';
import { readFieldSpecs, specPlaces, specSelects } from './configurations.js';
import { blockOffsets, cloneNode, getKey, mapNode, plain, scalarNode, setKey, text } from './nodes.js';
import { applyPatch, patchDocuments } from './patches.js';
import { isRemote, problem, read, remotePart, unknownPart } from './reading.js';
import { applyReplacements } from './replacements.js';
import type { ReplacementIo } from './replacements.js';
import type { Res } from './resource.js';
import { apiVersionOf, isClusterScoped, kindOf, setName, setNamespace } from './resource.js';
import type { BuildState as State } from './subBuilds.js';
import { kustomizationIn, sharedSubBuild } from './subBuilds.js';
import { readTarget } from './targets.js';
import { affixFields, labelEntries, pairsAtSpecs } from './transforms.js';

export interface TransformerIo {
  /** Builds a kustomization folder into `ra` (build.ts's accumulate). */
  readonly accumulate: (st: State, dir: string, ra: Res[]) => void;
  /** The objects of a resource file. */
  readonly load: (uri: string) => Res[];
}

/** Runs the `transformers:` entries of the kustomization in `dir` on `ra`. */
export function runTransformerConfigs(
  st: State,
  dir: string,
  list: YNode | undefined,
  kustUri: string,
  ra: Res[],
  io: TransformerIo,
): void {
  if (list === undefined || (list.kind === 'scalar' && list.value === null && !list.unknown)) return;
  if (!isSeq(list)) return unknownPart(st);
  for (const item of list.items) {
    const entry = text(item);
    if (entry === undefined) {
      unknownPart(st);
      continue;
    }
    for (const config of configurations(st, dir, entry, item, kustUri, io)) run(st, dir, config, kustUri, ra);
  }
}

/** The configurations one entry names, each with the file its fields come from. */
function configurations(
  st: State,
  dir: string,
  entry: string,
  item: YNode,
  kustUri: string,
  io: TransformerIo,
): Array<{ node: YMap; uri: string }> {
  if (entry.includes('\n')) {
    // Inline: the YAML text itself; what the configuration adds points at the entry.
    const parsed = parseFile(entry);
    if (parsed.errors.length > 0 || parsed.templated) {
      unknownPart(st);
      return [];
    }
    const map = blockOffsets(st.host.text(kustUri), item, entry);
    return parsed.documents
      .filter((d) => isMap(d.root))
      .map((d) => ({ node: cloneNode(d.root as YNode, kustUri, map) as YMap, uri: kustUri }));
  }
  if (isRemote(entry)) {
    remotePart(st, item.span.uri ?? kustUri, item.span, 'transformer', entry);
    return [];
  }
  const target = joinPath(dir, entry);
  if (kustomizationIn(st, target) !== undefined) {
    const built: Res[] = [];
    for (const r of sharedSubBuild(st, target, io.accumulate)) built.push(r);
    return built.map((r) => ({ node: r.node, uri: r.uri }));
  }
  if (read(st, target) === undefined) {
    problem(st, kustUri, item.span, `transformer "${entry}" is not in the workspace`, target);
    return [];
  }
  st.patchFiles.add(target);
  return io.load(target).map((r) => ({ node: r.node, uri: r.uri }));
}

/** How a replacement list of `dir` loads its `path` files (read as inputs of the build) and meets what is not known. */
export function replacementIo(st: State, dir: string): ReplacementIo {
  return {
    load: (rel) => {
      const uri = joinPath(dir, rel);
      const file = read(st, uri);
      if (file === undefined || file.errors.length > 0 || file.templated) return undefined;
      st.patchFiles.add(uri);
      return file.documents.flatMap((d) => (d.root === undefined ? [] : [d.root]));
    },
    unknown: () => unknownPart(st),
  };
}

/** One built-in transformer configuration run on `ra`. */
function run(st: State, dir: string, c: { node: YMap; uri: string }, kustUri: string, ra: Res[]): void {
  const cfg = c.node;
  const kind = text(getKey(cfg, 'kind'));
  if (text(getKey(cfg, 'apiVersion')) !== 'builtin' || kind === undefined) return unknownPart(st);
  const span: Span = { ...cfg.span, uri: cfg.span.uri ?? c.uri };
  const specs = readFieldSpecs(getKey(cfg, 'fieldSpecs'));
  switch (kind) {
    case 'NamespaceTransformer': {
      const ns = text(getKey(getKey(cfg, 'metadata'), 'namespace'));
      const mode = text(getKey(cfg, 'setRoleBindingSubjects')) ?? 'defaultOnly';
      if (specs === undefined || !['defaultOnly', 'allServiceAccounts', 'none', ''].includes(mode)) return unknownPart(st);
      // kustomize's plugin does nothing without a namespace.
      if (ns === undefined || ns === '') return;
      namespaceAsConfigured(ra, ns, specs, plain(getKey(cfg, 'unsetOnly')) === true, mode, span);
      return;
    }
    case 'LabelTransformer':
    case 'AnnotationsTransformer': {
      const pairs = labelEntries(getKey(cfg, kind === 'LabelTransformer' ? 'labels' : 'annotations'));
      if (specs === undefined) return unknownPart(st);
      if (pairs.length === 0) return;
      for (const r of ra) pairsAtSpecs(r, specs, pairs, span.uri ?? kustUri, span);
      return;
    }
    case 'PrefixSuffixTransformer':
      if (specs === undefined) return unknownPart(st);
      // kustomize's MultiTransformer: its PrefixTransformer, then its SuffixTransformer, with the same specs.
      affixFields(ra, 'prefix', text(getKey(cfg, 'prefix')) ?? '', specs, span);
      affixFields(ra, 'suffix', text(getKey(cfg, 'suffix')) ?? '', specs, span);
      return;
    case 'PrefixTransformer':
    case 'SuffixTransformer': {
      if (specs === undefined) return unknownPart(st);
      const side = kind === 'PrefixTransformer' ? 'prefix' : 'suffix';
      affixFields(ra, side, text(getKey(cfg, side)) ?? '', specs, span);
      return;
    }
    case 'PatchTransformer': {
      const target = readTarget(getKey(cfg, 'target'));
      for (const d of patchDocuments(st, dir, c.uri, getKey(cfg, 'path'), getKey(cfg, 'patch'), target !== undefined))
        applyPatch(st, ra, d, target, c.uri, span, getKey(cfg, 'options'));
      return;
    }
    case 'PatchStrategicMergeTransformer': {
      const paths = getKey(cfg, 'paths');
      for (const p of isSeq(paths) ? paths.items : [])
        for (const d of patchDocuments(st, dir, c.uri, p, undefined, true)) applyPatch(st, ra, d, undefined, c.uri, span);
      const inline = getKey(cfg, 'patches');
      if (inline !== undefined)
        for (const d of patchDocuments(st, dir, c.uri, undefined, inline, true)) applyPatch(st, ra, d, undefined, c.uri, span);
      return;
    }
    case 'PatchJson6902Transformer': {
      const target = readTarget(getKey(cfg, 'target'));
      if (target === undefined) return unknownPart(st);
      for (const d of patchDocuments(st, dir, c.uri, getKey(cfg, 'path'), getKey(cfg, 'jsonOp')))
        applyPatch(st, ra, d, target, c.uri, span);
      return;
    }
    case 'ReplacementTransformer':
      applyReplacements(getKey(cfg, 'replacements'), ra, replacementIo(st, dir));
      return;
    default:
      unknownPart(st);
  }
}

/**
 * kustomize's namespace filter with a configuration's own field specs: metadata.namespace of every
 * namespaced object and the role binding subjects its mode names, whatever the specs say; then the
 * specs, `metadata/name` only on `v1` objects; with `unsetOnly`, only fields that are empty.
 */
function namespaceAsConfigured(
  ra: readonly Res[],
  ns: string,
  specs: readonly FieldSpec[],
  unsetOnly: boolean,
  mode: string,
  span: Span,
): void {
  const blank = (v: YNode | undefined): boolean =>
    v === undefined || (v.kind === 'scalar' && !v.unknown && (v.value === null || v.value === ''));
  const set = (parent: YMap, key: string): void => {
    if (!unsetOnly || blank(getKey(parent, key))) setKey(parent, key, scalarNode(ns, span), span);
  };
  for (const r of ra) {
    const kind = kindOf(r);
    const apiVersion = apiVersionOf(r);
    if (!isClusterScoped(r) && (!unsetOnly || blank(getKey(getKey(r.node, 'metadata'), 'namespace')))) setNamespace(r, ns, span);
    const binding = kind === 'RoleBinding' || kind === 'ClusterRoleBinding';
    if (binding && mode !== 'none') {
      const subjects = getKey(r.node, 'subjects');
      for (const s of isSeq(subjects) ? subjects.items : []) {
        if (!isMap(s)) continue;
        const pick = mode === 'allServiceAccounts' ? text(getKey(s, 'kind')) === 'ServiceAccount' : text(getKey(s, 'name')) === 'default';
        if (pick) set(s, 'namespace');
      }
    }
    for (const f of specs) {
      const path = f.path.join('/');
      if (path === 'metadata/namespace' || (binding && path === 'subjects/namespace')) continue;
      if (path === 'metadata/name' && apiVersion !== 'v1') continue;
      if (!specSelects(f, apiVersion, kind)) continue;
      for (const at of specPlaces(r.node, f, () => mapNode(span))) {
        if (!f.create && getKey(at.parent, at.key) === undefined) continue;
        if (path === 'metadata/name') {
          if (!unsetOnly || blank(getKey(at.parent, at.key))) setName(r, ns, span);
        } else set(at.parent, at.key);
      }
    }
  }
}
