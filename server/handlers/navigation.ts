/**
 * Navigation requests: definition, references, document symbols and code lenses, each a thin
 * "look up → snapshot → analysis → convert" over the façade (docs/dev/design.md §4).
 */

import { SymbolKind } from 'vscode-languageserver';
import type {
  CodeLens,
  CodeLensParams,
  Connection,
  DefinitionParams,
  DocumentSymbol,
  DocumentSymbolParams,
  Location,
  ReferenceParams,
} from 'vscode-languageserver';
import type { Analysis, AnalysisHost, Location as AnalysisLocation } from '../../analysis/index.js';
import { toOffset, toRange, toRangeInText } from '../convert.js';
import type { ClientUriOf } from '../convert.js';
import { runSafe } from './answer.js';
import type { Log } from './answer.js';
import { canonicalUri } from '../uris.js';
import { helmDefinitionAt } from '../helm.js';
import type { HelmContext } from '../helm.js';

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

export function registerNavigationHandlers(
  connection: Connection,
  host: AnalysisHost,
  clientUri: ClientUriOf,
  log: Log,
  ready: () => boolean,
  helmContext: HelmContext,
  /** Per policy (`ns/name`), what changed since git HEAD (`+2 / −1 since HEAD`), when known for this snapshot. */
  sinceHead?: (analysis: Analysis) => ReadonlyMap<string, string> | undefined,
): void {
  const at = (uri: string): { key: string; analysis: Analysis } | undefined => {
    const key = canonicalUri(uri);
    if (!host.hasFile(key) || !ready()) return undefined;
    return { key, analysis: host.snapshot({ deferChecks: true }) };
  };
  connection.onDefinition((p: DefinitionParams) =>
    runSafe(log, 'definition', [], () => {
      const s = at(p.textDocument.uri);
      if (s === undefined) return [];
      const offset = toOffset(s.analysis, s.key, p.position);
      // In a chart template, `.Values…` → values.yaml and `include "x"` → its define (server/helm.ts).
      const text = s.analysis.text(s.key);
      const helm = text === undefined ? undefined : helmDefinitionAt(helmContext, s.analysis, s.key, text, offset);
      if (helm !== undefined) return helm.map((l) => ({ uri: clientUri(l.uri), range: toRangeInText(l.text, l.span) }));
      return s.analysis.definition(s.key, offset).map((l) => toLocation(s.analysis, clientUri, l));
    }),
  );
  connection.onReferences((p: ReferenceParams) =>
    runSafe(log, 'references', [], () => {
      const s = at(p.textDocument.uri);
      return s === undefined
        ? []
        : s.analysis.references(s.key, toOffset(s.analysis, s.key, p.position)).map((l) => toLocation(s.analysis, clientUri, l));
    }),
  );
  connection.onDocumentSymbol((p: DocumentSymbolParams) =>
    runSafe(log, 'documentSymbol', [], (): DocumentSymbol[] => {
      const s = at(p.textDocument.uri);
      if (s === undefined) return [];
      return s.analysis.symbols(s.key).map((sym) => ({
        name: sym.name,
        detail: sym.detail,
        kind: KIND[sym.kind] ?? SymbolKind.Object,
        range: toRange(s.analysis, s.key, sym.span),
        selectionRange: toRange(s.analysis, s.key, sym.selection),
      }));
    }),
  );
  connection.onCodeLens((p: CodeLensParams) =>
    runSafe(log, 'codeLens', [], (): CodeLens[] => {
      const s = at(p.textDocument.uri);
      if (s === undefined) return [];
      const lenses = s.analysis.codeLenses(s.key);
      const changed = lenses.some((l) => l.action === 'reachability') ? sinceHead?.(s.analysis) : undefined;
      return lenses.map((lens) => {
        const range = toRange(s.analysis, s.key, lens.span);
        const locations = lens.locations.map((l) => toLocation(s.analysis, clientUri, l));
        const since = lens.policy === undefined ? undefined : changed?.get(lens.policy);
        return lens.action === 'reachability'
          ? {
              range,
              command: {
                title: since === undefined ? lens.title : `${lens.title} · ${since}`,
                command: SHOW_POLICY_COMMAND,
                arguments: [{ policy: lens.policy ?? '', uri: clientUri(s.key), position: range.start, locations }],
              },
            }
          : {
              range,
              command: { title: lens.title, command: SHOW_REFERENCES_COMMAND, arguments: [clientUri(s.key), range.start, locations] },
            };
      });
    }),
  );
}
