/**
 * Messages between the reachability panel's host (client/panel) and its webview (webview/).
 * Type-only: each side validates what it receives (client/panel/messages.ts,
 * webview/messages.ts), since a webview message is untrusted data.
 */

import type { DiffResult } from './changes.js';
import type { ExplainProbe, ExplainProbeResult, WireLocation } from './lsp.js';
import type { WorkspaceOverview } from './overview.js';
import type { ExportFormat, PanelModel, PanelScope, PanelView } from './panel.js';
import type { PanelExposure } from './reachability.js';

/**
 * A model as the host posts it: `overview` is null when it is the same as in the last model the
 * host posted to this webview (the overview is a third of a model and rarely changes on an edit).
 */
export type WireModel = Omit<PanelModel, 'overview'> & { readonly overview: WorkspaceOverview | null };

/**
 * One namespace's layout as elkjs takes it (client/panel/layout.ts makes it): the webview runs
 * elkjs on it in a web worker (webview/layoutWorker.ts), off the extension host's thread.
 */
export interface LayoutGraph {
  readonly id: string;
  readonly layoutOptions: Readonly<Record<string, string>>;
  readonly children: ReadonlyArray<{ readonly id: string; readonly width: number; readonly height: number }>;
  readonly edges: ReadonlyArray<{ readonly id: string; readonly sources: readonly string[]; readonly targets: readonly string[] }>;
}

/** Host → webview. */
export type HostMessage =
  | { readonly kind: 'model'; readonly model: WireModel }
  | { readonly kind: 'status'; readonly state: 'loading' | 'error'; readonly message: string }
  | {
      readonly kind: 'explanation';
      readonly requestId: number;
      readonly probes: readonly ExplainProbe[];
      readonly results: readonly ExplainProbeResult[];
    }
  | { readonly kind: 'exported'; readonly format: ExportFormat; readonly path: string | null }
  /** The answer to `changes`: `kubeReach/diff`'s result. */
  | { readonly kind: 'changes'; readonly result: DiffResult }
  /** The answer to an `exposure` request: the lists, or why there are none. */
  | { readonly kind: 'exposure'; readonly requestId: number; readonly exposure: PanelExposure | null; readonly error?: string }
  /** Lay this namespace out with elkjs (in the webview's worker) and answer with `laid`. */
  | { readonly kind: 'layout'; readonly requestId: number; readonly graph: LayoutGraph }
  /** Apply these filters (the NetworkPolicy code lens, the editor title on a file of one namespace). */
  | { readonly kind: 'focus'; readonly namespace?: string; readonly policy?: string; readonly view?: PanelView };

/** Webview → host. */
export type WebviewMessage =
  /** The script has loaded and listens; the host (re)sends its state. */
  | { readonly kind: 'ready' }
  /** Open the YAML at this place. */
  | { readonly kind: 'open'; readonly location: WireLocation }
  /** Ask for fresh data. */
  | { readonly kind: 'refresh' }
  /** Ask for the connections changed since git HEAD (the Changes view). */
  | { readonly kind: 'changes' }
  /** Change the namespace or unit the panel shows. */
  | { readonly kind: 'scope'; readonly scope: PanelScope }
  /** Explain these probes (at most 16). */
  | { readonly kind: 'explain'; readonly requestId: number; readonly probes: readonly ExplainProbe[] }
  /** Compute the exposure of the workloads (the Exposure toggle; docs/dev/exposure.md). */
  | { readonly kind: 'exposure'; readonly requestId: number }
  /**
   * The answer to `layout`: elkjs's output graph (validated by the host, client/panel/elkGraph.ts),
   * or why there is none (the host then runs elkjs itself).
   */
  | { readonly kind: 'laid'; readonly requestId: number; readonly graph?: unknown; readonly error?: string }
  /** Save this rendering of the current view through a save dialog. */
  | { readonly kind: 'export'; readonly format: ExportFormat; readonly content: string }
  /** What the webview shows now (tests read it through the extension's API). */
  | {
      readonly kind: 'rendered';
      readonly view: PanelView;
      readonly revision: number;
      readonly namespaces: number;
      readonly workloads: number;
      readonly services: number;
      readonly nodes: number;
      readonly edges: number;
      /** `from -> to` of the edges drawn in the graph (the Changes view: of the changed connections), at most 500, for tests. */
      readonly edgeKeys: readonly string[];
      /** The summary line as shown (`6 workloads · 28 connections`). */
      readonly summary: string;
      /** Graph: the "open" badges drawn, and the edges standing for several connections between two namespaces. */
      readonly badges: number;
      readonly aggregates: number;
      /** Graph: the client groups drawn (clients reaching the same destinations on the same ports, one junction each). */
      readonly bundles: number;
    };
