/**
 * What kustomize refuses in a kustomization file itself before it builds anything (api/krusty
 * `KustTarget.Load`): one that says nothing ("kustomization.yaml is empty": no field but
 * `apiVersion` and `kind` with a value), and one with a field its `types.Kustomization` does not
 * have (it decodes strictly: "invalid Kustomization: json: unknown field \"resource\""; Go's JSON
 * decoder matches field names in any case). Either stops `kustomize build`, whatever else the build
 * holds. Checked against kubectl kustomize v5.5.0 (test/analysis/kustomizeIds.test.ts). Design
 * notes: docs/dev/kustomize.md ("Resource ids").
 */

import type { ParsedFile } from '../../syntax/parse.js';
import type { YMap, YPair } from '../../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { basename } from '../../workspace/paths.js';
import { getKey, text } from './nodes.js';
import type { BuildState } from './subBuilds.js';
import { fails } from './ids.js';

/** The fields of kustomize v5.5.0's `types.Kustomization` (json tags), by their lower-cased names: Go's decoder ignores case. */
const FIELDS: ReadonlyMap<string, string> = new Map(
  [
    'apiVersion',
    'kind',
    'metadata',
    'openapi',
    'namePrefix',
    'nameSuffix',
    'namespace',
    'commonLabels',
    'labels',
    'commonAnnotations',
    'patchesStrategicMerge',
    'patchesJson6902',
    'patches',
    'images',
    'imageTags',
    'replacements',
    'replicas',
    'vars',
    'sortOptions',
    'resources',
    'components',
    'crds',
    'bases',
    'configMapGenerator',
    'secretGenerator',
    'helmGlobals',
    'helmCharts',
    'helmChartInflationGenerator',
    'generatorOptions',
    'configurations',
    'generators',
    'transformers',
    'validators',
    'buildMetadata',
  ].map((f) => [f.toLowerCase(), f]),
);

/** `k` with every field named as kustomize names it (`Resources:` is `resources:` to Go's JSON decoder), copied only when one differs. */
export function canonicalFields(k: YMap): YMap {
  if (k.pairs.every((p) => p.keyUnknown || FIELDS.get(p.key.toLowerCase()) === undefined || FIELDS.get(p.key.toLowerCase()) === p.key))
    return k;
  return { ...k, pairs: k.pairs.map((p) => ({ ...p, key: p.keyUnknown ? p.key : (FIELDS.get(p.key.toLowerCase()) ?? p.key) })) };
}

/**
 * Reports what kustomize refuses in the kustomization file `kustUri` as read (`parsed`, its first
 * map `k`): an empty one, or each field kustomize does not know. Only a file read as it stands (not a
 * kustomization a GitOps root made or merged) with nothing templated or unparsable in it.
 */
export function refusedKustomization(st: BuildState, kustUri: string, parsed: ParsedFile, k: YMap | undefined): void {
  if (parsed.errors.length > 0 || parsed.templated) return;
  const file = basename(kustUri);
  if (k === undefined) {
    // Nothing but comments or document markers.
    if (parsed.documents.every((d) => d.root === undefined || (isScalar(d.root) && d.root.value === null && !d.root.unknown)))
      fails(st, kustUri, lastLine(st.host.text(kustUri) ?? ''), `${file} is empty`);
    return;
  }
  // Another tool's object in a file of this name (a Flux Kustomization) is not kustomize's to refuse here.
  const apiVersion = text(getKey(k, 'apiVersion'));
  if (apiVersion !== undefined && !apiVersion.startsWith('kustomize.config.k8s.io/')) return;
  if (k.pairs.some((p) => p.keyUnknown)) return;
  const said = k.pairs.filter((p) => {
    const key = p.key.toLowerCase();
    return key !== 'apiversion' && key !== 'kind' && !(isScalar(p.value) && p.value.value === null) && p.value !== undefined;
  });
  if (said.length === 0) {
    fails(st, kustUri, { start: k.span.start, end: k.span.start }, `${file} is empty`);
    return;
  }
  const unknownField = (p: YPair): void => fails(st, kustUri, p.keySpan, `invalid Kustomization: json: unknown field "${p.key}"`);
  for (const p of k.pairs) if (!FIELDS.has(p.key.toLowerCase())) unknownField(p);
  // A patch entry and its target decode strictly too (`target: {apiVersion: …}` is a common slip: the selector has group and version).
  for (const field of ['patches', 'patchesJson6902']) {
    const list = getKey(k, field);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (!isMap(item)) continue;
      for (const p of item.pairs) if (!p.keyUnknown && !PATCH_FIELDS.has(p.key.toLowerCase())) unknownField(p);
      const target = getKey(item, 'target');
      if (isMap(target)) for (const p of target.pairs) if (!p.keyUnknown && !TARGET_FIELDS.has(p.key.toLowerCase())) unknownField(p);
    }
  }
}

/** The fields of a `patches` (and `patchesJson6902`) entry: kustomize's `types.Patch`. */
const PATCH_FIELDS: ReadonlySet<string> = new Set(['path', 'patch', 'target', 'options']);
/** The fields of a patch `target`: kustomize's `types.Selector` (a resid's group, version, kind, name, namespace, and the two selectors). */
const TARGET_FIELDS: ReadonlySet<string> = new Set([
  'group',
  'version',
  'kind',
  'name',
  'namespace',
  'labelselector',
  'annotationselector',
]);

/** The start of the last line with text (a suppression comment above it silences the finding). */
function lastLine(text: string): { start: number; end: number } {
  const trimmed = text.replace(/\s+$/, '');
  const start = trimmed.lastIndexOf('\n') + 1;
  return { start, end: start };
}
