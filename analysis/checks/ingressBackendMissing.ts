/**
 * `ingress-backend-missing`: an Ingress routes to a Service that does not exist in its namespace,
 * so the controller answers 503. Ingresses can only route to Services of their own namespace.
 */

import type { Check } from './support/check.js';
import { describe } from './support/evidence.js';
import { reportMissingBackend } from './support/backendMissing.js';
import { serviceBackends } from './support/ingressBackends.js';
import { servicesNamed } from './support/serviceTargets.js';

export const ingressBackendMissing: Check = {
  code: 'ingress-backend-missing',
  defaultSeverity: 'warning',
  summary: 'An Ingress routes to a Service that does not exist in its namespace.',
  doc: [
    "An Ingress backend names a Service **in the Ingress's own namespace**. When no such Service exists, the ingress",
    'controller has nowhere to send the request and answers 503.',
    '',
    'Kube Reach warns when there is evidence about the missing Service (a Service with a similar name, or the same',
    'name bound to another namespace, unless the Ingress has no namespace of its own and may be applied there; a Service without a',
    "namespace lands wherever it is applied and is no such evidence), reports information otherwise (listing the unit's other Services, which are",
    'neighbours, not evidence), and stays silent when the',
    'namespace is not owned by the workspace, the name is templated, or an operator may create the Service',
    "(its name starts with a custom resource's name). ALB `use-annotation` actions are not Services. In a rendered Helm",
    "chart, a Service one of the chart's templates writes under other values (behind an `if` these values leave off)",
    'makes the finding information naming that template: the chart is written for every configuration. So does an',
    "alternative (a chart's test baseline rendered with other values) that defines the same Ingress and that Service.",
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
          const reported = reportMissingBackend(ctx, {
            obj: o,
            nameV,
            at: pl,
            exists: () => servicesNamed(ctx.index, pl, name).length > 0,
            first: (ns) =>
              `${describe(o, ns)} routes ${ref.route} to Service "${name}", which does not exist in ${ns === undefined ? 'its namespace' : `"${ns}"`}: the controller will answer 503.`,
            elsewhere: (other) =>
              `Service "${name}" exists in namespace "${other}", but an Ingress can only route to Services in its own namespace.`,
            neighbours: true,
            fixTitle: (service) => `Change the backend to Service "${service}"`,
          });
          if (reported) break;
        }
      }
    }
  },
};
