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

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../cli/main.js';
import { CONFIG as config, UNREAD_KINDS, holds, measureClone } from './conformance/clone.js';

async function measure(work: string): Promise<void> {
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
    if ([ref1, ref2].some((r) => holds(join(work, 'tests', r), UNREAD_KINDS))) {
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

measureClone('conformance-diff', ['tests', 'test_outputs/diff'], measure);
