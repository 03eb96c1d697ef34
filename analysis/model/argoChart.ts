/**
 * An Argo CD Application (or an ApplicationSet's template) whose source is a chart of a Helm
 * repository (`repoURL` a chart repository or an OCI registry, `chart:` set). Argo CD's repo-server
 * pulls that chart and renders it; Kube Reach works offline and renders no chart it cannot read, so
 * the Services and pods the release makes are objects nothing here models, exactly as a Flux
 * HelmRelease's (model/helmRelease.ts). What the checks need of it is the same: where the release
 * installs and the name its objects usually start with (docs/dev/argocd.md "Charts of a Helm
 * repository").
 *
 * - The install namespace is `spec.destination.namespace` (Argo CD passes it to `helm template` as
 *   the release namespace, and applies the objects without a namespace there). Without one, or a
 *   templated one (`{{…}}` in an ApplicationSet's template), where the release installs is not
 *   known here.
 * - The release name is the source's `helm.releaseName`, else the Application's name (Argo CD's
 *   Helm user guide: "By default, the Helm release name is equal to the Application name"). Chart
 *   sources with different release names give no name (each of them is a release of its own).
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { get, getPath, isMap, isScalar, isSeq } from '../syntax/tree.js';
import type { HelmReleaseFacts, RemoteChart } from './types.js';

const ARGO_GROUP = 'argoproj.io';

/** A plain string, undefined when absent, templated (`{{…}}` of an ApplicationSet) or not a string. */
function literal(n: YNode | undefined): string | undefined {
  if (!isScalar(n) || n.unknown || n.value === null) return undefined;
  const s = String(n.value);
  return s.includes('{{') ? undefined : s;
}

/** The sources of an Application spec: `sources`, else `source`. */
function sourcesOf(spec: YNode | undefined): YMap[] {
  const many = get(spec, 'sources');
  const list = isSeq(many) ? many.items : [get(spec, 'source')];
  return list.filter((n): n is YMap => isMap(n));
}

/**
 * The facts of an Argo CD Application or ApplicationSet named `name` (undefined: templated) whose
 * sources include a chart of a Helm repository; undefined for any other object.
 */
export function lowerArgoChart(group: string, kind: string, name: string | undefined, root: YMap): HelmReleaseFacts | undefined {
  if (group !== ARGO_GROUP || (kind !== 'Application' && kind !== 'ApplicationSet')) return undefined;
  const set = kind === 'ApplicationSet';
  const spec = set ? getPath(root, 'spec', 'template', 'spec') : get(root, 'spec');
  const appName = set ? literal(getPath(root, 'spec', 'template', 'metadata', 'name')) : name;
  const charts: RemoteChart[] = [];
  const releases = new Set<string | undefined>();
  for (const s of sourcesOf(spec)) {
    const chartNode = get(s, 'chart');
    if (chartNode === undefined) continue;
    const chart = literal(chartNode);
    const repo = literal(get(s, 'repoURL'));
    const version = literal(get(s, 'targetRevision'));
    charts.push({
      span: chartNode.span,
      ...(chart !== undefined ? { chart } : {}),
      ...(repo !== undefined ? { repo } : {}),
      ...(version !== undefined ? { version } : {}),
    });
    const given = getPath(s, 'helm', 'releaseName');
    releases.add(given !== undefined && !(isScalar(given) && (given.value === '' || given.value === null)) ? literal(given) : appName);
  }
  if (charts.length === 0) return undefined;
  const nsNode = getPath(spec, 'destination', 'namespace');
  const ns = literal(nsNode);
  const targetNamespace = ns !== undefined && ns !== '' ? ns : undefined;
  const releaseName = releases.size === 1 ? [...releases][0] : undefined;
  return {
    ...(targetNamespace !== undefined ? { targetNamespace } : { unknownTarget: true as const }),
    ...(releaseName !== undefined ? { releaseName } : {}),
    remoteCharts: charts,
  };
}
