/**
 * `service-exposed`: a LoadBalancer or NodePort Service exposes workloads outside the cluster. A
 * fact, not a defect (hint), and never for internal load balancers.
 */

import { about } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { describe } from './support/evidence.js';
import { selectedBy } from './support/serviceTargets.js';

const INTERNAL: ReadonlyArray<[string, (v: string) => boolean]> = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', (v) => v === 'true' || v === '0.0.0.0/0'],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', (v) => v === 'internal'],
  ['networking.gke.io/load-balancer-type', (v) => v.toLowerCase() === 'internal'],
  ['cloud.google.com/load-balancer-type', (v) => v.toLowerCase() === 'internal'],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', (v) => v === 'true'],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', (v) => v === 'true'],
];

export const serviceExposed: Check = {
  code: 'service-exposed',
  defaultSeverity: 'hint',
  summary: 'A LoadBalancer or NodePort Service exposes workloads outside the cluster.',
  doc: [
    'A `LoadBalancer` Service is reachable from outside the cluster (from anywhere, unless',
    '`loadBalancerSourceRanges` limits it); a `NodePort` Service opens its port on every node. This is often',
    'intended, so it is a hint that states the fact and names the workloads behind it. Internal load balancers',
    '(AWS, GKE, Azure, OCI annotations) are never reported.',
    '',
    'With `externalTrafficPolicy: Cluster`, clients are SNATed to node IPs, so NetworkPolicy ipBlock allow-lists',
    'on the backends may not match the real client addresses.',
    '',
    '**Fix:** add `loadBalancerSourceRanges`, use an internal load balancer, or a ClusterIP Service behind an Ingress.',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const svc = o.service;
      if (svc === undefined || (svc.type !== 'LoadBalancer' && svc.type !== 'NodePort')) continue;
      if (
        INTERNAL.some(([k, test]) => {
          const v = o.annotations.get(k);
          return v !== undefined && test(v);
        })
      )
        continue;
      const sel = selectedBy(ctx, placed);
      const backends = sel?.producers.map((p) => describe(p.obj)).join(', ');
      const ports = svc.ports.map((p) => {
        const port = p.port?.known === true ? String(p.port.value) : '?';
        const tp = p.targetPort?.known === true ? String(p.targetPort.value) : port;
        return svc.type === 'NodePort' && p.nodePort !== undefined ? `${p.nodePort} → ${tp}` : `${port} → ${tp}`;
      });
      const who = describe(o, sel?.placement.namespace);
      const what =
        backends !== undefined && backends !== ''
          ? ` ${backends} (${ports.join(', ')})`
          : ports.length > 0
            ? ` ports ${ports.join(', ')}`
            : '';
      ctx.report({
        ...about(o, svc.typeSpan ?? o.anchor),
        confidence: 'definite',
        severity: 'hint',
        message:
          svc.type === 'LoadBalancer'
            ? `LoadBalancer ${who} exposes${what} outside the cluster${svc.loadBalancerSourceRanges.length === 0 ? '; no loadBalancerSourceRanges' : ` to ${svc.loadBalancerSourceRanges.join(', ')}`}.`
            : `NodePort ${who} opens${what} on every node of the cluster.`,
      });
    }
  },
};
