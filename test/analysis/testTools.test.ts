/**
 * Files a chainsaw Test names as partial objects (model/testTools.ts, units/structure.ts
 * `testPartials`): an edit of the test that stops or starts naming a patch file, or changes a glob,
 * and a file added where a glob matches, give the findings of a full pass. The checks' side is the
 * fixtures api-required-value/chainsaw-patch-file.yaml, chainsaw-glob-file.yaml and kuttl-test-step.yaml.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseFixture } from '../support/fixture.js';
import { editPasses } from '../support/editPasses.js';
import { hostOf, render } from '../support/gitops.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'api-required-value', 'chainsaw-patch-file.yaml');
const GLOB_FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'api-required-value', 'chainsaw-glob-file.yaml');

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
      // The step applies the file instead of patching with it: a manifest, incomplete, reported.
      (t) => t.replace('- patch:\n            file: 01-', '- apply:\n            file: 01-'),
      (t) => t.replace('- apply:\n            file: 01-', '- patch:\n            file: 01-'),
    ];
    const seen = editPasses(host, files, test, edits);
    assert.equal(errorsIn(seen[0] ?? [], patchFile), 1, (seen[0] ?? []).join('\n'));
    assert.deepEqual(seen[1], initial);
  });

  it('a glob edited in the test, and a file added where a glob matches, give the findings of a full pass', () => {
    const fx = parseFixture('chainsaw-glob', readFileSync(GLOB_FIXTURE, 'utf8'));
    const files = new Map(fx.files.map((f) => [f.uri, f.text]));
    const uriOf = (suffix: string): string => [...files.keys()].find((u) => u.endsWith(suffix)) ?? '';
    const test = uriOf('/chainsaw-test.yaml');
    const host = hostOf(files);
    const reported = (list: readonly string[]): string[] =>
      list
        .filter((d) => d.includes('api-required-value'))
        .map((d) => d.slice(0, d.indexOf(':', d.indexOf('.yaml'))).replace(/^.*\/e2e\//, ''))
        .sort();
    const initial = render(host.snapshot().diagnostics());
    assert.deepEqual(reported(initial), ['scale/10-web-check.yaml', 'shared/nested/web-nested.yaml'], initial.join('\n'));
    // `[01]0-*` matches steps 00 and 10, not 01.
    const seen = editPasses(host, files, test, [(t) => t.replace('file: 0*-check.yaml', 'file: "[01]0-*-check.yaml"')]);
    assert.deepEqual(reported(seen[0] ?? []), ['scale/01-db-check.yaml', 'shared/nested/web-nested.yaml'], (seen[0] ?? []).join('\n'));
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
    assert.deepEqual(reported(after), ['scale/01-db-check.yaml', 'scale/21-web.yaml', 'shared/nested/web-nested.yaml'], after.join('\n'));
  });
});
