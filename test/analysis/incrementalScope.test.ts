/**
 * Edits that used to read the whole workspace again and now judge again only what they concern
 * (docs/dev/units.md §2): an edit that changes the alternatives relation (the files whose views
 * changed, and the readers of their objects), and a file that comes or goes where Kustomize, Flux,
 * Argo CD, Fleet or Helm decide placement (units/layoutChange.ts): beside the builds (placed as a plain
 * file is), in a build (a listed file, an unreferenced file of a tree, a file of a Flux path, a
 * kustomization: the roots that read it are built again), in a chart folder (that chart is rendered again).
 * After every step the findings, Kustomize roots and placements equal a fresh host's, and the scoped
 * steps check fewer files than half the workspace (test/support/gitops.ts `editsEqualFresh`).
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  appYaml,
  deploymentYaml,
  editsEqualFresh,
  fluxKustomizationYaml,
  hostOf,
  plainApps,
  render,
  serviceYaml,
} from '../support/gitops.js';

const W = 'file:///ws';
/** The objects whose placements must equal a fresh host's after every edit. */
const KINDS = ['Deployment', 'Service'];

it('an edit that changes the alternatives judges again the files whose views changed, not the workspace', () => {
  const files = new Map<string, string>();
  plainApps(files, W);
  // Two flavours (alternatives throughout), and two docs versions of one app that stop and start being alternatives.
  files.set(`${W}/deploy/aws/web.yaml`, appYaml('web', 'shop'));
  files.set(`${W}/deploy/gcp/web.yaml`, appYaml('web', 'shop', 9090));
  files.set(`${W}/docs/v1/api.yaml`, appYaml('api', 'shop'));
  files.set(`${W}/docs/v2/api.yaml`, appYaml('api', 'shop', 7070));
  files.set(`${W}/docs/policy.yaml`, serviceYaml('front', '{port: 80, targetPort: 8080}').replace('{app: front}', '{app: api}'));
  const host = hostOf(files);
  const initial = render(host.snapshot().diagnostics());
  assert.ok(
    initial.some((d) => d.includes('(in alternative v2)')),
    initial.join('\n'),
  );
  const v2 = `${W}/docs/v2/api.yaml`;
  editsEqualFresh(
    files,
    host,
    [
      // v2's Service gets another name: v1 and v2 are no longer alternatives (aws and gcp still are).
      [v2, (t) => t?.replace('name: api\n  namespace: shop\nspec:\n  selector', 'name: api2\n  namespace: shop\nspec:\n  selector'), false],
      [v2, (t) => t?.replace(/name: api\n/g, 'name: api2\n'), true],
      [v2, (t) => t?.replace(/name: api2\n/g, 'name: api\n'), true],
    ],
    KINDS,
  );
  assert.deepEqual(render(host.snapshot().diagnostics()), initial);
});

it('a file that comes or goes beside Kustomize and Flux builds is placed as a plain file is, unless the layout changes', () => {
  const files = new Map<string, string>();
  plainApps(files, W);
  files.set(`${W}/kustomize/base/kustomization.yaml`, 'resources: [deployment.yaml, service.yaml]\n');
  files.set(`${W}/kustomize/base/deployment.yaml`, `${deploymentYaml('shop', '{containerPort: 8080}')}\n`);
  files.set(`${W}/kustomize/base/service.yaml`, `${serviceYaml('shop', '{port: 80, targetPort: 9090}')}\n`);
  files.set(`${W}/kustomize/prod/kustomization.yaml`, 'namespace: prod\nresources: [../base]\n');
  // A Flux Kustomization applying a folder without a kustomization: every file below it is built.
  files.set(`${W}/clusters/apps.yaml`, `${fluxKustomizationYaml('apps', './flux-app')}\n`);
  files.set(`${W}/flux-app/deployment.yaml`, `${deploymentYaml('flux', '{containerPort: 8080}')}\n`);
  const host = hostOf(files);
  host.snapshot().diagnostics();
  const extra = `${W}/apps/app3/extra.yaml`;
  const extraText = `${serviceYaml('extra', '{port: 80, targetPort: 9999}').replace('{app: extra}', '{app: app3}')}\n`;
  editsEqualFresh(
    files,
    host,
    [
      [extra, () => extraText, true],
      [extra, () => undefined, true],
      [`${W}/apps/app4/app.yaml`, () => undefined, true],
      [`${W}/apps/app4/app.yaml`, () => appYaml('app4', 'ns4'), true],
      // Files the layout reads: a resource of a build, a file of a Flux root's folder, an unreferenced file in a Kustomize tree.
      [`${W}/kustomize/base/service.yaml`, () => undefined, true],
      [`${W}/kustomize/base/service.yaml`, () => `${serviceYaml('shop', '{port: 80, targetPort: 8080}')}\n`, true],
      [`${W}/flux-app/service.yaml`, () => `${serviceYaml('flux', '{port: 80, targetPort: 7070}')}\n`, true],
      [`${W}/kustomize/base/unused.yaml`, () => `${serviceYaml('unused')}\n`, true],
      [`${W}/flux-app/service.yaml`, () => undefined, true],
      // Kustomizations that come and go: a plain folder becomes a root (its objects move to another namespace), an
      // overlay stops being one (a new root includes it), a listed file is missing, then written.
      [`${W}/apps/app5/kustomization.yaml`, () => 'namespace: moved\nresources: [app.yaml]\n', true],
      [`${W}/kustomize/all/kustomization.yaml`, () => 'namePrefix: all-\nresources: [../prod, missing.yaml]\n', true],
      [`${W}/kustomize/all/missing.yaml`, () => `${serviceYaml('missing', '{port: 80, targetPort: 8080}')}\n`, true],
      [`${W}/kustomize/all/kustomization.yaml`, () => undefined, true],
      [`${W}/apps/app5/kustomization.yaml`, () => undefined, true],
    ],
    KINDS,
  );
});

it('a file that comes or goes in a chart folder renders that chart again, not the workspace', () => {
  const files = new Map<string, string>();
  plainApps(files, W);
  const c = `${W}/charts/shop`;
  files.set(`${c}/Chart.yaml`, 'apiVersion: v2\nname: shop\nversion: 1.0.0\n');
  files.set(`${c}/values.yaml`, 'port: 8080\n');
  const tpl = (name: string, port: string): string =>
    `${deploymentYaml(name, `{containerPort: ${port}}`)}\n---\n${serviceYaml(name, `{port: 80, targetPort: ${port}}`)}\n`;
  files.set(`${c}/templates/app.yaml`, tpl('{{ .Release.Name }}-app', '{{ .Values.port }}'));
  // A Service forwarding to a port no container declares, labelled with a partial's output.
  const extraService = `${serviceYaml('extra', '{port: 80, targetPort: 9999}').replace('{app: extra}', '{app: "{{ .Release.Name }}-app"}').replace('name: extra', 'name: extra\n  labels: {port: "{{ include "shop.port" . }}"}')}\n`;
  const host = hostOf(files);
  host.snapshot().diagnostics();
  editsEqualFresh(
    files,
    host,
    [
      // A partial, a template using it, a values file for `helm template -f`; then each removed.
      [`${c}/templates/_helpers.tpl`, () => '{{- define "shop.port" -}}{{ .Values.port }}{{- end -}}\n', true],
      // A template the partial's define serves: the partial's removal stops the render.
      [`${c}/templates/extra.yaml`, () => extraService, true],
      [`${c}/ci/values-test.yaml`, () => 'port: 7070\n', true],
      [`${c}/templates/_helpers.tpl`, () => undefined, true],
      [`${c}/templates/extra.yaml`, () => undefined, true],
      [`${c}/ci/values-test.yaml`, () => undefined, true],
    ],
    KINDS,
  );
});

it('the index of which unit read which key, made a slice at a time after the first diagnostics, gives the edits a full one gives', () => {
  const files = new Map<string, string>();
  plainApps(files, W);
  const host = hostOf(files);
  host.snapshot().diagnostics();
  const units = host.unpreparedCount();
  assert.equal(units, files.size, 'a cold pass leaves every unit for later');
  // One key's worth: one unit at a time.
  assert.equal(host.prepareForEdits(1), true);
  assert.equal(host.unpreparedCount(), units - 1);
  host.prepareForEdits(1);
  assert.equal(host.unpreparedCount(), units - 2);
  // The next edit indexes the rest first, and judges again what a fully indexed host would.
  editsEqualFresh(
    files,
    host,
    [
      [`${W}/apps/app1/app.yaml`, (t) => t?.replace('targetPort: 8080', 'targetPort: 9090'), true],
      [`${W}/apps/app7/app.yaml`, (t) => t?.replace(/app: app7/g, 'app: app7x'), true],
    ],
    KINDS,
  );
  // Left unindexed: only the units the last edit checked again.
  assert.ok(host.unpreparedCount() <= host.stats.rechecked);
});
