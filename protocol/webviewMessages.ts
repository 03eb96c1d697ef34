/**
 * Messages between the reachability panel's host (client/panel) and its webview (webview/).
 * Type-only: each side validates what it receives (client/panel/messages.ts,
 * webview/messages.ts), since a webview message is untrusted data.
 *
 * The protocol is versioned by `kind` so that later views (graph, matrix, explanations) add
 * message kinds without changing these.
 */

import type { WireLocation } from './lsp.js';
import type { WorkspaceOverview } from './overview.js';

/** Host → webview. */
export type HostMessage =
  | { readonly kind: 'overview'; readonly overview: WorkspaceOverview }
  | { readonly kind: 'status'; readonly state: 'loading' | 'error'; readonly message: string };

/** Webview → host. */
export type WebviewMessage =
  /** The script has loaded and listens; the host (re)sends its state. */
  | { readonly kind: 'ready' }
  /** Open the YAML at this place. */
  | { readonly kind: 'open'; readonly location: WireLocation }
  /** Ask for fresh data. */
  | { readonly kind: 'refresh' }
  /** What the webview shows now (tests read it through the extension's API). */
  | { readonly kind: 'rendered'; readonly namespaces: number; readonly workloads: number; readonly services: number };
