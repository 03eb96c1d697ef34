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
import { answerOnDocument } from './editor.js';
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

/**
 * Per policy (`ns/name`), what changed since git HEAD (`+2 / −1 since HEAD`), when known for this
 * snapshot: of the workspace's engine, or of `unit`'s (a policy only that unit takes).
 */
export type SinceHead = (analysis: Analysis, unit?: string) => ReadonlyMap<string, string> | undefined;

type Answer<T> = Promise<T | ResponseError<void>>;

export function definition(
  ctx: HandlerContext,
  p: DefinitionParams,
  token: CancellationToken = CancellationToken.None,
): Answer<Location[]> {
  return answerOnDocument<Location[]>(ctx, 'textDocument/definition', p, token, [], (analysis, key) => {
    const offset = toOffset(analysis, key, p.position);
    // In a chart template, `.Values…` → values.yaml and `include "x"` → its define (server/helm.ts).
    const text = analysis.text(key);
    const helm = text === undefined ? undefined : helmDefinitionAt(ctx.helm, analysis, key, text, offset);
    if (helm !== undefined) return helm.map((l) => ({ uri: ctx.clientUri(l.uri), range: toRangeInText(l.text, l.span) }));
    return analysis.definition(key, offset).map((l) => toLocation(analysis, ctx.clientUri, l));
  });
}

export function references(ctx: HandlerContext, p: ReferenceParams, token: CancellationToken = CancellationToken.None): Answer<Location[]> {
  return answerOnDocument<Location[]>(ctx, 'textDocument/references', p, token, [], (analysis, key) =>
    analysis.references(key, toOffset(analysis, key, p.position)).map((l) => toLocation(analysis, ctx.clientUri, l)),
  );
}

export function documentSymbols(
  ctx: HandlerContext,
  p: DocumentSymbolParams,
  token: CancellationToken = CancellationToken.None,
): Answer<DocumentSymbol[]> {
  return answerOnDocument<DocumentSymbol[]>(ctx, 'textDocument/documentSymbol', p, token, [], (analysis, key) =>
    analysis.symbols(key).map((sym) => ({
      name: sym.name,
      detail: sym.detail,
      kind: KIND[sym.kind] ?? SymbolKind.Object,
      range: toRange(analysis, key, sym.span),
      selectionRange: toRange(analysis, key, sym.selection),
    })),
  );
}

export function codeLenses(
  ctx: HandlerContext,
  p: CodeLensParams,
  token: CancellationToken = CancellationToken.None,
  sinceHead?: SinceHead,
): Answer<CodeLens[]> {
  return answerOnDocument<CodeLens[]>(ctx, 'textDocument/codeLens', p, token, [], (analysis, key) => {
    const lenses = analysis.codeLenses(key);
    // Once per unit the file's policy lenses count in ('' for the workspace's engine).
    const changed = new Map<string, ReadonlyMap<string, string> | undefined>();
    const changedIn = (unit: string | undefined): ReadonlyMap<string, string> | undefined => {
      const k = unit ?? '';
      if (!changed.has(k)) changed.set(k, sinceHead?.(analysis, unit));
      return changed.get(k);
    };
    return lenses.map((lens) => {
      const range = toRange(analysis, key, lens.span);
      const locations = lens.locations.map((l) => toLocation(analysis, ctx.clientUri, l));
      const since = lens.policy === undefined || lens.action !== 'reachability' ? undefined : changedIn(lens.unit)?.get(lens.policy);
      return lens.action === 'reachability'
        ? {
            range,
            command: {
              title: since === undefined ? lens.title : `${lens.title} · ${since}`,
              command: SHOW_POLICY_COMMAND,
              arguments: [
                {
                  policy: lens.policy ?? '',
                  uri: ctx.clientUri(key),
                  position: range.start,
                  locations,
                  ...(lens.unit !== undefined ? { unit: lens.unit } : {}),
                },
              ],
            },
          }
        : {
            range,
            command: { title: lens.title, command: SHOW_REFERENCES_COMMAND, arguments: [ctx.clientUri(key), range.start, locations] },
          };
    });
  });
}

export function registerNavigationHandlers(connection: Connection, ctx: HandlerContext, sinceHead?: SinceHead): void {
  connection.onDefinition((p, token) => definition(ctx, p, token));
  connection.onReferences((p, token) => references(ctx, p, token));
  connection.onDocumentSymbol((p, token) => documentSymbols(ctx, p, token));
  connection.onCodeLens((p, token) => codeLenses(ctx, p, token, sinceHead));
}
