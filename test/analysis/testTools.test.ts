/**
 * Files a chainsaw Test names as partial objects (model/testTools.ts, units/structure.ts
 * `testPartials`): an edit of the test that stops or starts naming a patch file gives the findings
 * of a full pass. The checks' side is the fixture api-required-value/chainsaw-patch-file.yaml.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseFixture } from '../support/fixture.js';
import { editPasses } from '../support/editPasses.js';
import { hostOf, render } from '../support/gitops.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'api-required-value', 'chainsaw-patch-file.yaml');

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
});
