/**
 * Validation of what the host sends (protocol/webviewMessages.ts). The webview trusts nothing:
 * a malformed message is dropped, and every string is later rendered as text.
 */

import { listOf } from '../protocol/narrow.js';
import type { WireLocation, WireRange } from '../protocol/lsp.js';
import type {
  ObjectProblem,
  OverviewContainerPort,
  OverviewNamespace,
  OverviewPortTarget,
  OverviewSelection,
  OverviewService,
  OverviewWorkload,
  WorkspaceOverview,
} from '../protocol/overview.js';
import type { ExplainDecision, ExplainProbe, ExplainProbeResult } from '../protocol/lsp.js';
import {
  EXPORT_FORMATS,
  PANEL_VIEWS,
  type ExportFormat,
  type LayoutBox,
  type PanelEdge,
  type PanelFilters,
  type PanelLayout,
  type PanelNode,
  type PanelPersistedState,
  type PanelPortRange,
  type PanelScope,
  type PanelView,
} from '../protocol/panel.js';
import type {
  PanelExposure,
  PanelExposureEntry,
  PanelGatewayRoute,
  PanelIngressEndpoint,
  PanelIngressRoute,
  PanelPolicy,
} from '../protocol/reachability.js';
import type { HostMessage, WireModel } from '../protocol/webviewMessages.js';
import { parseDiffResult } from './changes.js';

type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function strMap(v: unknown): Record<string, string> | undefined {
  if (!isRec(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (!isStr(x)) return undefined;
    out[k] = x;
  }
  return out;
}

function range(v: unknown): WireRange | undefined {
  if (!isRec(v) || !isRec(v['start']) || !isRec(v['end'])) return undefined;
  const s = v['start'];
  const e = v['end'];
  if (!isNat(s['line']) || !isNat(s['character']) || !isNat(e['line']) || !isNat(e['character'])) return undefined;
  return { start: { line: s['line'], character: s['character'] }, end: { line: e['line'], character: e['character'] } };
}

function location(v: unknown): WireLocation | undefined {
  if (!isRec(v) || !isStr(v['uri'])) return undefined;
  const r = range(v['range']);
  return r === undefined ? undefined : { uri: v['uri'], range: r };
}

function containerPort(v: unknown): OverviewContainerPort | undefined {
  if (!isRec(v) || !isNat(v['containerPort']) || !isStr(v['protocol'])) return undefined;
  if (v['name'] !== undefined && !isStr(v['name'])) return undefined;
  return { containerPort: v['containerPort'], protocol: v['protocol'], ...(isStr(v['name']) ? { name: v['name'] } : {}) };
}

function workload(v: unknown): OverviewWorkload | undefined {
  if (!isRec(v)) return undefined;
  const { id, kind, name, namespace } = v;
  const labels = strMap(v['labels']);
  const ports = listOf(v['ports'], containerPort);
  const loc = location(v['location']);
  if (!isStr(id) || !isStr(kind) || !isStr(name) || !isStr(namespace) || labels === undefined || ports === undefined || loc === undefined)
    return undefined;
  return { id, kind, name, namespace, labels, ports, location: loc };
}

const portOrNull = (v: unknown): v is number | null => v === null || isNat(v);

function portTarget(v: unknown): OverviewPortTarget | undefined {
  if (!isRec(v)) return undefined;
  const { port, portName, protocol, targetPort, containerPort: cp } = v;
  if (!portOrNull(port) || !isStr(protocol) || !portOrNull(cp)) return undefined;
  if (!(targetPort === null || isNat(targetPort) || isStr(targetPort))) return undefined;
  if (portName !== undefined && !isStr(portName)) return undefined;
  return { port, protocol, targetPort, containerPort: cp, ...(isStr(portName) ? { portName } : {}) };
}

function problem(v: unknown): ObjectProblem | undefined {
  return isRec(v) && isStr(v['code']) && isStr(v['message']) ? { code: v['code'], message: v['message'] } : undefined;
}

/** An optional list of problems: `[]` when absent, undefined when malformed. */
function problems(v: unknown): ObjectProblem[] | undefined {
  return v === undefined ? [] : listOf(v, problem);
}

function selection(v: unknown): OverviewSelection | undefined {
  if (!isRec(v) || !isStr(v['workloadId']) || (v['match'] !== 'yes' && v['match'] !== 'unknown')) return undefined;
  const ports = listOf(v['ports'], portTarget);
  return ports === undefined ? undefined : { workloadId: v['workloadId'], match: v['match'], ports };
}

function service(v: unknown): OverviewService | undefined {
  if (!isRec(v)) return undefined;
  const { id, name, namespace, type } = v;
  const selector = v['selector'] === null ? null : strMap(v['selector']);
  const selects = listOf(v['selects'], selection);
  const loc = location(v['location']);
  const probs = problems(v['problems']);
  if (
    probs === undefined ||
    !isStr(id) ||
    !isStr(name) ||
    !isStr(namespace) ||
    !isStr(type) ||
    selector === undefined ||
    selects === undefined ||
    loc === undefined
  )
    return undefined;
  return { id, name, namespace, type, selector, selects, location: loc, ...(probs.length > 0 ? { problems: probs } : {}) };
}

function namespace(v: unknown): OverviewNamespace | undefined {
  if (!isRec(v) || !isStr(v['name'])) return undefined;
  const workloads = listOf(v['workloads'], workload);
  const services = listOf(v['services'], service);
  return workloads === undefined || services === undefined ? undefined : { name: v['name'], workloads, services };
}

export function parseOverview(v: unknown): WorkspaceOverview | undefined {
  if (!isRec(v)) return undefined;
  const namespaces = listOf(v['namespaces'], namespace);
  return namespaces === undefined ? undefined : { namespaces };
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

function portRange(v: unknown): PanelPortRange | undefined {
  if (!isRec(v) || !isStr(v['protocol']) || !isNat(v['port'])) return undefined;
  if (v['endPort'] !== undefined && !isNat(v['endPort'])) return undefined;
  return { protocol: v['protocol'], port: v['port'], ...(isNat(v['endPort']) ? { endPort: v['endPort'] } : {}) };
}

function node(v: unknown): PanelNode | undefined {
  if (!isRec(v)) return undefined;
  const { id, namespace, kind, name, entry, isolatedIngress, isolatedEgress, unreachable } = v;
  const labels = strMap(v['labels']);
  const ports = listOf(v['ports'], portRange);
  const loc = v['location'] === undefined ? undefined : location(v['location']);
  if (v['location'] !== undefined && loc === undefined) return undefined;
  if (!isStr(id) || !isStr(namespace) || !isStr(kind) || !isStr(name) || labels === undefined || ports === undefined) return undefined;
  if (!isBool(entry) || !isBool(isolatedIngress) || !isBool(isolatedEgress) || !isBool(unreachable)) return undefined;
  return {
    id,
    namespace,
    kind,
    name,
    labels,
    ports,
    entry,
    isolatedIngress,
    isolatedEgress,
    unreachable,
    ...(loc !== undefined ? { location: loc } : {}),
  };
}

function edge(v: unknown): PanelEdge | undefined {
  if (!isRec(v)) return undefined;
  const { from, to, label, verdict, reason } = v;
  const ports = v['ports'] === 'all' ? 'all' : listOf(v['ports'], portRange);
  if (!isStr(from) || !isStr(to) || !isStr(label) || ports === undefined || (verdict !== 'allowed' && verdict !== 'undefined'))
    return undefined;
  if (reason !== undefined && !isStr(reason)) return undefined;
  return { from, to, ports, label, verdict, ...(isStr(reason) ? { reason } : {}) };
}

function box(v: unknown): LayoutBox | undefined {
  if (!isRec(v) || !isNum(v['x']) || !isNum(v['y']) || !isNum(v['width']) || !isNum(v['height'])) return undefined;
  return { x: v['x'], y: v['y'], width: v['width'], height: v['height'] };
}

function layout(v: unknown): PanelLayout | null | undefined {
  if (v === null) return null;
  if (!isRec(v) || !isNum(v['width']) || !isNum(v['height']) || !isRec(v['nodes'])) return undefined;
  const groups = listOf(v['groups'], (g) => {
    const b = box(g);
    return b === undefined || !isRec(g) || !isStr(g['name']) ? undefined : { ...b, name: g['name'] };
  });
  if (groups === undefined) return undefined;
  const nodes: Record<string, LayoutBox> = {};
  for (const [k, x] of Object.entries(v['nodes'])) {
    const b = box(x);
    if (b === undefined) return undefined;
    nodes[k] = b;
  }
  return { width: v['width'], height: v['height'], groups, nodes };
}

function policy(v: unknown): PanelPolicy | undefined {
  if (!isRec(v)) return undefined;
  const { key, namespace, name, ingress, egress } = v;
  const selects = listOf(v['selects'], (x) => (isStr(x) ? x : undefined));
  const loc = location(v['location']);
  if (!isStr(key) || !isStr(namespace) || !isStr(name) || !isBool(ingress) || !isBool(egress) || selects === undefined || loc === undefined)
    return undefined;
  const allows =
    v['allows'] === undefined
      ? undefined
      : listOf(v['allows'], (x) => (isRec(x) && isStr(x['from']) && isStr(x['to']) ? { from: x['from'], to: x['to'] } : undefined));
  if (v['allows'] !== undefined && allows === undefined) return undefined;
  return { key, namespace, name, ingress, egress, selects, ...(allows !== undefined ? { allows } : {}), location: loc };
}

function ingressEndpoint(v: unknown): PanelIngressEndpoint | undefined {
  if (!isRec(v) || !isStr(v['node']) || !isNat(v['targetPort'])) return undefined;
  const a = v['allowed'];
  if (!(a === null || isBool(a))) return undefined;
  return { node: v['node'], targetPort: v['targetPort'], allowed: a };
}

function ingressRoute(v: unknown): PanelIngressRoute | undefined {
  if (!isRec(v)) return undefined;
  const { ingress, host, path, pathType, service, port, controller } = v;
  const endpoints = listOf(v['endpoints'], ingressEndpoint);
  const loc = location(v['location']);
  const probs = problems(v['problems']);
  if (
    probs === undefined ||
    !isStr(ingress) ||
    !isStr(host) ||
    !isStr(path) ||
    !isStr(pathType) ||
    !(service === null || isStr(service)) ||
    !isStr(port) ||
    !(controller === null || isStr(controller)) ||
    endpoints === undefined ||
    loc === undefined
  )
    return undefined;
  return {
    ingress,
    host,
    path,
    pathType,
    service,
    port,
    controller,
    endpoints,
    location: loc,
    ...(probs.length > 0 ? { problems: probs } : {}),
  };
}

function gatewayRoute(v: unknown): PanelGatewayRoute | undefined {
  if (!isRec(v)) return undefined;
  const { gateway, route, rule, matches, service, port, dataPlane } = v;
  const endpoints = listOf(v['endpoints'], ingressEndpoint);
  const loc = location(v['location']);
  const probs = problems(v['problems']);
  if (
    probs === undefined ||
    !isStr(gateway) ||
    !isStr(route) ||
    !isNat(rule) ||
    !isStr(matches) ||
    !isStr(service) ||
    !isStr(port) ||
    !(dataPlane === null || isStr(dataPlane)) ||
    endpoints === undefined ||
    loc === undefined
  )
    return undefined;
  return {
    gateway,
    route,
    rule,
    matches,
    service,
    port,
    endpoints,
    dataPlane,
    location: loc,
    ...(probs.length > 0 ? { problems: probs } : {}),
  };
}

export function parseScope(v: unknown): PanelScope | undefined {
  if (!isRec(v)) return undefined;
  const { namespace, unit } = v;
  if ((namespace !== undefined && !isStr(namespace)) || (unit !== undefined && !isStr(unit))) return undefined;
  return { ...(isStr(namespace) ? { namespace } : {}), ...(isStr(unit) ? { unit } : {}) };
}

const isView = (v: unknown): v is PanelView => isStr(v) && (PANEL_VIEWS as readonly string[]).includes(v);
const isFormat = (v: unknown): v is ExportFormat => isStr(v) && (EXPORT_FORMATS as readonly string[]).includes(v);

export function parseModel(v: unknown): WireModel | undefined {
  if (!isRec(v)) return undefined;
  const scope = parseScope(v['scope']);
  const units = listOf(v['units'], (x) => (isStr(x) ? x : undefined));
  const nodes = listOf(v['nodes'], node);
  const edges = listOf(v['edges'], edge);
  const lay = layout(v['layout']);
  const policies = listOf(v['policies'], policy);
  const ingressRoutes = listOf(v['ingressRoutes'], ingressRoute);
  // Absent from a host older than the Routes view: no routes.
  const gatewayRoutes = v['gatewayRoutes'] === undefined ? [] : listOf(v['gatewayRoutes'], gatewayRoute);
  const overview = v['overview'] === null ? null : parseOverview(v['overview']);
  const { initialView, revision } = v;
  if (
    scope === undefined ||
    units === undefined ||
    nodes === undefined ||
    edges === undefined ||
    lay === undefined ||
    policies === undefined ||
    ingressRoutes === undefined ||
    gatewayRoutes === undefined ||
    overview === undefined ||
    !isView(initialView) ||
    !isNat(revision)
  )
    return undefined;
  return { scope, units, nodes, edges, layout: lay, policies, ingressRoutes, gatewayRoutes, overview, initialView, revision };
}

function exposureEntry(v: unknown): PanelExposureEntry | undefined {
  if (!isRec(v)) return undefined;
  const { workload, peer, peerKind, label, verdict, reason } = v;
  if (!isStr(workload) || !isStr(peer) || !isStr(label)) return undefined;
  if (peerKind !== 'entire-cluster' && peerKind !== 'representative' && peerKind !== 'external') return undefined;
  if (verdict !== 'allowed' && verdict !== 'undefined') return undefined;
  if (reason !== undefined && !isStr(reason)) return undefined;
  return { workload, peer, peerKind, label, verdict, ...(isStr(reason) ? { reason } : {}) };
}

function panelExposure(v: unknown): PanelExposure | undefined {
  if (!isRec(v)) return undefined;
  const egress = listOf(v['egress'], exposureEntry);
  const ingress = listOf(v['ingress'], exposureEntry);
  const unprotected = listOf(v['unprotected'], (u): { workload: string; direction: 'Ingress' | 'Egress' } | undefined => {
    if (!isRec(u) || !isStr(u['workload'])) return undefined;
    const d = u['direction'];
    return d === 'Ingress' || d === 'Egress' ? { workload: u['workload'], direction: d } : undefined;
  });
  if (egress === undefined || ingress === undefined || unprotected === undefined) return undefined;
  return { egress, ingress, unprotected };
}

function probe(v: unknown): ExplainProbe | undefined {
  if (!isRec(v) || !isStr(v['from']) || !isStr(v['to']) || !isNat(v['port'])) return undefined;
  if (v['protocol'] !== undefined && !isStr(v['protocol'])) return undefined;
  return { from: v['from'], to: v['to'], port: v['port'], ...(isStr(v['protocol']) ? { protocol: v['protocol'] } : {}) };
}

function decision(v: unknown): ExplainDecision | undefined {
  if (
    !isRec(v) ||
    !isStr(v['file']) ||
    !isNat(v['line']) ||
    !isStr(v['policy']) ||
    !isStr(v['rule']) ||
    (v['direction'] !== 'ingress' && v['direction'] !== 'egress')
  )
    return undefined;
  const loc = v['location'] === undefined ? undefined : location(v['location']);
  const description = isStr(v['description']) ? v['description'] : `${v['policy']} ${v['rule']}`;
  const tier = v['tier'];
  if (tier !== undefined && tier !== 'Admin' && tier !== 'NetworkPolicy' && tier !== 'Baseline') return undefined;
  return {
    file: v['file'],
    line: v['line'],
    policy: v['policy'],
    direction: v['direction'],
    rule: v['rule'],
    description,
    ...(tier !== undefined ? { tier } : {}),
    ...(loc !== undefined ? { location: loc } : {}),
  };
}

function probeResult(v: unknown): ExplainProbeResult | undefined {
  if (!isRec(v) || !isStr(v['reason'])) return undefined;
  const a = v['allowed'];
  if (!(a === null || isBool(a))) return undefined;
  const decidedBy = listOf(v['decidedBy'], decision);
  return decidedBy === undefined ? undefined : { allowed: a, reason: v['reason'], decidedBy };
}

const EMPTY_FILTERS: PanelFilters = { namespace: '', label: '', port: '', onlyDenied: false, policy: '' };

/** The webview's saved state (getState): anything malformed falls back to defaults. */
export function parsePersisted(v: unknown): PanelPersistedState | undefined {
  if (!isRec(v)) return undefined;
  const f = isRec(v['filters']) ? v['filters'] : {};
  const str = (x: unknown): string => (isStr(x) ? x : '');
  return {
    view: isView(v['view']) ? v['view'] : 'graph',
    scope: parseScope(v['scope']) ?? {},
    filters: {
      ...EMPTY_FILTERS,
      namespace: str(f['namespace']),
      label: str(f['label']),
      port: str(f['port']),
      onlyDenied: f['onlyDenied'] === true,
      policy: str(f['policy']),
    },
  };
}

export function parseHostMessage(raw: unknown): HostMessage | undefined {
  if (!isRec(raw)) return undefined;
  switch (raw['kind']) {
    case 'model': {
      const model = parseModel(raw['model']);
      return model === undefined ? undefined : { kind: 'model', model };
    }
    case 'status':
      if ((raw['state'] === 'loading' || raw['state'] === 'error') && isStr(raw['message']))
        return { kind: 'status', state: raw['state'], message: raw['message'] };
      return undefined;
    case 'explanation': {
      const probes = listOf(raw['probes'], probe);
      const results = listOf(raw['results'], probeResult);
      if (!isNat(raw['requestId']) || probes === undefined || results === undefined) return undefined;
      return { kind: 'explanation', requestId: raw['requestId'], probes, results };
    }
    case 'changes': {
      const result = parseDiffResult(raw['result']);
      return result === undefined ? undefined : { kind: 'changes', result };
    }
    case 'exposure': {
      const exposure = raw['exposure'] === null ? null : panelExposure(raw['exposure']);
      const error = raw['error'];
      if (!isNat(raw['requestId']) || exposure === undefined || (error !== undefined && !isStr(error))) return undefined;
      return { kind: 'exposure', requestId: raw['requestId'], exposure, ...(isStr(error) ? { error } : {}) };
    }
    case 'exported':
      if (!isFormat(raw['format']) || !(raw['path'] === null || isStr(raw['path']))) return undefined;
      return { kind: 'exported', format: raw['format'], path: raw['path'] };
    case 'focus': {
      const { namespace, policy: pol, view: v } = raw;
      if ((namespace !== undefined && !isStr(namespace)) || (pol !== undefined && !isStr(pol)) || (v !== undefined && !isView(v)))
        return undefined;
      return {
        kind: 'focus',
        ...(isStr(namespace) ? { namespace } : {}),
        ...(isStr(pol) ? { policy: pol } : {}),
        ...(isView(v) ? { view: v } : {}),
      };
    }
    default:
      return undefined;
  }
}
