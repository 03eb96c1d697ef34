/**
 * A read-only check context over a snapshot, so editor features reuse the checks' lookups
 * (selected workloads, Services by name, …) without reporting anything.
 */

import type { CheckContext } from '../checks/support/check.js';
import type { Analysis } from '../host.js';

export function lookupContext(analysis: Analysis): CheckContext {
  return {
    index: analysis.index,
    settings: analysis.settings,
    objects: [],
    files: [],
    text: (u) => analysis.text(u),
    reach: (namespaces, unit) => analysis.scopedEngine(namespaces, unit),
    report: () => undefined,
  };
}
