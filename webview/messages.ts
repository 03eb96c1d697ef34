/**
 * Validation of what the host sends (protocol/webviewMessages.ts). The webview trusts nothing:
 * a malformed message is dropped, and every string is later rendered as text. A model comes
 * packed (protocol/packedModel.ts) and is read by webview/unpack.ts.
 */

import { isRecord, listOf } from '../protocol/narrow.js';
import type { ExplainDecision, ExplainProbe, ExplainProbeResult, WireLocation, WireRange } from '../protocol/lsp.js';
import { EXPORT_FORMATS, type ExportFormat, type PanelFilters, type PanelPersistedState } from '../protocol/panel.js';
import type { PanelExposure, PanelExposureEntry } from '../protocol/reachability.js';
import type { HostMessage, LayoutGraph } from '../protocol/webviewMessages.js';
import { parseDiffResult } from './changes.js';
import { isView, parseScope, unpackModel } from './unpack.js';

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isFormat = (v: unknown): v is ExportFormat => isStr(v) && (EXPORT_FORMATS as readonly string[]).includes(v);

function range(v: unknown): WireRange | undefined {
  if (!isRecord(v) || !isRecord(v['start']) || !isRecord(v['end'])) return undefined;
  const s = v['start'];
  const e = v['end'];
  if (!isNat(s['line']) || !isNat(s['character']) || !isNat(e['line']) || !isNat(e['character'])) return undefined;
  return { start: { line: s['line'], character: s['character'] }, end: { line: e['line'], character: e['character'] } };
}

function location(v: unknown): WireLocation | undefined {
  if (!isRecord(v) || !isStr(v['uri'])) return undefined;
  const r = range(v['range']);
  return r === undefined ? undefined : { uri: v['uri'], range: r };
}

function exposureEntry(v: unknown): PanelExposureEntry | undefined {
  if (!isRecord(v)) return undefined;
  const { workload, peer, peerKind, label, verdict, reason } = v;
  if (!isStr(workload) || !isStr(peer) || !isStr(label)) return undefined;
  if (peerKind !== 'entire-cluster' && peerKind !== 'representative' && peerKind !== 'external') return undefined;
  if (verdict !== 'allowed' && verdict !== 'undefined') return undefined;
  if (reason !== undefined && !isStr(reason)) return undefined;
  return { workload, peer, peerKind, label, verdict, ...(isStr(reason) ? { reason } : {}) };
}

function panelExposure(v: unknown): PanelExposure | undefined {
  if (!isRecord(v)) return undefined;
  const egress = listOf(v['egress'], exposureEntry);
  const ingress = listOf(v['ingress'], exposureEntry);
  const unprotected = listOf(v['unprotected'], (u): { workload: string; direction: 'Ingress' | 'Egress' } | undefined => {
    if (!isRecord(u) || !isStr(u['workload'])) return undefined;
    const d = u['direction'];
    return d === 'Ingress' || d === 'Egress' ? { workload: u['workload'], direction: d } : undefined;
  });
  if (egress === undefined || ingress === undefined || unprotected === undefined) return undefined;
  return { egress, ingress, unprotected };
}

function probe(v: unknown): ExplainProbe | undefined {
  if (!isRecord(v) || !isStr(v['from']) || !isStr(v['to']) || !isNat(v['port'])) return undefined;
  if (v['protocol'] !== undefined && !isStr(v['protocol'])) return undefined;
  return { from: v['from'], to: v['to'], port: v['port'], ...(isStr(v['protocol']) ? { protocol: v['protocol'] } : {}) };
}

function decision(v: unknown): ExplainDecision | undefined {
  if (
    !isRecord(v) ||
    !isStr(v['file']) ||
    !isNat(v['line']) ||
    !isStr(v['policy']) ||
    !isStr(v['rule']) ||
    (v['direction'] !== 'ingress' && v['direction'] !== 'egress')
  )
    return undefined;
  const loc = location(v['location']);
  if (loc === undefined) return undefined;
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
    location: loc,
  };
}

function probeResult(v: unknown): ExplainProbeResult | undefined {
  if (!isRecord(v) || !isStr(v['reason'])) return undefined;
  const a = v['allowed'];
  if (!(a === null || isBool(a))) return undefined;
  const decidedBy = listOf(v['decidedBy'], decision);
  return decidedBy === undefined ? undefined : { allowed: a, reason: v['reason'], decidedBy };
}

const EMPTY_FILTERS: PanelFilters = { namespace: '', label: '', port: '', onlyDenied: false, policy: '' };

/** The webview's saved state (getState): anything malformed falls back to defaults. */
export function parsePersisted(v: unknown): PanelPersistedState | undefined {
  if (!isRecord(v)) return undefined;
  const f = isRecord(v['filters']) ? v['filters'] : {};
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

const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1e6;

/** A namespace's layout for elkjs (at most 2,000 boxes and 5,000 connections, options as strings). */
function layoutGraph(v: unknown): LayoutGraph | undefined {
  if (!isRecord(v) || !isStr(v['id']) || !isRecord(v['layoutOptions'])) return undefined;
  const options: Record<string, string> = {};
  for (const [k, o] of Object.entries(v['layoutOptions'])) {
    if (!isStr(o)) return undefined;
    options[k] = o;
  }
  const children = v['children'];
  const edges = v['edges'];
  if (!Array.isArray(children) || !Array.isArray(edges) || children.length > 2000 || edges.length > 5000) return undefined;
  const boxes: Array<LayoutGraph['children'][number]> = [];
  for (const c of children as unknown[]) {
    if (!isRecord(c) || !isStr(c['id']) || !isSize(c['width']) || !isSize(c['height'])) return undefined;
    boxes.push({ id: c['id'], width: c['width'], height: c['height'] });
  }
  const ids = (x: unknown): string[] | undefined => (Array.isArray(x) && x.every(isStr) ? [...x] : undefined);
  const lines: Array<LayoutGraph['edges'][number]> = [];
  for (const e of edges as unknown[]) {
    const sources = isRecord(e) ? ids(e['sources']) : undefined;
    const targets = isRecord(e) ? ids(e['targets']) : undefined;
    if (!isRecord(e) || !isStr(e['id']) || sources === undefined || targets === undefined) return undefined;
    lines.push({ id: e['id'], sources, targets });
  }
  return { id: v['id'], layoutOptions: options, children: boxes, edges: lines };
}

export function parseHostMessage(raw: unknown): HostMessage | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw['kind']) {
    case 'model': {
      const model = unpackModel(raw['model']);
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
    case 'layout': {
      const graph = layoutGraph(raw['graph']);
      return !isNat(raw['requestId']) || graph === undefined ? undefined : { kind: 'layout', requestId: raw['requestId'], graph };
    }
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
