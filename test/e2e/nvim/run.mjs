#!/usr/bin/env node
// Headless Neovim 0.7 against `kube-reach lsp --stdio` (dist/cli.js), on a throwaway copy of
// examples/: a specific diagnostic code and range, a hover naming a workload, and a completion
// item holding a workspace label value.
//
//   node test/e2e/nvim/run.mjs [--json result.json] [--timeout 60]
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, cleanup, hardTimeout, killTree, makeTmp, parseArgs, writeResult } from '../lib/harness.mjs';

const args = parseArgs(process.argv.slice(2));
const timeoutS = Number(args.timeout ?? 60);
const t0 = Date.now();
const tmp = makeTmp('kube-reach-nvim-');
const result = { name: 'neovim', passed: [], failed: [], infra: false };
let child;
const disarm = hardTimeout(timeoutS * 1000, async () => killTree(child?.pid));

function check(name, cond, detail) {
  if (cond) result.passed.push(name);
  else result.failed.push({ title: name, error: detail });
}

/** 0-based line of `text` (exact), optionally the first after the line `after`. */
function lineOf(lines, text, after) {
  let seen = after === undefined;
  for (let i = 0; i < lines.length; i++) {
    if (!seen && lines[i] === after) seen = true;
    else if (seen && lines[i] === text) return i;
  }
  throw new Error(`no line "${text}"`);
}

function runNvim(envExtra) {
  const out = join(tmp, `nvim-${Date.now()}.json`);
  return new Promise((resolve) => {
    child = spawn(
      'nvim',
      ['--headless', '--clean', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(ROOT, 'test', 'e2e', 'nvim', 'lsp-client.lua')}`],
      {
        env: {
          ...process.env,
          KR_OUT: out,
          KR_TIMEOUT: '20000',
          XDG_STATE_HOME: join(tmp, 'state'),
          XDG_DATA_HOME: join(tmp, 'data'),
          ...envExtra,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('error', (e) => resolve({ errors: [`nvim did not start: ${e.message}`] }));
    child.on('exit', () => {
      killTree(child.pid); // the language server, if nvim left it behind
      if (!existsSync(out)) resolve({ errors: [`nvim wrote no result; stderr: ${stderr.slice(-2000)}`] });
      else resolve(JSON.parse(readFileSync(out, 'utf8')));
    });
  });
}

try {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is not built: run npm run build');
  const ws = join(tmp, 'ws');
  cpSync(join(ROOT, 'examples'), ws, { recursive: true });
  const catalogFile = join(ws, 'shop', 'catalog.yaml');
  const catalog = readFileSync(catalogFile, 'utf8').split('\n');
  const typo = lineOf(catalog, '    app: catalgo');
  const typoCol = catalog[typo].indexOf('catalgo');
  const frontend = readFileSync(join(ws, 'shop', 'frontend.yaml'), 'utf8').split('\n');
  const selector = lineOf(frontend, '    app: frontend', 'kind: Service');
  const cmd = JSON.stringify([process.execPath, join(ROOT, 'dist', 'cli.js'), 'lsp', '--stdio']);

  const a = await runNvim({
    KR_CMD: cmd,
    KR_ROOT: ws,
    KR_FILE: catalogFile,
    KR_WAIT_CODE: 'service-selector-no-match',
    KR_COMPLETE: `${typo}:${typoCol}`,
  });
  const d = (a.diagnostics ?? []).find((x) => x.code === 'service-selector-no-match');
  check(
    'service-selector-no-match on catalog.yaml with its exact range',
    d && d.lnum === typo && d.col === typoCol && d.end_lnum === typo && d.end_col === typoCol + 'catalgo'.length,
    JSON.stringify({ diagnostics: a.diagnostics, errors: a.errors }),
  );
  check(
    'completion in the selector offers the workspace label value "catalog"',
    (a.completion ?? []).includes('catalog'),
    JSON.stringify({ completion: a.completion, errors: a.errors }),
  );

  const b = await runNvim({ KR_CMD: cmd, KR_ROOT: ws, KR_FILE: join(ws, 'shop', 'frontend.yaml'), KR_HOVER: `${selector}:6` });
  check(
    'hover on a Service selector names the Deployment it selects',
    /Deployment "frontend"/.test(b.hover ?? ''),
    JSON.stringify({ hover: b.hover, errors: b.errors }),
  );
} catch (e) {
  result.failed.push({ title: 'neovim runner', error: e instanceof Error ? e.message : String(e) });
} finally {
  disarm();
  cleanup(tmp);
}
for (const t of result.passed) console.log(`ok - ${t}`);
for (const f of result.failed) console.log(`not ok - ${f.title}\n    ${String(f.error).slice(0, 2000)}`);
result.ms = Date.now() - t0;
writeResult(args.json, result);
console.log(`neovim: ${result.passed.length} passed, ${result.failed.length} failed (${(result.ms / 1000).toFixed(1)} s)`);
process.exit(result.failed.length === 0 && result.passed.length > 0 ? 0 : 1);
