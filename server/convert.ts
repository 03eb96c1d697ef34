/**
 * The only module that knows both vocabularies: analysis speaks UTF-16 offsets and codes, LSP
 * speaks line/character. Positions are computed from the line index of the snapshot that produced
 * a result, so a range always matches the text the result was computed on.
 */

import { CodeActionKind, CompletionItemKind, DiagnosticSeverity, MarkupKind } from 'vscode-languageserver';
import type {
  CodeAction,
  CompletionItem,
  CreateFile,
  Diagnostic as LspDiagnostic,
  DiagnosticRelatedInformation,
  Hover,
  Position as LspPosition,
  Range,
  TextDocumentEdit,
  TextEdit as LspTextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { join } from 'node:path';
import type {
  Analysis,
  CompletionResult,
  Diagnostic,
  Fix,
  HoverResult,
  Location,
  Refactor,
  Severity,
  Span,
  TextEdit,
} from '../analysis/index.js';
import { openLocation } from '../analysis/index.js';
import type { WireLocation } from '../protocol/lsp.js';
import { pathToUri } from './uris.js';

/** Maps an analysis key (canonical URI) to the URI the client knows the file by. */
export type ClientUriOf = (key: string) => string;

/** docs/rules.md beside the bundle (dist/ → ../docs), linked from every diagnostic's code. */
const RULES_DOC = pathToUri(join(__dirname, '..', 'docs', 'rules.md'));

/** The `source` of every diagnostic (docs/dev/design.md §6). */
export const DIAGNOSTIC_SOURCE = 'kube-reach';

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(analysis: Analysis, key: string, span: Span): Range {
  return { start: analysis.positionAt(key, span.start), end: analysis.positionAt(key, span.end) };
}

/**
 * A value of analysis/ide (the panel's and overview's rows, with `Location` spans) as the custom
 * requests send it: every `Location` a `WireLocation` (line ranges), the rest as it is. The row
 * shapes are written twice, in analysis/ide and in protocol/, because neither layer may import the
 * other (the core imports only itself; protocol/ is a leaf the webview reads). Each handler's builder
 * returns `WireOf<analysis answer, wire type>`, so `tsc` fails when the two drift apart.
 */
export type Wire<T> = T extends Location
  ? WireLocation
  : T extends readonly (infer U)[]
    ? ReadonlyArray<Wire<U>>
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** `true` only when A and B are the same type (the same members, optionality and readonly-ness). */
type SameType<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/** `W` when it is exactly `Wire<T>`, else `never`: a builder returning it then fails to compile. */
export type WireOf<T, W> = SameType<Wire<T>, W> extends true ? W : never;

/** A place in a file the snapshot holds, as the custom requests send it (protocol/lsp.ts). */
export function toWireLocation(analysis: Analysis, location: Location): WireLocation {
  // A packed subchart's object (charts/*.tgz) opens its archive's dependency entry in Chart.yaml.
  const at = openLocation(analysis.index, location);
  return { uri: at.uri, range: toRange(analysis, at.uri, at.span) };
}

/** A row of an editor feature's answer with its `location` (a span) as a line range; the key keeps its place. */
export function withWireLocation<T extends { readonly location: Location }>(
  analysis: Analysis,
  row: T,
): Omit<T, 'location'> & { readonly location: WireLocation } {
  return { ...row, location: toWireLocation(analysis, row.location) };
}

/** A span of a text the host may not hold (a `.tpl` helper read from disk) as an LSP range. */
export function toRangeInText(text: string, span: Span): Range {
  const at = (offset: number): LspPosition => {
    const o = Math.max(0, Math.min(offset, text.length));
    const lineStart = text.lastIndexOf('\n', o - 1) + 1;
    let line = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < o; i = text.indexOf('\n', i + 1)) line++;
    return { line, character: o - lineStart };
  };
  return { start: at(span.start), end: at(span.end) };
}

/** An LSP position to an offset into the snapshot's text of `key`. */
export function toOffset(analysis: Analysis, key: string, position: LspPosition): number {
  return analysis.offsetAt(key, { line: position.line, character: position.character });
}

export function toSpan(analysis: Analysis, key: string, range: Range): Span {
  return { start: toOffset(analysis, key, range.start), end: toOffset(analysis, key, range.end) };
}

export function toLspDiagnostic(analysis: Analysis, d: Diagnostic, clientUri: ClientUriOf): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toRange(analysis, d.uri, d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: `${RULES_DOC}#${d.code}` },
    source: DIAGNOSTIC_SOURCE,
    message: d.message,
  };
  if (d.related !== undefined && d.related.length > 0) {
    out.relatedInformation = d.related.map((r): DiagnosticRelatedInformation => ({
      location: { uri: clientUri(r.uri), range: toRange(analysis, r.uri, r.span) },
      message: r.message,
    }));
  }
  if (d.data !== undefined) out.data = d.data;
  return out;
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/**
 * A quick-fix as an LSP code action. `context` holds the diagnostics the client sent; the ones of
 * the fix's code at the fix's diagnostic range are attached (matching on code, never message).
 */
export function toCodeAction(
  analysis: Analysis,
  key: string,
  fix: Fix,
  context: readonly LspDiagnostic[],
  clientUri: ClientUriOf,
): CodeAction {
  const diagnosticRange = toRange(analysis, key, fix.diagnosticSpan);
  const diagnostics = context.filter((d) => d.code === fix.code && sameRange(d.range, diagnosticRange));
  const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, edit: toWorkspaceEdit(analysis, fix.edits, clientUri) };
  if (diagnostics.length > 0) action.diagnostics = diagnostics;
  if (fix.isPreferred === true) action.isPreferred = true;
  return action;
}

/** A refactoring ("Convert to Gateway API") as an LSP code action of kind refactor.rewrite. */
export function toRefactorAction(analysis: Analysis, r: Refactor, clientUri: ClientUriOf): CodeAction {
  return { title: r.title, kind: CodeActionKind.RefactorRewrite, edit: toWorkspaceEdit(analysis, r.edits, clientUri) };
}

/**
 * Edits as a workspace edit. A new file (an object added next to a JSON manifest, a converted
 * Ingress) needs a resource operation first; an existing file of that name is never overwritten
 * (the edit then fails as a whole).
 */
function toWorkspaceEdit(analysis: Analysis, edits: readonly TextEdit[], clientUri: ClientUriOf): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  const created: string[] = [];
  for (const e of edits) {
    const uri = clientUri(e.uri);
    if (e.create === true) created.push(uri);
    const list = changes[uri] ?? [];
    const zero = { line: 0, character: 0 };
    list.push({ range: e.create === true ? { start: zero, end: zero } : toRange(analysis, e.uri, e.span), newText: e.newText });
    changes[uri] = list;
  }
  return created.length === 0
    ? { changes }
    : {
        documentChanges: [
          ...created.map((uri): CreateFile => ({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } })),
          ...Object.entries(changes).map(([uri, list]): TextDocumentEdit => ({ textDocument: { uri, version: null }, edits: list })),
        ],
      };
}

export function toHover(analysis: Analysis, key: string, h: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: toRange(analysis, key, h.span) };
}

const COMPLETION_KIND: Readonly<Record<CompletionResult['kind'], CompletionItemKind>> = {
  value: CompletionItemKind.Value,
  property: CompletionItemKind.Property,
  reference: CompletionItemKind.Reference,
};

export function toCompletionItem(analysis: Analysis, key: string, c: CompletionResult): CompletionItem {
  const item: CompletionItem = {
    label: c.label,
    kind: COMPLETION_KIND[c.kind],
    textEdit: { range: toRange(analysis, key, c.replace), newText: c.insertText },
  };
  if (c.detail !== undefined) item.detail = c.detail;
  if (c.documentation !== undefined) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  if (c.sortText !== undefined) item.sortText = c.sortText;
  return item;
}
