/**
 * A check that throws on a file loses its findings there, never the pass (docs/protocol.md,
 * `checkFailures`): its partial findings are dropped, the failure is reported with the check and
 * the file, and the other checks' findings stay.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnalysisHost, CHECKS, DEFAULT_SETTINGS } from '../../analysis/index.js';
import type { Check } from '../../analysis/index.js';

const BROKEN = 'file:///ws/broken.yaml';
const OTHER = 'file:///ws/other.yaml';
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: Web_1\nspec:\n  ports:\n  - port: 80\n';

/** Reports a finding on every file, then throws on BROKEN while it holds `Web_1`. */
const thrower: Check = {
  code: 'test-thrower',
  defaultSeverity: 'warning',
  summary: 'test',
  doc: 'test',
  run(ctx) {
    for (const f of ctx.files) {
      ctx.report({ uri: f.uri, span: { start: 0, end: 1 }, message: 'partial', confidence: 'definite', severity: 'warning' });
      if (f.uri === BROKEN && ctx.text(f.uri)?.includes('Web_1') === true) throw new Error('boom');
    }
  },
};

test('a check that throws loses its partial findings on that file, is reported, and the other checks still count', () => {
  const host = new AnalysisHost(DEFAULT_SETTINGS, { checks: [...CHECKS, thrower] });
  host.setFile(BROKEN, SERVICE);
  host.setFile(OTHER, SERVICE);
  const analysis = host.snapshot();
  const codes = (uri: string): string[] => analysis.diagnosticsFor(uri).map((d) => d.code);
  assert.deepEqual(
    analysis.checkFailures().map((f) => [f.code, f.uri, f.message.split('\n')[0]]),
    [['test-thrower', BROKEN, 'Error: boom']],
  );
  assert.ok(!codes(BROKEN).includes('test-thrower'), 'the partial finding was dropped');
  assert.ok(codes(BROKEN).includes('api-invalid-name'), 'the other checks still ran on the file');
  assert.ok(codes(OTHER).includes('test-thrower'), 'the check still counts on the files it did not throw on');
  // Once the file no longer trips it, the next pass reports no failure and the finding is back.
  host.setFile(BROKEN, SERVICE.replace('Web_1', 'web'));
  const next = host.snapshot();
  assert.deepEqual(next.checkFailures(), []);
  assert.ok(next.diagnosticsFor(BROKEN).some((d) => d.code === 'test-thrower'));
});
