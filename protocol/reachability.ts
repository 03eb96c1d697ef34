/**
 * `kubeReach/reachabilityContext`: what the reachability panel needs beside the connection list
 * (`kubeReach/reachability`, protocol/lsp.ts): the NetworkPolicies with the nodes they select (the
 * "one policy" filter), the units to pick from when variants exist, and the Ingress routes with
 * their backends (the Ingress view), the Gateway API routes with theirs (the Routes view). Plain types plus the method name; the webview imports types only.
 */

import type { WireLocation } from './lsp.js';
import type { ObjectProblem } from './overview.js';

/** Client → server request. */
export const REACHABILITY_CONTEXT_METHOD = 'kubeReach/reachabilityContext';

export interface ReachabilityContextParams {
  readonly unit?: string;
  /**
   * `false`: the policies without `allows` (the panel's first paint, which does not show them, asks
   * so and asks again with them right after). Default `true`.
   */
  readonly allows?: boolean;
}

export interface PanelPolicy {
  /** `ns/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** Which directions the policy isolates. */
  readonly ingress: boolean;
  readonly egress: boolean;
  /** Node ids (as in `kubeReach/reachability`) the policy surely selects. */
  readonly selects: readonly string[];
  /**
   * The connections (node id pairs of `kubeReach/reachability`) the policy allows: the ones its
   * code lens counts. Omitted on workspaces too big to compute them (the lens gives no count there).
   */
  readonly allows?: ReadonlyArray<{ readonly from: string; readonly to: string }>;
  readonly location: WireLocation;
}

export interface PanelIngressEndpoint {
  readonly node: string;
  /** The pod port the controller connects to. */
  readonly targetPort: number;
  /** `true`: policies allow the controller → pod connection on that port; `false`: denied; `null`: undefined. */
  readonly allowed: boolean | null;
}

export interface PanelIngressRoute {
  /** `ns/name` of the Ingress. */
  readonly ingress: string;
  /** `*` for any host. */
  readonly host: string;
  /** `(default backend)` for `spec.defaultBackend`. */
  readonly path: string;
  readonly pathType: string;
  /** `ns/name` of the backend Service, or null when the backend is not a Service of the manifests. */
  readonly service: string | null;
  /** The Service port as the backend names it. */
  readonly port: string;
  readonly endpoints: readonly PanelIngressEndpoint[];
  /** The ingress controller node id, when one serves the class. */
  readonly controller: string | null;
  readonly location: WireLocation;
  /** The checks' findings on this path of the Ingress (its backend): the reason it routes nowhere. Omitted when none. */
  readonly problems?: readonly ObjectProblem[];
}

/**
 * One backend of a Gateway API route attached to a Gateway (the Routes view): the route's rule,
 * its backend Service port and the pods behind it, with whether the Gateway's data plane may
 * connect to each (docs/dev/gateway-api.md §7).
 */
export interface PanelGatewayRoute {
  /** `ns/name` of the Gateway. */
  readonly gateway: string;
  /** `HTTPRoute ns/name`. */
  readonly route: string;
  readonly rule: number;
  /** Hostnames and matches in words: `store.example.com · PathPrefix /api`. */
  readonly matches: string;
  /** `ns/name` of the backend Service. */
  readonly service: string;
  /** The Service port (`80`, `53/UDP`). */
  readonly port: string;
  /** From the data plane (node `dataPlane`). */
  readonly endpoints: readonly PanelIngressEndpoint[];
  /** The data plane's node id. */
  readonly dataPlane: string | null;
  /** The backendRef. */
  readonly location: WireLocation;
  /** The checks' findings on this backendRef. Omitted when none. */
  readonly problems?: readonly ObjectProblem[];
}

/** A file a note names: its path as the note writes it, and its URI. */
export interface PanelNoteFile {
  readonly text: string;
  readonly uri: string;
}

export interface ReachabilityContext {
  readonly policies: readonly PanelPolicy[];
  /** Units holding variants (dev/prod copies): the panel offers them in a picker. Empty: no variants. */
  readonly units: readonly string[];
  readonly ingressRoutes: readonly PanelIngressRoute[];
  readonly gatewayRoutes: readonly PanelGatewayRoute[];
  /**
   * What the answers leave out, the notes `kube-reach reach` prints (objects left out, variants,
   * objects defined twice, Kustomize parts not read, Calico/Cilium policies), files relative to the
   * workspace folder; empty: nothing.
   */
  readonly notes: readonly string[];
  /** The files the notes name, as they write them, with their URIs (the panel links them). Omitted: none. */
  readonly noteFiles?: readonly PanelNoteFile[];
}

/** Client → server request: `reach --exposure` for the panel's Exposure view (docs/dev/exposure.md). */
export const EXPOSURE_METHOD = 'kubeReach/exposure';

export interface ExposureParams {
  readonly unit?: string;
  /** Only the workloads of this namespace. */
  readonly namespace?: string;
}

export interface PanelExposureEntry {
  /** The workload node id. */
  readonly workload: string;
  /** `entire-cluster`, a representative peer (`[namespace with {…}]/[pod with {…}]`) or an external range node id. */
  readonly peer: string;
  readonly peerKind: 'entire-cluster' | 'representative' | 'external';
  /** `TCP 9090-9091`, `All Connections`, `TCP redis` (named ports by name). */
  readonly label: string;
  /** `denied`: a representative that gets nothing while `entire-cluster` gets some (`No Connections`). */
  readonly verdict: 'allowed' | 'undefined' | 'denied';
  readonly reason?: string;
}

export interface PanelExposure {
  readonly egress: readonly PanelExposureEntry[];
  readonly ingress: readonly PanelExposureEntry[];
  /** Workloads no policy selects on a direction. */
  readonly unprotected: ReadonlyArray<{ readonly workload: string; readonly direction: 'Ingress' | 'Egress' }>;
}
