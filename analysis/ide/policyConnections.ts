/**
 * "allows N connections" for the NetworkPolicy code lens: the connections of the snapshot's
 * connection list the policy allows (`reachability/policyConnections.ts`, the definition the
 * reachability panel's "Policy" filter reads too). Computed on the reachability engine, once per
 * snapshot.
 */

import type { Analysis } from '../host.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { ReachEngine } from '../reachability/engine.js';
import type { ReachMatrix } from '../reachability/matrix.js';
import { policyAllowedConnections, policyConnectionsComputable } from '../reachability/policyConnections.js';
import type { ReachResult } from '../reachability/connectionList.js';
import { computeReach } from '../reachability/connectionList.js';

/** The snapshot's engine, unless it has too many pod classes (virtual pods do not count). */
function engineFor(analysis: Analysis): ReachEngine | undefined {
  return analysis.memo('policyConnections.engine', () => {
    try {
      const e = analysis.reachEngine();
      return policyConnectionsComputable(e) ? e : undefined;
    } catch {
      return undefined;
    }
  });
}

/**
 * The whole connection list of the snapshot's workspace engine, computed once per snapshot (the
 * lenses and the panel's whole-workspace request share it). `previous`: the last snapshot's
 * matrix, for an incremental rebuild.
 */
export function snapshotReach(analysis: Analysis, previous?: ReachMatrix): ReachResult {
  return analysis.memo('policyConnections.reach', () => computeReach(analysis.reachEngine(), undefined, previous));
}

/** A counter for `codeLenses`: undefined when the engine cannot say. */
export function policyConnectionCounter(analysis: Analysis): (policy: Placed) => number | undefined {
  return (policy) => {
    const engine = engineFor(analysis);
    const cp = engine?.policies.find((p) => p.obj === policy.obj);
    if (engine === undefined || cp === undefined) return undefined;
    const counts = analysis.memo('policyConnections.counts', () => new Map<object, number>());
    const known = counts.get(cp);
    if (known !== undefined) return known;
    const n = policyAllowedConnections(engine, snapshotReach(analysis).connections, cp).length;
    counts.set(cp, n);
    return n;
  };
}
