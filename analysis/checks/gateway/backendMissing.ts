/**
 * `gateway-backend-missing`: a route's backendRef names a Service that does not exist where it
 * points, so the Gateway sends that share of requests nowhere (HTTP 500 for HTTPRoute). The
 * absence rules are `ingress-backend-missing`'s (docs/dev/checks-spec.md §1; docs/dev/gateway-api.md §5).
 */

import { about } from '../support/findingFields.js';
import type { Check } from '../support/check.js';
import { writerFor } from '../../edits/writer.js';
import {
  absenceTier,
  absenceGate,
  describe,
  NO_EVIDENCE_HINT,
  operatorProducedName,
  otherValuesNote,
  unseenPodMakers,
} from '../support/evidence.js';
import { namedUnderOtherValues } from '../support/otherValues.js';
import { serviceNamesAt } from '../support/nameIndex.js';
import { serviceBackendRefs, servicesForRef, targetPlacement } from './backends.js';

export const gatewayBackendMissing: Check = {
  code: 'gateway-backend-missing',
  defaultSeverity: 'warning',
  summary: 'A Gateway API route sends traffic to a Service that does not exist.',
  doc: [
    'A `backendRef` of an HTTPRoute, GRPCRoute, TLSRoute, TCPRoute or UDPRoute names a Service (the default kind) in the',
    "route's namespace, or in `namespace` when set. When no such Service exists, the Gateway has nowhere to send that",
    "backend's share of the traffic: an HTTPRoute answers it with HTTP 500, the other routes drop the connection.",
    '',
    'The absence rules are those of `ingress-backend-missing`: a warning with evidence about the missing Service (a',
    'Service with a similar name, or the same name in another namespace where the route has one of its own),',
    'information without it in a namespace the',
    'workspace owns, silence where the namespace is not owned, the name is templated, or an operator may create it;',
    "information naming the template when a Helm chart's template writes the Service under other values.",
    '',
    '```yaml',
    'rules:',
    '  - backendRefs:',
    '      - name: store-svc     # the Service is called "store"',
    '        port: 8080',
    '```',
    '',
    '**Fix:** rename the backendRef to the intended Service (quick-fix with the nearest name).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      if (o.route === undefined) continue;
      for (const b of serviceBackendRefs(o)) {
        const nameV = b.ref.name;
        if (nameV === undefined || !nameV.known) continue;
        for (const pl of placed.placements) {
          const at = targetPlacement(b.ref, pl);
          if (at === undefined) continue;
          const gate = absenceGate(ctx, o, at);
          if (gate.silent) continue;
          if (servicesForRef(ctx.index, b.ref, pl, b.name).length > 0) continue;
          const ns = gate.namespace;
          if (operatorProducedName(ctx, ns ?? at, b.name)) continue;
          // Indexed once per scope (checks/support/nameIndex.ts): not every Service measured for every backend.
          const local = serviceNamesAt(ctx, ns, pl.unit);
          const near = local.names.near(b.name, 3);
          // A floating object (no namespace of its own) lands wherever it is applied, so the name bound
          // in another namespace is no evidence: it may land there too.
          const elsewhere =
            ns === undefined
              ? []
              : [...new Set(ctx.index.servicesNamedAnywhere(b.name).flatMap((p) => p.placements.map((x) => x.namespace)))]
                  .filter((other): other is string => other !== undefined && other !== ns)
                  .sort();
          const unseen = unseenPodMakers(ctx, ns ?? at).length > 0;
          const who = describe(o, pl.floating ? undefined : pl.namespace);
          const where = ns === undefined ? 'its namespace' : `"${ns}"`;
          const consequence =
            o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute' ? 'the Gateway will answer 500' : 'its connections will fail';
          const first = `${who} sends rules[${b.rule}] traffic to Service "${b.name}", which does not exist in ${where}: ${consequence}.`;
          let detail: string | undefined;
          if (!unseen && near.length > 0) detail = `Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?`;
          else if (!unseen && elsewhere.length > 0 && b.ref.namespace === undefined)
            detail = `Service "${b.name}" exists in namespace "${elsewhere[0] ?? ''}": set the backendRef's namespace (and allow it with a ReferenceGrant there).`;
          // A Service template of the chart the render left out writes it under other values: information naming it.
          const other = namedUnderOtherValues(ctx, o, 'Service', nameV);
          if ((detail === undefined || other !== undefined) && !gate.owned) continue;
          if (other !== undefined) {
            const note = otherValuesNote(other, o.uri);
            ctx.report({
              ...about(o, nameV.span, ns),
              ...absenceTier(false, undefined, o.uri),
              message: `${first} ${note.hint}`,
              related: [note.related],
            });
            break;
          }
          const suggestion = near[0];
          const target = suggestion === undefined ? undefined : local.first.get(suggestion);
          ctx.report({
            ...about(o, nameV.span, ns),
            ...absenceTier(detail !== undefined, target, o.uri),
            message: `${first} ${detail ?? NO_EVIDENCE_HINT}`,
            ...(suggestion !== undefined && detail !== undefined
              ? {
                  fixes: [
                    {
                      title: `Change the backendRef to Service "${suggestion}"`,
                      isPreferred: true,
                      edits: [writerFor(ctx, o.uri).value(nameV.span, suggestion)],
                    },
                  ],
                }
              : {}),
          });
          break;
        }
      }
    }
  },
};
