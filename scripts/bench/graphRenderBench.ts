/**
 * The graph's own drawing work, apart from the browser: the panel benchmark's generated workspace
 * (`generate.ts`, seed 1; 1,000 manifests, about 300 workloads, by default) laid out as the host
 * lays it out, then drawn by the webview's `renderGraph` in Node at panel widths from 300 to 1,400
 * px, each after `zoomToFit` as the panel does, with nothing kept from the render before
 * (`forgetGeometry`): the fitted layout (folds, packing, gutter), every line (curves, elbows,
 * channels, corridors), junctions and labels, and the drawing's tree. Prints the median CPU time of
 * a render per width (this process's user + system time, steadier than wall time on a shared
 * machine) and their sum. For a profile of the layout: `node --cpu-prof --import tsx
 * scripts/bench/graphRenderBench.ts` (a bundle made with esbuild keeps the functions' lines).
 *
 * Usage: node --import tsx scripts/bench/graphRenderBench.ts [--manifests N] [--runs N]
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgetGeometry, renderGraph } from '../../webview/graph.js';
import { renderWidth, zoomToFit } from '../../webview/graphModel.js';
import { modelOfFolder } from '../../test/webview/stubHost.js';
import { generateWorkspace, writeWorkspace } from './generate.js';
import { median } from './stats.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const WIDTHS = [300, 500, 800, 1200, 1400];

async function main(): Promise<void> {
  const manifests = flag('--manifests', 1000);
  const runs = flag('--runs', 9);
  const root = mkdtempSync(join(tmpdir(), 'kube-reach-graph-bench-'));
  try {
    writeWorkspace(root, generateWorkspace(manifests, 1));
    const m = await modelOfFolder(root);
    const layout = m.layout;
    if (layout === null) throw new Error('no layout: too many nodes for a graph');
    const cpu = new Map<number, number[]>();
    for (let r = 0; r < runs; r++)
      for (const width of WIDTHS) {
        forgetGeometry();
        const graphWidth = Math.max(240, width - 24);
        const before = process.cpuUsage();
        const zoom = zoomToFit(layout, m.nodes, graphWidth, 824, 0.75);
        renderGraph(layout, m.nodes, m.edges, new Set(), undefined, undefined, { width: renderWidth(graphWidth, zoom), zoom });
        const used = process.cpuUsage(before);
        const list = cpu.get(width) ?? [];
        list.push((used.user + used.system) / 1000);
        cpu.set(width, list);
      }
    const workloads = m.nodes.filter((n) => !n.entry).length;
    console.log(`graph render bench: ${manifests} manifests (seed 1), ${workloads} workloads, ${m.edges.length} connections, ${runs} runs`);
    let sum = 0;
    for (const width of WIDTHS) {
      const med = median(cpu.get(width) ?? []);
      sum += med;
      console.log(`  ${width} px: zoomToFit + renderGraph, median CPU ${med.toFixed(1)} ms`);
    }
    console.log(`  sum of the medians over ${WIDTHS.length} widths: ${sum.toFixed(0)} ms`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
