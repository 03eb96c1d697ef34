/**
 * The LSP lifecycle as the specification states it (Lifecycle Messages): a request before
 * `initialize` is answered with ServerNotInitialized (-32002) and a notification before it is
 * dropped (except `exit`); `initialize` is accepted once; after `shutdown` every request is
 * answered with InvalidRequest (-32600) and every notification but `exit` is dropped.
 *
 * The guard sits in the connection's message strategy (`ConnectionOptions.messageStrategy`), in
 * front of every handler: a refused request is renamed to a method whose handler answers the
 * error, so the response goes out through the connection like any other.
 */

import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { Connection, ConnectionOptions } from 'vscode-languageserver';
import { isRecord } from '../analysis/index.js';

const REFUSED = '$/kubeReach/refused';
const DROPPED = '$/kubeReach/dropped';

type State = 'new' | 'running' | 'shutdown';

export class Lifecycle {
  private state: State = 'new';

  /** Options for `createConnection`: the guard in front of every handler. */
  readonly options: ConnectionOptions = {
    messageStrategy: {
      handleMessage: (message, next) => next(this.filter(message) as typeof message),
    },
  };

  /** Registers the handler that answers refused requests (called once the connection exists). */
  attach(connection: Connection): void {
    connection.onRequest(REFUSED, (params: unknown) => {
      const code = isRecord(params) && typeof params['code'] === 'number' ? params['code'] : ErrorCodes.InvalidRequest;
      const message = isRecord(params) && typeof params['message'] === 'string' ? params['message'] : 'request refused';
      throw new ResponseError(code, message);
    });
  }

  /** The message to dispatch in place of `message`. */
  filter(message: unknown): unknown {
    if (!isRecord(message) || typeof message['method'] !== 'string') return message;
    const method = message['method'];
    const isRequest = 'id' in message && message['id'] !== undefined && message['id'] !== null;
    if (method === 'exit') return message;
    if (this.state === 'new') {
      if (method === 'initialize' && isRequest) {
        this.state = 'running';
        // Missing or malformed capabilities are no capabilities (the library reads them unguarded).
        const params = message['params'];
        if (!isRecord(params)) return { ...message, params: { processId: null, rootUri: null, capabilities: {} } };
        return isRecord(params['capabilities']) ? message : { ...message, params: { ...params, capabilities: {} } };
      }
      return isRequest
        ? refuse(message, ErrorCodes.ServerNotInitialized, `the server is not initialized: ${method} before initialize`)
        : drop(message);
    }
    if (this.state === 'shutdown') {
      return isRequest ? refuse(message, ErrorCodes.InvalidRequest, `the server is shut down: ${method} after shutdown`) : drop(message);
    }
    if (method === 'initialize' && isRequest) return refuse(message, ErrorCodes.InvalidRequest, 'initialize may be sent only once');
    if (method === 'shutdown' && isRequest) this.state = 'shutdown';
    return message;
  }
}

function refuse(message: Record<string, unknown>, code: number, text: string): Record<string, unknown> {
  return { ...message, method: REFUSED, params: { code, message: text } };
}

function drop(message: Record<string, unknown>): Record<string, unknown> {
  return { ...message, method: DROPPED, params: null };
}
