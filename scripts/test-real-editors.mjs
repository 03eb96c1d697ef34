// The real-editor layer of `npm test` (docs/dev/design.md §8): VS Code (code-server 4.100.3 + Chromium) and
// Neovim 0.7, offline. Steps:
//   1. provisioning check: scripts/provision-e2e.sh --check; when something is missing, run the
//      provisioning as root on Debian, else stop with a message naming what to install;
//   2. package the VSIX (npm run package: minified build + vsce);
//   3. the Neovim test, the extension-host suite (and its small second run with a redhat.vscode-yaml
//      stand-in installed), the Playwright UI test and `npm start -- --smoke`, each a child process
//      with its own hard timeout and an outer kill-by-PID deadline. A run whose failure is the
//      editor's (code-server not healthy, workbench not loaded, Chromium crashed) is retried once,
//      and the retry is announced as FLAKY; test failures are never retried.
// Prints per-test lines and, last, `real-editors: N passed, N failed` (read by scripts/test.mjs).
// Progress goes to stderr; results to stdout.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, 'out', `${pkg.name}-${pkg.version}.vsix`);
let passed = 0;
let failed = 0;
const t0 = Date.now();
const progress = (msg) => process.stderr.write(`[real-editors ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);

function finish() {
  console.log(`real-editors: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

// 1. Tools present?
const check = spawnSync('bash', [join(root, 'scripts/provision-e2e.sh'), '--check'], { encoding: 'utf8' });
if (check.status !== 0) {
  const missing = (check.stdout || check.stderr).trim();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const isDebian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
  if (isRoot && isDebian) {
    progress(`${missing}: running scripts/provision-e2e.sh`);
    const prov = spawnSync('bash', [join(root, 'scripts/provision-e2e.sh')], { stdio: ['ignore', process.stderr, process.stderr] });
    if (prov.status !== 0) {
      console.log('not ok - provisioning: scripts/provision-e2e.sh failed (its log tail is above)');
      failed++;
      finish();
    }
  } else {
    console.log(`not ok - real-editor tools: ${missing}`);
    console.log(
      '    Install them with scripts/provision-e2e.sh as root on Debian/Ubuntu (apt packages: chromium neovim ripgrep libkrb5-dev pkg-config build-essential python3 fonts-dejavu-core;',
    );
    console.log('    code-server 4.100.3 goes into .cache/), or set KUBE_REACH_TEST_ONLY=unit to run only the other layers.');
    failed++;
    finish();
  }
}

// 2. The VSIX the UI test installs.
progress('packaging the VSIX');
const packaged = spawnSync(process.execPath, [join(root, 'scripts/package.mjs')], { cwd: root, encoding: 'utf8' });
if (packaged.status !== 0 || !existsSync(vsix)) {
  console.log(`not ok - npm run package\n${(packaged.stdout + packaged.stderr).split('\n').slice(-20).join('\n')}`);
  failed++;
  finish();
}

// 3. The runners.
/** Runs one runner; resolves with its JSON result (or a synthetic failure). */
function runOnce(name, script, extraArgs, timeoutS) {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-real-'));
  const json = join(dir, 'result.json');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, script), '--json', json, '--timeout', String(timeoutS), ...extraArgs], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => process.stderr.write(d));
    // Outer deadline: the runner's own hard timeout failed to end it.
    const killer = setTimeout(
      () => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      },
      (timeoutS + 30) * 1000,
    );
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      let result;
      try {
        result = JSON.parse(readFileSync(json, 'utf8'));
      } catch {
        result = {
          name,
          passed: [],
          failed: [{ title: `${name} runner`, error: `exited ${signal ?? code} without a result\n${out.slice(-3000)}` }],
          infra: signal !== null,
        };
      }
      if (code !== 0 && result.failed.length === 0) result.failed.push({ title: `${name} runner`, error: `exit code ${code}` });
      rmSync(dir, { recursive: true, force: true });
      resolve(result);
    });
  });
}

async function run(name, script, extraArgs, timeoutS) {
  const started = Date.now();
  progress(`${name}: starting`);
  let r = await runOnce(name, script, extraArgs, timeoutS);
  if (r.failed.length > 0 && r.infra) {
    console.log(
      `FLAKY - ${name}: the editor failed to come up (${r.failed.map((f) => String(f.error).split('\n')[0]).join('; ')}); retrying the whole run once`,
    );
    r = await runOnce(name, script, extraArgs, timeoutS);
  }
  for (const t of r.passed) console.log(`ok - ${name}: ${t}`);
  for (const f of r.failed)
    console.log(
      `not ok - ${name}: ${f.title}\n${String(f.error)
        .split('\n')
        .slice(0, 15)
        .map((l) => `    ${l}`)
        .join('\n')}`,
    );
  passed += r.passed.length;
  failed += r.failed.length;
  progress(`${name}: ${r.passed.length} passed, ${r.failed.length} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

await run('neovim', 'test/e2e/nvim/run.mjs', [], 60);
await run('vscode-exthost', 'test/e2e/runExthost.mjs', [], 240);
// A second, small run with a redhat.vscode-yaml stand-in installed (kubeReach.schemaAssist "auto").
await run('vscode-exthost-redhat-standin', 'test/e2e/runExthost.mjs', ['--redhat-standin'], 120);
await run('vscode-ui', 'test/e2e/ui/run.mjs', ['--vsix', vsix], 240);
await run('npm-start', 'test/e2e/startSmoke.mjs', [], 180);
progress(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
finish();
