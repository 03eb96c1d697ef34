/**
 * Parse workers (issue 19, point 2): the server and the CLI lower a cold pass's plain manifests on
 * their own thread and worker threads at once (`lowerApart`, in a worker run by
 * server/parseWorker.ts) and hand the facts to the host
 * (`AnalysisHost.offerLowered`), which takes them as it takes the warm-start cache's, so the
 * result is the same whichever thread lowered a file. A file a worker failed on, or every file of
 * a worker that died, is lowered by the host itself. Workers live for one `lower` call: between
 * cold passes they would only hold memory. Size: `kubeReach.server.parseWorkers` (the server's
 * `initializationOptions.parseWorkers`) and the CLI's `--parse-workers`.
 */

import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CodecError, decodeValue } from '../analysis/index.js';
import { UTF8 } from './factsCache.js';
import { PARSE_WORKER_FLAG, lowerOne } from './parseWorker.js';

/** Files handed to a worker in one message: about this much text, at most this many files. */
const BATCH_CHARS = 256 * 1024;
const BATCH_FILES = 256;
/** `auto` uses workers only for at least this much text: below it, starting them costs more than they save. */
export const AUTO_MIN_CHARS = 2 * 1024 * 1024;
/** At most this many workers, whatever the setting. */
const MAX_WORKERS = 16;

export interface ParseWorkers {
  /** Threads that lower files, this one included (1: the host lowers every file itself, no worker). */
  readonly size: number;
  /** Text below which no worker is started (0 when the size was asked for). */
  readonly minChars: number;
}

/**
 * The workers for a setting (untrusted): a whole number ≥ 1 (or its digits) is that many threads (1: none, the
 * host parses), anything else (`"auto"`, absent) one per core the process may use, started only
 * for a big enough cold pass.
 */
export function parseWorkers(setting: unknown, parallelism: number = availableParallelism()): ParseWorkers {
  const n = typeof setting === 'string' && /^[1-9][0-9]{0,3}$/.test(setting) ? Number(setting) : setting;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1) return { size: Math.min(n, MAX_WORKERS), minChars: 0 };
  return { size: Math.min(Math.max(1, parallelism), MAX_WORKERS), minChars: AUTO_MIN_CHARS };
}

/** A file for a worker: a plain manifest, or a chart's values file (`values`, `AnalysisHost.plainPending`). */
export interface PlainFile {
  readonly uri: string;
  readonly text: string;
  readonly values?: true;
}

/** What `take` gets for a file: its facts (untrusted), and for a values file the value its reading gave the renderer. */
export type Take = (uri: string, text: string, facts: unknown, value?: { readonly js: unknown }) => void;

/** A worker's answer (untrusted): its facts per file sent, or none (the host lowers them). */
function decodeAnswer(answer: unknown): unknown[] {
  if (!(answer instanceof Uint8Array)) return [];
  try {
    const value = decodeValue(answer, UTF8);
    return Array.isArray(value) ? value : [];
  } catch (e) {
    if (e instanceof CodecError) return [];
    throw e;
  }
}

/** The script a worker runs: the running bundle, or from sources (tests) parseWorker.ts through tsx. */
function startWorker(): Worker {
  const workerData = { [PARSE_WORKER_FLAG]: true };
  if (basename(__filename) === 'parsePool.ts') {
    const source = join(dirname(__filename), 'parseWorker.ts');
    const load = `const r = require('node:module').createRequire(${JSON.stringify(source)}); r(r.resolve('tsx/cjs')); r(${JSON.stringify(source)});`;
    return new Worker(load, { eval: true, workerData });
  }
  return new Worker(__filename, { workerData });
}

/** Files whose facts went to `take`, and how many of them a worker lowered. */
export interface LoweredCount {
  readonly handed: number;
  readonly byWorkers: number;
}

/**
 * Lowers `files` on `workers.size` threads: this one and `size - 1` workers, taking batches from
 * one queue (this thread yields to the event loop between its batches, so requests and the
 * workers' answers get in). Each file's facts (untrusted) go to `take` as its batch is done;
 * resolves with the number of files handed over (and lowered by workers) once every batch is done or its worker is gone
 * (a worker's unanswered batches are left to the host). Nothing happens for a size of 1, less
 * text than `minChars`, or one batch.
 */
export async function lowerOnWorkers(
  files: readonly PlainFile[],
  workers: ParseWorkers,
  take: Take,
  progress?: (done: number, total: number) => void,
): Promise<LoweredCount> {
  const none = { handed: 0, byWorkers: 0 };
  if (workers.size <= 1 || files.length === 0) return none;
  let chars = 0;
  for (const f of files) chars += f.text.length;
  if (chars < workers.minChars) return none;
  // Batches of at most BATCH_CHARS, and at least four per thread (a small workspace asked to use workers uses them).
  const batchChars = Math.min(BATCH_CHARS, Math.ceil(chars / (workers.size * 4)));
  const batches: PlainFile[][] = [];
  let batch: PlainFile[] = [];
  let inBatch = 0;
  for (const f of files) {
    batch.push(f);
    inBatch += f.text.length;
    if (inBatch >= batchChars || batch.length >= BATCH_FILES) {
      batches.push(batch);
      batch = [];
      inBatch = 0;
    }
  }
  if (batch.length > 0) batches.push(batch);
  if (batches.length < 2) return none;
  let next = 0;
  let done = 0;
  const count = { handed: 0, byWorkers: 0 };
  const finished = (sent: readonly PlainFile[], facts: readonly unknown[], byWorker: boolean): void => {
    sent.forEach((f, i) => {
      const answer = facts[i];
      if (answer === undefined) return;
      // A values file's answer is its facts and its value (`lowerOne`); a plain file's, its facts.
      if (f.values === true && Array.isArray(answer)) take(f.uri, f.text, answer[0], answer.length > 1 ? { js: answer[1] } : undefined);
      else take(f.uri, f.text, answer);
      count.handed++;
      if (byWorker) count.byWorkers++;
    });
    done += sent.length;
    progress?.(done, files.length);
  };
  const run = (worker: Worker): Promise<void> =>
    new Promise((resolve) => {
      // Two batches in flight, so a worker never waits for this thread to send the next.
      const inFlight: PlainFile[][] = [];
      const send = (): void => {
        const b = batches[next++];
        if (b === undefined) return;
        inFlight.push(b);
        worker.postMessage(b.map((f) => (f.values === true ? [f.uri, f.text, true] : [f.uri, f.text])));
      };
      worker.on('message', (answer: unknown) => {
        finished(inFlight.shift() ?? [], decodeAnswer(answer), true);
        send();
        if (inFlight.length === 0) resolve();
      });
      worker.on('error', () => resolve());
      worker.on('exit', () => resolve());
      send();
      send();
      if (inFlight.length === 0) resolve();
    });
  const mine = batches[next++] ?? [];
  const started = Array.from({ length: Math.min(workers.size - 1, batches.length - 1) }, () => startWorker());
  try {
    const answered = Promise.all(started.map(run));
    for (let b: PlainFile[] | undefined = mine; b !== undefined; b = batches[next++]) {
      finished(
        b,
        b.map((f) => lowerHere(f)),
        false,
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
    await answered;
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
  return count;
}

/** A file lowered on this thread as a worker would (undefined where lowering throws: the host lowers it and reports why). */
function lowerHere(f: PlainFile): unknown {
  try {
    return lowerOne(f.uri, f.text, f.values === true);
  } catch {
    return undefined;
  }
}
