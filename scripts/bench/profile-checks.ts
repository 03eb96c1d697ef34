/**
 * In-process profile of the analysis passes on a generated workspace: cold snapshot, the cold
 * pass's checks one by one, the dependency keys they recorded, and a re-analysis after editing one
 * file. `node --import tsx scripts/bench/profile-checks.ts [size] [default|netpol] [code,code…]`.
 * A developer tool beside `npm run bench` (which measures the real server over LSP); run it under
 * `node --cpu-prof` for where the time goes inside a check.
 *
 * Per check: the wall time of its `run` over every file of the cold pass, which includes the
 * reachability engines it is the first to ask for (`ctx.reach`, built lazily). On a loaded machine
 * those short windows pick up the time the process was descheduled: there, compare the check
 * phase's CPU (printed too) with checks turned off (the third argument: codes set to `off`), one
 * run each way, alternated. Keys: what the warm-start cache stores (`AnalysisHost.checksForCache`),
 * by prefix (`svcsel:`, `nslabel:`…, analysis/workspace/workspaceIndex.ts): the (unit, key) pairs
 * and the distinct keys.
 */

import { AnalysisHost, DEFAULT_SETTINGS } from '../../analysis/index.js';
import { CHECKS } from '../../analysis/checks/registry.js';
import type { Check } from '../../analysis/checks/support/check.js';
import { generateWorkspace } from './generate.js';
import type { Mix } from './generate.js';
import { WorkspaceIndex } from '../../analysis/workspace/workspaceIndex.js';

const size = Number(process.argv[2] ?? 10000);
const mix: Mix = process.argv[3] === 'netpol' ? 'netpol' : 'default';
const ws = generateWorkspace(size, 20261126, mix);
const spent = new Map<string, number>();
let timing = true;
const timed: Check[] = CHECKS.map((c) => ({
  ...c,
  run(ctx) {
    if (!timing) return c.run(ctx);
    const t0 = performance.now();
    try {
      c.run(ctx);
    } finally {
      spent.set(c.code, (spent.get(c.code) ?? 0) + performance.now() - t0);
    }
  },
}));
const off = (process.argv[4] ?? '').split(',').filter((code) => code !== '');
const settings = {
  ...DEFAULT_SETTINGS,
  severity: { ...DEFAULT_SETTINGS.severity, ...Object.fromEntries(off.map((code) => [code, 'off' as const])) },
};
const host = new AnalysisHost(settings, { checks: timed });
const files = [...ws.files];
for (const [path, text] of files) host.setFile(`file:///bench/${path}`, text);
let t = performance.now();
let a = host.snapshot({ deferChecks: true });
const tParse = performance.now() - t;
t = performance.now();
const cpu0 = process.cpuUsage();
const diags = a.diagnostics();
const cpu = process.cpuUsage(cpu0);
const tChecks = performance.now() - t;
timing = false;
console.log(
  `${size} manifests (${mix}), ${files.length} files${off.length > 0 ? `, off: ${off.join(', ')}` : ''}: cold snapshot ${tParse.toFixed(0)} ms, checks ${tChecks.toFixed(0)} ms (CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms), ${[...diags.values()].reduce((n, l) => n + l.length, 0)} diagnostics`,
);
let inRun = 0;
for (const ms of spent.values()) inRun += ms;
console.log(`checks' run ${inRun.toFixed(0)} ms (engines built inside the first check to ask), the top 12:`);
for (const [code, ms] of [...spent].sort((x, y) => y[1] - x[1]).slice(0, 12))
  console.log(`  ${ms.toFixed(0).padStart(6)} ms ${((100 * ms) / inRun).toFixed(1).padStart(5)} %  ${code}`);
const cached = host.checksForCache();
if (cached !== undefined) {
  const pairs = new Map<string, number>();
  const distinct = new Map<string, number>();
  let total = 0;
  for (const u of cached.units)
    for (const i of u.deps) {
      const prefix = (cached.keys[i] ?? '').split(':')[0] ?? '';
      pairs.set(prefix, (pairs.get(prefix) ?? 0) + 1);
      total++;
    }
  for (const k of cached.keys) {
    const prefix = k.split(':')[0] ?? '';
    distinct.set(prefix, (distinct.get(prefix) ?? 0) + 1);
  }
  console.log(`dependency keys: ${cached.units.length} units, ${total} (unit, key) pairs, ${cached.keys.length} distinct keys; by prefix:`);
  for (const [prefix, n] of [...pairs].sort((x, y) => y[1] - x[1]).slice(0, 10))
    console.log(`  ${prefix.padEnd(16)} ${String(n).padStart(8)} pairs ${String(distinct.get(prefix) ?? 0).padStart(7)} keys`);
}
const times: number[] = [];
for (let i = 0; i < 10; i++) {
  const [path, text] = files[(i * 7919) % files.length] ?? ['', ''];
  host.setFile(`file:///bench/${path}`, text + `\n# edit ${i}\n`);
  t = performance.now();
  a = host.snapshot();
  a.diagnostics();
  times.push(performance.now() - t);
}
times.sort((x, y) => x - y);
console.log(`edit passes: median ${times[5]?.toFixed(1)} ms, max ${times[9]?.toFixed(1)} ms`);
{
  const facts = new Map([...a.index.files]);
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) new WorkspaceIndex(facts);
  console.log(`index rebuild: ${((performance.now() - t0) / 5).toFixed(1)} ms`);
}
