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
  /** The container port it resolves to on this workload; null when the workload declares no such port (by name or number). */
  readonly containerPort: number | null;
}

export interface OverviewSelection {
  readonly workloadId: string;
  /** `yes`: selected; `unknown`: depends on a templated value. */
  readonly match: 'yes' | 'unknown';
  readonly ports: readonly OverviewPortTarget[];
}

/**
 * What the checks report on an object (or the part of it a row shows): the diagnostic's code and
 * message, as the Problems view shows them. The panel gives these as the reason, not a guess of its own.
 */
export interface ObjectProblem {
  readonly code: string;
  readonly message: string;
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
  /** The checks' findings on the Service (omitted when none). */
  readonly problems?: readonly ObjectProblem[];
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
