/**
 * What test harnesses' own files decide about other files (docs/dev/units.md, test harnesses):
 * which files a chainsaw Test or StepTemplate, or a kuttl TestStep, reads as partial objects, and
 * which applied files update objects an earlier step made (kuttl's create-or-update steps and
 * manifests applied before every test, chainsaw's apply/update in the order its steps' blocks
 * run, StepTemplates a step `use`s with their bindings). Read from every file's facts, nothing
 * else. Pure.
 */

import type { FileFacts, KObject } from '../model/types.js';
import { isDeferred } from '../model/deferredFacts.js';
import { basename, dirname, displayPart, isUnder, joinPath } from '../workspace/paths.js';
import { bindingReference, CHAINSAW_GROUP, KUTTL_GROUPS } from '../model/testTools.js';
import { isGlobPath } from '../model/shellCommands.js';
import type { AppliedFile } from '../model/shellCommands.js';
import { isBuiltinGroup } from '../model/kinds.js';
import { goGlobPattern } from '../text/goGlob.js';
import { kuttlRunsOf, runsOver, suitelessKuttlRuns } from './harnessRuns.js';
import type { ChainsawRun, MakefileRuns } from './harnessRuns.js';
import { testAssertion } from './placement.js';

/** A chainsaw glob resolved against its test's folder: the folder it starts from (as written, `/`-ended) and the pattern below it. */
export interface TestPartialGlob {
  readonly base: string;
  readonly rest: RegExp;
}

/**
 * Where a chainsaw Test applies a file's objects: in the Test's unit (its folder), those without a
 * namespace in the Test's `spec.namespace` (null: an expression, unknown) or, without one, in the
 * ephemeral namespace chainsaw makes for that Test alone (floating in the Test's unit).
 */
export interface TestPlacement {
  readonly test: string;
  readonly namespace: string | null | undefined;
}

/** A kuttl test step's file: `NN-name.yaml`, its step number. */
export function kuttlStep(uri: string): number | undefined {
  const m = /^(\d+)-[^/]*\.ya?ml$/i.exec(basename(uri));
  return m === null ? undefined : Number(m[1]);
}

export function hasKuttlObject(f: FileFacts | undefined): boolean {
  return f !== undefined && !isDeferred(f) && f.objects.some((o) => KUTTL_GROUPS.includes(o.group));
}

/** A file whose objects the API server would reject as incomplete (a `Required value`), read without syntax errors. */
export function incompleteFile(f: FileFacts | undefined): boolean {
  return (
    f !== undefined && !isDeferred(f) && f.syntaxErrors.length === 0 && (f.apiFindings ?? []).some((a) => a.code === 'api-required-value')
  );
}

function objectKey(o: KObject): string | undefined {
  return o.name?.known === true ? `${o.group}/${o.kind}/${o.name.value}` : undefined;
}

/** Whether every object of `f` has the kind and name of one in `earlier`. */
function updatesAll(f: FileFacts, earlier: ReadonlySet<string>): boolean {
  return f.objects.length > 0 && f.objects.every((o) => earlier.has(objectKey(o) ?? '\u0000'));
}

/** A chainsaw `Configuration` (its namespace holds for every Test below its folder that names none). */
export function hasChainsawConfig(f: FileFacts | undefined): boolean {
  return f !== undefined && !isDeferred(f) && f.objects.some((o) => o.chainsawConfigNamespace !== undefined);
}

/** A chainsaw Test (partial files, files applied in order, StepTemplates it uses) or StepTemplate. */
export function hasTestPartials(f: FileFacts | undefined): boolean {
  // A chart template's masked reading is never made for this: a chainsaw Test is not a chart template.
  return (
    f !== undefined &&
    !isDeferred(f) &&
    f.objects.some((o) => o.testPartialFiles !== undefined || o.testAppliedFiles !== undefined || o.testTemplate !== undefined)
  );
}

/**
 * Files applied in one go (a step's files, or its commands'): each may update what the groups before made.
 * A `kubectl apply -k` build applies `built` objects (their keys), or objects not known here (`unknown`).
 */
type Applied = { readonly f: FileFacts; readonly create: boolean } | { readonly built: readonly string[] } | { readonly unknown: true };
type Group = readonly Applied[];

/**
 * The updates among `groups`, applied in order onto `earlier` (the objects that exist before): an
 * incomplete file (not created) whose objects all exist is an update; an incomplete object that is
 * no update is refused and makes nothing a later group may update.
 */
function applyGroups(groups: readonly Group[], earlier: Set<string>, updates: Set<string>): void {
  // Objects a build applied that are not known here: an incomplete file applied after may update one of them.
  let unknown = false;
  for (const group of groups) {
    for (const a of group) if ('f' in a && !a.create && incompleteFile(a.f) && (unknown || updatesAll(a.f, earlier))) updates.add(a.f.uri);
    for (const a of group) {
      if ('unknown' in a) unknown = true;
      else if ('built' in a) for (const k of a.built) earlier.add(k);
      else if (!incompleteFile(a.f) || updates.has(a.f.uri)) for (const o of a.f.objects) earlier.add(objectKey(o) ?? '');
    }
  }
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * The files `rel` names from folder `dir` as kubectl reads `-f`: the file, or the `.yaml`, `.yml`
 * and `.json` files directly in the folder.
 */
function filesNamed(
  files: ReadonlyMap<string, FileFacts>,
  folders: ReadonlyMap<string, FileFacts[]>,
  dir: string,
  rel: string,
  recursive = false,
): FileFacts[] {
  const uri = joinPath(dir, rel);
  const f = files.get(uri);
  if (f !== undefined) return isDeferred(f) ? [] : [f];
  const within = recursive
    ? [...folders].filter(([d]) => d === uri || isUnder(d, uri)).flatMap(([, list]) => list)
    : (folders.get(uri) ?? []);
  return within.filter((x) => MANIFEST_FILE.test(x.uri) && !isDeferred(x));
}

/** The objects of the Kustomize build of folder `uri` (a build root of `kust`), by kind and name; undefined when not known here. */
export type BuildObjects = (uri: string) => readonly KObject[] | undefined;

/** What a kubectl command applies: a file or folder's files (`-f`, `-R`), or a folder's Kustomize build (`-k`). */
function appliedBy(
  files: ReadonlyMap<string, FileFacts>,
  folders: ReadonlyMap<string, FileFacts[]>,
  dir: string,
  a: { readonly file: string; readonly create: boolean; readonly recursive?: boolean; readonly kustomize?: boolean },
  build: BuildObjects | undefined,
): Applied[] {
  if (a.kustomize === true) {
    const objects = build?.(joinPath(dir, a.file));
    return objects === undefined ? [{ unknown: true }] : [{ built: objects.map((o) => objectKey(o) ?? '') }];
  }
  return filesNamed(files, folders, dir, a.file, a.recursive === true).map((f) => ({ f, create: a.create }));
}

export interface KuttlSets {
  readonly updates: ReadonlySet<string>;
  /** Folders that are kuttl tests (a kuttl.dev object, a step's NN-assert file, a subfolder of a TestSuite's `testDirs`). */
  readonly folders: ReadonlySet<string>;
  /** Files and folders whose objects kuttl applies besides step files (manifest folders, files steps' commands apply): an edit there reads the test sets again. */
  readonly inputs: readonly string[];
  /** A kuttl test folder of a TestSuite's `testDirs` → every test folder of that suite (what one test asserts counts in each). */
  readonly suiteFolders: ReadonlyMap<string, readonly string[]>;
  /** Step files of tests whose suite names a `namespace`: placed in their test's unit, in that namespace. */
  readonly placed: ReadonlyMap<string, readonly TestPlacement[]>;
}

/**
 * kuttl applies a step's files as create-or-update: an object that exists already is merged with the
 * one in the file, so a later step may hold only the fields it changes (kuttl's own
 * create-or-update test: `02-update-deployment.yaml`, a Deployment with only `spec.replicas`). In a
 * kuttl test's folder (a kuttl.dev object, a step-numbered assertion file, or a subfolder of a
 * `TestSuite`'s `testDirs`), a step file whose objects the API server would reject as incomplete
 * (`api-required-value`) and which all exist already is such an update: partial objects, no
 * findings. What exists: the objects of the suite's `crdDir` and `manifestDirs` (installed before
 * every test, kuttl's harness.go `Setup`), then step by step what the earlier steps applied: a
 * step's `TestStep` runs its commands first (`kubectl apply -f x.yaml`, in the test's folder) and
 * applies its `apply` files and the step's own files after (kuttl's step.go `Run`).
 */
export function kuttlUpdatesOf(
  files: ReadonlyMap<string, FileFacts>,
  build?: BuildObjects,
  runs: ReadonlyMap<string, MakefileRuns> = new Map(),
): KuttlSets {
  const byFolder = new Map<string, FileFacts[]>();
  const suites: Array<{
    dir: string;
    manifestDirs: string[];
    testDirs: string[];
    applied: string[];
    group: Applied[];
    namespace: string | null | undefined;
  }> = [];
  const found: Array<{ uri: string; dir: string; suite: NonNullable<KObject['kuttlSuite']> }> = [];
  for (const f of files.values()) {
    const list = byFolder.get(dirname(f.uri));
    if (list === undefined) byFolder.set(dirname(f.uri), [f]);
    else list.push(f);
    if (isDeferred(f)) continue;
    for (const o of f.objects) if (o.kuttlSuite !== undefined) found.push({ uri: f.uri, dir: dirname(f.uri), suite: o.kuttlSuite });
  }
  // kuttl reads the suite's paths from the folder it runs in: the suite's own (`kuttl test`), or one
  // above it (`kuttl test --config e2e/kuttl-test.yaml`). The nearest folder where the path holds files.
  const holdsFiles = (d: string): boolean => byFolder.has(d) || [...byFolder.keys()].some((k) => isUnder(k, d));
  const resolve = (dir: string, rel: string): string => {
    for (let base = dir; ; base = dirname(base)) {
      const d = joinPath(base, rel);
      if (holdsFiles(d)) return d;
      if (base === dirname(base) || base.endsWith('://')) return joinPath(dir, rel);
    }
  };
  for (const { uri, dir, suite } of found) {
    // A Makefile's `kubectl kuttl test --config <this file> --namespace <name> [dir…]` runs the suite's tests in that
    // namespace, and its folder arguments replace the suite's testDirs (kuttl's cmd/test.go: flags override the suite).
    const ran = kuttlRunsOf(runs, uri);
    const own = suite.testDirs.map((d) => resolve(dir, d));
    // The suite's `commands` run before the tests, from the folder kuttl runs in (harness.go `Setup`).
    const applied = (suite.applied ?? []).map((a) => ({ ...a, file: resolve(dir, a.file) }));
    suites.push({
      dir,
      manifestDirs: suite.manifestDirs.map((d) => resolve(dir, d)),
      testDirs: ran.length === 0 ? own : [...new Set(ran.flatMap((r) => r.testDirs ?? own))],
      applied: applied.map((a) => a.file),
      group: applied.flatMap((a) => appliedBy(files, byFolder, dirname(a.file), { ...a, file: basename(a.file) }, build)),
      namespace: ran.length === 0 ? suite.namespace : agreed(ran.map((r) => (r.namespace !== undefined ? r.namespace : suite.namespace))),
    });
  }
  // A run without a TestSuite (no `--config`, no `kuttl-test.yaml` where it runs) tests its folder arguments'
  // subfolders, each in the `--namespace` it names or, without one, in a namespace of its own.
  for (const r of suitelessKuttlRuns(runs, (uri) => files.has(uri)))
    suites.push({ dir: r.cwd, manifestDirs: [], testDirs: [...(r.testDirs ?? [])], applied: [], group: [], namespace: r.namespace });
  const testDirs = new Set(suites.flatMap((s) => s.testDirs));
  const folders = new Set<string>();
  const steps = new Map<string, FileFacts[]>();
  // Per folder, per step number: the files its TestSteps' commands and `apply` lists apply, in order.
  const commands = new Map<string, Map<number, Applied[]>>();
  const inputs = new Set<string>();
  // Files a step's `apply` list or a command applies into a namespace (the test's, or `kubectl -n <name>`).
  const into: Array<{ dir: string; a: AppliedFile }> = [];
  for (const f of files.values()) {
    // A chart template's masked reading is never made for this (as in hasTestPartials).
    const n = kuttlStep(f.uri);
    if (n === undefined || isDeferred(f)) continue;
    const dir = dirname(f.uri);
    if (testDirs.has(dirname(dir))) folders.add(dir);
    if (testAssertion(f.uri) || hasKuttlObject(f)) folders.add(dir);
    else steps.set(dir, [...(steps.get(dir) ?? []), f]);
    for (const o of f.objects)
      for (const a of o.kuttlAppliedFiles ?? []) {
        inputs.add(joinPath(dir, a.file));
        if (a.kustomize !== true && (a.testNamespace === true || a.namespace !== undefined)) into.push({ dir, a });
        const at = commands.get(dir) ?? new Map<number, Applied[]>();
        commands.set(dir, at);
        at.set(n, [...(at.get(n) ?? []), ...appliedBy(files, byFolder, dir, a, build)]);
      }
  }
  for (const f of files.values()) if (hasKuttlObject(f)) folders.add(dirname(f.uri));
  for (const s of suites) for (const d of [...s.manifestDirs, ...s.applied]) inputs.add(d);
  // The objects each suite installs before every test (its manifest folders, read recursively as kuttl walks them).
  const suiteObjects = suites.map((s) => {
    const out = new Set<string>();
    for (const f of files.values())
      if (MANIFEST_FILE.test(f.uri) && !isDeferred(f) && !incompleteFile(f) && s.manifestDirs.some((d) => isUnder(f.uri, d)))
        for (const o of f.objects) out.add(objectKey(o) ?? '');
    return out;
  });
  const ofSuites = (dir: string): number[] =>
    suites.flatMap((s, i) => (s.testDirs.includes(dirname(dir)) || (s.testDirs.length === 0 && isUnder(dir, s.dir)) ? [i] : []));
  const installed = (dir: string): Set<string> => {
    const out = new Set<string>();
    for (const i of ofSuites(dir)) for (const k of suiteObjects[i] ?? []) out.add(k);
    return out;
  };
  const updates = new Set<string>();
  for (const dir of folders) {
    const own = steps.get(dir) ?? [];
    const cmds = commands.get(dir);
    const numbers = [...new Set([...own.map((f) => kuttlStep(f.uri) ?? 0), ...(cmds?.keys() ?? [])])].sort((a, b) => a - b);
    // What the suites' commands applied before the tests.
    const groups: Group[] = ofSuites(dir).map((i) => suites[i]?.group ?? []);
    for (const n of numbers) {
      groups.push(cmds?.get(n) ?? []);
      groups.push(own.filter((f) => kuttlStep(f.uri) === n).map((f): Applied => ({ f, create: false })));
    }
    applyGroups(groups, installed(dir), updates);
  }
  const suiteFolders = new Map<string, readonly string[]>();
  for (const s of suites) {
    const own = [...folders].filter((d) => s.testDirs.includes(dirname(d))).sort();
    if (own.length > 1) for (const d of own) suiteFolders.set(d, [...new Set([...(suiteFolders.get(d) ?? []), ...own])]);
  }
  // kuttl runs every test of a `TestSuite` that names a `namespace` in it (kuttl's TestSuite reference: "The
  // namespace to use for tests"); without one, each test gets a generated namespace (undefined: floating in the
  // test's unit). Suites that disagree, or one without a namespace beside one with it, leave it unknown (null).
  const testNamespace = (dir: string): string | null | undefined => {
    const named = new Set(ofSuites(dir).map((i) => suites[i]?.namespace));
    if (named.size === 0 || (named.size === 1 && named.has(undefined))) return undefined;
    const only = [...named][0];
    return named.size === 1 && only !== undefined ? only : null;
  };
  return { updates, folders, inputs: [...inputs], suiteFolders, placed: kuttlPlacements(files, byFolder, folders, into, testNamespace) };
}

/**
 * Where kuttl puts the objects of test files (units/testSteps.ts `TestPlacement`), where that differs from a
 * file's own reading: a test's step files in the namespace its suite names; the files a step's `apply` list
 * names (kuttl applies them as the step's own: step.go `LoadYAML`, `Create` into the test's namespace) and those
 * a command applies with `kubectl -n <name>`, `-n $NAMESPACE` or `namespaced: true`, in the test's unit (one
 * placement per test that applies it; a step file so applied stays its own test's too). A command without a
 * namespace applies into kubectl's default one: not placed.
 */
function kuttlPlacements(
  files: ReadonlyMap<string, FileFacts>,
  byFolder: ReadonlyMap<string, FileFacts[]>,
  folders: ReadonlySet<string>,
  into: ReadonlyArray<{ readonly dir: string; readonly a: AppliedFile }>,
  testNamespace: (dir: string) => string | null | undefined,
): Map<string, readonly TestPlacement[]> {
  const placed = new Map<string, Map<string, TestPlacement>>();
  const add = (uri: string, at: TestPlacement): void => {
    const byTest = placed.get(uri) ?? new Map<string, TestPlacement>();
    placed.set(uri, byTest.set(`${at.test}\u0000${String(at.namespace)}`, at));
  };
  const stepFile = (f: FileFacts): boolean =>
    folders.has(dirname(f.uri)) && kuttlStep(f.uri) !== undefined && !testAssertion(f.uri) && !isDeferred(f) && f.objects.length > 0;
  for (const dir of folders) {
    const namespace = testNamespace(dir);
    if (namespace !== undefined) for (const f of byFolder.get(dir) ?? []) if (stepFile(f)) add(f.uri, { test: dir, namespace });
  }
  for (const { dir, a } of into) {
    const namespace = a.testNamespace === true ? testNamespace(dir) : a.namespace;
    for (const f of filesNamed(files, byFolder, dir, a.file, a.recursive === true)) {
      if (f.objects.length === 0 || (dirname(f.uri) === dir && namespace === undefined)) continue;
      add(f.uri, { test: dir, namespace });
      if (stepFile(f)) add(f.uri, { test: dirname(f.uri), namespace: testNamespace(dirname(f.uri)) });
    }
  }
  const out = new Map<string, readonly TestPlacement[]>();
  for (const [uri, byTest] of placed)
    out.set(
      uri,
      [...byTest.values()].sort((x, y) => (x.test < y.test ? -1 : x.test > y.test ? 1 : 0)),
    );
  return out;
}

/** The StepTemplate a chainsaw Test's `use` names (chainsaw requires exactly one in the file). */
function templateAt(files: ReadonlyMap<string, FileFacts>, uri: string): KObject['testTemplate'] {
  const f = files.get(uri);
  if (f === undefined || isDeferred(f)) return undefined;
  const found = f.objects.filter((o) => o.testTemplate !== undefined);
  return found.length === 1 ? found[0]?.testTemplate : undefined;
}

/** A template's `file` as the Test reads it: a literal path, or a `($binding)` bound to a literal path. */
function boundFile(file: string, bindings: Readonly<Record<string, string>>): string | undefined {
  const name = bindingReference(file);
  if (name === undefined) return file;
  const v = bindings[name];
  return v === undefined || v === '' || v.includes('://') || v.startsWith('/') || /[(){}$]/.test(v) ? undefined : v;
}

/** A file a chainsaw Test applies, resolved; `namespace`: the one a script's `kubectl -n` names, over the Test's. */
interface Sequenced {
  readonly uri: string;
  readonly create: boolean;
  readonly namespace?: string | null;
}

/**
 * The files a chainsaw Test applies, in the order it runs them, resolved: chainsaw's discovery
 * (`pkg/discovery/load.go`) appends a used StepTemplate's `try` operations to the step's own, and
 * its bindings after the step's (then `use.with.bindings`: the last of a name wins); every file path
 * is relative to the Test's folder, the template's too. Only `try` blocks apply.
 */
function testSequence(files: ReadonlyMap<string, FileFacts>, testUri: string, o: KObject): Sequenced[] {
  const dir = dirname(testUri);
  const own = o.testAppliedFiles ?? [];
  const uses = o.testTemplateUses ?? [];
  let last = -1;
  for (const a of own) last = Math.max(last, a.step ?? 0);
  for (const u of uses) last = Math.max(last, u.step);
  const out: Sequenced[] = [];
  // A script's `kubectl -n <name>` puts the file's objects there, not in the Test's namespace.
  const at = (uri: string, a: AppliedFile): Sequenced => ({
    uri,
    create: a.create,
    ...(a.namespace !== undefined ? { namespace: a.namespace } : {}),
  });
  for (let step = 0; step <= last; step++) {
    const use = uses.find((u) => u.step === step);
    const tpl = use === undefined ? undefined : templateAt(files, joinPath(dir, use.template));
    const bindings = use === undefined ? {} : { ...use.outer, ...(tpl?.bindings ?? {}), ...use.with };
    for (const a of own) if ((a.step ?? 0) === step) out.push(at(joinPath(dir, a.file), a));
    for (const a of tpl?.applied ?? []) {
      const file = boundFile(a.file, bindings);
      if (file !== undefined) out.push(at(joinPath(dir, file), a));
    }
  }
  return out;
}

/**
 * chainsaw's `apply` (and `update`) merges a file into the live object when it exists, so a Test
 * may apply, after a complete Deployment, a file with only the fields it changes (kyverno/policies'
 * `deploy-good-update.yaml`). A file a Test applies or updates (not creates) whose objects the API server
 * would reject as incomplete and all have the kind and name of an object a file the Test applied
 * before holds is such an update: partial objects, no findings. So is one applied after a file
 * holding a custom resource: the objects its operator makes are not in the workspace
 * (opentelemetry-operator's tests annotate the Deployment an `OpenTelemetryCollector` makes).
 */
/**
 * The namespace chainsaw runs a Test of folder `dir` in when the Test names none: the `Configuration`
 * nearest above it (chainsaw reads `.chainsaw.yaml` from the folder it runs in, or `--config`; its
 * `namespace` then holds for every Test without `spec.namespace`, chainsaw's docs "Test namespace").
 * undefined: no Configuration names one (an ephemeral namespace per Test); null: the nearest disagree
 * or name it by an expression (unknown).
 */
function configNamespace(configs: ReadonlyArray<{ dir: string; namespace: string | null }>, dir: string): string | null | undefined {
  let best: string | undefined;
  for (const c of configs) if ((dir === c.dir || isUnder(dir, c.dir)) && (best === undefined || c.dir.length > best.length)) best = c.dir;
  if (best === undefined) return undefined;
  const names = new Set(configs.filter((c) => c.dir === best).map((c) => c.namespace));
  if (names.size > 1) return null;
  const only = [...names][0];
  return only === '' ? undefined : only;
}

/** One value when all agree, else null (unknown). */
function agreed(list: ReadonlyArray<string | null | undefined>): string | null | undefined {
  const set = new Set(list);
  return set.size === 1 ? list[0] : null;
}

/**
 * The namespace a `chainsaw test` run gives a Test that names none: its `--namespace`, else its
 * Configuration's (`--config`, or `.chainsaw.yaml` where it runs; none there: each Test's ephemeral one).
 * A `--config` file the workspace lacks, or a path written with a variable, is unknown (null).
 */
function runNamespace(files: ReadonlyMap<string, FileFacts>, r: ChainsawRun): string | null | undefined {
  if (r.namespace !== undefined) return r.namespace;
  if (r.config === null) return null;
  const f = files.get(r.config);
  const names: Array<string | null> = [];
  if (f !== undefined && !isDeferred(f))
    for (const o of f.objects) if (o.chainsawConfigNamespace !== undefined) names.push(o.chainsawConfigNamespace);
  if (names.length === 0) return r.explicit ? null : undefined;
  const only = agreed(names);
  return only === '' ? undefined : only;
}

export function chainsawUpdatesOf(
  files: ReadonlyMap<string, FileFacts>,
  runs: ReadonlyMap<string, MakefileRuns> = new Map(),
): {
  updates: ReadonlySet<string>;
  applied: ReadonlySet<string>;
  watched: ReadonlySet<string>;
  placed: ReadonlyMap<string, readonly TestPlacement[]>;
} {
  const updates = new Set<string>();
  const applied = new Set<string>();
  const watched = new Set<string>();
  const placements = new Map<string, Map<string, TestPlacement>>();
  const configs: Array<{ dir: string; namespace: string | null }> = [];
  for (const f of files.values())
    if (!isDeferred(f))
      for (const o of f.objects)
        if (o.chainsawConfigNamespace !== undefined) configs.push({ dir: dirname(f.uri), namespace: o.chainsawConfigNamespace });
  for (const t of files.values()) {
    if (!hasTestPartials(t)) continue;
    for (const o of t.objects) {
      if (o.testAppliedFiles === undefined) continue;
      const uris = testSequence(files, t.uri, o);
      const earlier = new Set<string>();
      let watch = false;
      // A custom resource applied before: its operator may have made the object (opentelemetry-operator's tests).
      let operated = false;
      // A Makefile's `chainsaw test` over this folder says which Configuration and namespace it runs with; else the nearest Configuration above.
      const over = runsOver(runs, dirname(t.uri));
      const ns =
        o.testNamespace !== undefined
          ? o.testNamespace
          : over.length > 0
            ? agreed(over.map((r) => runNamespace(files, r)))
            : configs.length === 0
              ? undefined
              : configNamespace(configs, dirname(t.uri));
      for (const { uri, create, namespace } of uris) {
        const at: TestPlacement = { test: dirname(t.uri), namespace: namespace !== undefined ? namespace : ns };
        applied.add(uri);
        const byTest = placements.get(uri) ?? new Map<string, TestPlacement>();
        placements.set(uri, byTest);
        byTest.set(`${at.test}\u0000${String(at.namespace)}`, at);
        const f = files.get(uri);
        if (f === undefined || isDeferred(f)) continue;
        if (incompleteFile(f)) {
          watch = true;
          if (!create && (operated || updatesAll(f, earlier))) updates.add(uri);
        }
        // An incomplete object that is no update is refused: it makes nothing a later file may update.
        if (incompleteFile(f) && !updates.has(uri)) continue;
        for (const x of f.objects) earlier.add(objectKey(x) ?? '');
        operated ||= f.objects.some((x) => !isBuiltinGroup(x.group));
      }
      if (watch) for (const { uri } of uris) watched.add(uri);
    }
  }
  // Placed by their Tests only where that differs from a file's own folder, floating: another folder's file, or a Test's namespace.
  const placed = new Map<string, readonly TestPlacement[]>();
  for (const [uri, byTest] of placements) {
    const list = [...byTest.values()].sort((a, b) => (a.test < b.test ? -1 : a.test > b.test ? 1 : 0));
    if (list.some((p) => p.test !== dirname(uri) || p.namespace !== undefined)) placed.set(uri, list);
  }
  return { updates, applied, watched, placed };
}

/**
 * The files the workspace's chainsaw Tests and StepTemplates and kuttl TestSteps name as partial
 * objects: literal paths, and globs. A StepTemplate's files are relative to the folder of each Test
 * that uses it (chainsaw appends its operations to the Test's step), a `($file)` bound there; read
 * relative to the template's own folder too.
 */
export function testPartialsOf(files: ReadonlyMap<string, FileFacts>): {
  literal: ReadonlySet<string>;
  globs: readonly TestPartialGlob[];
  namedBy: ReadonlyMap<string, readonly string[]>;
} {
  const literal = new Set<string>();
  const globs = new Map<string, TestPartialGlob>();
  const named = new Map<string, Set<string>>();
  const add = (f: FileFacts, rel: string): void => {
    if (!isGlobPath(rel)) {
      const uri = joinPath(dirname(f.uri), rel);
      literal.add(uri);
      // A chainsaw Test of another folder asserting this file: what it asserts counts in the Test's folder too.
      if (dirname(uri) !== dirname(f.uri) && f.objects.some((o) => o.kind === 'Test' && o.group === CHAINSAW_GROUP))
        named.set(uri, (named.get(uri) ?? new Set()).add(dirname(f.uri)));
      return;
    }
    const g = globPath(displayPart(dirname(f.uri), f.uri), rel);
    globs.set(`${g.base}${g.rest.source}`, g);
  };
  for (const f of files.values()) {
    if (!hasTestPartials(f)) continue;
    for (const o of f.objects) {
      for (const rel of o.testPartialFiles ?? []) add(f, rel);
      for (const use of o.testTemplateUses ?? []) {
        const tpl = templateAt(files, joinPath(dirname(f.uri), use.template));
        const bindings = { ...use.outer, ...(tpl?.bindings ?? {}), ...use.with };
        for (const p of tpl?.partial ?? []) {
          const rel = boundFile(p, bindings);
          if (rel !== undefined) add(f, rel);
        }
      }
    }
  }
  const namedBy = new Map<string, readonly string[]>();
  for (const [uri, dirs] of named) namedBy.set(uri, [...dirs].sort());
  return { literal, globs: [...globs.values()], namedBy };
}

/**
 * A chainsaw `file` glob joined onto folder `dir` (both as written, not percent-encoded), as Go's
 * `filepath.Join` then `filepath.Glob` read it (kyverno/chainsaw `pkg/loaders/resource/load.go`):
 * `.` and `..` resolved, then each segment a `filepath.Match` pattern (`*` any run and `?` any one
 * character within a folder, `[…]` a class negated by `^` only: `!` and braces are plain, `**` is
 * `*`). A malformed pattern, which chainsaw reports as an error, matches nothing.
 */
function globPath(dir: string, glob: string): TestPartialGlob {
  let base = dir;
  const rest: string[] = [];
  for (const seg of glob.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg !== '..') rest.push(seg);
    else if (rest.length > 0) rest.pop();
    else base = dirname(base);
  }
  return { base: `${base}/`, rest: goGlobPattern(rest.join('/')) ?? NOTHING };
}

const NOTHING = /(?!)/;
