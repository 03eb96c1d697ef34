/**
 * The standing campaign, short run (`npm run fuzz` is the long one): seeded mutations of every
 * check fixture through the analysis host. No case throws or takes longer than a budget far above
 * its usual few milliseconds, and memory stays bounded.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureTexts, fuzzHost } from '../support/fuzz.js';

test('seeded fixture mutations through the analysis host: no throw, no stall', () => {
  const texts = fixtureTexts(join(__dirname, '..', '..'));
  const heapBefore = process.memoryUsage().heapUsed;
  const r = fuzzHost(texts, 20261205, 400, 10_000, () => performance.now());
  assert.equal(r.cases, 400);
  // Bounded memory: one host, two files; what the cases leave behind is collected.
  const grown = process.memoryUsage().heapUsed - heapBefore;
  assert.ok(grown < 512 * 1024 * 1024, `heap grew by ${(grown / 1024 / 1024).toFixed(0)} MB`);
});
