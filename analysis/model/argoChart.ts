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
 *   the release namespace, and applies the objects without a namespace there). In an
 *   ApplicationSet's template, `{{key}}` is filled from its `list` generators' literal elements when
 *   they all give one value; without a namespace, or another template, where the release installs
 *   is not known here.
 * - The release name is the source's `helm.releaseName`, else the Application's name (Argo CD's
 *   Helm user guide: "By default, the Helm release name is equal to the Application name"). Chart
 *   sources with different release names give no name (each of them is a release of its own).
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { get, getPath, isMap, isScalar, isSeq } from '../syntax/tree.js';
import type { HelmReleaseFacts, RemoteChart } from './types.js';

const ARGO_GROUP = 'argoproj.io';

/** An ApplicationSet's parameter sets when every generator is a `list` of literal elements (undefined: not known here). */
type Sets = ReadonlyArray<ReadonlyMap<string, string>>;

function listSets(spec: YNode | undefined): Sets | undefined {
  const generators = get(spec, 'generators');
  if (!isSeq(generators) || generators.items.length === 0) return undefined;
  const out: Array<Map<string, string>> = [];
  for (const g of generators.items) {
    const list = get(g, 'list');
    const elements = get(list, 'elements');
    // Only a plain list: a selector, a generator's own template or `elementsYaml` is not followed here.
    if (!isMap(g) || g.pairs.length !== 1 || !isSeq(elements) || get(list, 'template') !== undefined) return undefined;
    for (const e of elements.items) {
      if (!isMap(e)) return undefined;
      const set = new Map<string, string>();
      for (const p of e.pairs) if (isScalar(p.value) && !p.value.unknown && p.value.value !== null) set.set(p.key, String(p.value.value));
      out.push(set);
    }
  }
  return out;
}

/**
 * A plain string, undefined when absent or not a string. In an ApplicationSet's template, `{{key}}`
 * (`{{ .key }}` with `goTemplate`) is filled from the list generators' sets when every set gives
 * the same string; any other template is not known here.
 */
function literal(n: YNode | undefined, sets?: Sets, go = false): string | undefined {
  if (!isScalar(n) || n.value === null) return undefined;
  const s = String(n.value);
  // The parser marks `{{…}}` as a value not known: filled in below when the sets give it.
  if (!s.includes('{{')) return n.unknown ? undefined : s;
  if (sets === undefined || sets.length === 0) return undefined;
  const ref = go ? /\{\{\s*\.([A-Za-z0-9_]+)\s*\}\}/g : /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
  const values = new Set<string | undefined>();
  for (const set of sets) {
    let missing = false;
    const filled = s.replace(ref, (_m, key: string) => {
      const v = set.get(key);
      if (v === undefined) missing = true;
      return v ?? '';
    });
    values.add(missing || filled.includes('{{') ? undefined : filled);
  }
  return values.size === 1 ? [...values][0] : undefined;
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
  const sets = set ? listSets(get(root, 'spec')) : undefined;
  const go = set && literal(getPath(root, 'spec', 'goTemplate')) === 'true';
  const lit = (n: YNode | undefined): string | undefined => literal(n, sets, go);
  const appName = set ? lit(getPath(root, 'spec', 'template', 'metadata', 'name')) : name;
  const charts: RemoteChart[] = [];
  const releases = new Set<string | undefined>();
  for (const s of sourcesOf(spec)) {
    const chartNode = get(s, 'chart');
    if (chartNode === undefined) continue;
    const chart = lit(chartNode);
    const repo = lit(get(s, 'repoURL'));
    const version = lit(get(s, 'targetRevision'));
    charts.push({
      tool: 'Argo CD',
      span: chartNode.span,
      ...(chart !== undefined ? { chart } : {}),
      ...(repo !== undefined ? { repo } : {}),
      ...(version !== undefined ? { version } : {}),
    });
    const given = getPath(s, 'helm', 'releaseName');
    releases.add(given !== undefined && !(isScalar(given) && (given.value === '' || given.value === null)) ? lit(given) : appName);
  }
  if (charts.length === 0) return undefined;
  const nsNode = getPath(spec, 'destination', 'namespace');
  const ns = lit(nsNode);
  const targetNamespace = ns !== undefined && ns !== '' ? ns : undefined;
  const releaseName = releases.size === 1 ? [...releases][0] : undefined;
  return {
    ...(targetNamespace !== undefined ? { targetNamespace } : { unknownTarget: true as const }),
    ...(releaseName !== undefined ? { releaseName } : {}),
    remoteCharts: charts,
  };
}
