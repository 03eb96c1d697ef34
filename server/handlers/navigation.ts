/**
 * Navigation requests: definition, references, document symbols and code lenses, each a thin
 * "look up → snapshot → analysis → convert" over the façade (docs/dev/design.md §4), answered
 * through `answer` (answer.ts) as the editor's requests are: a request the client cancelled before
 * it started or while the snapshot was awaited is `RequestCancelled` and computes nothing; a thrown
 * error is logged and answered empty.
 */

import { CancellationToken, SymbolKind } from 'vscode-languageserver';
import type {
  CodeLens,
  CodeLensParams,
  Connection,
  DefinitionParams,
  DocumentSymbol,
  DocumentSymbolParams,
  Location,
  ReferenceParams,
  ResponseError,
} from 'vscode-languageserver';
import type { Analysis, Location as AnalysisLocation } from '../../analysis/index.js';
import { toOffset, toRange, toRangeInText } from '../convert.js';
import type { ClientUriOf } from '../convert.js';
import { answer } from './answer.js';
import { snapshotFor } from './editor.js';
import type { HandlerContext } from './editor.js';
import { helmDefinitionAt } from '../helm.js';

/** Client commands the code lenses run (client/ registers them; other clients may too). */
export const SHOW_REFERENCES_COMMAND = 'kubeReach.showReferences';
export const SHOW_POLICY_COMMAND = 'kubeReach.showPolicyReachability';

function toLocation(analysis: Analysis, clientUri: ClientUriOf, l: AnalysisLocation): Location {
  return { uri: clientUri(l.uri), range: toRange(analysis, l.uri, l.span) };
}

const KIND: Readonly<Record<string, SymbolKind>> = {
  Namespace: SymbolKind.Namespace,
  Service: SymbolKind.Interface,
  Ingress: SymbolKind.Module,
  NetworkPolicy: SymbolKind.Struct,
};

/** Per policy (`ns/name`), what changed since git HEAD (`+2 / −1 since HEAD`), when known for this snapshot. */
export type SinceHead = (analysis: Analysis) => ReadonlyMap<string, string> | undefined;

type Answer<T> = Promise<T | ResponseError<void>>;

export function definition(
  ctx: HandlerContext,
  p: DefinitionParams,
  token: CancellationToken = CancellationToken.None,
): Answer<Location[]> {
  return answer(
    'textDocument/definition',
    token,
    () => snapshotFor(ctx, p, true),
    (s) => {
      if (s === undefined) return [];
      const offset = toOffset(s.analysis, s.key, p.position);
      // In a chart template, `.Values…` → values.yaml and `include "x"` → its define (server/helm.ts).
      const text = s.analysis.text(s.key);
      const helm = text === undefined ? undefined : helmDefinitionAt(ctx.helm, s.analysis, s.key, text, offset);
      if (helm !== undefined) return helm.map((l) => ({ uri: ctx.clientUri(l.uri), range: toRangeInText(l.text, l.span) }));
      return s.analysis.definition(s.key, offset).map((l) => toLocation(s.analysis, ctx.clientUri, l));
    },
    { log: ctx.log, value: [] },
  );
}

export function references(ctx: HandlerContext, p: ReferenceParams, token: CancellationToken = CancellationToken.None): Answer<Location[]> {
  return answer(
    'textDocument/references',
    token,
    () => snapshotFor(ctx, p, true),
    (s) =>
      s === undefined
        ? []
        : s.analysis.references(s.key, toOffset(s.analysis, s.key, p.position)).map((l) => toLocation(s.analysis, ctx.clientUri, l)),
    { log: ctx.log, value: [] },
  );
}

export function documentSymbols(
  ctx: HandlerContext,
  p: DocumentSymbolParams,
  token: CancellationToken = CancellationToken.None,
): Answer<DocumentSymbol[]> {
  return answer(
    'textDocument/documentSymbol',
    token,
    () => snapshotFor(ctx, p, true),
    (s): DocumentSymbol[] =>
      s === undefined
        ? []
        : s.analysis.symbols(s.key).map((sym) => ({
            name: sym.name,
            detail: sym.detail,
            kind: KIND[sym.kind] ?? SymbolKind.Object,
            range: toRange(s.analysis, s.key, sym.span),
            selectionRange: toRange(s.analysis, s.key, sym.selection),
          })),
    { log: ctx.log, value: [] },
  );
}

export function codeLenses(
  ctx: HandlerContext,
  p: CodeLensParams,
  token: CancellationToken = CancellationToken.None,
  sinceHead?: SinceHead,
): Answer<CodeLens[]> {
  return answer(
    'textDocument/codeLens',
    token,
    () => snapshotFor(ctx, p, true),
    (s): CodeLens[] => {
      if (s === undefined) return [];
      const lenses = s.analysis.codeLenses(s.key);
      const changed = lenses.some((l) => l.action === 'reachability') ? sinceHead?.(s.analysis) : undefined;
      return lenses.map((lens) => {
        const range = toRange(s.analysis, s.key, lens.span);
        const locations = lens.locations.map((l) => toLocation(s.analysis, ctx.clientUri, l));
        const since = lens.policy === undefined ? undefined : changed?.get(lens.policy);
        return lens.action === 'reachability'
          ? {
              range,
              command: {
                title: since === undefined ? lens.title : `${lens.title} · ${since}`,
                command: SHOW_POLICY_COMMAND,
                arguments: [{ policy: lens.policy ?? '', uri: ctx.clientUri(s.key), position: range.start, locations }],
              },
            }
          : {
              range,
              command: { title: lens.title, command: SHOW_REFERENCES_COMMAND, arguments: [ctx.clientUri(s.key), range.start, locations] },
            };
      });
    },
    { log: ctx.log, value: [] },
  );
}

export function registerNavigationHandlers(connection: Connection, ctx: HandlerContext, sinceHead?: SinceHead): void {
  connection.onDefinition((p, token) => definition(ctx, p, token));
  connection.onReferences((p, token) => references(ctx, p, token));
  connection.onDocumentSymbol((p, token) => documentSymbols(ctx, p, token));
  connection.onCodeLens((p, token) => codeLenses(ctx, p, token, sinceHead));
}
