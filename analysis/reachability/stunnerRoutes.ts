/**
 * STUNner's own UDPRoute (`stunner.l7mp.io/v1`, docs/dev/gateway-api.md §7) in reachability: the
 * same path as the standard UDPRoute on a STUNner Gateway (`gatewayRouting.ts`, `anyPortController`),
 * with the differences STUNner's docs give (l7mp/stunner docs/GATEWAY.md, "UDPRoute"): only a
 * Gateway of STUNner's controller takes it (no other controller reads the kind); a backendRef may
 * name a Service of another namespace without a ReferenceGrant ("It is allowed to specify a service
 * from a namespace other than the UDPRoute's own namespace"); and its `port`/`endPort` restrict the
 * pod ports reached ("If empty, make all ports available on the backend … If port is given but
 * endPort is not, admit the singleton port range [port,port]").
 *
 * The checks leave the kind alone (it is no Gateway API object): its spec, which has the standard
 * UDPRoute's shape, is read here from the object's syntax tree, once per object.
 */

import type { KObject } from '../model/types.js';
import type { RouteSpec } from '../model/gateway.js';
import { lowerRoute } from '../model/gateway.js';
import { isOwnAnyPortRoute } from '../model/anyPortBackends.js';
import type { Span } from '../types.js';
import type { YNode } from '../syntax/tree.js';
import { get, isSeq } from '../syntax/tree.js';
import { numberValue } from '../model/values.js';
import type { ReachEngine } from './engine.js';
import type { BackendRefTarget } from './gatewayRouting.js';
import type { Bits } from './bitset.js';
import { andNot, isEmpty } from './bitset.js';
import type { PortSpace, Protocol } from './ports.js';

/** A STUNner backendRef's pod ports: undefined for every port; `unknown` when `port` or `endPort` is templated. */
export type BackendPorts = { readonly lo: number; readonly hi: number } | { readonly unknown: true } | undefined;

interface OwnRoute {
  readonly spec: RouteSpec;
  /** Per backendRef (by its span's start): its ports. */
  readonly ports: ReadonlyMap<number, BackendPorts>;
}

const routes = new WeakMap<KObject, OwnRoute | null>();

function portsOf(ref: YNode): BackendPorts {
  const port = numberValue(get(ref, 'port'));
  const end = numberValue(get(ref, 'endPort'));
  if (port === undefined) return undefined;
  const lo = port.known ? port.value : undefined;
  const hi = end === undefined ? lo : end.known ? end.value : undefined;
  // Templated, or outside what the CRD admits: which ports it reaches is not known.
  if (lo === undefined || hi === undefined || lo < 1 || hi > 65535) return { unknown: true };
  // An endPort below port is ignored: the single port (l7mp/stunner-gateway-operator `injectPortRange`).
  return { lo, hi: hi < lo ? lo : hi };
}

function ownRoute(engine: ReachEngine, o: KObject): OwnRoute | undefined {
  const hit = routes.get(o);
  if (hit !== undefined) return hit ?? undefined;
  const root = isOwnAnyPortRoute(o.group, o.kind) ? engine.objectNode(o) : undefined;
  let out: OwnRoute | undefined;
  if (root !== undefined) {
    const ports = new Map<number, BackendPorts>();
    const rules = get(get(root, 'spec'), 'rules');
    for (const rule of isSeq(rules) ? rules.items : []) {
      const refs = get(rule, 'backendRefs');
      for (const ref of isSeq(refs) ? refs.items : []) ports.set(ref.span.start, portsOf(ref));
    }
    out = { spec: lowerRoute(root, o.kind), ports };
  }
  routes.set(o, out ?? null);
  return out;
}

/** A gathered route's spec: a Gateway API route's lowered one, STUNner's own UDPRoute's read here. */
export function routeSpecOf(engine: ReachEngine, o: KObject): RouteSpec | undefined {
  return o.route ?? ownRoute(engine, o)?.spec;
}

/** The pod ports a backendRef of STUNner's own UDPRoute reaches (`BackendPorts`); undefined for other routes. */
export function ownBackendPorts(engine: ReachEngine, o: KObject, refSpan: Span): BackendPorts {
  return ownRoute(engine, o)?.ports.get(refSpan.start);
}

/**
 * The port atoms of `protocol` a STUNner backendRef's ports reach (`BackendPorts`): every atom wholly
 * inside them (`atoms`), and those only partly inside or, when the ports are templated, every atom of
 * the protocol (`partly`: whether a connection on them is forwarded depends on the port), with why.
 */
export function backendAtoms(
  space: PortSpace,
  protocol: Protocol,
  ports: BackendPorts,
): { readonly atoms: Bits; readonly partly: Bits; readonly why: string | undefined } {
  if (ports === undefined) return { atoms: space.protocol(protocol), partly: space.empty(), why: undefined };
  if ('unknown' in ports)
    return { atoms: space.empty(), partly: space.protocol(protocol), why: "the UDPRoute's backendRef ports are templated" };
  const atoms = space.within(protocol, ports.lo, ports.hi);
  const partly = andNot(space.range(protocol, ports.lo, ports.hi), atoms);
  const text = ports.lo === ports.hi ? `port ${ports.lo}` : `ports ${ports.lo}-${ports.hi}`;
  return {
    atoms,
    partly,
    why: isEmpty(partly)
      ? undefined
      : `the UDPRoute's backendRef reaches ${protocol} ${text} only, part of a port range the policies treat alike`,
  };
}

/**
 * The Service backendRefs of the first rule of STUNner's own UDPRoute (a TURN client may reach any of them; STUNner's
 * operator reads a route's first rule only: l7mp/stunner-gateway-operator `renderCluster`, "considering only the
 * first one"), as `explain --via-gateway` follows them: no port (any port, or the pod ports the ref names: `own.ports`).
 */
export function ownBackendRefs(engine: ReachEngine, o: KObject, spec: RouteSpec, routeNs: string): BackendRefTarget[] {
  const out: BackendRefTarget[] = [];
  for (const rule of spec.rules.slice(0, 1))
    for (const b of rule.backendRefs) {
      if (b.unknown || b.group !== '' || b.kind !== 'Service' || b.name?.known !== true) continue;
      const ns = b.namespace === undefined ? routeNs : b.namespace.known ? b.namespace.value : undefined;
      if (ns === undefined) continue;
      out.push({
        ns,
        name: b.name.value,
        port: 0,
        weight: b.weight?.known === true ? b.weight.value : 1,
        own: { ports: ownBackendPorts(engine, o, b.span) },
      });
    }
  return out;
}

/** The same ports (`BackendPorts`). */
export function samePorts(a: BackendPorts, b: BackendPorts): boolean {
  if (a === undefined || b === undefined) return a === b;
  if ('unknown' in a || 'unknown' in b) return 'unknown' in a && 'unknown' in b;
  return a.lo === b.lo && a.hi === b.hi;
}
