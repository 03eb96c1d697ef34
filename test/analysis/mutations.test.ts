/**
 * Mutation test: one known mistake at a time is injected into the known-good corpus; the analysis
 * must report exactly one new diagnostic above hint level, with the expected code, starting at the
 * expected place. Every mutation must also leave the corpus file changed (no silent no-ops). A
 * mistake whose place is a value the check judges is also written as a template action: unknown
 * values silence checks (ARCHITECTURE.md), so that variant gives no finding of the code.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { corpusFiles, hostFor, uriOf } from '../support/corpus.js';

interface Mutation {
  readonly name: string;
  readonly file: string;
  readonly find: string;
  readonly replace: string;
  readonly code: string;
  /** The expected diagnostic starts at the first occurrence of anchor[0] in the mutated file, plus anchor[1]. */
  readonly anchor: readonly [string, number];
  /** False when anchor[0] is not what the check judges (a policy's name): no templated variant. */
  readonly anchorIsInput?: false;
}

const MUTATIONS: readonly Mutation[] = [
  {
    name: 'Service selector typo',
    file: 'shop/base/frontend.yaml',
    find: '  selector:\n    app.kubernetes.io/name: frontend',
    replace: '  selector:\n    app.kubernetes.io/name: frontnd',
    code: 'service-selector-no-match',
    anchor: ['frontnd', 0],
  },
  {
    name: 'named targetPort typo',
    file: 'shop/base/api.yaml',
    find: 'targetPort: grpc',
    replace: 'targetPort: grcp',
    code: 'service-target-port-unknown',
    anchor: ['grcp', 0],
  },
  {
    name: 'Ingress backend Service typo',
    file: 'shop/overlays/prod/ingress.yaml',
    find: 'name: api\n',
    replace: 'name: apii\n',
    code: 'ingress-backend-missing',
    anchor: ['apii', 0],
  },
  {
    name: 'Ingress backend port name unknown',
    file: 'shop/overlays/prod/ingress.yaml',
    find: 'name: http',
    replace: 'name: web',
    code: 'ingress-backend-port-missing',
    anchor: ['name: web', 6],
  },
  {
    name: 'NetworkPolicy podSelector typo',
    file: 'shop/base/policies.yaml',
    find: '      app.kubernetes.io/name: redis\n  policyTypes: [Ingress]',
    replace: '      app.kubernetes.io/name: rediss\n  policyTypes: [Ingress]',
    code: 'netpol-selects-nothing',
    anchor: ['rediss', 0],
  },
  {
    name: 'serviceName near-miss',
    file: 'data/external.yaml',
    find: 'serviceName: kafka-headless',
    replace: 'serviceName: kafka-headles',
    code: 'statefulset-service-missing',
    anchor: ['kafka-headles', 0],
  },
  {
    name: 'probe port name unknown',
    file: 'shop/base/frontend.yaml',
    find: 'port: http}',
    replace: 'port: healthz}',
    code: 'workload-probe-port-unknown',
    anchor: ['healthz}', 0],
  },
  {
    name: 'namespaceSelector on the name label',
    file: 'shop/base/policies.yaml',
    find: '        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: ingress-nginx\n          podSelector:\n            matchLabels:\n              app.kubernetes.io/name: ingress-nginx',
    replace: '        - namespaceSelector:\n            matchLabels:\n              name: kube-system',
    code: 'netpol-peer-no-match',
    anchor: ['              name: kube-system', 14],
  },
  {
    name: 'AND peer split into OR',
    file: 'shop/base/policies.yaml',
    find: '          podSelector:\n            matchLabels:\n              k8s-app: kube-dns',
    replace: '        - podSelector:\n            matchLabels:\n              k8s-app: kube-dns',
    code: 'netpol-peer-and-or',
    anchor: ['- podSelector:\n            matchLabels:\n              k8s-app', 2],
  },
  {
    name: 'egress: [] without Egress',
    file: 'shop/base/policies.yaml',
    find: 'policyTypes: [Ingress, Egress]\n---',
    replace: 'egress: []\n---',
    code: 'netpol-policy-types-mismatch',
    anchor: ['egress: []', 0],
  },
  {
    name: 'egress rules without policyTypes on a served workload',
    file: 'bookinfo/reviews.yaml',
    find: '  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: {app: reviews}\n      ports:\n        - port: 9080\n        - port: 15020',
    replace:
      '  egress:\n    - to:\n        - podSelector:\n            matchLabels: {app: reviews}\n    - ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]',
    code: 'netpol-implicit-ingress-isolation',
    anchor: ['ratings-from-reviews', 0],
    anchorIsInput: false,
  },
  {
    name: 'named policy port unknown',
    file: 'shop/base/policies.yaml',
    find: '        - port: http\n        - port: 9090',
    replace: '        - port: https\n        - port: 9090',
    code: 'netpol-named-port-unknown',
    anchor: ['https', 0],
  },
  {
    name: 'policy on the Service port',
    file: 'shop/base/policies.yaml',
    find: '        - port: 8080\n        - port: grpc',
    replace: '        - port: 80\n        - port: grpc',
    code: 'netpol-port-is-service-port',
    anchor: ['- port: 80\n', 8],
  },
  {
    name: 'UDP Service port for a TCP container',
    file: 'bookinfo/reviews.yaml',
    find: '  selector: {app: ratings}\n  ports:\n    - name: http\n      port: 9080',
    replace: '  selector: {app: ratings}\n  ports:\n    - name: http\n      port: 9080\n      protocol: UDP',
    code: 'service-protocol-mismatch',
    anchor: ['UDP', 0],
  },
  {
    name: 'regex path with Prefix on ingress-nginx',
    file: 'shop/overlays/prod/ingress.yaml',
    find: '- path: /api',
    replace: '- path: /api(/|$)(.*)',
    code: 'ingress-path-invalid-for-class',
    anchor: ['/api(', 0],
  },
  {
    name: 'rule host missing from tls.hosts',
    file: 'shop/overlays/prod/ingress.yaml',
    find: 'hosts: [shop.example.com, www.shop.example.com]',
    replace: 'hosts: [shop.example.com]',
    code: 'ingress-tls-host-mismatch',
    anchor: ['host: www.shop.example.com', 6],
  },
  {
    name: 'TLS secret near-miss',
    file: 'shop/overlays/prod/ingress.yaml',
    find: 'secretName: shop-example-com-tls',
    replace: 'secretName: shop-example-com-tsl',
    code: 'ingress-tls-secret-missing',
    anchor: ['shop-example-com-tsl', 0],
  },
  {
    name: 'second Ingress on the same host and path',
    file: 'certs/legacy.yaml',
    find: 'ingressClassName: gce\n  rules:\n    - host: gke.example.com',
    replace: 'ingressClassName: nginx\n  rules:\n    - host: web.example.com',
    code: 'ingress-rule-conflict',
    anchor: ['- {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n---\n', -1],
  },
  {
    name: 'one workload of two lacks the port',
    file: 'bookinfo/reviews.yaml',
    find: 'reviews-v2:1.20.2\n          ports: [{containerPort: 9080}]',
    replace: 'reviews-v2:1.20.2\n          ports: [{containerPort: 9081}]',
    code: 'service-target-port-partial',
    anchor: ['      port: 9080', 12],
  },
  {
    name: 'selector: {} on a Service',
    file: 'bookinfo/reviews.yaml',
    find: '  selector: {app: ratings}',
    replace: '  selector: {}',
    code: 'service-no-endpoints',
    anchor: ['selector: {}', 0],
  },
  {
    name: 'ipBlock on the cluster DNS IP',
    file: 'platform/policies.yaml',
    find: 'cidr: 169.254.20.10/32',
    replace: 'cidr: 10.96.0.10/32',
    code: 'netpol-ipblock-service-ip',
    anchor: ['10.96.0.10/32', 0],
  },
  {
    name: 'legacy isolation annotation',
    file: 'data/external.yaml',
    find: '  name: data\n---',
    replace: "  name: data\n  annotations:\n    net.beta.kubernetes.io/network-policy: '{}'\n---",
    code: 'netpol-legacy-annotation',
    anchor: ['  name: data', 8],
  },
  {
    name: 'broken YAML',
    file: 'bookinfo/namespace.yaml',
    find: 'istio-injection: enabled',
    replace: 'istio-injection: enabled: true',
    code: 'yaml-syntax',
    anchor: ['enabled: true', 0],
  },
  {
    name: 'Ingress route to pods that admit only the frontend',
    file: 'shop/overlays/prod/ingress.yaml',
    find: '                name: api\n                port:\n                  name: http',
    replace:
      '                name: frontend\n                port:\n                  number: 80\n          - path: /admin\n            pathType: Prefix\n            backend:\n              service:\n                name: redis-primary\n                port:\n                  name: redis',
    code: 'ingress-backend-blocked',
    anchor: ['name: redis-primary', 6],
  },
  // A mistake that only shows once the overlay's patch is applied: reported on the patch's line.
  {
    name: 'Kustomize patch sets a selector no pod carries',
    file: 'shop/overlays/dev/replicas.patch.yaml',
    find: 'spec:\n  type: NodePort',
    replace: 'spec:\n  type: NodePort\n  selector:\n    app.kubernetes.io/name: frontend-dev',
    code: 'service-selector-no-match',
    anchor: ['  selector:\n    app.kubernetes.io/name: frontend-dev', 2],
  },
  {
    name: 'Kustomize patch names a container port the pods lack',
    file: 'shop/overlays/dev/replicas.patch.yaml',
    find: 'spec:\n  type: NodePort',
    replace: 'spec:\n  type: NodePort\n  ports:\n    - name: http\n      port: 80\n      targetPort: htpp',
    code: 'service-target-port-unknown',
    anchor: ['htpp', 0],
  },
  {
    name: 'egress policy without DNS',
    file: 'certs/legacy.yaml',
    find: '---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web-gke',
    replace:
      '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web-egress\n  namespace: web\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress:\n    - ports: [{port: 443}]\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web-gke',
    code: 'netpol-egress-blocks-dns',
    anchor: ['name: web-egress', 6],
  },
  {
    name: 'echo example Service off the port its image serves',
    file: 'docs-examples/httproute-echo.yaml',
    find: 'targetPort: 1027',
    replace: 'targetPort: 1028',
    code: 'service-target-port-unknown',
    anchor: ['1028', 0],
  },
  {
    name: 'shared base Service names a port no flavour declares',
    file: 'flavours/base/service.yaml',
    find: 'targetPort: https',
    replace: 'targetPort: http',
    code: 'service-target-port-unknown',
    anchor: ['targetPort: http', 12],
  },
  {
    name: 'rule host of the tls domain left out of tls.hosts',
    file: 'e2e/default-certificate.yaml',
    find: '                port: {name: http}\n',
    replace:
      '                port: {name: http}\n    - host: www.default.haproxy\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: http-echo\n                port: {name: http}\n',
    code: 'ingress-tls-host-mismatch',
    anchor: ['www.default.haproxy', 0],
  },
  {
    name: "a Flux app's route names a Gateway typo (found in the Flux Kustomization's targetNamespace)",
    file: 'gitops/apps/echo/app/echo.yaml',
    find: '    - name: envoy-external',
    replace: '    - name: envoy-externl',
    code: 'gateway-parent-missing',
    anchor: ['envoy-externl', 0],
  },
  {
    name: "an Argo CD app's route names a Gateway typo (the Gateway lands in its Application's destination namespace)",
    file: 'gitops/argocd/manifests/echo/echo.yaml',
    find: '    - name: internal',
    replace: '    - name: internl',
    code: 'gateway-parent-missing',
    anchor: ['internl', 0],
  },
  {
    name: 'a chart an Argo CD Application installs selects its pods by the wrong release label',
    file: 'gitops/argocd/charts/shop/templates/shop.yaml',
    find: '    app.kubernetes.io/name: {{ .Chart.Name }}\n    app.kubernetes.io/instance: {{ .Release.Name }}\n  ports:',
    replace: '    app.kubernetes.io/name: {{ .Chart.Name }}\n    app.kubernetes.io/instance: {{ .Release.Name }}-web\n  ports:',
    code: 'service-selector-no-match',
    anchor: ['selector:\n    app.kubernetes.io/name', 0],
  },
];

function loud(files: ReadonlyMap<string, string>): Array<{ key: string; uri: string; code: string; start: number }> {
  const analysis = hostFor(files).snapshot();
  return [...analysis.diagnostics()].flatMap(([uri, list]) =>
    list
      .filter((d) => d.severity !== 'hint')
      .map((d) => ({ key: `${uri}|${d.code}|${d.span.start}|${d.message}`, uri, code: d.code, start: d.span.start })),
  );
}

describe('mutations of the known-good corpus', () => {
  const base = corpusFiles();
  const before = new Set(loud(base).map((d) => d.key));
  for (const m of MUTATIONS) {
    it(`${m.name} → ${m.code}`, () => {
      const text = base.get(m.file);
      assert.ok(text !== undefined, `no corpus file ${m.file}`);
      assert.ok(text.includes(m.find), `mutation "${m.name}" does not apply to ${m.file}`);
      const mutated = text.replace(m.find, m.replace);
      const files = new Map(base);
      files.set(m.file, mutated);
      const added = loud(files).filter((d) => !before.has(d.key));
      assert.deepEqual(
        added.map((d) => `${d.uri}|${d.code}`),
        [`${uriOf(m.file)}|${m.code}`],
        `new findings: ${added.map((d) => d.key).join('\n')}`,
      );
      const found = added[0];
      assert.ok(found !== undefined);
      if (m.anchor[1] >= 0) {
        const at = mutated.indexOf(m.anchor[0]);
        assert.ok(at !== -1, `anchor "${m.anchor[0]}" not found`);
        assert.equal(found.start, at + m.anchor[1], `expected at offset ${at + m.anchor[1]}`);
      } else if (m.anchor[0] !== '') {
        const at = mutated.indexOf(m.anchor[0]);
        assert.ok(at !== -1 && found.start > at, `expected after "${m.anchor[0].slice(0, 30)}"`);
      }
    });
  }

  // Unknown values silence checks (ARCHITECTURE.md): the same mistake written as a template action
  // (a value only known at render time) gives no finding of the mutation's code, while the file
  // keeps its objects (the silence is the unknown value's, not a lost object's).
  for (const m of MUTATIONS.filter((x) => x.anchor[1] === 0 && x.anchorIsInput !== false && /^[\w.-]+(?:\/\d+)?$/.test(x.anchor[0]))) {
    it(`${m.name}, templated → silent`, () => {
      const mutated = (base.get(m.file) ?? '').replace(m.find, m.replace);
      const templated = mutated.replace(m.anchor[0], '{{ .Values.mutated }}');
      assert.notEqual(templated, mutated, `anchor "${m.anchor[0]}" not in the mutated text`);
      const objects = (text: string): number =>
        hostFor(new Map(base).set(m.file, text)).snapshot().index.objectsOfFile(uriOf(m.file)).length;
      assert.equal(objects(templated), objects(mutated), 'the templated file lost objects');
      const added = loud(new Map(base).set(m.file, templated)).filter((d) => !before.has(d.key) && d.code === m.code);
      assert.deepEqual(
        added.map((d) => d.key),
        [],
      );
    });
  }

  it('covers most codes of the catalogue', () => {
    assert.ok(new Set(MUTATIONS.map((m) => m.code)).size >= 20);
  });
});
