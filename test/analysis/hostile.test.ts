/**
 * The hostile corpus (test/support/hostile.ts) through the analysis host the CLI and the server
 * use: every file gives its expected finding, never a throw, the rest of the workspace is still
 * analysed, and editor features answer. Work is bounded by the input limits (asserted through the
 * findings); wall time is asserted only with a wide margin (a loaded 2-core machine).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisHost, DEFAULT_SETTINGS } from '../../analysis/index.js';
import { LIMITS } from '../../analysis/syntax/limits.js';
import { HOSTILE } from '../support/hostile.js';

const HEALTHY = 'file:///ws/ok/svc.yaml';
const HEALTHY_TEXT = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: Web_1\nspec:\n  ports:\n  - port: 80\n';
/** Per case, far above the ~1 s the slowest takes on an idle machine (work is bounded by the limits, asserted through the findings). */
const BUDGET_MS = 60_000;

describe('hostile corpus through the analysis host', () => {
  for (const c of HOSTILE.filter((x) => x.long !== true)) {
    it(c.name, () => {
      const text = c.text();
      const uri = 'file:///ws/hostile/file.yaml';
      const host = new AnalysisHost();
      host.setFile(HEALTHY, HEALTHY_TEXT);
      host.setFile(uri, text);
      const t0 = performance.now();
      const analysis = host.snapshot();
      const codes = analysis.diagnosticsFor(uri).map((d) => d.code);
      // Editor features re-parse the file: on the small cases only (the large ones' parse is timed above).
      if (text.length < 200_000) {
        const offset = Math.floor(text.length / 2);
        analysis.hover(uri, offset);
        analysis.completion(uri, offset);
        analysis.definition(uri, offset);
      }
      analysis.symbols(uri);
      analysis.codeLenses(uri);
      const ms = performance.now() - t0;
      if (c.expect !== undefined) assert.ok(codes.includes(c.expect), `expected ${c.expect}, got ${codes.join(', ') || 'nothing'}`);
      if (c.forbid !== undefined) assert.ok(!codes.includes(c.forbid), `unexpected ${c.forbid}`);
      assert.equal(codes.filter((x) => x === 'input-limit').length <= 1, true, 'one input-limit finding per file');
      // The rest of the workspace is analysed.
      assert.ok(
        analysis.diagnosticsFor(HEALTHY).some((d) => d.code === 'api-invalid-name'),
        'the healthy file lost its finding',
      );
      assert.ok(ms < BUDGET_MS, `${ms.toFixed(0)} ms`);
      // An edit back to a healthy text clears the finding.
      host.setFile(uri, HEALTHY_TEXT.replace('Web_1', 'web'));
      assert.deepEqual(
        host
          .snapshot()
          .diagnosticsFor(uri)
          .map((d) => d.code),
        [],
      );
    });
  }
});

describe('input limits', () => {
  it('a file past the workspace object limit is not analysed; the others are', () => {
    const host = new AnalysisHost(DEFAULT_SETTINGS, { objectsPerWorkspace: 3 });
    const cm = (n: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n`;
    host.setFile('file:///ws/a.yaml', [cm('a'), cm('b')].join('---\n'));
    host.setFile('file:///ws/b.yaml', [cm('c'), cm('d')].join('---\n'));
    const a = host.snapshot();
    assert.equal(a.index.files.get('file:///ws/a.yaml')?.objects.length, 2);
    assert.deepEqual(
      a.diagnosticsFor('file:///ws/b.yaml').map((d) => d.code),
      ['input-limit'],
    );
    assert.match(a.diagnosticsFor('file:///ws/b.yaml')[0]?.message ?? '', /would hold 4 objects, over the limit of 3/);
    // Removing the first file makes room.
    host.removeFile('file:///ws/a.yaml');
    host.setFile('file:///ws/b.yaml', [cm('c'), cm('d')].join('---\n') + '\n');
    assert.deepEqual(host.snapshot().diagnosticsFor('file:///ws/b.yaml'), []);
  });

  it('real depth passes: a 200-level block map with block scalars and flow values is analysed', () => {
    let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n';
    for (let i = 0; i < 200; i++)
      text += `${' '.repeat(2 + i * 2)}k${i}: ${i % 10 === 0 ? '|\n' + ' '.repeat(4 + i * 2) + 'text: [[[ {{ not yaml\n' + ' '.repeat(2 + i * 2) + `m${i}:` : ''}\n`;
    const host = new AnalysisHost();
    host.setFile('file:///ws/deep.yaml', text);
    assert.deepEqual(
      host
        .snapshot()
        .diagnosticsFor('file:///ws/deep.yaml')
        .map((d) => d.code),
      [],
    );
    assert.ok(LIMITS.depth >= 200);
  });
});
