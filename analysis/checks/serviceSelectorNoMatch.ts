/**
 * `service-selector-no-match`: a Service's selector matches no pod template in its namespace, so
 * the Service has no endpoints and every connection to it fails. Behind the firewall: silent when
 * the namespace is not owned, an operator may make the pods, or values are templated; a warning
 * only with a plausible intended target.
 */

import { about, tier } from './support/findingFields.js';
import type { Selector } from '../model/types.js';
import type { Check } from './support/check.js';
import { selectorFixes } from './support/selectorFixes.js';
import { describe, selectorMiss, selectorText } from './support/evidence.js';

export const serviceSelectorNoMatch: Check = {
  code: 'service-selector-no-match',
  defaultSeverity: 'warning',
  summary: 'A Service selects no pods: it gets no endpoints and connections to it fail.',
  doc: [
    'A Service sends traffic to the pods whose **pod template labels** contain every `key: value` of its `spec.selector`,',
    "in the Service's own namespace. When no workload in the workspace matches, the Service has no endpoints and",
    'clients get "connection refused" or time out.',
    '',
    'Kube Reach warns only with evidence of a mistake: a workload whose labels differ by a near-miss value, labels',
    "that sit on the workload's `metadata.labels` instead of its pod template, a workload of the same name, or a",
    'match in another namespace. Without evidence it reports information, and it stays silent when the namespace',
    'is not owned by the workspace, a value is templated, an operator may create the pods, or the selector picks the',
    "cluster's DNS pods (`k8s-app: kube-dns` in kube-system, per `kubeReach.dns`), which every cluster runs.",
    "A Service with a controller `ownerReference` (an operator's golden output or a cluster dump) gets information: the",
    'operator that wrote it makes its pods, for the components its resource enables.',
    "In a rendered Helm chart, pods one of the chart's templates writes under other values (a DaemonSet behind an `if`",
    'these values leave off, whose labels are the same literal, the same template text or the same `include`) make the',
    'finding information naming that template: the chart is written for every configuration. So does an alternative',
    "(a chart's test baseline rendered with other values, docs/dev/units.md) that defines the same Service and such pods,",
    'where this one has no workload of that kind and name.',
    '',
    '```yaml',
    'kind: Service',
    'spec:',
    '  selector:',
    "    app: web-frontend   # the Deployment's pods have app: web",
    '```',
    '',
    "**Fix:** set the selector value to the workload's, add the label to its pod template, or move the Service to the pods' namespace (quick-fixes).",
  ].join('\n'),
  compatibleSuppressions: { kubeLinter: ['dangling-service'], kubeScore: ['service-targets-pod'] },
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const svc = o.service;
      if (svc === undefined || svc.type === 'ExternalName') continue;
      const map = svc.selector;
      if (map === undefined || map.entries.length === 0 || map.unknown || map.entries.some((e) => !e.value.known)) continue;
      const sel: Selector = { span: map.span, matchLabels: map, matchExpressions: [], unknown: false };
      for (const pl of placed.placements) {
        const miss = selectorMiss(ctx, o, pl, sel);
        if (miss === undefined) continue;
        const ev = miss.evidence;
        const who = describe(o, miss.namespace);
        // A Service its operator wrote (a controller ownerReference: a golden output, a cluster dump):
        // that operator makes the pods it selects, for the components its resource enables.
        if (ev !== undefined && svc.ownedBy === undefined) {
          ctx.report({
            ...about(o, ev.fix?.entry.value.span ?? svc.selectorKeySpan ?? map.span, miss.namespace),
            ...tier(true),
            message: `${who} selects no pods: no pod template has ${selectorText(sel)}. ${ev.detail}`,
            related: [ev.related],
            data: { evidence: ev.kind },
            fixes: selectorFixes(ctx, o, sel, ev, 'selector'),
          });
        } else {
          ctx.report({
            ...about(o, svc.selectorKeySpan ?? map.span, miss.namespace),
            ...tier(false),
            message: `${who} selects no pods defined in this workspace (${selectorText(sel)}). ${svc.ownedBy !== undefined ? `Its controller is ${svc.ownedBy.kind} "${svc.ownedBy.name}" (ownerReferences): the operator that wrote it makes the pods it selects.` : miss.hint}`,
            ...(miss.related !== undefined ? { related: [miss.related] } : {}),
          });
        }
        break;
      }
    }
  },
};
