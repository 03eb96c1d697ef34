/**
 * What a test tool's own objects say about other files: a kyverno/chainsaw `Test` or `StepTemplate`
 * names, in its steps' operations, files that are partial objects, never applied as they stand: a
 * `patch` file is merged into a live object (a Deployment without `spec.selector`), `assert` and
 * `error` files are compared with the cluster, `delete` files name what to delete. A chainsaw `file`
 * may be a glob (`0*-assert.yaml`, `../assertions/*.yaml`): chainsaw joins it onto the test's folder
 * and expands it with Go's `filepath.Glob` (`*`, `?`, `[…]` within one folder). A kuttl `TestStep`
 * (`kuttl.dev`, formerly `kudo.dev`) lists, at its top level, `assert` and `error` files compared
 * with the cluster, a file or a folder's `*.yaml` files (its `apply` files are applied; its
 * `delete` entries are object references, not files). Their paths, as written (relative to the
 * test's file), are kept on the object (`KObject.testPartialFiles`); the units read them
 * (units/structure.ts `testPartials`). `apply`, `create` and `update` files are complete objects
 * and stay manifests.
 */

import type { YNode } from '../syntax/tree.js';
import { get, isMap, isSeq } from '../syntax/tree.js';
import { numberValue, plainString } from './values.js';

export const CHAINSAW_GROUP = 'chainsaw.kyverno.io';

/** kuttl's API groups: `kuttl.dev`, and `kudo.dev` that kuttl still reads. */
export const KUTTL_GROUPS: readonly string[] = ['kuttl.dev', 'kudo.dev'];

/** The operations whose `file` holds partial objects. */
const PARTIAL_OPERATIONS: readonly string[] = ['patch', 'assert', 'error', 'delete'];

/** The blocks of a step (and of a StepTemplate's spec) that list operations. */
const BLOCKS: readonly string[] = ['try', 'catch', 'finally', 'cleanup'];

/** A relative path, literal or a `filepath.Glob` pattern: no URL, no template expression. */
function relativePath(p: string): boolean {
  return p !== '' && !p.includes('://') && !/[{}()$]/.test(p) && !p.startsWith('/');
}

/** Whether a path names files by a pattern (`*`, `?`, `[…]`) rather than literally. */
export function isGlobPath(p: string): boolean {
  return /[*?[]/.test(p);
}

function operationsFiles(block: YNode | undefined, out: string[]): void {
  if (!isSeq(block)) return;
  for (const op of block.items) {
    for (const name of PARTIAL_OPERATIONS) {
      const file = plainString(get(get(op, name), 'file'));
      if (file !== undefined && relativePath(file)) out.push(file);
    }
  }
}

/** A file a chainsaw Test applies, creates or updates (`create` fails on an object that exists: never an update). */
export interface AppliedFile {
  readonly file: string;
  readonly create: boolean;
}

/**
 * The files a chainsaw `Test`'s steps apply, create or update, in the order its steps' `try` blocks
 * run them (literal paths): a file applied after another may update that one's objects
 * (units/structure.ts `stepUpdates`).
 */
export function chainsawAppliedFiles(kind: string, spec: YNode | undefined): readonly AppliedFile[] {
  const steps = kind === 'Test' && isMap(spec) ? get(spec, 'steps') : undefined;
  if (!isSeq(steps)) return [];
  const out: AppliedFile[] = [];
  for (const step of steps.items) {
    const block = get(step, 'try');
    if (!isSeq(block)) continue;
    for (const op of block.items)
      for (const name of ['apply', 'create', 'update']) {
        const file = plainString(get(get(op, name), 'file'));
        if (file !== undefined && relativePath(file) && !isGlobPath(file)) out.push({ file, create: name === 'create' });
      }
  }
  return out;
}

/** The files a chainsaw `Test` (spec.steps[].try/catch/finally/cleanup) or `StepTemplate` (spec.try/…) reads as partial objects. */
export function chainsawPartialFiles(kind: string, spec: YNode | undefined): readonly string[] {
  if (!isMap(spec)) return [];
  const out: string[] = [];
  const steps = kind === 'Test' ? get(spec, 'steps') : undefined;
  const holders = kind === 'Test' ? (isSeq(steps) ? steps.items : []) : [spec];
  for (const step of holders) for (const b of BLOCKS) operationsFiles(get(step, b), out);
  return [...new Set(out)];
}

/**
 * The files a kuttl `TestStep` compares with the cluster (its top-level `assert` and `error` lists),
 * literal paths as kuttl reads no globs. An entry may name a folder, whose `*.yaml` files (not its
 * subfolders', nor `.yml`) kuttl reads: an entry that does not end in `.yaml` or `.yml` also gives
 * that pattern below it.
 */
export function kuttlPartialFiles(root: YNode | undefined): readonly string[] {
  const out: string[] = [];
  for (const key of ['assert', 'error']) {
    const list = get(root, key);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      const file = plainString(item);
      if (file === undefined || !relativePath(file) || isGlobPath(file)) continue;
      out.push(file);
      if (!/\.ya?ml$/i.test(file)) out.push(`${file.replace(/\/+$/, '')}/*.yaml`);
    }
  }
  return [...new Set(out)];
}

/** What a ClusterLoader2 test config (or a module it includes) names: object templates and modules, paths as written. */
export interface ClusterLoaderConfig {
  /** `name`: the one name CL2 gives the template's objects, when a literal basename and one replica say it (`<basename>-0`). */
  readonly templates: ReadonlyArray<{ readonly path: string; readonly name: string | undefined }>;
  readonly modules: readonly string[];
}

/**
 * A ClusterLoader2 (kubernetes/perf-tests) test config or module: `steps:`, each a `module:` with a
 * `path`, or `phases:` whose `objectBundle:` entries name an `objectTemplatePath`. CL2 creates each
 * template's objects itself, `replicasPerNamespace` of them, named `<basename>-<index>` (it sets
 * `metadata.name`); every path is relative to the test config's folder (a module's too). Literal
 * paths only. A phase of 0 replicas deletes: it names no object.
 */
export function clusterLoaderConfig(root: YNode | undefined): ClusterLoaderConfig | undefined {
  const steps = isMap(root) ? get(root, 'steps') : undefined;
  if (!isSeq(steps)) return undefined;
  const templates = new Map<string, string | undefined>();
  const modules: string[] = [];
  for (const step of steps.items) {
    const module = plainString(get(get(step, 'module'), 'path'));
    if (module !== undefined && relativePath(module)) modules.push(module);
    const phases = get(step, 'phases');
    for (const phase of isSeq(phases) ? phases.items : []) {
      const replicas = numberValue(get(phase, 'replicasPerNamespace'));
      if (replicas?.known === true && replicas.value === 0) continue;
      const bundle = get(phase, 'objectBundle');
      for (const o of isSeq(bundle) ? bundle.items : []) {
        const path = plainString(get(o, 'objectTemplatePath'));
        if (path === undefined || !relativePath(path)) continue;
        const basename = plainString(get(o, 'basename'));
        const one = replicas?.known === true && replicas.value === 1 && basename !== undefined && /^[a-z0-9][-a-z0-9.]*$/.test(basename);
        const name = one ? `${basename}-0` : undefined;
        templates.set(path, templates.has(path) && templates.get(path) !== name ? undefined : name);
      }
    }
  }
  if (templates.size + modules.length === 0) return undefined;
  return { templates: [...templates].map(([path, name]) => ({ path, name })), modules: [...new Set(modules)] };
}
