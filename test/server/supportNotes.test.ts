/**
 * Diagnostics on a file that is no manifest: a `.fleetignore` outside every Fleet bundle, with bundles
 * below it, carries its note itself (analysis/units/fleetIgnoreNotes.ts); the server publishes it on the
 * `.fleetignore`'s uri (a support file, read with the `.gitignore` files), at its first pattern's line.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';
import { pathToUri } from '../../server/uris.js';

const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {a: b}\n`;

const PATTERN = '*.bak';
const IGNORE = `# left out of every bundle, Fleet would not read it\n${PATTERN}\n`;

let ws: { root: string; cleanup: () => void };
before(() => {
  ws = tempWorkspace({
    '.fleetignore': IGNORE,
    'web/fleet.yaml': 'defaultNamespace: web\n',
    'web/app.yaml': configMap('web'),
    'api/fleet.yaml': 'defaultNamespace: api\n',
    'api/app.yaml': configMap('api'),
  });
});
after(() => ws.cleanup());

test('a .fleetignore outside every Fleet bundle gets its note published on itself', async () => {
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  try {
    await h.initialize();
    await h.analysisComplete();
    const uri = pathToUri(join(ws.root, '.fleetignore'));
    const last = h.publications(uri).at(-1);
    assert.ok(last !== undefined, 'a publication for the .fleetignore');
    assert.deepEqual(
      last.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.range.end.character]),
      // Information (LSP severity 3) on the first pattern's line, over the pattern.
      [['kustomize-build-problem', 3, IGNORE.split('\n').indexOf(PATTERN), 0, PATTERN.length]],
    );
  } finally {
    h.dispose();
  }
});
