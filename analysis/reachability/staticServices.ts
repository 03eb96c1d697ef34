/**
 * STUNner's StaticService (`stunner.l7mp.io/v1`, l7mp/stunner docs/GATEWAY.md "StaticService"): "a set of static IP
 * address prefixes STUNner allows access to via a UDPRoute". A backendRef of a route on a STUNner Gateway with
 * `group: stunner.l7mp.io` and `kind: StaticService` names it, and the Gateway's data plane then reaches any address
 * of its `spec.prefixes` (on any UDP port, or the ports STUNner's own UDPRoute's backendRef names: its operator's
 * `getEndpointsForStaticService` and `injectPortRange`). The external ranges are cut at the prefixes
 * (`ReachEngine`), so that each connection `reach` lists ends at a node `explain` and the panel know.
 *
 * The checks leave the kind alone: `spec.prefixes` is read here from the object's syntax tree, once per object.
 */

import type { KObject } from '../model/types.js';
import { get, isScalar, isSeq } from '../syntax/tree.js';
import type { ReachEngine } from './engine.js';
import type { IpRange } from './ip.js';
import { parseCidr } from './ip.js';

/** A StaticService's prefixes (IPv4, as its docs require); `unknown`: some prefix is templated or not an IPv4 CIDR. */
export interface StaticPrefixes {
  readonly ranges: readonly IpRange[];
  readonly unknown: boolean;
}

const memo = new WeakMap<KObject, StaticPrefixes>();

/** The prefixes of the StaticService `o` (an object the engine gathered as one). */
export function staticPrefixes(engine: ReachEngine, o: KObject): StaticPrefixes {
  const hit = memo.get(o);
  if (hit !== undefined) return hit;
  const list = get(get(engine.objectNode(o), 'spec'), 'prefixes');
  const ranges: IpRange[] = [];
  let unknown = !isSeq(list);
  for (const item of isSeq(list) ? list.items : []) {
    const text = isScalar(item) && typeof item.value === 'string' ? item.value.trim() : undefined;
    const r = text === undefined || text.includes('{{') ? undefined : parseCidr(text);
    if (r === undefined || r.family !== 4) unknown = true;
    else ranges.push(r);
  }
  const out = { ranges, unknown };
  memo.set(o, out);
  return out;
}
