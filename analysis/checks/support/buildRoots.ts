/**
 * The Kustomize build roots a check run reads findings from: a build's problems and notes lie in its
 * inputs (kustomizations, patches), so the roots are those that read the files checked here, in
 * root order (one finding per place, the first root's: `kustomize-build-problem`,
 * `kustomize-remote-source`).
 */

import type { CheckContext } from './check.js';

/** The roots whose builds read one of `ctx.files`, sorted. */
export function rootsReadingFiles(ctx: Pick<CheckContext, 'index' | 'files'>): string[] {
  const layout = ctx.index.kustomizeLayout();
  const roots = new Set<string>();
  for (const f of ctx.files) for (const r of layout.readers.get(f.uri) ?? []) roots.add(r);
  return [...roots].sort();
}
