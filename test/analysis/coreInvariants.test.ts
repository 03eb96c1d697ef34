/**
 * Invariants of ARCHITECTURE.md that lint rules do not state, checked on the source:
 * - analysis/ imports only `yaml` and itself (its other rules: eslint.config.mjs, analysis/tsconfig.json);
 * - no check relocates findings for Kustomize: analysis/checks/ imports nothing from the Kustomize
 *   builder (`render/kustomize/`) or `units/kustomize.ts` (the runner moves findings to where a field
 *   was written);
 * - checks read the workspace only through index accessors: no check reads `index.objects`, which
 *   would make its file depend on every edit.
 */

import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') ? [p] : [];
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
});
