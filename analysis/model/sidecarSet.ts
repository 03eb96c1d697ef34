/**
 * OpenKruise's SidecarSet (`apps.kruise.io`, cluster-scoped): its webhook injects `spec.containers` and
 * `spec.initContainers` into every pod created that `spec.selector` matches, in `spec.namespace` when set
 * and in the namespaces `spec.namespaceSelector` matches when set (openkruise/kruise
 * `apis/apps/v1alpha1/sidecarset_types.go`; docs "SidecarSet"). The injected containers' ports are then
 * the pods' ports too: the checks that read declared container ports count them (checks/support/sidecarSets.ts),
 * and so does the reachability engine (reachability/classModel.ts `sidecarInjector`).
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { get, isScalar } from '../syntax/tree.js';
import type { Selector, SidecarSetSpec } from './types.js';
import { selector, stringValue } from './values.js';
import { containerListPorts } from './podTemplate.js';

export const SIDECARSET_GROUP = 'apps.kruise.io';

/** A `namespaceSelector` as written: an empty or null one selects every namespace; one that is not a mapping is unknown. */
function namespaceSelector(n: YNode | undefined): Selector | undefined {
  if (n === undefined || (isScalar(n) && n.value === null && !n.unknown)) return undefined;
  return selector(n) ?? { span: n.span, matchLabels: undefined, matchExpressions: [], unknown: true };
}

/** The SidecarSet facts of a document, or undefined for any other kind. */
export function lowerSidecarSet(group: string, kind: string, root: YMap): SidecarSetSpec | undefined {
  if (group !== SIDECARSET_GROUP || kind !== 'SidecarSet') return undefined;
  const spec = get(root, 'spec');
  const { ports, unknown } = containerListPorts(get(spec, 'containers'), get(spec, 'initContainers'));
  return {
    selector: selector(get(spec, 'selector')),
    namespace: stringValue(get(spec, 'namespace')),
    namespaceSelector: namespaceSelector(get(spec, 'namespaceSelector')),
    ports,
    portsUnknown: unknown || (spec !== undefined && spec.unknown),
  };
}
