/**
 * `isRecord` has one definition, analysis/narrow.ts (ARCHITECTURE.md, "Narrowing untrusted input"):
 * server/ and cli/ import it through analysis/index.ts, client/ and webview/ through
 * protocol/narrow.ts. This test walks every TypeScript file we write for a second definition, by
 * name (`isRecord`, `isRec`, …) or as the bare test `typeof v === 'object' && v !== null &&
 * !Array.isArray(v)` written out in place.
 */

import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
const LAYERS = ['analysis', 'server', 'cli', 'client', 'webview', 'protocol', 'scripts', 'test'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'fixtures' || f === 'node_modules' ? [] : files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** A function or constant named like the helper. */
const NAMED = /\b(?:function|const|let|var)\s+(isRec(?:ord)?|isPlainObject|isObjectRecord)\b/g;
/** The helper's body written in place (an expression that goes on with `&&` tests something else). */
const INLINE = /typeof (\w+) === 'object' && \1 !== null && !Array\.isArray\(\1\)(?!\s*&&)/g;

function definitions(text: string): string[] {
  return [...[...text.matchAll(NAMED)].map((m) => m[0]), ...[...text.matchAll(INLINE)].map((m) => m[0])];
}

test('isRecord is defined once, in analysis/narrow.ts', () => {
  const found: string[] = [];
  for (const layer of LAYERS) {
    for (const file of files(join(root, layer))) {
      const rel = relative(root, file).split('\\').join('/');
      if (rel === 'analysis/narrow.ts' || rel === 'test/analysis/oneIsRecord.test.ts') continue;
      for (const d of definitions(readFileSync(file, 'utf8'))) found.push(`${rel}: ${d}`);
    }
  }
  assert.deepEqual(found, []);
  assert.equal(definitions(readFileSync(join(root, 'analysis', 'narrow.ts'), 'utf8')).length, 2, 'the one definition is seen');
});

test('the walker sees the shapes of a second definition', () => {
  const probe = [
    'function isRec(v: unknown): v is Rec {',
    "const isRecord = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);",
    "const rec = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {};",
    "if (typeof op === 'object' && op !== null && !Array.isArray(op) && !(op instanceof Map)) {}",
  ].join('\n');
  assert.equal(definitions(probe).length, 4, 'two names, two bodies written in place; the Map test goes on with &&');
});
