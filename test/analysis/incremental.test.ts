/**
 * Incremental passes give exactly what a full analysis gives. Seeded sequences of edits (label
 * changes, renamed Services, removed and restored files, broken YAML) are applied to the corpus,
 * examples/ and the check fixtures through one host per seed; after every other edit that changed a
 * text (and the last draw) its diagnostics must equal those of a fresh host over the same files, and
 * most passes must have re-checked fewer files than all (a draw whose edit matches nothing is no
 * pass and is not counted). The fresh host reads the files whose text is the workspace's own with the
 * facts a cold host made of them (the warm-start cache's path, analysis/cache/facts.ts) and parses
 * the edited ones.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import { mixedWorkspace } from '../support/corpus.js';
import { rng } from '../../scripts/bench/generate.js';

function render(host: AnalysisHost): string[] {
  const out: string[] = [];
  for (const [uri, list] of host.snapshot().diagnostics())
    for (const d of list) out.push(`${uri}|${d.span.start}|${d.code}|${d.severity}|${d.message}`);
  return out.sort();
}

/** Applies `edit` to the last YAML document of a text only (the documents before it keep their objects). */
function lastDocument(text: string, edit: (doc: string) => string): string {
  const at = text.lastIndexOf('\n---');
  return at < 0 ? edit(text) : text.slice(0, at) + edit(text.slice(at));
}

const EDITS: ReadonlyArray<(text: string) => string> = [
  (t) => lastDocument(t, (d) => d.replace(/app: ([a-z-]+)/, 'app: $1y')),
  (t) => lastDocument(t, (d) => d.replace(/port: (\d+)/, (_, n: string) => `port: ${Number(n) + 2}`)),
  (t) => t.replace(/app: ([a-z-]+)/, 'app: $1x'),
  (t) => t.replace(/name: ([a-z-]+)/, 'name: $1-renamed'),
  (t) => t.replace(/containerPort: (\d+)/, (_, n: string) => `containerPort: ${Number(n) + 1}`),
  (t) => t.replace(/namespace: ([a-z-]+)/, 'namespace: $1-moved'),
  (t) => `${t}\nbroken: [\n`,
  (t) => t.replace(/targetPort: ([a-z0-9-]+)/, 'targetPort: other'),
];

/**
 * The seeds: 42 has run since the test was written; 3 found the OLM bundle root's stale listing (6cad4eb); 12 and 16 had
 * few incremental passes when draws that change nothing counted (28 and 27 of 60). Measured with this loop: seeds 1, 2,
 * 4–8, 12, 16 and 18 gave 65–83 % of passes incremental (12 the fewest); deferring, 42, 3, 12, 16 and 18 gave 60–81 %
 * (3 and 16 the fewest).
 */
const SEEDS = [42, 3, 12, 16];
const DEFERRING_SEEDS = [3, 16];
/** Draws per seed: an edit whose pattern matches nothing changes no text, makes no pass and is not counted. */
const STEPS = 60;
/** The percentage of passes (after a draw that changed a text, checks not deferred) that must be incremental. */
const BOUND = { plain: 60, deferring: 50 };

/**
 * STEPS seeded draws through one host; after every other edit that changed a text (and the last draw), its diagnostics
 * must equal a fresh host's. With `deferring`, some edits only take a snapshot whose checks are deferred (as a
 * reachability or hover request does) and read its engine: the next snapshot must still come out right.
 */
function seededEdits(deferring: boolean, seed: number, cold: AnalysisHost): void {
  const files = mixedWorkspace();
  const uris = [...files.keys()];
  assert.ok(uris.length > 100, `${uris.length} files`);
  const host = new AnalysisHost();
  for (const [uri, text] of files) host.setFile(uri, text);
  host.snapshot().diagnostics();
  const random = rng(seed);
  const current = new Map(files);
  let passes = 0;
  let partial = 0;
  let pending = false;
  let compared = true;
  for (let step = 0; step < STEPS; step++) {
    const uri = uris[Math.floor(random() * uris.length)] ?? '';
    const roll = random();
    if (roll < 0.1 && current.has(uri)) {
      current.delete(uri);
      host.removeFile(uri);
    } else if (roll < 0.2 && !current.has(uri)) {
      current.set(uri, files.get(uri) ?? '');
      host.setFile(uri, files.get(uri) ?? '');
    } else {
      const base = current.get(uri) ?? files.get(uri) ?? '';
      const edit = EDITS[Math.floor(random() * EDITS.length)];
      const next = edit === undefined ? base : edit(base);
      // No text changed: no pass, and nothing to count or compare (the last comparison stands).
      if (next === base && current.has(uri) && step < STEPS - 1) continue;
      current.set(uri, next);
      host.setFile(uri, next);
    }
    if (deferring && random() < 0.5) {
      // Only the previous snapshot's checks may run now (the runner sees snapshots in order).
      const runs = host.stats.checkRuns;
      host.snapshot({ deferChecks: true }).reachEngine();
      assert.ok(host.stats.checkRuns <= runs + (pending ? 1 : 0), `step ${step}: the deferred snapshot ran its own checks`);
      pending = true;
      continue;
    }
    const before = host.stats.checkRuns;
    pending = false;
    const incremental = render(host);
    if (host.stats.checkRuns > before) passes++;
    if (host.stats.checkRuns > before && host.stats.rechecked < current.size) partial++;
    compared = !compared;
    if (!compared && step < STEPS - 1) continue;
    compared = true;
    const fresh = new AnalysisHost();
    for (const [u, t] of current) fresh.setFile(u, t, undefined, cold.factsForText(u, t));
    assert.deepEqual(incremental, render(fresh), `seed ${seed}, step ${step}: edit of ${uri}`);
  }
  // The equality above means something only if most passes were incremental. Edits of some layout files (a Chart.yaml
  // that comes or goes, values read by renders that write Applications) read the workspace again by design; kustomizations,
  // Chart.yaml files and GitOps objects edited build again the roots and charts they change; edits that change the alternatives judge again the files whose views
  // changed and the readers of their objects (here often most files: "shop/web" is defined in some 80 places, one group of
  // alternatives, so one file that comes or goes changes the relation of all of them), and files that come or go
  // elsewhere build again the roots and charts they concern, or are placed as plain files are (units/layoutChange.ts).
  const bound = deferring ? BOUND.deferring : BOUND.plain;
  assert.ok(partial * 100 > passes * bound, `seed ${seed}: only ${partial} of ${passes} passes were incremental (${bound} % needed)`);
}

/** A host that has read the workspace cold: the fresh hosts take its facts of the files an edit left as they were. */
function coldHost(): AnalysisHost {
  const cold = new AnalysisHost();
  for (const [uri, text] of mixedWorkspace()) cold.setFile(uri, text);
  cold.parsePending(Infinity);
  return cold;
}

it('incremental passes equal full analyses after seeded edits (60 draws per seed, every other pass compared)', () => {
  const cold = coldHost();
  for (const seed of SEEDS) seededEdits(false, seed, cold);
});

it('snapshots whose checks were deferred and never read leave the next pass right', () => {
  const cold = coldHost();
  for (const seed of DEFERRING_SEEDS) seededEdits(true, seed, cold);
});

it('an edit keeps the objects of the documents before it, equal to a fresh lowering', () => {
  const docs = [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}\n',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]\n',
  ];
  const uri = 'file:///ws/app.yaml';
  const host = new AnalysisHost();
  host.setFile(uri, docs.join('---\n'));
  const objects = (h: AnalysisHost): unknown[] =>
    h
      .snapshot()
      .index.objectsOfFile(uri)
      .map((p) => p.obj);
  const before = objects(host);
  // The last document changes (and grows): the first two keep their objects.
  const edited = [docs[0], docs[1], (docs[2] ?? '').replace('app: web}}}]', 'app: webshop}}}]')].join('---\n');
  host.setFile(uri, edited);
  const after = objects(host);
  assert.equal(after[0], before[0]);
  assert.equal(after[1], before[1]);
  assert.notEqual(after[2], before[2]);
  const fresh = new AnalysisHost();
  fresh.setFile(uri, edited);
  assert.deepEqual(after, objects(fresh));
  // The first document changes length: every later document moves, so nothing is kept.
  const moved = [(docs[0] ?? '').replace('name: web,', 'name: web-frontend,'), docs[1], docs[2]].join('---\n');
  host.setFile(uri, moved);
  const third = objects(host);
  assert.ok(third.every((o) => !after.includes(o)));
  const fresh2 = new AnalysisHost();
  fresh2.setFile(uri, moved);
  assert.deepEqual(third, objects(fresh2));
});

it('removing the ClusterServiceVersion an OLM bundle root keeps under bases/ builds the root again', () => {
  // The bundle root is decided by listing the kustomization's bases/ folder (units/olm.ts): that listing is a
  // build input, so a CSV that goes (or comes) gives what a fresh analysis gives.
  const files = mixedWorkspace();
  const csv = [...files.keys()].find((u) =>
    u.endsWith('/olm-bundle-root/config/manifests/openshift/bases/demo-operator.clusterserviceversion.yaml'),
  );
  assert.ok(csv !== undefined);
  const host = new AnalysisHost();
  for (const [uri, text] of files) host.setFile(uri, text);
  host.snapshot().diagnostics();
  const text = files.get(csv) ?? '';
  for (const step of ['remove', 'restore'] as const) {
    if (step === 'remove') {
      files.delete(csv);
      host.removeFile(csv);
    } else {
      files.set(csv, text);
      host.setFile(csv, text);
    }
    const fresh = new AnalysisHost();
    for (const [u, t] of files) fresh.setFile(u, t);
    assert.deepEqual(render(host), render(fresh), step);
  }
});
