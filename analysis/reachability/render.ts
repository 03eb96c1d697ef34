/**
 * Renderers of `kube-reach reach` (docs/dev/design.md §6), shared by the CLI, the server and the tests: text
 * (netpol-analyzer's connlist format) and JSON, and the rows and graph the CLI writes as CSV, DOT
 * and Mermaid with protocol/graphText.ts (the panel's Export writes the same text).
 */

import type { Bits } from './bitset.js';
import { isEmpty } from './bitset.js';
import type { NodeInfo } from './engine.js';
import type { PortSpace } from './ports.js';
import { formatConns } from './ports.js';
import type { Connection, ReachResult } from './connectionList.js';

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
    if (!isEmpty(c.undefined))
      out.push({ from: c.from, to: c.to, ports: c.undefined, verdict: 'undefined', reason: c.reasons.join('; ') || 'undefined' });
  }
  return out;
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function renderText(space: PortSpace, r: ReachResult): string {
  const out = lines(r.connections).map(
    (l) => `${l.from} => ${l.to} : ${formatConns(space, l.ports)}${l.verdict === 'undefined' ? ` (undefined: ${l.reason ?? ''})` : ''}`,
  );
  out.sort(byteCompare);
  return out.map((l) => l + '\n').join('');
}

/** Ports as `reach --format json` prints them: `all`, or protocol/port(/endPort) ranges. */
export function jsonPorts(space: PortSpace, ports: Bits): 'all' | Array<{ protocol: string; port: number; endPort?: number }> {
  if (space.isAll(ports)) return 'all';
  return space
    .ranges(ports)
    .map((p) =>
      p.port === p.endPort ? { protocol: p.protocol, port: p.port } : { protocol: p.protocol, port: p.port, endPort: p.endPort },
    );
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
    nodes: usedNodes(r, filterNamespace).map((n) => ({
      id: n.id,
      namespace: n.namespace ?? null,
      kind: n.kind,
      name: n.name,
      labels: n.labels,
    })),
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

/** The CSV rows of `reach --format csv` (header first), fields unescaped: one per port range. */
export function reachCsvRows(space: PortSpace, r: ReachResult): string[][] {
  const rows = [['from', 'to', 'protocol', 'port', 'endPort', 'verdict']];
  for (const l of lines(r.connections)) {
    for (const p of space.ranges(l.ports))
      rows.push([l.from, l.to, p.protocol, String(p.port), p.endPort === p.port ? '' : String(p.endPort), l.verdict]);
  }
  return rows;
}

/** The graph of `reach --format dot|mermaid`: the nodes used, and an edge per connection line. */
export function reachGraph(
  space: PortSpace,
  r: ReachResult,
  filterNamespace?: string,
): { nodes: Array<{ id: string }>; edges: Array<{ from: string; to: string; label: string; undefinedVerdict: boolean }> } {
  return {
    nodes: usedNodes(r, filterNamespace).map((n) => ({ id: n.id })),
    edges: lines(r.connections).map((l) => ({
      from: l.from,
      to: l.to,
      label: formatConns(space, l.ports),
      undefinedVerdict: l.verdict === 'undefined',
    })),
  };
}
