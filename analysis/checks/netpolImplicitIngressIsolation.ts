/**
 * `netpol-implicit-ingress-isolation`: a policy with egress rules, no `ingress` key and no
 * `policyTypes` also isolates ingress (the API server defaults policyTypes to [Ingress, Egress]).
 * Loud when it is the only thing isolating a workload that receives traffic.
 */

import { about, tier } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { describe } from './support/evidence.js';
import { writerFor } from '../edits/writer.js';
import { isolating, selectedProducers } from './support/policies.js';
import { serviceSelector } from './support/serviceTargets.js';
import { matchSelector } from '../model/labels.js';
import { labelsOf } from './support/evidence.js';

export const netpolImplicitIngressIsolation: Check = {
  code: 'netpol-implicit-ingress-isolation',
  defaultSeverity: 'warning',
  summary: 'An egress policy without policyTypes also denies all inbound traffic to its pods.',
  doc: [
    'With egress rules and no `policyTypes`, Kubernetes sets `policyTypes: [Ingress, Egress]`: the policy isolates',
    'its pods for **ingress** too, and with no `ingress` rules it admits nothing. A warning when this policy is the',
    'only one isolating a workload that a Service sends traffic to; a hint otherwise (the pods are isolated anyway).',
    'An explicit `ingress: []` shows the intent to deny and is not reported.',
    '',
    '```yaml',
    'spec:',
    '  podSelector: {matchLabels: {app: api}}',
    '  egress: [...]        # no policyTypes: inbound traffic to app=api is now denied too',
    '```',
    '',
    '**Fix:** `policyTypes: [Egress]` if you meant egress only (preferred), or `[Ingress, Egress]` to make the',
    'current behaviour explicit.',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const np = o.networkPolicy;
      if (np === undefined || np.unknown || np.policyTypesExplicit || np.ingressKeySpan !== undefined) continue;
      if (np.egress === undefined || np.egress.length === 0 || np.egressKeySpan === undefined) continue;
      const pl = placed.placements[0];
      const ns = pl?.namespace;
      let victim: { producer: string; service: string } | undefined;
      if (ns !== undefined && pl?.floating !== true) {
        const { producers } = selectedProducers(ctx, o, ns);
        for (const p of producers) {
          const others = isolating(ctx, ns, p, 'Ingress').filter((q) => q.obj !== o);
          if (others.length > 0) continue;
          const svc = ctx.index.servicesIn(ns).find((s) => {
            const sel = serviceSelector(s);
            return sel !== undefined && matchSelector(sel, labelsOf(p)) === 'yes';
          });
          if (svc !== undefined) {
            victim = { producer: describe(p.obj, ns), service: describe(svc.obj) };
            break;
          }
        }
      }
      const w = writerFor(ctx, o.uri);
      const fixes = [
        { title: 'Set policyTypes to [Egress] (egress only)', isPreferred: true, value: ['Egress'] },
        {
          title: 'Set policyTypes to [Ingress, Egress] (keep denying ingress, explicitly)',
          isPreferred: false,
          value: ['Ingress', 'Egress'],
        },
      ].flatMap((f) => {
        const edit = np.egressKeySpan === undefined ? undefined : w.insertBefore(np.egressKeySpan, 'policyTypes', f.value);
        return edit === undefined ? [] : [{ title: f.title, isPreferred: f.isPreferred, edits: [edit] }];
      });
      const who = describe(o, ns);
      ctx.report({
        ...about(o, o.anchor),
        ...tier(victim !== undefined, 'hint'),
        message:
          victim !== undefined
            ? `With egress rules and no policyTypes, Kubernetes sets policyTypes to [Ingress, Egress]: ${who} also denies all inbound traffic to ${victim.producer}, which ${victim.service} sends traffic to. Add policyTypes: [Egress] if you meant egress only.`
            : `With egress rules and no policyTypes, Kubernetes sets policyTypes to [Ingress, Egress]: ${who} also isolates its pods for ingress. Say so with policyTypes.`,
        fixes,
      });
    }
  },
};
