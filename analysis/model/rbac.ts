/**
 * What a Role or ClusterRole lets its subjects do that the checks care about: create pods. Pods
 * made at run time by a workload holding such a Role (a spawner such as JupyterHub's KubeSpawner,
 * a CI runner, a workflow engine) are in no manifest, so a selector that matches nothing in the
 * workspace may be meant for them (checks/support/evidence.ts `selectorMiss`).
 */

import type { YMap } from '../syntax/tree.js';
import { get, isSeq } from '../syntax/tree.js';
import { stringList } from './values.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * A rule of `rules` grants `create` (or `*`) on core `pods` (or `*`), as the RBAC authorizer reads
 * a PolicyRule: apiGroups "" or "*", resources "pods" or "*", verbs "create" or "*". A templated
 * rules list is read as far as it is known.
 */
export function grantsPodCreation(root: YMap): boolean {
  const rules = get(root, 'rules');
  if (!isSeq(rules)) return false;
  return rules.items.some((r) => {
    const groups = stringList(get(r, 'apiGroups'));
    const resources = stringList(get(r, 'resources'));
    const verbs = stringList(get(r, 'verbs'));
    return (
      (groups.includes('') || groups.includes('*')) &&
      (resources.includes('pods') || resources.includes('*')) &&
      (verbs.includes('create') || verbs.includes('*'))
    );
  });
}
