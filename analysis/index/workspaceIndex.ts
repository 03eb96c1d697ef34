/**
 * The workspace index: every file's facts, plus what only the whole workspace can say: units
 * (Kustomize builds, Helm charts, folders), namespace binding, patches, variants and ownership
 * (docs/dev/design.md §2, docs/dev/checks-spec.md §1.2). Rebuilt from the per-file facts after each change; it holds no
 * parse trees.
 */

import type { DocumentEdit, FileFacts, KObject } from '../model/types.js';
import { isBuiltinGroup, isCoreService, isNamespace } from '../model/kinds.js';
import { dirname, isUnder } from './paths.js';
import { ForkMap } from './forkMap.js';
import { computeLayout, EMPTY_LAYOUT, filesTouched } from '../units/kustomize.js';
import type { KustomizeLayout } from '../units/kustomize.js';
import { altEntries, computeAlternatives, NO_ALTERNATIVES, viewOf } from '../units/alternatives.js';
import type { AltEntry, Alternatives, View } from '../units/alternatives.js';
import { computeHelmLayout, DEFAULT_HELM_OPTIONS, EMPTY_HELM_LAYOUT, helmFilesTouched } from '../units/helm.js';
import type { HelmLayout, HelmNote, HelmOptions, RenderedFile } from '../units/helm.js';

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
}

export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease', 'default'];

/** Keys with an unknown per-pod value, added by controllers (docs/dev/checks-spec.md §1.4). */
export const CONTROLLER_LABEL_KEYS: ReadonlySet<string> = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/job-completion-index',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'rollouts-pod-template-hash',
  // Pods an operator creates on demand: cert-manager's HTTP-01 solvers.
  'acme.cert-manager.io/http01-solver',
]);

interface Chart {
  readonly dir: string;
  readonly dependencies: readonly string[];
}

function findChart(uri: string, charts: readonly Chart[]): Chart | undefined {
  let best: Chart | undefined;
  for (const c of charts) {
    if (isUnder(uri, c.dir + '/templates') && (best === undefined || c.dir.length > best.dir.length)) best = c;
  }
  return best;
}

/** What the whole workspace's layout decides: Kustomize builds, Helm charts, static breakage. */
interface Structure {
  readonly kust: KustomizeLayout;
  /** Rendered charts (analysis/units/helm.ts). */
  readonly helm: HelmLayout;
  readonly charts: readonly Chart[];
  /** Units broken by something other than a file's syntax (missing chart dependencies, remote bases). */
  readonly brokenStatic: ReadonlySet<string>;
  readonly kustomizeDirs: ReadonlySet<string>;
}

/**
 * Index order: by file, then position in the file. It does not depend on the order files were
 * added, so a derived index and a rebuilt one list the same objects the same way.
 */
function byPlace(a: Placed, b: Placed): number {
  if (a.obj.uri !== b.obj.uri) return a.obj.uri < b.obj.uri ? -1 : 1;
  return a.obj.ordinal - b.obj.ordinal;
}

/** What one file puts into the index. */
interface Contribution {
  readonly placed: readonly Placed[];
  readonly units: readonly string[];
  readonly broken: boolean;
  /** The identities its objects give their units (analysis/units/alternatives.ts). */
  readonly alts: readonly AltEntry[];
}

function sameEntries(a: readonly AltEntry[] | undefined, b: readonly AltEntry[] | undefined): boolean {
  return (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === b?.[i]);
}

type ListMap = ForkMap<string, Placed[]>;

/** Indexes built so far (ids for `lineage`). */
let indexCount = 0;
/** How many derivations an index remembers (`changedSince`). */
const LINEAGE = 8;

function buildStructure(files: ReadonlyMap<string, FileFacts>, sources: IndexSources | undefined, defaultNamespace: string): Structure {
  const kust =
    sources === undefined ? EMPTY_LAYOUT : computeLayout(files, sources.text, defaultNamespace, sources.previous?.kustomizeLayout());
  const helm =
    sources === undefined
      ? EMPTY_HELM_LAYOUT
      : computeHelmLayout(files, sources.text, sources.helm ?? DEFAULT_HELM_OPTIONS, sources.previous?.helmLayout(), sources.support);
  const charts: Chart[] = [];
  for (const f of files.values()) {
    if (f.toolConfig?.kind === 'helm-chart') charts.push({ dir: dirname(f.uri), dependencies: f.toolConfig.chartDependencies ?? [] });
  }
  const brokenStatic = new Set<string>(kust.incomplete);
  if (charts.some((c) => c.dependencies.length > 0)) {
    const uris = [...files.keys()];
    for (const c of charts) {
      if (c.dependencies.some((d) => !uris.some((u) => isUnder(u, `${c.dir}/charts/${d}`)))) brokenStatic.add(c.dir);
    }
  }
  return { kust, helm, charts, brokenStatic, kustomizeDirs: kust.dirs };
}

/** What an index reads besides the facts: file texts (Kustomize builds), and the index it replaces (builds of roots whose inputs did not change are kept). */
export interface IndexSources {
  readonly text: (uri: string) => string | undefined;
  readonly previous?: WorkspaceIndex | undefined;
  /** How charts are rendered (values, release); the index keeps them for its derivations. */
  readonly helm?: HelmOptions;
  /** Chart files that are not manifests (`.tpl`, `.Files`, unpacked subcharts), whose texts `text` gives. */
  readonly support?: readonly string[];
}

/** A file whose change can move other files' objects: Kustomize, Helm, or anything under a chart's charts/. */
function isStructural(f: FileFacts | undefined): boolean {
  return f?.toolConfig?.kind === 'kustomization' || f?.toolConfig?.kind === 'helm-chart';
}

/** Objects whose change is felt by every namespace (cluster-scoped kinds, custom resources, CRDs). */
function isGlobalObject(o: KObject): boolean {
  return isNamespace(o) || o.kind === 'IngressClass' || o.kind === 'CustomResourceDefinition' || !isBuiltinGroup(o.group);
}

/** The addresses a Service object is reached at: cluster IPs, external IPs, the load-balancer IP. */
function serviceAddresses(o: KObject): string[] {
  const s = o.service;
  if (s === undefined) return [];
  return [s.clusterIP, ...s.clusterIPs, ...s.externalIPs, s.loadBalancerIP].filter(
    (ip): ip is string => ip !== undefined && ip !== 'None' && ip !== '',
  );
}

/**
 * The dependency keys an object is part of: a check that read any of them must re-run when the
 * object changes (see `WorkspaceIndex.track`).
 */
function keysOfPlaced(p: Placed, out: Set<string>): void {
  const o = p.obj;
  for (const pl of p.placements) {
    out.add(`unit:${pl.unit}`);
    if (pl.floating && o.pod !== undefined) out.add(`floating-pods:${pl.unit}`);
    if (pl.namespace !== undefined && pl.floating) out.add(`floating:${pl.namespace}`);
    if (pl.namespace === undefined || pl.floating) continue;
    out.add(`ns:${pl.namespace}`);
    // Pod producers and Services of a namespace have keys of their own: editing a NetworkPolicy
    // must not re-check every policy whose peers read the namespace's pods.
    if (o.pod !== undefined) out.add(`pods:${pl.namespace}`);
    if (isCoreService(o)) out.add(`svcs:${pl.namespace}`);
  }
  // Cluster-wide facts each have their own key, so editing a Namespace does not re-check everything.
  if (isNamespace(o) && o.name?.known === true) out.add(`nsdecl:${o.name.value}`);
  if (o.ingressClass !== undefined) out.add('ingressclasses');
  if (o.kind === 'CustomResourceDefinition' || !isBuiltinGroup(o.group)) out.add('crds');
  if (o.service !== undefined && o.name?.known === true) out.add(`svc:${o.name.value}`);
  if (o.service !== undefined && serviceAddresses(o).length > 0) out.add('svcips');
  for (const e of o.pod?.labels?.entries ?? []) if (e.value.known) out.add(`label:${e.key}=${e.value.value}`);
}

/**
 * The workspace index. Built once from every file's facts, then derived for each edit from the
 * previous index by replacing the changed files' contributions (copy on write: an older index stays
 * valid for the snapshot that holds it). Accessors record what they read when tracking is on, so
 * the host re-runs only the checks whose inputs an edit changed.
 */
export class WorkspaceIndex {
  readonly files: ReadonlyMap<string, FileFacts>;
  readonly defaultNamespace: string;
  private readonly structure: Structure;
  private readonly contrib: ForkMap<string, Contribution>;
  private readonly producersByNs: ListMap;
  private readonly servicesByNs: ListMap;
  private readonly objectsByNs: ListMap;
  /** Floating objects (no namespace of their own) by the namespace they land in when applied. */
  private readonly floatingByNs: ListMap;
  private readonly producersByUnit: ListMap;
  private readonly objectsByUnit: ListMap;
  private readonly servicesByUnit: ListMap;
  /** Services by unit and name (`unit\u0000name`). */
  private readonly servicesByUnitName: ListMap;
  private readonly servicesByName: ListMap;
  /** Long-running and other producers by pod label pair `key=value`. */
  private readonly producersByLabel: ListMap;
  private readonly declaredNamespaces: ForkMap<string, KObject[]>;
  private readonly brokenFiles: ForkMap<string, Set<string>>;
  private readonly globalObjects: readonly Placed[];
  private allObjects: readonly Placed[] | undefined;
  private customGroupSet: Set<string> | undefined;
  private readonly customByNs = new Map<string, readonly KObject[]>();
  private tracker: Set<string> | undefined;
  /** This index's identity in `lineage` entries (no index holds a reference to an older one). */
  private readonly id = ++indexCount;
  /** The last few derivations that led here, oldest first: the parent's id and the files changed. */
  private readonly lineage: ReadonlyArray<{ readonly parent: number; readonly changed: ReadonlySet<string> }>;
  /** `namespaceNames()`, once asked (an index does not change after it is built). */
  private namespaceList: readonly string[] | undefined;
  /** Units and files that are alternatives of one another (analysis/units/alternatives.ts). */
  readonly alternatives: Alternatives;
  /** The view lookups are filtered by while a check judges an object that has alternatives. */
  private view: View | undefined;
  /** Lookups under a view: view key → accessor key → the filtered list. */
  private readonly viewLists = new Map<string, Map<string, readonly Placed[]>>();
  private readonly views = new Map<string, View | undefined>();
  /** Whether a lookup since `viewUsed(false)` left out an object of an alternative. */
  private viewFiltered = false;

  constructor(
    files: ReadonlyMap<string, FileFacts>,
    defaultNamespace = 'default',
    from?: { prev: WorkspaceIndex; changed: ReadonlySet<string>; structure?: Structure },
    sources?: IndexSources,
  ) {
    this.files = files;
    this.defaultNamespace = defaultNamespace;
    if (from !== undefined) {
      const prev = from.prev;
      this.lineage = [...prev.lineage.slice(1 - LINEAGE), { parent: prev.id, changed: new Set(from.changed) }];
      this.structure = from.structure ?? prev.structure;
      this.contrib = prev.contrib.fork();
      this.producersByNs = prev.producersByNs.fork();
      this.servicesByNs = prev.servicesByNs.fork();
      this.objectsByNs = prev.objectsByNs.fork();
      this.floatingByNs = prev.floatingByNs.fork();
      this.producersByUnit = prev.producersByUnit.fork();
      this.objectsByUnit = prev.objectsByUnit.fork();
      this.servicesByUnit = prev.servicesByUnit.fork();
      this.servicesByUnitName = prev.servicesByUnitName.fork();
      this.servicesByName = prev.servicesByName.fork();
      this.producersByLabel = prev.producersByLabel.fork();
      this.declaredNamespaces = prev.declaredNamespaces.fork();
      this.brokenFiles = prev.brokenFiles.fork();
      const removed = new Set<Placed>();
      const added: Placed[] = [];
      for (const uri of from.changed) {
        const old = prev.contrib.get(uri);
        for (const p of old?.placed ?? []) removed.add(p);
        for (const u of old?.units ?? []) this.setBroken(u, uri, false);
        const facts = files.get(uri);
        if (facts === undefined) {
          this.contrib.delete(uri);
          continue;
        }
        const c = this.contribute(facts);
        this.contrib.set(uri, c);
        for (const pl of c.placed) added.push(pl);
        for (const u of c.units) if (c.broken) this.setBroken(u, uri, true);
      }
      this.reindex(removed, added);
      // Edits alone keep the file order: the sorted list is carried over with the new contributions.
      const prevList = prev.fileList;
      if (prevList !== undefined && [...from.changed].every((uri) => prev.contrib.has(uri) && this.contrib.has(uri))) {
        this.fileList = prevList.map((f) => (from.changed.has(f.uri) ? { uri: f.uri, placed: this.contrib.get(f.uri)?.placed ?? [] } : f));
      }
      const globals = prev.globalObjects.filter((p) => !removed.has(p));
      for (const p of added) if (isGlobalObject(p.obj)) globals.push(p);
      this.globalObjects = globals.sort(byPlace);
      // Most edits keep every identity: the relation is the previous index's.
      this.alternatives = [...from.changed].every((uri) => sameEntries(prev.contrib.get(uri)?.alts, this.contrib.get(uri)?.alts))
        ? prev.alternatives
        : computeAlternatives([...this.contrib.values()].map((c) => c.alts));
      return;
    }
    this.lineage = [];
    this.structure = buildStructure(files, sources, defaultNamespace);
    this.contrib = new ForkMap();
    this.producersByNs = new ForkMap();
    this.servicesByNs = new ForkMap();
    this.objectsByNs = new ForkMap();
    this.floatingByNs = new ForkMap();
    this.producersByUnit = new ForkMap();
    this.objectsByUnit = new ForkMap();
    this.servicesByUnit = new ForkMap();
    this.servicesByUnitName = new ForkMap();
    this.servicesByName = new ForkMap();
    this.producersByLabel = new ForkMap();
    this.declaredNamespaces = new ForkMap();
    this.brokenFiles = new ForkMap();
    const all: Placed[] = [];
    for (const f of files.values()) {
      const c = this.contribute(f);
      this.contrib.set(f.uri, c);
      for (const pl of c.placed) all.push(pl);
      if (c.broken) for (const u of c.units) this.setBroken(u, f.uri, true);
    }
    this.reindex(new Set(), all);
    this.globalObjects = all.filter((p) => isGlobalObject(p.obj)).sort(byPlace);
    this.alternatives = computeAlternatives([...this.contrib.values()].map((c) => c.alts));
  }

  /**
   * The index after `changed` files changed (added, edited or removed), and the dependency keys
   * the change touched; undefined when the change reshapes the workspace (a kustomization or
   * Chart.yaml, or a file added or removed where Kustomize or Helm decide placement): rebuild then.
   */
  derive(
    files: ReadonlyMap<string, FileFacts>,
    edited: ReadonlySet<string>,
    defaultNamespace: string,
    text?: (uri: string) => string | undefined,
  ): { index: WorkspaceIndex; keys: Set<string>; changed: ReadonlySet<string> } | undefined {
    if (defaultNamespace !== this.defaultNamespace) return undefined;
    const layout = this.structure.charts.length > 0 || this.structure.kustomizeDirs.size > 0;
    for (const uri of edited) {
      const before = this.files.get(uri);
      const after = files.get(uri);
      if (isStructural(before) || isStructural(after)) return undefined;
      if ((before === undefined) !== (after === undefined) && layout) return undefined;
    }
    // An edit to a file a Kustomize build reads rebuilds the roots that read it; the objects of
    // every file those builds read or output may change.
    let changed = edited;
    let structure: Structure | undefined;
    const kust = this.structure.kust;
    if ([...edited].some((uri) => kust.readers.has(uri))) {
      if (text === undefined) return undefined;
      const next = computeLayout(files, text, defaultNamespace, kust);
      const brokenStatic = new Set([...this.structure.brokenStatic].filter((u) => !kust.incomplete.has(u)));
      for (const u of next.incomplete) brokenStatic.add(u);
      structure = { ...this.structure, kust: next, brokenStatic, kustomizeDirs: next.dirs };
      changed = new Set([...edited, ...[...filesTouched(kust, next)].filter((uri) => files.has(uri) || this.files.has(uri))]);
    }
    // An edit to a file a chart's render reads renders that chart again (and no other); the
    // objects of every file of the chart may change.
    const helm = this.structure.helm;
    if ([...edited].some((uri) => helm.readers.has(uri))) {
      if (text === undefined) return undefined;
      const next = computeHelmLayout(files, text, helm.options, helm, helm.support);
      structure = { ...(structure ?? this.structure), helm: next };
      changed = new Set([...changed, ...[...helmFilesTouched(helm, next)].filter((uri) => files.has(uri) || this.files.has(uri))]);
    }
    const keys = new Set<string>();
    const namespacesBefore = this.namespaceKeySignature();
    // A file lowered document by document (`FileFacts.lastEdit`) changed only the objects of the
    // documents it lowered again: the others moved at most, and touch no key.
    const edits = new Map<string, DocumentEdit>();
    for (const uri of changed) {
      const edit = files.get(uri)?.lastEdit;
      if (edit !== undefined && edit.baseSerial === this.files.get(uri)?.serial && structure === undefined) edits.set(uri, edit);
    }
    const touches = (uri: string, p: Placed, removed: boolean): boolean => {
      const e = edits.get(uri);
      if (e === undefined) return true;
      const from = e.firstObject;
      return p.obj.ordinal >= from && p.obj.ordinal < from + (removed ? e.removedObjects : e.addedObjects);
    };
    for (const uri of changed) {
      keys.add(`file:${uri}`);
      for (const p of this.contrib.get(uri)?.placed ?? []) if (touches(uri, p, true)) keysOfPlaced(p, keys);
    }
    if (structure !== undefined) for (const u of kust.incomplete) keys.add(`unit:${u}`);
    if (structure !== undefined) for (const u of kust.incomplete) keys.add(`unitok:${u}`);
    const index = new WorkspaceIndex(files, defaultNamespace, { prev: this, changed, ...(structure !== undefined ? { structure } : {}) });
    // Alternatives decide what every lookup sees: when an edit changes them, every file is judged again.
    if (index.alternatives !== this.alternatives && index.alternatives.signature !== this.alternatives.signature) return undefined;
    for (const uri of changed) for (const p of index.contrib.get(uri)?.placed ?? []) if (touches(uri, p, false)) keysOfPlaced(p, keys);
    for (const uri of changed) {
      const before = this.contrib.get(uri);
      const after = index.contrib.get(uri);
      const units = after?.units ?? before?.units ?? [];
      // Whether a unit is complete changes only with a file's brokenness or its units.
      const same =
        before !== undefined &&
        after !== undefined &&
        before.broken === after.broken &&
        before.units.length === after.units.length &&
        before.units.every((u, i) => after.units[i] === u);
      for (const u of units) {
        if (!edits.has(uri)) keys.add(`unit:${u}`);
        if (!same) keys.add(`unitok:${u}`);
      }
      if (!same) for (const u of before?.units ?? []) keys.add(`unitok:${u}`);
    }
    if (structure !== undefined) for (const u of structure.kust.incomplete) keys.add(`unit:${u}`);
    if (structure !== undefined) for (const u of structure.kust.incomplete) keys.add(`unitok:${u}`);
    if (index.namespaceKeySignature() !== namespacesBefore) keys.add('nsset');
    return { index, keys, changed };
  }

  private namespaceKeySignature(): string {
    return this.untracked(() => this.namespaceNames()).join('\n');
  }

  private setBroken(unit: string, uri: string, broken: boolean): void {
    const prev = this.brokenFiles.get(unit);
    const next = new Set(prev ?? []);
    if (broken) next.add(uri);
    else next.delete(uri);
    if (next.size === 0) this.brokenFiles.delete(unit);
    else this.brokenFiles.set(unit, next);
  }

  private contribute(f: FileFacts): Contribution {
    const { kust, charts } = this.structure;
    const broken = f.syntaxErrors.length > 0 || f.inputLimit !== undefined;
    const built = kust.objects.get(f.uri);
    if (built !== undefined || kust.claimed.has(f.uri)) {
      // A Kustomize tree decides this file's objects: what the builds made of it, per root.
      const placed: Placed[] = (built ?? []).map((b) => ({ obj: b.obj, placements: [b.placement] }));
      const units = new Set(placed.map((p) => p.placements[0]?.unit ?? dirname(f.uri)));
      for (const r of kust.readers.get(f.uri) ?? []) units.add(r);
      if (units.size === 0) units.add(dirname(f.uri));
      return { placed, units: [...units], broken, alts: altEntries(f.uri, placed) };
    }
    // (A chart a kustomization inflates is the Kustomize tree's: handled above.)
    const rendered = this.structure.helm.rendered.get(f.uri);
    // A chart that a Kustomize build inflates (helmCharts) is decided by that build.
    const kustReads = kust.objects.has(f.uri) || kust.readers.has(f.uri);
    if (!kustReads && (rendered !== undefined || this.structure.helm.claimed.has(f.uri))) {
      // A chart's render decides this template's objects: what it rendered, in its release's unit.
      const unit = rendered?.chart ?? findChart(f.uri, charts)?.dir ?? dirname(f.uri);
      const chart: Chart = { dir: unit, dependencies: [] };
      const placed: Placed[] = (rendered?.objects ?? []).map((o) => ({
        obj: o,
        placements: this.place(o, f.uri, chart, { namespace: rendered?.releaseNamespace }),
      }));
      const renderBroken = (rendered?.syntaxErrors.length ?? 0) > 0 || f.inputLimit !== undefined;
      return { placed, units: [unit], broken: renderBroken, alts: [] };
    }
    const chart = findChart(f.uri, charts);
    const units = new Set<string>();
    const placed: Placed[] = [];
    for (const o of f.objects) {
      if (o.isPatch) continue;
      const placements = this.place(o, f.uri, chart);
      for (const p of placements) units.add(p.unit);
      placed.push({ obj: o, placements });
    }
    if (units.size === 0) units.add(chart?.dir ?? dirname(f.uri));
    return { placed, units: [...units], broken, alts: chart !== undefined ? [] : altEntries(f.uri, placed) };
  }

  /** Removes `removed` and adds `added` in every list they belong to, keeping index order. */
  private reindex(removed: ReadonlySet<Placed>, added: readonly Placed[]): void {
    const touched = new Map<ListMap, Set<string>>();
    const put = (map: ListMap, key: string, p: Placed, add: boolean): void => {
      let keys = touched.get(map);
      if (keys === undefined) touched.set(map, (keys = new Set()));
      if (!keys.has(key)) {
        keys.add(key);
        map.set(
          key,
          (map.get(key) ?? []).filter((x) => !removed.has(x)),
        );
      }
      if (add) map.get(key)?.push(p);
    };
    const visit = (p: Placed, add: boolean): void => {
      const o = p.obj;
      const units = new Set(p.placements.map((pl) => pl.unit));
      for (const unit of units) {
        put(this.objectsByUnit, unit, p, add);
        if (o.pod !== undefined) put(this.producersByUnit, unit, p, add);
        if (o.service !== undefined) {
          put(this.servicesByUnit, unit, p, add);
          if (o.name?.known === true) put(this.servicesByUnitName, `${unit}\u0000${o.name.value}`, p, add);
        }
      }
      if (o.service !== undefined && o.name?.known === true) put(this.servicesByName, o.name.value, p, add);
      if (o.pod !== undefined)
        for (const e of o.pod.labels?.entries ?? []) if (e.value.known) put(this.producersByLabel, `${e.key}=${e.value.value}`, p, add);
      const nsSeen = new Set<string>();
      for (const pl of p.placements) {
        if (pl.namespace !== undefined && pl.floating && !nsSeen.has(`\u0000${pl.namespace}`)) {
          nsSeen.add(`\u0000${pl.namespace}`);
          put(this.floatingByNs, pl.namespace, p, add);
        }
        if (pl.namespace === undefined || pl.floating || nsSeen.has(pl.namespace)) continue;
        nsSeen.add(pl.namespace);
        put(this.objectsByNs, pl.namespace, p, add);
        if (o.pod !== undefined) put(this.producersByNs, pl.namespace, p, add);
        if (isCoreService(o)) put(this.servicesByNs, pl.namespace, p, add);
      }
      if (isNamespace(o) && o.name?.known === true) {
        const name = o.name.value;
        const list = (this.declaredNamespaces.get(name) ?? []).filter((x) => x !== o);
        if (add) list.push(o);
        if (list.length > 0) this.declaredNamespaces.set(name, list);
        else this.declaredNamespaces.delete(name);
      }
    };
    for (const p of removed) visit(p, false);
    for (const p of added) visit(p, true);
    for (const [map, keys] of touched) {
      for (const k of keys) {
        const list = map.get(k);
        if (list === undefined) continue;
        if (list.length === 0) map.delete(k);
        else list.sort(byPlace);
      }
    }
  }

  /**
   * `release`: a rendered chart's object. Without a namespace of its own it is installed in the
   * release namespace: the one the user named, else (decided at install time) it floats with the
   * rest of the release in the chart's unit.
   */
  private place(o: KObject, uri: string, chart: Chart | undefined, release?: { readonly namespace: string | undefined }): Placement[] {
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
    return [{ unit, namespace: this.defaultNamespace, floating: true }];
  }

  /** Starts recording the dependency keys that accessors read (the host does this per checked file). */
  startTracking(): void {
    this.tracker = new Set();
  }

  /** Stops recording and returns what was read. */
  stopTracking(): Set<string> {
    const t = this.tracker ?? new Set<string>();
    this.tracker = undefined;
    return t;
  }

  private track(key: string): void {
    this.tracker?.add(key);
  }

  /**
   * The view of an object that has alternatives (analysis/units/alternatives.ts): what its checks
   * see. Undefined when it has none (it sees everything).
   */
  viewFor(p: Placed): View | undefined {
    if (this.alternatives === NO_ALTERNATIVES) return undefined;
    const v = viewOf(this.alternatives, p);
    if (v === undefined) return undefined;
    if (!this.views.has(v.key)) this.views.set(v.key, v);
    return this.views.get(v.key);
  }

  /**
   * Filters every lookup by `view` (the check runner sets it while it judges objects that have
   * alternatives; undefined: lookups see every object again).
   */
  setView(view: View | undefined): void {
    this.view = view;
  }

  /** Whether a lookup left out an object of an alternative since the last call (and resets it). */
  takeViewFiltered(): boolean {
    const f = this.viewFiltered;
    this.viewFiltered = false;
    return f;
  }

  /** `list` (the lookup `key`) as the current view sees it. */
  private seen(list: readonly Placed[], key: string): readonly Placed[] {
    const view = this.view;
    if (view === undefined || list.length === 0) return list;
    let lists = this.viewLists.get(view.key);
    if (lists === undefined) this.viewLists.set(view.key, (lists = new Map()));
    let out = lists.get(key);
    if (out === undefined) {
      const kept = list.filter((p) => !view.excludes(p));
      out = kept.length === list.length ? list : kept;
      lists.set(key, out);
    }
    if (out !== list) this.noteFiltered(view);
    return out;
  }

  private noteFiltered(view: View): void {
    this.viewFiltered = true;
    // Replayed with cached values computed from this lookup (`memoized`).
    this.tracker?.add(`alt:${view.key}`);
  }

  /**
   * Records that the reader depends on the floating objects (no namespace of their own) that land
   * in `ns` when applied: the reachability engine places them there, the other accessors do not.
   */
  floatingIn(ns: string): void {
    this.track(`floating:${ns}`);
  }

  /**
   * What the reachability engine places in `ns`: the objects bound to it, the floating ones that
   * land there, and the Namespace objects naming it (for an engine over a few namespaces).
   */
  objectsLandingIn(ns: string): Placed[] {
    this.track(`ns:${ns}`);
    this.track(`floating:${ns}`);
    this.track(`nsdecl:${ns}`);
    const out = [...this.seen(this.objectsByNs.get(ns) ?? [], `ns:${ns}`), ...this.seen(this.floatingByNs.get(ns) ?? [], `floating:${ns}`)];
    for (const o of this.declaredNamespaces.get(ns) ?? []) {
      const placed = this.contrib.get(o.uri)?.placed.find((p) => p.obj === o);
      if (placed !== undefined) out.push(placed);
    }
    return out;
  }

  /**
   * Runs `compute` without recording what it reads: for workspace-wide values (the reachability
   * engine) whose readers record, themselves, the keys their answer depends on.
   */
  untracked<T>(compute: () => T): T {
    const outer = this.tracker;
    this.tracker = undefined;
    try {
      return compute();
    } finally {
      this.tracker = outer;
    }
  }

  private readonly memo = new Map<string, { readonly value: unknown; readonly deps: ReadonlySet<string> }>();

  /**
   * A value computed once per index from lookups only. The keys its computation read are stored
   * with it and replayed into the reader's tracking, so a file that reuses it depends on the same
   * keys as the file that computed it.
   */
  cached<T>(key: string, compute: () => T): T {
    return this.memoized(this.memo, key, compute);
  }

  private readonly objectMemo = new WeakMap<object, Map<string, { readonly value: unknown; readonly deps: ReadonlySet<string> }>>();

  /** `cached`, for a value about one parsed object (a rule, a selector), under `tag`. */
  cachedFor<T>(owner: object, tag: string, compute: () => T): T {
    let memo = this.objectMemo.get(owner);
    if (memo === undefined) this.objectMemo.set(owner, (memo = new Map()));
    return this.memoized(memo, tag, compute);
  }

  private memoized<T>(
    memo: Map<string, { readonly value: unknown; readonly deps: ReadonlySet<string> }>,
    key: string,
    compute: () => T,
  ): T {
    if (this.view !== undefined) key = `${this.view.key}\u0001${key}`;
    const hit = memo.get(key);
    if (hit !== undefined) {
      for (const k of hit.deps) {
        this.tracker?.add(k);
        if (k.startsWith('alt:')) this.viewFiltered = true;
      }
      return hit.value as T;
    }
    const outer = this.tracker;
    const deps = new Set<string>();
    this.tracker = deps;
    let value: T;
    try {
      value = compute();
    } finally {
      this.tracker = outer;
    }
    for (const k of deps) outer?.add(k);
    if (this.view !== undefined && [...deps].some((k) => k.startsWith('alt:'))) this.viewFiltered = true;
    memo.set(key, { value, deps });
    return value;
  }

  /** Every object that is not a patch, with its placements, in file order. Reading it depends on everything. */
  get objects(): readonly Placed[] {
    this.track('all');
    if (this.allObjects === undefined) {
      const out: Placed[] = [];
      for (const f of this.objectsByFile()) for (const pl of f.placed) out.push(pl);
      this.allObjects = out;
    }
    return this.allObjects;
  }

  private fileList: ReadonlyArray<{ readonly uri: string; readonly placed: readonly Placed[] }> | undefined;

  /**
   * Every file's objects, files in path order. A file's `placed` array is the same object in every
   * index derived while the file is unchanged, so consumers can cache what they compute per file.
   * Reading it depends on everything.
   */
  objectsByFile(): ReadonlyArray<{ readonly uri: string; readonly placed: readonly Placed[] }> {
    this.track('all');
    return this.filesInOrder();
  }

  /** `objectsByFile` without recording a dependency (for accessors with a narrower key). */
  private filesInOrder(): ReadonlyArray<{ readonly uri: string; readonly placed: readonly Placed[] }> {
    if (this.fileList === undefined) {
      const out: Array<{ uri: string; placed: readonly Placed[] }> = [];
      for (const [uri, c] of this.contrib) out.push({ uri, placed: c.placed });
      this.fileList = out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    }
    return this.fileList;
  }

  /**
   * The files added, edited or removed since `older`, when this index was derived from it in the
   * last few edits (consumers then update what they built from `older`); undefined otherwise.
   * Reading it depends on nothing: it is for caches, which must not outlive what they track.
   */
  changedSince(older: WorkspaceIndex): ReadonlySet<string> | undefined {
    if (older === this) return new Set();
    const out = new Set<string>();
    for (let i = this.lineage.length - 1; i >= 0; i--) {
      const step = this.lineage[i];
      if (step === undefined) break;
      for (const uri of step.changed) out.add(uri);
      if (step.parent === older.id) return out;
    }
    return undefined;
  }

  /** The objects of one file. */
  objectsOfFile(uri: string): readonly Placed[] {
    this.track(`file:${uri}`);
    return this.contrib.get(uri)?.placed ?? [];
  }

  /** API groups of custom resources and CRDs in the workspace. */
  get customGroups(): ReadonlySet<string> {
    this.track('crds');
    if (this.customGroupSet === undefined) {
      const set = new Set<string>();
      for (const p of this.globalObjects) {
        const o = p.obj;
        if (!isBuiltinGroup(o.group)) set.add(o.group);
        if (o.kind === 'CustomResourceDefinition' && o.name?.known === true) {
          const g = o.name.value.split('.').slice(1).join('.');
          if (g !== '') set.add(g);
        }
      }
      this.customGroupSet = set;
    }
    return this.customGroupSet;
  }

  /**
   * The cluster network policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
   * ClusterNetworkPolicy): cluster-scoped, so every namespace's verdicts read them.
   */
  clusterPolicies(): readonly Placed[] {
    this.track('crds');
    return this.globalObjects.filter((p) => p.obj.clusterPolicy !== undefined);
  }

  /** Gateway API GatewayClasses (cluster-scoped): which controller serves each class. */
  gatewayClasses(): readonly Placed[] {
    this.track('crds');
    return this.globalObjects.filter((p) => p.obj.gatewayClass !== undefined);
  }

  /** Does the workspace hold objects of one of these kinds (any group)? */
  hasKind(kinds: readonly string[]): boolean {
    this.track('crds');
    return this.globalObjects.some((p) => kinds.includes(p.obj.kind));
  }

  placements(o: KObject): readonly Placement[] {
    return this.contrib.get(o.uri)?.placed.find((p) => p.obj === o)?.placements ?? [];
  }

  /** Pod producers bound to `ns` (every variant). */
  producersIn(ns: string): readonly Placed[] {
    this.track(`pods:${ns}`);
    return this.seen(this.producersByNs.get(ns) ?? [], `pods:${ns}`);
  }

  /** Pod producers of a unit, bound or floating. */
  producersOfUnit(unit: string): readonly Placed[] {
    this.track(`unit:${unit}`);
    return this.seen(this.producersByUnit.get(unit) ?? [], `unit-pods:${unit}`);
  }

  private readonly floatingProducers = new Map<string, readonly Placed[]>();

  /**
   * Pod producers floating in a unit (no namespace of their own: they land wherever the unit is
   * applied). Its own key: selectors of bound objects read these, and an edit of a bound object of
   * the unit does not change them.
   */
  floatingProducersOfUnit(unit: string): readonly Placed[] {
    this.track(`floating-pods:${unit}`);
    let list = this.floatingProducers.get(unit);
    if (list === undefined) {
      list = (this.producersByUnit.get(unit) ?? []).filter((p) => p.placements.some((pl) => pl.floating && pl.unit === unit));
      this.floatingProducers.set(unit, list);
    }
    return this.seen(list, `floating-pods:${unit}`);
  }

  /** Every object placed in a unit. */
  objectsOfUnit(unit: string): readonly Placed[] {
    this.track(`unit:${unit}`);
    return this.seen(this.objectsByUnit.get(unit) ?? [], `unit:${unit}`);
  }

  /** Pod producers (anywhere) whose template has the label `key=value`. */
  producersWithLabel(key: string, value: string): readonly Placed[] {
    this.track(`label:${key}=${value}`);
    return this.seen(this.producersByLabel.get(`${key}=${value}`) ?? [], `label:${key}=${value}`);
  }

  /** Services of every namespace named `name`. */
  servicesNamedAnywhere(name: string): readonly Placed[] {
    this.track(`svc:${name}`);
    return this.seen(this.servicesByName.get(name) ?? [], `svc:${name}`);
  }

  /** Objects with Service facts that have a placement in `unit`, in index order. */
  servicesOfUnit(unit: string): readonly Placed[] {
    this.track(`unit:${unit}`);
    return this.seen(this.servicesByUnit.get(unit) ?? [], `unit-svcs:${unit}`);
  }

  /** Objects with Service facts named `name` that have a placement in `unit`, in index order. */
  servicesNamedInUnit(unit: string, name: string): readonly Placed[] {
    this.track(`unit:${unit}`);
    return this.seen(this.servicesByUnitName.get(`${unit}\u0000${name}`) ?? [], `unit-svc:${unit}\u0000${name}`);
  }

  /** Every pod label pair `key=value` of the workspace's pod templates (for completion). */
  labelPairs(): IterableIterator<string> {
    this.track('all');
    return this.producersByLabel.keys();
  }

  private serviceIpList: ReadonlyArray<{ readonly ip: string; readonly svc: Placed }> | undefined;

  /** Every address a Service object of the workspace declares (cluster, external, load-balancer IPs), in file order. */
  serviceIps(): ReadonlyArray<{ readonly ip: string; readonly svc: Placed }> {
    this.track('svcips');
    if (this.serviceIpList === undefined) {
      const out: Array<{ ip: string; svc: Placed }> = [];
      for (const f of this.filesInOrder()) for (const p of f.placed) for (const ip of serviceAddresses(p.obj)) out.push({ ip, svc: p });
      this.serviceIpList = out;
    }
    return this.serviceIpList;
  }

  /** Every object with IngressClass facts, in index order. */
  ingressClasses(): readonly KObject[] {
    this.track('ingressclasses');
    return this.globalObjects.map((p) => p.obj).filter((o) => o.ingressClass !== undefined);
  }

  servicesIn(ns: string): readonly Placed[] {
    this.track(`svcs:${ns}`);
    return this.seen(this.servicesByNs.get(ns) ?? [], `svcs:${ns}`);
  }

  objectsIn(ns: string): readonly Placed[] {
    this.track(`ns:${ns}`);
    return this.seen(this.objectsByNs.get(ns) ?? [], `ns:${ns}`);
  }

  /** Namespaces that some object is bound to, or that are declared, sorted. */
  namespaceNames(): readonly string[] {
    this.track('nsset');
    this.namespaceList ??= [...new Set([...this.objectsByNs.keys(), ...this.declaredNamespaces.keys()])].sort();
    return this.namespaceList;
  }

  declaredNamespace(name: string): readonly KObject[] | undefined {
    this.track(`nsdecl:${name}`);
    return this.declaredNamespaces.get(name);
  }

  /**
   * The workspace owns `ns` when it defines a pod producer, Service or Namespace there
   * (docs/dev/design.md §3.1). `except` is left out, so an object never makes its own namespace owned.
   */
  owns(ns: string, except?: KObject): boolean {
    const declared = this.declaredNamespace(ns);
    if (declared !== undefined && declared.some((o) => o !== except)) return true;
    return this.producersIn(ns).some((p) => p.obj !== except) || this.servicesIn(ns).some((p) => p.obj !== except);
  }

  /** A unit is broken when a file of it failed to parse or a source of it is not in the workspace. */
  unitComplete(unit: string): boolean {
    // Its own key: an edit of an object in the unit does not change whether the unit is complete.
    this.track(`unitok:${unit}`);
    return !this.structure.brokenStatic.has(unit) && !this.brokenFiles.has(unit);
  }

  unitsOf(uri: string): readonly string[] {
    return this.contrib.get(uri)?.units ?? [dirname(uri)];
  }

  /** The Kustomize build roots and their builds (analysis/units/kustomize.ts). */
  kustomizeLayout(): KustomizeLayout {
    return this.structure.kust;
  }

  /** The rendered charts (analysis/units/helm.ts). */
  helmLayout(): HelmLayout {
    return this.structure.helm;
  }

  /** A template file as its chart rendered it (undefined: not a template, or read without rendering). */
  renderedTemplate(uri: string): RenderedFile | undefined {
    return this.structure.helm.rendered.get(uri);
  }

  /** What charts could not render (one note per chart: the files and why). */
  helmNotes(): readonly HelmNote[] {
    return this.structure.helm.notes;
  }

  private readonly checkedFacts = new WeakMap<RenderedFile, FileFacts>();

  /**
   * A file's facts as the checks read them: a rendered template's objects, syntax errors (of the
   * rendered output), API findings and YAML 1.1 scalars are its render's, on template lines.
   */
  factsForChecks(uri: string): FileFacts | undefined {
    const facts = this.files.get(uri);
    const r = this.structure.helm.rendered.get(uri);
    if (facts === undefined || r === undefined || facts.inputLimit !== undefined || facts.tooLarge !== undefined) return facts;
    // A chart a kustomization inflates is read as the Kustomize tree decides (analysis/units/kustomize.ts).
    if (this.structure.kust.objects.has(uri) || this.structure.kust.claimed.has(uri)) return facts;
    const hit = this.checkedFacts.get(r);
    if (hit !== undefined && hit.uri === facts.uri && hit.suppressions === facts.suppressions) return hit;
    const out: FileFacts = {
      ...facts,
      objects: r.objects,
      syntaxErrors: r.syntaxErrors,
      apiFindings: r.apiFindings,
      yaml11: r.yaml11,
    };
    this.checkedFacts.set(r, out);
    return out;
  }

  /** Directories holding a kustomization (their builds may add labels, namespaces and ports). */
  kustomizeDirs(): ReadonlySet<string> {
    return this.structure.kustomizeDirs;
  }

  /**
   * The namespace carries a sidecar-injection marker (Istio `istio-injection=enabled` or
   * `istio.io/rev`, Linkerd `linkerd.io/inject: enabled`): injected ports count as declared.
   */
  injectsSidecars(ns: string): boolean {
    for (const o of this.declaredNamespace(ns) ?? []) {
      const labels = new Map((o.labels?.entries ?? []).map((e) => [e.key, e.value.known ? e.value.value : '?']));
      if (labels.get('istio-injection') === 'enabled' || labels.has('istio.io/rev')) return true;
      if (o.annotations.get('linkerd.io/inject') === 'enabled') return true;
    }
    return false;
  }

  /** Custom resources (non-built-in groups) bound to `ns`. */
  customResourcesIn(ns: string): readonly KObject[] {
    const objects = this.objectsIn(ns);
    const key = this.view === undefined ? ns : `${this.view.key}\u0001${ns}`;
    let list = this.customByNs.get(key);
    if (list === undefined) {
      list = objects.map((p) => p.obj).filter((o) => !isBuiltinGroup(o.group));
      this.customByNs.set(key, list);
    }
    return list;
  }
}
