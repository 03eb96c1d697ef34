/**
 * OLM bundle roots (analysis/units/olm.ts): a kustomization that builds an operator bundle has its
 * namespaced objects float together (OLM installs them into the operator's namespace), also when
 * the ClusterServiceVersion it lists is not kept in the repository.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { virtualFiles } from '../support/kustomize.js';
import { hostOf } from '../support/gitops.js';

const TREE = (manifests: string): string => `#- config/manifests/kustomization.yaml
${manifests}
#- config/overlays/openshift/kustomization.yaml
resources:
  - ../../default
  - webhook-deployment.yaml
#- config/overlays/openshift/webhook-deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo-webhook
  namespace: system
spec:
  selector:
    matchLabels: {app: demo, component: webhook}
  template:
    metadata:
      labels: {app: demo, component: webhook}
    spec:
      containers: [{name: webhook, image: demo, ports: [{containerPort: 9443}]}]
#- config/default/kustomization.yaml
namespace: demo-system
namePrefix: demo-
resources:
  - service.yaml
#- config/default/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: webhook-service
  namespace: system
spec:
  selector: {app: demo, component: webhook}
  ports: [{port: 443, targetPort: 9443}]
`;

/** `Kind/name@namespace` (`~` when floating) of the Services and Deployments. */
function placed(source: string): string[] {
  return hostOf(virtualFiles(source))
    .snapshot()
    .index.objects.filter((p) => p.obj.kind === 'Service' || p.obj.kind === 'Deployment')
    .map(
      (p) =>
        `${p.obj.kind}/${p.obj.name?.known === true ? p.obj.name.value : '?'}@${p.placements.map((x) => (x.floating ? '~' : (x.namespace ?? ''))).join(',')}`,
    )
    .sort();
}

describe('OLM bundle roots', () => {
  it("a kustomization listing a ClusterServiceVersion the repository does not keep (operator-sdk's bases/<project>.clusterserviceversion.yaml) is a bundle root: its namespaced objects float together", () => {
    const root = 'resources:\n  - bases/demo-operator.clusterserviceversion.yaml\n  - ../overlays/openshift';
    assert.deepEqual(placed(TREE(root)), ['Deployment/demo-webhook@~', 'Service/demo-webhook-service@~']);
  });

  it('a kustomization that names no ClusterServiceVersion is applied as built', () => {
    assert.deepEqual(placed(TREE('resources:\n  - ../overlays/openshift')), [
      'Deployment/demo-webhook@system',
      'Service/demo-webhook-service@demo-system',
    ]);
  });
});
