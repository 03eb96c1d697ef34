/**
 * Kube Reach for VS Code: starts the language server, shows its log in the "Kube Reach" output
 * channel, restarts it after a crash, and hosts the reachability panel. Activation does no work
 * beyond wiring: the language client (vscode-languageclient, client/languageClient.ts, a bundle of
 * its own: dist/languageClient.js) is loaded and the server started right after `activate`
 * returns (design T9); commands and requests made before then wait for it.
 */

import * as vscode from 'vscode';
import { ANALYSIS_COMPLETE_METHOD, type AnalysisCompleteParams } from '../protocol/lsp.js';
import type { KubeReachApi } from './api.js';
import type * as LanguageClientModule from './languageClient.js';
import type { ServerHandle } from './languageClient.js';
import type { ServerRequests } from './serverRequests.js';
import { registerCodeLensCommands } from './codeLensCommands.js';
import { Log } from './log.js';
import { ReachabilityPanel, parseShowArgs } from './panel/panel.js';
import { HelmFeatures } from './helm.js';

export const COMMANDS = {
  showReachability: 'kubeReach.showReachability',
  showChanges: 'kubeReach.showChanges',
  restartServer: 'kubeReach.restartServer',
  showOutput: 'kubeReach.showOutput',
} as const;

let handle: ServerHandle | undefined;
/** Set by `deactivate`: a language client that has not loaded by then is not started. */
let deactivated = false;

/** The language client's module (its own bundle): required on first use, never during activation. */
function languageClientModule(): typeof LanguageClientModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./languageClient.js') as typeof LanguageClientModule;
}

function isAnalysisComplete(v: unknown): v is AnalysisCompleteParams {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r['version'] === 'number' && typeof r['files'] === 'number' && typeof r['durationMs'] === 'number';
}

export function activate(context: vscode.ExtensionContext): KubeReachApi {
  const activationStart = Date.now();
  const log = new Log('Kube Reach');
  context.subscriptions.push(log);
  let server: ServerHandle | undefined;
  let stateName: ((state: ServerHandle['client']['state']) => 'starting' | 'running' | 'stopped') | undefined;
  let markLoaded: (s: ServerHandle) => void = () => undefined;
  const loaded = new Promise<ServerHandle>((resolve) => (markLoaded = resolve));
  deactivated = false;
  const requests: ServerRequests = {
    isRunning: () => server?.client.isRunning() ?? false,
    sendRequest: async <R>(method: string, params: unknown): Promise<R> => (await loaded).client.sendRequest<R>(method, params),
  };
  const panel = new ReachabilityPanel(context.extensionUri, requests, log);
  context.subscriptions.push(panel);
  const helm = new HelmFeatures(requests, log, COMMANDS.showOutput);
  context.subscriptions.push(helm);

  let analyses = 0;
  const waiters: Array<{ after: number; resolve: (p: AnalysisCompleteParams) => void }> = [];
  context.subscriptions.push(
    // Restricted Mode keeps git off (initializationOptions.git); trusting the workspace restarts
    // the server so the comparison with HEAD can run.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (server === undefined || !server.client.isRunning()) return;
      log.info('workspace trusted: restarting the server (git may now run)');
      void server.client.restart();
    }),
  );

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showReachability, (arg: unknown) => {
      panel.show(parseShowArgs(arg));
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.showChanges, () => {
      panel.show({ view: 'changes' });
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.restartServer, async () => {
      const s = await loaded;
      s.policy.reset();
      log.info('restarting the server on request');
      await s.client.restart();
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => {
      log.channel.show(true);
    }),
    ...registerCodeLensCommands(COMMANDS.showReachability),
  );

  /** Loads the language client, wires its notifications and starts the server (after `activate` returns). */
  const start = (): void => {
    const loadStart = Date.now();
    const mod = languageClientModule();
    const s = mod.createLanguageClient(context, log);
    server = s;
    handle = s;
    stateName = mod.stateName;
    const { client } = s;
    context.subscriptions.push(
      client.onNotification(ANALYSIS_COMPLETE_METHOD, (params: unknown) => {
        if (!isAnalysisComplete(params)) return;
        analyses++;
        for (let i = waiters.length - 1; i >= 0; i--) {
          const w = waiters[i];
          if (w !== undefined && analyses > w.after) {
            waiters.splice(i, 1);
            w.resolve(params);
          }
        }
        panel.onAnalysisComplete();
        helm.onAnalysisComplete(params);
      }),
      client.onDidChangeState((e) => log.info(`server state: ${mod.stateName(e.oldState)} → ${mod.stateName(e.newState)}`)),
    );
    markLoaded(s);
    const started = Date.now();
    log.info(`language client loaded in ${started - loadStart} ms; starting the server`);
    client.start().then(
      () => log.info(`server ready in ${Date.now() - started} ms`),
      (e: unknown) => log.error(`the server failed to start: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  setImmediate(() => {
    if (deactivated) return;
    try {
      start();
    } catch (e) {
      log.error(`the language client failed to load: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  log.info(`activated in ${Date.now() - activationStart} ms; loading the language client`);

  return {
    analysisCount: () => analyses,
    waitForAnalysis: (afterCount, timeoutMs) =>
      new Promise<AnalysisCompleteParams>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no kubeReach/analysisComplete within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          after: afterCount,
          resolve: (p) => {
            clearTimeout(timer);
            resolve(p);
          },
        });
      }),
    serverState: () => (server === undefined || stateName === undefined ? 'starting' : stateName(server.client.state)),
    restarts: () => server?.restarts() ?? 0,
    serverPid: () => server?.pid(),
    logLines: () => log.recent(),
    panel: () => panel.state(),
    languageStatus: () => helm.statusText(),
  };
}

export async function deactivate(): Promise<void> {
  // A client not loaded yet is never started.
  deactivated = true;
  const h = handle;
  handle = undefined;
  if (h !== undefined && h.client.isRunning()) await h.client.stop();
}
