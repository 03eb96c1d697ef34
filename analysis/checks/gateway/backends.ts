/**
 * The Service backends of a Gateway API route (docs/dev/gateway-api.md §5) and the Services a
 * backendRef can name, as the route sees them.
 */

import type { Placed, Placement, WorkspaceIndex } from '../../workspace/workspaceIndex.js';
import type { GatewayObjectRef } from '../../model/gateway.js';
import type { KObject } from '../../model/types.js';
import { servicesNamed } from '../support/serviceTargets.js';
import { targetNamespace } from './resolve.js';

export interface RouteBackend {
  readonly ref: GatewayObjectRef;
  /** The literal Service name. */
  readonly name: string;
  /** `rules[i]`, for messages. */
  readonly rule: number;
}

/** The backendRefs of a route that name a core Service with a literal name. */
export function serviceBackendRefs(o: KObject): RouteBackend[] {
  const out: RouteBackend[] = [];
  const rules = o.route?.rules ?? [];
  rules.forEach((r, i) => {
    for (const ref of r.backendRefs) {
      if (ref.unknown || ref.group !== '' || ref.kind !== 'Service') continue;
      if (ref.name === undefined || !ref.name.known) continue;
      out.push({ ref, name: ref.name.value, rule: i });
    }
  });
  return out;
}

/**
 * Where a backendRef of an object placed at `pl` looks: the placement of its target namespace
 * (the referrer's own placement when it names none), or undefined when the namespace is templated.
 */
export function targetPlacement(ref: GatewayObjectRef, pl: Placement): Placement | undefined {
  if (ref.namespace === undefined) return pl;
  const t = targetNamespace(ref, pl);
  if (!t.known || t.ns === undefined) return undefined;
  return { unit: pl.unit, namespace: t.ns, floating: false };
}

/** Services named `name` that the backendRef reaches (every variant). */
export function servicesForRef(index: WorkspaceIndex, ref: GatewayObjectRef, pl: Placement, name: string): Placed[] {
  const at = targetPlacement(ref, pl);
  if (at === undefined) return [];
  if (at === pl) return servicesNamed(index, pl, name);
  return index.servicesIn(at.namespace ?? '').filter((s) => s.obj.name?.known === true && s.obj.name.value === name);
}
