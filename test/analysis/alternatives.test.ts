/**
 * Alternatives (docs/dev/units.md, analysis/units/alternatives.ts): which units and files are
 * alternatives, that plain multi-file apps and shared policy copies are not, that an edit which
 * makes or unmakes an alternative gives the findings of a full pass, and that `reach` takes one
 * alternative whole. The checks' side is in the fixtures (must-not-warn/20-alternatives.yaml,
 * 21-overlays-one-namespace.yaml, service-selector-no-match/alternatives.yaml,
 * overlays-one-namespace.yaml).
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { alternativeName, isFileAlternative, isUnitAlternative, MAX_PAIRED } from '../../analysis/units/alternatives.js';
import { dirname } from '../../analysis/workspace/paths.js';
import { kubectlFileOrder } from '../../analysis/reachability/gather.js';
import { parseFixture } from '../support/fixture.js';
import { editPasses } from '../support/editPasses.js';
import { deploymentYaml, hostOf, render, serviceYaml } from '../support/gitops.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'checks');

function fixtureFiles(path: string): Map<string, string> {
  const fx = parseFixture('alt', readFileSync(join(FIXTURES, path), 'utf8'));
  return new Map(fx.files.map((f) => [f.uri, f.text]));
}

const P = 'file:///fixtures/alt';

function relation(files: ReadonlyMap<string, string>): { units: string[]; files: string[] } {
  const alts = hostOf(files).snapshot().index.alternatives;
  const flat = (m: ReadonlyMap<string, ReadonlySet<string>>): string[] =>
    [...m].flatMap(([a, set]) => [...set].map((b) => `${a.slice(P.length + 1)} ~ ${b.slice(P.length + 1)}`)).sort();
  return { units: flat(alts.units), files: flat(alts.files) };
}

describe('alternatives', () => {
  it('sibling flavour folders and two files of one folder that define the same objects are alternatives; shared files are not', () => {
    assert.deepEqual(relation(fixtureFiles('must-not-warn/20-alternatives.yaml')), {
      units: ['deploy/aws ~ deploy/gcp', 'deploy/gcp ~ deploy/aws'],
      files: ['install/quick-start-ha.yaml ~ install/quick-start.yaml', 'install/quick-start.yaml ~ install/quick-start-ha.yaml'],
    });
  });

  it('test folders that each write the same Gateway and HTTPRoute are alternatives', () => {
    assert.deepEqual(relation(fixtureFiles('gateway-backend-missing/alternative-test-folders.yaml')).units, [
      'tests/a ~ tests/b',
      'tests/b ~ tests/a',
    ]);
  });

  it('two overlays of one base into one namespace are alternatives', () => {
    assert.deepEqual(relation(fixtureFiles('must-not-warn/21-overlays-one-namespace.yaml')).units, [
      'app/overlays/v1 ~ app/overlays/v2',
      'app/overlays/v2 ~ app/overlays/v1',
    ]);
  });

  it('a plain multi-file app, and folders sharing only a policy copy or a Namespace, are no alternatives', () => {
    const deployment = (name: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: i}]}
`;
    const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
`;
    const files = new Map([
      [`${P}/app/frontend.yaml`, deployment('frontend')],
      [`${P}/app/api.yaml`, deployment('api')],
      [`${P}/app/policy.yaml`, policy],
      [`${P}/other/worker.yaml`, deployment('worker')],
      [`${P}/other/policy.yaml`, policy],
    ]);
    assert.deepEqual(relation(files), { units: [], files: [] });
  });

  it('an identity in more places than are related pairwise (64) relates every two of them, whatever order the files come in', () => {
    // An index derived after edits holds its files in another order than a fresh one: the seeded incremental test
    // (seed 42 at c29aad1, 30 edits) found an incremental pass whose alternatives, and so findings, differed from a fresh one's.
    // Past 64 places the relation was cut to the first 64 in path order: the others saw every copy's objects.
    const copies = MAX_PAIRED + 6;
    const copy = (i: number): string => `${P}/copies/c${String(i).padStart(2, '0')}`;
    const files = new Map<string, string>();
    for (let i = 0; i < copies; i++) {
      // Every tenth copy's Service forwards to a port its own pods do not declare.
      const app = `${deploymentYaml('web', '{containerPort: 80}')}\n---\n${serviceYaml('web', `{port: 80, targetPort: ${i % 10 === 5 ? 7070 : 80}}`)}\n`;
      files.set(`${copy(i)}/web.yaml`, app.replaceAll('name: web\n', 'name: web\n  namespace: shop\n'));
      // And one folder of as many files defining one Service: plain files of one folder, alternatives of one another.
      files.set(
        `${P}/snippets/s${String(i).padStart(2, '0')}.yaml`,
        `${serviceYaml('snippet')}\n`.replace('name: snippet\n', 'name: snippet\n  namespace: docs\n'),
      );
    }
    const reversed = new Map([...files].reverse());
    for (const ws of [files, reversed]) {
      const alts = hostOf(ws).snapshot().index.alternatives;
      for (let i = 0; i < copies; i++)
        for (let j = 0; j < copies; j++) {
          assert.equal(isUnitAlternative(alts, copy(i), copy(j)), i !== j, `${copy(i)} ~ ${copy(j)}`);
          const s = (k: number): string => `${P}/snippets/s${String(k).padStart(2, '0')}.yaml`;
          assert.equal(isFileAlternative(alts, s(i), s(j)), i !== j, `${s(i)} ~ ${s(j)}`);
        }
    }
    const analysis = hostOf(files).snapshot();
    const found = [...analysis.diagnostics().values()].flat();
    assert.deepEqual(render(hostOf(reversed).snapshot().diagnostics()), render(analysis.diagnostics()));
    // A copy's finding is about its own objects: what it relates lies in its own folder.
    const mistakes = found.filter((d) => d.code === 'service-target-port-unknown');
    assert.equal(mistakes.length, Math.floor((copies + 4) / 10));
    for (const d of found) for (const r of d.related ?? []) assert.equal(dirname(r.uri), dirname(d.uri), `${d.uri} relates ${r.uri}`);
    // reach takes the first copy and leaves out every other.
    const engine = analysis.reachEngine();
    assert.deepEqual(
      engine.nodes.filter((n) => n.namespace === 'shop').map((n) => n.id),
      ['shop/web[Deployment]'],
    );
    const note = engine.notes.find((n) => n.includes('alternatives')) ?? '';
    for (let i = 1; i < copies; i++) assert.ok(note.includes(`${copy(i)}`), note);
  });

  it('an edit that makes or unmakes alternatives gives the findings of a full pass', () => {
    const files = fixtureFiles('service-selector-no-match/alternatives.yaml');
    const host = hostOf(files);
    const initial = render(host.snapshot().diagnostics());
    assert.ok(
      initial.some((d) => d.includes('service-selector-no-match') && d.endsWith('(in alternative aws)')),
      initial.join('\n'),
    );
    const gcp = `${P}/deploy/gcp/web.yaml`;
    const edits: Array<(t: string) => string> = [
      // gcp's Deployment and Service get other names: no longer alternatives, aws's Service now selects gcp's pods.
      (t) => t.replaceAll('name: web\n', 'name: web-gcp\n'),
      (t) => t.replaceAll('name: web-gcp\n', 'name: web\n'),
    ];
    const seen = editPasses(host, files, gcp, edits);
    assert.ok(!(seen[0] ?? []).some((d) => d.includes('service-selector-no-match')), (seen[0] ?? []).join('\n'));
    assert.deepEqual(seen[1], initial);
  });

  it('reach takes the first alternative whole and leaves the others out, with a note; --unit picks another', () => {
    const analysis = hostOf(fixtureFiles('must-not-warn/20-alternatives.yaml')).snapshot();
    const nodes = (unit?: string): string[] =>
      analysis
        .reachEngine(unit)
        .nodes.filter((n) => n.namespace === 'shop')
        .map((n) => n.id)
        .sort();
    assert.deepEqual(nodes(), ['shop/frontend[Deployment]', 'shop/web[Deployment]']);
    assert.ok(
      analysis.reachEngine().notes.some((n) => n.includes('alternatives') && n.includes('deploy/gcp')),
      analysis.reachEngine().notes.join('\n'),
    );
    assert.deepEqual(nodes(`${P}/deploy/gcp`), ['shop/gateway[Deployment]', 'shop/web[Deployment]']);
  });

  it('reach names a NetworkPolicy defined in two files of one folder, and does not offer --unit for it', () => {
    // gke-network-policy-demo's manifests/: a tutorial's two steps, one policy name in two files.
    const policy = (from: string): string =>
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-client}\nspec:\n  podSelector: {matchLabels: {app: server}}\n  ingress: [{from: [${from}]}]\n`;
    const files = new Map([
      [`${P}/manifests/server.yaml`, deploymentYaml('server', '{containerPort: 8080}')],
      [`${P}/manifests/network-policy-namespaced.yaml`, policy('{namespaceSelector: {matchLabels: {team: hello}}}')],
      [`${P}/manifests/network-policy.yaml`, policy('{podSelector: {matchLabels: {app: hello}}}')],
    ]);
    // kubectl apply -f manifests/ applies network-policy-namespaced.yaml, then network-policy.yaml ('-' < '.'): the last stays.
    for (const order of [files, new Map([...files].reverse())]) {
      const engine = hostOf(order).snapshot().reachEngine();
      const note = engine.notes.find((n) => n.includes('defined twice')) ?? '';
      assert.ok(note.includes('the last file in lexical order was used'), engine.notes.join('\n'));
      assert.ok(
        note.includes(`NetworkPolicy allow-client (${P}/manifests/network-policy.yaml over ${P}/manifests/network-policy-namespaced.yaml)`),
        engine.notes.join('\n'),
      );
      assert.ok(!engine.notes.some((n) => n.includes('--unit')), engine.notes.join('\n'));
      assert.deepEqual(
        engine.gathering.gathered.policies.map((p) => p.placed.obj.uri),
        [`${P}/manifests/network-policy.yaml`],
      );
    }
  });

  it("a Namespace or GatewayClass declared in two files of one folder is the last file's, as kubectl apply -f leaves it", () => {
    const ns = (team: string): string => `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: ${team}}}\n`;
    const gc = (controller: string): string =>
      `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: web}\nspec: {controllerName: ${controller}}\n`;
    const files = new Map([
      [`${P}/app/00-namespace.yaml`, `${ns('a')}---\n${gc('example.com/first')}`],
      [`${P}/app/deploy.yaml`, deploymentYaml('web', '{containerPort: 8080}', 'shop')],
      [`${P}/app/namespace.yaml`, `${ns('b')}---\n${gc('example.com/last')}`],
    ]);
    for (const order of [files, new Map([...files].reverse())]) {
      const engine = hostOf(order).snapshot().reachEngine();
      assert.equal(engine.namespaces.get('shop')?.labels.known.get('team'), 'b');
      assert.equal(engine.gathering.gathered.gatewayClasses.get('web'), 'example.com/last');
    }
  });

  it('a NetworkPolicy written twice in one file is its last document, as kubectl apply -f applies them in order', () => {
    const policy = (from: string): string =>
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-client}\nspec:\n  podSelector: {matchLabels: {app: server}}\n  ingress: [{from: [${from}]}]\n`;
    const files = new Map([
      [`${P}/steps/server.yaml`, deploymentYaml('server', '{containerPort: 8080}')],
      [
        `${P}/steps/policy.yaml`,
        `${policy('{podSelector: {matchLabels: {app: a}}}')}---\n${policy('{podSelector: {matchLabels: {app: b}}}')}`,
      ],
    ]);
    const engine = hostOf(files).snapshot().reachEngine();
    const taken = engine.gathering.gathered.policies.map((p) => p.placed.obj.ordinal);
    const ordinals = hostOf(files)
      .snapshot()
      .index.objects.filter((p) => p.obj.kind === 'NetworkPolicy')
      .map((p) => p.obj.ordinal);
    assert.deepEqual(taken, [Math.max(...ordinals)]);
    const note = engine.notes.find((n) => n.includes('defined twice')) ?? '';
    assert.ok(note.includes(`(of one file, its last document)`), engine.notes.join('\n'));
    assert.ok(note.includes(`NetworkPolicy allow-client (the last of its documents in ${P}/steps/policy.yaml)`), engine.notes.join('\n'));
    assert.ok(!engine.notes.some((n) => n.includes('--unit')), engine.notes.join('\n'));
  });

  it('a file in a subfolder comes where kubectl -R walks it: by path segment, not by string', () => {
    // filepath.Walk lists `b` (a folder) before `b-c.yaml`; as strings, 'a/b-c.yaml' < 'a/b/x.yaml'.
    assert.ok(kubectlFileOrder('file:///r/a/b/x.yaml', 'file:///r/a/b-c.yaml') < 0);
    assert.ok(kubectlFileOrder('file:///r/a/b-c.yaml', 'file:///r/a/b/x.yaml') > 0);
    assert.ok(kubectlFileOrder('file:///r/a/n-x.yaml', 'file:///r/a/n.yaml') < 0);
    assert.ok(kubectlFileOrder('file:///r/a/B.yaml', 'file:///r/a/a.yaml') < 0);
    assert.equal(kubectlFileOrder('file:///r/a/x.yaml', 'file:///r/a/x.yaml'), 0);
  });

  it('names an alternative by its path below the folder it shares with the others', () => {
    assert.equal(alternativeName('file:///r/deploy/aws', ['file:///r/deploy/gcp']), 'aws');
    assert.equal(alternativeName('file:///r/install/quick-start-ha.yaml', ['file:///r/install/quick-start.yaml']), 'quick-start-ha.yaml');
    assert.equal(alternativeName('file:///r/a/x/prod', ['file:///r/b/y/prod']), 'a/x/prod');
  });
});
