/**
 * `kubeReach/workspaceOverview` (protocol/overview.ts): per namespace, the workloads and
 * Services, and which workloads each Service selects on which ports (analysis/ide/overview.ts
 * computes from one snapshot; this file converts spans to LSP locations).
 */

import type { Connection } from 'vscode-languageserver';
import type { Analysis } from '../../analysis/index.js';
import { OverviewMemory, workspaceOverview } from '../../analysis/index.js';
import { WORKSPACE_OVERVIEW_METHOD, type WorkspaceOverview } from '../../protocol/overview.js';
import { withWireLocation } from '../convert.js';
import type { WireOf } from '../convert.js';
import { answer } from './answer.js';
import { PerSnapshot } from './reachability.js';
import type { GetAnalysis } from './answer.js';

/** The overview of one analysis snapshot, as the client receives it. */
export function buildOverview(
  analysis: Analysis,
  memory?: OverviewMemory,
): WireOf<{ readonly namespaces: ReturnType<typeof workspaceOverview> }, WorkspaceOverview> {
  return {
    namespaces: workspaceOverview(analysis, memory).map((ns) => ({
      ...ns,
      workloads: ns.workloads.map((w) => withWireLocation(analysis, w)),
      services: ns.services.map((s) => withWireLocation(analysis, s)),
    })),
  };
}

/** Answers `kubeReach/workspaceOverview` from the current analysis snapshot. */
export function registerOverviewHandler(connection: Connection, getAnalysis: GetAnalysis): void {
  // One overview per snapshot: the panel opened again on it does not compute it again.
  const answers = new PerSnapshot();
  // The last overview's rows per namespace: an edit recomputes only the namespaces it touched.
  const memory = new OverviewMemory();
  // The answer type is spelled out (the error data is vscode-jsonrpc's `void`): TypeScript 7 infers
  // `ResponseError` from `answer`'s `T | ResponseError` where TypeScript 6 infers `T`.
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
  connection.onRequest<WorkspaceOverview, void>(WORKSPACE_OVERVIEW_METHOD, (_params: unknown, token) =>
    answer<WorkspaceOverview>(WORKSPACE_OVERVIEW_METHOD, token, getAnalysis, (a) =>
      answers.get(a, 'overview', () => buildOverview(a, memory)),
    ),
  );
}
