// gitignore(5) matching on the analysis' file ids (analysis/workspace/gitignore.ts): a table of
// .gitignore files, paths, and the .gitignore that ignores each (or none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ignoredBy } from '../../analysis/workspace/gitignore.js';

const R = 'file:///repo';
const files = new Map<string, string>([
  [
    `${R}/.gitignore`,
    [
      '# comment',
      'config/overlays/dev/manager_image_patch.yaml',
      '*.local.yaml',
      '!keep.local.yaml',
      'build/',
      '/top-only.yaml',
      'docs/**/gen-*.yaml',
      '\\#hash.yaml',
      'trailing.yaml   ',
      'sub/',
      '!sub/inside.yaml',
    ].join('\n'),
  ],
  [`${R}/deep/.gitignore`, ['!x.local.yaml', 'only-here.yaml', 'dir/*.yaml'].join('\n')],
]);
const text = (u: string): string | undefined => files.get(u);

const cases: Array<[string, string | undefined]> = [
  ['config/overlays/dev/manager_image_patch.yaml', `${R}/.gitignore`],
  ['config/overlays/dev_mutation/manager_image_patch.yaml', undefined],
  ['a/b/replicas.local.yaml', `${R}/.gitignore`],
  ['a/keep.local.yaml', undefined],
  ['build/patch.yaml', `${R}/.gitignore`],
  ['x/build/patch.yaml', `${R}/.gitignore`],
  ['build.yaml', undefined],
  ['top-only.yaml', `${R}/.gitignore`],
  ['x/top-only.yaml', undefined],
  ['docs/gen-a.yaml', `${R}/.gitignore`],
  ['docs/a/b/gen-a.yaml', `${R}/.gitignore`],
  ['docs/a/b/other.yaml', undefined],
  ['#hash.yaml', `${R}/.gitignore`],
  ['trailing.yaml', `${R}/.gitignore`],
  // A file cannot be re-included when a folder above it is ignored.
  ['sub/inside.yaml', `${R}/.gitignore`],
  // A deeper .gitignore overrides a higher one.
  ['deep/x.local.yaml', undefined],
  ['deep/y.local.yaml', `${R}/.gitignore`],
  ['deep/only-here.yaml', `${R}/deep/.gitignore`],
  ['only-here.yaml', undefined],
  ['deep/dir/a.yaml', `${R}/deep/.gitignore`],
  ['deep/dir/nested/a.yaml', undefined],
];

for (const [path, want] of cases) {
  test(`gitignore: ${path} → ${want ?? 'not ignored'}`, () => {
    assert.equal(ignoredBy(`${R}/${path}`, text), want);
  });
}

test('gitignore: the .gitignore files looked at are reported (a build records them as inputs)', () => {
  const read: string[] = [];
  ignoredBy(`${R}/deep/dir/a.yaml`, text, (u) => read.push(u));
  assert.ok(read.includes(`${R}/.gitignore`) && read.includes(`${R}/deep/.gitignore`) && read.includes(`${R}/deep/dir/.gitignore`));
});
