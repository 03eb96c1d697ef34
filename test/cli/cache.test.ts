/**
 * `--cache DIR` (docs/cli.md, "Cache"): the second run over unchanged files parses none of them
 * and reports exactly what the first did; a changed file is parsed again; a cache file that is
 * corrupt is ignored with a note and replaced; the workspace is never written to; without
 * `--cache` nothing is written.
 */

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runCli } from '../support/cli.js';
import type { CliRun } from '../support/cli.js';
import { parseArgs } from '../../cli/args.js';
import { CHECK_FLAGS } from '../../cli/check.js';
import { loadWorkspace } from '../../cli/workspace.js';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'kube-reach-cli-cache-'));
const ws = join(scratch, 'ws');
const cacheDir = join(scratch, 'cache');
cpSync(join(root, 'examples'), ws, { recursive: true });
after(() => rmSync(scratch, { recursive: true, force: true }));

const run = (args: string[]): Promise<CliRun> => runCli(args, scratch);

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

/** The cache file's bytes and modification time (whether a run wrote it). */
function cacheState(dir: string): { bytes: Buffer; mtime: number } {
  const [file] = readdirSync(dir);
  const path = join(dir, file ?? '');
  return { bytes: readFileSync(path), mtime: statSync(path).mtimeMs };
}

it('check keeps its results in the cache: a second run checks nothing and writes nothing; other --severity or --set values check again', async () => {
  const dir = join(scratch, 'cache-checks');
  const plain = await run(['check', 'ws', '--format', 'json']);
  const first = await run(['check', 'ws', '--format', 'json', '--cache', 'cache-checks']);
  assert.equal(first.out, plain.out);
  const written = cacheState(dir);
  // The results are found again for exactly these inputs, and the run writes nothing.
  const args = parseArgs(['ws', '--cache', 'cache-checks'], CHECK_FLAGS);
  const quiet = { stdout: () => undefined, stderr: () => undefined, cwd: scratch };
  const loaded = await loadWorkspace(args.positionals, args, quiet, { checkResults: true });
  assert.equal(loaded.cache?.useChecks('null'), true);
  loaded.host.snapshot().diagnostics();
  assert.equal(loaded.host.stats.checksRestored, 1);
  assert.equal(loaded.host.stats.rechecked, 0, 'no file checked');
  const second = await run(['check', 'ws', '--format', 'json', '--cache', 'cache-checks']);
  assert.equal(second.out, plain.out);
  assert.equal(second.err, plain.err);
  const after = cacheState(dir);
  assert.ok(after.bytes.equals(written.bytes) && after.mtime === written.mtime, 'an unchanged workspace does not rewrite the cache');
  // Another severity is another input: checked again, as without the cache.
  const code = (JSON.parse(plain.out) as { diagnostics: Array<{ code: string }> }).diagnostics[0]?.code ?? '';
  const off = await run(['check', 'ws', '--format', 'json', '--severity', `${code}=off`]);
  assert.notEqual(off.out, plain.out);
  assert.equal((await run(['check', 'ws', '--format', 'json', '--cache', 'cache-checks', '--severity', `${code}=off`])).out, off.out);

  // A chart's values from --set (and from --values files, whose text the flags do not show) are inputs too.
  const chart = join(scratch, 'chartws', 'app');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 0.1.0\n');
  writeFileSync(join(chart, 'values.yaml'), 'port: 8080\n');
  writeFileSync(
    join(chart, 'templates', 'all.yaml'),
    [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web',
      '  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web',
      '          image: example.com/web:1\n          ports:\n            - containerPort: 8080\n---',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80',
      '      targetPort: {{ .Values.port }}\n',
    ].join('\n'),
  );
  const values = join(scratch, 'values.yaml');
  const refused = /service-target-port-unknown/;
  for (const [set, file, finding] of [
    ['other=1', 'port: 9999\n', true],
    // The same flags, another values file's text.
    ['other=1', 'port: 8080\n', false],
    ['port=9999', 'port: 8080\n', true],
  ] as const) {
    writeFileSync(values, file);
    const flags = ['--format', 'json', '--values', 'values.yaml', '--set', set];
    const cold = await run(['check', 'chartws', ...flags]);
    const warm = await run(['check', 'chartws', ...flags, '--cache', 'cache-checks']);
    const again = await run(['check', 'chartws', ...flags, '--cache', 'cache-checks']);
    assert.equal(refused.test(cold.out), finding, `${set} ${file}`);
    assert.equal(warm.out, cold.out, `${set} ${file}`);
    assert.equal(again.out, cold.out, `${set} ${file}`);
  }
});

it('a command that does not check (reach) writes the cache only when a file changed, and check then adds its results', async () => {
  const dir = join(scratch, 'cache-reach');
  const plain = await run(['reach', 'ws']);
  assert.equal((await run(['reach', 'ws', '--cache', 'cache-reach'])).out, plain.out);
  const written = cacheState(dir);
  // The cache holds no check results, but the files' facts are all its own: nothing to write.
  assert.equal((await run(['reach', 'ws', '--cache', 'cache-reach'])).out, plain.out);
  const after = cacheState(dir);
  assert.ok(after.bytes.equals(written.bytes) && after.mtime === written.mtime, 'an unchanged workspace does not rewrite the cache');
  // check adds its results (the next check restores them).
  await run(['check', 'ws', '--cache', 'cache-reach']);
  assert.ok(!cacheState(dir).bytes.equals(written.bytes), 'check wrote its results');
  const args = parseArgs(['ws', '--cache', 'cache-reach'], CHECK_FLAGS);
  const loaded = await loadWorkspace(
    args.positionals,
    args,
    { stdout: () => undefined, stderr: () => undefined, cwd: scratch },
    { checkResults: true },
  );
  assert.equal(loaded.cache?.useChecks('null'), true);
});
