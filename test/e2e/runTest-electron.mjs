#!/usr/bin/env node
// `npm run test:vscode`: the same integration suite (test/e2e/suite, shared with the code-server
// runner) in desktop VS Code through @vscode/test-electron 2.5.2, for machines that can download
// VS Code (on Linux without a display, run it under `xvfb-run -a`). Offline it stops at once with a
// clear message; here the suite runs inside code-server instead (scripts/test-real-editors.mjs).
// VSCODE_EXECUTABLE=/path/to/code skips the download.
import { cpSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { ROOT, cleanup, makeTmp } from './lib/harness.mjs';

const DOWNLOAD_HOST = 'update.code.visualstudio.com';
const executable = process.env.VSCODE_EXECUTABLE;

if (!executable) {
  try {
    await Promise.race([
      lookup(DOWNLOAD_HOST),
      new Promise((_, reject) => setTimeout(() => reject(new Error('DNS lookup timed out')), 5000)),
    ]);
  } catch (e) {
    console.error(
      `test:vscode needs to download VS Code from ${DOWNLOAD_HOST}, which this machine cannot reach (${e instanceof Error ? e.message : String(e)}).`,
    );
    console.error('Offline, the same suite runs inside code-server: node test/e2e/runExthost.mjs (part of npm test).');
    console.error('Or point VSCODE_EXECUTABLE at an installed VS Code.');
    process.exit(1);
  }
}

const { runTests } = await import('@vscode/test-electron');
const tmp = makeTmp('kube-reach-electron-');
const workspace = join(tmp, 'workspace');
cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
let code = 1;
try {
  code = await runTests({
    ...(executable ? { vscodeExecutablePath: executable } : {}),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'test', 'e2e', 'suite', 'index.js'),
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--user-data-dir',
      join(tmp, 'user-data'),
    ],
  });
} catch (e) {
  console.error(`test:vscode failed: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  cleanup(tmp);
}
process.exit(code);
