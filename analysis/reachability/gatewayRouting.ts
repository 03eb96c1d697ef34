/**
 * Routing through Gateway API Gateways (docs/dev/gateway-api.md §7): the Service ports a Gateway's
 * data plane forwards to, through the routes attached to it (parentRefs, sectionName/port,
 * allowedRoutes, hostnames: §2–§3), for `reach` and `explain`.
 */

import type { Placed } from '../workspace/workspaceIndex.js';
import type { ServicePort } from '../model/types.js';
import type { Span } from '../types.js';
import { matchSelector } from '../model/labels.js';
import type { Tri } from '../model/labels.js';
import type { GatewayListener } from '../model/gateway.js';
import { GATEWAY_GROUP, acceptsKind, listenerAdmitsHostnames, selectedListeners } from '../model/gateway.js';
import type { ReachEngine } from './engine.js';
import type { ServiceRef } from './routing.js';
import { findService } from './routing.js';

export interface GatewayTarget {
  /** The route, `Kind ns/name`. */
  readonly route: string;
  /** The route object, its rule index and the backendRef (for the panel's Routes view). */
  readonly placed: Placed;
  readonly rule: number;
  readonly refSpan: Span;
  readonly service: ServiceRef;
  readonly port: ServicePort;
  /** Whether the route attaches depends on namespace labels the workspace does not show. */
  readonly maybe: boolean;
}

function nameOf(o: { readonly name?: { readonly known: boolean; readonly value?: string } | undefined }): string | undefined {
  return o.name?.known === true ? o.name.value : undefined;
}

/** allowedRoutes.namespaces on the engine's namespace labels (docs/dev/gateway-api.md §3). */
export function admitsNamespace(engine: ReachEngine, l: GatewayListener, gatewayNs: string, routeNs: string): Tri {
  if (l.from === undefined) return 'unknown';
  if (l.from === 'All') return 'yes';
  if (l.from === 'Same') return gatewayNs === routeNs ? 'yes' : 'no';
  const sel = l.namespaceSelector;
  const labels = engine.namespaces.get(routeNs)?.labels;
  if (sel === undefined || sel.unknown || labels === undefined) return 'unknown';
  return matchSelector(sel, labels);
}

const memo = new WeakMap<ReachEngine, Map<string, readonly GatewayTarget[]>>();

/** The Service ports the Gateway `ns/name` forwards to (weight-0 backends left out). */
export function gatewayTargets(engine: ReachEngine, key: string): readonly GatewayTarget[] {
  let perEngine = memo.get(engine);
  if (perEngine === undefined) memo.set(engine, (perEngine = new Map()));
  const hit = perEngine.get(key);
  if (hit !== undefined) return hit;
  const out = computeTargets(engine, key);
  perEngine.set(key, out);
  return out;
}

function computeTargets(engine: ReachEngine, key: string): GatewayTarget[] {
  const slash = key.indexOf('/');
  const gwNs = key.slice(0, slash);
  const gwName = key.slice(slash + 1);
  const gw = engine.gathering.gathered.gateways.find((g) => g.namespace === gwNs && nameOf(g.placed.obj) === gwName);
  if (gw === undefined) return [];
  const out: GatewayTarget[] = [];
  for (const { placed, namespace } of engine.gathering.gathered.routes) {
    const r = placed.obj;
    const spec = r.route;
    if (spec === undefined) continue;
    let attached: Tri = 'no';
    for (const ref of spec.parentRefs) {
      if (ref.unknown || ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway' || ref.name?.known !== true || ref.name.value !== gwName)
        continue;
      const refNs = ref.namespace === undefined ? namespace : ref.namespace.known ? ref.namespace.value : undefined;
      if (refNs !== gwNs) continue;
      const hostnames = spec.hostnames?.map((h) => (h.known ? { known: true, value: h.value } : { known: false }));
      for (const l of selectedListeners(gw.placed.obj, ref) ?? []) {
        const k = acceptsKind(l, r.kind);
        const n = admitsNamespace(engine, l, gwNs, namespace);
        const h = listenerAdmitsHostnames(l, hostnames);
        if (k === 'yes' && n === 'yes' && h === 'yes') attached = 'yes';
        else if (attached === 'no' && k !== 'no' && n !== 'no' && h !== 'no') attached = 'unknown';
      }
      if (attached === 'yes') break;
    }
    if (attached === 'no') continue;
    const protocol = r.kind === 'UDPRoute' ? 'UDP' : 'TCP';
    for (const [ruleIndex, rule] of spec.rules.entries()) {
      for (const b of rule.backendRefs) {
        if (b.unknown || b.group !== '' || b.kind !== 'Service' || b.name?.known !== true || b.port?.known !== true) continue;
        if (b.weight?.known === true && b.weight.value === 0) continue;
        const ns = b.namespace === undefined ? namespace : b.namespace.known ? b.namespace.value : undefined;
        if (ns === undefined) continue;
        const service = findService(engine, ns, b.name.value);
        const want = b.port.value;
        const port = service?.placed.obj.service?.ports.find(
          (p) => p.port?.known === true && p.port.value === want && p.protocol === protocol,
        );
        if (service === undefined || port === undefined) continue;
        out.push({
          route: `${r.kind} ${namespace}/${nameOf(r) ?? '?'}`,
          placed,
          rule: ruleIndex,
          refSpan: b.span,
          service,
          port,
          maybe: attached === 'unknown',
        });
      }
    }
  }
  return out;
}
