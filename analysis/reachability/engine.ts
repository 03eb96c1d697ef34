/**
 * The reachability engine (docs/dev/design.md §5, docs/dev/netpol-semantics.md). Nodes are pod classes (a workload's
 * replicas, a bare Pod, an owner's Pods, a StatefulSet ordinal when selectors tell them apart),
 * external address ranges and the ingress controller of each class. A connection is allowed iff
 * the source's egress side and the destination's ingress side both allow it, per protocol and
 * port atom. Verdicts the spec leaves open are `maybe` bits with a reason, never guessed.
 *
 * Pure: the lowered index in, plain data out.
 */

import type { Analysis } from '../host.js';
import type { PodLabels } from '../model/labels.js';
import { matchSelector, plainLabels, podLabelsOf } from '../model/labels.js';
import type { ContainerPort, KObject, NetworkPolicySpec, PolicyPeer, PolicyPort, PolicyRule, Selector } from '../model/types.js';
import { isCoreService, isIngress, isNamespace, isNetworkPolicy } from '../model/kinds.js';
import { ForkMap } from '../index/forkMap.js';
import type { Placed, WorkspaceIndex } from '../index/workspaceIndex.js';
import { SYSTEM_NAMESPACES } from '../index/workspaceIndex.js';
import type { AnalysisSettings, ExternalNamespace, IngressControllerSetting } from '../settings.js';
import type { Bits } from './bitset.js';
import { and, andNot, bits, equal, hasBit, isEmpty, or, orInto, setBit } from './bitset.js';
import type { IpRange, IpSet } from './ip.js';
import { IPV4_ALL, contains, formatIPv4, intersects, ipBlockSet, parseCidr, subtract, union } from './ip.js';
import type { PortSpace, Protocol } from './ports.js';
import { PROTOCOLS, PortCuts, isProtocol } from './ports.js';
import type { TriBits } from './selectors.js';
import { SelectorIndex, selectorKey } from './selectors.js';
import { parseFile } from '../syntax/parse.js';
import type { YNode } from '../syntax/tree.js';
import { get, getPath, isMap, isScalar, isSeq } from '../syntax/tree.js';

export interface EngineOptions {
  /** ipBlocks overlapping these leave pod→pod verdicts undefined; `[]` = ipBlocks never match pods. */
  readonly podCIDRs: readonly string[];
  /** `undefined`: every verdict involving a hostNetwork pod is undefined (rule 24); `ordinary`: like other pods. */
  readonly hostNetwork: 'undefined' | 'ordinary';
  /** `overwrite` (Kubernetes) or `ifAbsent` (netpol-analyzer) for `kubernetes.io/metadata.name`. */
  readonly namespaceNameLabel: 'overwrite' | 'ifAbsent';
  readonly ingressControllers: readonly IngressControllerSetting[];
  readonly externalNamespaces: readonly ExternalNamespace[];
  /** Keep only objects of this unit (a unit path) when variants exist. */
  readonly unit?: string | undefined;
  /** Pods the manifests do not show that diagnostics ask about (classes without a node). */
  readonly virtualPods?: readonly VirtualPod[] | undefined;
  /**
   * Keep only the objects bound to these namespaces (and the Namespace objects naming them).
   * Policies are namespaced, so a verdict between pods of these namespaces reads nothing else: it
   * equals the whole workspace's (at every port; atoms may be coarser). Diagnostics use it to pay
   * for the namespaces they judge, not the workspace.
   */
  readonly namespaces?: readonly string[] | undefined;
  /** The objects to build from instead of every object of the index (with `namespaces`: theirs, so a small engine does not walk the workspace). */
  readonly objects?: readonly Placed[] | undefined;
}

/**
 * A pod the manifests do not show but diagnostics ask about: cluster DNS, cert-manager's HTTP-01
 * solver, "some pod outside the namespace". It becomes a class of kind `Virtual` (synthetic, no
 * node, its ports are not cut points), judged by the same rules as every other class; it never
 * changes a verdict between other classes.
 */
export interface VirtualPod {
  /** Its class name (`PodClass.name`). */
  readonly id: string;
  /**
   * Where it runs: these namespaces; `policies`: every namespace with a NetworkPolicy; `unknown`: one
   * namespace the workspace does not know, whose labels are all unknown (not even its name).
   */
  readonly namespaces: readonly string[] | 'policies' | 'unknown';
  readonly labels: Readonly<Record<string, string>>;
  /** Other labels may exist (selectors on them are undecided). */
  readonly openLabels: boolean;
  readonly ports: readonly ContainerPort[];
  /** What it is in the user's words (`the cluster DNS pods`); explanations add `in NS`. */
  readonly description?: string | undefined;
}

/** The namespace of a `VirtualPod` whose namespace is `unknown`. */
export const UNKNOWN_NAMESPACE = '{unknown namespace}';

export function optionsFromSettings(s: AnalysisSettings): EngineOptions {
  return {
    podCIDRs: s.podCIDRs,
    hostNetwork: s.hostNetworkPods,
    namespaceNameLabel: 'overwrite',
    ingressControllers: s.ingressControllers,
    externalNamespaces: s.externalNamespaces,
  };
}

const NAME_LABEL = 'kubernetes.io/metadata.name';
const AMBIENT_LABEL = 'istio.io/dataplane-mode';
const PER_POD_KEYS = ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'];

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

interface NamespaceInfo {
  readonly name: string;
  readonly labels: PodLabels;
  classes: Bits;
}

/** A compiled peer element. */
interface CPeer {
  readonly index: number;
  readonly peer: PolicyPeer;
  readonly pods: TriBits;
  /** cidr minus except, when this is a valid ipBlock peer. */
  readonly ip: IpSet | undefined;
  readonly ipText: string | undefined;
  /** The ipBlock overlaps podCIDRs: whether it matches a pod is undefined. */
  readonly ipOverlapsPods: boolean;
  readonly unknown: boolean;
}

interface NamedPort {
  readonly name: string;
  readonly protocol: Protocol;
}

interface CPorts {
  readonly yes: Bits;
  readonly maybe: Bits;
  readonly named: readonly NamedPort[];
}

export interface CRule {
  /** Equal for rules with the same peers and ports (stable across engines that share a class model). */
  readonly contentId: number;
  readonly policy: CPolicy;
  readonly direction: 'ingress' | 'egress';
  readonly rule: PolicyRule;
  /** `from`/`to` absent or empty: every pod and every address. */
  readonly allPeers: boolean;
  readonly peers: readonly CPeer[];
  readonly ports: CPorts;
  readonly unknown: boolean;
}

export interface CPolicy {
  /** The content ids of its ingress / egress rules (equal for policies that allow the same). */
  readonly ingressKey: string;
  readonly egressKey: string;
  readonly obj: KObject;
  readonly namespace: string;
  readonly key: string;
  readonly spec: NetworkPolicySpec;
  readonly selected: TriBits;
  readonly ingress: readonly CRule[] | undefined;
  readonly egress: readonly CRule[] | undefined;
}

/** One side of a connection: a pod class or an address range. */
export type Peer = { readonly kind: 'class'; readonly index: number } | { readonly kind: 'ip'; readonly range: IpRange };

/** The verdict of one direction or one pair over all port atoms. */
export interface PortVerdict {
  readonly yes: Bits;
  readonly maybe: Bits;
  readonly reasons: readonly string[];
}

export interface Match {
  readonly rule: CRule;
  /** The peer element that matched; undefined when the rule has no `from`/`to`. */
  readonly peer: number | undefined;
  readonly undefinedReason: string | undefined;
}

export interface Selecting {
  readonly ingress: CPolicy[];
  readonly egress: CPolicy[];
  readonly ingressMaybe: CPolicy[];
  readonly egressMaybe: CPolicy[];
}

export interface SideExplanation {
  readonly direction: 'ingress' | 'egress';
  /** The policies that isolate this side (yes or maybe). */
  readonly isolating: readonly CPolicy[];
  readonly isolated: boolean;
  readonly yes: Bits;
  readonly maybe: Bits;
  readonly matches: readonly Match[];
  readonly reasons: readonly string[];
}

function triAnd(a: TriBits, b: TriBits): TriBits {
  const yes = and(a.yes, b.yes);
  const maybe = andNot(and(or(a.yes, a.maybe), or(b.yes, b.maybe)), yes);
  return { yes, maybe };
}

const perPodCache = new WeakMap<KObject, boolean>();

/** Does a policy select on StatefulSet per-pod labels (pod-name, pod-index)? */
function usesPerPodLabels(o: KObject): boolean {
  const hit = perPodCache.get(o);
  if (hit !== undefined) return hit;
  const np = o.networkPolicy;
  const sels: Selector[] = [];
  if (np?.podSelector !== undefined) sels.push(np.podSelector);
  for (const r of [...(np?.ingress ?? []), ...(np?.egress ?? [])])
    for (const pe of r.peers ?? []) if (pe.podSelector !== undefined) sels.push(pe.podSelector);
  const out = sels.some(
    (s) =>
      (s.matchLabels?.entries ?? []).some((e) => PER_POD_KEYS.includes(e.key)) ||
      s.matchExpressions.some((e) => PER_POD_KEYS.includes(e.key)),
  );
  perPodCache.set(o, out);
  return out;
}

/** Same elements, ignoring order and repeats (identity). */
function sameElements(a: readonly unknown[], b: readonly unknown[]): boolean {
  // Most often the same elements in the same order (no sets needed).
  if (a.length === b.length && a.every((x, i) => x === b[i])) return true;
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const x of sa) if (!sb.has(x)) return false;
  return true;
}

function portsKey(ports: readonly PolicyPort[] | undefined): string {
  if (ports === undefined) return '*';
  return ports
    .map(
      (p) =>
        `${p.protocol}:${p.port === undefined ? '*' : p.port.known ? String(p.port.value) + (typeof p.port.value === 'string' ? 'n' : '') : '?'}:${p.endPort === undefined ? '' : p.endPort.known ? p.endPort.value : '?'}`,
    )
    .join(',');
}

function nameOf(o: KObject): string | undefined {
  return o.name?.known === true ? o.name.value : undefined;
}

function placementNamespace(p: Placed, unit: string | undefined): string | undefined {
  for (const pl of p.placements) {
    if (unit !== undefined && pl.unit !== unit) continue;
    if (pl.namespace !== undefined) return pl.namespace;
  }
  return undefined;
}

function inUnit(p: Placed, unit: string | undefined): boolean {
  return unit === undefined || p.placements.some((pl) => pl.unit === unit);
}

function labelsRecord(l: PodLabels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...l.known.keys()].sort()) out[k] = l.known.get(k) ?? '';
  return out;
}

function rangeText(ip: IpSet): string {
  return ip.map((r) => (r.family === 4 ? `${formatIPv4(r.lo)}-${formatIPv4(r.hi)}` : `[v6]`)).join(',');
}

/** cidr minus except of a valid, known ipBlock peer (one without selectors); else undefined. */
const peerIpCache = new WeakMap<PolicyPeer, IpSet | null>();
function peerIpSet(peer: PolicyPeer): IpSet | undefined {
  const hit = peerIpCache.get(peer);
  if (hit !== undefined) return hit ?? undefined;
  const b = peer.ipBlock;
  let out: IpSet | undefined;
  if (
    b !== undefined &&
    !peer.unknown &&
    peer.podSelector === undefined &&
    peer.namespaceSelector === undefined &&
    b.cidr.known &&
    b.except.every((e) => e.known)
  ) {
    out = ipBlockSet(
      b.cidr.value,
      b.except.map((e) => (e.known ? e.value : '')),
    );
  }
  peerIpCache.set(peer, out ?? null);
  return out;
}

/** The object node at `span` (documents and List items), walking maps and sequences only. */
function nodeAt(n: YNode | undefined, start: number, end: number, depth = 0): YNode | undefined {
  if (n === undefined || depth > 4) return undefined;
  if (n.span.start === start && n.span.end === end) return n;
  if (n.span.start > start || n.span.end < end) return undefined;
  if (isSeq(n))
    for (const it of n.items) {
      const f = nodeAt(it, start, end, depth + 1);
      if (f !== undefined) return f;
    }
  if (isMap(n)) return nodeAt(get(n, 'items'), start, end, depth + 1);
  return undefined;
}

/** A compiled policy and the notes its compilation wrote. */
interface CompiledPolicy {
  readonly policy: CPolicy;
  readonly notes: readonly string[];
}

/** An object of a file as the engine sorts it: its role and identity (`group/kind/namespace/name`; a Namespace's name). */
interface PartEntry {
  readonly placed: Placed;
  readonly role: 'namespace' | 'install-time' | 'producer' | 'policy' | 'service' | 'ingress' | 'other';
  readonly id: string;
  readonly ns: string;
  /** A policy whose selectors use per-pod labels. */
  readonly perPodLabels: boolean;
  /** The cut points its ports add (policies and Services). */
  readonly cuts: readonly PortCut[];
}

/** A port range whose ends are cut points of the port space. */
type PortCut = readonly [Protocol, number, number];

/** The cut points a NetworkPolicy's or Service's ports add to the port space. */
function portCutsOf(o: KObject, role: PartEntry['role']): PortCut[] {
  const out: PortCut[] = [];
  if (role === 'policy') {
    const np = o.networkPolicy;
    for (const r of [...(np?.ingress ?? []), ...(np?.egress ?? [])]) {
      for (const pp of r.ports ?? []) {
        if (!isProtocol(pp.protocol) || pp.port === undefined || !pp.port.known || typeof pp.port.value !== 'number') continue;
        const end = pp.endPort?.known === true ? pp.endPort.value : pp.port.value;
        out.push([pp.protocol, pp.port.value, end]);
        if (pp.endPort !== undefined && !pp.endPort.known) out.push([pp.protocol, pp.port.value, 65535]);
      }
    }
  } else if (role === 'service') {
    for (const sp of o.service?.ports ?? []) {
      if (!isProtocol(sp.protocol)) continue;
      if (sp.port?.known === true) out.push([sp.protocol, sp.port.value, sp.port.value]);
      if (sp.targetPort?.known === true && typeof sp.targetPort.value === 'number')
        out.push([sp.protocol, sp.targetPort.value, sp.targetPort.value]);
    }
  }
  return out;
}

/** What one file contributes to the engine for a unit choice: its unit and objects in file order. */
interface FilePart {
  readonly uri: string;
  readonly unit: string;
  readonly entries: readonly PartEntry[];
  /** The index's array of the file's objects it was worked out from (the same while the file is unchanged). */
  readonly placed: readonly Placed[];
}

/**
 * The objects an engine is built from, one per identity, in (unit, file, position) order, and
 * what the class model's reuse is decided on.
 */
interface Gathered {
  readonly producers: ReadonlyArray<{ readonly placed: Placed; readonly ns: string }>;
  readonly policies: ReadonlyArray<{ readonly placed: Placed; readonly ns: string }>;
  readonly services: ReadonlyArray<{ readonly placed: Placed; readonly namespace: string }>;
  readonly ingresses: ReadonlyArray<{ readonly placed: Placed; readonly namespace: string }>;
  readonly declared: ReadonlyMap<string, KObject>;
  /** The notes gathering wrote (objects left out, variants). */
  readonly notes: readonly string[];
  /** The port cut points of the accepted policies and Services. */
  readonly cuts: ReadonlyArray<readonly PortCut[]>;
  readonly perPodUsed: boolean;
  /** Compared entry by entry with the last engine's to decide whether its class model is reused. */
  readonly fingerprint: readonly unknown[];
}

function sameCutList(a: readonly PortCut[], b: readonly PortCut[]): boolean {
  return a.length === b.length && a.every((c, i) => c[0] === b[i]?.[0] && c[1] === b[i]?.[1] && c[2] === b[i]?.[2]);
}

/** The options part of a `Gathered.fingerprint` (its first entries). */
function optionsPrint(options: EngineOptions): unknown[] {
  return [
    options.podCIDRs.join(','),
    options.hostNetwork,
    options.namespaceNameLabel,
    JSON.stringify(options.ingressControllers),
    JSON.stringify(options.externalNamespaces),
    options.unit,
    JSON.stringify(options.virtualPods ?? []),
    options.namespaces?.join(','),
  ];
}

/**
 * Whether the new part of a file differs from its old one only inside NetworkPolicies: the same
 * unit, the same entries (role, identity, namespace), every other object the same object, and the
 * policies adding the same port cut points and per-pod label use. Then the gathered objects of
 * the last engine hold with those policies swapped in.
 */
function policiesOnlyChanged(before: FilePart, after: FilePart): boolean {
  if (before.unit !== after.unit || before.entries.length !== after.entries.length) return false;
  return before.entries.every((a, i) => {
    const b = after.entries[i];
    if (b === undefined || a.role !== b.role || a.id !== b.id || a.ns !== b.ns) return false;
    if (a.role !== 'policy') return a.placed.obj === b.placed.obj;
    return a.perPodLabels === b.perPodLabels && sameCutList(a.cuts, b.cuts);
  });
}

function byUnitThenUri(a: FilePart | undefined, b: FilePart | undefined): number {
  const ua = a?.unit ?? '';
  const ub = b?.unit ?? '';
  const fa = a?.uri ?? '';
  const fb = b?.uri ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : fa < fb ? -1 : fa > fb ? 1 : 0;
}

function filePart(uri: string, placed: readonly Placed[], unit: string | undefined): FilePart {
  const list = placed.filter((p) => inUnit(p, unit)).sort((a, b) => a.obj.ordinal - b.obj.ordinal);
  const entries: PartEntry[] = [];
  for (const p of list) {
    const o = p.obj;
    const name = nameOf(o);
    if (isNamespace(o)) {
      if (name !== undefined) entries.push({ placed: p, role: 'namespace', id: name, ns: '', perPodLabels: false, cuts: [] });
      continue;
    }
    const ns = placementNamespace(p, unit);
    if (name === undefined || ns === undefined) {
      if (o.pod !== undefined || isNetworkPolicy(o))
        entries.push({ placed: p, role: 'install-time', id: '', ns: '', perPodLabels: false, cuts: [] });
      continue;
    }
    const role: PartEntry['role'] =
      o.pod !== undefined
        ? 'producer'
        : isNetworkPolicy(o) && o.networkPolicy !== undefined
          ? 'policy'
          : isCoreService(o) && o.service !== undefined
            ? 'service'
            : isIngress(o) && o.ingress !== undefined
              ? 'ingress'
              : 'other';
    entries.push({
      placed: p,
      role,
      id: `${o.group}/${o.kind}/${ns}/${name}`,
      ns,
      perPodLabels: role === 'policy' && usesPerPodLabels(o),
      cuts: portCutsOf(o, role),
    });
  }
  return { uri, unit: list[0]?.placements[0]?.unit ?? '', entries, placed };
}

export class ReachEngine {
  readonly classes: PodClass[] = [];
  readonly nodes: NodeInfo[] = [];
  readonly policies: CPolicy[] = [];
  readonly notes: string[] = [];
  readonly space: PortSpace;
  readonly services: ReadonlyArray<{ readonly placed: Placed; readonly namespace: string }>;
  readonly ingresses: ReadonlyArray<{ readonly placed: Placed; readonly namespace: string }>;
  readonly namespaces = new Map<string, NamespaceInfo>();
  private readonly nodeById = new Map<string, NodeInfo>();
  private readonly selectors: SelectorIndex;
  private readonly podCIDRs: IpSet;
  readonly rules: CRule[] = [];
  private readonly policiesByNs = new Map<string, CPolicy[]>();
  private readonly selectingCache: Array<Selecting | undefined> = [];
  private readonly namedCache = new Map<string, Bits>();
  private readonly namedUsed = new Map<string, NamedPort>();
  private groupsCache: { groupOf: Int32Array; reps: number[] } | undefined;
  readonly srcRanges: IpRange[];
  readonly dstRanges: IpRange[];

  /** The engine this one reused its class model from (caches shared with it). */
  readonly reused: boolean;
  private nsSelCacheShared: Map<string, TriBits>;
  private peerCacheShared: Map<string, TriBits>;
  private selectedCache: Map<string, TriBits>;
  private ruleIds: Map<string, number>;
  /** Behaviour groups of the engine this one reused, with the sets they were refined by. */
  private readonly previousGroups:
    { readonly input: readonly unknown[]; readonly result: { groupOf: Int32Array; reps: number[] } } | undefined;
  private groupsInput: unknown[] = [];
  /** Every declared container port of the classes (cut points; part of the reused class model). */
  private classPorts: Array<[Protocol, number]> = [];
  private readonly previousNamed: { readonly key: string; readonly cache: string[] } | undefined;
  private portsCacheShared: Map<string, CPorts>;
  /**
   * With a reused class model: the namespaces whose list of policies differs from the last
   * engine's (anything about a class elsewhere is as before). Undefined when nothing was reused.
   */
  readonly policyNamespacesChanged: ReadonlySet<string> | undefined;
  private readonly previousSelecting: ReadonlyArray<Selecting | undefined> | undefined;
  /** Per class: why its verdicts are implementation-defined, or false (part of the reused class model). */
  private implementationDefinedCache: Array<string | false> = [];
  /** Compiled policies by object, and those of the last engine when the class model and port space are the same. */
  private readonly compiled = new Map<KObject, CompiledPolicy>();
  private readonly previousCompiled: ReadonlyMap<KObject, CompiledPolicy> | undefined;
  /** What each file contributes (reused while the file's `placed` array is the same). */
  private partByUri = new ForkMap<string, FilePart>();
  /** The objects this engine was built from (the next engine starts from them after a policy edit). */
  private readonly gathered: Gathered;
  /** Whether its objects were the last engine's with edited policies swapped in (`afterPolicyEdit`). */
  builtFromPolicyEdit = false;
  /** Every file's part in the index's file order, and the (unit, file) order over them. */
  private partOrder: { readonly parts: readonly FilePart[]; readonly order: Int32Array } | undefined;

  /**
   * `previous`: the engine of the last snapshot. When pod producers, Namespaces, the presence of
   * Ingresses and the options are the same objects as then, its class model (classes, nodes,
   * namespaces, selector bitsets) and caches are reused, so an edit to a policy costs only the
   * policies and what depends on them (T8).
   */
  constructor(
    readonly analysis: Analysis,
    readonly options: EngineOptions,
    previous?: ReachEngine,
  ) {
    const index = analysis.index;
    const cidrs: IpRange[] = [];
    for (const c of options.podCIDRs) {
      const r = parseCidr(c);
      if (r === undefined) this.notes.push(`kubeReach.podCIDRs: "${c}" is not a CIDR`);
      else cidrs.push(r);
    }
    this.podCIDRs = union(cidrs, []);

    // Objects, one per identity: the first variant in unit order unless --unit picks one.
    const gathered = this.gather(index, previous);
    this.gathered = gathered;
    for (const n of gathered.notes) this.notes.push(n);
    this.services = gathered.services;
    this.ingresses = gathered.ingresses;
    const { producers, policies, declared, perPodUsed, ingresses } = gathered;
    const fingerprint = gathered.fingerprint;
    const before = previous?.gathered.fingerprint;
    const reuse =
      previous !== undefined &&
      before !== undefined &&
      (before === fingerprint || (before.length === fingerprint.length && before.every((x, i) => x === fingerprint[i])));
    this.reused = reuse;
    if (reuse) {
      for (const c of previous.classes) this.classes.push(c);
      for (const node of previous.nodes) {
        if (node.external !== undefined) continue;
        this.nodeById.set(node.id, node);
        this.nodes.push(node);
      }
      for (const [k, v] of previous.namespaces) this.namespaces.set(k, v);
      this.selectors = previous.selectors;
      this.nsSelCacheShared = previous.nsSelCacheShared;
      this.peerCacheShared = previous.peerCacheShared;
      this.selectedCache = previous.selectedCache;
      this.ruleIds = previous.ruleIds;
      this.implementationDefinedCache = previous.implementationDefinedCache;
      this.previousGroups = previous.groupsCache === undefined ? undefined : { input: previous.groupsInput, result: previous.groupsCache };
      this.previousNamed = previous.namedSigKey === undefined ? undefined : { key: previous.namedSigKey, cache: previous.namedSigCache };
    } else {
      this.ruleIds = new Map();
      this.previousGroups = undefined;
      this.previousNamed = undefined;
      this.nsSelCacheShared = new Map();
      this.peerCacheShared = new Map();
      this.selectedCache = new Map();
      this.selectors = this.buildClasses(producers, perPodUsed, ingresses, declared, policies);
    }

    // Port cut points: the classes' container ports, and the policy and Service ports (worked out
    // once per file version, `PartEntry.cuts`). The same lists as the last engine's give its space.
    if (reuse) this.classPorts = previous.classPorts;
    else
      for (const c of this.classes)
        if (c.kind !== 'Virtual') for (const p of c.ports) if (isProtocol(p.protocol)) this.classPorts.push([p.protocol, p.containerPort]);
    let space: PortSpace;
    if (reuse && gathered.cuts === previous.gathered.cuts) {
      space = previous.space;
    } else {
      const cuts = new PortCuts();
      for (const [proto, port] of this.classPorts) cuts.add(proto, port);
      for (const list of gathered.cuts) for (const [proto, lo, hi] of list) cuts.add(proto, lo, hi);
      space = cuts.freeze();
    }
    const sameSpace = reuse && (space === previous.space || previous.space.sameCuts(space));
    this.space = sameSpace ? previous.space : space;
    this.portsCacheShared = sameSpace ? previous.portsCacheShared : new Map();
    this.previousCompiled = sameSpace ? previous.compiled : undefined;

    // Policies.
    for (const { placed, ns } of policies) this.compilePolicy(placed.obj, ns);
    if (reuse) {
      const changed = new Set<string>();
      const same = (a: readonly CPolicy[] | undefined, b: readonly CPolicy[] | undefined): boolean =>
        a?.length === b?.length && (a ?? []).every((p, i) => p === b?.[i]);
      for (const ns of new Set([...this.policiesByNs.keys(), ...previous.policiesByNs.keys()]))
        if (!same(this.policiesByNs.get(ns), previous.policiesByNs.get(ns))) changed.add(ns);
      this.policyNamespacesChanged = changed;
      this.previousSelecting = previous.selectingCache;
    }
    // External ranges (docs/dev/design.md §6): cut separately for sources (ingress ipBlocks) and destinations.
    this.srcRanges = this.cutExternal('ingress');
    this.dstRanges = this.cutExternal('egress');
    const external = new Map<string, IpRange>();
    for (const r of [...this.srcRanges, ...this.dstRanges]) external.set(externalId(r), r);
    for (const [id, r] of [...external].sort()) {
      const node: NodeInfo = {
        id,
        namespace: undefined,
        kind: 'External',
        name: id.slice(0, -'[External]'.length),
        labels: {},
        classes: [],
        external: r,
      };
      this.nodeById.set(id, node);
      this.nodes.push(node);
    }
    this.nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * The objects to build from. Sorted by (unit, file, position): files are sorted, objects keep
   * their order within a file. What a file contributes is worked out once per version of the file
   * (`partByUri`); after an edit that changed only NetworkPolicies the last engine's objects are
   * taken with those policies swapped in (`afterPolicyEdit`). An engine over given objects or
   * namespaces (the checks' scoped engines) groups them afresh.
   */
  private gather(index: WorkspaceIndex, previous: ReachEngine | undefined): Gathered {
    const options = this.options;
    const unit = options.unit;
    const scope = options.namespaces === undefined ? undefined : new Set(options.namespaces);
    const parts: FilePart[] = [];
    if (options.objects === undefined && scope === undefined) {
      const quick = previous === undefined ? undefined : this.afterPolicyEdit(index, previous);
      if (quick !== undefined) return quick;
      const reuseParts =
        previous !== undefined &&
        previous.options.unit === unit &&
        previous.options.objects === undefined &&
        previous.options.namespaces === undefined;
      const known = reuseParts ? previous.partByUri : undefined;
      const files = index.objectsByFile();
      const byUri = known !== undefined && known.size === files.length ? known.fork() : new ForkMap<string, FilePart>();
      const all: FilePart[] = [];
      for (const f of files) {
        const old = known?.get(f.uri);
        const part = old !== undefined && old.placed === f.placed ? old : filePart(f.uri, f.placed, unit);
        if (byUri.get(f.uri) !== part) byUri.set(f.uri, part);
        all.push(part);
      }
      // A file added and another removed leave the removed one's part behind: start afresh then.
      this.partByUri = byUri.size === all.length ? byUri : new ForkMap(all.map((p) => [p.uri, p] as const));
      // The (unit, file) order of the last engine holds while every file keeps its place and unit.
      const before = reuseParts ? previous.partOrder : undefined;
      const sameOrder =
        before !== undefined &&
        before.parts.length === all.length &&
        all.every((p, i) => p.uri === before.parts[i]?.uri && p.unit === before.parts[i]?.unit);
      const order = sameOrder ? before.order : Int32Array.from(all.keys()).sort((x, y) => byUnitThenUri(all[x], all[y]));
      this.partOrder = { parts: all, order };
      for (const i of order) {
        const part = all[i];
        if (part !== undefined && part.entries.length > 0) parts.push(part);
      }
    } else {
      const byFile = new Map<string, Placed[]>();
      for (const p of options.objects ?? index.objects) {
        if (scope !== undefined && !scope.has((isNamespace(p.obj) ? nameOf(p.obj) : placementNamespace(p, unit)) ?? '')) continue;
        const list = byFile.get(p.obj.uri);
        if (list === undefined) byFile.set(p.obj.uri, [p]);
        else list.push(p);
      }
      for (const [uri, list] of byFile) {
        const part = filePart(uri, list, unit);
        if (part.entries.length > 0) parts.push(part);
      }
      parts.sort(byUnitThenUri);
    }
    const seen = new Set<string>();
    const producers: Array<{ placed: Placed; ns: string }> = [];
    const policies: Array<{ placed: Placed; ns: string }> = [];
    const services: Array<{ placed: Placed; namespace: string }> = [];
    const ingresses: Array<{ placed: Placed; namespace: string }> = [];
    const declared = new Map<string, KObject>();
    let variantsSeen = false;
    let installTime = 0;
    let perPodUsed = false;
    const cuts: Array<readonly PortCut[]> = [];
    for (const part of parts) {
      for (const e of part.entries) {
        if (e.role === 'namespace') {
          if (!declared.has(e.id)) declared.set(e.id, e.placed.obj);
          continue;
        }
        if (e.role === 'install-time') {
          installTime++;
          continue;
        }
        if (seen.has(e.id)) {
          variantsSeen = true;
          continue;
        }
        seen.add(e.id);
        if (e.cuts.length > 0) cuts.push(e.cuts);
        if (e.role === 'producer') producers.push({ placed: e.placed, ns: e.ns });
        else if (e.role === 'policy') {
          policies.push({ placed: e.placed, ns: e.ns });
          // Do selectors tell StatefulSet pods apart (docs/dev/design.md §5 per-pod labels)?
          perPodUsed ||= e.perPodLabels;
        } else if (e.role === 'service') services.push({ placed: e.placed, namespace: e.ns });
        else if (e.role === 'ingress') ingresses.push({ placed: e.placed, namespace: e.ns });
      }
    }
    const notes: string[] = [];
    if (installTime > 0)
      notes.push(
        `${installTime} pod producer(s) or NetworkPolicies have a name or namespace decided at install time (templates, Helm release namespace); they are left out`,
      );
    if (variantsSeen && unit === undefined)
      notes.push('several variants of some objects exist; the first unit in path order was used (pick one with --unit)');
    const fingerprint: unknown[] = [
      ...optionsPrint(options),
      perPodUsed,
      ingresses.length > 0,
      [...new Set(policies.map((p) => p.ns))].sort().join(','),
    ];
    for (const d of declared.values()) fingerprint.push(d);
    for (const p of producers) fingerprint.push(p.placed.obj, p.ns);
    return { producers, policies, services, ingresses, declared, notes, cuts, perPodUsed, fingerprint };
  }

  /**
   * The last engine's objects with the edited NetworkPolicies swapped in, when the index says which
   * files changed since that engine and each of them changed only inside NetworkPolicies (same
   * identities, same port cut points: `policiesOnlyChanged`); undefined otherwise. Costs the
   * changed files and one pass over the policies, not the workspace.
   */
  private afterPolicyEdit(index: WorkspaceIndex, previous: ReachEngine): Gathered | undefined {
    const options = this.options;
    const was = previous.options;
    if (was.objects !== undefined || was.namespaces !== undefined || was.unit !== options.unit) return undefined;
    const changed = index.changedSince(previous.analysis.index);
    // Beyond a few files the workspace pass is as quick, and most such edits are not policy-only.
    if (changed === undefined || changed.size > 16) return undefined;
    const print = optionsPrint(options);
    if (print.some((x, i) => x !== previous.gathered.fingerprint[i])) return undefined;
    const byUri = previous.partByUri.fork();
    const swaps = new Map<KObject, PartEntry>();
    for (const uri of changed) {
      const before = previous.partByUri.get(uri);
      const placed = index.untracked(() => index.objectsOfFile(uri));
      if (before === undefined || placed.length === 0) return undefined;
      const after = before.placed === placed ? before : filePart(uri, placed, options.unit);
      if (!policiesOnlyChanged(before, after)) return undefined;
      byUri.set(uri, after);
      after.entries.forEach((e, i) => {
        const old = before.entries[i];
        if (old !== undefined && old.placed.obj !== e.placed.obj) swaps.set(old.placed.obj, e);
      });
    }
    this.partByUri = byUri;
    this.builtFromPolicyEdit = true;
    // Every file keeps its unit and place, so the last (unit, file) order holds.
    this.partOrder = previous.partOrder;
    const g = previous.gathered;
    if (swaps.size === 0) return g;
    // Identities are unchanged, so the same entries win over their variants as before.
    const policies = g.policies.map((p) => {
      const e = swaps.get(p.placed.obj);
      return e === undefined ? p : { placed: e.placed, ns: e.ns };
    });
    return { ...g, policies };
  }

  /** Pod classes, nodes, namespaces and the selector index (the class model). */
  private buildClasses(
    producers: ReadonlyArray<{ placed: Placed; ns: string }>,
    perPodUsed: boolean,
    ingresses: ReadonlyArray<{ placed: Placed; namespace: string }>,
    declared: ReadonlyMap<string, KObject>,
    policies: ReadonlyArray<{ placed: Placed; ns: string }>,
  ): SelectorIndex {
    const options = this.options;
    // Pod classes.
    // Classes as they are found; index and controllerOf are filled in below (no copy per class).
    const pending: Array<{ -readonly [K in keyof PodClass]: PodClass[K] }> = [];
    for (const { placed, ns } of producers) {
      const o = placed.obj;
      const pod = o.pod;
      const name = nameOf(o);
      if (pod === undefined || name === undefined) continue;
      const isPod = o.group === '' && o.kind === 'Pod';
      const owner = isPod ? this.ownerOf(o) : undefined;
      const node = isPod ? (owner !== undefined ? `${ns}/${owner.name}[${owner.kind}]` : `${ns}/${name}[Pod]`) : `${ns}/${name}[${o.kind}]`;
      const nodeKind = isPod ? (owner?.kind ?? 'Pod') : o.kind;
      const nodeName = isPod ? (owner?.name ?? name) : name;
      const labels = podLabelsOf(pod);
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
            ports: pod.ports,
            portsUnknown: pod.portsUnknown,
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
          ports: pod.ports,
          portsUnknown: pod.portsUnknown,
          hostNetwork,
          multi,
          ordinal: undefined,
          synthetic: false,
          index: 0,
          controllerOf: [],
        });
      }
    }
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
          labels: plainLabels(new Map(Object.entries(v.labels)), v.openLabels),
          ports,
          portsUnknown: false,
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
    for (const name of [...nsNames].sort()) {
      if (name === UNKNOWN_NAMESPACE) {
        this.namespaces.set(name, { name, labels: plainLabels(new Map(), true), classes: bits(n) });
        continue;
      }
      const labels = new Map<string, string>();
      const decl = declared.get(name);
      for (const e of decl?.labels?.entries ?? []) if (e.value.known) labels.set(e.key, e.value.value);
      for (const e of options.externalNamespaces) if (e.name === name) for (const [k, v] of Object.entries(e.labels)) labels.set(k, v);
      if (options.namespaceNameLabel === 'overwrite' || !labels.has(NAME_LABEL)) labels.set(NAME_LABEL, name);
      this.namespaces.set(name, { name, labels: plainLabels(labels, decl?.labels?.unknown === true), classes: bits(n) });
    }
    for (const c of this.classes) {
      const info = this.namespaces.get(c.namespace);
      if (info !== undefined) setBit(info.classes, c.index);
    }

    return new SelectorIndex(this.classes.map((c) => c.labels));
  }

  private readonly parsedFiles = new Map<string, ReturnType<typeof parseFile>>();

  /**
   * A Pod's controller: its controller ownerReference. A Node owner (static/mirror pods) is not
   * a controller of pods; an ownerReference without `kind` names the owner as a Pod (the API
   * requires the field; netpol-analyzer's naming is kept for such manifests).
   */
  private ownerOf(o: KObject): { kind: string; name: string } | undefined {
    const owner = o.pod?.owner;
    if (owner !== undefined) return owner.kind === 'Node' ? undefined : owner;
    if (this.analysis.text(o.uri)?.includes('ownerReferences') !== true) return undefined;
    const refs = getPath(this.objectNode(o), 'metadata', 'ownerReferences');
    if (!isSeq(refs)) return undefined;
    for (const r of refs.items) {
      const ctrl = get(r, 'controller');
      const name = get(r, 'name');
      if (get(r, 'kind') !== undefined || !isScalar(name) || typeof name.value !== 'string') continue;
      if (isScalar(ctrl) && ctrl.value === true) return { kind: 'Pod', name: name.value };
    }
    return undefined;
  }

  /** The syntax tree of one object, for the few fields the lowered model leaves out (parsed on demand). */
  objectNode(o: KObject): YNode | undefined {
    const text = this.analysis.text(o.uri);
    if (text === undefined) return undefined;
    let parsed = this.parsedFiles.get(o.uri);
    if (parsed === undefined) {
      parsed = this.analysis.parse(o.uri, text);
      this.parsedFiles.set(o.uri, parsed);
    }
    return nodeAt(parsed.documents[o.docIndex]?.root, o.span.start, o.span.end);
  }

  node(id: string): NodeInfo | undefined {
    return this.nodeById.get(id);
  }

  get selectorEvaluations(): number {
    return this.selectors.evaluations;
  }

  private nsSelect(sel: Selector): TriBits {
    const k = selectorKey(sel);
    const hit = this.nsSelCacheShared.get(k);
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
    this.nsSelCacheShared.set(k, out);
    return out;
  }

  private nsClasses(ns: string): TriBits {
    const n = this.classes.length;
    return { yes: this.namespaces.get(ns)?.classes ?? bits(n), maybe: bits(n) };
  }

  /**
   * A policy compiled against this class model and port space; reused from the last engine when
   * both are the same (only the edited policies are compiled again after an edit).
   */
  private compilePolicy(obj: KObject, ns: string): void {
    const hit = this.previousCompiled?.get(obj);
    const compiled = hit !== undefined && hit.policy.namespace === ns ? hit : this.compileNewPolicy(obj, ns);
    if (compiled === undefined) return;
    this.compiled.set(obj, compiled);
    const policy = compiled.policy;
    for (const n of compiled.notes) this.notes.push(n);
    for (const r of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
      this.rules.push(r);
      for (const np of r.ports.named) this.namedUsed.set(`${np.protocol}/${np.name}`, np);
    }
    this.policies.push(policy);
    const list = this.policiesByNs.get(ns);
    if (list === undefined) this.policiesByNs.set(ns, [policy]);
    else list.push(policy);
  }

  private compileNewPolicy(obj: KObject, ns: string): CompiledPolicy | undefined {
    const spec = obj.networkPolicy;
    const name = nameOf(obj);
    if (spec === undefined || name === undefined) return undefined;
    const n = this.classes.length;
    const notesBefore = this.notes.length;
    // A missing podSelector decodes as the empty selector: every pod of the namespace (rule 2).
    const selKey = `${ns}|${spec.podSelector === undefined ? '{}' : selectorKey(spec.podSelector)}`;
    let sel = this.selectedCache.get(selKey);
    if (sel === undefined) {
      sel =
        spec.podSelector === undefined
          ? { yes: this.nsClasses(ns).yes, maybe: bits(n) }
          : triAnd(this.selectors.evaluate(spec.podSelector), this.nsClasses(ns));
      this.selectedCache.set(selKey, sel);
    }
    const selected = spec.unknown ? { yes: bits(n), maybe: or(sel.yes, sel.maybe) } : sel;
    const policy: CPolicy = {
      ingressKey: '',
      egressKey: '',
      obj,
      namespace: ns,
      key: `${ns}/${name}`,
      spec,
      selected,
      ingress: undefined,
      egress: undefined,
    };
    const mutable = policy as { ingress: CRule[] | undefined; egress: CRule[] | undefined };
    const keys = policy as { ingressKey: string; egressKey: string };
    if (spec.policyTypes.includes('Ingress')) {
      mutable.ingress = (spec.ingress ?? []).map((r) => this.compileRule(policy, 'ingress', r));
      keys.ingressKey = mutable.ingress.map((r) => r.contentId).join('.');
    }
    if (spec.policyTypes.includes('Egress')) {
      mutable.egress = (spec.egress ?? []).map((r) => this.compileRule(policy, 'egress', r));
      keys.egressKey = mutable.egress.map((r) => r.contentId).join('.');
    }
    return { policy, notes: this.notes.splice(notesBefore) };
  }

  /** The policies that select a class, per direction, surely or maybe (computed on first use). */
  selectingOf(c: number): Selecting {
    const hit = this.selectingCache[c];
    if (hit !== undefined) return hit;
    const cls = this.classes[c];
    const before =
      cls === undefined || this.policyNamespacesChanged?.has(cls.namespace) !== false ? undefined : this.previousSelecting?.[c];
    if (before !== undefined) return (this.selectingCache[c] = before);
    const out: Selecting = { ingress: [], egress: [], ingressMaybe: [], egressMaybe: [] };
    for (const p of cls === undefined ? [] : (this.policiesByNs.get(cls.namespace) ?? [])) {
      const yes = hasBit(p.selected.yes, c);
      if (!yes && !hasBit(p.selected.maybe, c)) continue;
      if (p.spec.policyTypes.includes('Ingress')) (yes ? out.ingress : out.ingressMaybe).push(p);
      if (p.spec.policyTypes.includes('Egress')) (yes ? out.egress : out.egressMaybe).push(p);
    }
    this.selectingCache[c] = out;
    return out;
  }

  private compileRule(policy: CPolicy, direction: 'ingress' | 'egress', rule: PolicyRule): CRule {
    const peers: CPeer[] = [];
    const peerKeys: string[] = [];
    (rule.peers ?? []).forEach((peer, i) => {
      let peerKey = 'X';
      let pods: TriBits = this.noClasses();
      let ip: IpSet | undefined;
      let ipText: string | undefined;
      let ipOverlapsPods = false;
      const hasSel = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
      if (peer.unknown) {
        peerKey = 'U';
        pods = this.maybeAllClasses();
      } else if (peer.ipBlock !== undefined && !hasSel) {
        const b = peer.ipBlock;
        if (b.cidr.known && b.except.every((e) => e.known)) {
          ip = ipBlockSet(
            b.cidr.value,
            b.except.map((e) => (e.known ? e.value : '')),
          );
          ipText = b.cidr.value + (b.except.length > 0 ? ` except ${b.except.map((e) => (e.known ? e.value : '?')).join(', ')}` : '');
          peerKey = `ip:${ipText}`;
          if (ip === undefined) this.notes.push(`${policy.key}: ipBlock ${ipText} is not a valid CIDR; it matches nothing`);
          else if (intersects(ip, this.podCIDRs)) {
            ipOverlapsPods = true;
            pods = this.maybeAllClasses();
          }
        } else {
          peerKey = 'U';
          pods = this.maybeAllClasses();
        }
      } else if (hasSel && peer.ipBlock === undefined) {
        const k = `${peer.namespaceSelector === undefined ? `ns:${policy.namespace}` : `nsSel:${selectorKey(peer.namespaceSelector)}`}|${peer.podSelector === undefined ? '-' : selectorKey(peer.podSelector)}`;
        peerKey = `sel:${k}`;
        const hit = this.peerCacheShared.get(k);
        if (hit !== undefined) pods = hit;
        else {
          const podPart = peer.podSelector !== undefined ? this.selectors.evaluate(peer.podSelector) : undefined;
          if (peer.namespaceSelector !== undefined) {
            const nsPart = this.nsSelect(peer.namespaceSelector);
            pods = podPart === undefined ? nsPart : triAnd(podPart, nsPart);
          } else if (podPart !== undefined) {
            pods = triAnd(podPart, this.nsClasses(policy.namespace));
          }
          this.peerCacheShared.set(k, pods);
        }
      } else {
        // `{}` or ipBlock with a selector: the API server rejects it (rule 10); it matches nothing.
        this.notes.push(
          `${policy.key}: ${rule.path}.${direction === 'ingress' ? 'from' : 'to'}[${i}] is not a valid peer; it matches nothing`,
        );
      }
      peerKeys.push(peerKey);
      peers.push({ index: i, peer, pods, ip, ipText, ipOverlapsPods, unknown: peer.unknown });
    });
    const contentKey = `${direction}|${rule.unknown ? 'U' : ''}|${rule.peers === undefined ? '*' : peerKeys.join(';')}|${portsKey(rule.ports)}`;
    let contentId = this.ruleIds.get(contentKey);
    if (contentId === undefined) this.ruleIds.set(contentKey, (contentId = this.ruleIds.size));
    const c: CRule = {
      contentId,
      policy,
      direction,
      rule,
      allPeers: rule.peers === undefined,
      peers,
      ports: this.compilePorts(rule.ports),
      unknown: rule.unknown,
    };
    return c;
  }

  private allClassesCache: Bits | undefined;
  private noClassesCache: TriBits | undefined;
  private maybeAllCache: TriBits | undefined;

  /** Shared, never mutated: no class. */
  private noClasses(): TriBits {
    return (this.noClassesCache ??= { yes: bits(this.classes.length), maybe: bits(this.classes.length) });
  }

  /** Shared, never mutated: every class, undecided. */
  private maybeAllClasses(): TriBits {
    return (this.maybeAllCache ??= { yes: bits(this.classes.length), maybe: this.allClasses() });
  }

  /** Every class (shared: never mutated). */
  private allClasses(): Bits {
    if (this.allClassesCache === undefined) {
      const b = bits(this.classes.length);
      for (let i = 0; i < this.classes.length; i++) b[i >>> 5] = (b[i >>> 5] ?? 0) | (1 << (i & 31));
      this.allClassesCache = b;
    }
    return this.allClassesCache;
  }

  private compilePorts(ports: readonly PolicyPort[] | undefined): CPorts {
    const k = portsKey(ports);
    let out = this.portsCacheShared.get(k);
    if (out === undefined) {
      out = this.compilePortsUncached(ports);
      this.portsCacheShared.set(k, out);
    }
    return out;
  }

  private compilePortsUncached(ports: readonly PolicyPort[] | undefined): CPorts {
    const sp = this.space;
    if (ports === undefined) return { yes: sp.all(), maybe: sp.empty(), named: [] };
    let yes = sp.empty();
    let maybe = sp.empty();
    const named: NamedPort[] = [];
    for (const p of ports) {
      if (!isProtocol(p.protocol)) continue;
      if (p.port === undefined) yes = or(yes, sp.protocol(p.protocol));
      else if (!p.port.known) maybe = or(maybe, sp.protocol(p.protocol));
      else if (typeof p.port.value === 'number') {
        if (p.endPort !== undefined && !p.endPort.known) {
          yes = or(yes, sp.range(p.protocol, p.port.value, p.port.value));
          maybe = or(maybe, sp.range(p.protocol, p.port.value, 65535));
        } else {
          yes = or(yes, sp.range(p.protocol, p.port.value, p.endPort?.known === true ? p.endPort.value : p.port.value));
        }
      } else named.push({ name: p.port.value, protocol: p.protocol });
    }
    return { yes, maybe: andNot(maybe, yes), named };
  }

  /** The rule's ports towards a destination: named ports resolve on the destination pod only (rule 22). */
  rulePorts(rule: CRule, dst: Peer): { yes: Bits; maybe: Bits; reason: string | undefined } {
    const p = rule.ports;
    const templated = isEmpty(p.maybe) ? undefined : `${ruleWords(rule)}: a port is templated`;
    if (p.named.length === 0 || dst.kind === 'ip') return { yes: p.yes, maybe: p.maybe, reason: templated };
    const key = `${rule.contentId}:${dst.index}`;
    let yes = this.namedCache.get(key);
    if (yes === undefined) {
      yes = p.yes.slice();
      const cls = this.classes[dst.index];
      for (const np of p.named) {
        for (const cp of cls?.ports ?? []) {
          if (cp.name === np.name && cp.protocol === np.protocol) setBit(yes, this.space.atomOf(np.protocol, cp.containerPort));
        }
      }
      this.namedCache.set(key, yes);
    }
    let maybe = p.maybe;
    let reason = templated;
    const cls = this.classes[dst.index];
    if (cls?.portsUnknown === true) {
      for (const np of p.named) maybe = or(maybe, this.space.protocol(np.protocol));
      reason = `the container ports of ${cls.node} are templated or unreadable, so named port ${p.named.map((x) => x.name).join(', ')} may resolve on it`;
    }
    return { yes, maybe: andNot(maybe, yes), reason };
  }

  /** Does the rule's peer list match `peer`? */
  private peerMatch(rule: CRule, peer: Peer): { tri: 'yes' | 'maybe' | 'no'; peer: number | undefined; reason: string | undefined } {
    if (rule.unknown) return { tri: 'maybe', peer: undefined, reason: `${ruleWords(rule)} is templated` };
    if (rule.allPeers) return { tri: 'yes', peer: undefined, reason: undefined };
    let best: { tri: 'yes' | 'maybe' | 'no'; peer: number | undefined; reason: string | undefined } = {
      tri: 'no',
      peer: undefined,
      reason: undefined,
    };
    for (const p of rule.peers) {
      if (peer.kind === 'class') {
        if (hasBit(p.pods.yes, peer.index)) return { tri: 'yes', peer: p.index, reason: undefined };
        if (best.tri === 'no' && hasBit(p.pods.maybe, peer.index)) {
          const reason = p.ipOverlapsPods
            ? `ipBlock ${p.ipText ?? ''} overlaps kubeReach.podCIDRs: whether it matches a pod is undefined (semantics rule 15)`
            : `${ruleWords(rule, p.index)}: a selector depends on a templated or per-pod value`;
          best = { tri: 'maybe', peer: p.index, reason };
        }
      } else {
        if (p.unknown) {
          if (best.tri === 'no') best = { tri: 'maybe', peer: p.index, reason: `${ruleWords(rule, p.index)} is templated` };
          continue;
        }
        if (p.ip !== undefined && contains(p.ip, peer.range.family, peer.range.lo) && contains(p.ip, peer.range.family, peer.range.hi))
          return { tri: 'yes', peer: p.index, reason: undefined };
      }
    }
    return best;
  }

  /**
   * One side of a connection: `target` is the pod whose policies decide (the destination for
   * ingress, the source for egress); `other` is the far end; `dst` is where ports resolve.
   */
  side(direction: 'ingress' | 'egress', target: number, other: Peer, dst: Peer, explain = false): SideExplanation {
    const sp = this.space;
    const sel = this.selectingOf(target);
    const isolating = direction === 'ingress' ? sel.ingress : sel.egress;
    const maybeIsolating = direction === 'ingress' ? sel.ingressMaybe : sel.egressMaybe;
    if (isolating.length === 0 && maybeIsolating.length === 0) {
      return { direction, isolating: [], isolated: false, yes: sp.all(), maybe: sp.empty(), matches: [], reasons: [] };
    }
    let yes = sp.empty();
    let maybe = sp.empty();
    const matches: Match[] = [];
    const reasons: string[] = [];
    for (const pol of [...isolating, ...maybeIsolating]) {
      const surely = isolating.includes(pol);
      for (const rule of (direction === 'ingress' ? pol.ingress : pol.egress) ?? []) {
        const m = this.peerMatch(rule, other);
        if (m.tri === 'no') continue;
        const ports = this.rulePorts(rule, dst);
        if (m.tri === 'yes' && surely) {
          yes = or(yes, ports.yes);
          maybe = or(maybe, ports.maybe);
        } else {
          maybe = or(maybe, or(ports.yes, ports.maybe));
        }
        if (m.reason !== undefined) reasons.push(m.reason);
        if (ports.reason !== undefined && !isEmpty(ports.maybe)) reasons.push(ports.reason);
        if (explain) matches.push({ rule, peer: m.peer, undefinedReason: m.tri === 'maybe' ? m.reason : undefined });
      }
    }
    if (isolating.length === 0) {
      // Only policies whose selector is unknown might isolate: everything else is undefined.
      maybe = andNot(sp.all(), yes);
      reasons.push(`whether ${maybeIsolating.map((p) => p.key).join(', ')} selects the pod depends on a templated value`);
    }
    return { direction, isolating: [...isolating, ...maybeIsolating], isolated: true, yes, maybe: andNot(maybe, yes), matches, reasons };
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

  /** The verdict for one connection from `src` to `dst` over every port atom. */
  pair(src: Peer, dst: Peer): PortVerdict {
    const sp = this.space;
    for (const p of [src, dst]) {
      const why = p.kind === 'class' ? this.implementationDefined(p.index) : undefined;
      if (why !== undefined) return { yes: sp.empty(), maybe: sp.all(), reasons: [why] };
    }
    const ing = dst.kind === 'class' ? this.side('ingress', dst.index, src, dst) : undefined;
    const eg = src.kind === 'class' ? this.side('egress', src.index, dst, dst) : undefined;
    const inAny = ing === undefined ? sp.all() : or(ing.yes, ing.maybe);
    const egAny = eg === undefined ? sp.all() : or(eg.yes, eg.maybe);
    const yes = and(ing?.yes ?? sp.all(), eg?.yes ?? sp.all());
    const maybe = andNot(and(inAny, egAny), yes);
    const reasons = isEmpty(maybe) ? [] : [...new Set([...(ing?.reasons ?? []), ...(eg?.reasons ?? [])])];
    return { yes, maybe, reasons };
  }

  /**
   * The external nodes of one side (netpol-analyzer's cut, test/conformance/README.md): 0.0.0.0/0
   * cut at the bounds of every valid ipBlock (cidr minus except) of every policy's `from` (sources)
   * or `to` (destinations), whether or not `policyTypes` leaves that section active, and adjacent
   * pieces in the same blocks merged. Verdicts do not depend on the inactive blocks; the names do.
   */
  private cutExternal(direction: 'ingress' | 'egress'): IpRange[] {
    const sets: IpSet[] = [];
    for (const pol of this.policies) {
      for (const rule of (direction === 'ingress' ? pol.spec.ingress : pol.spec.egress) ?? []) {
        for (const peer of rule.peers ?? []) {
          const ip = peerIpSet(peer);
          if (ip !== undefined) sets.push(ip.filter((x) => x.family === 4));
        }
      }
    }
    const points = new Set<bigint>([0n]);
    for (const s of sets)
      for (const r of s) {
        points.add(r.lo);
        if (r.hi < IPV4_ALL.hi) points.add(r.hi + 1n);
      }
    const starts = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const out: IpRange[] = [];
    let lastSig = '';
    starts.forEach((lo, i) => {
      const next = starts[i + 1];
      const hi = next === undefined ? IPV4_ALL.hi : next - 1n;
      const sig = sets.map((s) => (contains(s, 4, lo) ? '1' : '0')).join('');
      const last = out[out.length - 1];
      if (last !== undefined && sig === lastSig) out[out.length - 1] = { family: 4, lo: last.lo, hi };
      else out.push({ family: 4, lo, hi });
      lastSig = sig;
    });
    return out;
  }

  /**
   * Groups classes that behave identically as source and destination (docs/dev/design.md §5: no pod × pod
   * matrix): partition refinement by every distinct set a verdict can depend on — namespace,
   * selection by each policy, membership in each peer, named-port resolution — plus singletons
   * for classes whose verdicts are implementation-defined or whose ports are unreadable.
   */
  behaviourGroups(): { groupOf: Int32Array; reps: number[] } {
    if (this.groupsCache !== undefined) return this.groupsCache;
    // The sets the partition is refined by; the same sets as last time give the same groups.
    const sets: Bits[] = [];
    const add = (b: Bits): void => {
      if (!isEmpty(b)) sets.push(b);
    };
    for (const p of this.policies) {
      add(p.selected.yes);
      add(p.selected.maybe);
    }
    for (const r of this.rules) {
      for (const p of r.peers) {
        add(p.pods.yes);
        add(p.pods.maybe);
      }
    }
    const input: unknown[] = [[...this.namedUsed.keys()].sort().join(','), ...sets];
    this.groupsInput = input;
    const prev = this.previousGroups;
    if (prev !== undefined && sameElements(prev.input, input)) {
      this.groupsCache = prev.result;
      return prev.result;
    }
    const n = this.classes.length;
    let groupOf = new Int32Array(n);
    let count = 1;
    const seenSets = new Map<number, Bits[]>();
    const refineBy = (value: (c: number) => number | string): void => {
      const next = new Int32Array(n);
      const ids = new Map<string, number>();
      for (let c = 0; c < n; c++) {
        const k = `${groupOf[c] ?? 0}|${value(c)}`;
        let g = ids.get(k);
        if (g === undefined) ids.set(k, (g = ids.size));
        next[c] = g;
      }
      groupOf = next;
      count = ids.size;
    };
    const refineBits = (b: Bits): void => {
      let h = 0x811c9dc5;
      for (let i = 0; i < b.length; i++) h = Math.imul(h ^ (b[i] ?? 0), 16777619) >>> 0;
      const same = seenSets.get(h);
      if (same !== undefined && same.some((x) => equal(x, b))) return;
      if (same === undefined) seenSets.set(h, [b]);
      else same.push(b);
      const remap = new Int32Array(count * 2).fill(-1);
      let next = 0;
      for (let c = 0; c < n; c++) {
        const slot = (groupOf[c] ?? 0) * 2 + ((((b[c >>> 5] ?? 0) >>> (c & 31)) & 1) === 1 ? 1 : 0);
        let g = remap[slot] ?? -1;
        if (g === -1) remap[slot] = g = next++;
        groupOf[c] = g;
      }
      count = next;
    };
    const nsIndex = new Map([...this.namespaces.keys()].map((ns, i) => [ns, i]));
    refineBy((c) => {
      const cls = this.classes[c];
      if (cls === undefined) return 0;
      const special = this.implementationDefined(c) !== undefined || cls.portsUnknown;
      return special ? `u${c}` : (nsIndex.get(cls.namespace) ?? -1);
    });
    for (const b of sets) refineBits(b);
    if (this.namedUsed.size > 0) refineBy((c) => this.namedSignature(c));
    const reps: number[] = new Array<number>(count).fill(-1);
    for (let c = 0; c < n; c++) {
      const g = groupOf[c] ?? 0;
      if (reps[g] === -1) reps[g] = c;
    }
    this.groupsCache = { groupOf, reps };
    return this.groupsCache;
  }

  /** How the named ports that rules use resolve on this class (`name/proto=port+port;…`). */
  namedSignature(c: number): string {
    if (this.namedUsed.size === 0) return '';
    if (this.namedSigKey === undefined) {
      // Named ports are all known once the constructor has run; reuse the last engine's answers.
      const key = [...this.namedUsed.keys()].join(',');
      this.namedSigKey = key;
      this.namedSigCache = this.reused && this.previousNamed?.key === key ? this.previousNamed.cache : [];
    }
    const hit = this.namedSigCache[c];
    if (hit !== undefined) return hit;
    const sig = this.computeNamedSignature(c);
    this.namedSigCache[c] = sig;
    return sig;
  }

  private namedSigCache: string[] = [];
  private namedSigKey: string | undefined;

  private computeNamedSignature(c: number): string {
    const cls = this.classes[c];
    if (cls === undefined || cls.ports.length === 0) return '';
    const parts: string[] = [];
    for (const np of this.namedUsed.values()) {
      const ports = cls.ports.filter((cp) => cp.name === np.name && cp.protocol === np.protocol).map((cp) => cp.containerPort);
      if (ports.length > 0) parts.push(`${np.protocol}/${np.name}=${ports.join('+')}`);
    }
    return parts.join(';');
  }

  /** Every policy (for explanations of "nothing allows"). */
  policyByKey(key: string): CPolicy | undefined {
    return this.policies.find((p) => p.key === key);
  }

  rangeOf(ip: IpSet): string {
    return rangeText(ip);
  }

  /** Subtracts pod CIDRs (used by notes). */
  outsidePods(ip: IpSet): IpSet {
    return subtract(ip, this.podCIDRs);
  }

  protocols(): readonly Protocol[] {
    return PROTOCOLS;
  }
}

/**
 * A stand-in class in the user's words: `the nginx ingress controller's pods`, `the cluster DNS pods
 * in kube-system`; other classes by their node id.
 */
export function classWords(engine: ReachEngine, c: number): string {
  const cls = engine.classes[c];
  if (cls === undefined) return '?';
  if (cls.kind === 'IngressController') return `the ${cls.name} ingress controller's pods`;
  if (cls.kind === 'Virtual') {
    const what = engine.options.virtualPods?.find((v) => v.id === cls.name)?.description ?? `the ${cls.name} pods`;
    return cls.namespace === UNKNOWN_NAMESPACE ? what : `${what} in ${cls.namespace}`;
  }
  return cls.node;
}

/**
 * A compiled rule in the user's words: `rule 1 of ingress in policy shop/web`, with the peer that
 * matched when the rule lists several (`(from entry 2)`).
 */
export function ruleWords(rule: CRule, peer?: number): string {
  const i = /\[(\d+)\]$/.exec(rule.rule.path)?.[1];
  const which = i === undefined ? rule.rule.path : `rule ${Number(i) + 1}`;
  const entry = peer !== undefined && rule.peers.length > 1 ? ` (${rule.direction === 'ingress' ? 'from' : 'to'} entry ${peer + 1})` : '';
  return `${which} of ${rule.direction} in policy ${rule.policy.key}${entry}`;
}

export function externalId(r: IpRange): string {
  return `${formatIPv4(r.lo)}-${formatIPv4(r.hi)}[External]`;
}
