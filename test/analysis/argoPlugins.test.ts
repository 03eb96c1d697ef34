/**
 * Argo CD config management plugins whose generate step is `kustomize build` (analysis/units/argocdPlugins.ts):
 * an Application source naming such a plugin builds its folder as a kustomize source; a plugin that
 * does anything else, or is not defined in the workspace, leaves the source unknown. Edits of the
 * plugin's definition: incremental passes equal full ones.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pluginTool } from '../../analysis/units/argocdPlugins.js';
import { virtualFiles } from '../support/kustomize.js';
import { editsEqualFresh, hostOf, placements as placementsOf, serviceYaml } from '../support/gitops.js';

const P = 'file:///k';
const KINDS = ['Service'];

/** An ApplicationSet applying every folder of apps/ through the plugin `plugin`. */
const appSet = (plugin: string): string => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: apps, namespace: argocd}
spec:
  generators:
    - git:
        repoURL: https://github.com/example/homelab
        revision: HEAD
        directories: [{path: apps/*}]
  template:
    metadata: {name: '{{ path.basename }}'}
    spec:
      project: default
      source:
        plugin: {name: ${plugin}}
        repoURL: https://github.com/example/homelab
        targetRevision: HEAD
        path: '{{ path }}'
      destination: {name: in-cluster, namespace: argocd}
`;

/** The argo-cd chart's values defining the plugin as vehagn/homelab does. */
const VALUES = `configs:
  cmp:
    create: true
    plugins:
      kustomize-build-with-helm:
        generate:
          command: [ sh, -c ]
          args: [ kustomize build --enable-helm ]
`;

const TREE = `#- argocd/sets.yaml
${appSet('kustomize-build-with-helm')}
#- infra/argocd/values.yaml
${VALUES}
#- apps/web/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: web
resources: [svc.yaml]
#- apps/web/svc.yaml
${serviceYaml('web')}
`;

const placements = (files: Map<string, string>): string[] => placementsOf(hostOf(files), KINDS);

describe('Argo CD plugins whose generate step is kustomize build', () => {
  it("build the source folder as kustomize does: the ApplicationSet's Application is the folder's root", () => {
    const files = virtualFiles(TREE);
    const layout = hostOf(files).snapshot().index.kustomizeLayout();
    assert.deepEqual(layout.roots, [`${P}/argocd/sets.yaml#Application:web`]);
    assert.deepEqual(placements(files), ['Service/web@web']);
    // Without the plugin's definition the source is not known here: its objects are not placed (the build is incomplete).
    files.delete(`${P}/infra/argocd/values.yaml`);
    assert.deepEqual(placements(files), []);
  });

  it('are read from a ConfigManagementPlugin, the ConfigMap argocd-cmp-cm holding one (with its version in the name), or the argo-cd chart values', () => {
    const plugin = (version: string): string => `apiVersion: argoproj.io/v1alpha1
kind: ConfigManagementPlugin
metadata:
  name: kustomize-build-with-helm
spec:
${version}  generate:
    command: [kustomize, build, --enable-helm]
`;
    const files = virtualFiles(TREE);
    files.delete(`${P}/infra/argocd/values.yaml`);
    assert.deepEqual(placements(files), []);
    files.set(`${P}/infra/argocd/plugin.yaml`, plugin(''));
    assert.deepEqual(placements(files), ['Service/web@web']);
    // With a version, Applications name the plugin `<name>-<version>`.
    files.delete(`${P}/infra/argocd/plugin.yaml`);
    const cm = `apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cmp-cm, namespace: argocd}
data:
  plugin.yaml: |
${plugin('  version: v1.0\n')
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`;
    files.set(`${P}/infra/argocd/cm.yaml`, cm);
    assert.deepEqual(placements(files), []);
    files.set(`${P}/argocd/sets.yaml`, appSet('kustomize-build-with-helm-v1.0'));
    assert.deepEqual(placements(files), ['Service/web@web']);
  });

  it('only a generate step that is kustomize build alone counts; anything else stays unknown', () => {
    const gen = (command: unknown, args: unknown, init?: unknown): unknown => ({
      generate: { command, args },
      ...(init !== undefined ? { init } : {}),
    });
    assert.equal(pluginTool(gen(['sh', '-c'], ['kustomize build --enable-helm'])), 'kustomize');
    assert.equal(pluginTool(gen(['kustomize', 'build'], ['.', '--load-restrictor', 'LoadRestrictionsNone'])), 'kustomize');
    assert.equal(pluginTool(gen(['sh', '-c'], ['kustomize build --enable-helm | envsubst'])), 'other');
    assert.equal(pluginTool(gen(['sh', '-c'], ['kustomize build --enable-alpha-plugins'])), 'other');
    assert.equal(pluginTool(gen(['sh', '-c'], ['kustomize build\nkubectl apply -f x.yaml'])), 'other');
    assert.equal(pluginTool(gen(['sh', '-c'], ['kustomize build'], { command: ['helm', 'dependency', 'build'] })), 'other');
    assert.equal(pluginTool(gen(['argocd-vault-plugin', 'generate', './'], [])), 'other');
  });

  it('edits of the plugin definition: incremental passes equal full ones', () => {
    const files = virtualFiles(TREE);
    const host = hostOf(files);
    host.snapshot();
    const values = `${P}/infra/argocd/values.yaml`;
    editsEqualFresh(
      files,
      host,
      [
        [values, (t) => t?.replace('kustomize build --enable-helm', 'kustomize build --enable-helm | envsubst')],
        // Another script of a plugin not run here: the note on the source says what it runs now.
        [values, (t) => t?.replace(' | envsubst', ' | envsubst $ARGOCD_ENV_DOMAIN')],
        [values, (t) => t?.replace(' $ARGOCD_ENV_DOMAIN', '')],
        [values, (t) => t?.replace(' | envsubst', '')],
        [values, () => undefined],
        [values, () => VALUES],
      ],
      KINDS,
    );
    assert.deepEqual(placementsOf(host, KINDS), ['Service/web@web']);
  });

  it('a chart a plugin renders is not also rendered on its own with its defaults; adding and removing the plugin: incremental passes equal full ones', () => {
    const app = (plugin: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: site, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://github.com/example/homelab
    path: charts/site
${plugin}  destination: {server: https://kubernetes.default.svc, namespace: site}
`;
    const withPlugin = app('    plugin: {name: avp-helm}\n');
    const files = virtualFiles(`#- argocd/site.yaml
${withPlugin}
#- charts/site/Chart.yaml
apiVersion: v2
name: site
version: 0.1.0
#- charts/site/templates/svc.yaml
${serviceYaml('site')}
`);
    const host = hostOf(files);
    // The plugin's output is not known here, and the chart's own render is not judged.
    assert.deepEqual(placementsOf(host, KINDS), []);
    const uri = `${P}/argocd/site.yaml`;
    editsEqualFresh(
      files,
      host,
      [
        // Argo CD renders the chart with Helm: its Service lands in the destination namespace.
        [uri, () => app('')],
        [uri, () => withPlugin],
        // No Application: the chart is rendered on its own.
        [uri, () => undefined],
        [uri, () => withPlugin],
      ],
      KINDS,
    );
    assert.deepEqual(placementsOf(host, KINDS), []);
    files.set(uri, app(''));
    assert.deepEqual(placementsOf(hostOf(files), KINDS), ['Service/site@site']);
    files.delete(uri);
    assert.deepEqual(placementsOf(hostOf(files), KINDS), ['Service/site@default']);
  });
});
