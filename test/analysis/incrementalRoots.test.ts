/**
 * Edits that read the whole workspace again until session 21 and now judge again only what they
 * concern (units/structure.ts `restructure`, docs/dev/units.md §2): a Chart.yaml that comes or goes
 * (a chart, a vendored subchart, a parent chart above a root, one with a dependency not vendored), a
 * template that writes Argo CD Applications edited (or starts or stops writing them) and the files its
 * render reads, the kustomize-controller Deployment (whether Flux substitutes strictly), and, under a
 * Flux parent that patches its children, the ConfigMap it substitutes from. After every edit the
 * findings, Kustomize roots and placements equal a fresh host's and fewer than half the files are
 * judged again (test/support/gitops.ts `editsEqualFresh`); the edit-cost tests count the work: the
 * index is derived (no rebuild), and the files placed and checked again are those the edit concerns.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import type { AnalysisHost } from '../../analysis/index.js';
import { parseFixture } from '../support/fixture.js';
import { virtualFiles } from '../support/kustomize.js';
import {
  appYaml,
  applyEdit,
  deploymentYaml,
  editsEqualFresh,
  fluxKustomizationYaml,
  hostOf,
  layoutWorkOf,
  plainApps,
  render,
  serviceYaml,
  scopedEditsEqualFresh,
  appOfAppsChart,
} from '../support/gitops.js';

const W = 'file:///ws';
const KINDS = ['Deployment', 'Service', 'HTTPRoute'];

/** The plain apps with `extra` files, then `edits`, every one scoped (test/support/gitops.ts). */
function scoped(
  extra: ReadonlyMap<string, string>,
  edits: ReadonlyArray<readonly [string, (t: string | undefined) => string | undefined]>,
): void {
  scopedEditsEqualFresh(W, extra, edits, KINDS);
}

function fixtureFiles(code: string, name: string): Map<string, string> {
  const fixture = parseFixture(name, readFileSync(join(__dirname, '..', 'fixtures', 'checks', code, `${name}.yaml`), 'utf8'));
  return new Map(fixture.files.map((f) => [f.uri, f.text]));
}

/** A chart's template: a Deployment and a Service forwarding to a port no container declares (a finding on the template). */
const TEMPLATE = `${deploymentYaml('{{ .Release.Name }}', '{containerPort: {{ .Values.port }}}')}\n---\n${serviceYaml('{{ .Release.Name }}', '{port: 80, targetPort: 9999}')}\n`;

/** A folder that becomes a chart when its Chart.yaml comes. */
function chartFolder(dir: string): Array<[string, string]> {
  return [
    [`${dir}/values.yaml`, 'port: 8080\n'],
    [`${dir}/templates/app.yaml`, TEMPLATE],
  ];
}

const chartYaml = (name: string, deps = ''): string => `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n${deps}`;

it('a Chart.yaml that comes or goes renders the charts around it again, not the workspace', () => {
  const shop = `${W}/charts/shop`;
  const umbrella = `${W}/umbrella`;
  scoped(
    new Map([
      ...chartFolder(shop),
      ...chartFolder(`${shop}/charts/redis`),
      [`${umbrella}/charts/web/Chart.yaml`, chartYaml('web')],
      ...chartFolder(`${umbrella}/charts/web`),
      ...chartFolder(`${umbrella}`),
    ]),
    [
      // A folder becomes a chart; a vendored subchart's Chart.yaml comes and goes; the chart goes again.
      [`${shop}/Chart.yaml`, () => chartYaml('shop')],
      [`${shop}/charts/redis/Chart.yaml`, () => chartYaml('redis')],
      [`${shop}/charts/redis/Chart.yaml`, () => undefined],
      // A dependency that is not vendored: what the chart installs is unknown.
      [
        `${shop}/Chart.yaml`,
        () => chartYaml('shop', 'dependencies:\n  - {name: postgres, version: 1.0.0, repository: https://charts.example.com}\n'),
      ],
      [`${shop}/Chart.yaml`, () => undefined],
      // A parent chart above a root chart: the root becomes its subchart, then a root again.
      [`${umbrella}/Chart.yaml`, () => chartYaml('umbrella')],
      [`${umbrella}/Chart.yaml`, () => undefined],
      // The root below a folder goes, then comes.
      [`${umbrella}/charts/web/Chart.yaml`, () => undefined],
      [`${umbrella}/charts/web/Chart.yaml`, () => chartYaml('web')],
    ],
  );
});

/** An app-of-apps chart: an Application per entry of its values (test/analysis/argoCharts.test.ts's shape). */
const APP_OF_APPS = `${appOfAppsChart('argo')}#- bootstrap/root/templates/config.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data: {mode: plain}
#- argo/web/app.yaml
${serviceYaml('web')}
#- argo/api/app.yaml
${serviceYaml('api', '{port: 80, targetPort: 8080}')}
#- argo/api/deployment.yaml
${deploymentYaml('api', '{containerPort: 8080}')}
`;

/** A template of the chart that writes one more Application (the `starts writing` edit). */
const MORE_APPS = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: extra
spec:
  source:
    repoURL: {{ .Values.repo }}
    path: argo/web
  destination:
    namespace: extra
`;

it('a template that writes Argo CD Applications edited, and the files its render reads, build again the roots they change, not the workspace', () => {
  const root = `${W}/bootstrap/root`;
  scoped(virtualFiles(APP_OF_APPS, W), [
    // The Applications' destination, then a path, through the template and the values.
    [`${root}/templates/apps.yaml`, (t) => t?.replace('namespace: {{ .namespace }}', 'namespace: x-{{ .namespace }}')],
    [`${root}/values.yaml`, (t) => t?.replace('path: argo/api', 'path: argo/none')],
    [`${root}/values.yaml`, (t) => t?.replace('path: argo/none', 'path: argo/api')],
    // The template stops writing Applications, then starts again.
    [`${root}/templates/apps.yaml`, (t) => t?.replace('kind: Application', 'kind: ConfigMap')],
    [`${root}/templates/apps.yaml`, (t) => t?.replace('kind: ConfigMap', 'kind: Application')],
    // Another template of the chart starts writing one, then stops; the Chart.yaml the render read is edited.
    [`${root}/templates/config.yaml`, () => MORE_APPS],
    [`${root}/templates/config.yaml`, () => 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {mode: plain}\n'],
    [`${root}/Chart.yaml`, (t) => t?.replace('version: 0.0.0', 'version: 0.0.1')],
    // A file the roots build, edited as any file is.
    [`${W}/argo/api/app.yaml`, (t) => t?.replace('targetPort: 8080', 'targetPort: 9090')],
  ]);
});

it('the kustomize-controller Deployment edited builds again the Flux roots that substitute, not the workspace', () => {
  const files = fixtureFiles('kustomize-build-problem', 'flux-strict-substitution');
  const gotk = [...files.keys()].find((u) => u.endsWith('/gotk-components.yaml')) ?? '';
  scoped(files, [
    [gotk, (t) => t?.replace(':v1.9.0', ':v1.8.3')],
    [gotk, (t) => t?.replace('args: [', 'args: [--feature-gates=StrictPostBuildSubstitutions=true, ')],
    [gotk, (t) => t?.replace('--feature-gates=StrictPostBuildSubstitutions=true, ', '')],
    [gotk, (t) => t?.replace(':v1.8.3', ':v1.9.0')],
  ]);
});

it('under a Flux parent that patches its children, its ConfigMap and the kustomize-controller edited build again its roots, not the workspace', () => {
  const files = fixtureFiles('gateway-parent-missing', 'flux-parent-patch');
  const dir = [...files.keys()].find((u) => u.endsWith('/kubernetes/flux/cluster/ks.yaml'))?.replace(/\/ks\.yaml$/, '') ?? '';
  const settings = `${dir}/settings.yaml`;
  const controller = `${dir}/controller.yaml`;
  const configMap = (gateway: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata: {GATEWAY: ${gateway}}\n`;
  scoped(files, [
    [settings, () => configMap('internal')],
    [settings, () => configMap('external')],
    [
      controller,
      () =>
        deploymentYaml('kustomize-controller', '{containerPort: 8080}').replace(
          'image: kustomize-controller',
          "image: 'ghcr.io/fluxcd/kustomize-controller:v1.9.0'",
        ),
    ],
    [settings, () => configMap('internal')],
    [controller, () => undefined],
    [settings, () => undefined],
  ]);
});

/** The work an edit cost: whether the index was built anew, and the files placed and checked again. */
function cost(
  host: AnalysisHost,
  files: Map<string, string>,
  uri: string,
  text: string | undefined,
): { rebuilt: boolean; placed: number; rechecked: number } {
  const rebuilds = host.stats.rebuilds;
  applyEdit(files, host, uri, text);
  host.snapshot().diagnostics();
  return { rebuilt: host.stats.rebuilds > rebuilds, placed: host.stats.placed, rechecked: host.stats.rechecked };
}

it('edit cost: a Chart.yaml that comes or goes places and checks again its chart folder only', () => {
  const files = new Map<string, string>();
  plainApps(files, W);
  const shop = `${W}/charts/shop`;
  for (const [uri, text] of chartFolder(shop)) files.set(uri, text);
  const host = hostOf(files);
  host.snapshot().diagnostics();
  // The Chart.yaml, the values file and the template: three files of the 23.
  assert.deepEqual(cost(host, files, `${shop}/Chart.yaml`, chartYaml('shop')), { rebuilt: false, placed: 3, rechecked: 3 });
  assert.deepEqual(cost(host, files, `${shop}/Chart.yaml`, undefined), { rebuilt: false, placed: 2, rechecked: 2 });
});

it('edit cost: an Argo-writing template and the kustomize-controller edited place and check again what their roots build', () => {
  const files = virtualFiles(APP_OF_APPS, W);
  plainApps(files, W);
  const host = hostOf(files);
  host.snapshot().diagnostics();
  // The template, the Applications' folders (their objects move to another namespace): apps.yaml, web's and api's files.
  const edited = cost(
    host,
    files,
    `${W}/bootstrap/root/templates/apps.yaml`,
    files.get(`${W}/bootstrap/root/templates/apps.yaml`)?.replace('namespace: {{ .namespace }}', 'namespace: x-{{ .namespace }}'),
  );
  assert.equal(edited.rebuilt, false);
  assert.ok(edited.placed <= 4 && edited.rechecked <= 6, JSON.stringify(edited));
  const flux = fixtureFiles('kustomize-build-problem', 'flux-strict-substitution');
  plainApps(flux, W);
  const fluxHost = hostOf(flux);
  fluxHost.snapshot().diagnostics();
  const gotk = [...flux.keys()].find((u) => u.endsWith('/gotk-components.yaml')) ?? '';
  // The Deployment's file and the substituting root's Service (its strict-mode problem goes).
  const strict = cost(fluxHost, flux, gotk, flux.get(gotk)?.replace(':v1.9.0', ':v1.8.3'));
  assert.equal(strict.rebuilt, false);
  assert.ok(strict.placed <= 2 && strict.rechecked <= 3, JSON.stringify(strict));
});

/**
 * A workspace of plain apps beside a Flux Kustomization's folder, an Argo CD Application's, and (`fleet`) a Fleet GitRepo's path
 * without fleet.yaml (a manifest that comes there makes it a bundle: the search lists that folder).
 */
function gitopsBeside(fleet: boolean): Map<string, string> {
  const files = new Map<string, string>();
  plainApps(files, W);
  files.set(`${W}/clusters/apps.yaml`, `${fluxKustomizationYaml('apps', './flux/app')}\n`);
  files.set(`${W}/flux/app/deployment.yaml`, `${deploymentYaml('flux', '{containerPort: 8080}')}\n`);
  files.set(
    `${W}/argocd/web.yaml`,
    'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://github.com/example/homelab.git\n    path: argo/web\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n',
  );
  files.set(`${W}/argo/web/app.yaml`, `${serviceYaml('web', '{port: 80, targetPort: 8080}')}\n`);
  if (!fleet) return files;
  files.set(
    `${W}/gitrepos/plain.yaml`,
    'apiVersion: fleet.cattle.io/v1alpha1\nkind: GitRepo\nmetadata: {name: plain, namespace: fleet-local}\nspec:\n  repo: https://example.com/org/repo\n  paths: [fleet/plain]\n  targetNamespace: plain\n',
  );
  files.set(`${W}/fleet/plain/README.md.yaml`, 'title: notes\n');
  return files;
}

it('a kustomization that comes or goes beside GitOps roots: what their search read decides whether it runs again, and every pass equals a fresh one', () => {
  const files = gitopsBeside(true);
  const host = hostOf(files);
  host.snapshot().diagnostics();
  const kustomization = 'namespace: moved\nresources: [app.yaml]\n';
  editsEqualFresh(
    files,
    host,
    [
      // Beside the roots, in a plain folder; in the Argo CD Application's folder (its source becomes a Kustomize build);
      // in the Flux Kustomization's folder; a manifest in the Fleet GitRepo's path (it becomes a bundle), then each goes.
      [`${W}/apps/app3/kustomization.yaml`, () => kustomization, true],
      [`${W}/argo/web/kustomization.yaml`, () => kustomization, true],
      [`${W}/flux/app/kustomization.yaml`, () => 'resources: [deployment.yaml]\nnamePrefix: k-\n', true],
      [`${W}/fleet/plain/app.yaml`, () => appYaml('fleet', 'fleet'), true],
      [`${W}/argo/web/kustomization.yaml`, () => undefined, true],
      [`${W}/fleet/plain/app.yaml`, () => undefined, true],
      [`${W}/flux/app/kustomization.yaml`, () => undefined, true],
      [`${W}/apps/app3/kustomization.yaml`, () => undefined, true],
    ],
    KINDS,
  );
});

it('edit cost: a kustomization that comes or goes beside GitOps roots reads no file of the workspace again and does not search for the roots again', () => {
  const files = gitopsBeside(false);
  const host = hostOf(files);
  host.snapshot().diagnostics();
  const work = (uri: string, text: string | undefined): { filesVisited: number; searches: number; rebuilt: boolean } => {
    const { filesVisited, searches } = layoutWorkOf(host);
    const { rebuilt } = cost(host, files, uri, text);
    const after = layoutWorkOf(host);
    return { filesVisited: after.filesVisited - filesVisited, searches: after.searches - searches, rebuilt };
  };
  const none = { filesVisited: 0, searches: 0, rebuilt: false };
  assert.deepEqual(work(`${W}/apps/app3/kustomization.yaml`, 'namespace: moved\nresources: [app.yaml]\n'), none);
  assert.deepEqual(work(`${W}/apps/app3/kustomization.yaml`, undefined), none);
  // In the Application's folder: a folder the search looked a kustomization up in, so it runs again.
  const argo = work(`${W}/argo/web/kustomization.yaml`, 'resources: [app.yaml]\n');
  assert.deepEqual({ searches: argo.searches, rebuilt: argo.rebuilt }, { searches: 1, rebuilt: false });
  assert.deepEqual(render(host.snapshot().diagnostics()), render(hostOf(files).snapshot().diagnostics()));
});
