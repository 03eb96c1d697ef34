/**
 * How the custom requests answer (docs/protocol.md): wait for the snapshot, give up with LSP's
 * `RequestCancelled` when the client cancelled the request meanwhile (a panel that reloads cancels
 * the requests it no longer needs), and turn a throw into an `InternalError` that names the request.
 * Handlers are one line each: the method, and what to build from the snapshot.
 */

import type { CancellationToken } from 'vscode-languageserver';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type { Analysis } from '../../analysis/index.js';

export type GetAnalysis = () => Analysis | Promise<Analysis>;

export async function answer<T>(
  method: string,
  token: CancellationToken,
  getAnalysis: GetAnalysis,
  build: (analysis: Analysis) => T | Promise<T>,
): Promise<T | ResponseError<void>> {
  const cancelled = (): ResponseError<void> => new ResponseError(LSPErrorCodes.RequestCancelled, `${method} cancelled`);
  try {
    if (token.isCancellationRequested) return cancelled();
    const analysis = await getAnalysis();
    if (token.isCancellationRequested) return cancelled();
    return await build(analysis);
  } catch (e) {
    return new ResponseError(ErrorCodes.InternalError, `${method} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
