/**
 * The connections one NetworkPolicy allows: the one definition behind the policy code lens
 * ("allows N connections") and the reachability panel's "Policy" filter, so the two cannot disagree.
 *
 * A connection is a line of the connection list (`computeReach`: what `kube-reach reach` and the
 * panel show, ingress-controller and Gateway data-plane lines included). The policy allows it when
 * the policy isolates the side of an end it selects (the destination for Ingress, the source for
 * Egress) and one of its rules admits the other end on that side. Lines between the same two ends
 * count once.
 */

import { forEachBit, isEmpty, or } from './bitset.js';
import type { Peer, ReachEngine } from './engine.js';
import type { CPolicy } from './policyTier.js';

/** Above this many pod classes (virtual pods aside) the connections of a policy are not computed. */
export const POLICY_CONNECTIONS_MAX_CLASSES = 400;

/** One line of a connection list: the two ends' node ids. */
export interface ConnectionEnds {
  readonly from: string;
  readonly to: string;
}

/** Whether the engine is small enough for per-policy connection lists. */
export function policyConnectionsComputable(engine: ReachEngine): boolean {
  let n = 0;
  for (const c of engine.classes) if (c.kind !== 'Virtual') n++;
  return n <= POLICY_CONNECTIONS_MAX_CLASSES;
}

function peersOf(engine: ReachEngine, id: string): Peer[] {
  const node = engine.node(id);
  if (node === undefined) return [];
  if (node.external !== undefined) return [{ kind: 'ip', range: node.external }];
  return node.classes.map((index): Peer => ({ kind: 'class', index }));
}

/**
 * The policies whose rules decide one side of one pair (when the side lets anything through),
 * kept per engine and side (`direction:class` → the far end → the policies): every policy of a
 * workspace asks about the same sides, and the explaining path of `side` is the costly part.
 */
const sideCache = new WeakMap<object, Map<string, Map<string, ReadonlySet<CPolicy>>>>();

/**
 * An engine's side cache; a new one starts with the sides of the engine it was built from
 * (`ReachEngine.builtFromKey`) whose class is outside the namespaces whose policies changed: those
 * sides are decided by the same policy objects over the same classes, so the maps are shared.
 */
function sidesOf(engine: ReachEngine): Map<string, Map<string, ReadonlySet<CPolicy>>> {
  const known = sideCache.get(engine.reuseKey);
  if (known !== undefined) return known;
  const out = new Map<string, Map<string, ReadonlySet<CPolicy>>>();
  const before = engine.builtFromKey;
  const changed = engine.policyNamespacesChanged;
  const last = before === undefined ? undefined : sideCache.get(before);
  if (last !== undefined && changed !== undefined)
    for (const [key, sides] of last) {
      const cls = engine.classes[Number(key.slice(key.indexOf(':') + 1))];
      if (cls !== undefined && !changed.has(cls.namespace)) out.set(key, sides);
    }
  sideCache.set(engine.reuseKey, out);
  return out;
}

function admittingPolicies(engine: ReachEngine, direction: 'ingress' | 'egress', self: number, other: Peer): ReadonlySet<CPolicy> {
  const cache = sidesOf(engine);
  const sideKey = `${direction}:${self}`;
  let sides = cache.get(sideKey);
  if (sides === undefined) cache.set(sideKey, (sides = new Map()));
  const key = other.kind === 'class' ? String(other.index) : `${other.range.family}/${other.range.lo}-${other.range.hi}`;
  const known = sides.get(key);
  if (known !== undefined) return known;
  const me: Peer = { kind: 'class', index: self };
  const side = engine.side(direction, self, other, direction === 'ingress' ? me : other, true);
  const out = new Set<CPolicy>();
  if (!isEmpty(or(side.yes, side.maybe))) for (const m of side.matches) out.add(m.rule.policy);
  sides.set(key, out);
  return out;
}

function admits(engine: ReachEngine, policy: CPolicy, direction: 'ingress' | 'egress', self: number, other: Peer): boolean {
  return admittingPolicies(engine, direction, self, other).has(policy);
}

/**
 * A connection list's lines by end (node id → the indices of the lines from or to it, ascending),
 * kept per list: the panel asks about every policy of the workspace with one list, and each
 * policy's lines are those of the nodes it selects, not the whole list.
 */
const byEndCache = new WeakMap<readonly ConnectionEnds[], ReadonlyMap<string, readonly number[]>>();

function linesByEnd(connections: readonly ConnectionEnds[]): ReadonlyMap<string, readonly number[]> {
  const known = byEndCache.get(connections);
  if (known !== undefined) return known;
  const out = new Map<string, number[]>();
  const add = (id: string, i: number): void => {
    const list = out.get(id);
    if (list === undefined) out.set(id, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  connections.forEach((c, i) => {
    add(c.from, i);
    add(c.to, i);
  });
  byEndCache.set(connections, out);
  return out;
}

/**
 * The connections of `connections` that `policy` allows, once per (from, to), in list order.
 * `connections` is the engine's own connection list (`computeReach(engine)`).
 */
export function policyAllowedConnections(engine: ReachEngine, connections: readonly ConnectionEnds[], policy: CPolicy): ConnectionEnds[] {
  const isolatesIngress = policy.spec.policyTypes.includes('Ingress');
  const isolatesEgress = policy.spec.policyTypes.includes('Egress');
  // The nodes with a pod class the policy surely selects, and those classes.
  const selectedOf = new Map<string, number[]>();
  forEachBit(policy.selected.yes, (i) => {
    const cls = engine.classes[i];
    if (cls === undefined || cls.kind === 'Virtual') return;
    const list = selectedOf.get(cls.node);
    if (list === undefined) selectedOf.set(cls.node, [cls.index]);
    else list.push(cls.index);
  });
  const selected = (id: string): readonly number[] => selectedOf.get(id) ?? [];
  const out: ConnectionEnds[] = [];
  const seen = new Set<string>();
  // Only the lines with an end the policy selects, in list order.
  const byEnd = linesByEnd(connections);
  const lines = new Set<number>();
  for (const id of selectedOf.keys()) for (const i of byEnd.get(id) ?? []) lines.add(i);
  const order = [...lines].sort((a, b) => a - b);
  // The last engine's answer, when this policy is the same compiled policy in a namespace whose
  // policies did not change (its sides are the same) and its lines join the same ends.
  const considered = order.map((i) => connections[i]);
  const answers = answersOf(engine);
  const before = engine.builtFromKey;
  const last =
    before === undefined || engine.policyNamespacesChanged?.has(policy.namespace) !== false
      ? undefined
      : answerCache.get(before)?.get(policy);
  if (last !== undefined && sameEnds(last.lines, considered)) {
    answers.set(policy, last);
    return [...last.allowed];
  }
  for (const i of order) {
    const c = connections[i];
    if (c === undefined || c.from === c.to) continue;
    const key = `${c.from}\u0000${c.to}`;
    if (seen.has(key)) continue;
    let allowed = false;
    if (isolatesIngress)
      for (const dst of selected(c.to)) {
        if (peersOf(engine, c.from).some((src) => admits(engine, policy, 'ingress', dst, src))) allowed = true;
        if (allowed) break;
      }
    if (!allowed && isolatesEgress)
      for (const src of selected(c.from)) {
        if (peersOf(engine, c.to).some((dst) => admits(engine, policy, 'egress', src, dst))) allowed = true;
        if (allowed) break;
      }
    if (!allowed) continue;
    seen.add(key);
    out.push({ from: c.from, to: c.to });
  }
  answers.set(policy, { lines: considered, allowed: out.slice() });
  return out;
}

interface PolicyAnswer {
  /** The lines with an end the policy selects, in list order. */
  readonly lines: ReadonlyArray<ConnectionEnds | undefined>;
  readonly allowed: readonly ConnectionEnds[];
}

/** Each policy's last answer, per engine's `reuseKey` (a new engine reads its `builtFromKey` engine's). */
const answerCache = new WeakMap<object, Map<CPolicy, PolicyAnswer>>();

function answersOf(engine: ReachEngine): Map<CPolicy, PolicyAnswer> {
  let m = answerCache.get(engine.reuseKey);
  if (m === undefined) answerCache.set(engine.reuseKey, (m = new Map()));
  return m;
}

function sameEnds(a: ReadonlyArray<ConnectionEnds | undefined>, b: ReadonlyArray<ConnectionEnds | undefined>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && (x === undefined || y === undefined || x.from !== y.from || x.to !== y.to)) return false;
  }
  return true;
}
