/**
 * In-process profile of the analysis passes on a generated workspace: cold snapshot, and a
 * re-analysis after editing one file. `node --import tsx scripts/bench/profile-checks.ts [size]`.
 * A developer tool beside `npm run bench` (which measures the real server over LSP).
 */

import { AnalysisHost } from '../../analysis/index.js';
import { generateWorkspace } from './generate.js';
import { WorkspaceIndex } from '../../analysis/workspace/workspaceIndex.js';

const size = Number(process.argv[2] ?? 10000);
const ws = generateWorkspace(size, 1);
const host = new AnalysisHost();
const files = [...ws.files];
for (const [path, text] of files) host.setFile(`file:///bench/${path}`, text);
let t = performance.now();
let a = host.snapshot();
const tParse = performance.now() - t;
t = performance.now();
const diags = a.diagnostics();
const tChecks = performance.now() - t;
console.log(
  `${size} manifests, ${files.length} files: cold snapshot ${tParse.toFixed(0)} ms, checks ${tChecks.toFixed(0)} ms, ${[...diags.values()].reduce((n, l) => n + l.length, 0)} diagnostics`,
);
const times: number[] = [];
for (let i = 0; i < 10; i++) {
  const [path, text] = files[(i * 7919) % files.length] ?? ['', ''];
  host.setFile(`file:///bench/${path}`, text + `\n# edit ${i}\n`);
  t = performance.now();
  a = host.snapshot();
  a.diagnostics();
  times.push(performance.now() - t);
}
times.sort((x, y) => x - y);
console.log(`edit passes: median ${times[5]?.toFixed(1)} ms, max ${times[9]?.toFixed(1)} ms`);
{
  const facts = new Map([...a.index.files]);
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) new WorkspaceIndex(facts);
  console.log(`index rebuild: ${((performance.now() - t0) / 5).toFixed(1)} ms`);
}
