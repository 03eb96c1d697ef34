/**
 * The plain readings the host offers the Kustomize layout (syntax/parseMemo.ts) are exactly what
 * the layout would read itself: for every file of every check fixture, an offered reading is
 * `parseFile(text)` (deep-equal), and a text read otherwise (a guessed template, a flow dash or a
 * quote continuation read as go-yaml reads it) is never offered.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { parseFile, parseManifest } from '../../analysis/syntax/parse.js';
import { offeredPlainParse } from '../../analysis/syntax/parseMemo.js';
import { virtualFiles } from '../support/kustomize.js';
import { AnalysisHost } from '../../analysis/host.js';

const root = join(__dirname, '..', 'fixtures', 'checks');

it('an offered plain reading is parseFile(text); a text read another way is not offered', () => {
  let offered = 0;
  let other = 0;
  for (const code of readdirSync(root)) {
    for (const name of readdirSync(join(root, code))) {
      for (const [uri, text] of virtualFiles(readFileSync(join(root, code, name), 'utf8'))) {
        const read = parseManifest(text);
        const plain = parseFile(text);
        const hit = offeredPlainParse(text);
        if (plain.errors.length === 0) {
          assert.equal(hit, read, `${code}/${name} ${uri}: the host's reading is offered`);
          assert.deepEqual(hit, plain, `${code}/${name} ${uri}`);
          offered++;
        } else {
          // Offered only by another file of the same text that read cleanly, which this one did not.
          assert.equal(hit, undefined, `${code}/${name} ${uri}: a reading with errors is never offered`);
          other++;
        }
      }
    }
  }
  assert.ok(offered > 200 && other > 20, `${offered} offered, ${other} read with errors or otherwise`);
});

it('the host offers plain readings only while it holds a kustomization file', () => {
  const text = (n: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: memo-${n}\ndata:\n  a: "1"\n`;
  const host = new AnalysisHost();
  host.setFile('file:///ws/plain/a.yaml', text('without'));
  host.snapshot();
  assert.equal(offeredPlainParse(text('without')), undefined, 'no kustomization: nothing kept');
  host.setFile('file:///ws/app/kustomization.yaml', 'resources:\n  - b.yaml\n');
  host.setFile('file:///ws/app/b.yaml', text('with'));
  host.snapshot();
  assert.notEqual(offeredPlainParse(text('with')), undefined, 'a kustomization: the reading is offered');
  host.removeFile('file:///ws/app/kustomization.yaml');
  host.setFile('file:///ws/plain/c.yaml', text('after'));
  host.snapshot();
  assert.equal(offeredPlainParse(text('after')), undefined, 'the kustomization removed: nothing kept again');
});
