/**
 * kustomize's `configurations`: files that teach the build's transformers more fields. The
 * `nameReference` entries are read here (a field of some kind of object that names an object of
 * another kind, followed when that object is renamed: kubebuilder's scaffolds teach a CRD's
 * conversion webhook Service and a cert-manager Certificate's `issuerRef`); the field specs of
 * the `namespace`, `commonLabels`, `templateLabels`, `labels`, `commonAnnotations`, `namePrefix`,
 * `nameSuffix`, `images` and `replicas` sections (more fields those transformers set:
 * kubebuilder's CRD conversion webhook namespace, a custom resource's selector, service name,
 * image or size), and of `varReference` (where `$(NAME)` of `vars` is replaced: vars.ts).
 * Any other section is not modelled: the build is incomplete. As in kustomize (its ResAccumulator merges every sub-build's
 * configuration), what a base's configurations teach holds in the kustomizations that include it.
 */

import type { YMap, YNode } from '../../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { getKey, setKey, text } from './nodes.js';

/** A field (kustomize's fieldSpec path, `/`-separated, lists stepped through) of objects of `referrerKind` naming an object of `kind`. */
export interface ConfiguredReference {
  readonly kind: string;
  readonly group?: string;
  readonly version?: string;
  readonly referrerKind?: string;
  readonly referrerGroup?: string;
  readonly referrerVersion?: string;
  readonly path: readonly string[];
}

/**
 * A fieldSpec path's steps (kustomize's `PathSplitter`): split at `/` but not at `\/`, which is a
 * `/` inside a key (`metadata/annotations/cert-manager.io\/inject-ca-from`); a `[]` after a name
 * is dropped (lists are stepped through wherever met).
 */
export function splitFieldPath(path: string): string[] {
  return path.split(/(?<!\\)\//).map((p) => p.replaceAll('\\/', '/').replace(/\[\]$/, ''));
}

/**
 * kustomize's FieldSpec: objects of a group, version and kind (each empty: any), a `/`-separated
 * path (lists are stepped through wherever met; `[]` after a name says a list would be created),
 * and whether missing maps on the path are created.
 */
export interface FieldSpec {
  readonly kind?: string;
  readonly group?: string;
  readonly version?: string;
  readonly path: readonly string[];
  readonly create: boolean;
}

/** The sections of a configurations file read as field specs. */
export const FIELD_SPEC_SECTIONS = [
  'namespace',
  'commonLabels',
  'templateLabels',
  'labels',
  'commonAnnotations',
  'varReference',
  'namePrefix',
  'nameSuffix',
  'images',
  'replicas',
] as const;
export type FieldSpecSection = (typeof FIELD_SPEC_SECTIONS)[number];

/** What a configurations file teaches. */
export interface Configuration {
  readonly references: ConfiguredReference[];
  readonly fieldSpecs: Array<{ readonly section: FieldSpecSection; readonly spec: FieldSpec }>;
}

const KNOWN = new Set<string>(['nameReference', ...FIELD_SPEC_SECTIONS]);

/** A list of field specs (a configurations section, `labels[].fields`); undefined when one cannot be read. */
export function readFieldSpecs(list: YNode | undefined): FieldSpec[] | undefined {
  if (list === undefined || (isScalar(list) && list.value === null && !list.unknown)) return [];
  if (!isSeq(list)) return undefined;
  const out: FieldSpec[] = [];
  for (const s of list.items) {
    const path = text(getKey(s, 'path'));
    if (!isMap(s) || s.unknown || path === undefined || path === '') return undefined;
    const kind = text(getKey(s, 'kind'));
    const group = text(getKey(s, 'group'));
    const version = text(getKey(s, 'version'));
    out.push({
      path: splitFieldPath(path),
      create: text(getKey(s, 'create')) === 'true',
      ...(kind !== undefined ? { kind } : {}),
      ...(group !== undefined ? { group } : {}),
      ...(version !== undefined ? { version } : {}),
    });
  }
  return out;
}

/** Whether an object of this apiVersion and kind is one the field spec names (kustomize's `IsSelected`). */
export function specSelects(spec: FieldSpec, apiVersion: string, kind: string): boolean {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  return (
    (spec.kind === undefined || spec.kind === kind) &&
    (spec.group === undefined || spec.group === group) &&
    (spec.version === undefined || spec.version === version)
  );
}

/**
 * The places a field spec names in an object: each parent map and the key at the path's end,
 * stepping through every list met and creating missing maps on the way when the spec says so.
 */
export function specPlaces(root: YMap, spec: FieldSpec, made: (key: string) => YMap): Array<{ parent: YMap; key: string }> {
  const out: Array<{ parent: YMap; key: string }> = [];
  const walk = (n: YNode | undefined, i: number): void => {
    if (n === undefined || n.unknown) return;
    if (isSeq(n)) {
      for (const it of n.items) walk(it, i);
      return;
    }
    const step = spec.path[i];
    if (step === undefined || !isMap(n)) return;
    if (i === spec.path.length - 1) {
      out.push({ parent: n, key: step });
      return;
    }
    let next = getKey(n, step);
    if ((next === undefined || (isScalar(next) && next.value === null && !next.unknown)) && spec.create) {
      next = made(step);
      setKey(n, step, next);
    }
    walk(next, i + 1);
  };
  walk(root, 0);
  return out;
}

/** What one configurations file's document teaches; undefined when it holds what is not modelled. */
export function readConfiguration(doc: YNode | undefined): Configuration | undefined {
  if (doc === undefined || (isScalar(doc) && doc.value === null && !doc.unknown)) return { references: [], fieldSpecs: [] };
  if (!isMap(doc) || doc.unknown) return undefined;
  for (const p of doc.pairs) if (!KNOWN.has(p.key) && p.value !== undefined) return undefined;
  const fieldSpecs: Configuration['fieldSpecs'] = [];
  for (const section of FIELD_SPEC_SECTIONS) {
    const specs = readFieldSpecs(getKey(doc, section));
    if (specs === undefined) return undefined;
    for (const spec of specs) fieldSpecs.push({ section, spec });
  }
  const references = readReferences(getKey(doc, 'nameReference'));
  return references === undefined ? undefined : { references, fieldSpecs };
}

function readReferences(list: YNode | undefined): ConfiguredReference[] | undefined {
  const out: ConfiguredReference[] = [];
  if (list === undefined) return out;
  if (!isSeq(list)) return isScalar(list) && list.value === null ? out : undefined;
  for (const entry of list.items) {
    const kind = text(getKey(entry, 'kind'));
    const specs = getKey(entry, 'fieldSpecs');
    if (kind === undefined || !isSeq(specs)) return undefined;
    const group = text(getKey(entry, 'group'));
    const version = text(getKey(entry, 'version'));
    for (const s of specs.items) {
      const path = text(getKey(s, 'path'));
      if (path === undefined || path === '') return undefined;
      const referrerKind = text(getKey(s, 'kind'));
      const referrerGroup = text(getKey(s, 'group'));
      const referrerVersion = text(getKey(s, 'version'));
      out.push({
        kind,
        path: splitFieldPath(path),
        ...(group !== undefined ? { group } : {}),
        ...(version !== undefined ? { version } : {}),
        ...(referrerKind !== undefined ? { referrerKind } : {}),
        ...(referrerGroup !== undefined ? { referrerGroup } : {}),
        ...(referrerVersion !== undefined ? { referrerVersion } : {}),
      });
    }
  }
  return out;
}

/** The fields at a fieldSpec path (lists stepped through at every step), with their parent map. */
export function fieldsAt(root: YNode | undefined, path: readonly string[]): Array<{ parent: YMap; key: string; node: YNode | undefined }> {
  const out: Array<{ parent: YMap; key: string; node: YNode | undefined }> = [];
  const walk = (n: YNode | undefined, i: number): void => {
    if (n === undefined) return;
    if (isSeq(n)) {
      for (const it of n.items) walk(it, i);
      return;
    }
    const step = path[i];
    if (step === undefined || !isMap(n)) return;
    const v = getKey(n, step);
    if (i === path.length - 1) out.push({ parent: n, key: step, node: v });
    else walk(v, i + 1);
  };
  walk(root, 0);
  return out;
}
