/**
 * Measures `kube-reach diff` against np-guard/netpol-analyzer's own diff golden outputs (README,
 * "What a change opens or closes"; test/conformance/README.md). Their goldens are not vendored:
 * this reads a local clone (bare or not) of that repository, extracts `tests/` and
 * `test_outputs/diff/` into a temporary folder, runs every `diff_between_<ref2>_and_<ref1>.{txt,csv,md}`
 * through the public CLI (with the engine options of test/conformance/netpol-analyzer.kube-reach.yaml)
 * and prints, per format, how many come out exact, and which differ. Cases whose inputs hold kinds
 * Kube Reach does not read (OpenShift Route, UserDefinedNetwork, …) are counted apart.
 *
 *   node --import tsx scripts/conformance-diff.ts /path/to/netpol-analyzer[.git]
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.js';

const repo = process.argv[2];
if (repo === undefined) {
  process.stderr.write('usage: node --import tsx scripts/conformance-diff.ts <netpol-analyzer clone>\n');
  process.exit(2);
}
const config = join(__dirname, '..', 'test', 'conformance', 'netpol-analyzer.kube-reach.yaml');
const work = mkdtempSync(join(tmpdir(), 'kube-reach-npa-diff-'));
const UNREAD_KINDS =
  /^\s*kind:\s*(Route|UserDefinedNetwork|ClusterUserDefinedNetwork|NetworkAttachmentDefinition|MultiNetworkPolicy|VirtualMachine)\s*$/m;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

function readsOnlyKnownKinds(dir: string): boolean {
  return filesUnder(dir).every((f) => !UNREAD_KINDS.test(readFileSync(f, 'utf8')));
}

async function measure(): Promise<void> {
  const archive = execFileSync('git', ['-C', repo ?? '', 'archive', 'HEAD', 'tests', 'test_outputs/diff'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', work], { input: archive });
  const formats: Record<string, string> = { txt: 'text', csv: 'csv', md: 'md' };
  const stats = new Map<string, { exact: number; differ: string[]; unread: number }>();
  for (const f of readdirSync(join(work, 'test_outputs', 'diff')).sort()) {
    const m = /^(TsetOutputWithArgNamesOption_)?diff_between_(.+)\.(txt|csv|md)$/.exec(f);
    if (m === null) continue;
    const [, named, pair = '', ext = 'txt'] = m;
    // `<ref2>_and_<ref1>`: the split whose both halves are test folders.
    const parts = pair.split('_and_');
    let ref1 = '';
    let ref2 = '';
    for (let i = 1; i < parts.length; i++) {
      const a = parts.slice(0, i).join('_and_');
      const b = parts.slice(i).join('_and_');
      if (existsSync(join(work, 'tests', a)) && existsSync(join(work, 'tests', b))) [ref2, ref1] = [a, b];
    }
    if (ref1 === '') continue;
    const s = stats.get(ext) ?? { exact: 0, differ: [], unread: 0 };
    stats.set(ext, s);
    if (![ref1, ref2].every((r) => readsOnlyKnownKinds(join(work, 'tests', r)))) {
      s.unread++;
      continue;
    }
    const names = named !== undefined ? ['old', 'new'] : ['ref1', 'ref2'];
    let out = '';
    const args = ['diff', join(work, 'tests', ref1), join(work, 'tests', ref2), '--format', formats[ext] ?? 'text', '--config', config];
    await main([...args, '--ref1-name', names[0] ?? '', '--ref2-name', names[1] ?? ''], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
      cwd: work,
    });
    const expected = readFileSync(join(work, 'test_outputs', 'diff', f), 'utf8');
    // Their md golden is the table without a final line break; the CLI ends its output with one.
    if (out === expected || (ext === 'md' && out === `${expected}\n`)) s.exact++;
    else s.differ.push(f);
  }
  for (const [ext, s] of stats) {
    process.stdout.write(
      `${ext}: ${s.exact} exact of ${s.exact + s.differ.length} (plus ${s.unread} with kinds Kube Reach does not read)\n`,
    );
    for (const d of s.differ) process.stdout.write(`  differs: ${d}\n`);
  }
}

measure()
  .catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
