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

/** The snapshot's engine (of `unit` when given), unless it has too many pod classes (virtual pods do not count). */
function engineFor(analysis: Analysis, unit?: string): ReachEngine | undefined {
  return analysis.memo(unit === undefined ? 'policyConnections.engine' : `policyConnections.engine\u0001${unit}`, () => {
    try {
      const e = analysis.reachEngine(unit);
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

/** The connection list of `unit`'s engine, once per snapshot (a lens on a policy only that unit takes). */
function unitReach(analysis: Analysis, unit: string): ReachResult {
  return analysis.memo(`policyConnections.reach\u0001${unit}`, () => computeReach(analysis.reachEngine(unit)));
}

/**
 * The unit whose engine takes `policy` when the workspace's (its first alternatives in path order)
 * leaves it out: a policy of `prod/` beside `dev/`, or of `quick-start-ha.yaml` beside
 * `quick-start.yaml`. Its lens counts, and compares with HEAD, in that unit, as the panel does
 * with that unit picked. Undefined when the workspace's engine takes it, or no unit's does.
 */
export function policyUnit(analysis: Analysis, policy: Placed): string | undefined {
  const takes = (e: ReachEngine | undefined): boolean => e?.policies.some((p) => p.obj === policy.obj) === true;
  if (takes(engineFor(analysis))) return undefined;
  const alts = analysis.index.alternatives;
  const candidates = [
    ...new Set(policy.placements.map((pl) => pl.unit)),
    ...(alts.files.has(policy.obj.uri) || alts.fileGroups?.has(policy.obj.uri) === true ? [policy.obj.uri] : []),
  ];
  return candidates.find((u) => takes(engineFor(analysis, u)));
}

/** A counter for `codeLenses`: undefined when the engine cannot say. */
export function policyConnectionCounter(analysis: Analysis): (policy: Placed) => number | undefined {
  return (policy) => {
    const unit = policyUnit(analysis, policy);
    const engine = engineFor(analysis, unit);
    const cp = engine?.policies.find((p) => p.obj === policy.obj);
    if (engine === undefined || cp === undefined) return undefined;
    const counts = analysis.memo('policyConnections.counts', () => new Map<object, number>());
    const known = counts.get(cp);
    if (known !== undefined) return known;
    const connections = unit === undefined ? snapshotReach(analysis).connections : unitReach(analysis, unit).connections;
    const n = policyAllowedConnections(engine, connections, cp).length;
    counts.set(cp, n);
    return n;
  };
}
