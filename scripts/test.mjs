// `npm test`: every layer, in order, then one closing line "N passed, N failed" (docs/dev/design.md §8).
// Layers: typecheck, lint, build, the node:test suites (analysis, server, cli, …), and the
// real-editor layer when scripts/test-layers.mjs lists it. Set KUBE_REACH_TEST_ONLY=unit to skip
// the real-editor layer while developing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let passed = 0;
let failed = 0;
const failures = [];

function step(name, cmd, args, opts = {}) {
  console.log(`\n── ${name} ──`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...(opts.env ?? {}) } });
  if (r.status === 0) passed++;
  else {
    failed++;
    failures.push(name);
  }
  return r.status === 0;
}

/** Runs node:test files, echoing the spec output and counting from a TAP copy. */
function nodeTests(name, files) {
  if (files.length === 0) return;
  console.log(`\n── ${name} (${files.length} files) ──`);
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-test-'));
  const tap = join(dir, 'out.tap');
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  let p = 0;
  let f = 0;
  if (existsSync(tap)) {
    const text = readFileSync(tap, 'utf8');
    p = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
    f = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(text)?.[1] ?? 0);
  }
  if (r.status !== 0 && f === 0) f = 1;
  passed += p;
  failed += f;
  if (f > 0) failures.push(name);
  rmSync(dir, { recursive: true, force: true });
}

function testFiles(layer) {
  const dir = join(root, 'test', layer);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join('test', layer, f));
}

step('typecheck', process.execPath, ['scripts/typecheck.mjs']);
step('lint', process.execPath, ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', '.']);
// No unused files, exports or dependencies (knip.jsonc names the entry points).
step('lint: unused code (knip)', process.execPath, ['node_modules/knip/bin/knip.js', '--no-progress']);
step('format', process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', '--log-level', 'warn', '.']);
step('build', process.execPath, ['scripts/build.mjs']);
const unitLayers = ['analysis', 'server', 'cli', 'grammar', 'conformance', 'webview'];
nodeTests('unit and protocol tests', unitLayers.flatMap(testFiles));

if (process.env.KUBE_REACH_TEST_ONLY !== 'unit' && existsSync(join(root, 'scripts/test-real-editors.mjs'))) {
  console.log('\n── real editors ──');
  const r = spawnSync(process.execPath, ['scripts/test-real-editors.mjs'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  process.stdout.write(r.stdout ?? '');
  const m = /^real-editors: (\d+) passed, (\d+) failed/m.exec(r.stdout ?? '');
  const p = Number(m?.[1] ?? 0);
  const f = Number(m?.[2] ?? (r.status === 0 ? 0 : 1));
  passed += p;
  failed += f === 0 && r.status !== 0 ? 1 : f;
  if (f > 0 || r.status !== 0) failures.push('real editors');
}

if (failures.length > 0) console.log(`\nFailed layers: ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
