/**
 * A JSON merge patch (RFC 7386) as a strategic merge patch the builder applies (merge.ts): the two
 * agree on maps (merged key by key, `null` deletes a key) and scalars, and differ on lists, which a
 * merge patch replaces whole and a strategic merge patch may merge item by item (containers by
 * name). Each list the patch sets through maps gets the `$patch: replace` directive as its first
 * item, which makes the builder replace it. Used for Fleet's `yaml.overlays` `_patch` files
 * (units/fleet.ts), which Fleet applies with `jsonpatch.MergePatch`; a patches entry asks for it
 * with `jsonMergePatch: true`, a key only Kube Reach's own synthesized kustomizations write.
 */

import type { YMap, YNode } from '../../syntax/tree.js';
import { isMap, isSeq } from '../../syntax/tree.js';

/** `patch` with every list reached through maps marked to replace the base's. */
export function asMergePatch(patch: YNode): YNode {
  if (isSeq(patch)) {
    const directive: YMap = {
      kind: 'map',
      span: patch.span,
      unknown: false,
      flow: true,
      pairs: [
        {
          key: '$patch',
          keySpan: patch.span,
          keyUnknown: false,
          value: { kind: 'scalar', span: patch.span, value: 'replace', unknown: false, quoted: false },
        },
      ],
    };
    return { ...patch, items: [directive, ...patch.items] };
  }
  if (!isMap(patch)) return patch;
  return { ...patch, pairs: patch.pairs.map((p) => (p.value === undefined ? p : { ...p, value: asMergePatch(p.value) })) };
}
