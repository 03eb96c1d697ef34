/**
 * The benchmark's floor, run in a fresh Node process like the server it is compared with: read
 * every manifest under a folder and parse it with the `yaml` package (`parseAllDocuments`, which
 * keeps source ranges). Prints `{"ms": …, "cpuMs": …, "documents": …}`; the time (and `cpuMs`, this
 * process's CPU time over the same span, which a loaded machine inflates far less than the wall
 * time) covers reading and parsing, not Node's start-up or loading `yaml` (the server's T1 excludes
 * those too).
 *
 * Usage: node --import tsx scripts/bench/floor.ts <folder>
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

function list(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) list(full, out);
    else if (/\.(ya?ml|json)$/i.test(e.name)) out.push(full);
  }
}

const root = process.argv[2];
if (root === undefined) throw new Error('usage: floor.ts <folder>');
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const files: string[] = [];
list(root, files);
let documents = 0;
for (const f of files) documents += parseAllDocuments(readFileSync(f, 'utf8')).length;
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, documents }) + '\n');
