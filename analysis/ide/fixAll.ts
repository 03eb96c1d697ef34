/**
 * "Fix all" (`source.fixAll.kube-reach`, editor.codeActionsOnSave): every preferred fix of a file
 * whose edits do not overlap an earlier one's (in diagnostic order) and that makes nothing an earlier
 * one makes (`Fix.exclusive`: two parentRefs renamed to one Gateway would be duplicates), as one fix; suppressions,
 * fixes that create a file and fixes that edit another file are never applied. Plain data; the
 * server converts it to a code action.
 */

import type { Analysis } from '../host.js';
import type { Fix } from '../types.js';

/** The merged fix for the file `key`; undefined when there is nothing to fix. */
export function fixAll(analysis: Analysis, key: string): Fix | undefined {
  const text = analysis.text(key);
  if (text === undefined) return undefined;
  const chosen: Fix[] = [];
  const taken: Array<{ start: number; end: number }> = [];
  const seen = new Set<string>();
  const made = new Set<string>();
  for (const f of analysis.fixes(key, { start: 0, end: text.length })) {
    if (f.isPreferred !== true || f.title.startsWith('Suppress ') || f.edits.some((e) => e.create === true)) continue;
    const id = `${f.code}@${f.diagnosticSpan.start}`;
    if (seen.has(id) || (f.exclusive !== undefined && made.has(f.exclusive))) continue;
    const spans = f.edits.filter((e) => e.uri === key).map((e) => e.span);
    if (
      f.edits.some((e) => e.uri !== key) ||
      spans.some((s) => taken.some((t) => (s.start < t.end && t.start < s.end) || s.start === t.start))
    )
      continue;
    seen.add(id);
    if (f.exclusive !== undefined) made.add(f.exclusive);
    for (const s of spans) taken.push(s);
    chosen.push(f);
  }
  if (chosen.length === 0) return undefined;
  return {
    title: 'Fix all Kube Reach problems',
    code: '',
    edits: chosen.flatMap((f) => f.edits),
    diagnosticSpan: { start: 0, end: 0 },
  };
}
