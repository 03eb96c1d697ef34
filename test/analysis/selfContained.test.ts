/**
 * The repository is self-contained (ARCHITECTURE.md, "Design notes"; docs/dev/README.md): the design
 * knowledge the code relies on is in docs/dev/, comments cite those files by name and section, and
 * nothing reads or cites a document outside the repository. This test walks every source, script,
 * test and document we write and checks that
 * - each `<note>.md §N` (or `<note> §N`) citation names a docs/dev/ file that has a heading N,
 * - each `docs/dev/<file>.md` named exists,
 * - no file names the design folder that once sat beside the checkout, or a machine path.
 */

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
const devDocs = join(root, 'docs', 'dev');

/** Folders that are not ours or are generated (the same as .gitignore's). */
const SKIP = new Set(['node_modules', 'dist', 'out', '.cache', '.git', 'test-results', 'coverage', 'generated']);
const TEXT = /\.(ts|mjs|js|md|yaml|yml|json|lua|txt|sh)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    if (SKIP.has(f)) return [];
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return TEXT.test(f) ? [p] : [];
  });
}

/** Vendored third-party data keeps its own words (test/conformance/netpol-analyzer: its licence and provenance). */
function ours(file: string): boolean {
  const rel = relative(root, file).split('\\').join('/');
  return !rel.startsWith('test/conformance/netpol-analyzer/') && rel !== 'package-lock.json' && rel !== 'THIRD-PARTY-NOTICES.md';
}

/** The section ids a docs/dev note's headings define: `## 5. Reachability` → 5, `### 3.1 …` → 3.1, `## A.10a …` → A.10a. */
function sections(note: string): Set<string> {
  const ids = new Set<string>();
  for (const m of readFileSync(join(devDocs, `${note}.md`), 'utf8').matchAll(/^#{1,6}\s+([A-Z]?\.?\d+(?:\.\d+)*[a-z]?)\.?\s/gm)) {
    ids.add(m[1] ?? '');
  }
  return ids;
}

const NOTES = readdirSync(devDocs)
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .map((f) => f.slice(0, -3));
/** `design.md §9`, `docs/dev/checks-spec.md §1.4`, `design §8`, `api-rules.md §A.10a` (a trailing `.` ends the sentence). */
const CITATION = new RegExp(`\\b(${NOTES.join('|')})(?:\\.md)?\`?\\s*§\\s*([A-Z]?\\.?\\d+(?:\\.\\d+)*[a-z]?)`, 'g');

test('every design-note citation names a section that the note in docs/dev/ has', () => {
  const known = new Map(NOTES.map((n) => [n, sections(n)]));
  const broken: string[] = [];
  let cited = 0;
  for (const file of files(root).filter(ours)) {
    for (const m of readFileSync(file, 'utf8').matchAll(CITATION)) {
      const [note = '', id = ''] = [m[1], m[2]];
      cited++;
      if (!known.get(note)?.has(id)) broken.push(`${relative(root, file)}: ${m[0]}`);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(cited > 100, `only ${cited} citations seen: the pattern no longer matches how comments cite`);
});

test('every docs/dev/ file named exists', () => {
  const missing: string[] = [];
  for (const file of files(root).filter(ours)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/docs\/dev\/([\w-]+\.md)/g)) {
      if (!existsSync(join(devDocs, m[1] ?? ''))) missing.push(`${relative(root, file)}: ${m[0]}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('nothing reads or cites a folder outside the repository', () => {
  // Built from parts so this file does not name them itself.
  const outside = [['..', 'shared'].join('/'), ['', 'work', ''].join('/'), ['', 'tmp', 'cb'].join('/')];
  const hits: string[] = [];
  for (const file of files(root).filter(ours)) {
    const text = readFileSync(file, 'utf8');
    for (const o of outside) if (text.includes(o)) hits.push(`${relative(root, file)}: ${o}`);
  }
  assert.deepEqual(hits, []);
});

test('the citation pattern reads the forms comments use', () => {
  const probe = 'see docs/dev/design.md §9, `checks-spec.md` §1.4, design §8 and api-rules.md §A.10a.';
  assert.deepEqual(
    [...probe.matchAll(CITATION)].map((m) => `${m[1]} ${m[2]}`),
    ['design 9', 'checks-spec 1.4', 'design 8', 'api-rules A.10a'],
  );
  assert.ok(sections('design').has('9') && sections('api-rules').has('A.10a') && sections('checks-spec').has('1.4'));
});
