/**
 * `kube-reach convert` (docs/cli.md): prints what the editor's "Convert to Gateway API" appends,
 * as YAML with the notes as comments or as one JSON List; exit 2 when nothing converts.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import type { CliRun } from '../support/cli.js';

const root = join(__dirname, '..', '..');
const fixtures = 'test/fixtures/convert';

const run = (args: string[]): Promise<CliRun> => runCli(args, root);

describe('kube-reach convert', () => {
  it('prints the documents the editor appends (the golden case)', async () => {
    const r = await run(['convert', `${fixtures}/annotations.yaml`]);
    assert.equal(r.code, 0, r.err);
    const golden = readFileSync(join(root, fixtures, 'annotations.converted.yaml'), 'utf8');
    const appended = golden.slice(golden.indexOf('---\n# Converted from'));
    assert.equal(r.out, appended.endsWith('\n') ? appended : `${appended}\n`);
    assert.match(r.err, /converted Ingress shop\/api: 2 objects, 4 not converted/);
  });

  it('--format json prints one List, the notes in an annotation', async () => {
    const r = await run(['convert', `${fixtures}/annotations.yaml`, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const list = JSON.parse(r.out) as { kind: string; items: Array<{ kind: string; metadata: { annotations?: Record<string, string> } }> };
    assert.equal(list.kind, 'List');
    assert.deepEqual(
      list.items.map((i) => i.kind),
      ['Gateway', 'HTTPRoute'],
    );
    assert.match(list.items[1]?.metadata.annotations?.['kube-reach.io/not-converted'] ?? '', /limit-rps/);
  });

  it('--ingress picks one; nothing to convert exits 2', async () => {
    const one = await run(['convert', `${fixtures}/canary.yaml`, '--ingress', 'shop/shop']);
    assert.equal(one.code, 0, one.err);
    assert.match(one.out, /weight: 20/);
    const canary = await run(['convert', `${fixtures}/canary.yaml`, '--ingress', 'shop/shop-canary']);
    assert.equal(canary.code, 2);
    assert.match(canary.err, /no Ingress shop\/shop-canary to convert/);
    const bad = await run(['convert', `${fixtures}/basic.yaml`, '--format', 'xml']);
    assert.equal(bad.code, 2);
  });
});
