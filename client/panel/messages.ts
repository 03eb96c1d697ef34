/** Validation of what the webview sends: it is untrusted input (protocol/webviewMessages.ts). */

import type { WireLocation, WirePosition } from '../../protocol/lsp.js';
import type { WebviewMessage } from '../../protocol/webviewMessages.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e9;
}

function position(v: unknown): WirePosition | undefined {
  if (!isRecord(v) || !isCount(v['line']) || !isCount(v['character'])) return undefined;
  return { line: v['line'], character: v['character'] };
}

function location(v: unknown): WireLocation | undefined {
  if (!isRecord(v) || typeof v['uri'] !== 'string' || !isRecord(v['range'])) return undefined;
  const start = position(v['range']['start']);
  const end = position(v['range']['end']);
  if (start === undefined || end === undefined) return undefined;
  return { uri: v['uri'], range: { start, end } };
}

/** Returns the message when it is well-formed, else undefined (and the host ignores it). */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw['kind']) {
    case 'ready':
      return { kind: 'ready' };
    case 'refresh':
      return { kind: 'refresh' };
    case 'open': {
      const loc = location(raw['location']);
      return loc === undefined ? undefined : { kind: 'open', location: loc };
    }
    case 'rendered': {
      const { namespaces, workloads, services } = raw;
      if (!isCount(namespaces) || !isCount(workloads) || !isCount(services)) return undefined;
      return { kind: 'rendered', namespaces, workloads, services };
    }
    default:
      return undefined;
  }
}
