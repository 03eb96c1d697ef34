/**
 * Validation of what the host sends (protocol/webviewMessages.ts). The webview trusts nothing:
 * a malformed message is dropped, and every string is later rendered as text.
 */

import type { WireLocation, WireRange } from '../protocol/lsp.js';
import type { OverviewContainerPort, OverviewNamespace, OverviewPortTarget, OverviewSelection, OverviewService, OverviewWorkload, WorkspaceOverview } from '../protocol/overview.js';
import type { HostMessage } from '../protocol/webviewMessages.js';

type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function list<T>(v: unknown, item: (x: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: T[] = [];
  for (const x of v as unknown[]) {
    const t = item(x);
    if (t === undefined) return undefined;
    out.push(t);
  }
  return out;
}

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
  const ports = list(v['ports'], containerPort);
  const loc = location(v['location']);
  if (!isStr(id) || !isStr(kind) || !isStr(name) || !isStr(namespace) || labels === undefined || ports === undefined || loc === undefined) return undefined;
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

function selection(v: unknown): OverviewSelection | undefined {
  if (!isRec(v) || !isStr(v['workloadId']) || (v['match'] !== 'yes' && v['match'] !== 'unknown')) return undefined;
  const ports = list(v['ports'], portTarget);
  return ports === undefined ? undefined : { workloadId: v['workloadId'], match: v['match'], ports };
}

function service(v: unknown): OverviewService | undefined {
  if (!isRec(v)) return undefined;
  const { id, name, namespace, type } = v;
  const selector = v['selector'] === null ? null : strMap(v['selector']);
  const selects = list(v['selects'], selection);
  const loc = location(v['location']);
  if (!isStr(id) || !isStr(name) || !isStr(namespace) || !isStr(type) || selector === undefined || selects === undefined || loc === undefined) return undefined;
  return { id, name, namespace, type, selector, selects, location: loc };
}

function namespace(v: unknown): OverviewNamespace | undefined {
  if (!isRec(v) || !isStr(v['name'])) return undefined;
  const workloads = list(v['workloads'], workload);
  const services = list(v['services'], service);
  return workloads === undefined || services === undefined ? undefined : { name: v['name'], workloads, services };
}

export function parseOverview(v: unknown): WorkspaceOverview | undefined {
  if (!isRec(v)) return undefined;
  const namespaces = list(v['namespaces'], namespace);
  return namespaces === undefined ? undefined : { namespaces };
}

export function parseHostMessage(raw: unknown): HostMessage | undefined {
  if (!isRec(raw)) return undefined;
  if (raw['kind'] === 'overview') {
    const overview = parseOverview(raw['overview']);
    return overview === undefined ? undefined : { kind: 'overview', overview };
  }
  if (raw['kind'] === 'status' && (raw['state'] === 'loading' || raw['state'] === 'error') && isStr(raw['message'])) {
    return { kind: 'status', state: raw['state'], message: raw['message'] };
  }
  return undefined;
}
