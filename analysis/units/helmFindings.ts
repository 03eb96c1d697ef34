/**
 * Findings on rendered Helm templates, adjusted where they meet template actions (checkRunner.ts
 * passes every finding through `adjustForTemplates`).
 */

import type { RelatedInformation, Span } from '../types.js';
import type { RenderedFile } from './helm.js';

function touches(actions: readonly Span[], s: Span): boolean {
  for (const a of actions) {
    if (a.start > s.end) break;
    if (s.start <= a.end && a.start <= s.end) return true;
  }
  return false;
}

/**
 * A finding on a rendered template, adjusted: quick-fixes whose edits would touch text an action
 * writes are dropped (their text would replace the action), and a finding on an action that reads
 * `.Values.a.b` names that values.yaml entry in related information.
 */
export function adjustForTemplates<
  F extends {
    readonly uri: string;
    readonly span: Span;
    readonly related?: readonly RelatedInformation[];
    readonly fixes?: ReadonlyArray<{ readonly edits: ReadonlyArray<{ readonly uri: string; readonly span: Span }> }>;
  },
>(f: F, lookup: (uri: string) => RenderedFile | undefined): F {
  let fixes = f.fixes;
  if (fixes !== undefined) {
    const kept = fixes.filter((x) => x.edits.every((e) => !touches(lookup(e.uri)?.actions ?? [], e.span)));
    if (kept.length !== fixes.length) fixes = kept;
  }
  const own = lookup(f.uri);
  const refs = own?.valueRefs.filter((r) => r.start <= f.span.start && f.span.start < r.end) ?? [];
  if (fixes === f.fixes && refs.length === 0) return f;
  const related = [...(f.related ?? []), ...refs.map((r) => r.related)];
  return { ...f, ...(fixes !== undefined ? { fixes } : {}), ...(related.length > 0 ? { related } : {}) };
}
