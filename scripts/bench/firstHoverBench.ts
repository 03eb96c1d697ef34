/**
 * The latency of a hover sent the moment a cold pass's analysis completes (the first diagnostics are
 * out): the server then indexes which checked unit read which dependency key for later edits
 * (`AnalysisHost.prepareForEdits`), and a request that arrives meanwhile waits for what one turn of
 * its event loop does. Per run: the server started on the generated workspace as the editor starts
 * it (dist/server.js over stdio), a hover on a Service's selector sent as soon as
 * `kubeReach/analysisComplete` arrives, then one on another Service two seconds later (idle) for
 * comparison (both the first hover of their Service). Build first (`node scripts/build.mjs`).
 * `node --import tsx scripts/bench/firstHoverBench.ts [manifests=10000] [mix=netpol] [runs=3]`.
 * A developer tool: never a test.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateWorkspace, writeWorkspace } from './generate.js';
import type { Mix } from './generate.js';
import { BenchClient, positionOf } from './lspClient.js';
import { median } from './stats.js';
import { DEFAULT_SERVER_MEMORY_MB, serverNodeFlags } from '../../protocol/serverProcess.js';
import { AnalysisHost, PREPARE_KEYS_PER_TURN } from '../../analysis/index.js';

const manifests = Number(process.argv[2] ?? 10_000);
const mix = (process.argv[3] ?? 'netpol') as Mix;
const runs = Number(process.argv[4] ?? 3);
const repo = join(__dirname, '..', '..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const ws = generateWorkspace(manifests, 1, mix);
  const root = mkdtempSync(join(tmpdir(), `kube-reach-first-hover-${mix}-`));
  const first: number[] = [];
  const idle: number[] = [];
  const t1: number[] = [];
  try {
    writeWorkspace(root, ws);
    const apps = ws.splitApps;
    for (let r = 0; r < runs; r++) {
      // Two Services never hovered before: one right after the first diagnostics, the other when idle.
      const hoverOn = (i: number): { textDocument: { uri: string }; position: { line: number; character: number } } => {
        const app = apps[i % apps.length];
        if (app === undefined) throw new Error('workspace too small: needs split apps');
        const text = ws.files.get(app.serviceFile) ?? '';
        return {
          textDocument: { uri: pathToFileURL(join(root, app.serviceFile)).href },
          position: positionOf(text, text.indexOf('selector:') + 2),
        };
      };
      const client = new BenchClient(
        process.execPath,
        [...serverNodeFlags(DEFAULT_SERVER_MEMORY_MB), join(repo, 'dist/server.js'), '--stdio'],
        root,
      );
      try {
        const started = await client.start(root);
        const hover = async (params: ReturnType<typeof hoverOn>): Promise<number> => {
          const t0 = performance.now();
          const answer = await client.connection.sendRequest('textDocument/hover', params);
          if (answer === null) throw new Error(`no hover on ${params.textDocument.uri}`);
          return performance.now() - t0;
        };
        first.push(await hover(hoverOn(r * 7)));
        t1.push(started.t1);
        await sleep(2_000);
        idle.push(await hover(hoverOn(r * 7 + 3)));
      } finally {
        await client.close();
      }
      process.stderr.write(`  run ${r + 1}/${runs}: T1 ${t1.at(-1)?.toFixed(0)} ms, first hover ${first.at(-1)?.toFixed(1)} ms\n`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const fmt = (xs: readonly number[]): string => `median ${median(xs).toFixed(1)} ms [${xs.map((x) => x.toFixed(1)).join(', ')}]`;
  console.log(`${ws.files.size} files (${manifests} manifests, ${mix} mix); cold pass T1 ${fmt(t1)}`);
  console.log(`hover right after the first diagnostics: ${fmt(first)}`);
  console.log(`another Service's first hover, idle (2 s later): ${fmt(idle)}`);
}

/**
 * In process (`inprocess` as the fourth argument): the cold pass, then the index made the way the server makes it, a
 * slice of units at a time; prints the whole (what a request waited for when it was one block) and the longest slice.
 */
function inProcess(): void {
  const ws = generateWorkspace(manifests, 1, mix);
  const host = new AnalysisHost();
  for (const [rel, text] of ws.files) host.setFile(`file:///ws/${rel}`, text);
  const t0 = performance.now();
  host.snapshot().diagnostics();
  const cold = performance.now() - t0;
  const units = host.unpreparedCount();
  const slices: number[] = [];
  while (host.unpreparedCount() > 0) {
    const t = performance.now();
    host.prepareForEdits(PREPARE_KEYS_PER_TURN);
    slices.push(performance.now() - t);
  }
  const total = slices.reduce((a, b) => a + b, 0);
  console.log(`${ws.files.size} files (${manifests} manifests, ${mix} mix); cold pass ${cold.toFixed(0)} ms; ${units} checked units`);
  console.log(
    `index of which unit read which key: ${total.toFixed(0)} ms in all, ${slices.length} slices of ${PREPARE_KEYS_PER_TURN} keys, ` +
      `longest ${Math.max(...slices).toFixed(1)} ms, median ${median(slices).toFixed(1)} ms`,
  );
}

if (process.argv[5] === 'inprocess') inProcess();
else void main();
