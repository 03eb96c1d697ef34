/**
 * `gateway-backend-missing`: a route's backendRef names a Service that does not exist where it
 * points, so the Gateway sends that share of requests nowhere (HTTP 500 for HTTPRoute). The
 * absence rules are `ingress-backend-missing`'s (docs/dev/checks-spec.md §1; docs/dev/gateway-api.md §5).
 */

import type { Check } from '../support/check.js';
import { describe } from '../support/evidence.js';
import { reportMissingBackend } from '../support/backendMissing.js';
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
    "information naming the template when a Helm chart's template writes the Service under other values, or the",
    'alternative when an alternative (a test baseline rendered with other values) defines the same route and that Service',
    '(also in the namespace a backendRef names).',
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
      const consequence = o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute' ? 'the Gateway will answer 500' : 'its connections will fail';
      for (const b of serviceBackendRefs(o)) {
        const nameV = b.ref.name;
        if (nameV === undefined || !nameV.known) continue;
        for (const pl of placed.placements) {
          const at = targetPlacement(b.ref, pl);
          if (at === undefined) continue;
          const who = describe(o, pl.floating ? undefined : pl.namespace);
          const reported = reportMissingBackend(ctx, {
            obj: o,
            nameV,
            at,
            ...(at !== pl ? { own: pl } : {}),
            exists: () => servicesForRef(ctx.index, b.ref, pl, b.name).length > 0,
            first: (ns) =>
              `${who} sends rules[${b.rule}] traffic to Service "${b.name}", which does not exist in ${ns === undefined ? 'its namespace' : `"${ns}"`}: ${consequence}.`,
            elsewhere:
              b.ref.namespace === undefined
                ? (other) =>
                    `Service "${b.name}" exists in namespace "${other}": set the backendRef's namespace (and allow it with a ReferenceGrant there).`
                : undefined,
            neighbours: false,
            fixTitle: (service) => `Change the backendRef to Service "${service}"`,
          });
          if (reported) break;
        }
      }
    }
  },
};
