/**
 * What a test tool's own objects say about other files: a kyverno/chainsaw `Test` or `StepTemplate`
 * names, in its steps' operations, files that are partial objects, never applied as they stand: a
 * `patch` file is merged into a live object (a Deployment without `spec.selector`), `assert` and
 * `error` files are compared with the cluster, `delete` files name what to delete. A chainsaw `file`
 * may be a glob (`0*-assert.yaml`, `../assertions/*.yaml`): chainsaw joins it onto the test's folder
 * and expands it with Go's `filepath.Glob` (`*`, `?`, `[…]` within one folder). A kuttl `TestStep`
 * (`kuttl.dev`, formerly `kudo.dev`) lists, at its top level, `assert` and `error` files compared
 * with the cluster, a file or a folder's `*.yaml` files (its `apply` files are applied; its
 * `delete` entries are object references, not files). A gator `Suite` (Gatekeeper's `gator verify`)
 * names its cases' `object` and `inventory` files, evaluated against policies, never applied. Their
 * paths, as written (relative to the
 * test's file), are kept on the object (`KObject.testPartialFiles`); the units read them
 * (units/structure.ts `testPartials`). `apply`, `create` and `update` files are complete objects
 * and stay manifests.
 */

import type { YNode } from '../syntax/tree.js';
import { get, isMap, isScalar, isSeq } from '../syntax/tree.js';
import { numberValue, plainString } from './values.js';
import { DNS_LABEL, isGlobPath, kubectlAppliedFiles, relativePath, shellText } from './shellCommands.js';
import type { AppliedFile } from './shellCommands.js';

export const CHAINSAW_GROUP = 'chainsaw.kyverno.io';

/** The Kyverno CLI's group (`kyverno test`'s `Test`, `cli.kyverno.io/v1alpha1`). */
const KYVERNO_CLI_GROUP = 'cli.kyverno.io';

/** The fields of a Kyverno CLI `Test`'s `results` entry that name a file of expected objects (`patchedResource` is the old name). */
const KYVERNO_RESULT_FILES: readonly string[] = ['patchedResources', 'patchedResource', 'generatedResource', 'cloneSourceResource'];

/** Adds a node's literal relative YAML path (no glob) to `out`: how the Kyverno CLI and gator name their test inputs. */
function literalYamlPaths(out: string[]): (node: YNode | undefined) => void {
  return (node) => {
    const file = plainString(node);
    if (file !== undefined && relativePath(file) && !isGlobPath(file) && /\.ya?ml$/i.test(file)) out.push(file);
  };
}

/**
 * The files a Kyverno CLI `Test` (`kyverno test`) lists in its top-level `resources` (the inputs its policies are
 * run against; a test often holds objects the policy must refuse) and in its results' `patchedResources`,
 * `generatedResource` and `cloneSourceResource` (the objects a mutation or generation must give, compared, not
 * applied): never applied to a cluster. Literal relative paths of YAML files, which the CLI joins onto the test's folder.
 */
function kyvernoTestResources(root: YNode | undefined): readonly string[] {
  const out: string[] = [];
  const add = literalYamlPaths(out);
  const list = get(root, 'resources');
  if (isSeq(list)) for (const item of list.items) add(item);
  const results = get(root, 'results');
  if (isSeq(results)) for (const r of results.items) for (const key of KYVERNO_RESULT_FILES) add(get(r, key));
  return [...new Set(out)];
}

/** Gatekeeper's gator CLI group (`gator verify`'s `Suite`, `test.gatekeeper.sh/v1alpha1`). */
const GATOR_GROUP = 'test.gatekeeper.sh';

/**
 * The files a gator `Suite` (`gator verify`) names as its cases' inputs: each `tests[].cases[]`
 * `object` (the object the constraint is evaluated against, often one it must refuse) and its
 * `inventory` files (objects the policy may look up). They are evaluated, never applied. Literal
 * relative paths of YAML files, which gator joins onto the suite's folder (docs: gator verify).
 * The `template` and `constraint` files are policies, read as manifests.
 */
function gatorSuiteObjects(root: YNode | undefined): readonly string[] {
  const out: string[] = [];
  const add = literalYamlPaths(out);
  const tests = get(root, 'tests');
  if (!isSeq(tests)) return out;
  for (const t of tests.items) {
    const cases = get(t, 'cases');
    if (!isSeq(cases)) continue;
    for (const c of cases.items) {
      add(get(c, 'object'));
      const inventory = get(c, 'inventory');
      if (isSeq(inventory)) for (const i of inventory.items) add(i);
    }
  }
  return [...new Set(out)];
}

/** kuttl's API groups: `kuttl.dev`, and `kudo.dev` that kuttl still reads. */
export const KUTTL_GROUPS: readonly string[] = ['kuttl.dev', 'kudo.dev'];

/** The operations whose `file` holds partial objects. */
const PARTIAL_OPERATIONS: readonly string[] = ['patch', 'assert', 'error', 'delete'];

/** The blocks of a step (and of a StepTemplate's spec) that list operations. */
const BLOCKS: readonly string[] = ['try', 'catch', 'finally', 'cleanup'];

/**
 * Whether a chainsaw `apply` or `create` expects the API server to refuse its objects: an `expect`
 * entry without `match` (it holds for every object) whose `check` is `($error != null): true` (a
 * policy test's "bad" resources, which an admission webhook must reject). Such objects never exist.
 */
function expectsRefusal(operation: YNode | undefined): boolean {
  const expect = get(operation, 'expect');
  if (!isSeq(expect)) return false;
  return expect.items.some((e) => {
    if (get(e, 'match') !== undefined) return false;
    const check = get(e, 'check');
    const v = get(check, '($error != null)');
    return isScalar(v) && v.value === true;
  });
}

function operationsFiles(block: YNode | undefined, out: string[]): void {
  if (!isSeq(block)) return;
  for (const op of block.items) {
    for (const name of PARTIAL_OPERATIONS) {
      const file = plainString(get(get(op, name), 'file'));
      if (file !== undefined && relativePath(file)) out.push(file);
    }
    for (const name of ['apply', 'create']) {
      const operation = get(op, name);
      const file = plainString(get(operation, 'file'));
      if (file !== undefined && relativePath(file) && expectsRefusal(operation)) out.push(file);
    }
  }
}

/** A `file` as written: a literal string, or a chainsaw expression (read as an unknown value, its text kept). */
function fileText(n: YNode | undefined): string | undefined {
  const literal = plainString(n);
  if (literal !== undefined) return literal;
  return isScalar(n) && n.unknown && typeof n.value === 'string' && bindingReference(n.value) !== undefined ? n.value : undefined;
}

/** A chainsaw binding's name in a `file` written as an expression of it alone (`($file)`). */
export function bindingReference(file: string): string | undefined {
  return /^\(\$([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(file.trim())?.[1];
}

/**
 * The text of a chainsaw `script` (its `content`) or `command` (`entrypoint` and `args`, an argument
 * that is no literal string read as an unknown word), and the folder it runs in relative to the Test's
 * (`workDir`; '' for the Test's own, undefined when not a literal relative path).
 */
function chainsawShell(
  op: YNode | undefined,
  source: string | undefined,
): { text: string; workDir: string | undefined; env: YNode | undefined } | undefined {
  const script = get(op, 'script');
  const command = get(op, 'command');
  let text = shellText(get(script, 'content'), source);
  if (text === undefined && isMap(command)) {
    const entry = plainString(get(command, 'entrypoint'));
    const args = get(command, 'args');
    if (entry !== undefined) text = [entry, ...(isSeq(args) ? args.items.map((a) => shellText(a, source) ?? '$?') : [])].join(' ');
  }
  if (text === undefined) return undefined;
  const holder = isMap(script) ? script : command;
  const dir = get(holder, 'workDir');
  const workDir = dir === undefined ? '' : plainString(dir);
  return {
    text,
    workDir: workDir === undefined || (workDir !== '' && !relativePath(workDir)) ? undefined : workDir,
    env: get(holder, 'env'),
  };
}

/**
 * What `$NAMESPACE` holds in a chainsaw script or command: the Test's namespace (chainsaw sets it) unless
 * its `env` binds `NAMESPACE` itself (a literal name, else unknown: null).
 */
function namespaceVariable(env: YNode | undefined): string | null | undefined {
  const bound = new Map<string, string | undefined>();
  literalBindings(env, bound);
  if (!bound.has('NAMESPACE')) return undefined;
  const v = bound.get('NAMESPACE');
  return v !== undefined && DNS_LABEL.test(v) ? v : null;
}

/**
 * The files a chainsaw `script` or `command` applies with `kubectl apply|create|replace -f <file>`, and where:
 * chainsaw runs them in the Test's folder (or `workDir`) with `$NAMESPACE` the Test's namespace and a kubeconfig
 * of its own whose context names no namespace (`pkg/utils/rest/config.go` `Save`), so `-n <name>` or `-n
 * $NAMESPACE` puts the objects there and without `-n` kubectl's own default holds: `default`, unless the script
 * points kubectl elsewhere (`kubectl config set-context`, `KUBECONFIG=`, `--kubeconfig`, `--context`: unknown).
 * Files only (`.yaml`, `.yml`, `.json`), not folders or builds.
 */
function shellApplied(op: YNode | undefined, source: string | undefined): AppliedFile[] {
  const shell = chainsawShell(op, source);
  if (shell?.workDir === undefined) return [];
  const variable = namespaceVariable(shell.env);
  const out: AppliedFile[] = [];
  for (const a of kubectlAppliedFiles(shell.text, { variable })) {
    if (a.kustomize === true || a.recursive === true || !MANIFEST_NAME.test(a.file)) continue;
    const file = shell.workDir === '' ? a.file : `${shell.workDir.replace(/\/+$/, '')}/${a.file}`;
    const elsewhere = /kubectl\s+config\s+(set-context|use-context)|KUBECONFIG=|--kubeconfig|--context/.test(shell.text);
    out.push(
      a.namespace !== undefined || a.testNamespace === true ? { ...a, file } : { ...a, file, namespace: elsewhere ? null : 'default' },
    );
  }
  return out;
}

const MANIFEST_NAME = /\.(ya?ml|json)$/i;

function appliedIn(
  block: YNode | undefined,
  out: AppliedFile[],
  step: number | undefined,
  expressions: boolean,
  source: string | undefined,
): void {
  if (!isSeq(block)) return;
  for (const op of block.items) {
    for (const a of shellApplied(op, source)) out.push(step !== undefined ? { ...a, step } : a);
    for (const name of ['apply', 'create', 'update']) {
      if (expectsRefusal(get(op, name))) continue;
      const file = fileText(get(get(op, name), 'file'));
      if (file === undefined || isGlobPath(file)) continue;
      if (relativePath(file) || (expressions && bindingReference(file) !== undefined))
        out.push({ file, create: name === 'create', ...(step !== undefined ? { step } : {}) });
    }
  }
}

/**
 * The files a chainsaw `Test`'s steps apply, create or update, in the order their `try` blocks run
 * them (literal paths): a file applied after another may update that one's objects
 * (units/testSteps.ts). Only `try` applies: chainsaw's `catch`, `finally` and `cleanup` operations
 * (its `CatchFinally` type) cannot apply, create or update. A StepTemplate's keep `($binding)`
 * paths, resolved for each Test that uses it.
 */
export function chainsawAppliedFiles(kind: string, spec: YNode | undefined, source?: string): readonly AppliedFile[] {
  if (!isMap(spec)) return [];
  const out: AppliedFile[] = [];
  if (kind === 'StepTemplate') {
    appliedIn(get(spec, 'try'), out, undefined, true, source);
    return out;
  }
  const steps = kind === 'Test' ? get(spec, 'steps') : undefined;
  if (!isSeq(steps)) return [];
  steps.items.forEach((step, i) => appliedIn(get(step, 'try'), out, i, false, source));
  return out;
}

/** A chainsaw Test step's `use:` of a StepTemplate: its path (relative to the Test's folder) and the literal string bindings in scope. */
export interface TemplateUse {
  readonly step: number;
  readonly template: string;
  /** Literal string bindings of the Test and the step (the template's come after them, then `with`'s: the last of a name wins). */
  readonly outer: Readonly<Record<string, string>>;
  /** The `use.with.bindings`. */
  readonly with: Readonly<Record<string, string>>;
}

/** Literal string bindings of a `bindings:` list (`- name: file, value: policy.yaml`), into `out`; an expression is unknown and hides an earlier value. */
export function literalBindings(list: YNode | undefined, out: Map<string, string | undefined>): void {
  if (!isSeq(list)) return;
  for (const b of list.items) {
    const name = plainString(get(b, 'name'));
    const value = plainString(get(b, 'value'));
    if (name !== undefined) out.set(name, value === undefined || value.startsWith('(') ? undefined : value);
  }
}

/** The known values of `bindings`. */
function knownBindings(bindings: ReadonlyMap<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of bindings) if (v !== undefined) out[k] = v;
  return out;
}

/** The StepTemplates a chainsaw Test's steps use (`use: {template, with: {bindings}}`), with their literal bindings. */
export function chainsawTemplateUses(kind: string, spec: YNode | undefined): readonly TemplateUse[] {
  const steps = kind === 'Test' && isMap(spec) ? get(spec, 'steps') : undefined;
  if (!isSeq(steps)) return [];
  const out: TemplateUse[] = [];
  steps.items.forEach((step, i) => {
    const template = plainString(get(get(step, 'use'), 'template'));
    if (template === undefined || !relativePath(template)) return;
    const outer = new Map<string, string | undefined>();
    literalBindings(get(spec, 'bindings'), outer);
    literalBindings(get(step, 'bindings'), outer);
    const own = new Map<string, string | undefined>();
    literalBindings(get(get(get(step, 'use'), 'with'), 'bindings'), own);
    out.push({ step: i, template, outer: knownBindings(outer), with: knownBindings(own) });
  });
  return out;
}

/** A StepTemplate's operations' partial files as written, `($binding)` ones included (resolved per Test that uses it). */
export function templatePartialFiles(spec: YNode | undefined): readonly string[] {
  const out: string[] = [];
  for (const b of BLOCKS) {
    const block = get(spec, b);
    if (!isSeq(block)) continue;
    for (const op of block.items)
      for (const name of PARTIAL_OPERATIONS) {
        const file = fileText(get(get(op, name), 'file'));
        if (file !== undefined && (relativePath(file) || bindingReference(file) !== undefined)) out.push(file);
      }
  }
  return [...new Set(out)];
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

/** A kuttl `TestSuite`'s folders (relative to its file's folder, where kuttl runs): manifests applied before every test, and the folders whose subfolders are tests. */
export interface KuttlSuite {
  readonly manifestDirs: readonly string[];
  readonly testDirs: readonly string[];
  /** What the suite's `commands` apply before the tests (`kubectl apply -f`, from the folder kuttl runs in). */
  readonly applied?: readonly AppliedFile[];
  /** `namespace`: every test of the suite runs in it (null: not a literal name, unknown); absent, each test in an ephemeral one. */
  readonly namespace?: string | null;
}

function stringListOf(n: YNode | undefined): string[] {
  const out: string[] = [];
  if (!isSeq(n)) return out;
  for (const it of n.items) {
    const v = plainString(it);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** A TestSuite's `crdDir` (its CustomResourceDefinitions are installed before the manifests), `manifestDirs` and `testDirs`. */
export function kuttlSuite(root: YNode | undefined, source?: string): KuttlSuite {
  const dirs = (key: string): string[] =>
    stringListOf(get(root, key))
      .filter(relativePath)
      .map((d) => d.replace(/\/+$/, '') || '.');
  const crd = plainString(get(root, 'crdDir'));
  const crdDir = crd !== undefined && relativePath(crd) ? [crd.replace(/\/+$/, '') || '.'] : [];
  const applied = commandsApplied(get(root, 'commands'), source);
  // kuttl's TestSuite `namespace`: "The namespace to use for tests"; without it, one is generated per test.
  const namespace = namespaceName(get(root, 'namespace'));
  return {
    manifestDirs: [...crdDir, ...dirs('manifestDirs')],
    testDirs: dirs('testDirs'),
    ...(applied.length > 0 ? { applied } : {}),
    ...(namespace !== '' ? { namespace } : {}),
  };
}

/** A namespace name as a test tool writes it: '' when absent or empty (the tool makes an ephemeral one), null when not a literal name. */
function namespaceName(n: YNode | undefined): string | null {
  if (n === undefined || (isScalar(n) && (n.value === null || n.value === '') && !n.unknown)) return '';
  const v = plainString(n);
  return v === undefined || !DNS_LABEL.test(v) ? null : v;
}

/**
 * The files a kuttl `TestStep` applies besides its step's own files, in the order kuttl runs them:
 * its `commands` (a `command` or a `script`, run in the test's folder before the step's files are
 * applied) that run `kubectl apply|create|replace -f <file>`, then its `apply` list. Literal
 * relative paths; a path that names no file is a folder, whose `.yaml`, `.yml` and `.json` files
 * kubectl applies. `create`: `kubectl create` fails on an object that exists.
 */
export function kuttlAppliedFiles(root: YNode | undefined, source?: string): readonly AppliedFile[] {
  const out = commandsApplied(get(root, 'commands'), source);
  // kuttl applies the `apply` files as the step's own (step.go `LoadYAML`): into the test's namespace.
  for (const file of stringListOf(get(root, 'apply')))
    if (relativePath(file) && !isGlobPath(file)) out.push({ file, create: false, testNamespace: true });
  return out;
}

/**
 * The files a kuttl `commands` list (a TestStep's or a TestSuite's) applies: its `command`s and `script`s, in order.
 * A `command` with `namespaced: true` gets `--namespace <test's>` unless it names one (kuttl's utils/commands.go
 * `GetArgs`; a `script` may not be namespaced); `$NAMESPACE` is the test's namespace in both.
 */
function commandsApplied(commands: YNode | undefined, source: string | undefined): AppliedFile[] {
  const out: AppliedFile[] = [];
  for (const c of isSeq(commands) ? commands.items : []) {
    const flag = get(c, 'namespaced');
    const namespaced = isScalar(flag) && flag.value === true;
    for (const key of ['command', 'script']) {
      const text = shellText(get(c, key), source);
      if (text !== undefined) for (const a of kubectlAppliedFiles(text, { namespaced: namespaced && key === 'command' })) out.push(a);
    }
  }
  return out;
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

/** What lowering keeps on a test tool's object (model/types.ts `KObject`): chainsaw Tests and StepTemplates, kuttl TestSteps and TestSuites, Kyverno CLI Tests. */
export interface TestToolFields {
  testPartialFiles?: readonly string[];
  testAppliedFiles?: readonly AppliedFile[];
  testNamespace?: string | null;
  chainsawConfigNamespace?: string | null;
  testTemplateUses?: readonly TemplateUse[];
  testTemplate?: { bindings: Record<string, string>; partial: readonly string[]; applied: readonly AppliedFile[] };
  kuttlSuite?: KuttlSuite;
  kuttlAppliedFiles?: readonly AppliedFile[];
}

/** `source`: the file's text, where a shell line's `${VAR}` is read (the parse masks it). */
export function testToolFields(group: string, kind: string, root: YNode | undefined, source?: string): TestToolFields | undefined {
  const out: TestToolFields = {};
  const spec = get(root, 'spec');
  if (group === CHAINSAW_GROUP && (kind === 'Test' || kind === 'StepTemplate')) {
    const partial = chainsawPartialFiles(kind, spec);
    if (partial.length > 0) out.testPartialFiles = partial;
    const applied = chainsawAppliedFiles(kind, spec, source);
    const uses = chainsawTemplateUses(kind, spec);
    if (kind === 'Test' && (applied.length > 0 || uses.length > 0)) out.testAppliedFiles = applied;
    // chainsaw runs a Test in `spec.namespace` when set, else in an ephemeral namespace of its own (docs: Test namespace).
    const nsName = kind === 'Test' ? namespaceName(get(spec, 'namespace')) : '';
    if (nsName !== '') out.testNamespace = nsName;
    if (uses.length > 0) out.testTemplateUses = uses;
    if (kind === 'StepTemplate') {
      const bindings = new Map<string, string | undefined>();
      literalBindings(get(spec, 'bindings'), bindings);
      out.testTemplate = { bindings: knownBindings(bindings), partial: templatePartialFiles(spec), applied };
    }
    return out;
  }
  if (group === CHAINSAW_GROUP && kind === 'Configuration') {
    // The namespace chainsaw runs every Test in that names none (docs: Namespace options): `spec.namespace`
    // in v1alpha1, `spec.namespace.name` in v1alpha2. Without it, each Test gets an ephemeral one.
    const ns = get(spec, 'namespace');
    out.chainsawConfigNamespace = isMap(ns) ? namespaceName(get(ns, 'name')) : namespaceName(ns);
    return out;
  }
  if (group === KYVERNO_CLI_GROUP && kind === 'Test') {
    const partial = kyvernoTestResources(root);
    if (partial.length > 0) out.testPartialFiles = partial;
    return out;
  }
  if (group === GATOR_GROUP && kind === 'Suite') {
    const partial = gatorSuiteObjects(root);
    if (partial.length > 0) out.testPartialFiles = partial;
    return out;
  }
  if (!KUTTL_GROUPS.includes(group)) return undefined;
  if (kind === 'TestStep') {
    const partial = kuttlPartialFiles(root);
    if (partial.length > 0) out.testPartialFiles = partial;
    const applied = kuttlAppliedFiles(root, source);
    if (applied.length > 0) out.kuttlAppliedFiles = applied;
  }
  if (kind === 'TestSuite') out.kuttlSuite = kuttlSuite(root, source);
  return out;
}
