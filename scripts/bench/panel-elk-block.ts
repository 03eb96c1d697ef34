/**
 * How long the panel's cold elkjs layout blocks the extension host (issue #16): the generated
 * workspace's first-paint model (the panel bench's, 1,000 manifests by default) refined by elkjs
 * (client/panel/layout.ts `layoutGraph`), once with elkjs in this process (as the extension host
 * ran it before) and once in the webview's worker (webview/layoutWorker.ts: the real webview
 * bundle and dist/elk-worker.js in headless Chromium, the messages going through the page as the
 * panel's do). For each: the wall time, this process's CPU time, its longest event-loop stall and
 * the sum of its stalls over 50 ms (`perf_hooks.monitorEventLoopDelay` and a 10 ms ticker), and in the worker
 * run the page's long tasks (its main thread). Both runs are cold: the worker run goes first (it
 * never loads elkjs here), the layouts made are forgotten between them.
 *
 * Usage: node --import tsx scripts/bench/panel-elk-block.ts [--manifests N]   (after npm run build)
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgetLayouts, layoutGraph } from '../../client/panel/layout.js';
import { StubHost, elkInPage, modelOfFolder } from '../../test/webview/stubHost.js';
import { generateWorkspace, writeWorkspace } from './generate.js';
import { blocking } from './stats.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) ? v : fallback;
}

const ms = (v: number): string => `${v.toFixed(0)} ms`;

async function main(): Promise<void> {
  const manifests = flag('--manifests', 1000);
  const root = mkdtempSync(join(tmpdir(), 'kube-reach-elk-block-'));
  const stub = await StubHost.start();
  try {
    writeWorkspace(root, generateWorkspace(manifests, 1));
    const m = await modelOfFolder(root, 1, undefined, 'fast');
    console.log(`${manifests} manifests: ${m.nodes.length} nodes, ${m.edges.length} connections`);
    // elkjs in the webview's worker, as the panel asks for it.
    const page = await stub.open('light');
    await page.evaluate(
      `(() => { window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' }); })()`,
    );
    const fell: string[] = [];
    const elsewhere = elkInPage(page, (why) => fell.push(why));
    forgetLayouts();
    const worker = await blocking(() => layoutGraph(m.nodes, m.edges, elsewhere));
    const long = (await page.evaluate('window.__long')) as number[];
    await page.close();
    if (fell.length > 0) throw new Error(`the worker run fell back to this process: ${fell.join('; ')}`);
    console.log(
      `elkjs in the webview's worker: ${ms(worker.wall)} wall, this process's CPU ${ms(worker.cpu)}; its event loop stalled at most ${ms(worker.longest)}, ${ms(worker.over50)} in stalls over 50 ms; the page's main thread: ${long.length} long tasks, longest ${ms(Math.max(0, ...long))}`,
    );
    // elkjs here, cold, as the extension host ran it.
    forgetLayouts();
    const here = await blocking(() => layoutGraph(m.nodes, m.edges));
    console.log(
      `elkjs in this process (cold): ${ms(here.wall)} wall, CPU ${ms(here.cpu)}; its event loop stalled at most ${ms(here.longest)}, ${ms(here.over50)} in stalls over 50 ms`,
    );
    console.log(JSON.stringify({ manifests, worker, here, pageLongTasks: long }));
  } finally {
    await stub.close();
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
