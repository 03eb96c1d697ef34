/**
 * Selectors looked up by label (analysis/checks/support/selection.ts) give what evaluating every candidate
 * producer gives, and an edit inside one big namespace re-checks only the files whose selectors
 * name a label the edit changed, with the result of a fresh full analysis (issue #21).
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { CheckContext } from '../../analysis/checks/support/check.js';
import { candidateProducers, evaluateSelector } from '../../analysis/checks/support/evidence.js';
import { selectInNamespace, selectProducers, selectsSome, selectsSomeIn } from '../../analysis/checks/support/selection.js';
import { serviceSelector } from '../../analysis/checks/support/serviceTargets.js';
import type { KObject, Selector } from '../../analysis/model/types.js';
import { mixedWorkspace } from '../support/corpus.js';
import { rng } from '../../scripts/bench/generate.js';
import { applyEdit, diagnosticLines, hostOf } from '../support/gitops.js';

/** One namespace: apps of a Service and a workload each, some Jobs, StatefulSets and templated labels. */
function namespaceFiles(apps: number): Map<string, string> {
  const files = new Map<string, string>();
  files.set('file:///ws/shop/namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
  for (let i = 0; i < apps; i++) {
    const app = `app-${i}`;
    const tier = i % 3 === 0 ? 'frontend' : 'backend';
    const kind = i % 7 === 3 ? 'StatefulSet' : i % 11 === 5 ? 'Job' : 'Deployment';
    const group = kind === 'Job' ? 'batch/v1' : 'apps/v1';
    // Some Services select a controller's label (a Job's job-name, a StatefulSet pod's name).
    const selector =
      kind === 'Job' && i % 2 === 1
        ? `    job-name: ${app}\n`
        : kind === 'StatefulSet' && i % 2 === 1
          ? `    statefulset.kubernetes.io/pod-name: ${app}-0\n`
          : `    app: ${app}\n    tier: ${tier}\n`;
    // Some pod templates have a label value that a placeholder decides.
    const labels = `      labels:\n        app: ${i % 13 === 4 ? '${APP}' : app}\n        tier: ${tier}\n`;
    files.set(
      `file:///ws/shop/${app}.yaml`,
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\n  namespace: shop\nspec:\n  selector:\n${selector}  ports:\n    - name: http\n      port: 80\n      targetPort: http\n` +
        `---\napiVersion: ${group}\nkind: ${kind}\nmetadata:\n  name: ${app}\n  namespace: shop\nspec:\n` +
        (kind === 'Job' ? '' : `  selector:\n    matchLabels:\n      app: ${app}\n`) +
        `  template:\n    metadata:\n${labels}    spec:\n      containers:\n        - name: main\n          image: nginx\n          ports:\n            - name: http\n              containerPort: 8080\n`,
    );
  }
  // A NetworkPolicy per tier: selectors with a pair many producers share.
  for (const tier of ['frontend', 'backend'])
    files.set(
      `file:///ws/shop/policy-${tier}.yaml`,
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${tier}\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      tier: ${tier}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              tier: frontend\n`,
    );
  return files;
}

function selectorsOf(obj: KObject, svc: Selector | undefined): Selector[] {
  const out: Selector[] = [];
  if (svc !== undefined) out.push(svc);
  if (obj.networkPolicy?.podSelector !== undefined) out.push(obj.networkPolicy.podSelector);
  return out;
}

function assertSameSelections(files: ReadonlyMap<string, string>): number {
  const index = hostOf(files).snapshot().index;
  const ctx = { index } as unknown as CheckContext;
  let compared = 0;
  for (const p of index.objects) {
    for (const sel of selectorsOf(p.obj, serviceSelector(p))) {
      for (const pl of p.placements) {
        const expected = evaluateSelector(candidateProducers(ctx, pl), sel);
        const actual = selectProducers(ctx, pl, sel);
        const names = (o: typeof expected): unknown => ({ maybe: o.maybe, matched: o.matched.map((m) => `${m.obj.uri}#${m.obj.ordinal}`) });
        assert.deepEqual(names(actual), names(expected), `${p.obj.uri}#${p.obj.ordinal} in ${pl.namespace ?? pl.unit}`);
        // The early-stopping question the absence checks ask: does it match, or may it match, any?
        assert.equal(
          selectsSome(ctx, pl, sel),
          expected.matched.length > 0 || expected.maybe,
          `${p.obj.uri}#${p.obj.ordinal}: selectsSome`,
        );
        compared++;
        if (pl.namespace === undefined) continue;
        const inNamespace = selectInNamespace(ctx, pl.namespace, sel);
        const everyProducer = evaluateSelector(index.producersIn(pl.namespace), sel);
        assert.deepEqual(names(inNamespace), names(everyProducer), `${p.obj.uri} in ${pl.namespace}`);
        assert.equal(
          selectsSomeIn(ctx, pl.namespace, sel),
          everyProducer.matched.length > 0 || everyProducer.maybe,
          `${p.obj.uri} in ${pl.namespace}: selectsSomeIn`,
        );
      }
    }
  }
  return compared;
}

it('a selector looked up by label matches what evaluating every candidate matches', () => {
  const corpus = mixedWorkspace({ withSettingsFixtures: true });
  const inCorpus = assertSameSelections(corpus);
  assert.ok(inCorpus > 150, `${inCorpus} selections in the corpus`);
  const inNamespace = assertSameSelections(namespaceFiles(60));
  assert.ok(inNamespace > 60, `${inNamespace} selections in one namespace`);
  // A pair mostly carried in another namespace: the namespaces that have few or none of its
  // carriers are answered past the first carriers read one by one.
  const spread = new Map<string, string>();
  const workload = (ns: string, name: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n` +
    `  template:\n    metadata:\n      labels:\n        app: ${name}\n        tier: frontend\n    spec:\n      containers:\n        - name: main\n          image: nginx\n`;
  const policy = (ns: string): string =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: front\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels:\n      tier: frontend\n`;
  for (let i = 0; i < 100; i++) spread.set(`file:///ws/a-many/app-${i}.yaml`, workload('many', `app-${i}`));
  spread.set('file:///ws/z-one/app.yaml', workload('one', 'app'));
  for (const ns of ['many', 'one', 'none']) spread.set(`file:///ws/z-${ns}/policy.yaml`, policy(ns));
  assert.ok(assertSameSelections(spread) >= 3);
  // `In` expressions are looked up by their values' pairs: with matchLabels or alone, a key some
  // pods leave open (a placeholder), a value no pod carries, and an expression that is unknown.
  const expression = (ns: string, name: string, match: string): string =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  podSelector:\n${match}`;
  const inFiles = new Map(spread);
  inFiles.set('file:///ws/a-many/open.yaml', workload('many', 'open').replace('app: open\n        tier', 'app: ${APP}\n        tier'));
  for (const ns of ['many', 'one', 'none']) {
    const at = (name: string, match: string): void => void inFiles.set(`file:///ws/z-${ns}/${name}.yaml`, expression(ns, name, match));
    at('in-app', '    matchExpressions:\n      - key: app\n        operator: In\n        values: [app-3, app, app-77, nobody]\n');
    at('in-tier', '    matchExpressions:\n      - key: tier\n        operator: In\n        values: [frontend, data]\n');
    at('in-none', '    matchExpressions:\n      - key: tier\n        operator: In\n        values: [nobody]\n');
    at(
      'in-and-pair',
      '    matchLabels:\n      tier: frontend\n    matchExpressions:\n      - key: app\n        operator: In\n        values: [app-1, app-2]\n',
    );
    at('in-unknown', '    matchExpressions:\n      - key: app\n        operator: In\n        values: [${APP}]\n');
    at('not-in', '    matchExpressions:\n      - key: app\n        operator: NotIn\n        values: [app-1]\n');
  }
  assert.ok(assertSameSelections(inFiles) >= 21);
});

const EDITS: ReadonlyArray<{ name: string; edit: (text: string) => string; local: boolean }> = [
  // A workload's pod label: only the files whose selectors name the old or new pair re-run.
  { name: 'pod label', edit: (t) => t.replace(/(labels:\n {8}app: [a-z0-9-]+)/, '$1x'), local: true },
  { name: 'pod label back', edit: (t) => t.replace(/(labels:\n {8}app: [a-z0-9-]+)x/, '$1'), local: true },
  { name: 'selector value', edit: (t) => t.replace(/(selector:\n {4}app: [a-z0-9-]+)/, '$1y'), local: true },
  { name: 'tier', edit: (t) => t.replace(/tier: frontend\n {4}spec/, 'tier: backend\n    spec'), local: false },
  { name: 'placeholder label', edit: (t) => t.replace(/labels:\n {8}app: ([a-z0-9-]+)/, 'labels:\n        app: $${APP}'), local: false },
  { name: 'kind', edit: (t) => t.replace('kind: Deployment', 'kind: DaemonSet'), local: false },
  {
    name: 'namespace',
    edit: (t) =>
      t.replace(/namespace: shop\nspec:\n {2}selector:\n {4}matchLabels/, 'namespace: other\nspec:\n  selector:\n    matchLabels'),
    local: false,
  },
  { name: 'target port', edit: (t) => t.replace('targetPort: http', 'targetPort: htpp'), local: true },
];

it('edits in one big namespace re-check only the selectors they can change, as a full analysis would', () => {
  const files = namespaceFiles(150);
  const host = hostOf(files);
  host.snapshot().diagnostics();
  const current = new Map(files);
  const uris = [...files.keys()].filter((u) => /app-\d+\.yaml$/.test(u));
  const random = rng(2112);
  let bounded = 0;
  for (let step = 0; step < 40; step++) {
    const uri = uris[Math.floor(random() * uris.length)] ?? '';
    const e = EDITS[Math.floor(random() * EDITS.length)];
    if (e === undefined) continue;
    const before = current.get(uri) ?? '';
    const next = e.edit(before);
    if (next === before) continue;
    applyEdit(current, host, uri, next);
    const incremental = diagnosticLines(host);
    if (e.local && host.stats.rechecked <= 3) bounded++;
    assert.deepEqual(incremental, diagnosticLines(hostOf(current)), `step ${step}: ${e.name} in ${uri}`);
  }
  assert.ok(bounded >= 8, `only ${bounded} label and selector edits re-checked at most 3 files`);
  // A namespace whose only other owner comes and goes: the Service's absence claim follows it.
  const tiny = 'file:///ws/tiny/';
  const svc =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  namespace: tiny\nspec:\n  selector:\n    app: a\n  ports:\n    - port: 80\n';
  const workload = (app: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\n  namespace: tiny\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n        - name: c\n          image: x\n`;
  const ingress =
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  namespace: tiny\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: missing\n                port:\n                  number: 80\n';
  const steps: Array<[string, string | undefined]> = [
    [`${tiny}svc.yaml`, svc],
    [`${tiny}ingress.yaml`, ingress],
    [`${tiny}workloads/b.yaml`, workload('b')],
    [`${tiny}workloads/b.yaml`, undefined],
    [`${tiny}svc.yaml`, undefined],
    [`${tiny}workloads/b.yaml`, workload('b')],
    [`${tiny}workloads/b.yaml`, undefined],
    [`${tiny}svc.yaml`, svc],
    [`${tiny}workloads/b.yaml`, workload('b')],
    [`${tiny}workloads/b.yaml`, workload('a')],
    [`${tiny}workloads/b.yaml`, workload('b')],
  ];
  for (const [uri, text] of steps) {
    applyEdit(current, host, uri, text);
    assert.deepEqual(diagnosticLines(host), diagnosticLines(hostOf(current)), `${uri} ${text === undefined ? 'removed' : 'set'}`);
  }
});
