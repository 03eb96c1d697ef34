/**
 * Resource ids in a Kustomize build (analysis/render/kustomize/ids.ts): what kustomize refuses
 * because the build already holds the id, and what it tells apart. Every case's `failure` is the
 * part of the error `kubectl kustomize` (kustomize v5.5.0) prints for the same files, and `built`
 * the objects the builder keeps (kustomize stops; the build is incomplete and leaves the refused
 * resource out, so no unit judges two objects of one id).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { build } from '../support/kustomize.js';
import { plain } from '../../analysis/render/kustomize/nodes.js';

interface Case {
  readonly name: string;
  readonly files: string;
  /** What kubectl kustomize's error says (and the builder's problem holds); none: kubectl kustomize builds it. */
  readonly failure?: string;
  /** The objects built, as `kind/name@namespace` in build order. */
  readonly built: readonly string[];
}

const svc = (name: string, extra = ''): string => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${extra}spec:
  ports: [{port: 80}]`;

const CASES: readonly Case[] = [
  {
    name: 'two files with one object',
    files: `#- kustomization.yaml\nresources: [a.yaml, b.yaml]\n#- a.yaml\n${svc('web')}\n#- b.yaml\n${svc('web')}`,
    failure: 'may not add resource with an already registered id: Service.v1.[noGrp]/web.[noNs]',
    built: ['Service/web@'],
  },
  {
    name: 'no namespace and `default` are one',
    files: `#- kustomization.yaml\nresources: [a.yaml, b.yaml]\n#- a.yaml\n${svc('web')}\n#- b.yaml\n${svc('web', '  namespace: default\n')}`,
    failure: 'may not add resource with an already registered id: Service.v1.[noGrp]/web.default',
    built: ['Service/web@'],
  },
  {
    name: 'one file listed twice',
    files: `#- kustomization.yaml\nresources: [a.yaml, a.yaml]\n#- a.yaml\n${svc('web')}`,
    failure: 'may not add resource with an already registered id: Service.v1.[noGrp]/web.[noNs]',
    built: ['Service/web@'],
  },
  {
    name: 'two documents of one file',
    files: `#- kustomization.yaml\nresources: [a.yaml]\n#- a.yaml\n${svc('web')}\n---\n${svc('web')}`,
    failure: 'may not add resource with an already registered id: Service.v1.[noGrp]/web.[noNs]',
    built: ['Service/web@'],
  },
  {
    name: 'a cluster-scoped object in two namespaces',
    files: `#- kustomization.yaml\nresources: [a.yaml]\n#- a.yaml\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r, namespace: a}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r, namespace: b}`,
    failure: 'may not add resource with an already registered id: ClusterRole.v1.rbac.authorization.k8s.io/r.b',
    built: ['ClusterRole/r@a'],
  },
  {
    name: 'two bases, one prefixed into the other one’s name',
    files: `#- kustomization.yaml\nresources: [b1, b2]\n#- b1/kustomization.yaml\nnamePrefix: a-\nresources: [a.yaml]\n#- b1/a.yaml\n${svc('web')}\n#- b2/kustomization.yaml\nresources: [a.yaml]\n#- b2/a.yaml\n${svc('a-web')}`,
    failure: 'may not add resource with an already registered id: Service.v1.[noGrp]/a-web.[noNs]',
    built: ['Service/a-web@'],
  },
  {
    name: 'a component adding an object the kustomization holds',
    files: `#- kustomization.yaml\nresources: [a.yaml]\ncomponents: [c]\n#- a.yaml\n${svc('web')}\n#- c/kustomization.yaml\napiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [a.yaml]\n#- c/a.yaml\n${svc('web')}`,
    failure: 'may not add resource with an already registered id: Service.v1.[noGrp]/web.[noNs]',
    built: ['Service/web@'],
  },
  {
    name: 'two generators of one name',
    files: `#- kustomization.yaml\nconfigMapGenerator:\n  - name: c\n    literals: [a=b]\n  - name: c\n    literals: [a=c]`,
    failure: 'exists; behavior must be merge or replace',
    built: ['ConfigMap/c-4h2mbtbbt6@'], // the first generator's (kubectl kustomize of it alone)
  },
  {
    name: 'a namespace that gives two objects one id',
    files: `#- kustomization.yaml\nnamespace: x\nresources: [a.yaml, b.yaml]\n#- a.yaml\n${svc('web', '  namespace: a\n')}\n#- b.yaml\n${svc('web', '  namespace: b\n')}`,
    failure: 'namespace transformation produces ID conflict',
    built: ['Service/web@x'],
  },
  {
    name: 'a component listed as a resource',
    files: `#- kustomization.yaml\nresources: [c]\n#- c/kustomization.yaml\napiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [a.yaml]\n#- c/a.yaml\n${svc('web')}`,
    failure: "expected kind != 'Component' for path 'c'",
    built: ['Service/web@'],
  },
  {
    name: 'a kustomization listed as a component',
    files: `#- kustomization.yaml\ncomponents: [c]\n#- c/kustomization.yaml\nresources: [a.yaml]\n#- c/a.yaml\n${svc('web')}`,
    failure: "expected kind 'Component' for path 'c' but got 'Kustomization'",
    built: ['Service/web@'],
  },
  {
    name: 'a kustomization with nothing but comments',
    files: `#- kustomization.yaml\n# resources:\n#   - a.yaml\n---\n#- a.yaml\n${svc('web')}`,
    failure: 'kustomization.yaml is empty',
    built: [],
  },
  {
    name: 'a kustomization with nothing but apiVersion, kind and an empty list',
    files: `#- kustomization.yaml\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n`,
    failure: 'kustomization.yaml is empty',
    built: [],
  },
  {
    name: 'a field kustomize does not know',
    files: `#- kustomization.yaml\nresources: [a.yaml]\nresource: [b.yaml]\n#- a.yaml\n${svc('web')}\n#- b.yaml\n${svc('api')}`,
    failure: 'invalid Kustomization: json: unknown field "resource"',
    built: ['Service/web@'],
  },
  {
    name: "a value Go's JSON decoder cannot put into the field: patchesStrategicMerge paths moved under patches as they stand (kubernetes/cloud-provider-aws examples/existing-cluster/overlays/superset-role)",
    files: `#- kustomization.yaml\nresources: [a.yaml]\npatches:\n- label.yaml\n#- a.yaml\n${svc('web')}\n#- label.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: web, labels: {a: b}}\n`,
    failure: 'invalid Kustomization: json: cannot unmarshal string into Go struct field Kustomization.patches of type types.Patch',
    built: ['Service/web@'],
  },
  {
    name: 'a number where a label value goes, read as YAML 1.1 reads it (commonLabels: {tier: 1})',
    files: `#- kustomization.yaml\nresources: [a.yaml]\ncommonLabels: {tier: 1, app: "2"}\n#- a.yaml\n${svc('web')}`,
    failure: 'invalid Kustomization: json: cannot unmarshal number into Go struct field Kustomization.commonLabels of type string',
    built: ['Service/web@'],
  },
  {
    name: 'a YAML 1.1 bool where a string goes (namespace: yes)',
    files: `#- kustomization.yaml\nnamespace: yes\n`,
    failure: 'invalid Kustomization: json: cannot unmarshal bool into Go struct field Kustomization.namespace of type string',
    built: [],
  },
  {
    name: 'null values and quoted strings decode',
    files: `#- kustomization.yaml\nresources: [a.yaml]\nnameSuffix: null\nnamespace: "yes"\ncommonLabels: {a: null, b: "1"}\nimages: [null]\n#- a.yaml\n${svc('web')}`,
    built: ['Service/web@yes'],
  },
  {
    name: 'a patch target with a field its selector does not have (apiVersion: it has group and version)',
    files: `#- kustomization.yaml\nresources: [a.yaml]\npatches:\n  - target: {kind: Service, apiVersion: v1, name: web}\n    patch: |-\n      - op: add\n        path: /metadata/labels\n        value: {a: b}\n#- a.yaml\n${svc('web')}`,
    failure: 'invalid Kustomization: json: unknown field "apiVersion"',
    built: ['Service/web@'],
  },
  {
    name: 'a generator with a field its arguments do not have (literal: it has literals)',
    files: `#- kustomization.yaml\nresources: [a.yaml]\nconfigMapGenerator:\n  - name: app\n    literal: [a=b]\n#- a.yaml\n${svc('web')}`,
    failure: 'invalid Kustomization: json: unknown field "literal"',
    built: ['Service/web@', 'ConfigMap/app-42745tchd9@'],
  },
  {
    name: "a generator's options with a field they do not have",
    files: `#- kustomization.yaml\nresources: [a.yaml]\nsecretGenerator:\n  - name: app\n    literals: [a=b]\n    options: {disableHash: true}\n#- a.yaml\n${svc('web')}`,
    failure: 'invalid Kustomization: json: unknown field "disableHash"',
    built: ['Service/web@', 'Secret/app-k695gkmbtk@'],
  },
  {
    name: 'a replacement target selecting by apiVersion (its selector has group and version)',
    files: `#- kustomization.yaml\nresources: [a.yaml]\nreplacements:\n  - source: {kind: Service, name: web, fieldPath: metadata.name}\n    targets:\n      - select: {apiVersion: v1, kind: Service}\n        fieldPaths: [metadata.labels.x]\n#- a.yaml\n${svc('web')}`,
    failure: 'invalid Kustomization: json: unknown field "apiVersion"',
    built: ['Service/web@'],
  },
  {
    name: "a replacement source's options with a field they do not have",
    files: `#- kustomization.yaml\nresources: [a.yaml]\nreplacements:\n  - source: {kind: Service, name: web, fieldPath: metadata.name, options: {delim: '-'}}\n    targets:\n      - select: {kind: Service}\n        fieldPaths: [metadata.labels.x]\n#- a.yaml\n${svc('web')}`,
    failure: 'invalid Kustomization: json: unknown field "delim"',
    built: ['Service/web@'],
  },
  {
    name: 'a labels entry with includeSelector (it has includeSelectors)',
    files: `#- kustomization.yaml\nresources: [a.yaml]\nlabels:\n  - pairs: {a: b}\n    includeSelector: true\n#- a.yaml\n${svc('web')}`,
    failure: 'invalid Kustomization: json: unknown field "includeSelector"',
    built: ['Service/web@'],
  },
  {
    name: "a labels entry's field spec with a field it does not have",
    files: `#- kustomization.yaml\nresources: [a.yaml]\nlabels:\n  - pairs: {a: b}\n    fields: [{kind: Service, path: spec/selector, create: true, foo: 1}]\n#- a.yaml\n${svc('web')}`,
    failure: 'invalid Kustomization: json: unknown field "foo"',
    built: ['Service/web@'],
  },
  {
    name: 'an image with tag (it has newTag)',
    files: `#- kustomization.yaml\nresources: [a.yaml]\nimages:\n  - name: nginx\n    tag: "1.25"\n#- a.yaml\n${svc('web')}`,
    failure: 'invalid Kustomization: json: unknown field "tag"',
    built: ['Service/web@'],
  },
  {
    name: 'a replicas entry with replicas (it has count)',
    files: `#- kustomization.yaml\nresources: [a.yaml]\nreplicas:\n  - name: web\n    replicas: 2\n#- a.yaml\n${svc('web')}`,
    failure: 'invalid Kustomization: json: unknown field "replicas"',
    built: ['Service/web@'],
  },
  {
    name: 'a helmCharts entry with values (it has valuesInline)',
    files: `#- kustomization.yaml\nresources: [a.yaml]\nhelmCharts:\n  - name: x\n    repo: https://charts.example.com\n    values: {a: 1}\n#- a.yaml\n${svc('web')}`,
    failure: 'invalid Kustomization: json: unknown field "values"',
    built: ['Service/web@'],
  },
  {
    name: 'sortOptions with a field it does not have (legacy: it has legacySortOptions)',
    files: `#- kustomization.yaml\nresources: [a.yaml]\nsortOptions:\n  order: fifo\n  legacy: {}\n#- a.yaml\n${svc('web')}`,
    failure: 'invalid Kustomization: json: unknown field "legacy"',
    built: ['Service/web@'],
  },
  {
    name: 'nested fields in another case, free keys (labels pairs, patch options, valuesInline) and every field kustomize has',
    files: `#- kustomization.yaml\nresources: [a.yaml]\nlabels:\n  - pairs: {a: b}\n    IncludeSelectors: false\n    fields: [{kind: Service, path: metadata/labels, create: true}]\nimages:\n  - {name: nginx, newName: nginx-unprivileged, newTag: "1.25", tagSuffix: "-alpine", digest: ""}\nconfigMapGenerator:\n  - name: app\n    namespace: shop\n    behavior: create\n    literals: [a=b]\n    options: {disableNameSuffixHash: true, Immutable: true, labels: {x: z}, annotations: {any-key: v}}\npatches:\n  - patch: |-\n      - op: add\n        path: /metadata/annotations\n        value: {a: b}\n    target: {group: "", version: v1, kind: Service, name: web, namespace: "", labelSelector: "", annotationSelector: ""}\n    options: {allowNameChange: true, anything: true}\nreplacements:\n  - source: {version: v1, kind: Service, name: web, fieldPath: metadata.name, options: {delimiter: '-', index: 0}}\n    targets:\n      - select: {kind: Service}\n        reject: [{name: other}]\n        fieldPaths: [metadata.labels.x]\n        options: {create: true}\n#- a.yaml\n${svc('web')}`,
    built: ['Service/web@', 'ConfigMap/app@shop'],
  },
  {
    name: "a folder whose kustomization.yaml is a Flux Kustomization (kustomize decodes it strictly; kustomize-controller's generator lists such a folder too)",
    files: `#- kustomization.yaml\nresources: [a.yaml, apps]\n#- a.yaml\n${svc('web')}\n#- apps/kustomization.yaml\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  interval: 10m\n  path: ./apps/prod\n  sourceRef: {kind: GitRepository, name: flux-system}`,
    failure: 'invalid Kustomization: json: unknown field "spec"',
    built: ['Service/web@'],
  },
  {
    name: 'fields in another case are the same fields (Go decodes JSON so); an empty list says something',
    files: `#- kustomization.yaml\nResources: [a.yaml]\nNAMESPACE: shop\n#- a.yaml\n${svc('web')}\n#- b/kustomization.yaml\nresources: []\n`,
    built: ['Service/web@shop'],
  },
  {
    name: 'other versions, groups, kinds (case counts) and namespaces are other ids',
    files: `#- kustomization.yaml\nresources: [a.yaml]\n#- a.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n---\napiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: web}\n---\napiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: web}\n---\n${svc('web')}\n---\napiVersion: v1\nkind: service\nmetadata: {name: web}\n---\n${svc('web', '  namespace: a\n')}`,
    built: ['Deployment/web@', 'Deployment/web@', 'Deployment/web@', 'Service/web@', 'service/web@', 'Service/web@a'],
  },
];

describe('Kustomize resource ids (kubectl kustomize v5.5.0)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { result } = build(c.files, '');
      const refused = result.problems.filter((p) => p.certain === true).map((p) => p.message);
      if (c.failure === undefined) assert.deepEqual(refused, []);
      else {
        assert.equal(refused.length, 1, JSON.stringify(result.problems));
        assert.ok(refused[0]?.includes(c.failure), refused[0]);
        assert.equal(result.complete, false);
      }
      const built = result.objects.map((o) => {
        const x = plain(o.root) as { kind?: string; metadata?: { name?: string; namespace?: string } };
        return `${x.kind ?? ''}/${x.metadata?.name ?? ''}@${x.metadata?.namespace ?? ''}`;
      });
      assert.deepEqual(built, c.built);
    });
  }
});
