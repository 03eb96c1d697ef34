/**
 * Sub-builds shared by the roots that include them (analysis/render/kustomize/subBuilds.ts): a base
 * built by several overlays is built once, an edit in an overlay builds that overlay again but not
 * its bases, an edit in a base builds it again, and every build with the cache equals the same
 * build without it (objects with their spans, inputs, problems, completeness).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plain } from '../../analysis/render/kustomize/nodes.js';
import { buildKustomization, KUSTOMIZATION_FILES } from '../../analysis/render/kustomize/index.js';
import type { BuildResult, SubBuildCache } from '../../analysis/render/kustomize/index.js';
import { parseFile } from '../../analysis/syntax/parse.js';
import { virtualFiles } from '../support/kustomize.js';

const TREE = `#- common/kustomization.yaml
resources: [config.yaml]
commonLabels: {tier: web}
#- common/config.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: fast}
#- base/kustomization.yaml
namePrefix: shop-
resources: [../common, app.yaml, ../extra]
configMapGenerator:
  - name: env
    literals: [LEVEL=info]
patches:
  - target: {kind: Deployment, name: web}
    patch: |-
      - op: copy
        from: /spec/template/metadata/labels
        path: /spec/selector/matchLabels
#- base/app.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: web:1
          envFrom: [{configMapRef: {name: env}}, {configMapRef: {name: settings}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
#- overlays/prod/kustomization.yaml
namespace: prod
resources: [../../base]
commonLabels: {env: prod}
patches:
  - path: replicas.yaml
#- overlays/prod/replicas.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop-web}
spec:
  replicas: 3
#- overlays/staging/kustomization.yaml
namespace: staging
nameSuffix: -s
resources: [../../base, missing.yaml]
#- overlays/loop/kustomization.yaml
resources: [../../loop-a]
#- loop-a/kustomization.yaml
resources: [../loop-b]
#- loop-b/kustomization.yaml
resources: [../loop-a]
`;

const P = 'file:///k';

/** A host over `files` that counts how often each file is parsed, with an optional shared cache. */
function hostOf(files: Map<string, string>, subBuilds: SubBuildCache | undefined, parsed: Map<string, number>) {
  return {
    text: (uri: string) => files.get(uri),
    parse: (uri: string) => {
      const t = files.get(uri);
      if (t === undefined) return undefined;
      parsed.set(uri, (parsed.get(uri) ?? 0) + 1);
      return parseFile(t);
    },
    kustomizationOf: (d: string) => KUSTOMIZATION_FILES.map((f) => `${d}/${f}`).find((u) => files.has(u)),
    ...(subBuilds !== undefined ? { subBuilds } : {}),
  };
}

/** Everything a build says, spans and the files they lie in included. */
function whole(r: BuildResult): unknown {
  return {
    objects: r.objects.map((o) => ({ ...o, root: JSON.parse(JSON.stringify(o.root)) as unknown })),
    inputs: [...r.inputs].sort(),
    kustomizations: [...r.kustomizations].sort(),
    resourceFiles: [...r.resourceFiles].sort(),
    patchFiles: [...r.patchFiles].sort(),
    problems: r.problems,
    notes: r.notes,
    complete: r.complete,
    knownParts: r.knownParts,
  };
}

const ROOTS = ['overlays/prod', 'overlays/staging', 'overlays/loop'];

function buildAll(files: Map<string, string>, cache: SubBuildCache, parsed: Map<string, number>, roots = ROOTS): void {
  for (const root of roots) {
    const cached = buildKustomization(`${P}/${root}`, hostOf(files, cache, parsed));
    const alone = buildKustomization(`${P}/${root}`, hostOf(files, undefined, new Map()));
    assert.deepEqual(whole(cached), whole(alone), `${root}: the build with shared sub-builds differs from the one without`);
  }
}

describe('Kustomize sub-builds shared by the roots that include them', () => {
  it('a base is built once for all its roots; an overlay edit builds that overlay only; a base edit builds the base again', () => {
    const files = virtualFiles(TREE);
    const cache: SubBuildCache = new Map();
    const parsed = new Map<string, number>();
    const baseKust = `${P}/base/kustomization.yaml`;
    const commonKust = `${P}/common/kustomization.yaml`;
    buildAll(files, cache, parsed);
    assert.equal(parsed.get(baseKust), 1, 'the base was built once for both overlays');
    assert.equal(parsed.get(commonKust), 1, "the base's own base was built once");

    // An edit in an overlay: that overlay is built again, its bases are not.
    files.set(`${P}/overlays/prod/replicas.yaml`, (files.get(`${P}/overlays/prod/replicas.yaml`) ?? '').replace('3', '5'));
    buildAll(files, cache, parsed, ['overlays/prod']);
    assert.equal(parsed.get(baseKust), 1, 'an overlay edit built the base again');
    assert.equal(parsed.get(`${P}/overlays/prod/replicas.yaml`), 2);

    // An edit in the base's own base: both are built again, once.
    files.set(`${P}/common/config.yaml`, (files.get(`${P}/common/config.yaml`) ?? '').replace('fast', 'slow'));
    buildAll(files, cache, parsed);
    assert.equal(parsed.get(baseKust), 2);
    assert.equal(parsed.get(commonKust), 2);

    // A file the staging overlay lacks comes: only that overlay changes, and the base is kept.
    files.set(`${P}/overlays/staging/missing.yaml`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n');
    buildAll(files, cache, parsed);
    assert.equal(parsed.get(baseKust), 2);

    // A kustomization appears in a folder the base looked in (its resource `../extra`, missing so
    // far; no text it read changed): the cached sub-build is not taken.
    files.set(`${P}/extra/kustomization.yaml`, 'resources: [x.yaml]\n');
    files.set(`${P}/extra/x.yaml`, 'apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n');
    buildAll(files, cache, parsed);
    assert.equal(parsed.get(baseKust), 3);

    // An edit of the base's kustomization: built again, once.
    files.set(baseKust, (files.get(baseKust) ?? '').replace('namePrefix: shop-', 'namePrefix: store-'));
    buildAll(files, cache, parsed);
    assert.equal(parsed.get(baseKust), 4);
  });

  it('a sub-build that met a cycle is not kept (the cycle depends on the directories around it)', () => {
    const files = virtualFiles(TREE);
    const cache: SubBuildCache = new Map();
    buildAll(files, cache, new Map(), ['overlays/loop']);
    assert.equal(
      [...cache.keys()].some((k) => k.includes('loop-')),
      false,
    );
    const r = buildKustomization(`${P}/overlays/loop`, hostOf(files, cache, new Map()));
    assert.match(r.problems.map((p) => p.message).join('\n'), /kustomization cycle/);
  });
});

describe('Kustomize sub-builds and the build schema', () => {
  it("a base that sets the build's OpenAPI schema (the first with openapi) sets it in every build taking it from the cache: the overlays' patches merge by its keys", () => {
    const files = virtualFiles(`#- base/kustomization.yaml
resources: [w.yaml]
openapi: {path: schema.json}
#- base/w.yaml
apiVersion: example.dev/v1
kind: Widget
metadata: {name: w}
spec:
  listeners: [{name: a, port: 80}]
#- base/schema.json
{"definitions": {"dev.example.v1.Widget": {"type": "object", "x-kubernetes-group-version-kind": [{"group": "example.dev", "kind": "Widget", "version": "v1"}],
  "properties": {"spec": {"type": "object", "properties": {"listeners": {"type": "array", "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge",
    "items": {"type": "object", "properties": {"name": {"type": "string"}}}}}}}}}}
#- one/kustomization.yaml
resources: [../base]
patches:
- patch: '{"apiVersion": "example.dev/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"listeners": [{"name": "b", "port": 81}]}}'
#- two/kustomization.yaml
resources: [../base]
patches:
- patch: '{"apiVersion": "example.dev/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"listeners": [{"name": "c", "port": 82}]}}'
`);
    const cache: SubBuildCache = new Map();
    const parsed = new Map<string, number>();
    buildAll(files, cache, parsed, ['one', 'two']);
    assert.equal(parsed.get(`${P}/base/kustomization.yaml`), 1, 'the base was built once');
    const two = buildKustomization(`${P}/two`, hostOf(files, cache, new Map()));
    const w = two.objects[0] === undefined ? undefined : (plain(two.objects[0].root) as { spec?: { listeners?: Array<{ name: string }> } });
    assert.deepEqual(
      w?.spec?.listeners?.map((l) => l.name),
      ['c', 'a'],
    );
  });
});
