/**
 * The reachability requests (docs/protocol.md): `kubeReach/reachability` (the JSON of
 * `kube-reach reach --format json` plus `location` on nodes), `kubeReach/explain` (the JSON of
 * `kube-reach explain --format json` plus `location` on `decidedBy` entries) and the panel's
 * `kubeReach/reachabilityContext` (protocol/reachability.ts). analysis/ide/panelReach.ts and
 * panelContext.ts compute; this file converts spans to LSP locations. One `ReachabilityMemory`
 * per server keeps an engine per snapshot and unit, so the panel's follow-up requests reuse it.
 */

import type { Connection } from 'vscode-languageserver';
import type { Analysis } from '../../analysis/index.js';
import { ReachabilityMemory, isRecord, panelContext, panelExplain, panelGraph } from '../../analysis/index.js';
import type { ExplainResult, ReachabilityParams, ReachabilityResult } from '../../protocol/lsp.js';
import { EXPLAIN_METHOD, REACHABILITY_METHOD } from '../../protocol/lsp.js';
import type { ReachabilityContext, ReachabilityContextParams } from '../../protocol/reachability.js';
import { REACHABILITY_CONTEXT_METHOD } from '../../protocol/reachability.js';
import { toWireLocation, withWireLocation } from '../convert.js';
import type { WireOf } from '../convert.js';
import { notedFiles, readableNotes } from '../notes.js';
import { answer } from './answer.js';
import type { GetAnalysis } from './answer.js';

/** The reachability result for the panel and `kubeReach/reachability`. */
export function buildReachability(
  analysis: Analysis,
  params: ReachabilityParams = {},
  memory = new ReachabilityMemory(),
): WireOf<ReturnType<typeof panelGraph>, ReachabilityResult> {
  const g = panelGraph(analysis, params, memory);
  return {
    nodes: g.nodes.map(({ location, ...n }) => (location === undefined ? n : { ...n, location: toWireLocation(analysis, location) })),
    connections: g.connections,
  };
}

/** Explains probes; an endpoint that names nothing gives `allowed: null` with the reason. */
export function buildExplain(
  analysis: Analysis,
  params: unknown,
  memory = new ReachabilityMemory(),
): WireOf<{ readonly results: ReturnType<typeof panelExplain> }, ExplainResult> {
  const results = panelExplain(analysis, params, memory).map((r) => ({
    ...r,
    decidedBy: r.decidedBy.map((d) => withWireLocation(analysis, d)),
  }));
  return { results };
}

/**
 * Policies, variant units, Ingress and Gateway API routes and the notes for the panel; the notes' files
 * written as paths relative to the workspace folder (`roots`) that holds them, as `reach` run there prints them,
 * and listed with their URIs (`noteFiles`).
 */
export function buildContext(
  analysis: Analysis,
  params: ReachabilityContextParams = {},
  memory = new ReachabilityMemory(),
  roots: readonly string[] = [],
): ReachabilityContext {
  const c = panelContext(analysis, params, memory);
  const context: WireOf<ReturnType<typeof panelContext>, Omit<ReachabilityContext, 'noteFiles'>> = {
    policies: c.policies.map((r) => withWireLocation(analysis, r)),
    units: c.units,
    ingressRoutes: c.ingressRoutes.map((r) => withWireLocation(analysis, r)),
    gatewayRoutes: c.gatewayRoutes.map((r) => withWireLocation(analysis, r)),
    notes: readableNotes(c.notes, roots),
  };
  // The files the notes name (a policy defined twice, its two files), so the panel can open them.
  const noteFiles = notedFiles(c.notes, roots, (uri) => analysis.index.files.has(uri));
  return noteFiles.length === 0 ? context : { ...context, noteFiles };
}

/** Answers kept per snapshot (weakly: a snapshot no longer used takes its answers with it). */
export class PerSnapshot {
  private readonly byAnalysis = new WeakMap<Analysis, Map<string, unknown>>();

  get<T>(analysis: Analysis, key: string, make: () => T): T {
    let m = this.byAnalysis.get(analysis);
    if (m === undefined) this.byAnalysis.set(analysis, (m = new Map()));
    if (m.has(key)) return m.get(key) as T;
    const v = make();
    m.set(key, v);
    return v;
  }
}

function optString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function reachParams(v: unknown): ReachabilityParams {
  if (!isRecord(v)) return {};
  const namespace = optString(v['namespace']);
  const unit = optString(v['unit']);
  return { ...(namespace !== undefined ? { namespace } : {}), ...(unit !== undefined ? { unit } : {}) };
}

/** Registers the three requests on `connection`; `roots`, the workspace folders (paths) the notes' files are written relative to. */
export function registerReachabilityHandlers(
  connection: Connection,
  getAnalysis: GetAnalysis,
  roots: () => readonly string[] = () => [],
): void {
  const memory = new ReachabilityMemory();
  // The answers per snapshot and parameters: the panel opened again, or a second panel, on the
  // same snapshot gets them without computing or converting them again.
  const answers = new PerSnapshot();
  connection.onRequest(REACHABILITY_METHOD, (params: unknown, token) =>
    answer<ReachabilityResult>(REACHABILITY_METHOD, token, getAnalysis, (a) => {
      const p = reachParams(params);
      return answers.get(a, `reach\u0000${p.namespace ?? ''}\u0000${p.unit ?? ''}`, () => buildReachability(a, p, memory));
    }),
  );
  connection.onRequest(EXPLAIN_METHOD, (params: unknown, token) =>
    answer<ExplainResult>(EXPLAIN_METHOD, token, getAnalysis, (a) => buildExplain(a, params, memory)),
  );
  connection.onRequest(REACHABILITY_CONTEXT_METHOD, (params: unknown, token) => {
    const { unit } = reachParams(params);
    // `allows: false`: the policies without what each allows (the panel's first paint).
    const allows = !(isRecord(params) && params['allows'] === false);
    return answer<ReachabilityContext>(REACHABILITY_CONTEXT_METHOD, token, getAnalysis, (a) =>
      answers.get(a, `context\u0000${unit ?? ''}\u0000${allows ? 'allows' : ''}`, () =>
        buildContext(a, { ...(unit !== undefined ? { unit } : {}), ...(allows ? {} : { allows: false }) }, memory, roots()),
      ),
    );
  });
}
