/**
 * A kustomization's `transformers:` field (render/kustomize/transformerConfigs.ts) against
 * kustomize: configurations of its built-in transformers from a file, from a folder whose
 * kustomization builds them (its `namespace:` sets theirs: a Flux home lab's trick for giving every
 * Flux Kustomization of a folder its `targetNamespace`), or inline; each with only the field specs
 * it lists. Expected outputs printed by `kubectl kustomize` (v5.5.0) for these inputs.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { build, builtObjects, expectedObjects } from '../support/kustomize.js';

const FOLDER = `#- transformers/kustomization.yaml
resources:
  - ./transformer.yaml
#- transformers/transformer.yaml
apiVersion: builtin
kind: NamespaceTransformer
metadata:
  name: apply-ns
  namespace: .invalid
unsetOnly: false
fieldSpecs:
  - path: metadata/name
    kind: Namespace
    create: true
  - path: spec/targetNamespace
    group: kustomize.toolkit.fluxcd.io
    kind: Kustomization
    create: true
#- app/transformers/kustomization.yaml
namespace: media
resources:
  - ../../transformers
#- app/kustomization.yaml
resources:
  - ./namespace.yaml
  - ./ks.yaml
  - ./rb.yaml
transformers:
  - ./transformers
  - |-
    apiVersion: builtin
    kind: AnnotationsTransformer
    metadata:
      name: annotate-ns
    annotations:
      kustomize.toolkit.fluxcd.io/prune: disabled
    fieldSpecs:
      - path: metadata/annotations
        kind: Namespace
        create: true
#- app/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: .invalid
#- app/ks.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: plex
spec:
  path: ./apps/plex
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
#- app/rb.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects:
  - {kind: ServiceAccount, name: default}
  - {kind: ServiceAccount, name: other}
`;

const FOLDER_OUT = `apiVersion: v1
kind: Namespace
metadata:
  annotations:
    kustomize.toolkit.fluxcd.io/prune: disabled
  name: media
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
  namespace: media
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: r
subjects:
- kind: ServiceAccount
  name: default
  namespace: media
- kind: ServiceAccount
  name: other
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: plex
  namespace: media
spec:
  path: ./apps/plex
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
  targetNamespace: media
`;

const FILES = `#- kustomization.yaml
resources: [deploy.yaml, svc.yaml, cm.yaml]
namespace: keep
transformers:
  - labels.yaml
  - prefix.yaml
  - patch.yaml
  - ns-unset.yaml
  - replace.yaml
#- deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 8080}], env: [{name: TARGET, value: x}]}]
#- svc.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: pinned}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
#- cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {host: web.example.com}
#- labels.yaml
apiVersion: builtin
kind: LabelTransformer
metadata: {name: team}
labels: {team: media}
fieldSpecs:
  - {path: metadata/labels, create: true}
  - {path: spec/selector, kind: Service, create: true}
---
apiVersion: builtin
kind: AnnotationsTransformer
metadata: {name: owner}
annotations: {owner: me}
fieldSpecs:
  - {path: spec/template/metadata/annotations, kind: Deployment, create: true}
#- prefix.yaml
apiVersion: builtin
kind: PrefixSuffixTransformer
metadata: {name: pre}
prefix: p-
suffix: -s
fieldSpecs:
  - path: metadata/name
#- patch.yaml
apiVersion: builtin
kind: PatchTransformer
metadata: {name: replicas}
patch: '[{"op": "add", "path": "/spec/replicas", "value": 3}]'
target: {kind: Deployment}
#- ns-unset.yaml
apiVersion: builtin
kind: NamespaceTransformer
metadata: {name: ns, namespace: other}
unsetOnly: true
#- replace.yaml
apiVersion: builtin
kind: ReplacementTransformer
metadata: {name: r}
replacements:
  - source: {kind: ConfigMap, fieldPath: data.host}
    targets:
      - select: {kind: Deployment}
        fieldPaths: [spec.template.spec.containers.0.env.0.value]
`;

const FILES_OUT = `apiVersion: v1
data:
  host: web.example.com
kind: ConfigMap
metadata:
  labels:
    team: media
  name: p-settings-s
  namespace: keep
---
apiVersion: v1
kind: Service
metadata:
  labels:
    team: media
  name: p-web-s
  namespace: keep
spec:
  ports:
  - port: 80
    targetPort: 8080
  selector:
    app: web
    team: media
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    team: media
  name: p-web-s
  namespace: keep
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      annotations:
        owner: me
      labels:
        app: web
    spec:
      containers:
      - env:
        - name: TARGET
          value: web.example.com
        image: nginx
        name: web
        ports:
        - containerPort: 8080
`;

describe('Kustomize builder: transformers', () => {
  it('a folder of transformer configurations, built with its own namespace, and an inline one: NamespaceTransformer with its own field specs (Namespace renamed, Flux targetNamespace created, default subjects only), AnnotationsTransformer on Namespaces only', () => {
    const { result } = build(FOLDER, 'app');
    assert.deepEqual(result.problems, []);
    assert.equal(result.complete, true);
    assert.deepEqual(builtObjects(result), expectedObjects(FOLDER_OUT));
  });

  it("files of LabelTransformer, AnnotationsTransformer, PrefixSuffixTransformer, PatchTransformer, NamespaceTransformer with unsetOnly and ReplacementTransformer, run after the kustomization's own namespace, in order", () => {
    const { result } = build(FILES, '');
    assert.deepEqual(result.problems, []);
    assert.equal(result.complete, true);
    assert.deepEqual(builtObjects(result), expectedObjects(FILES_OUT));
  });

  it('files of PrefixTransformer and SuffixTransformer rename the objects their field specs select, and a name reference follows', () => {
    const files = `#- kustomization.yaml
resources: [r.yaml]
transformers: [t.yaml]
#- t.yaml
apiVersion: builtin
kind: PrefixTransformer
metadata: {name: p}
prefix: pre-
fieldSpecs:
  - path: metadata/name
---
apiVersion: builtin
kind: SuffixTransformer
metadata: {name: s}
suffix: -suf
fieldSpecs:
  - path: metadata/name
#- r.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: x, envFrom: [{configMapRef: {name: c}}]}]
`;
    const { result } = build(files, '');
    assert.deepEqual(result.problems, []);
    assert.equal(result.complete, true);
    assert.deepEqual(
      builtObjects(result),
      expectedObjects(`apiVersion: v1
kind: ConfigMap
metadata:
  name: pre-c-suf
---
apiVersion: v1
kind: Pod
metadata:
  name: pre-p-suf
spec:
  containers:
  - envFrom:
    - configMapRef:
        name: pre-c-suf
    image: x
    name: c
`),
    );
  });

  it('a configuration that is not a built-in transformer (an exec or KRM function plugin), or a remote entry, makes the build incomplete; a missing file is a problem', () => {
    const plugin = FILES.replace('apiVersion: builtin\nkind: PatchTransformer', 'apiVersion: someteam.example.com/v1\nkind: ChartInflator');
    assert.notEqual(plugin, FILES);
    assert.equal(build(plugin, '').result.complete, false);
    const remote = FILES.replace('  - replace.yaml', '  - https://example.com/t.yaml');
    assert.notEqual(remote, FILES);
    assert.equal(build(remote, '').result.complete, false);
    const missing = build(FILES.replace('  - replace.yaml', '  - gone.yaml'), '').result;
    assert.deepEqual(
      missing.problems.map((p) => p.message),
      ['transformer "gone.yaml" is not in the workspace'],
    );
  });
});
