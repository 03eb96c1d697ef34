/**
 * Argo CD Applications as build roots (analysis/units/argocd.ts, argocdSets.ts): which are roots,
 * how each tool's source is built, where their objects land, ApplicationSets' literal generators,
 * and incremental passes after edits equal full ones.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AnalysisHost } from '../../analysis/index.js';
import { virtualFiles } from '../support/kustomize.js';
import { editsEqualFresh, hostOf, placements as placementsOf, render, serviceYaml } from '../support/gitops.js';
import type { Edit } from '../support/gitops.js';

const REPO = 'https://github.com/example/homelab.git';

const TREE = `#- argocd/apps.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${REPO}
    targetRevision: HEAD
    path: apps/web
  destination:
    server: https://kubernetes.default.svc
    namespace: media
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: api
  namespace: argocd
spec:
  project: default
  source:
    repoURL: git@github.com:example/homelab
    path: apps/api
    kustomize:
      namePrefix: x-
      commonLabels: {team: core}
  destination:
    namespace: backend
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${REPO}
    path: charts/shop
    helm:
      releaseName: store
      valueFiles: [values-prod.yaml]
      values: |
        port: 9090
      parameters:
        - {name: replicas, value: "3"}
  destination:
    namespace: shop
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: upstream
  namespace: argocd
spec:
  source:
    repoURL: https://charts.example.com
    chart: tenant
    targetRevision: 1.2.3
  destination:
    namespace: tenant
#- argocd/sets.yaml
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: tools
  namespace: argocd
spec:
  generators:
    - git:
        repoURL: ${REPO}
        revision: HEAD
        directories:
          - path: tools/*
          - path: tools/skip
            exclude: true
          - path: apps/echo
  template:
    metadata:
      name: 'tool-{{path.basename}}'
    spec:
      project: default
      source:
        repoURL: ${REPO}
        path: '{{path}}'
      destination:
        namespace: '{{path.basename}}'
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - {env: dev}
          - {env: prod}
  template:
    metadata:
      name: 'echo-{{ .env }}'
    spec:
      project: default
      source:
        repoURL: ${REPO}
        path: apps/echo
      destination:
        namespace: 'echo-{{ .env }}'
#- apps/web/app.yaml
${serviceYaml('web', '{port: 80, targetPort: 8080}')}
#- apps/web/nested/ignored.yaml
${serviceYaml('nested')}
#- apps/api/kustomization.yaml
resources: [api.yaml]
#- apps/api/api.yaml
${serviceYaml('api')}
#- charts/shop/Chart.yaml
apiVersion: v2
name: shop
version: 0.1.0
#- charts/shop/values.yaml
port: 80
replicas: 1
name: shop
#- charts/shop/values-prod.yaml
name: shop-prod
#- charts/shop/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-{{ .Values.name }}
  labels:
    replicas: "{{ .Values.replicas }}"
spec:
  selector: {app: shop}
  ports: [{port: {{ .Values.port }}}]
#- tools/grafana/svc.yaml
${serviceYaml('grafana')}
#- tools/skip/svc.yaml
${serviceYaml('skipped')}
#- apps/echo/svc.yaml
${serviceYaml('echo')}
`;

const P = 'file:///k';

const KINDS = ['Service'];
const placements = (host: AnalysisHost): string[] => placementsOf(host, KINDS);

describe('Argo CD Applications', () => {
  it('are roots when a source is this repository; the folders they apply are no roots of their own', () => {
    const host = hostOf(virtualFiles(TREE));
    const layout = host.snapshot().index.kustomizeLayout();
    const apps = `${P}/argocd/apps.yaml#Application:`;
    const sets = `${P}/argocd/sets.yaml#Application:`;
    assert.deepEqual(layout.roots, [
      `${apps}api`,
      `${apps}shop`,
      `${apps}web`,
      `${sets}echo-dev`,
      `${sets}echo-prod`,
      `${sets}tool-echo`,
      `${sets}tool-grafana`,
    ]);
    assert.deepEqual(placements(host), [
      'Service/echo@echo',
      'Service/echo@echo-dev',
      'Service/echo@echo-prod',
      'Service/grafana@grafana',
      'Service/nested@default',
      'Service/skipped@default',
      'Service/store-shop-prod@shop',
      'Service/web@media',
      'Service/x-api@backend',
    ]);
  });

  it("a Helm source renders the chart with the Application's value files, values and parameters, in Argo CD's order", () => {
    const host = hostOf(virtualFiles(TREE));
    const svc = host
      .snapshot()
      .index.objects.find((p) => p.obj.kind === 'Service' && p.obj.name?.known === true && p.obj.name.value === 'store-shop-prod');
    assert.ok(svc !== undefined);
    // values.yaml, then values-prod.yaml (name), then values (port), then parameters (replicas).
    assert.deepEqual(
      svc.obj.labels?.entries.map((e) => `${e.key}=${e.value.known ? e.value.value : '?'}`),
      ['replicas=3'],
    );
    assert.deepEqual(
      svc.obj.service?.ports.map((p) => (p.port?.known === true ? p.port.value : undefined)),
      [9090],
    );
  });

  it('edits of the Application files, the folders and their files: incremental passes equal full ones', () => {
    const files = virtualFiles(TREE);
    const host = hostOf(files);
    host.snapshot();
    const apps = `${P}/argocd/apps.yaml`;
    const sets = `${P}/argocd/sets.yaml`;
    const edits: Edit[] = [
      [apps, (t) => t?.replace('namespace: media', 'namespace: video')],
      [
        `${P}/apps/web/extra.yaml`,
        () => 'apiVersion: v1\nkind: Service\nmetadata:\n  name: extra\nspec:\n  selector: {app: webb}\n  ports: [{port: 80}]\n',
      ],
      [`${P}/apps/web/app.yaml`, (t) => t?.replace('targetPort: 8080', 'targetPort: 8081')],
      [`${P}/charts/shop/values-prod.yaml`, (t) => t?.replace('shop-prod', 'shop-live')],
      [sets, (t) => t?.replace('path: tools/skip', 'path: tools/none')],
      [apps, (t) => t?.replace('path: apps/web', 'path: apps/nowhere')],
      [`${P}/apps/web/extra.yaml`, () => undefined],
      [sets, (t) => t?.replace('- {env: prod}', '- {env: prod}\n          - {env: qa}')],
    ];
    editsEqualFresh(files, host, edits, KINDS);
    assert.deepEqual(placements(host), [
      'Service/echo@echo',
      'Service/echo@echo-dev',
      'Service/echo@echo-prod',
      'Service/echo@echo-qa',
      'Service/grafana@grafana',
      'Service/nested@default',
      'Service/skipped@skip',
      'Service/store-shop-live@shop',
      'Service/web@default',
      'Service/x-api@backend',
    ]);
  });

  it('app of apps: an Application applying a folder of Applications makes their roots too', () => {
    const files = virtualFiles(`#- bootstrap/root.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: root
  namespace: argocd
spec:
  source: {repoURL: ${REPO}, path: argocd/children}
  destination: {namespace: argocd}
#- argocd/children/web.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  source: {repoURL: ${REPO}, path: apps/web}
  destination: {namespace: media}
#- apps/web/app.yaml
${serviceYaml('web')}
`);
    const host = hostOf(files);
    assert.deepEqual(host.snapshot().index.kustomizeLayout().roots, [
      `${P}/argocd/children/web.yaml#Application:web`,
      `${P}/bootstrap/root.yaml#Application:root`,
    ]);
    assert.deepEqual(placements(host), ['Service/web@media']);
  });

  it('a directory source reads sub-folders with directory.recurse, include and exclude globs as Argo CD does', () => {
    const files = virtualFiles(`#- argocd/web.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  source:
    repoURL: ${REPO}
    path: apps/web
    directory:
      recurse: true
      include: '{*.yaml,nested/*}'
      exclude: '*/skip.yaml'
  destination: {namespace: media}
#- apps/web/app.yaml
${serviceYaml('web')}
#- apps/web/nested/deep/more.yaml
${serviceYaml('deep')}
#- apps/web/nested/skip.yaml
${serviceYaml('skip')}
#- apps/web/other/svc.yaml
${serviceYaml('other')}
`);
    // '*' crosses folders ('*.yaml' takes other/svc.yaml and nested/deep/more.yaml too); exclude wins.
    assert.deepEqual(placements(hostOf(files)), ['Service/deep@media', 'Service/other@media', 'Service/skip@default', 'Service/web@media']);
  });

  it("a namePrefix, nameSuffix or namespace the folder's kustomization sets too is replaced, as Argo CD's `kustomize edit set` does", () => {
    const files = virtualFiles(`#- argocd/apps.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: edited
spec:
  source:
    repoURL: ${REPO}
    path: apps/api
    kustomize: {namePrefix: x-, namespace: edited, nameSuffix: -s}
  destination: {namespace: media}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: plain
spec:
  source: {repoURL: ${REPO}, path: apps/api}
  destination: {namespace: media}
#- apps/api/kustomization.yaml
namePrefix: own-
namespace: api
resources: [svc.yaml]
#- apps/api/svc.yaml
${serviceYaml('api')}
`);
    const host = hostOf(files);
    // Argo CD: the folder's namePrefix and namespace replaced (x-api, not x-own-api); the suffix it does not set is added.
    assert.deepEqual(placements(host), ['Service/own-api@api', 'Service/x-api-s@edited']);
    editsEqualFresh(
      files,
      host,
      [
        [`${P}/apps/api/kustomization.yaml`, (t) => t?.replace('namePrefix: own-', 'namePrefix: mine-')],
        [`${P}/argocd/apps.yaml`, (t) => t?.replace('namePrefix: x-, ', '')],
      ],
      KINDS,
    );
    assert.deepEqual(placements(host), ['Service/mine-api-s@edited', 'Service/mine-api@api']);
  });

  it('Applications of different destination clusters never meet; moving one to the other cluster judges them together, incrementally as fresh', () => {
    // The must-not-warn fixture: one ApplicationSet applies apps/eu and apps/us to the clusters eu and us.
    const fixture = readFileSync(join(__dirname, '..', 'fixtures', 'checks', 'must-not-warn', '31-argocd-clusters.yaml'), 'utf8');
    const files = virtualFiles(fixture);
    const host = hostOf(files);
    const blocked = (): string[] => render(host.snapshot().diagnostics()).filter((l) => l.includes('ingress-backend-blocked'));
    assert.deepEqual(blocked(), []);
    const both = (t: string | undefined): string | undefined => t?.replace("name: '{{cluster}}'", 'name: eu');
    editsEqualFresh(files, host, [[`${P}/argocd/shops.yaml`, both]], KINDS);
    // One cluster: eu's default-deny policy isolates us's pods in "shop" too.
    assert.equal(blocked().length, 1);
    editsEqualFresh(files, host, [[`${P}/argocd/shops.yaml`, (t) => t?.replace('name: eu', "name: '{{cluster}}'")]], KINDS);
    assert.deepEqual(blocked(), []);
  });

  it('a cluster Secret of the workspace maps a destination name to its server: a name and a server compare by it; editing it: incremental passes equal full ones', () => {
    const fixture = readFileSync(join(__dirname, '..', 'fixtures', 'checks', 'must-not-warn', '31-argocd-clusters.yaml'), 'utf8');
    const files = virtualFiles(fixture);
    const app = (name: string, destination: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: shop-${name}, namespace: argocd}
spec:
  project: default
  source: {repoURL: https://github.com/example/platform, path: apps/${name}}
  destination: {${destination}, namespace: shop}`;
    files.set(`${P}/argocd/shops.yaml`, `${app('eu', 'name: eu')}\n---\n${app('us', 'server: https://us.example.com:6443')}\n`);
    const host = hostOf(files);
    const blocked = (): number => render(host.snapshot().diagnostics()).filter((l) => l.includes('ingress-backend-blocked')).length;
    // A name and a server: which server "eu" stands for is not known, so they may be one cluster (judged together).
    assert.equal(blocked(), 1);
    const secret = `${P}/argocd/clusters/eu.yaml`;
    const clusterSecret = (server: string): string => `apiVersion: v1
kind: Secret
metadata:
  name: eu-cluster
  namespace: argocd
  labels: {argocd.argoproj.io/secret-type: cluster}
type: Opaque
stringData:
  name: eu
  server: ${server}
`;
    editsEqualFresh(files, host, [[secret, () => clusterSecret('https://eu.example.com:6443')]], KINDS);
    assert.equal(blocked(), 0);
    editsEqualFresh(files, host, [[secret, () => clusterSecret('https://us.example.com:6443')]], KINDS);
    assert.equal(blocked(), 1);
    editsEqualFresh(files, host, [[secret, () => undefined]], KINDS);
    assert.equal(blocked(), 1);
  });
});
