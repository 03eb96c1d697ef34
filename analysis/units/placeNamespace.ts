/**
 * A namespace a GitOps tool gives the objects it applies (Argo CD's `destination.namespace`,
 * Fleet's `namespace` / `defaultNamespace`), written into the built objects' metadata.
 */

import type { YMap, YPair, YScalar } from '../syntax/tree.js';
import { isMap, isScalar } from '../syntax/tree.js';
import { CLUSTER_KINDS } from './olm.js';

/**
 * Sets `ns` as `metadata.namespace` of every namespaced object: of those without one (a null one
 * counts as none), or of all with `force` (Fleet's `namespace`). Cluster-scoped kinds are left as
 * they are.
 */
export function placeNamespace(objects: ReadonlyArray<{ readonly root: YMap }>, ns: YScalar, force: boolean): void {
  for (const o of objects) {
    const kindNode = o.root.pairs.find((p) => p.key === 'kind')?.value;
    const kind = isScalar(kindNode) && !kindNode.unknown && kindNode.value !== null ? String(kindNode.value) : '';
    if (CLUSTER_KINDS.test(kind)) continue;
    const i = o.root.pairs.findIndex((p) => p.key === 'metadata');
    const meta = o.root.pairs[i]?.value;
    if (!isMap(meta)) continue;
    if (!force && meta.pairs.some((p) => p.key === 'namespace' && !(isScalar(p.value) && p.value.value === null))) continue;
    const value: YScalar = { kind: 'scalar', span: ns.span, value: ns.value, unknown: ns.unknown, quoted: true };
    const pairs = meta.pairs.filter((p) => p.key !== 'namespace');
    o.root.pairs[i] = {
      ...(o.root.pairs[i] as YPair),
      value: { ...meta, pairs: [...pairs, { key: 'namespace', keySpan: ns.span, value, keyUnknown: false }] },
    };
  }
}
