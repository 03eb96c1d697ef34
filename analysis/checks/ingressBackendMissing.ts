/**
 * `ingress-backend-missing`: an Ingress routes to a Service that does not exist in its namespace,
 * so the controller answers 503. Ingresses can only route to Services of their own namespace.
 */

import { about } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { writerFor } from '../edits/writer.js';
import {
  absenceTier,
  absenceGate,
  describe,
  NO_EVIDENCE_HINT,
  operatorProducedName,
  otherValuesNote,
  unseenPodMakers,
} from './support/evidence.js';
import { namedUnderOtherValues } from './support/otherValues.js';
import { serviceBackends } from './support/ingressBackends.js';
import { servicesNamed } from './support/serviceTargets.js';
import { serviceNamesAt } from './support/nameIndex.js';

export const ingressBackendMissing: Check = {
  code: 'ingress-backend-missing',
  defaultSeverity: 'warning',
  summary: 'An Ingress routes to a Service that does not exist in its namespace.',
  doc: [
    "An Ingress backend names a Service **in the Ingress's own namespace**. When no such Service exists, the ingress",
    'controller has nowhere to send the request and answers 503.',
    '',
    'Kube Reach warns when there is evidence about the missing Service (a Service with a similar name, or the same',
    "name in another namespace, unless the Ingress has no namespace of its own and may be applied there), reports information otherwise (listing the unit's other Services, which are",
    'neighbours, not evidence), and stays silent when the',
    'namespace is not owned by the workspace, the name is templated, or an operator may create the Service',
    "(its name starts with a custom resource's name). ALB `use-annotation` actions are not Services. In a rendered Helm",
    "chart, a Service one of the chart's templates writes under other values (behind an `if` these values leave off)",
    'makes the finding information naming that template: the chart is written for every configuration.',
    '',
    '```yaml',
    'backend:',
    '  service:',
    '    name: api-svc      # the Service is called "api"',
    '```',
    '',
    '**Fix:** rename the backend to the intended Service (quick-fix with the nearest name).',
  ].join('\n'),
  compatibleSuppressions: { kubeLinter: ['dangling-ingress'], kubeScore: ['ingress-targets-service'] },
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      if (o.ingress === undefined) continue;
      for (const ref of serviceBackends(o)) {
        const nameV = ref.backend.serviceName;
        if (nameV === undefined || !nameV.known) continue;
        const name = nameV.value;
        for (const pl of placed.placements) {
          const gate = absenceGate(ctx, o, pl);
          if (gate.silent) continue;
          if (servicesNamed(ctx.index, pl, name).length > 0) continue;
          const ns = gate.namespace;
          if (operatorProducedName(ctx, ns ?? pl, name)) continue;
          // Indexed once per scope (checks/support/nameIndex.ts): not every Service measured for every backend.
          const local = serviceNamesAt(ctx, ns, pl.unit).names;
          const near = local.near(name, 3);
          // A floating object (no namespace of its own) lands wherever it is applied, so the name bound
          // in another namespace is no evidence: it may land there too.
          const elsewhere =
            ns === undefined
              ? []
              : [...new Set(ctx.index.servicesNamedAnywhere(name).flatMap((p) => p.placements.map((x) => x.namespace)))]
                  .filter((other): other is string => other !== undefined && other !== ns)
                  .sort();
          const sameUnit = serviceNamesAt(ctx, undefined, pl.unit);
          const who = describe(o, ns);
          const first = `${who} routes ${ref.route} to Service "${name}", which does not exist in ${ns === undefined ? 'its namespace' : `"${ns}"`}: the controller will answer 503.`;
          const suggestion = near[0] ?? (sameUnit.count > 0 ? local.nearest(name, 5)[0] : undefined);
          // Evidence is about the missing Service itself: a near-miss of its name, or the same name
          // in another namespace. The unit's other Services are neighbours, not evidence: listed,
          // but the finding stays information.
          // A custom resource of an unknown operator here may make the Service: no evidence then.
          const unseen = unseenPodMakers(ctx, ns ?? pl).length > 0;
          let detail: string | undefined;
          if (!unseen && near.length > 0) detail = `Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?`;
          else if (!unseen && elsewhere.length > 0)
            detail = `Service "${name}" exists in namespace "${elsewhere[0] ?? ''}", but an Ingress can only route to Services in its own namespace.`;
          const neighbours =
            detail === undefined && sameUnit.count > 0 && suggestion !== undefined
              ? `Services in this unit: ${local
                  .nearest(name, 5)
                  .map((n) => `"${n}"`)
                  .join(', ')}.`
              : undefined;
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
          const target = suggestion === undefined ? undefined : sameUnit.first.get(suggestion);
          ctx.report({
            ...about(o, nameV.span, ns),
            ...absenceTier(detail !== undefined, target, o.uri),
            message: detail !== undefined ? `${first} ${detail}` : `${first} ${neighbours ?? NO_EVIDENCE_HINT}`,
            ...(suggestion !== undefined && (near.length > 0 || sameUnit.count > 0)
              ? {
                  fixes: [
                    {
                      title: `Change the backend to Service "${suggestion}"`,
                      isPreferred: near.length > 0,
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
