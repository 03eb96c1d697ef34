/**
 * Flux postBuild values from the workspace's ConfigMaps and Secrets (analysis/units/fluxValues.ts,
 * fluxcd/pkg kustomize `LoadVariables`), `ignoreMissingComponents`, and the v1beta2 patch fields
 * the v1 API drops (units/flux.ts `droppedFields`): as kustomize-controller reads them, and
 * incremental passes after edits of the ConfigMap equal full ones.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { virtualFiles } from '../support/kustomize.js';
import { deploymentYaml, editsEqualFresh, fluxKustomizationYaml, hostOf, placements, render, serviceYaml } from '../support/gitops.js';
import type { AnalysisHost } from '../../analysis/index.js';
import type { Edit } from '../support/gitops.js';
import { substitutionValues } from '../../analysis/units/fluxValues.js';
import type { VariableState } from '../../analysis/units/fluxValues.js';
import { parseFile } from '../../analysis/syntax/parse.js';
import type { YMap } from '../../analysis/syntax/tree.js';

const P = 'file:///k';

/** The Flux Kustomization `web` applying ./apps/web into `media` (the fields under test follow it). */
const WEB_KUSTOMIZATION = `${fluxKustomizationYaml('web', './apps/web', 'flux-system')}
  targetNamespace: media
`;

/** A Flux tree: `${SVC}`-named Services whose names come from the values under test. */
function tree(postBuild: string, vars: string): string {
  return `#- clusters/home/apps.yaml
${WEB_KUSTOMIZATION}  postBuild:
${postBuild}
#- clusters/home/vars.yaml
${vars}
#- apps/web/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: "\${SVC}"
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: "\${ADMIN:=admin}-\${SVC}"
spec:
  selector: {app: web}
  ports: [{port: 81}]
`;
}

const SETTINGS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  SVC: web-from-configmap`;

const names = (source: string): string[] => placements(hostOf(virtualFiles(source)), ['Service']);

describe('Flux postBuild values from the workspace', () => {
  it("substituteFrom reads a ConfigMap of the Kustomization's namespace; unset variables take their defaults", () => {
    const src = tree('    substituteFrom: [{kind: ConfigMap, name: cluster-settings}]', SETTINGS);
    assert.deepEqual(names(src), ['Service/admin-web-from-configmap@media', 'Service/web-from-configmap@media']);
  });

  it('inline substitute values are over the ConfigMap, a later reference over an earlier one; a Secret is base64-decoded with stringData over data', () => {
    const secret = `---
apiVersion: v1
kind: Secret
metadata:
  name: overrides
  namespace: flux-system
data:
  SVC: ${Buffer.from('web-from-secret').toString('base64')}
  ADMIN: ${Buffer.from('root').toString('base64')}
stringData:
  ADMIN: ops`;
    const both = '    substituteFrom: [{kind: ConfigMap, name: cluster-settings}, {kind: Secret, name: overrides}]';
    assert.deepEqual(names(tree(both, SETTINGS + '\n' + secret)), ['Service/ops-web-from-secret@media', 'Service/web-from-secret@media']);
    assert.deepEqual(names(tree(`${both}\n    substitute: {SVC: inline}`, SETTINGS + '\n' + secret)), [
      'Service/inline@media',
      'Service/ops-inline@media',
    ]);
  });

  it('a reference not in the workspace, a ConfigMap of another namespace or two that differ: every variable it may set stays unknown (optional or not); a SOPS-encrypted Secret sets its keys to unknown values', () => {
    const ref = '    substituteFrom: [{kind: ConfigMap, name: cluster-settings}, {kind: Secret, name: cluster-secrets, optional: true}]';
    const unknownBoth = ['Service/?@media', 'Service/?@media'];
    // cluster-secrets is not here: the cluster may hold it, and it is after cluster-settings.
    assert.deepEqual(names(tree(ref, SETTINGS)), unknownBoth);
    const sops = `---
apiVersion: v1
kind: Secret
metadata:
  name: cluster-secrets
  namespace: flux-system
stringData:
  OTHER: ENC[AES256_GCM,data:abc=,iv:x,tag:y,type:str]
sops:
  version: 3.8.1`;
    // Its keys are plain text: it sets OTHER (unknown), not SVC.
    assert.deepEqual(names(tree(ref, SETTINGS + '\n' + sops)), [
      'Service/admin-web-from-configmap@media',
      'Service/web-from-configmap@media',
    ]);
    assert.deepEqual(names(tree(ref, SETTINGS + '\n' + sops.replace('OTHER:', 'SVC:'))), unknownBoth);
    const one = '    substituteFrom: [{kind: ConfigMap, name: cluster-settings}]';
    assert.deepEqual(names(tree(one, SETTINGS.replace('namespace: flux-system', 'namespace: media'))), unknownBoth);
    const twice = `${SETTINGS}\n---\n${SETTINGS.replace('web-from-configmap', 'other').replace('  namespace: flux-system\n', '')}`;
    assert.deepEqual(names(tree(one, twice)), unknownBoth);
    // The same values twice (a namespace-less copy): resolved.
    const same = `${SETTINGS}\n---\n${SETTINGS.replace('  namespace: flux-system\n', '')}`;
    assert.deepEqual(names(tree(one, same)), ['Service/admin-web-from-configmap@media', 'Service/web-from-configmap@media']);
  });

  it('values lose their line breaks, as kustomize-controller takes them', () => {
    const spec = parseFile('postBuild:\n  substitute: {A: "x\\ny"}\n  substituteFrom: [{kind: ConfigMap, name: s}]\n').documents[0]
      ?.root as YMap;
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata:\n  B: |\n    one\n    two\n';
    const facts = hostOf(new Map([[`${P}/cm.yaml`, cm]])).snapshot().index.files;
    const values = substitutionValues(spec, undefined, facts, () => parseFile(cm));
    const state = (v: VariableState): string => (typeof v === 'string' ? v : v.value);
    assert.deepEqual(
      ['A', 'B', 'C'].map((n) => state(values.lookup(n))),
      ['xy', 'onetwo', 'unset'],
    );
    assert.deepEqual(values.files, [`${P}/cm.yaml`]);
  });

  it('edits of the ConfigMap, a new one and its removal: incremental passes equal full ones', () => {
    const files = virtualFiles(tree('    substituteFrom: [{kind: ConfigMap, name: cluster-settings}]', SETTINGS));
    const host = hostOf(files);
    host.snapshot();
    const vars = `${P}/clusters/home/vars.yaml`;
    const edits: Edit[] = [
      [vars, (t) => t?.replace('web-from-configmap', 'renamed')],
      [`${P}/clusters/home/more.yaml`, () => SETTINGS.replace('web-from-configmap', 'second')],
      [`${P}/clusters/home/more.yaml`, () => undefined],
      [vars, (t) => t?.replace('  SVC: renamed', '  SVC: renamed\n  ADMIN: boss')],
      [vars, () => undefined],
    ];
    editsEqualFresh(files, host, edits, ['Service']);
    assert.deepEqual(placements(host, ['Service']), ['Service/?@media', 'Service/?@media']);
  });
});

describe('Flux postBuild values: edits build again the roots that read them', () => {
  it("a ConfigMap moved into the Kustomization's namespace, or renamed to the name it reads, builds that root again, not the workspace", () => {
    const files = virtualFiles(
      tree('    substituteFrom: [{kind: ConfigMap, name: cluster-settings}]', SETTINGS.replace('cluster-settings', 'other-settings')),
    );
    const moved = `${P}/clusters/home/moved.yaml`;
    files.set(moved, SETTINGS.replace('namespace: flux-system', 'namespace: elsewhere'));
    for (let i = 0; i < 20; i++)
      files.set(`${P}/other/app${i}.yaml`, `${deploymentYaml(`app${i}`, '{containerPort: 80}')}\n---\n${serviceYaml(`app${i}`)}\n`);
    const host = hostOf(files);
    host.snapshot().diagnostics();
    const vars = `${P}/clusters/home/vars.yaml`;
    const edits: Edit[] = [
      [moved, (t) => t?.replace('namespace: elsewhere', 'namespace: flux-system')],
      [vars, (t) => t?.replace('other-settings', 'cluster-settings')],
      [moved, (t) => t?.replace('namespace: flux-system', 'namespace: elsewhere')],
    ];
    for (const edit of edits) {
      editsEqualFresh(files, host, [edit], ['Service']);
      assert.ok(host.stats.rechecked < 20, `${edit[0]}: ${host.stats.rechecked} of ${files.size} files judged again`);
    }
    assert.ok(placements(host, ['Service']).includes('Service/web-from-configmap@media'), placements(host, ['Service']).join('\n'));
  });
});

describe('Flux Kustomization fields', () => {
  const base = (extra: string, componentsDir: boolean): string => `#- clusters/home/apps.yaml
${WEB_KUSTOMIZATION}  components: [../../components/extra, ../../components/gone]
${extra}
#- apps/web/kustomization.yaml
resources: [svc.yaml]
#- apps/web/svc.yaml
${serviceYaml('web')}
${
  componentsDir
    ? `#- components/extra/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: [extra.yaml]
#- components/extra/extra.yaml
apiVersion: v1
kind: Service
metadata:
  name: extra
spec:
  selector: {app: web}
  ports: [{port: 80}]
`
    : ''
}`;

  const problems = (source: string): string[] => {
    const snap = hostOf(virtualFiles(source)).snapshot();
    return snap.diagnosticsFor(`${P}/clusters/home/apps.yaml`).map((d) => `${d.severity} ${d.code} ${d.message}`);
  };

  it('ignoreMissingComponents: true leaves a component path not in the source out; without it the build needs it', () => {
    assert.deepEqual(placements(hostOf(virtualFiles(base('  ignoreMissingComponents: true', true))), ['Service']), [
      'Service/extra@media',
      'Service/web@media',
    ]);
    assert.deepEqual(problems(base('  ignoreMissingComponents: true', true)), []);
    const without = problems(base('  ignoreMissingComponents: false', true));
    assert.equal(without.length, 1, JSON.stringify(without));
    assert.match(without[0] ?? '', /Component "\.\.\/\.\.\/components\/gone" has no kustomization in the workspace/);
  });

  it('spec.patchesStrategicMerge and spec.patchesJson6902 are not applied (the v1 API has no such fields): a warning on each key, and the built objects are as without them', () => {
    const extra = `  patchesStrategicMerge:
    - apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec: {selector: {app: other}}
  patchesJson6902:
    - target: {version: v1, kind: Service, name: web}
      patch: [{op: add, path: /metadata/labels, value: {x: z}}]`;
    const src = base(`  ignoreMissingComponents: true\n${extra}`, true).replace(
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\n',
      'apiVersion: kustomize.toolkit.fluxcd.io/v1beta2\n',
    );
    const found = problems(src);
    assert.equal(found.length, 2, JSON.stringify(found));
    assert.match(found[0] ?? '', /^warning kustomize-build-problem Flux Kustomization "web": spec\.patchesStrategicMerge is not applied/);
    assert.match(found[1] ?? '', /^warning kustomize-build-problem Flux Kustomization "web": spec\.patchesJson6902 is not applied/);
    const web = hostOf(virtualFiles(src))
      .snapshot()
      .index.objects.find((p) => p.obj.kind === 'Service' && p.obj.name?.known === true && p.obj.name.value === 'web');
    assert.deepEqual(
      web?.obj.service?.selector?.entries.map((e) => `${e.key}=${e.value.known ? e.value.value : '?'}`),
      ['app=web'],
    );
  });
});

describe("Flux sources: the workspace's own repository", () => {
  const TEMPLATE = `#- kubernetes/flux/config/cluster.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: home-kubernetes
  namespace: flux-system
spec:
  interval: 30m
  ref: {branch: main}
  url: https://example.com/me/cluster.git
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster
  namespace: flux-system
spec:
  interval: 30m
  path: ./kubernetes/flux
  sourceRef: {kind: GitRepository, name: home-kubernetes}
#- kubernetes/flux/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-apps
  namespace: flux-system
spec:
  interval: 30m
  path: ./kubernetes/apps
  sourceRef: {kind: GitRepository, name: home-kubernetes}
  targetNamespace: media
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: vendor
  namespace: flux-system
spec:
  interval: 30m
  path: ./deploy
  sourceRef: {kind: GitRepository, name: vendor}
  targetNamespace: vendor
#- kubernetes/flux/repositories/vendor.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: vendor
  namespace: flux-system
spec:
  interval: 30m
  url: https://example.com/vendor/app.git
#- kubernetes/apps/svc.yaml
${serviceYaml('web')}
#- deploy/svc.yaml
${serviceYaml('vendored')}
`;

  it('a GitRepository whose Kustomization applies the folder defining it is the repository itself (flux-cluster-template): its Kustomizations are roots; another GitRepository is not', () => {
    const host = hostOf(virtualFiles(TEMPLATE));
    assert.deepEqual(host.snapshot().index.kustomizeLayout().roots, [
      `${P}/kubernetes/flux/apps.yaml#cluster-apps`,
      `${P}/kubernetes/flux/config/cluster.yaml#cluster`,
    ]);
    assert.deepEqual(placements(host, ['Service']), ['Service/vendored@default', 'Service/web@media']);
  });

  it('edits of the GitRepository (renamed, removed, back): incremental passes equal full ones', () => {
    const files = virtualFiles(TEMPLATE);
    const host = hostOf(files);
    host.snapshot();
    const cluster = `${P}/kubernetes/flux/config/cluster.yaml`;
    const vendor = `${P}/kubernetes/flux/repositories/vendor.yaml`;
    const edits: Edit[] = [
      [cluster, (t) => t?.replace('  name: home-kubernetes\n  namespace', '  name: home\n  namespace')],
      [cluster, (t) => t?.replace('  name: home\n  namespace', '  name: home-kubernetes\n  namespace')],
      [vendor, (t) => t?.replace('name: vendor', 'name: home-kubernetes')],
      [vendor, () => undefined],
    ];
    editsEqualFresh(files, host, edits, ['Service']);
    assert.deepEqual(placements(host, ['Service']), ['Service/vendored@default', 'Service/web@media']);
  });
});

describe("Flux Kustomizations whose path holds a parent's variable", () => {
  const TREE = `#- kubernetes/flux/cluster.yaml
${fluxKustomizationYaml('cluster-apps', './kubernetes/lab-1/apps', 'flux-system')}
  postBuild:
    substituteFrom:
      - {kind: ConfigMap, name: cluster-settings, optional: true}
#- kubernetes/flux/settings/cluster-settings.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  CLUSTER: lab-1
#- kubernetes/lab-1/apps/kustomization.yaml
resources: [home/ks.yaml]
#- kubernetes/lab-1/apps/home/ks.yaml
${fluxKustomizationYaml('web', './kubernetes/${CLUSTER}/apps/home/web', 'flux-system')}
  targetNamespace: home
#- kubernetes/lab-1/apps/home/web/svc.yaml
${serviceYaml('web')}
#- kubernetes/lab-2/apps/home/web/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web-lab-2
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

  it("is a root once the parent's substitution gives the path (./kubernetes/${CLUSTER}/apps from cluster-settings): its objects land in its targetNamespace", () => {
    const host = hostOf(virtualFiles(TREE));
    assert.ok(host.snapshot().index.kustomizeLayout().roots.includes(`${P}/kubernetes/lab-1/apps/home/ks.yaml#web`));
    assert.deepEqual(placements(host, ['Service']), ['Service/web-lab-2@default', 'Service/web@home']);
  });

  it('without a known value it stays no root; edits of the ConfigMap (another cluster, removed): incremental passes equal full ones', () => {
    const files = virtualFiles(TREE.replace('  CLUSTER: lab-1\n', ''));
    const host = hostOf(files);
    // No build reads web/svc.yaml then: a file of a Kustomize tree no build reads is no object.
    assert.deepEqual(placements(host, ['Service']), ['Service/web-lab-2@default']);
    const settings = `${P}/kubernetes/flux/settings/cluster-settings.yaml`;
    const edits: Edit[] = [
      [settings, (t) => `${t ?? ''}  CLUSTER: lab-1\n`],
      [settings, (t) => t?.replace('CLUSTER: lab-1', 'CLUSTER: lab-2')],
      [settings, () => undefined],
      [settings, () => SETTINGS.replace('SVC: web-from-configmap', 'CLUSTER: lab-1')],
    ];
    editsEqualFresh(files, host, edits, ['Service']);
    assert.deepEqual(placements(host, ['Service']), ['Service/web-lab-2@default', 'Service/web@home']);
  });
});

describe('Flux values from a configMapGenerator, and strict substitution', () => {
  const fixture = (code: string, name: string): Map<string, string> =>
    virtualFiles(readFileSync(join(__dirname, '..', 'fixtures', 'checks', code, `${name}.yaml`), 'utf8'));
  const problems = (host: AnalysisHost, code: string): string[] =>
    render(host.snapshot().diagnostics())
      .filter((l) => l.includes(` ${code} `))
      .map((l) => l.slice(l.indexOf(' ') + 1));

  it("every default operator (-, =, :-, :=) gives its default for an empty value too, as fluxcd/pkg envsubst's toDefault does", () => {
    const files = `#- clusters/home/apps.yaml
${WEB_KUSTOMIZATION}  postBuild:
    substitute: {EMPTY: ''}
#- apps/web/svc.yaml
${serviceYaml('web').replace('name: web', 'name: "a${EMPTY-dash}-b${EMPTY=eq}-c${EMPTY:-colon}"')}
`;
    assert.deepEqual(names(files), ['Service/adash-beq-ccolon@media']);
  });

  it("the string functions of fluxcd/pkg envsubst: //, /, ^^, ,, ^ and , give drone/envsubst's values; #, % and :pos leave the value unknown", () => {
    const files = (name: string): string => `#- clusters/home/apps.yaml
${WEB_KUSTOMIZATION}  postBuild:
    substitute: {DOMAIN: a.b.c, ZONE: Eu-West}
#- apps/web/svc.yaml
${serviceYaml('web').replace('name: web', `name: "${name}"`)}
`;
    assert.deepEqual(names(files('w-${DOMAIN//./-}')), ['Service/w-a-b-c@media']);
    assert.deepEqual(names(files('w-${DOMAIN/./-}')), ['Service/w-a-b.c@media']);
    assert.deepEqual(names(files('${ZONE,,}-${ZONE^^}')), ['Service/eu-west-EU-WEST@media']);
    assert.deepEqual(names(files('${ZONE,}-x')), ['Service/eu-West-x@media']);
    assert.deepEqual(names(files('w-${DOMAIN//.}')), ['Service/w-abc@media']);
    for (const unknown of ['w-${DOMAIN#a.}', 'w-${DOMAIN%.c}', 'w-${DOMAIN:0:1}', 'w-${#DOMAIN}', 'w-${DOMAIN/#a/x}'])
      assert.deepEqual(names(files(unknown)), ['Service/?@media'], unknown);
  });

  it("a ConfigMap a kustomization's generator makes gives the values (its name as the build makes it); edits of its env file and options: incremental passes equal full ones", () => {
    const files = fixture('service-selector-no-match', 'flux-substitute-generator');
    const host = hostOf(files);
    assert.equal(problems(host, 'service-selector-no-match').length, 1);
    const vars = `${P}/clusters/home/vars`;
    editsEqualFresh(
      files,
      host,
      [
        [`${vars}/cluster-settings.env`, () => 'APP_LABEL=paperless\n'],
        [
          `${vars}/kustomization.yaml`,
          (t) => t?.replace('literals: [WIKI_LABEL=wikii]', 'literals: [WIKI_LABEL=wikii]\n    options: {disableNameSuffixHash: true}'),
        ],
      ],
      ['Service'],
    );
    // paperless's label is right now; hashed-settings is now made without its hash: wiki's typo shows.
    assert.deepEqual(
      problems(host, 'service-selector-no-match').map((l) => l.slice(l.indexOf('Service "'), l.indexOf(' selects'))),
      ['Service "docs/wiki"'],
    );
  });

  it('strict substitution follows the kustomize-controller of the workspace (v1.9.0 and later, or its feature gate); editing it: incremental passes equal full ones', () => {
    const files = fixture('kustomize-build-problem', 'flux-strict-substitution');
    const host = hostOf(files);
    const strict = (): number => problems(host, 'kustomize-build-problem').filter((l) => l.includes('strict mode')).length;
    assert.equal(strict(), 1);
    const gotk = `${P}/clusters/home/flux-system/gotk-components.yaml`;
    editsEqualFresh(files, host, [[gotk, (t) => t?.replace(':v1.9.0', ':v1.8.3')]], ['Service']);
    assert.equal(strict(), 0);
    editsEqualFresh(
      files,
      host,
      [[gotk, (t) => t?.replace('args: [', 'args: [--feature-gates=StrictPostBuildSubstitutions=true, ')]],
      ['Service'],
    );
    assert.equal(strict(), 1);
  });
});
