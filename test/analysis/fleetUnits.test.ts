/**
 * Rancher Fleet bundles as build roots (analysis/units/fleet.ts): one root per deployment (the
 * bundle's own options and each target customization), the folders they apply no roots of their
 * own, where their objects land (`namespace` forces, `defaultNamespace` defaults), a chart's
 * output under a `kustomize.dir` overlay, and incremental passes after edits equal full ones.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisHost } from '../../analysis/index.js';
import { virtualFiles } from '../support/kustomize.js';
import { expandPath } from '../../analysis/units/fleetGlob.js';
import { editsEqualFresh, hostOf, placements as placementsOf, serviceYaml } from '../support/gitops.js';
import type { Edit } from '../support/gitops.js';

const TREE = `#- fleet/raw/fleet.yaml
defaultNamespace: raw
#- fleet/raw/app.yaml
${serviceYaml('raw')}
---
${serviceYaml('pinned').replace('metadata:\n', 'metadata:\n  namespace: own\n')}
#- fleet/raw/overlays/big/svc.yaml
${serviceYaml('overlay-only')}
#- fleet/forced/fleet.yml
namespace: forced
#- fleet/forced/app.yaml
${serviceYaml('forced').replace('metadata:\n', 'metadata:\n  namespace: own\n')}
#- fleet/kust/fleet.yaml
namespace: kust
targetCustomizations:
- name: prod
  clusterSelector: {matchLabels: {env: prod}}
  kustomize: {dir: overlays/prod}
- name: off
  doNotDeploy: true
  kustomize: {dir: overlays/prod}
#- fleet/kust/kustomization.yaml
resources: [app.yaml]
#- fleet/kust/app.yaml
${serviceYaml('web')}
#- fleet/kust/overlays/prod/kustomization.yaml
resources: [../..]
nameSuffix: -prod
#- fleet/chart/fleet.yaml
defaultNamespace: charts
helm:
  chart: ./shop
  releaseName: store
  values: {port: 8080}
  valuesFiles: [prod.yaml]
kustomize:
  dir: overlay
#- fleet/chart/prod.yaml
port: 9090
#- fleet/chart/shop/Chart.yaml
apiVersion: v2
name: shop
version: 0.1.0
#- fleet/chart/shop/values.yaml
port: 80
#- fleet/chart/shop/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector: {app: shop}
  ports: [{port: {{ .Values.port }}}]
#- fleet/chart/overlay/kustomization.yaml
namePrefix: eu-
`;

const P = 'file:///k';
const KINDS = ['Service'];
const placements = (host: AnalysisHost): string[] => placementsOf(host, KINDS);

/** A Fleet GitRepo `name` of this repository deploying `path` with `targetNamespace`; no trailing newline. */
function gitRepoYaml(name: string, path: string, targetNamespace: string): string {
  return `apiVersion: fleet.cattle.io/v1alpha1
kind: GitRepo
metadata: {name: ${name}, namespace: fleet-local}
spec:
  repo: https://example.com/org/repo
  paths: [${path}]
  targetNamespace: ${targetNamespace}`;
}

/**
 * A Fleet GitRepo of the workspace and the bundles its paths reach: the build roots (when named), where the Services
 * land, then edits in turn (incremental passes equal fresh ones), each followed by where they land.
 */
interface GitRepoCase {
  readonly name: string;
  readonly tree: string;
  readonly roots?: readonly string[];
  readonly placed: readonly string[];
  readonly steps: ReadonlyArray<{ readonly edits: readonly Edit[]; readonly placed: readonly string[] }>;
}

const GITREPO_CASES: readonly GitRepoCase[] = [
  {
    name: "a GitRepo of this repository scanning its root (`.`, `./`, no paths) makes the root a bundle: the GitRepo's targetNamespace lands the plain manifests and every bundle below",
    // The workspace's top folder is file:///k: the GitRepo's repo URL names it (k.git).
    tree: `#- gitrepo.yaml
${gitRepoYaml('root', '.', 'team-r').replace('org/repo', 'org/k.git')}
#- apps/api/app.yaml
${serviceYaml('api')}
#- fleet/web/fleet.yaml
namespace: own
#- fleet/web/app.yaml
${serviceYaml('web')}
`,
    roots: [`${P}/fleet.yaml#Bundle:`, `${P}/fleet/web/fleet.yaml#Bundle:`],
    placed: ['Service/api@team-r', 'Service/web@team-r'],
    steps: [
      {
        edits: [[`${P}/gitrepo.yaml`, (t) => t?.replace('paths: [.]', 'paths: [./]')]],
        placed: ['Service/api@team-r', 'Service/web@team-r'],
      },
      { edits: [[`${P}/gitrepo.yaml`, (t) => t?.replace('  paths: [./]\n', '')]], placed: ['Service/api@team-r', 'Service/web@team-r'] },
      // Another repository's root: not read (the bundle keeps its own namespace, the plain folder floats in the agent's default).
      {
        edits: [[`${P}/gitrepo.yaml`, (t) => t?.replace('org/k.git', 'org/other.git')]],
        placed: ['Service/api@default', 'Service/web@own'],
      },
    ],
  },
  {
    name: "a GitRepo path without fleet.yaml that holds manifests is a bundle with default options: the GitRepo's targetNamespace lands its objects",
    tree: `#- gitrepos/tools.yaml
${gitRepoYaml('tools', 'tools', 'team-c')}
#- tools/web/app.yaml
${serviceYaml('web')}
#- tools/db/fleet.yaml
defaultNamespace: db
#- tools/db/app.yaml
${serviceYaml('db')}
`,
    // tools/ holds manifests in a folder without fleet.yaml (web/): one bundle; tools/db is a bundle of its own, reached by the GitRepo too.
    roots: [`${P}/tools/db/fleet.yaml#Bundle:`, `${P}/tools/fleet.yaml#Bundle:`],
    placed: ['Service/db@team-c', 'Service/web@team-c'],
    steps: [
      {
        edits: [
          [`${P}/gitrepos/tools.yaml`, (t) => t?.replace('targetNamespace: team-c', 'targetNamespace: team-d')],
          [`${P}/tools/web/app.yaml`, () => undefined],
          [`${P}/tools/web/app.yaml`, () => serviceYaml('web')],
          [`${P}/gitrepos/tools.yaml`, (t) => t?.replace('  targetNamespace: team-d\n', '')],
        ],
        // Without targetNamespace the folder's objects land where the agent's default puts them, not known here.
        placed: ['Service/db@db', 'Service/web@default'],
      },
    ],
  },
  {
    name: 'a GitRepo of the workspace that reaches a bundle writes its targetNamespace over every deployment',
    tree: `#- gitrepos/web.yaml
${gitRepoYaml('web', 'fleet/web', 'prod')}
---
apiVersion: fleet.cattle.io/v1alpha1
kind: GitRepo
metadata: {name: root-only, namespace: fleet-local}
spec: {repo: https://example.com/org/other, paths: [.], targetNamespace: nowhere}
#- fleet/web/fleet.yaml
namespace: own
targetCustomizations: [{name: t, namespace: t}]
#- fleet/web/app.yaml
${serviceYaml('web')}
#- fleet/other/fleet.yaml
defaultNamespace: other
#- fleet/other/app.yaml
${serviceYaml('other')}
`,
    // Both deployments of fleet/web land in the GitRepo's namespace; fleet/other is reached by none (a `.` alone is no evidence).
    placed: ['Service/other@other', 'Service/web@prod', 'Service/web@prod'],
    steps: [
      {
        edits: [[`${P}/gitrepos/web.yaml`, (t) => t?.replace('targetNamespace: prod', 'targetNamespace: staging')]],
        placed: ['Service/other@other', 'Service/web@staging', 'Service/web@staging'],
      },
      // A path the workspace lacks: the GitRepo reads another repository.
      {
        edits: [[`${P}/gitrepos/web.yaml`, (t) => t?.replace('paths: [fleet/web]', 'paths: [apps/web]')]],
        placed: ['Service/other@other', 'Service/web@own', 'Service/web@t'],
      },
    ],
  },
];

describe('Fleet bundles', () => {
  it('are roots, one per deployment; the folders they apply are no roots of their own', () => {
    const host = hostOf(virtualFiles(TREE));
    assert.deepEqual(host.snapshot().index.kustomizeLayout().roots, [
      `${P}/fleet/chart/fleet.yaml#Bundle:`,
      `${P}/fleet/forced/fleet.yml#Bundle:`,
      `${P}/fleet/kust/fleet.yaml#Bundle:`,
      `${P}/fleet/kust/fleet.yaml#Bundle:prod`,
      `${P}/fleet/raw/fleet.yaml#Bundle:`,
    ]);
    assert.deepEqual(placements(host), [
      // The chart's output under the overlay (namePrefix), values then valuesFiles (port 9090).
      'Service/eu-store@charts',
      // `namespace` replaces an object's own namespace; `defaultNamespace` does not.
      'Service/forced@forced',
      'Service/pinned@own',
      'Service/raw@raw',
      'Service/web-prod@kust',
      'Service/web@kust',
    ]);
  });

  it("renders a local chart with the bundle's values, then its values files, under the kustomize.dir overlay", () => {
    const host = hostOf(virtualFiles(TREE));
    const svc = host
      .snapshot()
      .index.objects.find((p) => p.obj.kind === 'Service' && p.obj.name?.known === true && p.obj.name.value === 'eu-store');
    assert.deepEqual(
      svc?.obj.service?.ports.map((p) => (p.port?.known === true ? p.port.value : undefined)),
      [9090],
    );
  });

  it('a deployment whose chart or values Fleet fills in per cluster is incomplete (a downloaded chart, `${ }` values)', () => {
    const tree = (values: string): string => `#- fleet/a/fleet.yaml
helm:
  releaseName: a
  values: {app: ${values}}
#- fleet/a/Chart.yaml
apiVersion: v2
name: a
version: 0.1.0
#- fleet/a/templates/svc.yaml
${serviceYaml('a')}
#- fleet/b/fleet.yaml
helm: {repo: https://charts.example.com, chart: b}
#- fleet/c/fleet.yaml
name: c-bundle
#- fleet/c/Chart.yaml
apiVersion: v2
name: c
version: 0.1.0
#- fleet/c/templates/svc.yaml
${serviceYaml('c')}
#- fleet/d/fleet.yaml
defaultNamespace: d
#- fleet/d/Chart.yaml
apiVersion: v2
name: d
version: 0.1.0
#- fleet/d/templates/svc.yaml
${serviceYaml('d')}
`;
    const incomplete = (values: string): string[] =>
      [
        ...hostOf(virtualFiles(tree(values)))
          .snapshot()
          .index.kustomizeLayout().incomplete,
      ].sort();
    // A release named after the bundle: fleet.yaml's `name` (c), else the GitRepo's name and path, not known here (d).
    assert.deepEqual(incomplete('web'), [`${P}/fleet/b/fleet.yaml#Bundle:`, `${P}/fleet/d/fleet.yaml#Bundle:`]);
    assert.deepEqual(incomplete('"${ .ClusterLabels.app }"'), [
      `${P}/fleet/a/fleet.yaml#Bundle:`,
      `${P}/fleet/b/fleet.yaml#Bundle:`,
      `${P}/fleet/d/fleet.yaml#Bundle:`,
    ]);
  });

  it("yaml.overlays replace, remove and patch a raw bundle's files per target, as Fleet's patch.Process does", () => {
    const files = virtualFiles(`#- fleet/m/fleet.yaml
namespace: m
targetCustomizations:
- name: dev
  yaml: {overlays: [noreplication]}
- name: prod
  yaml: {overlays: [servicelb]}
- name: lists
  yaml: {overlays: [ports]}
#- fleet/m/a.yaml
${serviceYaml('a')}
#- fleet/m/b.yaml
${serviceYaml('b')}
#- fleet/m/overlays/noreplication/b.yaml
#- fleet/m/overlays/servicelb/a_patch.yaml
spec:
  type: LoadBalancer
#- fleet/m/overlays/ports/a_patch.yaml
spec:
  ports: [{port: 81}]
`);
    const snap = hostOf(files).snapshot();
    const seen = (target: string): string[] =>
      snap.index.objects
        .filter((p) => p.placements.some((pl) => pl.unit === `${P}/fleet/m/fleet.yaml#Bundle:${target}`))
        .map(
          (p) =>
            `${p.obj.name?.known === true ? p.obj.name.value : '?'}:${p.obj.service?.type ?? ''}:${(p.obj.service?.ports ?? []).map((x) => (x.port?.known === true ? x.port.value : '?')).join('+')}`,
        )
        .sort();
    assert.deepEqual(seen(''), ['a:ClusterIP:80', 'b:ClusterIP:80']);
    assert.deepEqual(seen('dev'), ['a:ClusterIP:80']);
    assert.deepEqual(seen('prod'), ['a:LoadBalancer:80', 'b:ClusterIP:80']);
    // A merge patch replaces lists whole (Fleet applies it with jsonpatch.MergePatch), where a strategic merge patch merges them by key.
    assert.deepEqual(seen('lists'), ['a:ClusterIP:81', 'b:ClusterIP:80']);
    assert.deepEqual([...snap.index.kustomizeLayout().incomplete], []);
  });

  it('odd fleet.yaml files neither crash nor make roots they should not', () => {
    const files = virtualFiles(`#- fleet/list/fleet.yaml
- a
- b
#- fleet/empty/fleet.yaml
#- fleet/object/fleet.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: fleet}
#- fleet/odd/fleet.yaml
namespace: {a: 1}
defaultNamespace: [x]
helm: nope
kustomize: {dir: 5}
yaml: {overlays: [../../etc, 7, {a: 1}]}
targetCustomizations: [1, {name: t, helm: {values: [1], valuesFiles: [{}], chart: 3}}, {doNotDeploy: true}]
#- fleet/odd/app.yaml
${serviceYaml('odd')}
`);
    const host = hostOf(files);
    assert.deepEqual(host.snapshot().index.kustomizeLayout().roots, [
      `${P}/fleet/odd/fleet.yaml#Bundle:`,
      `${P}/fleet/odd/fleet.yaml#Bundle:t`,
    ]);
    assert.deepEqual(placements(host), ['Service/odd@default']);
  });

  it("a fleet.yaml naming a values file the repository lacks is no bundle (Fleet's reader refuses it): the reference's copy at a root", () => {
    // HariSekhon/Kubernetes-configs' shape: Fleet's reference fleet.yaml beside plain manifests.
    const files = virtualFiles(`#- fleet.yaml
helm:
  chart: ./chart
  repo: https://charts.rancher.io
  valuesFiles: [values1.yaml]
kustomize: {dir: ./kustomize}
#- app.yaml
${serviceYaml('plain')}
#- t/fleet.yaml
targetCustomizations: [{name: off, doNotDeploy: true, helm: {valuesFiles: [gone.yaml]}}]
#- t/app.yaml
${serviceYaml('target')}
#- ok/fleet.yaml
helm: {valuesFiles: [gone.yaml]}
#- ok/app.yaml
${serviceYaml('ok')}
`);
    const host = hostOf(files);
    // Without a chart or repo the bundle's own values files are not read; a target's always are.
    assert.deepEqual(host.snapshot().index.kustomizeLayout().roots, [`${P}/ok/fleet.yaml#Bundle:`]);
    assert.deepEqual(placements(host), ['Service/ok@default', 'Service/plain@default', 'Service/target@default']);
    // The missing file added: the root's fleet.yaml is a bundle (its chart downloaded), the files below it never deployed.
    editsEqualFresh(files, host, [[`${P}/values1.yaml`, () => 'a: 1\n']], KINDS);
    assert.deepEqual(placements(host), ['Service/ok@default']);
  });

  it('targetCustomizationMode AllMatches: a cluster takes every customization it matches, merged in list order', () => {
    const tree = (mode: string): string => `#- fleet/all/fleet.yaml
${mode}
targetCustomizations:
- {name: a, namespace: a, clusterSelector: {matchLabels: {env: prod}}}
- {name: b, defaultNamespace: b}
- {name: c, namespace: c, clusterSelector: {matchLabels: {env: dev}}}
- {name: off, doNotDeploy: true, namespace: off}
#- fleet/all/app.yaml
${serviceYaml('s')}
`;
    const host = hostOf(virtualFiles(tree('targetCustomizationMode: AllMatches')));
    const id = `${P}/fleet/all/fleet.yaml#Bundle:`;
    // a and c select different env labels: no cluster matches both.
    assert.deepEqual(host.snapshot().index.kustomizeLayout().roots, [id, `${id}a`, `${id}a+b`, `${id}b`, `${id}b+c`, `${id}c`]);
    // a+b: a's namespace forces, b's default namespace does not; b+c likewise.
    assert.deepEqual(placements(host), ['Service/s@a', 'Service/s@a', 'Service/s@b', 'Service/s@c', 'Service/s@c', 'Service/s@default']);
    // The default mode (FirstMatch): one customization per cluster.
    const first = hostOf(virtualFiles(tree('targetCustomizationMode: FirstMatch')));
    assert.deepEqual(first.snapshot().index.kustomizeLayout().roots, [id, `${id}a`, `${id}b`, `${id}c`]);
  });

  for (const c of GITREPO_CASES)
    it(c.name, () => {
      const files = virtualFiles(c.tree);
      const host = hostOf(files);
      if (c.roots !== undefined) assert.deepEqual(host.snapshot().index.kustomizeLayout().roots, c.roots);
      assert.deepEqual(placements(host), c.placed);
      for (const step of c.steps) {
        editsEqualFresh(files, host, step.edits, KINDS);
        assert.deepEqual(placements(host), step.placed);
      }
    });

  it("expands a GitRepo path glob as Go's filepath.Glob does; a reversed class range matches nothing and never throws", () => {
    const dirs = (d: string): readonly string[] => (d === '/r/apps' ? ['/r/apps/a', '/r/apps/b', '/r/apps/z'] : []);
    assert.deepEqual(expandPath('/r', 'apps/[a-b]', dirs), ['/r/apps/a', '/r/apps/b']);
    assert.deepEqual(expandPath('/r', 'apps/[z-a]', dirs), []);
    assert.equal(expandPath('/r', 'apps/[', dirs), undefined);
    // Go refuses a class opening with `]` or a range with a second `-` (ErrBadPattern: Fleet fails the scan).
    assert.equal(expandPath('/r', 'apps/[]a]', dirs), undefined);
    assert.equal(expandPath('/r', 'apps/[a-b-z]', dirs), undefined);
    assert.deepEqual(expandPath('/r', 'apps/[\\]a]', dirs), ['/r/apps/a']);
  });

  it("reads fleet.yaml's fields in any case, as Fleet's reader (encoding/json) does", () => {
    const host = hostOf(
      virtualFiles(`#- fleet/c/fleet.yaml
DefaultNamespace: web
#- fleet/c/app.yaml
${serviceYaml('c')}
`),
    );
    assert.deepEqual(placements(host), ['Service/c@web']);
  });

  it('edits of fleet.yaml, the overlays, values files and manifests: incremental passes equal full ones', () => {
    const files = virtualFiles(TREE);
    const host = hostOf(files);
    host.snapshot();
    const edits: Edit[] = [
      [`${P}/fleet/raw/fleet.yaml`, (t) => t?.replace('defaultNamespace: raw', 'namespace: raw2')],
      [`${P}/fleet/chart/prod.yaml`, (t) => t?.replace('9090', '9191')],
      [`${P}/fleet/kust/fleet.yaml`, (t) => t?.replace('doNotDeploy: true', 'doNotDeploy: false')],
      [`${P}/fleet/raw/extra.yaml`, () => serviceYaml('extra')],
      [`${P}/fleet/chart/overlay/kustomization.yaml`, (t) => t?.replace('eu-', 'us-')],
      [`${P}/fleet/forced/fleet.yml`, () => undefined],
    ];
    editsEqualFresh(files, host, edits, KINDS);
    assert.deepEqual(placements(host), [
      'Service/extra@raw2',
      'Service/forced@own',
      'Service/pinned@raw2',
      'Service/raw@raw2',
      'Service/us-store@charts',
      'Service/web-prod@kust',
      'Service/web-prod@kust',
      'Service/web@kust',
    ]);
  });

  it('a .fleetignore (a support file) leaves files out of a raw bundle; adding, editing and removing it builds the bundle again', () => {
    const files = virtualFiles(TREE);
    const host = hostOf(files);
    const ignore = `${P}/fleet/raw/.fleetignore`;
    const raw = (h: AnalysisHost): string[] => placements(h).filter((p) => p.endsWith('@raw') || p.endsWith('@own'));
    const fresh = (text: string | undefined): string[] => {
      const h = hostOf(files);
      if (text !== undefined) h.setSupportFile(ignore, text);
      return raw(h);
    };
    assert.deepEqual(raw(host), ['Service/pinned@own', 'Service/raw@raw']);
    for (const text of ['app.yaml\n', '# app.yaml\nother.yaml\n', 'fleet/raw/app.yaml\n', undefined]) {
      host.setSupportFile(ignore, text);
      assert.deepEqual(raw(host), fresh(text), `.fleetignore ${JSON.stringify(text)}`);
    }
    host.setSupportFile(ignore, 'app.yaml');
    // Left out of the bundle: no unit's object (Fleet never deploys it).
    assert.deepEqual(raw(host), []);
  });
});
