/**
 * `kustomize-remote-source`: a part of a Kustomize build that `kustomize build` fetches from the
 * network (a remote base, component, patch or transformer; a `helmCharts` chart it pulls from its
 * `repo`). Kube Reach reads no network, so the build is incomplete (absence checks stay silent for
 * its objects); this says so, as information, on the kustomization entry that names it, instead of a
 * build that silently lacks the part (render/kustomize/reading.ts `remotePart`, helm.ts). A base
 * built by several roots says it once.
 */

import type { Check } from './support/check.js';
import { buildItemsOnce, upperFirst } from './support/buildRoots.js';

export const kustomizeRemoteSource: Check = {
  code: 'kustomize-remote-source',
  defaultSeverity: 'information',
  summary: 'A kustomization names a remote base, component, patch or chart that Kube Reach cannot fetch: its objects are not known.',
  doc: [
    '`kustomize build` fetches remote parts of a build: a `resources` or `components` entry that is a',
    'URL or a git reference (`https://github.com/org/repo/config/default?ref=v1.2.0`,',
    '`github.com/org/repo//deploy`), a remote patch, transformer or configurations file, and a',
    '`helmCharts` chart that is not in `chartHome` (with `--enable-helm`, it pulls the chart from the',
    "entry's `repo`). Kube Reach works offline and never fetches them, so the objects of that build are",
    'not all known: checks that claim something is missing (a Service without pods, a policy peer that',
    'matches nothing) stay silent for it. This information note, on the entry that names the remote',
    'part, says why.',
    '',
    '```yaml',
    'resources:',
    '  - https://github.com/example/frr/config/default/?ref=v0.0.25   # information: resource "…" is remote',
    'helmCharts:',
    '  - name: cilium          # information: chart "cilium" 1.15.0 is not in charts/cilium-1.15.0 …',
    '    repo: https://helm.cilium.io/',
    '    version: 1.15.0',
    '```',
    '',
    "**Fix:** nothing is wrong. To have the chart's objects checked, keep the chart where kustomize looks for",
    '  it (`helm pull --untar` into `charts/<name>-<version>/`, as `kustomize build --enable-helm` leaves it), or',
    "  open the remote base's repository beside this one.",
  ].join('\n'),
  run(ctx) {
    for (const [n] of buildItemsOnce(ctx, (result) => result.notes.filter((x) => x.remote !== undefined)))
      ctx.report({
        uri: n.uri,
        span: n.span,
        message: `${upperFirst(n.message)}.`,
        confidence: 'definite',
        severity: 'information',
      });
  },
};
