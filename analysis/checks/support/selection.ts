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

interface Pair {
  readonly key: string;
  readonly value: string;
}

/** The known `matchLabels` pairs of a selector whose every pair is known; undefined otherwise. */
function knownPairs(sel: Selector): [Pair, ...Pair[]] | undefined {
  const entries = sel.matchLabels?.entries ?? [];
  if (sel.unknown || entries.length === 0) return undefined;
  const out: Pair[] = [];
  for (const e of entries) {
    if (!e.value.known) return undefined;
    out.push({ key: e.key, value: e.value.value });
  }
  const [first, ...rest] = out;
  return first === undefined ? undefined : [first, ...rest];
}

/** The pair the fewest producers bound to `ns` carry: it narrows most, and choosing it reads nothing (any pair gives the same answer). */
function rarestPair(index: WorkspaceIndex, ns: string, pairs: readonly [Pair, ...Pair[]]): Pair {
  let best = pairs[0];
  let size = Infinity;
  index.untracked(() => {
    for (const p of pairs) {
      const n = index.producersWithLabelIn(ns, p.key, p.value).length;
      if (n < size) {
        size = n;
        best = p;
      }
    }
  });
  return best;
}

/**
 * The producers bound to `ns` that `sel` may match: those the label index holds under its rarest
 * pair, and those whose labels leave that pair's key open, in index order. Undefined when the
 * selector has no pairs or an unknown one (every producer must be evaluated then).
 */
function boundCandidates(index: WorkspaceIndex, ns: string, sel: Selector): Placed[] | undefined {
  const pairs = knownPairs(sel);
  if (pairs === undefined) return undefined;
  const best = rarestPair(index, ns, pairs);
  const bound = new Set<Placed>(index.producersWithLabelIn(ns, best.key, best.value));
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
  const pairs = placement.floating || ns === undefined ? undefined : knownPairs(sel);
  const some = (list: Iterable<Placed>): boolean => {
    for (const c of list) if (matchSelector(sel, labelsOf(c)) !== 'no') return true;
    return false;
  };
  if (ns === undefined || pairs === undefined) return some(candidateProducers(ctx as CheckContext, placement));
  const best = rarestPair(ctx.index, ns, pairs);
  const uncertain = ctx.index.uncertainProducersIn(ns, best.key);
  const floating = ctx.index.floatingProducersOfUnit(placement.unit);
  return some(ctx.index.producersWithLabelIn(ns, best.key, best.value)) || some(uncertain) || some(floating);
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
