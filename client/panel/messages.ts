/** Validation of what the webview sends: it is untrusted input (protocol/webviewMessages.ts). */

import type { ExplainProbe, WireLocation, WirePosition } from '../../protocol/lsp.js';
import {
  EXPORT_FORMATS,
  PANEL_VIEWS,
  type ExportFormat,
  type PanelFilters,
  type PanelPersistedState,
  type PanelScope,
  type PanelView,
} from '../../protocol/panel.js';
import type { WebviewMessage } from '../../protocol/webviewMessages.js';
import { isRecord } from '../../protocol/narrow.js';

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e9;
}

const isShortString = (v: unknown, max = 1024): v is string => typeof v === 'string' && v.length <= max;

function position(v: unknown): WirePosition | undefined {
  if (!isRecord(v) || !isCount(v['line']) || !isCount(v['character'])) return undefined;
  return { line: v['line'], character: v['character'] };
}

function location(v: unknown): WireLocation | undefined {
  if (!isRecord(v) || !isShortString(v['uri'], 4096) || !isRecord(v['range'])) return undefined;
  const start = position(v['range']['start']);
  const end = position(v['range']['end']);
  if (start === undefined || end === undefined) return undefined;
  return { uri: v['uri'], range: { start, end } };
}

/** A scope from the webview or from saved state; unknown fields are dropped. */
export function parseScope(v: unknown): PanelScope | undefined {
  if (!isRecord(v)) return undefined;
  const { namespace, unit } = v;
  if (namespace !== undefined && !isShortString(namespace, 253)) return undefined;
  if (unit !== undefined && !isShortString(unit, 4096)) return undefined;
  return { ...(namespace !== undefined && namespace !== '' ? { namespace } : {}), ...(unit !== undefined && unit !== '' ? { unit } : {}) };
}

function probe(v: unknown): ExplainProbe | undefined {
  if (!isRecord(v)) return undefined;
  const { from, to, port, protocol } = v;
  if (
    !isShortString(from, 600) ||
    !isShortString(to, 600) ||
    !(typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535)
  )
    return undefined;
  if (protocol !== undefined && !(protocol === 'TCP' || protocol === 'UDP' || protocol === 'SCTP')) return undefined;
  return { from, to, port, ...(protocol !== undefined ? { protocol } : {}) };
}

const isView = (v: unknown): v is PanelView => typeof v === 'string' && (PANEL_VIEWS as readonly string[]).includes(v);
const isFormat = (v: unknown): v is ExportFormat => typeof v === 'string' && (EXPORT_FORMATS as readonly string[]).includes(v);

/** Largest export accepted from the webview. */
export const MAX_EXPORT_CHARS = 32 * 1024 * 1024;

/** Returns the message when it is well-formed, else undefined (and the host ignores it). */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw['kind']) {
    case 'ready':
      return { kind: 'ready' };
    case 'refresh':
      return { kind: 'refresh' };
    case 'changes':
      return { kind: 'changes' };
    case 'open': {
      const loc = location(raw['location']);
      return loc === undefined ? undefined : { kind: 'open', location: loc };
    }
    case 'scope': {
      const scope = parseScope(raw['scope']);
      return scope === undefined ? undefined : { kind: 'scope', scope };
    }
    case 'explain': {
      const { requestId, probes } = raw;
      if (!isCount(requestId) || !Array.isArray(probes) || probes.length === 0 || probes.length > 16) return undefined;
      const out: ExplainProbe[] = [];
      for (const p of probes as unknown[]) {
        const q = probe(p);
        if (q === undefined) return undefined;
        out.push(q);
      }
      return { kind: 'explain', requestId, probes: out };
    }
    case 'exposure': {
      const { requestId } = raw;
      return isCount(requestId) ? { kind: 'exposure', requestId } : undefined;
    }
    case 'laid': {
      // The graph is read by the layout (client/panel/elkGraph.ts), against what was asked.
      const { requestId, graph, error } = raw;
      if (!isCount(requestId) || (error !== undefined && !isShortString(error, 2000))) return undefined;
      return { kind: 'laid', requestId, ...(graph !== undefined ? { graph } : {}), ...(typeof error === 'string' ? { error } : {}) };
    }
    case 'export': {
      const { format, content } = raw;
      if (!isFormat(format) || typeof content !== 'string' || content.length > MAX_EXPORT_CHARS) return undefined;
      return { kind: 'export', format, content };
    }
    case 'rendered': {
      const { view, revision, namespaces, workloads, services, nodes, edges, edgeKeys, summary, badges, aggregates, bundles } = raw;
      if (
        !isShortString(summary, 1000) ||
        !isCount(badges) ||
        !isCount(aggregates) ||
        !isCount(bundles) ||
        !isView(view) ||
        !isCount(revision) ||
        !isCount(namespaces) ||
        !isCount(workloads) ||
        !isCount(services) ||
        !isCount(nodes) ||
        !isCount(edges)
      )
        return undefined;
      if (!Array.isArray(edgeKeys) || edgeKeys.length > 500 || !(edgeKeys as unknown[]).every((k) => isShortString(k, 1300)))
        return undefined;
      return {
        kind: 'rendered',
        view,
        revision,
        namespaces,
        workloads,
        services,
        nodes,
        edges,
        edgeKeys: edgeKeys as string[],
        summary,
        badges,
        aggregates,
        bundles,
      };
    }
    default:
      return undefined;
  }
}

const EMPTY_FILTERS: PanelFilters = { namespace: '', label: '', port: '', onlyDenied: false, policy: '' };

/** Narrows the state VS Code hands the serializer after a reload (saved by the webview). */
export function parsePersistedState(v: unknown): PanelPersistedState | undefined {
  if (!isRecord(v)) return undefined;
  const scope = parseScope(v['scope']) ?? {};
  const view: PanelView = isView(v['view']) ? v['view'] : 'graph';
  const f = isRecord(v['filters']) ? v['filters'] : {};
  const str = (x: unknown): string => (isShortString(x, 1024) ? x : '');
  const filters: PanelFilters = {
    ...EMPTY_FILTERS,
    namespace: str(f['namespace']),
    label: str(f['label']),
    port: str(f['port']),
    onlyDenied: f['onlyDenied'] === true,
    policy: str(f['policy']),
  };
  return { view, filters, scope };
}
