/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite as CommonJS */
// The `extensionTestsPath` module: the same file runs under @vscode/test-electron (desktop VS
// Code, test/e2e/runTest-electron.mjs) and inside code-server (test/e2e/runExthost.mjs).
const fs = require('fs');
const path = require('path');
const mochaModule = require('mocha');
const Mocha = mochaModule.Mocha || mochaModule.default || mochaModule;

function run() {
  const mocha = new Mocha({ ui: 'tdd', timeout: 30000, color: false, reporter: 'spec' });
  // KUBE_REACH_E2E_SUITE=standin (runExthost.mjs --redhat-standin) runs only the *.standin.test.js
  // files, which need the redhat.vscode-yaml stand-in installed; otherwise every other *.test.js.
  // KUBE_REACH_E2E_ONLY=helm.test.js (runExthost.mjs --only) runs that file alone.
  const standin = process.env.KUBE_REACH_E2E_SUITE === 'standin';
  const only = process.env.KUBE_REACH_E2E_ONLY;
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (only !== undefined && only !== '' && f !== only) continue;
    if (f.endsWith('.test.js') && f.endsWith('.standin.test.js') === standin) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    const results = { passed: [], failed: [] };
    const runner = mocha.run((failures) => {
      const file = process.env.KUBE_REACH_E2E_RESULTS;
      if (file) fs.writeFileSync(file, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
    runner.on('pass', (t) => results.passed.push(t.fullTitle()));
    runner.on('fail', (t, err) => results.failed.push({ title: t.fullTitle(), error: String((err && err.stack) || err) }));
  });
}

module.exports = { run };
