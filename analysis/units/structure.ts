/**
 * The workspace's structure: what its layout decides (Kustomize build roots and their builds,
 * rendered Helm charts, units broken by something other than a file's syntax), computed from every
 * file's facts and texts, and updated after an edit by rebuilding only the roots and charts that
 * read an edited file. Pure. Design notes: docs/dev/kustomize.md, docs/dev/helm-units.md.
 */

import type { FileFacts, KObject } from '../model/types.js';
import { dirname, displayPart, isUnder } from '../workspace/paths.js';
import { clusterLoaderTemplatesOf } from './clusterLoader.js';
import { isCmdParams } from './argocdGenerators.js';
import { computeLayout, EMPTY_LAYOUT, filesTouched } from './kustomize.js';
import type { KustomizeLayout } from './kustomize.js';
import { hasFluxKustomization, hasGitRepository } from './flux.js';
import { hasArgoApplication } from './argocd.js';
import { definesCmpPlugin } from './argocdPlugins.js';
import { isClusterSecret } from './argocdDestination.js';
import { hasFleetBundle } from './fleet.js';
import { hasFleetGitRepo } from './fleetGitRepo.js';
import { hasArgoTemplate, pluginRenderedFolders } from './argocdCharts.js';
import { computeHelmLayout, DEFAULT_HELM_OPTIONS, EMPTY_HELM_LAYOUT, helmFilesTouched } from './helm.js';
import type { HelmLayout, HelmOptions, RenderedFile } from './helm.js';
import { changeOf, chartsAround, rootsMakerEdit, strictnessReaders, substituteReaders } from './layoutEdits.js';
import { carrySorted } from './layoutScan.js';
import { chartTemplateData, pluginFallback, samePacked, testAssertion, unclaimedPatch } from './placement.js';
import {
  chainsawUpdatesOf,
  hasKuttlObject,
  hasTestPartials,
  incompleteFile,
  hasChainsawConfig,
  kuttlStep,
  kuttlUpdatesOf,
  testPartialsOf,
} from './testSteps.js';
import { appliedByRuns, harnessRunsOf, runPlacements } from './harnessRuns.js';
import { isRunSource } from './runSources.js';
import type { MakefileRuns } from './harnessRuns.js';
import type { BuildObjects, TestPartialGlob, TestPlacement } from './testSteps.js';
import type { Chart } from './placement.js';
import { cameOrWent, chartsOf, layoutAfterChange } from './layoutChange.js';
import { remembered } from './factsMemo.js';

/** What the whole workspace's layout decides: Kustomize builds, Helm charts, static breakage. */
export interface Structure {
  readonly kust: KustomizeLayout;
  /** Rendered charts (analysis/units/helm.ts). */
  readonly helm: HelmLayout;
  readonly charts: readonly Chart[];
  /** Units broken by something other than a file's syntax (missing chart dependencies, remote bases). */
  readonly brokenStatic: ReadonlySet<string>;
  readonly kustomizeDirs: ReadonlySet<string>;
  /** Files a test tool reads as partial objects (a chainsaw Test's patch/assert/error/delete files, a kuttl TestStep's assert/error files, model/testTools.ts): no objects. */
  readonly testPartials: ReadonlySet<string>;
  /** The chainsaw globs among them (`0*-assert.yaml`), matched against a file's path as written: a file added later matches without a rebuild. */
  readonly testPartialGlobs: readonly TestPartialGlob[];
  /** Test files that update objects an earlier step of the same test created (a kuttl step, a chainsaw apply: `kuttlUpdatesOf`, `chainsawUpdatesOf`). */
  readonly stepUpdates: ReadonlySet<string>;
  /** Files a chainsaw Test applies after another (`chainsawUpdatesOf`); `testWatched`, those of Tests where one is an update or incomplete. */
  readonly testApplied: ReadonlySet<string>;
  readonly testWatched: ReadonlySet<string>;
  /** Files chainsaw Tests apply outside their own folder or into a namespace (theirs, their Configuration's), and step files of kuttl suites that name a namespace: placed in each test's unit (`chainsawUpdatesOf`, `kuttlUpdatesOf`). */
  readonly testPlaced: ReadonlyMap<string, readonly TestPlacement[]>;
  /** A chainsaw assertion file → the folders of other Tests that name it; a kuttl test folder → its suite's test folders (`assertedIn`). */
  readonly assertNamedBy: ReadonlyMap<string, readonly string[]>;
  readonly suiteFolders: ReadonlyMap<string, readonly string[]>;
  /** Folders that are kuttl tests (a kuttl.dev object or a step's NN-assert/NN-errors file): an edit of a step file there rebuilds the structure. */
  readonly kuttlFolders: ReadonlySet<string>;
  /** Files and folders kuttl applies besides step files (a TestSuite's manifest folders, files its steps' commands apply): an edit there reads the test sets again. */
  readonly kuttlInputs: readonly string[];
  /** ClusterLoader2 object templates (units/clusterLoader.ts): CL2 names their objects. */
  readonly clusterLoaderTemplates: ReadonlyMap<string, string | undefined>;
  /** The `chainsaw test` and `kubectl kuttl test` commands of the Makefiles the host handed over, by Makefile (units/harnessRuns.ts): an edit of one reads the test sets again. */
  readonly harnessRuns: ReadonlyMap<string, MakefileRuns>;
}

/** Whether a test tool reads file `uri` as partial objects (literally named or matched by a chainsaw glob). */
export function isTestPartial(structure: Structure, uri: string): boolean {
  if (structure.testPartials.has(uri) || structure.stepUpdates.has(uri)) return true;
  if (structure.testPartialGlobs.length === 0) return false;
  const path = displayPart(uri, uri);
  return structure.testPartialGlobs.some((g) => path.startsWith(g.base) && g.rest.test(path.slice(g.base.length)));
}

/**
 * The folders where what assertion file `uri` asserts is evidence of presence (checks/support/asserted.ts):
 * its own, those of chainsaw Tests of other folders that assert it, and every test folder of its kuttl suite.
 */
export function assertedIn(structure: Structure, uri: string): readonly string[] {
  const dir = dirname(uri);
  const named = structure.assertNamedBy.get(uri);
  const suite = structure.suiteFolders.get(dir);
  if (named === undefined && suite === undefined) return [dir];
  return [...new Set([dir, ...(named ?? []), ...(suite ?? [])])];
}

/** What a structure reads besides the facts: file texts, render options, and the layouts it replaces. */
export interface StructureSources {
  readonly text: (uri: string) => string | undefined;
  /** The layouts of the index this one replaces (builds of roots whose inputs did not change are kept). */
  readonly previous?: { kustomizeLayout(): KustomizeLayout; helmLayout(): HelmLayout } | undefined;
  /** How charts are rendered (values, release); the index keeps them for its derivations. */
  readonly helm?: HelmOptions;
  /** Chart files that are not manifests (`.tpl`, `.Files`, unpacked subcharts), whose texts `text` gives. */
  readonly support?: readonly string[];
}

export function buildStructure(
  files: ReadonlyMap<string, FileFacts>,
  sources: StructureSources | undefined,
  defaultNamespace: string,
): Structure {
  const kust =
    sources === undefined ? EMPTY_LAYOUT : computeLayout(files, sources.text, defaultNamespace, sources.previous?.kustomizeLayout());
  const helm =
    sources === undefined
      ? EMPTY_HELM_LAYOUT
      : computeHelmLayout(files, sources.text, sources.helm ?? DEFAULT_HELM_OPTIONS, sources.previous?.helmLayout(), sources.support);
  const charts = chartsIn(files);
  const brokenStatic = new Set<string>([...kust.incomplete, ...chartsMissingDependencies(charts, files, helm)]);
  const runs =
    sources === undefined
      ? new Map<string, MakefileRuns>()
      : harnessRunsOf([...(sources.support ?? []), ...[...files.keys()].filter(isRunSource)], sources.text);
  return { kust, helm, charts, brokenStatic, kustomizeDirs: kust.dirs, ...testSetsOf(files, kust, runs, charts) };
}

/** What the test tools' files decide (chainsaw Tests, kuttl TestSteps and steps): read from every file's facts, nothing else. */
type TestSets = Pick<
  Structure,
  | 'testPartials'
  | 'testPartialGlobs'
  | 'stepUpdates'
  | 'testApplied'
  | 'testWatched'
  | 'testPlaced'
  | 'assertNamedBy'
  | 'suiteFolders'
  | 'kuttlFolders'
  | 'kuttlInputs'
  | 'clusterLoaderTemplates'
  | 'harnessRuns'
>;

function testSetsOf(
  files: ReadonlyMap<string, FileFacts>,
  kust: KustomizeLayout,
  runs: Structure['harnessRuns'],
  charts: readonly Chart[],
): TestSets {
  const partials = testPartialsOf(files);
  const kuttl = kuttlUpdatesOf(files, buildObjectsOf(kust), runs);
  const chainsaw = chainsawUpdatesOf(files, runs);
  const tests = kuttl.placed.size === 0 ? chainsaw.placed : mergedPlacements(chainsaw.placed, kuttl.placed);
  // A plain file a runner applies with `kubectl apply -n <name> -f`: its namespace-less objects land there (a
  // chart's, a Kustomize tree's or a test tool's file is placed by its own reading).
  const applies = [...runs.values()].some((r) => (r.applies?.length ?? 0) > 0);
  const plain = (uri: string): boolean =>
    !tests.has(uri) && !kust.objects.has(uri) && !kust.claimed.has(uri) && !charts.some((c) => isUnder(uri, c.dir));
  const applied = applies ? runPlacements(runs, [...files.keys()].filter(plain)) : new Map<string, readonly TestPlacement[]>();
  return {
    testPartials: partials.literal,
    testPartialGlobs: partials.globs,
    stepUpdates: new Set([...kuttl.updates, ...chainsaw.updates]),
    testApplied: chainsaw.applied,
    testWatched: chainsaw.watched,
    testPlaced: applied.size === 0 ? tests : mergedPlacements(tests, applied),
    assertNamedBy: partials.namedBy,
    suiteFolders: kuttl.suiteFolders,
    kuttlFolders: kuttl.folders,
    kuttlInputs: kuttl.inputs,
    clusterLoaderTemplates: clusterLoaderTemplatesOf(files),
    harnessRuns: runs,
  };
}

/** chainsaw's placements and kuttl's (a file both run: placed in each). */
function mergedPlacements(
  a: ReadonlyMap<string, readonly TestPlacement[]>,
  b: ReadonlyMap<string, readonly TestPlacement[]>,
): ReadonlyMap<string, readonly TestPlacement[]> {
  const out = new Map(a);
  for (const [uri, list] of b) out.set(uri, [...(out.get(uri) ?? []), ...list]);
  return out;
}

/**
 * The objects of a build root's Kustomize build (`kubectl apply -k <folder>` in a kuttl step): undefined
 * for a folder that is no root here or whose build is incomplete (its objects are not known).
 */
function buildObjectsOf(kust: KustomizeLayout): BuildObjects {
  let byRoot: Map<string, KObject[]> | undefined;
  return (uri) => {
    if (!kust.roots.includes(uri) || kust.incomplete.has(uri)) return undefined;
    if (byRoot === undefined) {
      byRoot = new Map();
      for (const list of kust.objects.values())
        for (const b of list) {
          const at = byRoot.get(b.placement.unit);
          if (at === undefined) byRoot.set(b.placement.unit, [b.obj]);
          else at.push(b.obj);
        }
    }
    return byRoot.get(uri) ?? [];
  };
}

/**
 * Chart folders that install something unknown: a dependency is not vendored in charts/. A rendered
 * chart counts only the dependencies its render loads (Helm skips one whose condition or tags are
 * false, so a switched-off dependency installs nothing); a chart not rendered counts every one.
 */
function chartsMissingDependencies(charts: readonly Chart[], files: ReadonlyMap<string, FileFacts>, helm: HelmLayout): Set<string> {
  const out = new Set<string>();
  // The folders that hold a file (built when a chart not rendered asks: a subchart in charts/).
  let folders: Set<string> | undefined;
  const holdsFiles = (dir: string): boolean => {
    if (folders === undefined) {
      folders = new Set();
      for (const uri of files.keys()) for (let d = dirname(uri); !folders.has(d) && d !== dirname(d); d = dirname(d)) folders.add(d);
    }
    return folders.has(dir);
  };
  for (const c of charts) {
    const rendered = helm.renders.get(c.dir)?.missingDependency;
    // Values its values.schema.json refuses (units/helm.ts): what the chart installs is unknown.
    if (rendered === true && c.dependencies.length === 0) out.add(c.dir);
    if (c.dependencies.length === 0) continue;
    if (rendered === true || (rendered === undefined && c.dependencies.some((d) => !holdsFiles(`${c.dir}/charts/${d}`)))) out.add(c.dir);
  }
  return out;
}

/**
 * `isStructural` and `holdsTestObjects` of facts already asked about (facts are immutable): an edit
 * asks about the facts before it, which the edit before asked about as its facts after, and the
 * predicates walk every object of the file (7,000 in a 5 MB bundle, for each of a dozen kinds).
 */
const structuralFacts = new WeakMap<FileFacts, boolean>();
const testToolFacts = new WeakMap<FileFacts, boolean>();

/** A file whose change can move other files' objects: Kustomize, Flux Kustomizations, Argo CD Applications, Helm. */
export function isStructural(f: FileFacts | undefined): boolean {
  return remembered(structuralFacts, f, computeStructural);
}

/** The kinds of every object `objectStructural`'s predicates hold for. */
const STRUCTURAL_KINDS = new Set([
  'Kustomization',
  'GitRepository',
  'Application',
  'ApplicationSet',
  'Secret',
  'ConfigMap',
  'ConfigManagementPlugin',
  'GitRepo',
]);

function computeStructural(f: FileFacts): boolean {
  // The predicates read the file's own fields and its objects of those kinds: one walk of a bundle's
  // objects, not one per predicate. A template is asked whole (its deferred reading is known by identity).
  if (f.template) return objectStructural(f);
  const candidates = f.objects.filter((o) => STRUCTURAL_KINDS.has(o.kind));
  return objectStructural(candidates.length === f.objects.length ? f : { ...f, objects: candidates });
}

/** `isStructural` by every predicate (exported for the test that `STRUCTURAL_KINDS` lists their kinds). */
export function objectStructural(f: FileFacts | undefined): boolean {
  return (
    f?.toolConfig?.kind === 'kustomization' ||
    f?.toolConfig?.kind === 'helm-chart' ||
    hasFluxKustomization(f) ||
    hasGitRepository(f) ||
    hasArgoApplication(f) ||
    f?.objects.some((o) => isClusterSecret(o) || isCmdParams(o)) === true ||
    definesCmpPlugin(f) ||
    hasFleetBundle(f) ||
    hasFleetGitRepo(f) ||
    hasArgoTemplate(f)
  );
}

/** A file whose change may change the Kustomize, Flux, Argo CD or Fleet layout (a Chart.yaml alone changes charts). */
function decidesLayout(f: FileFacts | undefined): boolean {
  return f !== undefined && f.toolConfig?.kind !== 'helm-chart' && isStructural(f);
}

function isChart(f: FileFacts | undefined): boolean {
  return f?.toolConfig?.kind === 'helm-chart';
}

function chartsIn(files: ReadonlyMap<string, FileFacts>): Chart[] {
  const charts: Chart[] = [];
  for (const f of files.values()) if (isChart(f)) charts.push({ dir: dirname(f.uri), dependencies: f.toolConfig?.chartDependencies ?? [] });
  return charts;
}

/**
 * Whether a change of file `uri` (from `b` to `a`) may change what the test tools decide: a chainsaw
 * Test or kuttl TestStep, a kuttl step file of a kuttl test (or one that comes or goes: it may make
 * a folder a kuttl test), a file a chainsaw Test applies that is or becomes incomplete or whose Test
 * holds one. `restructure` then reads the test sets again and judges the files whose role changed.
 */
function testToolEdit(structure: Structure, uri: string, b: FileFacts | undefined, a: FileFacts | undefined): boolean {
  if (holdsTestObjects(b) || holdsTestObjects(a)) return true;
  if (b?.toolConfig?.clusterLoader !== undefined || a?.toolConfig?.clusterLoader !== undefined) return true;
  // A kuttl step file: in a kuttl test it may start or stop updating an earlier step's object; one that comes or goes may make a folder a kuttl test.
  if (kuttlStep(uri) !== undefined && ((b === undefined) !== (a === undefined) || structure.kuttlFolders.has(dirname(uri)))) return true;
  // A file a kuttl suite installs before every test, or a step's commands apply; or one a build they apply reads
  // (`kubectl apply -k overlay`, `kustomize build overlay | kubectl apply -f -`, whose base lies outside the folder).
  if (structure.kuttlInputs.some((d) => d === uri || isUnder(uri, d))) return true;
  if ((structure.kust.readers.get(uri) ?? []).some((root) => structure.kuttlInputs.includes(root))) return true;
  // A file a chainsaw Test applies: it may start or stop updating an earlier one's object, or stop being one's earlier file.
  return structure.testApplied.has(uri) && (structure.testWatched.has(uri) || incompleteFile(b) || incompleteFile(a));
}

/**
 * Whether a file that came or went may change the test sets (besides a test tool's own file, `testToolEdit`): one a
 * chainsaw Test applies (it reads the file's objects), or any file where a kuttl TestSuite or command reads
 * folders (a suite's paths resolve to the nearest folder holding files; its manifest folders install their files).
 */
function movedTestInput(structure: Structure, uri: string): boolean {
  return (
    structure.testApplied.has(uri) ||
    structure.suiteFolders.size > 0 ||
    structure.kuttlInputs.length > 0 ||
    appliedByRuns(structure.harnessRuns, uri)
  );
}

function sameTestPlaced(a: readonly TestPlacement[] | undefined, b: readonly TestPlacement[] | undefined): boolean {
  return (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x.test === b?.[i]?.test && x.namespace === b[i]?.namespace);
}

/** A chainsaw Test or StepTemplate, or a kuttl object. */
function holdsTestObjects(f: FileFacts | undefined): boolean {
  return remembered(testToolFacts, f, (x) => hasTestPartials(x) || hasKuttlObject(x) || hasChainsawConfig(x));
}

/**
 * The structure after `edited` changed: an edit to a file a Kustomize build reads rebuilds the
 * roots that read it, one to a file a chart's render reads renders that chart again (and no other).
 * `changed` adds every file whose objects those builds and renders may change. `structure` is
 * undefined when nothing was rebuilt; the result is undefined when texts are needed and not given,
 * or when a template starts to write an Argo CD Application (read the workspace again).
 */
export function restructure(
  prev: Structure,
  before: ReadonlyMap<string, FileFacts>,
  files: ReadonlyMap<string, FileFacts>,
  edited: ReadonlySet<string>,
  defaultNamespace: string,
  text: ((uri: string) => string | undefined) | undefined,
): { structure: Structure | undefined; changed: ReadonlySet<string> } | undefined {
  let changed = edited;
  let structure: Structure | undefined;
  const kust = prev.kust;
  // A file that came or went, or a kustomization or GitOps object edited: the layout is computed again as a full pass
  // computes it (the roots whose inputs did not change keep their builds). The same layout: the file is placed as a plain
  // file is. Otherwise the files whose builds, roles or GitOps roots changed are judged again (units/layoutChange.ts).
  const moved = cameOrWent(before, files, edited);
  // What the layout's reads of every file can keep from the previous layout's (units/layoutScan.ts): the sorted paths, the GitOps roots' search.
  carrySorted(before, files, edited);
  const change = changeOf(kust, before, files, edited, text);
  // So do the edits that may change the roots a render or a Flux parent makes (`rootsMakerEdit`).
  const layoutEdit =
    moved.length > 0 ||
    [...edited].some(
      (uri) =>
        decidesLayout(before.get(uri)) ||
        decidesLayout(files.get(uri)) ||
        isChart(before.get(uri)) !== isChart(files.get(uri)) ||
        rootsMakerEdit(kust, uri, before.get(uri), files.get(uri), text),
    );
  if (layoutEdit) {
    if (text === undefined) return undefined;
    const after = layoutAfterChange(kust, files, text, defaultNamespace, change);
    if (!after.kept) {
      structure = withLayout(prev, after.layout);
      changed = new Set([...edited, ...[...after.changed].filter((uri) => files.has(uri) || before.has(uri))]);
    }
  }
  // Only the roots reading an edited file, or substituting from a ConfigMap or Secret it holds, may build differently (no file came or went: `reshapes`).
  // (Files that came or went and changed builds: `layoutAfterMove` built every root that reads them.)
  const stale = structure !== undefined ? new Set<string>() : substituteReaders(kust, before, files, edited);
  if (structure === undefined) for (const id of strictnessReaders(kust, before, files, edited)) stale.add(id);
  if (structure === undefined) for (const uri of edited) for (const r of kust.readers.get(uri) ?? []) stale.add(r);
  if (stale.size > 0) {
    if (text === undefined) return undefined;
    const next = computeLayout(files, text, defaultNamespace, kust, stale, change);
    structure = withLayout(prev, next);
    changed = new Set([...edited, ...[...filesTouched(kust, next)].filter((uri) => files.has(uri) || before.has(uri))]);
  }
  const helm = prev.helm;
  // Only the charts whose renders read an edited file, or whose folder a file came to or went from (units/layoutChange.ts).
  const only = new Set<string>();
  for (const uri of edited) for (const dir of helm.readers.get(uri) ?? []) only.add(dir);
  // A chart a file came to or went from: every file of its folder is judged again (what the render no longer or now
  // writes may change findings on files whose text and render did not: helm-value-required on values.yaml).
  const movedIn = new Set<string>();
  for (const uri of moved)
    for (const dir of chartsOf(helm, uri)) {
      only.add(dir);
      movedIn.add(dir);
    }
  // A Chart.yaml edited: its root chart renders again and is judged again whole (its name, version and dependencies
  // decide what every template and values file of it and its subcharts reads, what it installs may be unknown now).
  // A Chart.yaml that comes or goes (or a file that becomes or stops being one): the charts around it render again and
  // are judged again whole (their root charts change: a chart, a subchart that becomes a root or stops being one).
  const chartEdits = [...edited].filter((uri) => isChart(before.get(uri)) || isChart(files.get(uri)));
  if (chartEdits.length > 0) {
    const charts = chartsIn(files);
    for (const uri of chartEdits) {
      const dirs =
        isChart(before.get(uri)) === isChart(files.get(uri))
          ? helm.roots.filter((r) => isUnder(uri, r))
          : chartsAround(uri, prev.charts, charts);
      for (const dir of dirs) {
        only.add(dir);
        movedIn.add(dir);
      }
    }
    structure = { ...(structure ?? prev), charts };
  }
  if (only.size > 0) {
    if (text === undefined) return undefined;
    const next = computeHelmLayout(files, text, helm.options, helm, helm.support, only);
    // What a packed subchart renders changed (its objects are no analysed file's): the index is built again.
    if (!samePacked(helm, next, files)) return undefined;
    const base = structure ?? prev;
    // A values edit can switch a missing dependency on or off: the chart's files are judged again.
    const brokenStatic = new Set([...base.kust.incomplete, ...chartsMissingDependencies(base.charts, files, next)]);
    const flipped = [...only].filter((dir) => brokenStatic.has(dir) !== base.brokenStatic.has(dir));
    structure = { ...base, helm: next, brokenStatic };
    changed = new Set([...changed, ...[...helmFilesTouched(helm, next)].filter((uri) => files.has(uri) || before.has(uri))]);
    const whole = [...flipped, ...movedIn];
    if (whole.length > 0) changed = new Set([...changed, ...[...files.keys()].filter((uri) => whole.some((dir) => isUnder(uri, dir)))]);
  }
  // An edit of a test tool's file: the test sets are read again, and the files whose role changed (a
  // partial file, a step update) are judged again with it; the rest of the workspace is not read.
  // (A layout change reaches them only through the builds kuttl commands apply with `kubectl apply -k`.)
  const rebuiltLayout = structure !== undefined && structure.kust !== prev.kust;
  // A runner edited (a Makefile, a CI workflow, a shell script; a support file that comes or goes reads the workspace
  // again: the host's support files reshaped): the runs of every runner read again (a script runs where its callers do).
  const runners = [...edited].filter(isRunSource);
  if (runners.length > 0 && text === undefined) return undefined;
  const runs = runners.length === 0 || text === undefined ? prev.harnessRuns : rerun(prev.harnessRuns, runners, text);
  if (
    runs !== prev.harnessRuns ||
    moved.some((uri) => movedTestInput(prev, uri)) ||
    (rebuiltLayout && prev.kuttlInputs.length > 0) ||
    [...edited].some((uri) => testToolEdit(prev, uri, before.get(uri), files.get(uri)))
  ) {
    const base = structure ?? prev;
    const next: Structure = { ...base, ...testSetsOf(files, base.kust, runs, base.charts) };
    const roles = [...files.keys()].filter(
      (uri) =>
        !changed.has(uri) &&
        (isTestPartial(base, uri) !== isTestPartial(next, uri) ||
          !sameTestPlaced(base.testPlaced.get(uri), next.testPlaced.get(uri)) ||
          assertedIn(base, uri).join('\n') !== assertedIn(next, uri).join('\n') ||
          base.clusterLoaderTemplates.has(uri) !== next.clusterLoaderTemplates.has(uri) ||
          base.clusterLoaderTemplates.get(uri) !== next.clusterLoaderTemplates.get(uri)),
    );
    structure = next;
    if (roles.length > 0) changed = new Set([...changed, ...roles]);
  }
  // What a test folder's assertions assert is evidence of presence for the folder's absence claims
  // (checks/support/asserted.ts): an assertion file edited, or a file that becomes or stops being
  // partial, judges its folder's files again.
  const now = structure ?? prev;
  const asserting = [...changed].filter((uri) => testAssertion(uri) || isTestPartial(prev, uri) || isTestPartial(now, uri));
  if (asserting.length > 0) {
    const dirs = new Set(asserting.flatMap((uri) => [...assertedIn(prev, uri), ...assertedIn(now, uri)]));
    changed = new Set([...changed, ...[...files.keys()].filter((uri) => dirs.has(dirname(uri)))]);
  }
  return { structure, changed };
}

/** `runs` read again with the edited `runners` (every runner: a script runs where its callers do); `runs` itself when none changed. */
function rerun(
  runs: Structure['harnessRuns'],
  runners: readonly string[],
  text: (uri: string) => string | undefined,
): Structure['harnessRuns'] {
  const next = harnessRunsOf([...runs.keys(), ...runners], text);
  const same = (a: MakefileRuns | undefined, b: MakefileRuns | undefined): boolean =>
    JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return next.size === runs.size && [...next].every(([uri, r]) => same(runs.get(uri), r)) ? runs : next;
}

/** `prev` with the Kustomize layout `next` (its incomplete roots replacing the previous layout's among the broken units). */
function withLayout(prev: Structure, next: KustomizeLayout): Structure {
  const brokenStatic = new Set([...prev.brokenStatic].filter((u) => !prev.kust.incomplete.has(u)));
  for (const u of next.incomplete) brokenStatic.add(u);
  return { ...prev, kust: next, brokenStatic, kustomizeDirs: next.dirs };
}

/**
 * A file's facts as the checks read them: a rendered template's objects, syntax errors (of the
 * rendered output), API findings and YAML 1.1 scalars are its render's, on template lines.
 * `cache` keeps one per render.
 */
export function checkedFacts(
  structure: Structure,
  uri: string,
  facts: FileFacts | undefined,
  cache: WeakMap<RenderedFile, FileFacts>,
): FileFacts | undefined {
  const r = structure.helm.rendered.get(uri);
  if (facts === undefined || facts.inputLimit !== undefined || facts.tooLarge !== undefined) return facts;
  // A chart a kustomization inflates is read as the Kustomize tree decides (analysis/units/kustomize.ts);
  // one Argo CD applies with its own values only renders as the Helm units render it: its broken YAML stands.
  if (structure.kust.objects.has(uri) || structure.kust.claimed.has(uri))
    return r !== undefined && r.reportSyntax && r.syntaxErrors.length > 0 && structure.kust.argoOwnValues?.has(r.chart) === true
      ? withRenderedSyntax(facts, r)
      : facts;
  // A chart an Application renders with a config management plugin: the plugin renders it (with its own values), not Helm with the defaults;
  // so is a template of it that did not render with the defaults (a `required` the plugin's values answer).
  const plugin = pluginRenderedFolders(structure.kust.argo);
  if (r !== undefined ? plugin.has(r.chart) : plugin.size > 0 && pluginFallback(structure, uri, plugin)) return unrendered(facts);
  if (r === undefined)
    return structure.helm.claimed.has(uri) ||
      chartTemplateData(facts, structure.charts) !== undefined ||
      testAssertion(uri) ||
      isTestPartial(structure, uri) ||
      unclaimedPatch(facts)
      ? unrendered(facts)
      : facts;
  const hit = cache.get(r);
  if (hit !== undefined && hit.uri === facts.uri && hit.suppressions === facts.suppressions) return hit;
  // Field by field, not a spread: the template's own masked reading (deferred, model/deferredFacts.ts) is not read.
  const out: FileFacts = {
    uri: facts.uri,
    version: facts.version,
    ...(facts.serial !== undefined ? { serial: facts.serial } : {}),
    objects: r.objects,
    syntaxErrors: r.reportSyntax ? r.syntaxErrors : [],
    ...(r.reportSyntax && r.nilWrites.length > 0 ? { nilWrites: r.nilWrites } : {}),
    toolConfig: facts.toolConfig,
    template: facts.template,
    templated: true,
    suppressions: facts.suppressions,
    lineStarts: facts.lineStarts,
    length: facts.length,
    apiFindings: r.apiFindings,
    yaml11: r.yaml11,
  };
  cache.set(r, out);
  return out;
}

const renderedSyntax = new WeakMap<FileFacts, { readonly r: RenderedFile; readonly out: FileFacts }>();

/** A file's own facts with its render's syntax errors (`yaml-syntax` on the template lines that wrote them). */
function withRenderedSyntax(facts: FileFacts, r: RenderedFile): FileFacts {
  const hit = renderedSyntax.get(facts);
  if (hit?.r === r) return hit.out;
  const out: FileFacts = { ...facts, syntaxErrors: r.syntaxErrors };
  renderedSyntax.set(facts, { r, out });
  return out;
}

/** Unrendered files' facts for the checks, by their own facts (a `WeakMap` keyed by an object). */
const unrenderedFacts = new WeakMap<FileFacts, FileFacts>();

/**
 * A file whose render writes nothing of its own (a partial, a template of a disabled subchart, chart
 * data read through `.Files`): Helm installs none of it, so the checks see no objects, syntax errors,
 * API findings or YAML 1.1 scalars in it (its own reading is not made if it was deferred).
 */
function unrendered(facts: FileFacts): FileFacts {
  const hit = unrenderedFacts.get(facts);
  if (hit !== undefined) return hit;
  const out: FileFacts = {
    uri: facts.uri,
    version: facts.version,
    ...(facts.serial !== undefined ? { serial: facts.serial } : {}),
    objects: [],
    syntaxErrors: [],
    toolConfig: facts.toolConfig,
    template: facts.template,
    templated: facts.template,
    suppressions: facts.suppressions,
    lineStarts: facts.lineStarts,
    length: facts.length,
    apiFindings: [],
    yaml11: [],
  };
  unrenderedFacts.set(facts, out);
  return out;
}
