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

test('the CI files of the repository top and the shell scripts the runners name', () => {
  const outer = mkdtempSync(join(tmpdir(), 'kube-reach-runners-'));
  try {
    const repo = join(outer, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    mkdirSync(join(repo, 'deploy'), { recursive: true });
    mkdirSync(join(repo, 'hack', 'lib'), { recursive: true });
    mkdirSync(join(repo, 'unnamed'), { recursive: true });
    writeFileSync(join(repo, '.github', 'workflows', 'e2e.yml'), 'jobs:\n  a:\n    steps:\n      - run: ./hack/e2e.sh\n');
    writeFileSync(join(repo, '.github', 'workflows', 'notes.md'), 'not a workflow\n');
    writeFileSync(join(repo, '.gitlab-ci.yml'), 'e2e:\n  script: [make e2e]\n');
    writeFileSync(join(repo, 'Makefile'), 'deploy:\n\tbash hack/deploy.sh\n');
    writeFileSync(join(repo, 'hack', 'e2e.sh'), 'source "lib/common.sh"\n');
    writeFileSync(join(repo, 'hack', 'deploy.sh'), 'kubectl apply -n web -f deploy/\n');
    writeFileSync(join(repo, 'hack', 'lib', 'common.sh'), 'set -e\n');
    writeFileSync(join(repo, 'unnamed', 'x.sh'), 'kubectl apply -f .\n');
    writeFileSync(join(repo, 'deploy', 'install.sh'), 'kubectl apply -n web -f .\n');
    writeFileSync(join(repo, 'deploy', 'web.yaml'), '');
    const found = readIgnoreFiles([join(repo, 'deploy', 'web.yaml')]);
    assert.deepEqual([...found.keys()].map((path) => path.slice(repo.length + 1)).sort(), [
      '.github/workflows/e2e.yml',
      '.gitlab-ci.yml',
      'Makefile',
      'hack/deploy.sh',
      'hack/e2e.sh',
      'hack/lib/common.sh',
    ]);
  } finally {
    rmSync(outer, { recursive: true, force: true });
  }
});
