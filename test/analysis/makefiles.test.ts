/**
 * Which Makefile recipes rewrite a kustomization before they build (analysis/workspace/makefiles.ts
 * `rewrittenByMakefile`): redirections, in-place edits and copies onto it do; reading it does not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rewrittenByMakefile } from '../../analysis/workspace/makefiles.js';

const K = 'file:///ws/system/kustomization.yaml';
const M = 'file:///ws/system/Makefile';

function rewrites(recipe: string): boolean {
  return rewrittenByMakefile(K, (u) => (u === M ? `target:\n\t${recipe}\n` : undefined)) === M;
}

describe('rewrittenByMakefile', () => {
  it('finds recipes that replace or edit the kustomization', () => {
    for (const recipe of [
      '@cat base/kustomization.yaml > kustomization.yaml',
      'cat patches.yaml >> ./kustomization.yaml',
      '@yq -i \'.namePrefix = "metal3-"\' kustomization.yaml',
      "$(SED) -i 's/a/b/' kustomization.yaml",
      'yq --inplace .namespace=x kustomization.yaml',
      '@cp templates/kustomization.yaml kustomization.yaml',
      'mv tmp.yaml kustomization.yaml && kubectl kustomize',
    ])
      assert.equal(rewrites(recipe), true, recipe);
  });

  it('ignores recipes that only read it, and other files of the same stem', () => {
    for (const recipe of [
      'cat kustomization.yaml',
      'kubectl kustomize . > out.yaml',
      'cp kustomization.yaml backup/',
      'cat x > kustomization.yaml.bak',
      "yq -i '.a = 1' other/kustomization.yaml",
      'grep -i image kustomization.yaml',
    ])
      assert.equal(rewrites(recipe), false, recipe);
  });

  it('looks only at the Makefile of the kustomization folder, recording what it read', () => {
    const read: string[] = [];
    const found = rewrittenByMakefile(
      K,
      (u) => (u === 'file:///ws/Makefile' ? 'x:\n\tcat a > system/kustomization.yaml\n' : undefined),
      (u) => read.push(u),
    );
    assert.equal(found, undefined);
    assert.deepEqual(read, ['file:///ws/system/Makefile', 'file:///ws/system/GNUmakefile']);
  });
});
