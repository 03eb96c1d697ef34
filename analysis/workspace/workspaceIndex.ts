/**
 * The workspace index: every file's facts, plus what only the whole workspace can say: units
 * (Kustomize builds, Helm charts, folders), namespace binding, patches, variants and ownership
 * (docs/dev/design.md §2, docs/dev/checks-spec.md §1.2). Rebuilt from the per-file facts after each change; it holds no
 * parse trees.
 */

import type { FileFacts, KObject } from '../model/types.js';
import { dirname } from './paths.js';
import type { ForkMap } from './forkMap.js';
import type { ObjectLists } from './lists.js';
import { Lineage } from './lineage.js';
import { Reads } from './reads.js';
import { countKeys, customGroupsOf, editedObjects, keysOfPlaced, producerId, routeReadKeys, serviceIpsIn, unitKeys } from './keys.js';
import type { ServiceIps } from './keys.js';
import type { KustomizeLayout } from '../units/kustomize.js';
import { NO_ALTERNATIVES, viewOf } from '../units/alternatives.js';
import type { Alternatives, View } from '../units/alternatives.js';
import type { HelmLayout, HelmNote, RenderedFile } from '../units/helm.js';
import type { Contribution, Placed, Placement } from '../units/placement.js';
import { assertedIn, buildStructure, checkedFacts, isTestPartial, restructure } from '../units/structure.js';
import type { Structure, StructureSources } from '../units/structure.js';
import { buildParts, deriveParts, viewChanges } from './derivation.js';
import type { FileList, IndexParts } from './derivation.js';

export type { Placed, Placement } from '../units/placement.js';

/** Indexes built so far (ids for `lineage`). */
let indexCount = 0;

/** What an index reads besides the facts: file texts (Kustomize builds), and the index it replaces (builds of roots whose inputs did not change are kept). */
export interface IndexSources extends StructureSources {
  readonly previous?: WorkspaceIndex | undefined;
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
  /** Placed objects by namespace, unit, Service name and pod label (workspace/lists.ts). */
  private readonly lists: ObjectLists;
  private readonly brokenFiles: ForkMap<string, Set<string>>;
  private readonly globalObjects: readonly Placed[];
  private allObjects: readonly Placed[] | undefined;
  private customGroupSet: Set<string> | undefined;
  /** What readers read: tracked keys, the current view, memoized values (workspace/reads.ts). */
  private readonly reads = new Reads();
  /** This index's identity in `lineage` entries and for `changedSince` (no index holds a reference to an older one). */
  readonly generation = ++indexCount;
  readonly carried: Map<string, unknown>; // what consumers carry along a lineage (a full build starts afresh): checks/support/evidenceMemo.ts
  /** The last few derivations that led here: the parent's id, the files changed, the keys touched (workspace/lineage.ts). */
  readonly lineage: Lineage;
  /** `namespaceNames()`, once asked (an index does not change after it is built). */
  private namespaceList: readonly string[] | undefined;
  /** Units and files that are alternatives of one another (analysis/units/alternatives.ts). */
  readonly alternatives: Alternatives;
  private readonly views = new Map<string, View | undefined>();
  readonly placedFiles: number; // the files whose objects this index placed (again): every file of a full build, the changed files of a derivation

  constructor(
    files: ReadonlyMap<string, FileFacts>,
    defaultNamespace = 'default',
    from?: { prev: WorkspaceIndex; changed: ReadonlySet<string>; structure?: Structure },
    sources?: IndexSources,
  ) {
    this.files = files;
    this.defaultNamespace = defaultNamespace;
    let parts: IndexParts;
    if (from !== undefined) {
      const prev = from.prev;
      this.lineage = Lineage.derived(prev.lineage, this.generation, from.changed);
      this.carried = prev.carried;
      this.structure = from.structure ?? prev.structure;
      parts = deriveParts(prev.parts(), prev.files, this.structure, from.structure !== undefined, files, from.changed, defaultNamespace);
    } else {
      this.lineage = Lineage.root(this.generation);
      this.carried = new Map();
      this.structure = buildStructure(files, sources, defaultNamespace);
      parts = buildParts(this.structure, files, defaultNamespace);
    }
    this.placedFiles = from === undefined ? files.size : [...from.changed].filter((uri) => files.has(uri)).length;
    ({
      contrib: this.contrib,
      lists: this.lists,
      brokenFiles: this.brokenFiles,
      globalObjects: this.globalObjects,
      alternatives: this.alternatives,
      fileList: this.fileList,
    } = parts);
  }

  /** This index's parts, for deriving the next (workspace/derivation.ts). */
  private parts(): IndexParts {
    const { contrib, lists, brokenFiles, globalObjects, alternatives, fileList } = this;
    return { contrib, lists, brokenFiles, globalObjects, alternatives, fileList };
  }

  /**
   * The index after `changed` files changed (added, edited or removed), and the dependency keys
   * the change touched; undefined when it cannot be derived (another default namespace, texts a
   * changed layout needs not given, alternatives changed where destination clusters are known): rebuild then.
   */
  derive(
    files: ReadonlyMap<string, FileFacts>,
    edited: ReadonlySet<string>,
    defaultNamespace: string,
    text?: (uri: string) => string | undefined,
  ): { index: WorkspaceIndex; keys: Set<string>; changed: ReadonlySet<string>; relation: boolean } | undefined {
    if (defaultNamespace !== this.defaultNamespace) return undefined;
    // An edit to a file a Kustomize build or a chart's render reads rebuilds the roots and charts
    // that read it; the objects of every file those builds read or output may change.
    const next = restructure(this.structure, this.files, files, edited, defaultNamespace, text);
    if (next === undefined) return undefined;
    const { structure, changed } = next;
    const kust = this.structure.kust;
    const keys = new Set<string>();
    const namespacesBefore = this.namespaceKeySignature();
    const { edits, touches } = editedObjects(this.files, files, changed, structure === undefined);
    for (const uri of changed) {
      keys.add(`file:${uri}`);
      for (const p of this.contrib.get(uri)?.placed ?? []) if (touches(uri, p, true)) keysOfPlaced(p, keys);
    }
    if (structure !== undefined) for (const u of kust.incomplete) keys.add(`unit:${u}`).add(`unitok:${u}`);
    const index = new WorkspaceIndex(files, defaultNamespace, { prev: this, changed, ...(structure !== undefined ? { structure } : {}) });
    // Alternatives decide what lookups see: when an edit changes them, the files whose views changed are judged again.
    const views = viewChanges(this.parts(), index.parts(), keys);
    if (views === undefined) return undefined;
    for (const uri of changed) for (const p of index.contrib.get(uri)?.placed ?? []) if (touches(uri, p, false)) keysOfPlaced(p, keys);
    for (const uri of changed) unitKeys(this.contrib.get(uri), index.contrib.get(uri), edits.has(uri), keys);
    if (structure !== undefined) for (const u of structure.kust.incomplete) keys.add(`unit:${u}`).add(`unitok:${u}`);
    if (index.namespaceKeySignature() !== namespacesBefore) keys.add('nsset');
    countKeys(keys, this.lists, index.lists);
    index.lineage.setKeys(keys);
    return { index, keys, changed: views.size > 0 ? new Set([...changed, ...views]) : changed, relation: views.size > 0 };
  }

  private namespaceKeySignature(): string {
    return this.untracked(() => this.namespaceNames()).join('\n');
  }

  /** Starts recording the dependency keys that accessors read (the host does this per checked file). */
  startTracking(): void {
    this.reads.start();
  }

  /** Stops recording and returns what was read. */
  stopTracking(): Set<string> {
    return this.reads.stop();
  }

  private track(key: string): void {
    this.reads.track(key);
  }

  /** The view of an object that has alternatives (analysis/units/alternatives.ts): what its checks see; else undefined. */
  viewFor(p: Placed): View | undefined {
    if (this.alternatives === NO_ALTERNATIVES) return undefined;
    const v = viewOf(this.alternatives, p);
    if (v === undefined) return undefined;
    if (!this.views.has(v.key)) this.views.set(v.key, v);
    return this.views.get(v.key);
  }

  /** Filters every lookup by `view` (set while the runner judges objects that have alternatives; undefined: none). */
  setView(view: View | undefined): void {
    this.reads.view = view;
  }

  /** The view lookups are filtered by now (undefined: none). */
  currentView(): View | undefined {
    return this.reads.view;
  }

  /** Whether a lookup left out an object of an alternative since the last call (and resets it). */
  takeViewFiltered(): boolean {
    return this.reads.takeViewFiltered();
  }

  /** `list` (the lookup `key`) as the current view sees it. */
  private seen(list: readonly Placed[], key: string): readonly Placed[] {
    return this.reads.seen(list, key);
  }

  /** Records a dependency on the floating objects (no namespace of their own) the reachability engine places in `ns`. */
  floatingIn(ns: string): void {
    this.track(`floating:${ns}`);
  }

  /**
   * Records that the reader depends on a producer's pod class in `ns` (`podid:`: it, or another producer of its
   * group, kind and name, the engine's one per identity, changes); one without a known name is no class: all of `ns`.
   */
  podClassOf(ns: string, p: Placed): void {
    const id = producerId(p.obj);
    this.track(id === undefined ? `pods:${ns}` : `podid:${ns}\u0000${id}`);
  }

  /** What the reachability engine places in `ns` (an engine over a few namespaces): objects bound there, floating ones landing there, its Namespace objects. */
  objectsLandingIn(ns: string): Placed[] {
    this.track(`ns:${ns}`);
    this.track(`floating:${ns}`);
    this.track(`nsdecl:${ns}`);
    const out = [
      ...this.seen(this.lists.objectsByNs.get(ns) ?? [], `ns:${ns}`),
      ...this.seen(this.lists.floatingByNs.get(ns) ?? [], `floating:${ns}`),
    ];
    for (const o of this.lists.declaredNamespaces.get(ns) ?? []) {
      const placed = this.contrib.get(o.uri)?.placed.find((p) => p.obj === o);
      if (placed !== undefined) out.push(placed);
    }
    return out;
  }

  /** Runs `compute` without recording what it reads: workspace-wide values (the reachability engine) whose readers record their keys. */
  untracked<T>(compute: () => T): T {
    return this.reads.untracked(compute);
  }

  /** A value computed once per index from lookups only; the keys it read are replayed into each reader's tracking (the same dependencies). */
  cached<T>(key: string, compute: () => T): T {
    return this.reads.cached(key, compute);
  }

  /** `cached`, for a value about one parsed object (a rule, a selector), under `tag`. */
  cachedFor<T>(owner: object, tag: string, compute: () => T): T {
    return this.reads.cachedFor(owner, tag, compute);
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

  private fileList: FileList | undefined;

  /**
   * Every file's objects, files in path order. A file's `placed` array is the same object in every index derived while the file is
   * unchanged, so consumers can cache what they compute per file. Reading it depends on everything.
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

  /** The files changed since the index `older`, if one of the last few ancestors (workspace/lineage.ts); tracks nothing (for caches). */
  changedSince(older: number): ReadonlySet<string> | undefined {
    return this.lineage.changedSince(older);
  }

  /** `cachedFor`, kept from index to index while no key its computation read is touched (and `valid`): reads.ts `carriedFor`. */
  carriedFor<T>(owner: object, tag: string, compute: () => T, valid?: (value: T) => boolean): T {
    return this.reads.carriedFor(owner, tag, { carried: this.carried, generation: this.generation, lineage: this.lineage }, compute, valid);
  }

  /** Whether `p` is how this index places its object (an edit elsewhere in its file may have moved it: a new `Placed`). */
  isCurrent(p: Placed): boolean {
    return this.contrib.get(p.obj.uri)?.placed.includes(p) === true;
  }

  /** Runs `compute` recording the keys it reads into `deps` alone (reads.ts); `replay` adds keys to the current reader's. */
  recording<T>(deps: Set<string>, compute: () => T): T {
    return this.reads.recording(deps, compute);
  }

  replay(keys: Iterable<string>): void {
    for (const k of keys) this.track(k);
  }

  /** The objects of one file. */
  objectsOfFile(uri: string): readonly Placed[] {
    this.track(`file:${uri}`);
    return this.contrib.get(uri)?.placed ?? [];
  }

  /** API groups of custom resources and CRDs in the workspace. */
  get customGroups(): ReadonlySet<string> {
    this.track('crds');
    this.customGroupSet ??= customGroupsOf(this.globalObjects);
    return this.customGroupSet;
  }

  /** OpenKruise SidecarSets (their own key and list): they add ports to the pods they select (checks/support/sidecarSets.ts). */
  sidecarSets(): readonly Placed[] {
    this.track('sidecarsets');
    return this.lists.classes.get('sidecarset') ?? [];
  }

  /** Flux sources of one identity (`fluxsrc:<id>`), or the HelmReleases whose charts name it (`fluxuse:<id>`): keys.ts `fluxSourceIds`. */
  fluxLinks(key: `fluxsrc:${string}` | `fluxuse:${string}`): readonly Placed[] {
    this.track(key);
    return this.lists.classes.get(key) ?? [];
  }

  /** Cluster network policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy): every namespace reads them. */
  clusterPolicies(): readonly Placed[] {
    this.track('clusterpolicies');
    return this.cached('clusterpolicies', () => this.globalObjects.filter((p) => p.obj.clusterPolicy !== undefined));
  }

  /** GatewayClasses (which controller serves each class), on a key and list of their own: every route is a global object too. */
  gatewayClasses(): readonly Placed[] {
    this.track('gatewayclasses');
    return this.lists.classes.get('gateway') ?? [];
  }

  /** The Gateway API CustomResourceDefinitions (their channel annotation), on a key and list of their own. */
  gatewayApiCrds(): readonly Placed[] {
    this.track('gatewaycrds');
    return this.lists.classes.get('gatewaycrd') ?? [];
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
    return this.seen(this.lists.producersByNs.get(ns) ?? [], `pods:${ns}`);
  }

  /** Pod producers of a unit, bound or floating. */
  producersOfUnit(unit: string): readonly Placed[] {
    this.track(`unit:${unit}`);
    return this.seen(this.lists.producersByUnit.get(unit) ?? [], `unit-pods:${unit}`);
  }

  private readonly floatingProducers = new Map<string, readonly Placed[]>();

  /** Pod producers floating in a unit (landing wherever it is applied); own key: bound objects' selectors read them, bound edits keep them. */
  floatingProducersOfUnit(unit: string): readonly Placed[] {
    this.track(`floating-pods:${unit}`);
    let list = this.floatingProducers.get(unit);
    if (list === undefined) {
      list = (this.lists.producersByUnit.get(unit) ?? []).filter((p) => p.placements.some((pl) => pl.floating && pl.unit === unit));
      this.floatingProducers.set(unit, list);
    }
    return this.seen(list, `floating-pods:${unit}`);
  }

  /** Every object placed in a unit. */
  objectsOfUnit(unit: string): readonly Placed[] {
    this.track(`unit:${unit}`);
    return this.seen(this.lists.objectsByUnit.get(unit) ?? [], `unit:${unit}`);
  }

  /** Pod producers (anywhere) whose template has the label `key=value`. */
  producersWithLabel(key: string, value: string): readonly Placed[] {
    this.track(`label:${key}=${value}`);
    return this.seen(this.lists.producersByLabel.get(`${key}=${value}`) ?? [], `label:${key}=${value}`);
  }

  /** Pod producers bound to `ns` whose template has the label `key=value` (its own key: an edit elsewhere re-reads nothing here). */
  producersWithLabelIn(ns: string, key: string, value: string): readonly Placed[] {
    const k = `nslabel:${ns}\u0000${key}=${value}`;
    this.track(k);
    return this.seen(this.lists.boundByLabel.get(`${ns}\u0000${key}=${value}`) ?? [], k);
  }

  /** Services of every namespace named `name`. */
  servicesNamedAnywhere(name: string): readonly Placed[] {
    this.track(`svc:${name}`);
    return this.seen(this.lists.servicesByName.get(name) ?? [], `svc:${name}`);
  }

  /** Objects with Service facts that have a placement in `unit`, in index order (its own key: not every edit of the unit). */
  servicesOfUnit(unit: string): readonly Placed[] {
    this.track(`unit-svcs:${unit}`);
    return this.seen(this.lists.servicesByUnit.get(unit) ?? [], `unit-svcs:${unit}`);
  }

  /** Whether `servicesOfUnit(unit)` is not empty: a key touched only when that changes (keys.ts `countKeys`), the list's under alternatives (a view may hide all). */
  hasServicesInUnit(unit: string): boolean {
    if (this.alternatives !== NO_ALTERNATIVES) return this.servicesOfUnit(unit).length > 0;
    this.track(`unit-anysvc:${unit}`);
    return (this.lists.servicesByUnit.get(unit)?.length ?? 0) > 0;
  }

  /** Objects with Service facts named `name` that have a placement in `unit`, in index order (its own key, as `servicesOfUnit`). */
  servicesNamedInUnit(unit: string, name: string): readonly Placed[] {
    this.track(`unit-svc:${unit}\u0000${name}`);
    return this.seen(this.lists.servicesByUnitName.get(`${unit}\u0000${name}`) ?? [], `unit-svc:${unit}\u0000${name}`);
  }

  /** Every pod label pair `key=value` of the workspace's pod templates (for completion). */
  labelPairs(): IterableIterator<string> {
    this.track('all');
    return this.lists.producersByLabel.keys();
  }

  private serviceIpList: ServiceIps | undefined;

  /** Every address a Service object of the workspace declares (cluster, external, load-balancer IPs), in file order; under a view, of the Services it sees. */
  serviceIps(): ServiceIps['all'] {
    this.track('svcips');
    const list = (this.serviceIpList ??= serviceIpsIn(this.filesInOrder()));
    const seen = this.seen(list.owners, 'svcips');
    return seen === list.owners ? list.all : this.cached('svcips:seen', () => list.all.filter((e) => seen.includes(e.svc)));
  }

  /** Every object with IngressClass facts, in index order. */
  ingressClasses(): readonly KObject[] {
    this.track('ingressclasses');
    return this.cached('ingressclasses', () => (this.lists.classes.get('ingress') ?? []).map((p) => p.obj));
  }

  /**
   * Pod producers bound to `ns` on which a selector requiring `key` cannot be decided from the label index (labels.ts
   * `uncertainLabelKeys`): with `producersWithLabel`, every producer a known `key=value` pair may match (support/selection.ts).
   */
  uncertainProducersIn(ns: string, key: string): readonly Placed[] {
    this.track(`pods-open:${ns}`);
    this.track(`pods-uncertain:${ns}\u0000${key}`);
    const open = this.seen(this.lists.uncertainProducers.get(ns) ?? [], `pods-open:${ns}`);
    const byKey = this.seen(this.lists.uncertainProducers.get(`${ns}\u0000${key}`) ?? [], `pods-uncertain:${ns}\u0000${key}`);
    return open.length === 0 ? byKey : byKey.length === 0 ? open : [...new Set([...open, ...byKey])];
  }

  /** Roles bound to `ns` that let their subjects create pods (its own key: not every edit of the namespace). */
  podCreatorRolesIn(ns: string): readonly Placed[] {
    this.track(`podcreators:${ns}`);
    return this.seen(this.lists.podCreatorRolesByNs.get(ns) ?? [], `podcreators:${ns}`);
  }

  /** NetworkPolicies bound to `ns` (its own key: editing a workload or Service does not change them). */
  networkPoliciesIn(ns: string): readonly Placed[] {
    this.track(`netpols:${ns}`);
    return this.seen(this.lists.policiesByNs.get(ns) ?? [], `netpols:${ns}`);
  }

  /** Core Services bound to `ns` whose selector (every pair known) has `key=value` as first pair by key: over a pod's pairs, all that select it. */
  servicesSelectingPair(ns: string, key: string, value: string): readonly Placed[] {
    const k = `${ns}\u0000${key}=${value}`;
    this.track(`svcsel:${k}`);
    return this.seen(this.lists.servicesByFirstPair.get(k) ?? [], `svcsel:${k}`);
  }

  servicesIn(ns: string): readonly Placed[] {
    this.track(`svcs:${ns}`);
    return this.seen(this.lists.servicesByNs.get(ns) ?? [], `svcs:${ns}`);
  }

  /** TLS material and Secret producers (keys.ts `isTlsObject`) bound to `ns`, or (`unit`) placed in a unit; their own keys: an edit of anything else there changes nothing. */
  tlsObjects(where: { readonly ns: string } | { readonly unit: string }): readonly Placed[] {
    const [key, list] = 'ns' in where ? [`tls:${where.ns}`, `ns:${where.ns}`] : [`tls-unit:${where.unit}`, `unit:${where.unit}`];
    this.track(key);
    return this.seen(this.lists.tls.get(list) ?? [], key);
  }

  objectsIn(ns: string): readonly Placed[] {
    this.track(`ns:${ns}`);
    return this.seen(this.lists.objectsByNs.get(ns) ?? [], `ns:${ns}`);
  }

  /** Namespaces that some object is bound to, or that are declared, sorted. */
  namespaceNames(): readonly string[] {
    this.track('nsset');
    this.namespaceList ??= [...new Set([...this.lists.objectsByNs.keys(), ...this.lists.declaredNamespaces.keys()])].sort();
    return this.namespaceList;
  }

  declaredNamespace(name: string): readonly KObject[] | undefined {
    this.track(`nsdecl:${name}`);
    return this.lists.declaredNamespaces.get(name);
  }

  /**
   * The workspace owns `ns` when it defines a pod producer, Service or Namespace there
   * (docs/dev/design.md §3.1). `except` is left out, so an object never makes its own namespace owned.
   */
  owns(ns: string, except?: KObject): boolean {
    // Its own key (`owners:`, touched while the namespace has few owners), unless a view filters
    // the lookups: an edit of one of many workloads does not re-check every absence claim.
    if (this.reads.view === undefined) {
      const owned = this.untracked(() => this.ownsNow(ns, except));
      this.track(`owners:${ns}`);
      return owned;
    }
    return this.ownsNow(ns, except);
  }

  private ownsNow(ns: string, except: KObject | undefined): boolean {
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
    return checkedFacts(this.structure, uri, this.files.get(uri), this.checkedFacts);
  }

  /** Directories holding a kustomization (their builds may add labels, namespaces and ports). */
  kustomizeDirs(): ReadonlySet<string> {
    return this.structure.kustomizeDirs;
  }

  /** Whether a test tool reads `uri` as partial objects (an assertion, a step's update: units/structure.ts `isTestPartial`). */
  testPartial(uri: string): boolean {
    return isTestPartial(this.structure, uri);
  }

  /** The folders where what assertion file `uri` asserts counts as evidence (units/structure.ts `assertedIn`). */
  assertedIn(uri: string): readonly string[] {
    return assertedIn(this.structure, uri);
  }

  /** The namespace carries a sidecar-injection marker (Istio `istio-injection=enabled`, `istio.io/rev`, Linkerd `linkerd.io/inject: enabled`): injected ports count as declared. */
  injectsSidecars(ns: string): boolean {
    for (const o of this.declaredNamespace(ns) ?? []) {
      const labels = new Map((o.labels?.entries ?? []).map((e) => [e.key, e.value.known ? e.value.value : '?']));
      if (labels.get('istio-injection') === 'enabled' || labels.has('istio.io/rev')) return true;
      if (o.annotations.get('linkerd.io/inject') === 'enabled') return true;
    }
    return false;
  }

  /** Custom resources bound to `ns` that may make objects (not Gateway API routes, grants, classes); its own key. */
  customMakersIn(ns: string): readonly Placed[] {
    this.track(`crmakers:${ns}`);
    return this.seen(this.lists.customMakersByNs.get(ns) ?? [], `crmakers:${ns}`);
  }

  /** Gateway API objects by role (`workspace/lists.ts` `gatewayApi`), each list on its key `gwapi:<key>`: a route edit does not touch the Gateways'. */
  gatewayApiObjects(key: string): readonly Placed[] {
    this.track(`gwapi:${key}`);
    return this.seen(this.lists.gatewayApi.get(key) ?? [], `gwapi:${key}`);
  }

  /** The routes of `unit`, for a reader comparing those of `kind` with `hostnames` (keys.ts `routeReadKeys`; undefined: every hostname). */
  routesOfUnit(unit: string, kind: string, hostnames: readonly string[] | undefined, exact: boolean): readonly Placed[] {
    for (const k of routeReadKeys(unit, kind, hostnames, exact)) this.track(k);
    return this.seen(this.lists.gatewayApi.get(`route:${unit}`) ?? [], `gwapi:route:${unit}`);
  }
}
