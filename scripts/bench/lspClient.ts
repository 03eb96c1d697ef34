/**
 * The benchmark's editor stand-in: spawns the language server as a child process and speaks
 * JSON-RPC over its stdio, recording when each message arrives. Waiters are registered before the
 * message that triggers them is sent, so no arrival is missed and timings start at the send.
 */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { serverEnv } from '../../protocol/serverProcess.js';

/** One clock tick of /proc/<pid>/stat's CPU times (USER_HZ: 100 on Linux). */
const CLOCK_TICK_MS = 10;

export interface Arrival {
  readonly method: string;
  readonly params: unknown;
  /** performance.now() at arrival. */
  readonly at: number;
}

type Listener = (a: Arrival) => void;

/** What an editor like VS Code announces (progress, configuration, versioned diagnostics, markdown hover). */
export const EDITOR_CAPABILITIES = {
  window: { workDoneProgress: true },
  workspace: { configuration: true, workspaceFolders: true },
  textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true }, hover: { contentFormat: ['markdown'] } },
} as const;

/** The measured start of a session: T2 (spawn → `initialize` answered) and T1 (`initialized` → the first pass complete). */
export interface SessionStart {
  readonly t2: number;
  readonly t1: number;
  /** The server's CPU time (ms, `cpuMs`) when `initialized` was sent: T1's CPU is the CPU at the pass's end minus this. */
  readonly cpuAtInitialized: number | undefined;
  /** The first `kubeReach/analysisComplete`. */
  readonly complete: Arrival;
}

export class BenchClient {
  readonly spawnedAt: number;
  readonly connection: MessageConnection;
  private readonly child: ChildProcess;
  private readonly listeners = new Set<Listener>();
  private stderr = '';

  constructor(command: string, args: readonly string[], cwd: string) {
    this.spawnedAt = performance.now();
    // The environment the VS Code client gives the server (protocol/serverProcess.ts `serverEnv`).
    this.child = spawn(command, args, { cwd, env: serverEnv(process.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const { stdout, stdin, stderr } = this.child;
    if (stdout === null || stdin === null || stderr === null) throw new Error('no stdio on the server process');
    stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.connection = createMessageConnection(new StreamMessageReader(stdout), new StreamMessageWriter(stdin));
    this.connection.onNotification((method, params) => this.emit({ method, params, at: performance.now() }));
    this.connection.onUnhandledProgress((params) => this.emit({ method: '$/progress', params, at: performance.now() }));
    this.connection.onRequest((method, params) => {
      this.emit({ method, params, at: performance.now() });
      if (method === 'workspace/configuration') {
        const items = (params as { items?: unknown[] } | undefined)?.items ?? [];
        return items.map(() => null);
      }
      return null;
    });
    this.connection.listen();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stderrTail(): string {
    return this.stderr;
  }

  /** Calls `listener` for every message from the server until the returned function is called. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Collects the server's `Pass …` log lines (its per-pass timings) into `into` until the returned function is called. */
  collectPassLogs(into: string[]): () => void {
    return this.listen((a) => {
      const message = (a.params as { message?: unknown } | undefined)?.message;
      if (a.method === 'window/logMessage' && typeof message === 'string' && message.startsWith('Pass ')) into.push(message);
    });
  }

  /**
   * Opens the workspace at `root` as an editor does (`initialize`, then `initialized`) and waits for
   * the cold analysis to complete.
   */
  async start(root: string, capabilities: object = EDITOR_CAPABILITIES, initializationOptions?: unknown): Promise<SessionStart> {
    const rootUri = pathToFileURL(root).href;
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      capabilities,
      ...(initializationOptions !== undefined ? { initializationOptions } : {}),
    });
    const t2 = performance.now() - this.spawnedAt;
    const complete = this.next('analysisComplete', (a) => a.method === 'kubeReach/analysisComplete', 600_000);
    const cpuAtInitialized = this.cpuMs();
    const initializedAt = performance.now();
    await this.connection.sendNotification('initialized', {});
    const done = await complete;
    return { t2, t1: done.at - initializedAt, cpuAtInitialized, complete: done };
  }

  /** The first message (from now on) that satisfies `pred`; rejects after `timeoutMs`. */
  next(what: string, pred: (a: Arrival) => boolean, timeoutMs: number): Promise<Arrival> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const stop = this.listen((a) => {
        if (!pred(a)) return;
        clearTimeout(timer);
        stop();
        resolve(a);
      });
    });
  }

  /** Peak resident set size of the server process (VmHWM), in MB; undefined off Linux. */
  peakRssMB(): number | undefined {
    if (this.child.pid === undefined) return undefined;
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
      return kb === undefined ? undefined : Number(kb) / 1024;
    } catch {
      return undefined;
    }
  }

  /**
   * CPU time the server process has used so far (user + system, /proc/<pid>/stat), in ms;
   * undefined off Linux. Unlike wall-clock latencies it barely moves with the machine's load, so
   * two runs that do the same work compare by it (a V8 flag's GC cost, `--server-flag`).
   */
  cpuMs(): number | undefined {
    if (this.child.pid === undefined) return undefined;
    try {
      const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state is the first, utime the 12th, stime the 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      return Number.isFinite(ticks) ? ticks * CLOCK_TICK_MS : undefined;
    } catch {
      return undefined;
    }
  }

  /** Shuts the server down politely, then makes sure the process is gone. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The process may already be gone.
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }

  private emit(a: Arrival): void {
    for (const l of [...this.listeners]) l(a);
  }
}

/** The line and character of `offset` in `text` (LF line breaks). */
export function positionOf(text: string, offset: number): { line: number; character: number } {
  // Line breaks counted in place (no copy of the text before the offset, no array of its lines).
  let line = 0;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, character: offset - lineStart };
}

/** How long one edit took to answer: to this version's diagnostics, and to the pass complete (undefined when it never came). */
export interface EditTimes {
  readonly diagnostics: number;
  readonly pass: number | undefined;
}

/** A document the bench opens and edits as an editor would, timing each edit's answers. */
export class BenchDocument {
  private version = 1;

  constructor(
    private readonly client: BenchClient,
    readonly uri: string,
    public text: string,
  ) {}

  private published(v: number): Promise<Arrival> {
    return this.client.next(
      `diagnostics of version ${v}`,
      (a) =>
        a.method === 'textDocument/publishDiagnostics' &&
        (a.params as { uri?: unknown }).uri === this.uri &&
        (a.params as { version?: unknown }).version === v,
      30_000,
    );
  }

  /** didOpen, answered by the document's first diagnostics. */
  async open(): Promise<void> {
    const opened = this.published(1);
    await this.client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: this.uri, languageId: 'yaml', version: 1, text: this.text },
    });
    await opened;
  }

  /**
   * Toggles the text between `a` and `b` (`a` → `b` first) `times` times, one edit each: the time to
   * each edit's diagnostics goes to `into.edits`, to its pass complete to `into.passes`, and an answer
   * that never came is named in `into.lost`.
   */
  async toggle(a: string, b: string, times: number, into: { edits: number[]; passes: number[]; lost: string[] }): Promise<void> {
    for (let i = 0; i < times; i++) {
      const [from, to] = i % 2 === 0 ? [a, b] : [b, a];
      try {
        const t = await this.replace(from, to);
        into.edits.push(t.diagnostics);
        if (t.pass === undefined) into.lost.push(`${from} → ${to}: no analysisComplete`);
        else into.passes.push(t.pass);
      } catch (e) {
        into.lost.push(`${from} → ${to}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  /**
   * Replaces the first `from` at or after the first `after` by `to` (one didChange), then waits for
   * the new version's diagnostics (rejects when they never come) and the pass complete, and pauses
   * 50 ms as a typist would.
   */
  async replace(from: string, to: string, after = ''): Promise<EditTimes> {
    const at = this.text.indexOf(from, Math.max(0, this.text.indexOf(after)));
    if (at < 0) throw new Error(`"${from}" not in ${this.uri}`);
    const version = ++this.version;
    const arrived = this.published(version);
    const idle = this.client.next('analysisComplete', (a) => a.method === 'kubeReach/analysisComplete', 30_000).catch(() => undefined);
    // Positions first: the clock times the server, not the bench's line counting (an editor has them).
    const range = { start: positionOf(this.text, at), end: positionOf(this.text, at + from.length) };
    const e0 = performance.now();
    await this.client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: this.uri, version },
      contentChanges: [{ range, text: to }],
    });
    this.text = this.text.slice(0, at) + to + this.text.slice(at + from.length);
    try {
      const diagnostics = (await arrived).at - e0;
      const done = await idle;
      return { diagnostics, pass: done === undefined ? undefined : done.at - e0 };
    } finally {
      await idle;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
