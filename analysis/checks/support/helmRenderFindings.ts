/**
 * Findings a chart's render recorded (units/helm.ts: a values.schema.json refusal, a value the
 * chart needs), reported on the files of this run, once each: a file several renders read (a
 * chart and its parent) holds the same finding for every one of them. A chart an Argo CD config
 * management plugin renders gets no `helm-value-required` (the plugin may give the values).
 */

import type { RelatedInformation, Span } from '../../types.js';
import type { CheckContext } from './check.js';
import { pluginRenderedFolders } from '../../units/argocdCharts.js';

/** What both lists hold (a schema refusal has no related information). */
interface RenderFinding {
  readonly uri: string;
  readonly span: Span;
  readonly message: string;
  readonly severity: 'error' | 'information';
  readonly related?: readonly RelatedInformation[];
}

export function reportRenderFindings(ctx: CheckContext, list: 'schema' | 'needed'): void {
  const layout = ctx.index.helmLayout();
  const seen = new Set<string>();
  // A chart an Argo CD Application renders with a config management plugin: the plugin may supply the
  // values its defaults leave empty (units/argocdCharts.ts), so what they lack is not said.
  const plugin = list === 'needed' ? pluginRenderedFolders(ctx.index.kustomizeLayout().argo) : new Set<string>();
  for (const f of ctx.files) {
    for (const dir of layout.readers.get(f.uri) ?? []) {
      if (plugin.has(dir)) continue;
      const found: readonly RenderFinding[] = layout.renders.get(dir)?.[list] ?? [];
      for (const s of found) {
        if (s.uri !== f.uri) continue;
        const key = `${s.span.start}|${s.span.end}|${s.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const related = s.related ?? [];
        ctx.report({
          uri: s.uri,
          span: s.span,
          message: s.message,
          confidence: s.severity === 'error' ? 'definite' : 'no-evidence',
          severity: s.severity,
          ...(related.length > 0 ? { related } : {}),
        });
      }
    }
  }
}
