/**
 * The sealed core (ARCHITECTURE.md, "Invariants"): server/, cli/, client/ and webview/ enter
 * analysis/ only through analysis/index.ts, and client/ and webview/ not at all. eslint.config.mjs
 * says the same with no-restricted-imports; this test walks the import specifiers of every file,
 * `import … from`, `export … from` and dynamic `import()` alike, so a rule that stops matching
 * (a new layout, a new kind of specifier) cannot let one through.
 */

import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'generated' ? [] : files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** `from '…'`, `import('…')` and a bare `import '…'`: the relative specifier. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'(\.[^']*)'/gm;

/** Relative specifiers of a file's imports and re-exports (or of `text` as if it were that file), as repository paths. */
function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const specs = [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? '');
  return specs.map((s) =>
    relative(root, resolve(dirname(file), s))
      .split('\\')
      .join('/'),
  );
}

test('server/ and cli/ import analysis/ only through analysis/index.ts; client/ and webview/ not at all', () => {
  const leaks: string[] = [];
  for (const layer of ['server', 'cli', 'client', 'webview']) {
    for (const file of files(join(root, layer))) {
      for (const target of importsOf(file)) {
        if (!target.startsWith('analysis/')) continue;
        const allowed = (layer === 'server' || layer === 'cli') && target === 'analysis/index.js';
        if (!allowed) leaks.push(`${relative(root, file)} → ${target}`);
      }
    }
  }
  assert.deepEqual(leaks, []);
});

test('the walker sees the import shapes it guards', () => {
  const probe = join(root, 'server', 'probe.ts');
  const shapes = [
    "import { a } from '../analysis/model/types.js';",
    "import type { B } from '../analysis/index.js';",
    "export { c } from '../analysis/reachability/engine.js';",
    "const d = await import('../analysis/host.js');",
  ];
  assert.deepEqual(importsOf(probe, shapes.join('\n')), [
    'analysis/model/types.js',
    'analysis/index.js',
    'analysis/reachability/engine.js',
    'analysis/host.js',
  ]);
});
