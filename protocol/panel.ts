/**
 * The reachability panel's model: what the extension host sends the webview after each analysis
 * pass. Built by client/panel/model.ts from `kubeReach/reachability`, `kubeReach/reachabilityContext`
 * and `kubeReach/workspaceOverview`, with the graph layout computed by elkjs in the host
 * (client/panel/layout.ts). Type-only: the webview validates it (webview/messages.ts).
 */

import type { WireLocation } from './lsp.js';
import type { WorkspaceOverview } from './overview.js';
import type { PanelGatewayRoute, PanelIngressRoute, PanelNoteFile, PanelPolicy } from './reachability.js';

/** `changes`: the connections changed since git HEAD (`kubeReach/diff`, asked for only while shown). */
export type PanelView = 'graph' | 'matrix' | 'services' | 'ingress' | 'routes' | 'changes';
export const PANEL_VIEWS: readonly PanelView[] = ['graph', 'matrix', 'services', 'ingress', 'routes', 'changes'];

export interface PanelPortRange {
  readonly protocol: string;
  readonly port: number;
  readonly endPort?: number;
}

export interface PanelNode {
  readonly id: string;
  /** '' for nodes outside any namespace (external ranges). */
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly location?: WireLocation;
  /** External range or ingress controller stand-in: drawn as an entry point. */
  readonly entry: boolean;
  /** Selected by a policy that isolates its ingress / egress. */
  readonly isolatedIngress: boolean;
  readonly isolatedEgress: boolean;
  /** Nothing else reaches it (no incoming allowed or undefined connection). */
  readonly unreachable: boolean;
  /** Container ports (from the overview), used to pick probe ports. */
  readonly ports: readonly PanelPortRange[];
}

export interface PanelEdge {
  readonly from: string;
  readonly to: string;
  readonly ports: 'all' | readonly PanelPortRange[];
  /** `TCP 8080, UDP 53` or `all`. */
  readonly label: string;
  readonly verdict: 'allowed' | 'undefined';
  readonly reason?: string;
}

export interface LayoutBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PanelLayout {
  readonly width: number;
  readonly height: number;
  /** One group per namespace (plus `(entry points)`), in absolute coordinates. */
  readonly groups: ReadonlyArray<LayoutBox & { readonly name: string }>;
  /** Node id → box, absolute. */
  readonly nodes: Readonly<Record<string, LayoutBox>>;
  /**
   * The points elkjs routed a connection through inside a namespace, from the border of one box
   * to the border of the other, when it bends (`routeKey(from, to)` in graphGroups.ts,
   * a node's or junction's id at each end), flat `[x, y, …]`, absolute: the webview draws the line
   * through them, around the boxes between its ends. A connection without one is drawn as a curve.
   */
  readonly routes?: Readonly<Record<string, readonly number[]>>;
}

export interface PanelScope {
  /** Only this namespace (connections with either end in it). */
  readonly namespace?: string;
  /** The unit shown when variants exist. */
  readonly unit?: string;
}

export interface PanelModel {
  readonly scope: PanelScope;
  /** Units to pick from (variants); empty when there are none. */
  readonly units: readonly string[];
  readonly nodes: readonly PanelNode[];
  readonly edges: readonly PanelEdge[];
  /** Null when there are too many nodes for a readable graph: the panel opens on the matrix. */
  readonly layout: PanelLayout | null;
  readonly policies: readonly PanelPolicy[];
  readonly ingressRoutes: readonly PanelIngressRoute[];
  readonly gatewayRoutes: readonly PanelGatewayRoute[];
  /** What the answers leave out, the notes `kube-reach reach` prints, shown above every view. */
  readonly notes: readonly string[];
  /** The files the notes name, with their URIs: links in the notes. Omitted: none. */
  readonly noteFiles?: readonly PanelNoteFile[];
  readonly overview: WorkspaceOverview;
  /** The view to open on when the webview has no saved state. */
  readonly initialView: PanelView;
  /** Monotonic per panel: a webview ignores an older model. */
  readonly revision: number;
}

/** The webview's own state, kept by `setState` and handed to the serializer after a reload. */
export interface PanelFilters {
  readonly namespace: string;
  readonly label: string;
  readonly port: string;
  readonly onlyDenied: boolean;
  readonly policy: string;
}

export interface PanelPersistedState {
  readonly view: PanelView;
  readonly filters: PanelFilters;
  readonly scope: PanelScope;
}

export const EXPORT_FORMATS = ['mermaid', 'dot', 'csv', 'svg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
