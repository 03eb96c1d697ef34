/**
 * Exposure analysis' representative pods (docs/dev/exposure.md rule E3): a selector's labels know
 * only what it requires, and a rule's selector matches them yes (every admitted pod matches), no
 * (none does) or unknown; and how representatives print.
 */

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { PodLabels } from '../../analysis/model/labels.js';
import { matchSelector, plainLabels, selectorLabels } from '../../analysis/model/labels.js';
import { selector } from '../../analysis/model/values.js';
import type { Selector } from '../../analysis/model/types.js';
import type { Representative } from '../../analysis/reachability/representatives.js';
import { intersectionOf, representativeOf } from '../../analysis/reachability/representatives.js';
import { parseFile } from '../../analysis/syntax/parse.js';

function sel(yaml: string): Selector {
  const root = parseFile(yaml).documents[0]?.root;
  const s = selector(root);
  assert.ok(s !== undefined, yaml);
  return s;
}

const cases: Array<[rep: string, rule: string, expected: 'yes' | 'no' | 'unknown']> = [
  ['{matchLabels: {app: x}}', '{matchLabels: {app: x}}', 'yes'],
  ['{matchLabels: {app: x}}', '{matchLabels: {app: y}}', 'no'],
  ['{matchLabels: {app: x}}', '{matchLabels: {app: x, tier: web}}', 'unknown'],
  ['{matchLabels: {app: x}}', '{}', 'yes'],
  [
    '{matchExpressions: [{key: role, operator: In, values: [a, b]}]}',
    '{matchExpressions: [{key: role, operator: In, values: [a, b, c]}]}',
    'yes',
  ],
  ['{matchExpressions: [{key: role, operator: In, values: [a, b]}]}', '{matchLabels: {role: a}}', 'unknown'],
  [
    '{matchExpressions: [{key: role, operator: In, values: [a, b]}]}',
    '{matchExpressions: [{key: role, operator: NotIn, values: [a, b]}]}',
    'no',
  ],
  ['{matchExpressions: [{key: role, operator: In, values: [a, b]}]}', '{matchExpressions: [{key: role, operator: Exists}]}', 'yes'],
  [
    '{matchExpressions: [{key: role, operator: NotIn, values: [w, x, y, z]}]}',
    '{matchExpressions: [{key: role, operator: NotIn, values: [x, y]}]}',
    'yes',
  ],
  [
    '{matchExpressions: [{key: role, operator: NotIn, values: [x, y]}]}',
    '{matchExpressions: [{key: role, operator: NotIn, values: [w, x, y, z]}]}',
    'unknown',
  ],
  ['{matchExpressions: [{key: role, operator: NotIn, values: [x]}]}', '{matchExpressions: [{key: role, operator: In, values: [x]}]}', 'no'],
  ['{matchExpressions: [{key: role, operator: DoesNotExist}]}', '{matchExpressions: [{key: role, operator: Exists}]}', 'no'],
  ['{matchExpressions: [{key: role, operator: DoesNotExist}]}', '{matchExpressions: [{key: role, operator: NotIn, values: [a]}]}', 'yes'],
  ['{matchExpressions: [{key: role, operator: Exists}]}', '{matchExpressions: [{key: role, operator: DoesNotExist}]}', 'no'],
  ['{matchExpressions: [{key: role, operator: Exists}]}', '{matchLabels: {role: a}}', 'unknown'],
  ['{matchExpressions: [{key: role, operator: In, values: [a]}]}', '{matchLabels: {role: a}}', 'yes'],
];

for (const [rep, rule, expected] of cases)
  test(`a representative of ${rep} against ${rule}: ${expected}`, () => {
    const labels = selectorLabels(sel(rep));
    assert.ok(labels !== undefined);
    assert.equal(matchSelector(sel(rule), labels), expected);
  });

test('a selector no pod can match has no representative', () => {
  assert.equal(selectorLabels(sel('{matchLabels: {a: x}, matchExpressions: [{key: a, operator: NotIn, values: [x]}]}')), undefined);
  assert.equal(selectorLabels(sel('{matchExpressions: [{key: a, operator: Exists}, {key: a, operator: DoesNotExist}]}')), undefined);
  assert.equal(
    selectorLabels(sel('{matchExpressions: [{key: a, operator: In, values: [x]}, {key: a, operator: In, values: [y]}]}')),
    undefined,
  );
});

test('representatives print as reach --exposure does', () => {
  const empty = sel('{}');
  assert.equal(representativeOf('shop', null, undefined)?.id, 'entire-cluster');
  assert.equal(representativeOf('shop', empty, empty)?.id, 'entire-cluster');
  assert.equal(representativeOf('shop', undefined, sel('{matchLabels: {app: cache}}'))?.id, 'shop/[pod with {app=cache}]');
  assert.equal(representativeOf('shop', sel('{matchLabels: {kubernetes.io/metadata.name: data}}'), undefined)?.id, 'data/[all pods]');
  assert.equal(
    representativeOf('shop', empty, sel('{matchLabels: {k8s-app: kube-dns}}'))?.id,
    '[all namespaces]/[pod with {k8s-app=kube-dns}]',
  );
  assert.equal(
    representativeOf(
      'shop',
      sel('{matchLabels: {team: mon}, matchExpressions: [{key: env, operator: Exists}]}'),
      sel('{matchExpressions: [{key: role, operator: NotIn, values: [web, api]}, {key: app, operator: DoesNotExist}]}'),
    )?.id,
    '[namespace with {env Exists,team=mon}]/[pod with {app DoesNotExist,role NotIn (api,web)}]',
  );
  assert.equal(representativeOf(undefined, undefined, empty), undefined);
});

test('representatives print in netpol-analyzer words for --format text, in the operators words for the panel and JSON', () => {
  // matchLabels as k=v sorted by key, then each matchExpressions entry as Go prints the struct
  // (values in the order written), those sorted as strings (netpol-analyzer's conns_formatter.go).
  const r = representativeOf(
    'shop',
    sel('{matchLabels: {team: mon}, matchExpressions: [{key: env, operator: Exists}]}'),
    sel(
      '{matchExpressions: [{key: role, operator: NotIn, values: [web, api]}, {key: app, operator: DoesNotExist}], matchLabels: {z: "1", a: "2"}}',
    ),
  );
  assert.equal(
    r?.text,
    '[namespace with {team=mon,{Key:env,Operator:Exists,Values:[],}}]/[pod with {a=2,z=1,{Key:app,Operator:DoesNotExist,Values:[],},{Key:role,Operator:NotIn,Values:[web api],}}]',
  );
  assert.equal(r?.id, '[namespace with {env Exists,team=mon}]/[pod with {a=2,app DoesNotExist,role NotIn (api,web),z=1}]');
  // A namespace named by an In expression is that namespace for the engine and in words; netpol-analyzer
  // names it only from matchLabels, so the text keeps the expression.
  const byIn = representativeOf(
    'shop',
    sel('{matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [ops]}]}'),
    undefined,
  );
  assert.equal(byIn?.id, 'ops/[all pods]');
  assert.equal(byIn?.text, '[namespace with {{Key:kubernetes.io/metadata.name,Operator:In,Values:[ops],}}]/[all pods]');
  assert.equal(representativeOf('shop', sel('{matchLabels: {kubernetes.io/metadata.name: data}}'), undefined)?.text, 'data/[all pods]');
  assert.equal(representativeOf('shop', null, undefined)?.text, 'entire-cluster');
});

test('a representative line describes the pods no other selector singles out: an undecided match is no, a templated selector stays undecided', () => {
  // docs/dev/exposure.md E3: the engine's virtual pod of a representative carries `generic` labels.
  for (const [rep, rule, expected] of cases) {
    const labels = selectorLabels(sel(rep));
    assert.ok(labels !== undefined);
    assert.equal(matchSelector(sel(rule), { ...labels, generic: true }), expected === 'unknown' ? 'no' : expected, `${rep} / ${rule}`);
  }
  const anyPod = { known: new Map<string, string>(), unknownValue: new Set<string>(), perPod: new Map(), open: true, generic: true };
  assert.equal(matchSelector(sel('{}'), anyPod), 'yes');
  assert.equal(matchSelector(sel('{matchLabels: {role: monitoring}}'), anyPod), 'no');
  assert.equal(matchSelector(sel('{matchExpressions: [{key: app, operator: DoesNotExist}]}'), anyPod), 'no');
  assert.equal(matchSelector(sel('{matchExpressions: [{key: app, operator: NotIn, values: [x]}]}'), anyPod), 'no');
  assert.equal(matchSelector(sel('{matchLabels: {role: "{{ .Values.role }}"}}'), anyPod), 'unknown');
  assert.equal(matchSelector(sel('{matchLabels: {role: monitoring}}'), { ...anyPod, generic: false }), 'unknown');
});

test('pods two representatives both stand for (E8): the namespace and pods both admit, none when one implies the other or none can be both', () => {
  const rep = (nsSel: Selector | null | undefined, podSel: Selector | undefined, own?: string): Representative => {
    const r = representativeOf(own, nsSel, podSel);
    assert.ok(r !== undefined);
    return { ...r, classId: r.id };
  };
  const prod = new Map([['shop', plainLabels(new Map([['env', 'prod']]))]]);
  const labels = (ns: string): PodLabels | undefined => prod.get(ns);
  const billing = rep(sel('{matchLabels: {team: billing}}'), undefined);
  const monitoring = rep(null, sel('{matchLabels: {role: monitoring}}'));
  assert.equal(intersectionOf(billing, monitoring, labels)?.id, '[namespace with {team=billing}]/[pod with {role=monitoring}]');
  // Both namespace selectors and both pod selectors at once.
  const a = rep(sel('{matchLabels: {env: prod}}'), sel('{matchLabels: {app: x}}'));
  const b = rep(sel('{matchLabels: {team: db}}'), sel('{matchExpressions: [{key: tier, operator: Exists}]}'));
  assert.equal(intersectionOf(a, b, labels)?.id, '[namespace with {env=prod,team=db}]/[pod with {app=x,tier Exists}]');
  // A named namespace whose labels surely match the other's selector: that namespace.
  const shopApi = rep(undefined, sel('{matchLabels: {app: api}}'), 'shop');
  const prodMonitoring = rep(sel('{matchLabels: {env: prod}}'), sel('{matchLabels: {role: monitoring}}'));
  assert.equal(intersectionOf(shopApi, prodMonitoring, labels)?.id, 'shop/[pod with {app=api,role=monitoring}]');
  // Its labels do not say (a namespace the manifests do not declare), or say no: none.
  const otherApi = rep(undefined, sel('{matchLabels: {app: api}}'), 'other');
  assert.equal(intersectionOf(otherApi, prodMonitoring, labels), undefined);
  assert.equal(intersectionOf(shopApi, rep(sel('{matchLabels: {env: dev}}'), undefined), labels), undefined);
  // No pod can be both; one implies the other.
  assert.equal(intersectionOf(rep(null, sel('{matchLabels: {app: x}}')), rep(null, sel('{matchLabels: {app: y}}')), labels), undefined);
  assert.equal(
    intersectionOf(rep(null, sel('{matchLabels: {app: x, tier: web}}')), rep(null, sel('{matchLabels: {app: x}}')), labels),
    undefined,
  );
  assert.equal(intersectionOf(billing, rep(null, undefined), labels), undefined);
});
