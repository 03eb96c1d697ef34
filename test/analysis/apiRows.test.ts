/**
 * API-server parity (docs/dev/design.md §3.2): every row id of docs/dev/api-rules.md §A.3–A.10 is in
 * analysis/checks/api/rows.ts, with fixtures that exist, a trigger fixture that reports the row
 * (`data.rule`) and a silent one that does not; messages compared word for word with that table;
 * `kubeReach.kubernetesVersion` narrowing and version-dependent wording; the "use Prefix" fix.
 */

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost, readSettings } from '../../analysis/index.js';
import type { Diagnostic, TextEdit } from '../../analysis/index.js';
import { API_CODES } from '../../analysis/checks/api/index.js';
import { API_ROWS } from '../../analysis/checks/api/rows.js';
import { analyseFixture, parseFixture } from '../support/fixture.js';

const repo = resolve(__dirname, '..', '..');
const RESEARCH = 'docs/dev/api-rules.md';
const research = readFileSync(join(repo, RESEARCH), 'utf8');

/** Row ids of §A.3–A.10 (table rows whose first cell is an id such as M1, SV12, IN24). */
function researchRowIds(text: string): string[] {
  const start = text.indexOf('## A.3 ');
  const end = text.indexOf('## A.11 ');
  const ids: string[] = [];
  for (const line of text.slice(start, end).split('\n')) {
    const m = /^\|\s*([A-Z]{1,2}\d+)\s*\|/.exec(line);
    if (m?.[1] !== undefined) ids.push(m[1]);
  }
  return ids;
}

function analyse(text: string, settings?: unknown): Diagnostic[] {
  const { settings: s, problems } = readSettings(settings);
  assert.deepEqual(problems, []);
  const host = new AnalysisHost(s);
  host.setFile('file:///w/a.yaml', text);
  return [...host.snapshot().diagnosticsFor('file:///w/a.yaml')];
}

function apiMessages(text: string, settings?: unknown): string[] {
  return analyse(text, settings)
    .filter((d) => d.code.startsWith('api-') || d.code === 'deprecated-api')
    .map((d) => d.message);
}

function rulesIn(path: string): Set<string> {
  const fx = parseFixture(path, readFileSync(join(repo, path), 'utf8'));
  const { analysis } = analyseFixture(fx);
  const out = new Set<string>();
  for (const f of fx.files)
    for (const d of analysis.diagnosticsFor(f.uri)) if (typeof d.data?.['rule'] === 'string') out.add(d.data['rule']);
  return out;
}

describe('API-parity row table', () => {
  it('maps every row id of §A.3–A.10', () => {
    const ids = researchRowIds(research);
    assert.ok(ids.length >= 100, `only ${ids.length} row ids found: has the research's layout changed?`);
    const missing = ids.filter((id) => API_ROWS[id] === undefined);
    assert.deepEqual(missing, [], `rows missing from analysis/checks/api/rows.ts: ${missing.join(', ')}`);
  });

  it('names registered codes and existing fixtures; triggers report the row, silent fixtures do not', () => {
    for (const [id, row] of Object.entries(API_ROWS)) {
      if ('notCheckable' in row) {
        assert.ok(row.notCheckable.length > 20, `${id}: give the reason`);
        continue;
      }
      assert.ok(API_CODES.includes(row.code), `${id}: ${row.code} is not an API check`);
      const [trigger, silent] = row.fixtures;
      for (const f of row.fixtures) assert.ok(existsSync(join(repo, f)), `${id}: ${f} does not exist`);
      const accepted = [id, ...(row.sameAs ?? [])];
      const fired = rulesIn(trigger);
      assert.ok(
        accepted.some((r) => fired.has(r)),
        `${id}: ${trigger} reports none of ${accepted.join(', ')}`,
      );
      const quiet = rulesIn(silent);
      assert.ok(!accepted.some((r) => quiet.has(r)), `${id}: ${silent} reports ${accepted.join('/')}`);
    }
  });
});

/** [manifest, expected message, research row]: the expected texts are copied from the research's tables. */
const WORD_FOR_WORD: ReadonlyArray<readonly [string, string, string]> = [
  [
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: web}\nspec:\n  gatewayClassName: x\n  listeners: [{name: http, protocol: HTTP, port: 0}]\n',
    'spec.listeners[0].port: Invalid value: 0: spec.listeners[0].port in body should be greater than or equal to 1',
    'GW4',
  ],
  [
    'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\nspec:\n  rules: [{backendRefs: [{name: web}]}]\n',
    'spec.rules[0].backendRefs[0]: Invalid value: "object": Must have port for Service reference',
    'GW10',
  ],
  [
    'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\nspec:\n  rules: [{matches: [{path: {type: Prefix}}]}]\n',
    'spec.rules[0].matches[0].path.type: Unsupported value: "Prefix": supported values: "Exact", "PathPrefix", "RegularExpression"',
    'GW12',
  ],
  [
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: web}\nspec:\n  gatewayClassName: x\n  listeners: [{name: db, protocol: TCP, port: 5432, hostname: db.example.com}]\n',
    "spec.listeners: Invalid value: \"array\": hostname must not be specified for protocols ['TCP', 'UDP']",
    'GW26',
  ],
  [
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: web}\nspec:\n  gatewayClassName: x\n  listeners: [{name: https, protocol: HTTPS, port: 443, tls: {mode: Terminate}}]\n',
    'spec.listeners[0].tls: Invalid value: "object": no such key: certificateRefs evaluating rule: certificateRefs or options must be specified when mode is Terminate',
    'GW27',
  ],
  [
    'apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata: {name: db}\nspec:\n  parentRefs: [{name: web}]\n',
    'spec.rules: Required value',
    'GW31',
  ],
  [
    'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\nspec:\n  parentRefs: [{name: web, sectionName: http}, {name: web}]\n',
    'spec.parentRefs: Invalid value: "array": sectionName must be specified when parentRefs includes 2 or more references to the same parent',
    'GW34',
  ],
  [
    'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\nspec:\n  rules:\n    - timeouts: {request: 10s, backendRequest: 1m}\n',
    'spec.rules[0].timeouts: Invalid value: "object": backendRequest timeout cannot be longer than request timeout',
    'GW41',
  ],
  [
    'apiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata: {name: db}\nspec:\n  hostnames: [10.0.0.1]\n  rules: [{backendRefs: [{name: db, port: 5432}]}]\n',
    'spec.hostnames: Invalid value: "array": Hostnames cannot contain an IP',
    'GW42',
  ],
  [
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\n',
    'metadata.name: Required value: name or generateName is required',
    'M1',
  ],
  ['apiVersion: v1\nkind: Namespace\nmetadata: {name: team.a}\n', 'metadata.name: Invalid value: "team.a": must not contain dots', 'M3'],
  ['apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}}\n', 'spec.ports: Required value', 'SV1'],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{name: a, port: 80}, {port: 81}]\n',
    'spec.ports[1].name: Required value',
    'SV2',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{name: http, port: 80}, {name: http, port: 81}]\n',
    'spec.ports[1].name: Duplicate value: "http"',
    'SV4',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{targetPort: 80}]\n',
    'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'SV5',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80, protocol: HTTP}]\n',
    'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    'SV6',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80, targetPort: HTTP}]\n',
    'spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'SV7',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80, nodePort: 30080}]\n',
    "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    'SV10',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  ports: [{name: a, port: 80, nodePort: 30080}, {name: b, port: 81, nodePort: 30080}]\n',
    'spec.ports[1].nodePort: Duplicate value: 30080',
    'SV11',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: nodeport\n  ports: [{port: 80}]\n',
    'spec.type: Unsupported value: "nodeport": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    'SV12',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: LoadBalancer\n  clusterIP: None\n  ports: [{port: 80}]\n',
    'spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for LoadBalancer services',
    'SV13',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  clusterIP: None\n  ports: [{port: 80}]\n',
    'spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services',
    'SV14',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  sessionAffinity: Cookie\n  ports: [{port: 80}]\n',
    'spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"',
    'SV20',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 0}}\n  ports: [{port: 80}]\n',
    'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
    'SV21',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  externalIPs: [127.0.0.1]\n  ports: [{port: 80}]\n',
    'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    'SV24',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  externalTrafficPolicy: Local\n  ports: [{port: 80}]\n',
    'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    'SV28',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  internalTrafficPolicy: Node\n  ports: [{port: 80}]\n',
    'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"',
    'SV30',
  ],
  [
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations: {service.kubernetes.io/topology-mode: Auto, service.kubernetes.io/topology-aware-hints: auto}\nspec:\n  ports: [{port: 80}]\n',
    'metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "Auto": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified',
    'SV32',
  ],
  [
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec: {}\n',
    'spec: Invalid value: null: either `defaultBackend` or `rules` must be specified',
    'IN1',
  ],
  [
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec:\n  rules: [{host: 10.0.0.1}]\n',
    'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    'IN2',
  ],
  [
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec:\n  rules: [{http: {}}]\n',
    'spec.rules[0].http.paths: Required value',
    'IN5',
  ],
  [
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec:\n  rules: [{http: {paths: [{path: /, backend: {service: {name: web, port: {number: 80}}}}]}}]\n',
    'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    'IN6',
  ],
  [
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n  annotations: {kubernetes.io/ingress.class: nginx}\nspec:\n  ingressClassName: traefik\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n',
    'annotations.kubernetes.io/ingress.class: Invalid value: "nginx": must match `ingressClassName` when both are specified',
    'IN22',
  ],
  [
    'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: x}\nspec: {controller: nginx}\n',
    'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
    'IN23',
  ],
  [
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  ingress: [{ports: [{port: 80, protocol: ICMP}]}]\n',
    'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    'NP2',
  ],
  [
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  ingress: [{from: [{}]}]\n',
    'spec.ingress[0].from[0]: Required value: must specify a peer',
    'NP9',
  ],
  [
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]\n',
    'spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer',
    'NP10',
  ],
  [
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  policyTypes: [Ingress, Egress, Ingress]\n',
    'spec.policyTypes: Invalid value: ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes',
    'NP16',
  ],
  [
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  policyTypes: [ingress]\n',
    'spec.policyTypes[0]: Unsupported value: "ingress": supported values: "Ingress", "Egress"',
    'NP17',
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: c, ports: [{name: "8080", containerPort: 8080}]}]\n',
    'spec.containers[0].ports[0].name: Invalid value: "8080": must contain at least one letter (a-z)',
    'C1',
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: c, ports: [{name: http, containerPort: 80}, {name: http, containerPort: 81}]}]\n',
    'spec.containers[0].ports[1].name: Duplicate value: "http"',
    'C2',
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: c, ports: [{name: http}]}]\n',
    'spec.containers[0].ports[0].containerPort: Required value',
    'C3',
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n    - {name: a, ports: [{containerPort: 80, hostPort: 8080}]}\n    - {name: b, ports: [{containerPort: 81, hostPort: 8080}]}\n',
    'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"',
    'C7',
  ],
  [
    // With an image: a Deployment without selector whose containers have none is a patch (model/patchShape.ts).
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  template: {metadata: {labels: {app: x}}, spec: {containers: [{name: x, image: x}]}}\n',
    'spec.selector: Required value',
    'WL1',
  ],
  [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {}\n  template: {metadata: {labels: {app: x}}, spec: {containers: [{name: x}]}}\n',
    'spec.selector: Invalid value: {}: empty selector is invalid for deployment',
    'WL2',
  ],
  [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: x}]}}\n',
    'spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`',
    'WL3',
  ],
  [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {app: x}}\n  template: {metadata: {labels: {app: x}}, spec: {restartPolicy: Never, containers: [{name: x}]}}\n',
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    'WL5',
  ],
];

describe('API-parity messages, word for word with the research', () => {
  for (const [manifest, expected, row] of WORD_FOR_WORD) {
    it(`${row}: ${expected.slice(0, 70)}`, () => {
      assert.ok(research.includes(expected), `the research's ${row} row no longer reads "${expected}"`);
      const messages = apiMessages(manifest);
      // The server may print more than one error for a value (F7 prints one per broken rule).
      assert.ok(messages.includes(expected), messages.join('\n'));
      assert.ok(messages.length <= 2, messages.join('\n'));
    });
  }

  it('F1–F3 detail texts equal the research table', () => {
    const name = apiMessages('apiVersion: v1\nkind: Service\nmetadata: {name: Web_1}\nspec: {ports: [{port: 80}]}\n');
    const f3 = /\| F3 \|[^\n]*`(a DNS-1035 label must[^`]*)`/.exec(research)?.[1];
    assert.ok(f3 !== undefined);
    assert.deepEqual(name, [`metadata.name: Invalid value: "Web_1": ${f3}`]);
    const ns = apiMessages('apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: Prod}\nspec: {ports: [{port: 80}]}\n');
    const f1 = /\| F1 \|[^\n]*`(a lowercase RFC 1123 label must[^`]*)`/.exec(research)?.[1];
    assert.deepEqual(ns, [`metadata.namespace: Invalid value: "Prod": ${f1 ?? ''}`]);
  });
});

describe('kubeReach.kubernetesVersion', () => {
  it('accepts 1.22–1.36 and reports anything else', () => {
    assert.equal(readSettings({}).settings.kubernetesVersion, '1.35');
    assert.equal(readSettings({ kubernetesVersion: '1.22' }).settings.kubernetesVersion, '1.22');
    assert.equal(readSettings({ 'kubeReach.kubernetesVersion': 'v1.36' }).settings.kubernetesVersion, '1.36');
    assert.equal(readSettings({ kubernetesVersion: '1.30.2' }).settings.kubernetesVersion, '1.30');
    for (const bad of ['1.21', '1.37', 'latest', 1.3, '2.0']) {
      const r = readSettings({ kubernetesVersion: bad });
      assert.equal(r.settings.kubernetesVersion, '1.35');
      assert.equal(r.problems.length, 1, String(bad));
    }
  });

  it('words label-key errors as the target release does (1.35 renamed "a qualified name" and counts bytes)', () => {
    const doc = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {a/b/c: x, v: ${'a'.repeat(64)}}\n`;
    const old = apiMessages(doc, { kubernetesVersion: '1.34' });
    const now = apiMessages(doc, { kubernetesVersion: '1.35' });
    assert.ok(old.some((m) => m.includes(': a qualified name must consist of')));
    assert.ok(now.some((m) => m.includes(': a valid label key must consist of')));
    assert.ok(old.includes(`metadata.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`));
    assert.ok(now.includes(`metadata.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 bytes`));
  });

  it('prints structured values in Go syntax up to 1.33 and JSON from 1.34', () => {
    const doc =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: x}]}}\n';
    assert.deepEqual(apiMessages(doc, { kubernetesVersion: '1.33' }), [
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`',
    ]);
  });

  it('follows the version for deprecated-api and for gate-dependent rules (warnings)', () => {
    const hpa = 'apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: x}\n';
    assert.equal(analyse(hpa, { kubernetesVersion: '1.25' }).filter((d) => d.code === 'deprecated-api').length, 0);
    assert.equal(analyse(hpa, { kubernetesVersion: '1.26' }).find((d) => d.code === 'deprecated-api')?.severity, 'error');
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: 1-web}\nspec: {ports: [{port: 80}]}\n';
    assert.equal(analyse(svc, { kubernetesVersion: '1.33' }).find((d) => d.code === 'api-invalid-name')?.severity, 'error');
    assert.equal(analyse(svc, { kubernetesVersion: '1.34' }).find((d) => d.code === 'api-invalid-name')?.severity, 'warning');
  });
});

describe('strict IP/CIDR forms (StrictIPCIDRValidation)', () => {
  it("are silent before 1.33, server-warning texts from 1.33, the strict errors' texts from 1.36, always warnings", () => {
    const doc =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.5/24}}]}]\n';
    assert.deepEqual(
      analyse(doc, { kubernetesVersion: '1.32' }).filter((d) => d.code === 'api-invalid-ip'),
      [],
    );
    const at = (v: string): Array<[string, string]> =>
      analyse(doc, { kubernetesVersion: v })
        .filter((d) => d.code === 'api-invalid-ip')
        .map((d) => [d.severity, d.message]);
    assert.deepEqual(at('1.35'), [
      [
        'warning',
        'spec.egress[0].to[0].ipBlock.cidr: CIDR value "10.0.0.5/24" is ambiguous in this context (should be "10.0.0.0/24" or "10.0.0.5/32"?)',
      ],
    ]);
    assert.deepEqual(at('1.36'), [
      ['warning', 'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.5/24": must not have bits set beyond the prefix length'],
    ]);
  });
});

describe('API parity guards', () => {
  it('reports the 262144-byte annotation limit (M8)', () => {
    const doc = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    big: ${'a'.repeat(262145)}\n`;
    assert.deepEqual(apiMessages(doc), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  });

  it('never judges templated values or tool configs', () => {
    assert.deepEqual(
      apiMessages(
        'apiVersion: v1\nkind: Service\nmetadata: {name: "{{ .Values.name }}"}\nspec:\n  type: "{{ .Values.type }}"\n  ports: [{port: "{{ .Values.port }}", protocol: "{{ .Values.p }}"}]\n',
      ),
      [],
    );
    assert.deepEqual(apiMessages('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata: {name: Bad_Name}\n'), []);
  });

  it('offers no Ingress rewrite when a servicePort is templated (number or name is unknown)', () => {
    const text =
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: x}\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            backend:\n              serviceName: web\n              servicePort: {{ .Values.port }}\n';
    const host = new AnalysisHost();
    host.setFile('file:///w/a.yaml', text);
    const a = host.snapshot();
    const d = a.diagnosticsFor('file:///w/a.yaml').find((x) => x.code === 'deprecated-api');
    assert.ok(d !== undefined);
    assert.deepEqual(
      a.fixes('file:///w/a.yaml', d.span).filter((f) => f.title.startsWith('Convert')),
      [],
    );
  });

  it('offers "use Prefix" only when every path is plain', () => {
    const plain =
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: x}\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /shop\n            backend: {serviceName: web, servicePort: 80}\n';
    const host = new AnalysisHost();
    host.setFile('file:///w/a.yaml', plain);
    const a = host.snapshot();
    const d = a.diagnosticsFor('file:///w/a.yaml').find((x) => x.code === 'deprecated-api');
    assert.ok(d !== undefined);
    const fixes = a.fixes('file:///w/a.yaml', d.span).filter((f) => f.title.startsWith('Convert'));
    assert.deepEqual(
      fixes.map((f) => f.title),
      [
        'Convert to networking.k8s.io/v1 (pathType: ImplementationSpecific keeps the matching)',
        'Convert to networking.k8s.io/v1 with pathType: Prefix',
      ],
    );
    const prefix = fixes[1];
    assert.ok(prefix !== undefined);
    const apply = (text: string, edits: readonly TextEdit[]): string =>
      [...edits]
        .sort((x, y) => y.span.start - x.span.start)
        .reduce((t, e) => t.slice(0, e.span.start) + e.newText + t.slice(e.span.end), text);
    const fixed = apply(plain, prefix.edits);
    assert.equal(
      fixed,
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec:\n  rules:\n    - http:\n        paths:\n          - pathType: Prefix\n            path: /shop\n            backend: {service: {name: web, port: {number: 80}}}\n',
    );
    assert.deepEqual(apiMessages(fixed), []);
    const regex = plain.replace('/shop', '/shop/(.*)');
    host.setFile('file:///w/a.yaml', regex);
    const b = host.snapshot();
    const d2 = b.diagnosticsFor('file:///w/a.yaml').find((x) => x.code === 'deprecated-api');
    assert.ok(d2 !== undefined);
    assert.equal(b.fixes('file:///w/a.yaml', d2.span).filter((f) => f.title.startsWith('Convert')).length, 1);
  });
});
