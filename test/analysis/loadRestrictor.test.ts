/**
 * A file outside a kustomization's folder judged as the tool that builds the root loads it
 * (analysis/units/loadRestrictor.ts): Argo CD by the workspace's argocd-cm `kustomize.buildOptions`.
 * Edits of argocd-cm (or of the argo-cd chart's values) change the finding, and incremental passes
 * equal full ones.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { virtualFiles } from '../support/kustomize.js';
import { editsEqualFresh, hostOf } from '../support/gitops.js';

const P = 'file:///k';

const TREE = `#- argocd/app.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: shop, namespace: argocd}
spec:
  project: default
  source: {repoURL: https://github.com/example/shop.git, path: apps/prod}
  destination: {server: https://kubernetes.default.svc, namespace: shop}
#- apps/prod/kustomization.yaml
resources:
  - ../../common/config.yaml
#- common/config.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {LOG_LEVEL: info}
`;

const CM = `apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm, namespace: argocd}
data:
  kustomize.buildOptions: --enable-helm
`;

/** The severities of the findings on the kustomization's outside-root entry. */
function outsideRoot(files: Map<string, string>): string[] {
  const list = hostOf(files).snapshot().diagnostics().get(`${P}/apps/prod/kustomization.yaml`) ?? [];
  return list
    .filter((d) => d.message.includes('is not in or below'))
    .map((d) => `${d.severity}: ${d.message.slice(0, d.message.indexOf(':'))}`);
}

describe('load restrictor of the tool that builds the root', () => {
  it('Argo CD: information without argocd-cm, an error when its buildOptions keep the restriction, information when they lift it', () => {
    const files = virtualFiles(TREE, P);
    assert.deepEqual(outsideRoot(files), [
      "information: security; file '../../common/config.yaml' is not in or below the kustomization's folder",
    ]);
    files.set(`${P}/argocd/argocd-cm.yaml`, CM);
    assert.deepEqual(outsideRoot(files), ["error: Argo CD's kustomize build fails"]);
    files.set(`${P}/argocd/argocd-cm.yaml`, CM.replace('--enable-helm', '--enable-helm --load-restrictor=LoadRestrictionsNone'));
    assert.deepEqual(outsideRoot(files), [
      "information: security; file '../../common/config.yaml' is not in or below the kustomization's folder",
    ]);
  });

  it('edits of argocd-cm and of the chart values: incremental passes equal full ones', () => {
    const files = virtualFiles(TREE, P);
    const host = hostOf(files);
    host.snapshot();
    const cm = `${P}/argocd/argocd-cm.yaml`;
    const values = `${P}/argocd/values.yaml`;
    editsEqualFresh(
      files,
      host,
      [
        [cm, () => CM],
        [cm, (t) => t?.replace('--enable-helm', '--load-restrictor LoadRestrictionsNone')],
        [cm, (t) => t?.replace('LoadRestrictionsNone', 'LoadRestrictionsRootOnly')],
        [cm, () => undefined],
        [values, () => 'configs:\n  cm:\n    kustomize.buildOptions: --enable-helm\n'],
        [values, (t) => t?.replace('--enable-helm', '--load-restrictor LoadRestrictionsNone')],
        [values, () => undefined],
      ],
      ['ConfigMap'],
    );
  });
});
