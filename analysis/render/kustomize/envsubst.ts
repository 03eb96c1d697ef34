/**
 * Resource files templated only by `${VAR}` placeholders inside values (Flux's postBuild, envsubst):
 * the objects' shape is as written, so the build that loads them stays complete (the values are
 * unknown). Design notes: docs/dev/flux.md.
 */

import type { Span } from '../../types.js';
import type { ParsedFile } from '../../syntax/parse.js';
import { parseFile } from '../../syntax/parse.js';
import type { YNode } from '../../syntax/tree.js';
import { isScalar, isSeq } from '../../syntax/tree.js';
import { getKey } from './nodes.js';

/**
 * Whether a templated file holds no template action, only placeholders inside values: a `{{ }}` is
 * text inside a string value there (an ExternalSecret's or Alertmanager's template, which another
 * program fills in: unknown values, syntax/mask.ts), never where YAML would read a flow map.
 */
export function envsubstOnly(parsed: ParsedFile, text: string | undefined): boolean {
  if (text === undefined || parsed.template || parsed.directives.length > 0) return false;
  return !text.includes('{{') || insideScalars(parsed, text, '{{');
}

/** Whether every `needle` of the text outside comment lines lies inside a scalar value of the file (or, with `keys`, a key). */
export function insideScalars(parsed: ParsedFile, text: string, needle: string, within?: (n: YNode) => boolean, keys = false): boolean {
  const spans: Span[] = [];
  const walk = (n: YNode | undefined): void => {
    if (n === undefined) return;
    if (isScalar(n)) {
      if (within === undefined || within(n)) spans.push(n.span);
    } else if (isSeq(n)) for (const it of n.items) walk(it);
    else
      for (const p of n.pairs) {
        if (keys) spans.push(p.keySpan);
        walk(p.value);
      }
  };
  for (const d of parsed.documents) walk(d.root);
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (text.slice(lineStart, at).trimStart().startsWith('#')) continue;
    if (!spans.some((s) => s.start <= at && at < s.end)) return false;
  }
  return true;
}

/** At most this many texts read with placeholders as text are kept. */
const LITERAL_MEMO = 256;
const literalMemo = new Map<string, ParsedFile>();

function readAsText(text: string, placeholdersAsText: 'env' | 'all'): ParsedFile {
  const key = `${placeholdersAsText}\u0000${text}`;
  let out = literalMemo.get(key);
  if (out === undefined) {
    out = parseFile(text, { placeholdersAsText });
    if (literalMemo.size >= LITERAL_MEMO) literalMemo.delete(literalMemo.keys().next().value as string);
    literalMemo.set(key, out);
  }
  return out;
}

/**
 * A resource or patch file (or an inline patch's text) whose `${VAR}`s all lie inside values or keys, read
 * with them as text, as kustomize reads it: a patch's `name: ${APP}` then matches the resource
 * named `${APP}` as in `kustomize build`, and what the text becomes is decided after the build (a
 * Flux root's postBuild substitutes it; elsewhere it is an unknown value: units/postBuild.ts).
 * undefined for any other file (no `${`, a template, errors, a `${VAR}` outside a value or key, a `{{ }}`
 * YAML would read as a flow map): it keeps its masked reading.
 */
export function literalVariables(text: string | undefined, parsed?: ParsedFile): ParsedFile | undefined {
  if (text === undefined || !text.includes('${')) return undefined;
  if (parsed !== undefined && (!parsed.templated || parsed.errors.length > 0 || parsed.template || parsed.guessedTemplate !== undefined))
    return undefined;
  const all = readAsText(text, 'all');
  if (all.errors.length > 0 || all.limit !== undefined || all.templated || !insideScalars(all, text, '${', undefined, true))
    return undefined;
  return text.includes('{{') && !insideScalars(all, text, '{{') ? undefined : all;
}

/**
 * A clean reading of a templated file with `$(NAME)` read as text, as kustomize reads it (it copies
 * the text; runtimeEnv.ts decides what the cluster makes of it): the file itself when it is not a
 * cleanly read placeholder file (a template, a guessed one, errors), holds no `$(`, or when that
 * reading has errors or hits a limit.
 */
export function literalEnv(parsed: ParsedFile, textOf: () => string | undefined): ParsedFile {
  if (!parsed.templated || parsed.errors.length > 0 || parsed.template || parsed.guessedTemplate !== undefined) return parsed;
  const text = textOf();
  if (text === undefined || !text.includes('$(')) return parsed;
  const out = readAsText(text, 'env');
  return out.errors.length === 0 && out.limit === undefined ? out : parsed;
}

/**
 * Fields whose values name files, charts or counts, or match what resources hold (a patch's
 * target, an image's name, a generator's name its references follow): a `${VAR}` there is no text
 * the build copies into an object as kustomize would (the resources' own `${VAR}`s are unknown here).
 */
const NOT_COPIED = ['resources', 'bases', 'components', 'crds', 'configurations', 'generators', 'transformers', 'validators'];
const NOT_COPIED_TOO = ['openapi', 'helmCharts', 'helmGlobals', 'helmChartInflationGenerator', 'replicas', 'vars', 'replacements'];

/** The scalars under a node (a field whose `${VAR}`s are no copied text). */
function scalarsUnder(n: YNode | undefined, out: Set<YNode>): void {
  if (n === undefined) return;
  if (isScalar(n)) out.add(n);
  else if (isSeq(n)) for (const it of n.items) scalarsUnder(it, out);
  else for (const p of n.pairs) scalarsUnder(p.value, out);
}

/** How the builder reads a kustomization whose text holds `${VAR}` (`kustomizationReading`). */
export interface KustomizationReading {
  readonly parsed: ParsedFile;
  /** `${VAR}` text the build copies into its objects (a `namespace: ${NS}`): only a substitution after the build makes them what the cluster gets. */
  readonly copiesVariables: boolean;
}

/**
 * A kustomization with `${VAR}`s (Flux's postBuild fills them in after the build) read with them
 * as text, as kustomize reads it, when every one lies in a value: in an inline patch
 * (`patches[].patch`, `patchesJson6902[].patch`, an inline `patchesStrategicMerge` item) the
 * patch's own reading makes them unknown values (`patchDocuments`); in a field whose text the
 * build copies into its objects (`namespace: ${NS}`, an image tag, a name prefix, a label, a
 * generator's literal) the objects carry the text, which `copiesVariables` says (the root's
 * controller substitutes it, units/flux.ts, or the build is incomplete). A `${VAR}` in a key or
 * in a field of `NOT_COPIED` (files, a patch's target, an image's name, `replicas`) keeps the
 * templated reading (incomplete).
 */
export function kustomizationReading(parsed: ParsedFile, text: string | undefined): KustomizationReading {
  const templated = { parsed, copiesVariables: false };
  if (text === undefined || !parsed.templated || parsed.errors.length > 0 || parsed.template || !text.includes('${')) return templated;
  const all = readAsText(text, 'all');
  if (all.errors.length > 0 || all.limit !== undefined || all.templated) return templated;
  const inline = new Set<YNode>();
  const files = new Set<YNode>();
  for (const d of all.documents) {
    for (const key of ['patches', 'patchesJson6902']) {
      const list = getKey(d.root, key);
      if (!isSeq(list)) continue;
      for (const it of list.items) {
        if (getKey(it, 'patch') !== undefined) inline.add(getKey(it, 'patch') as YNode);
        scalarsUnder(getKey(it, 'path'), files);
        scalarsUnder(getKey(it, 'target'), files);
      }
    }
    const psm = getKey(d.root, 'patchesStrategicMerge');
    if (isSeq(psm))
      for (const it of psm.items) {
        if (isScalar(it) && typeof it.value === 'string' && it.value.includes('\n')) inline.add(it);
        else scalarsUnder(it, files);
      }
    for (const key of [...NOT_COPIED, ...NOT_COPIED_TOO]) scalarsUnder(getKey(d.root, key), files);
    for (const key of ['configMapGenerator', 'secretGenerator']) {
      const list = getKey(d.root, key);
      if (isSeq(list)) for (const it of list.items) for (const f of ['name', 'files', 'envs', 'env']) scalarsUnder(getKey(it, f), files);
    }
    const images = getKey(d.root, 'images');
    if (isSeq(images)) for (const it of images.items) scalarsUnder(getKey(it, 'name'), files);
  }
  if (insideScalars(all, text, '${', (n) => inline.has(n))) return { parsed: all, copiesVariables: false };
  if (insideScalars(all, text, '${', (n) => !files.has(n))) return { parsed: all, copiesVariables: true };
  return templated;
}
