/**
 * Gateway API objects in the model (analysis/model/gateway.ts) and the hostname intersection of
 * analysis/checks/gateway/resolve.ts, as tables (docs/dev/gateway-api.md §1–§2).
 */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AnalysisHost, readSettings } from '../../analysis/index.js';
import { hostnamesIntersect } from '../../analysis/checks/gateway/resolve.js';

const MANIFESTS = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: example
  namespace: ignored
spec:
  controllerName: example.com/gateway-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
    - name: https
      protocol: HTTPS
      port: 443
      hostname: "*.example.com"
      allowedRoutes:
        namespaces:
          from: Selector
          selector: {matchLabels: {shared-gateway-access: "true"}}
      tls:
        certificateRefs: [{name: wildcard-cert}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: store
  namespace: shop
spec:
  parentRefs: [{name: web, namespace: infra, sectionName: https}]
  hostnames: [store.example.com]
  rules:
    - backendRefs: [{name: store, port: 8080, weight: 3}, {kind: Service, group: "", name: store-v2, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: db, namespace: shop}
spec:
  parentRefs: [{name: web, namespace: infra, port: 5432}]
  rules: [{backendRefs: [{name: db, port: 5432}]}]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-shop, namespace: infra}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
  to: [{group: "", kind: Service}]
`;

describe('Gateway API objects', () => {
  const host = new AnalysisHost(readSettings(undefined).settings);
  host.setFile('file:///ws/gateway.yaml', MANIFESTS);
  const index = host.snapshot().index;
  const placed = index.objectsOfFile('file:///ws/gateway.yaml');
  const byKind = new Map(placed.map((p) => [p.obj.kind, p]));

  it('reads a GatewayClass as cluster-scoped, with its controller', () => {
    const gc = byKind.get('GatewayClass');
    assert.deepEqual(gc?.obj.gatewayClass, { controllerName: 'example.com/gateway-controller' });
    assert.equal(gc?.placements[0]?.namespace, undefined);
  });

  it('reads listeners with their defaults and allowedRoutes', () => {
    const l = byKind.get('Gateway')?.obj.gateway?.listeners[0];
    assert.equal(l?.protocol, 'HTTPS');
    assert.equal(l?.from, 'Selector');
    assert.equal(l?.tlsMode, 'Terminate');
    assert.equal(l?.certificateRefs[0]?.kind, 'Secret');
    assert.equal(l?.certificateRefs[0]?.group, '');
    assert.equal(l?.hostname?.known === true ? l.hostname.value : undefined, '*.example.com');
  });

  it('reads routes with parentRef and backendRef defaults', () => {
    const r = byKind.get('HTTPRoute')?.obj.route;
    assert.equal(r?.parentRefs[0]?.group, 'gateway.networking.k8s.io');
    assert.equal(r?.parentRefs[0]?.kind, 'Gateway');
    const refs = r?.rules[0]?.backendRefs ?? [];
    assert.deepEqual(
      refs.map((b) => [b.group, b.kind, b.name?.known === true ? b.name.value : '', b.weight?.known === true ? b.weight.value : 1]),
      [
        ['', 'Service', 'store', 3],
        ['', 'Service', 'store-v2', 1],
      ],
    );
    assert.equal(byKind.get('TCPRoute')?.obj.route?.parentRefs[0]?.port?.known, true);
  });

  it('reads a ReferenceGrant', () => {
    assert.deepEqual(byKind.get('ReferenceGrant')?.obj.referenceGrant, {
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }],
      to: [{ group: '', kind: 'Service', name: undefined }],
      unknown: false,
    });
  });
});

describe('hostname intersection', () => {
  const table: Array<[string, string, boolean]> = [
    ['test.example.com', 'test.example.com', true],
    ['test.example.com', '*.example.com', true],
    ['*.example.com', 'test.example.com', true],
    ['*.example.com', 'foo.test.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'test.example.net', false],
    ['*.example.com', '*.foo.example.com', true],
    ['*.foo.example.com', '*.bar.example.com', false],
    ['Test.Example.com', 'test.example.com', true],
    ['a.example.com', 'b.example.com', false],
  ];
  for (const [listener, route, want] of table) {
    it(`${listener} ∩ ${route} = ${want}`, () => assert.equal(hostnamesIntersect(listener, route), want));
  }
});
