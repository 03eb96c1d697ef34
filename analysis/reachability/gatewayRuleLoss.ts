/**
 * HTTPRoute and GRPCRoute rules a Gateway gives no request (docs/dev/gateway-api.md §7, §9): on
 * every HTTP or HTTPS listener the route is attached to and accepted on, each of its matches, for
 * each hostname it answers there, is matched exactly as well by an earlier rule of the route or by a
 * rule of a route of its kind first in `namespace/name` order (routes applied together share a
 * creation time), which the precedence prefers. `reach` lists no data-plane connection through such a
 * rule, as `explain --via-gateway` never answers a request by it.
 */

import { hostnamesIntersect } from '../model/gateway.js';
import { ruleKeys } from '../model/gatewayMatchKeys.js';
import type { ReachEngine } from './engine.js';
import type { OnListener } from './gatewayCrossServing.js';
import { gatewayOf, routesOnListener } from './gatewayRequest.js';

/** The keys a route's rules answer on a listener of hostname `lh` (undefined: none), per rule; undefined when templated. */
function keysOn(r: OnListener, lh: string | undefined): Array<readonly string[]> | undefined {
  if (r.hosts === undefined || r.route.rulesUnknown) return undefined;
  // A route without hostnames answers every host of the listener, below any route naming the host.
  const hosts = r.hosts.filter((h) => h === '*' || lh === undefined || hostnamesIntersect(lh, h));
  const out: Array<readonly string[]> = [];
  for (const rule of r.route.rules) {
    const keys = rule.backendRefsUnknown ? undefined : ruleKeys(r.kind, rule);
    if (keys === undefined) return undefined;
    out.push(hosts.flatMap((h) => keys.map((k) => `${h}\u0000${k.key}`)));
  }
  return out;
}

/**
 * By route label (`HTTPRoute shop/api`), the indexes of the rules of HTTPRoutes and GRPCRoutes
 * attached to the Gateway `key` that take no request on any listener: on each, every key of the
 * rule is an earlier rule's or a route's before it (attached for certain and accepted there).
 */
export function losingRules(engine: ReachEngine, key: string): ReadonlyMap<string, ReadonlySet<number>> {
  const found = gatewayOf(engine, key);
  const out = new Map<string, Set<number>>();
  if (found === undefined) return out;
  /** Per route label, the rules that take some request on some listener. */
  const keeps = new Map<string, Set<number>>();
  const lost = new Map<string, Set<number>>();
  for (const l of found.spec.listeners) {
    if (l.protocol !== 'HTTP' && l.protocol !== 'HTTPS') continue;
    if (l.hostname !== undefined && !l.hostname.known) continue;
    const lh = l.hostname?.value.toLowerCase();
    const standings = routesOnListener(engine, found, l);
    const routes = [...standings].filter(([, st]) => st.refusedBy === undefined).map(([r]) => r);
    const keyed = new Map(routes.map((r) => [r, keysOn(r, lh)] as const));
    // A templated route before another may take its requests: nothing is judged on this listener.
    const judged = routes.every((r) => keyed.get(r) !== undefined && r.attached === 'yes');
    for (const r of routes) {
      const mine = keyed.get(r);
      const keep = keeps.get(r.label) ?? new Set<number>();
      keeps.set(r.label, keep);
      if (!judged || mine === undefined) {
        r.route.rules.forEach((_, i) => keep.add(i));
        continue;
      }
      const taken = new Set<string>();
      for (const o of routes)
        if (o.kind === r.kind && o.order < r.order) for (const ks of keyed.get(o) ?? []) for (const k of ks) taken.add(k);
      mine.forEach((ks, i) => {
        const wins = ks.some((k) => !taken.has(k));
        for (const k of ks) taken.add(k);
        if (wins) keep.add(i);
        else {
          const set = lost.get(r.label) ?? new Set<number>();
          set.add(i);
          lost.set(r.label, set);
        }
      });
    }
  }
  for (const [label, rules] of lost) {
    const kept = keeps.get(label);
    const none = new Set([...rules].filter((i) => kept?.has(i) !== true));
    if (none.size > 0) out.set(label, none);
  }
  return out;
}
