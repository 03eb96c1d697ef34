/** The seeded mutation fuzzer through the language server, short budget (`npm run fuzz`: long). */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureTexts } from '../support/fuzz.js';
import { fuzzServer } from './fuzzServer.js';

test('mutated fixtures through the server: every version published, every request answered, the server still serving', async () => {
  const texts = fixtureTexts(join(__dirname, '..', '..'));
  const seed = 20_261_206;
  const r = await fuzzServer(texts, seed, 40, 20_000);
  assert.equal(r.cases, 40);
});
