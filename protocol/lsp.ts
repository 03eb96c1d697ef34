/**
 * Custom LSP methods of Kube Reach (documented in docs/protocol.md). Declared once, as method
 * names plus plain parameter and result types, with no runtime dependency: the server and the
 * client wrap them in vscode-jsonrpc message types, and the webview may import the types alone.
 */

/** A position as LSP counts it: 0-based line, UTF-16 character. */
export interface WirePosition {
  readonly line: number;
  readonly character: number;
}

export interface WireRange {
  readonly start: WirePosition;
  readonly end: WirePosition;
}

/** A place in a workspace file, as LSP `Location`. */
export interface WireLocation {
  readonly uri: string;
  readonly range: WireRange;
}

/**
 * Server → client notification, sent after every analysis pass (full or incremental) once all of
 * that pass's `textDocument/publishDiagnostics` notifications have been written.
 */
export const ANALYSIS_COMPLETE_METHOD = 'kubeReach/analysisComplete';

export interface AnalysisCompleteParams {
  /** Counts passes since the server started (1 = the first pass). */
  readonly version: number;
  /** Number of files in the analysed workspace. */
  readonly files: number;
  /** Wall time of the pass, from the first change it covers to the last publish. */
  readonly durationMs: number;
  /** Checks that threw during the pass (each logged; its findings on that file dropped). 0 in a healthy pass. */
  readonly checkFailures: number;
}

/** Client → server request: the reachability graph (results as `kube-reach reach --format json`). */
export const REACHABILITY_METHOD = 'kubeReach/reachability';

export interface ReachabilityParams {
  /** Keep only connections with either end in this namespace. */
  readonly namespace?: string;
  /** The unit (Kustomize build, Helm chart, folder) to show when variants exist. */
  readonly unit?: string;
}

export interface ReachabilityNode {
  readonly id: string;
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly location?: WireLocation;
}

export interface ReachabilityPortRange {
  readonly protocol: string;
  readonly port: number;
  readonly endPort?: number;
}

export interface ReachabilityConnection {
  readonly from: string;
  readonly to: string;
  readonly ports: 'all' | readonly ReachabilityPortRange[];
  readonly verdict: 'allowed' | 'undefined';
  readonly reason?: string;
}

export interface ReachabilityResult {
  readonly nodes: readonly ReachabilityNode[];
  readonly connections: readonly ReachabilityConnection[];
}

/** Client → server request: explain probes (results as `kube-reach explain --format json`). */
export const EXPLAIN_METHOD = 'kubeReach/explain';

export interface ExplainProbe {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol?: string;
  readonly via?:
    | { readonly service: string; readonly port: number | string }
    | { readonly ingress: string; readonly host: string; readonly path: string }
    /** A GET through a Gateway's HTTPRoutes (to its HTTP and HTTPS listeners on `port` when given). */
    | { readonly gateway: string; readonly host: string; readonly path: string; readonly port?: number }
    /** A gRPC call (`grpc: "SERVICE/METHOD"`) through a Gateway's GRPCRoutes. */
    | { readonly gateway: string; readonly host: string; readonly grpc: string; readonly port?: number }
    /** A TLS connection for server name `sni` (to listener `port` when given) through its TLSRoutes (and TCPRoutes on a listener that terminates TLS). */
    | { readonly gateway: string; readonly sni: string; readonly port?: number }
    /** A TCP connection to listener `port` (UDP with the probe's `protocol`) through its TCPRoutes (UDPRoutes). */
    | { readonly gateway: string; readonly port: number };
}

export interface ExplainParams {
  readonly probes: readonly ExplainProbe[];
  /** Explain in this unit's engine (a variant the panel is scoped to); the workspace's when absent. */
  readonly unit?: string;
}

export interface ExplainDecision {
  readonly file: string;
  readonly line: number;
  readonly policy: string;
  readonly direction: 'ingress' | 'egress';
  /** The rule's path in the policy, `spec.ingress[0].from[1]` (`spec.podSelector`: the policy isolates). */
  readonly rule: string;
  /** The same in the user's words: `rule 1 of ingress in policy shop/web (from entry 2)`. */
  readonly description: string;
  /** The tier that decided (docs/dev/cluster-policies.md): `Admin`, `NetworkPolicy` or `Baseline`; absent when no cluster policy selects the pod. */
  readonly tier?: 'Admin' | 'NetworkPolicy' | 'Baseline';
  /** The rule itself, so a link lands on it (not just its line). */
  readonly location: WireLocation;
}

export interface ExplainProbeResult {
  readonly allowed: boolean | null;
  readonly reason: string;
  readonly decidedBy: readonly ExplainDecision[];
}

export interface ExplainResult {
  readonly results: readonly ExplainProbeResult[];
}

/**
 * Client → server request, for tests and the benchmark only: the analysis host's counters.
 * Answered only when the client sent `initializationOptions: {debug: true}`.
 */
export const DEBUG_STATS_METHOD = 'kubeReach/debug/stats';

export interface DebugStatsResult {
  /** Files parsed since the server started (real parses, counted by the analysis host). */
  readonly parses: number;
  /** Snapshots taken since the server started. */
  readonly snapshots: number;
  /** Files the host holds. */
  readonly files: number;
}

/**
 * Client → server request ("Kube Reach: Show Rendered Manifest"): renders the chart of a template
 * with `kubeReach.helm.*` (values files, release name, namespace) and returns that template's
 * manifests as `kube-reach render` prints them (`# Source:` headers).
 */
export const RENDER_TEMPLATE_METHOD = 'kubeReach/renderTemplate';

export interface RenderTemplateParams {
  /** The template's URI. */
  readonly uri: string;
}

export interface RenderTemplateResult {
  /** True when the template rendered (its output may still be empty for these values). */
  readonly ok: boolean;
  /** The template's manifests with `# Source:` headers (empty when not ok). */
  readonly text: string;
  /** Why the template renders nothing: the file and the reason (an unsupported function, `fail`, …). */
  readonly message?: string;
  /** The chart folder (relative to the workspace root) and the template's `# Source:` name. */
  readonly chart?: string;
  readonly template?: string;
  /** The values files used, in order (values.yaml first). */
  readonly valueFiles?: readonly string[];
  /** What could not be rendered or read anywhere in the chart, one line each. */
  readonly notes: readonly string[];
}

/** Client → server request: what the language status item shows for a document. */
export const FILE_STATUS_METHOD = 'kubeReach/fileStatus';

export interface FileStatusParams {
  readonly uri: string;
}

export interface FileStatusResult {
  /** Kubernetes objects the file holds (as the outline lists them). */
  readonly objects: number;
  /** For a chart template: the chart's name and the values files it renders with (values.yaml first). */
  readonly chart?: string;
  readonly valueFiles?: readonly string[];
}
