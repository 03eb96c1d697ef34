/**
 * Files a chainsaw Test names as partial objects (model/testTools.ts, units/structure.ts
 * `testPartials`): an edit of the test that stops or starts naming a patch file, or changes a glob,
 * and a file added where a glob matches, give the findings of a full pass. The checks' side is the
 * fixtures api-required-value/chainsaw-patch-file.yaml, chainsaw-glob-file.yaml and kuttl-test-step.yaml.
 * Such edits read again only what the test tools decide (units/structure.ts `restructure`): the
 * files whose role changed are judged again, not the workspace.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseFixture } from '../support/fixture.js';
import { chainsawRunsIn, harnessRunsOf, kuttlRunsIn, suitelessKuttlRuns } from '../../analysis/units/harnessRuns.js';
import type { KuttlRun } from '../../analysis/units/harnessRuns.js';
import { editPasses } from '../support/editPasses.js';
import { deploymentYaml, editsEqualFresh, hostOf, render, serviceYaml } from '../support/gitops.js';
import type { Edit } from '../support/gitops.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'api-required-value', 'chainsaw-patch-file.yaml');
const KUTTL_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'api-required-value', 'kuttl-step-update.yaml');
const APPLY_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'api-required-value', 'chainsaw-apply-update.yaml');
const GLOB_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'api-required-value', 'chainsaw-glob-file.yaml');
const SUITE_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'api-required-value', 'kuttl-suite.yaml');
const TEMPLATE_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'api-required-value', 'chainsaw-step-template.yaml');
const ASSERTED_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'netpol-selects-nothing', 'test-assertion-evidence.yaml');
const PLACED_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'ingress-backend-missing', 'chainsaw-test-namespace.yaml');
const SUITE_ASSERTED_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'netpol-selects-nothing', 'test-assertion-suite.yaml');
const COMMANDS_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'api-required-value', 'kuttl-commands-build.yaml');
const CONFIG_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'ingress-backend-missing', 'chainsaw-config-namespace.yaml');
const SUITE_NS_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'ingress-backend-missing', 'kuttl-suite-namespace.yaml');
const PIPED_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'api-required-value', 'kuttl-piped-build.yaml');
const KUTTL_APPLY_NS_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'ingress-backend-missing', 'kuttl-apply-namespace.yaml');
const SCRIPT_NS_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'ingress-backend-missing', 'chainsaw-script-namespace.yaml');
const MAKEFILE_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'ingress-backend-missing', 'chainsaw-makefile-config.yaml');
const KUTTL_MAKEFILE_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'ingress-backend-missing', 'kuttl-makefile-namespace.yaml');
const KUTTL_NO_SUITE_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'ingress-backend-missing', 'kuttl-run-no-suite.yaml');
const CL2_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'statefulset-service-missing', 'clusterloader2.yaml');

/** A fixture's files, a host over them, and a file's uri by the end of its path. */
function load(fixture: string): { files: Map<string, string>; host: ReturnType<typeof hostOf>; uriOf: (suffix: string) => string } {
  const fx = parseFixture('test-tools', readFileSync(fixture, 'utf8'));
  const files = new Map(fx.files.map((f) => [f.uri, f.text]));
  const uriOf = (suffix: string): string => [...files.keys()].find((u) => u.endsWith(suffix)) ?? '';
  return { files, host: hostOf(files), uriOf };
}

/** The files with an api-required-value finding, as their paths below `root/`. */
function reported(list: readonly string[], root: RegExp): string[] {
  return list
    .filter((d) => d.includes('api-required-value'))
    .map((d) => d.slice(0, d.indexOf(':', d.indexOf('.yaml'))).replace(root, ''))
    .sort();
}

describe('chainsaw partial files', () => {
  it('an edit of the test that stops or starts naming a patch file gives the findings of a full pass', () => {
    const fx = parseFixture('chainsaw', readFileSync(FIXTURE, 'utf8'));
    const files = new Map(fx.files.map((f) => [f.uri, f.text]));
    const test = [...files.keys()].find((u) => u.endsWith('/chainsaw-test.yaml')) ?? '';
    const patchFile = [...files.keys()].find((u) => u.endsWith('/01-oidc-mock-secret-revoked.yaml')) ?? '';
    const host = hostOf(files);
    const errorsIn = (list: readonly string[], uri: string): number =>
      list.filter((d) => d.startsWith(`${uri}:`) && d.includes('api-required-value')).length;
    const initial = render(host.snapshot().diagnostics());
    assert.equal(errorsIn(initial, patchFile), 0, initial.join('\n'));
    const edits: Array<(t: string) => string> = [
      // The step creates the object from the file instead of patching with it: a manifest, incomplete,
      // reported (an apply would merge it into the Deployment the first step applied: an update).
      (t) => t.replace('- patch:\n            file: 01-', '- create:\n            file: 01-'),
      (t) => t.replace('- create:\n            file: 01-', '- patch:\n            file: 01-'),
    ];
    const seen = editPasses(host, files, test, edits);
    assert.equal(errorsIn(seen[0] ?? [], patchFile), 1, (seen[0] ?? []).join('\n'));
    assert.deepEqual(seen[1], initial);
  });

  it('a glob edited in the test, and a file added where a glob matches, give the findings of a full pass', () => {
    const { files, host, uriOf } = load(GLOB_FIXTURE);
    const test = uriOf('/chainsaw-test.yaml');
    const E2E = /^.*\/e2e\//;
    const initial = render(host.snapshot().diagnostics());
    assert.deepEqual(reported(initial, E2E), ['common/nested/web-nested.yaml', 'scale/10-web-check.yaml'], initial.join('\n'));
    // `[01]0-*` matches steps 00 and 10, not 01.
    const seen = editPasses(host, files, test, [(t) => t.replace('file: 0*-check.yaml', 'file: "[01]0-*-check.yaml"')]);
    assert.deepEqual(reported(seen[0] ?? [], E2E), ['common/nested/web-nested.yaml', 'scale/01-db-check.yaml'], (seen[0] ?? []).join('\n'));
    // A file added later that the glob matches holds no manifest; one it does not match is reported.
    const added = test.replace('/chainsaw-test.yaml', '/10-late-check.yaml');
    const other = test.replace('/chainsaw-test.yaml', '/21-web.yaml');
    const partial = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: late\nspec:\n  replicas: 1\n';
    for (const uri of [added, other]) {
      files.set(uri, partial);
      host.setFile(uri, partial);
    }
    const after = render(host.snapshot().diagnostics());
    assert.deepEqual(after, render(hostOf(files).snapshot().diagnostics()));
    assert.deepEqual(
      reported(after, E2E),
      ['common/nested/web-nested.yaml', 'scale/01-db-check.yaml', 'scale/21-web.yaml'],
      after.join('\n'),
    );
  });

  it('kuttl step updates: an edit of the earlier step, or the assertion file of the test removed, gives the findings of a full pass', () => {
    const { files, host, uriOf } = load(KUTTL_FIXTURE);
    const create = uriOf('/tests/update/01-create-deployment.yaml');
    const ROOT = /^.*\/(?=(tests|plain)\/)/;
    const initial = render(host.snapshot().diagnostics());
    assert.deepEqual(
      reported(initial, ROOT),
      [
        'plain/02-update-deployment.yaml',
        'tests/early/00-scale.yaml',
        'tests/early/01-scale-again.yaml',
        'tests/update/02-new-deployment.yaml',
      ],
      initial.join('\n'),
    );
    // The earlier step creates another name: the update updates nothing, reported; and back.
    const seen = editPasses(host, files, create, [
      (t) => t.replace('name: nginx-deployment', 'name: other'),
      (t) => t.replace('name: other', 'name: nginx-deployment'),
    ]);
    assert.ok(reported(seen[0] ?? [], ROOT).includes('tests/update/02-update-deployment.yaml'), (seen[0] ?? []).join('\n'));
    assert.deepEqual(seen[1], initial);
    // Without its assertion file the folder is no kuttl test: the step files are manifests.
    const assertion = uriOf('/tests/update/01-assert.yaml');
    files.delete(assertion);
    host.removeFile(assertion);
    const after = render(host.snapshot().diagnostics());
    assert.deepEqual(after, render(hostOf(files).snapshot().diagnostics()));
    assert.ok(reported(after, ROOT).includes('tests/update/02-update-deployment.yaml'), after.join('\n'));
  });

  it('chainsaw apply updates: an edit of the earlier file or of the update gives the findings of a full pass', () => {
    const { files, host, uriOf } = load(APPLY_FIXTURE);
    const E2E = /^.*\/e2e\//;
    const initial = render(host.snapshot().diagnostics());
    const base = ['update/created-again.yaml', 'update/early-update.yaml', 'update/new-deployment.yaml'];
    assert.deepEqual(reported(initial, E2E), base, initial.join('\n'));
    // The complete Deployment renamed: the update updates nothing, reported; and back.
    let seen = editPasses(host, files, uriOf('/update/deployment.yaml'), [
      (t) => t.replace('name: web', 'name: renamed'),
      (t) => t.replace('name: renamed', 'name: web'),
    ]);
    assert.ok(reported(seen[0] ?? [], E2E).includes('update/good-update.yaml'), (seen[0] ?? []).join('\n'));
    assert.deepEqual(seen[1], initial);
    // The update names another object: reported.
    seen = editPasses(host, files, uriOf('/update/good-update.yaml'), [(t) => t.replace('name: web', 'name: nobody')]);
    assert.ok(reported(seen[0] ?? [], E2E).includes('update/good-update.yaml'), (seen[0] ?? []).join('\n'));
  });
});

describe('kuttl suites and chainsaw step templates', () => {
  it("edits of a suite, its manifests, a step's commands and the files they apply give the findings of a full pass", () => {
    const { files, host, uriOf } = load(SUITE_FIXTURE);
    const root = /^.*\/e2e\//;
    const initial = reported(render(host.snapshot().diagnostics()), root);
    assert.deepEqual(initial, ['tests/commands/changes/created.yaml', 'tests/update/02-new.yaml']);
    // The manifest folder's Deployment renamed: the step that scales it updates nothing; and back.
    const renamed = editPasses(host, files, uriOf('/manifests/shared.yaml'), [
      (t) => t.replace('name: shared', 'name: gone'),
      (t) => t.replace('name: gone', 'name: shared'),
    ]);
    assert.deepEqual(reported(renamed[0] ?? [], root), [...initial, 'tests/scale-shared/00-scale.yaml'].sort());
    // A step's command applies another file, and back; the file it applies renamed.
    editPasses(host, files, uriOf('/commands/00-install.yaml'), [
      (t) => t.replace('resources/api.yaml', 'resources/none.yaml'),
      (t) => t.replace('resources/none.yaml', 'resources/api.yaml'),
    ]);
    editPasses(host, files, uriOf('/commands/changes/replicas.yaml'), [
      (t) => t.replace('name: api', 'name: x'),
      (t) => t.replace('name: x', 'name: api'),
    ]);
    // The suite names no test folder: `update` is no kuttl test (its later steps are manifests).
    const none = editPasses(host, files, uriOf('/e2e/kuttl-test.yaml'), [(t) => t.replace('./tests/', './other/')]);
    assert.ok(reported(none[0] ?? [], root).includes('tests/update/01-scale.yaml'), (none[0] ?? []).join('\n'));
  });

  it('edits of a StepTemplate and of the Test that uses it give the findings of a full pass', () => {
    const { files, host, uriOf } = load(TEMPLATE_FIXTURE);
    const root = /^.*\/e2e\//;
    assert.deepEqual(reported(render(host.snapshot().diagnostics()), root), ['tests/fresh/scale-default.yaml', 'tests/scale/relabel.yaml']);
    // The template applies another binding's file: replicas.yaml is read as it stands; the Test binds `patch` elsewhere.
    const other = editPasses(host, files, uriOf('/templates/scale.yaml'), [(t) => t.replace('file: ($patch)', 'file: ($other)')]);
    assert.ok(reported(other[0] ?? [], root).includes('tests/scale/replicas.yaml'), (other[0] ?? []).join('\n'));
    editPasses(host, files, uriOf('/templates/scale.yaml'), [(t) => t.replace('file: ($other)', 'file: ($patch)')]);
    editPasses(host, files, uriOf('/scale/chainsaw-test.yaml'), [
      (t) => t.replace('value: scaled.yaml', 'value: relabel.yaml'),
      (t) => t.replace('value: relabel.yaml', 'value: scaled.yaml'),
    ]);
  });
});

describe("files a chainsaw Test applies, in the Test's namespace", () => {
  it('edits of the Test (its namespace, the files it applies) and of the applied file give the findings of a full pass', () => {
    const { files, host, uriOf } = load(PLACED_FIXTURE);
    const backends = (list: readonly string[]): string[] =>
      list.filter((d) => d.includes(' ingress-backend-missing ')).map((d) => d.replace(/^.*\/e2e\//, ''));
    assert.equal(backends(render(host.snapshot().diagnostics())).length, 1);
    // The Test stops applying the shared file: frontend-podinfo is missing too; then another namespace, and back.
    const seen = editPasses(host, files, uriOf('/playground/chainsaw-test.yaml'), [
      (t) => t.replace('../../testdata/podinfo.yaml', '../../testdata/other.yaml'),
      (t) => t.replace('../../testdata/other.yaml', '../../testdata/podinfo.yaml'),
      (t) => t.replace('namespace: playground', 'namespace: other'),
      (t) => t.replace('  namespace: other\n', ''),
      (t) => t.replace('spec:\n', 'spec:\n  namespace: playground\n'),
    ]);
    // Without the shared file the Test's unit holds no Service: no scope, silent.
    assert.deepEqual(
      seen.map((list) => backends(list).map((d) => /Ingress "([^"]*)"/.exec(d)?.[1] ?? d)),
      [[], ['playground/playground'], ['other/playground'], ['playground'], ['playground/playground']],
    );
    // The shared file renames its Service, and back.
    const renamed = editPasses(host, files, uriOf('/testdata/podinfo.yaml'), [
      (t) => t.replace('  name: frontend-podinfo\nspec:\n  selector', '  name: renamed\nspec:\n  selector'),
      (t) => t.replace('  name: renamed\n', '  name: frontend-podinfo\n'),
    ]);
    assert.deepEqual(
      renamed.map((list) => backends(list).length),
      [2, 1],
    );
  });
});

describe("a chainsaw Configuration's and a kuttl TestSuite's namespace", () => {
  const backends = (list: readonly string[]): string[] =>
    list.filter((d) => d.includes(' ingress-backend-missing ')).map((d) => /Ingress "([^"]*)"/.exec(d)?.[1] ?? d);
  it("edits of the Configuration's namespace and of the Test's own give the findings of a full pass", () => {
    const { files, host, uriOf } = load(CONFIG_FIXTURE);
    assert.deepEqual(backends(render(host.snapshot().diagnostics())), ['postgres-operator/pgadmin']);
    const config = editPasses(host, files, uriOf('/e2e/config.yaml'), [
      (t) => t.replace('name: postgres-operator', 'name: other'),
      (t) => t.replace('    name: other\n', ''),
      (t) => t.replace('  namespace:\n', '  namespace:\n    name: postgres-operator\n'),
    ]);
    // In another namespace the Service is missing (reported there); with no name, the Test's own ephemeral namespace: no scope, silent.
    assert.deepEqual(config.map(backends), [['other/pgadmin'], [], ['postgres-operator/pgadmin']]);
    // The Test's own spec.namespace wins over the Configuration's.
    const test = editPasses(host, files, uriOf('/pgadmin/chainsaw-test.yaml'), [
      (t) => t.replace('spec:\n', 'spec:\n  namespace: other\n'),
      (t) => t.replace('  namespace: other\n', ''),
    ]);
    assert.deepEqual(test.map(backends), [['other/pgadmin'], ['postgres-operator/pgadmin']]);
  });

  it("edits of the suite's namespace and of the test's step give the findings of a full pass", () => {
    const { files, host, uriOf } = load(SUITE_NS_FIXTURE);
    assert.deepEqual(backends(render(host.snapshot().diagnostics())), ['redpanda-system/console']);
    const suite = editPasses(host, files, uriOf('/kuttl-test.yaml'), [
      (t) => t.replace('namespace: redpanda-system\n', ''),
      (t) => t.replace('kind: TestSuite\n', 'kind: TestSuite\nnamespace: redpanda-system\n'),
    ]);
    assert.deepEqual(suite.map(backends), [[], ['redpanda-system/console']]);
    const step = editPasses(host, files, uriOf('/console-ingress/00-ingress.yaml'), [
      (t) => t.replace('name: console-admin', 'name: console'),
      (t) =>
        t.replace(
          'path: /admin\n            pathType: Prefix\n            backend:\n              service:\n                name: console',
          'path: /admin\n            pathType: Prefix\n            backend:\n              service:\n                name: console-admin',
        ),
    ]);
    assert.deepEqual(step.map(backends), [[], ['redpanda-system/console']]);
  });
});

describe('asserted objects as evidence of presence', () => {
  it('an edit of the assertion file, or of the policy and Ingress beside it, gives the findings of a full pass', () => {
    const { files, host, uriOf } = load(ASSERTED_FIXTURE);
    const codes = (list: readonly string[]): string[] =>
      list.filter((d) => / (netpol-selects-nothing|ingress-backend-missing) /.test(d)).map((d) => d.replace(/^.*\/e2e\//, ''));
    assert.equal(codes(render(host.snapshot().diagnostics())).length, 1);
    // The assertion no longer names the pods nor the Service: both claims are made; and back.
    const seen = editPasses(host, files, uriOf('/redis/00-assert.yaml'), [
      (t) => t.replace('app.kubernetes.io/name: redis', 'app.kubernetes.io/name: other').replace('name: redis-master', 'name: other'),
      (t) => t.replace('app.kubernetes.io/name: other', 'app.kubernetes.io/name: redis').replace('name: other', 'name: redis-master'),
    ]);
    assert.equal(codes(seen[0] ?? []).length, 3, (seen[0] ?? []).join('\n'));
    // The same with the policy and the Ingress bound to a namespace (their claims read no unit of the assertion's).
    const bound = new Map(
      [...files].map(([u, t]) => [
        u,
        u.endsWith('01-policy.yaml')
          ? `${t.replaceAll('metadata:\n', 'metadata:\n  namespace: redis\n')}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: redis\n`
          : t,
      ]),
    );
    const boundHost = hostOf(bound);
    boundHost.snapshot().diagnostics();
    const boundSeen = editPasses(boundHost, bound, uriOf('/redis/00-assert.yaml'), [
      (t) => t.replace('name: redis-master', 'name: other'),
      (t) => t.replace('name: other', 'name: redis-master'),
    ]);
    assert.ok(
      (boundSeen[0] ?? []).some((d) => d.includes(' ingress-backend-missing ')),
      (boundSeen[0] ?? []).join('\n'),
    );
    // The policy selects other pods, and back.
    editPasses(host, files, uriOf('/redis/01-policy.yaml'), [
      (t) => t.replace('name: redis\n', 'name: redis2\n'),
      (t) => t.replace('name: redis2\n', 'name: redis\n'),
    ]);
  });
});

describe("asserted objects across a suite's tests", () => {
  it('edits of the suite and of the assertions give the findings of a full pass', () => {
    const { files, host, uriOf } = load(SUITE_ASSERTED_FIXTURE);
    const claims = (list: readonly string[]): string[] =>
      list.filter((d) => d.includes(' netpol-selects-nothing ')).map((d) => /NetworkPolicy "([^"]*)"/.exec(d)?.[1] ?? d);
    assert.deepEqual(claims(render(host.snapshot().diagnostics())).sort(), ['cache', 'other']);
    const suite = editPasses(host, files, uriOf('/e2e/kuttl-test.yaml'), [
      (t) => t.replace('./tests', './elsewhere'),
      (t) => t.replace('./elsewhere', './tests'),
    ]);
    assert.deepEqual(claims(suite[0] ?? []).sort(), ['cache', 'other', 'redis']);
    const asserted = editPasses(host, files, uriOf('/install/00-assert.yaml'), [
      (t) => t.replace('app.kubernetes.io/name: redis', 'app: cache'),
      (t) => t.replace('app: cache', 'app.kubernetes.io/name: redis'),
    ]);
    assert.deepEqual(claims(asserted[0] ?? []).sort(), ['other', 'redis']);
    // The assertion another folder's Test names expects other pods: the Test's policy selects nothing; and back.
    const test = editPasses(host, files, uriOf('/_asserts/queue.yaml'), [
      (t) => t.replace('app: queue', 'app: queue2'),
      (t) => t.replace('app: queue2', 'app: queue'),
    ]);
    assert.deepEqual(claims(test[0] ?? []).sort(), ['cache', 'other', 'queue']);
  });
});

describe('kuttl suite commands, kubectl -R and -k', () => {
  it("edits of the suite's commands, a step's command and the build it applies give the findings of a full pass", () => {
    const { files, host, uriOf } = load(COMMANDS_FIXTURE);
    const root = /^.*\/e2e\//;
    assert.deepEqual(reported(render(host.snapshot().diagnostics()), root), ['tests/build/02-scale.yaml']);
    const suite = editPasses(host, files, uriOf('/e2e/kuttl-test.yaml'), [
      (t) => t.replace('setup/operator.yaml', 'setup/other.yaml'),
      (t) => t.replace('setup/other.yaml', 'setup/operator.yaml'),
    ]);
    assert.ok(reported(suite[0] ?? [], root).includes('tests/scale-operator/00-scale.yaml'), (suite[0] ?? []).join('\n'));
    const step = editPasses(host, files, uriOf('/recursive/00-install.yaml'), [
      (t) => t.replace(' -R ', ' '),
      (t) => t.replace('apply -f', 'apply -R -f'),
    ]);
    assert.ok(reported(step[0] ?? [], root).includes('tests/recursive/01-scale.yaml'), (step[0] ?? []).join('\n'));
    // The build's namePrefix changes: the step updating test-api no longer updates anything; the other one does.
    const build = editPasses(host, files, uriOf('/overlay/kustomization.yaml'), [
      (t) => t.replace('namePrefix: test-\n', ''),
      (t) => t.replace('kind: Kustomization\n', 'kind: Kustomization\nnamePrefix: test-\n'),
    ]);
    assert.deepEqual(reported(build[0] ?? [], root), ['tests/build/01-scale.yaml']);
  });
});

describe('kuttl commands that pipe a Kustomize build into kubectl', () => {
  it('edits of the base the build reads outside the applied folder, and of the command, give the findings of a full pass', () => {
    const { files, host, uriOf } = load(PIPED_FIXTURE);
    const root = /^.*\/fixtures\/test-tools\//;
    assert.deepEqual(reported(render(host.snapshot().diagnostics()), root), ['e2e/tests/piped/02-scale.yaml']);
    // The base (outside deploy/e2e, the folder the commands build) renames its Deployment: the updates of e2e-api
    // update nothing the build makes; and back.
    const base = editPasses(host, files, uriOf('/deploy/base/api.yaml'), [
      (t) => t.replace('  name: api\n', '  name: web\n'),
      (t) => t.replace('  name: web\n', '  name: api\n'),
    ]);
    assert.deepEqual(
      base.map((list) => reported(list, root)),
      [
        ['e2e/tests/kubectl-kustomize/01-scale.yaml', 'e2e/tests/piped/01-scale.yaml', 'e2e/tests/piped/02-scale.yaml'],
        ['e2e/tests/piped/02-scale.yaml'],
      ],
    );
    // The command stops piping the build (writes it to a file first): the objects are not known here.
    const command = editPasses(host, files, uriOf('/piped/00-install.yaml'), [
      (t) => t.replace('| kubectl apply -n $NAMESPACE -f -', '> out.yaml'),
      (t) => t.replace('> out.yaml', '| kubectl apply -n $NAMESPACE -f -'),
    ]);
    assert.deepEqual(
      command.map((list) => reported(list, root)),
      [['e2e/tests/piped/01-scale.yaml', 'e2e/tests/piped/02-scale.yaml'], ['e2e/tests/piped/02-scale.yaml']],
    );
  });
});

describe('files kuttl steps and chainsaw scripts apply into a namespace', () => {
  const backends = (list: readonly string[]): string[] =>
    list
      .filter((d) => d.includes(' ingress-backend-missing '))
      .map((d) => /Ingress "([^"]*)"/.exec(d)?.[1] ?? d)
      .sort();
  it("edits of a step's apply list, a command's namespaced flag and its -n give the findings of a full pass", () => {
    const { files, host, uriOf } = load(KUTTL_APPLY_NS_FIXTURE);
    assert.deepEqual(backends(render(host.snapshot().diagnostics())), ['backoffice/backoffice', 'shop/admin', 'shop/storefront']);
    const step = editPasses(host, files, uriOf('/storefront/00-install.yaml'), [
      // Without namespaced, kubectl's default namespace: the file is not the test's (read in its own folder, no finding).
      (t) => t.replace('    namespaced: true\n', ''),
      (t) => t.replace('--namespace=backoffice', '--namespace=shop'),
      (t) => t.replace('apply:\n  - ../../common/ingress.yaml\n', ''),
      (t) => t.replace('kind: TestStep\n', 'kind: TestStep\napply:\n  - ../../common/ingress.yaml\n'),
    ]);
    assert.deepEqual(step.map(backends), [['backoffice/backoffice', 'shop/storefront'], ['shop/storefront'], [], ['shop/storefront']]);
    // The suite's namespace is the test's: without one, the test's own ephemeral namespace (no scope, silent).
    const suite = editPasses(host, files, uriOf('/kuttl-test.yaml'), [
      (t) => t.replace('namespace: shop\n', ''),
      (t) => t.replace('kind: TestSuite\n', 'kind: TestSuite\nnamespace: shop\n'),
    ]);
    assert.deepEqual(suite.map(backends), [[], ['shop/storefront']]);
  });

  it("edits of a chainsaw script's and command's -n give the findings of a full pass", () => {
    const { files, host, uriOf } = load(SCRIPT_NS_FIXTURE);
    // Without -n, kubectl's `default`: podinfo-default lands there, away from the podinfo Service.
    assert.deepEqual(backends(render(host.snapshot().diagnostics())), [
      'default/podinfo-default',
      'demo/podinfo',
      'staging/podinfo-staging',
    ]);
    const test = editPasses(host, files, uriOf('/ingress/chainsaw-test.yaml'), [
      (t) => t.replace('-n, staging,', '-n, demo,'),
      (t) => t.replace('kubectl apply -n "$NAMESPACE" -f', 'kubectl apply -f'),
      (t) => t.replace('kubectl apply -f ../../common/ingress.yaml', 'kubectl --namespace=${NAMESPACE} apply -f ../../common/ingress.yaml'),
      (t) =>
        t.replace('kubectl apply -f ../../common/default-ingress.yaml', 'kubectl apply -n staging -f ../../common/default-ingress.yaml'),
      // A script that points kubectl at another context: where its -n-less files land is unknown (no finding).
      (t) => t.replace('-n staging -f ../../common/default-ingress.yaml', '-f ../../common/default-ingress.yaml --context kind-e2e'),
    ]);
    assert.deepEqual(test.map(backends), [
      ['default/podinfo-default', 'demo/podinfo'],
      ['default/podinfo', 'default/podinfo-default'],
      ['default/podinfo-default', 'demo/podinfo'],
      ['demo/podinfo', 'staging/podinfo-default'],
      ['demo/podinfo'],
    ]);
  });
});

describe("a Makefile's chainsaw test: its --config, --test-dir and --namespace", () => {
  it('reads the folder it runs in, the Configuration, the test folders and the namespace as chainsaw takes its flags', () => {
    const runs = (text: string) => chainsawRunsIn('file:///r/Makefile', text).map((r) => ({ ...r }));
    assert.deepEqual(
      runs(
        'e2e:\n\t$(CHAINSAW) test --config .chainsaw/config.yaml --test-dir=tests/e2e,tests/upgrade --namespace e2e 2>&1 | tee out.txt\n',
      ),
      [
        {
          cwd: 'file:///r',
          config: 'file:///r/.chainsaw/config.yaml',
          explicit: true,
          testDirs: ['file:///r/tests/e2e', 'file:///r/tests/upgrade'],
          namespace: 'e2e',
        },
      ],
    );
    // `cd dir &&` moves where it runs; positional arguments are test folders; without --config, `.chainsaw.yaml` there.
    assert.deepEqual(runs('e2e:\n\t@cd test && go run github.com/kyverno/chainsaw@v0.2.12 test --parallel 4 --fail-fast e2e\n'), [
      { cwd: 'file:///r/test', config: 'file:///r/test/.chainsaw.yaml', explicit: false, testDirs: ['file:///r/test/e2e'] },
    ]);
    // `$(CURDIR)` is the Makefile's folder; a continuation line joins; a variable is unknown: no folder, a null config or namespace.
    assert.deepEqual(runs('e2e:\n\tchainsaw test \\\n\t\t--test-dir $(CURDIR)/e2e --config $(CONFIG) --namespace=$(NS)\n'), [
      { cwd: 'file:///r', config: null, explicit: true, testDirs: ['file:///r/e2e'], namespace: null },
    ]);
    assert.deepEqual(runs('build:\n\tgo build ./cmd/chainsaw\nlint:\n\tchainsaw lint test -f x.yaml\n'), []);
  });

  it("edits of the Makefile's command give the findings of a full pass", () => {
    const seen = makefileEdits(MAKEFILE_FIXTURE, [
      // --namespace over the Configuration's.
      (t) => t.replace('--test-dir', '--namespace other --test-dir'),
      (t) => t.replace('--namespace other ', ''),
      // Without --config, `.chainsaw.yaml` where it runs: none there, each Test its own ephemeral namespace (no scope, silent).
      (t) => t.replace('--config testing/chainsaw/config/chainsaw.yaml ', ''),
      // From testing/chainsaw, with its Tests' folder as an argument.
      (t) => t.replace(/\t\$\(CHAINSAW\) test[^]*$/, '\tcd testing/chainsaw && $(CHAINSAW) test --config config/chainsaw.yaml e2e\n'),
      // A run over other folders: the Test's folder is read as before (no Configuration above it).
      (t) => t.replace('config/chainsaw.yaml e2e', 'config/chainsaw.yaml other'),
    ]);
    assert.deepEqual(seen, [['other/storefront'], ['shop/storefront'], [], ['shop/storefront'], []]);
  });
});

describe("a Makefile's kubectl kuttl test: its --config and --namespace", () => {
  it('reads the folder it runs in, the TestSuite file and the namespace as kuttl takes its flags', () => {
    const runs = (text: string) => kuttlRunsIn('file:///r/Makefile', text).map((r) => ({ ...r }));
    assert.deepEqual(runs('e2e:\n\tkubectl kuttl test --config tests/kuttl-test.yaml -n e2e --start-kind\n'), [
      { cwd: 'file:///r', config: 'file:///r/tests/kuttl-test.yaml', explicit: true, namespace: 'e2e' },
    ]);
    assert.deepEqual(runs('e2e:\n\tcd test && $(KUTTL) test --namespace=$(NS)\n\t$(LOCALBIN)/kubectl-kuttl test --timeout 600\n'), [
      { cwd: 'file:///r/test', config: 'file:///r/test/kuttl-test.yaml', namespace: null },
      { cwd: 'file:///r', config: 'file:///r/kuttl-test.yaml' },
    ]);
    // Positional arguments are test folders (they replace the suite's testDirs); a variable one names none known here.
    assert.deepEqual(runs('e2e:\n\tkubectl-kuttl test ./tests/e2e $(EXTRA) --timeout=600 > kuttl.log\n'), [
      { cwd: 'file:///r', config: 'file:///r/kuttl-test.yaml', testDirs: ['file:///r/tests/e2e'] },
    ]);
    assert.deepEqual(runs('e2e:\n\tkubectl apply -f kuttl-test.yaml\n'), []);
  });

  it("edits of the Makefile's command give the findings of a full pass", () => {
    const seen = makefileEdits(KUTTL_MAKEFILE_FIXTURE, [
      (t) => t.replace('--namespace shop', '--namespace other'),
      // Without --namespace, the suite's (none: each test a generated namespace of its own, no scope, silent).
      (t) => t.replace(' --namespace other', ''),
      (t) => t.replace('--config tests/kuttl-test.yaml', '-n shop --config tests/kuttl-test.yaml'),
      // Folder arguments replace the suite's testDirs: a run over another folder leaves this test out of the suite.
      (t) => t.replace('--config tests/kuttl-test.yaml', '--config tests/kuttl-test.yaml tests/other'),
      (t) => t.replace('tests/other', 'tests/e2e'),
      // Another suite file: not this one's run.
      (t) => t.replace('tests/kuttl-test.yaml', 'other/kuttl-test.yaml'),
    ]);
    assert.deepEqual(seen, [['other/storefront'], [], ['shop/storefront'], [], ['shop/storefront'], []]);
  });

  it('a run without a TestSuite: its folder arguments are the test folders, its --namespace theirs', () => {
    const runs = (text: string) => kuttlRunsIn('file:///r/Makefile', text).map((r) => ({ ...r }));
    const explicit = runs('e2e:\n\tkubectl kuttl test --config e2e/kuttl-test.yaml e2e\n\tkubectl kuttl test e2e\n\tkubectl kuttl test\n');
    const has = (uri: string): boolean => uri === 'file:///r/e2e/kuttl-test.yaml';
    const suiteless = (list: typeof explicit): KuttlRun[] =>
      suitelessKuttlRuns(new Map([['file:///r/Makefile', { chainsaw: [], kuttl: list }]]), has);
    // `--config` names a suite (kuttl fails without it); no folder argument stops kuttl: only the second runs without a suite.
    assert.deepEqual(suiteless(explicit), [{ cwd: 'file:///r', config: 'file:///r/kuttl-test.yaml', testDirs: ['file:///r/e2e'] }]);
    // kuttl-test.yaml where it runs is the suite.
    assert.deepEqual(suiteless(runs('e2e:\n\tcd e2e && kubectl kuttl test .\n')), []);
  });

  it("edits of a suite-less run's command give the findings of a full pass", () => {
    const seen = makefileEdits(KUTTL_NO_SUITE_FIXTURE, [
      (t) => t.replace('--namespace shop', '--namespace other'),
      // Without --namespace, each test a generated namespace of its own (no scope: silent).
      (t) => t.replace(' --namespace other', ''),
      (t) => t.replace('./tests/e2e', './tests/e2e -n shop'),
      // Another folder: the test is none of the run's.
      (t) => t.replace('./tests/e2e', './tests/other'),
      (t) => t.replace('./tests/other', './tests/e2e'),
    ]);
    assert.deepEqual(seen, [['other/storefront'], [], ['shop/storefront'], [], ['shop/storefront']]);
  });
});

/**
 * A fixture with a Makefile, which the hosts hand over as a support file (never analysed), and the Makefile edited
 * in turn: after each edit the incremental findings equal a fresh host's; the Ingresses with a missing backend per edit.
 */
function makefileEdits(fixture: string, edits: ReadonlyArray<(t: string) => string>): string[][] {
  const fx = parseFixture('test-tools', readFileSync(fixture, 'utf8'));
  const makefile = fx.files.find((f) => f.path === 'Makefile');
  assert.ok(makefile !== undefined);
  const files = new Map(fx.files.filter((f) => f !== makefile).map((f) => [f.uri, f.text]));
  const hostWith = (text: string): ReturnType<typeof hostOf> => {
    const h = hostOf(files);
    h.setSupportFile(makefile.uri, text);
    return h;
  };
  const backends = (list: readonly string[]): string[] =>
    list.filter((d) => d.includes(' ingress-backend-missing ')).map((d) => /Ingress "([^"]*)"/.exec(d)?.[1] ?? d);
  const host = hostWith(makefile.text);
  assert.deepEqual(backends(render(host.snapshot().diagnostics())), ['shop/storefront']);
  let text = makefile.text;
  return edits.map((edit) => {
    text = edit(text);
    host.setSupportFile(makefile.uri, text);
    const incremental = render(host.snapshot().diagnostics());
    assert.deepEqual(incremental, render(hostWith(text).snapshot().diagnostics()));
    return backends(incremental);
  });
}

describe('ClusterLoader2 object templates', () => {
  it('an edit of the config that stops or starts naming a template, or of a module it includes, gives the findings of a full pass', () => {
    const { files, host, uriOf } = load(CL2_FIXTURE);
    // The StatefulSet's statefulset-service-missing findings (their severities: the fixture's).
    const findingsIn = (list: readonly string[], suffix: string): number =>
      list.filter((d) => d.includes(`${suffix}:`) && d.includes(' statefulset-service-missing ')).length;
    const initial = render(host.snapshot().diagnostics());
    const statefulSet = '/cl2/statefulset.yaml';
    assert.equal(findingsIn(initial, statefulSet), 0, initial.join('\n'));
    // The config no longer names headless-service.yaml: its Service is `headless-service`, not CL2's `headless-service-0`: a near miss; and back.
    const seen = editPasses(host, files, uriOf('/cl2/config.yaml'), [
      (t) => t.replace('objectTemplatePath: headless-service.yaml', 'objectTemplatePath: other.yaml'),
      (t) => t.replace('objectTemplatePath: other.yaml', 'objectTemplatePath: headless-service.yaml'),
    ]);
    assert.equal(findingsIn(seen[0] ?? [], statefulSet), 1, (seen[0] ?? []).join('\n'));
    assert.deepEqual(seen[1], initial);
    // The module names another template, the phase makes three replicas (names unknown), the config names another module: a full pass's findings each time.
    editPasses(host, files, uriOf('/cl2/modules/statefulsets.yaml'), [(t) => t.replace('statefulset.yaml', 'other.yaml')]);
    const many = editPasses(host, files, uriOf('/cl2/config.yaml'), [
      (t) => t.replace('replicasPerNamespace: 1', 'replicasPerNamespace: 3'),
    ]);
    assert.equal(findingsIn(many[0] ?? [], statefulSet), 1, (many[0] ?? []).join('\n'));
    editPasses(host, files, uriOf('/cl2/config.yaml'), [(t) => t.replace('modules/statefulsets.yaml', 'modules/none.yaml')]);
  });
});

describe('edits of test files stay incremental', () => {
  it('an edit in one test folder judges again the files whose role changed, not the workspace, with the findings of a full pass', () => {
    const files = new Map<string, string>();
    for (const fixture of [KUTTL_FIXTURE, APPLY_FIXTURE, FIXTURE, GLOB_FIXTURE]) for (const [u, t] of load(fixture).files) files.set(u, t);
    const tests = files.size;
    // The rest of the workspace: apps in namespaces of their own, one of them built by a kustomization.
    for (let i = 0; i < 40; i++)
      files.set(`file:///apps/app${i}/app.yaml`, `${deploymentYaml(`app${i}`, '{containerPort: 80}')}\n---\n${serviceYaml(`app${i}`)}\n`);
    files.set('file:///apps/app0/kustomization.yaml', 'namespace: app0\nresources: [app.yaml]\n');
    const host = hostOf(files);
    host.snapshot().diagnostics();
    const uriOf = (suffix: string): string => [...files.keys()].find((u) => u.endsWith(suffix)) ?? '';
    const edits: Array<[string, (t: string) => string]> = [
      // A kuttl step renames the object a later step updates (that step is a manifest now), and back.
      [uriOf('/tests/update/01-create-deployment.yaml'), (t) => t.replace('name: nginx-deployment', 'name: other')],
      [uriOf('/tests/update/01-create-deployment.yaml'), (t) => t.replace('name: other', 'name: nginx-deployment')],
      // A file a chainsaw Test applies before its update, and the Tests themselves, changed where no file changes role.
      [uriOf('/update/deployment.yaml'), (t) => t.replace('replicas: 3', 'replicas: 4')],
      [uriOf('/oidc/chainsaw-test.yaml'), (t) => t.replace('readyReplicas: 1', 'readyReplicas: 2')],
      // A glob of a chainsaw Test names other files.
      [uriOf('/scale/chainsaw-test.yaml'), (t) => t.replace('file: 0*-check.yaml', 'file: "[01]0-*-check.yaml"')],
    ];
    for (const [uri, edit] of edits) {
      const before = files.get(uri);
      editPasses(host, files, uri, [edit]);
      assert.notEqual(files.get(uri), before, uri);
      assert.ok(host.stats.rechecked <= tests, `${uri}: ${host.stats.rechecked} files judged again (the tests hold ${tests})`);
    }
  });
});

describe('files that come and go where the test tools read them', () => {
  it('a file a chainsaw Test applies, a kuttl suite installs or a kuttl command applies, removed and restored, or one that moves the folder a suite reads its testDirs from, gives the findings of a full pass', () => {
    const files = new Map<string, string>();
    for (const fixture of [APPLY_FIXTURE, SUITE_FIXTURE, KUTTL_FIXTURE]) for (const [u, t] of load(fixture).files) files.set(u, t);
    // A Kustomize app beside them: a kustomization that comes and goes changes the layout, not the test sets.
    files.set('file:///apps/web/app.yaml', `${deploymentYaml('web', '{containerPort: 80}')}\n---\n${serviceYaml('web')}\n`);
    const host = hostOf(files);
    host.snapshot().diagnostics();
    const uriOf = (suffix: string): string => [...files.keys()].find((u) => u.endsWith(suffix)) ?? '';
    const edits: Edit[] = [];
    for (const suffix of [
      '/update/deployment.yaml',
      '/e2e/manifests/shared.yaml',
      '/commands/resources/api.yaml',
      '/tests/update/00-install.yaml',
    ]) {
      const uri = uriOf(suffix);
      const text = files.get(uri);
      assert.ok(text !== undefined, suffix);
      edits.push([uri, () => undefined], [uri, () => text]);
    }
    // A plain file in a folder the smoke suite's testDirs name from its own folder: they resolve there now, and back.
    const near = uriOf('/e2e/suites/smoke/kuttl-test.yaml').replace('kuttl-test.yaml', 'smoke-tests/notes.yaml');
    edits.push([near, () => 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n'], [near, () => undefined]);
    const kustomization = 'file:///apps/web/kustomization.yaml';
    edits.push([kustomization, () => 'namespace: web\nresources: [app.yaml]\n'], [kustomization, () => undefined]);
    editsEqualFresh(files, host, edits, undefined);
  });
});

const CI_APPLY_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'ingress-backend-missing', 'ci-apply-namespace.yaml');
const SCRIPT_APPLY_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'ingress-backend-missing', 'script-apply-namespace.yaml');

describe('runners: CI workflows, GitLab CI and shell scripts', () => {
  it('reads the folder each line runs in, and what it applies into a named namespace', () => {
    const texts = new Map([
      [
        'file:///r/.github/workflows/ci.yml',
        [
          'on: [push]',
          'defaults:',
          '  run:',
          '    working-directory: deploy',
          'jobs:',
          '  a:',
          '    steps:',
          '      - run: kubectl apply -n web -f app/',
          '      - run: kubectl apply -n web -f x.yaml',
          '        working-directory: ${{ matrix.dir }}',
          '  b:',
          '    defaults: {run: {working-directory: .}}',
          '    steps:',
          '      - run: |',
          '          cd tests && kubectl kuttl test e2e',
          '          kubectl apply -n $NS -f deploy/app',
          '      - run: ./hack/run.sh',
          '',
        ].join('\n'),
      ],
      ['file:///r/.gitlab-ci.yml', 'stages: [test]\ne2e:\n  script:\n    - cd tests\n    - kubectl apply -n ci -f ./fixtures -R\n'],
      ['file:///r/hack/run.sh', 'cd "$(dirname "$0")/.."\nkubectl apply -n web -f other/\n'],
      ['file:///r/hack/lost.sh', 'kubectl apply -n web -f lost/\nkubectl apply -n web -f "$(dirname "$0")/found"\n'],
    ]);
    const runs = harnessRunsOf(texts.keys(), (u) => texts.get(u));
    const of = (uri: string) => {
      const r = runs.get(uri);
      return { kuttl: r?.kuttl, applies: r?.applies, calls: r?.calls };
    };
    assert.deepEqual(of('file:///r/.github/workflows/ci.yml'), {
      // A working-directory written with an expression: that step's folder is not known, nothing read.
      kuttl: [{ cwd: 'file:///r/tests', config: 'file:///r/tests/kuttl-test.yaml', testDirs: ['file:///r/tests/e2e'] }],
      applies: [{ file: 'file:///r/deploy/app', namespace: 'web' }],
      calls: [{ script: 'file:///r/hack/run.sh', cwd: 'file:///r' }],
    });
    assert.deepEqual(of('file:///r/.gitlab-ci.yml').applies, [{ file: 'file:///r/tests/fixtures', namespace: 'ci', recursive: true }]);
    assert.deepEqual(of('file:///r/hack/run.sh').applies, [{ file: 'file:///r/other', namespace: 'web' }]);
    // A script nothing runs: only its paths from its own folder are read.
    assert.deepEqual(of('file:///r/hack/lost.sh').applies, [{ file: 'file:///r/hack/found', namespace: 'web' }]);
  });

  it('edits of a workflow, of a file in a folder it applies and of a file that comes there give a full pass', () => {
    const fx = parseFixture('test-tools', readFileSync(CI_APPLY_FIXTURE, 'utf8'));
    const files = new Map(fx.files.map((f) => [f.uri, f.text]));
    const host = hostOf(files);
    const uri = (path: string): string => fx.files.find((f) => f.path === path)?.uri ?? assert.fail(path);
    const workflow = uri('.github/workflows/e2e.yml');
    const ingress = uri('apps/storefront/ingress.yaml');
    const added = ingress.replace('ingress.yaml', 'orders.yaml');
    editsEqualFresh(
      files,
      host,
      [
        [workflow, (t) => t?.replace('--namespace shop', '--namespace other')],
        [workflow, (t) => t?.replace('--namespace other', '--namespace shop')],
        [ingress, (t) => t?.replace('name: search', 'name: lookup')],
        [added, () => (files.get(ingress) ?? '').replace('name: storefront', 'name: orders')],
        [added, () => undefined],
        [workflow, (t) => t?.replace('-f storefront/', '-f catalog/')],
        [workflow, () => undefined],
      ],
      undefined,
    );
  });

  it("edits of a script and of the Makefile that runs it give a full pass's findings", () => {
    const fx = parseFixture('test-tools', readFileSync(SCRIPT_APPLY_FIXTURE, 'utf8'));
    const support = fx.files.filter((f) => f.path === 'Makefile' || f.path.endsWith('.sh'));
    const files = new Map(fx.files.filter((f) => !support.includes(f)).map((f) => [f.uri, f.text]));
    const texts = new Map(support.map((f) => [f.uri, f.text]));
    const hostWith = (): ReturnType<typeof hostOf> => {
      const h = hostOf(files);
      for (const [u, t] of texts) h.setSupportFile(u, t);
      return h;
    };
    const host = hostWith();
    const backends = (list: readonly string[]): string[] =>
      list.filter((d) => d.includes(' ingress-backend-missing ')).map((d) => /Ingress "([^"]*)"/.exec(d)?.[1] ?? d);
    const script = support.find((f) => f.path.endsWith('.sh'))?.uri ?? assert.fail('no script');
    const makefile = support.find((f) => f.path === 'Makefile')?.uri ?? assert.fail('no Makefile');
    const seen: string[][] = [];
    for (const [u, edit] of [
      [script, (t: string) => t.replace('-n shop -f apps/storefront', '-n other -f apps/storefront')],
      // The Makefile runs the script from hack/: apps/storefront is no folder there (the SCRIPT_DIR path still is).
      [makefile, (t: string) => t.replace('\t./hack/deploy.sh', '\tcd hack && ./deploy.sh')],
      [makefile, (t: string) => t.replace('\tcd hack && ./deploy.sh', '\t./hack/deploy.sh')],
      [script, (t: string) => t.replace('-n other -f apps/storefront', '-n shop -f apps/storefront')],
    ] as const) {
      texts.set(u, edit(texts.get(u) ?? ''));
      host.setSupportFile(u, texts.get(u));
      const incremental = render(host.snapshot().diagnostics());
      assert.deepEqual(incremental, render(hostWith().snapshot().diagnostics()));
      seen.push(backends(incremental));
    }
    assert.deepEqual(seen, [['shop/orders', 'other/storefront'], ['shop/orders'], ['shop/orders', 'other/storefront'], ['shop/orders']]);
  });
});
