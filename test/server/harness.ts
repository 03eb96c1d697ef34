/**
 * An in-process language server and a JSON-RPC client joined by two stream pairs: real messages,
 * real framing, our real modules (no mocks). The client records every notification and answers
 * the server's requests the way the capabilities it declared say it would.
 */

import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { ClientCapabilities, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver';
import { nodeRuntime } from '../../server/runtime.js';
import { startServer } from '../../server/server.js';
import type { ServerHandle } from '../../server/server.js';
import { pathToUri } from '../../server/uris.js';
import { isRecord } from '../../analysis/index.js';

/** How long any single wait may take before the test fails with a clear message. */
export const WAIT_MS = 60_000;

export interface Received {
  readonly method: string;
  readonly params: unknown;
  /** Arrival order across notifications, requests and the initialize response. */
  readonly seq: number;
}

export interface HarnessOptions {
  readonly capabilities: ClientCapabilities;
  readonly rootPath?: string;
  /** Answers `workspace/configuration` items by section. */
  readonly configuration?: Readonly<Record<string, unknown>>;
}

export class Harness {
  readonly client: MessageConnection;
  readonly server: ServerHandle;
  readonly received: Received[] = [];
  /** Files the analysis host held when the initialize result arrived. */
  filesAtInitializeResult = -1;
  private seq = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly options: HarnessOptions) {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    // Readers/writers, not raw streams: given a raw stream, the server library exits the process
    // when that stream ends.
    this.server = startServer(
      (options) => createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient), options),
      nodeRuntime,
    );
    this.client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    this.client.onNotification((method, params) => this.record(method, params));
    this.client.onUnhandledProgress((params) => this.record('$/progress', params));
    this.client.onRequest((method, params) => {
      this.record(method, params);
      if (method === 'workspace/configuration') {
        const items = isRecord(params) && Array.isArray(params['items']) ? (params['items'] as unknown[]) : [];
        return items.map((it) =>
          isRecord(it) && typeof it['section'] === 'string' ? (this.options.configuration?.[it['section']] ?? null) : null,
        );
      }
      return null;
    });
    this.client.listen();
  }

  record(method: string, params: unknown): void {
    this.received.push({ method, params, seq: this.seq++ });
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Sends `initialize` (recording the result's arrival) and `initialized`. */
  async initialize(initializationOptions?: unknown): Promise<InitializeResult> {
    const rootUri = this.options.rootPath === undefined ? null : pathToUri(this.options.rootPath);
    const result: InitializeResult = await this.client.sendRequest('initialize', {
      processId: null,
      rootUri,
      workspaceFolders: rootUri === null ? null : [{ uri: rootUri, name: 'root' }],
      capabilities: this.options.capabilities,
      initializationOptions,
    });
    this.filesAtInitializeResult = this.server.host.fileUris().length;
    this.record('<initialize result>', result);
    await this.client.sendNotification('initialized', {});
    return result;
  }

  /** Resolves with the first received message (after `from`) that satisfies `pred`. */
  async waitFor(description: string, pred: (r: Received) => boolean, from = 0): Promise<Received> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const hit = this.received.slice(from).find(pred);
      if (hit !== undefined) return hit;
      const left = deadline - Date.now();
      if (left <= 0) {
        const tail = this.received
          .slice(-10)
          .map((r) => r.method)
          .join(', ');
        throw new Error(`Timed out waiting for ${description}; last messages: ${tail}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the next `kubeReach/analysisComplete` after message index `from`. */
  analysisComplete(from = 0): Promise<Received> {
    return this.waitFor('kubeReach/analysisComplete', (r) => r.method === 'kubeReach/analysisComplete', from).then(healthy);
  }

  /** Waits for the `kubeReach/analysisComplete` that ends the pass which sent `r`. */
  passEnd(r: Received): Promise<Received> {
    return this.waitFor(
      'kubeReach/analysisComplete after a publication',
      (x) => x.method === 'kubeReach/analysisComplete' && x.seq > r.seq,
    ).then(healthy);
  }

  /** Publications for `uri` received so far. */
  publications(uri: string): PublishDiagnosticsParams[] {
    return this.received
      .filter((r) => r.method === 'textDocument/publishDiagnostics')
      .map((r) => r.params as PublishDiagnosticsParams)
      .filter((p) => p.uri === uri);
  }

  dispose(): void {
    this.server.dispose();
    this.client.dispose();
  }
}

/** A temporary folder with the given files (relative path → text); remove it with `cleanup`. */
export function tempWorkspace(files: Readonly<Record<string, string>>): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'kube-reach-server-'));
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A pass in which a check threw fails the test (the server logged which; see its output). */
function healthy(r: Received): Received {
  const failures = isRecord(r.params) ? r.params['checkFailures'] : undefined;
  if (failures !== 0) throw new Error(`kubeReach/analysisComplete reports checkFailures: ${String(failures)}`);
  return r;
}

/** Capabilities of a full-featured client (VS Code-like). */
export const FULL_CAPABILITIES: ClientCapabilities = {
  window: { workDoneProgress: true },
  workspace: {
    configuration: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    didChangeConfiguration: { dynamicRegistration: true },
    workspaceFolders: true,
  },
  textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } },
};
