/**
 * `ingress-backend-blocked`: NetworkPolicies isolate an Ingress backend's pods and no rule admits the
 * ingress controller on the pod port the Service forwards to, so every request times out (502/504).
 * Computed on the reachability engine: the verdict from the controller's pod class (a workload of
 * the manifests matching kubeReach.ingressControllers, else its stand-in) to each backend class on
 * that TCP port is the one `kube-reach reach/explain` gives.
 */

import { about, tier } from './support/findingFields.js';
import type { Peer } from '../reachability/engine.js';
import type { Check } from './support/check.js';
import { backendPort } from '../model/servicePorts.js';
import { describe, labelsOf, unitsComplete } from './support/evidence.js';
import { effectiveClass } from './support/ingressClasses.js';
import { serviceBackends } from './support/ingressBackends.js';
import type { Connectivity } from './ingressReachesBackend.js';
import { podPort } from './ingressReachesBackend.js';
import { writerFor } from '../edits/writer.js';
import {
  allowControllerDocument,
  connectivity,
  controllerOf,
  LOAD_BALANCER_CLASSES,
  mayIsolate,
  policyNames,
} from './ingressReachesBackend.js';
import {
  classesOf,
  classPeer,
  controllerClasses,
  engineForScope,
  OUTSIDE_SOURCE,
  trackVerdict,
  virtualClass,
} from './support/checkEngine.js';
import { freePolicyName, producersInScope, scopeLabel, scopeOf, scopeText } from './support/policies.js';
import { selectedBy, servicesNamed } from './support/serviceTargets.js';

const CONTROLLER_LIKE = /ingress|nginx|traefik|haproxy|contour|envoy|kong|gateway/;

export const ingressBackendBlocked: Check = {
  code: 'ingress-backend-blocked',
  defaultSeverity: 'warning',
  summary: "NetworkPolicies block the ingress controller from an Ingress backend's pods.",
  doc: [
    "An Ingress only works if the ingress controller's pods may connect to the backend pods on the port the",
    'Service forwards to. When NetworkPolicies isolate the backend pods for ingress and none of their rules admits',
    'the controller (its namespace and pod labels, from `kubeReach.ingressControllers`; ingress-nginx by default)',
    'on that TCP port, every request times out at the controller (502/504).',
    '',
    "The verdict is the reachability engine's, the one `kube-reach reach` and `kube-reach explain` give: the union",
    "of every policy selecting the backend pods, named ports resolved on each backend pod, and the controller's",
    'own egress policies when its namespace is in the workspace. The controller is a workload of the manifests',
    'when one matches the configured labels, else a stand-in pod. Verdicts the specification leaves undefined',
    '(ipBlocks overlapping `kubeReach.podCIDRs`, hostNetwork pods, templated selectors or ports) stay silent.',
    '',
    'With a class whose controller is not configured, Kube Reach warns only when no rule admits any source outside',
    'the backend namespace on that port. Cloud load-balancer classes with ipBlock rules are left alone (the source',
    'is the load balancer).',
    '',
    '**Fix:** one ingress rule with a **single** peer: `namespaceSelector` `kubernetes.io/metadata.name: <controller',
    'namespace>` **and** `podSelector` with the controller labels, on the pod port (the quick-fix adds such a policy).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const ing = placed.obj;
      if (ing.ingress === undefined || !unitsComplete(ctx, placed)) continue;
      const pl = placed.placements[0];
      const sc = scopeOf(pl);
      if (pl === undefined || sc === undefined) continue;
      const ns = sc.ns;
      const label = scopeLabel(sc);
      const controller = controllerOf(ctx, ing);
      const cls = effectiveClass(ing);
      const lbClass = cls.kind === 'named' && LOAD_BALANCER_CLASSES.has(cls.name);
      for (const ref of serviceBackends(ing)) {
        const name = ref.backend.serviceName;
        if (name === undefined || !name.known) continue;
        const svc = servicesNamed(ctx.index, pl, name.value)[0];
        const spec = svc?.obj.service;
        const sp = spec === undefined ? undefined : backendPort(spec.ports, ref.backend);
        if (svc === undefined || spec === undefined || sp === undefined) continue;
        const sel = selectedBy(ctx, svc);
        if (sel === undefined || sel.maybe || sel.producers.length === 0) continue;
        // Only a policy isolating the backends, or the controller's egress, can refuse: else no engine.
        if (!mayIsolate(ctx, sc, 'Ingress') && (controller === undefined || !mayIsolate(ctx, controller.namespace, 'Egress'))) continue;
        let who: string;
        if (controller !== undefined) {
          who = `the ingress controller (pods ${Object.entries(controller.podLabels)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')} in "${controller.namespace}")`;
        } else {
          if (producersInScope(ctx, sc).some((p) => [...labelsOf(p).known.values()].some((v) => CONTROLLER_LIKE.test(v)))) continue;
          who = `any source outside ${scopeText(sc)} (where the ingress controller runs)`;
        }
        // The verdicts read the backends' classes and the controller's, not every workload of the namespace.
        trackVerdict(
          ctx,
          [ns, controller?.namespace],
          controller === undefined ? undefined : { judged: sel.producers.map((w) => ({ placed: w, ns })), sources: [controller.podLabels] },
        );
        const engine = engineForScope(ctx, sc, [controller?.namespace], pl.unit, (e) =>
          sel.producers.some((w) => classesOf(e, w.obj, ns).length > 0),
        );
        if (engine === undefined) continue;
        // The controller's classes; with none configured, any pod outside the namespace or any address.
        let sources: Peer[];
        if (controller !== undefined) sources = controllerClasses(engine, controller.class).map(classPeer);
        else {
          const outside = virtualClass(engine, OUTSIDE_SOURCE, undefined);
          sources = [
            ...(outside === undefined ? [] : [classPeer(outside)]),
            ...engine.srcRanges.map((range): Peer => ({ kind: 'ip', range })),
          ];
        }
        if (sources.length === 0) continue;
        for (const w of sel.producers) {
          const judged: Array<{ port: number; c: Connectivity }> = [];
          for (const c of classesOf(engine, w.obj, ns)) {
            const k = engine.classes[c];
            const port = k === undefined ? undefined : podPort(spec, sp, k);
            if (port === undefined) continue;
            judged.push({ port, c: connectivity(ctx, engine, sources, c, port) });
          }
          const first = judged[0];
          if (first === undefined || judged.some((j) => j.c.verdict !== 'no')) continue;
          const { port, c: blocked } = first;
          if (
            lbClass &&
            blocked.policies.some((p) => (p.ingress ?? []).some((r) => (r.rule.peers ?? []).some((pe) => pe.ipBlock !== undefined)))
          )
            continue;
          const isolators = policyNames(blocked.policies);
          const labels: Array<[string, string]> = [...(w.obj.pod?.labels?.entries ?? [])]
            .filter((e) => e.value.known)
            .map((e) => [e.key, e.value.known ? e.value.value : '']);
          const fixes = [];
          if (controller !== undefined && blocked.side === 'ingress' && labels.length > 0) {
            const doc = allowControllerDocument(
              writerFor(ctx, ing.uri),
              freePolicyName(ctx, sc, `allow-ingress-to-${w.obj.name?.known === true ? w.obj.name.value : 'backend'}`),
              label,
              labels,
              controller,
              port,
            );
            fixes.push({
              title: `Add a NetworkPolicy admitting the ingress controller to ${describe(w.obj)} on TCP ${port}`,
              isPreferred: true,
              edits: doc,
            });
          }
          const route = `${describe(ing, label)} sends ${ref.route} to Service "${name.value}" → ${describe(w.obj)} on pod port ${port}`;
          const many = blocked.policies.length === 1 ? 's' : '';
          const message =
            blocked.side === 'ingress'
              ? `${route}, but NetworkPolicy ${isolators} isolate${many} those pods and no rule admits ${who} on TCP ${port}. The controller will time out (502/504).`
              : `${route}, but NetworkPolicy ${isolators} isolate${many} the egress of ${who} and no rule lets it connect to those pods on TCP ${port}. The controller will time out (502/504).`;
          ctx.report({
            ...about(ing, name.span, label),
            ...tier(true),
            message,
            related: blocked.policies.map((p) => ({
              uri: p.obj.uri,
              span: p.obj.anchor,
              message:
                blocked.side === 'ingress'
                  ? `${describe(p.obj, label)} isolates ${describe(w.obj)}`
                  : `${describe(p.obj, p.namespace)} isolates the ingress controller's egress`,
            })),
            fixes,
          });
        }
      }
    }
  },
};
