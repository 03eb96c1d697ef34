/**
 * Exposure analysis (`kube-reach reach --exposure`, the panel's Exposure view; docs/dev/exposure.md):
 * for each workload, what its own side allows toward pods the manifests may not have — any pod of
 * the cluster (`entire-cluster`), the pods a policy rule's selectors admit (representative peers)
 * — and toward the internet (the external ranges). One-sided: the far end is not in the manifests,
 * so only the workload's ingress (or egress) is judged, through every tier.
 */

import type { Analysis } from '../host.js';
import type { PodLabels } from '../model/labels.js';
import type { Bits } from './bitset.js';
import { and, andNot, isEmpty, or } from './bitset.js';
import { ReachEngine, externalId } from './engine.js';
import type { IpRange } from './ip.js';
import type { EngineOptions, Peer } from './engine.js';
import type { NamedPort } from './policyTier.js';
import type { Representative } from './representatives.js';
import { ENTIRE_CLUSTER, implies, intersectionOf, representativeOf, representativePod } from './representatives.js';

export type ExposureDirection = 'ingress' | 'egress';

export interface ExposureLine {
  readonly direction: ExposureDirection;
  /** The workload node id. */
  readonly workload: string;
  /** `entire-cluster`, a representative peer's id, or an external range's node id. */
  readonly peer: string;
  /** The peer as `--format text` prints it (netpol-analyzer's selector words, `Representative.text`). */
  readonly peerText: string;
  readonly peerKind: 'entire-cluster' | 'representative' | 'external';
  readonly allowed: Bits;
  readonly undefined: Bits;
  /** Named ports toward a representative pod (its container ports are not known): by name. */
  readonly named: readonly NamedPort[];
  /** Cluster-policy named ports toward it (protocol: the container port's). */
  readonly namedAnyProtocol: readonly string[];
  readonly reasons: readonly string[];
}

export interface ExposureResult {
  readonly engine: ReachEngine;
  readonly lines: readonly ExposureLine[];
  /** Workloads no policy (NetworkPolicy or cluster policy) selects on a direction. */
  readonly unprotected: ReadonlyArray<{ readonly workload: string; readonly direction: ExposureDirection }>;
}

interface Collected {
  readonly reps: Representative[];
  /** Per NetworkPolicy key / cluster policy key and direction: the representatives of its rules. */
  readonly byPolicy: Map<string, Set<number>>;
}

/** The representatives of every rule of the engine's policies (deduplicated by id). */
function collect(engine: ReachEngine): Collected {
  const reps: Representative[] = [];
  const byId = new Map<string, number>();
  const byPolicy = new Map<string, Set<number>>();
  const add = (policyKey: string, r: ReturnType<typeof representativeOf>): void => {
    if (r === undefined) return;
    let i = byId.get(r.id);
    if (i === undefined) {
      i = reps.length;
      byId.set(r.id, i);
      reps.push({ ...r, classId: `exposure-${i}` });
    }
    let set = byPolicy.get(policyKey);
    if (set === undefined) byPolicy.set(policyKey, (set = new Set()));
    set.add(i);
  };
  add('', representativeOf(undefined, null, undefined));
  for (const p of engine.policies) {
    for (const dir of ['ingress', 'egress'] as const) {
      for (const rule of (dir === 'ingress' ? p.ingress : p.egress) ?? []) {
        for (const peer of rule.peers) {
          if (peer.unknown || peer.peer.ipBlock !== undefined) continue;
          add(`np:${p.key}:${dir}`, representativeOf(p.namespace, peer.peer.namespaceSelector, peer.peer.podSelector));
        }
      }
    }
  }
  for (const p of engine.cluster.policies) {
    for (const dir of ['ingress', 'egress'] as const) {
      for (const rule of dir === 'ingress' ? p.ingress : p.egress) {
        for (const peer of rule.peers) {
          const s = peer.peer;
          if (s.unknown || s.fields.length !== 1) continue;
          if (s.namespaces !== undefined) add(`cp:${p.key}:${dir}`, representativeOf(undefined, s.namespaces, undefined));
          else if (s.pods !== undefined)
            add(`cp:${p.key}:${dir}`, representativeOf(undefined, s.pods.namespaceSelector ?? null, s.pods.podSelector));
        }
      }
    }
  }
  return { reps, byPolicy };
}

/** The representatives of the rules of the policies that select the classes that way, and entire-cluster (0). */
function candidatesOf(
  engine: ReachEngine,
  classes: readonly number[],
  direction: ExposureDirection,
  byPolicy: Map<string, Set<number>>,
): Set<number> {
  const candidates = new Set<number>([0]);
  for (const c of classes) {
    const sel = engine.selectingOf(c);
    for (const p of direction === 'ingress' ? [...sel.ingress, ...sel.ingressMaybe] : [...sel.egress, ...sel.egressMaybe])
      for (const i of byPolicy.get(`np:${p.key}:${direction}`) ?? []) candidates.add(i);
    for (const p of engine.cluster.policies) {
      if (!hasClass(p.selected.yes, c) && !hasClass(p.selected.maybe, c)) continue;
      for (const i of byPolicy.get(`cp:${p.key}:${direction}`) ?? []) candidates.add(i);
    }
  }
  return candidates;
}

/** The workload nodes exposure is computed for. */
function workloadNodes(engine: ReachEngine, filterNamespace: string | undefined): ReachEngine['nodes'] {
  return engine.nodes.filter(
    (n) =>
      n.classes.length > 0 &&
      !(engine.classes[n.classes[0] ?? -1]?.synthetic ?? true) &&
      (filterNamespace === undefined || n.namespace === filterNamespace),
  );
}

/** At most this many intersection representatives per workspace (E8); beyond, pairs get none. */
export const MAX_INTERSECTIONS = 256;

/**
 * The representatives of pods two of a workload's representatives both stand for (E8), added to
 * `reps`: per pair of representative indices (`i,j`, i < j), the intersection's index.
 */
function intersections(engine: ReachEngine, reps: Representative[], byPolicy: Map<string, Set<number>>): Map<string, number> {
  const out = new Map<string, number>();
  const byId = new Map(reps.map((r, i) => [r.id, i]));
  const nsLabels = (ns: string): PodLabels | undefined => engine.namespaces.get(ns)?.labels;
  const tried = new Set<string>();
  for (const node of workloadNodes(engine, undefined))
    for (const direction of ['egress', 'ingress'] as const) {
      const list = [...candidatesOf(engine, node.classes, direction, byPolicy)].filter((i) => i !== 0).sort((x, y) => x - y);
      for (const [k, i] of list.entries())
        for (const j of list.slice(k + 1)) {
          const key = `${i},${j}`;
          if (tried.has(key)) continue;
          tried.add(key);
          const a = reps[i];
          const b = reps[j];
          if (a === undefined || b === undefined || out.size >= MAX_INTERSECTIONS) continue;
          const r = intersectionOf(a, b, nsLabels);
          if (r === undefined) continue;
          let at = byId.get(r.id);
          if (at === undefined) {
            at = reps.length;
            byId.set(r.id, at);
            reps.push({ ...r, classId: `exposure-${at}` });
          }
          if (at !== i && at !== j) out.set(key, at);
        }
    }
  return out;
}

/**
 * The engine exposure is computed on: the workspace's, with one virtual pod per representative
 * peer (virtual pods never change a verdict between other classes, so its connection list is the
 * workspace engine's). `base`: an engine of the same snapshot and options to read the policies from.
 */
export function exposureEngine(
  analysis: Analysis,
  options: EngineOptions,
  base?: ReachEngine,
): { engine: ReachEngine; reps: Representative[]; byPolicy: Map<string, Set<number>>; pairs: Map<string, number> } {
  const first = base ?? new ReachEngine(analysis, options);
  const { reps, byPolicy } = collect(first);
  const pairs = intersections(first, reps, byPolicy);
  const virtualPods = [...(options.virtualPods ?? []), ...reps.map((r, i) => representativePod(r, i))];
  const engine = new ReachEngine(analysis, { ...options, virtualPods }, first);
  return { engine, reps, byPolicy, pairs };
}

interface Side {
  yes: Bits;
  maybe: Bits;
  reasons: string[];
}

/** Yes on every class of the node, anything else undecided (as `reach` combines a node's classes). */
function combine(engine: ReachEngine, sides: readonly Side[]): Side {
  let yes = engine.space.all();
  let any = engine.space.empty();
  const reasons = new Set<string>();
  for (const s of sides) {
    yes = and(yes, s.yes);
    any = or(any, or(s.yes, s.maybe));
    for (const r of s.reasons) reasons.add(r);
  }
  return { yes, maybe: andNot(any, yes), reasons: [...reasons] };
}

function sameBits(a: Bits, b: Bits): boolean {
  return isEmpty(andNot(a, b)) && isEmpty(andNot(b, a));
}

interface Found {
  readonly rep: Representative;
  readonly side: Side;
  readonly named: NamedPort[];
  readonly namedAny: string[];
}

/** Whether two lines say the same: the same ports, the same named ports (which every port covers). */
function same(space: ReachEngine['space'], a: Found, b: Found): boolean {
  if (!sameBits(a.side.yes, b.side.yes) || !sameBits(a.side.maybe, b.side.maybe)) return false;
  if (space.isAll(a.side.yes)) return true;
  return (
    a.named.map((n) => `${n.protocol}/${n.name}`).join() === b.named.map((n) => `${n.protocol}/${n.name}`).join() &&
    a.namedAny.join() === b.namedAny.join()
  );
}

/** What the lines `gs` give together (nothing for an absent one), as a line of `f`'s representative. */
function union(engine: ReachEngine, f: Found, gs: ReadonlyArray<Found | undefined>): Found {
  let yes = engine.space.empty();
  const named = new Map<string, NamedPort>();
  const namedAny = new Set<string>();
  for (const g of gs) {
    if (g === undefined) continue;
    yes = or(yes, g.side.yes);
    for (const n of g.named) named.set(`${n.protocol}/${n.name}`, n);
    for (const n of g.namedAny) namedAny.add(n);
  }
  return {
    rep: f.rep,
    side: { yes, maybe: engine.space.empty(), reasons: [] },
    named: [...named.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]),
    namedAny: [...namedAny].sort(),
  };
}

function says(f: Found): boolean {
  return !isEmpty(f.side.yes) || !isEmpty(f.side.maybe) || f.named.length > 0 || f.namedAny.length > 0;
}

/** Exposure of every workload (with `filterNamespace`: of the workloads of that namespace). */
export function computeExposure(analysis: Analysis, options: EngineOptions, base?: ReachEngine, filterNamespace?: string): ExposureResult {
  const { engine, reps, byPolicy, pairs } = exposureEngine(analysis, options, base);
  const repClass = new Map<number, number>();
  engine.classes.forEach((c) => {
    if (c.kind === 'Virtual' && c.name.startsWith('exposure-')) repClass.set(Number(c.name.slice('exposure-'.length)), c.index);
  });
  const nsLabels = (ns: string): PodLabels | undefined => engine.namespaces.get(ns)?.labels;
  const lines: ExposureLine[] = [];
  const unprotected: Array<{ workload: string; direction: ExposureDirection }> = [];
  const workloads = workloadNodes(engine, filterNamespace);
  for (const node of workloads) {
    for (const direction of ['egress', 'ingress'] as const) {
      const classes = node.classes;
      // Protection: a NetworkPolicy isolates the pods, or a cluster policy with rules that way selects them.
      const isolated = classes.every((c) => {
        const sel = engine.selectingOf(c);
        const np = direction === 'ingress' ? sel.ingress.length + sel.ingressMaybe.length : sel.egress.length + sel.egressMaybe.length;
        return np > 0 || (engine.cluster.policies.length > 0 && engine.cluster.affects(c, direction));
      });
      if (!isolated) unprotected.push({ workload: node.id, direction });
      const sideToward = (c: number, other: Peer): Side => {
        const why = engine.implementationDefined(c);
        if (why !== undefined) return { yes: engine.space.empty(), maybe: engine.space.all(), reasons: [why] };
        const self: Peer = { kind: 'class', index: c };
        const s = engine.side(direction, c, other, direction === 'ingress' ? self : other);
        return { yes: s.yes, maybe: s.maybe, reasons: [...s.reasons] };
      };
      // Representatives of the rules of the policies that select the workload that way, and entire-cluster.
      const candidates = candidatesOf(engine, classes, direction, byPolicy);
      // What the pods a representative stands for get, those no other rule singles out (its labels
      // are `generic`): a rule for some of them only does not match it (E3).
      const judge = (i: number): Found | undefined => {
        const rep = reps[i];
        const rc = repClass.get(i);
        if (rep === undefined || rc === undefined) return undefined;
        const all = combine(
          engine,
          classes.map((c) => sideToward(c, { kind: 'class', index: rc })),
        );
        const side: Side = { yes: all.yes, maybe: engine.space.empty(), reasons: [] };
        const named: NamedPort[] = [];
        const namedAny: string[] = [];
        if (direction === 'egress') namedToward(engine, classes, rc, named, namedAny);
        return { rep, side, named, namedAny };
      };
      const sorted = [...candidates].sort((a, b) => a - b);
      const found: Found[] = [];
      const foundOf = new Map<number, Found>();
      for (const i of sorted) {
        const f = judge(i);
        if (f === undefined) continue;
        found.push(f);
        foundOf.set(i, f);
      }
      const whole = found.find((f) => f.rep.id === ENTIRE_CLUSTER);
      const listed = new Set<Found>();
      const line = (f: Found, kind: ExposureLine['peerKind']): void => {
        listed.add(f);
        lines.push({
          direction,
          workload: node.id,
          peer: f.rep.id,
          peerText: f.rep.text,
          peerKind: kind,
          allowed: f.side.yes,
          undefined: f.side.maybe,
          named: f.named,
          namedAnyProtocol: f.namedAny,
          reasons: isEmpty(f.side.maybe) ? [] : f.side.reasons,
        });
      };
      for (const f of found) {
        if (f === whole) {
          if (!says(f)) continue;
        } else {
          // A representative gets a line when it differs from entire-cluster (E4): more, or less
          // (an exception, `No Connections` when it gets nothing while entire-cluster gets some).
          if (whole === undefined ? !says(f) : same(engine.space, f, whole)) continue;
          // A broader representative that gets the same says it already.
          const broader = found.some(
            (g) =>
              g !== f &&
              g !== whole &&
              implies(f.rep, g.rep, nsLabels) &&
              same(engine.space, f, g) &&
              (!implies(g.rep, f.rep, nsLabels) || g.rep.id < f.rep.id),
          );
          if (broader) continue;
          if (namesWorkspacePods(engine, f.rep)) continue;
        }
        line(f, f === whole ? 'entire-cluster' : 'representative');
      }
      // Pods two representatives both stand for (E8): a line when they do not get what the two
      // representatives get together, as rules that add up would: a rule that decides first (a
      // cluster policy's Deny, a Pass) made it less.
      const shown = new Set(lines.filter((l) => l.workload === node.id && l.direction === direction).map((l) => l.peer));
      for (const [k, i] of sorted.entries())
        for (const j of sorted.slice(k + 1)) {
          const at = pairs.get(`${i},${j}`);
          if (at === undefined || foundOf.has(at)) continue;
          const f = judge(at);
          if (f === undefined || shown.has(f.rep.id)) continue;
          const described = [i, j].map((p) => foundOf.get(p) ?? whole);
          if (same(engine.space, f, union(engine, f, described)) || namesWorkspacePods(engine, f.rep)) continue;
          foundOf.set(at, f);
          shown.add(f.rep.id);
          line(f, 'representative');
        }
      // The internet: the external ranges as reach cuts them.
      const ranges = direction === 'ingress' ? engine.srcRanges : engine.dstRanges;
      for (const r of ranges) {
        const side = combine(
          engine,
          classes.map((c) => sideToward(c, { kind: 'ip', range: r })),
        );
        if (isEmpty(side.yes) && isEmpty(side.maybe)) continue;
        lines.push({
          direction,
          workload: node.id,
          peer: externalNodeId(r),
          peerText: externalNodeId(r),
          peerKind: 'external',
          allowed: side.yes,
          undefined: side.maybe,
          named: [],
          namedAnyProtocol: [],
          reasons: isEmpty(side.maybe) ? [] : side.reasons,
        });
      }
    }
  }
  return { engine, lines, unprotected };
}

function externalNodeId(r: IpRange): string {
  return externalId(r);
}

/**
 * A representative whose pods the workspace has: one namespace by name, a pod selector of
 * equalities only, and a workload there with those labels. The rule names pods of the manifests;
 * a new pod with those labels is one more of them, not an exposure.
 */
function namesWorkspacePods(engine: ReachEngine, rep: Representative): boolean {
  if (rep.namespace.kind !== 'name' || rep.pods.kind !== 'selector') return false;
  if ((rep.pods.labels.constraints?.size ?? 0) > 0) return false;
  const where = rep.namespace.name;
  const sel = rep.pods.selector;
  return engine.classes.some(
    (c) =>
      !c.synthetic &&
      c.namespace === where &&
      sel.matchLabels?.entries.every((e) => e.value.known && c.labels.known.get(e.key) === e.value.value) !== false &&
      sel.matchExpressions.every((r) => r.operator === 'In' && r.values.length === 1 && c.labels.known.get(r.key) === r.values[0]),
  );
}

/**
 * Named ports the workload's egress allows toward a representative pod: its container ports are
 * not known, so they are listed by name (NetworkPolicy rules with their protocol; cluster policy
 * rules, whose named ports take the container port's protocol, without one).
 */
function namedToward(engine: ReachEngine, classes: readonly number[], rc: number, named: NamedPort[], namedAny: string[]): void {
  const seen = new Set<string>();
  for (const c of classes) {
    const sel = engine.selectingOf(c);
    for (const p of sel.egress)
      for (const rule of p.egress ?? []) {
        if (rule.ports.named.length === 0 || rule.unknown) continue;
        const matches = rule.allPeers || rule.peers.some((peer) => hasClass(peer.pods.yes, rc));
        if (!matches) continue;
        for (const np of rule.ports.named) {
          const k = `${np.protocol}/${np.name}`;
          if (!seen.has(k)) {
            seen.add(k);
            named.push(np);
          }
        }
      }
    for (const p of engine.cluster.policies) {
      if (!hasClass(p.selected.yes, c)) continue;
      for (const rule of p.egress) {
        if (rule.action !== 'allow' || rule.ports.named.length === 0) continue;
        if (!rule.peers.some((peer) => hasClass(peer.pods.yes, rc))) continue;
        for (const n of rule.ports.named) if (!namedAny.includes(n)) namedAny.push(n);
      }
    }
  }
  named.sort((a, b) => (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  namedAny.sort();
}

function hasClass(b: Bits, c: number): boolean {
  return ((b[c >>> 5] ?? 0) & (1 << (c & 31))) !== 0;
}
