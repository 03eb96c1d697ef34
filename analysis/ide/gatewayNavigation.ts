/**
 * Go to definition and find references for the Gateway API (docs/dev/gateway-api.md §3, §5): a
 * route's backendRef → its Service (its `port` → the Service port), a parentRef → the Gateway (its
 * `sectionName`/`port` → the listeners it selects); from a Gateway's name to the parentRefs that
 * attach to it, from a listener's name to the parentRefs attached to that listener, and from a
 * Service's name to the backendRefs that name it.
 */

import type { CheckContext } from '../checks/support/check.js';
import { attachmentOf } from '../checks/gateway/attach.js';
import { serviceBackendRefs, servicesForRef } from '../checks/gateway/backends.js';
import { gatewaysNamed, selectedListeners, targetNamespace } from '../checks/gateway/resolve.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import { GATEWAY_GROUP } from '../model/gateway.js';
import type { GatewayObjectRef } from '../model/gateway.js';
import type { Location, Span } from '../types.js';

function within(s: Span, offset: number): boolean {
  return s.start <= offset && offset <= s.end;
}

/** The definition of what the cursor names in a Gateway API route; undefined when it is not on a reference. */
export function gatewayDefinition(ctx: CheckContext, placed: Placed, offset: number): Location[] | undefined {
  const route = placed.obj.route;
  const pl = placed.placements[0];
  if (route === undefined || pl === undefined) return undefined;
  for (const b of serviceBackendRefs(placed.obj)) {
    if (!within(b.ref.span, offset)) continue;
    const services = servicesForRef(ctx.index, b.ref, pl, b.name);
    const port = b.ref.port;
    if (port?.known === true && within(port.span, offset)) {
      return services.flatMap((s) =>
        (s.obj.service?.ports ?? [])
          .filter(
            (sp) =>
              sp.port?.known === true && sp.port.value === port.value && sp.protocol === (placed.obj.kind === 'UDPRoute' ? 'UDP' : 'TCP'),
          )
          .map((sp) => ({ uri: s.obj.uri, span: sp.span })),
      );
    }
    return services.map((s) => ({ uri: s.obj.uri, span: s.obj.anchor }));
  }
  for (const ref of route.parentRefs) {
    if (!within(ref.span, offset)) continue;
    const gws = gatewaysOf(ctx, placed, ref);
    const onListener =
      (ref.sectionName !== undefined && within(ref.sectionName.span, offset)) || (ref.port !== undefined && within(ref.port.span, offset));
    if (onListener)
      return gws.flatMap((g) => (selectedListeners(g.obj, ref) ?? []).map((l) => ({ uri: g.obj.uri, span: l.name?.span ?? l.span })));
    return gws.map((g) => ({ uri: g.obj.uri, span: g.obj.anchor }));
  }
  return undefined;
}

function gatewaysOf(ctx: CheckContext, placed: Placed, ref: GatewayObjectRef): Placed[] {
  const pl = placed.placements[0];
  if (pl === undefined || ref.unknown || ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway' || ref.name?.known !== true) return [];
  const t = targetNamespace(ref, pl);
  if (!t.known) return [];
  return gatewaysNamed(ctx.index, pl, t.ns, ref.namespace !== undefined, ref.name.value);
}

/** Routes anywhere in the workspace (parentRefs may cross namespaces). */
function allRoutes(ctx: CheckContext): Placed[] {
  const out: Placed[] = [];
  for (const ns of ctx.index.namespaceNames()) for (const p of ctx.index.objectsIn(ns)) if (p.obj.route !== undefined) out.push(p);
  return out;
}

/**
 * The parentRefs that attach to the Gateway `gw` (on its name), or to its listener at `offset` (on
 * a listener's name); undefined when the cursor is on neither.
 */
export function gatewayReferences(ctx: CheckContext, gw: Placed, offset: number, onName: boolean): Location[] | undefined {
  const spec = gw.obj.gateway;
  if (spec === undefined) return undefined;
  const listener = spec.listeners.find((l) => l.name !== undefined && within(l.name.span, offset));
  if (!onName && listener === undefined) return undefined;
  const out: Location[] = [];
  for (const r of allRoutes(ctx)) {
    const pl = r.placements[0];
    if (pl === undefined) continue;
    for (const ref of r.obj.route?.parentRefs ?? []) {
      const a = attachmentOf(ctx, r.obj, pl, ref);
      if (a.state === 'unknown' || a.state === 'no-gateway' || a.gateway.obj !== gw.obj) continue;
      if (listener !== undefined && !(a.state === 'attached' && a.listeners.includes(listener))) continue;
      out.push({ uri: r.obj.uri, span: (listener !== undefined ? ref.sectionName?.span : undefined) ?? ref.name?.span ?? ref.span });
    }
  }
  return out;
}

/** The backendRefs of routes that name the Service `svc`. */
export function serviceBackendReferences(ctx: CheckContext, svc: Placed): Location[] {
  const out: Location[] = [];
  for (const r of allRoutes(ctx)) {
    const pl = r.placements[0];
    if (pl === undefined) continue;
    for (const b of serviceBackendRefs(r.obj)) {
      if (servicesForRef(ctx.index, b.ref, pl, b.name).some((s) => s.obj === svc.obj))
        out.push({ uri: r.obj.uri, span: b.ref.name?.span ?? b.ref.span });
    }
  }
  return out;
}
