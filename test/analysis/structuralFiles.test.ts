/**
 * Which files can move other files' objects (analysis/units/structure.ts `isStructural`): the check
 * first looks for an object of a kind some predicate names (`STRUCTURAL_KINDS`), so an edit of a
 * 5 MB bundle walks its objects once. Every fixture file gets the answer of all the predicates.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import { isStructural, objectStructural } from '../../analysis/units/structure.js';

function yamlFiles(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir).sort()) {
    const f = join(dir, e);
    if (statSync(f).isDirectory()) yamlFiles(f, out);
    else if (/\.ya?ml$/.test(e)) out.push(f);
  }
  return out;
}

it('a file is structural exactly when one of the predicates says so', () => {
  const root = join(__dirname, '..');
  let structural = 0;
  let plain = 0;
  for (const top of ['fixtures', 'corpus'].flatMap((d) => readdirSync(join(root, d)).map((e) => join(root, d, e)))) {
    if (!statSync(top).isDirectory()) continue;
    const host = new AnalysisHost();
    for (const f of yamlFiles(top, [])) host.setFile(`file://${f}`, readFileSync(f, 'utf8'));
    for (const [uri, facts] of host.snapshot().index.files) {
      const expected = objectStructural(facts);
      assert.equal(isStructural(facts), expected, uri);
      if (expected) structural++;
      else plain++;
    }
  }
  assert.ok(structural > 20 && plain > 200, `${structural} structural, ${plain} plain files`);
});

/** One object of each kind a predicate names, behind a Service (a bundle's first object is rarely the one). */
const STRUCTURAL_OBJECTS = [
  'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  path: ./apps\n',
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: repo\nspec:\n  url: https://example.com/repo\n',
  'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app\n',
  'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: apps\n',
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: prod\n  labels:\n    argocd.argoproj.io/secret-type: cluster\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cmd-params-cm\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cmp-cm\n',
  'apiVersion: argoproj.io/v1alpha1\nkind: ConfigManagementPlugin\nmetadata:\n  name: kustomize-build\n',
  'apiVersion: fleet.cattle.io/v1alpha1\nkind: GitRepo\nmetadata:\n  name: apps\nspec:\n  repo: https://example.com/repo\n',
];

it('a file holding an object of any structural kind is structural', () => {
  const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n';
  for (const [i, doc] of STRUCTURAL_OBJECTS.entries()) {
    const host = new AnalysisHost();
    const uri = `file:///ws/bundle-${i}.yaml`;
    host.setFile(uri, `${service}---\n${doc}`);
    const facts = host.snapshot().index.files.get(uri);
    assert.equal(objectStructural(facts), true, doc);
    assert.equal(isStructural(facts), true, doc);
  }
});
