/**
 * What kustomize refuses in a kustomization file itself before it builds anything (api/krusty
 * `KustTarget.Load`): one that says nothing ("kustomization.yaml is empty": no field but
 * `apiVersion` and `kind` with a value), and one with a field its `types.Kustomization` does not
 * have, at the top or in any struct below it (it decodes strictly, `DisallowUnknownFields`: "invalid
 * Kustomization: json: unknown field \"resource\""; Go's JSON decoder matches field names in any
 * case): a generator's `literal:`, a replacement target's `select: {apiVersion: …}`, a label's
 * `includeSelector:`, an image's `tag:`; and a top field whose value Go's decoder cannot put into
 * its type ("json: cannot unmarshal string into Go struct field Kustomization.patches of type
 * types.Patch"). Each stops `kustomize build`, whatever else the build
 * holds. Checked against kubectl kustomize v5.5.0 (test/analysis/kustomizeIds.test.ts). Design
 * notes: docs/dev/kustomize.md ("Resource ids").
 */

import type { ParsedFile } from '../../syntax/parse.js';
import type { Span } from '../../types.js';
import type { YMap, YNode, YPair } from '../../syntax/tree.js';
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
  // Another tool's object in a file of this name is not kustomize's to refuse here, but for a Flux
  // Kustomization: kustomize (and kustomize-controller, whose generator lists such a folder as a
  // resource) decodes it strictly and stops at its `spec`.
  const apiVersion = text(getKey(k, 'apiVersion'));
  if (
    apiVersion !== undefined &&
    !apiVersion.startsWith('kustomize.config.k8s.io/') &&
    !apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')
  )
    return;
  if (k.pairs.some((p) => p.keyUnknown)) return;
  const said = k.pairs.filter((p) => {
    const key = p.key.toLowerCase();
    return key !== 'apiversion' && key !== 'kind' && !(isScalar(p.value) && p.value.value === null) && p.value !== undefined;
  });
  if (said.length === 0) {
    fails(st, kustUri, { start: k.span.start, end: k.span.start }, `${file} is empty`);
    return;
  }
  // A Flux Kustomization saved under a kustomization file's name: say so, and what kustomize-controller does with it.
  const flux =
    apiVersion?.startsWith('kustomize.toolkit.fluxcd.io/') === true
      ? ` (this is a Flux Kustomization saved as ${file}: kustomize reads a folder's kustomization by its name, as does kustomize-controller's generator, which lists a sub-folder holding one as a folder; save it under another name)`
      : '';
  const unknownField = (p: YPair): void => fails(st, kustUri, p.keySpan, `invalid Kustomization: json: unknown field "${p.key}"${flux}`);
  strictFields(k, KUSTOMIZATION, unknownField);
  wrongTypes(k, (at, message) => fails(st, kustUri, at, `invalid Kustomization: json: ${message}`));
}

/** `types.GeneratorArgs` with its `KvPairSources` and `options` (the fields of ConfigMapArgs). */
const GENERATOR_ARGS = {
  namespace: 'string',
  name: 'string',
  behavior: 'string',
  literals: '[]string',
  files: '[]string',
  envs: '[]string',
  env: 'string',
  options: '*types.GeneratorOptions',
};

/** The Go types of `types.Kustomization`'s fields (json tags): `string`, `map[string]string`, `[]string`, `[]types.X` or `*types.X`. */
const TOP_TYPES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    apiVersion: 'string',
    kind: 'string',
    namePrefix: 'string',
    nameSuffix: 'string',
    namespace: 'string',
    openapi: 'map[string]string',
    commonLabels: 'map[string]string',
    commonAnnotations: 'map[string]string',
    resources: '[]string',
    components: '[]string',
    crds: '[]string',
    bases: '[]string',
    configurations: '[]string',
    generators: '[]string',
    transformers: '[]string',
    validators: '[]string',
    buildMetadata: '[]string',
    patchesStrategicMerge: '[]types.PatchStrategicMerge',
    labels: '[]types.Label',
    patchesJson6902: '[]types.Patch',
    patches: '[]types.Patch',
    images: '[]types.Image',
    imageTags: '[]types.Image',
    replacements: '[]types.ReplacementField',
    replicas: '[]types.Replica',
    vars: '[]types.Var',
    configMapGenerator: '[]types.ConfigMapArgs',
    secretGenerator: '[]types.SecretArgs',
    helmCharts: '[]types.HelmChart',
    helmChartInflationGenerator: '[]types.HelmChartArgs',
    metadata: '*types.ObjectMeta',
    sortOptions: '*types.SortOptions',
    helmGlobals: '*types.HelmGlobals',
    generatorOptions: '*types.GeneratorOptions',
  }).map(([f, t]) => [f.toLowerCase(), t]),
);

/**
 * The JSON type sigs.k8s.io/yaml makes of a node (YAML 1.1, as kustomize reads a kustomization:
 * `yes` is a bool, `1` a number), or undefined for null and what is not known here.
 */
function jsonType(n: YNode | undefined): 'string' | 'number' | 'bool' | 'object' | 'array' | undefined {
  if (n === undefined || n.unknown) return undefined;
  if (isMap(n)) return 'object';
  if (isSeq(n)) return 'array';
  if (n.quoted) return 'string';
  const v = n.value;
  return v === null ? undefined : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'string';
}

/** The fields of the structs of `types.Kustomization`'s lists whose Go types are checked too (json tags; kustomize v5.5.0). */
const ITEM_FIELDS: ReadonlyMap<string, ReadonlyMap<string, readonly [field: string, type: string]>> = new Map(
  Object.entries({
    'types.Image': { name: 'string', newName: 'string', tagSuffix: 'string', newTag: 'string', digest: 'string' },
    'types.Replica': { name: 'string', count: 'int64' },
    'types.Patch': { path: 'string', patch: 'string', target: '*types.Selector', options: 'map[string]bool' },
    'types.Label': { pairs: 'map[string]string', includeSelectors: 'bool', includeTemplates: 'bool', fields: '[]types.FieldSpec' },
    'types.ConfigMapArgs': GENERATOR_ARGS,
    'types.SecretArgs': { ...GENERATOR_ARGS, type: 'string' },
    'types.HelmChart': {
      ...Object.fromEntries(
        'name version repo releaseName namespace valuesFile valuesMerge kubeVersion nameTemplate'.split(' ').map((f) => [f, 'string']),
      ),
      ...Object.fromEntries('includeCRDs skipHooks skipTests debug'.split(' ').map((f) => [f, 'bool'])),
      additionalValuesFiles: '[]string',
      apiVersions: '[]string',
    },
  }).map(([struct, fields]) => [struct, new Map(Object.entries(fields).map(([f, t]) => [f.toLowerCase(), [f, t] as const]))]),
);

/** Whether a value of JSON type `t` decodes into Go type `goType` (structs and pointers to them take objects). */
function decodes(t: string, goType: string): boolean {
  if (goType === 'string' || goType === 'types.PatchStrategicMerge') return t === 'string';
  if (goType === 'bool') return t === 'bool';
  if (goType === 'int64') return t === 'number';
  if (goType.startsWith('map[') || goType.startsWith('*') || goType.startsWith('types.')) return t === 'object';
  return t === 'array';
}

/**
 * The top fields whose values Go's JSON decoder cannot put into `types.Kustomization` (kustomize's
 * `Unmarshal`: "json: cannot unmarshal string into Go struct field Kustomization.patches of type
 * types.Patch", a `patchesStrategicMerge` path list moved under `patches:` as it stands; a number or
 * bool where a string goes, `commonLabels: {tier: 1}`, `namespace: yes`); a null is no value.
 */
function wrongTypes(k: YMap, wrong: (at: Span, message: string) => void): void {
  for (const p of k.pairs) {
    if (p.keyUnknown || p.key === '<<') continue;
    const field = FIELDS.get(p.key.toLowerCase());
    const goType = TOP_TYPES.get(p.key.toLowerCase());
    if (field === undefined || goType === undefined || p.value === undefined) continue;
    const say = (n: YNode, t: string, type: string): void =>
      wrong(n.span, `cannot unmarshal ${t} into Go struct field Kustomization.${field} of type ${type}`);
    const t = jsonType(p.value);
    if (t === undefined) continue;
    if (!decodes(t, goType)) {
      say(p.value, t, goType.replace(/^\*/, ''));
      continue;
    }
    // Inside: a list's items, a map's values.
    const inner = goType.startsWith('[]') ? goType.slice(2) : goType.startsWith('map[') ? 'string' : undefined;
    if (inner === undefined) continue;
    const items = isSeq(p.value)
      ? p.value.items
      : isMap(p.value)
        ? p.value.pairs.flatMap((x) => (x.value === undefined ? [] : [x.value]))
        : [];
    for (const item of items) {
      const it = jsonType(item);
      if (it !== undefined && !decodes(it, inner)) say(item, it, inner);
      else if (isMap(item)) itemFields(item, inner, field, wrong);
    }
  }
}

/** Each field of one item of a list of structs whose value its Go type does not take (`images: [{newTag: 1.25}]`: a number), and its lists' and maps' members. */
function itemFields(item: YMap, struct: string, top: string, wrong: (at: Span, message: string) => void): void {
  const fields = ITEM_FIELDS.get(struct);
  if (fields === undefined) return;
  const name = struct.slice('types.'.length);
  for (const q of item.pairs) {
    if (q.keyUnknown || q.value === undefined) continue;
    const known = fields.get(q.key.toLowerCase());
    if (known === undefined) continue;
    const [field, goType] = known;
    const say = (n: YNode, t: string, type: string): void =>
      wrong(n.span, `cannot unmarshal ${t} into Go struct field ${name}.${top}.${field} of type ${type}`);
    const t = jsonType(q.value);
    if (t === undefined) continue;
    if (!decodes(t, goType)) {
      say(q.value, t, goType.replace(/^\*/, ''));
      continue;
    }
    // An int64 takes whole numbers only (Go names the number then: "number 1.5").
    if (goType === 'int64' && isScalar(q.value) && typeof q.value.value === 'number' && !Number.isInteger(q.value.value))
      say(q.value, `number ${q.value.value}`, goType);
    const inner = goType === '[]string' || goType === 'map[string]string' ? 'string' : goType === 'map[string]bool' ? 'bool' : undefined;
    if (inner === undefined) continue;
    const members = isSeq(q.value)
      ? q.value.items
      : isMap(q.value)
        ? q.value.pairs.flatMap((x) => (x.value === undefined ? [] : [x.value]))
        : [];
    for (const m of members) {
      const mt = jsonType(m);
      if (mt !== undefined && !decodes(mt, inner)) say(m, mt, inner);
    }
  }
}

/**
 * The fields of a struct of kustomize v5.5.0's `types` package (json tags, lower-cased: Go's decoder
 * ignores case; embedded structs' fields promoted as encoding/json promotes them): each to the
 * struct its value decodes into (for a list, each item), or `true` for a value whose keys are free
 * (a string, a list of strings, a `map[string]string`, `valuesInline`).
 */
interface Struct {
  readonly [field: string]: Struct | true;
}

/** `fields` as a struct, lower-cased, each with no struct below it unless given in `nested`. */
function struct(fields: string, nested: Readonly<Record<string, Struct>> = {}): Struct {
  const out: Record<string, Struct | true> = {};
  for (const f of fields.split(/\s+/).filter((x) => x !== '')) out[f.toLowerCase()] = true;
  for (const [f, s] of Object.entries(nested)) out[f.toLowerCase()] = s;
  return out;
}

const RES_ID = 'group version kind name namespace';
/** `types.Selector`: a resid, and the two selectors. */
const SELECTOR = struct(`${RES_ID} annotationSelector labelSelector`);
/** `types.FieldOptions` of a replacement's source and targets. */
const FIELD_OPTIONS = struct('delimiter index encoding create');
/** `types.GeneratorOptions`. */
const GENERATOR_OPTIONS = struct('labels annotations disableNameSuffixHash immutable');
/** `types.GeneratorArgs` with its `KvPairSources` (ConfigMapArgs; SecretArgs adds `type`). */
const GENERATOR = 'namespace name behavior literals files envs env';
/** `types.Patch` (its `options` is a `map[string]bool`). */
const PATCH = struct('path patch options', { target: SELECTOR });
const IMAGE = struct('name newName tagSuffix newTag digest');
/** `types.Kustomization`. */
const KUSTOMIZATION = struct(
  'apiVersion kind openapi namePrefix nameSuffix namespace commonLabels commonAnnotations patchesStrategicMerge resources components crds bases configurations generators transformers validators buildMetadata',
  {
    metadata: struct('name namespace labels annotations'),
    labels: struct('pairs includeSelectors includeTemplates', { fields: struct('group version kind path create') }),
    patchesJson6902: PATCH,
    patches: PATCH,
    images: IMAGE,
    imageTags: IMAGE,
    replacements: struct('path', {
      source: struct(`${RES_ID} fieldPath`, { options: FIELD_OPTIONS }),
      targets: struct('fieldPaths', { select: SELECTOR, reject: SELECTOR, options: FIELD_OPTIONS }),
    }),
    replicas: struct('name count'),
    vars: struct('name', { objref: struct(`apiVersion ${RES_ID}`), fieldref: struct('fieldPath') }),
    sortOptions: struct('order', { legacySortOptions: struct('orderFirst orderLast') }),
    configMapGenerator: struct(GENERATOR, { options: GENERATOR_OPTIONS }),
    secretGenerator: struct(`${GENERATOR} type`, { options: GENERATOR_OPTIONS }),
    helmGlobals: struct('chartHome configHome'),
    helmCharts: struct(
      'name version repo releaseName namespace additionalValuesFiles valuesFile valuesInline valuesMerge includeCRDs skipHooks apiVersions kubeVersion nameTemplate skipTests debug',
    ),
    helmChartInflationGenerator: struct(
      'chartName chartVersion chartRepoUrl chartHome chartRepoName helmBin helmHome values valuesLocal valuesMerge releaseName releaseNamespace extraArgs',
    ),
    generatorOptions: GENERATOR_OPTIONS,
  },
);

/**
 * Each field of map `m` that struct `s` lacks, and so on through the structs below it (a list's
 * map items each), in document order; a key not known here (templated) or a YAML merge key is
 * passed over. Iterative: a kustomization nests five structs deep at most, but input is not trusted.
 */
function strictFields(m: YMap, s: Struct, unknownField: (p: YPair) => void): void {
  const stack: Array<readonly [YMap, Struct]> = [[m, s]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [map, shape] = top;
    const below: Array<readonly [YMap, Struct]> = [];
    for (const p of map.pairs) {
      if (p.keyUnknown || p.key === '<<') continue;
      const field = shape[p.key.toLowerCase()];
      if (field === undefined) {
        unknownField(p);
        continue;
      }
      if (field === true) continue;
      if (isMap(p.value)) below.push([p.value, field]);
      else if (isSeq(p.value)) for (const item of p.value.items) if (isMap(item)) below.push([item, field]);
    }
    // Depth first, in document order.
    for (let i = below.length - 1; i >= 0; i--) {
      const b = below[i];
      if (b !== undefined) stack.push(b);
    }
  }
}

/** The start of the last line with text (a suppression comment above it silences the finding). */
function lastLine(text: string): { start: number; end: number } {
  const trimmed = text.replace(/\s+$/, '');
  const start = trimmed.lastIndexOf('\n') + 1;
  return { start, end: start };
}
