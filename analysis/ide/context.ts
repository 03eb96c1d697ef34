/**
 * A read-only check context over a snapshot, so editor features reuse the checks' lookups
 * (selected workloads, Services by name, …) without reporting anything; and the view editor
 * features answer under (`underViewOf`), as the checks judge an object under its view.
 */

import type { CheckContext } from '../checks/support/check.js';
import type { Analysis } from '../host.js';
import type { Placed } from '../workspace/workspaceIndex.js';

export function lookupContext(analysis: Analysis): CheckContext {
  return {
    index: analysis.index,
    settings: analysis.settings,
    objects: [],
    files: [],
    text: (u) => analysis.text(u),
    // The engine of the view the lookups are answered under (`underViewOf`), as the check runner's.
    reach: (namespaces, unit) => analysis.scopedEngine(namespaces, unit, analysis.index.currentView()?.key),
    report: () => undefined,
  };
}

/**
 * `compute` with every lookup of the index seeing what `placed` sees: not the objects of its
 * alternatives (analysis/units/alternatives.ts; a dev/ copy of an app beside prod/, never deployed
 * with it), as the checks and code lenses judge it. Hover, definition, references and completion
 * answer under the view of the object the cursor is in. `label`: the alternative's name when a
 * lookup left an object of an alternative out (empty: none did, or the view has no name).
 */
export function underViewOf<T>(analysis: Analysis, placed: Placed | undefined, compute: () => T): { value: T; label: string } {
  const index = analysis.index;
  const view = placed === undefined ? undefined : index.viewFor(placed);
  if (view === undefined) return { value: compute(), label: '' };
  const outer = index.currentView();
  index.takeViewFiltered();
  index.setView(view);
  try {
    const value = compute();
    return { value, label: index.takeViewFiltered() ? view.label : '' };
  } finally {
    index.setView(outer);
  }
}

/**
 * The objects the text at `placed` is in every build of: one per Kustomize root that builds its
 * source document (a base of overlays `a` and `b`: each root's build, judged under its own view),
 * else `placed` alone. Editor features answer for each and merge (docs/dev/units.md §3).
 */
export function buildsOf(analysis: Analysis, placed: Placed): readonly Placed[] {
  const b = placed.obj.build;
  if (b === undefined || b.roots.length < 2) return [placed];
  const o = placed.obj;
  const out = analysis.index
    .objectsOfFile(o.uri)
    .filter(
      (q) =>
        q === placed ||
        (q.obj.build !== undefined &&
          q.obj.build.root !== b.root &&
          b.roots.includes(q.obj.build.root) &&
          q.obj.span.start === o.span.start &&
          q.obj.span.end === o.span.end &&
          q.obj.kind === o.kind),
    );
  return out.length > 1 ? out : [placed];
}

/** `compute` for each build of `placed` under its view (`buildsOf`, `underViewOf`): the root each answer is for, when there are several. */
export function perBuild<T>(
  analysis: Analysis,
  placed: Placed,
  compute: (p: Placed) => T,
): Array<{ root: string | undefined; value: T; label: string }> {
  const builds = buildsOf(analysis, placed);
  return builds.map((p) => ({
    root: builds.length > 1 ? p.obj.build?.root : undefined,
    ...underViewOf(analysis, p, () => compute(p)),
  }));
}

/** The answers of several builds as one: locations once each, in first-seen order (they answer with the same places). */
export function distinctLocations<L extends { readonly uri: string; readonly span: { readonly start: number; readonly end: number } }>(
  lists: ReadonlyArray<L[]>,
): L[] {
  // One answer (no base of several builds) is as it was.
  if (lists.length === 1) return lists[0] ?? [];
  const seen = new Set<string>();
  const out: L[] = [];
  for (const list of lists)
    for (const l of list) {
      const key = `${l.uri}\u0000${l.span.start}\u0000${l.span.end}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(l);
      }
    }
  return out;
}
