/**
 * `netpol-selects-nothing`: a NetworkPolicy's `spec.podSelector` matches no pod in its namespace,
 * so the policy has no effect at all. An empty selector (`{}`) selects every pod and never fires.
 */

import { about, tier } from './support/findingFields.js';
import { selectorIsEmpty } from '../model/values.js';
import type { Check } from './support/check.js';
import { selectorFixes } from './support/selectorFixes.js';
import { describe, selectorMiss, selectorText } from './support/evidence.js';

export const netpolSelectsNothing: Check = {
  code: 'netpol-selects-nothing',
  defaultSeverity: 'warning',
  summary: 'A NetworkPolicy selects no pods, so it has no effect.',
  doc: [
    'A NetworkPolicy applies to the pods of **its own namespace** whose labels match `spec.podSelector`. When no',
    'workload matches, the policy isolates nothing and allows nothing: the pods you meant to protect accept all',
    'traffic (or keep whatever other policies say).',
    '',
    '`podSelector: {}` selects every pod of the namespace and is never reported. Kube Reach warns only with evidence',
    '(a near-miss label value, labels on the wrong level, a match in another namespace by a workload of the same unit or',
    'a folder near it: a demo far away in a repository of independent demos is none); otherwise it reports',
    'information in namespaces the workspace owns and stays silent elsewhere (a policies-only repository). Where',
    "pods may be made at run time (a Role there lets its subjects create pods, as a spawner such as JupyterHub's hub",
    'needs), the policy may be meant for them: information at most. So in a rendered Helm chart whose templates write',
    'such pods under other values (a workload behind an `if` these values leave off, with the same labels or the same',
    '`include` that writes them): information naming that template; and where an alternative (a test baseline rendered',
    'with other values) defines the same policy and such pods that this one lacks: information naming that alternative.',
    '',
    '```yaml',
    'kind: NetworkPolicy',
    'spec:',
    '  podSelector:',
    '    matchLabels:',
    '      app: web-frontend   # the pods have app: web',
    '```',
    '',
    "**Fix:** set the label value to the workload's, or move the policy to the pods' namespace (quick-fixes).",
  ].join('\n'),
  compatibleSuppressions: { kubeLinter: ['dangling-networkpolicy'], kubeScore: ['networkpolicy-targets-pod'] },
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const np = o.networkPolicy;
      const sel = np?.podSelector;
      if (np === undefined || sel === undefined || sel.unknown || selectorIsEmpty(sel)) continue;
      for (const pl of placed.placements) {
        const miss = selectorMiss(ctx, o, pl, sel);
        if (miss === undefined) continue;
        const ev = miss.evidence;
        const who = describe(o, miss.namespace);
        const anchor = ev?.fix?.entry.value.span ?? sel.matchLabels?.span ?? np.podSelectorSpan ?? o.anchor;
        if (ev !== undefined) {
          ctx.report({
            ...about(o, anchor, miss.namespace),
            ...tier(true),
            message: `${who} selects no pods (${selectorText(sel)}), so it has no effect. ${ev.detail}`,
            related: [ev.related],
            data: { evidence: ev.kind },
            fixes: selectorFixes(ctx, o, sel, ev, 'podSelector'),
          });
        } else {
          ctx.report({
            ...about(o, anchor, miss.namespace),
            ...tier(false),
            message: `${who} selects no pods defined in this workspace (${selectorText(sel)}), so it has no effect on them. ${miss.hint}`,
            ...(miss.related !== undefined ? { related: [miss.related] } : {}),
          });
        }
        break;
      }
    }
  },
};
