// Shared machinery of the real-editor tests (docs/dev/design.md §8): code-server on a free 127.0.0.1 port with
// throwaway folders, Debian's Chromium through playwright-core, state waits with deadlines, and
// cleanup by PID. Every failure is classified: `InfraError` means the editor itself did not come
// up (the caller may retry the whole run once and print FLAKY); anything else is a test failure.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CS_VERSION = '4.100.3';
export const CS_ENTRY = join(ROOT, '.cache', `code-server-${CS_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** The editor did not come up: eligible for the single whole-run retry. */
export class InfraError extends Error {
  constructor(message) {
    super(message);
    this.name = 'InfraError';
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

const tick = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws `what` after `ms`. */
export async function waitFor(fn, what, ms, ErrorType = Error) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new ErrorType(`timed out after ${ms} ms waiting for ${what}`);
    await tick(100);
  }
}

export function makeTmp(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Kills a process group (we start code-server detached) and the process itself, by PID. */
export function killTree(pid, signal = 'SIGKILL') {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* not a group leader, or gone */
  }
  try {
    process.kill(pid, signal);
  } catch {
    /* gone */
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Children of `ppid` (Linux /proc), for finding the Chromium that playwright-core started. */
export function childPids(ppid) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === ppid) out.push(Number(d));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'editor.accessibilitySupport': 'off',
  'files.autoSave': 'off',
};

/** Installs a VSIX into `extensionsDir` with code-server's own CLI (offline). */
export function installVsix(vsix, extensionsDir, tmp) {
  const env = { ...process.env, XDG_CONFIG_HOME: join(tmp, 'xdg-config'), XDG_DATA_HOME: join(tmp, 'xdg-data') };
  delete env.NODE_OPTIONS;
  const r = spawnSync(
    process.execPath,
    [CS_ENTRY, '--extensions-dir', extensionsDir, '--user-data-dir', join(tmp, 'user-data'), '--install-extension', vsix],
    { env, encoding: 'utf8', timeout: 60000 },
  );
  if (r.status !== 0) throw new InfraError(`code-server --install-extension failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/**
 * Starts code-server with throwaway user-data, extensions and XDG folders under `tmp`.
 * Resolves once /healthz answers 200; the process is a group leader so `stop` takes its
 * extension hosts and language servers with it.
 */
export async function startCodeServer({ tmp, extensionsDir, env = {}, settings = {}, logFile }) {
  if (!existsSync(CS_ENTRY)) throw new Error(`code-server ${CS_VERSION} is not installed: run scripts/provision-e2e.sh`);
  const userDataDir = join(tmp, 'user-data');
  const extDir = extensionsDir ?? join(tmp, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
  const configFile = join(tmp, 'config.yaml');
  writeFileSync(configFile, 'auth: none\n');
  const port = await freePort();
  const childEnv = { ...process.env, ...env, XDG_CONFIG_HOME: join(tmp, 'xdg-config'), XDG_DATA_HOME: join(tmp, 'xdg-data') };
  delete childEnv.NODE_OPTIONS;
  delete childEnv.NODE_PATH;
  const log = logFile ?? join(tmp, 'code-server.log');
  const out = openSync(log, 'a');
  const args = [
    CS_ENTRY,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--config',
    configFile,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  const proc = spawn(process.execPath, args, { env: childEnv, stdio: ['ignore', out, out], detached: true });
  const pid = proc.pid;
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!pid) return;
    killTree(pid, 'SIGTERM');
    const end = Date.now() + 5000;
    while (alive(pid) && Date.now() < end) await tick(50);
    killTree(pid, 'SIGKILL');
  };
  try {
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new InfraError(`code-server exited with ${proc.exitCode}; log: ${tail(log)}`);
        return (await httpStatus(`${url}/healthz`)) === 200;
      },
      'code-server /healthz',
      60000,
      InfraError,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, pid, log, userDataDir, extensionsDir: extDir, stop };
}

export function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Launches Debian's Chromium headless with a fresh profile. Returns the context and a `close`
 * that closes it and then kills, by PID, any Chromium process that playwright-core started.
 */
export async function launchChromium(tmp) {
  const { chromium } = await import('playwright-core');
  const before = new Set(childPids(process.pid));
  const profile = mkdtempSync(join(tmp, 'chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      timeout: 60000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-features=Translate,MediaRouter',
      ],
    });
  } catch (e) {
    throw new InfraError(`Chromium did not start: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
  const pids = childPids(process.pid).filter((p) => !before.has(p));
  const close = async () => {
    await Promise.race([context.close().catch(() => {}), tick(10000)]);
    for (const p of pids) killTree(p, 'SIGKILL');
  };
  return { context, pids, close };
}

/** Removes a throwaway folder unless KUBE_REACH_E2E_KEEP is set (for debugging). */
export function cleanup(dir) {
  if (process.env.KUBE_REACH_E2E_KEEP) {
    console.error(`kept ${dir}`);
    return;
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Arms a hard timeout for the whole run: on expiry, `onExpire` runs and the process exits 124. */
export function hardTimeout(ms, onExpire) {
  const t = setTimeout(async () => {
    console.log(`not ok - hard timeout: the run took longer than ${ms / 1000} s`);
    try {
      await onExpire();
    } finally {
      process.exit(124);
    }
  }, ms);
  t.unref();
  return () => clearTimeout(t);
}

/** Writes a runner's machine-readable result for scripts/test-real-editors.mjs. */
export function writeResult(file, result) {
  if (file) writeFileSync(file, JSON.stringify(result, null, 2));
}

export function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const k = a.slice(2);
    if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) o[k] = argv[++i];
    else o[k] = true;
  }
  return o;
}
