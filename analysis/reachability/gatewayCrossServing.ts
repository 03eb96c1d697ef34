/**
 * An HTTPRoute and a GRPCRoute on one listener whose hostnames intersect (docs/dev/gateway-api.md §9,
 * the GRPCRoute API's `spec.hostnames`, Support: Core): the implementation accepts exactly one of
 * the two, the older by creation timestamp, then the first by `{namespace}/{name}`. Routes applied
 * together share a creation timestamp, so the name order decides, as `gateway-route-hostname-conflict`
 * judges it; two routes of one namespace and name are not ordered by it. Read by
 * `explain --via-gateway` (gatewayRequest.ts), which answers by the accepted route.
 */

import type { RouteSpec } from '../model/gateway.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import { hostnamesIntersect } from '../model/gateway.js';
import type { Tri } from '../model/labels.js';

/** A route of either kind attached (or maybe attached) to the listener a request takes. */
export interface OnListener {
  readonly kind: string;
  /** `HTTPRoute shop/api`. */
  readonly label: string;
  /** `shop/api`: the order the API breaks a creation-time tie by. */
  readonly order: string;
  readonly route: RouteSpec;
  readonly namespace: string;
  readonly attached: Tri;
  /** Its hostnames (`*`: none written, every hostname of the listener); undefined when one is templated. */
  readonly hosts: readonly string[] | undefined;
  /**
   * Whether it is never applied together with `other` (files of one Go `testdata` folder: inputs of separate tests,
   * `testInputs.ts`): then neither takes the other's requests.
   */
  readonly apartFrom: (other: OnListener) => boolean;
  readonly placed: Placed;
}

/** How a route stands against the routes of the other kind on its listener. */
export interface Standing {
  /** The route of the other kind the Gateway accepts instead of it, and the hostnames they share. */
  readonly refusedBy?: { readonly route: OnListener; readonly shared: string };
  /** Routes of the other kind it is accepted over. */
  readonly over: ReadonlyArray<{ readonly route: OnListener; readonly shared: string }>;
  /** Why the manifests do not decide which of two is accepted (same namespace and name, a templated hostname, an attachment that may not hold). */
  readonly undecided?: string;
}

/** The routes' hostnames, `*` for none written; undefined when one is templated. */
export function hostsOf(route: RouteSpec): readonly string[] | undefined {
  if (route.hostnames === undefined) return ['*'];
  const out: string[] = [];
  for (const h of route.hostnames) {
    if (!h.known) return undefined;
    out.push(h.value.toLowerCase());
  }
  return out;
}

/** The hostnames two routes share, as a message says it; undefined when they share none. */
function shared(a: readonly string[], b: readonly string[]): string | undefined {
  for (const x of a)
    for (const y of b) {
      if (x === '*' && y === '*') return 'every hostname';
      if (x === '*' || x === y) return `hostname ${y}`;
      if (y === '*') return `hostname ${x}`;
      if (!hostnamesIntersect(x, y)) continue;
      // The narrower of the two: a name under a wildcard, or the longer wildcard.
      const wx = x.startsWith('*.');
      const wy = y.startsWith('*.');
      return `hostname ${wx && !wy ? y : wy && !wx ? x : x.length >= y.length ? x : y}`;
    }
  return undefined;
}

/** Where `r` stands against the routes of the other kind in `all` (every route on the listener). */
export function standing(r: OnListener, all: readonly OnListener[]): Standing {
  let refusedBy: Standing['refusedBy'];
  const over: Array<{ route: OnListener; shared: string }> = [];
  let undecided: string | undefined;
  for (const o of all) {
    if (o.kind === r.kind || (o.kind !== 'HTTPRoute' && o.kind !== 'GRPCRoute') || r.apartFrom(o)) continue;
    if (r.hosts === undefined || o.hosts === undefined) {
      undecided ??= `${r.hosts === undefined ? r.label : o.label} has a templated hostname, so whether ${o.label} shares a hostname with ${r.label} on this listener (and which of the two the Gateway accepts) is not known`;
      continue;
    }
    const s = shared(r.hosts, o.hosts);
    if (s === undefined) continue;
    if (o.order === r.order) {
      undecided ??= `${r.label} and ${o.label} share ${s} on this listener and have the same namespace and name: which one the Gateway accepts is decided by their creation times, which the manifests do not give`;
      continue;
    }
    if (o.order > r.order) {
      over.push({ route: o, shared: s });
      continue;
    }
    if (o.attached !== 'yes') {
      undecided ??= `${o.label}, which shares ${s} with ${r.label} and comes first in namespace/name order, may attach to this listener too (then the Gateway accepts it instead)`;
      continue;
    }
    if (refusedBy === undefined || o.order < refusedBy.route.order) refusedBy = { route: o, shared: s };
  }
  return { ...(refusedBy !== undefined ? { refusedBy } : {}), over, ...(undecided !== undefined ? { undecided } : {}) };
}

/** Why a route is not accepted on listener `lname`: `GRPCRoute shop/grpc is not accepted on listener "http": HTTPRoute shop/api shares …`. */
export function refusalText(r: OnListener, by: { readonly route: OnListener; readonly shared: string }, lname: string): string {
  return `${r.label} is not accepted on listener ${lname}: ${by.route.label} shares ${by.shared} with it, and of an HTTPRoute and a GRPCRoute sharing a hostname the Gateway accepts only the older (created together: ${by.route.label}, first in namespace/name order)`;
}
