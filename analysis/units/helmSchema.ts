/**
 * Where a chart's values.schema.json violations are reported (`helm-values-schema`,
 * checks/helmValuesSchema.ts): on the entry of the values file that set the offending value, the
 * highest of the files Helm merged that has it (the `kubeReach.helm.valueFiles` files, last first,
 * then the chart's values.yaml, then a subchart's own values.yaml for its part), else on the nearest
 * entry above it (a missing required property is reported on the map that lacks it), else on the
 * first line of the highest values file (the last settings file, else the chart's values.yaml). When
 * only the chart's defaults are given, a missing or empty value is one the chart asks the installer
 * for: information.
 */

import { parseFile } from '../syntax/parse.js';
import { isMap, isScalar, isSeq, pair } from '../syntax/tree.js';
import type { YMap, YNode } from '../syntax/tree.js';
import type { Span } from '../types.js';
import type { SchemaFailure } from '../render/helm/valuesSchema.js';
import type { SchemaViolation } from '../render/helm/schema/validate.js';
import { location } from '../render/helm/schema/validate.js';

/** One finding of `helm-values-schema`. */
export interface SchemaFinding {
  readonly uri: string;
  readonly span: Span;
  readonly message: string;
  /**
   * `information` when the chart's own defaults leave the value to be given at install (a missing
   * required property, or an empty default) and no values file or `--set` was given: the chart asks
   * for input, as a template's `required` does; else `error`.
   */
  readonly severity: 'error' | 'information';
}

/** A values file Helm merged, with where its entries sit in the root chart's values. */
export interface ValuesSource {
  readonly uri: string;
  readonly text: string;
  /** `[]` for the root chart's files, `['sub']` for a subchart's own values.yaml. */
  readonly at: readonly string[];
}

/** The deepest entry of `path` in a values tree: how many steps matched and the last key's span. */
function deepest(root: YNode | undefined, path: readonly string[]): { depth: number; span: Span | undefined; node: YNode | undefined } {
  let cur = root;
  let span: Span | undefined;
  let depth = 0;
  for (const k of path) {
    if (isMap(cur)) {
      const p = pair(cur, k);
      if (p === undefined) break;
      span = p.keySpan;
      cur = p.value;
    } else if (isSeq(cur) && /^\d+$/.test(k)) {
      const item = cur.items[Number(k)];
      if (item === undefined) break;
      // An item's span runs to its end: its first line is enough.
      span = { start: item.span.start, end: item.span.start + 1 };
      cur = item;
    } else break;
    depth++;
  }
  return { depth, span, node: cur };
}

/** values files' trees lately parsed, by text (a chart rendered again for a template edit reads the same values.yaml); units/helm.ts reads them too. */
const treeCache = new Map<string, YNode | undefined>();

/**
 * A values file's tree as Helm reads its values: a text of several `---` documents is their merge,
 * as Helm 4 merges them (render/helm/chart.ts `readValuesDocuments`: in order, a later document's
 * map into a map, anything else replacing), each entry with the span of the document that supplies
 * it; a text with a document that is not a map gives no tree (Helm refuses the file). For Chart.yaml
 * (`firstDocument`), the first document, as sigs.k8s.io/yaml reads it.
 */
export function valuesTree(text: string, firstDocument = false): YNode | undefined {
  const key = firstDocument ? `\u0000${text}` : text;
  if (treeCache.has(key)) return treeCache.get(key);
  const docs = parseFile(text).documents;
  let root = docs[0]?.root;
  if (!firstDocument && docs.length > 1) {
    let merged: YMap | undefined;
    for (const d of docs) {
      const r = d.root;
      if (r === undefined || (isScalar(r) && r.value === null)) continue;
      if (!isMap(r)) {
        merged = undefined;
        break;
      }
      merged = merged === undefined ? r : mergedMaps(merged, r, 0);
    }
    root = merged;
  }
  if (treeCache.size >= 8) treeCache.delete(treeCache.keys().next().value ?? '');
  treeCache.set(key, root);
  return root;
}

/** `later` merged into `earlier` as Helm's MergeMaps merges (a new map; the documents' own trees are not changed). */
function mergedMaps(earlier: YMap, later: YMap, depth: number): YMap {
  const pairs = [...earlier.pairs];
  for (const p of later.pairs) {
    let i = pairs.length - 1;
    while (i >= 0 && pairs[i]?.key !== p.key) i--;
    const before = i === -1 ? undefined : pairs[i];
    if (before !== undefined && isMap(before.value) && isMap(p.value) && depth < 200)
      pairs[i] = { ...p, value: mergedMaps(before.value, p.value, depth + 1) };
    else if (i !== -1) pairs[i] = p;
    else pairs.push(p);
  }
  return { ...later, pairs };
}

/** An empty default (`~`, `""`, `[]`, `{}`): a value the chart leaves to the installer. */
function isEmpty(n: YNode | undefined): boolean {
  if (n === undefined) return true;
  if (isMap(n)) return n.pairs.length === 0;
  if (isSeq(n)) return n.items.length === 0;
  return n.value === null || n.value === '';
}

/** The first line of a values file that is not blank or a comment (the whole file's place). */
function firstLine(text: string): Span {
  const m = /^[ \t]*[^\s#].*$/m.exec(text);
  return m === null ? { start: 0, end: 0 } : { start: m.index, end: m.index + m[0].length };
}

/** The violations worth a finding each: groups and `$ref` wrappers are opened, alternatives (anyOf, …) kept whole. */
function leaves(v: SchemaViolation, out: SchemaViolation[]): void {
  if (v.kind === 'group' || v.kind === 'ref') for (const c of v.causes) leaves(c, out);
  else out.push(v);
}

function causesText(v: SchemaViolation): string {
  const parts: string[] = [];
  const walk = (c: SchemaViolation): void => {
    if (c.kind === 'group' || c.kind === 'ref') c.causes.forEach(walk);
    else parts.push(`at ${location(c.at)}: ${c.message}`);
  };
  v.causes.forEach(walk);
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

/** The findings of a chart whose values a schema refuses; `sources` highest priority first. */
export function schemaFindings(failures: readonly SchemaFailure[], sources: readonly ValuesSource[], userGiven: boolean): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  // Nothing on the path is written anywhere (a missing property at the top): the highest values file, where it would go.
  const fallback = sources.find((s) => s.at.length === 0);
  for (const f of failures) {
    const list: SchemaViolation[] = [];
    for (const v of f.violations) leaves(v, list);
    for (const v of list) {
      const path = [...f.valuesAt, ...v.at, ...(v.props !== undefined ? v.props.slice(0, 1) : [])];
      let best: { uri: string; span: Span; depth: number; empty?: boolean } | undefined;
      for (const s of sources) {
        if (s.at.some((k, i) => path[i] !== k)) continue;
        const rest = path.slice(s.at.length);
        const d = deepest(valuesTree(s.text), rest);
        if (d.span === undefined) continue;
        const empty = d.depth === rest.length && isEmpty(d.node);
        if (best === undefined || d.depth + s.at.length > best.depth)
          best = { uri: s.uri, span: d.span, depth: d.depth + s.at.length, empty };
        if (d.depth === rest.length) break;
      }
      if (best === undefined && fallback !== undefined) best = { uri: fallback.uri, span: firstLine(fallback.text), depth: 0 };
      if (best === undefined) continue;
      const asked = !userGiven && (v.message.startsWith('missing propert') || best.empty === true);
      out.push({
        uri: best.uri,
        span: best.span,
        message: `values.schema.json of chart ${f.chart}: at ${location(v.at)}: ${v.message}${causesText(v)}. ${
          asked
            ? "The chart's defaults leave this to be given at install (a values file or --set); until then Helm refuses these values and renders nothing."
            : 'Helm refuses these values and renders nothing.'
        }`,
        severity: asked ? 'information' : 'error',
      });
    }
  }
  return out;
}

/**
 * The findings of chart `dir`'s schema failures, on the files the host analyses among the values
 * files Helm merged: `valueFiles` (the settings' files, in merge order), the chart's values.yaml and
 * each failing subchart's own values.yaml.
 */
export function chartSchemaFindings(
  dir: string,
  failures: readonly SchemaFailure[],
  valueFiles: readonly string[],
  texts: ReadonlyMap<string, string | undefined>,
  analysed: (uri: string) => boolean,
  hostValues: boolean,
): SchemaFinding[] {
  if (failures.length === 0) return [];
  const refused = failures.flatMap((f) => metaschemaFindings(dir, f, texts, analysed));
  const names = ['values.yaml', 'values.yml'];
  const candidates: Array<{ uri: string; at: readonly string[] }> = [
    ...[...valueFiles].reverse().map((uri) => ({ uri, at: [] })),
    ...names.map((n) => ({ uri: `${dir}/${n}`, at: [] })),
    ...failures.filter((f) => f.chartPath !== '').flatMap((f) => names.map((n) => ({ uri: `${dir}/${f.chartPath}/${n}`, at: f.valuesAt }))),
  ];
  const sources: ValuesSource[] = [];
  for (const c of candidates) {
    const text = texts.get(c.uri);
    if (text !== undefined && analysed(c.uri)) sources.push({ ...c, text });
  }
  return [...refused, ...schemaFindings(failures, sources, hostValues || valueFiles.length > 0)];
}

/** A schema its draft's metaschema refuses: each violation on the schema's entry it names (values.schema.json). */
function metaschemaFindings(
  dir: string,
  f: SchemaFailure,
  texts: ReadonlyMap<string, string | undefined>,
  analysed: (uri: string) => boolean,
): SchemaFinding[] {
  if (f.metaschema === undefined) return [];
  const uri = `${dir}/${f.chartPath === '' ? '' : f.chartPath + '/'}values.schema.json`;
  const text = texts.get(uri);
  if (text === undefined || !analysed(uri)) return [];
  const list: SchemaViolation[] = [];
  // `allOf failed` around a metaschema's vocabularies (2020-12) or a default (draft-07's counts) is opened too.
  const open = (v: SchemaViolation): void => {
    if (v.kind === 'group' || v.kind === 'ref' || v.kind === 'allOf') v.causes.forEach(open);
    else list.push(v);
  };
  f.metaschema.violations.forEach(open);
  return list.map((v) => ({
    uri,
    span: deepest(valuesTree(text), v.at).span ?? firstLine(text),
    message:
      f.metaschema?.compile === true
        ? `values.schema.json of chart ${f.chart} does not compile: ${v.message}. Helm refuses the chart's values, whatever they are, and renders nothing.`
        : `values.schema.json of chart ${f.chart} is not valid against its metaschema: at ${location(v.at)}: ${v.message}${causesText(v)}. Helm refuses the chart's values, whatever they are, and renders nothing.`,
    severity: 'error' as const,
  }));
}
