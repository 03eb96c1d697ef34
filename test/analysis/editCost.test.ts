/**
 * An edit inside one big namespace re-checks and re-judges only what it can change (issue #21):
 * a workload's label edit re-runs the checks of the files whose selectors name that label and of
 * the Ingresses routing to it, never every Ingress of the namespace; and every edit leaves the
 * findings of a fresh analysis. Counts, never times (speed is `npm run bench -- --namespace N`).
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import { diagnosticLines as render, hostOf } from '../support/gitops.js';
import { rng } from '../../scripts/bench/generate.js';

const APPS_PER_FOLDER = 5;
const CONTROLLER = 'file:///ws/ingress-nginx/controller.yaml';

function app(i: number, labels = `app: app-${i}`): string {
  const tier = i % 3 === 0 ? 'frontend' : 'backend';
  return (
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\n  namespace: shop\nspec:\n  selector:\n    app: app-${i}\n    tier: ${tier}\n` +
    `  ports:\n    - name: http\n      port: 80\n      targetPort: http\n---\n` +
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: app-${i}\n` +
    `  template:\n    metadata:\n      labels:\n        ${labels}\n        tier: ${tier}\n    spec:\n      containers:\n        - name: main\n          image: x\n` +
    `          ports:\n            - name: http\n              containerPort: 8080\n`
  );
}

/** One namespace of folders, each with its apps, a policy isolating its first app and an Ingress to its first three. */
function namespaceFiles(folders: number): Map<string, string> {
  const files = new Map<string, string>();
  files.set('file:///ws/shop/namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
  files.set(
    CONTROLLER,
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller\n  namespace: ingress-nginx\nspec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ingress-nginx\n' +
      '  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: ingress-nginx\n    spec:\n      containers:\n        - name: c\n          image: x\n',
  );
  for (let f = 0; f < folders; f++) {
    const first = f * APPS_PER_FOLDER;
    for (let i = first; i < first + APPS_PER_FOLDER; i++) files.set(`file:///ws/shop/team-${f}/app-${i}.yaml`, app(i));
    files.set(
      `file:///ws/shop/team-${f}/policy.yaml`,
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: team-${f}\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: app-${first}\n` +
        '  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              tier: frontend\n      ports:\n        - port: http\n',
    );
    files.set(
      `file:///ws/shop/team-${f}/ingress.yaml`,
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: team-${f}\n  namespace: shop\nspec:\n  ingressClassName: nginx\n  rules:\n    - http:\n        paths:\n` +
        [0, 1, 2]
          .map(
            (k) =>
              `          - path: /${first + k}\n            pathType: Prefix\n            backend:\n              service:\n                name: app-${first + k}\n                port:\n                  name: http\n`,
          )
          .join(''),
    );
  }
  return files;
}

function fresh(files: ReadonlyMap<string, string>): string[] {
  return render(hostOf(files));
}

it("a workload's label edit re-checks the Ingress routing to it, not every Ingress of the namespace", () => {
  const files = namespaceFiles(12);
  const host = new AnalysisHost();
  for (const [uri, text] of files) host.setFile(uri, text);
  const cold = render(host);
  // The first app of each folder is isolated and the controller is not admitted: one finding per folder.
  assert.equal(cold.filter((d) => d.includes('|ingress-backend-blocked|')).length, 12);
  const uri = 'file:///ws/shop/team-4/app-20.yaml';
  for (const labels of ['app: app-20x', 'app: app-20']) {
    host.setFile(uri, app(20, labels));
    const after = render(host);
    // The app's file, the policy selecting app-20, the Ingress routing to it: 3 of 37 files.
    assert.equal(host.stats.rechecked, 3, `${labels}: ${host.stats.rechecked} files re-checked`);
    // The Ingress's check patched the last engine: it never collected the namespace's objects.
    assert.equal(host.snapshot().scopedCollections, 0);
    assert.deepEqual(after, fresh(new Map([...files, [uri, app(20, labels)]])));
    // The Ingress's verdicts come from the last engine over its namespaces with one class rebuilt,
    // and only the policy whose selector names that label compiled again.
    const engine = host.snapshot().scopedEngine(['shop', 'ingress-nginx']);
    assert.equal(engine.model.rebuilt, 1);
    assert.equal(engine.tier.compiledNow, 1);
    assert.ok(engine.classes.length > 60);
    assert.deepEqual(verdicts(host), verdicts(hostOf(new Map([...files, [uri, app(20, labels)]]))));
  }
  // A workload no Ingress routes to whose labels no other selector names: only its own file.
  host.setFile('file:///ws/shop/team-4/app-23.yaml', app(23, 'app: app-23x'));
  render(host);
  assert.equal(host.stats.rechecked, 1);
});

/** Swaps `a` for `b` in a file, or `b` for `a` when `a` is not there: an edit that a second application undoes. */
function toggle(m: Map<string, string>, uri: string, a: string, b: string): void {
  const t = m.get(uri) ?? '';
  m.set(uri, t.includes(a) ? t.replace(a, b) : t.replace(b, a));
}

const EDITS: ReadonlyArray<{ name: string; apply: (files: Map<string, string>, pick: number) => void }> = [
  { name: 'pod label', apply: (m, i) => m.set(appUri(i), app(i, `app: app-${i}x`)) },
  { name: 'pod label back', apply: (m, i) => m.set(appUri(i), app(i)) },
  { name: 'another label', apply: (m, i) => m.set(appUri(i), app(i, `app: app-${i}\n        x: y`)) },
  { name: 'selected no more', apply: (m, i) => m.set(appUri(i), app(i, `app: app-${i}-old`)) },
  {
    // The app the folder's policy isolates: the policy selects it no more, or again.
    name: 'isolated app',
    apply: (m, i) => {
      const first = i - (i % APPS_PER_FOLDER);
      const t = m.get(appUri(first)) ?? '';
      m.set(appUri(first), app(first, t.includes(`app: app-${first}-old`) ? `app: app-${first}` : `app: app-${first}-old`));
    },
  },
  // The ingress controller's pods: a label the folders' policies name, and the controller's own label value.
  { name: 'controller labels', apply: (m) => toggle(m, CONTROLLER, 'labels:\n        tier: frontend\n', 'labels:\n') },
  { name: 'controller renamed', apply: (m) => toggle(m, CONTROLLER, 'name: ingress-nginx\n    spec', 'name: other\n    spec') },
  {
    // Another Deployment of the same identity, earlier in path order: the engine takes that one.
    name: 'same identity',
    apply: (m, i) => {
      const uri = `file:///ws/shop/a-dup-${i}.yaml`;
      if (m.has(uri)) m.delete(uri);
      else m.set(uri, (app(i, `app: app-${i}\n        other: z`).split('---\n')[1] ?? '').replace(/ {8}tier: \w+\n/, ''));
    },
  },
  {
    name: 'policy admits the controller',
    apply: (m, i) => {
      const f = Math.floor(i / APPS_PER_FOLDER);
      const uri = `file:///ws/shop/team-${f}/policy.yaml`;
      const t = m.get(uri) ?? '';
      m.set(
        uri,
        t.includes('namespaceSelector')
          ? t.replace(/\n {8}- namespaceSelector: \{\}/, '')
          : t.replace('    - from:\n', '    - from:\n        - namespaceSelector: {}\n'),
      );
    },
  },
  {
    name: 'namespace labels',
    apply: (m) => {
      const uri = 'file:///ws/shop/namespace.yaml';
      const t = m.get(uri) ?? '';
      m.set(uri, t.includes('labels') ? t.replace(/\n {2}labels:\n {4}team: a/, '') : `${t}  labels:\n    team: a\n`);
    },
  },
  { name: 'target port', apply: (m, i) => m.set(appUri(i), app(i).replace('targetPort: http', 'targetPort: 9090')) },
];

/** Every pair's verdict on the engine over the Ingresses' namespaces, by node. */
function verdicts(host: AnalysisHost): string[] {
  const engine = host.snapshot().scopedEngine(['shop', 'ingress-nginx']);
  const out: string[] = [];
  for (const a of engine.classes)
    for (const b of engine.classes) {
      const v = engine.pair({ kind: 'class', index: a.index }, { kind: 'class', index: b.index });
      out.push(`${a.node} → ${b.node}: ${[...v.yes].join(',')} / ${[...v.maybe].join(',')}`);
    }
  return out.sort();
}

function appUri(i: number): string {
  return `file:///ws/shop/team-${Math.floor(i / APPS_PER_FOLDER)}/app-${i}.yaml`;
}

it('seeded edits of workloads, the controller, policies and the Namespace give what a fresh analysis gives', () => {
  const current = namespaceFiles(6);
  const host = new AnalysisHost();
  for (const [uri, text] of current) host.setFile(uri, text);
  render(host);
  const random = rng(2121);
  let patched = 0;
  for (let step = 0; step < 30; step++) {
    const e = EDITS[Math.floor(random() * EDITS.length)];
    if (e === undefined) continue;
    const before = new Map(current);
    e.apply(current, Math.floor(random() * 6) * APPS_PER_FOLDER + Math.floor(random() * 3));
    for (const uri of before.keys()) if (!current.has(uri)) host.removeFile(uri);
    for (const [uri, text] of current) if (before.get(uri) !== text) host.setFile(uri, text);
    assert.deepEqual(render(host), fresh(current), `step ${step}: ${e.name}`);
    // The engine the checks read, patched or reused from the last one, judges every pair as one built afresh.
    if (host.snapshot().scopedEngine(['shop', 'ingress-nginx']).model.rebuilt !== undefined) patched++;
    assert.deepEqual(verdicts(host), verdicts(hostOf(current)), `step ${step}: ${e.name}: verdicts`);
    // The model's classes by object (carried through patches) name every class of the current objects.
    const model = host.snapshot().scopedEngine(['shop', 'ingress-nginx']).model;
    for (const c of model.classes)
      if (c.obj !== undefined) assert.ok(model.classIndicesOf(c.obj).includes(c.index), `step ${step}: ${c.node}`);
  }
  assert.ok(patched >= 5, `only ${patched} edits patched the class model`);
});

it('a check phase superseded by the next edit checks the files it did not reach with the next snapshot', () => {
  const current = namespaceFiles(6);
  const host = hostOf(current);
  render(host);
  // The Namespace's labels: every Ingress and policy of the namespace reads them.
  const nsUri = 'file:///ws/shop/namespace.yaml';
  current.set(nsUri, `${current.get(nsUri) ?? ''}  labels:\n    team: a\n`);
  host.setFile(nsUri, current.get(nsUri) ?? '');
  const stale = host.snapshot({ deferChecks: true });
  assert.equal(stale.checkSome(2), false);
  const { done, total } = stale.checkProgress();
  assert.equal(done, 2);
  assert.ok(total > 10, `${total} files to check`);
  // The next edit arrives: the stale snapshot's checks end where they are.
  current.set(appUri(10), app(10, 'app: app-10x'));
  host.setFile(appUri(10), current.get(appUri(10)) ?? '');
  host.supersede();
  assert.equal(stale.checkSome(1), true);
  assert.deepEqual(render(host), fresh(current));
  // Every file the stale pass did not reach was checked with the new snapshot.
  assert.ok(host.stats.rechecked >= total - 2, `${host.stats.rechecked} re-checked`);
});

it("an edit whose checks build no engine leaves the last one for the next edit's checks to patch", () => {
  const current = namespaceFiles(6);
  const host = hostOf(current);
  render(host);
  const key = '||ingress-nginx,kube-system,shop';
  let patchedAfterGap = 0;
  // A routed app's edits (its Ingress's check reads the engine) take turns with edits of an app no
  // Ingress routes to and no selector names (its checks build no engine): the routed app's next
  // edit starts from the engine of the edit before last instead of gathering afresh. Its Service's
  // targetPort changes too, so the port cuts the last gathering holds are swapped twice in a row.
  const steps: Array<[number, string, string]> = [
    [5, 'app: app-5x', '9090'],
    [9, 'app: app-9x', 'http'],
    [5, 'app: app-5', '9191'],
    [9, 'app: app-9', 'http'],
    [5, 'app: app-5', 'http'],
    [9, 'app: app-9y', '8080'],
    [5, 'app: app-5x', '9090'],
  ];
  let gapBefore = false;
  for (const [n, [i, labels, port]] of steps.entries()) {
    current.set(appUri(i), app(i, labels).replace('targetPort: http', `targetPort: ${port}`));
    host.setFile(appUri(i), current.get(appUri(i)) ?? '');
    assert.deepEqual(render(host), fresh(current), `step ${n}`);
    // The engine this snapshot's checks built, if any (`verdicts` below builds one of its own after them).
    const built = host.snapshot().scoped.get(key);
    if (built !== undefined && gapBefore) {
      // Patched from the engine two snapshots back (a model built afresh has no `rebuilt` count).
      assert.notEqual(built.model.rebuilt, undefined, `step ${n}: the class model was built afresh`);
      patchedAfterGap++;
    }
    gapBefore = built === undefined;
    assert.deepEqual(verdicts(host), verdicts(hostOf(current)), `step ${n}: verdicts`);
  }
  assert.ok(patchedAfterGap >= 2, `${patchedAfterGap} edits after a gap`);
});

it("a selector that misses reads the namespace's pod-creating Roles, not every object of the namespace", () => {
  const current = namespaceFiles(4);
  // app-3's Service misses its workload by a near miss (evidence), so it reads whether pods may be made at run time.
  current.set(appUri(3), app(3).replace('    app: app-3\n    tier', '    app: app-3x\n    tier'));
  const roleUri = 'file:///ws/shop/spawner-role.yaml';
  const role = (verbs: string): string =>
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: spawner\n  namespace: shop\nrules:\n  - apiGroups: [""]\n    resources: ["pods"]\n    verbs: [${verbs}]\n`;
  current.set(roleUri, role('get, list'));
  const configUri = 'file:///ws/shop/settings.yaml';
  const config = (value: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  a: ${value}\n`;
  current.set(configUri, config('a'));
  const host = hostOf(current);
  const cold = render(host);
  assert.ok(
    cold.some((d) => d.startsWith(`${appUri(3)}|`) && d.includes('|service-selector-no-match|warning|')),
    'a near miss is a warning',
  );
  // An edit of another object of the namespace (no pod producer, no Role): only its own file, not the
  // Service reading the namespace's Roles (which read every object of the namespace before).
  for (const value of ['b', 'c']) {
    current.set(configUri, config(value));
    host.setFile(configUri, config(value));
    assert.deepEqual(render(host), fresh(current), value);
    assert.equal(host.stats.rechecked, 1, value);
  }
  // The Role lets its subjects create pods, then no more: the Service's finding follows, as a fresh analysis's.
  for (const verbs of ['get, list, create', 'get, list']) {
    current.set(roleUri, role(verbs));
    host.setFile(roleUri, role(verbs));
    const after = render(host);
    assert.deepEqual(after, fresh(current), verbs);
    const warned = after.some((d) => d.startsWith(`${appUri(3)}|`) && d.includes('|service-selector-no-match|warning|'));
    assert.equal(warned, !verbs.includes('create'), verbs);
  }
});
