/** Metadata at the end of kustomize's build: `buildMetadata` options (api/krusty/kustomizer.go, api/resource/origin.go), empty annotations. */

import type { YNode } from '../../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { getKey, mapAt, removeWhere, setKey, text } from './nodes.js';
import type { Res } from './resource.js';

/**
 * `buildMetadata` of the top kustomization (kustomize hands it down to every kustomization of the
 * build, in place of their own): `managedByLabel` labels every object
 * `app.kubernetes.io/managed-by: kustomize-<its version>`, `originAnnotations` annotates each with
 * where it came from, `transformerAnnotations` the objects a transformer changed with which. The
 * values depend on the kustomize binary and its paths: unknown values here (an unknown annotation
 * map for the transformer annotations, which only some objects get).
 */
export function addBuildMetadata(k: YNode | undefined, kustUri: string, ra: readonly Res[]): void {
  const list = getKey(k, 'buildMetadata');
  if (!isSeq(list)) return;
  for (const item of list.items) {
    const value = text(item);
    const span = { ...item.span, uri: kustUri };
    const unknown: YNode = { kind: 'scalar', value: null, unknown: true, quoted: false, span };
    for (const r of ra) {
      if (value === 'managedByLabel') {
        const labels = mapAt(r.node, ['metadata', 'labels'], true, span);
        if (labels !== undefined) setKey(labels, 'app.kubernetes.io/managed-by', unknown, span);
      } else if (value === 'originAnnotations' || value === 'transformerAnnotations') {
        const annotations = mapAt(r.node, ['metadata', 'annotations'], true, span);
        if (annotations === undefined) continue;
        if (value === 'originAnnotations') setKey(annotations, 'config.kubernetes.io/origin', unknown, span);
        else annotations.unknown = true;
      }
    }
  }
}

/**
 * kustomize clears an empty `metadata.annotations` of every object it outputs (kyaml's
 * `ClearEmptyAnnotations`): one a patch emptied (`a: null`), that was written `{}`, or that holds
 * nothing (`annotations:`). An empty `labels` map stays. The values it keeps are strings: kustomize
 * writes the annotations back as a `map[string]string` (removing its build annotations), so
 * `inject-cabundle: true` becomes `"true"`, `5` `"5"` and a null `"null"` (kubectl kustomize v5.5.0;
 * labels and a template's annotations are left as written).
 */
export function clearEmptyAnnotations(ra: readonly Res[]): void {
  for (const r of ra) {
    const meta = getKey(r.node, 'metadata');
    const annotations = getKey(meta, 'annotations');
    if (!isMap(meta)) continue;
    if (
      (isMap(annotations) && annotations.pairs.length === 0 && !annotations.unknown) ||
      (isScalar(annotations) && annotations.value === null && !annotations.unknown)
    )
      removeWhere(meta.pairs, (p) => p.key === 'annotations');
    else if (isMap(annotations))
      for (const p of annotations.pairs) {
        const v = p.value;
        if (isScalar(v) && !v.unknown && typeof v.value !== 'string')
          setKey(annotations, p.key, { ...v, value: String(v.value), quoted: true }, p.keySpan);
      }
  }
}
