/**
 * Export of the current view (filters applied): Mermaid, DOT and CSV like `kube-reach reach`, and
 * a standalone SVG of the laid-out graph with fixed colours. Pure: every manifest string is
 * escaped for its format.
 */

import type { GraphTextEdge, GraphTextNode } from '../protocol/graphText.js';
import { csvField, dotText, mermaidText } from '../protocol/graphText.js';
import type { ExportFormat, PanelEdge, PanelLayout, PanelNode } from '../protocol/panel.js';
import { GROUP_LABEL_BASELINE } from './graph.js';

function graphOf(nodes: readonly PanelNode[], edges: readonly PanelEdge[]): { nodes: GraphTextNode[]; edges: GraphTextEdge[] } {
  return {
    nodes: nodes.map((n) => ({ id: n.id, cluster: n.namespace })),
    edges: edges.map((e) => ({ from: e.from, to: e.to, label: e.label, undefinedVerdict: e.verdict === 'undefined' })),
  };
}

/** Mermaid as `kube-reach reach --format mermaid` writes it (protocol/graphText.ts). */
export function toMermaid(nodes: readonly PanelNode[], edges: readonly PanelEdge[]): string {
  const g = graphOf(nodes, edges);
  return mermaidText(g.nodes, g.edges);
}

/** DOT as `kube-reach reach --format dot` writes it, with a cluster per namespace. */
export function toDot(nodes: readonly PanelNode[], edges: readonly PanelEdge[]): string {
  const g = graphOf(nodes, edges);
  return dotText(g.nodes, g.edges);
}

export function toCsv(edges: readonly PanelEdge[]): string {
  const rows = ['from,to,protocol,port,endPort,verdict,reason'];
  for (const e of edges) {
    const reason = csvField(e.reason ?? '');
    if (e.ports === 'all') {
      for (const p of ['TCP', 'UDP', 'SCTP']) rows.push([csvField(e.from), csvField(e.to), p, '1', '65535', e.verdict, reason].join(','));
      continue;
    }
    for (const p of e.ports)
      rows.push(
        [
          csvField(e.from),
          csvField(e.to),
          p.protocol,
          String(p.port),
          p.endPort === undefined || p.endPort === p.port ? '' : String(p.endPort),
          e.verdict,
          reason,
        ].join(','),
      );
  }
  return rows.join('\n') + '\n';
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** The point where the segment from the box centre towards (tx, ty) leaves the box. */
export function clip(b: { x: number; y: number; width: number; height: number }, tx: number, ty: number): { x: number; y: number } {
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const sx = dx === 0 ? Infinity : b.width / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : b.height / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: cx + dx * s, y: cy + dy * s };
}

export function toSvg(nodes: readonly PanelNode[], edges: readonly PanelEdge[], layout: PanelLayout | null): string {
  if (layout === null)
    return '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="8" y="24">Too many workloads for a graph: export CSV instead.</text></svg>\n';
  const keep = new Set(nodes.map((n) => n.id));
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(layout.width + 20)}" height="${Math.ceil(layout.height + 20)}" viewBox="-10 -10 ${Math.ceil(layout.width + 20)} ${Math.ceil(layout.height + 20)}" font-family="sans-serif" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>',
    '<rect x="-10" y="-10" width="100%" height="100%" fill="#ffffff"/>',
  ];
  for (const g of layout.groups) {
    out.push(
      `<g><rect x="${g.x}" y="${g.y}" width="${g.width}" height="${g.height}" rx="6" fill="#f3f3f3" stroke="#bbbbbb"/><text x="${g.x + 10}" y="${g.y + GROUP_LABEL_BASELINE}" font-weight="bold">${escapeXml(g.name)}</text></g>`,
    );
  }
  for (const e of edges) {
    const a = layout.nodes[e.from];
    const b = layout.nodes[e.to];
    if (a === undefined || b === undefined || !keep.has(e.from) || !keep.has(e.to) || e.from === e.to) continue;
    const p = clip(a, b.x + b.width / 2, b.y + b.height / 2);
    const q = clip(b, a.x + a.width / 2, a.y + a.height / 2);
    const dash = e.verdict === 'undefined' ? ' stroke-dasharray="6 4"' : '';
    const colour = e.verdict === 'undefined' ? '#b26b00' : '#2e7d32';
    out.push(
      `<g><line x1="${p.x.toFixed(1)}" y1="${p.y.toFixed(1)}" x2="${q.x.toFixed(1)}" y2="${q.y.toFixed(1)}" stroke="${colour}"${dash} marker-end="url(#arrow)"/><text x="${((p.x + q.x) / 2).toFixed(1)}" y="${((p.y + q.y) / 2 - 3).toFixed(1)}" font-size="10" text-anchor="middle" fill="#333">${escapeXml(e.label)}</text></g>`,
    );
  }
  for (const n of nodes) {
    const b = layout.nodes[n.id];
    if (b === undefined) continue;
    const fill = n.entry ? '#e3f2fd' : n.unreachable && n.isolatedIngress ? '#fdecea' : '#ffffff';
    out.push(
      `<g><title>${escapeXml(
        `${n.kind} ${n.id}\n${Object.entries(n.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')}`,
      )}</title><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="4" fill="${fill}" stroke="#555555"/><text x="${b.x + 8}" y="${b.y + 16}" font-size="10" fill="#666">${escapeXml(n.kind)}</text><text x="${b.x + 8}" y="${b.y + 33}" fill="#111">${escapeXml(n.name)}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

export function exportView(
  format: ExportFormat,
  nodes: readonly PanelNode[],
  edges: readonly PanelEdge[],
  layout: PanelLayout | null,
): string {
  switch (format) {
    case 'mermaid':
      return toMermaid(nodes, edges);
    case 'dot':
      return toDot(nodes, edges);
    case 'csv':
      return toCsv(edges);
    case 'svg':
      return toSvg(nodes, edges, layout);
  }
}
