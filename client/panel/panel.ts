/**
 * The reachability panel's host: one webview panel beside the editor. It asks the server for
 * data (`kubeReach/workspaceOverview` now; reachability views later), posts it to the webview,
 * refreshes after every analysis pass, and opens YAML locations the webview links to.
 */

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WORKSPACE_OVERVIEW_METHOD, type WorkspaceOverview } from '../../protocol/overview.js';
import type { HostMessage } from '../../protocol/webviewMessages.js';
import type { PanelState } from '../api.js';
import type { Log } from '../log.js';
import { panelHtml } from './html.js';
import { parseWebviewMessage } from './messages.js';

export const PANEL_VIEW_TYPE = 'kubeReach.reachability';
export const PANEL_TITLE = 'Kube Reach: Reachability';

export function makeNonce(): string {
  return randomBytes(18).toString('hex');
}

export class ReachabilityPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private rendered: PanelState['rendered'];
  private ready = false;
  private requestSeq = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    private readonly log: Log,
  ) {}

  state(): PanelState {
    return { open: this.panel !== undefined, ...(this.rendered !== undefined ? { rendered: this.rendered } : {}) };
  }

  /** Opens the panel beside the active editor, or reveals it. */
  show(): void {
    if (this.panel !== undefined) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      PANEL_TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [dist], enableFindWidget: true },
    );
    this.panel = panel;
    this.ready = false;
    this.rendered = undefined;
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      nonce: makeNonce(),
    });
    panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw), undefined, this.disposables);
    panel.onDidDispose(
      () => {
        this.panel = undefined;
        this.ready = false;
        this.rendered = undefined;
      },
      undefined,
      this.disposables,
    );
  }

  /** Called after every analysis pass. */
  onAnalysisComplete(): void {
    if (this.panel !== undefined && this.ready) void this.refresh();
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private post(message: HostMessage): void {
    void this.panel?.webview.postMessage(message);
  }

  private onMessage(raw: unknown): void {
    const msg = parseWebviewMessage(raw);
    if (msg === undefined) {
      this.log.warn('panel: ignored a malformed message from the webview');
      return;
    }
    switch (msg.kind) {
      case 'ready':
        this.ready = true;
        void this.refresh();
        break;
      case 'refresh':
        void this.refresh();
        break;
      case 'rendered':
        this.rendered = { namespaces: msg.namespaces, workloads: msg.workloads, services: msg.services };
        break;
      case 'open':
        void this.open(msg.location.uri, msg.location.range);
        break;
    }
  }

  private async refresh(): Promise<void> {
    const seq = ++this.requestSeq;
    try {
      if (!this.client.isRunning()) {
        this.post({ kind: 'status', state: 'loading', message: 'Waiting for the Kube Reach server…' });
        return;
      }
      const overview = await this.client.sendRequest<WorkspaceOverview>(WORKSPACE_OVERVIEW_METHOD, {});
      if (seq === this.requestSeq) this.post({ kind: 'overview', overview });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`panel: ${WORKSPACE_OVERVIEW_METHOD} failed: ${message}`);
      if (seq === this.requestSeq) this.post({ kind: 'status', state: 'error', message: `The server could not compute the overview: ${message}` });
    }
  }

  private async open(uriText: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): Promise<void> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(uriText, true);
    } catch {
      return;
    }
    // Only workspace files: the webview cannot make the host open anything else.
    if (uri.scheme !== 'file' || vscode.workspace.getWorkspaceFolder(uri) === undefined) {
      this.log.warn(`panel: refused to open ${uriText}`);
      return;
    }
    const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
    const column = vscode.window.visibleTextEditors.find((e) => e.viewColumn !== this.panel?.viewColumn)?.viewColumn ?? vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(uri, { selection, viewColumn: column, preview: false });
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
