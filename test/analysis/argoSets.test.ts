/**
 * ApplicationSet generators (analysis/units/argocdGenerators.ts, argocdSets.ts): git files,
 * matrix, merge, clusters, selectors, a generator's own template and Go templates with Sprig
 * functions (and Argo CD's `normalize`), a matrix whose second generator reads the first's
 * parameters, `matchExpressions`, `templatePatch` and `missingkey=error` make the Applications the
 * ApplicationSet controller makes; what is not known offline makes none (or, for clusters, SCM
 * providers, pull requests and plugins, an incomplete one); an edit of a file a git files generator
 * reads gives what a fresh pass gives.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisHost } from '../../analysis/index.js';
import { virtualFiles } from '../support/kustomize.js';
import { editsEqualFresh, hostOf, placements as placementsOf, serviceYaml } from '../support/gitops.js';
import { slugify, SlugifyError } from '../../analysis/units/argocdGenerators.js';

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

/** A matrix generator whose first generator takes every folder of apps/ (its second follows). */
const APPS_MATRIX = `  generators:
    - matrix:
        generators:
          - git:
              repoURL: https://github.com/example/homelab
              directories: [{path: 'apps/*'}]`;

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

  it("git files: '*' crosses folders by default (Argo CD's greedy globbing), within one folder with the controller's new globbing; editing argocd-cmd-params-cm: incremental passes equal full ones", () => {
    const files = virtualFiles(`${set(`  generators:
    - git:
        repoURL: https://github.com/example/homelab
        files: [{path: 'envs/*.json'}]
  template:
    metadata: {name: '{{app}}-{{path.basename}}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{app}}'}
      destination: {namespace: '{{ns}}'}
`)}#- envs/web.json
{"app": "web", "ns": "web-top"}
#- envs/deep/api.json
{"app": "api", "ns": "api-deep"}
#- argocd/install/params.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cmd-params-cm, namespace: argocd}
data:
  server.insecure: "true"
${APPS}`);
    const host = hostOf(files);
    // Argo CD's documented default: envs/*.json takes the JSON files at any level under envs.
    assert.deepEqual(placements(host), ['Service/api@api-deep', 'Service/web@web-top']);
    const params = `${P}/argocd/install/params.yaml`;
    editsEqualFresh(
      files,
      host,
      [[params, (t) => t?.replace('server.insecure: "true"', 'applicationsetcontroller.enable.new.git.file.globbing: "true"')]],
      KINDS,
    );
    // The new globbing: '*' stays within envs/; apps/api is then no Application's folder.
    assert.deepEqual(placements(host), ['Service/api@default', 'Service/web@web-top']);
  });

  it('matrix of git directories and a list; merge by key; a selector on matchLabels', () => {
    const host = hostOf(
      virtualFiles(
        `${set(`  goTemplate: true
${APPS_MATRIX}
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

  it("a generator's own template over the ApplicationSet's; Argo CD's normalize and slugify", () => {
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
        elements: [{app: api, ns: '_Media_Center.'}]
    - list:
        elements: [{app: api, ns: '_Books Shelf_'}]
        template:
          metadata: {name: books}
          spec:
            destination: {namespace: '{{ .ns | slugify 5 }}'}
  template:
    metadata: {name: '{{ .app }}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{ .app }}'}
      destination: {namespace: '{{ .ns | normalize }}'}
`)}${APPS}`,
      ),
    );
    // normalize: lower case, other characters than a-z, 0-9, '-' and '.' a hyphen, no leading or trailing '-' or '.';
    // slugify 5: the same with '.' a hyphen too, cut at the last '-' at or before index 5.
    assert.deepEqual(placements(host), ['Service/api@books', 'Service/api@media-center', 'Service/web@own']);
  });

  it("git directories: '**' is no more than '*' (Go's path.Match): one folder level, not every folder below", () => {
    const host = hostOf(
      virtualFiles(`${set(`  generators:
    - git:
        repoURL: https://github.com/example/homelab
        directories: [{path: 'apps/**'}]
  template:
    metadata: {name: '{{path.basename}}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: '{{path}}'}
      destination: {namespace: '{{path.basename}}'}
`)}${APPS}#- apps/team/db/svc.yaml
${serviceYaml('db')}
`),
    );
    // apps/team is made (a folder without manifests of its own); apps/team/db is not: its Service stays in its folder's unit.
    assert.deepEqual(placements(host), ['Service/api@api', 'Service/db@default', 'Service/web@web']);
  });

  it("slugify gives gosimple/slug's own expected slugs (its TestSlugMakeSmartTruncate cases), after Argo CD's sanitizing; bad arguments fail", () => {
    // [name, maxSize, smartTruncate, slug]: the cases of gosimple/slug's slug_test.go (62efd7f) that Argo CD's
    // sanitizing (lower case, characters but -, a-z, 0-9 a hyphen) leaves as the library would read them.
    const cases: ReadonlyArray<readonly [string, number, boolean, string]> = [
      ['Dobroslaw Zybort', 9, true, 'dobroslaw'],
      ['Dobroslaw Zybort', 12, true, 'dobroslaw'],
      ['Dobroslaw Zybort', 15, true, 'dobroslaw'],
      ['Dobroslaw Zybort', 15, false, 'dobroslaw-zybor'],
      ['Dobroslaw Zybort', 16, true, 'dobroslaw-zybort'],
      ['Dobroslaw Zybort', 100, true, 'dobroslaw-zybort'],
      ['abc', 2, true, 'ab'],
      ['-abc', 2, true, 'ab'],
      ['abc-', 2, true, 'ab'],
      ['-abc-', 4, true, 'abc'],
      ['----abc----', 4, true, 'abc'],
      ['abc-de', 5, true, 'abc'],
      ['abc-de', 6, true, 'abc-de'],
      ['abc-de-fg', 8, true, 'abc-de'],
      ['abc-de-fg', 9, true, 'abc-de-fg'],
      ['DOBROSLAWZYBORT', 9, true, 'dobroslaw'],
      ['DOBROSLAWZYBORT', 17, false, 'dobroslawzybort'],
      ['  Dobroslaw     Zybort  ?', 12, true, 'dobroslaw'],
      ['Long branch-name', 14, false, 'long-branch-na'],
      ['Long branch-name', 12, false, 'long-branch'],
    ];
    for (const [name, max, smart, want] of cases) assert.equal(slugify([BigInt(max), smart, name]), want, `${name} ${max} ${smart}`);
    // Defaults: 50, smart truncation.
    assert.equal(
      slugify(['feature/JIRA-1234 add a very long description of the change to the checkout']),
      'feature-jira-1234-add-a-very-long-description-of',
    );
    assert.equal(slugify([]), '');
    assert.throws(() => slugify([20.5, 'x']), SlugifyError);
    assert.throws(() => slugify(['x', 'y']), SlugifyError);
    assert.throws(() => slugify([-1n, false, 'x']), SlugifyError);
  });

  it("matrix: a second generator whose fields read the first's parameters is made with each set of the first", () => {
    const host = hostOf(
      virtualFiles(
        `${set(`  goTemplate: true
${APPS_MATRIX}
          - git:
              repoURL: https://github.com/example/homelab
              files: [{path: '{{ .path.path }}/env.yaml'}]
  template:
    metadata: {name: '{{ .path.basename }}-{{ .env }}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{ .path.basename }}'}
      destination: {namespace: '{{ .env }}'}
`)}#- apps/web/env.yaml
env: prod
#- apps/api/env.yaml
env: dev
#- argocd/plain.yaml
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: plain
spec:
  generators:
    - matrix:
        generators:
          - list:
              elements: [{app: web, cluster: a}, {app: api, cluster: b}]
          - list:
              elements: [{ns: 'x-{{cluster}}'}]
  template:
    metadata: {name: 'plain-{{app}}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{app}}'}
      destination: {namespace: '{{ns}}'}
${APPS}`,
      ),
    );
    // The git files generator reads apps/<dir>/env.yaml of each folder; the path parameters of the second set win (Argo CD merges the second over the first).
    assert.deepEqual(roots(host), ['Application:plain-api', 'Application:plain-web', 'Application:api-dev', 'Application:web-prod']);
    assert.deepEqual(placements(host), ['Service/api@dev', 'Service/api@x-b', 'Service/web@prod', 'Service/web@x-a']);
  });

  it("matrix: an edit of a file the second generator reads with the first's parameters gives what a fresh pass gives", () => {
    const files = virtualFiles(`${set(`  goTemplate: true
${APPS_MATRIX}
          - git:
              repoURL: https://github.com/example/homelab
              files: [{path: '{{ .path.path }}/env.yaml'}]
  template:
    metadata: {name: '{{ .path.basename }}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{ .path.basename }}'}
      destination: {namespace: '{{ .env }}'}
  templatePatch: |
    {{- if .pinned }}
    spec:
      destination: {namespace: pinned}
    {{- end }}
`)}#- apps/web/env.yaml
env: prod
${APPS}`);
    const host = hostOf(files);
    assert.deepEqual(placements(host), ['Service/api@default', 'Service/web@prod']);
    editsEqualFresh(
      files,
      host,
      [
        [`${P}/apps/api/env.yaml`, () => 'env: dev\n'],
        [`${P}/apps/web/env.yaml`, (t) => `${t ?? ''}pinned: true\n`],
        [`${P}/apps/api/env.yaml`, () => undefined],
      ],
      KINDS,
    );
    assert.deepEqual(placements(host), ['Service/api@default', 'Service/web@pinned']);
  });

  it('selectors with matchExpressions (In, NotIn, Exists, DoesNotExist) keep the sets whose parameters match, as a label selector does', () => {
    const gen = (name: string, selector: string): string => `#- argocd/${name}.yaml
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${name}
spec:
  generators:
    - list:
        elements: [{app: web, tier: front}, {app: api, tier: back, beta: 'yes'}]
      selector:
${selector}
  template:
    metadata: {name: '${name}-{{app}}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{app}}'}
      destination: {namespace: ${name}}
`;
    const host = hostOf(
      virtualFiles(
        gen('in', '        matchExpressions: [{key: tier, operator: In, values: [front, edge]}]') +
          gen('notin', '        matchExpressions: [{key: tier, operator: NotIn, values: [front]}]') +
          gen('exists', '        matchExpressions: [{key: beta, operator: Exists}]') +
          gen('absent', '        matchExpressions: [{key: beta, operator: DoesNotExist}]') +
          gen('both', '        matchLabels: {tier: back}\n        matchExpressions: [{key: beta, operator: In, values: ["no"]}]') +
          gen('invalid', '        matchExpressions: [{key: tier, operator: In}]') +
          APPS,
      ),
    );
    // In without values is invalid (Argo CD fails the ApplicationSet): no Application.
    assert.deepEqual(roots(host), ['Application:absent-web', 'Application:exists-api', 'Application:in-web', 'Application:notin-api']);
  });

  it('templatePatch: rendered with each set (Go template, typed parameters) and merged over the Application', () => {
    const host = hostOf(
      virtualFiles(
        `${set(`  goTemplate: true
  generators:
    - list:
        elements: [{app: web, custom: true, ns: special}, {app: api, custom: false, ns: other}]
  template:
    metadata: {name: '{{ .app }}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{ .app }}'}
      destination: {namespace: plain}
  templatePatch: |
    {{- if .custom }}
    spec:
      destination:
        namespace: {{ .ns }}
    {{- end }}
`)}#- argocd/slugs.yaml
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: slugs
spec:
  goTemplate: true
  generators:
    - list:
        elements: [{app: web, ns: Slug Me}, {app: api}]
  template:
    metadata: {name: 'slug-{{ .app }}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{ .app }}'}
      destination: {namespace: slugs}
  templatePatch: |
    spec:
      destination:
        namespace: {{ .ns | slugify }}
${APPS}`,
      ),
    );
    // custom: false is false in Go (a string "false" would be true): api keeps the template's namespace.
    // Argo CD's slugify in a patch is run (web); a patch that reads a parameter the set lacks (api: Argo CD would print
    // "<no value>") leaves the Application as its template makes it, incomplete.
    assert.deepEqual(placements(host), ['Service/api@plain', 'Service/api@slugs', 'Service/web@slug-me', 'Service/web@special']);
    assert.deepEqual(
      [...layout(host).incomplete].map((r) => r.slice(r.lastIndexOf('#') + 1)),
      ['Application:slug-api'],
    );
  });

  it('goTemplateOptions missingkey=error: a set whose template reads a parameter it lacks makes no Application (default: the field stays unknown)', () => {
    const body = (name: string, options: string): string => `#- argocd/${name}.yaml
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${name}
spec:
  goTemplate: true
${options}  generators:
    - list:
        elements: [{app: web, ns: media}, {app: api}]
  template:
    metadata: {name: '${name}-{{ .app }}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{ .app }}'}
      destination: {namespace: '{{ .ns }}'}
`;
    const host = hostOf(virtualFiles(body('strict', '  goTemplateOptions: ["missingkey=error"]\n') + body('lax', '') + APPS));
    assert.deepEqual(roots(host), ['Application:lax-api', 'Application:lax-web', 'Application:strict-web']);
    assert.deepEqual(placements(host), ['Service/api@', 'Service/web@media', 'Service/web@media']);
  });

  it('SCM provider, pull request and plugin generators: parameters not known, the Application incomplete (also inside a matrix)', () => {
    const host = hostOf(
      virtualFiles(
        `${set(`  goTemplate: true
  generators:
    - pullRequest:
        github: {owner: example, repo: homelab}
    - matrix:
        generators:
          - git:
              repoURL: https://github.com/example/homelab
              directories: [{path: 'apps/api'}]
          - plugin:
              configMapRef: {name: my-plugin}
  template:
    metadata: {name: 'preview-{{ .number }}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: 'apps/{{ .path.basename | default "web" }}'}
      destination: {namespace: 'preview-{{ .number }}'}
`)}${APPS}`,
      ),
    );
    const l = layout(host);
    assert.deepEqual(roots(host), ['Application:preview-{{ .number }}']);
    assert.deepEqual(
      [...l.incomplete].map((r) => r.slice(r.lastIndexOf('#') + 1)),
      ['Application:preview-{{ .number }}'],
    );
  });

  it("matrix of git directories and clusters: one incomplete Application per folder, named by what is known ('{{name}}-api')", () => {
    const host = hostOf(
      virtualFiles(
        `${set(`${APPS_MATRIX}
          - clusters:
              selector:
                matchLabels: {pricelist: deploy}
  template:
    metadata: {name: '{{name}}-{{path.basename}}'}
    spec:
      source: {repoURL: https://github.com/example/homelab, path: '{{path}}'}
      destination: {server: '{{server}}', namespace: shop}
`)}${APPS}`,
      ),
    );
    assert.deepEqual(roots(host), ['Application:{{name}}-api', 'Application:{{name}}-web']);
    assert.deepEqual(placements(host), ['Service/api@shop', 'Service/web@shop']);
    assert.equal(layout(host).incomplete.size, 2);
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

  it('the chart releases of the Applications a git files generator makes follow its files: editing, adding and removing one equals a fresh pass', () => {
    const config = (chart: string, ns: string): string => `chart: ${chart}\nnamespace: ${ns}\n`;
    const route = (ns: string, backend: string): string => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: ${ns}}
spec:
  parentRefs: [{name: internal, namespace: gateway}]
  rules: [{backendRefs: [{name: ${backend}, port: 80}]}]
`;
    const files = virtualFiles(`#- argocd/set.yaml
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: platform, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - git: {repoURL: https://github.com/example/p.git, revision: HEAD, files: [{path: apps/*/config.yaml}]}
  template:
    metadata: {name: '{{ .path.basename }}'}
    spec:
      project: default
      source: {repoURL: https://charts.example.com, chart: '{{ .chart }}'}
      destination: {server: https://kubernetes.default.svc, namespace: '{{ .namespace }}'}
#- apps/grafana/config.yaml
${config('grafana', 'monitoring')}
#- routes/a.yaml
${route('monitoring', 'grafana')}
---
${route('logging', 'loki-gateway')}
---
${serviceYaml('loki-gw').replace('metadata:\n', 'metadata:\n  namespace: logging\n')}
`);
    const host = hostOf(files);
    const notes = (h: AnalysisHost): string[] =>
      [...h.snapshot().diagnostics()].flatMap(([, list]) => list.filter((d) => d.code === 'gateway-backend-missing').map((d) => d.message));
    // grafana's release installs into monitoring: its Service there is silent.
    assert.deepEqual(
      notes(host).map((m) => m.slice(0, 40)),
      ['HTTPRoute "logging/r" sends rules[0] tra'],
    );
    editsEqualFresh(
      files,
      host,
      [
        [`${P}/apps/grafana/config.yaml`, () => config('grafana', 'observability')],
        [`${P}/apps/loki/config.yaml`, () => config('loki', 'logging')],
        [`${P}/apps/grafana/config.yaml`, () => config('grafana', 'monitoring')],
        [`${P}/apps/loki/config.yaml`, () => undefined],
      ],
      undefined,
    );
  });
});
