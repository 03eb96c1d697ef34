/**
 * A Service port is (port, protocol) (analysis/model/servicePorts.ts): the lookups that routing,
 * `explain`, the panel and the checks share, as a table.
 */

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { IngressBackend, ServicePort } from '../../analysis/model/types.js';
import { backendPort, lookupServicePort, servicePortText } from '../../analysis/model/servicePorts.js';

const span = { start: 0, end: 0 };
const known = <T>(value: T): { known: true; value: T; span: typeof span } => ({ known: true, value, span });

function port(name: string, number: number, target: number, protocol: string): ServicePort {
  return {
    span,
    name: known(name),
    port: known(number),
    targetPort: known(target),
    protocol,
    protocolSpan: undefined,
    nodePort: undefined,
  };
}

// The kube-dns shape: one number, two protocols, two target ports.
const KUBE_DNS = [port('dns', 53, 5353, 'UDP'), port('dns-tcp', 53, 5354, 'TCP'), port('metrics', 9153, 9153, 'TCP')];
const WEB = [port('http', 80, 8080, 'TCP')];
const UDP_ONLY = [port('syslog', 514, 5140, 'UDP')];

const table: Array<{
  ports: ServicePort[];
  port: number | string;
  protocol: string | undefined;
  target: number | undefined;
  missing?: RegExp;
}> = [
  { ports: KUBE_DNS, port: 53, protocol: 'UDP', target: 5353 },
  { ports: KUBE_DNS, port: 53, protocol: 'TCP', target: 5354 },
  { ports: KUBE_DNS, port: 53, protocol: undefined, target: 5354 },
  { ports: KUBE_DNS, port: 'dns', protocol: undefined, target: 5353 },
  { ports: KUBE_DNS, port: 'dns', protocol: 'UDP', target: 5353 },
  {
    ports: KUBE_DNS,
    port: 'dns',
    protocol: 'TCP',
    target: undefined,
    missing: /port "dns" is 53\/UDP: a connection over TCP finds no Service port/,
  },
  { ports: KUBE_DNS, port: 53, protocol: 'SCTP', target: undefined, missing: /port 53 is UDP and TCP only: a connection over SCTP/ },
  { ports: KUBE_DNS, port: 9153, protocol: 'UDP', target: undefined, missing: /port 9153 is TCP only/ },
  { ports: KUBE_DNS, port: 54, protocol: 'UDP', target: undefined, missing: /has no port 54$/ },
  { ports: KUBE_DNS, port: 'dns-udp', protocol: undefined, target: undefined, missing: /has no port named "dns-udp"/ },
  { ports: WEB, port: 80, protocol: undefined, target: 8080 },
  { ports: WEB, port: 80, protocol: 'UDP', target: undefined, missing: /port 80 is TCP only: a connection over UDP/ },
  {
    ports: UDP_ONLY,
    port: 514,
    protocol: undefined,
    target: undefined,
    missing: /is UDP only: a connection over TCP finds no Service port \(a probe without a protocol is TCP; give the protocol\)/,
  },
  { ports: UDP_ONLY, port: 514, protocol: 'UDP', target: 5140 },
];

for (const row of table) {
  test(`Service port ${row.port}${row.protocol === undefined ? '' : `/${row.protocol}`} of [${row.ports.map(servicePortText).join(', ')}]`, () => {
    const r = lookupServicePort(row.ports, 'ns/svc', row.port, row.protocol);
    if (row.target === undefined) {
      assert.ok('missing' in r, 'expected no Service port');
      assert.match(r.missing, row.missing ?? /./);
    } else {
      assert.ok('found' in r, `expected a port: ${'missing' in r ? r.missing : ''}`);
      const tp = r.found.targetPort;
      assert.equal(tp?.known === true ? tp.value : undefined, row.target);
    }
  });
}

test('an Ingress backend by number takes the TCP port of that number (a controller proxies TCP)', () => {
  const backend = (n: number | string): IngressBackend => ({
    span,
    serviceName: known('kube-dns'),
    portNumber: typeof n === 'number' ? known(n) : undefined,
    portName: typeof n === 'string' ? known(n) : undefined,
    portSpan: undefined,
    resource: false,
    legacy: false,
  });
  assert.equal(backendPort(KUBE_DNS, backend(53))?.protocol, 'TCP');
  assert.equal(backendPort(KUBE_DNS, backend('dns'))?.protocol, 'UDP');
  assert.equal(
    backendPort(UDP_ONLY, backend(514))?.protocol,
    'UDP',
    'a UDP-only number is still that port (ingress-backend-port-missing says so)',
  );
  assert.equal(backendPort(WEB, backend(81)), undefined);
  assert.equal(servicePortText(KUBE_DNS[0] as ServicePort), '53/UDP');
  assert.equal(servicePortText(WEB[0] as ServicePort), '80');
});
