/**
 * The published packages (README "Developing", CHANGELOG "Packaging"): THIRD-PARTY-NOTICES.md lists
 * every package esbuild bundles into dist/; `vsce ls` ships the README's images and the icon but no
 * dist/cli.js; the npm tarball holds package.json's `files` allow-list and the `bin` entry, and installed from the tarball in
 * an empty folder, with no dependencies, `kube-reach check` runs on examples/. Needs dist/ (npm
 * test builds it first).
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { bundleInputs, bundledPackages, notices, packageOfInput } from '../../scripts/notices.js';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  dependencies?: Record<string, string>;
  icon: string;
  engines: { node: string };
  files: string[];
};

it('THIRD-PARTY-NOTICES.md is generated from the bundles and lists every bundled package with its licence', async () => {
  const inputs = await bundleInputs();
  const names = new Set([...inputs.values()].flat().flatMap((i) => packageOfInput(i) ?? []));
  assert.ok(names.has('elkjs') && names.has('yaml') && names.has('vscode-languageserver'), [...names].join(', '));
  const text = readFileSync(join(root, 'THIRD-PARTY-NOTICES.md'), 'utf8');
  for (const n of names) assert.ok(text.includes(`| ${n} |`) && text.includes(`## ${n} `), `${n} is listed`);
  for (const p of bundledPackages(inputs)) assert.notEqual(p.license, 'UNKNOWN', p.name);
  assert.equal(text, await notices(), 'regenerate with npm run docs');
  assert.match(text, /elkjs \| [^|]+ \| EPL-2\.0/);
  // Activation never compiles the panel's layout library: it is dist/elk.js (over dist/elk-worker.js), required on the first layout the worker could not make.
  assert.ok(!(inputs.get('client') ?? []).some((i) => packageOfInput(i) === 'elkjs'), 'elkjs is not in the client bundle');
  assert.ok(
    (inputs.get('elk') ?? []).some((i) => packageOfInput(i) === 'elkjs'),
    'elkjs is dist/elk.js',
  );
  // Nor the language client: dist/languageClient.js, loaded right after `activate` returns.
  assert.ok(
    !(inputs.get('client') ?? []).some((i) => packageOfInput(i) === 'vscode-languageclient'),
    'no language client in the client bundle',
  );
  assert.ok((inputs.get('languageClient') ?? []).some((i) => packageOfInput(i) === 'vscode-languageclient'));
});

it("dist/elk.js, the extension host's elkjs when the webview's worker fails, lays out with dist/elk-worker.js (the webview's worker script) in its own thread: elkjs ships once", () => {
  assert.ok(existsSync(join(root, 'dist/elk.js')) && existsSync(join(root, 'dist/elk-worker.js')), 'build first (npm run build)');
  // A fresh Node, as the extension host requires it (the bundle is CommonJS).
  const script = `const m = require(${JSON.stringify(join(root, 'dist/elk.js'))}); let C = m; while (typeof C !== 'function' && C && 'default' in C) C = C.default;
new C().layout({ id: 'root', layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT' }, children: [{ id: 'a', width: 10, height: 10 }, { id: 'b', width: 10, height: 10 }], edges: [{ id: 'e', sources: ['a'], targets: ['b'] }] })
  .then((g) => console.log(JSON.stringify(g.children.map((c) => [c.id, c.x > 0 || c.id === 'a', c.y]))), (e) => { console.error(String(e)); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const laid = JSON.parse(r.stdout) as Array<[string, boolean, number]>;
  assert.deepEqual(
    laid.map(([id, right]) => [id, right]),
    [
      ['a', true],
      ['b', true],
    ],
  );
  assert.equal(laid[0]?.[2], laid[1]?.[2], 'b beside a, on its row');
  // elkjs's 1.6 MB is in the worker script alone: dist/elk.js is its API.
  assert.ok(readFileSync(join(root, 'dist/elk.js'), 'utf8').length < 100_000);
});

it('package.json: no runtime dependencies (dist/ bundles them), an icon, a changelog', () => {
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
  assert.ok(existsSync(join(root, pkg.icon)));
  assert.ok(existsSync(join(root, 'CHANGELOG.md')));
});

it('vsce ls: the README images and the icon ship in the VSIX, dist/cli.js, sources and maps do not', () => {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'ls'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.trim().split('\n');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+\.png)\)/g)].map((m) => m[1] ?? '');
  assert.ok(images.length >= 5);
  for (const img of images) assert.ok(files.includes(img), `${img} ships`);
  for (const f of [
    'dist/client.js',
    'dist/elk.js',
    'dist/elk-worker.js',
    'dist/languageClient.js',
    'dist/server.js',
    'dist/webview.js',
    'schemas/kube-reach.schema.json',
    pkg.icon,
    'CHANGELOG.md',
    'THIRD-PARTY-NOTICES.md',
    'LICENSE',
  ])
    assert.ok(files.includes(f), f);
  assert.ok(!files.includes('dist/cli.js'), 'the extension never loads the CLI bundle');
  assert.ok(
    !files.some((f) => f.endsWith('.map') || f.endsWith('.ts') || f.startsWith('test/') || f.startsWith('node_modules/')),
    files.join(' '),
  );
});

it('npm: the tarball holds only the allow-list, and installed alone it runs kube-reach check', () => {
  assert.ok(existsSync(join(root, 'dist/cli.js')), 'build first (npm run build)');
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-npm-'));
  const env = { ...process.env, npm_config_cache: join(dir, 'cache'), NODE_OPTIONS: '' };
  const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', env });
  assert.equal(packed.status, 0, packed.stderr);
  const info = (JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>)[0];
  assert.ok(info !== undefined);
  const paths = info.files.map((f) => f.path).sort();
  // npm packs the `files` allow-list (the VSIX's list, shared) plus the `bin` entry by itself.
  const listed = pkg.files.flatMap((f) => (f.endsWith('*.png') ? paths.filter((p) => p.startsWith(f.slice(0, -5))) : [f]));
  const expected = [
    ...new Set([
      ...listed.filter((f) => !f.endsWith('/')),
      ...paths.filter((p) => pkg.files.some((f) => f.endsWith('/') && p.startsWith(f))),
    ]),
  ];
  assert.deepEqual(paths, [...expected, 'README.md', 'dist/cli.js', 'package.json'].sort());
  assert.ok(!pkg.files.includes('dist/cli.js'), 'the VSIX never ships the CLI bundle; npm adds it as the bin entry');
  assert.ok(pkg.files.some((f) => f.startsWith('schemas/')) && pkg.files.includes('docs/cli.md'));
  assert.ok(!paths.some((p) => p.endsWith('.map') || p.endsWith('.ts') || p.startsWith('test/')), paths.join(' '));
  const app = join(dir, 'app');
  const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--prefix', app, join(dir, info.filename)], {
    encoding: 'utf8',
    env,
  });
  assert.equal(install.status, 0, install.stderr);
  assert.doesNotMatch(install.stderr, /EBADENGINE/);
  const check = spawnSync(join(app, 'node_modules/.bin/kube-reach'), ['check', join(root, 'examples'), '--format', 'json'], {
    cwd: app,
    encoding: 'utf8',
    env,
  });
  assert.equal(check.status, 1, check.stderr);
  assert.equal((JSON.parse(check.stdout) as { diagnostics: unknown[] }).diagnostics.length, 6);
  const version = spawnSync(join(app, 'node_modules/.bin/kube-reach'), ['--version'], { encoding: 'utf8', env });
  assert.equal(version.stdout, `kube-reach ${pkg.version}\n`);
});
