/**
 * The workspace index: every file's facts, plus what only the whole workspace can say: units
 * (Kustomize builds, Helm charts, folders), namespace binding, patches, variants and ownership
 * (design §2, checks-spec §1.2). Rebuilt from the per-file facts after each change; it holds no
 * parse trees.
 */

import type { FileFacts, KObject } from '../model/types.js';
import { isBuiltinGroup, isCoreService, isNamespace } from '../model/kinds.js';
import { dirname, isUnder, joinPath } from './paths.js';

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

/** Keys with an unknown per-pod value, added by controllers (checks-spec §1.4). */
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
]);

interface Build {
  readonly dir: string;
  readonly namespace: string | undefined;
}

interface KustomizeResult {
  /** file uri → list of (top-level build dir, effective namespace override). */
  readonly reached: Map<string, Build[]>;
  readonly patchFiles: Set<string>;
  readonly incompleteUnits: Set<string>;
}

function resolveKustomize(files: ReadonlyMap<string, FileFacts>): KustomizeResult {
  const kustDirs = new Map<string, FileFacts>();
  for (const f of files.values()) if (f.toolConfig?.kind === 'kustomization') kustDirs.set(dirname(f.uri), f);
  const reached = new Map<string, Build[]>();
  const patchFiles = new Set<string>();
  const incompleteUnits = new Set<string>();
  if (kustDirs.size === 0) return { reached, patchFiles, incompleteUnits };
  const referenced = new Set<string>();
  const filesByDir = new Map<string, string[]>();
  for (const uri of files.keys()) {
    const d = dirname(uri);
    const list = filesByDir.get(d);
    if (list === undefined) filesByDir.set(d, [uri]);
    else list.push(uri);
  }
  for (const [dir, f] of kustDirs) {
    for (const r of f.toolConfig?.kustomization?.resources ?? []) {
      const target = joinPath(dir, r);
      if (kustDirs.has(target)) referenced.add(target);
    }
    for (const p of f.toolConfig?.kustomization?.patches ?? []) patchFiles.add(joinPath(dir, p));
  }
  const walk = (dir: string, top: string, ns: string | undefined, seen: Set<string>): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const k = kustDirs.get(dir)?.toolConfig?.kustomization;
    if (k === undefined) return;
    if (k.remote) incompleteUnits.add(top);
    const effective = ns ?? k.namespace;
    for (const r of k.resources) {
      const target = joinPath(dir, r);
      if (kustDirs.has(target)) {
        walk(target, top, effective, seen);
        continue;
      }
      const targets = files.has(target) ? [target] : (filesByDir.get(target) ?? []);
      for (const t of targets) {
        const list = reached.get(t) ?? [];
        list.push({ dir: top, namespace: effective });
        reached.set(t, list);
      }
    }
  };
  for (const dir of kustDirs.keys()) if (!referenced.has(dir)) walk(dir, dir, undefined, new Set());
  return { reached, patchFiles, incompleteUnits };
}

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

export class WorkspaceIndex {
  readonly files: ReadonlyMap<string, FileFacts>;
  readonly defaultNamespace: string;
  /** Every object that is not a patch, with its placements. */
  readonly objects: readonly Placed[] = [];
  private readonly placementByObj = new Map<KObject, readonly Placement[]>();
  private readonly producersByNs = new Map<string, Placed[]>();
  private readonly producersByUnit = new Map<string, Placed[]>();
  private readonly servicesByNs = new Map<string, Placed[]>();
  private readonly objectsByNs = new Map<string, Placed[]>();
  private readonly declaredNamespaces = new Map<string, KObject[]>();
  private readonly brokenUnits = new Set<string>();
  private readonly unitsOfFile = new Map<string, string[]>();
  /** Objects with Service facts by unit, and by unit and name (`unit\u0000name`), in index order. */
  private readonly servicesByUnit = new Map<string, Placed[]>();
  private readonly servicesByUnitName = new Map<string, Placed[]>();
  private readonly ingressClassObjects: KObject[] = [];
  /** Memo of `customResourcesIn` (the index never changes after construction). */
  private readonly customByNs = new Map<string, readonly KObject[]>();
  /** API groups of custom resources and CRDs in the workspace. */
  readonly customGroups = new Set<string>();

  constructor(files: ReadonlyMap<string, FileFacts>, defaultNamespace = 'default') {
    this.files = files;
    this.defaultNamespace = defaultNamespace;
    const kust = resolveKustomize(files);
    const charts: Chart[] = [];
    for (const f of files.values()) {
      if (f.toolConfig?.kind === 'helm-chart') charts.push({ dir: dirname(f.uri), dependencies: f.toolConfig.chartDependencies ?? [] });
    }
    for (const c of charts) {
      const missing = c.dependencies.some((d) => ![...files.keys()].some((u) => isUnder(u, `${c.dir}/charts/${d}`)));
      if (missing) this.brokenUnits.add(c.dir);
    }
    for (const u of kust.incompleteUnits) this.brokenUnits.add(u);
    const objects: Placed[] = [];
    for (const f of files.values()) {
      const chart = findChart(f.uri, charts);
      const builds = kust.reached.get(f.uri);
      const isPatchFile = kust.patchFiles.has(f.uri);
      const units = new Set<string>();
      for (const o of f.objects) {
        if (o.isPatch || isPatchFile) continue;
        const placements = this.place(o, f.uri, chart, builds);
        for (const p of placements) units.add(p.unit);
        const placed: Placed = { obj: o, placements };
        objects.push(placed);
        this.placementByObj.set(o, placements);
      }
      if (units.size === 0) units.add(chart?.dir ?? builds?.[0]?.dir ?? dirname(f.uri));
      this.unitsOfFile.set(f.uri, [...units]);
      if (f.syntaxErrors.length > 0) for (const u of units) this.brokenUnits.add(u);
    }
    this.objects = objects;
    for (const p of objects) this.register(p);
  }

  private place(o: KObject, uri: string, chart: Chart | undefined, builds: Build[] | undefined): Placement[] {
    const clusterScoped = isNamespace(o) || o.kind === 'IngressClass' || o.kind === 'CustomResourceDefinition' || o.kind.startsWith('Cluster');
    if (builds !== undefined && builds.length > 0) {
      return builds.map((b) => {
        if (clusterScoped) return { unit: b.dir, namespace: undefined, floating: false };
        const ns = b.namespace ?? (o.namespace?.known === true ? o.namespace.value : undefined);
        const templated = b.namespace === undefined && o.namespace !== undefined && !o.namespace.known;
        return { unit: b.dir, namespace: templated ? undefined : (ns ?? this.defaultNamespace), floating: ns === undefined && !templated };
      });
    }
    const unit = chart?.dir ?? dirname(uri);
    if (clusterScoped) return [{ unit, namespace: undefined, floating: false }];
    if (o.namespace !== undefined) {
      return [{ unit, namespace: o.namespace.known ? o.namespace.value : undefined, floating: false }];
    }
    if (chart !== undefined) return [{ unit, namespace: undefined, floating: false }];
    return [{ unit, namespace: this.defaultNamespace, floating: true }];
  }

  private register(p: Placed): void {
    const o = p.obj;
    if (!isBuiltinGroup(o.group)) this.customGroups.add(o.group);
    if (o.kind === 'CustomResourceDefinition') {
      const g = o.name?.known === true ? o.name.value.split('.').slice(1).join('.') : '';
      if (g !== '') this.customGroups.add(g);
    }
    if (isNamespace(o) && o.name?.known === true) {
      const list = this.declaredNamespaces.get(o.name.value) ?? [];
      list.push(o);
      this.declaredNamespaces.set(o.name.value, list);
    }
    if (o.ingressClass !== undefined) this.ingressClassObjects.push(o);
    if (o.service !== undefined) {
      for (const unit of new Set(p.placements.map((pl) => pl.unit))) {
        push(this.servicesByUnit, unit, p);
        if (o.name?.known === true) push(this.servicesByUnitName, `${unit}\u0000${o.name.value}`, p);
      }
    }
    const nsSeen = new Set<string>();
    for (const pl of p.placements) {
      if (o.pod !== undefined) push(this.producersByUnit, pl.unit, p);
      if (pl.namespace === undefined || pl.floating || nsSeen.has(pl.namespace)) continue;
      nsSeen.add(pl.namespace);
      push(this.objectsByNs, pl.namespace, p);
      if (o.pod !== undefined) push(this.producersByNs, pl.namespace, p);
      if (isCoreService(o)) push(this.servicesByNs, pl.namespace, p);
    }
  }

  placements(o: KObject): readonly Placement[] {
    return this.placementByObj.get(o) ?? [];
  }

  /** Pod producers bound to `ns` (every variant). */
  producersIn(ns: string): readonly Placed[] {
    return this.producersByNs.get(ns) ?? [];
  }

  /** Pod producers of a unit, bound or floating. */
  producersOfUnit(unit: string): readonly Placed[] {
    return this.producersByUnit.get(unit) ?? [];
  }

  /**
   * Objects with Service facts that have a placement in `unit`, in index order. Checks that
   * filter `objects` per Ingress backend are quadratic; this lookup is not.
   */
  servicesOfUnit(unit: string): readonly Placed[] {
    return this.servicesByUnit.get(unit) ?? [];
  }

  /** Objects with Service facts named `name` that have a placement in `unit`, in index order. */
  servicesNamedInUnit(unit: string, name: string): readonly Placed[] {
    return this.servicesByUnitName.get(`${unit}\u0000${name}`) ?? [];
  }

  /** Every object with IngressClass facts, in index order. */
  ingressClasses(): readonly KObject[] {
    return this.ingressClassObjects;
  }

  servicesIn(ns: string): readonly Placed[] {
    return this.servicesByNs.get(ns) ?? [];
  }

  objectsIn(ns: string): readonly Placed[] {
    return this.objectsByNs.get(ns) ?? [];
  }

  /** Namespaces that some object is bound to, or that are declared, sorted. */
  namespaceNames(): string[] {
    return [...new Set([...this.objectsByNs.keys(), ...this.declaredNamespaces.keys()])].sort();
  }

  declaredNamespace(name: string): readonly KObject[] | undefined {
    return this.declaredNamespaces.get(name);
  }

  /**
   * The workspace owns `ns` when it defines a pod producer, Service or Namespace there
   * (design §3.1). `except` is left out, so an object never makes its own namespace owned.
   */
  owns(ns: string, except?: KObject): boolean {
    const declared = this.declaredNamespaces.get(ns);
    if (declared !== undefined && declared.some((o) => o !== except)) return true;
    for (const p of this.objectsIn(ns)) {
      if (p.obj === except) continue;
      if (p.obj.pod !== undefined || isCoreService(p.obj)) return true;
    }
    return false;
  }

  /** A unit is broken when a file of it failed to parse or a source of it is not in the workspace. */
  unitComplete(unit: string): boolean {
    return !this.brokenUnits.has(unit);
  }

  unitsOf(uri: string): readonly string[] {
    return this.unitsOfFile.get(uri) ?? [dirname(uri)];
  }

  /**
   * The namespace carries a sidecar-injection marker (Istio `istio-injection=enabled` or
   * `istio.io/rev`, Linkerd `linkerd.io/inject: enabled`): injected ports count as declared.
   */
  injectsSidecars(ns: string): boolean {
    for (const o of this.declaredNamespaces.get(ns) ?? []) {
      const labels = new Map((o.labels?.entries ?? []).map((e) => [e.key, e.value.known ? e.value.value : '?']));
      if (labels.get('istio-injection') === 'enabled' || labels.has('istio.io/rev')) return true;
      if (o.annotations.get('linkerd.io/inject') === 'enabled') return true;
    }
    return false;
  }

  /** Custom resources (non-built-in groups) bound to `ns`. */
  customResourcesIn(ns: string): readonly KObject[] {
    let list = this.customByNs.get(ns);
    if (list === undefined) {
      list = this.objectsIn(ns)
        .map((p) => p.obj)
        .filter((o) => !isBuiltinGroup(o.group));
      this.customByNs.set(ns, list);
    }
    return list;
  }

}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
