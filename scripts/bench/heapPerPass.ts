/**
 * Heap kept per incremental pass, in process: a generated workspace (scripts/bench/generate.ts), then
 * N edits that toggle one Service's targetPort in turn through the files (each followed by its
 * diagnostics); after every `every` edits a full GC and the heap used. A heap that grows with the
 * number of passes, not with the workspace, is something kept per pass. With `snapshots`, heap
 * snapshots after the first and the last GC (for a diff in Chrome's DevTools or
 * scripts/bench/heapDiff.ts).
 * `node --expose-gc --import tsx scripts/bench/heapPerPass.ts [manifests=1000] [N=400] [every=100] [snapshots] [one-turn]`
 * (`one-turn`: every pass in one turn of the event loop, as a synchronous test loop runs them).
 * A developer tool: never a test.
 */

import { writeHeapSnapshot } from 'node:v8';
import { AnalysisHost } from '../../analysis/index.js';
import { generateWorkspace } from './generate.js';

const manifests = Number(process.argv[2] ?? 1000);
const edits = Number(process.argv[3] ?? 400);
const every = Number(process.argv[4] ?? 100);
const snapshots = process.argv.slice(5).includes('snapshots');
const turns = !process.argv.slice(5).includes('one-turn');
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const ws = generateWorkspace(manifests, 42);
const host = new AnalysisHost();
const files = new Map<string, string>();
for (const [path, text] of ws.files) files.set(`file:///gen/${path}`, text);
for (const [uri, text] of files) host.setFile(uri, text);
host.snapshot().diagnostics();
const targets = [...files].filter(([, t]) => /targetPort: (\d+|http)\b/.test(t)).map(([u]) => u);
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1e6;
};
const start = heap();
console.log(`${files.size} files, ${targets.length} with a Service targetPort; heap after the cold pass ${start.toFixed(1)} MB`);
if (snapshots) console.log(`snapshot ${writeHeapSnapshot()}`);
async function main(): Promise<void> {
  let last = start;
  for (let i = 1; i <= edits; i++) {
    const uri = targets[i % targets.length] ?? '';
    const text = files.get(uri) ?? '';
    const next = text.includes('targetPort: 9999')
      ? text.replace('targetPort: 9999', 'targetPort: http')
      : text.replace(/targetPort: (\d+|http)\b/, 'targetPort: 9999');
    files.set(uri, next);
    host.setFile(uri, next);
    host.snapshot().diagnostics();
    // A turn of the event loop per pass, as the server has one per message: a WeakRef read in a turn keeps its target alive
    // until the turn ends (without turns, every engine a pass read would stay).
    if (turns) await new Promise((resolve) => setImmediate(resolve));
    if (i % every === 0) {
      const now = heap();
      console.log(
        `after ${i} edits: heap ${now.toFixed(1)} MB (${(((now - last) * 1000) / every).toFixed(0)} kB per pass over the last ${every})`,
      );
      last = now;
    }
  }
  console.log(`${(((last - start) * 1000) / edits).toFixed(0)} kB per pass over ${edits} passes`);
  if (snapshots) console.log(`snapshot ${writeHeapSnapshot()}`);
}

void main();
