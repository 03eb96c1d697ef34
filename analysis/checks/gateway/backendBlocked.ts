/**
 * `gateway-backend-blocked`: NetworkPolicies isolate the pods behind a route's backend Service and
 * no rule admits the data plane of the Gateway the route is attached to (kubeReach.gatewayControllers)
 * on the pod port the Service forwards to. Computed on the reachability engine, as
 * `ingress-backend-blocked` (docs/dev/gateway-api.md §7): the verdict is the one `kube-reach
 * reach/explain` gives from `{gateway:NS/NAME}`.
 */

import { about, tier } from '../support/findingFields.js';
import type { Check } from '../support/check.js';
import { writerFor } from '../../edits/writer.js';
import { describe, unitsComplete } from '../support/evidence.js';
import { allowControllerDocument, connectivity, mayIsolate, podPort, policyNames } from '../ingressReachesBackend.js';
import { classesOf, classPeer, engineForScope, trackVerdict } from '../support/checkEngine.js';
import { freePolicyName, scopeLabel, scopeOf } from '../support/policies.js';
import { selectedBy } from '../support/serviceTargets.js';
import { attachmentOf } from './attach.js';
import { serviceBackendRefs, servicesForRef } from './backends.js';
import { dataPlaneOf } from './resolve.js';

export const gatewayBackendBlocked: Check = {
  code: 'gateway-backend-blocked',
  defaultSeverity: 'warning',
  summary: "NetworkPolicies block a Gateway's data plane from a route backend's pods.",
  doc: [
    'A route only works if the data-plane pods of the Gateway it is attached to may connect to the backend pods on the',
    'port the Service forwards to. When NetworkPolicies isolate the backend pods for ingress and none of their rules',
    'admits the data plane (its namespace and pod labels, from `kubeReach.gatewayControllers`: by default pods labelled',
    "`gateway.networking.k8s.io/gateway-name: <gateway>` in the Gateway's namespace, Envoy Gateway's in",
    "`envoy-gateway-system`), or the data plane's own egress policies refuse, every request to that backend fails.",
    '',
    "The verdict is the reachability engine's, the one `kube-reach reach` and `kube-reach explain --from",
    "'{gateway:NS/NAME}'` give. Only routes attached to a Gateway of the workspace are judged; undefined verdicts",
    '(templated selectors, hostNetwork pods, ipBlocks over pod addresses) stay silent.',
    '',
    "**Fix:** one ingress rule with a **single** peer: `namespaceSelector` on the data plane's namespace **and**",
    '`podSelector` with its labels, on the pod port (the quick-fix adds such a policy).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const route = placed.obj;
      if (route.route === undefined || route.kind === 'UDPRoute' || !unitsComplete(ctx, placed)) continue;
      const pl = placed.placements[0];
      if (pl === undefined) continue;
      const gateways = route.route.parentRefs
        .map((ref) => attachmentOf(ctx, route, pl, ref))
        .flatMap((a) => (a.state === 'attached' ? [a.gateway] : []));
      if (gateways.length === 0) continue;
      for (const b of serviceBackendRefs(route)) {
        const want = b.ref.port?.known === true ? b.ref.port.value : undefined;
        if (want === undefined || (b.ref.weight?.known === true && b.ref.weight.value === 0)) continue;
        const svc = servicesForRef(ctx.index, b.ref, pl, b.name)[0];
        const spec = svc?.obj.service;
        const sp = spec?.ports.find((p) => p.port?.known === true && p.port.value === want && p.protocol === 'TCP');
        const svcPl = svc?.placements[0];
        const sc = scopeOf(svcPl);
        if (svc === undefined || spec === undefined || sp === undefined || sc === undefined || svcPl === undefined) continue;
        const sel = selectedBy(ctx, svc);
        if (sel === undefined || sel.maybe || sel.producers.length === 0) continue;
        for (const gw of gateways) {
          const dp = dataPlaneOf(ctx, gw);
          if (dp === undefined) continue;
          if (!mayIsolate(ctx, sc, 'Ingress') && !mayIsolate(ctx, dp.namespace, 'Egress')) continue;
          const gwNs = gw.placements[0]?.namespace;
          trackVerdict(ctx, [sc.ns, dp.namespace, gwNs], {
            judged: sel.producers.map((w) => ({ placed: w, ns: sc.ns })),
            sources: [dp.podLabels],
          });
          const engine = engineForScope(ctx, sc, [dp.namespace, gwNs], svcPl.unit, (e) =>
            sel.producers.some((w) => classesOf(e, w.obj, sc.ns).length > 0),
          );
          if (engine === undefined) continue;
          const sources = (engine.model.gatewayDataPlanes.get(dp.key) ?? []).map(classPeer);
          if (sources.length === 0) continue;
          const label = scopeLabel(sc);
          for (const w of sel.producers) {
            const judged = classesOf(engine, w.obj, sc.ns).flatMap((c) => {
              const k = engine.classes[c];
              const port = k === undefined ? undefined : podPort(spec, sp, k);
              return port === undefined ? [] : [{ port, c: connectivity(ctx, engine, sources, c, port) }];
            });
            const first = judged[0];
            if (first === undefined || judged.some((j) => j.c.verdict !== 'no')) continue;
            const { port, c: blocked } = first;
            const who = `the data plane of ${describe(gw.obj, gwNs)} (pods ${Object.entries(dp.podLabels)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')} in "${dp.namespace}")`;
            const many = blocked.policies.length === 1 ? 's' : '';
            const head = `${describe(route, pl.floating ? undefined : pl.namespace)} sends traffic to Service "${b.name}" → ${describe(w.obj)} on pod port ${port}`;
            const message =
              blocked.side === 'ingress'
                ? `${head}, but NetworkPolicy ${policyNames(blocked.policies)} isolate${many} those pods and no rule admits ${who} on TCP ${port}. Requests to this backend will fail.`
                : `${head}, but NetworkPolicy ${policyNames(blocked.policies)} isolate${many} the egress of ${who} and no rule lets it connect to those pods on TCP ${port}. Requests to this backend will fail.`;
            const labels: Array<[string, string]> = [...(w.obj.pod?.labels?.entries ?? [])]
              .filter((e) => e.value.known)
              .map((e) => [e.key, e.value.known ? e.value.value : '']);
            const fixes =
              blocked.side === 'ingress' && labels.length > 0
                ? [
                    {
                      title: `Add a NetworkPolicy admitting the Gateway's data plane to ${describe(w.obj)} on TCP ${port}`,
                      isPreferred: true,
                      edits: allowControllerDocument(
                        writerFor(ctx, route.uri),
                        freePolicyName(ctx, sc, `allow-gateway-to-${w.obj.name?.known === true ? w.obj.name.value : 'backend'}`),
                        label,
                        labels,
                        { class: '', namespace: dp.namespace, podLabels: dp.podLabels },
                        port,
                      ),
                    },
                  ]
                : [];
            ctx.report({
              ...about(route, b.ref.name?.span ?? b.ref.span, label),
              ...tier(true),
              message,
              related: blocked.policies.map((p) => ({
                uri: p.obj.uri,
                span: p.obj.anchor,
                message: `${describe(p.obj, p.namespace)} isolates ${blocked.side === 'ingress' ? describe(w.obj) : "the Gateway data plane's egress"}`,
              })),
              fixes,
            });
          }
        }
      }
    }
  },
};
