/**
 * T1 with and without parse workers (server/parsePool.ts; issue 19, point 2): the server as the
 * bench starts it, one cold pass per run, `initializationOptions.parseWorkers` 1 (the server's own
 * thread) and `auto` alternated, on a generated workspace written once; the floor
 * (scripts/bench/floor.ts) measured before each pair. Prints per run T1, the server's CPU (every
 * thread) and its main thread's, and the peak RSS; then medians and T1 / floor. Wall times mean
 * something only on a machine with idle cores: compare the CPU columns when it is loaded.
 *
 * Usage: node --import tsx scripts/bench/parseWorkersBench.ts [--netpol N | --size N | --bundle MB] [--pairs 3] [--seed S] [--workers auto|N]
 * (`npm run build` first: the server is dist/server.js.)
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SERVER_MEMORY_MB, serverNodeFlags } from '../../protocol/serverProcess.js';
import { generateBundle, generateWorkspace, writeWorkspace } from './generate.js';
import { BenchClient, EDITOR_CAPABILITIES } from './lspClient.js';
import { median } from './stats.js';

const repo = join(__dirname, '..', '..');

interface Row {
  readonly workers: string;
  readonly t1: number;
  readonly cpu: number;
  readonly mainCpu: number;
  readonly rss: number;
  readonly files: number;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

/** CPU of the server's main thread (/proc/<pid>/task/<pid>/stat), ms; clock ticks of 10 ms. */
function mainThreadCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

async function cold(root: string, workers: string): Promise<Row> {
  const args = [...serverNodeFlags(DEFAULT_SERVER_MEMORY_MB), join(repo, 'dist/server.js'), '--stdio'];
  const client = new BenchClient(process.execPath, args, root);
  try {
    const started = await client.start(root, EDITOR_CAPABILITIES, { parseWorkers: workers === 'auto' ? 'auto' : Number(workers) });
    return {
      workers,
      t1: started.t1,
      cpu: client.cpuMs() ?? NaN,
      mainCpu: mainThreadCpuMs(client.pid),
      rss: client.peakRssMB() ?? NaN,
      files: (started.complete.params as { files: number }).files,
    };
  } finally {
    await client.close();
  }
}

function floorMs(root: string): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'floor.ts'), root], { cwd: repo, encoding: 'utf8' });
  const out = JSON.parse(r.stdout || 'null') as { ms?: unknown } | null;
  if (typeof out?.ms !== 'number') throw new Error(`floor run failed: ${r.stderr}`);
  return out.ms;
}

async function main(): Promise<void> {
  const seed = Number(option('--seed') ?? 20261126);
  const pairs = Number(option('--pairs') ?? 3);
  const workers = option('--workers') ?? 'auto';
  const root = mkdtempSync(join(tmpdir(), 'kube-reach-parse-workers-'));
  try {
    const bundle = option('--bundle');
    let what: string;
    if (bundle !== undefined) {
      const b = generateBundle(Number(bundle) * 1_000_000, seed);
      for (const [rel, text] of b.files) writeFileSync(join(root, rel), text);
      what = `${bundle} MB bundle`;
    } else {
      const netpol = option('--netpol');
      const n = Number(netpol ?? option('--size') ?? 10000);
      const ws = generateWorkspace(n, seed, netpol !== undefined ? 'netpol' : 'default');
      writeWorkspace(root, ws);
      what = `${ws.manifests} manifests${netpol !== undefined ? ', NetworkPolicy-heavy' : ''}`;
    }
    console.log(`${what}, seed ${seed}, ${pairs} pairs, parseWorkers 1 vs ${workers}`);
    const rows: Row[] = [];
    const floors: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const floor = floorMs(root);
      floors.push(floor);
      const order = i % 2 === 0 ? ['1', workers] : [workers, '1'];
      for (const w of order) {
        const r = await cold(root, w);
        rows.push(r);
        console.log(
          `pair ${i + 1}: floor ${floor.toFixed(0)} ms; parseWorkers ${w}: T1 ${r.t1.toFixed(0)} ms (${(r.t1 / floor).toFixed(2)}×), CPU ${r.cpu} ms (main thread ${r.mainCpu}), peak RSS ${r.rss.toFixed(0)} MB, ${r.files} files`,
        );
      }
    }
    for (const w of ['1', workers]) {
      const mine = rows.filter((r) => r.workers === w);
      const t1 = median(mine.map((r) => r.t1));
      console.log(
        `parseWorkers ${w}: T1 median ${t1.toFixed(0)} ms (${(t1 / median(floors)).toFixed(2)}× the median floor ${median(floors).toFixed(0)}), CPU ${median(mine.map((r) => r.cpu)).toFixed(0)} ms, main thread ${median(mine.map((r) => r.mainCpu)).toFixed(0)} ms, peak RSS ${Math.max(...mine.map((r) => r.rss)).toFixed(0)} MB`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
