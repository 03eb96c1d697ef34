/**
 * `workload-not-isolated` (opt-in): a workload that no NetworkPolicy isolates, per direction.
 */

import { about } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { describe } from './support/evidence.js';
import { isolating, ownsScope, scopeLabel, scopeOf } from './support/policies.js';

const ADMIN_POLICY_KINDS = [
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
];

export const workloadNotIsolated: Check = {
  code: 'workload-not-isolated',
  defaultSeverity: 'information',
  enabledByDefault: false,
  summary: 'A workload accepts (or sends) all traffic: no NetworkPolicy isolates it (opt-in).',
  doc: [
    'Off by default; enable it with a severity. Reports, per direction, long-running workloads in owned namespaces',
    'that no NetworkPolicy selects, so they accept all inbound (or send all outbound) traffic. Silent when the',
    'workspace holds CNI- or admin-level policy kinds (Cilium, Calico, AdminNetworkPolicy), which isolate in ways',
    'plain NetworkPolicy cannot show. hostNetwork pods are reported as such: policies may not apply to them.',
    '',
    '**Fix:** add a default-deny policy for the namespace and allow what the workload needs.',
  ].join('\n'),
  compatibleSuppressions: { kubeLinter: ['non-isolated-pod'], kubeScore: ['pod-networkpolicy'] },
  run(ctx) {
    if (ctx.index.hasKind(ADMIN_POLICY_KINDS) || [...ctx.index.customGroups].some((g) => g.includes('projectcalico'))) return;
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const pl = placed.placements[0];
      // A namespace, or a floating unit (namespace-less manifests, judged with their own policies).
      const ns = scopeOf(pl);
      if (o.pod === undefined || !o.pod.longRunning || ns === undefined) continue;
      if (!ownsScope(ctx, ns, o)) continue;
      const label = scopeLabel(ns);
      if (o.pod.hostNetwork) {
        ctx.report({
          ...about(o, o.anchor),
          confidence: 'definite',
          severity: 'information',
          message: `${describe(o, label)} uses hostNetwork: NetworkPolicies may not apply to its pods (it is up to the network plugin).`,
        });
        continue;
      }
      const open = (['Ingress', 'Egress'] as const).filter((d) => isolating(ctx, ns, placed, d).length === 0);
      if (open.length === 0) continue;
      ctx.report({
        ...about(o, o.anchor),
        confidence: 'definite',
        severity: 'information',
        message: `${describe(o, label)} is not isolated for ${open.join(' or ').toLowerCase()}: no NetworkPolicy isolates it in that direction, so it ${open.length === 2 ? 'accepts and sends' : open[0] === 'Ingress' ? 'accepts' : 'sends'} all traffic.`,
      });
    }
  },
};
