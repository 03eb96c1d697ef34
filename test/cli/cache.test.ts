/**
 * `--cache DIR` (docs/cli.md, "Cache"): the second run over unchanged files parses none of them
 * and reports exactly what the first did; a changed file is parsed again; a cache file that is
 * corrupt is ignored with a note and replaced; the workspace is never written to; without
 * `--cache` nothing is written.
 */

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { main } from '../../cli/main.js';
import { parseArgs } from '../../cli/args.js';
import { CHECK_FLAGS } from '../../cli/check.js';
import { loadWorkspace } from '../../cli/workspace.js';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'kube-reach-cli-cache-'));
const ws = join(scratch, 'ws');
const cacheDir = join(scratch, 'cache');
cpSync(join(root, 'examples'), ws, { recursive: true });
after(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: scratch });
  return { code, out, err };
}

/** Files parsed and restored when loading `ws` with `--cache`. */
async function load(): Promise<{ parses: number; restored: number; files: number }> {
  const args = parseArgs(['ws', '--cache', 'cache'], CHECK_FLAGS);
  const loaded = await loadWorkspace(args.positionals, args, { stdout: () => undefined, stderr: () => undefined, cwd: scratch });
  loaded.host.snapshot();
  return { ...loaded.host.stats, files: loaded.displayPath.size };
}

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

it('a second run reads the cache, parses nothing, and reports the same', async () => {
  const files = listing(ws);
  const plain = await run(['check', 'ws', '--format', 'json']);
  assert.deepEqual(listing(scratch), ['ws', ...files.map((f) => join('ws', f))].sort(), 'without --cache nothing is written');
  const first = await run(['check', 'ws', '--format', 'json', '--cache', 'cache']);
  assert.equal(first.code, plain.code);
  assert.equal(first.out, plain.out);
  assert.equal(readdirSync(cacheDir).length, 1);
  const warm = await load();
  assert.equal(warm.parses, 0);
  assert.ok(warm.restored > 0 && warm.restored === warm.files, `${warm.restored} of ${warm.files} restored`);
  const second = await run(['check', 'ws', '--format', 'json', '--cache', 'cache']);
  assert.equal(second.out, plain.out);
  assert.equal(second.err, plain.err);
  assert.deepEqual(listing(ws), files, 'the workspace is not written to');
});

it('a changed file is parsed again; a corrupt cache is ignored with a note and replaced', async () => {
  await run(['check', 'ws', '--cache', 'cache']);
  const name = readdirSync(ws, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.yaml')) ?? '';
  const path = join(ws, name);
  writeFileSync(path, `${readFileSync(path, 'utf8')}\n# changed\n`);
  const changed = await load();
  assert.equal(changed.parses, 1);
  assert.equal(changed.restored, changed.files - 1);

  const [cacheFile] = readdirSync(cacheDir);
  const bytes = readFileSync(join(cacheDir, cacheFile ?? ''));
  writeFileSync(join(cacheDir, cacheFile ?? ''), bytes.subarray(0, bytes.length >> 1));
  const plain = await run(['check', 'ws', '--format', 'json']);
  const corrupt = await run(['check', 'ws', '--format', 'json', '--cache', 'cache']);
  assert.match(corrupt.err, /kube-reach: note: cache .* ignored: truncated/);
  assert.equal(corrupt.out, plain.out);
  const again = await load();
  assert.equal(again.parses, 0, 'the ignored cache file was replaced');
});
