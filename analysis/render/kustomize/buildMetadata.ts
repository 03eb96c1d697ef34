/** Metadata at the end of kustomize's build: `buildMetadata` options (api/krusty/kustomizer.go, api/resource/origin.go), empty annotations. */

import type { YNode } from '../../syntax/tree.js';
import { isMap, isSeq } from '../../syntax/tree.js';
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
 * `ClearEmptyAnnotations`): one a patch emptied (`a: null`) or that was written `{}`. An empty
 * `labels` map stays.
 */
export function clearEmptyAnnotations(ra: readonly Res[]): void {
  for (const r of ra) {
    const meta = getKey(r.node, 'metadata');
    const annotations = getKey(meta, 'annotations');
    if (isMap(meta) && isMap(annotations) && annotations.pairs.length === 0 && !annotations.unknown)
      removeWhere(meta.pairs, (p) => p.key === 'annotations');
  }
}
