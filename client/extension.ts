/**
 * Kube Reach for VS Code: starts the language server, shows its log in the "Kube Reach" output
 * channel, restarts it after a crash, and hosts the reachability panel. Activation does no work
 * beyond wiring: the server starts in the background.
 */

import * as vscode from 'vscode';
import { ANALYSIS_COMPLETE_METHOD, type AnalysisCompleteParams } from '../protocol/lsp.js';
import type { KubeReachApi } from './api.js';
import { createLanguageClient, stateName, type ServerHandle } from './languageClient.js';
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

function isAnalysisComplete(v: unknown): v is AnalysisCompleteParams {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r['version'] === 'number' && typeof r['files'] === 'number' && typeof r['durationMs'] === 'number';
}

export function activate(context: vscode.ExtensionContext): KubeReachApi {
  const activationStart = Date.now();
  const log = new Log('Kube Reach');
  context.subscriptions.push(log);
  const server = createLanguageClient(context, log);
  handle = server;
  const { client } = server;
  const panel = new ReachabilityPanel(context.extensionUri, client, log);
  context.subscriptions.push(panel);
  const helm = new HelmFeatures(client, log, COMMANDS.showOutput);
  context.subscriptions.push(helm);

  let analyses = 0;
  const waiters: Array<{ after: number; resolve: (p: AnalysisCompleteParams) => void }> = [];
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
    client.onDidChangeState((e) => log.info(`server state: ${stateName(e.oldState)} → ${stateName(e.newState)}`)),
    // Restricted Mode keeps git off (initializationOptions.git); trusting the workspace restarts
    // the server so the comparison with HEAD can run.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (!client.isRunning()) return;
      log.info('workspace trusted: restarting the server (git may now run)');
      void client.restart();
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
      server.policy.reset();
      log.info('restarting the server on request');
      await client.restart();
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => {
      log.channel.show(true);
    }),
    ...registerCodeLensCommands(COMMANDS.showReachability),
  );

  const started = Date.now();
  log.info(`activated in ${started - activationStart} ms; starting the server`);
  client.start().then(
    () => log.info(`server ready in ${Date.now() - started} ms`),
    (e: unknown) => log.error(`the server failed to start: ${e instanceof Error ? e.message : String(e)}`),
  );

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
    serverState: () => stateName(client.state),
    restarts: () => server.restarts(),
    serverPid: () => server.pid(),
    logLines: () => log.recent(),
    panel: () => panel.state(),
    languageStatus: () => helm.statusText(),
  };
}

export async function deactivate(): Promise<void> {
  const h = handle;
  handle = undefined;
  if (h !== undefined && h.client.isRunning()) await h.client.stop();
}
