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

  it('says so when no route is attached', () => {
    const t = texts(renderRoutes({ nodes: [], gatewayRoutes: [] } as unknown as PanelModel, new Links(0))).join('');
    assert.match(t, /No route attached to a Gateway/);
  });
});
