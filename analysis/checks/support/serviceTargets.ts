/**
 * Resolving what a Service reaches: its selected long-running pod producers (docs/dev/checks-spec.md §1.4: long-running, pod ports),
 * and Services by name for Ingress backends. Shared by the port checks and hover.
 */

import type { Placed, Placement, WorkspaceIndex } from '../../workspace/workspaceIndex.js';
import { isCoreService } from '../../model/kinds.js';
import type { ContainerPort, Selector, ServicePort, ServiceSpec } from '../../model/types.js';
import { unitsComplete } from './evidence.js';
import { selectProducers } from './selection.js';
import type { CheckContext } from './check.js';
import { onAnyPortGateway } from '../gateway/anyPort.js';
import { podPorts } from './sidecarSets.js';
import { objectsInScope, scopeOf } from './policies.js';

export function serviceSelector(p: Placed): Selector | undefined {
  const map = p.obj.service?.selector;
  if (map === undefined || map.entries.length === 0) return undefined;
  return { span: map.span, matchLabels: map, matchExpressions: [], unknown: map.unknown || map.entries.some((e) => !e.value.known) };
}

export interface Selected {
  readonly placement: Placement;
  /** Matching long-running producers. */
  readonly producers: readonly Placed[];
  /** Some producer's match depends on unknown values. */
  readonly maybe: boolean;
}

/** The pods a Service selects, for its first placement that selects any. */
export function selectedBy(ctx: Pick<CheckContext, 'index' | 'settings'>, p: Placed): Selected | undefined {
  return ctx.index.cached(`selectedBy:${p.obj.uri}#${p.obj.ordinal}`, () => computeSelectedBy(ctx, p));
}

function computeSelectedBy(ctx: Pick<CheckContext, 'index' | 'settings'>, p: Placed): Selected | undefined {
  const sel = serviceSelector(p);
  if (sel === undefined || sel.unknown) return undefined;
  let fallback: Selected | undefined;
  for (const pl of p.placements) {
    const outcome = selectProducers(ctx, pl, sel);
    const producers = outcome.matched.filter((m) => m.obj.pod?.longRunning === true);
    const s = { placement: pl, producers, maybe: outcome.maybe };
    if (producers.length > 0) return s;
    fallback ??= s;
  }
  return fallback;
}

/** Services with `name` that an object placed at `pl` can reach: bound to its namespace, or floating in its unit. */
export function servicesNamed(index: WorkspaceIndex, pl: Placement, name: string): Placed[] {
  const out: Placed[] = [];
  const ns = pl.namespace;
  if (ns !== undefined && !pl.floating) {
    // By name (`svc:name`), not by scanning the namespace: an edit of another Service re-checks nothing here.
    for (const s of index.servicesNamedAnywhere(name))
      if (isCoreService(s.obj) && s.placements.some((x) => x.namespace === ns && !x.floating)) out.push(s);
  }
  for (const p of index.servicesNamedInUnit(pl.unit, name)) {
    if (p.placements.some((x) => x.unit === pl.unit && (x.floating || pl.floating)) && !out.includes(p)) out.push(p);
  }
  return out;
}

/** The container port a Service port lands on, per Kubernetes' FindPort (name and protocol). */
export function findPort(ports: readonly ContainerPort[], sp: ServicePort): ContainerPort | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (tp === undefined || !tp.known) return undefined;
  if (typeof tp.value === 'string') return ports.find((c) => c.name === tp.value && c.protocol === sp.protocol);
  return ports.find((c) => c.containerPort === tp.value && c.protocol === sp.protocol);
}

/** Ports that injected sidecars (Istio, Linkerd) add when injection markers are present. */
export const SIDECAR_PORT_NAMES: ReadonlySet<string> = new Set([
  'http-envoy-prom',
  'linkerd-admin',
  'linkerd-proxy',
  'status-port',
  'tcp-istio-status',
]);
export const SIDECAR_PORT_NUMBERS: ReadonlySet<number> = new Set([15000, 15001, 15006, 15008, 15020, 15021, 15090, 4143, 4191]);

export function formatPorts(ports: readonly ContainerPort[]): string {
  return ports.map((c) => `${c.containerPort}/${c.protocol}${c.name !== undefined ? ` ("${c.name}")` : ''}`).join(', ');
}

/**
 * A route reaches this Service's pods on any port, whatever its ports say (STUNner's UDPRoute: "any
 * UDP port on the pods ... identified by the Kubernetes service", and a standard UDPRoute attached to a
 * STUNner Gateway; model/anyPortBackends.ts).
 */
function reachedOnAnyPort(ctx: CheckContext, placed: Placed): boolean {
  const o = placed.obj;
  const ns = placed.placements[0]?.namespace;
  if (o.name?.known !== true || ns === undefined) return false;
  const name = o.name.value;
  for (const r of ctx.index.gatewayApiObjects(`anyport:${name}`)) {
    const rpl = r.placements[0];
    const rns = rpl?.namespace;
    const names = (r.obj.anyPortBackends ?? []).filter((b) => b.name === name && (b.namespace ?? rns) === ns);
    // A standard route holds so only on a Gateway of such a controller (STUNner's UDPRoute).
    if (names.some((b) => b.controllers === undefined)) return true;
    if (names.length > 0 && rpl !== undefined && onAnyPortGateway(ctx, r.obj, rpl)) return true;
  }
  return false;
}

/**
 * The Services whose ports can be compared with their pods' ports: not ExternalName or headless,
 * ports known, every unit complete in the workspace, a selection free of templated doubt, and no
 * route that reaches the pods on any port.
 */
export function* portComparableServices(ctx: CheckContext): Generator<{ placed: Placed; svc: ServiceSpec; sel: Selected }> {
  for (const placed of ctx.objects) {
    const svc = placed.obj.service;
    if (svc === undefined || svc.type === 'ExternalName' || svc.headless || svc.portsUnknown) continue;
    if (!unitsComplete(ctx, placed) || reachedOnAnyPort(ctx, placed)) continue;
    const sel = selectedBy(ctx, placed);
    if (sel === undefined || sel.maybe) continue;
    yield { placed, svc, sel };
  }
}

/** The numeric ports the pods' probes connect to (a probe on a port shows the container listens there). */
function probedNumbers(p: Placed): number[] {
  const out: number[] = [];
  for (const pr of p.obj.pod?.probePorts ?? []) if (pr.port.known && typeof pr.port.value === 'number') out.push(pr.port.value);
  return out;
}

/**
 * The workload's pods listen on `port`, declared or not: a probe connects there, or the containers'
 * command line or env names it (`--metrics-bind-address=:8443`, the kubebuilder scaffold's metrics).
 */
export function probesPort(p: Placed, port: number): boolean {
  return probedNumbers(p).includes(port) || (p.obj.pod?.configuredPorts ?? []).includes(port);
}

/**
 * A ConfigMap of the workload's namespace that its pods mount configures a server there to listen on
 * `port` (nginx `listen 443 ssl;`, model/configListens.ts): the pods listen on it, declared or not.
 */
export function configListensOn(ctx: Pick<CheckContext, 'index'>, p: Placed, pl: Placement, port: number): boolean {
  const names = p.obj.pod?.configMaps;
  const where = scopeOf(pl);
  if (names === undefined || where === undefined) return false;
  // Floating pods (no namespace that anything binds) land with their unit's other floating objects.
  const pool = objectsInScope(ctx, where);
  return pool.some(
    (q) =>
      q.obj.kind === 'ConfigMap' &&
      q.obj.group === '' &&
      q.obj.name?.known === true &&
      names.includes(q.obj.name.value) &&
      (q.obj.configListens?.includes(port) ?? false),
  );
}

/**
 * The workload's declared container ports are demonstrably incomplete: a probe connects to a port
 * number no container declares (containerPort is informational, and this one was left out).
 */
export function declaresIncompletely(p: Placed): boolean {
  const declared = p.obj.pod?.ports ?? [];
  return probedNumbers(p).some((n) => !declared.some((c) => c.containerPort === n));
}

/**
 * `protocol/port` of the ports of the *other* Services selecting some of `sel`'s producers that land
 * on a port those producers declare, or undefined when no other Service does. A Service port these
 * pods do not declare is a separate listener when another Service already serves their declared
 * ports under another port number (an embedded broker's 61616 beside the web Service's 8080); the
 * same port number forwarded to a declared port there is evidence this one was meant to as well.
 * Ports OpenKruise SidecarSets inject count as declared (support/sidecarSets.ts).
 */
export function portsServedBySiblings(ctx: CheckContext, placed: Placed, sel: Selected): ReadonlySet<string> | undefined {
  const pl = sel.placement;
  const mine = new Set(sel.producers);
  const candidates =
    pl.namespace !== undefined && !pl.floating
      ? ctx.index.servicesIn(pl.namespace)
      : ctx.index.servicesOfUnit(pl.unit).filter((s) => s.placements.some((x) => x.unit === pl.unit && x.floating));
  let out: Set<string> | undefined;
  for (const s of candidates) {
    // Another object, not the same Service in another flavour file.
    if (s === placed || s.obj.name === placed.obj.name || !isCoreService(s.obj)) continue;
    const svc = s.obj.service;
    if (svc === undefined || svc.type === 'ExternalName' || svc.portsUnknown) continue;
    const other = selectedBy(ctx, s);
    if (other === undefined || other.maybe) continue;
    const shared = other.producers.filter((p) => mine.has(p));
    for (const sp of svc.ports) {
      if (sp.port?.known !== true || typeof sp.port.value !== 'number') continue;
      if (!shared.some((p) => findPort(podPorts(ctx, p, pl).ports, sp) !== undefined)) continue;
      (out ??= new Set()).add(`${sp.protocol}/${sp.port.value}`);
    }
  }
  return out;
}
