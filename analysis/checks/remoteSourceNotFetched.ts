/**
 * `remote-source-not-fetched` (formerly `kustomize-remote-source`): a part of a build or release
 * that the tool applying it fetches from the network or runs, and Kube Reach, offline, does not
 * (text/notFetched.ts holds the scheme and its wording). The build or release is then incomplete
 * (absence checks stay silent, or give information, for its objects); this says so, as information,
 * on the entry or object that names the part, instead of a build that silently lacks it:
 *
 * - Kustomize: a remote base, component, patch or transformer, and a `helmCharts` chart it pulls
 *   (render/kustomize/reading.ts `remotePart`, helm.ts: the build's notes with `remote`);
 * - Argo CD: a source rendered by a config management plugin not run here (units/argocdPluginNotes.ts),
 *   and a source naming a chart of a Helm repository (model/argoChart.ts, on the object);
 * - Flux: a HelmRelease's chart (model/helmRelease.ts), on its source object when the workspace holds
 *   it (one note for every release it feeds: workspace/keys.ts `fluxSourceIds`), else on the release;
 * - Fleet: a bundle's chart Fleet downloads (units/fleetProblems.ts `remoteChartNote`).
 *
 * A place several roots build says it once.
 */

import type { Check } from './support/check.js';
import { about } from './support/findingFields.js';
import { buildItemsOnce, upperFirst } from './support/buildRoots.js';
import { chartNotFetched, NOT_FETCHED_CODE, NOT_FETCHED_FORMER_CODES, quotedList, sourceNotFetched } from '../text/notFetched.js';
import type { FedRelease } from '../text/notFetched.js';
import { chartSourceIds, fluxSourceIds } from '../workspace/keys.js';
import type { HelmReleaseFacts } from '../model/types.js';
import { FLUX_HELM_GROUP } from '../model/helmRelease.js';
import type { Placed } from '../workspace/workspaceIndex.js';

export const remoteSourceNotFetched: Check = {
  code: NOT_FETCHED_CODE,
  aliases: NOT_FETCHED_FORMER_CODES,
  defaultSeverity: 'information',
  summary:
    'A build or release needs a part its tool fetches or runs and Kube Reach, offline, does not (a remote base, a chart of a Helm repository, an Argo CD plugin): its objects are not known.',
  doc: [
    'The tools that apply a repository fetch parts of it from the network, or run programs over it, that',
    'Kube Reach does not: it works offline and runs only its own Kustomize and Helm renderers. The objects',
    'those parts make are therefore not known here, and checks that claim something is missing (a Service',
    'without pods, a policy peer that matches nothing) stay silent for them or give information at most.',
    'This information note, one per entry or object that names such a part (one per source object for the',
    'Flux releases whose source is in the workspace), says why. The same code and wording for every tool:',
    '',
    '- **Kustomize**: a `resources` or `components` entry that is a URL or a git reference',
    '  (`https://github.com/org/repo/config/default?ref=v1.2.0`, `github.com/org/repo//deploy`), a remote',
    '  patch, transformer or configurations file, and a `helmCharts` chart that is not in `chartHome`',
    "  (with `--enable-helm`, kustomize pulls it from the entry's `repo`); on the kustomization entry.",
    "- **Argo CD**: an Application's (or ApplicationSet template's) source naming a chart of a Helm",
    '  repository (`chart:`), on `chart:`; a source rendered by a config management plugin that is not',
    '  `kustomize build`, on its `plugin`, naming the plugin and what its init and generate steps run (or',
    '  that it is found by discovery, not defined in the workspace, or defined only in `argocd-cm`, which',
    '  Argo CD 2.8 and later no longer run); an ApplicationSet generator whose parameters the ApplicationSet',
    '  controller fetches (`scmProvider`, `pullRequest`, `plugin`, `clusterDecisionResource`), on the generator.',
    "- **Flux**: a HelmRelease's chart (`spec.chart.spec.chart`, or `spec.chartRef`): helm-controller",
    '  renders it from a HelmRepository, an OCIRepository or a source artifact, which Kube Reach does not read.',
    '  When the source object its `sourceRef` or `chartRef` names (in `namespace`, else the',
    "  HelmRelease's own) is in the workspace, the note is on that source, once, naming how many releases it",
    '  feeds and which (four names, then how many more); a release whose source is not here has its own note.',
    '- **Fleet**: a fleet.yaml `helm.chart` that Fleet downloads (a `helm.repo`, a URL, an OCI or go-getter',
    '  reference), on `helm.chart`.',
    '',
    "Where the release installs is still known (a HelmRelease's `targetNamespace` or own namespace, an",
    "Application's `destination.namespace`, the namespaces of the Applications an ApplicationSet's generators",
    'make): claims that a Service or pod is missing there give information',
    'at most, and names starting with the release name are not reported. Settings and suppressions that',
    'name the former code `kustomize-remote-source` apply to this one.',
    '',
    '```yaml',
    'resources:',
    '  - https://github.com/example/frr/config/default/?ref=v0.0.25   # information: Kustomize build fetches resource "…"',
    'helmCharts:',
    '  - name: cilium          # information: Kustomize build --enable-helm pulls chart "cilium" 1.15.0 …',
    '    repo: https://helm.cilium.io/',
    '    version: 1.15.0',
    '```',
    '',
    "**Fix:** nothing is wrong. To have a kustomize chart's objects checked, keep the chart where kustomize",
    '  looks for it (`helm pull --untar` into `charts/<name>-<version>/`, as `kustomize build --enable-helm`',
    "  leaves it), or open the remote base's repository beside this one. To silence the notes, set the code's",
    '  severity to `off`.',
  ].join('\n'),
  run(ctx) {
    // Parts of builds: what the Kustomize builder, Argo CD plugin sources and Fleet bundles cannot read.
    for (const [n] of buildItemsOnce(ctx, (result) => result.notes.filter((x) => x.remote !== undefined)))
      ctx.report({ uri: n.uri, span: n.span, message: `${upperFirst(n.message)}.`, confidence: 'definite', severity: 'information' });
    // Charts a release pulls: an Argo CD source's `chart:`, a Flux HelmRelease's chart (when its source object is not in the workspace).
    for (const p of ctx.objects) {
      const release = p.obj.helmRelease;
      if (release?.remoteCharts === undefined) continue;
      const set = setInstall(release);
      const where = set?.where ?? installedWhere(p, release);
      for (const c of release.remoteCharts) {
        // A source the workspace holds says it once, for every release it feeds.
        if (chartSourceIds(p, c).some((id) => ctx.index.fluxLinks(`fluxsrc:${id}`).length > 0)) continue;
        ctx.report({
          ...about(p.obj, c.span),
          message: `${upperFirst(chartNotFetched(c.tool, c, { ...(release.releaseName !== undefined ? { releaseName: release.releaseName } : {}), ...(set?.names !== undefined ? { releaseName: set.names } : {}), ...(where !== undefined ? { where } : {}) }))}.`,
          confidence: 'definite',
          severity: 'information',
        });
      }
    }
    // Flux sources the workspace holds: one note for the releases whose charts they hold.
    for (const p of ctx.objects) {
      const ids = fluxSourceIds(p);
      if (ids.length === 0) continue;
      const fed = new Map<string, FedRelease>();
      for (const id of ids)
        for (const r of ctx.index.fluxLinks(`fluxuse:${id}`)) {
          const release = r.obj.helmRelease;
          const name = release?.releaseName ?? (r.obj.name?.known === true ? r.obj.name.value : undefined);
          if (release === undefined || name === undefined) continue;
          const ns = installedNamespace(r, release);
          const namespace = ns === '' ? undefined : ns;
          fed.set(`${name}\u0000${namespace ?? ''}`, { releaseName: name, namespace });
        }
      if (fed.size === 0) continue;
      ctx.report({
        ...about(p.obj, p.obj.anchor),
        message: `${upperFirst(sourceNotFetched('Flux', p.obj.kind, [...fed.values()]))}.`,
        confidence: 'definite',
        severity: 'information',
      });
    }
  },
};

/** Where an ApplicationSet's Applications install their releases (`HelmReleaseFacts.generated`, units/argocdSetCharts.ts), and under which names. */
function setInstall(release: HelmReleaseFacts): { readonly where?: string; readonly names?: readonly string[] } | undefined {
  const made = release.generated;
  if (made === undefined || made.length === 0) return undefined;
  const namespaces = [...new Set(made.flatMap((g) => (g.namespace !== undefined ? [g.namespace] : [])))].sort();
  const names = [...new Set(made.flatMap((g) => (g.releaseName !== undefined ? [g.releaseName] : [])))].sort();
  const placed = made.filter((g) => g.namespace !== undefined).length;
  const apps =
    made.length === 1 ? 'the Application this ApplicationSet makes' : `the ${made.length} Applications this ApplicationSet makes`;
  const of = placed < made.length ? `${placed} of ${apps}; the others' not known here` : apps;
  return {
    ...(names.length > 0 ? { names } : {}),
    ...(namespaces.length > 0
      ? { where: `${namespaces.length === 1 ? 'namespace' : 'namespaces'} ${quotedList(namespaces)} (${of})` }
      : {}),
  };
}

/**
 * Where a release installs, for its note: its target namespace (an Argo CD destination, a
 * HelmRelease's `targetNamespace`), else a Flux HelmRelease's own namespace (helm-controller
 * installs there): the one its placements give, or, floating, wherever it is applied.
 */
function installedWhere(p: Placed, release: HelmReleaseFacts): string | undefined {
  const ns = installedNamespace(p, release);
  if (ns === undefined) return undefined;
  return ns === '' ? "the HelmRelease's own namespace" : `namespace "${ns}"`;
}

/** The namespace a release installs in (`installedWhere`): '' for a floating HelmRelease's own, undefined when not known here. */
function installedNamespace(p: Placed, release: HelmReleaseFacts): string | undefined {
  if (release.targetNamespace !== undefined) return release.targetNamespace;
  if (release.unknownTarget === true || p.obj.group !== FLUX_HELM_GROUP) return undefined;
  const namespaces = new Set(p.placements.map((x) => (x.floating ? '' : x.namespace)));
  const [only] = namespaces;
  return namespaces.size === 1 ? only : undefined;
}
