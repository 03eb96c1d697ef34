/**
 * Test inputs: plain files in a folder named `testdata` or in a folder inside one (Go's convention: the go tool
 * ignores such a folder, and a package's tests read its files by name, each test the ones it needs). An
 * implementation's e2e suite keeps a shared `setup.yaml` there and one file per test case, applied before the test
 * and deleted after it (kgateway's `test/kubernetes/e2e/features/*\/testdata/`, Envoy Gateway's
 * `test/e2e/testdata/`); a translator's table test reads a folder of cases over a shared `_defaults.yaml`
 * (agentgateway's `translator/testdata/routes/`): nothing in the folder says two of its files are applied together. Checks that compare objects of one unit with each other
 * as if applied together (two routes answering the same requests) do not compare objects of two such files;
 * docs/dev/units.md §1. A folder that is a Kustomize root, a Helm chart's or a GitOps unit's is built together
 * and is no such folder.
 */

import type { Placed } from './placement.js';
import { basename, dirname, foldersUp } from '../workspace/paths.js';

/** A folder named `testdata`, or one inside such a folder (a group of cases: `testdata/backendpolicy/`). */
function underTestData(dir: string): boolean {
  for (let d = dir; d !== '.' && d !== '/' && d !== ''; d = dirname(d)) if (basename(d) === 'testdata') return true;
  return false;
}

/** The folder at or under `testdata` whose plain file holds `p`; undefined for any other object. */
function testDataFolder(p: Placed, kustomizeDirs: ReadonlySet<string>): string | undefined {
  const dir = dirname(p.obj.uri);
  if (!underTestData(dir) || kustomizeDirs.has(dir)) return undefined;
  // A plain file's unit is its folder; a build root, chart or GitOps unit names something else.
  return p.placements.every((pl) => pl.unit === dir) && p.placements.length > 0 ? dir : undefined;
}

/** `a` and `b` are in two different files of one `testdata` folder: test inputs nothing says are applied together. */
export function separateTestInputs(a: Placed, b: Placed, kustomizeDirs: ReadonlySet<string>): boolean {
  if (a.obj.uri === b.obj.uri) return false;
  const folder = testDataFolder(a, kustomizeDirs);
  return folder !== undefined && folder === testDataFolder(b, kustomizeDirs);
}

export { testDataFolder };

/** The folders of Go modules: those holding a `go.mod` among the support files the hosts hand over (server/files.ts). */
export function goModulesOf(support: Iterable<string>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const uri of support) if (basename(uri) === 'go.mod') out.add(dirname(uri));
  return out;
}

/**
 * The `testdata` folder of a Go module that holds file `uri` (the nearest one at or above its folder whose
 * module, a folder holding `go.mod`, is above it), with that module's folder; undefined otherwise. The go tool
 * ignores such a folder and the package's tests read its files: inputs, often deliberately invalid, and goldens
 * a test compares its output with (DataDog's datadog-operator keeps rendered goldens there).
 */
export function goTestData(uri: string, modules: ReadonlySet<string>): { readonly folder: string; readonly module: string } | undefined {
  if (modules.size === 0) return undefined;
  const up = foldersUp(uri);
  for (let i = 0; i < up.length; i++) {
    const d = up[i] ?? '';
    if (basename(d) !== 'testdata') continue;
    const module = up.slice(i + 1).find((m) => modules.has(m));
    if (module !== undefined) return { folder: d, module };
  }
  return undefined;
}
