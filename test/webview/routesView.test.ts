/**
 * The panel's Routes view: `kubeReach/reachabilityContext`'s gatewayRoutes (analysis/ide/
 * gatewayRoutes.ts) on the Gateway reachability fixture, and their rendering (webview/routesView.ts):
 * the backend a NetworkPolicy closes to the data plane is marked blocked, the open one allowed, a
 * route whose hostname no listener serves is not listed, and manifest text is never markup.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../analysis/host.js';
import type { PanelModel } from '../../protocol/panel.js';
import { buildContext } from '../../server/handlers/reachability.js';
import { renderRoutes } from '../../webview/routesView.js';
import { Links } from '../../webview/views.js';
import type { VNode } from '../../webview/vnode.js';

function texts(n: VNode): string[] {
  return typeof n === 'string' ? [n] : n.children.flatMap(texts);
}

const fixture = readFileSync(join(__dirname, '..', 'fixtures', 'reachability', 'gateway-data-plane.yaml'), 'utf8');

describe('Routes view', () => {
  it('lists the attached routes with their backends and what policies allow', () => {
    const host = new AnalysisHost();
    host.setFile('file:///ws/gateway.yaml', fixture);
    const context = buildContext(host.snapshot());
    const rows = context.gatewayRoutes.map(
      (r) =>
        `${r.gateway} ${r.route} rules[${r.rule}] ${r.matches} → ${r.service}:${r.port} ${r.endpoints.map((e) => `${e.node}:${e.targetPort}=${String(e.allowed)}`).join(',')}`,
    );
    assert.deepEqual(rows, [
      'infra/web HTTPRoute shop/store rules[0] store.example.com · PathPrefix /admin → shop/admin:80 shop/admin[Deployment]:8080=false',
      'infra/web HTTPRoute shop/store rules[1] store.example.com · PathPrefix / → shop/store:80 shop/store[Deployment]:8080=true',
    ]);
    assert.ok(context.gatewayRoutes.every((r) => r.dataPlane === '{gateway:infra/web}' && r.location.uri === 'file:///ws/gateway.yaml'));
    const model = { nodes: [], gatewayRoutes: context.gatewayRoutes } as unknown as PanelModel;
    const links = new Links(0);
    const t = texts(renderRoutes(model, links)).join('|');
    assert.match(t, /✕ blocked by policy/);
    assert.match(t, /✓ allowed/);
    assert.equal(links.locations.length, 2, 'each row links its backendRef');
  });

  it('marks the route of an HTTPRoute and a GRPCRoute sharing a hostname that the Gateway does not accept, naming the one it does', () => {
    const host = new AnalysisHost();
    host.setFile(
      'file:///ws/cross.yaml',
      readFileSync(join(__dirname, '..', 'fixtures', 'reachability', 'gateway-cross-serving.yaml'), 'utf8'),
    );
    const context = buildContext(host.snapshot());
    const refused = (route: string): string | undefined =>
      context.gatewayRoutes.find((r) => r.route === route)?.problems?.find((p) => p.code === 'gateway-route-hostname-conflict')?.message;
    assert.match(
      refused('GRPCRoute shop/grpc') ?? '',
      /^GRPCRoute shop\/grpc is not accepted on listener "com": HTTPRoute shop\/api shares hostname api\.example\.com/,
    );
    assert.match(
      refused('HTTPRoute shop/site') ?? '',
      /GRPCRoute shop\/a-rpc, first in namespace\/name order\): it serves nothing through Gateway infra\/gw$/,
    );
    // The accepted ones, and the pair the criteria do not order, carry no such mark.
    for (const r of ['HTTPRoute shop/api', 'GRPCRoute shop/a-rpc', 'HTTPRoute shop/same', 'GRPCRoute shop/same'])
      assert.equal(refused(r), undefined, r);
    const model = { nodes: [], gatewayRoutes: context.gatewayRoutes } as unknown as PanelModel;
    assert.match(
      texts(renderRoutes(model, new Links(0))).join('|'),
      /gateway-route-hostname-conflict\| \|GRPCRoute shop\/grpc is not accepted/,
    );
  });

  it('lists a route whose Gateway reaches the pods on any port (STUNner), with the port policies let it reach', () => {
    const rows = ['gateway-stunner-any-port', 'gateway-stunner-own-route'].flatMap((f) => {
      const host = new AnalysisHost();
      host.setFile(`file:///ws/${f}.yaml`, readFileSync(join(__dirname, '..', 'fixtures', 'reachability', `${f}.yaml`), 'utf8'));
      return buildContext(host.snapshot()).gatewayRoutes.map(
        (r) =>
          `${r.gateway} ${r.route} rules[${r.rule}] → ${r.service}:${r.port} ${r.endpoints.map((e) => `${e.node}:${e.targetPort}=${String(e.allowed)}`).join(',')}`,
      );
    });
    assert.deepEqual(rows, [
      // The standard UDPRoute: the STUNner Gateway's row only (the other Gateway's Service lacks port 1), and its
      // backend in another namespace that no ReferenceGrant permits (STUNner implements none).
      'stunner/udp-gateway UDPRoute stunner/media-plane-route rules[0] → stunner/media-server-pool:any UDP port stunner/media[Deployment]:10000=true',
      'stunner/udp-gateway UDPRoute stunner/media-plane-route rules[0] → media-plane/echo:any UDP port media-plane/echo[Deployment]:1=true',
      // STUNner's own UDPRoute: any port, a port range, and a port inside a range the policies treat alike; no row
      // for the echo route's second rule (STUNner reads a route's first rule only); an endPort below port is ignored.
      'stunner/udp-gateway UDPRoute stunner/media-plane rules[0] → media-plane/media-server-pool:any UDP port media-plane/media[Deployment]:9000=true',
      'stunner/udp-gateway UDPRoute stunner/echo rules[0] → media-plane/echo:UDP 9000-9001 media-plane/echo[Deployment]:9000=true',
      'stunner/udp-gateway UDPRoute stunner/echo rules[0] → media-plane/echo:UDP 9050 media-plane/echo[Deployment]:9050=null',
      'stunner/udp-gateway UDPRoute stunner/reversed rules[0] → media-plane/rev:UDP 10500 media-plane/rev[Deployment]:10500=true',
    ]);
  });

  it("lists STUNner's StaticServices with the external ranges within their prefixes, as reach lists them", () => {
    const host = new AnalysisHost();
    host.setFile(
      'file:///ws/static.yaml',
      readFileSync(join(__dirname, '..', 'fixtures', 'reachability', 'gateway-stunner-static-service.yaml'), 'utf8'),
    );
    const context = buildContext(host.snapshot());
    const rows = context.gatewayRoutes.map(
      (r) =>
        `${r.gateway} ${r.route} rules[${r.rule}] ${r.matches} → ${r.service}:${r.port} ${r.endpoints.map((e) => `${e.node}:${e.targetPort}=${String(e.allowed)}`).join(',')}`,
    );
    assert.deepEqual(rows, [
      // Through STUNner's own UDPRoute: any UDP port to both ranges of turn-servers; media's backendRef names 3478-3479.
      'stunner/udp-gateway UDPRoute stunner/public-turn rules[0] listener "udp-listener" TURN-UDP 3478, "tcp-listener" TURN-TCP 3479 → StaticService stunner/turn-servers:any UDP port 192.0.2.0-192.0.2.255[External]:1=true,198.51.100.0-198.51.100.255[External]:1=true',
      'stunner/udp-gateway UDPRoute stunner/public-turn rules[0] listener "udp-listener" TURN-UDP 3478, "tcp-listener" TURN-TCP 3479 → StaticService stunner/media:UDP 3478-3479 100.64.0.0-100.64.255.255[External]:3478=true',
      // Through the standard UDPRoute (its port dropped), in another namespace without a ReferenceGrant.
      'stunner/udp-gateway UDPRoute stunner/partner-route rules[0] listener "udp-listener" TURN-UDP 3478, "tcp-listener" TURN-TCP 3479 → StaticService partners/partner:any UDP port 203.0.113.0-203.0.113.255[External]:1=true',
    ]);
    const model = { nodes: [], gatewayRoutes: context.gatewayRoutes } as unknown as PanelModel;
    assert.match(texts(renderRoutes(model, new Links(0))).join('|'), /StaticService stunner\/turn-servers:any UDP port/);
  });

  it('names the listeners of TLS, TCP and UDP routes, and leaves out a backend no ReferenceGrant permits', () => {
    const host = new AnalysisHost();
    host.setFile(
      'file:///ws/l4.yaml',
      readFileSync(join(__dirname, '..', 'fixtures', 'reachability', 'gateway-l4-attachment.yaml'), 'utf8'),
    );
    const rows = buildContext(host.snapshot()).gatewayRoutes.map((r) => `${r.route} ${r.matches} → ${r.service}:${r.port}`);
    assert.ok(
      rows.includes('TLSRoute shop/pay pay.example.com, pay.example.org · listener "term" TLS 8443 → data/db:5432'),
      rows.join('\n'),
    );
    assert.ok(
      rows.includes('TLSRoute shop/a-web web.example.com, api.example.com · listener "pass" TLS 443 → shop/web:443'),
      rows.join('\n'),
    );
    // The TCPRoute's backend is in another namespace and no grant permits TCPRoutes: no row.
    assert.ok(!rows.some((r) => r.startsWith('TCPRoute shop/db ')), rows.join('\n'));
    assert.ok(!rows.some((r) => r.includes('db-replica')), rows.join('\n'));
  });

  it('marks the routes that lose every connection or match to an older route of the same rank', () => {
    const host = new AnalysisHost();
    host.setFile(
      'file:///ws/precedence.yaml',
      readFileSync(join(__dirname, '..', 'fixtures', 'reachability', 'gateway-route-precedence.yaml'), 'utf8'),
    );
    const context = buildContext(host.snapshot());
    const conflict = (route: string): readonly string[] =>
      context.gatewayRoutes
        .filter((r) => r.route === route)
        .flatMap((r) => (r.problems ?? []).filter((p) => p.code === 'gateway-route-conflict').map((p) => p.message));
    // Two TCPRoutes on the terminating TLS listener, and two on the TCP listener: the second of each loses.
    assert.deepEqual(conflict('TCPRoute shop/b-stream'), [
      'TCPRoute shop/b-stream gets no connection on listener "term": TCPRoute shop/a-stream answers the same names there too, and of routes of one rank the older wins (created together: the first in namespace/name order): it serves nothing through Gateway infra/edge',
    ]);
    assert.equal(conflict('TCPRoute shop/db-copy').length, 1);
    // The TLSRoute for one name and the first TCPRoute keep theirs; the TCPRoute on the passthrough
    // listener is not judged there (it takes no TLS connection).
    for (const r of [
      'TLSRoute shop/pay',
      'TCPRoute shop/a-stream',
      'TCPRoute shop/db',
      'TCPRoute shop/pass-stream',
      'HTTPRoute shop/a-site',
    ])
      assert.deepEqual(conflict(r), [], r);
    // The HTTPRoute whose only match equals an older route's: the check's finding on its match.
    const site = conflict('HTTPRoute shop/b-site');
    assert.equal(site.length, 1);
    assert.match(site[0] ?? '', /^HTTPRoute "shop\/b-site" rules\[0\] matches exactly what HTTPRoute "shop\/a-site" rules\[0\] matches/);
  });

  it('says so when no route is attached', () => {
    const t = texts(renderRoutes({ nodes: [], gatewayRoutes: [] } as unknown as PanelModel, new Links(0))).join('');
    assert.match(t, /No route attached to a Gateway/);
  });
});
