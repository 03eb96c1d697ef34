/**
 * Kustomize units in the index: build roots, shared bases judged per root, unreferenced files,
 * builds cached per root, and incremental passes after edits to bases, patches and
 * kustomizations equal full ones.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import type { Diagnostic } from '../../analysis/index.js';
import { rootNames } from '../../analysis/units/rootNames.js';
import { virtualFiles } from '../support/kustomize.js';
import { deploymentYaml, serviceYaml } from '../support/gitops.js';
import { parseFixture } from '../support/fixture.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const TREE = `#- base/kustomization.yaml
resources: [app.yaml]
#- base/app.yaml
${deploymentYaml('web', '{name: http, containerPort: 8080}')}
---
${serviceYaml('web', '{port: 80, targetPort: http}')}
#- base/unused.yaml
apiVersion: v1
kind: Service
metadata:
  name: unused
spec:
  selector: {app: nothing-has-this}
  ports: [{port: 80}]
#- overlays/prod/kustomization.yaml
namespace: prod
resources: [../../base]
patches:
  - path: patch.yaml
#- overlays/prod/patch.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
#- overlays/staging/kustomization.yaml
namespace: staging
resources: [../../base]
patches:
  - target: {kind: Deployment, name: web}
    patch: |-
      - op: replace
        path: /spec/template/spec/containers/0/ports/0/containerPort
        value: 8080
#- other/kustomization.yaml
resources: [svc.yaml]
#- other/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: other
spec:
  ports: [{port: 80}]
`;

function hostOf(files: ReadonlyMap<string, string>): AnalysisHost {
  const host = new AnalysisHost();
  for (const [uri, text] of files) host.setFile(uri, text);
  return host;
}

function render(all: ReadonlyMap<string, readonly Diagnostic[]>): string[] {
  return [...all]
    .flatMap(([uri, list]) =>
      list.map((d) => `${uri}:${d.span.start}-${d.span.end} ${d.code} ${d.message} ${JSON.stringify(d.related ?? [])}`),
    )
    .sort();
}

const P = 'file:///k';

describe('Kustomize units', () => {
  it('a kustomization no other lists is a root; a shared base is an object per root; files no build reads are no objects', () => {
    const analysis = hostOf(virtualFiles(TREE)).snapshot();
    assert.deepEqual(analysis.index.kustomizeLayout().roots, [`${P}/other`, `${P}/overlays/prod`, `${P}/overlays/staging`]);
    const services = analysis.index.objects
      .filter((p) => p.obj.kind === 'Service')
      .map(
        (p) =>
          `${p.obj.name?.known === true ? p.obj.name.value : '?'}@${p.placements.map((pl) => `${pl.unit.slice(P.length + 1)}:${pl.namespace ?? ''}`).join(',')}`,
      );
    assert.deepEqual(services.sort(), ['other@other:default', 'web@overlays/prod:prod', 'web@overlays/staging:staging']);
    assert.equal(analysis.index.objectsOfFile(`${P}/base/unused.yaml`).length, 0);
  });

  it('a finding caused by a patch lands on the patch, names its root, and relates the base object', () => {
    const files = virtualFiles(TREE);
    files.set(`${P}/overlays/prod/patch.yaml`, (files.get(`${P}/overlays/prod/patch.yaml`) ?? '').replace('{app: web}', '{app: web-prod}'));
    const diags = hostOf(files).snapshot().diagnosticsFor(`${P}/overlays/prod/patch.yaml`);
    const d = diags.find((x) => x.code === 'service-selector-no-match');
    assert.ok(d !== undefined, JSON.stringify(diags));
    assert.match(d.message, /\(in overlays prod\)$/);
    assert.deepEqual(d.related?.[0]?.uri, `${P}/base/app.yaml`);
  });

  it('an edit rebuilds only the roots that read the file, and incremental passes equal full ones', () => {
    const files = virtualFiles(TREE);
    const host = hostOf(files);
    const first = host.snapshot();
    const before = first.index.kustomizeLayout();
    const edits: Array<[string, (t: string) => string]> = [
      [`${P}/overlays/prod/patch.yaml`, (t) => t.replace('{app: web}', '{app: web-prod}')],
      [`${P}/base/app.yaml`, (t) => t.replace('name: http', 'name: web')],
      [`${P}/overlays/prod/patch.yaml`, (t) => t.replace('{app: web-prod}', '{app: web}')],
      [`${P}/overlays/staging/kustomization.yaml`, (t) => `${t}namePrefix: s-\n`],
      [`${P}/base/unused.yaml`, (t) => t.replace('unused', 'still-unused')],
      [`${P}/base/app.yaml`, (t) => t.replace('name: web\n  ', 'name: web\n  ')],
      // The staging overlay's inline JSON patch no longer applies: a build problem on its kustomization.
      [`${P}/base/app.yaml`, (t) => t.replace(/, ports: \[\{name: \w+, containerPort: 8080\}\]/, '')],
    ];
    let previous = before;
    for (const [uri, edit] of edits) {
      const was = files.get(uri) ?? '';
      const text = edit(was);
      files.set(uri, text);
      host.setFile(uri, text);
      const snap = host.snapshot();
      assert.deepEqual(render(snap.diagnostics()), render(hostOf(files).snapshot().diagnostics()), `after editing ${uri}`);
      const layout = snap.index.kustomizeLayout();
      // The root that does not read the file keeps its build.
      assert.equal(layout.builds.get(`${P}/other`), previous.builds.get(`${P}/other`), `other rebuilt after editing ${uri}`);
      if (uri.includes('/overlays/prod/'))
        assert.equal(layout.builds.get(`${P}/overlays/staging`), previous.builds.get(`${P}/overlays/staging`));
      // An edit in the base rebuilds both roots that include it.
      if (uri.includes('/base/app.yaml') && text !== was)
        for (const root of ['overlays/prod', 'overlays/staging'])
          assert.notEqual(layout.builds.get(`${P}/${root}`), previous.builds.get(`${P}/${root}`), `${root} kept a stale build`);
      previous = layout;
    }
    const staging = host.snapshot().diagnosticsFor(`${P}/overlays/staging/kustomization.yaml`);
    assert.deepEqual(
      staging.map((d) => d.code),
      ['kustomize-build-problem'],
    );
  });

  for (const line of ['# - ../network-policy', '#- ../network-policy # [METRICS] To enable, uncomment'])
    it(`a kustomization listed only in a commented-out line is switched off: no root, no objects (${line})`, () => {
      const files = virtualFiles(`#- config/default/kustomization.yaml
namespace: app-system
resources:
  - ../manager
${line}
#- config/manager/kustomization.yaml
resources: [manager.yaml]
#- config/manager/manager.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: controller-manager, namespace: system}
spec:
  selector: {matchLabels: {control-plane: controller-manager}}
  template:
    metadata: {labels: {control-plane: controller-manager}}
    spec: {containers: [{name: manager, image: manager}]}
#- config/network-policy/kustomization.yaml
resources: [allow-metrics.yaml]
#- config/network-policy/allow-metrics.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-metrics, namespace: system}
spec:
  podSelector: {matchLabels: {control-plane: controller-manager}}
  ingress: [{ports: [{port: 8443}]}]
`);
      const analysis = hostOf(files).snapshot();
      assert.deepEqual(analysis.index.kustomizeLayout().roots, [`${P}/config/default`]);
      assert.equal(analysis.index.objectsOfFile(`${P}/config/network-policy/allow-metrics.yaml`).length, 0);
      assert.deepEqual(render(analysis.diagnostics()), []);
    });

  it('helmCharts: a local chart is rendered into the build with its values; a chart not in chartHome makes the build incomplete', () => {
    const fx = parseFixture(
      'helm',
      readFileSync(join(__dirname, '..', 'fixtures', 'checks', 'must-not-warn', '22-kustomize-helm-charts.yaml'), 'utf8'),
    );
    const analysis = hostOf(new Map(fx.files.map((f) => [f.uri, f.text]))).snapshot();
    const R = 'file:///fixtures/helm';
    const layout = analysis.index.kustomizeLayout();
    const local = layout.builds.get(`${R}/local`)?.result;
    assert.equal(local?.complete, true, JSON.stringify(local?.notes));
    const built = analysis.index
      .objectsOfFile(`${R}/local/vendor/api/templates/all.yaml`)
      .map((p) => `${p.obj.kind} ${p.placements[0]?.namespace ?? ''}/${p.obj.name?.known === true ? p.obj.name.value : '?'}`);
    assert.deepEqual(built.sort(), ['Deployment shop/api', 'NetworkPolicy shop/api', 'Service shop/api']);
    // valuesInline over valuesFile over the chart's values.yaml.
    const deployment = analysis.index
      .objectsOfFile(`${R}/local/vendor/api/templates/all.yaml`)
      .find((p) => p.obj.kind === 'Deployment')?.obj;
    assert.deepEqual(
      deployment?.pod?.ports.map((p) => `${p.name ?? ''}:${p.containerPort}`),
      ['http:9000'],
    );
    const remote = layout.builds.get(`${R}/remote`)?.result;
    assert.equal(remote?.complete, false);
    assert.match(
      remote?.notes.map((p) => p.message).join('\n') ?? '',
      /kustomize build --enable-helm pulls chart "grafana" 8\.5\.0 from https:\/\/grafana\S+ into charts\/grafana-8\.5\.0/,
    );
  });

  it("a base's kustomization removed and restored: the overlays build it again (incremental equals full)", () => {
    const files = virtualFiles(TREE);
    const host = hostOf(files);
    host.snapshot().diagnostics();
    const base = `${P}/base/kustomization.yaml`;
    const text = files.get(base) ?? '';
    files.delete(base);
    host.removeFile(base);
    const gone = host.snapshot();
    assert.deepEqual(render(gone.diagnostics()), render(hostOf(files).snapshot().diagnostics()), 'after removing it');
    assert.ok(render(gone.diagnostics()).some((d) => d.includes('kustomize-build-problem')));
    files.set(base, text);
    host.setFile(base, text);
    const back = host.snapshot();
    assert.deepEqual(render(back.diagnostics()), render(hostOf(files).snapshot().diagnostics()), 'after restoring it');
    assert.ok(!render(back.diagnostics()).some((d) => d.includes('kustomize-build-problem')));
  });

  it('helmCharts: a template added to the chart changes the build (incremental equals full)', () => {
    const files = new Map(
      parseFixture(
        'helm',
        readFileSync(join(__dirname, '..', 'fixtures', 'checks', 'must-not-warn', '22-kustomize-helm-charts.yaml'), 'utf8'),
      ).files.map((f) => [f.uri, f.text] as const),
    );
    const host = hostOf(files);
    host.snapshot();
    const added = 'file:///fixtures/helm/local/vendor/api/templates/extra.yaml';
    const text =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-extra\nspec:\n  selector: {app: nothing}\n  ports: [{port: 80}]\n';
    files.set(added, text);
    host.setFile(added, text);
    const snap = host.snapshot();
    assert.deepEqual(
      snap.index.objectsOfFile(added).map((p) => (p.obj.name?.known === true ? p.obj.name.value : '?')),
      ['api-extra'],
    );
    assert.deepEqual(render(snap.diagnostics()), render(hostOf(files).snapshot().diagnostics()));
  });

  it('a root built again keeps the objects that came out the same; its problems and changed objects are judged again (incremental equals full)', () => {
    const files = virtualFiles(`#- base/kustomization.yaml
resources: [app.yaml, svc.yaml]
#- base/app.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web:1, ports: [{name: http, containerPort: 8080}]}]}
#- base/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
#- overlays/prod/kustomization.yaml
namespace: prod
resources: [../../base]
patches:
  - path: patch.yaml
#- overlays/prod/patch.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 2}
#- overlays/staging/kustomization.yaml
namespace: staging
resources: [../../base]
patches:
  - path: patch.yaml
  - target: {kind: Deployment, name: web}
    patch: |-
      - op: remove
        path: /spec/paused
#- overlays/staging/patch.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: webx}
spec: {replicas: 1}
`);
    const host = hostOf(files);
    let layout = host.snapshot().index.kustomizeLayout();
    const app = `${P}/base/app.yaml`;
    const svc = `${P}/base/svc.yaml`;
    const edit = (uri: string, from: string | RegExp, to: string): void => {
      const text = (files.get(uri) ?? '').replace(from, to);
      files.set(uri, text);
      host.setFile(uri, text);
      const snap = host.snapshot();
      assert.deepEqual(render(snap.diagnostics()), render(hostOf(files).snapshot().diagnostics()), `after editing ${uri}`);
      const next = snap.index.kustomizeLayout();
      layout = next;
    };
    const placedOf = (uri: string) => layout.objects.get(uri) ?? [];
    // A base edit builds both roots again: their Services came out the same and are the same objects.
    let services = placedOf(svc);
    let deployments = placedOf(app);
    edit(app, 'web:1', 'web:2');
    assert.equal(placedOf(svc).length, 2);
    placedOf(svc).forEach((p, i) => assert.equal(p, services[i], 'a Service the edit did not change was placed again'));
    placedOf(app).forEach((p, i) => assert.notEqual(p, deployments[i]));
    // An overlay's patch edit: that root's Deployment only.
    services = placedOf(svc);
    deployments = placedOf(app);
    edit(`${P}/overlays/prod/patch.yaml`, 'replicas: 2', 'replicas: 3');
    placedOf(svc).forEach((p, i) => assert.equal(p, services[i]));
    const prod = placedOf(app).findIndex((p) => p.placement.unit === `${P}/overlays/prod`);
    placedOf(app).forEach((p, i) => (i === prod ? assert.notEqual(p, deployments[i]) : assert.equal(p, deployments[i])));
    // A base edit that makes staging's JSON patch apply: its problem on the (unedited) kustomization
    // goes and comes back; the build keeps its other problem (the patch naming webx), so its roles.
    const problems = (): string[] =>
      render(host.snapshot().diagnostics()).filter((d) => d.startsWith(`${P}/overlays/staging/kustomization.yaml`));
    assert.equal(problems().length, 1);
    edit(app, 'spec:\n  selector', 'spec:\n  paused: false\n  selector');
    assert.deepEqual(problems(), []);
    edit(app, 'spec:\n  paused: false\n  selector', 'spec:\n  selector');
    assert.equal(problems().length, 1);
    // A Service edit that changes the Deployment's findings (targetPort no pod declares).
    edit(svc, 'targetPort: http', 'targetPort: metrics');
    edit(app, 'web:2', 'web:3');
  });

  it('names roots by their shared parent', () => {
    assert.equal(rootNames(['file:///r/overlays/staging', 'file:///r/overlays/prod']), 'overlays prod, staging');
    assert.equal(rootNames(['file:///r/a/prod', 'file:///r/b/prod']), 'a/prod, b/prod');
  });
});
