/**
 * `kubeReach/workspaceOverview`: the data of the reachability panel's first view (namespaces,
 * workloads, Services and which workloads each Service selects on which ports). Plain types plus
 * the method name; no runtime dependency, so the webview may import the types alone.
 */

import type { WireLocation } from './lsp.js';

/** Client → server request; no parameters. */
export const WORKSPACE_OVERVIEW_METHOD = 'kubeReach/workspaceOverview';

export interface OverviewContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: string;
}

export interface OverviewWorkload {
  /** `ns/name[Kind]`, as node ids of `kube-reach reach`. */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly OverviewContainerPort[];
  readonly location: WireLocation;
}

/** Where one Service port lands on one selected workload. */
export interface OverviewPortTarget {
  /** The Service port (number), or null when templated. */
  readonly port: number | null;
  readonly portName?: string;
  readonly protocol: string;
  /** The targetPort as written (number or name; omitted = the port). */
  readonly targetPort: number | string | null;
  /** The container port it resolves to on this workload; null when a named port is not found. */
  readonly containerPort: number | null;
}

export interface OverviewSelection {
  readonly workloadId: string;
  /** `yes`: selected; `unknown`: depends on a templated value. */
  readonly match: 'yes' | 'unknown';
  readonly ports: readonly OverviewPortTarget[];
}

export interface OverviewService {
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  /** The selector as written; null when the Service has none (no managed endpoints). */
  readonly selector: Readonly<Record<string, string>> | null;
  readonly selects: readonly OverviewSelection[];
  readonly location: WireLocation;
}

export interface OverviewNamespace {
  readonly name: string;
  readonly workloads: readonly OverviewWorkload[];
  readonly services: readonly OverviewService[];
}

export interface WorkspaceOverview {
  /** Namespaces sorted by name; workloads and Services sorted by name inside each. */
  readonly namespaces: readonly OverviewNamespace[];
}
