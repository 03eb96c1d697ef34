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
