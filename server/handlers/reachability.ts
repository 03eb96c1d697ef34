/**
 * The reachability requests (docs/dev/design.md §6, docs/protocol.md): `kubeReach/reachability` (the JSON of
 * `kube-reach reach --format json` plus `location` on nodes), `kubeReach/explain` (the JSON of
 * `kube-reach explain --format json` plus `location` on `decidedBy` entries) and the panel's
 * `kubeReach/reachabilityContext` (protocol/reachability.ts). The engine computes; this file only
 * picks engine results and converts spans to LSP locations. One engine per analysis snapshot and
 * unit is kept, so the panel's follow-up requests reuse it.
 *
 * Wire-up (server/server.ts): `registerReachabilityHandlers(connection, () => host.snapshot())`.
 */

import type { Connection } from 'vscode-languageserver';
import type { Analysis } from '../../analysis/index.js';
import { hasBit } from '../../analysis/index.js';
import type { ReachEngine } from '../../analysis/index.js';
import type { Probe } from '../../analysis/index.js';
import { ProbeError, explainProbe } from '../../analysis/index.js';
import type { ReachResult } from '../../analysis/index.js';
import { computeReach } from '../../analysis/index.js';
import { policyAllowedConnections, policyConnectionsComputable } from '../../analysis/index.js';
import { snapshotReach } from '../../analysis/index.js';
import { reachJson } from '../../analysis/index.js';
import { backendServicePorts, ingressClassOf, serviceEndpoints } from '../../analysis/index.js';
import type { Span } from '../../analysis/index.js';
import type {
  ExplainDecision,
  ExplainProbeResult,
  ExplainResult,
  ReachabilityConnection,
  ReachabilityNode,
  ReachabilityParams,
  ReachabilityResult,
  WireLocation,
} from '../../protocol/lsp.js';
import { EXPLAIN_METHOD, REACHABILITY_METHOD } from '../../protocol/lsp.js';
import type {
  PanelIngressEndpoint,
  PanelIngressRoute,
  PanelPolicy,
  ReachabilityContext,
  ReachabilityContextParams,
} from '../../protocol/reachability.js';
import { REACHABILITY_CONTEXT_METHOD } from '../../protocol/reachability.js';
import { isRecord } from '../../analysis/index.js';
import { problemsIn } from './problems.js';
import { answer } from './answer.js';
import type { GetAnalysis } from './answer.js';
import { gatewayRouteRows } from './gatewayRoutes.js';

interface Computed {
  readonly engine: ReachEngine;
  /** The whole connection list, once computed (it answers every namespace too). */
  reach?: ReachResult;
  /** Connection lists computed for one namespace. */
  readonly reachByNamespace: Map<string, ReachResult>;
  /** The all-pairs matrix of this engine, shared by those lists. */
  matrix?: NonNullable<ReachResult['matrix']>;
  /** Answers by namespace filter ('' = none): the panel asks again after every reload. */
  readonly answers: Map<string, ReachabilityResult>;
}

/**
 * What one server's reachability requests remember (no module state): answers per snapshot, held
 * weakly, and the last all-pairs matrix per unit, handed to the next snapshot's engine so it
 * rebuilds only what changed. `registerReachabilityHandlers` makes one per server; a direct call
 * without one remembers nothing beyond itself.
 */
export class ReachabilityMemory {
  readonly perSnapshot = new WeakMap<Analysis, Map<string, Computed>>();
  readonly lastMatrix = new Map<string, NonNullable<ReachResult['matrix']>>();
}

function computed(analysis: Analysis, unit: string | undefined, memory: ReachabilityMemory): Computed {
  let perUnit = memory.perSnapshot.get(analysis);
  if (perUnit === undefined) {
    perUnit = new Map();
    memory.perSnapshot.set(analysis, perUnit);
  }
  const key = unit ?? '';
  let c = perUnit.get(key);
  if (c === undefined) {
    // The snapshot's workspace engine (one per snapshot and unit, built from the last one; the
    // code lenses read it too). Diagnostics read engines over the namespaces they judge, whose
    // verdicts for those pods are this one's.
    const engine = analysis.reachEngine(unit);
    c = { engine, answers: new Map(), reachByNamespace: new Map() };
    perUnit.set(key, c);
  }
  return c;
}

/** The connection list of a snapshot, whole or for one namespace (only pairs with an end in it are evaluated). */
function reachOf(analysis: Analysis, c: Computed, memory: ReachabilityMemory, unit: string | undefined, namespace?: string): ReachResult {
  const whole = c.reach;
  if (whole !== undefined) return whole;
  const key = unit ?? '';
  let r = c.reachByNamespace.get(namespace ?? '');
  if (r === undefined) {
    const previous = c.matrix ?? memory.lastMatrix.get(key);
    // The workspace's whole list is the one the policy code lenses count on (one per snapshot).
    r = unit === undefined && namespace === undefined ? snapshotReach(analysis, previous) : computeReach(c.engine, namespace, previous);
    if (r.matrix !== undefined) {
      c.matrix = r.matrix;
      memory.lastMatrix.set(key, r.matrix);
    }
    if (namespace === undefined) c.reach = r;
    else c.reachByNamespace.set(namespace, r);
  }
  return r;
}

function location(analysis: Analysis, uri: string, span: Span): WireLocation {
  return { uri, range: { start: analysis.positionAt(uri, span.start), end: analysis.positionAt(uri, span.end) } };
}

function optString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The reachability result for the panel and `kubeReach/reachability`. Pure. */
export function buildReachability(
  analysis: Analysis,
  params: ReachabilityParams = {},
  memory = new ReachabilityMemory(),
): ReachabilityResult {
  const c = computed(analysis, params.unit, memory);
  const known = c.answers.get(params.namespace ?? '');
  if (known !== undefined) return known;
  const { engine } = c;
  const json = reachJson(engine.space, reachOf(analysis, c, memory, params.unit, params.namespace), params.namespace) as {
    nodes: Array<{ id: string; namespace: string | null; kind: string; name: string; labels: Record<string, string> }>;
    connections: ReachabilityConnection[];
  };
  const nodes: ReachabilityNode[] = json.nodes.map((n) => {
    const info = engine.node(n.id);
    const cls = info?.classes[0];
    const obj = cls === undefined ? undefined : engine.classes[cls]?.obj;
    return {
      id: n.id,
      namespace: n.namespace ?? '',
      kind: n.kind,
      name: n.name,
      labels: n.labels,
      ...(obj !== undefined ? { location: location(analysis, obj.uri, obj.anchor) } : {}),
    };
  });
  let connections = json.connections;
  if (params.namespace !== undefined) {
    const ns = params.namespace;
    const inNs = new Set(nodes.filter((n) => n.namespace === ns).map((n) => n.id));
    connections = connections.filter((x) => inNs.has(x.from) || inNs.has(x.to));
  }
  const result = { nodes, connections };
  c.answers.set(params.namespace ?? '', result);
  return result;
}

function readProbe(raw: unknown): Probe | undefined {
  if (!isRecord(raw)) return undefined;
  const { from, to, port, protocol, via } = raw;
  if (typeof to !== 'string') return undefined;
  let v: Probe['via'];
  if (isRecord(via)) {
    if (typeof via['service'] === 'string' && (typeof via['port'] === 'number' || typeof via['port'] === 'string'))
      v = { service: via['service'], port: via['port'] };
    else if (typeof via['ingress'] === 'string' && typeof via['host'] === 'string' && typeof via['path'] === 'string')
      v = { ingress: via['ingress'], host: via['host'], path: via['path'] };
    else if (typeof via['gateway'] === 'string' && typeof via['host'] === 'string' && typeof via['path'] === 'string')
      v = { gateway: via['gateway'], host: via['host'], path: via['path'] };
    else return undefined;
  }
  if (v === undefined && (typeof from !== 'string' || typeof port !== 'number')) return undefined;
  return {
    from: typeof from === 'string' ? from : '{ingress-controller}',
    to,
    port: typeof port === 'number' ? port : undefined,
    protocol: typeof protocol === 'string' ? protocol : undefined,
    via: v,
  };
}

/** Explains probes; an endpoint that names nothing gives `allowed: null` with the reason. Pure. */
export function buildExplain(analysis: Analysis, params: unknown, memory = new ReachabilityMemory()): ExplainResult {
  const unit = isRecord(params) ? optString(params['unit']) : undefined;
  const probes = isRecord(params) && Array.isArray(params['probes']) ? (params['probes'] as unknown[]) : [];
  const { engine } = computed(analysis, unit, memory);
  const results: ExplainProbeResult[] = probes.map((raw, i) => {
    const probe = readProbe(raw);
    if (probe === undefined) return { allowed: null, reason: `probe ${i + 1} is malformed`, decidedBy: [] };
    try {
      const r = explainProbe(engine, probe);
      const decidedBy: ExplainDecision[] = r.decidedBy.map((d) => ({
        file: d.file,
        line: d.line,
        policy: d.policy,
        direction: d.direction,
        rule: d.rule,
        description: d.description,
        ...(d.tier !== undefined ? { tier: d.tier } : {}),
        // The rule itself, so a link lands on it (not just its line).
        location: {
          uri: d.file,
          range: { start: analysis.positionAt(d.file, d.span.start), end: analysis.positionAt(d.file, d.span.end) },
        },
      }));
      return { allowed: r.allowed, reason: r.reason, decidedBy };
    } catch (e) {
      if (e instanceof ProbeError)
        return { allowed: null, reason: `probe ${i + 1} (${probe.from} -> ${probe.to}): ${e.message}`, decidedBy: [] };
      throw e;
    }
  });
  return { results };
}

function variantUnits(analysis: Analysis): string[] {
  const unitsById = new Map<string, Set<string>>();
  for (const p of analysis.index.objects) {
    const o = p.obj;
    if (o.name?.known !== true) continue;
    for (const pl of p.placements) {
      const id = `${o.group}/${o.kind}/${pl.namespace ?? '?'}/${o.name.value}`;
      let s = unitsById.get(id);
      if (s === undefined) unitsById.set(id, (s = new Set()));
      s.add(pl.unit);
    }
  }
  const out = new Set<string>();
  for (const s of unitsById.values()) if (s.size > 1) for (const u of s) out.add(u);
  return [...out].sort();
}

/** Policies, variant units and Ingress routes for the panel. Pure. */
export function buildContext(
  analysis: Analysis,
  params: ReachabilityContextParams = {},
  memory = new ReachabilityMemory(),
): ReachabilityContext {
  const c = computed(analysis, params.unit, memory);
  const { engine } = c;
  // What each policy allows, on the definition the code lens counts with (skipped on big engines, as the lens is).
  const connections = policyConnectionsComputable(engine) ? reachOf(analysis, c, memory, params.unit).connections : undefined;
  const policies: PanelPolicy[] = engine.policies.map((p) => {
    const selects = new Set<string>();
    for (const cls of engine.classes) if (hasBit(p.selected.yes, cls.index)) selects.add(cls.node);
    const name = p.obj.name?.known === true ? p.obj.name.value : '?';
    return {
      key: p.key,
      namespace: p.namespace,
      name,
      ingress: p.ingress !== undefined,
      egress: p.egress !== undefined,
      selects: [...selects].sort(),
      ...(connections !== undefined
        ? { allows: policyAllowedConnections(engine, connections, p).map((e) => ({ from: e.from, to: e.to })) }
        : {}),
      location: location(analysis, p.obj.uri, p.obj.anchor),
    };
  });
  policies.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const ingressRoutes: PanelIngressRoute[] = [];
  for (const ing of engine.ingresses) {
    const spec = ing.placed.obj.ingress;
    if (spec === undefined) continue;
    const ingName = `${ing.namespace}/${ing.placed.obj.name?.known === true ? ing.placed.obj.name.value : '?'}`;
    const cls = ingressClassOf(engine, spec);
    const ctrl = cls === undefined ? undefined : engine.classes.find((c) => c.controllerOf.includes(cls));
    const ref = { placed: ing.placed, namespace: ing.namespace };
    const entries: Array<{ host: string; path: string; pathType: string; backend: NonNullable<typeof spec.defaultBackend>; span: Span }> =
      [];
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
      const endpoints: PanelIngressEndpoint[] = [];
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
        location: location(analysis, ing.placed.obj.uri, e.span),
        ...(problems.length > 0 ? { problems } : {}),
      });
    }
  }
  return { policies, units: variantUnits(analysis), ingressRoutes, gatewayRoutes: gatewayRouteRows(analysis, engine) };
}

function reachParams(v: unknown): ReachabilityParams {
  if (!isRecord(v)) return {};
  const namespace = optString(v['namespace']);
  const unit = optString(v['unit']);
  return { ...(namespace !== undefined ? { namespace } : {}), ...(unit !== undefined ? { unit } : {}) };
}

/** Registers the three requests on `connection`. */
export function registerReachabilityHandlers(connection: Connection, getAnalysis: GetAnalysis): void {
  const memory = new ReachabilityMemory();
  connection.onRequest(REACHABILITY_METHOD, (params: unknown, token) =>
    answer<ReachabilityResult>(REACHABILITY_METHOD, token, getAnalysis, (a) => buildReachability(a, reachParams(params), memory)),
  );
  connection.onRequest(EXPLAIN_METHOD, (params: unknown, token) =>
    answer<ExplainResult>(EXPLAIN_METHOD, token, getAnalysis, (a) => buildExplain(a, params, memory)),
  );
  connection.onRequest(REACHABILITY_CONTEXT_METHOD, (params: unknown, token) => {
    const unit = isRecord(params) ? optString(params['unit']) : undefined;
    return answer<ReachabilityContext>(REACHABILITY_CONTEXT_METHOD, token, getAnalysis, (a) =>
      buildContext(a, unit !== undefined ? { unit } : {}, memory),
    );
  });
}
