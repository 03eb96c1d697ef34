/**
 * The one scheme of "not fetched offline" notes (docs/rules.md `remote-source-not-fetched`): a part
 * of a build or release that the tool applying it fetches from the network, or runs, and Kube Reach
 * (offline, running no tool but its own Kustomize and Helm renderers) does not. Every such note has
 * this code, information severity, sits on the object or entry that names the part, and says, in
 * one shape: what the tool does with the part; that Kube Reach does not; whose objects are therefore
 * not known here; and, when the checks soften something because of it, what.
 *
 * Who writes them: the Kustomize builder (remote resources, components, patches, transformers; a
 * `helmCharts` chart kustomize pulls: `BuildProblem.remote`), Argo CD sources (a chart of a Helm
 * repository: `RemoteChart`; a config management plugin not run here), Flux HelmReleases (a chart
 * helm-controller pulls), Fleet bundles (a chart Fleet downloads). Write new ones through
 * `notFetchedMessage` so that the wording stays one.
 */

/** The code of every "not fetched offline" note. */
export const NOT_FETCHED_CODE = 'remote-source-not-fetched';

/** Its former name (session 20's Kustomize-only notes): settings and suppressions that name it keep working. */
export const NOT_FETCHED_FORMER_CODES: readonly string[] = ['kustomize-remote-source'];

/** What Kube Reach does about such a part, when no other words fit. */
const OFFLINE = 'Kube Reach works offline and does not';

/**
 * A note's message, without its final period (the check adds it): `<what the tool does>; Kube
 * Reach works offline and does not, so <objects> are not known here<tail>`.
 *
 * - `does`: the tool and what it does with the part (`kustomize build fetches resource "…"`,
 *   `Argo CD pulls chart "cilium" 1.15.0 from https://helm.cilium.io/ and renders it`).
 * - `objects`: whose objects are not known (`the objects of this build`, `the objects release "web" makes`).
 * - `ours`: what Kube Reach does instead when it is not plain offline-ness (a plugin it does not run).
 * - `tail`: what the checks do about it (`: checks that claim … give information at most`).
 */
export function notFetchedMessage(does: string, objects: string, options: { readonly ours?: string; readonly tail?: string } = {}): string {
  return `${does}; ${options.ours ?? OFFLINE}, so ${objects} are not known here${options.tail ?? ''}`;
}

/** The tail of a note whose objects the absence checks then leave alone. */
export const ABSENCE_SILENT = ': checks that claim something is missing stay silent for them';

/** Quoted names for a message: `"a", "b"`, at most four, then how many more. */
export function quotedList(names: readonly string[]): string {
  const shown = names.slice(0, 4).map((n) => `"${n}"`);
  return `${shown.join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}`;
}

/**
 * The note on a chart a tool pulls and renders (an Argo CD `chart:` source, a Flux HelmRelease's
 * chart, a Fleet bundle's downloaded chart): which chart, from where, and what the checks do about
 * the release's objects where it installs (model/helmRelease.ts, model/argoChart.ts). `release`:
 * the release's name when known (the names of an ApplicationSet's releases, units/argocdSetCharts.ts),
 * and where it installs (`namespace "shop"`, `the HelmRelease's own namespace`; undefined: not known
 * here); no `release`, a chart whose objects the build leaves out.
 */
export function chartNotFetched(
  tool: string,
  chart: { readonly chart?: string; readonly version?: string; readonly repo?: string },
  release: { readonly releaseName?: string | readonly string[]; readonly where?: string } | undefined,
): string {
  const what = chart.chart !== undefined ? `chart "${chart.chart}"${chart.version !== undefined ? ` ${chart.version}` : ''}` : 'this chart';
  const from = chart.repo !== undefined ? ` from ${chart.repo}` : '';
  const does = `${tool} pulls ${what}${from} and renders it`;
  if (release === undefined) return notFetchedMessage(does, 'the objects it makes', { tail: ABSENCE_SILENT });
  const given = release.releaseName;
  const many = typeof given === 'object' && given.length > 1 ? given : undefined;
  const one = typeof given === 'string' ? given : many === undefined ? given?.[0] : undefined;
  const name = many !== undefined ? `releases ${quotedList(many)}` : one !== undefined ? `release "${one}"` : 'the release';
  const makes = many !== undefined ? 'make' : 'makes';
  if (release.where === undefined)
    return notFetchedMessage(does, `the objects ${name} ${makes}`, { tail: ', nor the namespace they land in' });
  const prefixes = many !== undefined ? quotedList(many) : one !== undefined ? `"${one}"` : undefined;
  const names = prefixes !== undefined ? `, and say nothing of names starting with ${prefixes}` : '';
  return notFetchedMessage(does, `the objects ${name} ${makes} in ${release.where}`, {
    tail: `: checks that claim a Service or pod is missing there give information at most${names}`,
  });
}

/** A release a source's note names (`sourceNotFetched`): its Helm release name and the namespace it installs in (undefined: not known here). */
export interface FedRelease {
  readonly releaseName: string;
  readonly namespace: string | undefined;
}

/**
 * The note on a source object the workspace holds (a Flux HelmRepository, OCIRepository,
 * GitRepository…) whose charts `tool` pulls for the releases of `releases` (at least one, each once):
 * one note for them all, on the source, instead of one on each release. `source`: the source's kind
 * (`HelmRepository`).
 */
export function sourceNotFetched(tool: string, source: string, releases: readonly FedRelease[]): string {
  const names = [...new Set(releases.map((r) => r.releaseName))].sort();
  const namespaces = [...new Set(releases.flatMap((r) => (r.namespace !== undefined ? [r.namespace] : [])))].sort();
  const one = releases.length === 1;
  const does = one
    ? `${tool} pulls the chart of one release from this ${source} and renders it`
    : `${tool} pulls the charts of ${releases.length} releases from this ${source} and renders them`;
  const whose = names.length === 1 ? `release "${names[0] ?? ''}" makes` : `releases ${quotedList(names)} make`;
  if (releases.some((r) => r.namespace === undefined))
    return notFetchedMessage(does, `the objects ${whose}`, {
      tail: namespaces.length === 0 ? ', nor the namespace they land in' : ', nor every namespace they land in',
    });
  const where = `${namespaces.length === 1 ? 'namespace' : 'namespaces'} ${quotedList(namespaces)}`;
  const prefixes = names.length <= 4 ? quotedList(names) : "a release's name";
  return notFetchedMessage(does, `the objects ${whose} in ${where}`, {
    tail: `: checks that claim a Service or pod is missing there give information at most, and say nothing of names starting with ${prefixes}`,
  });
}
