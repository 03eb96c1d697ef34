/**
 * Every contributed snippet, expanded with its default placeholders, is valid YAML of the kind it
 * names, and `kube-reach check` over all of them together reports no error and no warning.
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { expandSnippet } from '../support/snippetExpand.js';

const root = join(__dirname, '..', '..');

interface Snippet {
  readonly prefix: string;
  readonly description: string;
  readonly body: readonly string[];
}

function snippets(): Record<string, Snippet> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes?: { snippets?: Array<{ language: string; path: string }> };
  };
  const entry = pkg.contributes?.snippets?.find((s) => s.language === 'yaml');
  assert.ok(entry, 'package.json contributes YAML snippets');
  return JSON.parse(readFileSync(join(root, entry.path), 'utf8')) as Record<string, Snippet>;
}

const REQUIRED: Record<string, { kind: string; check?: (doc: Record<string, unknown>) => void }> = {
  'k8s-service-clusterip': { kind: 'Service', check: (d) => assert.equal(spec(d)['type'], 'ClusterIP') },
  'k8s-service-nodeport': { kind: 'Service', check: (d) => assert.equal(spec(d)['type'], 'NodePort') },
  'k8s-service-loadbalancer': { kind: 'Service', check: (d) => assert.equal(spec(d)['type'], 'LoadBalancer') },
  'k8s-service-externalname': { kind: 'Service', check: (d) => assert.equal(spec(d)['type'], 'ExternalName') },
  'k8s-service-headless': { kind: 'Service', check: (d) => assert.equal(spec(d)['clusterIP'], 'None') },
  'k8s-ingress': { kind: 'Ingress', check: (d) => assert.ok(Array.isArray(spec(d)['rules'])) },
  'k8s-ingress-tls': { kind: 'Ingress', check: (d) => assert.ok(Array.isArray(spec(d)['tls'])) },
  'k8s-netpol-allow-from-pods': { kind: 'NetworkPolicy' },
  'k8s-netpol-default-deny-ingress': { kind: 'NetworkPolicy', check: (d) => assert.deepEqual(spec(d)['policyTypes'], ['Ingress']) },
  'k8s-netpol-default-deny-egress': {
    kind: 'NetworkPolicy',
    check: (d) => {
      // DNS stays allowed through ONE peer that has both selectors (an AND, not an OR of two peers).
      const egress = spec(d)['egress'] as Array<{ to: Array<Record<string, unknown>> }>;
      assert.equal(egress.length, 1);
      const to = egress[0]?.to ?? [];
      assert.equal(to.length, 1);
      assert.ok(to[0]?.['namespaceSelector'] && to[0]['podSelector']);
    },
  },
  'k8s-netpol-allow-from-namespace': { kind: 'NetworkPolicy' },
  'k8s-gateway': { kind: 'Gateway', check: (d) => assert.equal((spec(d)['listeners'] as unknown[]).length, 2) },
  'k8s-httproute': { kind: 'HTTPRoute', check: (d) => assert.ok(Array.isArray(spec(d)['parentRefs'])) },
  'k8s-grpcroute': { kind: 'GRPCRoute', check: (d) => assert.ok(Array.isArray(spec(d)['rules'])) },
  'k8s-tlsroute': { kind: 'TLSRoute', check: (d) => assert.deepEqual(spec(d)['hostnames'], ['vault.example.com']) },
  'k8s-referencegrant': { kind: 'ReferenceGrant' },
};

function spec(doc: Record<string, unknown>): Record<string, unknown> {
  return doc['spec'] as Record<string, unknown>;
}

describe('snippets', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-reach-snippets-'));
    if (!existsSync(join(root, 'dist/cli.js'))) spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('every prefix starts with k8s- and every required snippet exists', () => {
    const all = Object.values(snippets());
    for (const s of all) assert.match(s.prefix, /^k8s-[a-z0-9-]+$/, s.prefix);
    const prefixes = new Set(all.map((s) => s.prefix));
    for (const p of Object.keys(REQUIRED)) assert.ok(prefixes.has(p), `snippet ${p} exists`);
    assert.equal(prefixes.size, all.length, 'prefixes are unique');
  });

  it('each expands with its defaults to one YAML document of the right kind', () => {
    for (const s of Object.values(snippets())) {
      const text = expandSnippet(s.body);
      assert.doesNotMatch(text, /\$\{|\$\d/, `${s.prefix}: no placeholder left`);
      const docs = parseAllDocuments(text);
      assert.equal(docs.length, 1, s.prefix);
      const doc = docs[0];
      assert.ok(doc && doc.errors.length === 0, `${s.prefix}: ${doc?.errors.map((e) => e.message).join('; ')}`);
      const value = doc.toJS() as Record<string, unknown>;
      const want = REQUIRED[s.prefix];
      if (want !== undefined) {
        assert.equal(value['kind'], want.kind, s.prefix);
        want.check?.(value);
      }
      writeFileSync(join(dir, `${s.prefix}.yaml`), text);
    }
  });

  // Each snippet in a folder of its own: snippets are alternatives a user inserts one at a time, not
  // one app, and a folder of namespace-less manifests is judged as landing in one namespace together
  // (a default-deny snippet next to the Ingress snippet would rightly block it).
  it('kube-reach check over every expanded snippet, each in a folder of its own: zero errors and warnings', () => {
    const alone = join(dir, 'alone');
    for (const s of Object.values(snippets())) {
      mkdirSync(join(alone, s.prefix), { recursive: true });
      writeFileSync(join(alone, s.prefix, `${s.prefix}.yaml`), expandSnippet(s.body));
    }
    const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'check', alone, '--format', 'json', '--fail-on', 'none'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { diagnostics: Array<{ file: string; severity: string; code: string; message: string }> };
    const loud = out.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(
      loud.map((d) => `${d.file} ${d.severity} ${d.code}: ${d.message}`),
      [],
    );
  });
});
