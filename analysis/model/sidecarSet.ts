/**
 * OpenKruise's SidecarSet (`apps.kruise.io`, cluster-scoped): its webhook injects `spec.containers` and
 * `spec.initContainers` into every pod created that `spec.selector` matches, in `spec.namespace` when set
 * and in the namespaces `spec.namespaceSelector` matches when set (openkruise/kruise
 * `apis/apps/v1alpha1/sidecarset_types.go`; docs "SidecarSet"). The injected containers' ports are then
 * the pods' ports too: `service-target-port-unknown` counts them (checks/support/sidecarSets.ts).
 */

import type { YMap } from '../syntax/tree.js';
import { get } from '../syntax/tree.js';
import type { SidecarSetSpec } from './types.js';
import { selector, stringValue } from './values.js';
import { containerListPorts } from './podTemplate.js';

export const SIDECARSET_GROUP = 'apps.kruise.io';

/** The SidecarSet facts of a document, or undefined for any other kind. */
export function lowerSidecarSet(group: string, kind: string, root: YMap): SidecarSetSpec | undefined {
  if (group !== SIDECARSET_GROUP || kind !== 'SidecarSet') return undefined;
  const spec = get(root, 'spec');
  const { ports, unknown } = containerListPorts(get(spec, 'containers'), get(spec, 'initContainers'));
  return {
    selector: selector(get(spec, 'selector')),
    namespace: stringValue(get(spec, 'namespace')),
    namespaceSelector: get(spec, 'namespaceSelector') !== undefined,
    ports,
    portsUnknown: unknown || (spec !== undefined && spec.unknown),
  };
}
