/**
 * kustomize's `configurations`: files that teach the build's transformers more fields. The
 * `nameReference` entries are read here (a field of some kind of object that names an object of
 * another kind, followed when that object is renamed: kubebuilder's scaffolds teach a CRD's
 * conversion webhook Service and a cert-manager Certificate's `issuerRef`); `varReference` only
 * matters with `vars`, which make a build incomplete anyway. Any other section (extra label,
 * prefix or namespace fields) is not modelled: the build is incomplete.
 */

import type { YMap, YNode } from '../../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { getKey, text } from './nodes.js';

/** A field (kustomize's fieldSpec path, `/`-separated, lists stepped through) of objects of `referrerKind` naming an object of `kind`. */
export interface ConfiguredReference {
  readonly kind: string;
  readonly group?: string;
  readonly referrerKind?: string;
  readonly referrerGroup?: string;
  readonly path: readonly string[];
}

const KNOWN = new Set(['nameReference', 'varReference']);

/** The name references of one configurations file's document; undefined when it holds what is not modelled. */
export function readConfiguration(doc: YNode | undefined): ConfiguredReference[] | undefined {
  if (doc === undefined || (isScalar(doc) && doc.value === null && !doc.unknown)) return [];
  if (!isMap(doc) || doc.unknown) return undefined;
  for (const p of doc.pairs) if (!KNOWN.has(p.key) && p.value !== undefined) return undefined;
  const out: ConfiguredReference[] = [];
  const list = getKey(doc, 'nameReference');
  if (list === undefined) return out;
  if (!isSeq(list)) return isScalar(list) && list.value === null ? out : undefined;
  for (const entry of list.items) {
    const kind = text(getKey(entry, 'kind'));
    const specs = getKey(entry, 'fieldSpecs');
    if (kind === undefined || !isSeq(specs)) return undefined;
    const group = text(getKey(entry, 'group'));
    for (const s of specs.items) {
      const path = text(getKey(s, 'path'));
      if (path === undefined || path === '') return undefined;
      const referrerKind = text(getKey(s, 'kind'));
      const referrerGroup = text(getKey(s, 'group'));
      out.push({
        kind,
        path: path.split('/').map((p) => p.replace(/\[\]$/, '')),
        ...(group !== undefined ? { group } : {}),
        ...(referrerKind !== undefined ? { referrerKind } : {}),
        ...(referrerGroup !== undefined ? { referrerGroup } : {}),
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
