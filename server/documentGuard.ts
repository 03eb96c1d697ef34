/**
 * The boundary of document synchronisation: `didOpen`, `didChange`, `didClose` and the save
 * notifications arrive as untrusted JSON and are narrowed here before `TextDocuments` applies
 * them. A notification that does not fit (text not a string, a document that is not open, a
 * version not newer than the one held, an edit range outside the document) is dropped with one
 * log line: applying it would wedge every later pass (a `null` text did) or leave the document out
 * of step with the version its diagnostics are published for.
 */

import type { Connection, TextDocumentContentChangeEvent, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Log } from './handlers/answer.js';
import { isRecord } from '../analysis/index.js';

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function isPosition(v: unknown): v is { line: number; character: number } {
  return isRecord(v) && isIndex(v['line']) && isIndex(v['character']);
}

function uriOf(params: unknown): string | undefined {
  if (!isRecord(params) || !isRecord(params['textDocument'])) return undefined;
  const uri = params['textDocument']['uri'];
  return typeof uri === 'string' && uri.length > 0 ? uri : undefined;
}

/** Why a `didOpen` is rejected, or undefined when it is sound. */
export function checkDidOpen(params: unknown): string | undefined {
  if (uriOf(params) === undefined) return 'textDocument.uri is not a string';
  const td = (params as { textDocument: Record<string, unknown> }).textDocument;
  if (typeof td['text'] !== 'string') return 'textDocument.text is not a string';
  if (typeof td['languageId'] !== 'string') return 'textDocument.languageId is not a string';
  if (typeof td['version'] !== 'number' || !Number.isInteger(td['version'])) return 'textDocument.version is not an integer';
  return undefined;
}

/** Why a `didChange` is rejected against the open document `doc`, or undefined when it is sound. */
export function checkDidChange(params: unknown, doc: TextDocument | undefined): string | undefined {
  const uri = uriOf(params);
  if (uri === undefined) return 'textDocument.uri is not a string';
  if (doc === undefined) return `${uri} is not open`;
  const p = params as { textDocument: Record<string, unknown>; contentChanges?: unknown };
  const version = p.textDocument['version'];
  if (typeof version !== 'number' || !Number.isInteger(version)) return 'textDocument.version is not an integer';
  if (version <= doc.version) return `version ${version} is not newer than ${doc.version}`;
  if (!Array.isArray(p.contentChanges)) return 'contentChanges is not an array';
  // Ranges are checked against the text as the earlier changes of the same notification leave it.
  let lines = doc.lineCount;
  for (const change of p.contentChanges as unknown[]) {
    if (!isRecord(change) || typeof change['text'] !== 'string') return 'a content change has no string text';
    const range = change['range'];
    if (range === undefined) {
      lines = lineCount(change['text']);
      continue;
    }
    if (!isRecord(range) || !isPosition(range['start']) || !isPosition(range['end'])) return 'a content change has a malformed range';
    const { start, end } = range;
    if (start.line > end.line || (start.line === end.line && start.character > end.character))
      return 'a content change has a range that ends before it starts';
    if (end.line >= lines) return `a content change reaches line ${end.line + 1} of a ${lines}-line document`;
    lines += lineCount(change['text']) - 1 - (end.line - start.line);
  }
  return undefined;
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/**
 * The connection `TextDocuments` listens on, with every document notification narrowed first.
 * `documents` is the collection that will apply them (for the open versions and line counts).
 */
export function guardedDocumentConnection(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  log: Log,
): Parameters<TextDocuments<TextDocument>['listen']>[0] {
  const reject = (method: string, why: string): void => log(`Ignored ${method}: ${why}`);
  return {
    onDidOpenTextDocument: (handler) =>
      connection.onDidOpenTextDocument((params) => {
        const why = checkDidOpen(params);
        if (why !== undefined) reject('textDocument/didOpen', why);
        else handler(params);
      }),
    onDidChangeTextDocument: (handler) =>
      connection.onDidChangeTextDocument((params) => {
        const uri = uriOf(params);
        const why = checkDidChange(params, uri === undefined ? undefined : documents.get(uri));
        if (why !== undefined) reject('textDocument/didChange', why);
        else handler({ ...params, contentChanges: params.contentChanges as TextDocumentContentChangeEvent[] });
      }),
    onDidCloseTextDocument: (handler) =>
      connection.onDidCloseTextDocument((params) => {
        const uri = uriOf(params);
        if (uri === undefined) reject('textDocument/didClose', 'textDocument.uri is not a string');
        else if (documents.get(uri) === undefined) reject('textDocument/didClose', `${uri} is not open`);
        else handler(params);
      }),
    onWillSaveTextDocument: (handler) =>
      connection.onWillSaveTextDocument((params) => {
        if (uriOf(params) !== undefined) handler(params);
      }),
    onWillSaveTextDocumentWaitUntil: (handler) =>
      connection.onWillSaveTextDocumentWaitUntil((params, token) => (uriOf(params) === undefined ? [] : handler(params, token))),
    onDidSaveTextDocument: (handler) =>
      connection.onDidSaveTextDocument((params) => {
        if (uriOf(params) !== undefined) handler(params);
      }),
  };
}
