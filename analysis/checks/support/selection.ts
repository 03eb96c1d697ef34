/**
 * The pod producers a selector matches where an object is placed, looked up by label instead of
 * evaluated against every producer of the namespace (docs/dev/design.md §9, issue #21): a
 * selector with a known pair `key=value` can match only the producers the label index holds under
 * that pair, and those whose labels leave `key` open (templated, per-pod, added by a controller).
 * The lookup reads the keys of that pair in that namespace alone (`nslabel:<ns>\u0000key=value`,
 * `pods-uncertain:`), so an edit of one workload re-evaluates only the selectors of its namespace
 * that name one of its labels, however many workloads and Services the namespace holds, and
 * however many other namespaces' selectors name the same pair (a `tier: frontend` peer in every
 * team's policies). Same answer as `evaluateSelector` over
 * `candidateProducers`, in the same order (test/analysis/selection.test.ts).
 */

import type { Placed, Placement, WorkspaceIndex } from '../../workspace/workspaceIndex.js';
import type { Selector } from '../../model/types.js';
import { selectorKey } from '../../reachability/selectors.js';
import type { CheckContext } from './check.js';
import { matchSelector } from '../../model/labels.js';
import { candidateProducers, evaluateSelector, labelsOf } from './evidence.js';
import type { SelectorOutcome } from './evidence.js';

function byPlace(a: Placed, b: Placed): number {
  if (a.obj.uri !== b.obj.uri) return a.obj.uri < b.obj.uri ? -1 : 1;
  return a.obj.ordinal - b.obj.ordinal;
}

/** A requirement every producer the selector may match meets: a label `key` with one of `values` (or the key left open). */
interface Lookup {
  readonly key: string;
  readonly values: readonly string[];
}

/**
 * The lookups of a selector with no unknown part: its `matchLabels` pairs (every one known) and its
 * `In` expressions; undefined when it has none (every producer must be evaluated then).
 */
function lookupsOf(sel: Selector): [Lookup, ...Lookup[]] | undefined {
  if (sel.unknown) return undefined;
  const out: Lookup[] = [];
  for (const e of sel.matchLabels?.entries ?? []) {
    if (!e.value.known) return undefined;
    out.push({ key: e.key, values: [e.value.value] });
  }
  for (const r of sel.matchExpressions)
    if (r.operator === 'In' && !r.unknown && r.values.length > 0) out.push({ key: r.key, values: r.values });
  const [first, ...rest] = out;
  return first === undefined ? undefined : [first, ...rest];
}

/** The lookup the fewest producers bound to `ns` meet: it narrows most, and choosing it reads nothing (any lookup gives the same answer). */
function rarestLookup(index: WorkspaceIndex, ns: string, lookups: readonly [Lookup, ...Lookup[]]): Lookup {
  let best = lookups[0];
  let size = Infinity;
  if (lookups.length === 1) return best;
  index.untracked(() => {
    for (const l of lookups) {
      let n = 0;
      for (const v of l.values) n += index.producersWithLabelIn(ns, l.key, v).length;
      if (n < size) {
        size = n;
        best = l;
      }
    }
  });
  return best;
}

/** The producers bound to `ns` with `key` set to one of the lookup's values (`nslabel:` keys), in index order per value. */
function carriers(index: WorkspaceIndex, ns: string, l: Lookup): readonly Placed[] {
  const [only, ...more] = l.values;
  if (only !== undefined && more.length === 0) return index.producersWithLabelIn(ns, l.key, only);
  const out = new Set<Placed>();
  for (const v of l.values) for (const p of index.producersWithLabelIn(ns, l.key, v)) out.add(p);
  return [...out];
}

/**
 * The producers bound to `ns` that `sel` may match: those the label index holds under its rarest
 * lookup (a pair, or an `In` expression's pairs), and those whose labels leave that key open, in
 * index order. Undefined when the selector has no lookup or an unknown part (every producer must be
 * evaluated then).
 */
function boundCandidates(index: WorkspaceIndex, ns: string, sel: Selector): Placed[] | undefined {
  const lookups = lookupsOf(sel);
  if (lookups === undefined) return undefined;
  const best = rarestLookup(index, ns, lookups);
  const bound = new Set<Placed>(carriers(index, ns, best));
  for (const p of index.uncertainProducersIn(ns, best.key)) bound.add(p);
  return [...bound].sort(byPlace);
}

/** What `sel` matches among the producers that could be selected from `placement` (`candidateProducers`). */
export function selectProducers(ctx: Pick<CheckContext, 'index'>, placement: Placement, sel: Selector): SelectorOutcome {
  const ns = placement.namespace;
  const candidates = placement.floating || ns === undefined ? undefined : boundCandidates(ctx.index, ns, sel);
  if (candidates === undefined) return evaluateSelector(candidateProducers(ctx as CheckContext, placement), sel);
  // The unit's floating producers land in the namespace too (`candidateProducers`).
  const bound = new Set(candidates);
  for (const p of ctx.index.floatingProducersOfUnit(placement.unit)) if (!bound.has(p)) candidates.push(p);
  return evaluateSelector(candidates, sel);
}

/**
 * Whether `sel` matches, or may match, some producer `selectProducers` would consider: the same
 * lookups (so the same dependency keys), but neither the candidates' order nor the whole list is
 * needed, so it stops at the first. A policy peer's `tier: frontend` is answered by its first
 * producer, not by sorting and evaluating every one that carries it (issue #21).
 */
export function selectsSome(ctx: Pick<CheckContext, 'index'>, placement: Placement, sel: Selector): boolean {
  const ns = placement.namespace;
  const lookups = placement.floating || ns === undefined ? undefined : lookupsOf(sel);
  const some = (list: Iterable<Placed>): boolean => {
    for (const c of list) if (matchSelector(sel, labelsOf(c)) !== 'no') return true;
    return false;
  };
  if (ns === undefined || lookups === undefined) return some(candidateProducers(ctx as CheckContext, placement));
  const best = rarestLookup(ctx.index, ns, lookups);
  const uncertain = ctx.index.uncertainProducersIn(ns, best.key);
  const floating = ctx.index.floatingProducersOfUnit(placement.unit);
  return some(carriers(ctx.index, ns, best)) || some(uncertain) || some(floating);
}

/** Whether `sel` matches, or may match, a producer bound to `ns` (`WorkspaceIndex.producersIn`), reading only its rarest lookup's keys there. */
export function selectsSomeIn(ctx: Pick<CheckContext, 'index'>, ns: string, sel: Selector): boolean {
  const some = (list: Iterable<Placed>): boolean => {
    for (const c of list) if (matchSelector(sel, labelsOf(c)) !== 'no') return true;
    return false;
  };
  const lookups = lookupsOf(sel);
  if (lookups === undefined) return some(ctx.index.producersIn(ns));
  const best = rarestLookup(ctx.index, ns, lookups);
  return some(carriers(ctx.index, ns, best)) || some(ctx.index.uncertainProducersIn(ns, best.key));
}

/** What `sel` matches among the producers bound to `ns` (`WorkspaceIndex.producersIn`). */
export function selectInNamespace(ctx: Pick<CheckContext, 'index'>, ns: string, sel: Selector): SelectorOutcome {
  // Once per index, namespace and selector text (with the keys it read): a policy's podSelector is
  // asked per rule, and every policy of a team names the same cross-namespace peer. Selectors with
  // the same text match the same producers, whichever of their pairs the lookup reads.
  const evaluate = (): SelectorOutcome => evaluateSelector(boundCandidates(ctx.index, ns, sel) ?? ctx.index.producersIn(ns), sel);
  if (sel.unknown) return ctx.index.cachedFor(sel, `select-in:${ns}`, evaluate);
  return ctx.index.cached(`select-in:${ns}\u0000${selectorKey(sel)}`, evaluate);
}
