/**
 * elkjs's output for one namespace, read as untrusted data: it comes back from the webview's
 * worker (webview/layoutWorker.ts) as a message. Only what the layout uses is kept (each box's
 * place and size, each connection's first section's points), and only for the boxes and
 * connections the host asked for; anything else malformed makes the whole answer unusable (the
 * host then runs elkjs itself). No vscode import: tested in Node.
 */

import { isRecord } from '../../protocol/narrow.js';
import type { LayoutGraph } from '../../protocol/webviewMessages.js';

export interface ElkPoint {
  readonly x: number;
  readonly y: number;
}

export interface ElkOutput {
  readonly children: ReadonlyArray<{
    readonly id: string;
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
  }>;
  readonly edges: ReadonlyArray<{
    readonly id: string;
    readonly section?: { readonly startPoint: ElkPoint; readonly endPoint: ElkPoint; readonly bendPoints: readonly ElkPoint[] };
  }>;
}

const LIMIT = 1e7;

function num(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < LIMIT;
}

function point(v: unknown): ElkPoint | undefined {
  return isRecord(v) && num(v['x']) && num(v['y']) ? { x: v['x'], y: v['y'] } : undefined;
}

/** The boxes and routes of elkjs's answer to `asked`, or undefined when it is not one. */
export function readElkOutput(v: unknown, asked: LayoutGraph): ElkOutput | undefined {
  if (!isRecord(v) || !Array.isArray(v['children'])) return undefined;
  const sizes = new Map(asked.children.map((c) => [c.id, c] as const));
  const children: Array<ElkOutput['children'][number]> = [];
  const seen = new Set<string>();
  for (const c of v['children'] as unknown[]) {
    if (!isRecord(c) || typeof c['id'] !== 'string' || !num(c['x']) || !num(c['y'])) return undefined;
    const size = sizes.get(c['id']);
    if (size === undefined || seen.has(c['id'])) return undefined;
    seen.add(c['id']);
    children.push({ id: c['id'], x: c['x'], y: c['y'], width: size.width, height: size.height });
  }
  if (children.length !== asked.children.length) return undefined;
  const edgeIds = new Set(asked.edges.map((e) => e.id));
  const edges: Array<ElkOutput['edges'][number]> = [];
  const list = v['edges'] ?? [];
  if (!Array.isArray(list)) return undefined;
  for (const e of list as unknown[]) {
    if (!isRecord(e) || typeof e['id'] !== 'string' || !edgeIds.has(e['id'])) return undefined;
    const sections = e['sections'];
    if (sections === undefined) {
      edges.push({ id: e['id'] });
      continue;
    }
    if (!Array.isArray(sections)) return undefined;
    const s: unknown = sections[0];
    if (s === undefined) {
      edges.push({ id: e['id'] });
      continue;
    }
    if (!isRecord(s)) return undefined;
    const startPoint = point(s['startPoint']);
    const endPoint = point(s['endPoint']);
    const rawBends = s['bendPoints'] ?? [];
    if (startPoint === undefined || endPoint === undefined || !Array.isArray(rawBends) || rawBends.length > 10_000) return undefined;
    const bendPoints: ElkPoint[] = [];
    for (const b of rawBends as unknown[]) {
      const p = point(b);
      if (p === undefined) return undefined;
      bendPoints.push(p);
    }
    edges.push({ id: e['id'], section: { startPoint, endPoint, bendPoints } });
  }
  return { children, edges };
}
