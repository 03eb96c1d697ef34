/**
 * Starts the language server (dist/server.js, the same bundle `kube-reach lsp --stdio` runs, with
 * the heap settings of protocol/serverProcess.ts) and keeps it running: a server that stops
 * unexpectedly is restarted a few times, with a line in the output channel and never a modal
 * dialog (docs/dev/design.md §1).
 */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import { resolveSchemaAssist } from './schemaAssist.js';
import { MANIFEST_LANGUAGES } from './helm.js';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type CloseHandlerResult,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { Log } from './log.js';
import { RestartPolicy } from './restartPolicy.js';
import { serverEnv, serverMemoryMB, serverNodeFlags, serverStderrAdvice } from '../protocol/serverProcess.js';

export const CLIENT_ID = 'kubeReach';

export interface ServerHandle {
  readonly client: LanguageClient;
  readonly policy: RestartPolicy;
  pid(): number | undefined;
  restarts(): number;
}

export function createLanguageClient(context: vscode.ExtensionContext, log: Log): ServerHandle {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const policy = new RestartPolicy();
  let current: ChildProcess | undefined;
  let restarts = 0;

  // We spawn the server ourselves (stdio) so that its pid and stderr are ours to report.
  const serverOptions: ServerOptions = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      // Read at every (re)start, so "Kube Reach: Restart Server" applies a changed limit.
      const memoryMB = serverMemoryMB(vscode.workspace.getConfiguration('kubeReach').get<unknown>('server.maxMemoryMB'));
      const child = spawn(process.execPath, [...serverNodeFlags(memoryMB), serverModule, '--stdio', `--clientProcessId=${process.pid}`], {
        env: serverEnv({ ...process.env, ELECTRON_RUN_AS_NODE: '1' }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) {
          if (line.trim() === '') continue;
          log.warn(`[server stderr] ${line}`);
          const advice = serverStderrAdvice(line, memoryMB);
          if (advice !== undefined) log.error(advice);
        }
      });
      child.once('error', (e) => reject(e));
      child.once('spawn', () => {
        current = child;
        log.info(`server started (pid ${child.pid ?? '?'}, heap limit ${memoryMB} MB): ${serverModule}`);
        resolve(child);
      });
      child.once('exit', (code, signal) => {
        log.info(`server process ${child.pid ?? '?'} exited (${signal ?? `code ${code ?? '?'}`})`);
        if (current === child) current = undefined;
      });
    });

  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json}');
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    // `helm`: chart templates as vscode-kubernetes-tools names them; they are YAML templates to us.
    documentSelector: MANIFEST_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: {
      configurationSection: 'kubeReach',
      fileEvents: watcher,
    },
    outputChannel: log.channel,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // A function: read again at every (re)start, so "Kube Reach: Restart Server" applies a changed setting.
    initializationOptions: () => ({
      schemaAssist: resolveSchemaAssist(),
      ...warmStartCache(context),
      ...editorGit(),
      // kubeReach.server.parseWorkers, narrowed by the server (server/parsePool.ts).
      parseWorkers: vscode.workspace.getConfiguration('kubeReach').get<unknown>('server.parseWorkers', 'auto'),
    }),
    errorHandler: {
      error(error, _message, count): ErrorHandlerResult {
        log.error(`connection error (${count ?? 0}): ${error.message}`);
        return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
      },
      closed(): CloseHandlerResult {
        const d = policy.onStopped(Date.now());
        if (d.restart) {
          restarts++;
          log.warn(
            `the Kube Reach server stopped unexpectedly; restarting it (${d.count} of ${policy.max} within ${policy.windowMs / 60000} minutes)`,
          );
          return { action: CloseAction.Restart, handled: true };
        }
        log.error(
          `the Kube Reach server stopped ${policy.max} times within ${policy.windowMs / 60000} minutes; not restarting. Run "Kube Reach: Restart Server" to try again.`,
        );
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };

  const client = new LanguageClient(CLIENT_ID, 'Kube Reach', serverOptions, clientOptions);
  return { client, policy, pid: () => current?.pid, restarts: () => restarts };
}

/**
 * The warm-start cache's folder (docs/dev/warm-start.md): the extension's storage for this
 * workspace (the global one without a folder open), never the workspace; none when
 * `kubeReach.server.cache` is off.
 */
function warmStartCache(context: vscode.ExtensionContext): { cacheDir?: string } {
  if (vscode.workspace.getConfiguration('kubeReach').get<unknown>('server.cache', true) === false) return {};
  const storage = context.storageUri ?? context.globalStorageUri;
  return storage.scheme === 'file' ? { cacheDir: storage.fsPath } : {};
}

export function stateName(state: State): 'starting' | 'running' | 'stopped' {
  switch (state) {
    case State.Running:
      return 'running';
    case State.Starting:
      return 'starting';
    default:
      return 'stopped';
  }
}

/**
 * The git VS Code uses, for the server's comparison with HEAD (`kubeReach/diff`, the policy lenses):
 * the path the built-in git extension found when it is already running, else the `git.path`
 * setting (machine-scoped: a workspace cannot set it); nothing (the server runs `git` from PATH)
 * when neither says; `git: false` in an untrusted workspace.
 */
function editorGit(): { gitPath?: string; git?: false } {
  // Git runs a repository's own configuration (filters, fsmonitor): not in Restricted Mode, as
  // VS Code's git extension (the server is restarted when the workspace is trusted).
  if (!vscode.workspace.isTrusted) return { git: false };
  const ext = vscode.extensions.getExtension<{ getAPI(version: 1): { git: { path: string } } }>('vscode.git');
  try {
    const found = ext?.isActive === true ? ext.exports.getAPI(1).git.path : undefined;
    if (typeof found === 'string' && found !== '') return { gitPath: found };
  } catch {
    // The git extension is disabled or not ready: fall back to the setting.
  }
  const setting: unknown = vscode.workspace.getConfiguration('git').get('path');
  const configured = Array.isArray(setting) ? (setting as unknown[]).find((p) => typeof p === 'string' && p !== '') : setting;
  return typeof configured === 'string' && configured !== '' ? { gitPath: configured } : {};
}
