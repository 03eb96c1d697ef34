/**
 * `service-no-endpoints`: a Service without a selector (or with `selector: {}`, which means "no
 * selector", not "all pods") and no Endpoints or EndpointSlice for it in the workspace.
 */

import { about } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { absenceGate, describe, operatorProducedName } from './support/evidence.js';

export const serviceNoEndpoints: Check = {
  code: 'service-no-endpoints',
  defaultSeverity: 'information',
  summary: 'A Service without a selector has no Endpoints or EndpointSlice in the workspace.',
  doc: [
    'A Service without `selector` gets no endpoints from Kubernetes: something else must provide them (an',
    'EndpointSlice labelled `kubernetes.io/service-name: <name>`, an Endpoints object of the same name, or a',
    'controller). `selector: {}` is the same as no selector: it does **not** select all pods, a common',
    'misconception (information). A Service with no selector at all is usually deliberate (hint).',
    '',
    'Silent for ExternalName Services, Kustomize patches, unowned namespaces, and names an operator may manage.',
    '',
    '```yaml',
    'spec:',
    '  selector: {}   # no endpoints: this does not mean "every pod"',
    '```',
    '',
    '**Fix:** add labels to the selector, or provide an EndpointSlice labelled `kubernetes.io/service-name`.',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const svc = o.service;
      if (svc === undefined || svc.type === 'ExternalName' || o.name?.known !== true) continue;
      const name = o.name.value;
      const explicitEmpty = svc.selector !== undefined && svc.selector.entries.length === 0 && !svc.selector.unknown;
      if (svc.selector !== undefined && !explicitEmpty) continue;
      const pl = placed.placements[0];
      if (pl === undefined) continue;
      const gate = absenceGate(ctx, o, pl);
      if (gate.silent || !gate.owned) continue;
      // Endpoints and EndpointSlices link by name / by the kubernetes.io/service-name label.
      const scope = pl.namespace !== undefined && !pl.floating ? ctx.index.objectsIn(pl.namespace) : ctx.index.objectsOfUnit(pl.unit);
      if (scope.some((p) => p.obj.endpointSliceFor === name)) continue;
      if (operatorProducedName(ctx, gate.namespace ?? pl, name)) continue;
      const who = describe(o, gate.namespace);
      ctx.report({
        ...about(o, explicitEmpty ? (svc.selectorKeySpan ?? o.anchor) : o.anchor),
        confidence: 'no-evidence',
        severity: explicitEmpty ? 'information' : 'hint',
        message: explicitEmpty
          ? `${who} has selector: {}, which means "no selector": Kubernetes adds no pods as endpoints (it does not select all pods). Add labels, or provide an EndpointSlice labelled kubernetes.io/service-name=${name}.`
          : `${who} has no selector and no EndpointSlice labelled kubernetes.io/service-name=${name} in the workspace; its endpoints must come from elsewhere.`,
      });
    }
  },
};
