/**
 * Which peers one side of a cluster-policy-affected pod treats alike (docs/dev/cluster-policies.md,
 * `ReachMatrix.tieredEntries`): a side's verdict toward a pod peer depends on the peer only
 * through which rules' peer lists match it (yes, maybe or no: every NetworkPolicy rule of the
 * policies that may isolate the pod that way, every rule that way of the cluster policies that may
 * select it) and, for egress, how named ports resolve on it. Peers with one signature share a
 * verdict, so the matrix asks the verdict once per signature instead of once per behaviour group:
 * cluster-policy selectors split pods into many groups, but one pod's rules tell few apart.
 */

import { hasBit } from './bitset.js';
import type { Bits } from './bitset.js';
import type { CPolicy, ReachEngine } from './engine.js';
import type { IpRange, IpSet } from './ip.js';
import { contains } from './ip.js';

/**
 * What one side of pod `c` depends on besides the peer: the policies that may select it that way
 * (`policies`), and for ingress the container ports its named ports resolve on (`ports`). Pods with
 * equal contexts have equal sides toward every peer, in every engine with the same class model,
 * port atoms, external ranges and cluster policies.
 */
export function sideContext(engine: ReachEngine, c: number, direction: 'ingress' | 'egress'): { policies: string; ports: string } {
  const sel = engine.selectingOf(c);
  // NetworkPolicies by the content of their rules (stable while the class model is), sure and maybe.
  const content = (ps: readonly CPolicy[]): string =>
    ps
      .map((p) => (direction === 'ingress' ? p.ingressKey : p.egressKey))
      .sort()
      .join(',');
  const np =
    direction === 'ingress' ? `${content(sel.ingress)};${content(sel.ingressMaybe)}` : `${content(sel.egress)};${content(sel.egressMaybe)}`;
  let cp = '';
  engine.cluster.policies.forEach((p, i) => {
    if ((direction === 'ingress' ? p.ingress : p.egress).length === 0) return;
    if (hasBit(p.selected.yes, c)) cp += `${i}y,`;
    else if (hasBit(p.selected.maybe, c)) cp += `${i}m,`;
  });
  const cls = engine.classes[c];
  const ports =
    direction === 'ingress'
      ? `${cls?.portsUnknown === true ? '?' : ''}${(cls?.ports ?? []).map((p) => `${p.name ?? ''}/${p.protocol}/${p.containerPort}`).join(',')}`
      : '';
  return { policies: `${direction}|${np}|${cp}`, ports };
}

const signatureCache = new WeakMap<ReachEngine, Map<string, Map<number, string>>>();

/**
 * Per class index: its signature toward pod `c` on `direction` (classes listed in `peers` only);
 * kept per engine and policy context, since pods selected by the same policies share it.
 */
export function peerSignatures(
  engine: ReachEngine,
  c: number,
  direction: 'ingress' | 'egress',
  peers: readonly number[],
): Map<number, string> {
  let perEngine = signatureCache.get(engine);
  if (perEngine === undefined) signatureCache.set(engine, (perEngine = new Map()));
  const context = sideContext(engine, c, direction).policies;
  const hit = perEngine.get(context);
  if (hit !== undefined) return hit;
  const computed = computeSignatures(engine, c, direction, peers);
  perEngine.set(context, computed);
  return computed;
}

function computeSignatures(engine: ReachEngine, c: number, direction: 'ingress' | 'egress', peers: readonly number[]): Map<number, string> {
  const lists: Array<{ yes: Bits; maybe: Bits } | 'all' | 'unknown'> = [];
  const sel = engine.selectingOf(c);
  for (const p of direction === 'ingress' ? [...sel.ingress, ...sel.ingressMaybe] : [...sel.egress, ...sel.egressMaybe])
    for (const rule of (direction === 'ingress' ? p.ingress : p.egress) ?? []) {
      if (rule.unknown) lists.push('unknown');
      else if (rule.allPeers) lists.push('all');
      else for (const peer of rule.peers) lists.push(peer.pods);
    }
  for (const p of engine.cluster.policies) {
    if (!hasBit(p.selected.yes, c) && !hasBit(p.selected.maybe, c)) continue;
    for (const rule of direction === 'ingress' ? p.ingress : p.egress) for (const peer of rule.peers) lists.push(peer.pods);
  }
  // Partition refinement: peers start in one block (for egress, one per way named ports resolve
  // on them) and each rule's peer list splits the blocks by yes / maybe / no. Integers, no strings.
  const block = new Int32Array(peers.length);
  if (direction === 'egress') {
    const ports = portSignatures(engine);
    peers.forEach((i, j) => (block[j] = ports[i] ?? 0));
  }
  const remap = new Map<number, number>();
  for (const l of lists) {
    if (l === 'all' || l === 'unknown') continue;
    remap.clear();
    for (let j = 0; j < peers.length; j++) {
      const i = peers[j] ?? 0;
      const k = (block[j] ?? 0) * 3 + (hasBit(l.yes, i) ? 1 : hasBit(l.maybe, i) ? 2 : 0);
      let b = remap.get(k);
      if (b === undefined) remap.set(k, (b = remap.size));
      block[j] = b;
    }
  }
  const out = new Map<number, string>();
  peers.forEach((i, j) => out.set(i, String(block[j])));
  return out;
}

const portSigCache = new WeakMap<ReachEngine, Int32Array>();

/** Per class: an id of how named ports resolve on it (its declared ports, and whether they are known). */
function portSignatures(engine: ReachEngine): Int32Array {
  const hit = portSigCache.get(engine);
  if (hit !== undefined) return hit;
  const ids = new Map<string, number>();
  const out = new Int32Array(engine.classes.length);
  engine.classes.forEach((cls, i) => {
    const sig = `${cls.portsUnknown ? '?' : ''}${cls.ports.map((p) => `${p.name ?? ''}/${p.protocol}/${p.containerPort}`).join(',')}`;
    let id = ids.get(sig);
    if (id === undefined) ids.set(sig, (id = ids.size));
    out[i] = id;
  });
  portSigCache.set(engine, out);
  return out;
}

/**
 * Per external range (by position): a signature toward pod `c` on `direction`. A side's verdict
 * toward an address range depends on it only through which ipBlock / `networks` peers of the pod's
 * rules contain it (templated peers and `nodes` peers treat every range alike).
 */
export function rangeSignatures(engine: ReachEngine, c: number, direction: 'ingress' | 'egress', ranges: readonly IpRange[]): string[] {
  const sets: IpSet[] = [];
  const sel = engine.selectingOf(c);
  for (const p of direction === 'ingress' ? [...sel.ingress, ...sel.ingressMaybe] : [...sel.egress, ...sel.egressMaybe])
    for (const rule of (direction === 'ingress' ? p.ingress : p.egress) ?? [])
      for (const peer of rule.peers) if (peer.ip !== undefined) sets.push(peer.ip);
  for (const p of engine.cluster.policies) {
    if (!hasBit(p.selected.yes, c) && !hasBit(p.selected.maybe, c)) continue;
    for (const rule of direction === 'ingress' ? p.ingress : p.egress)
      for (const peer of rule.peers) if (peer.ip !== undefined) sets.push(peer.ip);
  }
  return ranges.map((r) => {
    let sig = `${r.family}:`;
    for (const s of sets) sig += contains(s, r.family, r.lo) && contains(s, r.family, r.hi) ? 'y' : 'n';
    return sig;
  });
}
