/**
 * Which layout edits an edit of the GitOps roots' makers is, and what it builds again (units/structure.ts
 * `restructure`): templates that write Argo CD Applications and what their renders read, the ConfigMaps
 * and Secrets Flux roots substitute from, the kustomize-controller Deployment, a Chart.yaml that comes or
 * goes. Pure. Design notes: docs/dev/units.md §2, docs/dev/flux.md.
 */

import { isDeferred } from '../model/deferredFacts.js';
import type { FileFacts, KObject } from '../model/types.js';
import { dirname, isUnder } from '../workspace/paths.js';
import { hasArgoApplication } from './argocd.js';
import { hasArgoTemplate, writesArgo } from './argocdCharts.js';
import { isClusterSecret } from './argocdDestination.js';
import { isCmdParams } from './argocdGenerators.js';
import { definesCmpPlugin } from './argocdPlugins.js';
import { hasFleetBundle } from './fleet.js';
import { hasFleetGitRepo } from './fleetGitRepo.js';
import { hasFluxKustomization, hasGitRepository } from './flux.js';
import type { FluxRoot } from './flux.js';
import { referencedNames, substitutes } from './fluxValues.js';
import type { KustomizeLayout } from './kustomize.js';
import type { LayoutChange } from './layoutScan.js';
import type { Chart } from './placement.js';

function substituteSource(o: KObject, names: ReadonlySet<string>): boolean {
  return (o.kind === 'ConfigMap' || o.kind === 'Secret') && o.group === '' && o.name?.known === true && names.has(o.name.value);
}

function isKustomizeController(o: KObject): boolean {
  return o.kind === 'Deployment' && o.name?.known === true && o.name.value === 'kustomize-controller';
}

/** The names of the ConfigMaps and Secrets of a file's facts that Flux roots read postBuild values from. */
function substitutedNames(f: FileFacts | undefined, names: ReadonlySet<string> | undefined): string[] {
  if (f === undefined || names === undefined || names.size === 0) return [];
  return f.objects.filter((o) => substituteSource(o, names)).map((o) => (o.name?.known === true ? o.name.value : ''));
}

/**
 * Whether an edit of `uri` (from `b` to `a`) may change the GitOps roots a render or a Flux parent's build
 * makes: a template that writes (or starts or stops writing) Argo CD Applications, a file such a render or
 * a Flux parent that patches its children read, a ConfigMap or Secret whose values such a parent
 * substitutes, and the kustomize-controller Deployment when a parent patches (its strictness decides the
 * parent's build). `restructure` computes the layout again for them, as for a kustomization edited
 * (units/layoutChange.ts): only the roots, builds and charts that changed are judged again.
 */
export function rootsMakerEdit(
  kust: KustomizeLayout,
  uri: string,
  b: FileFacts | undefined,
  a: FileFacts | undefined,
  text: ((uri: string) => string | undefined) | undefined,
): boolean {
  if (hasArgoTemplate(b) || hasArgoTemplate(a) || kust.argoInputs?.has(uri) === true) return true;
  // A template whose reading is deferred (model/deferredFacts.ts) is known to write Applications by its text.
  if (a?.template === true && text !== undefined && writesArgo(text(uri))) return true;
  if (!fluxPatched(kust.flux)) return false;
  return [b, a].some((f) => substitutedNames(f, kust.substituteNames).length > 0 || holdsController(f));
}

/** Whether a file holds the kustomize-controller Deployment (its version and feature gates decide whether Flux's substitution is strict). */
function holdsController(f: FileFacts | undefined): boolean {
  return f?.objects.some(isKustomizeController) === true;
}

/**
 * The Flux roots whose builds the kustomize-controller Deployment decides (those that substitute: strict or
 * not), when an edited file holds it before or after the edit (no parent patches its children: `rootsMakerEdit`).
 */
export function strictnessReaders(
  kust: KustomizeLayout,
  before: ReadonlyMap<string, FileFacts>,
  files: ReadonlyMap<string, FileFacts>,
  edited: ReadonlySet<string>,
): string[] {
  if ((kust.flux?.size ?? 0) === 0 || ![...edited].some((uri) => holdsController(before.get(uri)) || holdsController(files.get(uri))))
    return [];
  return [...(kust.flux ?? new Map<string, FluxRoot>())].filter(([, f]) => substitutes(f)).map(([id]) => id);
}

/**
 * The chart folders (before or after) whose render a Chart.yaml that comes or goes may change: those
 * holding it (the root chart it made a subchart, or whose subchart it was) and those below its folder
 * (subcharts that become roots or stop being ones), and its own.
 */
export function chartsAround(uri: string, before: readonly Chart[], after: readonly Chart[]): string[] {
  const dir = dirname(uri);
  const out = new Set<string>([dir]);
  for (const c of [...before, ...after]) if (isUnder(uri, c.dir) || isUnder(c.dir, dir)) out.add(c.dir);
  return [...out];
}

function fluxPatched(flux: KustomizeLayout['flux']): boolean {
  return [...(flux?.values() ?? [])].some((f) => (f.patchedBy?.size ?? 0) > 0);
}

/** The Flux roots that substitute from a ConfigMap or Secret an edited file holds (before or after the edit), by name. */
export function substituteReaders(
  kust: KustomizeLayout,
  before: ReadonlyMap<string, FileFacts>,
  files: ReadonlyMap<string, FileFacts>,
  edited: ReadonlySet<string>,
): Set<string> {
  const out = new Set<string>();
  const names = new Set<string>();
  for (const uri of edited)
    for (const f of [before.get(uri), files.get(uri)]) for (const n of substitutedNames(f, kust.substituteNames)) names.add(n);
  if (names.size === 0) return out;
  for (const [id, f] of kust.flux ?? []) if (referencedNames(f.spec).some((n) => names.has(n))) out.add(id);
  return out;
}

/**
 * The edit as a layout computed after it reads it (units/layoutScan.ts): whether an edited file, before or
 * after, is one the GitOps roots' search looks for (it scans every file for them), holds the kustomize-controller,
 * came or went, or is a kustomization.
 */
export function changeOf(
  kust: KustomizeLayout,
  before: ReadonlyMap<string, FileFacts>,
  files: ReadonlyMap<string, FileFacts>,
  edited: ReadonlySet<string>,
  text: ((uri: string) => string | undefined) | undefined,
): LayoutChange {
  let scansKept = true;
  let controllerKept = true;
  let moved = false;
  let kustomizations = false;
  for (const uri of edited) {
    const b = before.get(uri);
    const a = files.get(uri);
    if ((b === undefined) !== (a === undefined)) moved = true;
    if (b?.toolConfig?.kind === 'kustomization' || a?.toolConfig?.kind === 'kustomization') kustomizations = true;
    if (holdsController(b) || holdsController(a)) controllerKept = false;
    if (searched(kust, uri, b, undefined) || searched(kust, uri, a, text)) scansKept = false;
  }
  return { edited, scansKept, controllerKept, moved, kustomizations };
}

/** Whether the GitOps roots' search looks for file `uri` (`f`; its text, for a template whose reading is deferred). */
function searched(
  kust: KustomizeLayout,
  uri: string,
  f: FileFacts | undefined,
  text: ((uri: string) => string | undefined) | undefined,
): boolean {
  if (f === undefined) return false;
  if (kust.argoInputs?.has(uri) === true || f.toolConfig?.kind === 'helm-chart') return true;
  // A deferred template's objects are not read here (that would make its masked reading): its text says whether it writes Applications.
  if (isDeferred(f)) return text !== undefined && writesArgo(text(uri));
  if (hasFluxKustomization(f) || hasGitRepository(f) || hasArgoApplication(f) || hasFleetBundle(f) || hasFleetGitRepo(f)) return true;
  if (hasArgoTemplate(f) || definesCmpPlugin(f) || substitutedNames(f, kust.substituteNames).length > 0) return true;
  if (f.objects.some((o) => isClusterSecret(o) || isCmdParams(o) || isKustomizeController(o))) return true;
  return f.template && text !== undefined && writesArgo(text(uri));
}
