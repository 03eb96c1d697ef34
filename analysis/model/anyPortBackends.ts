/**
 * Objects that name a Service only to find its pods and then reach them on any port, so the
 * Service's ports say nothing about where the pods listen: STUNner's UDPRoute
 * (`stunner.l7mp.io`), whose docs say it routes client connections "to *any UDP port* on the pods of
 * the media server pool identified by the Kubernetes service" (l7mp/stunner docs/GATEWAY.md; its
 * examples' media Services carry a placeholder port, "port is ignored"). Kept on the object as
 * `KObject.anyPortBackends`; `service-target-port-unknown` leaves such Services alone.
 */

import type { YNode } from '../syntax/tree.js';
import { get, isSeq } from '../syntax/tree.js';
import { plainString } from './values.js';

/** The custom route kinds that reach their backend Services' pods on any port, by API group. */
const ANY_PORT_ROUTES: ReadonlyMap<string, readonly string[]> = new Map([['stunner.l7mp.io', ['UDPRoute']]]);

export interface AnyPortBackend {
  readonly name: string;
  /** Omitted: the route's own namespace. */
  readonly namespace?: string;
}

/** The core Services such a route names in `spec.rules[].backendRefs[]`; undefined for any other object. */
export function anyPortBackends(group: string, kind: string, spec: YNode | undefined): readonly AnyPortBackend[] | undefined {
  if (!(ANY_PORT_ROUTES.get(group) ?? []).includes(kind)) return undefined;
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
      out.push(namespace === undefined ? { name } : { name, namespace });
    }
  }
  return out.length > 0 ? out : undefined;
}
