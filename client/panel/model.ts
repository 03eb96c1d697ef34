/**
 * Builds the panel model (protocol/panel.ts) from the server's answers. Pure (no vscode): the
 * panel host calls it, and tests and the panel benchmark call it directly.
 */

import type { ReachabilityResult } from '../../protocol/lsp.js';
import type { WorkspaceOverview } from '../../protocol/overview.js';
import type { PanelEdge, PanelModel, PanelNode, PanelPortRange, PanelScope, PanelView } from '../../protocol/panel.js';
import type { ReachabilityContext } from '../../protocol/reachability.js';
import { portsLabel } from '../../protocol/packedModel.js';
import { GRAPH_NODE_LIMIT, layoutGraphWith } from './layout.js';

export interface ModelInput {
  readonly reach: ReachabilityResult;
  readonly context: ReachabilityContext;
  readonly overview: WorkspaceOverview;
  readonly scope: PanelScope;
  readonly revision: number;
  /**
   * `fast`: groups elkjs has not laid out yet get an instant grid (the first paint), and
   * `layoutPending` says a `full` build would refine them. Default `full`.
   */
  readonly layout?: 'fast' | 'full';
}

export async function buildPanelModel(input: ModelInput): Promise<PanelModel> {
  return (await buildPanelModelWith(input)).model;
}

export async function buildPanelModelWith(input: ModelInput): Promise<{ model: PanelModel; layoutPending: boolean }> {
  const { reach, context, overview, scope } = input;
  const isolatedIn = new Set<string>();
  const isolatedEg = new Set<string>();
  for (const p of context.policies) {
    for (const id of p.selects) {
      if (p.ingress) isolatedIn.add(id);
      if (p.egress) isolatedEg.add(id);
    }
  }
  const reached = new Set<string>();
  for (const c of reach.connections) if (c.from !== c.to) reached.add(c.to);
  const portsOf = new Map<string, PanelPortRange[]>();
  for (const ns of overview.namespaces) {
    for (const w of ns.workloads)
      portsOf.set(
        w.id,
        w.ports.map((p) => ({ protocol: p.protocol, port: p.containerPort })),
      );
  }
  const nodes: PanelNode[] = reach.nodes.map((n) => {
    const entry = n.kind === 'External' || n.id.startsWith('{') || n.namespace === '';
    return {
      id: n.id,
      namespace: n.namespace,
      kind: n.kind,
      name: n.name,
      labels: n.labels,
      ...(n.location !== undefined ? { location: n.location } : {}),
      entry,
      isolatedIngress: isolatedIn.has(n.id),
      isolatedEgress: isolatedEg.has(n.id),
      unreachable: !entry && !reached.has(n.id),
      ports: portsOf.get(n.id) ?? [],
    };
  });
  const edges: PanelEdge[] = reach.connections.map((c) => ({
    from: c.from,
    to: c.to,
    ports: c.ports,
    label: portsLabel(c.ports),
    verdict: c.verdict,
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
  }));
  const workloads = nodes.filter((n) => !n.entry).length;
  const outcome = nodes.length <= GRAPH_NODE_LIMIT ? await layoutGraphWith(nodes, edges, input.layout ?? 'full') : undefined;
  const layout = outcome?.layout ?? null;
  const initialView: PanelView = layout === null || workloads > GRAPH_NODE_LIMIT ? 'matrix' : 'graph';
  return {
    model: {
      scope,
      units: context.units,
      nodes,
      edges,
      layout,
      policies: context.policies,
      ingressRoutes: context.ingressRoutes,
      gatewayRoutes: context.gatewayRoutes,
      notes: context.notes,
      ...(context.noteFiles !== undefined && context.noteFiles.length > 0 ? { noteFiles: context.noteFiles } : {}),
      overview,
      initialView,
      revision: input.revision,
    },
    layoutPending: outcome?.pending ?? false,
  };
}
