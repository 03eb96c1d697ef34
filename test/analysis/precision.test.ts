/**
 * Precision: the known-good corpus and every "must not warn" fixture produce no warning and no
 * error (information and hints are allowed: they state facts).
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { corpusFiles, hostFor } from '../support/corpus.js';
import { analyseFixture, parseFixture } from '../support/fixture.js';

describe('precision', () => {
  it('the known-good corpus has no warning or error', () => {
    const files = corpusFiles();
    assert.ok(files.size >= 20, `corpus has ${files.size} files`);
    const analysis = hostFor(files).snapshot();
    const loud = [...analysis.diagnostics()].flatMap(([uri, list]) =>
      list.filter((d) => d.severity === 'warning' || d.severity === 'error').map((d) => `${uri}: ${d.code}: ${d.message}`),
    );
    assert.deepEqual(loud, []);
  });

  const dir = join(__dirname, '..', 'fixtures', 'checks', 'must-not-warn');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    it(`must-not-warn/${file} has no warning or error`, () => {
      const fx = parseFixture(`must-not-warn/${file}`, readFileSync(join(dir, file), 'utf8'));
      const { analysis } = analyseFixture(fx);
      const loud = fx.files.flatMap((f) =>
        analysis
          .diagnosticsFor(f.uri)
          .filter((d) => d.severity === 'warning' || d.severity === 'error')
          .map((d) => `${f.path}: ${d.code}`),
      );
      assert.deepEqual(loud, []);
    });
  }
});
