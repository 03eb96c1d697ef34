/**
 * The editor's requests: hover, completion and code actions. Each is "look up → snapshot → call
 * the analysis façade → convert", answered through `answer` (answer.ts): a request the client
 * cancelled before it started or while the snapshot was awaited is `RequestCancelled` and computes
 * nothing; a thrown error is logged and answered with an empty result, so the server never dies on
 * bad input.
 */

import { CancellationToken, CodeActionKind } from 'vscode-languageserver';
import type {
  CodeAction,
  CodeActionParams,
  CompletionItem,
  CompletionParams,
  Hover,
  HoverParams,
  ResponseError,
} from 'vscode-languageserver';
import type { Analysis, AnalysisHost, IdeOptions } from '../../analysis/index.js';
import { fixAll } from '../../analysis/index.js';
import { toCodeAction, toCompletionItem, toHover, toOffset, toRefactorAction, toSpan } from '../convert.js';
import type { ClientUriOf } from '../convert.js';
import { canonicalUri } from '../uris.js';
import { helmCompletionAt, helmHoverAt } from '../helm.js';
import type { HelmContext } from '../helm.js';
import { answer } from './answer.js';
import type { Log } from './answer.js';

/**
 * More unparsed files than this means a scan is loading: requests answer empty at once instead
 * of parsing the whole workspace synchronously (seconds at 10,000 manifests) to answer one hover.
 */
export const BUSY_PENDING = 50;

export interface HandlerContext {
  readonly host: AnalysisHost;
  readonly clientUri: ClientUriOf;
  readonly log: Log;
  /** What hover and completion leave to other extensions (kubeReach.schemaAssist). */
  readonly ide: () => IdeOptions;
  /** Whether the client applies workspace edits that create files (`documentChanges` with `create`). */
  readonly createsFiles: () => boolean;
  /** Roots, settings and files for the Helm features (server/helm.ts). */
  readonly helm: HelmContext;
  /** The snapshot a request reads (default: the host's; tests hand in one that is awaited). */
  readonly snapshot?: (options: { readonly deferChecks: boolean }) => Analysis | Promise<Analysis>;
}

type Answer<T> = Promise<T | ResponseError<void>>;

/**
 * The snapshot for a request on a document, or undefined (answer empty) when the host does not hold the
 * file or a scan is loading.
 */
async function snapshotFor(
  ctx: HandlerContext,
  params: { readonly textDocument: { readonly uri: string } },
  deferChecks: boolean,
): Promise<{ analysis: Analysis; key: string } | undefined> {
  const key = canonicalUri(params.textDocument.uri);
  if (!ctx.host.hasFile(key) || ctx.host.pendingCount() > BUSY_PENDING) return undefined;
  const analysis = await (ctx.snapshot ?? ((o) => ctx.host.snapshot(o)))({ deferChecks });
  return { analysis, key };
}

/**
 * Answers a read-only request on a document (hover, completion, navigation): `build` runs on the
 * snapshot taken with the checks deferred; `empty` when the host does not hold the file or a scan
 * is loading, and, logged, when `build` throws.
 */
export function answerOnDocument<T>(
  ctx: HandlerContext,
  method: string,
  params: { readonly textDocument: { readonly uri: string } },
  token: CancellationToken,
  empty: T,
  build: (analysis: Analysis, key: string) => T,
): Answer<T> {
  return answer(
    method,
    token,
    () => snapshotFor(ctx, params, true),
    (s) => (s === undefined ? empty : build(s.analysis, s.key)),
    { log: ctx.log, value: empty },
  );
}

export function hover(ctx: HandlerContext, params: HoverParams, token: CancellationToken = CancellationToken.None): Answer<Hover | null> {
  return answerOnDocument(ctx, 'textDocument/hover', params, token, null, (analysis, key) => {
    const offset = toOffset(analysis, key, params.position);
    // In a chart template, `.Values…` and `include "x"` first (server/helm.ts).
    const text = analysis.text(key);
    const helm = text === undefined ? undefined : helmHoverAt(ctx.helm, analysis, key, text, offset);
    const h = helm ?? analysis.hover(key, offset, ctx.ide());
    return h === undefined ? null : toHover(analysis, key, h);
  });
}

export function completion(
  ctx: HandlerContext,
  params: CompletionParams,
  token: CancellationToken = CancellationToken.None,
): Answer<CompletionItem[]> {
  return answerOnDocument<CompletionItem[]>(ctx, 'textDocument/completion', params, token, [], (analysis, key) => {
    const offset = toOffset(analysis, key, params.position);
    const text = analysis.text(key);
    const helm = text === undefined ? undefined : helmCompletionAt(ctx.helm, analysis, key, text, offset);
    if (helm !== undefined) return helm.map((c) => toCompletionItem(analysis, key, c));
    // `.` triggers completion for `.Values.` only; elsewhere it is part of a value being typed.
    if (params.context?.triggerCharacter === '.') return [];
    return analysis.completion(key, offset, ctx.ide()).map((c) => toCompletionItem(analysis, key, c));
  });
}

/** The "fix all" kind (`editor.codeActionsOnSave: {"source.fixAll.kube-reach": "explicit"}`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.kube-reach`;

/** True when a requested kind (`only`) covers `kind`: equal, or a parent of it. */
function covers(requested: string, kind: string): boolean {
  return requested === kind || kind.startsWith(`${requested}.`);
}

export function codeActions(
  ctx: HandlerContext,
  params: CodeActionParams,
  token: CancellationToken = CancellationToken.None,
): Answer<CodeAction[]> {
  return answer(
    'textDocument/codeAction',
    token,
    async () => {
      const only = params.context.only;
      const wantFixAll = only !== undefined && only.some((k) => covers(k, FIX_ALL_KIND));
      const wantQuickFix = only === undefined || only.some((k) => covers(k, CodeActionKind.QuickFix));
      const wantRefactor = only === undefined || only.some((k) => covers(k, CodeActionKind.RefactorRewrite));
      if (!wantFixAll && !wantQuickFix && !wantRefactor) return undefined;
      const s = await snapshotFor(ctx, params, false);
      return s === undefined ? undefined : { ...s, wantFixAll, wantQuickFix, wantRefactor };
    },
    (s) => {
      if (s === undefined) return [];
      const { analysis, key, wantFixAll, wantQuickFix, wantRefactor } = s;
      if (wantFixAll) {
        const all = fixAllAction(analysis, key, ctx.clientUri);
        return all === undefined ? [] : [all];
      }
      // A fix that adds a file (a new object next to a JSON manifest) is offered only to a client that can create one.
      const fixes = analysis
        .fixes(key, toSpan(analysis, key, params.range))
        .filter((f) => ctx.createsFiles() || !f.edits.some((e) => e.create === true));
      const actions = wantQuickFix ? fixes.map((f) => toCodeAction(analysis, key, f, params.context.diagnostics, ctx.clientUri)) : [];
      if (wantRefactor) {
        // "Convert to Gateway API" on an Ingress; its new-file form only for clients that create files.
        for (const r of analysis.refactors(key, toSpan(analysis, key, params.range)))
          if (ctx.createsFiles() || !r.edits.some((e) => e.create === true)) actions.push(toRefactorAction(analysis, r, ctx.clientUri));
      }
      return actions;
    },
    { log: ctx.log, value: [] },
  );
}

/** Every preferred fix of the file as one action (analysis/ide/fixAll.ts chooses them). Undefined when there is nothing to fix. */
function fixAllAction(analysis: Analysis, key: string, clientUri: ClientUriOf): CodeAction | undefined {
  const merged = fixAll(analysis, key);
  if (merged === undefined) return undefined;
  const action = toCodeAction(analysis, key, merged, [], clientUri);
  action.kind = FIX_ALL_KIND;
  delete action.isPreferred;
  return action;
}
