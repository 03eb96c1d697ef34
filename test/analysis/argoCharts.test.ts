/**
 * Applications a Helm chart writes (analysis/units/argocdCharts.ts): an app-of-apps chart's
 * templates rendered on their own or by the Application that applies it, the argocd-apps chart's
 * values read when it is a dependency not vendored, and incremental passes after edits of the
 * chart's values, templates and Chart.yaml equal full ones.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisHost } from '../../analysis/index.js';
import { virtualFiles } from '../support/kustomize.js';
import { appOfAppsChart, editsEqualFresh, hostOf, placements as placementsOf, serviceYaml } from '../support/gitops.js';

const P = 'file:///k';
const KINDS = ['Service'];
const placements = (host: AnalysisHost): string[] => placementsOf(host, KINDS);
const roots = (host: AnalysisHost): string[] =>
  host
    .snapshot()
    .index.kustomizeLayout()
    .roots.map((r) => r.slice(P.length + 1));

const APPS = `#- apps/web/app.yaml
${serviceYaml('web')}
#- apps/api/app.yaml
${serviceYaml('api')}
`;

const CHART = appOfAppsChart('apps');

describe('Applications a chart writes', () => {
  it("an app-of-apps chart no Application applies: its templates' Applications, with the chart's values, are roots", () => {
    const host = hostOf(virtualFiles(CHART + APPS));
    assert.deepEqual(roots(host), [
      'bootstrap/root/templates/apps.yaml#Application:api',
      'bootstrap/root/templates/apps.yaml#Application:web',
    ]);
    assert.deepEqual(placements(host), ['Service/api@backend', 'Service/web@media']);
  });

  it("an Application applying the chart renders it with the Application's values (app of apps of apps)", () => {
    const files = virtualFiles(`${CHART + APPS}#- bootstrap/root-app.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: root
spec:
  source:
    repoURL: https://github.com/example/homelab
    path: bootstrap/root
    helm:
      valuesObject:
        apps:
          - {name: web, namespace: prod-web, path: apps/web}
  destination: {namespace: argocd}
`);
    const host = hostOf(files);
    assert.deepEqual(roots(host), ['bootstrap/root-app.yaml#Application:root', 'bootstrap/root/templates/apps.yaml#Application:web']);
    // The api folder no Application applies stays a folder of floating objects.
    assert.deepEqual(placements(host), ['Service/api@default', 'Service/web@prod-web']);
  });

  it("argocd-apps as a dependency not vendored: its values' applications and applicationsets are read", () => {
    const files = virtualFiles(`#- system/argocd/Chart.yaml
apiVersion: v2
name: argocd
version: 0.0.0
dependencies:
  - {name: argocd-apps, alias: apps, version: 2.0.0, repository: https://argoproj.github.io/argo-helm}
#- system/argocd/values.yaml
apps:
  applications:
    web:
      namespace: argocd
      project: default
      source: {repoURL: https://github.com/example/homelab, path: apps/web}
      destination: {name: in-cluster, namespace: media}
  applicationsets:
    rest:
      goTemplate: true
      generators:
        - list:
            elements: [{app: api}]
      template:
        metadata: {name: '{{ .app }}'}
        spec:
          project: default
          source: {repoURL: https://github.com/example/homelab, path: 'apps/{{ .app }}'}
          destination: {name: in-cluster, namespace: 'team-{{ .app }}'}
${APPS}`);
    const host = hostOf(files);
    assert.deepEqual(roots(host), ['system/argocd/values.yaml#Application:api', 'system/argocd/values.yaml#Application:web']);
    assert.deepEqual(placements(host), ['Service/api@team-api', 'Service/web@media']);
    // Vendored, the chart renders its own templates (here none): the values are not read as its.
    files.set(`${P}/system/argocd/charts/argocd-apps/Chart.yaml`, 'apiVersion: v2\nname: argocd-apps\nversion: 2.0.0\n');
    assert.deepEqual(roots(hostOf(files)), []);
  });

  it("edits of the chart's values, templates and Chart.yaml: incremental passes equal full ones", () => {
    const files = virtualFiles(CHART + APPS);
    const host = hostOf(files);
    editsEqualFresh(
      files,
      host,
      [
        [`${P}/bootstrap/root/values.yaml`, (t) => t?.replace('namespace: media', 'namespace: media2')],
        [`${P}/bootstrap/root/values.yaml`, (t) => t?.replace('path: apps/api', 'path: apps/none')],
        [`${P}/bootstrap/root/templates/apps.yaml`, (t) => t?.replace('namespace: {{ .namespace }}', 'namespace: x-{{ .namespace }}')],
        [`${P}/bootstrap/root/templates/apps.yaml`, (t) => t?.replace('kind: Application', 'kind: ConfigMap')],
        [`${P}/bootstrap/root/templates/apps.yaml`, (t) => t?.replace('kind: ConfigMap', 'kind: Application')],
        [`${P}/bootstrap/root/values-extra.yaml`, () => 'apps: []\n'],
        [`${P}/bootstrap/root/Chart.yaml`, () => undefined],
        [`${P}/bootstrap/root/Chart.yaml`, () => 'apiVersion: v2\nname: root\nversion: 0.0.1\n'],
        [`${P}/apps/web/app.yaml`, (t) => t?.replace('port: 80', 'port: 81')],
      ],
      KINDS,
    );
    assert.deepEqual(placements(host), ['Service/api@default', 'Service/web@x-media2']);
  });
});
