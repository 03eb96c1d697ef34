/**
 * What a snapshot keeps of the namespace-scoped engines its checks built (issue #19, T7): the
 * SCOPED_ENGINES_AFTER_CHECKS over the most objects, so a cold pass over many namespaces does not
 * keep one engine per namespace alive; an edit in a big namespace still patches its engine, an
 * edit in a small one builds its engine again, and both leave the findings of a fresh analysis.
 * Counts, never times (speed is `npm run bench`).
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { diagnosticLines as render, hostOf } from '../support/gitops.js';
import { SCOPED_ENGINES_AFTER_CHECKS } from '../../analysis/snapshot.js';

const CONTROLLER =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller\n  namespace: ingress-nginx\nspec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ingress-nginx\n' +
  '  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: ingress-nginx\n    spec:\n      containers:\n        - name: c\n          image: x\n';

function app(ns: string, i: number, label = `app-${i}`): string {
  return (
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\n  namespace: ${ns}\nspec:\n  selector:\n    app: app-${i}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n---\n` +
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: app-${i}\n` +
    `  template:\n    metadata:\n      labels:\n        app: ${label}\n    spec:\n      containers:\n        - name: main\n          image: x\n` +
    `          ports:\n            - name: http\n              containerPort: 8080\n`
  );
}

/** A namespace of `apps` apps, a policy isolating the first and an Ingress routing to every one. */
function namespace(files: Map<string, string>, ns: string, apps: number): void {
  for (let i = 0; i < apps; i++) files.set(`file:///ws/${ns}/app-${i}.yaml`, app(ns, i));
  files.set(
    `file:///ws/${ns}/policy.yaml`,
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: isolate\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: app-0\n  policyTypes: [Ingress]\n`,
  );
  const paths = Array.from(
    { length: apps },
    (_, i) =>
      `          - path: /${i}\n            pathType: Prefix\n            backend:\n              service:\n                name: app-${i}\n                port:\n                  name: http\n`,
  );
  files.set(
    `file:///ws/${ns}/ingress.yaml`,
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  ingressClassName: nginx\n  rules:\n    - http:\n        paths:\n${paths.join('')}`,
  );
}

/** One big namespace and twice as many small ones as a snapshot keeps engines. */
function workspace(): Map<string, string> {
  const files = new Map<string, string>([['file:///ws/ingress-nginx/controller.yaml', CONTROLLER]]);
  namespace(files, 'big', 12);
  for (let n = 0; n < 2 * SCOPED_ENGINES_AFTER_CHECKS; n++) namespace(files, `small-${n}`, 2);
  return files;
}

it('a cold pass over many namespaces keeps only the scoped engines over the most objects', () => {
  const files = workspace();
  const host = hostOf(files);
  const cold = render(host);
  // Every isolated app is behind the Ingress's blocked backend: the checks judged every namespace.
  assert.equal(cold.filter((d) => d.includes('|ingress-backend-blocked|')).length, 1 + 2 * SCOPED_ENGINES_AFTER_CHECKS);
  const kept = [...host.snapshot().scoped.keys()];
  assert.equal(kept.length, SCOPED_ENGINES_AFTER_CHECKS, `engines kept after the cold pass: ${kept.length}`);
  assert.ok(
    kept.some((k) => k.split('|')[2]?.split(',').includes('big')),
    `the big namespace's engine is kept: ${kept.join(' ')}`,
  );

  // An edit in the big namespace patches its kept engine: no namespace's objects collected.
  const bigUri = 'file:///ws/big/app-3.yaml';
  const bigEdit = new Map([...files, [bigUri, app('big', 3, 'app-3x')]]);
  host.setFile(bigUri, bigEdit.get(bigUri) ?? '');
  assert.deepEqual(render(host), render(hostOf(bigEdit)));
  assert.equal(host.snapshot().scopedCollections, 0);

  // An edit in a small namespace whose engine was dropped builds it again, with the same findings.
  const keptNamespaces = new Set(kept.flatMap((k) => k.split('|')[2]?.split(',') ?? []));
  const smallNs = Array.from({ length: 2 * SCOPED_ENGINES_AFTER_CHECKS }, (_, n) => `small-${n}`).find((ns) => !keptNamespaces.has(ns));
  assert.ok(smallNs !== undefined);
  const smallUri = `file:///ws/${smallNs}/app-1.yaml`;
  const smallEdit = new Map([...bigEdit, [smallUri, app(smallNs, 1, 'app-1x')]]);
  host.setFile(smallUri, smallEdit.get(smallUri) ?? '');
  assert.deepEqual(render(host), render(hostOf(smallEdit)));
  assert.equal(host.snapshot().scopedCollections, 1);
});
