/**
 * Edits that used to read the whole workspace again and now judge again only what they concern
 * (docs/dev/units.md §2): an edit that changes the alternatives relation (the files whose views
 * changed, and the readers of their objects), and a file that comes or goes where Kustomize, Flux,
 * Argo CD or Fleet decide placement while the layout stays what it was (units/layoutChange.ts).
 * After every step the findings equal a fresh host's, and the scoped steps check fewer files than
 * half the workspace.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AnalysisHost } from '../../analysis/index.js';
import { applyEdit, deploymentYaml, fluxKustomizationYaml, hostOf, render, serviceYaml } from '../support/gitops.js';

const W = 'file:///ws';

/** `name` (a Deployment and a Service selecting it) in `namespace`; the Service's targetPort is `target`. */
function app(name: string, namespace: string, target = 8080): string {
  const ns = (t: string): string => t.replace(`name: ${name}\n`, `name: ${name}\n  namespace: ${namespace}\n`);
  return `${ns(deploymentYaml(name, '{containerPort: 8080}'))}\n---\n${ns(serviceYaml(name, `{port: 80, targetPort: ${target}}`))}\n`;
}

/** Twenty plain apps, every fifth Service with a targetPort its pods do not declare. */
function plainApps(files: Map<string, string>): void {
  for (let i = 0; i < 20; i++) files.set(`${W}/apps/app${i}/app.yaml`, app(`app${i}`, `ns${i}`, i % 5 === 0 ? 9090 : 8080));
}

type Step = readonly [uri: string, edit: (text: string | undefined) => string | undefined, scoped: boolean];

/** Applies the steps in turn: after each, the host's findings equal a fresh host's; a scoped step checks under half the files. */
function steps(host: AnalysisHost, files: Map<string, string>, list: readonly Step[]): void {
  for (const [i, [uri, edit, scoped]] of list.entries()) {
    const text = edit(files.get(uri));
    applyEdit(files, host, uri, text);
    const incremental = render(host.snapshot().diagnostics());
    assert.deepEqual(incremental, render(hostOf(files).snapshot().diagnostics()), `step ${i}: ${uri}`);
    if (scoped) assert.ok(host.stats.rechecked * 2 < files.size, `step ${i}: ${host.stats.rechecked} of ${files.size} files checked again`);
  }
}

it('an edit that changes the alternatives judges again the files whose views changed, not the workspace', () => {
  const files = new Map<string, string>();
  plainApps(files);
  // Two flavours (alternatives throughout), and two docs versions of one app that stop and start being alternatives.
  files.set(`${W}/deploy/aws/web.yaml`, app('web', 'shop'));
  files.set(`${W}/deploy/gcp/web.yaml`, app('web', 'shop', 9090));
  files.set(`${W}/docs/v1/api.yaml`, app('api', 'shop'));
  files.set(`${W}/docs/v2/api.yaml`, app('api', 'shop', 7070));
  files.set(`${W}/docs/policy.yaml`, serviceYaml('front', '{port: 80, targetPort: 8080}').replace('{app: front}', '{app: api}'));
  const host = hostOf(files);
  const initial = render(host.snapshot().diagnostics());
  assert.ok(
    initial.some((d) => d.includes('(in alternative v2)')),
    initial.join('\n'),
  );
  const v2 = `${W}/docs/v2/api.yaml`;
  steps(host, files, [
    // v2's Service gets another name: v1 and v2 are no longer alternatives (aws and gcp still are).
    [v2, (t) => t?.replace('name: api\n  namespace: shop\nspec:\n  selector', 'name: api2\n  namespace: shop\nspec:\n  selector'), false],
    [v2, (t) => t?.replace(/name: api\n/g, 'name: api2\n'), true],
    [v2, (t) => t?.replace(/name: api2\n/g, 'name: api\n'), true],
  ]);
  assert.deepEqual(render(host.snapshot().diagnostics()), initial);
});

it('a file that comes or goes beside Kustomize and Flux builds is placed as a plain file is, unless the layout changes', () => {
  const files = new Map<string, string>();
  plainApps(files);
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
  steps(host, files, [
    [extra, () => extraText, true],
    [extra, () => undefined, true],
    [`${W}/apps/app4/app.yaml`, () => undefined, true],
    [`${W}/apps/app4/app.yaml`, () => app('app4', 'ns4'), true],
    // Files the layout reads: a resource of a build, a file of a Flux root's folder, an unreferenced file in a Kustomize tree.
    [`${W}/kustomize/base/service.yaml`, () => undefined, false],
    [`${W}/kustomize/base/service.yaml`, () => `${serviceYaml('shop', '{port: 80, targetPort: 8080}')}\n`, false],
    [`${W}/flux-app/service.yaml`, () => `${serviceYaml('flux', '{port: 80, targetPort: 7070}')}\n`, false],
    [`${W}/kustomize/base/unused.yaml`, () => `${serviceYaml('unused')}\n`, false],
    [`${W}/flux-app/service.yaml`, () => undefined, false],
  ]);
});

it('the index of which unit read which key, made a slice at a time after the first diagnostics, gives the edits a full one gives', () => {
  const files = new Map<string, string>();
  plainApps(files);
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
  steps(host, files, [
    [`${W}/apps/app1/app.yaml`, (t) => t?.replace('targetPort: 8080', 'targetPort: 9090'), true],
    [`${W}/apps/app7/app.yaml`, (t) => t?.replace(/app: app7/g, 'app: app7x'), true],
  ]);
  // Left unindexed: only the units the last edit checked again.
  assert.ok(host.unpreparedCount() <= host.stats.rechecked);
});
