/**
 * server/files.ts `readIgnoreFiles`: the `.gitignore`, `.fleetignore`, Makefile and `go.mod` files of every folder
 * holding a listed file and of the folders above it, up to the repository's top (the folder with
 * `.git`); a folder named `.gitignore` or a missing one is no file, and nothing above the top is read.
 */

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readIgnoreFiles } from '../../server/files.js';

test('the .gitignore, .fleetignore, Makefile and go.mod files from each listed file up to the repository top, and none above it', () => {
  const outer = mkdtempSync(join(tmpdir(), 'kube-reach-gitignores-'));
  try {
    const repo = join(outer, 'repo');
    writeFileSync(join(outer, '.gitignore'), 'above-the-top\n');
    mkdirSync(join(repo, '.git'), { recursive: true });
    writeFileSync(join(repo, '.gitignore'), 'top\n');
    mkdirSync(join(repo, 'a', 'b'), { recursive: true });
    writeFileSync(join(repo, 'a', '.gitignore'), 'a\n');
    writeFileSync(join(repo, 'a', 'b', '.fleetignore'), 'b\n');
    writeFileSync(join(repo, 'a', 'Makefile'), 'all:\n');
    writeFileSync(join(outer, 'Makefile'), 'above-the-top\n');
    writeFileSync(join(repo, 'go.mod'), 'module example.com/repo\n');
    writeFileSync(join(outer, 'go.mod'), 'module above.the/top\n');
    writeFileSync(join(outer, '.fleetignore'), 'above-the-top\n');
    writeFileSync(join(repo, 'a', 'b', 'x.yaml'), '');
    mkdirSync(join(repo, 'c', '.gitignore'), { recursive: true });
    writeFileSync(join(repo, 'c', 'y.yaml'), '');
    mkdirSync(join(repo, 'd'));
    writeFileSync(join(repo, 'd', 'z.yaml'), '');
    const found = readIgnoreFiles([join(repo, 'a', 'b', 'x.yaml'), join(repo, 'c', 'y.yaml'), join(repo, 'd', 'z.yaml')]);
    assert.deepEqual([...found].map(([path, text]) => [path.slice(outer.length + 1), text]).sort(), [
      ['repo/.gitignore', 'top\n'],
      ['repo/a/.gitignore', 'a\n'],
      ['repo/a/Makefile', 'all:\n'],
      ['repo/a/b/.fleetignore', 'b\n'],
      ['repo/go.mod', 'module example.com/repo\n'],
    ]);
  } finally {
    rmSync(outer, { recursive: true, force: true });
  }
});
