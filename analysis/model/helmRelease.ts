/**
 * A Flux HelmRelease (`helm.toolkit.fluxcd.io`, every version): helm-controller installs a chart
 * into the release's namespace, and Kube Reach renders no HelmRelease (its chart is downloaded
 * from a HelmRepository or OCIRepository, or read from a source artifact), so the Services and pods
 * it makes are objects nothing here models. What the checks need to know of it
 * (`checks/support/evidence.ts`, docs/dev/flux.md "HelmReleases"): where the release installs and
 * the name its objects usually start with.
 *
 * - The install namespace is `spec.targetNamespace`, else the HelmRelease's own namespace
 *   (`spec.storageNamespace` only says where Helm keeps its release record).
 * - The release name is `spec.releaseName`, else `[targetNamespace-]name` (the HelmRelease API:
 *   "Defaults to a composition of '[TargetNamespace-]Name'"); helm-controller shortens a composed
 *   name longer than Helm's 53 characters with a hash, which is not followed here (no name).
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { getPath } from '../syntax/tree.js';
import type { FluxSourceRef, HelmReleaseFacts, KObject, RemoteChart } from './types.js';
import { stringValue } from './values.js';

export const FLUX_HELM_GROUP = 'helm.toolkit.fluxcd.io';

/** The API group of Flux's source objects (HelmRepository, OCIRepository, GitRepository, Bucket, HelmChart). */
export const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io';

/**
 * A Flux source's identity as a HelmRelease names it (`<namespace>\u0000<kind>\u0000<name>`): the
 * key of the index's lists and dependency keys that pair releases with their source
 * (workspace/keys.ts `fluxSourceIds`).
 */
export function fluxSourceId(namespace: string, kind: string, name: string): string {
  return `${namespace}\u0000${kind}\u0000${name}`;
}

/** Whether `o` is a Flux source object with a literal name (a HelmRelease's chart may come from it). */
export function isFluxSource(o: KObject): boolean {
  return o.group === FLUX_SOURCE_GROUP && o.name?.known === true && o.name.value !== '';
}

/** Helm's limit on a release name. */
const RELEASE_NAME_MAX = 53;

/** The facts of a Flux HelmRelease named `name` (undefined: templated), undefined for any other object. */
export function lowerHelmRelease(group: string, kind: string, name: string | undefined, root: YMap): HelmReleaseFacts | undefined {
  if (group !== FLUX_HELM_GROUP || kind !== 'HelmRelease') return undefined;
  const target = stringValue(getPath(root, 'spec', 'targetNamespace'));
  const given = stringValue(getPath(root, 'spec', 'releaseName'));
  // An empty string is no value (the API's `omitempty`).
  const targetNamespace = target?.known === true && target.value !== '' ? target.value : undefined;
  const unknownTarget = target !== undefined && !target.known;
  let releaseName: string | undefined;
  if (given !== undefined && !(given.known && given.value === '')) releaseName = given.known ? given.value : undefined;
  else if (unknownTarget || name === undefined) releaseName = undefined;
  else {
    const composed = targetNamespace === undefined ? name : `${targetNamespace}-${name}`;
    releaseName = composed.length <= RELEASE_NAME_MAX ? composed : undefined;
  }
  const chart = releaseChart(root);
  return {
    ...(targetNamespace !== undefined ? { targetNamespace } : {}),
    ...(unknownTarget ? { unknownTarget: true as const } : {}),
    ...(releaseName !== undefined ? { releaseName } : {}),
    ...(chart !== undefined ? { remoteCharts: [chart] } : {}),
  };
}

/**
 * The chart helm-controller renders for the release, never rendered here (a
 * `remote-source-not-fetched` note, text/notFetched.ts): `spec.chart.spec` (a chart name or path
 * of its `sourceRef`: a HelmRepository, GitRepository or Bucket) or `spec.chartRef` (an
 * OCIRepository or HelmChart), on the chart's name or the reference's.
 */
function releaseChart(root: YMap): RemoteChart | undefined {
  const literal = (n: YNode | undefined): string | undefined => {
    const v = stringValue(n);
    return v?.known === true && v.value !== '' ? v.value : undefined;
  };
  const source = (ref: YNode | undefined): { repo?: string; source?: FluxSourceRef } => {
    const kind = literal(getPath(ref, 'kind'));
    const name = literal(getPath(ref, 'name'));
    if (kind === undefined || name === undefined) return {};
    // A namespace written but not literal: where the source is, is not known here (no source).
    const nsNode = getPath(ref, 'namespace');
    const namespace = literal(nsNode);
    const known = nsNode === undefined || namespace !== undefined;
    return { repo: `${kind} "${name}"`, ...(known ? { source: { kind, name, ...(namespace !== undefined ? { namespace } : {}) } } : {}) };
  };
  const spec = getPath(root, 'spec', 'chart', 'spec');
  const chartNode = getPath(spec, 'chart');
  if (chartNode !== undefined) {
    const chart = literal(chartNode);
    const version = literal(getPath(spec, 'version'));
    return {
      tool: 'Flux',
      span: chartNode.span,
      ...(chart !== undefined ? { chart } : {}),
      ...(version !== undefined && version !== '*' ? { version } : {}),
      ...source(getPath(spec, 'sourceRef')),
    };
  }
  const ref = getPath(root, 'spec', 'chartRef');
  if (ref === undefined) return undefined;
  return { tool: 'Flux', span: (getPath(ref, 'name') ?? ref).span, ...source(ref) };
}
