/**
 * Whether a rule's peer list matches one peer (docs/dev/netpol-semantics.md rules 10–15, docs/dev/cluster-policies.md
 * C7–C9): the answer `Verdicts` and `TierVerdicts` give for NetworkPolicy and cluster rules, and the address part
 * both read alike.
 */

import type { IpRange, IpSet } from './ip.js';
import { contains } from './ip.js';

/** Whether a rule's peer list matches a peer, by which of its peers, and why only maybe. */
export interface PeerMatch {
  readonly tri: 'yes' | 'maybe' | 'no';
  /** The peer element that matched; undefined when the rule matches every peer (or fails closed). */
  readonly peer: number | undefined;
  readonly reason: string | undefined;
}

export const NO_MATCH: PeerMatch = { tri: 'no', peer: undefined, reason: undefined };

/**
 * A NetworkPolicy or cluster rule's peer `p` toward an address range: a templated peer may match it (unless an earlier
 * peer did: `best`), an ipBlock or network that holds the whole range does; else `best` stands.
 */
export function addressMatch(
  p: { readonly index: number; readonly unknown: boolean; readonly ip: IpSet | undefined },
  range: IpRange,
  best: PeerMatch,
  templated: () => string,
): PeerMatch {
  if (p.unknown) return best.tri === 'no' ? { tri: 'maybe', peer: p.index, reason: templated() } : best;
  if (p.ip !== undefined && contains(p.ip, range.family, range.lo) && contains(p.ip, range.family, range.hi))
    return { tri: 'yes', peer: p.index, reason: undefined };
  return best;
}
