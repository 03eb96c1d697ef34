#!/usr/bin/env node
// Runs the extension's integration suite (test/e2e/suite: the same `extensionTestsPath` module
// @vscode/test-electron runs, see runTest-electron.mjs) inside a real VS Code extension host served
// by code-server, with headless Chromium as the workbench. The extension is loaded from the repo
// (extensionDevelopmentPath), the workspace is a throwaway copy of examples/.
//
//   node test/e2e/runExthost.mjs [--json result.json] [--timeout 240] [--verbose] [--redhat-standin] [--only FILE]
//
// --only helm.test.js: runs that suite file alone (while working on one feature).
//
// --redhat-standin: a second, small run. A stand-in extension with the id redhat.vscode-yaml (no
// code; test/e2e/fixtures/redhat-yaml-standin, packaged with vsce) and one with the Kubernetes
// extension's id that gives chart templates the language `helm` (kubernetes-tools-standin) are
// installed into code-server and
// only the suite's *.standin.test.js files run (kubeReach.schemaAssist "auto" → off). The real Red
// Hat extension cannot be installed offline.
//
// Prints `ok - …` / `not ok - …` per test; exit 0 when all pass. The JSON result says whether a
// failure was the editor's (infra: true) or a test's.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  InfraError,
  ROOT,
  cleanup,
  hardTimeout,
  installVsix,
  launchChromium,
  makeTmp,
  parseArgs,
  startCodeServer,
  tail,
  writeResult,
} from './lib/harness.mjs';

const args = parseArgs(process.argv.slice(2));
const timeoutS = Number(args.timeout ?? 240);
const t0 = Date.now();
const tmp = makeTmp('kube-reach-exthost-');
const resultsFile = join(tmp, 'mocha-results.json');
let cs;
let browser;
const cleanupAll = async () => {
  if (browser) await browser.close();
  if (cs) await cs.stop();
};
const disarm = hardTimeout(timeoutS * 1000, cleanupAll);

let result = { name: args['redhat-standin'] ? 'vscode-exthost-redhat-standin' : 'vscode-exthost', passed: [], failed: [], infra: false };
try {
  if (!existsSync(join(ROOT, 'dist', 'client.js')) || !existsSync(join(ROOT, 'dist', 'server.js')))
    throw new Error('dist/ is not built: run npm run build');
  const extensionsDir = join(tmp, 'extensions');
  const env = { KUBE_REACH_E2E_RESULTS: resultsFile };
  if (typeof args.only === 'string') env.KUBE_REACH_E2E_ONLY = args.only;
  if (args['redhat-standin']) {
    const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    for (const name of ['redhat-yaml-standin', 'kubernetes-tools-standin']) {
      const vsix = join(tmp, `${name}.vsix`);
      const p = spawnSync(process.execPath, [vsce, 'package', '--skip-license', '--allow-missing-repository', '--out', vsix], {
        cwd: join(ROOT, 'test', 'e2e', 'fixtures', name),
        encoding: 'utf8',
        timeout: 60000,
      });
      if (p.status !== 0 || !existsSync(vsix)) throw new Error(`packaging the ${name} failed (${p.status}): ${p.stdout}${p.stderr}`);
      installVsix(vsix, extensionsDir, tmp);
    }
    env.KUBE_REACH_E2E_SUITE = 'standin';
  }
  cs = await startCodeServer({ tmp, extensionsDir, env });
  const workspace = join(tmp, 'workspace');
  cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  browser = await launchChromium(tmp);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  let resolveExit;
  const exited = new Promise((r) => {
    resolveExit = r;
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  await page.exposeFunction('codeAutomationLog', (_type, logArgs) => {
    if (args.verbose) console.error(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
  });
  let crashed = false;
  page.on('crash', () => {
    crashed = true;
    resolveExit('crash');
  });
  const remote = (p) => `vscode-remote://127.0.0.1:${cs.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(join(ROOT, 'test', 'e2e', 'suite', 'index.js'))],
    ['skipWelcome', 'true'],
  ];
  try {
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`, {
      timeout: 60000,
    });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  } catch (e) {
    throw new InfraError(`the workbench did not load: ${e instanceof Error ? e.message : String(e)}`);
  }
  // The suite itself has a deadline per test; this bounds the whole extension-host run.
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), (timeoutS - 30) * 1000))]);
  if (crashed) throw new InfraError('Chromium crashed');
  if (existsSync(resultsFile)) {
    const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
    result.passed = r.passed;
    result.failed = r.failed;
  } else if (code === 'timeout') {
    throw new InfraError(`the extension host never reported results; code-server log:\n${tail(cs.log)}`);
  } else {
    throw new Error(`the suite exited with ${code} without results; code-server log:\n${tail(cs.log)}`);
  }
  if (code !== 0 && result.failed.length === 0) result.failed.push({ title: 'suite exit code', error: String(code) });
} catch (e) {
  const infra = e instanceof InfraError;
  result.infra = infra;
  result.failed.push({ title: infra ? 'editor infrastructure' : 'runner', error: e instanceof Error ? e.message : String(e) });
} finally {
  await cleanupAll();
  disarm();
  cleanup(tmp);
}
for (const t of result.passed) console.log(`ok - ${t}`);
for (const f of result.failed)
  console.log(
    `not ok - ${f.title}\n${String(f.error)
      .split('\n')
      .slice(0, 12)
      .map((l) => `    ${l}`)
      .join('\n')}`,
  );
result.ms = Date.now() - t0;
writeResult(args.json, result);
console.log(`${result.name}: ${result.passed.length} passed, ${result.failed.length} failed (${(result.ms / 1000).toFixed(1)} s)`);
process.exit(result.failed.length === 0 && result.passed.length > 0 ? 0 : 1);
