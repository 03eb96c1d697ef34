/**
 * Documents that are patches, not objects: nothing applies them as they stand, so they are no
 * object of any unit and the API server's validation does not judge them (model/lower.ts,
 * model/apiValidation.ts).
 *
 * - A `$patch` directive at the top or in `metadata` (a strategic merge patch's `delete`, `replace`).
 * - A strategic merge patch of a workload, kept in a file no kustomization of the workspace names
 *   (a Terraform module's `patchesStrategicMerge = [file("kustomize/x.yaml")]`, an operator
 *   scaffold's `manager_webhook_patch.yaml` a generated kustomization lists): an `apps/` Deployment,
 *   StatefulSet, DaemonSet or ReplicaSet without `spec.selector` whose pod template's containers
 *   all lack `image`. The API server requires both (`spec.selector: Required value`,
 *   `spec.template.spec.containers[0].image: Required value`), so no manifest meant to be applied
 *   has that shape, while a patch names its containers only to merge into them: 78 of 2,801
 *   workloads in 230 real repositories (the trial rounds' checkouts) have it, every one a patch file.
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { get, getPath, isMap, isScalar, isSeq } from '../syntax/tree.js';

const SELECTOR_WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

export function isPatchDocument(root: YMap): boolean {
  if (root.pairs.some((p) => p.key === '$patch')) return true;
  const meta = get(root, 'metadata');
  if (isMap(meta) && meta.pairs.some((p) => p.key === '$patch')) return true;
  return isWorkloadPatch(root);
}

function literal(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && typeof n.value === 'string' ? n.value : undefined;
}

function isWorkloadPatch(root: YMap): boolean {
  if (root.unknown || !SELECTOR_WORKLOADS.has(literal(get(root, 'kind')) ?? '')) return false;
  if (literal(get(root, 'apiVersion'))?.startsWith('apps/') !== true) return false;
  const spec = get(root, 'spec');
  if (!isMap(spec) || spec.unknown || spec.pairs.some((p) => p.key === 'selector' || p.keyUnknown)) return false;
  const containers = getPath(spec, 'template', 'spec', 'containers');
  if (!isSeq(containers) || containers.unknown || containers.items.length === 0) return false;
  return containers.items.every((c) => isMap(c) && !c.unknown && !c.pairs.some((p) => p.key === 'image' || p.keyUnknown));
}
