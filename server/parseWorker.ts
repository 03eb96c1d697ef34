/**
 * The body of a parse worker (server/parsePool.ts): lowers the files of each message with
 * `lowerApart` and answers with their facts, in the message's order (undefined for a file it
 * failed on: the host lowers that one itself and reports the failure as it would), in the
 * warm-start cache's codec (analysis/cache/codec.ts): the main thread decodes it in a third of
 * the time structured clone takes to rebuild the same objects, and the bytes move, not copied. Runs in a
 * worker thread started from the running bundle (dist/server.js or dist/cli.js, whose entry then
 * starts nothing else) or, from sources, from this file.
 */

import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { encodeValue, isRecord, lowerApart, lowerValuesApart } from '../analysis/index.js';
import { UTF8 } from './factsCache.js';

/** The `workerData` key that marks a parse worker. */
export const PARSE_WORKER_FLAG = 'kubeReachParseWorker';

/** True in a thread the pool started as a parse worker. */
export function isParseWorker(): boolean {
  return !isMainThread && isRecord(workerData) && workerData[PARSE_WORKER_FLAG] === true;
}

/**
 * A file's answer: a plain manifest's facts (`lowerApart`); for a chart's values file, its facts and
 * the value its reading gives the renderer (`[facts, value]`), or `[facts]` when it gives none.
 */
export function lowerOne(uri: string, text: string, values: boolean): unknown {
  if (!values) return lowerApart(uri, text);
  const read = lowerValuesApart(uri, text);
  return read.value === undefined ? [read.facts] : [read.facts, read.value.js];
}

/** One message's answer: each file's answer (`lowerOne`), or undefined. */
export function lowerBatch(message: unknown): unknown[] {
  if (!Array.isArray(message)) return [];
  return message.map((file: unknown) => {
    if (!Array.isArray(file) || typeof file[0] !== 'string' || typeof file[1] !== 'string') return undefined;
    try {
      return lowerOne(file[0], file[1], file[2] === true);
    } catch {
      return undefined;
    }
  });
}

if (isParseWorker()) {
  parentPort?.on('message', (message: unknown) => {
    const bytes = encodeValue(lowerBatch(message), UTF8);
    // The bytes' buffer is the encoder's own (never shared): it moves to the main thread.
    parentPort?.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
  });
}
