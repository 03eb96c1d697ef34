/**
 * The language client as the reachability panel and the Helm features use it: requests to the
 * server. The client itself (vscode-languageclient, client/languageClient.ts) is a bundle of its
 * own, loaded right after `activate` returns (design T9), so these two ask through this interface.
 */

export interface ServerRequests {
  /** Whether the server is running now (false while the client is still loading). */
  isRunning(): boolean;
  /** Sends a request once the client is loaded and started. */
  sendRequest<R>(method: string, params: unknown): Promise<R>;
}
