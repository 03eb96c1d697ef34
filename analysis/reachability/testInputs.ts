/**
 * Files of one Go `testdata` folder are inputs of separate tests, applied one at a time (`units/testData.ts`,
 * docs/dev/units.md §1): the gateway checks never compare routes of two of them, and `reach` and
 * `explain --via-gateway` read them the same way. Routes of two such files never take each other's requests or
 * connections (`apart`), and a request through a Gateway whose routes come from several such files is answered
 * test by test (`testScopes`): in each, the routes of one file with those of no such file.
 */

import type { Placed } from '../workspace/workspaceIndex.js';
import { testDataFolder } from '../units/testData.js';
import type { ReachEngine } from './engine.js';

/** Per engine and object: the `testdata` folder whose plain file holds it (`null`: none), read once. */
const folders = new WeakMap<ReachEngine, WeakMap<Placed, string | null>>();

function folderOf(engine: ReachEngine, p: Placed): string | undefined {
  let perEngine = folders.get(engine);
  if (perEngine === undefined) folders.set(engine, (perEngine = new WeakMap()));
  let f = perEngine.get(p);
  if (f === undefined) perEngine.set(p, (f = testDataFolder(p, engine.analysis.index.kustomizeDirs()) ?? null));
  return f ?? undefined;
}

/**
 * `a` and `b` are in two files of one `testdata` folder: never applied together (`separateTestInputs`, with each
 * object's folder read once: routes are compared pairwise).
 */
export function apart(engine: ReachEngine, a: Placed, b: Placed): boolean {
  if (a.obj.uri === b.obj.uri) return false;
  const folder = folderOf(engine, a);
  return folder !== undefined && folder === folderOf(engine, b);
}

/** One test's view of a Gateway's routes: the file it applies (`file`, in `folder`) and the routes it holds (`only`). */
export interface TestScope {
  readonly file: string;
  readonly folder: string;
  readonly only: (p: Placed) => boolean;
}

/**
 * The tests a Gateway's routes (`routes`: those naming it) are read in, when they come from two or more files of one
 * `testdata` folder: per such file, its routes and those of no such file. Undefined otherwise (one reading).
 */
export function testScopes(engine: ReachEngine, routes: readonly Placed[]): TestScope[] | undefined {
  const files = new Map<string, string>();
  for (const p of routes) {
    const folder = folderOf(engine, p);
    if (folder !== undefined) files.set(p.obj.uri, folder);
  }
  const perFolder = new Map<string, number>();
  for (const folder of files.values()) perFolder.set(folder, (perFolder.get(folder) ?? 0) + 1);
  const scopes: TestScope[] = [];
  for (const [file, folder] of [...files].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if ((perFolder.get(folder) ?? 0) < 2) continue;
    scopes.push({ file, folder, only: (p) => p.obj.uri === file || folderOf(engine, p) !== folder });
  }
  return scopes.length > 0 ? scopes : undefined;
}
