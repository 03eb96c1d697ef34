/**
 * Request handlers: look up → snapshot → call the analysis façade → convert. Each runs through
 * `runSafe`, so a thrown error is logged and answered with an empty result; the server never dies
 * on bad input.
 */

import { CodeActionKind } from 'vscode-languageserver';
import type { CodeAction, CodeActionParams, CompletionItem, CompletionParams, Hover, HoverParams } from 'vscode-languageserver';
import type { Analysis, AnalysisHost, Fix, IdeOptions } from '../analysis/index.js';
import { toCodeAction, toCompletionItem, toHover, toOffset, toRefactorAction, toSpan } from './convert.js';
import type { ClientUriOf } from './convert.js';
import { canonicalUri } from './uris.js';
import { helmCompletionAt, helmHoverAt } from './helm.js';
import type { HelmContext } from './helm.js';

export type Log = (message: string) => void;

/** Runs `fn`; on a thrown error logs it and returns `fallback`. */
export function runSafe<T>(log: Log, name: string, fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return fallback;
  }
}

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
}

export function hover(ctx: HandlerContext, params: HoverParams): Hover | null {
  return runSafe(ctx.log, 'hover', null, () => {
    const key = canonicalUri(params.textDocument.uri);
    if (!ctx.host.hasFile(key) || ctx.host.pendingCount() > BUSY_PENDING) return null;
    const analysis = ctx.host.snapshot({ deferChecks: true });
    const offset = toOffset(analysis, key, params.position);
    // In a chart template, `.Values…` and `include "x"` first (server/helm.ts).
    const text = analysis.text(key);
    const helm = text === undefined ? undefined : helmHoverAt(ctx.helm, analysis, key, text, offset);
    const h = helm ?? analysis.hover(key, offset, ctx.ide());
    return h === undefined ? null : toHover(analysis, key, h);
  });
}

export function completion(ctx: HandlerContext, params: CompletionParams): CompletionItem[] {
  return runSafe(ctx.log, 'completion', [], () => {
    const key = canonicalUri(params.textDocument.uri);
    if (!ctx.host.hasFile(key) || ctx.host.pendingCount() > BUSY_PENDING) return [];
    const analysis = ctx.host.snapshot({ deferChecks: true });
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

export function codeActions(ctx: HandlerContext, params: CodeActionParams): CodeAction[] {
  return runSafe(ctx.log, 'codeAction', [], () => {
    const only = params.context.only;
    const wantFixAll = only !== undefined && only.some((k) => covers(k, FIX_ALL_KIND));
    const wantQuickFix = only === undefined || only.some((k) => covers(k, CodeActionKind.QuickFix));
    const wantRefactor = only === undefined || only.some((k) => covers(k, CodeActionKind.RefactorRewrite));
    if (!wantFixAll && !wantQuickFix && !wantRefactor) return [];
    const key = canonicalUri(params.textDocument.uri);
    if (!ctx.host.hasFile(key) || ctx.host.pendingCount() > BUSY_PENDING) return [];
    const analysis = ctx.host.snapshot();
    if (wantFixAll) {
      const all = fixAll(analysis, key, ctx.clientUri);
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
  });
}

/**
 * One action with every preferred fix of the file whose edits do not overlap an earlier one
 * (in diagnostic order); suppressions are never applied. Undefined when there is nothing to fix.
 */
function fixAll(analysis: Analysis, key: string, clientUri: ClientUriOf): CodeAction | undefined {
  const text = analysis.text(key);
  if (text === undefined) return undefined;
  const chosen: Fix[] = [];
  const taken: Array<{ start: number; end: number }> = [];
  const seen = new Set<string>();
  for (const f of analysis.fixes(key, { start: 0, end: text.length })) {
    if (f.isPreferred !== true || f.title.startsWith('Suppress ') || f.edits.some((e) => e.create === true)) continue;
    const id = `${f.code}@${f.diagnosticSpan.start}`;
    if (seen.has(id)) continue;
    const spans = f.edits.filter((e) => e.uri === key).map((e) => e.span);
    if (
      f.edits.some((e) => e.uri !== key) ||
      spans.some((s) => taken.some((t) => (s.start < t.end && t.start < s.end) || s.start === t.start))
    )
      continue;
    seen.add(id);
    for (const s of spans) taken.push(s);
    chosen.push(f);
  }
  if (chosen.length === 0) return undefined;
  const merged: Fix = {
    title: 'Fix all Kube Reach problems',
    code: '',
    edits: chosen.flatMap((f) => f.edits),
    diagnosticSpan: { start: 0, end: 0 },
  };
  const action = toCodeAction(analysis, key, merged, [], clientUri);
  action.kind = FIX_ALL_KIND;
  delete action.isPreferred;
  return action;
}
