/**
 * ApplicationSet generators (analysis/units/argocdGenerators.ts, argocdSets.ts): git files,
 * matrix, merge, clusters, selectors, a generator's own template and Go templates with Sprig
 * functions make the Applications the ApplicationSet controller makes; what is not known offline
 * makes none (or, for clusters, an incomplete one); an edit of a file a git files generator reads
 * gives what a fresh pass gives.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisHost } from '../../analysis/index.js';
import { virtualFiles } from '../support/kustomize.js';
import { editsEqualFresh, hostOf, placements as placementsOf } from '../support/gitops.js';

const P = 'file:///k';
const KINDS = ['Service'];
const placements = (host: AnalysisHost): string[] => placementsOf(host, KINDS);
const layout = (host: AnalysisHost) => host.snapshot().index.kustomizeLayout();
const roots = (host: AnalysisHost): string[] => layout(host).roots.map((r) => r.slice(r.lastIndexOf('#') + 1));

const APPS = ['web', 'api']
  .map(
    (a) => `#- apps/${a}/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: ${a}
spec:
  selector: {app: ${a}}
  ports: [{port: 80}]
`,
  )
  .join('');

const set = (spec: string): string => `#- argocd/set.yaml
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: apps
spec:
${spec}`;

describe('ApplicationSet generators', () => {
  it('git files: each JSON file (and each item of a YAML list) is a parameter set, with its folder as path', () => {
    const files = virtualFiles(`${set(`  generators:
    - git:
        repoURL: https://github.com/example/homelab
        files:
          - path: 'envs/**/config.json'
          - path: 'envs/more.yaml'
  template:
    metadata: {name: '{{app}}-{{path.basename}}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{app}}'}
      destination: {namespace: '{{ns.name}}'}
`)}#- envs/prod/config.json
{"app": "web", "ns": {"name": "web-prod"}}
#- envs/more.yaml
- {app: api, ns: {name: api-more}}
${APPS}`);
    const host = hostOf(files);
    assert.deepEqual(roots(host), ['Application:api-envs', 'Application:web-prod']);
    assert.deepEqual(placements(host), ['Service/api@api-more', 'Service/web@web-prod']);
    editsEqualFresh(
      files,
      host,
      [
        [`${P}/envs/prod/config.json`, (t) => t?.replace('web-prod', 'web-live')],
        [`${P}/envs/stage/config.json`, () => '{"app": "api", "ns": {"name": "api-stage"}}'],
        [`${P}/envs/more.yaml`, () => undefined],
      ],
      KINDS,
    );
    assert.deepEqual(placements(host), ['Service/api@api-stage', 'Service/web@web-live']);
  });

  it('matrix of git directories and a list; merge by key; a selector on matchLabels', () => {
    const host = hostOf(
      virtualFiles(
        `${set(`  goTemplate: true
  generators:
    - matrix:
        generators:
          - git:
              repoURL: https://github.com/example/homelab
              directories: [{path: 'apps/*'}]
          - list:
              elements: [{env: prod}, {env: dev}]
      selector:
        matchLabels: {env: prod}
    - merge:
        mergeKeys: [app]
        generators:
          - list:
              elements: [{app: web, ns: a, path: {basename: web}}, {app: api, ns: b, path: {basename: api}}]
          - list:
              elements: [{app: api, ns: merged}]
  template:
    metadata: {name: '{{ .env | default "m" }}-{{ .path.basename }}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{ .path.basename }}'}
      destination: {namespace: '{{ printf "%s-%s" (.env | default "m") (.ns | default .path.basename) | upper | lower }}'}
`)}${APPS}`,
      ),
    );
    assert.deepEqual(roots(host), ['Application:m-api', 'Application:m-web', 'Application:prod-api', 'Application:prod-web']);
    assert.deepEqual(placements(host), ['Service/api@m-merged', 'Service/api@prod-api', 'Service/web@m-a', 'Service/web@prod-web']);
  });

  it("a generator's own template over the ApplicationSet's; a function not known here (normalize) leaves the field unknown", () => {
    const host = hostOf(
      virtualFiles(
        `${set(`  goTemplate: true
  generators:
    - list:
        elements: [{app: web}]
        template:
          metadata: {}
          spec:
            destination: {namespace: own}
    - list:
        elements: [{app: api}]
  template:
    metadata: {name: '{{ .app }}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{ .app }}'}
      destination: {namespace: '{{ .app | normalize }}'}
`)}${APPS}`,
      ),
    );
    assert.deepEqual(placements(host), ['Service/api@', 'Service/web@own']);
  });

  it('clusters: the Application applies its folder to a cluster not known here (an incomplete build, never an error)', () => {
    const host = hostOf(
      virtualFiles(
        `${set(`  generators:
    - clusters: {}
  template:
    metadata: {name: '{{name}}-web'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: apps/web}
      destination: {server: '{{server}}', namespace: web}
`)}${APPS}`,
      ),
    );
    const l = layout(host);
    assert.deepEqual(roots(host), ['Application:{{name}}-web']);
    assert.ok([...l.incomplete].some((r) => r.endsWith('#Application:{{name}}-web')));
    assert.deepEqual(placements(host), ['Service/api@default', 'Service/web@web']);
  });
});
