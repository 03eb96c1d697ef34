/**
 * Incremental passes give exactly what a full analysis gives. A seeded sequence of edits (label
 * changes, renamed Services, removed and restored files, broken YAML) is applied to the corpus,
 * examples/ and the check fixtures through one host; after each edit its diagnostics must equal
 * those of a fresh host over the same files, and fewer files than all must have been re-checked.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import { corpusFiles } from '../support/corpus.js';
import { parseFixture } from '../support/fixture.js';
import { rng } from '../../scripts/bench/generate.js';

const root = join(__dirname, '..', '..');

function workspace(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [rel, text] of corpusFiles()) files.set(`file:///ws/corpus/${rel}`, text);
  for (const [rel, text] of corpusFiles(join(root, 'examples'))) files.set(`file:///ws/examples/${rel}`, text);
  const checks = join(root, 'test/fixtures/checks');
  for (const dir of readdirSync(checks).sort()) {
    for (const f of readdirSync(join(checks, dir)).filter((x) => x.endsWith('.yaml')).sort()) {
      const fx = parseFixture(f, readFileSync(join(checks, dir, f), 'utf8'));
      if (fx.settingsLines.length > 0) continue;
      for (const v of fx.files) files.set(`file:///ws/fixtures/${dir}/${f.replace(/\.yaml$/, '')}/${v.path}`, v.text);
    }
  }
  return files;
}


function render(host: AnalysisHost): string[] {
  const out: string[] = [];
  for (const [uri, list] of host.snapshot().diagnostics()) for (const d of list) out.push(`${uri}|${d.span.start}|${d.code}|${d.severity}|${d.message}`);
  return out.sort();
}

const EDITS: ReadonlyArray<(text: string) => string> = [
  (t) => t.replace(/app: ([a-z-]+)/, 'app: $1x'),
  (t) => t.replace(/name: ([a-z-]+)/, 'name: $1-renamed'),
  (t) => t.replace(/containerPort: (\d+)/, (_, n: string) => `containerPort: ${Number(n) + 1}`),
  (t) => t.replace(/namespace: ([a-z-]+)/, 'namespace: $1-moved'),
  (t) => `${t}\nbroken: [\n`,
  (t) => t.replace(/targetPort: ([a-z0-9-]+)/, 'targetPort: other'),
];

it('incremental passes equal full analyses after each of 60 seeded edits', () => {
  const files = workspace();
  const uris = [...files.keys()];
  assert.ok(uris.length > 100, `${uris.length} files`);
  const host = new AnalysisHost();
  for (const [uri, text] of files) host.setFile(uri, text);
  host.snapshot().diagnostics();
  const random = rng(42);
  const current = new Map(files);
  let partial = 0;
  for (let step = 0; step < 60; step++) {
    const uri = uris[Math.floor(random() * uris.length)] ?? '';
    const roll = random();
    if (roll < 0.1 && current.has(uri)) {
      current.delete(uri);
      host.removeFile(uri);
    } else if (roll < 0.2 && !current.has(uri)) {
      current.set(uri, files.get(uri) ?? '');
      host.setFile(uri, files.get(uri) ?? '');
    } else {
      const base = current.get(uri) ?? files.get(uri) ?? '';
      const edit = EDITS[Math.floor(random() * EDITS.length)];
      const next = edit === undefined ? base : edit(base);
      current.set(uri, next);
      host.setFile(uri, next);
    }
    const incremental = render(host);
    if (host.stats.rechecked < current.size) partial++;
    const fresh = new AnalysisHost();
    for (const [u, t] of current) fresh.setFile(u, t);
    assert.deepEqual(incremental, render(fresh), `step ${step}: edit of ${uri}`);
  }
  assert.ok(partial > 30, `only ${partial} of 60 passes were incremental`);
});
