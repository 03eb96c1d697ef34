/**
 * `$(NAME)` as the cluster sees it after a Kustomize build. kustomize copies the text (its `vars`
 * replace only the names they declare, in their fields: vars.ts), so a build that holds an
 * undeclared `$(NAME)` is complete. Kubernetes then expands `$(NAME)` at run time in a container's
 * `command`, `args`, `env[].value` and `volumeMounts[].subPathExpr` (from the container's
 * environment; a name it does not define stays as written): there the value is not known here.
 * Anywhere else `$(NAME)` is literal text (a label, a ConfigMap script's `$(hostname)`).
 * Design notes: docs/dev/kustomize.md ("vars").
 */

import type { YMap, YNode } from '../../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { getKey, setKey } from './nodes.js';
import { eachContainer } from './images.js';
import type { Res } from './resource.js';

/** A reference Kubernetes expands (`$(NAME)`; `$$(NAME)` is the escaped text, still read as unknown). */
const REFERENCE = /\$\([A-Za-z_][A-Za-z0-9_.-]*\)/;

/** The fields of a container Kubernetes expands `$(NAME)` in, by their parent list's key. */
const CONTAINER_LISTS: ReadonlySet<string> = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Makes every `$(NAME)` Kubernetes expands at run time an unknown value, in every container of every object. */
export function runtimeExpansion(resources: readonly Res[]): void {
  for (const r of resources) eachContainer(r.node, CONTAINER_LISTS, container);
}

function container(c: YMap): void {
  for (const key of ['command', 'args']) unknownItems(getKey(c, key));
  for (const [list, field] of [
    ['env', 'value'],
    ['volumeMounts', 'subPathExpr'],
  ] as const) {
    const items = getKey(c, list);
    if (!isSeq(items)) continue;
    for (const it of items.items) {
      const v = getKey(it, field);
      if (isMap(it) && v !== undefined && expands(v)) setKey(it, field, unknownOf(v));
    }
  }
}

function unknownItems(list: YNode | undefined): void {
  if (!isSeq(list)) return;
  list.items.forEach((it, i) => {
    if (expands(it)) list.items[i] = unknownOf(it);
  });
}

function expands(n: YNode): boolean {
  return isScalar(n) && !n.unknown && typeof n.value === 'string' && REFERENCE.test(n.value);
}

/** A new node (built trees may share scalars), at the same place. */
function unknownOf(n: YNode): YNode {
  return { kind: 'scalar', span: n.span, value: null, unknown: true, quoted: false };
}
