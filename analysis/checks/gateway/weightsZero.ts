/**
 * `gateway-backend-weights-zero`: every backendRef of a route rule has weight 0, so the rule
 * forwards nothing (but on STUNner, which reads no weight). docs/dev/gateway-api.md §5.
 */

import { about, tier } from '../support/findingFields.js';
import type { Check } from '../support/check.js';
import { describe } from '../support/evidence.js';
import { onlyOnAnyPortGateways } from './anyPort.js';

export const gatewayBackendWeightsZero: Check = {
  code: 'gateway-backend-weights-zero',
  defaultSeverity: 'warning',
  summary: 'Every backendRef of a route rule has weight 0: the rule forwards nothing.',
  doc: [
    "A backendRef's `weight` is its share of the rule's traffic (weight / sum of weights; 1 when unset). A weight of 0",
    'sends it nothing; when every backendRef of a rule has weight 0 the rule matches requests but forwards none: an',
    'HTTPRoute answers them with HTTP 500, the other routes drop them. Often left over from a canary that was switched',
    'off on both sides.',
    '',
    '```yaml',
    'backendRefs:',
    '  - {name: store-v1, port: 8080, weight: 0}',
    '  - {name: store-v2, port: 8080, weight: 0}',
    '```',
    '',
    'STUNner reads no weight (its operator\'s backendRef has no such field: "backend weight is not supported"): a UDPRoute',
    'whose parentRefs name STUNner Gateways only forwards to every backend and gets no finding.',
    '',
    '**Fix:** give the backend that should serve the rule a positive weight.',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const route = o.route;
      if (route === undefined) continue;
      const pl = placed.placements[0];
      // STUNner has no weights (l7mp/stunner-gateway-operator api/v1 UDPRoute: "backend weight is not supported").
      let weightless: boolean | undefined;
      const onStunner = (): boolean => (weightless ??= pl !== undefined && onlyOnAnyPortGateways(ctx, o, pl));
      route.rules.forEach((r, i) => {
        if (r.backendRefsUnknown || r.backendRefs.length === 0) return;
        if (!r.backendRefs.every((b) => b.weight?.known === true && b.weight.value === 0)) return;
        const first = r.backendRefs[0]?.weight;
        if (first === undefined || onStunner()) return;
        const consequence =
          o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute' ? 'the Gateway will answer 500' : 'its connections will be dropped';
        ctx.report({
          ...about(o, first.span),
          ...tier(true),
          message: `${describe(o, pl === undefined || pl.floating ? undefined : pl.namespace)}: every backendRef of rules[${i}] has weight 0, so the rule forwards nothing: ${consequence} for the requests it matches.`,
        });
      });
    }
  },
};
