/**
 * The server's warm start, alone (docs/dev/warm-start.md): a first server on a generated workspace
 * writes its warm-start cache into a storage folder, then `--runs` servers start from it; prints
 * each warm start's T1, the server's CPU, its pass log and its peak RSS. `--cpu-prof DIR` starts
 * the warm servers with `--cpu-prof` (one profile per server, in DIR) to see where a warm start
 * spends its time; `--server-flags "…"` adds Node flags to the warm servers' (V8 heap experiments).
 *
 * Usage: node --import tsx scripts/bench/warmProfile.ts [--size N | --netpol N] [--runs 2] [--cpu-prof DIR] [--server-flags "…"]
 * (`npm run build` first: the server is dist/server.js.)
 */

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SERVER_MEMORY_MB, serverNodeFlags } from '../../protocol/serverProcess.js';
import { generateWorkspace, writeWorkspace } from './generate.js';
import { BenchClient, EDITOR_CAPABILITIES } from './lspClient.js';

const repo = join(__dirname, '..', '..');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function start(root: string, cacheDir: string, profileDir?: string, awaitCache = false): Promise<string> {
  const prof = profileDir !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const extra = awaitCache ? [] : (option('--server-flags') ?? '').split(' ').filter((f) => f !== '');
  const client = new BenchClient(
    process.execPath,
    [...serverNodeFlags(DEFAULT_SERVER_MEMORY_MB), ...prof, ...extra, join(repo, 'dist/server.js'), '--stdio'],
    root,
  );
  const logs: string[] = [];
  const stop = client.collectPassLogs(logs);
  try {
    const started = await client.start(root, EDITOR_CAPABILITIES, { cacheDir });
    const line = `T1 ${started.t1.toFixed(0)} ms, CPU ${client.cpuMs() ?? NaN} ms, peak RSS ${(client.peakRssMB() ?? NaN).toFixed(0)} MB; ${logs[0] ?? ''}`;
    if (awaitCache) {
      const until = performance.now() + 120_000;
      while (!readdirSync(cacheDir).some((f) => f.endsWith('.bin')) && performance.now() < until) await sleep(100);
    }
    return line;
  } finally {
    stop();
    await client.close();
  }
}

async function main(): Promise<void> {
  const netpol = option('--netpol');
  const n = Number(netpol ?? option('--size') ?? 10000);
  const runs = Number(option('--runs') ?? 2);
  const profileDir = option('--cpu-prof');
  const root = mkdtempSync(join(tmpdir(), 'kube-reach-warm-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'kube-reach-warm-storage-'));
  try {
    const ws = generateWorkspace(n, 20261126, netpol !== undefined ? 'netpol' : 'default');
    writeWorkspace(root, ws);
    console.log(
      `${ws.manifests} manifests${netpol !== undefined ? ', NetworkPolicy-heavy' : ''}; cold (writes the cache): ${await start(root, cacheDir, undefined, true)}`,
    );
    for (let i = 0; i < runs; i++) console.log(`warm ${i + 1}: ${await start(root, cacheDir, profileDir)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

void main();
