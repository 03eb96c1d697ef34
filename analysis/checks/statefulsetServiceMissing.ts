/**
 * `statefulset-service-missing`: a StatefulSet's `serviceName` does not name a headless Service
 * that selects its pods, so the pods get no per-pod DNS names. `serviceName` is optional
 * (kubernetes#130233): only a literal, set name in a complete scope is checked.
 */

import { about, tier } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { writerFor } from '../edits/writer.js';
import type { EditWriter } from '../edits/writer.js';
import type { KObject } from '../model/types.js';
import type { TextEdit } from '../types.js';
import { absenceGate, describe, labelsOf, operatorProducedName, unseenPodMakers } from './support/evidence.js';
import { assertedService } from './support/asserted.js';
import { serviceElsewhere } from './support/alternativeTwin.js';
import { matchSelector } from '../model/labels.js';
import { serviceSelector } from './support/serviceTargets.js';
import { scopeLabel, scopeOf, scopeText, servicesInScope } from './support/policies.js';
import { isNearMissName } from './support/similarity.js';

export const statefulsetServiceMissing: Check = {
  code: 'statefulset-service-missing',
  defaultSeverity: 'warning',
  summary: "A StatefulSet's serviceName is not a headless Service that selects its pods.",
  doc: [
    "A StatefulSet's `spec.serviceName` names the headless Service that gives its pods stable DNS names",
    '(`db-0.db-headless.data.svc`). The field is optional; when it is set and no Service of that name exists, or it',
    'is not headless, or it does not select the pods, the per-pod names do not resolve (information). A warning',
    'needs evidence: a headless Service selecting these pods under a similar name. In a rendered Helm chart whose',
    'template writes that Service under other values, the information names the template (and offers no new Service);',
    'so it names an alternative (a test baseline rendered with other values) that defines the same StatefulSet and that Service.',
    '',
    '```yaml',
    'kind: StatefulSet',
    'spec:',
    '  serviceName: db-hl   # the headless Service is called db-headless',
    '```',
    '',
    '**Fix:** rename `serviceName` to the headless Service, or create one with `clusterIP: None` (both quick-fixes).',
  ].join('\n'),
  compatibleSuppressions: { kubeScore: ['statefulset-has-servicename'] },
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const sn = o.pod?.serviceName;
      if (sn === undefined || !sn.known || sn.value === '') continue;
      const pl = placed.placements[0];
      // A namespace, or a floating unit: namespace-less manifests land together wherever applied.
      const sc = scopeOf(pl);
      if (pl === undefined || sc === undefined) continue;
      // A floating unit whose one workload is this StatefulSet still owns its Services (required below).
      if (absenceGate(ctx, o, pl, true).silent) continue;
      const label = scopeLabel(sc);
      const where = scopeText(sc);
      const services = servicesInScope(ctx, sc);
      if (!services.some((s) => s.placements.some((x) => x.unit === pl.unit))) continue;
      if (operatorProducedName(ctx, label ?? pl, sn.value) || assertedService(ctx, o, sn.value)) continue;
      const selects = (s: (typeof services)[number]): boolean => {
        const sel = serviceSelector(s);
        return sel !== undefined && matchSelector(sel, labelsOf(placed)) === 'yes';
      };
      const named = services.filter((s) => s.obj.name?.known === true && s.obj.name.value === sn.value);
      const who = describe(o, label);
      const podName = `${o.name?.known === true ? o.name.value : 'pod'}-0.${sn.value}.${label ?? '<namespace>'}.svc`;
      if (named.length > 0) {
        if (named.some((s) => s.obj.service?.headless === true && selects(s))) continue;
        if (named.some((s) => serviceSelector(s)?.unknown === true)) continue;
        const headless = named.some((s) => s.obj.service?.headless === true);
        ctx.report({
          ...about(o, sn.span),
          ...tier(false),
          message: headless
            ? `${who} names serviceName "${sn.value}", but that Service does not select its pods; pods get no DNS names like ${podName}.`
            : `${who} names serviceName "${sn.value}", which is not headless (clusterIP: None); pods get no per-pod DNS records.`,
        });
        continue;
      }
      // A Service template of the chart the render left out writes it under other values, or an alternative
      // that defines this StatefulSet too does (support/alternativeTwin.ts): information naming it.
      const note = serviceElsewhere(ctx, o, pl, label, sn);
      if (note !== undefined) {
        ctx.report({
          ...about(o, sn.span),
          ...tier(false),
          message: `${who} names serviceName "${sn.value}", which is not a Service in ${where}${note.alternative ? '' : ' with these values'}; pods get no DNS names like ${podName}. ${note.hint}`,
          related: [note.related],
        });
        continue;
      }
      const candidate = services.find(
        (s) => s.obj.service?.headless === true && selects(s) && s.obj.name?.known === true && isNearMissName(sn.value, s.obj.name.value),
      );
      if (candidate !== undefined && candidate.obj.name?.known === true && unseenPodMakers(ctx, label ?? pl).length === 0) {
        const cname = candidate.obj.name.value;
        ctx.report({
          ...about(o, sn.span),
          ...tier(true),
          message: `${who} names serviceName "${sn.value}", which is not a Service in ${where}; pods get no DNS names like ${podName}. Headless Service "${cname}" selects these pods. Did you mean it?`,
          related: [{ uri: candidate.obj.uri, span: candidate.obj.anchor, message: describe(candidate.obj, label) }],
          fixes: [{ title: `Set serviceName to "${cname}"`, isPreferred: true, edits: [writerFor(ctx, o.uri).value(sn.span, cname)] }],
        });
      } else {
        ctx.report({
          ...about(o, sn.span),
          ...tier(false),
          message: `${who} names serviceName "${sn.value}", which is not a Service in ${where}; pods get no DNS names like ${podName}. Create a headless Service (clusterIP: None) selecting them, or remove serviceName.`,
          fixes: headlessServiceFix(writerFor(ctx, o.uri), o, sn.value, label),
        });
      }
    }
  },
};

/** A headless Service for the StatefulSet, appended to its file: its template labels, its container ports (no namespace for a floating unit's). */
function headlessServiceFix(
  w: EditWriter,
  o: KObject,
  name: string,
  ns: string | undefined,
): Array<{ title: string; isPreferred: boolean; edits: TextEdit[] }> {
  // A StatefulSet whose own name a tool writes (a template, a ClusterLoader2 object template) would
  // have a Service written beside it renamed too: no fix to offer.
  if (o.name?.known !== true) return [];
  const labels = (o.pod?.labels?.entries ?? []).filter((e) => e.value.known);
  if (labels.length === 0 || o.pod?.labels?.unknown === true) return [];
  const ports = (o.pod?.ports ?? []).filter((p) => p.protocol === 'TCP' || p.protocol === 'UDP' || p.protocol === 'SCTP');
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...(ns !== undefined ? { namespace: ns } : {}) },
    spec: {
      clusterIP: 'None',
      selector: Object.fromEntries(labels.map((e) => [e.key, e.value.known ? e.value.value : ''])),
      ...(ports.length > 0
        ? {
            ports: ports.map((p) => ({
              port: p.containerPort,
              ...(p.name !== undefined ? { name: p.name } : {}),
              ...(p.protocol !== 'TCP' ? { protocol: p.protocol } : {}),
            })),
          }
        : {}),
    },
  };
  return [{ title: `Create headless Service "${name}" for ${describe(o)}`, isPreferred: true, edits: w.addObject(service, name) }];
}
