/**
 * The reachability engine (docs/dev/design.md §5, docs/dev/netpol-semantics.md). Nodes are pod classes (a workload's
 * replicas, a bare Pod, an owner's Pods, a StatefulSet ordinal when selectors tell them apart),
 * external address ranges and the ingress controller of each class. A connection is allowed iff
 * the source's egress side and the destination's ingress side both allow it, per protocol and
 * port atom. Verdicts the spec leaves open are `maybe` bits with a reason, never guessed.
 *
 * `ReachEngine` puts the stages together, each in a module of its own:
 *   gathering (`gather.ts`: the objects, from the index) → class model (`classModel.ts`: pod
 *   classes, nodes, namespaces, selectors) → compiled policies per tier (`policyTier.ts`) →
 *   verdicts (`verdicts.ts`) → the all-pairs form (`groups.ts`, `matrix.ts`), with the external
 *   ranges cut in `external.ts`. Each stage takes the last engine's when its inputs are the same.
 *
 * Pure: the lowered index in, plain data out.
 */

import type { Analysis } from '../host.js';
import type { KObject } from '../model/types.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { Bits } from './bitset.js';
import type { NamespaceInfo, NodeInfo, PodClass } from './classModel.js';
import { ClassModel } from './classModel.js';
import type { CCRule } from './clusterTier.js';
import { ClusterTier } from './clusterTier.js';
import { cutExternal, externalId, networkPolicyIpSets, sameSets } from './external.js';
import type { Gathering } from './gather.js';
import { gather } from './gather.js';
import type { Groups } from './groups.js';
import { BehaviourGroups } from './groups.js';
import type { IpRange, IpSet } from './ip.js';
import { parseCidr, union } from './ip.js';
import type { EngineOptions } from './options.js';
import { UNKNOWN_NAMESPACE } from './options.js';
import type { CompiledPolicy, CPolicy, CRule } from './policyTier.js';
import { NetworkPolicyTier } from './policyTier.js';
import type { PortSpace } from './ports.js';
import { PortCuts } from './ports.js';
import type { Peer, PortVerdict, Selecting, SideExplanation } from './verdicts.js';
import { Verdicts } from './verdicts.js';
import { staticPrefixes } from './staticServices.js';
import { parseFile } from '../syntax/parse.js';
import { matchSelector } from '../model/labels.js';
import type { YNode } from '../syntax/tree.js';
import { get, getPath, isMap, isScalar, isSeq } from '../syntax/tree.js';

export type { EngineOptions, VirtualPod } from './options.js';
export { UNKNOWN_NAMESPACE, optionsFromSettings } from './options.js';
export type { NodeInfo, PodClass } from './classModel.js';
export type { CPolicy, CRule } from './policyTier.js';
export { ruleWords } from './policyTier.js';
export type { Peer, PortVerdict, Selecting, SideExplanation } from './verdicts.js';
export { externalId } from './external.js';

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

export class ReachEngine {
  readonly classes: readonly PodClass[];
  readonly policies: readonly CPolicy[];
  readonly rules: readonly CRule[];
  readonly notes: string[] = [];
  readonly space: PortSpace;
  readonly services: ReadonlyArray<{ readonly placed: Placed; readonly namespace: string }>;
  readonly ingresses: ReadonlyArray<{ readonly placed: Placed; readonly namespace: string }>;
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
  readonly srcRanges: IpRange[];
  readonly dstRanges: IpRange[];
  /** The address sets the external ranges were cut at (`networkPolicyIpSets`, the cluster tiers' networks). */
  private readonly externalSets: { readonly src: readonly IpSet[]; readonly dst: readonly IpSet[] };
  /** The engine this one reused its class model from (caches shared with it). */
  readonly reused: boolean;
  /**
   * With a reused class model: the namespaces whose list of policies differs from the last
   * engine's (anything about a class elsewhere is as before). Undefined when nothing was reused.
   */
  readonly policyNamespacesChanged: ReadonlySet<string> | undefined;
  /**
   * After a cluster-policy edit (`policyNamespacesChanged` then lists every namespace): the
   * namespaces whose NetworkPolicies changed, and the classes whose cluster policies differ from the
   * last engine's (a policy compiled again, added or removed may select them). Undefined otherwise.
   */
  readonly clusterClassesChanged: { readonly namespaces: ReadonlySet<string>; readonly classes: Bits } | undefined;
  /** Whether its objects were the last engine's with edited policies swapped in. */
  readonly builtFromPolicyEdit: boolean;
  /**
   * This engine's key for the engines built from it: the results they may carry over
   * (`computeReach`'s lines, `policyAllowedConnections`'s sides) are cached under it, not under the
   * engine. No engine holds another: neither strongly (a chain of engines would stay alive) nor by
   * a WeakRef (reading one keeps its target alive until the turn of the event loop ends, so a loop
   * of passes in one turn, as a test or script runs them, kept every engine: ~0.7 MB a pass).
   */
  readonly reuseKey: object = {};
  /**
   * The `reuseKey` of the engine `policyNamespacesChanged` is relative to: a result cached under it
   * can be carried over for the classes outside those namespaces. Undefined when nothing was reused.
   */
  readonly builtFromKey: object | undefined;

  /** The stages (see the file comment). */
  readonly gathering: Gathering;
  readonly model: ClassModel;
  readonly tier: NetworkPolicyTier;
  /** The cluster tiers: AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy. */
  readonly cluster: ClusterTier;
  readonly verdicts: Verdicts;
  private readonly groups: BehaviourGroups;
  /** The external nodes by id (the class model holds the others). */
  private readonly externalById = new Map<string, NodeInfo>();
  private readonly parsedFiles = new Map<string, ReturnType<typeof parseFile>>();

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
    const cidrs: IpRange[] = [];
    for (const c of options.podCIDRs) {
      const r = parseCidr(c);
      if (r === undefined) this.notes.push(`kubeReach.podCIDRs: "${c}" is not a CIDR`);
      else cidrs.push(r);
    }
    const podCIDRs: IpSet = union(cidrs, []);

    // Gathering: objects, one per identity, the first variant in unit order unless --unit picks one.
    const gathering = gather(analysis.index, options, previous?.gathering);
    this.gathering = gathering;
    this.builtFromPolicyEdit = gathering.fromPolicyEdit;
    const gathered = gathering.gathered;
    for (const n of gathered.notes) this.notes.push(n);
    this.services = gathered.services;
    this.ingresses = gathered.ingresses;

    // The class model: the last engine's when the fingerprint is the same.
    const fingerprint = gathered.fingerprint;
    const before = previous?.gathering.gathered.fingerprint;
    const reuse =
      previous !== undefined &&
      before !== undefined &&
      (before === fingerprint || (before.length === fingerprint.length && before.every((x, i) => x === fingerprint[i])));
    this.reused = reuse;
    // After an edit that changed pod producers in place (the checks' engines over a namespace of
    // thousands of workloads, issue #21): the last model with those classes rebuilt.
    const swapped = gathering.swappedProducers;
    const patched =
      reuse || previous === undefined || swapped === undefined || swapped.size === 0
        ? undefined
        : ClassModel.patch(previous.model, gathered, swapped, (o) => this.ownerOf(o));
    const model = reuse ? previous.model : (patched ?? new ClassModel(options, gathered, (o) => this.ownerOf(o)));
    this.model = model;
    // The class indices are the last engine's (the same classes, some with new contents).
    const kept = previous !== undefined && (reuse || patched !== undefined);
    this.classes = model.classes;
    this.namespaces = model.namespaces;

    // Port cut points: the classes' container ports, and the policy and Service ports (worked out
    // once per file version, `PartEntry.cuts`). The same lists as the last engine's give its space.
    let space: PortSpace;
    if (kept && gathered.cuts === previous.gathering.gathered.cuts && model.classPorts === previous.model.classPorts) {
      space = previous.space;
    } else {
      const cuts = new PortCuts();
      for (const [proto, port] of model.classPorts) cuts.add(proto, port);
      for (const list of gathered.cuts) for (const [proto, lo, hi] of list) cuts.add(proto, lo, hi);
      space = cuts.freeze();
    }
    const sameSpace = kept && (space === previous.space || previous.space.sameCuts(space));
    this.space = sameSpace ? previous.space : space;

    // Compiled policies: the NetworkPolicy tier.
    // Over a patched model, a policy is compiled again only when a rebuilt class's labels change how one of its selectors matches it.
    const compiled = !sameSpace
      ? undefined
      : patched === undefined
        ? previous.tier.compiled
        : unaffectedPolicies(previous.tier.compiled, previous.model, patched);
    const tier = new NetworkPolicyTier(model, this.space, podCIDRs, gathered.policies, compiled, (uri) => analysis.text(uri));
    this.tier = tier;
    for (const n of tier.notes) this.notes.push(n);
    this.policies = tier.policies;
    this.rules = tier.rules;
    let changed: Set<string> | undefined;
    if (kept) {
      changed = new Set<string>();
      // A rebuilt class's policies are looked up again.
      if (patched !== undefined) for (const c of patched.classes) if (c !== previous.model.classes[c.index]) changed.add(c.namespace);
      const same = (a: readonly CPolicy[] | undefined, b: readonly CPolicy[] | undefined): boolean =>
        a?.length === b?.length && (a ?? []).every((p, i) => p === b?.[i]);
      for (const ns of new Set([...tier.byNamespace.keys(), ...previous.tier.byNamespace.keys()]))
        if (!same(tier.byNamespace.get(ns), previous.tier.byNamespace.get(ns))) changed.add(ns);
    }
    // The cluster tiers (docs/dev/cluster-policies.md): the last engine's, or its policies that are
    // the same objects, when the class model and port atoms are the same.
    const cluster = ClusterTier.build(
      model,
      this.space,
      podCIDRs,
      gathered.clusterPolicies,
      (uri) => analysis.text(uri),
      previous?.cluster,
    );
    this.cluster = cluster;
    for (const n of cluster.notes) this.notes.push(n);
    // Verdicts: which NetworkPolicies select a class is kept for the namespaces whose policies are the same.
    this.verdicts = new Verdicts(
      model,
      tier,
      this.space,
      kept && changed !== undefined ? { changed, selecting: previous.verdicts.selectingCache } : undefined,
      cluster,
    );
    let clusterChanged: { namespaces: ReadonlySet<string>; classes: Bits } | undefined;
    if (changed !== undefined && previous !== undefined && cluster !== previous.cluster) {
      // Cluster policies select across namespaces: a change to them changes every namespace; only
      // the sides of the classes a policy compiled again (or added, or removed) may select change
      // (`clusterClassesChanged`, for the matrix; none when the BANP's grouping changed).
      const classes = cluster.changedFrom(previous.cluster);
      if (classes !== undefined) clusterChanged = { namespaces: changed, classes };
      changed = new Set(changed);
      for (const ns of model.namespaces.keys()) changed.add(ns);
    }
    this.clusterClassesChanged = reuse ? clusterChanged : undefined;
    this.policyNamespacesChanged = reuse ? changed : undefined;
    this.builtFromKey = reuse && changed !== undefined ? previous.reuseKey : undefined;

    // Behaviour groups.
    this.groups = new BehaviourGroups(model, tier, cluster, reuse ? previous.groups : undefined);

    // External ranges (docs/dev/design.md §6): cut separately for sources (ingress ipBlocks) and destinations.
    // The last engine's ranges when the address sets are the same objects (an edit that changed no ipBlock or network).
    const keep = previous !== undefined;
    const srcSets = networkPolicyIpSets(tier.policies, 'ingress', keep);
    // STUNner's StaticServices' prefixes (`staticServices.ts`): a Gateway's data plane may reach them.
    const statics = gathered.staticServices.map((x) => {
      const p = staticPrefixes(this, x.placed.obj);
      if (p.unknown)
        this.notes.push(
          `StaticService ${x.namespace}/${x.placed.obj.name?.known === true ? x.placed.obj.name.value : '?'}: a prefix is templated or not an IPv4 CIDR; connections to it are not listed`,
        );
      return union(p.ranges, []);
    });
    const dstSets = [
      ...networkPolicyIpSets(tier.policies, 'egress', keep),
      ...cluster.egressNetworks,
      ...statics.filter((x) => x.length > 0),
    ];
    this.externalSets = { src: srcSets, dst: dstSets };
    const last = previous?.externalSets;
    this.srcRanges =
      previous !== undefined && last !== undefined && sameSets(last.src, srcSets) ? previous.srcRanges : cutExternal(srcSets);
    this.dstRanges =
      previous !== undefined && last !== undefined && sameSets(last.dst, dstSets) ? previous.dstRanges : cutExternal(dstSets);
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
      this.externalById.set(id, node);
    }
  }

  private sortedNodes: NodeInfo[] | undefined;

  /**
   * Every node (the class model's and the external ranges'), by id: sorted on first use, since the
   * checks' engines, built after every edit, never list them (issue #21).
   */
  get nodes(): NodeInfo[] {
    if (this.sortedNodes === undefined) {
      const nodes = [...this.model.nodes, ...this.externalById.values()];
      nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.sortedNodes = nodes;
    }
    return this.sortedNodes;
  }

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
    return this.model.nodeById.get(id) ?? this.externalById.get(id);
  }

  get selectorEvaluations(): number {
    return this.model.selectors.evaluations;
  }

  /** The policies that select a class, per direction, surely or maybe (computed on first use). */
  selectingOf(c: number): Selecting {
    return this.verdicts.selectingOf(c);
  }

  /** The rule's ports towards a destination: named ports resolve on the destination pod only (rule 22). */
  rulePorts(rule: CRule, dst: Peer): { yes: Bits; maybe: Bits; reason: string | undefined } {
    return this.verdicts.rulePorts(rule, dst);
  }

  /** A cluster rule's ports towards a destination: named ports resolve on the destination pod, in its own protocol. */
  clusterRulePorts(rule: CCRule, dst: Peer): { yes: Bits; maybe: Bits; reason: string | undefined } {
    return this.verdicts.clusterRulePorts(rule, dst);
  }

  /**
   * One side of a connection: `target` is the pod whose policies decide (the destination for
   * ingress, the source for egress); `other` is the far end; `dst` is where ports resolve.
   */
  side(direction: 'ingress' | 'egress', target: number, other: Peer, dst: Peer, explain = false): SideExplanation {
    return this.verdicts.side(direction, target, other, dst, explain);
  }

  /**
   * Why verdicts involving this class are implementation-defined regardless of policies:
   * hostNetwork (rule 24) or Istio ambient mode (docs/dev/checks-spec.md G4), else undefined.
   */
  implementationDefined(c: number): string | undefined {
    return this.model.implementationDefined(c);
  }

  /** The verdict for one connection from `src` to `dst` over every port atom. */
  pair(src: Peer, dst: Peer): PortVerdict {
    return this.verdicts.pair(src, dst);
  }

  /** Classes that behave identically as source and destination (`groups.ts`). */
  behaviourGroups(): Groups {
    return this.groups.groups();
  }

  /** How the named ports that rules use resolve on this class (`name/proto=port+port;…`). */
  namedSignature(c: number): string {
    return this.groups.namedSignature(c);
  }
}

/**
 * The compiled policies of the last engine that hold over a patched class model (`ClassModel.patch`):
 * those none of whose pod selectors matches a rebuilt class otherwise than it matched the class
 * it replaces (a selection bit is a function of that match and of the class's namespace, which is
 * the same). Namespace selectors, ipBlocks and ports read no pod label.
 */
function unaffectedPolicies(
  compiled: ReadonlyMap<KObject, CompiledPolicy>,
  before: ClassModel,
  after: ClassModel,
): ReadonlyMap<KObject, CompiledPolicy> {
  const changes: Array<[PodClass, PodClass]> = [];
  for (const c of after.classes) {
    const was = before.classes[c.index];
    if (was !== undefined && was !== c) changes.push([was, c]);
  }
  const out = new Map<KObject, CompiledPolicy>();
  for (const [obj, cp] of compiled) {
    const spec = cp.policy.spec;
    const selectors = [
      ...(spec.podSelector === undefined ? [] : [spec.podSelector]),
      ...[...(spec.ingress ?? []), ...(spec.egress ?? [])].flatMap((r) =>
        (r.peers ?? []).flatMap((p) => (p.podSelector === undefined ? [] : [p.podSelector])),
      ),
    ];
    if (selectors.every((sel) => changes.every(([was, c]) => matchSelector(sel, was.labels) === matchSelector(sel, c.labels))))
      out.set(obj, cp);
  }
  return out;
}

/**
 * A stand-in class in the user's words: `the nginx ingress controller's pods`, `the cluster DNS pods
 * in kube-system`; other classes by their node id.
 */
export function classWords(engine: ReachEngine, c: number): string {
  const cls = engine.classes[c];
  if (cls === undefined) return '?';
  if (cls.kind === 'IngressController') return `the ${cls.name} ingress controller's pods`;
  if (cls.kind === 'GatewayDataPlane') return `the data-plane pods of Gateway ${cls.name}`;
  if (cls.kind === 'Virtual') {
    const what = engine.options.virtualPods?.find((v) => v.id === cls.name)?.description ?? `the ${cls.name} pods`;
    return cls.namespace === UNKNOWN_NAMESPACE ? what : `${what} in ${cls.namespace}`;
  }
  return cls.node;
}
