/**
 * "allows N connections" for the NetworkPolicy code lens: the (peer, selected workload) pairs whose
 * decision, on the policy's isolated side, includes one of its rules. Computed on the reachability
 * engine, once per snapshot.
 */

import type { Analysis } from '../host.js';
import type { Placed } from '../index/workspaceIndex.js';
import { hasBit, isEmpty, or } from '../reachability/bitset.js';
import type { Peer, ReachEngine } from '../reachability/engine.js';

/** Above this many pod classes the count is skipped (the lens then names the isolated directions). */
const MAX_CLASSES = 400;

/** The snapshot's engine, unless it has too many pod classes (virtual pods do not count). */
function engineFor(analysis: Analysis): ReachEngine | undefined {
  return analysis.memo('policyConnections.engine', () => {
    try {
      const e = analysis.reachEngine();
      return e.classes.filter((c) => c.kind !== 'Virtual').length > MAX_CLASSES ? undefined : e;
    } catch {
      return undefined;
    }
  });
}

/** A counter for `codeLenses`: undefined when the engine cannot say. */
export function policyConnectionCounter(analysis: Analysis): (policy: Placed) => number | undefined {
  return (policy) => {
    const engine = engineFor(analysis);
    const cp = engine?.policies.find((p) => p.obj === policy.obj);
    if (engine === undefined || cp === undefined) return undefined;
    const peers: Peer[] = [
      ...engine.classes.filter((c) => !c.synthetic).map((c): Peer => ({ kind: 'class', index: c.index })),
      ...engine.nodes
        .filter((n) => n.external !== undefined)
        .map((n): Peer => ({ kind: 'ip', range: n.external ?? { family: 4, lo: 0n, hi: 0n } })),
    ];
    let count = 0;
    for (const c of engine.classes) {
      if (c.kind === 'Virtual' || !hasBit(cp.selected.yes, c.index)) continue;
      const self: Peer = { kind: 'class', index: c.index };
      for (const dir of cp.spec.policyTypes) {
        const direction = dir === 'Ingress' ? 'ingress' : 'egress';
        for (const other of peers) {
          if (other.kind === 'class' && other.index === c.index) continue;
          const side = engine.side(direction, c.index, other, direction === 'ingress' ? self : other, true);
          if (isEmpty(or(side.yes, side.maybe))) continue;
          if (side.matches.some((m) => m.rule.policy === cp)) count++;
        }
      }
    }
    return count;
  };
}
