/**
 * What `activate` returns: a small read-only view of the extension's state, for the integration
 * suite (and for other extensions). No vscode types, so tests can import it anywhere.
 */

import type { AnalysisCompleteParams } from '../protocol/lsp.js';
import type { WebviewMessage } from '../protocol/webviewMessages.js';

export type ServerState = 'starting' | 'running' | 'stopped';

/** The webview's last `rendered` report (protocol/webviewMessages.ts) without its `kind`. */
export type PanelRendered = Omit<Extract<WebviewMessage, { kind: 'rendered' }>, 'kind'>;

export interface PanelState {
  readonly open: boolean;
  /** What the webview last reported it shows (its `rendered` message), if anything. */
  readonly rendered?: PanelRendered;
  /** Milliseconds from the command to the webview's first `rendered` message. */
  readonly firstRenderMs?: number;
  /** Milliseconds from the last `kubeReach/analysisComplete` to the webview showing its result. */
  readonly lastUpdateMs?: number;
  /** Namespaces elkjs laid out since the panel opened: in the webview's worker, and in the extension host (when the worker failed). */
  readonly layouts?: { readonly worker: number; readonly host: number };
}

export interface KubeReachApi {
  /** Number of `kubeReach/analysisComplete` notifications received since activation (across restarts). */
  analysisCount(): number;
  /** Resolves with the first analysisComplete received after `afterCount` notifications. */
  waitForAnalysis(afterCount: number, timeoutMs: number): Promise<AnalysisCompleteParams>;
  serverState(): ServerState;
  /** Automatic restarts after the server stopped unexpectedly. */
  restarts(): number;
  /** The process id of the running server, when known. */
  serverPid(): number | undefined;
  /** Recent lines of the "Kube Reach" output channel. */
  logLines(): readonly string[];
  panel(): PanelState;
  /** The text of the language status item ("Kube Reach: chart shop (values: values.yaml)", "Kube Reach: 3 objects"). */
  languageStatus(): string;
}
