/**
 * Gateway API routes are checked incrementally: an edit of one route re-checks the routes whose
 * hostnames may meet its own (workspace/keys.ts `routeReadKeys`), not every route of its unit, and
 * the result equals a full analysis. A seeded workspace of HTTPRoutes and GRPCRoutes (exact,
 * wildcard and missing hostnames, on listeners with and without hostnames, across namespaces) takes
 * 80 seeded edits (hostnames, matches, kinds, parentRefs, backends, Gateways, a Gateway file added and
 * removed, removed and restored files); after each, its diagnostics must equal a fresh host's (the route
 * tables carried from index to index, checks/gateway/conflictTable.ts, included).
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import { rng } from '../../scripts/bench/generate.js';

const HOSTNAMES: ReadonlyArray<readonly string[]> = [
  [],
  ['a.example.com'],
  ['*.example.com'],
  ['b.example.com', 'a.example.com'],
  ['shop.example.com'],
  ['*.shop.example.com'],
  ['example.com'],
  ['x.other.org'],
  ['A.example.com'],
];
const PARENTS = [
  '[{name: gw}]',
  '[{name: gw, sectionName: http}]',
  '[{name: gw, sectionName: https}]',
  '[{name: gw, sectionName: h2c}, {name: edge, namespace: infra}]',
  '[{name: edge, namespace: infra}]',
];
const PATHS = ['/', '/api', '/api/', '/api/v1'];
const METHODS = ['{service: shop.Cart}', '{service: shop.Cart, method: Add}', '{method: Add}'];

interface Route {
  kind: 'HTTPRoute' | 'GRPCRoute';
  ns: string;
  hosts: number;
  parents: number;
  match: number;
  backend: number;
}

function routeText(name: string, r: Route): string {
  const hosts = HOSTNAMES[r.hosts] ?? [];
  const match =
    r.kind === 'HTTPRoute'
      ? `[{path: {type: PathPrefix, value: ${PATHS[r.match % PATHS.length] ?? '/'}}}]`
      : `[{method: ${METHODS[r.match % METHODS.length] ?? '{}'}}]`;
  return [
    'apiVersion: gateway.networking.k8s.io/v1',
    `kind: ${r.kind}`,
    `metadata: {name: ${name}, namespace: ${r.ns}}`,
    'spec:',
    `  parentRefs: ${PARENTS[r.parents] ?? '[]'}`,
    hosts.length > 0 ? `  hostnames: [${hosts.map((h) => JSON.stringify(h)).join(', ')}]` : '',
    '  rules:',
    `    - matches: ${match}`,
    `      backendRefs: [{name: svc-${r.backend}, port: 80}]`,
    '',
  ]
    .filter((l, i, all) => l !== '' || i === all.length - 1)
    .join('\n');
}

function gatewayText(hostname: string): string {
  return [
    'apiVersion: v1',
    'kind: Namespace',
    'metadata: {name: shop, labels: {team: shop}}',
    '---',
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: Gateway',
    'metadata: {name: gw, namespace: shop}',
    'spec:',
    '  gatewayClassName: example',
    '  listeners:',
    '    - {name: http, protocol: HTTP, port: 80}',
    `    - {name: https, protocol: HTTPS, port: 443, hostname: "${hostname}", tls: {certificateRefs: [{name: tls}]}}`,
    '    - {name: h2c, protocol: HTTP, port: 8080}',
    '---',
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: Gateway',
    'metadata: {name: edge, namespace: infra}',
    'spec:',
    '  gatewayClassName: example',
    '  listeners:',
    '    - {name: web, protocol: HTTP, port: 80, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}}',
    '',
  ].join('\n');
}

const OTHER_GATEWAY = [
  'apiVersion: gateway.networking.k8s.io/v1',
  'kind: Gateway',
  'metadata: {name: gw, namespace: other}',
  'spec:',
  '  gatewayClassName: example',
  '  listeners:',
  '    - {name: http, protocol: HTTP, port: 80, hostname: "*.example.com"}',
  '',
].join('\n');

const SERVICES = Array.from(
  { length: 4 },
  (_, i) =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}, namespace: shop}\nspec: {selector: {app: svc-${i}}, ports: [{port: 80, targetPort: 8080}]}\n`,
).join('---\n');

function render(host: AnalysisHost): string[] {
  const out: string[] = [];
  for (const [uri, list] of host.snapshot().diagnostics())
    for (const d of list) out.push(`${uri}|${d.span.start}|${d.code}|${d.severity}|${d.message}`);
  return out.sort();
}

it('route edits re-check the routes their hostnames meet, and equal full analyses after each of 80 seeded edits', () => {
  const random = rng(1717);
  const pick = (n: number): number => Math.floor(random() * n);
  const routes = new Map<string, Route>();
  for (let i = 0; i < 40; i++)
    routes.set(`r-${i}`, {
      kind: random() < 0.3 ? 'GRPCRoute' : 'HTTPRoute',
      ns: random() < 0.2 ? 'other' : 'shop',
      hosts: pick(HOSTNAMES.length),
      parents: pick(PARENTS.length),
      match: pick(4),
      backend: pick(6),
    });
  const current = new Map<string, string>();
  current.set('file:///gw/gateways.yaml', gatewayText('*.example.com'));
  current.set('file:///gw/services.yaml', SERVICES);
  for (const [name, r] of routes) current.set(`file:///gw/${name}.yaml`, routeText(name, r));
  const host = new AnalysisHost();
  for (const [u, t] of current) host.setFile(u, t);
  const first = render(host);
  assert.ok(
    first.some((d) => d.includes('gateway-route-hostname-conflict')) && first.some((d) => d.includes('gateway-route-conflict')),
    'the seeded workspace has both kinds of route conflict',
  );
  const names = [...routes.keys()];
  let narrow = 0;
  let routeEdits = 0;
  for (let step = 0; step < 80; step++) {
    const name = names[pick(names.length)] ?? 'r-0';
    const uri = `file:///gw/${name}.yaml`;
    const r = routes.get(name);
    const roll = random();
    let routeEdit = false;
    if (roll < 0.05) {
      const hostname = ['*.example.com', 'shop.example.com', '*.shop.example.com'][pick(3)] ?? '*.example.com';
      current.set('file:///gw/gateways.yaml', gatewayText(hostname));
      host.setFile('file:///gw/gateways.yaml', gatewayText(hostname));
    } else if (roll < 0.09) {
      // A Gateway of its own file comes and goes: the routes of "other" naming gw attach to it or not (no route file changes).
      const other = 'file:///gw/other-gateway.yaml';
      if (current.has(other)) {
        current.delete(other);
        host.removeFile(other);
      } else {
        current.set(other, OTHER_GATEWAY);
        host.setFile(other, OTHER_GATEWAY);
      }
    } else if (roll < 0.15 && current.has(uri)) {
      current.delete(uri);
      host.removeFile(uri);
    } else if (r !== undefined) {
      const what = pick(5);
      if (what === 0) r.hosts = pick(HOSTNAMES.length);
      else if (what === 1) r.match = pick(4);
      else if (what === 2) r.kind = r.kind === 'HTTPRoute' ? 'GRPCRoute' : 'HTTPRoute';
      else if (what === 3) r.parents = pick(PARENTS.length);
      else r.backend = pick(6);
      const text = routeText(name, r);
      routeEdit = current.has(uri);
      current.set(uri, text);
      host.setFile(uri, text);
    }
    const incremental = render(host);
    if (routeEdit) {
      routeEdits++;
      // Fewer than the 40 routes and 2 other files: the edited one and those whose hostnames meet its own, and, where a
      // route of the other kind before them meets them, the routes that one's hostnames meet (whether it is accepted
      // itself decides theirs: gateway-route-hostname-conflict's standingOf). This workspace is full of such conflicts
      // (routes without hostnames answer every one); 11-20 files before the check followed that chain, 21-31 since.
      if (host.stats.rechecked < 30) narrow++;
    }
    const fresh = new AnalysisHost();
    for (const [u, t] of current) fresh.setFile(u, t);
    assert.deepEqual(incremental, render(fresh), `step ${step}: edit of ${uri}`);
  }
  assert.ok(routeEdits > 40, `${routeEdits} route edits`);
  assert.ok(narrow > routeEdits / 2, `only ${narrow} of ${routeEdits} route edits re-checked fewer than 30 files`);
});

it('an edit of a route with a hostname of its own re-checks that route alone', () => {
  const host = new AnalysisHost();
  host.setFile('file:///gw/gateways.yaml', gatewayText('*.example.com'));
  host.setFile('file:///gw/services.yaml', SERVICES);
  const route = (i: number, match: number): string =>
    routeText(`web-${i}`, { kind: 'HTTPRoute', ns: 'shop', hosts: 0, parents: 1, match, backend: 0 }).replace(
      'rules:',
      `hostnames: ["web-${i}.example.com"]\n  rules:`,
    );
  for (let i = 0; i < 30; i++) host.setFile(`file:///gw/web-${i}.yaml`, route(i, 0));
  host.snapshot().diagnostics();
  host.setFile('file:///gw/web-7.yaml', route(7, 1));
  host.snapshot().diagnostics();
  // The route alone (32 files before: every route of the unit; 2 until the certificate checks read the namespace's TLS objects only).
  assert.equal(host.stats.rechecked, 1, `${host.stats.rechecked} files re-checked`);
});

it('certificate checks re-run when TLS material of their namespace or unit changes, not for other edits of the namespace', () => {
  // A Gateway naming a Secret in "shop", an Ingress in "blog" and a Certificate in each writing a near miss, and a Kustomize
  // unit of objects without a namespace whose Gateway names a Secret its unit may write.
  const files = new Map<string, string>([
    ['file:///tls/shop/gateways.yaml', gatewayText('*.example.com').replace('{name: tls}', '{name: shop-tls}')],
    [
      'file:///tls/blog/ingress.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: blog}\nspec:\n  tls: [{hosts: [shop.example.com], secretName: shop-tls}]\n  rules: [{host: shop.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: svc-0, port: {number: 80}}}}]}}]\n',
    ],
    ['file:///tls/blog/services.yaml', SERVICES.replaceAll('namespace: shop', 'namespace: blog')],
    ...['shop', 'blog'].map((ns): [string, string] => [
      `file:///tls/${ns}/cert.yaml`,
      `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: shop, namespace: ${ns}}\nspec: {secretName: shop-tl, dnsNames: [shop.example.com], issuerRef: {name: le, kind: ClusterIssuer}}\n`,
    ]),
    ['file:///tls/shop/other.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: shop}\ndata: {a: "1"}\n'],
    [
      'file:///tls/chart/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [gw.yaml, app.yaml, secret.yaml]\n',
    ],
    [
      'file:///tls/chart/gw.yaml',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec:\n  gatewayClassName: example\n  listeners: [{name: https, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: app-tls}]}}]\n',
    ],
    [
      'file:///tls/chart/app.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  selector: {matchLabels: {app: app}}\n  template:\n    metadata: {labels: {app: app}}\n    spec: {containers: [{name: app, image: app:1}]}\n',
    ],
    ['file:///tls/chart/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: app-tlz}\ntype: kubernetes.io/tls\n'],
  ]);
  const host = new AnalysisHost();
  for (const [u, t] of files) host.setFile(u, t);
  const codes = (): string[] =>
    render(host)
      .filter((d) => d.includes('tls-secret-missing'))
      .map((d) => d.split('|').slice(0, 3).join('|'));
  const fresh = (): string[] => {
    const h = new AnalysisHost();
    for (const [u, t] of files) h.setFile(u, t);
    return render(h);
  };
  const edit = (uri: string, from: string, to: string): void => {
    const text = (files.get(uri) ?? '').replace(from, to);
    files.set(uri, text);
    host.setFile(uri, text);
  };
  // shop-tl is a near miss of shop-tls (the Gateway's and the Ingress's), app-tlz of app-tls.
  assert.equal(codes().length, 3, codes().join('\n'));
  // Another object of the Gateway's namespace: the Gateway is not checked again (it was, while the check read the namespace).
  edit('file:///tls/shop/other.yaml', 'a: "1"', 'a: "2"');
  assert.deepEqual(render(host), fresh());
  assert.equal(host.stats.rechecked, 1);
  edit('file:///tls/chart/app.yaml', 'app:1', 'app:2');
  assert.deepEqual(render(host), fresh());
  // The Certificates write the Secret the Gateway and the Ingress name: both are quiet again.
  edit('file:///tls/shop/cert.yaml', 'secretName: shop-tl,', 'secretName: shop-tls,');
  assert.deepEqual(render(host), fresh());
  assert.equal(codes().length, 2, codes().join('\n'));
  edit('file:///tls/blog/cert.yaml', 'secretName: shop-tl,', 'secretName: shop-tls,');
  assert.deepEqual(render(host), fresh());
  assert.equal(codes().length, 1, codes().join('\n'));
  // The unit's Secret gets the name its Gateway reads.
  edit('file:///tls/chart/secret.yaml', 'app-tlz', 'app-tls');
  assert.deepEqual(render(host), fresh());
  assert.equal(codes().length, 0, codes().join('\n'));
});
