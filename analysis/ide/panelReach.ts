/**
 * The reachability panel's graph and explanations (docs/protocol.md `kubeReach/reachability`,
 * `kubeReach/explain`): the JSON of `kube-reach reach --format json` with where each node is
 * written, and `kube-reach explain`'s verdicts with the rule that decided. Plain data with spans;
 * server/ converts them to line ranges
 * (its builders are typed `WireOf<these, protocol/lsp.ts's types>`, so the shapes cannot drift apart). One engine per snapshot and unit is kept (`PanelMemory`),
 * so the panel's follow-up requests reuse it.
 */

import type { Analysis } from '../host.js';
import { isRecord } from '../narrow.js';
import type { ReachEngine } from '../reachability/engine.js';
import type { Probe } from '../reachability/explain.js';
import { ProbeError, explainProbe } from '../reachability/explain.js';
import type { ReachMatrix } from '../reachability/matrix.js';
import type { ReachResult } from '../reachability/connectionList.js';
import { computeReach } from '../reachability/connectionList.js';
import { reachJson } from '../reachability/render.js';
import type { Location } from '../types.js';
import type { ContextRows } from './panelContext.js';
import { snapshotReach } from './policyConnections.js';

interface Computed {
  readonly engine: ReachEngine;
  /** The whole connection list, once computed (it answers every namespace too). */
  reach?: ReachResult;
  /** Connection lists computed for one namespace. */
  readonly reachByNamespace: Map<string, ReachResult>;
  /** The all-pairs matrix of this engine, shared by those lists. */
  matrix?: ReachMatrix;
  /** Answers by namespace filter ('' = none): the panel asks again after every reload. */
  readonly answers: Map<string, PanelGraph>;
  /** The panel context without what each policy allows (`panelContext`), once computed. */
  context?: ContextRows;
}

/**
 * What one server's reachability requests remember (the server makes one; no module state):
 * answers per snapshot, held weakly, and the last all-pairs matrix per unit, handed to the next
 * snapshot's engine so it rebuilds only what changed. A call without one remembers nothing beyond
 * itself.
 */
export class ReachabilityMemory {
  readonly perSnapshot = new WeakMap<Analysis, Map<string, Computed>>();
  readonly lastMatrix = new Map<string, ReachMatrix>();
}

export function computed(analysis: Analysis, unit: string | undefined, memory: ReachabilityMemory): Computed {
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
export function reachOf(
  analysis: Analysis,
  c: Computed,
  memory: ReachabilityMemory,
  unit: string | undefined,
  namespace?: string,
): ReachResult {
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

export interface PanelGraphNode {
  readonly id: string;
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Where the node's first pod class is written. */
  readonly location?: Location;
}

/** One connection as `reach --format json` writes it. */
export interface PanelGraphConnection {
  readonly from: string;
  readonly to: string;
  readonly ports: 'all' | ReadonlyArray<{ readonly protocol: string; readonly port: number; readonly endPort?: number }>;
  readonly verdict: 'allowed' | 'undefined';
  readonly reason?: string;
}

export interface PanelGraph {
  readonly nodes: readonly PanelGraphNode[];
  readonly connections: readonly PanelGraphConnection[];
}

/** The reachability graph of a snapshot (of one unit; the pairs with an end in `namespace` when given). */
export function panelGraph(
  analysis: Analysis,
  params: { readonly namespace?: string; readonly unit?: string } = {},
  memory = new ReachabilityMemory(),
): PanelGraph {
  const c = computed(analysis, params.unit, memory);
  const known = c.answers.get(params.namespace ?? '');
  if (known !== undefined) return known;
  const { engine } = c;
  const json = reachJson(engine.space, reachOf(analysis, c, memory, params.unit, params.namespace), params.namespace) as {
    nodes: Array<{ id: string; namespace: string | null; kind: string; name: string; labels: Record<string, string> }>;
    connections: PanelGraphConnection[];
  };
  const nodes: PanelGraphNode[] = json.nodes.map((n) => {
    const info = engine.node(n.id);
    const cls = info?.classes[0];
    const obj = cls === undefined ? undefined : engine.classes[cls]?.obj;
    return {
      id: n.id,
      namespace: n.namespace ?? '',
      kind: n.kind,
      name: n.name,
      labels: n.labels,
      ...(obj !== undefined ? { location: { uri: obj.uri, span: obj.anchor } } : {}),
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

/**
 * `via` through a Gateway (docs/dev/gateway-api.md §10), as the CLI's probes file has it: `{host,
 * path}` a GET, `{host, grpc: "SERVICE/METHOD"}` a gRPC call, `{sni, port?}` a TLS connection,
 * `{port}` a TCP connection (UDP with the probe's `protocol`); undefined when malformed.
 */
function gatewayVia(gateway: string, via: Readonly<Record<string, unknown>>, protocol: unknown): Probe['via'] {
  const { host, path, grpc, sni, port } = via;
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port))) return undefined;
  if (typeof sni === 'string')
    return host !== undefined
      ? undefined
      : protocol === undefined || protocol === 'TCP'
        ? { gateway, connection: 'TLS', port, sni }
        : protocol === 'UDP'
          ? { gateway, connection: 'DTLS', port, sni }
          : undefined;
  if (typeof host === 'string') {
    // port: the HTTP or HTTPS listener's (any when left out).
    const listenerPort = port === undefined ? {} : { port };
    if (typeof path === 'string' && grpc === undefined) return { gateway, host, path, ...listenerPort };
    const call = typeof grpc === 'string' && path === undefined ? /^\/?([^/\s]+)\/([^/\s]+)$/.exec(grpc) : null;
    return call === null ? undefined : { gateway, host, grpc: { service: call[1] ?? '', method: call[2] ?? '' }, ...listenerPort };
  }
  const proto = protocol === undefined ? 'TCP' : protocol;
  return host === undefined && port !== undefined && (proto === 'TCP' || proto === 'UDP')
    ? { gateway, connection: proto, port }
    : undefined;
}

/** A probe the client sent, narrowed; undefined when malformed. */
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
    else if (typeof via['gateway'] === 'string') {
      v = gatewayVia(via['gateway'], via, protocol);
      if (v === undefined) return undefined;
    } else return undefined;
  }
  if (v === undefined && (typeof from !== 'string' || typeof port !== 'number')) return undefined;
  return {
    from: typeof from === 'string' ? from : v !== undefined && 'gateway' in v ? `{gateway:${v.gateway}}` : '{ingress-controller}',
    to,
    port: typeof port === 'number' ? port : undefined,
    protocol: typeof protocol === 'string' ? protocol : undefined,
    via: v,
  };
}

export interface PanelDecision {
  readonly file: string;
  readonly line: number;
  readonly policy: string;
  readonly direction: 'ingress' | 'egress';
  readonly rule: string;
  readonly description: string;
  readonly tier?: 'Admin' | 'NetworkPolicy' | 'Baseline';
  /** The rule itself, so a link lands on it (not just its line). */
  readonly location: Location;
}

export interface PanelProbeResult {
  readonly allowed: boolean | null;
  readonly reason: string;
  readonly decidedBy: readonly PanelDecision[];
}

function optString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Explains the probes of untrusted `params` (`{unit?, probes: [...]}`); a malformed probe, or an
 * endpoint that names nothing, gives `allowed: null` with the reason.
 */
export function panelExplain(analysis: Analysis, params: unknown, memory = new ReachabilityMemory()): PanelProbeResult[] {
  const unit = isRecord(params) ? optString(params['unit']) : undefined;
  const probes = isRecord(params) && Array.isArray(params['probes']) ? (params['probes'] as unknown[]) : [];
  const { engine } = computed(analysis, unit, memory);
  return probes.map((raw, i) => {
    const probe = readProbe(raw);
    if (probe === undefined) return { allowed: null, reason: `probe ${i + 1} is malformed`, decidedBy: [] };
    try {
      const r = explainProbe(engine, probe);
      const decidedBy: PanelDecision[] = r.decidedBy.map((d) => ({
        file: d.file,
        line: d.line,
        policy: d.policy,
        direction: d.direction,
        rule: d.rule,
        description: d.description,
        ...(d.tier !== undefined ? { tier: d.tier } : {}),
        location: { uri: d.file, span: d.span },
      }));
      return { allowed: r.allowed, reason: r.reason, decidedBy };
    } catch (e) {
      if (e instanceof ProbeError)
        return { allowed: null, reason: `probe ${i + 1} (${probe.from} -> ${probe.to}): ${e.message}`, decidedBy: [] };
      throw e;
    }
  });
}
