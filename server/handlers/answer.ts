/**
 * How requests answer (docs/protocol.md): wait for the snapshot, give up with LSP's
 * `RequestCancelled` when the client cancelled the request meanwhile (a panel that reloads cancels
 * the requests it no longer needs; an editor cancels the hover and completion requests a keystroke
 * made stale), and turn a throw into an `InternalError` that names the request, or, for the
 * editor's own requests (hover, completion, code actions), into a logged error and an empty answer.
 * Handlers are one line each: the method, and what to build from the snapshot.
 */

import type { CancellationToken } from 'vscode-languageserver';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type { Analysis } from '../../analysis/index.js';

export type Log = (message: string) => void;

export type GetAnalysis = () => Analysis | Promise<Analysis>;

/** What a failed request answers instead of an `InternalError`: `value`, after logging the error. */
export interface Fallback<T> {
  readonly log: Log;
  readonly value: T;
}

function failure(name: string, e: unknown, log: Log): void {
  log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
}

/** Runs `fn`; on a thrown error logs it and returns `fallback`. */
export function runSafe<T>(log: Log, name: string, fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    failure(name, e, log);
    return fallback;
  }
}

/**
 * Answers `method` with what `build` makes of the snapshot `getSnapshot` gives; nothing is built
 * when the client cancelled the request before it started or while the snapshot was awaited.
 */
export async function answer<T, S = Analysis>(
  method: string,
  token: CancellationToken,
  getSnapshot: () => S | Promise<S>,
  build: (snapshot: S) => T | Promise<T>,
  fallback?: Fallback<T>,
): Promise<T | ResponseError<void>> {
  const cancelled = (): ResponseError<void> => new ResponseError(LSPErrorCodes.RequestCancelled, `${method} cancelled`);
  try {
    if (token.isCancellationRequested) return cancelled();
    const snapshot = await getSnapshot();
    if (token.isCancellationRequested) return cancelled();
    return await build(snapshot);
  } catch (e) {
    if (fallback === undefined)
      return new ResponseError(ErrorCodes.InternalError, `${method} failed: ${e instanceof Error ? e.message : String(e)}`);
    failure(method, e, fallback.log);
    return fallback.value;
  }
}
