/**
 * The reachability engine as the checks see it (docs/dev/design.md §5): the engine options of a snapshot
 * (settings plus the pods the manifests do not show but checks ask about: cluster DNS per
 * `kubeReach.dns`, cert-manager's HTTP-01 solver, "a source outside the namespace"), the classes of a
 * workload or a virtual pod, a verdict at one port, and the dependency keys a verdict reads.
 *
 * A check that reads a verdict between pods of namespaces A and B asks for the engine over A and B
 * (`ctx.reach([A, B])`: policies are namespaced, so its verdicts are the workspace's), built
 * without tracking; it records, through `trackVerdict`, every key an edit that can change that
 * verdict touches: the policies, pod producers and floating objects of A and B (selection, rules,
 * named ports), their Namespace objects (labels) and the SidecarSets (ports they inject).
 */

import type { KObject } from '../../model/types.js';
import type { Placed } from '../../workspace/workspaceIndex.js';
import type { CPolicy, EngineOptions, Peer, PortVerdict, ReachEngine, VirtualPod } from '../../reachability/engine.js';
import { UNKNOWN_NAMESPACE, optionsFromSettings } from '../../reachability/engine.js';
import { matchSelector } from '../../model/labels.js';
import { hasBit } from '../../reachability/bitset.js';
import type { Protocol } from '../../reachability/ports.js';
import type { AnalysisSettings } from '../../settings.js';
import { dnsModel } from '../../settings.js';
import type { CheckContext } from './check.js';
import { namespaceLabels, policiesIn } from './policies.js';
import type { Scope } from './policies.js';

/** cert-manager's HTTP-01 solver pods (docs/dev/checks-spec.md C6): in every namespace with a policy. */
export const ACME_SOLVER = 'acme-http01-solver';
export const ACME_SOLVER_LABELS: ReadonlyArray<[string, string]> = [['acme.cert-manager.io/http01-solver', 'true']];
export const ACME_SOLVER_PORT = 8089;
/** The cluster DNS pods of `kubeReach.dns` / `kubeReach.clusterProfile` (docs/dev/checks-spec.md §1.5). */
export const CLUSTER_DNS = 'cluster-dns';
/** Some pod, labels unknown, in a namespace the workspace does not know (a controller of unknown whereabouts). */
export const OUTSIDE_SOURCE = 'outside-source';

const NO_SPAN = { start: 0, end: 0 };

function port(name: string, containerPort: number, protocol: string): VirtualPod['ports'][number] {
  return { name, containerPort, protocol, span: NO_SPAN, nameSpan: undefined, container: '' };
}

/** The engine options of a snapshot: the settings, plus the virtual pods of the checks. */
export function diagnosticEngineOptions(settings: AnalysisSettings): EngineOptions {
  const dns = dnsModel(settings);
  const virtualPods: VirtualPod[] = [
    {
      id: CLUSTER_DNS,
      namespaces: dns.namespaces,
      labels: dns.podLabels,
      openLabels: false,
      ports: dns.ports.flatMap((p) => [port('dns', p, 'UDP'), port('dns-tcp', p, 'TCP')]),
      description: 'the cluster DNS pods',
    },
    {
      id: ACME_SOLVER,
      namespaces: 'policies',
      labels: Object.fromEntries(ACME_SOLVER_LABELS),
      openLabels: false,
      ports: [port('http', ACME_SOLVER_PORT, 'TCP')],
      description: "cert-manager's HTTP-01 solver pods",
    },
    {
      id: OUTSIDE_SOURCE,
      namespaces: 'unknown',
      labels: {},
      openLabels: true,
      ports: [],
      description: 'a pod of a namespace the manifests do not show',
    },
  ];
  return { ...optionsFromSettings(settings), virtualPods };
}

/** The classes of a pod producer placed in `ns` (several for a StatefulSet split per pod); the model's map, carried across patches. */
export function classesOf(engine: ReachEngine, obj: KObject, ns: string): number[] {
  return engine.model.classIndicesOf(obj).filter((c) => engine.classes[c]?.namespace === ns);
}

/** The class of a virtual pod in `ns` (`undefined` for the one in an unknown namespace). */
export function virtualClass(engine: ReachEngine, id: string, ns: string | undefined): number | undefined {
  const want = ns ?? UNKNOWN_NAMESPACE;
  return engine.classes.find((c) => c.kind === 'Virtual' && c.name === id && c.namespace === want)?.index;
}

/** The classes that are the ingress controller of `ingressClass` (a matching workload, else the stand-in). */
const controllerMemo = new WeakMap<ReachEngine, Map<string, number[]>>();

export function controllerClasses(engine: ReachEngine, ingressClass: string): number[] {
  // Once per engine and class: every Ingress of a namespace asks, and an engine may hold thousands of classes.
  let memo = controllerMemo.get(engine);
  if (memo === undefined) controllerMemo.set(engine, (memo = new Map()));
  let out = memo.get(ingressClass);
  if (out === undefined) {
    out = engine.classes.filter((c) => c.controllerOf.includes(ingressClass)).map((c) => c.index);
    memo.set(ingressClass, out);
  }
  return out;
}

export type Verdict = 'yes' | 'no' | 'unknown';

/** A verdict (pair or side) at one protocol and port: allowed, denied, or undefined. */
export function verdictAt(engine: ReachEngine, v: Pick<PortVerdict, 'yes' | 'maybe'>, protocol: Protocol, portNumber: number): Verdict {
  const atom = engine.space.atomOf(protocol, portNumber);
  return hasBit(v.yes, atom) ? 'yes' : hasBit(v.maybe, atom) ? 'unknown' : 'no';
}

/** The combination over alternatives: yes if one surely passes, unknown if one may, else no. */
export function anyOf(verdicts: Iterable<Verdict>): Verdict {
  let out: Verdict = 'no';
  for (const v of verdicts) {
    if (v === 'yes') return 'yes';
    if (v === 'unknown') out = 'unknown';
  }
  return out;
}

/**
 * The pods at the ends of the verdicts a check reads, when it knows them: the producers it judges
 * (their pod classes) and the label sets that pick the other end's pods (the ingress controller's,
 * a Gateway's data plane: workloads of their namespace carrying every pair, else a stand-in).
 */
export interface VerdictEnds {
  readonly judged: ReadonlyArray<{ readonly placed: Placed; readonly ns: string }>;
  readonly sources: ReadonlyArray<Readonly<Record<string, string>>>;
}

/**
 * Records the keys a verdict between pods of the namespaces `namespaces` depends on: their
 * policies, their Namespace objects (labels that namespaceSelectors read), the floating objects
 * that land there and the cluster policies; and the pods. A verdict between two pods reads only
 * those two pods (selection, rules and named ports are evaluated on each end; docs/dev/netpol-semantics.md),
 * so with `ends` it records the judged producers (`podClassOf`) and the label pairs that pick the
 * sources (`label:k=v`: a workload that gains or loses one, or changes while it has it); without,
 * every pod producer of those namespaces. Editing one workload in a namespace of thousands then
 * re-checks the Ingresses that route to it, not every Ingress of the namespace (issue #21).
 */
export function trackVerdict(ctx: CheckContext, namespaces: ReadonlyArray<string | undefined>, ends?: VerdictEnds): void {
  // Cluster network policies select across namespaces (docs/dev/cluster-policies.md); SidecarSets add named ports to pods.
  ctx.index.clusterPolicies();
  ctx.index.sidecarSets();
  for (const ns of new Set(namespaces)) {
    if (ns === undefined || ns === UNKNOWN_NAMESPACE) continue;
    policiesIn(ctx, ns);
    if (ends === undefined) ctx.index.producersIn(ns);
    ctx.index.declaredNamespace(ns);
    ctx.index.floatingIn(ns);
  }
  if (ends === undefined) return;
  for (const { placed, ns } of ends.judged) ctx.index.podClassOf(ns, placed);
  for (const labels of ends.sources) for (const [k, v] of Object.entries(labels)) ctx.index.producersWithLabel(k, v);
}

/**
 * The firewall over a refusal (docs/dev/checks-spec.md §1.5): the engine gives an undeclared namespace only its
 * name label (semantics rule 14), a diagnostic takes its other labels as unknown. Does a rule of
 * `policies` (in `direction`) have a namespaceSelector peer that the engine decides for the far
 * end's namespace only through that reading? Then "refused" is not a diagnostic's to say.
 */
export function namespaceUndecided(
  ctx: CheckContext,
  engine: ReachEngine,
  policies: readonly CPolicy[],
  direction: 'ingress' | 'egress',
  far: number,
): boolean {
  const cls = engine.classes[far];
  if (cls === undefined) return false;
  const nsLabels = namespaceLabels(ctx, cls.namespace);
  if (!nsLabels.open) return false;
  for (const p of policies) {
    for (const r of (direction === 'ingress' ? p.ingress : p.egress) ?? []) {
      for (const peer of r.rule.peers ?? []) {
        if (peer.namespaceSelector === undefined) continue;
        if (matchSelector(peer.namespaceSelector, nsLabels) !== 'unknown') continue;
        if (peer.podSelector === undefined || matchSelector(peer.podSelector, cls.labels) !== 'no') return true;
      }
    }
  }
  return false;
}

/**
 * The engine over `namespaces` in which `judged` finds what the check judges: the workspace's, else
 * the one of the object's unit. Where variants exist (a base under two Kustomize overlays) the
 * workspace engine, like `kube-reach reach` without `--unit`, keeps only the first;
 * `kube-reach reach --unit` shows the others, and so does the check.
 */
export function engineFor(
  ctx: CheckContext,
  namespaces: ReadonlyArray<string | undefined>,
  unit: string,
  judged: (engine: ReachEngine) => boolean,
): ReachEngine | undefined {
  const scope = namespaces.filter((n): n is string => n !== undefined);
  const engine = ctx.reach(scope);
  if (judged(engine)) return engine;
  const own = ctx.reach(scope, unit);
  return judged(own) ? own : undefined;
}

/**
 * `engineFor` for a check judging `scope` (checks/support/policies.ts): a floating unit is judged alone,
 * on the engine over that unit's objects (`ctx.reach(…, unit)`), never with other folders'
 * namespace-less objects that the workspace engine also places in `kubeReach.defaultNamespace`.
 */
export function engineForScope(
  ctx: CheckContext,
  scope: Scope,
  others: ReadonlyArray<string | undefined>,
  unit: string,
  judged: (engine: ReachEngine) => boolean,
): ReachEngine | undefined {
  if (scope.unit === undefined) return engineFor(ctx, [scope.ns, ...others], unit, judged);
  const engine = ctx.reach([scope.ns, ...others.filter((n): n is string => n !== undefined)], scope.unit);
  return judged(engine) ? engine : undefined;
}

export const classPeer = (index: number): Peer => ({ kind: 'class', index });

/** The policies that surely isolate a class in a direction (the ones a "blocked" message names). */
export function isolatingPolicies(engine: ReachEngine, cls: number, direction: 'ingress' | 'egress'): readonly CPolicy[] {
  const s = engine.selectingOf(cls);
  return direction === 'ingress' ? s.ingress : s.egress;
}

/** The workspace object of an engine policy, as the index places it (for `related` locations). */
export function policyName(p: CPolicy): string {
  return p.obj.name?.known === true ? p.obj.name.value : '?';
}
