/**
 * Analysis passes and diagnostic publication.
 *
 * Checks cross files (a Deployment edit can fix a Service diagnostic elsewhere), so passes are
 * scheduled for the whole workspace, not per file. The debounce adapts between 0 and 20 ms: an
 * edit that arrives while the user is idle is analysed on the next turn of the event loop; edits
 * arriving faster than a pass takes wait up to the last pass's duration (at most 20 ms), so a
 * burst costs one pass instead of one per keystroke. A long pass (the initial parse) runs in
 * chunks and takes the edits that arrive meanwhile into the same pass, so no stale pass runs to
 * completion.
 *
 * Publication: only URIs whose diagnostics changed are sent, URIs that left the workspace are
 * cleared, and a result is never published for a document version older than the newest one the
 * client sent. `kubeReach/analysisComplete` follows every pass.
 */

import type { Connection, Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Analysis, AnalysisHost, Diagnostic } from '../analysis/index.js';
import { ANALYSIS_COMPLETE_METHOD } from '../protocol/lsp.js';
import type { AnalysisCompleteParams } from '../protocol/lsp.js';
import { toLspDiagnostic } from './convert.js';
import type { ClientUriOf } from './convert.js';
import type { Disposable, ServerRuntime } from './runtime.js';
import { uriToPath } from './uris.js';
import { parseWorkers } from './parsePool.js';
import type { ParseWorkers } from './parsePool.js';

/** The longest a change waits before its pass starts (docs/dev/design.md §9, T4). */
export const MAX_DEBOUNCE_MS = 20;
/** Files parsed per event-loop turn during a long pass. */
const PARSE_CHUNK = 250;
const NONE: readonly Diagnostic[] = [];

/** Files checked per event-loop turn (an edit's pass checks a few files: one turn). */
const CHECK_CHUNK = 50;
/** A check phase longer than this reports its progress (`window/workDoneProgress`). */
const CHECK_PROGRESS_AFTER_MS = 500;

/** What the publisher needs to know about open documents. */
export interface OpenDocuments {
  /** The client's URI for an analysis key. */
  clientUri: ClientUriOf;
  /** The version of the open document with this key, or undefined when it is not open. */
  version(key: string): number | undefined;
  isOpen(key: string): boolean;
  /** The keys of the open documents. */
  openKeys(): Iterable<string>;
}

/** Progress of a pass, as `window/workDoneProgress` reports it. */
export interface PassProgress {
  report(percentage: number, message: string): void;
  done(): void;
}

interface Published {
  readonly fingerprint: string;
  readonly version: number | undefined;
  /** The analysis diagnostics behind the publication (identity-compared on the next pass). */
  readonly items?: readonly Diagnostic[];
}

export class DiagnosticsPublisher {
  private readonly published = new Map<string, Published>();
  /** Helm render notes already written to the log (each once). */
  private readonly loggedHelmNotes = new Set<string>();
  /** Keys changed since the last pass started; published first. */
  private changedKeys = new Set<string>();
  private timer: Disposable | undefined;
  private running = false;
  private rerun = false;
  private firstChangeAt: number | undefined;
  private lastChangeAt = Number.NEGATIVE_INFINITY;
  private lastPassMs = 0;
  private passes = 0;
  private progress: PassProgress | undefined;
  private disposed = false;
  /** The parse workers of a cold pass (`useParseWorkers`; `kubeReach.server.parseWorkers`). */
  private parseWorkers: ParseWorkers = parseWorkers('auto');
  /**
   * Until the first workspace scan has loaded the disk, passes wait: a pass over the open
   * documents alone would judge them without the rest of the workspace (a Service without its
   * Deployment) and flash findings that the full pass then retracts.
   */
  private held = true;
  /** Called after every pass (the server writes the warm-start cache once passes stop). */
  afterPass: (() => void) | undefined;
  /** Creates a progress report for a long check phase (the server's `window/workDoneProgress`, when the client has it). */
  createProgress: ((title: string) => Promise<PassProgress | undefined>) | undefined;
  /** Whether the running pass is in its check phase (an edit then supersedes it at once). */
  private checking = false;

  constructor(
    private readonly connection: Connection,
    private readonly host: AnalysisHost,
    private readonly runtime: ServerRuntime,
    private readonly documents: OpenDocuments,
    private readonly log: (message: string) => void,
  ) {}

  /** A file's text (or presence, or version) changed: schedule a pass. */
  changed(key: string): void {
    const now = this.runtime.now();
    this.changedKeys.add(key);
    // A pass checking an older snapshot is stale: its checks end here (the files they did not
    // reach are checked with the next snapshot), so a request that comes with the edit (a hover)
    // is answered from the new snapshot without finishing them first.
    if (this.checking) this.host.supersede();
    this.firstChangeAt ??= now;
    // Adaptive debounce: a change close on the heels of the previous one (a burst) waits for
    // more; an isolated change goes straight to analysis.
    const burst = now - this.lastChangeAt < Math.max(1, this.lastPassMs);
    this.lastChangeAt = now;
    this.schedule(burst ? Math.min(MAX_DEBOUNCE_MS, this.lastPassMs) : 0);
  }

  /**
   * Run a pass as soon as possible (and stop holding passes back); `progress` (if given) receives
   * parse progress and is ended right before the pass's `kubeReach/analysisComplete`.
   */
  requestPass(progress?: PassProgress): void {
    this.held = false;
    if (progress !== undefined) {
      this.progress?.done();
      this.progress = progress;
    }
    this.firstChangeAt ??= this.runtime.now();
    this.schedule(0);
  }

  /**
   * A document was opened or closed: its version sequence starts afresh (clients may number a
   * reopened document from 1 again), so the stale-version guard must forget the old numbers.
   */
  /** How many threads lower a cold pass's files (server/parsePool.ts `parseWorkers`). */
  useParseWorkers(workers: ParseWorkers): void {
    this.parseWorkers = workers;
  }

  forgetVersion(key: string): void {
    const previous = this.published.get(key);
    if (previous?.version !== undefined) this.published.set(key, { fingerprint: previous.fingerprint, version: undefined });
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.dispose();
    this.timer = undefined;
  }

  private schedule(delay: number): void {
    if (this.disposed || this.held) return;
    if (this.running) {
      // The running pass picks the change up (during its parse phase) or runs again after.
      this.rerun = true;
      return;
    }
    // A pending timer already fires within MAX_DEBOUNCE_MS of the first change: keep it, so a
    // steady stream of edits can never postpone analysis indefinitely.
    if (this.timer !== undefined) return;
    this.timer = this.runtime.setTimer(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
  }

  private async run(): Promise<void> {
    if (this.running || this.disposed) return;
    this.running = true;
    try {
      do {
        this.rerun = false;
        await this.pass();
      } while (this.rerun && !this.disposed);
    } catch (e) {
      this.log(`Analysis pass failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } finally {
      this.running = false;
    }
  }

  private async pass(): Promise<void> {
    // Requests that arrived with the change (a reachability query, a hover) go first: they take
    // the new snapshot without waiting for its checks, which this pass then runs. Two turns: the
    // JSON-RPC layer writes a response one turn after the handler returns it.
    await this.runtime.yieldToEventLoop();
    await this.runtime.yieldToEventLoop();
    if (this.disposed) return;
    const startedAt = this.firstChangeAt ?? this.runtime.now();
    const passStart = this.runtime.now();
    // Parse what is pending in chunks, letting messages in between; edits that arrive meanwhile
    // join this pass (their files become pending), which is how a stale pass is cancelled.
    let total = this.host.pendingCount();
    const parsing = total;
    // A cold pass's plain manifests go to the parse workers first (server/parsePool.ts); the
    // host takes their facts, and parses what they did not lower (templates, failures) below.
    if (total > PARSE_CHUNK && this.runtime.lowerOnWorkers !== undefined) {
      const report = (done: number, all: number): void =>
        this.progress?.report(Math.floor((done / all) * 100), `Parsed ${done} of ${all} files`);
      await this.runtime.lowerOnWorkers(
        this.host.plainPending(),
        this.parseWorkers,
        (uri, text, facts, value) => this.host.offerLowered(uri, text, facts, value),
        report,
      );
    }
    if (total > PARSE_CHUNK) {
      let remaining = total;
      while (remaining > 0 && !this.disposed) {
        remaining = this.host.parsePending(PARSE_CHUNK);
        total = Math.max(total, remaining);
        this.progress?.report(Math.floor(((total - remaining) / total) * 100), `Parsed ${total - remaining} of ${total} files`);
        await this.runtime.yieldToEventLoop();
      }
    }
    if (this.disposed) return;
    // From here to the last publish nothing else changes: the check phase lets requests in
    // (hover, completion: answered from this snapshot) but a change that arrives meanwhile
    // supersedes the pass, which then publishes nothing; so the snapshot, the document versions
    // and the published results belong to the same moment.
    this.firstChangeAt = undefined;
    const changed = this.changedKeys;
    this.changedKeys = new Set();
    this.rerun = false;
    const t0 = this.runtime.now();
    const analysis = this.host.snapshot({ deferChecks: true });
    for (const f of this.host.takeFailures()) this.log(`Analysis failed on ${f.uri}; the file is not analysed: ${f.message}`);
    // What a chart could not render (the file and the function, fail's message, a missing
    // dependency): once per chart and message, in the output channel (issue 12, point 5).
    for (const n of analysis.helmNotes()) {
      const line = `Helm: chart ${uriToPath(n.chart) ?? n.chart}: ${n.message}`;
      if (this.loggedHelmNotes.has(line)) continue;
      this.loggedHelmNotes.add(line);
      this.log(line);
    }
    const t1 = this.runtime.now();
    if (!(await this.check(analysis, t1))) return;
    // Only the files that have diagnostics, had some published, changed or are open can need a
    // publication (`publish` skips a closed file that has nothing and had nothing): a pass after
    // one edit visits those, not every file of a workspace of thousands.
    const found = analysis.diagnosticsFound();
    const failed = analysis.checkFailures();
    for (const f of failed)
      this.log(`Check ${f.code} failed on ${uriToPath(f.uri) ?? f.uri}; its findings there are dropped: ${f.message}`);
    const t2 = this.runtime.now();
    const order = new Set([...changed].filter((k) => analysis.publishes(k)));
    for (const keys of [found.keys(), this.published.keys(), this.documents.openKeys()])
      for (const k of keys) if (analysis.publishes(k)) order.add(k);
    for (const key of order) this.publish(analysis, key, found.get(key) ?? NONE);
    for (const key of [...this.published.keys()]) {
      if (analysis.publishes(key)) continue;
      // The file left the workspace (or a support file, a `.fleetignore`, has no notes any more): clear what was published for it.
      this.published.delete(key);
      void this.connection.sendDiagnostics({ uri: this.documents.clientUri(key), diagnostics: [] });
    }
    const end = this.runtime.now();
    this.lastPassMs = end - passStart;
    // Where a slow pass spends its time, for whoever tunes analysis.
    if (this.lastPassMs > 100) {
      const ms = (x: number): string => x.toFixed(0);
      this.log(
        `Pass ${this.passes + 1}: ${ms(this.lastPassMs)} ms for ${analysis.fileCount} files (parse ${parsing} files ${ms(t0 - passStart)} ms, snapshot ${ms(t1 - t0)} ms, checks ${ms(t2 - t1)} ms, publish ${ms(end - t2)} ms)`,
      );
    }
    this.passes++;
    this.progress?.done();
    this.progress = undefined;
    const params: AnalysisCompleteParams = {
      version: this.passes,
      files: analysis.fileCount,
      durationMs: Math.round((this.runtime.now() - startedAt) * 100) / 100,
      checkFailures: failed.length,
    };
    void this.connection.sendNotification(ANALYSIS_COMPLETE_METHOD, params);
    this.afterPass?.();
  }

  /**
   * Runs the snapshot's checks a chunk of files per event-loop turn, reporting progress once the
   * phase is long; false when a change arrived meanwhile (the pass is superseded: the host ends
   * its checks where they are, and the next pass checks the rest with the newer snapshot).
   */
  private async check(analysis: Analysis, startedAt: number): Promise<boolean> {
    let progress: Promise<PassProgress | undefined> | undefined;
    this.checking = true;
    try {
      while (!analysis.checkSome(CHECK_CHUNK)) {
        const { done, total } = analysis.checkProgress();
        const elapsed = this.runtime.now() - startedAt;
        if (this.progress !== undefined) this.progress.report(100, `Checked ${done} of ${total} files`);
        else if (elapsed > CHECK_PROGRESS_AFTER_MS) {
          progress ??= this.createProgress?.('Checking') ?? Promise.resolve(undefined);
          void progress.then((p) => p?.report(Math.floor((done / Math.max(1, total)) * 100), `Checked ${done} of ${total} files`));
        }
        await this.runtime.yieldToEventLoop();
        if (this.disposed) return false;
        if (this.rerun) {
          this.host.supersede();
          return false;
        }
      }
      return true;
    } finally {
      this.checking = false;
      void progress?.then((p) => p?.done());
    }
  }

  private publish(analysis: Analysis, key: string, findings: readonly Diagnostic[]): void {
    const sameItems = (a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean =>
      a.length === b.length && a.every((d, i) => d === b[i]);
    const previous = this.published.get(key);
    // The common case at 10,000 files: a closed file that has nothing and had nothing.
    if (findings.length === 0 && previous === undefined && !this.documents.isOpen(key)) return;
    const version = this.documents.version(key);
    // Invariant: never publish for a version older than one already published.
    if (version !== undefined && previous?.version !== undefined && version < previous.version) return;
    // Analysis reuses the objects of unchanged findings: the same objects mean nothing to convert.
    if (previous !== undefined && previous.version === version && previous.items !== undefined && sameItems(previous.items, findings))
      return;
    const diagnostics: LspDiagnostic[] = findings.map((d) => toLspDiagnostic(analysis, d, this.documents.clientUri));
    const fingerprint = diagnostics.length === 0 ? '' : JSON.stringify(diagnostics);
    // An open document's new version is always answered (the client waits for it); otherwise
    // only a change in the diagnostics is.
    if (
      previous === undefined
        ? fingerprint === '' && version === undefined
        : previous.fingerprint === fingerprint && previous.version === version
    )
      return;
    this.published.set(key, { fingerprint, version, items: findings });
    const uri = this.documents.clientUri(key);
    void this.connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
  }
}
