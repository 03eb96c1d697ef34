/**
 * T9's activation half (docs/dev/design.md §9): in a fresh Node process, the time to load the
 * extension bundle (dist/client.js) and run its `activate` with a stand-in for the `vscode` module
 * (every API a no-op that returns another stand-in; no language server is started, as the real
 * client starts it asynchronously after `activate` returns). VS Code's own part of activation (the
 * extension host, reading package.json) is not included. Prints `{"loadMs", "activateMs",
 * "loadCpuMs", "activateCpuMs"}` (wall and this process's CPU time).
 *
 * The extension host loads plain JavaScript: the bench runs this script bundled by esbuild with a
 * plain `node` (under tsx, tsx's require hook would see the 0.5–2 MB bundle and add its own time).
 *
 * Usage: node --import tsx scripts/bench/activation.ts [dist/client.js]
 */

import Module from 'node:module';
import { join, resolve } from 'node:path';

/** A callable, constructible object whose every property is another one (never a thenable). */
function standIn(): unknown {
  const target = function () {
    /* stand-in */
  };
  const proxy: unknown = new Proxy(target, {
    get(_t, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      return proxy;
    },
    set: () => true,
    defineProperty: () => true,
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

// Named members, so the bundle's ES-module interop copies them (it copies own keys); any other
// member (vscode-languageclient reads many classes) is a stand-in too.
const members: Record<string, unknown> = {};
for (const name of ['Disposable', 'EventEmitter', 'Location', 'Position', 'Range', 'TextEditorRevealType', 'Uri', 'ViewColumn'])
  members[name] = standIn();
for (const name of ['commands', 'extensions', 'languages', 'window', 'workspace', 'env']) members[name] = standIn();
members['version'] = '1.100.0';
const vscode: unknown = new Proxy(members, {
  get: (t, key) =>
    // `__esModule`: TypeScript's import helper then takes the module as it is (members on demand).
    key === '__esModule' ? true : typeof key === 'string' && !(key in t) && key !== 'then' ? (t[key] = standIn()) : t[key as string],
});
type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown; _resolveFilename: Resolve };
const load = loader._load.bind(Module);
loader._load = (request: string, ...rest: unknown[]): unknown => (request === 'vscode' ? vscode : load(request, ...rest));

const bundle = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'dist', 'client.js'));
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const c0 = cpuMs();
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require(bundle) as { activate?: (context: unknown) => unknown };
const t1 = performance.now();
const c1 = cpuMs();
let activateMs = NaN;
let activateCpuMs = NaN;
try {
  const context = standIn();
  const a0 = performance.now();
  const ac0 = cpuMs();
  extension.activate?.(context);
  activateMs = performance.now() - a0;
  activateCpuMs = cpuMs() - ac0;
} catch (e) {
  process.stderr.write(`activate threw with the stand-in vscode: ${e instanceof Error ? e.message : String(e)}\n`);
}
process.stdout.write(JSON.stringify({ loadMs: t1 - t0, activateMs, loadCpuMs: c1 - c0, activateCpuMs }) + '\n');
process.exit(0);
