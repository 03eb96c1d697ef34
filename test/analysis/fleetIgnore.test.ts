// Fleet's `.fleetignore` (analysis/units/fleetIgnore.ts), as rancher/fleet's bundle reader walks a
// bundle's folder (internal/bundlereader/loaddirectory.go): a table of bundles (files, with their
// `.fleetignore` texts) and the files their content keeps. The cases follow Fleet's documented
// behaviour and its loader's own test cases, written here in our words.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fleetIgnore, fleetIgnoreLines, foldersOf } from '../../analysis/units/fleetIgnore.js';

const ROOT = 'file:///repo/bundle';

interface Case {
  readonly name: string;
  /** Path below the bundle → text (`.fleetignore` files among them). */
  readonly files: Readonly<Record<string, string>>;
  /** The files (not `.fleetignore`) the bundle's content keeps. */
  readonly kept: readonly string[];
  readonly malformed?: string;
}

const CASES: readonly Case[] = [
  { name: 'no .fleetignore', files: { 'a.yaml': '', 'chart/values.yaml': '' }, kept: ['a.yaml', 'chart/values.yaml'] },
  { name: 'an empty one', files: { '.fleetignore': '', 'a.yaml': '' }, kept: ['a.yaml'] },
  {
    name: 'a comment, and an escaped # that names a file',
    files: { '.fleetignore': '#a.yaml\n\\#b.yaml\n', 'a.yaml': '', '#b.yaml': '' },
    kept: ['a.yaml'],
  },
  { name: 'names, one absent', files: { '.fleetignore': 'absent.txt\na.yaml', 'a.yaml': '', 'b.yaml': '' }, kept: ['b.yaml'] },
  { name: 'a glob', files: { '.fleetignore': 'test-*', 'test-a.yaml': '', 'prod.yaml': '' }, kept: ['prod.yaml'] },
  {
    name: 'trailing spaces dropped unless escaped',
    files: { '.fleetignore': 'a.yaml  \r\nb.yaml\\ \n', 'a.yaml': '', 'b.yaml ': '', 'b.yaml': '' },
    kept: ['b.yaml'],
  },
  { name: 'a folder by name', files: { '.fleetignore': 'docs', 'docs/x.yaml': '', 'a.yaml': '' }, kept: ['a.yaml'] },
  {
    name: 'at any depth below',
    files: { '.fleetignore': 'x.yaml', 'a/b/x.yaml': '', 'a/b/y.yaml': '' },
    kept: ['a/b/y.yaml'],
  },
  {
    name: 'neighbour folders keep their own',
    files: { 'one/.fleetignore': 'x.yaml', 'one/x.yaml': '', 'two/x.yaml': '' },
    kept: ['two/x.yaml'],
  },
  {
    name: "a parent's lines reach a child's folder, added to its own",
    files: {
      '.fleetignore': 'always.yaml',
      'a/always.yaml': '',
      'a/x.yaml': '',
      'b/.fleetignore': 'x.yaml',
      'b/x.yaml': '',
      'b/y.yaml': '',
      'b/always.yaml': '',
    },
    kept: ['a/x.yaml', 'b/y.yaml'],
  },
  {
    name: '<folder>/* leaves out folders of that name at any depth, never files',
    files: { '.fleetignore': 'cache/*', 'cache/a.yaml': '', 'x/cache/b.yaml': '', 'x/c.yaml': '' },
    kept: ['x/c.yaml'],
  },
  {
    name: 'a line naming a path matches nothing (Fleet matches names)',
    files: { '.fleetignore': 'apps/web\nold/\nweb/*.yaml\n!keep.yaml\n**', 'apps/web/a.yaml': '', 'old/b.yaml': '', 'web/c.yaml': '' },
    kept: [],
  },
  {
    name: 'without ** the same paths are kept',
    files: { '.fleetignore': 'apps/web\nold/\nweb/*.yaml', 'apps/web/a.yaml': '', 'old/b.yaml': '', 'web/c.yaml': '' },
    kept: ['apps/web/a.yaml', 'old/b.yaml', 'web/c.yaml'],
  },
  {
    name: "a folder's lines reach siblings whose names start with its name (Fleet's tree compares strings)",
    files: { 'web/.fleetignore': 'x.yaml', 'web/x.yaml': '', 'web-dev/x.yaml': '', 'webdev.yaml': '', 'other/x.yaml': '' },
    kept: ['other/x.yaml', 'webdev.yaml'],
  },
  {
    name: 'hidden files and folders are never content',
    files: { '.github/ci.yaml': '', '.hidden.yaml': '', 'a.yaml': '' },
    kept: ['a.yaml'],
  },
  {
    name: 'a folder left out: its .fleetignore is never read',
    files: { '.fleetignore': 'off', 'off/.fleetignore': 'a.yaml', 'off/x.yaml': '', 'offset/a.yaml': '' },
    kept: ['offset/a.yaml'],
  },
  {
    name: 'a malformed pattern fails the walk',
    files: { '.fleetignore': 'a.yaml\n[z', 'a.yaml': '', 'b.yaml': '' },
    kept: ['b.yaml'],
    malformed: '[z',
  },
];

for (const c of CASES)
  test(`.fleetignore: ${c.name}`, () => {
    const texts = new Map(Object.entries(c.files).map(([p, t]) => [`${ROOT}/${p.split('/').map(encodeURIComponent).join('/')}`, t]));
    const files = [...texts.keys()].filter((u) => !u.endsWith('/.fleetignore'));
    const read = fleetIgnore(ROOT, foldersOf(ROOT, files), (u) => texts.get(u));
    const kept = files
      .filter((u) => !read.ignored(u))
      .map((u) => decodeURIComponent(u.slice(ROOT.length + 1)))
      .sort();
    assert.deepEqual(kept, [...c.kept].sort());
    assert.equal(read.malformed?.line, c.malformed);
  });

test('.fleetignore lines: comments and empty lines skipped, trailing white space dropped unless escaped', () => {
  assert.deepEqual(fleetIgnoreLines('# c\n\n  \na \t\nb\\ \n\\#c\r\n'), [' ', 'a', 'b\\ ', '\\#c']);
});

test('a file outside the bundle is not its business', () => {
  const read = fleetIgnore(ROOT, [ROOT], () => '*');
  assert.equal(read.ignored('file:///repo/other/a.yaml'), false);
  assert.equal(read.ignored(`${ROOT}/a.yaml`), true);
});
