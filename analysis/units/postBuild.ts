/**
 * What the controller that applies a build root does to its objects after `kustomize build`:
 * a Flux root's postBuild substitution (or, without one, `${VAR}` text a kustomization copied made unknown) and its unplaced objects (units/flux.ts), an Argo CD
 * Application's destination namespace (units/argocd.ts), an OLM bundle's install namespace
 * (units/olm.ts). Design notes: docs/dev/flux.md, docs/dev/argocd.md, docs/dev/kustomize.md §3.
 */

import type { BuildResult } from '../render/kustomize/index.js';
import type { ArgoRoot } from './argocd.js';
import { placeInDestination } from './argocdDestination.js';
import type { FluxRoot } from './flux.js';
import { placeBundle } from './fleet.js';
import {
  clusterScopedRefused,
  dependsOnRefused,
  helmChartsRefused,
  packedChartNote,
  remoteChartNote,
  undeployedNote,
} from './fleetProblems.js';
import type { FleetRoot } from './fleet.js';
import { isFluxRootId } from './flux.js';
import { droppedFields, setCommonMetadata, unplacedObjects } from './fluxBuild.js';
import { leftOutByParents } from './fluxParents.js';
import { hideVariables, substituteVariables, substitutes } from './fluxValues.js';
import { installNamespace, isBundleRoot } from './olm.js';
import { asRestricted } from './loadRestrictor.js';
import type { Restrictor } from './loadRestrictor.js';
import type { SubstitutionValues } from './fluxValues.js';

interface ApplyContext {
  readonly flux: ReadonlyMap<string, FluxRoot>;
  readonly argo: ReadonlyMap<string, ArgoRoot>;
  readonly fleet?: ReadonlyMap<string, FleetRoot>;
  readonly text: (uri: string) => string | undefined;
  readonly filesUnder: (dir: string) => readonly string[];
  /** A Flux root's postBuild values (units/fluxValues.ts). */
  readonly values: (root: FluxRoot) => SubstitutionValues;
  /** The workspace's kustomization folders (a Flux Kustomization they leave out is never applied: units/fluxParents.ts). */
  readonly kustFiles?: Parameters<typeof leftOutByParents>[2];
}

/**
 * A root's build as its controller applies it (objects changed in place; a problem the controller
 * has added), with files outside a kustomization's folder judged as that tool's load restrictor does.
 */
export function asApplied(root: string, result: BuildResult, ctx: ApplyContext): BuildResult {
  return asRestricted(applied(root, result, ctx), restrictorOf(root, ctx));
}

/** The tool that builds `root`, for its load restrictor (units/loadRestrictor.ts). */
function restrictorOf(root: string, ctx: ApplyContext): Restrictor {
  if (ctx.fleet?.has(root) === true) return { tool: 'Fleet' };
  const argo = ctx.argo.get(root);
  if (argo !== undefined) return { tool: 'Argo CD', restrictor: argo.loadRestrictor };
  // A GitOps root id (`#Kind:name`) of no Fleet or Argo CD root is a Flux Kustomization's.
  if (ctx.flux.has(root) || isFluxRootId(root)) return { tool: 'Flux' };
  return { tool: 'kubectl' };
}

function applied(root: string, result: BuildResult, ctx: ApplyContext): BuildResult {
  const flux = ctx.flux.get(root);
  // `${VAR}` text read as kustomize reads it: Flux's substitution fills it in (and completes a build
  // whose kustomizations copied it); elsewhere it is an unknown value.
  if (result.variables === true) {
    if (flux === undefined || !substitutes(flux)) hideVariables(result.objects);
    else if (result.pendingVariables !== undefined) result = { ...result, complete: result.pendingVariables.complete };
  }
  if (flux !== undefined) {
    const values = ctx.values(flux);
    const notSet = substituteVariables(flux, values, result.objects, ctx.text);
    // The ConfigMaps and Secrets it read values from are inputs: an edit of one builds the root again.
    if (values.files.length > 0) result = { ...result, inputs: new Set([...result.inputs, ...values.files]) };
    // After the substitution, as kustomize-controller sets it when it applies.
    setCommonMetadata(flux, result.objects);
    const leftOut = ctx.kustFiles !== undefined && leftOutByParents(flux, ctx.flux, ctx.kustFiles);
    const unplaced = leftOut ? undefined : unplacedObjects(flux, result.objects);
    const added = [...droppedFields(flux), ...notSet, ...(unplaced === undefined ? [] : [unplaced])];
    return added.length === 0 ? result : { ...result, problems: [...result.problems, ...added] };
  }
  const bundle = ctx.fleet?.get(root);
  if (bundle !== undefined) {
    // The GitRepo whose targetNamespace the deployment takes is an input: its edit builds the root again, its problems are reported there.
    const gitRepo = bundle.options.namespace?.span.uri;
    if (gitRepo !== undefined && !result.inputs.has(gitRepo)) result = { ...result, inputs: new Set([...result.inputs, gitRepo]) };
    const refused = clusterScopedRefused(bundle, result.objects, ctx.filesUnder);
    placeBundle(bundle, result.objects);
    const added = [
      undeployedNote(bundle, result, ctx.filesUnder, ctx.text),
      refused,
      ...helmChartsRefused(result, ctx.text, bundle.uri),
      dependsOnRefused(bundle),
      packedChartNote(bundle),
    ].filter((p) => p !== undefined);
    const remote = remoteChartNote(bundle);
    if (remote !== undefined) result = { ...result, notes: [...result.notes, remote] };
    return added.length === 0 ? result : { ...result, problems: [...result.problems, ...added] };
  }
  const argo = ctx.argo.get(root);
  if (argo !== undefined) {
    placeInDestination(argo, result.objects);
    // How the Application was made (a generator not known here) is a problem note; a plugin not run here is a part not fetched (text/notFetched.ts).
    const all = argo.notes ?? [];
    const made = all
      .filter((n) => n.remote === undefined)
      .map((n) => ({ uri: argo.uri, span: n.span, message: n.message, note: true as const }));
    const parts = all.flatMap((n) =>
      n.remote === undefined ? [] : [{ uri: argo.uri, span: n.span, message: n.message, remote: n.remote, fetchedBy: 'Argo CD' }],
    );
    if (made.length > 0 || parts.length > 0)
      return { ...result, problems: [...result.problems, ...made], notes: [...result.notes, ...parts] };
  } else if (!isFluxRootId(root) && isBundleRoot(root, result, ctx.filesUnder)) installNamespace(result.objects);
  return result;
}
