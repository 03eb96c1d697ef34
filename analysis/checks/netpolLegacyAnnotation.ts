/**
 * `netpol-legacy-annotation`: the `net.beta.kubernetes.io/network-policy` namespace annotation was
 * removed in Kubernetes 1.7 and isolates nothing; the author believes the namespace is isolated.
 */

import { about } from './support/findingFields.js';
import { writerFor } from '../edits/writer.js';
import type { Check } from './support/check.js';
import { describe } from './support/evidence.js';
import { isolating } from './support/policies.js';

const ANNOTATION = 'net.beta.kubernetes.io/network-policy';

export const netpolLegacyAnnotation: Check = {
  code: 'netpol-legacy-annotation',
  defaultSeverity: 'warning',
  summary: 'The legacy namespace isolation annotation does nothing since Kubernetes 1.7.',
  doc: [
    'The annotation `net.beta.kubernetes.io/network-policy` on a Namespace was how beta NetworkPolicy isolated a',
    'namespace. It was removed with NetworkPolicy v1 in Kubernetes 1.7 and isolates nothing, whatever its value:',
    'pods that no NetworkPolicy selects accept all traffic.',
    '',
    '**Fix:** a default-deny ingress policy (`podSelector: {}`, `policyTypes: [Ingress]`). The quick-fix adds one;',
    'it **changes behaviour** (it blocks inbound traffic that no policy allows today) and says so.',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      if (o.kind !== 'Namespace' || o.apiVersion !== 'v1' || !o.annotations.has(ANNOTATION) || o.name?.known !== true) continue;
      const ns = o.name.value;
      const unprotected = ctx.index
        .producersIn(ns)
        .filter((p) => isolating(ctx, ns, p, 'Ingress').length === 0)
        .map((p) => describe(p.obj));
      const w = writerFor(ctx, o.uri);
      const doc = w.addObject(
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'default-deny-ingress', namespace: ns },
          spec: { podSelector: {}, policyTypes: ['Ingress'] },
        },
        'default-deny-ingress',
      );
      // Replacing means: the policy in, the dead annotation out.
      const removed = w.removeAnnotation(o.span, ANNOTATION);
      const removal = removed === undefined ? [] : [removed];
      const blocks =
        unprotected.length > 0
          ? `; blocks inbound traffic to ${unprotected.slice(0, 3).join(', ')}${unprotected.length > 3 ? ` and ${unprotected.length - 3} more` : ''}`
          : '';
      ctx.report({
        ...about(o, o.anchor),
        confidence: 'definite',
        severity: 'warning',
        message: `The annotation ${ANNOTATION} was removed in Kubernetes 1.7 and isolates nothing: pods in "${ns}" that no NetworkPolicy selects accept all traffic.`,
        fixes: [
          {
            title: `Replace the annotation with a default-deny ingress NetworkPolicy for "${ns}" (changes behaviour${blocks})`,
            isPreferred: false,
            edits: [...removal, ...doc],
          },
        ],
      });
    }
  },
};
