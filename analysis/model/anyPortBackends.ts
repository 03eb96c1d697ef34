/**
 * Objects that name a Service only to find its pods and then reach them on any port, so the
 * Service's ports say nothing about where the pods listen: STUNner's UDPRoute
 * (`stunner.l7mp.io`), whose docs say it routes client connections "to *any UDP port* on the pods of
 * the media server pool identified by the Kubernetes service" (l7mp/stunner docs/GATEWAY.md; its
 * examples' media Services carry a placeholder port, "port is ignored"). Kept on the object as
 * `KObject.anyPortBackends`; `service-target-port-unknown` leaves such Services alone.
 *
 * The standard API's UDPRoute (`gateway.networking.k8s.io`) does the same when it is attached to a STUNner Gateway
 * (its class's controller `stunner.l7mp.io/gateway-operator`): STUNner's docs (docs/GATEWAY.md, "UDPRoute") say to
 * add "an arbitrary port to the backend references (this is required by the official API). Note that the port will
 * be omitted", and its operator converts such a route into its own dropping the port
 * (l7mp/stunner-gateway-operator `api/v1/udproute_types.go` `ConvertV1A2UDPRouteToV1`, "ignore port!"). Those
 * backends carry the controllers they hold for (`controllers`): the checks ask the route's parents.
 */

import type { YNode } from '../syntax/tree.js';
import { get, isSeq } from '../syntax/tree.js';
import { plainString } from './values.js';

/** The custom route kinds that reach their backend Services' pods on any port, by API group. */
const ANY_PORT_ROUTES: ReadonlyMap<string, readonly string[]> = new Map([['stunner.l7mp.io', ['UDPRoute']]]);

/**
 * The Gateway controller that takes each custom route kind of `ANY_PORT_ROUTES`, by API group (no other
 * controller reads the kind): STUNner's own UDPRoute is STUNner's operator's.
 */
export const OWN_ROUTE_CONTROLLERS: ReadonlyMap<string, string> = new Map([['stunner.l7mp.io', 'stunner.l7mp.io/gateway-operator']]);

/**
 * STUNner's StaticService (`stunner.l7mp.io`): address prefixes outside the cluster that a STUNner route's backendRef
 * (`group: stunner.l7mp.io`, `kind: StaticService`) names as its destination (l7mp/stunner docs/GATEWAY.md, "StaticService").
 */
export function isStaticService(group: string, kind: string): boolean {
  return group === 'stunner.l7mp.io' && kind === 'StaticService';
}

/** A custom route kind that reaches its backend Services' pods on any port (STUNner's own UDPRoute). */
export function isOwnAnyPortRoute(group: string, kind: string): boolean {
  return (ANY_PORT_ROUTES.get(group) ?? []).includes(kind);
}

/**
 * Gateway controllers whose data plane reaches the pods of a standard route's backend Services on any port (the
 * backendRef's `port` ignored), by the route kinds they take. Each of their listeners takes those kinds whatever its
 * protocol (STUNner's listeners are TURN listeners, `UDP`/`TCP`/`TLS`/`DTLS` aliases of `TURN-UDP`…, and its
 * operator lists UDPRoute as every listener's supported kind: l7mp/stunner-gateway-operator
 * `internal/renderer/gateway_util.go`, `listener_render.go` `getProtocol`) and uses every route attached to it (its
 * listener config lists them all: a TURN client may reach a peer of any).
 */
export const ANY_PORT_CONTROLLERS: ReadonlyMap<string, readonly string[]> = new Map([['stunner.l7mp.io/gateway-operator', ['UDPRoute']]]);

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export interface AnyPortBackend {
  readonly name: string;
  /** Omitted: the route's own namespace. */
  readonly namespace?: string;
  /** Only when the route is attached to a Gateway of one of these controllers (a standard route); omitted: always. */
  readonly controllers?: readonly string[];
}

/** The core Services such a route names in `spec.rules[].backendRefs[]`; undefined for any other object. */
export function anyPortBackends(group: string, kind: string, spec: YNode | undefined): readonly AnyPortBackend[] | undefined {
  const controllers = group === GATEWAY_GROUP ? [...ANY_PORT_CONTROLLERS].filter(([, kinds]) => kinds.includes(kind)).map(([c]) => c) : [];
  if (!(ANY_PORT_ROUTES.get(group) ?? []).includes(kind) && controllers.length === 0) return undefined;
  const rules = get(spec, 'rules');
  if (!isSeq(rules)) return undefined;
  const out: AnyPortBackend[] = [];
  for (const rule of rules.items) {
    const refs = get(rule, 'backendRefs');
    if (!isSeq(refs)) continue;
    for (const ref of refs.items) {
      const g = plainString(get(ref, 'group')) ?? '';
      const k = plainString(get(ref, 'kind')) ?? 'Service';
      const name = plainString(get(ref, 'name'));
      if (g !== '' || k !== 'Service' || name === undefined) continue;
      const namespace = plainString(get(ref, 'namespace'));
      out.push({ name, ...(namespace === undefined ? {} : { namespace }), ...(controllers.length > 0 ? { controllers } : {}) });
    }
  }
  return out.length > 0 ? out : undefined;
}
