/**
 * External address ranges (docs/dev/design.md §6): the nodes that stand for addresses outside the
 * cluster, cut from 0.0.0.0/0 at the bounds of the address sets the policies name, separately for
 * sources (ingress) and destinations (egress), as netpol-analyzer cuts them
 * (test/conformance/README.md).
 */

import type { PolicyPeer } from '../model/types.js';
import type { IpRange, IpSet } from './ip.js';
import { IPV4_ALL, contains, formatIPv4, ipBlockSet } from './ip.js';
import type { CPolicy } from './policyTier.js';

/** The IPv4 part of cidr minus except of a valid, known ipBlock peer (one without selectors); else undefined. */
const peerIpCache = new WeakMap<PolicyPeer, IpSet | null>();
function peerIpSet(peer: PolicyPeer): IpSet | undefined {
  const hit = peerIpCache.get(peer);
  if (hit !== undefined) return hit ?? undefined;
  const b = peer.ipBlock;
  let out: IpSet | undefined;
  if (
    b !== undefined &&
    !peer.unknown &&
    peer.podSelector === undefined &&
    peer.namespaceSelector === undefined &&
    b.cidr.known &&
    b.except.every((e) => e.known)
  ) {
    out = ipBlockSet(
      b.cidr.value,
      b.except.map((e) => (e.known ? e.value : '')),
    )?.filter((x) => x.family === 4);
  }
  peerIpCache.set(peer, out ?? null);
  return out;
}

/**
 * Per compiled policy, its address sets by direction: a policy an edit left alone is the same
 * compiled object in the next engine (`NetworkPolicyTier`), so its sets are the same objects too.
 */
const policySets = new WeakMap<CPolicy, { ingress?: readonly IpSet[]; egress?: readonly IpSet[] }>();

function ownIpSets(pol: CPolicy, direction: 'ingress' | 'egress'): readonly IpSet[] {
  let per = policySets.get(pol);
  if (per === undefined) policySets.set(pol, (per = {}));
  let sets = per[direction];
  if (sets === undefined) {
    const out: IpSet[] = [];
    for (const rule of (direction === 'ingress' ? pol.spec.ingress : pol.spec.egress) ?? []) {
      for (const peer of rule.peers ?? []) {
        const ip = peerIpSet(peer);
        if (ip !== undefined) out.push(ip);
      }
    }
    per[direction] = sets = out;
  }
  return sets;
}

/**
 * The IPv4 address sets of every valid ipBlock (cidr minus except) of every policy's `from`
 * (`ingress`: sources) or `to` (`egress`: destinations), whether or not `policyTypes` leaves that
 * section active: verdicts do not depend on the inactive blocks; the names do. A block's set is the
 * same object in every engine (per lowered peer), and with `keep` each policy's list is kept with its
 * compilation, so an engine built from the last one compares them cheaply (`sameSets`).
 */
export function networkPolicyIpSets(policies: readonly CPolicy[], direction: 'ingress' | 'egress', keep = true): IpSet[] {
  const sets: IpSet[] = [];
  for (const pol of policies) {
    // A cold engine walks the blocks (nothing to compare with); one built from the last keeps each policy's sets.
    if (keep) for (const ip of ownIpSets(pol, direction)) sets.push(ip);
    else
      for (const rule of (direction === 'ingress' ? pol.spec.ingress : pol.spec.egress) ?? [])
        for (const peer of rule.peers ?? []) {
          const ip = peerIpSet(peer);
          if (ip !== undefined) sets.push(ip);
        }
  }
  return sets;
}

/** The same sets in the same order (mostly the same objects): `cutExternal` gives the same ranges. */
export function sameSets(a: readonly IpSet[], b: readonly IpSet[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined || y === undefined || x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (x[j]?.family !== y[j]?.family || x[j]?.lo !== y[j]?.lo || x[j]?.hi !== y[j]?.hi) return false;
  }
  return true;
}

/** 0.0.0.0/0 cut at the bounds of every set, adjacent pieces in the same sets merged. */
export function cutExternal(sets: readonly IpSet[]): IpRange[] {
  const points = new Set<bigint>([0n]);
  for (const s of sets)
    for (const r of s) {
      points.add(r.lo);
      if (r.hi < IPV4_ALL.hi) points.add(r.hi + 1n);
    }
  const starts = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: IpRange[] = [];
  let lastSig = '';
  starts.forEach((lo, i) => {
    const next = starts[i + 1];
    const hi = next === undefined ? IPV4_ALL.hi : next - 1n;
    const sig = sets.map((s) => (contains(s, 4, lo) ? '1' : '0')).join('');
    const last = out[out.length - 1];
    if (last !== undefined && sig === lastSig) out[out.length - 1] = { family: 4, lo: last.lo, hi };
    else out.push({ family: 4, lo, hi });
    lastSig = sig;
  });
  return out;
}

export function externalId(r: IpRange): string {
  return `${formatIPv4(r.lo)}-${formatIPv4(r.hi)}[External]`;
}
