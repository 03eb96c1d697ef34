/**
 * Issue 14, point 1, on any folder of manifests (a real application, a chart): every connection
 * `kube-reach reach --format json` lists is asked with `kube-reach explain --probes` under the same
 * names, as a user would; the answer must be the listed verdict (`allowed`, or `undefined` for an
 * undefined line). Asks both ends of every listed port range (for `all`: TCP 1 and 65535, UDP 53,
 * SCTP 9) and prints per folder how many probes `explain` confirms, with the first few it does not.
 * The in-repository form is `explainCheck` (test/conformance/crossCheck.ts).
 *
 *   node --import tsx scripts/reach-confirm.ts DIR [DIR…]
 *
 * Exits 1 when a probe is not confirmed, 2 on bad usage.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { main } from '../cli/main.js';

interface Listed {
  readonly from: string;
  readonly to: string;
  readonly ports: 'all' | ReadonlyArray<{ readonly protocol: string; readonly port: number; readonly endPort?: number }>;
  readonly verdict: string;
}

interface Asked {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: string;
  readonly want: boolean | null;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: process.cwd() });
  return { code, out, err };
}

function isListed(x: unknown): x is { connections: Listed[] } {
  return typeof x === 'object' && x !== null && Array.isArray((x as { connections?: unknown }).connections);
}

async function confirm(dir: string, work: string): Promise<number> {
  const listed = await cli(['reach', dir, '--format', 'json']);
  const parsed: unknown = listed.code === 0 ? JSON.parse(listed.out) : undefined;
  if (!isListed(parsed)) {
    process.stdout.write(`${dir}: reach exited ${listed.code}: ${listed.err.split('\n')[0] ?? ''}\n`);
    return 1;
  }
  const asked: Asked[] = [];
  for (const c of parsed.connections) {
    const want = c.verdict === 'allowed' ? true : c.verdict === 'undefined' ? null : false;
    const ports =
      c.ports === 'all'
        ? [
            { protocol: 'TCP', port: 1, endPort: 65535 },
            { protocol: 'UDP', port: 53 },
            { protocol: 'SCTP', port: 9 },
          ]
        : c.ports;
    for (const p of ports) {
      asked.push({ from: c.from, to: c.to, port: p.port, protocol: p.protocol, want });
      if (p.endPort !== undefined && p.endPort !== p.port)
        asked.push({ from: c.from, to: c.to, port: p.endPort, protocol: p.protocol, want });
    }
  }
  const file = join(work, `${basename(dir)}.probes.json`);
  writeFileSync(file, JSON.stringify({ probes: asked.map((a) => ({ from: a.from, to: a.to, port: a.port, protocol: a.protocol })) }));
  const explained = await cli(['explain', dir, '--probes', file, '--format', 'json']);
  let results: Array<{ allowed?: boolean | null; reason?: string }> = [];
  try {
    results = (JSON.parse(explained.out) as { results?: typeof results }).results ?? [];
  } catch {
    results = [];
  }
  let confirmed = 0;
  const wrong: string[] = [];
  asked.forEach((a, i) => {
    const r = results[i];
    if (r !== undefined && r.allowed === a.want) confirmed++;
    else if (wrong.length < 5)
      wrong.push(
        `  ${a.from} -> ${a.to} ${a.protocol}/${a.port}: listed ${String(a.want)}, explain ${String(r?.allowed)}: ${r?.reason ?? explained.err.split('\n')[0] ?? ''}\n`,
      );
  });
  const allowed = parsed.connections.filter((c) => c.verdict === 'allowed').length;
  process.stdout.write(
    `${dir}: ${parsed.connections.length} connections (${allowed} allowed), ${asked.length} probes, ${confirmed} confirmed by explain\n${wrong.join('')}`,
  );
  return confirmed === asked.length ? 0 : 1;
}

async function run(): Promise<number> {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    process.stderr.write('usage: node --import tsx scripts/reach-confirm.ts DIR [DIR…]\n');
    return 2;
  }
  const work = mkdtempSync(join(tmpdir(), 'kube-reach-confirm-'));
  let code = 0;
  try {
    for (const d of dirs) code = Math.max(code, await confirm(d, work));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return code;
}

void run().then((code) => process.exit(code));
