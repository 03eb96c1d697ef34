/**
 * Edits that change the layout in place and used to read the whole workspace again (docs/dev/units.md
 * §2): a kustomization edited (its resources, namespace, a root that starts including another), a
 * Chart.yaml edited (dependencies, name, version), a GitOps object edited (a Flux Kustomization's
 * path, an Argo CD Application's source path, a Fleet GitRepo's paths), and a change of GitOps roots
 * (an Application's folder emptied); and a chart template edited, whose render changes what
 * `helm-value-required` says on the chart's values.yaml. Only the build roots and charts they touch are built again
 * (units/layoutChange.ts); after every step the findings, Kustomize roots and placements equal a fresh
 * host's, and every step checks fewer files than half the workspace (test/support/gitops.ts
 * `editsEqualFresh`).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { parseFixture } from '../support/fixture.js';
import { deploymentYaml, editsEqualFresh, fluxKustomizationYaml, hostOf, serviceYaml, scopedEditsEqualFresh } from '../support/gitops.js';

const W = 'file:///ws';
const KINDS = ['Deployment', 'Service'];

/** A Service `name` forwarding to `target` of the pods labelled `app: <selects>`. */
function service(name: string, selects: string, target: number): string {
  return `${serviceYaml(name, `{port: 80, targetPort: ${target}}`).replace(`{app: ${name}}`, `{app: ${selects}}`)}\n`;
}

/** The plain apps with `extra` files, then `edits`, every one scoped (test/support/gitops.ts). */
function scoped(
  extra: ReadonlyMap<string, string>,
  edits: ReadonlyArray<readonly [string, (t: string | undefined) => string | undefined]>,
): void {
  scopedEditsEqualFresh(W, extra, edits, KINDS);
}

it('a kustomization edited in place builds again the roots that read it, not the workspace', () => {
  const k = `${W}/kustomize`;
  scoped(
    new Map([
      [`${k}/base/kustomization.yaml`, 'resources: [deployment.yaml, service.yaml]\n'],
      [`${k}/base/deployment.yaml`, `${deploymentYaml('shop', '{containerPort: 8080}')}\n`],
      [`${k}/base/service.yaml`, service('shop', 'shop', 8080)],
      [`${k}/base/extra.yaml`, service('extra', 'shop', 9999)],
      [`${k}/prod/kustomization.yaml`, 'namespace: prod\nresources: [../base]\n'],
      [`${k}/staging/kustomization.yaml`, 'namespace: staging\nresources: [../base]\n'],
      [`${k}/all/kustomization.yaml`, 'resources: [../staging]\n'],
      [`${k}/staging/patch.yaml`, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\nspec:\n  selector: {app: nothing}\n'],
    ]),
    [
      // The base lists its unlisted file, then not; the overlay changes namespace, gets a patch, a prefix.
      [`${k}/base/kustomization.yaml`, () => 'resources: [deployment.yaml, service.yaml, extra.yaml]\n'],
      [`${k}/prod/kustomization.yaml`, () => 'namespace: live\nresources: [../base]\n'],
      [
        `${k}/staging/kustomization.yaml`,
        () => 'namespace: staging\nnamePrefix: s-\nresources: [../base]\npatches: [{path: patch.yaml}]\n',
      ],
      [`${k}/base/kustomization.yaml`, () => 'resources: [deployment.yaml, service.yaml]\n'],
      // Roots change: `all` stops including staging (staging becomes a root), then includes prod too (prod stops being one).
      [`${k}/all/kustomization.yaml`, () => 'resources: []\n'],
      [`${k}/all/kustomization.yaml`, () => 'resources: [../staging, ../prod]\n'],
      // A listed file that is missing (the build is incomplete), then a kustomization that no longer parses as one.
      [`${k}/prod/kustomization.yaml`, () => 'namespace: live\nresources: [../base, missing.yaml]\n'],
      [`${k}/prod/kustomization.yaml`, () => 'namespace: live\nresources: [../base]\n'],
    ],
  );
});

it('a Chart.yaml edited renders that chart again, not the workspace', () => {
  const c = `${W}/charts/shop`;
  const template = (port: string): string =>
    `${deploymentYaml('{{ .Chart.Name }}', `{containerPort: ${port}}`).replace('image: {{ .Chart.Name }}', 'image: "shop:{{ .Chart.Version }}"')}\n---\n${service('{{ .Chart.Name }}', '{{ .Chart.Name }}', 9090)}`;
  scoped(
    new Map([
      [`${c}/Chart.yaml`, 'apiVersion: v2\nname: shop\nversion: 1.0.0\n'],
      [`${c}/values.yaml`, 'port: 8080\n'],
      [`${c}/templates/app.yaml`, template('{{ .Values.port }}')],
    ]),
    [
      // Name and version (the render reads both), then a dependency not vendored (what the chart installs is unknown), then none.
      [`${c}/Chart.yaml`, () => 'apiVersion: v2\nname: store\nversion: 1.0.0\n'],
      [`${c}/Chart.yaml`, () => 'apiVersion: v2\nname: store\nversion: 2.0.0\n'],
      [
        `${c}/Chart.yaml`,
        () =>
          'apiVersion: v2\nname: store\nversion: 2.0.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.com\n',
      ],
      [`${c}/Chart.yaml`, () => 'apiVersion: v2\nname: shop\nversion: 2.0.0\n'],
    ],
  );
});

it('a Flux Kustomization, an Argo CD Application or a Fleet GitRepo edited builds again the roots it changes, not the workspace', () => {
  const argo = (path: string, ns: string): string =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://github.com/example/homelab.git\n    path: ${path}\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${ns}\n`;
  const gitRepo = (paths: string): string =>
    `apiVersion: fleet.cattle.io/v1alpha1\nkind: GitRepo\nmetadata: {name: web, namespace: fleet-local}\nspec:\n  repo: https://example.com/org/repo\n  paths: [${paths}]\n  targetNamespace: prod\n`;
  scoped(
    new Map([
      [`${W}/clusters/apps.yaml`, `${fluxKustomizationYaml('apps', './flux/one')}\n`],
      [`${W}/flux/one/app.yaml`, service('one', 'one', 7070)],
      [`${W}/flux/two/app.yaml`, `${deploymentYaml('two', '{containerPort: 8080}')}\n---\n${service('two', 'two', 9090)}`],
      [`${W}/argocd/web.yaml`, argo('argo/a', 'media')],
      [`${W}/argo/a/app.yaml`, service('a', 'a', 7070)],
      [`${W}/argo/b/app.yaml`, `${deploymentYaml('b', '{containerPort: 8080}')}\n---\n${service('b', 'b', 9090)}`],
      [`${W}/gitrepos/web.yaml`, gitRepo('fleet/web')],
      [`${W}/fleet/web/fleet.yaml`, 'defaultNamespace: web\n'],
      [`${W}/fleet/web/app.yaml`, service('web', 'web', 7070)],
      [`${W}/fleet/api/fleet.yaml`, 'defaultNamespace: api\n'],
      [`${W}/fleet/api/app.yaml`, service('api', 'api', 6060)],
    ]),
    [
      [`${W}/clusters/apps.yaml`, () => `${fluxKustomizationYaml('apps', './flux/two')}\n  targetNamespace: two\n`],
      [`${W}/clusters/apps.yaml`, () => `${fluxKustomizationYaml('apps', './flux/one')}\n`],
      [`${W}/argocd/web.yaml`, () => argo('argo/b', 'media')],
      [`${W}/argocd/web.yaml`, () => argo('argo/b', 'other')],
      [`${W}/gitrepos/web.yaml`, () => gitRepo('fleet/web, fleet/api')],
      [`${W}/gitrepos/web.yaml`, () => gitRepo('fleet/api')],
      // A change of GitOps roots: the Application's folder emptied (no root), then filled again.
      [`${W}/argo/b/app.yaml`, () => undefined],
      [`${W}/argo/b/app.yaml`, () => service('b', 'b', 5050)],
    ],
  );
});

it('a template edited in place judges again the values file whose helm-value-required finding it changes', () => {
  // The chart's defaults leave a value empty; what the finding on values.yaml says depends on every template's render.
  const fixture = parseFixture(
    'reshape',
    readFileSync(join(__dirname, '..', 'fixtures', 'checks', 'helm-value-required', 'empty-helper.yaml'), 'utf8'),
  );
  const extra = new Map(fixture.files.map((f) => [f.uri, f.text]));
  const secret = [...extra.keys()].find((u) => u.endsWith('/templates/secret.yaml')) ?? '';
  scoped(extra, [
    [secret, (t) => `${t ?? ''}\nbroken: [\n`],
    [secret, (t) => t?.replace('\nbroken: [\n', '')],
  ]);
});

it('a Flux Kustomization that its parents stop or start leaving out is built again, though no text its build read changed', () => {
  // A kustomization of the parent's path lists some Flux Kustomizations and not others: those left out are never applied.
  const fixture = parseFixture(
    'left-out',
    readFileSync(join(__dirname, '..', 'fixtures', 'checks', 'kustomize-build-problem', 'flux-left-out.yaml'), 'utf8'),
  );
  const files = new Map(fixture.files.map((f) => [f.uri, f.text]));
  const uriOf = (suffix: string): string => [...files.keys()].find((u) => u.endsWith(suffix)) ?? '';
  const listing = uriOf('/apps/default/kustomization.yaml');
  const parent = uriOf('/clusters/home/apps.yaml');
  const host = hostOf(files);
  host.snapshot().diagnostics();
  const text = (uri: string): string => files.get(uri) ?? '';
  const [listed, root] = [text(listing), text(parent)];
  editsEqualFresh(
    files,
    host,
    [
      [listing, () => undefined],
      [listing, () => listed],
      [parent, () => `${root}\nbroken: [\n`],
      [parent, () => root],
    ],
    KINDS,
  );
});
