/**
 * Routes a Gateway implementation forwards to their backend Services' pods on any port, using every route attached to
 * a listener (`model/anyPortBackends.ts` `ANY_PORT_CONTROLLERS`: STUNner takes standard UDPRoutes so, the backendRef's
 * port "will be omitted"). Such a route's port names nothing (`gateway-backend-port-missing`), its Services' ports say
 * nothing about where the pods listen (`service-target-port-unknown`), and two such routes on one listener do not
 * take each other's connections (`gateway-route-conflict`).
 */

import { ANY_PORT_CONTROLLERS } from '../../model/anyPortBackends.js';
import { GATEWAY_GROUP } from '../../model/gateway.js';
import type { KObject } from '../../model/types.js';
import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import type { CheckContext } from '../support/check.js';
import { controllerOf, gatewaysNamed, targetNamespace } from './resolve.js';

/**
 * A parentRef of `route` (placed at `pl`) names a Gateway whose class's controller forwards routes of its kind on
 * any port. The Gateway is found by name whatever its listeners say: STUNner's `TURN-UDP` listeners are protocols
 * of its own, which the API leaves to the implementation.
 */
export function onAnyPortGateway(ctx: CheckContext, route: KObject, pl: Placement): boolean {
  for (const ref of route.route?.parentRefs ?? []) {
    if (ref.unknown || ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway' || ref.name?.known !== true) continue;
    const target = targetNamespace(ref, pl);
    if (!target.known) continue;
    for (const gw of gatewaysNamed(ctx.index, pl, target.ns, ref.namespace !== undefined, ref.name.value))
      if (anyPortGateway(ctx, gw, route.kind)) return true;
  }
  return false;
}

/**
 * Every parentRef of `route` (placed at `pl`) names Gateways whose class's controller forwards routes of its kind on any
 * port (STUNner), and at least one does: no Gateway of another implementation, none the workspace lacks or cannot name.
 */
export function onlyOnAnyPortGateways(ctx: CheckContext, route: KObject, pl: Placement): boolean {
  const refs = route.route?.parentRefs ?? [];
  for (const ref of refs) {
    if (ref.unknown || ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway' || ref.name?.known !== true) return false;
    const target = targetNamespace(ref, pl);
    if (!target.known) return false;
    const gws = gatewaysNamed(ctx.index, pl, target.ns, ref.namespace !== undefined, ref.name.value);
    if (gws.length === 0 || !gws.every((gw) => anyPortGateway(ctx, gw, route.kind))) return false;
  }
  return refs.length > 0;
}

/** The Gateway's class's controller forwards routes of `kind` on any port and uses every one attached to a listener. */
export function anyPortGateway(ctx: CheckContext, gw: Placed, kind: string): boolean {
  const c = controllerOf(ctx, gw);
  return c !== undefined && (ANY_PORT_CONTROLLERS.get(c) ?? []).includes(kind);
}
