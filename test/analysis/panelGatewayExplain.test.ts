/**
 * `kubeReach/explain` (analysis/ide/panelReach.ts `panelExplain`) answers the probes through a
 * Gateway that `kube-reach explain --probes` reads: a GET, a gRPC call, a TLS (DTLS) connection by SNI, a
 * TCP or UDP connection to a listener port (docs/dev/gateway-api.md §10), with the same verdicts
 * and reasons as the engine gives the CLI; malformed ones answer null with the reason.
 */

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AnalysisHost, panelExplain } from '../../analysis/index.js';

const fixture = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', 'reachability', name), 'utf8');

test('kubeReach/explain: TLS, TCP, UDP connections and gRPC calls through a Gateway, as the probes file has them', () => {
  const host = new AnalysisHost();
  host.setFile('file:///ws/l4.yaml', fixture('gateway-l4-attachment.yaml'));
  host.setFile('file:///ws/grpc.yaml', fixture('gateway-grpc-request.yaml'));
  const gw = 'infra/edge';
  const results = panelExplain(host.snapshot(), {
    probes: [
      { to: 'data/db[StatefulSet]', via: { gateway: gw, sni: 'pay.example.com', port: 8443 } },
      { to: 'data/db-replica[StatefulSet]', via: { gateway: gw, port: 5432 } },
      { to: 'data/dns[Deployment]', protocol: 'UDP', via: { gateway: gw, port: 53 } },
      { to: 'shop/web[Deployment]', via: { gateway: gw, sni: 'api.example.com' } },
      { to: 'shop/cart[Deployment]', via: { gateway: 'infra/grpc', host: 'grpc.example.com', grpc: 'shop.Cart/AddItem' } },
      // Malformed: SCTP, a port that is not a number, a TLS connection over SCTP, a gRPC call without a method.
      { to: 'data/dns[Deployment]', protocol: 'SCTP', via: { gateway: gw, port: 53 } },
      { to: 'data/dns[Deployment]', via: { gateway: gw, port: '53' } },
      { to: 'shop/web[Deployment]', protocol: 'SCTP', via: { gateway: gw, sni: 'api.example.com' } },
      { to: 'shop/cart-admin[Deployment]', via: { gateway: 'infra/grpc', host: 'grpc.example.com', grpc: 'shop.Cart' } },
    ],
  });
  const [tls, tcp, udp, tlsAnyPort, grpc, ...bad] = results;
  assert.equal(tls?.allowed, true, tls?.reason);
  assert.match(tls?.reason ?? '', /TLSRoute shop\/pay on listener "term" \(TLS terminated with pay-cert, the stream forwarded as TCP\)/);
  assert.equal(tcp?.allowed, false);
  assert.match(tcp?.reason ?? '', /no ReferenceGrant in namespace data lets TCPRoutes of namespace shop reference it; RefNotPermitted/);
  assert.equal(udp?.allowed, false);
  assert.match(udp?.reason ?? '', /UDPRoute data\/dns is not attached to listener "dns": the namespace selector/);
  assert.equal(tlsAnyPort?.allowed, true, tlsAnyPort?.reason);
  assert.match(tlsAnyPort?.reason ?? '', /TLSRoute shop\/b-web takes it on the same listener too: the older route wins/);
  assert.equal(grpc?.allowed, true, grpc?.reason);
  assert.match(grpc?.reason ?? '', /^grpc\.example\.com shop\.Cart\/AddItem matches rules\[\d+\] of GRPCRoute shop\//);
  assert.equal(bad.length, 4);
  for (const [i, r] of bad.entries()) {
    assert.equal(r.allowed, null);
    assert.equal(r.reason, `probe ${i + 6} is malformed`);
  }
});

test('kubeReach/explain: a request to an HTTP listener port, a TCPRoute on a terminating TLS listener', () => {
  const host = new AnalysisHost();
  host.setFile('file:///ws/precedence.yaml', fixture('gateway-route-precedence.yaml'));
  const gw = 'infra/edge';
  const [p80, p8080, tcp, bad] = panelExplain(host.snapshot(), {
    probes: [
      { to: 'shop/api-a[Deployment]', via: { gateway: gw, host: 'shop.example.com', path: '/api', port: 80 } },
      { to: 'shop/web-alt[Deployment]', via: { gateway: gw, host: 'shop.example.com', path: '/api', port: 8080 } },
      { to: 'shop/stream[Deployment]', via: { gateway: gw, sni: 'other.example.com', port: 8443 } },
      { to: 'shop/web-alt[Deployment]', via: { gateway: gw, host: 'shop.example.com', path: '/', port: 80.5 } },
    ],
  });
  assert.equal(p80?.allowed, true, p80?.reason);
  assert.match(
    p80?.reason ?? '',
    /HTTPRoute shop\/a-site \(PathPrefix \/api\) on listener "web".*HTTPRoute shop\/b-site matches it as well/,
  );
  assert.equal(p8080?.allowed, true, p8080?.reason);
  assert.match(p8080?.reason ?? '', /HTTPRoute shop\/alt \(PathPrefix \/\) on listener "alt"/);
  assert.equal(tcp?.allowed, true, tcp?.reason);
  assert.match(tcp?.reason ?? '', /TCPRoute shop\/a-stream on listener "term"/);
  assert.equal(bad?.allowed, null);
  assert.equal(bad?.reason, 'probe 4 is malformed');
});

test("kubeReach/explain: TLS and DTLS (sni with protocol UDP) to STUNner's TURN-TLS and TURN-DTLS listeners, picked by port", () => {
  const host = new AnalysisHost();
  host.setFile('file:///ws/stunner.yaml', fixture('gateway-stunner-tls.yaml'));
  const gw = 'stunner/tls-gateway';
  const to = 'stunner/media[Deployment]';
  const [tls, dtls, uncertified] = panelExplain(host.snapshot(), {
    probes: [
      { to, via: { gateway: gw, sni: 'anything.example.org', port: 443 } },
      { to, protocol: 'UDP', via: { gateway: gw, sni: 'turn.example.com', port: 443 } },
      { to, via: { gateway: gw, sni: 'turn.example.com', port: 5349 } },
    ],
  });
  assert.equal(tls?.allowed, true, tls?.reason);
  assert.match(tls?.reason ?? '', /on listener "tls-listener" \(TLS terminated with turn-cert whatever the SNI name/);
  assert.equal(dtls?.allowed, true, dtls?.reason);
  assert.match(dtls?.reason ?? '', /^a DTLS connection for turn\.example\.com port 443 goes to .* on listener "dtls-listener"/);
  assert.equal(uncertified?.allowed, false);
  assert.match(uncertified?.reason ?? '', /listener "bare-tls" .* no tls\.certificateRefs/);
});
