/**
 * Flux Kustomizations sourced from the cluster's sync source (analysis/units/flux.ts `gitSource`):
 * the `flux-system` GitRepository `flux bootstrap` creates, or the `flux-system` OCIRepository a
 * Flux Operator FluxInstance creates from the artifact CI pushes of the repository, are roots;
 * another OCIRepository is a repository not known here.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { virtualFiles } from '../support/kustomize.js';
import { fluxKustomizationYaml, hostOf, placements, serviceYaml } from '../support/gitops.js';

const ks = (name: string, kind: string, source: string, path: string): string =>
  `${fluxKustomizationYaml(name, path, 'flux-system')}`.replace(
    'sourceRef: {kind: GitRepository, name: flux-system}',
    `sourceRef: {kind: ${kind}, name: ${source}}\n  targetNamespace: ${name}`,
  );

describe('Flux sync sources', () => {
  it("an OCIRepository named flux-system (a FluxInstance's sync source) is the repository's own; another is not", () => {
    const host = hostOf(
      virtualFiles(`#- kubernetes/clusters/cluster-00/ks.yaml
${ks('media', 'OCIRepository', 'flux-system', './apps/media')}
---
${ks('tools', 'OCIRepository', 'vendor-artifacts', './apps/tools')}
#- kubernetes/apps/media/svc.yaml
${serviceYaml('jellyfin')}
#- kubernetes/apps/tools/svc.yaml
${serviceYaml('tool')}
`),
    );
    assert.deepEqual(placements(host, ['Service']), ['Service/jellyfin@media', 'Service/tool@default']);
  });
});
