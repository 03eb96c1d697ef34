/**
 * When two templated selectors stand for one value (docs/dev/netpol-semantics.md rule 1,
 * docs/dev/cluster-policies.md C13): the same text in the same file, inside the same `range` or
 * `with` block (or outside any), renders to the same value every time the file renders; at the top
 * level of a chart's templates, `.` is the release's root object in every template file, so the same
 * text without template variables renders to the same value across the chart's templates. Such
 * selectors select the same pods whatever the value is: their key says so. Anything else (other
 * files of no chart, different blocks, `$variables`) gets no key: independent, as before.
 */

import type { KObject, Selector } from '../model/types.js';
import { selectorKey } from './selectors.js';
import type { CPolicy } from './policyTier.js';
import type { Selecting } from './verdicts.js';

/** Per file text: the template block openers (`range`, `with`, …) with their extent, in order. */
const blocksCache = new Map<string, { text: string; blocks: ReadonlyArray<{ kind: string; start: number; end: number }> }>();

function blocksOf(uri: string, text: string): ReadonlyArray<{ kind: string; start: number; end: number }> {
  const hit = blocksCache.get(uri);
  if (hit !== undefined && hit.text === text) return hit.blocks;
  const out: Array<{ kind: string; start: number; end: number }> = [];
  const stack: Array<{ kind: string; start: number; end: number }> = [];
  const action = /\{\{-?\s*(\/\*[\s\S]*?\*\/)?\s*([A-Za-z]+)?/g;
  for (let m = action.exec(text); m !== null; m = action.exec(text)) {
    if (m[1] !== undefined) continue;
    const word = m[2];
    if (word === 'range' || word === 'with' || word === 'if' || word === 'define' || word === 'block') {
      const b = { kind: word, start: m.index, end: text.length };
      stack.push(b);
      out.push(b);
    } else if (word === 'end') {
      const b = stack.pop();
      if (b !== undefined) b.end = m.index;
    }
  }
  if (blocksCache.size > 256) blocksCache.clear();
  blocksCache.set(uri, { text, blocks: out });
  return out;
}

/** The innermost `range`/`with`/`define`/`block` around `offset` (where `.` is not the root), or undefined. */
function rebinding(uri: string, text: string, offset: number): { start: number } | undefined {
  let inner: { start: number } | undefined;
  for (const b of blocksOf(uri, text)) {
    if (b.start > offset) break;
    if (b.end > offset && b.kind !== 'if') inner = b;
  }
  return inner;
}

/**
 * The selector's source text (whitespace runs as one space) when it holds a template action or a
 * placeholder; undefined for a fixed selector, or one the API rejects for another reason.
 */
function templatedText(sel: Selector, text: string): string | undefined {
  const whole = text.slice(sel.span.start, sel.span.end).replace(/\s+/g, ' ').trim();
  return whole.includes('{{') || whole.includes('${') || whole.includes('$(') ? whole : undefined;
}

/**
 * A key shared by the templated selectors (in `parts`, one selection: a NetworkPolicy's pod
 * selector, a cluster policy's namespace and pod selectors) that select the same pods whatever the
 * templated values are; undefined when they are not known to (or none is templated).
 */
export function sharedSelectionKey(uri: string, text: string | undefined, parts: ReadonlyArray<Selector | undefined>): string | undefined {
  if (text === undefined) return undefined;
  const written: string[] = [];
  let templated = false;
  let start = Number.POSITIVE_INFINITY;
  for (const sel of parts) {
    if (sel === undefined) {
      written.push('-');
      continue;
    }
    if (sel.span.uri !== undefined && sel.span.uri !== uri) return undefined;
    if (!sel.unknown) {
      written.push(selectorKey(sel));
      continue;
    }
    const t = templatedText(sel, text);
    if (t === undefined) return undefined;
    templated = true;
    start = Math.min(start, sel.span.start);
    written.push(t);
  }
  if (!templated) return undefined;
  const all = written.join('&');
  // `$name` is a template variable, bound in this file only; `$.` and `$` alone are the root.
  const variables = /\$[A-Za-z_]/.test(all.replace(/\$\{[^}]*\}|\$\([^)]*\)/g, ''));
  const block = rebinding(uri, text, start);
  const chart = uri.lastIndexOf('/templates/');
  const scope =
    block !== undefined
      ? `${uri}@${block.start}`
      : !variables && chart >= 0 && all.includes('{{') && !all.includes('${') && !all.includes('$(')
        ? `${uri.slice(0, chart)}/templates/`
        : uri;
  return `${scope}|${all}`;
}

/**
 * What a maybe-match is about (docs/dev/cluster-policies.md C13): a NetworkPolicy's selection, a
 * cluster policy's subject or one of its peers. On a pod whose namespace surely matches the
 * selection's namespace part (`ns`; undefined: it has none, or every namespace), only its pod
 * selector is unknown, and every selection with that pod selector (`pod`, `P:` keys) is the same
 * unknown there; elsewhere the whole selection (`selection`) is. Undefined: its own unknown.
 */
export interface Condition {
  readonly selection: string | undefined;
  readonly pod: string | undefined;
  readonly ns: Uint32Array | undefined;
  /** The label keys its pod selector reads (none: no pod selector); undefined when templated. */
  readonly labelKeys: readonly string[] | undefined;
  /**
   * The label key whose one templated value decides its pod selector (`oneValueKey`): on pods whose
   * labels it reads are known, it matches those whose value of that key is the rendered one.
   */
  readonly oneValue?: string | undefined;
}

/**
 * The key of a pod selector whose only templated part is the value of one `matchLabels` entry under
 * a fixed key (`app: "{{ .Values.app }}"`), every other requirement fixed: it renders to one value,
 * so pods with different values of that key are never both matched, and pods with the same value
 * are matched together or not at all. Undefined for any other selector.
 */
export function oneValueKey(sel: Selector | undefined): string | undefined {
  const ml = sel?.matchLabels;
  if (sel === undefined || ml === undefined || ml.unknown || sel.matchExpressions.some((r) => r.unknown)) return undefined;
  const templated = ml.entries.filter((e) => !e.value.known);
  const key = templated[0]?.key;
  if (templated.length !== 1 || key === undefined || /\{\{|\$\{|\$\(/.test(key)) return undefined;
  return key;
}

/**
 * The value of `u`'s one-value key (`Condition.oneValue`) on class `c` when every label its pod
 * selector reads is known there and one for all its pods; undefined when `u` has none or it is not.
 */
export function oneValueOn(
  cls: { readonly labels: { readonly known: ReadonlyMap<string, string>; readonly perPod: ReadonlyMap<string, unknown> } } | undefined,
  u: Condition | undefined,
): string | undefined {
  const k = u?.oneValue;
  if (cls === undefined || k === undefined || u?.labelKeys === undefined) return undefined;
  if (!u.labelKeys.every((key) => cls.labels.known.has(key) && !cls.labels.perPod.has(key))) return undefined;
  return cls.labels.known.get(k);
}

/** The label keys a selector reads; undefined when a key or the whole map is templated. */
export function selectorLabelKeys(sel: Selector | undefined): string[] | undefined {
  if (sel === undefined) return [];
  if (sel.matchLabels?.unknown === true) return undefined;
  const keys = [...(sel.matchLabels?.entries ?? []).map((e) => e.key), ...sel.matchExpressions.map((r) => r.key)];
  return keys.some((k) => k.includes('{{') || k.includes('${') || k.includes('$(')) ? undefined : keys;
}

/**
 * Whether `u` may match two pods of class `cls` differently: it reads a label that differs per pod
 * (a StatefulSet's pod name) or that a controller sets per revision (a Deployment's
 * pod-template-hash), or labels it cannot name. Else one value decides it for all the class's pods,
 * so a subject and a peer of the class's own traffic are one unknown.
 */
export function podVaries(
  cls: { readonly labels: { readonly perPod: ReadonlyMap<string, unknown> }; readonly obj: KObject | undefined } | undefined,
  u: Condition | undefined,
): boolean {
  if (cls === undefined || u === undefined || u.labelKeys === undefined) return true;
  const controller = cls.obj?.pod?.controllerLabels;
  return u.labelKeys.some((k) => cls.labels.perPod.has(k) || controller?.has(k) === true);
}

/** The key of the pod selector `sel` as a condition (`P:`): by content when fixed, by `sharedSelectionKey` when templated. */
export function podConditionKey(uri: string, text: string | undefined, sel: Selector | undefined): string | undefined {
  if (sel === undefined) return undefined;
  if (!sel.unknown) return `P:f:${selectorKey(sel)}`;
  const shared = sharedSelectionKey(uri, text, [sel]);
  return shared === undefined ? undefined : `P:t:${shared}`;
}

/** What `u`'s maybe-match on class `c` is about (`Condition`), without the class; undefined: nothing shared. */
export function conditionKey(u: Condition | undefined, c: number): string | undefined {
  if (u === undefined) return undefined;
  if (u.pod !== undefined && (u.ns === undefined || bit(u.ns, c))) return u.pod;
  return u.selection;
}

/** The keys a condition may take on some pod (for the workspace-wide count). */
function conditionKeys(u: Condition | undefined): string[] {
  if (u === undefined) return [];
  const out: string[] = [];
  if (u.selection !== undefined) out.push(u.selection);
  if (u.pod !== undefined) out.push(u.pod);
  return out;
}

/** What the shared conditions read of the cluster policies that may select a pod on one side. */
export interface ConditionPolicy {
  readonly serial: number;
  readonly selected: { readonly yes: Uint32Array; readonly maybe: Uint32Array };
  readonly condition: Condition | undefined;
  readonly ingress: ReadonlyArray<{ readonly peers: ReadonlyArray<ConditionPeer> }>;
  readonly egress: ReadonlyArray<{ readonly peers: ReadonlyArray<ConditionPeer> }>;
}

export interface ConditionPeer {
  readonly pods: { readonly yes: Uint32Array; readonly maybe: Uint32Array };
  readonly condition: Condition | undefined;
}

/** What the shared conditions read of a NetworkPolicy that maybe selects the pod. */
export interface ConditionNetworkPolicy {
  readonly selected: { readonly yes: Uint32Array; readonly maybe: Uint32Array };
  readonly condition: Condition;
  readonly ingressKey: string;
  readonly egressKey: string;
}

function bit(b: Uint32Array, i: number): boolean {
  return ((b[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
}

function anyBit(b: Uint32Array): boolean {
  for (let i = 0; i < b.length; i++) if ((b[i] ?? 0) !== 0) return true;
  return false;
}

/** At most this many shared conditions are decided together on one side (2^n worlds); others stay independent. */
export const MAX_SHARED_CONDITIONS = 6;

/**
 * The condition keys that two maybe-matches in the workspace may share: used by two cluster
 * subjects or peers, or by one and a NetworkPolicy's selection, each matching some class only
 * maybe. Empty (the common case: labels known, no templated selectors): every maybe-match is its
 * own unknown and no side needs worlds.
 */
export function sharedConditionKeys(
  cluster: readonly ConditionPolicy[],
  networkPolicies: readonly ConditionNetworkPolicy[],
): ReadonlySet<string> {
  const count = new Map<string, number>();
  const add = (u: Condition | undefined, maybe: Uint32Array): void => {
    if (u === undefined || !anyBit(maybe)) return;
    for (const k of conditionKeys(u)) count.set(k, (count.get(k) ?? 0) + 1);
  };
  for (const p of cluster) {
    add(p.condition, p.selected.maybe);
    for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers) add(peer.condition, peer.pods.maybe);
  }
  const out = new Set<string>();
  for (const [k, n] of count) if (n > 1) out.add(k);
  if (count.size === 0) return out;
  for (const np of networkPolicies) {
    const k = np.condition.pod;
    if (k !== undefined && count.has(k) && anyBit(np.selected.maybe)) out.add(k);
  }
  return out;
}

/**
 * The world key of a condition on one pod: `c<class>|key` for the target pod and for a peer
 * pod whose labels are one for all its pods (so that a subject and a peer of the pod's own
 * traffic are one unknown); `o<class>|key` for a peer pod whose labels differ per pod (its
 * replicas are other pods than the target).
 */
export function worldKey(c: number, key: string, otherPods = false): string {
  return `${otherPods ? 'o' : 'c'}${c}|${key}`;
}

/**
 * The conditions that decide two or more of a side's maybe-matches at once (docs/dev/cluster-policies.md
 * C13): cluster subjects that select the pod together or not at all, NetworkPolicies whose
 * selection is the same unknown as a subject's (all of them counting once, as they select
 * together: `Verdicts.netpolSide`), peers that match the far pod together or not at all, and, for
 * the pod's own traffic, a subject and a peer over the same pod. Each is one unknown: the side is
 * evaluated once with it true and once false, instead of taking the matches as independent.
 */
export function sharedConditions(
  policies: readonly ConditionPolicy[],
  networkPolicies: readonly ConditionNetworkPolicy[],
  direction: 'ingress' | 'egress',
  target: number,
  other: { readonly index: number; readonly varies: (u: Condition | undefined) => boolean } | undefined,
  shared: ReadonlySet<string>,
  valueOn?: (c: number, u: Condition | undefined) => string | undefined,
): SharedConditions {
  const values = new Map<string, OneValue>();
  if (shared.size === 0) return { keys: [], values, several: [] };
  const count = new Map<string, number>();
  const add = (k: string): void => {
    count.set(k, (count.get(k) ?? 0) + 1);
  };
  // The one-value conditions on a pod (`Condition.oneValue`), with the pod's value of their key.
  const one = new Map<string, OneValue>();
  const noteValue = (wk: string, c: number, condition: string, u: Condition | undefined): void => {
    const value = valueOn?.(c, u);
    if (value !== undefined && u?.oneValue !== undefined) one.set(wk, { condition, label: u.oneValue, value, c });
  };
  const nps = new Set<string>();
  for (const np of networkPolicies) {
    const k = conditionKey(np.condition, target);
    if (k !== undefined && shared.has(k) && !bit(np.selected.yes, target) && bit(np.selected.maybe, target)) {
      nps.add(worldKey(target, k));
      noteValue(worldKey(target, k), target, k, np.condition);
    }
  }
  for (const k of nps) add(k);
  for (const p of policies) {
    const k = conditionKey(p.condition, target);
    if (k !== undefined && shared.has(k) && !bit(p.selected.yes, target) && bit(p.selected.maybe, target)) {
      add(worldKey(target, k));
      noteValue(worldKey(target, k), target, k, p.condition);
    }
    if (other === undefined) continue;
    for (const rule of direction === 'ingress' ? p.ingress : p.egress)
      for (const peer of rule.peers) {
        const pk = conditionKey(peer.condition, other.index);
        if (pk !== undefined && shared.has(pk) && !bit(peer.pods.yes, other.index) && bit(peer.pods.maybe, other.index)) {
          const varies = other.varies(peer.condition);
          add(worldKey(other.index, pk, varies));
          if (!varies) noteValue(worldKey(other.index, pk), other.index, pk, peer.condition);
        }
      }
  }
  const out: string[] = [];
  for (const [k, n] of count) if (n > 1 && out.length < MAX_SHARED_CONDITIONS) out.push(k);
  const several = [...out];
  // One templated value deciding conditions on two pods (the pod and its peer): linked (`worlds`).
  for (const [k, v] of one) {
    const linked = [...one].some(([k2, v2]) => k2 !== k && v2.condition === v.condition);
    if (!linked) continue;
    if (!out.includes(k)) {
      if (out.length >= MAX_SHARED_CONDITIONS) continue;
      out.push(k);
    }
    values.set(k, v);
  }
  return { keys: out, values, several };
}

/** A condition whose one templated value of a label key decides it (`Condition.oneValue`) on pod `c`, with `c`'s value of that key. */
export interface OneValue {
  readonly condition: string;
  readonly label: string;
  readonly value: string;
  readonly c: number;
}

/** The unknowns a side is evaluated over (`sharedConditions`): world keys, and the one-value ones among them. */
export interface SharedConditions {
  readonly keys: readonly string[];
  readonly values: ReadonlyMap<string, OneValue>;
  /** The keys that decide several of the side's maybe-matches (the others are there for `values`). */
  readonly several: readonly string[];
}

/**
 * Whether, toward some peer, one unknown may decide several of pod `c`'s maybe-matches on this
 * side (`sharedConditions` non-empty): undefined when not; else what the side depends on besides
 * its context (`sideContext`): which unknown each subject and NetworkPolicy's selection is on
 * this pod, and the pod itself when a peer of its own traffic shares one (`own`). Conservative:
 * two peers that may take the same key on some pod count.
 */
export function worldsSignature(
  policies: readonly ConditionPolicy[],
  networkPolicies: readonly ConditionNetworkPolicy[],
  direction: 'ingress' | 'egress',
  c: number,
  varies: (u: Condition | undefined) => boolean,
  shared: ReadonlySet<string>,
  valueOn?: (u: Condition | undefined) => string | undefined,
): { readonly signature: string; readonly own: boolean } | undefined {
  if (shared.size === 0) return undefined;
  const uses: string[] = [];
  const onPod = new Map<string, number>();
  const npKeys = new Set<string>();
  // One-value conditions on the pod (`Condition.oneValue`): linked to a peer's of the same key (`sharedConditions`).
  const oneValue = new Set<string>();
  const value = (u: Condition | undefined, k: string): string => {
    const v = valueOn?.(u);
    if (v === undefined) return '';
    oneValue.add(k);
    return `:${JSON.stringify(v)}`;
  };
  for (const np of networkPolicies) {
    const k = conditionKey(np.condition, c);
    if (k === undefined || !shared.has(k) || bit(np.selected.yes, c) || !bit(np.selected.maybe, c)) continue;
    uses.push(`n[${direction === 'ingress' ? np.ingressKey : np.egressKey}]=${k}${value(np.condition, k)}`);
    npKeys.add(k);
  }
  for (const k of npKeys) onPod.set(k, 1);
  let found = false;
  const peerKeys = new Set<string>();
  for (const p of policies) {
    const k = conditionKey(p.condition, c);
    if (k !== undefined && shared.has(k) && !bit(p.selected.yes, c) && bit(p.selected.maybe, c)) {
      uses.push(`s${p.serial}=${k}${value(p.condition, k)}`);
      const n = (onPod.get(k) ?? 0) + 1;
      onPod.set(k, n);
      if (n > 1) found = true;
    }
    for (const rule of direction === 'ingress' ? p.ingress : p.egress)
      for (const peer of rule.peers)
        for (const pk of conditionKeys(peer.condition)) {
          if (!shared.has(pk) || !anyBit(peer.pods.maybe)) continue;
          if (peerKeys.has(pk)) found = true;
          peerKeys.add(pk);
        }
  }
  // A peer whose one templated value decides a subject or NetworkPolicy's selection of the pod too.
  if (oneValue.size > 0)
    for (const p of policies)
      for (const rule of direction === 'ingress' ? p.ingress : p.egress)
        for (const peer of rule.peers) {
          const pk = peer.condition?.pod;
          if (pk !== undefined && oneValue.has(pk) && peer.condition?.oneValue !== undefined && anyBit(peer.pods.maybe)) found = true;
        }
  // The pod's own traffic: a peer that maybe matches the pod itself, as a subject or NetworkPolicy's selection does.
  let own = false;
  for (const p of policies)
    for (const rule of direction === 'ingress' ? p.ingress : p.egress)
      for (const peer of rule.peers) {
        const pk = conditionKey(peer.condition, c);
        if (pk !== undefined && onPod.has(pk) && !bit(peer.pods.yes, c) && bit(peer.pods.maybe, c) && !varies(peer.condition)) own = true;
      }
  if (!found && !own) return undefined;
  return { signature: `${uses.sort().join(',')}${own ? `#${c}` : ''}`, own };
}

/**
 * `sel` in one world (`sharedConditions`): the NetworkPolicies whose maybe-selection of `target`
 * the world decides select it surely, or not at all; undefined when the world decides none.
 */
export function selectingIn(
  sel: Selecting,
  direction: 'ingress' | 'egress',
  target: number,
  world: ReadonlyMap<string, boolean>,
): Selecting | undefined {
  const nps = direction === 'ingress' ? sel.ingressMaybe : sel.egressMaybe;
  const decided = nps.map((p) => {
    const k = conditionKey(p.condition, target);
    return k === undefined ? undefined : world.get(worldKey(target, k));
  });
  if (decided.every((d) => d === undefined)) return undefined;
  const yes = [...(direction === 'ingress' ? sel.ingress : sel.egress), ...nps.filter((_, i) => decided[i] === true)];
  const maybe = nps.filter((_, i) => decided[i] === undefined);
  return direction === 'ingress' ? { ...sel, ingress: yes, ingressMaybe: maybe } : { ...sel, egress: yes, egressMaybe: maybe };
}

/** The members of `b` below `n`. */
function* members(b: Uint32Array, n: number): Generator<number> {
  for (let w = 0; w < b.length; w++) {
    let x = b[w] ?? 0;
    while (x !== 0) {
      const low = x & -x;
      x ^= low;
      const c = (w << 5) + 31 - Math.clz32(low);
      if (c < n) yield c;
    }
  }
}

/**
 * The classes whose own traffic (between its pods) a peer may match by the same unknown as a
 * subject or NetworkPolicy's selection of them (`worldsSignature`'s `own`, over-approximated):
 * their verdict toward themselves differs from toward a class that behaves alike, so each is a
 * behaviour group of its own (`BehaviourGroups`).
 */
export function ownTrafficClasses(
  n: number,
  cluster: readonly ConditionPolicy[],
  networkPolicies: readonly ConditionNetworkPolicy[],
  varies: (c: number, u: Condition | undefined) => boolean,
): number[] {
  const shared = sharedConditionKeys(cluster, networkPolicies);
  if (shared.size === 0) return [];
  const keysOn = new Map<number, Set<string>>();
  const use = (u: Condition | undefined, sel: { readonly yes: Uint32Array; readonly maybe: Uint32Array }): void => {
    if (u === undefined || !conditionKeys(u).some((k) => shared.has(k))) return;
    for (const c of members(sel.maybe, n)) {
      const k = conditionKey(u, c);
      if (k === undefined || !shared.has(k) || bit(sel.yes, c)) continue;
      let s = keysOn.get(c);
      if (s === undefined) keysOn.set(c, (s = new Set()));
      s.add(k);
    }
  };
  for (const p of cluster) use(p.condition, p.selected);
  for (const np of networkPolicies) use(np.condition, np.selected);
  if (keysOn.size === 0) return [];
  const out = new Set<number>();
  for (const p of cluster)
    for (const r of [...p.ingress, ...p.egress])
      for (const peer of r.peers) {
        if (peer.condition === undefined || !conditionKeys(peer.condition).some((k) => shared.has(k))) continue;
        for (const c of members(peer.pods.maybe, n)) {
          const k = conditionKey(peer.condition, c);
          if (k !== undefined && !bit(peer.pods.yes, c) && !varies(c, peer.condition) && keysOn.get(c)?.has(k) === true) out.add(c);
        }
      }
  return [...out].sort((a, b) => a - b);
}

/**
 * The label keys of the one-value conditions (`Condition.oneValue`) among the shared ones
 * (`sharedConditionKeys`), sorted: classes with different values of them are told apart
 * (`BehaviourGroups`), as their peers' matches are linked to theirs differently.
 */
export function oneValueLabels(cluster: readonly ConditionPolicy[], networkPolicies: readonly ConditionNetworkPolicy[]): string[] {
  const shared = sharedConditionKeys(cluster, networkPolicies);
  if (shared.size === 0) return [];
  const out = new Set<string>();
  const use = (u: Condition | undefined): void => {
    if (u?.oneValue !== undefined && u.pod !== undefined && shared.has(u.pod)) out.add(u.oneValue);
  };
  for (const p of cluster) {
    use(p.condition);
    for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers) use(peer.condition);
  }
  for (const np of networkPolicies) use(np.condition);
  return [...out].sort();
}

/**
 * Every assignment of `keys` (2^n worlds) that one value per templated text allows: two one-value
 * conditions of one condition (`values`) on pods with different values of its label key are never
 * both true, on pods with the same value both true or both false.
 */
export function worlds(keys: readonly string[], values?: ReadonlyMap<string, OneValue>): Array<ReadonlyMap<string, boolean>> {
  const out: Array<Map<string, boolean>> = [];
  const linked: Array<[number, number, boolean]> = [];
  keys.forEach((a, i) =>
    keys.forEach((b, j) => {
      const va = values?.get(a);
      const vb = values?.get(b);
      if (j > i && va !== undefined && vb !== undefined && va.condition === vb.condition) linked.push([i, j, va.value === vb.value]);
    }),
  );
  for (let m = 0; m < 1 << keys.length; m++) {
    const on = (i: number): boolean => (m & (1 << i)) !== 0;
    if (linked.some(([i, j, same]) => (same ? on(i) !== on(j) : on(i) && on(j)))) continue;
    out.push(new Map(keys.map((k, i) => [k, on(i)])));
  }
  return out;
}

/** Why a side only maybe-selecting policies may isolate is undefined: `whether a selects …`, `which of a and b select …`. */
export function maybeSelectingWords(policies: readonly CPolicy[]): string {
  const keys = policies.map((p) => p.key);
  if (keys.length === 1) return `whether ${keys[0] ?? ''} selects the pod depends on a templated value`;
  const together = new Map<string, string[]>();
  for (const p of policies) together.set(p.selection, [...(together.get(p.selection) ?? []), p.key]);
  if (together.size === 1)
    return `whether ${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1] ?? ''} select the pod (together or not at all) depends on a templated value`;
  const same = [...together.values()]
    .filter((g) => g.length > 1)
    .map((g) => ` (${g.slice(0, -1).join(', ')} and ${g[g.length - 1] ?? ''} select it together or not at all)`);
  return `which of ${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1] ?? ''} select the pod depends on templated values${same.join('')}`;
}
