/**
 * The editor's lookups of the object at an offset (`workspace/objectsAt.ts`: hover, navigation,
 * completion, code actions) go through a file's documents by binary search instead of walking
 * its objects; they must answer exactly what the walk answers. Checked at every offset of a
 * hand-written file (Lists, an operator's second workload, empty and comment-only documents, a
 * Kustomize resource and a chart template, where the index's objects are not the lowered ones),
 * and across a bundle while random edits move its documents (moved objects, docs/dev/design.md §9).
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import type { Analysis } from '../../analysis/index.js';
import type { Placed } from '../../analysis/units/placement.js';
import { objectAt, objectStartingBefore, objectsOverlapping } from '../../analysis/workspace/objectsAt.js';
import { generateBundle, rng } from '../../scripts/bench/generate.js';

const MIXED = `# a comment before anything
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: a, namespace: shop}
    spec: {selector: {app: web}, ports: [{port: 80}]}
  - apiVersion: v1
    kind: Service
    metadata: {name: b, namespace: shop}
    spec: {selector: {app: web}, ports: [{port: 81}]}
---
---
# only a comment
---
apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata:
  name: events
  namespace: shop
spec:
  kafka:
    replicas: 3
  zookeeper:
    replicas: 3
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
`;

const RESOURCE = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers: [{name: api, image: api}]
`;

const TEMPLATE = `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-svc
spec:
  ports: [{port: {{ .Values.port }}}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cm
`;

/** What the walk over every object of the file answers (the lookups' definition). */
const walk = {
  at: (a: Analysis, uri: string, offset: number, docIndex?: number): Placed | undefined =>
    a.index
      .objectsOfFile(uri)
      .find((p) => (docIndex === undefined || p.obj.docIndex === docIndex) && p.obj.span.start <= offset && offset <= p.obj.span.end),
  before: (a: Analysis, uri: string, offset: number): Placed | undefined => {
    let best: Placed | undefined;
    for (const p of a.index.objectsOfFile(uri))
      if (p.obj.span.start <= offset && (best === undefined || p.obj.span.start > best.obj.span.start)) best = p;
    return best;
  },
  overlapping: (a: Analysis, uri: string, start: number, end: number): readonly Placed[] =>
    a.index.objectsOfFile(uri).filter((p) => p.obj.span.start <= end && start <= p.obj.span.end),
};

/** Every lookup at `offset` (and the documents' indexes around it) equals the walk's answer. */
function sameAt(a: Analysis, uri: string, offset: number, what: string): void {
  const at = `${what} at ${offset}`;
  assert.equal(objectAt(a.index, uri, offset), walk.at(a, uri, offset), `objectAt ${at}`);
  const docs = a.index.files.get(uri)?.documents?.length ?? 0;
  for (const d of [0, 1, 2, 5, docs - 1])
    if (d >= 0) assert.equal(objectAt(a.index, uri, offset, d), walk.at(a, uri, offset, d), `objectAt ${at}, document ${d}`);
  assert.equal(objectStartingBefore(a.index, uri, offset), walk.before(a, uri, offset), `objectStartingBefore ${at}`);
  for (const len of [0, 1, 40, 400])
    assert.deepEqual(
      objectsOverlapping(a.index, uri, offset, offset + len),
      walk.overlapping(a, uri, offset, offset + len),
      `objectsOverlapping ${at}+${len}`,
    );
}

it('the object at an offset, found through the documents, is the one the walk finds, at every offset', () => {
  const host = new AnalysisHost(undefined, { incrementalMinLength: 0 });
  const files: Record<string, string> = {
    'file:///ws/mixed.yaml': MIXED,
    'file:///ws/app/kustomization.yaml': 'resources: [res.yaml]\nnamespace: api\n',
    'file:///ws/app/res.yaml': RESOURCE,
    'file:///ws/chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
    'file:///ws/chart/values.yaml': 'port: 80\n',
    'file:///ws/chart/templates/svc.yaml': TEMPLATE,
  };
  for (const [uri, text] of Object.entries(files)) host.setFile(uri, text, 1);
  const a = host.snapshot();
  // The hand-written file lowers to what the lookups must tell apart.
  const mixed = a.index.objectsOfFile('file:///ws/mixed.yaml');
  assert.ok(
    mixed.some((p) => p.obj.madeBy !== undefined),
    'the Kafka resource makes a second workload',
  );
  assert.ok(mixed.filter((p) => p.obj.kind === 'Service').length === 2, 'the List holds two Services');
  for (const [uri, text] of Object.entries(files)) for (let offset = 0; offset <= text.length + 1; offset++) sameAt(a, uri, offset, uri);
});

it('the lookups stay equal to the walk while edits move the documents after them', () => {
  const uri = 'file:///ws/install.yaml';
  const original = [...generateBundle(40_000, 23).files.values()][0] ?? '';
  let text = original;
  const host = new AnalysisHost(undefined, { incrementalMinLength: 0 });
  host.setFile(uri, text, 1);
  host.snapshot();
  const random = rng(29);
  for (let step = 0; step < 12; step++) {
    // Typing and deleting in a document: the documents after it move.
    const at = Math.floor(random() * text.length);
    text = step % 2 === 0 ? text.slice(0, at) + 'xyz' + text.slice(at) : text.slice(0, at) + text.slice(at + 2);
    if (step % 5 === 4) text = original;
    const edits = host.stats.documentEdits;
    host.setFile(uri, text, step + 2);
    const a = host.snapshot();
    if (step === 0) assert.equal(host.stats.documentEdits, edits + 1, 'the first edit is lowered by document (its later documents moved)');
    for (let offset = 0; offset <= text.length; offset += 1 + Math.floor(random() * 60)) sameAt(a, uri, offset, `step ${step}`);
  }
});
