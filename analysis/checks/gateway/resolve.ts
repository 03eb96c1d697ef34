/**
 * Gateway API lookups shared by the gateway checks, hover, completion and code lenses: Gateways by
 * name as a route sees them, which listeners a parentRef selects, whether a listener accepts a
 * route (allowedRoutes kinds and namespaces, hostnames), and whether a ReferenceGrant permits a
 * cross-namespace reference. The semantics are docs/dev/gateway-api.md's; every answer about what
 * the workspace may not show is three-valued ('unknown' keeps the checks silent).
 */

import type { Placed, Placement, WorkspaceIndex } from '../../workspace/workspaceIndex.js';
import type { GatewayListener, GatewayObjectRef } from '../../model/gateway.js';
import { GATEWAY_GROUP, acceptsKind, listenerAdmitsHostnames, selectedListeners } from '../../model/gateway.js';

export { hostnamesIntersect, listenerAdmitsHostnames, selectedListeners } from '../../model/gateway.js';
import type { Tri } from '../../model/labels.js';
import { ANY_PORT_CONTROLLERS } from '../../model/anyPortBackends.js';
import { matchSelector } from '../../model/labels.js';
import type { KObject } from '../../model/types.js';
import type { CheckContext } from '../support/check.js';
import { namespaceLabels } from '../support/policies.js';

/** The namespace a reference of an object placed at `pl` points into (undefined: the floating unit's, or unknown). */
export function targetNamespace(ref: GatewayObjectRef, pl: Placement): { readonly ns: string | undefined; readonly known: boolean } {
  if (ref.namespace !== undefined) return ref.namespace.known ? { ns: ref.namespace.value, known: true } : { ns: undefined, known: false };
  if (pl.floating || pl.namespace === undefined) return { ns: undefined, known: true };
  return { ns: pl.namespace, known: true };
}

/** The reference crosses namespaces: its namespace is written and differs from the referrer's (a floating referrer's is unknown). */
export function crossesNamespace(ref: GatewayObjectRef, pl: Placement): boolean | undefined {
  if (ref.namespace === undefined) return false;
  if (!ref.namespace.known) return undefined;
  if (pl.floating || pl.namespace === undefined) return undefined;
  return ref.namespace.value !== pl.namespace;
}

function gatewaysWhere(index: WorkspaceIndex, pl: Placement, ns: string | undefined, explicit: boolean): Placed[] {
  const out: Placed[] = [];
  const seen = new Set<Placed>();
  const keep = (p: Placed): void => {
    seen.add(p);
    out.push(p);
  };
  if (ns !== undefined) for (const p of index.gatewayApiObjects(`gw:${ns}`)) if (!seen.has(p)) keep(p);
  // A floating referrer without an explicit namespace sees the floating objects of its unit.
  if (!explicit || (pl.floating && ns === undefined)) {
    for (const p of index.gatewayApiObjects(`gwunit:${pl.unit}`)) {
      if (seen.has(p)) continue;
      if (p.placements.some((x) => x.unit === pl.unit && (x.floating || pl.floating))) keep(p);
    }
  }
  return out;
}

/**
 * Gateways a reference from `pl` into `ns` (undefined: its own) can name, every variant. Once per
 * index and question: a thousand routes of one namespace each scanned every object of it.
 */
export function gatewaysAt(index: WorkspaceIndex, pl: Placement, ns: string | undefined, explicit: boolean): readonly Placed[] {
  const key = `gateways-at:${pl.unit}\u0000${pl.namespace ?? ''}\u0000${pl.floating ? 1 : 0}\u0000${ns ?? '\u0001'}\u0000${explicit ? 1 : 0}`;
  return index.cached(key, () => gatewaysWhere(index, pl, ns, explicit));
}

export function gatewaysNamed(index: WorkspaceIndex, pl: Placement, ns: string | undefined, explicit: boolean, name: string): Placed[] {
  return gatewaysAt(index, pl, ns, explicit).filter((p) => p.obj.name?.known === true && p.obj.name.value === name);
}

/** Every Gateway of the workspace named `name`, anywhere (for "exists in another namespace"). */
export function gatewaysNamedAnywhere(index: WorkspaceIndex, name: string): readonly Placed[] {
  return index.gatewayApiObjects(`gwname:${name}`);
}

export function nameOf(o: KObject): string {
  return o.name?.known === true ? o.name.value : '';
}

// ---------------------------------------------------------------------------------------------
// Listeners and attachment

/** allowedRoutes.namespaces: may a route in `routeNs` attach to a listener of a Gateway in `gatewayNs`? */
export function acceptsNamespace(ctx: CheckContext, l: GatewayListener, gatewayNs: string | undefined, routeNs: string | undefined): Tri {
  if (l.from === undefined) return 'unknown';
  if (l.from === 'All') return 'yes';
  if (l.from === 'Same') {
    // Both floating in one unit: they land together.
    if (gatewayNs === undefined && routeNs === undefined) return 'yes';
    if (gatewayNs === undefined || routeNs === undefined) return 'unknown';
    return gatewayNs === routeNs ? 'yes' : 'no';
  }
  const sel = l.namespaceSelector;
  if (sel === undefined || sel.unknown || routeNs === undefined) return 'unknown';
  return matchSelector(sel, namespaceLabels(ctx, routeNs));
}

// ---------------------------------------------------------------------------------------------
// Attachment of one parentRef

export type Attachment =
  /** Not a Gateway reference, or something it depends on is templated or not in the workspace. */
  | { readonly state: 'unknown' }
  | { readonly state: 'no-gateway'; readonly namespace: string | undefined }
  | { readonly state: 'no-listener'; readonly gateway: Placed }
  | {
      readonly state: 'not-allowed';
      readonly gateway: Placed;
      readonly reasons: ReadonlyArray<{ readonly listener: GatewayListener; readonly why: 'kind' | 'namespace' }>;
    }
  | { readonly state: 'no-hostname'; readonly gateway: Placed; readonly listeners: readonly GatewayListener[] }
  | { readonly state: 'attached'; readonly gateway: Placed; readonly listeners: readonly GatewayListener[] };

function gatewayNamespace(gw: Placed): string | undefined {
  const pl = gw.placements[0];
  return pl === undefined || pl.floating ? undefined : pl.namespace;
}

/**
 * How a parentRef of a route (placed at `pl`) attaches: to which Gateway and listeners, or why
 * not. Judged only when the Gateway has one literal variant (variants could disagree).
 */
export function attachment(ctx: CheckContext, route: KObject, pl: Placement, ref: GatewayObjectRef): Attachment {
  if (ref.unknown || ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway') return { state: 'unknown' };
  if (ref.name === undefined || !ref.name.known) return { state: 'unknown' };
  const target = targetNamespace(ref, pl);
  if (!target.known) return { state: 'unknown' };
  const found = gatewaysNamed(ctx.index, pl, target.ns, ref.namespace !== undefined, ref.name.value);
  // A reference into a namespace written out may name a Gateway of its own unit that has none, applied into that
  // namespace (a test folder's `gateway.yaml` and routes naming `namespace: default`): a candidate too.
  if (ref.namespace !== undefined && target.ns !== undefined && !pl.floating)
    for (const p of gatewaysNamed(ctx.index, pl, undefined, false, ref.name.value))
      if (!found.includes(p) && p.placements.some((x) => x.unit === pl.unit && x.floating)) found.push(p);
  if (found.length === 0) return { state: 'no-gateway', namespace: target.ns };
  const gw = found[0];
  if (gw === undefined || found.length > 1) return { state: 'unknown' };
  const listeners = selectedListeners(gw.obj, ref);
  if (listeners === undefined) return { state: 'unknown' };
  if (listeners.length === 0) return { state: 'no-listener', gateway: gw };
  const routeNs = pl.floating ? undefined : pl.namespace;
  const gwNs = gatewayNamespace(gw);
  const reasons: Array<{ listener: GatewayListener; why: 'kind' | 'namespace' }> = [];
  const allowed: GatewayListener[] = [];
  let doubt = false;
  // STUNner's listeners take UDPRoutes whatever their protocol (model/anyPortBackends.ts), unless they list kinds.
  const everyListener = ANY_PORT_CONTROLLERS.get(controllerOf(ctx, gw) ?? '')?.includes(route.kind) === true;
  for (const l of listeners) {
    const k = everyListener && l.kinds === undefined && !l.kindsUnknown ? 'yes' : acceptsKind(l, route.kind);
    const n = acceptsNamespace(ctx, l, gwNs, routeNs);
    if (k === 'no') reasons.push({ listener: l, why: 'kind' });
    else if (n === 'no') reasons.push({ listener: l, why: 'namespace' });
    else if (k === 'yes' && n === 'yes') allowed.push(l);
    else doubt = true;
  }
  if (allowed.length === 0) return doubt ? { state: 'unknown' } : { state: 'not-allowed', gateway: gw, reasons };
  const hostnames = route.route?.hostnames?.map((h) => (h.known ? { known: true, value: h.value } : { known: false }));
  const admitting = allowed.filter((l) => listenerAdmitsHostnames(l, hostnames) === 'yes');
  if (admitting.length > 0) return { state: 'attached', gateway: gw, listeners: admitting };
  if (doubt || allowed.some((l) => listenerAdmitsHostnames(l, hostnames) === 'unknown')) return { state: 'unknown' };
  return { state: 'no-hostname', gateway: gw, listeners: allowed };
}

/**
 * What a parentRef of `route` names once `change` is applied (a name or sectionName a quick-fix
 * writes): group, kind, namespace (the route's when unset), name, sectionName and port, as the
 * API's rule on distinct parentRefs compares them; undefined when one is templated. Two parentRefs
 * of one route naming the same are rejected by the API server.
 */
export function parentRefKey(
  route: KObject,
  pl: Placement,
  ref: GatewayObjectRef,
  change: { readonly name?: string; readonly sectionName?: string } = {},
): string | undefined {
  const ns = targetNamespace(ref, pl);
  const name = change.name ?? (ref.name?.known === true ? ref.name.value : undefined);
  const section = change.sectionName ?? (ref.sectionName === undefined ? '' : ref.sectionName.known ? ref.sectionName.value : undefined);
  const port = ref.port === undefined ? '' : ref.port.known ? String(ref.port.value) : undefined;
  if (ref.unknown || !ns.known || name === undefined || section === undefined || port === undefined) return undefined;
  return `parentRef\u0000${route.uri}\u0000${route.span.start}\u0000${ref.group}/${ref.kind}\u0000${ns.ns ?? ''}/${name}\u0000${section}\u0000${port}`;
}

/**
 * The `exclusive` key (`Fix.exclusive`) of a quick-fix that makes `ref` name `change`, or `false`
 * when another parentRef of the route already names the same (the fix would make a duplicate the
 * API server rejects: not offered).
 */
export function parentRefFixKey(
  route: KObject,
  pl: Placement,
  ref: GatewayObjectRef,
  change: { readonly name?: string; readonly sectionName?: string },
): string | undefined | false {
  const key = parentRefKey(route, pl, ref, change);
  if (key === undefined) return undefined;
  const others = route.route?.parentRefs ?? [];
  return others.some((o) => o !== ref && parentRefKey(route, pl, o) === key) ? false : key;
}

// ---------------------------------------------------------------------------------------------
// ReferenceGrant (docs/dev/gateway-api.md §4)

/**
 * Does a ReferenceGrant in `toNs` permit a reference from a `fromKind` in `fromNs` to the object
 * (`toGroup`, `toKind`, `toName`)? 'unknown' when a grant there is templated.
 */
export function referenceGranted(
  ctx: CheckContext,
  from: { readonly group: string; readonly kind: string; readonly namespace: string },
  toNs: string,
  to: { readonly group: string; readonly kind: string; readonly name: string },
): Tri {
  let doubt = false;
  for (const p of grantsIn(ctx.index, toNs)) {
    const g = p.obj.referenceGrant;
    if (g === undefined) continue;
    const fromOk = g.from.some((f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace);
    const toOk = g.to.some((t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === to.name));
    if (fromOk && toOk) return 'yes';
    if (g.unknown) doubt = true;
  }
  return doubt ? 'unknown' : 'no';
}

/** ReferenceGrants in `ns` (for related information and completion). */
export function grantsIn(index: WorkspaceIndex, ns: string): readonly Placed[] {
  return index.gatewayApiObjects(`grant:${ns}`);
}

/** A listener as messages name it: `"https" (port 443)`. */
export function listenerText(l: GatewayListener): string {
  const name = l.name?.known === true ? `"${l.name.value}"` : 'a listener';
  const port = l.port?.known === true ? ` (port ${l.port.value})` : '';
  return `${name}${port}`;
}

// ---------------------------------------------------------------------------------------------
// Data planes (docs/dev/gateway-api.md §7)

export interface DataPlane {
  /** The Gateway, `ns/name` (the key of `ClassModel.gatewayDataPlanes`). */
  readonly key: string;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/** The controllerName of a Gateway's GatewayClass, when the workspace has that class. */
export function controllerOf(ctx: CheckContext, gw: Placed): string | undefined {
  const className = gw.obj.gateway?.className;
  if (className?.known !== true) return undefined;
  const cls = ctx.index.gatewayClasses().find((p) => p.obj.name?.known === true && p.obj.name.value === className.value);
  return cls?.obj.gatewayClass?.controllerName;
}

/** Where a Gateway's data-plane pods run and their labels, per kubeReach.gatewayControllers (as classModel.ts). */
export function dataPlaneOf(ctx: CheckContext, gw: Placed): DataPlane | undefined {
  const name = gw.obj.name?.known === true ? gw.obj.name.value : undefined;
  const pl = gw.placements[0];
  const className = gw.obj.gateway?.className;
  if (name === undefined || pl === undefined || pl.floating || pl.namespace === undefined || className === undefined || !className.known)
    return undefined;
  const ns = pl.namespace;
  const controller = controllerOf(ctx, gw);
  const entry =
    ctx.settings.gatewayControllers.find((c) => c.controllerName === controller) ??
    ctx.settings.gatewayControllers.find((c) => c.controllerName === '*');
  if (entry === undefined) return undefined;
  const fill = (v: string): string => v.split('{gateway}').join(name).split('{namespace}').join(ns);
  const podLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(entry.podLabels)) podLabels[k] = fill(v);
  return { key: `${ns}/${name}`, namespace: fill(entry.namespace ?? ns), podLabels };
}
