// `npm start`: build, package the VSIX, and open examples/ in a real editor with the extension.
//   - `code` on PATH: `code --extensionDevelopmentPath=<repo> examples/` (desktop VS Code).
//   - otherwise: code-server 4.100.3 (scripts/provision-e2e.sh) on a free 127.0.0.1 port with
//     throwaway user-data and extensions folders, the VSIX installed, examples/ opened; prints the
//     URL and runs until Ctrl+C.
// `npm start -- --smoke`: the same through code-server, then opens the URL in headless Chromium,
// waits until the extension has activated and its server is ready (the "Kube Reach" log), and
// exits 0 (the real-editor tests run this).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, installVsix, launchChromium, makeTmp, startCodeServer, waitFor } from '../test/e2e/lib/harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const smoke = process.argv.includes('--smoke');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, 'out', `${pkg.name}-${pkg.version}.vsix`);
const examples = join(root, 'examples');

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// 1. Build and package (scripts/package.mjs builds minified bundles, then runs vsce).
const packaged = spawnSync(process.execPath, [join(root, 'scripts/package.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
if (packaged.status !== 0) process.exit(packaged.status ?? 1);

// 2a. Desktop VS Code.
if (!smoke && onPath('code')) {
  console.log(`start: code --extensionDevelopmentPath=${root} ${examples}`);
  const r = spawnSync('code', [`--extensionDevelopmentPath=${root}`, examples], { stdio: 'inherit' });
  process.exit(r.status ?? 0);
}

// 2b. code-server.
const check = spawnSync('bash', [join(root, 'scripts/provision-e2e.sh'), '--check'], { encoding: 'utf8' });
if (check.status !== 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    const prov = spawnSync('bash', [join(root, 'scripts/provision-e2e.sh')], { stdio: 'inherit' });
    if (prov.status !== 0) process.exit(1);
  } else {
    console.error(`start: no \`code\` on PATH and code-server is not installed (${check.stdout.trim()}).`);
    console.error('start: install VS Code, or run scripts/provision-e2e.sh as root (Debian/Ubuntu).');
    process.exit(1);
  }
}

const tmp = makeTmp('kube-reach-start-');
const extensionsDir = join(tmp, 'extensions');
let cs;
let browser;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (browser) await browser.close();
  if (cs) await cs.stop();
  cleanup(tmp);
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** The extension's log file ("Kube Reach" output channel) under the code-server user-data dir. */
function findLog(dir) {
  let found;
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      let s;
      try {
        s = statSync(p);
      } catch {
        continue;
      }
      if (s.isDirectory()) walk(p);
      else if (f === 'Kube Reach.log') found = p;
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

try {
  installVsix(vsix, extensionsDir, tmp);
  cs = await startCodeServer({ tmp, extensionsDir });
  const url = `${cs.url}/?folder=${encodeURIComponent(examples)}`;
  console.log(`start: Kube Reach ${pkg.version} in code-server (pid ${cs.pid}); open ${url}`);
  if (!smoke) {
    console.log('start: Ctrl+C stops code-server and removes its throwaway folders.');
    await new Promise(() => {}); // until a signal
  }
  // Smoke mode: a browser opens the workbench; the extension activates on the YAML workspace.
  browser = await launchChromium(tmp);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(url, { timeout: 60000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  const log = await waitFor(
    () => {
      const f = findLog(join(cs.userDataDir, 'logs'));
      return f && /server ready/.test(readFileSync(f, 'utf8')) ? f : undefined;
    },
    'the extension to activate and its server to be ready',
    90000,
  );
  console.log(`start: the extension activated and its server is ready (${log.slice(tmp.length + 1)})`);
  await stop(0);
} catch (e) {
  console.error(`start: ${e instanceof Error ? e.message : String(e)}`);
  if (cs) console.error(`start: code-server log: ${cs.log}`);
  await stop(1);
}
