/**
 * `npm run bench -- --kustomize 500` (issue #13 point 7): a Kustomize platform of that many build
 * roots — bases of a Deployment and a Service, each built by 10 overlays with their own namespace,
 * `commonLabels` and a replicas patch. Drives the server over stdio as bench.ts does: the cold pass,
 * then edits of one base's image in an open file (rebuilding the 10 roots that include it and
 * re-checking their objects), each timed until the edited file's diagnostics for the new version
 * arrive and until the pass is complete (`kubeReach/analysisComplete`: every rebuilt root's objects
 * re-checked). Builds are cached per root: an edit must not rebuild the other roots.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeWorkspace } from './generate.js';
import type { GeneratedBenchOptions, GeneratedWorkspace } from './generate.js';
import { BenchClient, BenchDocument } from './lspClient.js';
import { median, p95 } from './stats.js';

const OVERLAYS_PER_BASE = 10;

function deployment(i: number): string {
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  selector:\n    matchLabels:\n      app: app-${i}\n` +
    `  template:\n    metadata:\n      labels:\n        app: app-${i}\n    spec:\n      containers:\n        - name: main\n` +
    `          image: registry.example.com/app-${i}:1.0.0\n          ports:\n            - name: http\n              containerPort: 8080\n`
  );
}

function service(i: number): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\nspec:\n  selector:\n    app: app-${i}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n`;
}

/** `roots` overlays (10 per base) over `roots / 10` bases. */
export function generateKustomize(roots: number, seed: number): GeneratedWorkspace {
  const bases = Math.max(1, Math.round(roots / OVERLAYS_PER_BASE));
  const files = new Map<string, string>();
  let manifests = 0;
  for (let b = 0; b < bases; b++) {
    const dir = `apps/app-${b}`;
    files.set(`${dir}/base/kustomization.yaml`, 'resources:\n  - deployment.yaml\n  - service.yaml\n');
    files.set(`${dir}/base/deployment.yaml`, deployment(b));
    files.set(`${dir}/base/service.yaml`, service(b));
    for (let e = 0; e < OVERLAYS_PER_BASE; e++) {
      const env = `env-${e}`;
      files.set(
        `${dir}/overlays/${env}/kustomization.yaml`,
        `namespace: app-${b}-${env}\ncommonLabels:\n  env: ${env}\nresources:\n  - ../../base\npatches:\n  - path: replicas.yaml\n`,
      );
      files.set(
        `${dir}/overlays/${env}/replicas.yaml`,
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${b}\nspec:\n  replicas: ${1 + (e % 3)}\n`,
      );
      manifests += 2;
    }
  }
  return { seed, manifests, files, truth: [], splitApps: [] };
}

/**
 * The floor of the same run (scripts/bench/floor.ts): a fresh Node process reading and parsing every
 * file of the platform with the `yaml` package, as bench.ts measures it for the other rows.
 */
function floorMs(root: string): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'floor.ts'), root], {
    cwd: join(__dirname, '..', '..'),
    encoding: 'utf8',
  });
  const ms = (JSON.parse(r.stdout || 'null') as { ms?: unknown } | null)?.ms;
  if (typeof ms !== 'number') throw new Error(`floor run failed: ${r.stderr}`);
  return ms;
}

/** The Kustomize rows: T1 cold, T4 base edit → the edited file's diagnostics, and → the pass complete. */
export async function benchKustomize(roots: number, o: GeneratedBenchOptions): Promise<Record<string, unknown>> {
  const ws = generateKustomize(roots, o.seed);
  const root = mkdtempSync(join(tmpdir(), `kube-reach-bench-kust-${roots}-`));
  const fmt = o.fmt;
  try {
    writeWorkspace(root, ws);
    const runs = Math.min(o.runs, 2);
    const perRun = Math.ceil(o.samples / runs);
    const t1: number[] = [];
    const edits: number[] = [];
    const passes: number[] = [];
    const lost: string[] = [];
    const logs: string[] = [];
    const floors: number[] = [];
    for (let r = 0; r < runs; r++) {
      floors.push(floorMs(root));
      process.stderr.write(`  kustomize ${roots} roots: run ${r + 1}/${runs}…\n`);
      const client = new BenchClient(process.execPath, o.serverCommand, root);
      const stopLogs = client.collectPassLogs(logs);
      try {
        t1.push((await client.start(root)).t1);
        const base = Math.floor(roots / OVERLAYS_PER_BASE / 2) + r;
        const rel = `apps/app-${base}/base/deployment.yaml`;
        const doc = new BenchDocument(client, pathToFileURL(join(root, rel)).href, ws.files.get(rel) ?? '');
        await doc.open();
        await doc.toggle(':1.0.0', ':1.0.1', perRun, { edits, passes, lost });
      } finally {
        stopLogs();
        await client.close();
      }
    }
    console.log(
      `\nKustomize platform: ${roots} roots over ${Math.round(roots / OVERLAYS_PER_BASE)} bases, ${ws.files.size} files; seed ${o.seed}`,
    );
    const floor = median(floors);
    const x = (ms: number): string => `${(ms / floor).toFixed(3)}× floor`;
    console.log(`  floor (fresh node: read + yaml parse, same files, this run) ${fmt(floor)} ms median of ${floors.length}`);
    console.log(
      `  T1  initialized → analysisComplete   ${fmt(median(t1))} ms median of ${t1.length} [${t1.map(fmt).join(', ')}], ${x(median(t1))}`,
    );
    console.log(
      `  T4  base edit → its diagnostics      ${fmt(p95(edits))} ms p95 (n=${edits.length}, median ${fmt(median(edits))}), ${x(p95(edits))}   target ≤ 50 ms`,
    );
    console.log(`  T4  base edit → pass complete        ${fmt(p95(passes))} ms p95 (median ${fmt(median(passes))}), ${x(p95(passes))}`);
    if (logs.length > 0) console.log(`  Server breakdown, last slow pass: ${logs.at(-1) ?? ''}`);
    if (lost.length > 0) console.log(`  Lost samples (${lost.length}):\n    ${lost.slice(0, 10).join('\n    ')}`);
    return {
      roots,
      files: ws.files.size,
      floorMs: { median: median(floors), runs: floors },
      T1: { medianMs: median(t1), runs: t1 },
      T4: { p95Ms: p95(edits), medianMs: median(edits), samples: edits },
      T4pass: { p95Ms: p95(passes), medianMs: median(passes), samples: passes },
      lostSamples: lost,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
