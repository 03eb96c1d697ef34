/**
 * What a change opens or closes, in the editor (`kubeReach/diff`, the panel's Changes view and the
 * NetworkPolicy code lens's "+2 / −1 since HEAD"): the connection diff between a base snapshot
 * (the workspace as a git commit holds it) and the current one, unsaved edits included, and per
 * NetworkPolicy whose text changed, the connections its edit added, removed or changed. The
 * comparison is `reachability/diff.ts`'s, the one `kube-reach diff` prints.
 */

import type { Analysis } from '../host.js';
import { hasBit } from '../reachability/bitset.js';
import type { DiffEntry } from '../reachability/diff.js';
import { connectivityDiff } from '../reachability/diff.js';
import type { ReachEngine } from '../reachability/engine.js';
import type { ReachMatrix } from '../reachability/matrix.js';
import { computeReach } from '../reachability/connectionList.js';
import { reachNotes } from '../reachability/notes.js';
import type { ReachResult } from '../reachability/connectionList.js';
import type { Span } from '../types.js';

/** The connections a changed NetworkPolicy's side of the diff touches. */
export interface PolicyChange {
  /** `ns/name`. */
  readonly key: string;
  /** Where the policy is now (absent: it exists only in the base). */
  readonly uri?: string;
  readonly anchor?: Span;
  /** The policy exists now and not in the base. */
  readonly isNew: boolean;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

export interface WorkspaceChanges {
  readonly entries: readonly DiffEntry[];
  readonly matrices?: ChangesMatrices;
  /** NetworkPolicies whose text differs from the base (new ones and removed ones included), by key. */
  readonly policies: readonly PolicyChange[];
  /**
   * The notes `kube-reach reach` prints for each side's engine (reachability/notes.ts), file URIs
   * as URIs, as `kube-reach diff` prints them for each side; a note on variants or alternatives
   * left out ends with `ChangesOptions.pickUnit`.
   */
  readonly notes: { readonly base: readonly string[]; readonly current: readonly string[] };
}

/** What a comparison is of, and how its notes say to pick a unit. */
export interface ChangesOptions {
  /** The unit picked on both sides (`kube-reach diff --unit`, the panel's Unit list); absent: the workspace's first in path order. */
  readonly unit?: string;
  /** How a note on variants or alternatives left out says to pick a unit (`reachNotes`'s `pickUnit`); absent: no way. */
  readonly pickUnit?: string | null;
}

/** The notes of a snapshot's engine (`WorkspaceChanges.notes`). */
function sideNotes(analysis: Analysis, engine: ReachEngine, options: ChangesOptions): string[] {
  return reachNotes(analysis, engine, options.pickUnit ?? null);
}

/** The comparison of a snapshot with a base that is the same (nothing differs from it): no change, the same notes on both sides. */
export function noChanges(analysis: Analysis, options: ChangesOptions = {}): WorkspaceChanges {
  const notes = sideNotes(analysis, analysis.reachEngine(options.unit), options);
  return { entries: [], policies: [], notes: { base: notes, current: notes } };
}

interface PolicySide {
  readonly text: string;
  readonly ingress: boolean;
  readonly egress: boolean;
  readonly selects: ReadonlySet<string>;
  readonly uri: string;
  readonly anchor: Span;
}

function policySides(analysis: Analysis, engine: ReachEngine): Map<string, PolicySide> {
  const out = new Map<string, PolicySide>();
  for (const p of engine.policies) {
    const selects = new Set<string>();
    for (const cls of engine.classes) if (hasBit(p.selected.yes, cls.index) || hasBit(p.selected.maybe, cls.index)) selects.add(cls.node);
    const text = analysis.text(p.obj.uri)?.slice(p.obj.span.start, p.obj.span.end) ?? '';
    out.set(p.key, {
      // Two copies of one key (variants) compare as one text.
      text: (out.get(p.key)?.text ?? '') + text,
      ingress: p.ingress !== undefined || out.get(p.key)?.ingress === true,
      egress: p.egress !== undefined || out.get(p.key)?.egress === true,
      selects: new Set([...(out.get(p.key)?.selects ?? []), ...selects]),
      uri: p.obj.uri,
      anchor: p.obj.anchor,
    });
  }
  return out;
}

/**
 * The connection list of a snapshot's engine (of `unit` when given), once per snapshot, unit and
 * scope (from the last snapshot's matrix when given); with a scope, only the part of it a change
 * there can alter.
 */
function reachOf(
  analysis: Analysis,
  previous: ReachMatrix | undefined,
  scope: ReadonlySet<string> | undefined,
  unit: string | undefined,
): { engine: ReachEngine; result: ReachResult } {
  const key = `changes.reach\u0001${unit ?? ''}${scope === undefined ? '' : `:${[...scope].sort().join('\u0000')}`}`;
  return analysis.memo(key, () => {
    const engine = analysis.reachEngine(unit);
    return { engine, result: computeReach(engine, scope, previous) };
  });
}

/**
 * The namespaces a change of these files is confined to, or undefined when it may reach further
 * (then the whole workspace is compared). A connection's verdict reads the labels of its two
 * pods and of their namespaces, the NetworkPolicies of those namespaces and the cluster policies;
 * so when every object the files hold (on either side) is a namespaced object of a plain file,
 * or a Namespace, only connections with an end in those namespaces can differ, besides the
 * ingress-controller and data-plane lines, which `computeReach` then lists in full. Anything
 * else widens to the whole workspace: a file with no objects on either side (a Kustomize patch,
 * values, a partial), an object a Kustomize build or a chart render made (other files' text can
 * change it), a cluster-scoped object other than a Namespace (cluster policies, classes, CRDs),
 * Gateway API objects (a route can send to another namespace), an object without a namespace
 * of its own (floating, or decided at install time).
 */
export function changeScope(base: Analysis, current: Analysis, uris: Iterable<string>): ReadonlySet<string> | undefined {
  const out = new Set<string>();
  for (const uri of uris) {
    const placed = [...base.index.objectsOfFile(uri), ...current.index.objectsOfFile(uri)];
    if (placed.length === 0) return undefined;
    for (const { obj, placements } of placed) {
      if (obj.renderedHelm || obj.build !== undefined || obj.clusterPolicy !== undefined || obj.ingressClass !== undefined)
        return undefined;
      if (obj.gateway !== undefined || obj.route !== undefined || obj.referenceGrant !== undefined || obj.gatewayClass !== undefined)
        return undefined;
      if (obj.kind === 'Namespace' && obj.group === '') {
        if (obj.name?.known !== true) return undefined;
        out.add(obj.name.value);
        continue;
      }
      if (placements.length === 0) return undefined;
      for (const p of placements) {
        if (p.floating || p.namespace === undefined) return undefined;
        out.add(p.namespace);
      }
    }
  }
  return out;
}

/** The all-pairs matrices a comparison read, to hand back to the next one (an edit then costs what it changed). */
export interface ChangesMatrices {
  readonly base?: ReachMatrix;
  readonly current?: ReachMatrix;
}

/**
 * The connections that differ between `base` and `current`, and the NetworkPolicies whose edit
 * touches them. `scope` (from `changeScope`): compare only the connections a change confined to
 * those namespaces can alter; the answer is the same as without it. `options.unit`: the unit
 * picked on both sides (its alternatives left out, as `diff --unit`).
 */
export function workspaceChanges(
  base: Analysis,
  current: Analysis,
  previous: ChangesMatrices = {},
  scope?: ReadonlySet<string>,
  options: ChangesOptions = {},
): WorkspaceChanges {
  const before = reachOf(base, previous.base, scope, options.unit);
  const after = reachOf(current, previous.current, scope, options.unit);
  const entries = connectivityDiff(
    { space: before.engine.space, result: before.result },
    { space: after.engine.space, result: after.result },
  );
  const was = policySides(base, before.engine);
  const now = policySides(current, after.engine);
  const policies: PolicyChange[] = [];
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(key);
    const b = now.get(key);
    if (a !== undefined && b !== undefined && a.text === b.text) continue;
    // An entry is the policy's when an end it selects (on either side) is on a side it isolates.
    const touches = (e: DiffEntry): boolean =>
      [a, b].some((s) => s !== undefined && ((s.ingress && s.selects.has(e.destination)) || (s.egress && s.selects.has(e.source))));
    let added = 0;
    let removed = 0;
    let changed = 0;
    for (const e of entries) {
      if (!touches(e)) continue;
      if (e.type === 'added') added++;
      else if (e.type === 'removed') removed++;
      else changed++;
    }
    policies.push({
      key,
      ...(b !== undefined ? { uri: b.uri, anchor: b.anchor } : {}),
      isNew: a === undefined,
      added,
      removed,
      changed,
    });
  }
  policies.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return {
    entries,
    policies,
    matrices: { base: before.result.matrix, current: after.result.matrix },
    notes: { base: sideNotes(base, before.engine, options), current: sideNotes(current, after.engine, options) },
  };
}

/** The code lens's words for a changed policy: `+2 / −1 since HEAD` (`~1`: changed ports), or that its edit changed no connection. */
export function sinceBaseTitle(change: PolicyChange, base: string): string {
  const parts: string[] = [];
  if (change.added > 0) parts.push(`+${change.added}`);
  if (change.removed > 0) parts.push(`\u2212${change.removed}`);
  if (change.changed > 0) parts.push(`~${change.changed}`);
  if (parts.length === 0) return `${change.isNew ? 'new' : 'edited'}, connections unchanged since ${base}`;
  return `${parts.join(' / ')} since ${base}`;
}
