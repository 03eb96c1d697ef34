/**
 * `cluster-policy-selects-nothing`: an AdminNetworkPolicy, BaselineAdminNetworkPolicy or
 * ClusterNetworkPolicy whose subject names one namespace (`pods.namespaceSelector` on
 * `kubernetes.io/metadata.name`) and a pod selector that matches no pod there, so it has no
 * effect. Cluster-scoped subjects that select namespaces by other labels reach namespaces the
 * workspace cannot show: no claim is made about them. The claim goes through the firewall
 * (`selectorMiss`, checks/support/evidence.ts) for the named namespace, as `netpol-selects-nothing` does.
 */

import { about, tier } from './support/findingFields.js';
import type { Selector } from '../model/types.js';
import { selectorIsEmpty } from '../model/values.js';
import type { Check, CheckContext } from './support/check.js';
import { selectorMiss, selectorText } from './support/evidence.js';

/** The one namespace a selector pins by `kubernetes.io/metadata.name` alone, if it does. */
function pinnedNamespace(sel: Selector | undefined): string | undefined {
  if (sel === undefined || sel.unknown || sel.matchExpressions.length > 0) return undefined;
  const entries = sel.matchLabels?.entries ?? [];
  const only = entries.length === 1 ? entries[0] : undefined;
  return only?.key === 'kubernetes.io/metadata.name' && only.value.known ? only.value.value : undefined;
}

export const clusterPolicySelectsNothing: Check = {
  code: 'cluster-policy-selects-nothing',
  defaultSeverity: 'warning',
  summary: 'A cluster network policy names a namespace and a pod selector that matches no pod there, so it has no effect.',
  doc: [
    'An AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy applies to the pods its `subject`',
    'selects. When the subject names one namespace (`pods.namespaceSelector` on `kubernetes.io/metadata.name`) and its',
    '`podSelector` matches no workload of that namespace, the policy protects nothing.',
    '',
    'Kube Reach warns only with evidence (a near-miss label value, labels on the wrong level, a match in another',
    'namespace), reports information in namespaces the workspace owns and stays silent elsewhere. Subjects that select',
    'namespaces by other labels are never reported: the cluster may hold namespaces the workspace does not show.',
    '',
    '```yaml',
    'kind: AdminNetworkPolicy',
    'spec:',
    '  subject:',
    '    pods:',
    '      namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}',
    '      podSelector: {matchLabels: {app: web-frontend}}   # the pods have app: web',
    '```',
    '',
    "**Fix:** set the label value to the workload's.",
  ].join('\n'),
  run(ctx: CheckContext) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const spec = o.clusterPolicy;
      const pods = spec?.subject?.pods;
      if (spec === undefined || spec.unknown || pods === undefined || spec.subject?.fields.length !== 1) continue;
      const ns = pinnedNamespace(pods.namespaceSelector);
      const sel = pods.podSelector;
      if (ns === undefined || sel === undefined || sel.unknown || selectorIsEmpty(sel)) continue;
      const name = o.name?.known === true ? o.name.value : '';
      for (const pl of placed.placements) {
        const miss = selectorMiss(ctx, o, { unit: pl.unit, namespace: ns, floating: false }, sel);
        if (miss === undefined) continue;
        const ev = miss.evidence;
        const who = `${o.kind} "${name}"`;
        if (ev !== undefined) {
          ctx.report({
            ...about(o, ev.fix?.entry.value.span ?? sel.matchLabels?.span ?? sel.span, ns),
            ...tier(true),
            message: `${who} selects no pods (${selectorText(sel)} in namespace ${ns}), so it has no effect. ${ev.detail}`,
            related: [ev.related],
            data: { evidence: ev.kind },
          });
        } else {
          ctx.report({
            ...about(o, sel.matchLabels?.span ?? sel.span, ns),
            ...tier(false),
            message: `${who} selects no pods defined in this workspace (${selectorText(sel)} in namespace ${ns}), so it has no effect on them. ${miss.hint}`,
            ...(miss.related !== undefined ? { related: [miss.related] } : {}),
          });
        }
        break;
      }
    }
  },
};
