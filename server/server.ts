/**
 * Wiring of the language server: capabilities, document sync, the workspace scan and the
 * handlers. `initialize` is answered at once; the scan starts on `initialized`, so opening a large
 * workspace never delays the handshake (docs/dev/design.md §9, T2). Every optional client capability
 * (configuration, progress, file watching, workspace folders) is used when present and simply
 * skipped when absent (Neovim 0.7).
 */

import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import type { ClientCapabilities, Connection, ConnectionOptions, InitializeParams, InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisHost, PREPARE_KEYS_PER_TURN } from '../analysis/index.js';
import { DEBUG_STATS_METHOD, FILE_STATUS_METHOD, RENDER_TEMPLATE_METHOD } from '../protocol/lsp.js';
import type { DebugStatsResult, FileStatusResult, RenderTemplateResult } from '../protocol/lsp.js';
import { fileStatus, renderTemplate } from './helm.js';
import type { HelmContext } from './helm.js';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../protocol/product.js';
import { DiagnosticsPublisher } from './diagnostics.js';
import type { PassProgress } from './diagnostics.js';
import { BUSY_PENDING, codeActions, completion, FIX_ALL_KIND, hover } from './handlers/editor.js';
import { answer, runSafe } from './handlers/answer.js';
import { registerOverviewHandler } from './handlers/overview.js';
import { registerReachabilityHandlers } from './handlers/reachability.js';
import { registerExposureHandler } from './handlers/exposure.js';
import { registerNavigationHandlers } from './handlers/navigation.js';
import { registerChangesHandler } from './handlers/changes.js';
import { HeadDiff, SinceHeadTitles } from './headDiff.js';
import { GitRunner } from './git.js';
import type { Analysis, IdeOptions } from '../analysis/index.js';
import type { Disposable, ServerRuntime } from './runtime.js';
import { parseWorkers } from './parsePool.js';
import { FactsCache, cacheFileFor } from './factsCache.js';
import type { EditorSettings } from './settings.js';
import { Workspace } from './workspace.js';
import { Lifecycle } from './lifecycle.js';
import { canonicalUri, pathToUri } from './uris.js';
import { guardedDocumentConnection } from './documentGuard.js';
import { isRecord } from '../analysis/index.js';

/** How long passes must have stopped before the warm-start cache is written (it takes a few hundred ms at 10,000 files). */
const CACHE_SAVE_IDLE_MS = 2000;
/**
 * The least time between two writes of the warm-start cache while the server runs (a saved file
 * makes it stale; writing it after every save would stall the server that often). Shutdown writes
 * whatever is left.
 */
const CACHE_SAVE_INTERVAL_MS = 5 * 60_000;

/** What the server exposes to in-process tests (never to the client). */
export interface ServerHandle {
  readonly host: AnalysisHost;
  dispose(): void;
}

interface ClientSupport {
  readonly configuration: boolean;
  readonly configurationChange: boolean;
  readonly progress: boolean;
  readonly watchers: boolean;
  readonly workspaceFolders: boolean;
  readonly createFiles: boolean;
  readonly codeLensRefresh: boolean;
}

function clientSupport(c: ClientCapabilities): ClientSupport {
  const edit = c.workspace?.workspaceEdit;
  return {
    createFiles: edit?.documentChanges === true && Array.isArray(edit.resourceOperations) && edit.resourceOperations.includes('create'),
    configuration: c.workspace?.configuration === true,
    configurationChange: c.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    progress: c.window?.workDoneProgress === true,
    watchers: c.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    workspaceFolders: c.workspace?.workspaceFolders === true,
    codeLensRefresh: c.workspace?.codeLens?.refreshSupport === true,
  };
}

/**
 * The roots to scan: `workspaceFolders`, else `rootUri`, else the deprecated `rootPath` (a client
 * may still send only that). Untrusted: whatever is not a string is ignored.
 */
function rootUris(params: InitializeParams): string[] {
  const raw: unknown = params.workspaceFolders;
  const folders = Array.isArray(raw) ? raw.flatMap((f: unknown) => (isRecord(f) && typeof f['uri'] === 'string' ? [f['uri']] : [])) : [];
  if (folders.length > 0) return folders;
  if (typeof params.rootUri === 'string' && params.rootUri !== '') return [params.rootUri];
  const rootPath: unknown = params.rootPath;
  if (typeof rootPath === 'string' && rootPath !== '') return [pathToUri(rootPath)];
  return [];
}

/** Above this many files the policy lenses do not compare with git HEAD by themselves. */
const SINCE_HEAD_LENS_MAX_FILES = 3000;

/**
 * Starts serving on the connection `connect` makes with the given options (the lifecycle guard,
 * `lifecycle.ts`, sits in front of every handler); `connection.listen()` is called here.
 */
export function startServer(connect: (options: ConnectionOptions) => Connection, runtime: ServerRuntime): ServerHandle {
  const lifecycle = new Lifecycle();
  const connection = connect(lifecycle.options);
  lifecycle.attach(connection);
  const log = (message: string): void => connection.console.log(message);
  const host = new AnalysisHost();
  const workspace = new Workspace(host, runtime, log);
  /** How this server runs git (set at initialize: the editor's git, and whether the workspace is trusted). */
  const git = new GitRunner();
  const publisher = new DiagnosticsPublisher(connection, host, runtime, workspace, log);
  workspace.attach(publisher);
  const documents = new TextDocuments(TextDocument);
  // The warm-start cache is written once passes have stopped for a while, and at shutdown.
  let cacheTimer: Disposable | undefined;
  let cacheSavedAt = Number.NEGATIVE_INFINITY;
  // After the first diagnostics, what only edits need (docs/dev/warm-start.md), a slice per turn of the event loop: a request
  // sent right after them waits for one slice at most (an edit does the rest first).
  let preparing: Disposable | undefined;
  const prepareSlice = (): void => {
    preparing = undefined;
    runSafe(log, 'warm start', false, () => host.prepareForEdits(PREPARE_KEYS_PER_TURN));
    if (host.unpreparedCount() > 0) preparing = runtime.setTimer(prepareSlice, 0);
  };
  publisher.afterPass = (): void => {
    preparing ??= runtime.setTimer(prepareSlice, 0);
    cacheTimer?.dispose();
    const wait = Math.max(CACHE_SAVE_IDLE_MS, cacheSavedAt + CACHE_SAVE_INTERVAL_MS - runtime.now());
    cacheTimer = runtime.setTimer(() => {
      cacheTimer = undefined;
      if (runSafe(log, 'warm-start cache', false, () => workspace.saveCache())) cacheSavedAt = runtime.now();
    }, wait);
  };
  connection.onShutdown(() => {
    cacheTimer?.dispose();
    cacheTimer = undefined;
    preparing?.dispose();
    preparing = undefined;
    runSafe(log, 'warm-start cache', undefined, () => workspace.saveCache());
  });
  let ide: IdeOptions = {};
  const helm: HelmContext = {
    roots: () => workspace.getRoots(),
    settings: () => workspace.currentSettings(),
    readTextFile: (path) => runtime.readTextFile(path),
  };
  const ctx = {
    host,
    clientUri: workspace.clientUri,
    log,
    ide: (): IdeOptions => ide,
    createsFiles: (): boolean => support.createFiles,
    helm,
  };
  let support: ClientSupport = clientSupport({});
  let debug = false;

  /** Fetches editor settings when the client can answer `workspace/configuration`. */
  async function pullEditorSettings(): Promise<EditorSettings | undefined> {
    if (!support.configuration) return undefined;
    try {
      const [kubeReach, filesExclude] = (await connection.workspace.getConfiguration([
        { section: 'kubeReach' },
        { section: 'files.exclude' },
      ])) as unknown[];
      return { kubeReach, filesExclude };
    } catch (e) {
      log(`workspace/configuration failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  async function createProgress(title = 'Scanning workspace'): Promise<PassProgress | undefined> {
    if (!support.progress) return undefined;
    try {
      const reporter = await connection.window.createWorkDoneProgress();
      reporter.begin('Kube Reach', 0, title, false);
      return { report: (p, m) => reporter.report(p, m), done: () => reporter.done() };
    } catch {
      return undefined;
    }
  }
  // A long check phase (after an edit that re-checks many files) reports its progress too.
  publisher.createProgress = createProgress;

  async function settingsChanged(editor: EditorSettings | undefined): Promise<void> {
    if (workspace.reloadSettings(editor)) await workspace.scan();
    else publisher.requestPass();
  }

  connection.onInitialize((params): InitializeResult => {
    // A client that sends no capabilities has none (never a TypeError).
    const capabilities: unknown = params.capabilities;
    support = clientSupport(isRecord(capabilities) ? (capabilities as ClientCapabilities) : {});
    workspace.setRoots(rootUris(params));
    const options: unknown = params.initializationOptions;
    debug = isRecord(options) && options['debug'] === true;
    // The editor's storage folder for the warm-start cache (absent: no cache; kubeReach.server.cache off).
    const cacheDir =
      isRecord(options) && typeof options['cacheDir'] === 'string' && options['cacheDir'] !== '' ? options['cacheDir'] : undefined;
    workspace.useCache(cacheDir === undefined ? undefined : new FactsCache(cacheFileFor(cacheDir, workspace.getRoots())));
    // kubeReach.server.parseWorkers: "auto" (or absent) or a whole number of threads (server/parsePool.ts).
    publisher.useParseWorkers(parseWorkers(isRecord(options) ? options['parseWorkers'] : undefined));
    // The git the editor uses (VS Code's git extension), for the comparison with HEAD.
    if (isRecord(options) && typeof options['gitPath'] === 'string' && options['gitPath'] !== '') git.use(options['gitPath']);
    git.allow(!(isRecord(options) && options['git'] === false));
    // kubeReach.schemaAssist, resolved by the client ("auto" → "off" when Red Hat's YAML extension runs).
    ide = isRecord(options) && options['schemaAssist'] === 'off' ? { schemaDocs: false } : {};
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', '-', '.'] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND] },
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: PRODUCT_NAME, version: PRODUCT_VERSION },
    };
  });

  connection.onInitialized(() => {
    void (async () => {
      const progress = await createProgress();
      if (support.configurationChange)
        void connection.client.register(DidChangeConfigurationNotification.type, { section: ['kubeReach', 'files.exclude'] });
      if (support.watchers) {
        void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml,json}' }] });
      }
      if (support.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders((e) => {
          runSafe(log, 'didChangeWorkspaceFolders', undefined, () => {
            workspace.changeRoots(
              e.added.map((f) => f.uri),
              e.removed.map((f) => f.uri),
            );
            workspace.reloadSettings();
            void workspace.scan();
          });
        });
      }
      try {
        workspace.reloadSettings(await pullEditorSettings());
        await workspace.scan(progress);
      } catch (e) {
        // Whatever failed, open documents still get analysed and the progress ends.
        log(`Workspace scan failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        publisher.requestPass(progress);
      }
    })().catch((e: unknown) => log(`Initialization failed: ${String(e)}`));
  });

  connection.onDidChangeConfiguration((params) => {
    void (async () => {
      // Pull model when the client supports it; else the pushed `settings` (Neovim sends them).
      let editor = await pullEditorSettings();
      if (editor === undefined && isRecord(params.settings)) {
        const files = params.settings['files'];
        editor = { kubeReach: params.settings['kubeReach'], filesExclude: isRecord(files) ? files['exclude'] : undefined };
      }
      await settingsChanged(editor);
    })().catch((e: unknown) => log(`Settings update failed: ${String(e)}`));
  });

  connection.onDidChangeWatchedFiles((params) => {
    runSafe(log, 'didChangeWatchedFiles', undefined, () => {
      if (workspace.filesChanged(params.changes)) void settingsChanged(undefined);
    });
  });

  documents.onDidChangeContent((e) => {
    runSafe(log, 'didChange', undefined, () =>
      workspace.documentChanged(e.document.uri, e.document.languageId, e.document.getText(), e.document.version),
    );
  });
  documents.onDidClose((e) => {
    runSafe(log, 'didClose', undefined, () => workspace.documentClosed(e.document.uri));
  });

  connection.onHover((p, token) => hover(ctx, p, token));
  connection.onCompletion((p, token) => completion(ctx, p, token));
  connection.onCodeAction((p, token) => codeActions(ctx, p, token));
  // Requests that read only the index or the engine do not wait for the checks of a new snapshot.
  registerOverviewHandler(connection, () => host.snapshot({ deferChecks: true }));
  registerReachabilityHandlers(
    connection,
    () => host.snapshot({ deferChecks: true }),
    () => workspace.getRoots(),
  );
  registerExposureHandler(connection, () => host.snapshot({ deferChecks: true }));
  // Changes since git HEAD: kubeReach/diff and the policy lenses' "+2 / −1 since HEAD".
  const headDiff = new HeadDiff(host, workspace, log, git);
  registerChangesHandler(
    connection,
    headDiff,
    () => host.snapshot({ deferChecks: true }),
    () => workspace.getRoots(),
  );
  const sinceHead = new SinceHeadTitles(headDiff, {
    maxFiles: SINCE_HEAD_LENS_MAX_FILES,
    files: () => host.fileUris().length,
    canRefresh: () => support.codeLensRefresh,
    refresh: () => void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined),
    log,
  });
  registerNavigationHandlers(connection, ctx, (analysis, unit) => sinceHead.titles(analysis, unit));
  // Custom requests on one document answer through `answer` too: cancelled before or while the
  // snapshot is awaited, they compute nothing; a throw is logged and answered null.
  const uriParam = (params: unknown): string | undefined =>
    isRecord(params) && typeof params['uri'] === 'string' ? canonicalUri(params['uri']) : undefined;
  connection.onRequest(RENDER_TEMPLATE_METHOD, (params: unknown, token) => {
    const key = uriParam(params);
    return answer<RenderTemplateResult | null, Analysis | undefined>(
      RENDER_TEMPLATE_METHOD,
      token,
      () => (key === undefined ? undefined : host.snapshot({ deferChecks: true })),
      (analysis) => (analysis === undefined || key === undefined ? null : renderTemplate(helm, analysis, key)),
      { log, value: null },
    );
  });
  connection.onRequest(FILE_STATUS_METHOD, (params: unknown, token) => {
    const key = uriParam(params);
    return answer<FileStatusResult | null, Analysis | undefined>(
      FILE_STATUS_METHOD,
      token,
      () =>
        key === undefined || host.pendingCount() > BUSY_PENDING || !host.hasFile(key) ? undefined : host.snapshot({ deferChecks: true }),
      (analysis) => (analysis === undefined || key === undefined ? null : fileStatus(helm, analysis, key)),
      { log, value: null },
    );
  });
  connection.onRequest(DEBUG_STATS_METHOD, (): DebugStatsResult | null =>
    debug ? { parses: host.stats.parses, snapshots: host.stats.snapshots, files: host.fileUris().length } : null,
  );

  // Document notifications are narrowed before they are applied (server/documentGuard.ts).
  documents.listen(guardedDocumentConnection(connection, documents, log));
  connection.listen();
  return {
    host,
    dispose: () => {
      cacheTimer?.dispose();
      publisher.dispose();
      connection.dispose();
    },
  };
}
