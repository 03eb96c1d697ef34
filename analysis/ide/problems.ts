/**
 * The checks' findings on a part of an object, for the reachability panel's Service, Ingress and
 * Routes views: the reason a row shows is the diagnostic the editor shows there (code and message),
 * not a second guess of the panel's. Hints are left out (the panel shows problems, not style).
 */

import type { Analysis } from '../host.js';
import type { Span } from '../types.js';

export interface ObjectProblem {
  readonly code: string;
  readonly message: string;
}

/** The findings in `uri` that overlap `span`, errors first, without repeats. */
export function problemsIn(analysis: Analysis, uri: string, span: Span): ObjectProblem[] {
  const rank = { error: 0, warning: 1, information: 2, hint: 3 } as const;
  const found = analysis
    .diagnosticsFor(uri)
    .filter((d) => d.severity !== 'hint' && d.span.start < span.end && span.start < d.span.end)
    .sort((a, b) => rank[a.severity] - rank[b.severity] || a.span.start - b.span.start);
  const out: ObjectProblem[] = [];
  const seen = new Set<string>();
  for (const d of found) {
    const key = `${d.code}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ code: d.code, message: d.message });
  }
  return out;
}
