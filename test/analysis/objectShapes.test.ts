/**
 * The lowered objects of a workspace share a few hidden classes (V8 maps), one per combination of
 * kind-specific fields: an object made by `{ ...base, ...extra }` got a class and descriptor array
 * of its own (4.3 MB at 10,000 manifests), and every check reading `o.kind` or `o.pod` on objects
 * of thousands of classes went through V8's megamorphic lookups (a cold pass ~20 % slower).
 * `%HaveSameMap` asks V8 directly; natives syntax is enabled for this file's functions only.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { AnalysisHost } from '../../analysis/index.js';
import { lowerFile } from '../../analysis/model/lower.js';
import { parseManifest } from '../../analysis/syntax/parse.js';
import type { KObject } from '../../analysis/model/types.js';

setFlagsFromString('--allow-natives-syntax');
// The only way to reach a V8 intrinsic from a test.
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

function lowered(text: string): readonly KObject[] {
  return lowerFile('file:///ws/objects.yaml', text, parseManifest(text), undefined).objects;
}

const service = (i: number): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n${i % 2 === 0 ? '  namespace: team\n' : ''}spec:\n  selector:\n    app: a${i}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
const deployment = (i: number): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n${i % 3 === 0 ? '  labels:\n    team: x\n' : ''}spec:\n  selector:\n    matchLabels:\n      app: a${i}\n  template:\n    metadata:\n      labels:\n        app: a${i}\n    spec:\n      containers:\n        - name: c\n          image: nginx\n          ports:\n            - containerPort: 8080\n`;
const policy = (i: number): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-${i}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: a${i}\n`;

it('lowered objects of one kind share one hidden class, whatever their optional metadata', () => {
  for (const make of [service, deployment, policy]) {
    const objects = lowered(Array.from({ length: 40 }, (_, i) => make(i)).join('---\n'));
    assert.equal(objects.length, 40);
    const [first] = objects;
    assert.ok(first !== undefined);
    const others = objects.filter((o) => !sameMap(o, first)).map((o) => o.name?.known === true && o.name.value);
    assert.deepEqual(others, [], `${first.kind}: objects with a hidden class of their own`);
  }
});

it('a lowered object keeps its fields in the order the cache and the JSON output saw before', () => {
  const [svc] = lowered(service(0));
  assert.deepEqual(Object.keys(svc ?? {}), [
    'uri',
    'docIndex',
    'ordinal',
    'apiVersion',
    'group',
    'version',
    'kind',
    'name',
    'namespace',
    'labels',
    'annotations',
    'span',
    'anchor',
    'isPatch',
    'renderedHelm',
    'service',
  ]);
});

it('objects Kustomize builds make share the hidden classes of their kind too', () => {
  const host = new AnalysisHost();
  for (let k = 0; k < 30; k++) {
    host.setFile(`file:///ws/app${k}/kustomization.yaml`, 'resources:\n  - services.yaml\nnamePrefix: p-\n');
    host.setFile(`file:///ws/app${k}/services.yaml`, Array.from({ length: 40 }, (_, i) => service(i)).join('---\n'));
  }
  const index = host.snapshot().index;
  const built = Array.from({ length: 30 }, (_, k) => index.objectsOfFile(`file:///ws/app${k}/services.yaml`))
    .flat()
    .map((p) => p.obj)
    .filter((o) => o.build !== undefined);
  assert.equal(built.length, 1200);
  // One class per combination of fields (a namespace or none is the same field), not one per object.
  const classes: KObject[] = [];
  for (const o of built) if (!classes.some((c) => sameMap(c, o))) classes.push(o);
  assert.ok(classes.length <= 2, `${classes.length} hidden classes for ${built.length} built Services`);
});
