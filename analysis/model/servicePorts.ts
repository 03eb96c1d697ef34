/**
 * A Service port is identified by its port number *and* protocol (the API server keeps
 * `(port, protocol)` unique per Service; `name` is unique too). Every lookup of a Service port by
 * number goes through here, so routing, `explain`, the panel and the checks agree: the kube-dns
 * shape (53/TCP → 5354 and 53/UDP → 5353) is two ports, and a UDP probe on 53 lands on 5353.
 */

import type { IngressBackend, ServicePort } from './types.js';

/** `53`, `53/UDP` (TCP is the default protocol and is not written). */
export function servicePortText(sp: ServicePort): string {
  const port = sp.port?.known === true ? String(sp.port.value) : '?';
  return sp.protocol === 'TCP' ? port : `${port}/${sp.protocol}`;
}

export type ServicePortLookup = { readonly found: ServicePort } | { readonly missing: string };

/**
 * The Service port a client reaches with `port` (a number or a port name) over `protocol`.
 * A number without a protocol means TCP, the Kubernetes default; a name identifies the port and
 * its protocol, so a protocol given beside it must be that port's. `missing` says, in the user's
 * words, why no port of the Service answers.
 */
export function lookupServicePort(
  ports: readonly ServicePort[],
  service: string,
  port: number | string,
  protocol: string | undefined,
): ServicePortLookup {
  if (typeof port === 'string') {
    const byName = ports.find((p) => p.name?.known === true && p.name.value === port);
    if (byName === undefined) return { missing: `Service ${service} has no port named "${port}"` };
    if (protocol !== undefined && byName.protocol !== protocol) {
      return {
        missing: `Service ${service} port "${port}" is ${byName.port?.known === true ? byName.port.value : '?'}/${byName.protocol}: a connection over ${protocol} finds no Service port`,
      };
    }
    return { found: byName };
  }
  const want = protocol ?? 'TCP';
  const same = ports.filter((p) => p.port?.known === true && p.port.value === port);
  const found = same.find((p) => p.protocol === want);
  if (found !== undefined) return { found };
  if (same.length === 0) return { missing: `Service ${service} has no port ${port}` };
  const has = same.map((p) => p.protocol).join(' and ');
  return {
    missing: `Service ${service} port ${port} is ${has} only: a connection over ${want} finds no Service port${protocol === undefined ? ' (a probe without a protocol is TCP; give the protocol)' : ''}`,
  };
}

/**
 * The Service port an Ingress backend names: by name, or by number over TCP (a controller proxies
 * HTTP over TCP; a UDP port of the same number is another port). Undefined when none.
 */
export function backendPort(ports: readonly ServicePort[], b: IngressBackend): ServicePort | undefined {
  if (b.portNumber?.known === true) {
    const n = b.portNumber.value;
    return (
      ports.find((p) => p.port?.known === true && p.port.value === n && p.protocol === 'TCP') ??
      ports.find((p) => p.port?.known === true && p.port.value === n)
    );
  }
  if (b.portName?.known === true) {
    const n = b.portName.value;
    return ports.find((p) => p.name?.known === true && p.name.value === n);
  }
  return undefined;
}
