/**
 * Test inputs: plain files directly in a folder named `testdata` (Go's convention: the go tool ignores such a
 * folder, and a package's tests read its files by name, each test the ones it needs). An implementation's e2e
 * suite keeps a shared `setup.yaml` there and one file per test case, applied before the test and deleted after
 * it (kgateway's `test/kubernetes/e2e/features/*\/testdata/`, Envoy Gateway's `test/e2e/testdata/`): nothing in
 * the folder says two of its files are applied together. Checks that compare objects of one unit with each other
 * as if applied together (two routes answering the same requests) do not compare objects of two such files;
 * docs/dev/units.md §1. A folder that is a Kustomize root, a Helm chart's or a GitOps unit's is built together
 * and is no such folder.
 */

import type { Placed } from './placement.js';
import { basename, dirname } from '../workspace/paths.js';

/** The `testdata` folder whose plain file holds `p` directly; undefined for any other object. */
function testDataFolder(p: Placed, kustomizeDirs: ReadonlySet<string>): string | undefined {
  const dir = dirname(p.obj.uri);
  if (basename(dir) !== 'testdata' || kustomizeDirs.has(dir)) return undefined;
  // A plain file's unit is its folder; a build root, chart or GitOps unit names something else.
  return p.placements.every((pl) => pl.unit === dir) && p.placements.length > 0 ? dir : undefined;
}

/** `a` and `b` are in two different files of one `testdata` folder: test inputs nothing says are applied together. */
export function separateTestInputs(a: Placed, b: Placed, kustomizeDirs: ReadonlySet<string>): boolean {
  if (a.obj.uri === b.obj.uri) return false;
  const folder = testDataFolder(a, kustomizeDirs);
  return folder !== undefined && folder === testDataFolder(b, kustomizeDirs);
}
