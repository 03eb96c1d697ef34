/**
 * What the Kustomize builds say about the files a check run covers: a build's problems and notes lie
 * in its inputs (kustomizations, patches), so they are read from the roots whose builds read those
 * files, in root order, each place and message once (the first root's): `kustomize-build-problem`,
 * `kustomize-remote-source`.
 */

import type { Span } from '../../types.js';
import type { WorkspaceIndex } from '../../workspace/workspaceIndex.js';
import type { CheckContext } from './check.js';

type BuildResult = NonNullable<ReturnType<ReturnType<WorkspaceIndex['kustomizeLayout']>['builds']['get']>>['result'];

/**
 * The items `pick` takes from each build that reads one of `ctx.files`, those lying in them, each place
 * and message once, with the build's result they come from.
 */
export function* buildItemsOnce<T extends { readonly uri: string; readonly span: Span; readonly message: string }>(
  ctx: Pick<CheckContext, 'index' | 'files'>,
  pick: (result: BuildResult) => Iterable<T>,
): Generator<readonly [T, BuildResult]> {
  const layout = ctx.index.kustomizeLayout();
  const here = new Set(ctx.files.map((f) => f.uri));
  const roots = new Set<string>();
  for (const f of ctx.files) for (const r of layout.readers.get(f.uri) ?? []) roots.add(r);
  const seen = new Set<string>();
  for (const root of [...roots].sort()) {
    const result = layout.builds.get(root)?.result;
    if (result === undefined) continue;
    for (const item of pick(result)) {
      if (!here.has(item.uri)) continue;
      const key = `${item.uri}|${item.span.start}|${item.span.end}|${item.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      yield [item, result];
    }
  }
}

/** A build's message as a sentence's start: its first letter upper-case. */
export function upperFirst(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
