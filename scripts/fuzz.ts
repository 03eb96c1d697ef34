/**
 * `npm run fuzz [cases] [seed]`: the long run of the standing campaign (issue 20). The whole
 * hostile corpus (test/support/hostile.ts, long cases included) and seeded mutations of every
 * check fixture (test/support/fuzz.ts, 20,000 by default) through the analysis host, then a tenth
 * as many through the language server (test/server/fuzzServer.ts: every version published, every
 * request answered, the server still serving afterwards); stops at the first case that throws or
 * runs past its budget, printing the seed and case to reproduce it. `npm test` runs the short
 * version (test/analysis/hostile.test.ts, test/analysis/fuzz.test.ts, test/server/hostile.test.ts,
 * test/server/fuzz.test.ts).
 */

import { join } from 'node:path';
import { AnalysisHost } from '../analysis/index.js';
import { HOSTILE } from '../test/support/hostile.js';
import { fixtureTexts, fuzzHost } from '../test/support/fuzz.js';
import { fuzzServer } from '../test/server/fuzzServer.js';

const root = join(__dirname, '..');
const cases = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? Date.now() % 2_147_483_647);
let failed = 0;
for (const c of HOSTILE) {
  const text = c.text();
  const host = new AnalysisHost();
  const t0 = performance.now();
  let codes: string[];
  try {
    host.setFile('file:///fuzz/hostile.yaml', text);
    codes = host
      .snapshot()
      .diagnosticsFor('file:///fuzz/hostile.yaml')
      .map((d) => d.code);
  } catch (e) {
    failed++;
    console.log(`THREW  ${c.name}: ${e instanceof Error ? e.message : String(e)}`);
    continue;
  }
  const ms = performance.now() - t0;
  const ok = (c.expect === undefined || codes.includes(c.expect)) && (c.forbid === undefined || !codes.includes(c.forbid)) && ms < 10_000;
  if (!ok) failed++;
  console.log(`${ok ? 'ok    ' : 'FAILED'} ${c.name}: ${ms.toFixed(0)} ms, ${codes.join(', ') || 'no findings'}`);
}
const texts = fixtureTexts(root);
const t0 = performance.now();
try {
  const r = fuzzHost(texts, seed, cases, 10_000, () => performance.now());
  console.log(
    `ok     ${r.cases} mutations of ${texts.length} fixtures (seed ${seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s; slowest case ${r.slowest}: ${r.slowestMs.toFixed(0)} ms; heap ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MB`,
  );
} catch (e) {
  failed++;
  console.log(`FAILED ${e instanceof Error ? e.message : String(e)}`);
}
async function serverStage(): Promise<void> {
  const count = Math.max(1, Math.round(cases / 10));
  const t1 = performance.now();
  try {
    const r = await fuzzServer(texts, seed, count, 10_000);
    console.log(
      `ok     ${r.cases} mutations through the language server (seed ${seed}) in ${((performance.now() - t1) / 1000).toFixed(1)} s; slowest case ${r.slowest}: ${r.slowestMs.toFixed(0)} ms; the server still serving`,
    );
  } catch (e) {
    failed++;
    console.log(`FAILED ${e instanceof Error ? e.message : String(e)}`);
  }
}
void serverStage().then(() => process.exit(failed === 0 ? 0 : 1));
