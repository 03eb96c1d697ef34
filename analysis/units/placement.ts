/**
 * Placement: which unit a file's objects belong to and which namespace each lands in — what a
 * Kustomize build made of the file (per root), what a chart rendered from a template (in its
 * release's unit), or the file's own objects in their folder's unit (bound to their namespace, in
 * a chart's unit, or floating: no namespace and nothing binds one). Also the identities those
 * objects give their units for the alternatives relation (analysis/units/alternatives.ts).
 *
 * Pure: a file's facts and the workspace's structure (analysis/units/structure.ts) in, placed
 * objects out. Design notes: docs/dev/units.md, docs/dev/kustomize.md, docs/dev/helm-units.md.
 */

import type { FileFacts, KObject } from '../model/types.js';
import type { HelmLayout, RenderedFile } from './helm.js';
import { isNamespace } from '../model/kinds.js';
import { dirname, isUnder } from '../workspace/paths.js';
import { altEntries, clusterEntries } from './alternatives.js';
import type { AltEntry } from './alternatives.js';
import type { Structure } from './structure.js';
import { isTestPartial } from './structure.js';
import type { TestPlacement } from './testSteps.js';
import { clusterLoaderObject } from './clusterLoader.js';
import { contentOf } from './moved.js';
import { pluginRenderedFolders } from './argocdCharts.js';
import { withGeneratedReleases } from './argocdSetCharts.js';
import { exact } from '../model/values.js';

/** Where an object lands: its unit and namespace. */
export interface Placement {
  readonly unit: string;
  /** undefined: decided at install time (a Helm release namespace, a templated namespace). */
  readonly namespace: string | undefined;
  /** No namespace and nothing binds one: it lands wherever it is applied. */
  readonly floating: boolean;
}

export interface Placed {
  readonly obj: KObject;
  readonly placements: readonly Placement[];
  /** Set when an edit only moved the object (`contributeEdit`): the first `Placed` of the same content (units/moved.ts). */
  readonly movedFrom?: Placed;
}

export interface Chart {
  readonly dir: string;
  readonly dependencies: readonly string[];
}

export function findChart(uri: string, charts: readonly Chart[]): Chart | undefined {
  let best: Chart | undefined;
  for (const c of charts) {
    if (isUnder(uri, c.dir + '/templates') && (best === undefined || c.dir.length > best.dir.length)) best = c;
  }
  return best;
}

/**
 * The chart folder holding `f` when `f` is a Go template outside the chart's templates/ and crds/
 * (`FileFacts.guessedTemplate`: not YAML as it stands, clean with its actions masked), such as
 * `files/service.yaml` a template renders with `tpl (.Files.Get …)`: chart data, never installed
 * as it is, so it holds no objects and gets no findings of its own.
 */
export function chartTemplateData(f: FileFacts, charts: readonly Chart[]): string | undefined {
  const g = f.guessedTemplate;
  if (g === undefined || g.placeholders === true || g.terraform === true || g.jinja === true || g.freemarker === true) return undefined;
  for (const c of charts) {
    if (!isUnder(f.uri, c.dir)) continue;
    const rel = f.uri.slice(c.dir.length + 1);
    if (!rel.startsWith('templates/') && !rel.startsWith('crds/')) return c.dir;
  }
  return undefined;
}

/**
 * A kuttl or chainsaw test step's assertion file (`00-assert.yaml`, `01-errors.yaml`,
 * `08-assert-alert-folder.yaml`, a chainsaw step's `01-install-monolithic-assert.yaml` or
 * `install-loki-assert.yaml`, a chainsaw test's `assertions.yaml`; `custom-errors.yaml` without a step
 * number stays a manifest): partial objects the test compares the cluster with (a Service
 * with `spec: {}`, a Deployment with only `status`), never applied. No objects, no findings.
 */
const TEST_ASSERTION = /(^|\/)(\d+-(assert|errors?)|\d+-[^/]*[-_](assert|errors?)|[^/]*[-_]assert|assert(ions?)?)([-._][^/]*)?\.ya?ml$/i;

export function testAssertion(uri: string): boolean {
  return TEST_ASSERTION.test(uri);
}

/**
 * A file name that says patch: `deployment_patch.yaml`, `extensions-patch.yaml`, `patch.yaml`, `patches.yaml`,
 * or any file of a `patches/` folder (`components/patches/frontend-ingress.annotations.yaml`).
 */
const PATCH_NAME = /(^|\/)(([^/]*[-_.])?patch(es)?([-_.][^/]*)?|patch(es)?\/[^/]+)\.ya?ml$/i;

export function patchNamed(uri: string): boolean {
  return PATCH_NAME.test(uri);
}

/**
 * A patch that no kustomization names (a Makefile's `kubectl patch --patch-file extensions-patch.yaml`): a file whose name
 * says patch and whose objects the API server would reject as incomplete (a Deployment without `spec.selector`). Its
 * partial objects are merged into live ones, never applied: no objects, no findings. A complete object in such a file,
 * or a file with syntax errors, is read as any other. (Kustomize's patches are the Kustomize tree's, decided before.)
 */
export function unclaimedPatch(f: FileFacts): boolean {
  return PATCH_NAME.test(f.uri) && f.syntaxErrors.length === 0 && (f.apiFindings ?? []).some((a) => a.code === 'api-required-value');
}

/** What one file puts into the index. */
export interface Contribution {
  readonly placed: readonly Placed[];
  readonly units: readonly string[];
  readonly broken: boolean;
  /** The identities its objects give their units (analysis/units/alternatives.ts). */
  readonly alts: readonly AltEntry[];
}

export function sameEntries(a: readonly AltEntry[] | undefined, b: readonly AltEntry[] | undefined): boolean {
  return (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === b?.[i]);
}

/** Whether `uri` is a template a plugin-rendered chart's render fell back on (it did not render with the defaults). */
export function pluginFallback(structure: Structure, uri: string, plugin: ReadonlySet<string>): boolean {
  const helm = structure.helm;
  return (helm.readers.get(uri) ?? []).some((dir) => plugin.has(dir) && helm.renders.get(dir)?.fallback.has(uri) === true);
}

/** What file `f` puts into the index, given the workspace's structure. */
export function contribute(structure: Structure, f: FileFacts, defaultNamespace: string): Contribution {
  const { kust, charts } = structure;
  const broken = (): boolean => f.syntaxErrors.length > 0 || f.inputLimit !== undefined;
  const built = kust.objects.get(f.uri);
  if (built !== undefined || kust.claimed.has(f.uri)) {
    // A Kustomize tree decides this file's objects: what the builds made of it, per root.
    const placed: Placed[] = (built ?? []).map((b) => ({ obj: b.obj, placements: [b.placement] }));
    const units = new Set(placed.map((p) => p.placements[0]?.unit ?? dirname(f.uri)));
    for (const r of kust.readers.get(f.uri) ?? []) units.add(r);
    if (units.size === 0) units.add(dirname(f.uri));
    const clusters = clusterEntries(f.uri, units, (u) => kust.argo?.get(u)?.cluster);
    const alts = altEntries(f.uri, placed);
    return { placed, units: [...units], broken: broken(), alts: clusters.length === 0 ? alts : exact([...alts, ...clusters]) };
  }
  if (testAssertion(f.uri) || isTestPartial(structure, f.uri) || unclaimedPatch(f))
    return { placed: [], units: [dirname(f.uri)], broken: false, alts: [] };
  const tests = structure.testPlaced.get(f.uri);
  if (tests !== undefined) return testApplied(f, tests, defaultNamespace, broken());
  // (A chart a kustomization inflates is the Kustomize tree's: handled above.)
  const rendered = structure.helm.rendered.get(f.uri);
  // A chart that a Kustomize build inflates (helmCharts) is decided by that build.
  const kustReads = kust.objects.has(f.uri) || kust.readers.has(f.uri);
  // A chart an Application renders with a config management plugin: the plugin's render, not known here (units/argocdCharts.ts).
  // A template of it that did not render with the defaults is the plugin's too (a `required` the plugin's values answer).
  if (!kustReads && (rendered !== undefined || kust.argo !== undefined)) {
    const plugin = pluginRenderedFolders(kust.argo);
    if (rendered !== undefined ? plugin.has(rendered.chart) : plugin.size > 0 && pluginFallback(structure, f.uri, plugin))
      return { placed: [], units: [rendered?.chart ?? findChart(f.uri, charts)?.dir ?? dirname(f.uri)], broken: false, alts: [] };
  }
  if (!kustReads && (rendered !== undefined || structure.helm.claimed.has(f.uri)))
    return renderedContribution(
      f.uri,
      rendered,
      rendered?.chart ?? findChart(f.uri, charts)?.dir ?? dirname(f.uri),
      f.inputLimit !== undefined,
      defaultNamespace,
    );
  const dataOf = chartTemplateData(f, charts);
  if (dataOf !== undefined) return { placed: [], units: [dataOf], broken: false, alts: [] };
  const chart = findChart(f.uri, charts);
  const units = new Set<string>();
  const placed: Placed[] = [];
  const cl2 = structure.clusterLoaderTemplates.has(f.uri);
  for (const x of f.objects) {
    if (x.isPatch) continue;
    const o = cl2 ? clusterLoaderObject(x, structure.clusterLoaderTemplates.get(f.uri)) : withGeneratedReleases(x, kust.argo);
    const placements = place(o, f.uri, chart, defaultNamespace);
    for (const p of placements) units.add(p.unit);
    placed.push({ obj: o, placements });
  }
  if (units.size === 0) units.add(chart?.dir ?? dirname(f.uri));
  return { placed: exact(placed), units: [...units], broken: broken(), alts: chart !== undefined ? [] : altEntries(f.uri, placed) };
}

/**
 * A chart's render decides a template's objects: what it rendered, in its release's unit (`unit`,
 * the root chart's folder).
 */
function renderedContribution(
  uri: string,
  rendered: RenderedFile | undefined,
  unit: string,
  inputLimit: boolean,
  defaultNamespace: string,
): Contribution {
  const chart: Chart = { dir: unit, dependencies: [] };
  const placed: Placed[] = (rendered?.objects ?? []).map((o) => ({
    obj: o,
    placements: place(o, uri, chart, defaultNamespace, { namespace: rendered?.releaseNamespace }),
  }));
  const renderBroken = (rendered?.syntaxErrors.length ?? 0) > 0 || inputLimit;
  // An object the template puts in a namespace of its own (not the release's) is there whatever the
  // release: two charts that write it (versions of one chart in sibling folders) cannot both install
  // it (Helm refuses an object another release owns), so it makes their units alternatives.
  const own = placed.filter((p) => p.obj.namespace !== undefined);
  return { placed, units: [unit], broken: renderBroken, alts: own.length === 0 ? [] : altEntries(uri, own) };
}

/**
 * The templates of packed subcharts (`<root>/charts/*.tgz`, unpacked into support files: rendered,
 * never analysed) with what they put into the parent release's unit, as an unpacked `charts/<name>/`
 * folder's templates do (`contribute`). Their objects are looked up by the checks of the release's
 * other files; no check runs on them (no file of theirs to report on). A chart a Kustomize build
 * inflates or a plugin renders is not Helm's render here: none.
 */
export function packedContributions(
  structure: Structure,
  analysed: (uri: string) => boolean,
  defaultNamespace: string,
): Map<string, Contribution> {
  const out = new Map<string, Contribution>();
  const { helm, kust } = structure;
  let plugin: ReadonlySet<string> | undefined;
  for (const [uri, r] of helm.rendered) {
    if (analysed(uri) || !isPackedTemplate(uri, r.chart)) continue;
    if (kust.objects.has(uri) || kust.readers.has(uri) || kust.claimed.has(uri)) continue;
    if ((plugin ??= pluginRenderedFolders(kust.argo)).has(r.chart)) continue;
    out.set(uri, renderedContribution(uri, r, r.chart, false, defaultNamespace));
  }
  return out;
}

/**
 * Whether two layouts' renders give packed subcharts' templates (`packedContributions`) the same
 * objects: an index derived from one keeps those contributions (else it is built again).
 */
export function samePacked(before: HelmLayout, after: HelmLayout, files: ReadonlyMap<string, FileFacts>): boolean {
  if (before.rendered === after.rendered) return true;
  const packed = (l: HelmLayout): Map<string, RenderedFile> => {
    const out = new Map<string, RenderedFile>();
    for (const [uri, r] of l.rendered) if (!files.has(uri) && isPackedTemplate(uri, r.chart)) out.set(uri, r);
    return out;
  };
  const a = packed(before);
  const b = packed(after);
  return a.size === b.size && [...a].every(([uri, r]) => b.get(uri) === r);
}

/** Whether `uri` is a template of a subchart of root chart `chart` (`<chart>/charts/…/templates/…`). */
function isPackedTemplate(uri: string, chart: string): boolean {
  return isUnder(uri, chart) && uri.startsWith(`${chart}/charts/`) && uri.includes('/templates/', chart.length);
}

/**
 * A file chainsaw Tests apply, or a step file of a kuttl suite that names a namespace (units/testSteps.ts
 * `TestPlacement`): its objects in each test's unit, those without a namespace in the test's namespace
 * (a Test's `spec.namespace`, its Configuration's, the suite's; else the ephemeral one the tool makes
 * for it: floating in the test's unit). Not a unit of its own folder.
 */
function testApplied(f: FileFacts, tests: readonly TestPlacement[], defaultNamespace: string, broken: boolean): Contribution {
  const placed: Placed[] = [];
  for (const x of f.objects) {
    if (x.isPatch) continue;
    const own = place(x, f.uri, undefined, defaultNamespace)[0];
    const placements = tests.map((t): Placement => {
      if (own === undefined || !own.floating) return { unit: t.test, namespace: own?.namespace, floating: false };
      if (t.namespace === undefined) return { unit: t.test, namespace: defaultNamespace, floating: true };
      return { unit: t.test, namespace: t.namespace ?? undefined, floating: false };
    });
    placed.push({ obj: x, placements });
  }
  return { placed: exact(placed), units: [...new Set(tests.map((t) => t.test))], broken, alts: [] };
}

/**
 * `release`: a rendered chart's object. Without a namespace of its own it is installed in the
 * release namespace: the one the user named, else (decided at install time) it floats with the
 * rest of the release in the chart's unit.
 */
function place(
  o: KObject,
  uri: string,
  chart: Chart | undefined,
  defaultNamespace: string,
  release?: { readonly namespace: string | undefined },
): Placement[] {
  // ClusterRole, ClusterIssuer…: cluster-scoped; a kind named just Cluster (CloudNativePG, Cluster API) is namespaced.
  const clusterScoped =
    isNamespace(o) ||
    o.kind === 'IngressClass' ||
    o.kind === 'CustomResourceDefinition' ||
    (o.kind === 'GatewayClass' && o.group === 'gateway.networking.k8s.io') ||
    /^Cluster[A-Z]/.test(o.kind);
  const unit = chart?.dir ?? dirname(uri);
  if (clusterScoped) return [{ unit, namespace: undefined, floating: false }];
  if (o.namespace !== undefined) {
    return [{ unit, namespace: o.namespace.known ? o.namespace.value : undefined, floating: false }];
  }
  if (release?.namespace !== undefined) return [{ unit, namespace: release.namespace, floating: false }];
  if (chart !== undefined && release === undefined) return [{ unit, namespace: undefined, floating: false }];
  return [{ unit, namespace: defaultNamespace, floating: true }];
}

function samePlacements(a: readonly Placement[], b: readonly Placement[]): boolean {
  return (
    a.length === b.length && a.every((x, i) => x.unit === b[i]?.unit && x.namespace === b[i]?.namespace && x.floating === b[i]?.floating)
  );
}

/**
 * `next` with the previous contribution's `Placed` for each object it still holds in the same
 * places (the documents an edit did not lower again keep their objects), so the lists need not
 * replace them.
 */
export function keepPlaced(old: Contribution | undefined, next: Contribution): Contribution {
  if (old === undefined || old.placed.length === 0) return next;
  const byObj = new Map<KObject, Placed>();
  for (const p of old.placed) byObj.set(p.obj, p);
  let kept = 0;
  const placed = next.placed.map((p) => {
    const before = byObj.get(p.obj);
    if (before === undefined || !samePlacements(before.placements, p.placements)) return p;
    kept++;
    return before;
  });
  return kept === 0 ? next : { ...next, placed };
}

/** Objects an edit only moved: each old `Placed` with its successor. */
export interface MovedPlaced {
  readonly pairs: ReadonlyMap<Placed, Placed>;
}

/**
 * What file `f` puts into the index after an edit lowered only some of its documents
 * (`f.lastEdit`, from the facts `old` was worked out from): the objects before the edit keep their
 * `Placed`, those after it are placed as they were (their content is the same), and only the
 * edit's new objects are placed. `moved` pairs each old `Placed` with its successor, so the lists
 * replace it in place. Undefined when the file's objects are not its own (a Kustomize build or a
 * chart's render decides them): `contribute` then.
 */
export function contributeEdit(
  structure: Structure,
  f: FileFacts,
  old: Contribution,
  defaultNamespace: string,
):
  | {
      readonly contribution: Contribution;
      readonly moved: MovedPlaced;
      readonly dropped: readonly Placed[];
      readonly fresh: readonly Placed[];
    }
  | undefined {
  const edit = f.lastEdit;
  const { kust, helm, charts } = structure;
  if (edit === undefined || kust.objects.has(f.uri) || kust.claimed.has(f.uri) || kust.readers.has(f.uri)) return undefined;
  // A patch-named file may become a patch or stop being one with any edit: placed whole.
  if (
    helm.rendered.has(f.uri) ||
    helm.claimed.has(f.uri) ||
    testAssertion(f.uri) ||
    isTestPartial(structure, f.uri) ||
    patchNamed(f.uri) ||
    structure.testPlaced.has(f.uri)
  )
    return undefined;
  const chart = findChart(f.uri, charts);
  const shift = edit.addedObjects - edit.removedObjects;
  const placed: Placed[] = [];
  const moved = { pairs: new Map<Placed, Placed>() };
  const olds = old.placed;
  let i = 0;
  for (; i < olds.length && (olds[i]?.obj.ordinal ?? 0) < edit.firstObject; i++) {
    const p = olds[i];
    if (p === undefined || f.objects[p.obj.ordinal] !== p.obj) return undefined;
    placed.push(p);
  }
  const dropped: Placed[] = [];
  for (; i < olds.length && (olds[i]?.obj.ordinal ?? 0) < edit.firstObject + edit.removedObjects; i++) {
    const p = olds[i];
    if (p !== undefined) dropped.push(p);
  }
  const fresh: Placed[] = [];
  for (let k = edit.firstObject; k < edit.firstObject + edit.addedObjects; k++) {
    const o = f.objects[k];
    if (o === undefined) return undefined;
    if (o.isPatch) continue;
    const p: Placed = { obj: o, placements: place(o, f.uri, chart, defaultNamespace) };
    placed.push(p);
    fresh.push(p);
  }
  for (; i < olds.length; i++) {
    const p = olds[i];
    const o = p === undefined ? undefined : f.objects[p.obj.ordinal + shift];
    if (p === undefined || o === undefined || o.kind !== p.obj.kind || o.isPatch) return undefined;
    if (o === p.obj) {
      placed.push(p);
      continue;
    }
    const next: Placed = { obj: o, placements: p.placements, movedFrom: contentOf(p) };
    moved.pairs.set(p, next);
    placed.push(next);
  }
  let own = 0;
  for (const o of f.objects) if (!o.isPatch) own++;
  if (own !== placed.length) return undefined;
  const units = new Set<string>();
  for (const p of placed) for (const pl of p.placements) units.add(pl.unit);
  if (units.size === 0) units.add(chart?.dir ?? dirname(f.uri));
  const broken = f.syntaxErrors.length > 0 || f.inputLimit !== undefined;
  return {
    contribution: { placed: exact(placed), units: [...units], broken, alts: chart !== undefined ? [] : altEntries(f.uri, placed) },
    moved,
    dropped,
    fresh,
  };
}

/**
 * What changed file `f` puts into the index now, from what it put before (`old`): after a
 * document edit from the facts whose serial is `oldSerial` (the workspace's structure unchanged),
 * `contributeEdit`; else `contribute`, keeping the old `Placed` of objects still placed alike.
 * `lists` is the index's update: the old objects no longer placed go to `removed`, one the edit
 * only moved takes its predecessor's place (`moved`: each edited file's pairs, not copied), the new ones are `added`; an object kept
 * stays in the lists. After a document edit only the edited documents' objects are visited here:
 * the others are kept or moved as they were.
 */
export function recontribute(
  structure: Structure,
  f: FileFacts,
  old: Contribution | undefined,
  oldSerial: number | undefined,
  defaultNamespace: string,
  lists: { readonly removed: Set<Placed>; readonly added: Placed[]; readonly moved: Array<ReadonlyMap<Placed, Placed>> },
): Contribution {
  const edit =
    old !== undefined && oldSerial !== undefined && f.lastEdit?.baseSerial === oldSerial
      ? contributeEdit(structure, f, old, defaultNamespace)
      : undefined;
  if (edit !== undefined) {
    for (const p of edit.dropped) lists.removed.add(p);
    if (edit.moved.pairs.size > 0) lists.moved.push(edit.moved.pairs);
    for (const p of edit.fresh) lists.added.push(p);
    return edit.contribution;
  }
  const c = keepPlaced(old, contribute(structure, f, defaultNamespace));
  for (const p of old?.placed ?? []) lists.removed.add(p);
  for (const p of c.placed) if (!lists.removed.delete(p)) lists.added.push(p);
  return c;
}
