/**
 * Invariants of ARCHITECTURE.md that lint rules do not state, checked on the source:
 * - analysis/ imports only `yaml` and itself (its other rules: eslint.config.mjs, analysis/tsconfig.json);
 * - no check relocates findings for Kustomize: analysis/checks/ imports nothing from the Kustomize
 *   builder (`render/kustomize/`) or `units/kustomize.ts` (the runner moves findings to where a field
 *   was written);
 * - checks read the workspace only through index accessors: no check reads `index.objects`, which
 *   would make its file depend on every edit;
 * - the absence rules live in checks/support/evidence.ts: the firewall's inputs (whether a unit parsed
 *   completely, whether the workspace owns a namespace, the external and complete namespaces of the
 *   settings, the operators that may make what is missing) are read there and in the policy scope
 *   helpers of checks/support/policies.ts, by no check itself;
 * - one bundler: esbuild, from scripts/build.mjs's entry points (scripts/entries.mjs), makes every
 *   bundle package.json names; no other bundler is a dependency.
 */

import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');

function files(dir: string, name = /\.ts$/): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'node_modules' || f === 'fixtures' ? [] : files(p, name);
    return name.test(p) ? [p] : [];
  });
}

/** Every specifier of `import … from`, `export … from` (a statement at the start of a line), `import('…')` and a bare `import '…'`. */
const SPECIFIER = /^(?:import|export)\s[^;(]*?\bfrom\s*'([^']*)'|\bimport\s*\(\s*'([^']*)'|^import\s+'([^']*)'/gm;

function specifiers(text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

const rel = (file: string): string => relative(root, file).split('\\').join('/');

test('analysis/ imports only yaml and itself', () => {
  const outside: string[] = [];
  let seen = 0;
  for (const file of files(join(root, 'analysis'))) {
    for (const s of specifiers(readFileSync(file, 'utf8'))) {
      seen++;
      if (s === 'yaml') continue;
      const target = s.startsWith('.') ? rel(resolve(dirname(file), s)) : s;
      if (!target.startsWith('analysis/')) outside.push(`${rel(file)} → ${s}`);
    }
  }
  assert.deepEqual(outside, []);
  assert.ok(seen > 1000, `only ${seen} imports seen in analysis/: the pattern no longer reads them`);
});

test('no check imports the Kustomize builder or units/kustomize.ts', () => {
  const found: string[] = [];
  for (const file of files(join(root, 'analysis', 'checks'))) {
    for (const s of specifiers(readFileSync(file, 'utf8'))) {
      const target = s.startsWith('.') ? rel(resolve(dirname(file), s)) : s;
      if (target.startsWith('analysis/render/kustomize/') || target === 'analysis/units/kustomize.js') found.push(`${rel(file)} → ${s}`);
    }
  }
  assert.deepEqual(found, []);
});

test('checks never read index.objects (every object of the workspace)', () => {
  const found: string[] = [];
  for (const file of files(join(root, 'analysis', 'checks'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bindex\.objects\b(?!In|Of)/g)) found.push(`${rel(file)}: ${m[0]}`);
  }
  assert.deepEqual(found, []);
});

test('the walkers see what they guard', () => {
  const probe = [
    "import { a } from 'elkjs';",
    'import {\n  b,\n  c,\n} from "../x.js";'.replace(/"/g, "'"),
    "export { d } from '../render/kustomize/build.js';",
    "import 'yaml';",
    "const e = await import('./lazy.js');",
    "  if (x === 'from') return y ? 'a' : 'b';",
  ].join('\n');
  assert.deepEqual(specifiers(probe), ['elkjs', '../x.js', '../render/kustomize/build.js', 'yaml', './lazy.js']);
  assert.equal([...'ctx.index.objects.filter(…); ctx.index.objectsIn(ns)'.matchAll(/\bindex\.objects\b(?!In|Of)/g)].length, 1);
  const gateProbe = [
    'if (!ctx.index.unitComplete(pl.unit)) continue;',
    'const own = ctx.index.owns(ns, o);',
    'ctx.settings.externalNamespaces.some((e) => e.name === ns)',
    'ctx.settings.completeNamespaces.includes(ns)',
    "import { mayMakeUnseenPods, operatorServiceNames } from '../model/operators.js';",
    'const units = ctx.index.unitsComplete; owner.ownsScope(x); /** `completeNamespaces` in prose */',
  ].join('\n');
  assert.deepEqual(
    [...gateProbe.matchAll(FIREWALL_INPUT)].map((m) => m[0]),
    ['.unitComplete(', '.owns(', '.externalNamespaces', '.completeNamespaces', 'mayMakeUnseenPods', 'operatorServiceNames'],
  );
});

/** What the false-positive firewall decides from (checks/support/evidence.ts `absenceGate`, `operatorSignal`, `unseenPodMakers`). */
const FIREWALL_INPUT =
  /\.(?:unitComplete|owns)\(|\.(?:externalNamespaces|completeNamespaces)\b|\b(?:mayMakeUnseenPods|operatorServiceNames)\b/g;

/** The files that may read the firewall's inputs: the firewall, and the scope helpers the policy checks share. */
const FIREWALL_FILES = ['analysis/checks/support/evidence.ts', 'analysis/checks/support/policies.ts'];

test("the absence rules live in checks/support/evidence.ts: no check reads the firewall's inputs itself", () => {
  const found: string[] = [];
  let readers = 0;
  for (const file of files(join(root, 'analysis', 'checks'))) {
    const hits = [...readFileSync(file, 'utf8').matchAll(FIREWALL_INPUT)].map((m) => m[0]);
    if (hits.length === 0) continue;
    if (FIREWALL_FILES.includes(rel(file))) readers++;
    else found.push(`${rel(file)}: ${hits.join(', ')}`);
  }
  assert.deepEqual(found, []);
  assert.equal(readers, FIREWALL_FILES.length, 'the firewall no longer reads its inputs where this test looks: update FIREWALL_INPUT');
});

/** Packages that bundle: a second one beside esbuild would be a second build to keep in step. */
const BUNDLERS = [
  'webpack',
  'rollup',
  'vite',
  'parcel',
  'tsup',
  'tsdown',
  'rolldown',
  '@rspack/core',
  '@swc/core',
  '@vercel/ncc',
  'browserify',
  'microbundle',
  'unbuild',
];

test('one bundler: esbuild, from scripts/build.mjs, makes every bundle package.json names', async () => {
  const pkg: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.ok(typeof pkg === 'object' && pkg !== null);
  const deps = Object.entries(pkg).flatMap(([k, v]) =>
    /^(?:d|devD|optionalD|peerD)ependencies$/.test(k) && typeof v === 'object' && v !== null ? Object.keys(v) : [],
  );
  assert.ok(deps.includes('esbuild'));
  assert.deepEqual(
    deps.filter((d) => BUNDLERS.some((b) => d === b || d.startsWith(`${b}-`) || d.startsWith(`@${b}/`))),
    [],
  );
  // package.json's main and bin, and the script the panel loads, are outputs of the entry points.
  const entries: unknown = (await import(join(root, 'scripts', 'entries.mjs'))).ENTRIES;
  assert.ok(Array.isArray(entries) && entries.length > 0);
  const outputs = new Set(
    entries.map((e: unknown) => (typeof e === 'object' && e !== null && 'out' in e ? `dist/${String(e.out)}.js` : '')),
  );
  const named = [...readFileSync(join(root, 'package.json'), 'utf8').matchAll(/"\.\/(dist\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  named.push('dist/server.js', 'dist/webview.js');
  assert.ok(named.length >= 4, `package.json names ${named.length} bundles`);
  assert.deepEqual(
    named.filter((n) => !outputs.has(n)),
    [],
  );
  // Only the build script writes dist/: the other importers of esbuild bundle in memory or to a temporary folder.
  const importers: string[] = [];
  for (const dir of ['scripts', 'analysis', 'server', 'cli', 'client', 'webview', 'protocol', 'test']) {
    for (const file of files(join(root, dir), /\.(?:ts|mjs)$/)) {
      if (specifiers(readFileSync(file, 'utf8')).includes('esbuild')) importers.push(rel(file));
    }
  }
  // scripts/bench/bench.ts bundles T9's activation harness into a temporary folder.
  assert.deepEqual(importers.sort(), ['scripts/bench/bench.ts', 'scripts/bench/reach-bench.ts', 'scripts/build.mjs', 'scripts/notices.ts']);
});
