/**
 * The reachability panel's host (docs/dev/design.md §7): one webview panel beside the editor. It asks the
 * server for the connection list, the panel context and the overview, lays the graph out with
 * elkjs (client/panel/layout.ts), posts the model to the webview, refreshes after every analysis
 * pass (unsaved edits included), answers explanation requests, saves exports through a save
 * dialog, opens YAML locations the webview links to, and comes back after a reload through a
 * `WebviewPanelSerializer`.
 */

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ServerRequests } from '../serverRequests.js';
import { DIFF_METHOD, type DiffParams, type DiffResult } from '../../protocol/changes.js';
import {
  EXPLAIN_METHOD,
  REACHABILITY_METHOD,
  type ExplainParams,
  type ExplainProbe,
  type ExplainResult,
  type ReachabilityResult,
} from '../../protocol/lsp.js';
import { WORKSPACE_OVERVIEW_METHOD, type WorkspaceOverview } from '../../protocol/overview.js';
import { PANEL_VIEWS, type ExportFormat, type PanelModel, type PanelScope, type PanelView } from '../../protocol/panel.js';
import {
  EXPOSURE_METHOD,
  REACHABILITY_CONTEXT_METHOD,
  type ExposureParams,
  type PanelExposure,
  type ReachabilityContext,
} from '../../protocol/reachability.js';
import type { PostedHostMessage } from '../../protocol/packedModel.js';
import type { HostMessage } from '../../protocol/webviewMessages.js';
import { ModelWire } from './wire.js';
import type { PanelRendered, PanelState } from '../api.js';
import type { Log } from '../log.js';
import { panelHtml } from './html.js';
import { parsePersistedState, parseScope, parseWebviewMessage } from './messages.js';
import { layoutGraph, type ElkElsewhere } from './layout.js';
import { buildPanelModelWith } from './model.js';

export const PANEL_VIEW_TYPE = 'kubeReach.reachability';
export const PANEL_TITLE = 'Kube Reach: Reachability';

export function makeNonce(): string {
  return randomBytes(18).toString('hex');
}

const EXPORT_FILTERS: Record<ExportFormat, { label: string; ext: string }> = {
  mermaid: { label: 'Mermaid', ext: 'mmd' },
  dot: { label: 'Graphviz DOT', ext: 'dot' },
  csv: { label: 'CSV', ext: 'csv' },
  svg: { label: 'SVG image', ext: 'svg' },
};

/** What the command may pass (the NetworkPolicy code lens, the editor title, tests). */
export interface ShowArgs {
  readonly policy?: string;
  readonly namespace?: string;
  readonly uri?: vscode.Uri;
  /** Open on this view (`kubeReach.showChanges`: the Changes view). */
  readonly view?: PanelView;
  /** Show this unit (the lens of a policy only that unit takes: an overlay beside the one taken first). */
  readonly unit?: string;
}

export function parseShowArgs(v: unknown): ShowArgs {
  if (v instanceof vscode.Uri) return { uri: v };
  if (typeof v !== 'object' || v === null) return {};
  const r = v as Record<string, unknown>;
  return {
    ...(typeof r['policy'] === 'string' ? { policy: r['policy'] } : {}),
    ...(typeof r['namespace'] === 'string' ? { namespace: r['namespace'] } : {}),
    ...(typeof r['view'] === 'string' && (PANEL_VIEWS as readonly string[]).includes(r['view']) ? { view: r['view'] as PanelView } : {}),
    ...(typeof r['unit'] === 'string' && r['unit'] !== '' ? { unit: r['unit'] } : {}),
  };
}

export class ReachabilityPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private rendered: PanelRendered | undefined;
  private ready = false;
  private scope: PanelScope = {};
  private revision = 0;
  private refreshing = false;
  private dirty = false;
  private shownAt: number | undefined;
  private firstRenderMs: number | undefined;
  private lastUpdateMs: number | undefined;
  private analysisAt: number | undefined;
  private pendingFocus: { namespace?: string; policy?: string; uri?: string; view?: PanelView } | undefined;
  private readonly panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: ServerRequests,
    private readonly log: Log,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          const saved = parsePersistedState(state);
          this.log.info('panel: restored after a reload');
          this.adopt(panel, saved?.scope ?? {});
        },
      }),
    );
  }

  state(): PanelState {
    return {
      open: this.panel !== undefined,
      ...(this.rendered !== undefined ? { rendered: this.rendered } : {}),
      ...(this.firstRenderMs !== undefined ? { firstRenderMs: this.firstRenderMs } : {}),
      ...(this.lastUpdateMs !== undefined ? { lastUpdateMs: this.lastUpdateMs } : {}),
      layouts: { ...this.layoutCounts },
    };
  }

  /** Opens the panel beside the active editor, or reveals it; `args` may focus a policy or namespace. */
  show(args: ShowArgs = {}): void {
    const focus = {
      ...(args.policy !== undefined ? { policy: args.policy } : {}),
      ...(args.namespace !== undefined ? { namespace: args.namespace } : {}),
      ...(args.uri !== undefined ? { uri: args.uri.toString() } : {}),
      ...(args.view !== undefined ? { view: args.view } : {}),
    };
    this.pendingFocus = Object.keys(focus).length > 0 ? focus : undefined;
    if (this.panel !== undefined) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      // The policy's unit (a lens on an overlay left out by default): that unit's model, then the focus.
      if (args.unit !== undefined && args.unit !== this.scope.unit) {
        this.scope = { ...this.scope, unit: args.unit };
        void this.refresh();
      }
      if (this.ready) this.sendFocus();
      return;
    }
    this.shownAt = Date.now();
    this.firstRenderMs = undefined;
    this.layoutCounts = { worker: 0, host: 0 };
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      PANEL_TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      this.options(),
    );
    this.adopt(panel, args.unit !== undefined ? { unit: args.unit } : {});
  }

  /** Called after every analysis pass. */
  onAnalysisComplete(): void {
    this.analysisAt = Date.now();
    if (this.panel !== undefined) void this.refresh();
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')],
      enableFindWidget: true,
      enableCommandUris: false,
    };
  }

  private adopt(panel: vscode.WebviewPanel, scope: PanelScope): void {
    for (const d of this.panelDisposables.splice(0)) d.dispose();
    this.panel = panel;
    this.ready = false;
    this.wire.reset();
    this.rendered = undefined;
    this.scope = scope;
    this.shownAt ??= Date.now();
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    panel.webview.options = this.options();
    this.forgetLayouts('the webview was replaced');
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      workerUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'elk-worker.js')).toString(),
      nonce: makeNonce(),
    });
    panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw), undefined, this.panelDisposables);
    // Ask the server while the webview loads; the model waits for `ready`.
    this.unsent = undefined;
    void this.refresh();
    panel.onDidDispose(
      () => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.ready = false;
        this.forgetLayouts('the panel was closed');
        this.settleReadyWaiters(new Error('the panel was closed'));
        this.wire.reset();
        this.rendered = undefined;
        this.shownAt = undefined;
        for (const d of this.panelDisposables.splice(0)) d.dispose();
      },
      undefined,
      this.panelDisposables,
    );
  }

  private post(message: HostMessage): void {
    if (!this.ready) {
      if (message.kind === 'model' && message.model.overview !== null) this.unsent = { ...message.model, overview: message.model.overview };
      return;
    }
    // A model goes packed, as its change from the one this webview has (the overview only when it differs).
    const posted: PostedHostMessage = message.kind === 'model' ? this.wire.message(message.model) : message;
    void this.panel?.webview.postMessage(posted);
  }

  private readonly wire = new ModelWire();

  private sendFocus(): void {
    const f = this.pendingFocus;
    if (f === undefined || !this.ready) return;
    this.pendingFocus = undefined;
    let namespace = f.namespace;
    if (namespace === undefined && f.uri !== undefined) {
      // The namespace of the file's workloads, when the model knows the file.
      namespace = this.fileNamespaces.get(f.uri);
    }
    this.post({
      kind: 'focus',
      ...(namespace !== undefined ? { namespace } : {}),
      ...(f.policy !== undefined ? { policy: f.policy } : {}),
      ...(f.view !== undefined ? { view: f.view } : {}),
    });
  }

  private fileNamespaces = new Map<string, string>();
  /** The latest model, kept until the webview is ready for it (the requests start with the panel). */
  private unsent: PanelModel | undefined;

  private onMessage(raw: unknown): void {
    const msg = parseWebviewMessage(raw);
    if (msg === undefined) {
      this.log.warn('panel: ignored a malformed message from the webview');
      return;
    }
    switch (msg.kind) {
      case 'ready': {
        // A new webview instance (first load or reload): it has no overview yet, nor the layouts asked of the one before.
        this.wire.reset();
        this.forgetLayouts('the webview was reloaded');
        this.ready = true;
        this.settleReadyWaiters();
        const model = this.unsent;
        this.unsent = undefined;
        if (model !== undefined) {
          this.post({ kind: 'model', model });
          this.sendFocus();
        } else if (!this.refreshing) void this.refresh();
        break;
      }
      case 'refresh':
        this.wire.reset();
        void this.refresh();
        break;
      case 'scope':
        this.scope = parseScope(msg.scope) ?? {};
        void this.refresh();
        break;
      case 'rendered': {
        const { kind: _kind, ...rendered } = msg;
        this.rendered = rendered;
        const now = Date.now();
        if (this.firstRenderMs === undefined && this.shownAt !== undefined) {
          this.firstRenderMs = now - this.shownAt;
          this.log.info(
            `panel: first render ${this.firstRenderMs} ms after the command (${msg.nodes} nodes, ${msg.edges} edges, ${msg.view})`,
          );
        } else if (this.analysisAt !== undefined) {
          this.lastUpdateMs = now - this.analysisAt;
          this.analysisAt = undefined;
        }
        break;
      }
      case 'open':
        void this.open(msg.location.uri, msg.location.range);
        break;
      case 'explain':
        void this.explain(msg.requestId, msg.probes);
        break;
      case 'changes':
        void this.changes();
        break;
      case 'export':
        void this.export(msg.format, msg.content);
        break;
      case 'laid': {
        const waiting = this.layouts.get(msg.requestId);
        if (waiting === undefined) break;
        this.layouts.delete(msg.requestId);
        clearTimeout(waiting.timer);
        if (msg.error !== undefined) waiting.reject(new Error(msg.error));
        else waiting.resolve(msg.graph);
        break;
      }
      case 'exposure':
        void this.exposure(msg.requestId);
        break;
    }
  }

  private async refresh(): Promise<void> {
    if (this.refreshing) {
      this.dirty = true;
      return;
    }
    this.refreshing = true;
    try {
      do {
        this.dirty = false;
        await this.refreshOnce();
      } while (this.dirty && this.panel !== undefined);
    } finally {
      this.refreshing = false;
    }
  }

  private async refreshOnce(): Promise<void> {
    try {
      if (!this.client.isRunning()) {
        this.post({ kind: 'status', state: 'loading', message: 'Waiting for the Kube Reach server…' });
        return;
      }
      const scope = this.scope;
      const unitParam = scope.unit !== undefined ? { unit: scope.unit } : {};
      // A webview's first paint does not show what each policy allows (only the Policy filter
      // does): the server leaves it out of that context and it is asked for right after, unless
      // the panel opens on a policy (a code lens).
      const firstPaint = this.rendered === undefined && this.pendingFocus?.policy === undefined;
      const [reach, context, overview] = await Promise.all([
        this.client.sendRequest<ReachabilityResult>(REACHABILITY_METHOD, {
          ...unitParam,
          ...(scope.namespace !== undefined ? { namespace: scope.namespace } : {}),
        }),
        this.client.sendRequest<ReachabilityContext>(REACHABILITY_CONTEXT_METHOD, firstPaint ? { ...unitParam, allows: false } : unitParam),
        this.client.sendRequest<WorkspaceOverview>(WORKSPACE_OVERVIEW_METHOD, {}),
      ]);
      // First paint at once (a grid for groups elkjs has not laid out yet), refined just after.
      const { model, layoutPending } = await buildPanelModelWith({
        reach,
        context,
        overview,
        scope,
        revision: ++this.revision,
        layout: 'fast',
      });
      this.fileNamespaces = new Map();
      for (const n of model.nodes)
        if (n.location !== undefined && n.namespace !== '' && !this.fileNamespaces.has(n.location.uri))
          this.fileNamespaces.set(n.location.uri, n.namespace);
      for (const p of model.policies) if (!this.fileNamespaces.has(p.location.uri)) this.fileNamespaces.set(p.location.uri, p.namespace);
      this.post({ kind: 'model', model });
      this.sendFocus();
      // Only when nothing newer is on its way.
      const current = (m: PanelModel): boolean => !this.dirty && m.revision === this.revision;
      const refined = layoutPending ? layoutGraph(model.nodes, model.edges, this.elkInWebview()) : undefined;
      // Handled below; this keeps a failure meanwhile from counting as unhandled.
      refined?.catch(() => undefined);
      let shown = model;
      if (firstPaint) {
        const full = await this.client.sendRequest<ReachabilityContext>(REACHABILITY_CONTEXT_METHOD, unitParam);
        if (!current(shown)) return;
        shown = { ...shown, policies: full.policies, revision: ++this.revision };
        this.post({ kind: 'model', model: shown });
      }
      if (refined !== undefined) {
        const layout = await refined;
        if (current(shown)) this.post({ kind: 'model', model: { ...shown, layout, revision: ++this.revision } });
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`panel: refresh failed: ${message}`);
      this.post({ kind: 'status', state: 'error', message: `The server could not compute reachability: ${message}` });
    }
  }

  /** Layouts asked of the webview's worker, by request id. */
  private readonly layouts = new Map<
    number,
    { resolve: (graph: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }
  >();
  private nextLayout = 0;
  /** Whether this webview has laid a namespace out (logged once per webview). */
  private workerLaid = false;
  /** Namespaces laid out in the webview's worker and in the extension host (the test API's `layouts`). */
  private layoutCounts = { worker: 0, host: 0 };

  private forgetLayouts(why: string): void {
    for (const w of this.layouts.values()) {
      clearTimeout(w.timer);
      w.reject(new Error(why));
    }
    this.layouts.clear();
    this.workerLaid = false;
  }

  /** Layouts waiting for the webview's `ready` (the first paint's refinement starts while the page loads). */
  private readonly readyWaiters = new Set<{ resolve: () => void; reject: (e: Error) => void }>();

  private whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (this.panel === undefined) return Promise.reject(new Error('the panel is closed'));
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.readyWaiters.delete(waiter);
        reject(new Error('the webview did not load within 30 s'));
      }, 30_000);
      this.readyWaiters.add(waiter);
    });
  }

  private settleReadyWaiters(error?: Error): void {
    const waiters = [...this.readyWaiters];
    this.readyWaiters.clear();
    for (const w of waiters) {
      if (error === undefined) w.resolve();
      else w.reject(error);
    }
  }

  /**
   * elkjs in the webview's worker (webview/layoutWorker.ts): its cold start and its layouts do not
   * block the extension host. A webview that is not ready, fails or does not answer within 30 s
   * leaves the namespace to elkjs in the extension host (`layoutGraph`), as before.
   */
  private elkInWebview(): ElkElsewhere {
    let told = false;
    return {
      run: async (graph) => {
        // The first paint's refinement starts while the webview loads: its worker answers once it has.
        await this.whenReady();
        const requestId = this.nextLayout++;
        return new Promise<unknown>((resolve, reject) => {
          const timer = setTimeout(() => {
            this.layouts.delete(requestId);
            reject(new Error('the webview did not answer within 30 s'));
          }, 30_000);
          this.layouts.set(requestId, {
            resolve: (g) => {
              if (!this.workerLaid) this.log.info("panel: elkjs runs in the webview's worker");
              this.workerLaid = true;
              this.layoutCounts.worker++;
              resolve(g);
            },
            reject,
            timer,
          });
          this.post({ kind: 'layout', requestId, graph });
        });
      },
      fellBack: (why) => {
        this.layoutCounts.host++;
        if (!told) this.log.warn(`panel: elkjs ran in the extension host: ${why}`);
        told = true;
      },
    };
  }

  /** The Changes view's data: `kubeReach/diff` (the server compares with git HEAD). */
  private async changes(): Promise<void> {
    try {
      if (!this.client.isRunning()) return;
      // The unit the panel shows, on both sides (its alternatives left out, as `kube-reach diff --unit`).
      const params: DiffParams = this.scope.unit !== undefined ? { unit: this.scope.unit } : {};
      const result = await this.client.sendRequest<DiffResult>(DIFF_METHOD, params);
      this.post({ kind: 'changes', result });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`panel: ${DIFF_METHOD} failed: ${message}`);
      this.post({ kind: 'changes', result: { available: false, reason: message, base: 'HEAD', changes: [], policies: [], notes: [] } });
    }
  }

  private async explain(requestId: number, probes: readonly ExplainProbe[]): Promise<void> {
    try {
      const params: ExplainParams = { probes, ...(this.scope.unit !== undefined ? { unit: this.scope.unit } : {}) };
      const r = await this.client.sendRequest<ExplainResult>(EXPLAIN_METHOD, params);
      this.post({ kind: 'explanation', requestId, probes, results: r.results });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.post({
        kind: 'explanation',
        requestId,
        probes,
        results: probes.map(() => ({ allowed: null, reason: `the server could not explain: ${message}`, decidedBy: [] })),
      });
    }
  }

  /** The Exposure toggle: `kubeReach/exposure` for the panel's scope (docs/dev/exposure.md). */
  private async exposure(requestId: number): Promise<void> {
    try {
      const params: ExposureParams = {
        ...(this.scope.unit !== undefined ? { unit: this.scope.unit } : {}),
        ...(this.scope.namespace !== undefined ? { namespace: this.scope.namespace } : {}),
      };
      const exposure = await this.client.sendRequest<PanelExposure>(EXPOSURE_METHOD, params);
      this.post({ kind: 'exposure', requestId, exposure });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.post({ kind: 'exposure', requestId, exposure: null, error: `The server could not compute exposure: ${message}` });
    }
  }

  private async export(format: ExportFormat, content: string): Promise<void> {
    const f = EXPORT_FILTERS[format];
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: `Export reachability as ${f.label}`,
      filters: { [f.label]: [f.ext] },
      ...(folder !== undefined ? { defaultUri: vscode.Uri.joinPath(folder, `reachability.${f.ext}`) } : {}),
    });
    if (target === undefined) {
      this.post({ kind: 'exported', format, path: null });
      return;
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    this.log.info(`panel: exported ${format} to ${target.toString()}`);
    this.post({ kind: 'exported', format, path: target.fsPath });
  }

  private async open(
    uriText: string,
    range: { start: { line: number; character: number }; end: { line: number; character: number } },
  ): Promise<void> {
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
    const column =
      vscode.window.visibleTextEditors.find((e) => e.viewColumn !== this.panel?.viewColumn)?.viewColumn ?? vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(uri, { selection, viewColumn: column, preview: false });
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
