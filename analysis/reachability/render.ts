/**
 * Renderers of `kube-reach reach` (design §6), shared by the CLI, the server and the tests:
 * text (netpol-analyzer's connlist format), JSON, CSV, DOT and Mermaid.
 */

import type { Bits } from './bitset.js';
import { isEmpty } from './bitset.js';
import type { NodeInfo } from './engine.js';
import type { PortSpace } from './ports.js';
import { formatConns } from './ports.js';
import type { Connection, ReachResult } from './reach.js';

export type ReachFormat = 'text' | 'json' | 'csv' | 'dot' | 'mermaid';

interface Line {
  readonly from: string;
  readonly to: string;
  readonly ports: Bits;
  readonly verdict: 'allowed' | 'undefined';
  readonly reason: string | undefined;
}

function lines(connections: readonly Connection[]): Line[] {
  const out: Line[] = [];
  for (const c of connections) {
    if (!isEmpty(c.allowed)) out.push({ from: c.from, to: c.to, ports: c.allowed, verdict: 'allowed', reason: undefined });
    if (!isEmpty(c.undefined)) out.push({ from: c.from, to: c.to, ports: c.undefined, verdict: 'undefined', reason: c.reasons.join('; ') || 'undefined' });
  }
  return out;
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function renderText(space: PortSpace, r: ReachResult): string {
  const out = lines(r.connections).map((l) => `${l.from} => ${l.to} : ${formatConns(space, l.ports)}${l.verdict === 'undefined' ? ` (undefined: ${l.reason ?? ''})` : ''}`);
  out.sort(byteCompare);
  return out.map((l) => l + '\n').join('');
}

function jsonPorts(space: PortSpace, ports: Bits): 'all' | Array<{ protocol: string; port: number; endPort?: number }> {
  if (space.isAll(ports)) return 'all';
  return space.ranges(ports).map((p) => (p.port === p.endPort ? { protocol: p.protocol, port: p.port } : { protocol: p.protocol, port: p.port, endPort: p.endPort }));
}

function usedNodes(r: ReachResult, filterNamespace: string | undefined): NodeInfo[] {
  if (filterNamespace === undefined) return [...r.nodes];
  const used = new Set<string>();
  for (const c of r.connections) {
    used.add(c.from);
    used.add(c.to);
  }
  return r.nodes.filter((n) => n.namespace === filterNamespace || used.has(n.id));
}

export function reachJson(space: PortSpace, r: ReachResult, filterNamespace?: string): unknown {
  return {
    nodes: usedNodes(r, filterNamespace).map((n) => ({ id: n.id, namespace: n.namespace ?? null, kind: n.kind, name: n.name, labels: n.labels })),
    connections: lines(r.connections).map((l) => ({
      from: l.from,
      to: l.to,
      ports: jsonPorts(space, l.ports),
      verdict: l.verdict,
      ...(l.reason !== undefined ? { reason: l.reason } : {}),
    })),
  };
}

export function renderJson(space: PortSpace, r: ReachResult, filterNamespace?: string): string {
  return JSON.stringify(reachJson(space, r, filterNamespace), null, 2) + '\n';
}

/** The same escaping as the panel's CSV export (webview/export.ts): quotes, and no spreadsheet formulas. */
export function csvField(s: string): string {
  const t = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r']/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function renderCsv(space: PortSpace, r: ReachResult): string {
  const rows = ['from,to,protocol,port,endPort,verdict'];
  for (const l of lines(r.connections)) {
    for (const p of space.ranges(l.ports)) {
      rows.push([csvField(l.from), csvField(l.to), p.protocol, String(p.port), p.endPort === p.port ? '' : String(p.endPort), l.verdict].join(','));
    }
  }
  return rows.join('\n') + '\n';
}

// The panel's exporter (webview/export.ts) keeps its own copy of this id scheme and of the escaping
// below: the webview imports protocol/ types only, so the two are kept in step by the golden files
// test/fixtures/reachability/cli/reach.expected.* and test/webview/component.test.ts.
function sanitizedIds(nodes: readonly NodeInfo[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const n of nodes) {
    let base = n.id.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = 'n_' + base;
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    out.set(n.id, id);
  }
  return out;
}

export function renderDot(space: PortSpace, r: ReachResult, filterNamespace?: string): string {
  const nodes = usedNodes(r, filterNamespace);
  const ids = sanitizedIds(nodes);
  const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  const out = ['digraph reach {', '  rankdir=LR;'];
  for (const n of nodes) out.push(`  ${ids.get(n.id) ?? ''} [label="${esc(n.id)}"];`);
  for (const l of lines(r.connections)) {
    const label = formatConns(space, l.ports) + (l.verdict === 'undefined' ? ' (undefined)' : '');
    out.push(`  ${ids.get(l.from) ?? ''} -> ${ids.get(l.to) ?? ''} [label="${esc(label)}"${l.verdict === 'undefined' ? ', style=dashed' : ''}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

export function renderMermaid(space: PortSpace, r: ReachResult, filterNamespace?: string): string {
  const nodes = usedNodes(r, filterNamespace);
  const ids = sanitizedIds(nodes);
  const esc = (s: string): string => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
  const out = ['flowchart LR'];
  for (const n of nodes) out.push(`  ${ids.get(n.id) ?? ''}["${esc(n.id)}"]`);
  for (const l of lines(r.connections)) {
    const label = esc(formatConns(space, l.ports) + (l.verdict === 'undefined' ? ' (undefined)' : ''));
    out.push(`  ${ids.get(l.from) ?? ''} ${l.verdict === 'undefined' ? '-.->' : '-->'}|"${label}"| ${ids.get(l.to) ?? ''}`);
  }
  return out.join('\n') + '\n';
}

export function renderReach(format: ReachFormat, space: PortSpace, r: ReachResult, filterNamespace?: string): string {
  switch (format) {
    case 'text':
      return renderText(space, r);
    case 'json':
      return renderJson(space, r, filterNamespace);
    case 'csv':
      return renderCsv(space, r);
    case 'dot':
      return renderDot(space, r, filterNamespace);
    case 'mermaid':
      return renderMermaid(space, r, filterNamespace);
  }
}
