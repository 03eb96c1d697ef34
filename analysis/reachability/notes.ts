/**
 * The notes every reachability answer carries about what it left out, one list for `reach`,
 * `explain`, `diff` (for each side) and the panel (which names its Unit list where the CLI says
 * `--unit`): the engine's own (objects named at install time, variants and alternatives of units,
 * objects defined twice, policies or rules it cannot read), a Kustomize build naming a folder none
 * of whose files were read (a base outside the paths given) or a part kustomize fetches from the
 * network, whose objects would otherwise be missing without a word, and network policies of CNI plugins that no
 * answer evaluates (`unevaluated.ts`). File URIs stay URIs here: the CLI and the server write them
 * as paths relative to a folder a person knows (`server/notes.ts`).
 */

import type { Analysis } from '../host.js';
import type { WorkspaceIndex } from '../workspace/workspaceIndex.js';
import type { ReachEngine } from './engine.js';
import { PICK_UNIT } from './gather.js';
import { unevaluatedPoliciesNote } from './unevaluated.js';

/** A note for each Kustomize build that names a file or folder outside the paths read. */
function outsidePathsNotes(analysis: Analysis): string[] {
  const read = new Set([...analysis.index.files.keys()].map((uri) => uri.slice(0, uri.lastIndexOf('/'))));
  const outside = new Set<string>();
  for (const [root, build] of analysis.index.kustomizeLayout().builds)
    for (const p of build.result?.problems ?? [])
      if (
        p.missing !== undefined &&
        p.ignoredBy === undefined &&
        p.rewrittenBy === undefined &&
        !read.has(p.missing.slice(0, p.missing.lastIndexOf('/')))
      )
        outside.add(
          `the Kustomize build of ${root} names ${p.missing}, which is outside the paths read: its objects are left out (name a folder that holds both)`,
        );
  return [...outside];
}

/**
 * The notes about a build: a Kustomize folder outside the paths read (above), and a part the tool
 * fetches from the network or runs (a remote base, a chart kustomize or Fleet pulls, an Argo CD
 * plugin; `remote-source-not-fetched`), whose objects are left out as well. One note per root and part.
 */
function kustomizeNotes(analysis: Analysis): string[] {
  const remote = new Set<string>();
  for (const [root, build] of analysis.index.kustomizeLayout().builds)
    for (const n of build.result?.notes ?? [])
      if (n.remote !== undefined)
        remote.add(
          n.fetchedBy === undefined
            ? `the Kustomize build of ${root} fetches ${n.remote}, which Kube Reach does not (it reads no network): its objects are left out`
            : `the ${n.fetchedBy} build of ${root} needs ${n.remote}, which Kube Reach does not fetch or run: its objects are left out`,
        );
  return [...outsidePathsNotes(analysis), ...remote];
}

/**
 * Every note of an answer computed with `engine` on `analysis`, in the order `reach` prints them.
 * `pickUnit`: how a note about variants or alternatives left out says to pick a unit, the CLI's
 * `pick one with --unit` unless given (the panel names its Unit list; `null` when the reader has
 * no way to pick one, and the note ends without it).
 */
export function reachNotes(analysis: Analysis, engine: ReachEngine, pickUnit: string | null = PICK_UNIT): string[] {
  const unevaluated = unevaluatedPoliciesNote(analysis.index.objects);
  const hint = ` (${PICK_UNIT})`;
  const own =
    pickUnit === PICK_UNIT
      ? engine.notes
      : engine.notes.map((n) => (n.endsWith(hint) ? n.slice(0, -hint.length) + (pickUnit === null ? '' : ` (${pickUnit})`) : n));
  return [...own, ...kustomizeNotes(analysis), ...(unevaluated === undefined ? [] : [unevaluated])];
}

/**
 * Whether `uri` can be picked as the unit of a reachability answer (`--unit`, the panel's Unit
 * list), as the notes above tell the reader to: a unit some object is placed in, or a plain file
 * that has alternatives in its folder (`quick-start.yaml` beside `quick-start-ha.yaml`), which the
 * notes name as left out; the engine takes its objects first (gather.ts `pickedFirst`).
 */
export function isPickableUnit(index: WorkspaceIndex, uri: string): boolean {
  if (index.objects.some((p) => p.placements.some((pl) => pl.unit === uri))) return true;
  const alts = index.alternatives;
  return alts.files.has(uri) || alts.fileGroups?.has(uri) === true;
}
