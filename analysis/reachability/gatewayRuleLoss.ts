/**
 * HTTPRoute and GRPCRoute rules a Gateway gives no request (docs/dev/gateway-api.md §7, §9): on
 * every HTTP or HTTPS listener the route is attached to and accepted on, each of its matches, for
 * each hostname it answers there, is matched exactly as well by an earlier rule of the route or by a
 * rule of a route of its kind first in `namespace/name` order (routes applied together share a
 * creation time), which the precedence prefers. `reach` lists no data-plane connection through such a
 * rule, as `explain --via-gateway` never answers a request by it.
 */

import { claimingListener, hostnameRank, hostsOnListener, ruleKeys } from '../model/gatewayMatchKeys.js';
import type { ReachEngine } from './engine.js';
import type { OnListener } from './gatewayCrossServing.js';
import { gatewayOf, routesOnListener } from './gatewayRequest.js';

/** A key a rule answers on a listener (the name, its own within the listener's, and the match), with the rank of the route's own hostname there. */
interface Key {
  readonly key: string;
  readonly host: string;
  readonly own: number;
}

/** The keys a route's rules answer on a listener of hostname `lh` (undefined: none), per rule; undefined when templated. */
function keysOn(r: OnListener, lh: string | undefined): Array<readonly Key[]> | undefined {
  if (r.hosts === undefined || r.route.rulesUnknown) return undefined;
  const hosts = hostsOnListener(r.route.hostnames === undefined ? undefined : r.hosts, lh);
  const out: Array<readonly Key[]> = [];
  for (const rule of r.route.rules) {
    const keys = rule.backendRefsUnknown ? undefined : ruleKeys(r.kind, rule);
    if (keys === undefined) return undefined;
    out.push(hosts.flatMap((h) => keys.map((k) => ({ key: `${h.host}\u0000${k.key}`, host: h.host, own: hostnameRank(h.own) }))));
  }
  return out;
}

/** The rules of a Gateway's routes that take no request (`lost`), and those that take none by one of the two readings of the hostname precedence only (`open`). */
export interface LosingRules {
  readonly lost: ReadonlyMap<string, ReadonlySet<number>>;
  readonly open: ReadonlyMap<string, ReadonlySet<number>>;
}

/**
 * By route label (`HTTPRoute shop/api`), the indexes of the rules of HTTPRoutes and GRPCRoutes
 * attached to the Gateway `key` that take no request on any listener: on each, every key of the
 * rule is an earlier rule's or a route's before it (attached for certain and accepted there), whose own
 * hostname is at least as specific. Where it is less specific, the rule takes nothing when routes are
 * ranked by their hostnames within the listener's and something when by their own (§9,
 * kubernetes-sigs/gateway-api#5120): `open`, as is a rule a route after it with a more specific own
 * hostname takes every request from by the second reading only.
 */
export function losingRules(engine: ReachEngine, key: string): LosingRules {
  const found = gatewayOf(engine, key);
  const lost = new Map<string, Set<number>>();
  const open = new Map<string, Set<number>>();
  if (found === undefined) return { lost, open };
  /** Per route label and reading (0: the intersection, 1: the own hostnames), the rules that take some request on some listener. */
  const keeps = new Map<string, [Set<number>, Set<number>]>();
  const counts = new Map<string, number>();
  for (const l of found.spec.listeners) {
    if (l.protocol !== 'HTTP' && l.protocol !== 'HTTPS') continue;
    if (l.hostname !== undefined && !l.hostname.known) continue;
    const lh = l.hostname?.value.toLowerCase();
    const claimer = claimingListener(l, found.spec.listeners);
    const shadowed = (host: string): boolean => claimer(host) !== undefined;
    const standings = routesOnListener(engine, found, l);
    const routes = [...standings].filter(([, st]) => st.refusedBy === undefined).map(([r]) => r);
    const keyed = new Map(routes.map((r) => [r, keysOn(r, lh)] as const));
    // A templated route before another may take its requests: nothing is judged on this listener (of the routes
    // applied with it: files of one testdata folder are separate tests' inputs).
    for (const r of routes) {
      const judged = routes.every((o) => r.apartFrom(o) || (keyed.get(o) !== undefined && o.attached === 'yes'));
      const mine = keyed.get(r);
      const keep = keeps.get(r.label) ?? [new Set<number>(), new Set<number>()];
      keeps.set(r.label, keep);
      counts.set(r.label, r.route.rules.length);
      if (mine === undefined) {
        r.route.rules.forEach((_, i) => {
          keep[0].add(i);
          keep[1].add(i);
        });
        continue;
      }
      if (!judged) {
        // Other routes are not judged here; a more specific listener on the port still takes the names it claims.
        mine.forEach((ks, i) => {
          if (ks.some((k) => !shadowed(k.host))) {
            keep[0].add(i);
            keep[1].add(i);
          }
        });
        continue;
      }
      // Per key, the most specific own hostname of another route answering it before this one (by the first reading
      // every route before it takes it) and of any other route.
      const before = new Set<string>();
      const any = new Map<string, number>();
      for (const o of routes) {
        if (o === r || o.kind !== r.kind || r.apartFrom(o)) continue;
        for (const ks of keyed.get(o) ?? [])
          for (const k of ks) {
            const at = o.order < r.order ? k.own + 0.5 : k.own;
            any.set(k.key, Math.max(any.get(k.key) ?? -1, at));
            if (o.order < r.order) before.add(k.key);
          }
      }
      const earlier = new Set<string>();
      mine.forEach((ks, i) => {
        // By the intersection, an earlier rule or a route before it takes the key; by the own hostnames, an earlier
        // rule, a route with a more specific own hostname, or one as specific before it.
        if (ks.some((k) => !shadowed(k.host) && !earlier.has(k.key) && !before.has(k.key))) keep[0].add(i);
        if (ks.some((k) => !shadowed(k.host) && !earlier.has(k.key) && (any.get(k.key) ?? -1) <= k.own)) keep[1].add(i);
        for (const k of ks) earlier.add(k.key);
      });
    }
  }
  for (const [label, [byMeet, byOwn]] of keeps)
    for (let i = 0; i < (counts.get(label) ?? 0); i++) {
      const a = byMeet.has(i);
      const b = byOwn.has(i);
      if (!a && !b) add(lost, label, i);
      else if (a !== b) add(open, label, i);
    }
  return { lost, open };
}

function add(to: Map<string, Set<number>>, label: string, rule: number): void {
  const set = to.get(label) ?? new Set<number>();
  set.add(rule);
  to.set(label, set);
}
