/**
 * The class model (docs/dev/design.md §5): pod classes (a workload's replicas, a bare Pod, an
 * owner's Pods, a StatefulSet ordinal when selectors tell them apart, ingress-controller stand-ins
 * and virtual pods), their nodes, the namespaces with their labels, and the selector index that
 * evaluates selectors over the classes. Built from a gathering; engines whose gathering has the
 * same fingerprint share one model and its caches, so a policy edit does not rebuild it.
 */

import type { PodLabels } from '../model/labels.js';
import { matchSelector, plainLabels, podLabelsOf } from '../model/labels.js';
import type { ContainerPort, KObject, Selector } from '../model/types.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import { SYSTEM_NAMESPACES } from '../workspace/wellKnown.js';
import type { Bits } from './bitset.js';
import { and, andNot, bits, or, orInto, setBit } from './bitset.js';
import type { Gathered } from './gather.js';
import { PER_POD_KEYS, nameOf } from './gather.js';
import type { IpRange } from './ip.js';
import type { EngineOptions } from './options.js';
import { UNKNOWN_NAMESPACE } from './options.js';
import type { Protocol } from './ports.js';
import { isProtocol } from './ports.js';
import type { TriBits } from './selectors.js';
import { SelectorIndex, selectorKey } from './selectors.js';
import { ForkMap } from '../workspace/forkMap.js';

const NAME_LABEL = 'kubernetes.io/metadata.name';
const AMBIENT_LABEL = 'istio.io/dataplane-mode';

export interface PodClass {
  readonly index: number;
  /** The node id (`ns/name[Kind]`, `{ingress-controller}`). */
  readonly node: string;
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly obj: KObject | undefined;
  readonly labels: PodLabels;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** The container ports are templated or unreadable (named ports may resolve on it). */
  readonly portsUnknown: boolean;
  /** The class can run two pods at once (replicas ≠ 1, DaemonSet): its self edge is a policy verdict. */
  readonly multi: boolean;
  /** StatefulSet ordinal of a split class. */
  readonly ordinal: number | undefined;
  readonly synthetic: boolean;
  /** IngressClass names this class is the controller of. */
  readonly controllerOf: readonly string[];
}

export interface NodeInfo {
  readonly id: string;
  readonly namespace: string | undefined;
  readonly kind: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly classes: readonly number[];
  readonly external: IpRange | undefined;
}

export interface NamespaceInfo {
  readonly name: string;
  readonly labels: PodLabels;
  classes: Bits;
}

export function triAnd(a: TriBits, b: TriBits): TriBits {
  const yes = and(a.yes, b.yes);
  const maybe = andNot(and(or(a.yes, a.maybe), or(b.yes, b.maybe)), yes);
  return { yes, maybe };
}

function samePortList(a: readonly ContainerPort[], b: readonly ContainerPort[]): boolean {
  return a.length === b.length && a.every((p, i) => p.protocol === b[i]?.protocol && p.containerPort === b[i]?.containerPort);
}

function labelsRecord(l: PodLabels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...l.known.keys()].sort()) out[k] = l.known.get(k) ?? '';
  return out;
}

/** A Pod's controller as the engine names its node (`ReachEngine.ownerOf`). */
export type OwnerOf = (o: KObject) => { readonly kind: string; readonly name: string } | undefined;

/** A class as it is built (index and controllerOf are filled in last). */
type PendingClass = { -readonly [K in keyof PodClass]: PodClass[K] };

/** The ports SidecarSets add to a producer's pods of these labels in a namespace; unknown when one may inject but what is not known. */
type Injector = (labels: PodLabels, ns: string) => { readonly ports: readonly ContainerPort[]; readonly unknown: boolean };

const NOTHING_INJECTED = { ports: [], unknown: false } as const;

/**
 * OpenKruise SidecarSets (model/sidecarSet.ts) as the engine reads them: the containers' ports of
 * each SidecarSet whose `spec.namespace`, `spec.namespaceSelector` (over the namespace's labels as
 * the model knows them) and `spec.selector` match a producer's pods are those pods' ports, so named
 * ports resolve on them; one that may inject (a templated selector, namespace or ports) makes the
 * pods' ports unknown. The checks read them alike (checks/support/sidecarSets.ts).
 */
function sidecarInjector(sets: readonly Placed[], nsLabels: (ns: string) => PodLabels | undefined): Injector | undefined {
  if (sets.length === 0) return undefined;
  return (labels, ns) => {
    let ports: ContainerPort[] | undefined;
    let unknown = false;
    for (const set of sets) {
      const s = set.obj.sidecarSet;
      if (s === undefined) continue;
      let sure = true;
      if (s.namespace !== undefined) {
        if (!s.namespace.known || ns === UNKNOWN_NAMESPACE) sure = false;
        else if (s.namespace.value !== ns) continue;
      }
      if (s.namespaceSelector !== undefined) {
        const l = nsLabels(ns);
        const m = l === undefined ? 'unknown' : matchSelector(s.namespaceSelector, l);
        if (m === 'no') continue;
        if (m === 'unknown') sure = false;
      }
      const m = s.selector === undefined ? 'unknown' : matchSelector(s.selector, labels);
      if (m === 'no') continue;
      if (m === 'yes' && sure && !s.portsUnknown) for (const p of s.ports) (ports ??= []).push(p);
      else unknown = true;
    }
    return ports === undefined && !unknown ? NOTHING_INJECTED : { ports: ports ?? [], unknown };
  };
}

/** The classes of one pod producer placed in `ns`: one, or one per pod of a StatefulSet that selectors tell apart. */
function producerClasses(placed: Placed, ns: string, perPodUsed: boolean, ownerOf: OwnerOf, inject: Injector | undefined): PendingClass[] {
  const pending: PendingClass[] = [];
  const o = placed.obj;
  const pod = o.pod;
  const name = nameOf(o);
  if (pod === undefined || name === undefined) return pending;
  const isPod = o.group === '' && o.kind === 'Pod';
  const owner = isPod ? ownerOf(o) : undefined;
  const node = isPod ? (owner !== undefined ? `${ns}/${owner.name}[${owner.kind}]` : `${ns}/${name}[Pod]`) : `${ns}/${name}[${o.kind}]`;
  const nodeKind = isPod ? (owner?.kind ?? 'Pod') : o.kind;
  const nodeName = isPod ? (owner?.name ?? name) : name;
  const labels = podLabelsOf(pod);
  const injected = inject?.(labels, ns) ?? NOTHING_INJECTED;
  const ports = injected.ports.length === 0 ? pod.ports : [...pod.ports, ...injected.ports];
  const portsUnknown = pod.portsUnknown || injected.unknown;
  const replicas = pod.replicas === undefined ? 1 : pod.replicas.known ? pod.replicas.value : undefined;
  const multi = !isPod && (o.kind === 'DaemonSet' || replicas === undefined || replicas > 1);
  const hostNetwork = pod.hostNetwork;
  const ordinals = pod.perPodLabels.get('apps.kubernetes.io/pod-index');
  if (perPodUsed && o.kind === 'StatefulSet' && ordinals !== undefined && ordinals.length > 0 && ordinals.length <= 256) {
    for (let i = 0; i < ordinals.length; i++) {
      const known = new Map(labels.known);
      known.set('apps.kubernetes.io/pod-index', String(i));
      known.set('statefulset.kubernetes.io/pod-name', `${name}-${i}`);
      const perPod = new Map(labels.perPod);
      for (const k of PER_POD_KEYS) perPod.delete(k);
      pending.push({
        node,
        namespace: ns,
        kind: nodeKind,
        name: nodeName,
        obj: o,
        labels: { ...labels, known, perPod },
        ports,
        portsUnknown,
        hostNetwork,
        multi: false,
        ordinal: i,
        synthetic: false,
        index: 0,
        controllerOf: [],
      });
    }
  } else {
    pending.push({
      node,
      namespace: ns,
      kind: nodeKind,
      name: nodeName,
      obj: o,
      labels,
      ports,
      portsUnknown,
      hostNetwork,
      multi,
      ordinal: undefined,
      synthetic: false,
      index: 0,
      controllerOf: [],
    });
  }
  return pending;
}

export class ClassModel {
  readonly classes: PodClass[] = [];
  /** The nodes of the classes (virtual pods have none), in class order; external nodes are the engine's. */
  readonly nodes: NodeInfo[] = [];
  /** Forked from the last model's by `patch` (O(changes), not a copy per edit). */
  readonly nodeById = new ForkMap<string, NodeInfo>();
  /** Per producer object, its classes' indices in class order; built on first use, forked by `patch`. */
  private byObjectMap: ForkMap<KObject, readonly number[]> | undefined;
  readonly namespaces = new Map<string, NamespaceInfo>();
  readonly selectors: SelectorIndex;
  /** Every declared container port of the classes (cut points of the port space). */
  readonly classPorts: Array<[Protocol, number]> = [];
  /** Namespace selectors, peers and policy selections evaluated over the classes, by selector key. */
  readonly nsSelCache = new Map<string, TriBits>();
  readonly peerCache = new Map<string, TriBits>();
  readonly selectedCache = new Map<string, TriBits>();
  /**
   * The data-plane classes of each Gateway (`ns/name`, docs/dev/gateway-api.md §7): workloads of the
   * manifests that carry its data-plane labels, else one stand-in class.
   */
  readonly gatewayDataPlanes = new Map<string, number[]>();
  /** Rule content ids (equal for rules with the same peers and ports), stable for this model. */
  readonly ruleIds = new Map<string, number>();
  /** Per class: why its verdicts are implementation-defined, or false. */
  private readonly implementationDefinedCache: Array<string | false> = [];

  /** With a patch (`ClassModel.patch`): the classes rebuilt; undefined when every class was built. */
  readonly rebuilt: number | undefined;

  constructor(
    readonly options: EngineOptions,
    gathered: Gathered,
    ownerOf: OwnerOf,
    patch?: { readonly previous: ClassModel; readonly replaced: ReadonlyMap<number, PodClass> },
  ) {
    if (patch !== undefined) {
      const { previous, replaced } = patch;
      this.rebuilt = replaced.size;
      // Copies of the last model's lists with the rebuilt classes (and their nodes, one class each: `patch`) put in place.
      this.classes = previous.classes.slice();
      this.nodes = previous.nodes.slice();
      this.nodeById = previous.nodeById.fork();
      const byObject = previous.byObjectMap?.fork();
      for (const [index, c] of replaced) {
        const was = previous.classes[index];
        this.classes[index] = c;
        if (byObject !== undefined && was?.obj !== undefined && c.obj !== undefined && was.obj !== c.obj) {
          const list = byObject.get(was.obj);
          byObject.delete(was.obj);
          if (list !== undefined) byObject.set(c.obj, list);
        }
        const old = was === undefined ? undefined : previous.nodeById.get(was.node);
        if (old === undefined || old.classes.length !== 1) continue;
        const node = { ...old, labels: labelsRecord(c.labels) };
        this.nodeById.set(node.id, node);
        const at = previous.nodes.indexOf(old);
        if (at !== -1) this.nodes[at] = node;
      }
      this.byObjectMap = byObject;
      // The same classes in the same namespaces, whose labels did not change: their entries and
      // namespace selections hold; so do the rule content ids.
      for (const [name, info] of previous.namespaces) this.namespaces.set(name, info);
      this.nsSelCache = previous.nsSelCache;
      this.ruleIds = previous.ruleIds;
      this.selectors = new SelectorIndex(
        this.classes.map((c) => c.labels),
        { index: previous.selectors, changed: [...replaced.keys()] },
      );
      const samePorts = [...replaced].every(([i, c]) => samePortList(previous.classes[i]?.ports ?? [], c.ports));
      if (samePorts) this.classPorts = previous.classPorts;
      else
        for (const c of this.classes)
          if (c.kind !== 'Virtual')
            for (const p of c.ports) if (isProtocol(p.protocol)) this.classPorts.push([p.protocol, p.containerPort]);
      return;
    }
    this.rebuilt = undefined;
    const { producers, perPodUsed, ingresses, declared, policies, gateways, gatewayClasses } = gathered;
    const representativeNamespaces = new Map<string, PodLabels>();
    for (const v of options.virtualPods ?? [])
      if (v.namespaceLabels !== undefined && Array.isArray(v.namespaces))
        for (const ns of v.namespaces as readonly string[]) representativeNamespaces.set(ns, v.namespaceLabels);
    // A namespace's labels (rules 14, 25): a representative's, else its declaration's, the settings' and the name label.
    const namespaceLabels = (name: string): PodLabels => {
      if (name === UNKNOWN_NAMESPACE) return plainLabels(new Map(), true);
      const representative = representativeNamespaces.get(name);
      if (representative !== undefined && !declared.has(name)) return representative;
      const labels = new Map<string, string>();
      const decl = declared.get(name);
      for (const e of decl?.labels?.entries ?? []) if (e.value.known) labels.set(e.key, e.value.value);
      for (const e of options.externalNamespaces) if (e.name === name) for (const [k, v] of Object.entries(e.labels)) labels.set(k, v);
      if (options.namespaceNameLabel === 'overwrite' || !labels.has(NAME_LABEL)) labels.set(NAME_LABEL, name);
      return plainLabels(labels, decl?.labels?.unknown === true);
    };
    const inject = sidecarInjector(gathered.sidecarSets, namespaceLabels);
    // Pod classes.
    // Classes as they are found; index and controllerOf are filled in below (no copy per class).
    const pending: PendingClass[] = [];
    for (const { placed, ns } of producers) for (const c of producerClasses(placed, ns, perPodUsed, ownerOf, inject)) pending.push(c);
    // Ingress controllers (docs/dev/design.md §5): a workload of the manifests when one matches, else a stand-in pod.
    const controllerOf = new Map<number, string[]>();
    const syntheticControllers = (ingresses.length === 0 ? [] : options.ingressControllers).filter((c) => {
      const want = Object.entries(c.podLabels);
      const matches = pending
        .map((p, i) => ({ p, i }))
        .filter(({ p }) => p.namespace === c.namespace && want.length > 0 && want.every(([k, v]) => p.labels.known.get(k) === v));
      for (const { i } of matches) controllerOf.set(i, [...(controllerOf.get(i) ?? []), c.class]);
      return matches.length === 0;
    });
    const needController = ingresses.length > 0;
    for (const c of needController ? syntheticControllers : []) {
      const id = syntheticControllers.length === 1 ? '{ingress-controller}' : `{ingress-controller:${c.class}}`;
      controllerOf.set(pending.length, [c.class]);
      pending.push({
        node: id,
        namespace: c.namespace,
        kind: 'IngressController',
        name: c.class,
        obj: undefined,
        labels: plainLabels(new Map(Object.entries(c.podLabels))),
        ports: [],
        portsUnknown: false,
        hostNetwork: false,
        multi: true,
        ordinal: undefined,
        synthetic: true,
        index: 0,
        controllerOf: [],
      });
    }
    // Gateway data planes (docs/dev/gateway-api.md §7): per Gateway, by its class's controller.
    const realCount = pending.length;
    for (const { placed, namespace } of gateways) {
      const gw = placed.obj;
      const name = nameOf(gw);
      const className = gw.gateway?.className;
      if (name === undefined || className === undefined) continue;
      // A class not known here (templated, written by a kustomize replacement from a file the repository lacks) has a
      // controller not known here, as a class the workspace lacks: the `*` entry.
      const controller = className.known ? gatewayClasses.get(className.value) : undefined;
      const entry =
        options.gatewayControllers?.find((c) => c.controllerName === controller) ??
        options.gatewayControllers?.find((c) => c.controllerName === '*');
      if (entry === undefined) continue;
      const fill = (v: string): string => v.split('{gateway}').join(name).split('{namespace}').join(namespace);
      const where = fill(entry.namespace ?? namespace);
      const want = Object.entries(entry.podLabels).map(([k, v]) => [k, fill(v)] as const);
      const key = `${namespace}/${name}`;
      const found: number[] = [];
      for (let i = 0; i < realCount; i++) {
        const p = pending[i];
        if (p !== undefined && p.namespace === where && want.length > 0 && want.every(([k, v]) => p.labels.known.get(k) === v))
          found.push(i);
      }
      if (found.length === 0) {
        found.push(pending.length);
        pending.push({
          node: `{gateway:${key}}`,
          namespace: where,
          kind: 'GatewayDataPlane',
          name: key,
          obj: undefined,
          labels: plainLabels(new Map(want)),
          ports: [],
          portsUnknown: false,
          hostNetwork: false,
          multi: true,
          ordinal: undefined,
          synthetic: true,
          index: 0,
          controllerOf: [],
        });
      }
      this.gatewayDataPlanes.set(key, found);
    }
    for (const v of options.virtualPods ?? []) {
      const where =
        v.namespaces === 'unknown'
          ? [UNKNOWN_NAMESPACE]
          : v.namespaces === 'policies'
            ? [...new Set(policies.map((p) => p.ns))].sort()
            : v.namespaces;
      for (const ns of where) {
        const ports = v.ports;
        pending.push({
          node: `{${v.id}:${ns}}`,
          namespace: ns,
          kind: 'Virtual',
          name: v.id,
          obj: undefined,
          labels: v.podLabels ?? plainLabels(new Map(Object.entries(v.labels)), v.openLabels),
          ports,
          portsUnknown: v.portsUnknown === true,
          hostNetwork: false,
          multi: true,
          ordinal: undefined,
          synthetic: true,
          index: 0,
          controllerOf: [],
        });
      }
    }
    pending.forEach((p, i) => {
      p.index = i;
      p.controllerOf = controllerOf.get(i) ?? [];
      this.classes.push(p);
    });
    const n = this.classes.length;

    // Nodes (virtual pods have none).
    for (const c of this.classes) {
      if (c.kind === 'Virtual') continue;
      let node = this.nodeById.get(c.node);
      if (node === undefined) {
        node = {
          id: c.node,
          namespace: c.synthetic ? undefined : c.namespace,
          kind: c.kind,
          name: c.name,
          labels: labelsRecord(c.labels),
          classes: [],
          external: undefined,
        };
        this.nodeById.set(c.node, node);
        this.nodes.push(node);
      }
      (node.classes as number[]).push(c.index);
    }

    // Namespaces (rules 14, 25).
    const nsNames = new Set<string>([
      ...SYSTEM_NAMESPACES,
      ...declared.keys(),
      ...this.classes.map((c) => c.namespace),
      ...policies.map((p) => p.ns),
    ]);
    for (const e of options.externalNamespaces) nsNames.add(e.name);
    for (const name of [...nsNames].sort()) this.namespaces.set(name, { name, labels: namespaceLabels(name), classes: bits(n) });
    for (const c of this.classes) {
      const info = this.namespaces.get(c.namespace);
      if (info !== undefined) setBit(info.classes, c.index);
    }

    this.selectors = new SelectorIndex(this.classes.map((c) => c.labels));
    for (const c of this.classes)
      if (c.kind !== 'Virtual') for (const p of c.ports) if (isProtocol(p.protocol)) this.classPorts.push([p.protocol, p.containerPort]);
  }

  /**
   * The model after an edit that changed some pod producers in place (`Gathering.swappedProducers`:
   * the same identities, and every other object the model is built from the same): the last model
   * with those producers' classes rebuilt and its selector index patched, instead of classifying
   * every pod of the namespaces again (issue #21). Undefined when the edit changes more than the
   * contents of classes: how many a producer has, a node shared by several, an ingress
   * controller's or a Gateway data plane's classes.
   */
  static patch(previous: ClassModel, gathered: Gathered, swapped: ReadonlyMap<KObject, Placed>, ownerOf: OwnerOf): ClassModel | undefined {
    if (gathered.gateways.length > 0) return undefined;
    const old = new Map<KObject, PodClass[]>();
    for (const obj of swapped.keys()) {
      const list = previous.classIndicesOf(obj).flatMap((i) => previous.classes[i] ?? []);
      if (list.length > 0) old.set(obj, list);
    }
    const controllers = gathered.ingresses.length === 0 ? [] : previous.options.ingressControllers;
    // The same SidecarSets and namespaces as the last model's (an edit of either gathers afresh: gatherEdits.ts).
    const inject = sidecarInjector(gathered.sidecarSets, (ns) => previous.namespaces.get(ns)?.labels);
    const replaced = new Map<number, PodClass>();
    for (const [obj, placed] of swapped) {
      const before = old.get(obj) ?? [];
      const ns = before[0]?.namespace;
      if (ns === undefined) return undefined;
      const after = producerClasses(placed, ns, gathered.perPodUsed, ownerOf, inject);
      if (after.length !== before.length) return undefined;
      for (const [i, c] of after.entries()) {
        const was = before[i];
        if (was === undefined || was.node !== c.node || was.controllerOf.length > 0) return undefined;
        if (previous.nodeById.get(was.node)?.classes.length !== 1) return undefined;
        const want = controllers.filter((x) => x.namespace === ns).map((x) => Object.entries(x.podLabels));
        if (want.some((w) => w.length > 0 && w.every(([k, v]) => c.labels.known.get(k) === v))) return undefined;
        c.index = was.index;
        replaced.set(was.index, c);
      }
    }
    return new ClassModel(previous.options, gathered, ownerOf, { previous, replaced });
  }

  /** The classes of a pod producer object (several for a StatefulSet split per pod), in class order. */
  classIndicesOf(obj: KObject): readonly number[] {
    if (this.byObjectMap === undefined) {
      const map = new Map<KObject, number[]>();
      for (const c of this.classes) {
        if (c.obj === undefined) continue;
        const list = map.get(c.obj);
        if (list === undefined) map.set(c.obj, [c.index]);
        else list.push(c.index);
      }
      this.byObjectMap = new ForkMap(map);
    }
    return this.byObjectMap.get(obj) ?? [];
  }

  /** The classes of the namespaces a selector matches. */
  nsSelect(sel: Selector): TriBits {
    const k = selectorKey(sel);
    const hit = this.nsSelCache.get(k);
    if (hit !== undefined) return hit;
    const n = this.classes.length;
    const yes = bits(n);
    const maybe = bits(n);
    for (const ns of this.namespaces.values()) {
      const m = matchSelector(sel, ns.labels);
      if (m === 'yes') orInto(yes, ns.classes);
      else if (m === 'unknown') orInto(maybe, ns.classes);
    }
    const out = { yes, maybe };
    this.nsSelCache.set(k, out);
    return out;
  }

  /** The classes of one namespace. */
  nsClasses(ns: string): TriBits {
    const n = this.classes.length;
    return { yes: this.namespaces.get(ns)?.classes ?? bits(n), maybe: bits(n) };
  }

  private allClassesCache: Bits | undefined;
  private noClassesCache: TriBits | undefined;
  private maybeAllCache: TriBits | undefined;

  /** Shared, never mutated: no class. */
  noClasses(): TriBits {
    return (this.noClassesCache ??= { yes: bits(this.classes.length), maybe: bits(this.classes.length) });
  }

  /** Shared, never mutated: every class, undecided. */
  maybeAllClasses(): TriBits {
    return (this.maybeAllCache ??= { yes: bits(this.classes.length), maybe: this.allClasses() });
  }

  /** Every class (shared: never mutated). */
  allClasses(): Bits {
    if (this.allClassesCache === undefined) {
      const b = bits(this.classes.length);
      for (let i = 0; i < this.classes.length; i++) b[i >>> 5] = (b[i >>> 5] ?? 0) | (1 << (i & 31));
      this.allClassesCache = b;
    }
    return this.allClassesCache;
  }

  /**
   * Why verdicts involving this class are implementation-defined regardless of policies:
   * hostNetwork (rule 24) or Istio ambient mode (docs/dev/checks-spec.md G4), else undefined.
   */
  implementationDefined(c: number): string | undefined {
    const hit = this.implementationDefinedCache[c];
    if (hit !== undefined) return hit === false ? undefined : hit;
    const why = this.computeImplementationDefined(c);
    this.implementationDefinedCache[c] = why ?? false;
    return why;
  }

  private computeImplementationDefined(c: number): string | undefined {
    const cls = this.classes[c];
    if (cls === undefined) return undefined;
    if (this.options.hostNetwork === 'undefined' && cls.hostNetwork)
      return `${cls.node} uses hostNetwork: whether policies govern it is implementation-defined (semantics rule 24)`;
    const mode = cls.labels.known.get(AMBIENT_LABEL) ?? this.namespaces.get(cls.namespace)?.labels.known.get(AMBIENT_LABEL);
    if (mode === 'ambient')
      return `${cls.node} runs in Istio ambient mode, which tunnels pod traffic (HBONE, port 15008): policy verdicts are implementation-defined`;
    return undefined;
  }
}
