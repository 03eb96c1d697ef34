/**
 * Kustomize units: which kustomizations are build roots, what each root builds, and which files' objects come from builds. A
 * kustomization that no other kustomization lists (as a resource, base or component) is a build root; everything else in a Kustomize
 * tree is judged only as part of the roots that include it, once per root (a shared base is an object per root). A file inside a
 * Kustomize tree that no build reads as a resource is no unit's object (a scaffold left out of every kustomization, a patch). A
 * kustomization that another lists only in a commented-out line is switched off: not a root, its files no unit's objects.
 *
 * Builds are cached per root with the texts they read: a new layout rebuilds only the roots one of whose inputs changed
 * (`computeLayout`'s `previous`). Design notes: docs/dev/kustomize.md.
 */

import type { FileFacts, KObject } from '../model/types.js';
import type { YMap } from '../syntax/tree.js';
import { lowerBuiltObject } from '../model/lower.js';
import { withBuild } from '../model/objects.js';
import { parseFile } from '../syntax/parse.js';
import { offeredPlainParse } from '../syntax/parseMemo.js';
import type { ParsedFile } from '../syntax/parse.js';
import { dirname } from '../workspace/paths.js';
import { buildKustomization, KUSTOMIZATION_FILES, sameTree } from '../render/kustomize/index.js';
import type { BuildResult, SubBuildCache } from '../render/kustomize/index.js';
import { findFluxRoots, hasFluxKustomization, joinInputs } from './flux.js';
import { fluxIncluded, fluxKustomization, fluxMerge } from './fluxBuild.js';
import { fluxBuildKey, patchedByParents } from './fluxParents.js';
import { asApplied } from './postBuild.js';
import { findRoots, inTree, isClusterScopedKind } from './kustomizeRoots.js';
import type { FluxRoot, PendingFluxDoc } from './flux.js';
import { memoBuild, referencedNames, substitutes, substitutionValues, type ValuesOptions } from './fluxValues.js';
import type { SubstitutionValues } from './fluxValues.js';
import { argoIncluded, argoKustomization, sameArgoRoots, type ArgoRoot } from './argocd.js';
import { chartsWithOwnValues, readArgoRoots } from './argocdCharts.js';
import { findFleetRoots, fleetChartsWithOwnValues, fleetIncluded, fleetKustomization, sameFleetRoots } from './fleet.js';
import { keepReads, kustomizationsAfter, LayoutFiles, newReads, searchKept, sortedUris, strictness, under } from './layoutScan.js';
import type { LayoutChange, LayoutWork, ScanReads } from './layoutScan.js';
import { fleetIgnoreInputs, type FleetRoot } from './fleet.js';

/** Where a built object lands: its root and the namespace the build gave it. */
export interface BuiltPlacement {
  readonly unit: string;
  readonly namespace: string | undefined;
  readonly floating: boolean;
}

export interface BuiltPlaced {
  readonly obj: KObject;
  readonly placement: BuiltPlacement;
}

interface LoweredObject {
  readonly uri: string;
  readonly key: string;
  readonly obj: KObject;
  readonly src: number;
}

interface CachedBuild {
  readonly result: BuildResult;
  /**
   * The build's objects lowered (once per build; ordinals and roots are set per layout); `src` is
   * the object's index in `result.objects`.
   */
  lowered?: readonly LoweredObject[];
  /** The text of every input when the build ran (undefined: the file was absent). */
  readonly texts: ReadonlyMap<string, string | undefined>;
  /**
   * The placed objects of the last layout that took this build (parallel to `lowered`), and the
   * default namespace they were placed with: a later layout keeps each one whose ordinal and roots
   * are unchanged, so an edit does not copy every root's objects again.
   */
  placed?: { readonly list: readonly BuiltPlaced[]; readonly defaultNamespace: string };
  /**
   * The folders whose kustomization the build looked up, and what it found (undefined: none): a
   * base whose kustomization comes back (or goes) changes the build, though no text it read did.
   */
  readonly probes: ReadonlyMap<string, string | undefined>;
  /** The folders the build listed (a `helmCharts` chart) and what they held: a file added there changes the build. */
  readonly listings: ReadonlyMap<string, string>;
  /** A Flux root's postBuild values when it was built (units/fluxValues.ts `key`): other values build it again. */
  readonly valuesKey?: string;
}

export interface KustomizeLayout {
  /** Build roots (kustomization directories), sorted. */
  readonly roots: readonly string[];
  readonly builds: ReadonlyMap<string, CachedBuild>;
  /** Built objects by the file they come from, roots in order. */
  readonly objects: ReadonlyMap<string, readonly BuiltPlaced[]>;
  /** Input file → the roots whose build read it. */
  readonly readers: ReadonlyMap<string, readonly string[]>;
  /** Files whose objects are decided by the builds: resources (built), patches and unreferenced files (none). */
  readonly claimed: ReadonlySet<string>;
  /** Roots whose build depends on something not known here (remote bases, Helm charts, plugins, missing files). */
  readonly incomplete: ReadonlySet<string>;
  /** Directories holding a kustomization. */
  readonly dirs: ReadonlySet<string>;
  /** The kustomizations' facts the roots were found from (an edit elsewhere keeps these, and the roots). */
  readonly kustFacts?: ReadonlyMap<string, FileFacts>;
  /** The default namespace floating built objects were placed in. */
  readonly defaultNamespace?: string;
  /** Flux Kustomizations that are build roots, by root id (units/flux.ts). */
  readonly flux?: ReadonlyMap<string, FluxRoot>;
  /** Argo CD Applications that are build roots, by root id (units/argocd.ts). */
  readonly argo?: ReadonlyMap<string, ArgoRoot>;
  /** Fleet bundles' deployments that are build roots, by root id (units/fleet.ts). */
  readonly fleet?: ReadonlyMap<string, FleetRoot>;
  /** Files read by the renders that wrote Applications (units/argocdCharts.ts), or the parent builds that patch Flux children (units/flux.ts): an edit to one reshapes the layout. */
  readonly argoInputs?: ReadonlySet<string> | undefined;
  /** The ConfigMaps and Secrets Flux roots read postBuild values from (units/fluxValues.ts), by name: a file holding one of them reshapes the layout. */
  readonly substituteNames?: ReadonlySet<string>;
  /** Charts every Application applying them renders with the chart's own values (units/argocdCharts.ts). */
  readonly argoOwnValues?: ReadonlySet<string>;
  /**
   * After an edit (`computeLayout`'s `stale`): the roots built again, and whether every one of them
   * reads, claims and lacks what it did before (then only their problems and the files whose placed
   * objects changed are touched, `filesTouched`).
   */
  readonly rebuilt?: { readonly roots: readonly string[]; readonly sameRoles: boolean };
  /** What the layouts computed so far along this one's line cost (layoutScan.ts `LayoutWork`): carried from `previous`, counted in `keepReads`. */
  readonly work?: LayoutWork;
}

export const EMPTY_LAYOUT: KustomizeLayout = {
  roots: [],
  builds: new Map(),
  objects: new Map(),
  readers: new Map(),
  claimed: new Set(),
  incomplete: new Set(),
  dirs: new Set(),
};

/** Parsed texts shared by builds (the builder copies what it uses; parse trees are never changed). */
const parseCache = new WeakMap<object, Map<string, { readonly text: string; readonly parsed: ParsedFile }>>();
/** Sub-builds of bases shared by the roots that include them, carried from layout to layout (render/kustomize/subBuilds.ts). */
const subBuildCache = new WeakMap<object, SubBuildCache>();

/**
 * The Kustomize layout of a workspace. With `previous`, a root whose inputs all have the texts its
 * cached build read is not built again.
 */
export function computeLayout(
  input: ReadonlyMap<string, FileFacts>,
  text: (uri: string) => string | undefined,
  defaultNamespace: string,
  previous?: KustomizeLayout,
  /**
   * The roots that may need a new build (those reading an edited file, `restructure`), when no file
   * came or went and no kustomization changed: the others keep theirs without comparing texts.
   */
  stale?: ReadonlySet<string>,
  /** The edit the layout is computed after (`restructure`): what it leaves of the previous layout's reads of every file. */
  change?: LayoutChange,
): KustomizeLayout {
  // Every pass over all files is counted (`work`).
  const files = new LayoutFiles(input);
  // With `stale`, no kustomization changed and no file came or went: the previous tree stands.
  const kept = stale !== undefined ? previous?.kustFacts : undefined;
  let kustFiles: ReadonlyMap<string, FileFacts>;
  if (kept !== undefined) kustFiles = kept;
  else {
    // Kustomize reads a folder's `kustomization.yaml` (`.yml`, `Kustomization`) only: a
    // `kustomization.template.yaml` that a user copies into an instance folder builds nothing here.
    // After an edit, the previous layout's with the edited folders read again.
    kustFiles = kustomizationsAfter(previous?.kustFacts, files, change);
  }
  // What the GitOps roots' search reads, while it runs (a later layout takes its roots when every read stands).
  let rec: ScanReads | undefined;
  const readText = (uri: string): string | undefined => {
    const t = text(uri);
    rec?.texts.set(uri, t);
    return t;
  };
  const cache = (previous !== undefined ? parseCache.get(previous) : undefined) ?? new Map<string, { text: string; parsed: ParsedFile }>();
  const subBuilds: SubBuildCache = (previous !== undefined ? subBuildCache.get(previous) : undefined) ?? new Map();
  const host = {
    text: readText,
    // A build that edits a folder's kustomization (an Argo CD `edit set`, units/argocd.ts) shares no sub-build.
    get subBuilds(): SubBuildCache | undefined {
      return edited.size > 0 ? undefined : subBuilds;
    },
    parse: (uri: string): ParsedFile | undefined => {
      const t = readText(uri);
      if (t === undefined) return undefined;
      const hit = cache.get(uri);
      if (hit !== undefined && hit.text === t) return hit.parsed;
      // The host's own plain reading of the text, when it has just made one (syntax/parseMemo.ts).
      const parsed = offeredPlainParse(t) ?? parseFile(t);
      cache.set(uri, { text: t, parsed });
      return parsed;
    },
    kustomizationOf: (dir: string): string | undefined => {
      const uri = kustomizationAt(dir) ?? fluxSavedAt(dir);
      probes?.set(dir, uri);
      return uri;
    },
    kustomizationTree: (dir: string): YMap | undefined => {
      const f = flux.get(dir);
      const a = argo.get(dir) ?? argoParents.get(dir);
      const b = fleet.get(dir);
      if (f === undefined && a === undefined && b === undefined) return edited.get(dir);
      edited.clear();
      const isManifest = (uri: string): boolean => {
        const facts = files.get(uri);
        return (
          facts !== undefined &&
          facts.toolConfig === undefined &&
          facts.objects.length > 0 &&
          ((a === undefined && b === undefined) || !facts.template)
        );
      };
      const read = { ...host, isManifest, edited, exists }; // kustomizationOf, filesUnder, parse, text
      if (b !== undefined) return fleetKustomization(b, read);
      return f !== undefined ? fluxKustomization(f, read) : a !== undefined ? argoKustomization(a, read) : undefined;
    },
    treeInputs: (dir: string): string[] => fleetIgnoreInputs(fleet.get(dir), host.filesUnder), // a bundle's `.fleetignore`s
    mergedKustomization: (root: string) => fluxMerge(flux.get(root), kustomizationAt, exists),
    // An Argo CD Application's own source files (a directory, a chart's output) are read by Argo CD, as kubectl reads them.
    readsLikeKubectl: (dir: string): boolean => argo.has(dir) || argoParents.has(dir) || fleet.has(dir),
    filesUnder: (dir: string): readonly string[] => {
      const out = listFiles(dir);
      listings?.set(dir, out.join('\n'));
      return out;
    },
  };
  const edited = new Map<string, YMap>();
  // A file, or a folder holding files (listed: a folder that comes or goes builds the root again).
  const exists = (path: string): boolean => readText(path) !== undefined || host.filesUnder(path).length > 0;
  let listings: Map<string, string> | undefined;
  let probes: Map<string, string | undefined> | undefined;
  const listFiles = (dir: string): string[] => {
    const out = under((sorted ??= sortedUris(files)), dir);
    rec?.listings.set(dir, out.join('\n'));
    return out;
  };
  let sorted: readonly string[] | undefined;
  // The previous layout's GitOps roots, when no edited file is one their search looks for and every read gives what it gave.
  const reuse =
    kept === undefined
      ? searchKept(previous, change, {
          text,
          listing: (dir) => under((sorted ??= sortedUris(files)), dir).join('\n'),
          kustomization: (dir) => kustFiles.get(dir),
          facts: (uri) => input.get(uri),
        })
      : undefined;
  if (reuse === undefined && kept === undefined) files.reads = (rec = newReads()).facts;
  // Flux Kustomizations whose spec.path waits for a parent's substitution (units/flux.ts `patchedByParents`).
  const pending = new Map<string, PendingFluxDoc>();
  // Flux Kustomizations that build a folder of the workspace (units/flux.ts); with `stale`, the previous ones.
  let flux: ReadonlyMap<string, FluxRoot> =
    kept !== undefined
      ? (previous?.flux ?? new Map())
      : (reuse?.flux ?? findFluxRoots(files, host.parse, (dir) => listFiles(dir).length > 0, readText, pending));
  // Argo CD Applications with a source in this repository, also those charts write, rendered as the
  // parents that apply them (units/argocd.ts, argocdCharts.ts); with `stale`, the previous ones.
  let argo: ReadonlyMap<string, ArgoRoot> = new Map();
  // Fleet bundles, one root per deployment (units/fleet.ts); with `stale`, the previous ones.
  const fleet: ReadonlyMap<string, FleetRoot> =
    kept !== undefined ? (previous?.fleet ?? new Map()) : (reuse?.fleet ?? findFleetRoots(files, host.parse, listFiles, () => files.top()));
  const argoParents = reuse?.argoParents ?? new Map<string, ArgoRoot>();
  const kustomizationAt = (dir: string): string | undefined => {
    rec?.probes.set(dir, kustFiles.get(dir));
    return kustFiles.get(dir)?.uri ?? flux.get(dir)?.uri ?? argo.get(dir)?.uri ?? argoParents.get(dir)?.uri ?? fleet.get(dir)?.uri;
  };
  // A Flux Kustomization saved as a folder's kustomization file is no kustomization of the layout,
  // but kustomize reads a folder's kustomization by its name: a build that lists the folder (as
  // kustomize-controller's generator does) reads it, and refuses it (`unknown field "spec"`).
  const fluxSavedAt = (dir: string): string | undefined =>
    KUSTOMIZATION_FILES.map((f) => `${dir}/${f}`).find((u) => hasFluxKustomization(files.get(u)));
  const found =
    kept !== undefined || reuse !== undefined
      ? undefined
      : readArgoRoots(files, readText, host.parse, listFiles, argoParents, (id) => buildKustomization(id, host));
  argo = found?.roots ?? reuse?.argo ?? previous?.argo ?? new Map();
  // A Flux Kustomization a parent's build (as applied: its postBuild substituted) patches is read as patched (units/flux.ts).
  // A Flux root's postBuild values, read once per layout (units/fluxValues.ts).
  const valuesMemo = new Map<FluxRoot, SubstitutionValues>();
  let options: ValuesOptions | undefined;
  const values = (f: FluxRoot): SubstitutionValues => {
    let v = valuesMemo.get(f);
    if (rec !== undefined) rec.values = true;
    options ??= { build: memoBuild((dir) => buildKustomization(dir, host)), strict: strict.value() };
    if (v === undefined) valuesMemo.set(f, (v = substitutionValues(f.spec, f.namespace, files, host.parse, options)));
    return v;
  };
  // `host.filesUnder` records the folders a root's application lists (an OLM bundle's `bases/`): one that changes builds it again.
  const applyContext = () => ({ flux, argo, fleet, text, filesUnder: host.filesUnder, values, kustFiles });
  const applied = (id: string): BuildResult => asApplied(id, buildKustomization(id, host), applyContext());
  // Strict substitution as the previous layout read it while no edited file is the controller or one that said so.
  const strict = strictness(previous, change, files, text);
  const patched =
    kept === undefined && reuse === undefined
      ? patchedByParents(flux, applied, { ...host, text: readText, holdsFiles: (dir: string) => listFiles(dir).length > 0 }, pending)
      : undefined;
  flux = patched?.roots ?? flux;
  const argoInputs =
    kept !== undefined ? previous?.argoInputs : reuse !== undefined ? reuse.argoInputs : joinInputs(found?.inputs, patched?.inputs);
  // The search is over: what it read is kept with the layout (a stale rebuild keeps the previous layout's).
  files.reads = undefined;
  if (rec !== undefined) rec.listed = files.listed;
  const searched = rec !== undefined;
  const search = rec !== undefined ? { reads: rec, flux, fleet, argo, argoParents, argoInputs } : kept !== undefined ? 'previous' : reuse;
  rec = undefined;
  const work = previous?.work ?? { filesVisited: 0, searches: 0 };
  const finish = (layout: KustomizeLayout): KustomizeLayout => keepReads(layout, previous, search, searched, strict, files);
  if (kustFiles.size === 0 && flux.size === 0 && argo.size === 0 && fleet.size === 0)
    return finish({ ...EMPTY_LAYOUT, argoInputs, fleet, argo, work });
  // The same kustomizations and Flux roots (an edit of a resource or patch): the same roots.
  const sameKustomizations =
    kept !== undefined ||
    (previous?.kustFacts !== undefined &&
      previous.kustFacts.size === kustFiles.size &&
      [...kustFiles].every(([dir, f]) => previous.kustFacts?.get(dir) === f) &&
      sameFlux(previous.flux, flux) &&
      sameArgoRoots(previous.argo, argo) &&
      sameFleetRoots(previous.fleet, fleet));
  const reader = { kustomizationOf: (d: string) => kustFiles.get(d)?.uri, filesUnder: listFiles };
  // Keys: a Flux root whose postBuild substitutes (its ConfigMaps and Secrets, the strictness), an Argo CD root's plugin sources, what a Flux root's parents decide of it.
  const valuesKeyOf = (r: string, f = flux.get(r)): string | undefined =>
    fluxBuildKey(f, flux, kustFiles, f && substitutes(f) ? values(f).key : argo.get(r)?.pluginKey);
  const roots =
    sameKustomizations && previous !== undefined
      ? previous.roots
      : findRoots(
          kustFiles,
          text,
          new Map([
            ...[...flux].map(([id, f]) => [id, fluxIncluded(f, reader)] as const),
            ...[...argo].map(([id, a]) => [id, argoIncluded(a, reader)] as const),
            ...[...fleet].map(([id, b]) => [id, fleetIncluded(b, reader)] as const),
          ]),
        );
  // With `stale`, the other roots keep their builds: only the stale ones are looked at (in root order).
  const keepOthers = kept !== undefined && previous !== undefined;
  const builds = keepOthers ? new Map(previous.builds) : new Map<string, CachedBuild>();
  const rebuilt: string[] = [];
  for (const root of keepOthers && stale !== undefined ? [...stale].filter((r) => builds.has(r)).sort() : roots) {
    const old = previous?.builds.get(root);
    if (
      old !== undefined &&
      [...old.texts].every(([uri, t]) => text(uri) === t) &&
      [...old.probes].every(([dir, uri]) => (kustomizationAt(dir) ?? fluxSavedAt(dir)) === uri) &&
      [...old.listings].every(([dir, list]) => listFiles(dir).join('\n') === list) &&
      old.valuesKey === (valuesKeyOf(root) ?? fleet.get(root)?.forcedBy)
    ) {
      builds.set(root, old);
      continue;
    }
    listings = new Map();
    probes = new Map();
    const result = asApplied(root, buildKustomization(root, host), applyContext());
    const texts = new Map<string, string | undefined>();
    for (const uri of result.inputs) texts.set(uri, text(uri));
    for (const u of flux.get(root)?.patchedBy ?? []) texts.set(u, text(u));
    for (const uri of argo.get(root)?.renderedFrom ?? []) texts.set(uri, text(uri));
    const valuesKey = valuesKeyOf(root) ?? fleet.get(root)?.forcedBy;
    const build: CachedBuild = { result, texts, listings, probes, ...(valuesKey !== undefined ? { valuesKey } : {}) };
    if (old !== undefined) carryUnchanged(old, build, defaultNamespace);
    builds.set(root, build);
    rebuilt.push(root);
    listings = undefined;
    probes = undefined;
  }
  // With the same roots and default namespace, only the files some rebuilt root outputs (before or
  // now) get new object lists: the others keep theirs (ordinals count within a file).
  let affected: Set<string> | undefined;
  if (sameKustomizations && previous !== undefined && previous.defaultNamespace === defaultNamespace) {
    affected = new Set();
    for (const root of keepOthers ? rebuilt : roots) {
      const was = previous.builds.get(root);
      const now = builds.get(root);
      if (was === now) continue;
      for (const b of [was, now]) for (const o of b?.result.objects ?? []) affected.add(o.uri);
    }
  }
  // The rebuilt roots read, claim and lack what they did before (an edit that changes no file's
  // role): the previous readers, claimed files and incomplete roots stand; and only the roots that
  // output an affected file (rebuilt, or named by its previous objects) are walked below.
  let same = affected !== undefined && previous !== undefined && stale !== undefined;
  let walk: ReadonlySet<string> | undefined;
  if (same && previous !== undefined && affected !== undefined) {
    for (const root of stale ?? []) {
      const was = previous.builds.get(root)?.result;
      const now = builds.get(root)?.result;
      if (was === now) continue;
      if (
        was === undefined ||
        now === undefined ||
        was.complete !== now.complete ||
        !sameSet(was.inputs, now.inputs) ||
        !sameSet(was.resourceFiles, now.resourceFiles) ||
        !sameSet(was.patchFiles, now.patchFiles)
      ) {
        same = false;
        break;
      }
    }
    if (same) {
      const w = new Set<string>(stale);
      for (const uri of affected) for (const p of previous.objects.get(uri) ?? []) w.add(p.placement.unit);
      walk = w;
    }
  }
  // Built objects, file by file; a source document built by several roots names them all.
  const sourceRoots = new Map<string, string[]>();
  const lowered: Array<{ root: string; uri: string; key: string; obj: KObject; ordinal: number; build: CachedBuild; i: number }> = [];
  const ordinals = new Map<string, number>();
  const readers = same && previous !== undefined ? previous.readers : new Map<string, string[]>();
  const claimed = same && previous !== undefined ? previous.claimed : new Set<string>();
  const incomplete = same && previous !== undefined ? previous.incomplete : new Set<string>();
  for (const root of walk !== undefined ? [...walk].sort() : roots) {
    const b = builds.get(root);
    if (b === undefined) continue;
    if (!same) {
      if (!b.result.complete) (incomplete as Set<string>).add(root);
      for (const uri of b.result.inputs) {
        const list = (readers as Map<string, string[]>).get(uri);
        if (list === undefined) (readers as Map<string, string[]>).set(uri, [root]);
        else list.push(root);
      }
      for (const uri of b.result.resourceFiles) (claimed as Set<string>).add(uri);
      for (const uri of b.result.patchFiles) (claimed as Set<string>).add(uri);
    }
    b.lowered ??= b.result.objects.flatMap((o, src) => {
      const obj = lowerBuiltObject(o.uri, o.docIndex, o.root, 0);
      // Kind and name before the build renamed it identify the source object across roots.
      return obj === undefined ? [] : [{ uri: o.uri, key: `${o.uri}#${o.docIndex}#${o.source}`, obj, src }];
    });
    for (const [i, { uri, key, obj: built }] of b.lowered.entries()) {
      if (affected !== undefined && !affected.has(uri)) continue;
      const n = ordinals.get(uri) ?? 0;
      ordinals.set(uri, n + 1);
      lowered.push({ root, uri, key, obj: built, ordinal: n, build: b, i });
      const list = sourceRoots.get(key);
      if (list === undefined) sourceRoots.set(key, [root]);
      else if (!list.includes(root)) list.push(root);
    }
  }
  const objects = new Map<string, BuiltPlaced[]>();
  const placedNow = new Map<CachedBuild, BuiltPlaced[]>();
  for (const l of lowered) {
    const roots = sourceRoots.get(l.key) ?? [l.root];
    let list = placedNow.get(l.build);
    // A build whose other files were not affected keeps their placed objects.
    if (list === undefined)
      placedNow.set(l.build, (list = l.build.placed?.defaultNamespace === defaultNamespace ? [...l.build.placed.list] : []));
    const before = l.build.placed?.defaultNamespace === defaultNamespace ? l.build.placed.list[l.i] : undefined;
    const kept =
      before !== undefined &&
      before.obj.ordinal === l.ordinal &&
      before.obj.build?.root === l.root &&
      before.obj.build.roots.length === roots.length &&
      before.obj.build.roots.every((r, j) => r === roots[j]);
    if (kept) {
      list[l.i] = before;
      const at = objects.get(l.uri);
      if (at === undefined) objects.set(l.uri, [before]);
      else at.push(before);
      continue;
    }
    const obj = withBuild(l.obj, l.ordinal, { root: l.root, roots });
    const clusterScoped = isClusterScopedKind(obj);
    const ns = obj.namespace;
    const placement: BuiltPlacement = clusterScoped
      ? { unit: l.root, namespace: undefined, floating: false }
      : ns === undefined
        ? { unit: l.root, namespace: defaultNamespace, floating: true }
        : { unit: l.root, namespace: ns.known ? ns.value : undefined, floating: false };
    const placed: BuiltPlaced = { obj, placement };
    list[l.i] = placed;
    const at = objects.get(l.uri);
    if (at === undefined) objects.set(l.uri, [placed]);
    else at.push(placed);
  }
  for (const [b, list] of placedNow) b.placed = { list, defaultNamespace };
  const allObjects: Map<string, readonly BuiltPlaced[]> = objects;
  if (affected !== undefined && previous !== undefined)
    for (const [uri, list] of previous.objects) if (!affected.has(uri)) allObjects.set(uri, list);
  const dirs = same && previous !== undefined ? previous.dirs : new Set(kustFiles.keys());
  if (!same) {
    // The files of the Kustomize trees and of Fleet bundles (runs of the sorted paths, not a pass over every file).
    const list = (sorted ??= sortedUris(files));
    const bundled = new Set([...fleet.values()].filter((r) => dirname(r.dir) !== r.dir).flatMap((r) => under(list, r.dir)));
    for (const uri of new Set([...[...dirs].flatMap((d) => under(list, d)), ...bundled])) {
      const f = input.get(uri);
      if (f === undefined || f.toolConfig !== undefined || claimed.has(uri) || readers.has(uri)) continue;
      if ((inTree(uri, dirs) || bundled.has(uri)) && f.objects.length > 0) (claimed as Set<string>).add(uri);
    }
  }
  const layout: KustomizeLayout = {
    roots,
    builds,
    objects: allObjects,
    readers,
    claimed,
    incomplete,
    dirs,
    kustFacts: kustFiles,
    defaultNamespace,
    flux,
    argo,
    fleet,
    argoInputs,
    argoOwnValues: new Set([...chartsWithOwnValues(argo, listFiles), ...fleetChartsWithOwnValues(fleet, reader)]),
    substituteNames: new Set([...flux.values()].flatMap((f) => referencedNames(f.spec))),
    ...(keepOthers ? { rebuilt: { roots: rebuilt, sameRoles: same } } : {}),
    work,
  };
  finish(layout);
  parseCache.set(layout, cache);
  subBuildCache.set(layout, subBuilds);
  return layout;
}

/**
 * A root built again keeps the lowered and placed objects of its earlier build for the objects that
 * came out the same (same source, same tree down to every span): an edit that changes one object
 * of a base does not lower, place and index the root's others again (`filesTouched` leaves their
 * files out when they keep every placed object).
 */
function carryUnchanged(old: CachedBuild, build: CachedBuild, defaultNamespace: string): void {
  const was = old.lowered;
  if (was === undefined) return;
  const bySrc = new Map<number, number>();
  for (const [i, l] of was.entries()) bySrc.set(l.src, i);
  const placed = old.placed?.defaultNamespace === defaultNamespace ? old.placed.list : undefined;
  const lowered: LoweredObject[] = [];
  const list: BuiltPlaced[] = [];
  for (const [src, o] of build.result.objects.entries()) {
    const before = old.result.objects[src];
    const i = bySrc.get(src);
    const l = i === undefined ? undefined : was[i];
    let reused = false;
    if (i !== undefined && l !== undefined && before !== undefined && before.uri === o.uri && before.docIndex === o.docIndex) {
      if (before.source === o.source && sameTree(before.root, o.root)) {
        const p = placed?.[i];
        if (p !== undefined) list[lowered.length] = p;
        lowered.push({ ...l, src });
        reused = true;
      }
    }
    if (reused) continue;
    const obj = lowerBuiltObject(o.uri, o.docIndex, o.root, 0);
    if (obj !== undefined) lowered.push({ uri: o.uri, key: `${o.uri}#${o.docIndex}#${o.source}`, obj, src });
  }
  build.lowered = lowered;
  // Sparse: the objects lowered again are placed afresh by `computeLayout`.
  build.placed = { list, defaultNamespace };
}

export function sameFlux(a: ReadonlyMap<string, FluxRoot> | undefined, b: ReadonlyMap<string, FluxRoot>): boolean {
  if ((a?.size ?? 0) !== b.size) return false;
  for (const [id, f] of b) {
    const was = a?.get(id);
    if (was === undefined || was.path !== f.path || was.namespace !== f.namespace || (was.spec !== f.spec && !sameTree(was.spec, f.spec)))
      return false;
  }
  return true;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Files whose built objects may differ between two layouts (the inputs and outputs of roots rebuilt). */
export function filesTouched(before: KustomizeLayout, after: KustomizeLayout): Set<string> {
  const out = new Set<string>();
  const rebuilt = after.rebuilt;
  if (rebuilt?.sameRoles === true) {
    // The same roles: a rebuilt root's problems may change, and the files whose placed objects did.
    for (const root of rebuilt.roots) {
      for (const x of [before.builds.get(root), after.builds.get(root)]) {
        for (const p of x?.result.problems ?? []) out.add(p.uri);
        for (const o of x?.result.objects ?? [])
          if (!out.has(o.uri) && !samePlaced(before.objects.get(o.uri), after.objects.get(o.uri))) out.add(o.uri);
      }
    }
    return out;
  }
  const roots = rebuilt !== undefined ? rebuilt.roots : new Set([...before.roots, ...after.roots]);
  for (const root of roots) {
    const a = before.builds.get(root);
    const b = after.builds.get(root);
    if (a === b) continue;
    for (const x of [a, b]) {
      if (x === undefined) continue;
      for (const uri of x.result.inputs) out.add(uri);
      for (const o of x.result.objects) out.add(o.uri);
      // Build problems are reported on kustomizations and patches (checks/kustomizeBuildProblem.ts).
      for (const p of x.result.problems) out.add(p.uri);
    }
  }
  return out;
}

function samePlaced(a: readonly BuiltPlaced[] | undefined, b: readonly BuiltPlaced[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((p, i) => p === b[i]);
}
