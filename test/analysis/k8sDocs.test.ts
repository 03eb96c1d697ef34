/**
 * The offline API docs table (analysis/ide/generated/k8sDocs.json, from kubernetes-models 5.1.0):
 * its source, size and coverage, two texts word for word, and a hover for every field path written
 * in examples/, the known-good corpus and the must-not-warn fixtures.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DOCS, GATEWAY_DOCS_SOURCE, fieldAt, fieldAtAnyVersion } from '../../analysis/ide/schema.js';
import { AnalysisHost } from '../../analysis/index.js';
import type { YNode } from '../../analysis/syntax/tree.js';
import { str, get } from '../../analysis/syntax/tree.js';
import { corpusFiles } from '../support/corpus.js';
import { parseFixture } from '../support/fixture.js';

const root = join(__dirname, '..', '..');
const table = join(root, 'analysis/ide/generated/k8sDocs.json');

function paths(node: YNode | undefined, prefix: string[], out: string[][]): void {
  if (node === undefined) return;
  if (node.kind === 'map') {
    for (const p of node.pairs) {
      const next = [...prefix, p.key];
      out.push(next);
      paths(p.value, next, out);
    }
  } else if (node.kind === 'seq') {
    node.items.forEach((it, i) => paths(it, [...prefix, `[${i}]`], out));
  }
}

function texts(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [rel, text] of corpusFiles()) out.push([`corpus/${rel}`, text]);
  for (const [rel, text] of corpusFiles(join(root, 'examples'))) out.push([`examples/${rel}`, text]);
  const mnw = join(root, 'test/fixtures/checks/must-not-warn');
  for (const f of readdirSync(mnw))
    for (const v of parseFixture(f, readFileSync(join(mnw, f), 'utf8')).files) out.push([`must-not-warn/${f}/${v.path}`, v.text]);
  return out;
}

describe('Kubernetes API docs table', () => {
  it('comes from kubernetes-models 5.1.0, i.e. Kubernetes 1.36', () => {
    assert.equal(DOCS.source.package, 'kubernetes-models@5.1.0');
    assert.equal(DOCS.source.kubernetes, '1.36.0');
  });

  it('holds at least 800 fields in at most 300 KB', () => {
    const fields = Object.values(DOCS.types).reduce((n, t) => n + Object.keys(t.f).length, 0);
    assert.ok(fields >= 800, `${fields} fields`);
    assert.ok(statSync(table).size <= 300_000, `${statSync(table).size} bytes`);
  });

  it('has the API texts of ServicePort.targetPort and NetworkPolicyPort.endPort', () => {
    assert.match(
      fieldAt('v1', 'Service', ['spec', 'ports', '[0]', 'targetPort'])?.field.d ?? '',
      /^Number or name of the port to access on the pods targeted by the service\. Number must be in the range 1 to 65535\. Name must be an IANA_SVC_NAME\./,
    );
    assert.equal(
      fieldAt('networking.k8s.io/v1', 'NetworkPolicy', ['spec', 'egress', '[0]', 'ports', '[0]', 'endPort'])?.field.d,
      'endPort indicates that the range of ports from port to endPort if set, inclusive, should be allowed by the policy. This field cannot be defined if the port field is not defined or if the port field is defined as a named (string) port. The endPort must be equal or greater than port.',
    );
    assert.deepEqual(fieldAt('networking.k8s.io/v1', 'Ingress', ['spec', 'rules', '[0]', 'http', 'paths', '[0]', 'pathType'])?.field.e, [
      'Exact',
      'ImplementationSpecific',
      'Prefix',
    ]);
  });

  it('documents every field path written in examples/, the corpus and the must-not-warn fixtures', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const [name, text] of texts()) {
      for (const doc of AnalysisHost.parse(text, { helm: /\/templates\/|\.tpl$/.test(name) }).documents) {
        const apiVersion = str(get(doc.root, 'apiVersion'));
        const kind = str(get(doc.root, 'kind'));
        if (apiVersion === undefined || kind === undefined || DOCS.roots[`${apiVersion}/${kind}`] === undefined) continue;
        const all: string[][] = [];
        paths(doc.root, [], all);
        for (const p of all) {
          // Masked template keys and Kustomize directives ($patch) are not API fields.
          if (p.some((k) => /^_+$/.test(k) || k.startsWith('$'))) continue;
          checked++;
          if (fieldAtAnyVersion(apiVersion, kind, p) === undefined) missing.push(`${name}: ${kind} ${p.join('.')}`);
        }
      }
    }
    assert.ok(checked > 500, `only ${checked} paths walked`);
    assert.deepEqual(missing, []);
  });

  it('holds the Gateway API kinds from @kubernetes-models/gateway-api 2.0.0, sharing ObjectMeta', () => {
    assert.equal(GATEWAY_DOCS_SOURCE, '@kubernetes-models/gateway-api@2.0.0');
    for (const kind of ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'ReferenceGrant'])
      assert.ok(DOCS.roots[`gateway.networking.k8s.io/v1/${kind}`] !== undefined, kind);
    assert.deepEqual(
      fieldAt('gateway.networking.k8s.io/v1', 'HTTPRoute', ['spec', 'rules', '[0]', 'matches', '[0]', 'path', 'type'])?.field.e,
      ['Exact', 'RegularExpression', 'PathPrefix'],
    );
    assert.match(
      fieldAtAnyVersion('gateway.networking.k8s.io/v1beta1', 'HTTPRoute', ['spec', 'rules', '[0]', 'backendRefs', '[0]', 'port'])?.field
        .d ?? '',
      /the port number is the service port number, not the target port/,
    );
    assert.equal(fieldAt('gateway.networking.k8s.io/v1alpha2', 'TCPRoute', ['metadata', 'name'])?.owner, 'meta/v1/ObjectMeta');
    const gatewayTable = join(root, 'analysis/ide/generated/gatewayDocs.json');
    assert.ok(statSync(gatewayTable).size <= 200_000, `${statSync(gatewayTable).size} bytes`);
    assert.doesNotMatch(readFileSync(gatewayTable, 'utf8'), /<gateway:/);
  });

  it('documents every field of the cluster network policies written in the fixtures (clusterPolicyDocs.ts)', () => {
    const files = [
      'test/fixtures/reachability/cluster01-anp-tiers.yaml',
      'test/fixtures/reachability/cluster02-cnp-accept-deny-pass.yaml',
      'test/fixtures/reachability/exposure02-cluster-policies.yaml',
      'test/fixtures/checks/cluster-policy-invalid/valid.yaml',
      'test/fixtures/checks/cluster-policy-rule-shadowed/ordered.yaml',
      'test/fixtures/checks/cluster-policy-rule-shadowed/across-policies.yaml',
    ];
    const missing: string[] = [];
    let checked = 0;
    for (const f of files) {
      for (const doc of AnalysisHost.parse(readFileSync(join(root, f), 'utf8')).documents) {
        const apiVersion = str(get(doc.root, 'apiVersion'));
        const kind = str(get(doc.root, 'kind'));
        if (apiVersion === undefined || kind === undefined || !apiVersion.startsWith('policy.networking.k8s.io/')) continue;
        const all: string[][] = [];
        paths(doc.root, [], all);
        for (const p of all) {
          // Label keys under a selector's matchLabels are map keys, not fields.
          checked++;
          if (fieldAt(apiVersion, kind, p) === undefined) missing.push(`${f}: ${kind} ${p.join('.')}`);
        }
      }
    }
    assert.ok(checked > 200, `only ${checked} paths walked`);
    assert.deepEqual(missing, []);
  });

  it('is what the generator produces from the installed packages', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-k8s-docs.ts', '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
