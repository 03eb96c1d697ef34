#!/usr/bin/env node
// `npm start -- --smoke` end to end: build, package, code-server with the VSIX on examples/, a
// browser opens it, and the command exits 0 once the extension has activated and its server is
// ready. Run with a hard timeout; the start script kills its code-server and Chromium by PID.
//
//   node test/e2e/startSmoke.mjs [--json result.json] [--timeout 180]
import { spawn } from 'node:child_process';
import { ROOT, killTree, parseArgs, writeResult } from './lib/harness.mjs';

const args = parseArgs(process.argv.slice(2));
const timeoutS = Number(args.timeout ?? 180);
const t0 = Date.now();
const result = { name: 'npm-start', passed: [], failed: [], infra: false };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const child = spawn(npm, ['start', '--', '--smoke'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
let out = '';
child.stdout.on('data', (d) => (out += d));
child.stderr.on('data', (d) => (out += d));
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  killTree(child.pid, 'SIGTERM');
  setTimeout(() => killTree(child.pid, 'SIGKILL'), 5000).unref();
}, timeoutS * 1000);
const code = await new Promise((r) => child.on('exit', (c) => r(c)));
clearTimeout(timer);
const url = /open (http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(out);
const tail = out.split('\n').slice(-25).join('\n');
if (code === 0 && url && /the extension activated and its server is ready/.test(out)) {
  result.passed.push('npm start builds, packages, opens examples/ in code-server and the extension activates');
} else {
  result.infra = /workbench|Chromium did not start|code-server \/healthz/.test(out);
  result.failed.push({ title: 'npm start -- --smoke', error: `${timedOut ? `timed out after ${timeoutS} s` : `exit ${code}`}\n${tail}` });
}
for (const t of result.passed) console.log(`ok - ${t}`);
for (const f of result.failed) console.log(`not ok - ${f.title}\n    ${f.error}`);
result.ms = Date.now() - t0;
writeResult(args.json, result);
console.log(`npm-start: ${result.passed.length} passed, ${result.failed.length} failed (${(result.ms / 1000).toFixed(1)} s)`);
process.exit(result.failed.length === 0 ? 0 : 1);
