/**
 * The reachability panel's context (docs/protocol.md `kubeReach/reachabilityContext`): the
 * NetworkPolicies with the pods they select and the connections they allow, the units that are
 * variants of one another, and the Ingress and Gateway API routes with the pods behind them. Plain
 * data with spans; server/ converts them to line ranges (its builder is typed
 * `WireOf<this, protocol/reachability.ts's type>`, so the row shapes cannot drift apart).
 */

import type { Analysis } from '../host.js';
import type { IngressBackend } from '../model/types.js';
import type { ReachEngine } from '../reachability/engine.js';
import type { CPolicy } from '../reachability/policyTier.js';
import { forEachBit, hasBit } from '../reachability/bitset.js';
import { policyAllowedConnections, policyConnectionsComputable } from '../reachability/policyConnections.js';
import { backendServicePorts, ingressClassOf, serviceEndpoints } from '../reachability/routing.js';
import type { Location, Span } from '../types.js';
import type { GatewayRouteRow, PanelEndpoint } from './gatewayRoutes.js';
import { gatewayRouteRows } from './gatewayRoutes.js';
import { ReachabilityMemory, computed, reachOf } from './panelReach.js';
import type { ObjectProblem } from './problems.js';
import { problemsIn } from './problems.js';
import { reachNotes } from '../reachability/notes.js';
import { alternativeMembers } from '../units/alternatives.js';

export interface PolicyRow {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly ingress: boolean;
  readonly egress: boolean;
  readonly selects: readonly string[];
  readonly allows?: ReadonlyArray<{ readonly from: string; readonly to: string }>;
  readonly location: Location;
}

export interface IngressRouteRow {
  readonly ingress: string;
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  readonly service: string | null;
  readonly port: string;
  readonly endpoints: readonly PanelEndpoint[];
  readonly controller: string | null;
  readonly location: Location;
  readonly problems?: readonly ObjectProblem[];
}

export interface PanelContext {
  readonly policies: readonly PolicyRow[];
  readonly units: readonly string[];
  readonly ingressRoutes: readonly IngressRouteRow[];
  readonly gatewayRoutes: readonly GatewayRouteRow[];
  /**
   * What the panel must say about what it does not show, the notes `reach` prints (reachability/notes.ts):
   * objects left out, variants, objects defined twice, policies it does not evaluate. File URIs in them stay URIs.
   */
  readonly notes: readonly string[];
}

/** How the panel's notes say to pick a unit (the CLI's `pick one with --unit`): its toolbar's Unit list. */
const PICK_IN_PANEL = 'pick one in the Unit list';

/** How the panel's notes say to pick a unit: its Unit list, or no way when it shows none (no variants or alternatives). */
export function panelPickUnit(analysis: Analysis): string | null {
  return variantUnits(analysis).length > 0 ? PICK_IN_PANEL : null;
}

function variantUnits(analysis: Analysis): string[] {
  // An object is in two units only if its name is: first the names placed in more than one unit
  // (no string made per object), then the ids of those names' objects.
  const unitOfName = new Map<string, string | null>();
  for (const p of analysis.index.objects) {
    const o = p.obj;
    if (o.name?.known !== true) continue;
    for (const pl of p.placements) {
      const u = unitOfName.get(o.name.value);
      if (u === undefined) unitOfName.set(o.name.value, pl.unit);
      else if (u !== null && u !== pl.unit) unitOfName.set(o.name.value, null);
    }
  }
  const unitsById = new Map<string, Set<string>>();
  for (const p of analysis.index.objects) {
    const o = p.obj;
    if (o.name?.known !== true || unitOfName.get(o.name.value) !== null) continue;
    for (const pl of p.placements) {
      const id = `${o.group}/${o.kind}/${pl.namespace ?? '?'}/${o.name.value}`;
      let s = unitsById.get(id);
      if (s === undefined) unitsById.set(id, (s = new Set()));
      s.add(pl.unit);
    }
  }
  const out = new Set<string>();
  for (const s of unitsById.values()) if (s.size > 1) for (const u of s) out.add(u);
  // Every unit or file that has alternatives (one of them is left out, and a note names it): a
  // workload of another kind under one name (a Deployment in dev/, a StatefulSet in prod/), two
  // files of one folder (quick-start.yaml, quick-start-ha.yaml), units applied to other clusters.
  for (const u of alternativeMembers(analysis.index.alternatives)) out.add(u);
  return [...out].sort();
}

/**
 * Policies, variant units and Ingress and Gateway API routes for the panel (of one unit when given).
 * `allows: false` leaves out what each policy allows (the panel's first paint does not show it: it
 * asks again with them right after); the rest is computed once per snapshot and unit either way.
 */
export function panelContext(
  analysis: Analysis,
  params: { readonly unit?: string; readonly allows?: boolean } = {},
  memory = new ReachabilityMemory(),
): PanelContext {
  const c = computed(analysis, params.unit, memory);
  const base = (c.context ??= contextRows(analysis, c.engine));
  const { engine } = c;
  // What each policy allows, on the definition the code lens counts with (skipped on big engines, as the lens is).
  if (params.allows === false || !policyConnectionsComputable(engine)) return base.context;
  const connections = reachOf(analysis, c, memory, params.unit).connections;
  const policies = base.context.policies.map((row, i): PolicyRow => {
    const p = base.policies[i];
    const allows = p === undefined ? [] : policyAllowedConnections(engine, connections, p).map((e) => ({ from: e.from, to: e.to }));
    // `allows` before `location`, as the rows always had it.
    const { location, ...rest } = row;
    return { ...rest, allows, location };
  });
  return { ...base.context, policies };
}

/** The context without what each policy allows, and the compiled policy of each of its policy rows. */
export interface ContextRows {
  readonly context: PanelContext;
  readonly policies: readonly CPolicy[];
}

function contextRows(analysis: Analysis, engine: ReachEngine): ContextRows {
  const rows = engine.policies.map((p) => {
    const selects = new Set<string>();
    forEachBit(p.selected.yes, (i) => {
      const cls = engine.classes[i];
      if (cls !== undefined) selects.add(cls.node);
    });
    const name = p.obj.name?.known === true ? p.obj.name.value : '?';
    const row: PolicyRow = {
      key: p.key,
      namespace: p.namespace,
      name,
      ingress: p.ingress !== undefined,
      egress: p.egress !== undefined,
      selects: [...selects].sort(),
      location: { uri: p.obj.uri, span: p.obj.anchor },
    };
    return { p, row };
  });
  rows.sort((a, b) => (a.row.key < b.row.key ? -1 : a.row.key > b.row.key ? 1 : 0));
  const policies: PolicyRow[] = rows.map((r) => r.row);

  const ingressRoutes: IngressRouteRow[] = [];
  for (const ing of engine.ingresses) {
    const spec = ing.placed.obj.ingress;
    if (spec === undefined) continue;
    const ingName = `${ing.namespace}/${ing.placed.obj.name?.known === true ? ing.placed.obj.name.value : '?'}`;
    const cls = ingressClassOf(engine, spec);
    const ctrl = cls === undefined ? undefined : engine.classes.find((c) => c.controllerOf.includes(cls));
    const ref = { placed: ing.placed, namespace: ing.namespace };
    const entries: Array<{ host: string; path: string; pathType: string; backend: IngressBackend; span: Span }> = [];
    if (spec.defaultBackend !== undefined)
      entries.push({ host: '*', path: '(default backend)', pathType: '', backend: spec.defaultBackend, span: spec.defaultBackend.span });
    for (const r of spec.rules) {
      const host = r.host === undefined ? '*' : r.host.known ? r.host.value : '(templated)';
      for (const p of r.paths) {
        if (p.backend === undefined) continue;
        entries.push({
          host,
          path: p.path === undefined ? '/' : p.path.known ? p.path.value : '(templated)',
          pathType: p.pathType ?? '',
          backend: p.backend,
          span: p.span,
        });
      }
    }
    for (const e of entries) {
      const b = e.backend;
      const port = b.portNumber?.known === true ? String(b.portNumber.value) : b.portName?.known === true ? b.portName.value : '?';
      const { service, ports } = backendServicePorts(engine, { ingress: ref, backend: b });
      const endpoints: PanelEndpoint[] = [];
      if (service !== undefined) {
        const seen = new Set<string>();
        for (const sp of ports) {
          if (sp.protocol !== 'TCP') continue;
          for (const ep of serviceEndpoints(engine, service, sp).endpoints) {
            const dst = engine.classes[ep.cls];
            if (dst === undefined) continue;
            const k = `${dst.node}:${ep.port}`;
            if (seen.has(k)) continue;
            seen.add(k);
            let allowed: boolean | null = null;
            if (ctrl !== undefined) {
              const v = engine.pair({ kind: 'class', index: ctrl.index }, { kind: 'class', index: ep.cls });
              const atom = engine.space.atomOf('TCP', ep.port);
              allowed = ep.maybe ? null : hasBit(v.yes, atom) ? true : hasBit(v.maybe, atom) ? null : false;
            }
            endpoints.push({ node: dst.node, targetPort: ep.port, allowed });
          }
        }
      }
      const svcName = b.serviceName?.known === true ? `${ing.namespace}/${b.serviceName.value}` : null;
      const problems = problemsIn(analysis, ing.placed.obj.uri, e.span);
      ingressRoutes.push({
        ingress: ingName,
        host: e.host,
        path: e.path,
        pathType: e.pathType,
        service: service === undefined ? null : svcName,
        port,
        endpoints,
        controller: ctrl?.node ?? null,
        location: { uri: ing.placed.obj.uri, span: e.span },
        ...(problems.length > 0 ? { problems } : {}),
      });
    }
  }
  const units = variantUnits(analysis);
  return {
    context: {
      policies,
      units,
      ingressRoutes,
      gatewayRoutes: gatewayRouteRows(analysis, engine),
      // The panel's control, where the CLI says `--unit`; without a Unit list (no units share an object), no way to pick one.
      notes: reachNotes(analysis, engine, units.length > 0 ? PICK_IN_PANEL : null),
    },
    policies: rows.map((r) => r.p),
  };
}
