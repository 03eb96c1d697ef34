/**
 * `ingress-backend-blocked`: NetworkPolicies isolate an Ingress backend's pods and no rule admits the
 * ingress controller on the pod port the Service forwards to, so every request times out (502/504).
 * Rule-level: the controller of the class (kubeReach.ingressControllers) is matched against the
 * union of the backend pods' ingress rules, per pod port.
 */

import { matchSelector } from '../model/labels.js';
import type { Check } from './check.js';
import { describe, labelsOf, unitsComplete } from './evidence.js';
import { effectiveClass } from './ingressClasses.js';
import { serviceBackends } from './ingressBackends.js';
import { admitsController, admitsOutsideSources, allowControllerDocument, controllerOf, ingressIsolation, LOAD_BALANCER_CLASSES } from './ingressReachesBackend.js';
import { findPort, selectedBy, servicesNamed } from './serviceTargets.js';

const CONTROLLER_LIKE = /ingress|nginx|traefik|haproxy|contour|envoy|kong|gateway/;

export const ingressBackendBlocked: Check = {
  code: 'ingress-backend-blocked',
  defaultSeverity: 'warning',
  summary: 'NetworkPolicies block the ingress controller from an Ingress backend\'s pods.',
  doc: [
    'An Ingress only works if the ingress controller\'s pods may connect to the backend pods on the port the',
    'Service forwards to. When NetworkPolicies isolate the backend pods for ingress and none of their rules admits',
    'the controller (its namespace and pod labels, from `kubeReach.ingressControllers`; ingress-nginx by default)',
    'on that TCP port, every request times out at the controller (502/504).',
    '',
    'With a class whose controller is not configured, Kube Reach warns only when no rule admits any source outside',
    'the backend namespace on that port. Cloud load-balancer classes with ipBlock rules are left alone (the source',
    'is the load balancer), and so are policies whose selection or peers are templated.',
    '',
    '**Fix:** one ingress rule with a **single** peer: `namespaceSelector` `kubernetes.io/metadata.name: <controller',
    'namespace>` **and** `podSelector` with the controller labels, on the pod port (the quick-fix adds such a policy).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const ing = placed.obj;
      if (ing.ingress === undefined || !unitsComplete(ctx, placed)) continue;
      const pl = placed.placements[0];
      if (pl === undefined || pl.namespace === undefined || pl.floating) continue;
      const ns = pl.namespace;
      const controller = controllerOf(ctx, ing);
      const cls = effectiveClass(ing);
      for (const ref of serviceBackends(ing)) {
        const name = ref.backend.serviceName;
        if (name === undefined || !name.known) continue;
        const svc = servicesNamed(ctx.index, pl, name.value)[0];
        const sp = svc?.obj.service?.ports.find((p) => (ref.backend.portNumber?.known === true ? p.port?.known === true && p.port.value === ref.backend.portNumber.value : ref.backend.portName?.known === true && p.name?.known === true && p.name.value === ref.backend.portName.value));
        if (svc === undefined || sp === undefined) continue;
        const sel = selectedBy(ctx, svc);
        if (sel === undefined || sel.maybe) continue;
        for (const w of sel.producers) {
          const cp = findPort(w.obj.pod?.ports ?? [], sp);
          const tp = sp.targetPort ?? sp.port;
          const port = cp?.containerPort ?? (tp?.known === true && typeof tp.value === 'number' ? tp.value : undefined);
          if (port === undefined) continue;
          const iso = ingressIsolation(ctx, ns, (policy) => matchSelector(policy.networkPolicy?.podSelector ?? { span: { start: 0, end: 0 }, matchLabels: undefined, matchExpressions: [], unknown: false }, labelsOf(w)));
          if (iso.uncertain || iso.policies.length === 0) continue;
          const lbClass = cls.kind === 'named' && LOAD_BALANCER_CLASSES.has(cls.name);
          if (lbClass && iso.rules.some(({ rule }) => (rule.peers ?? []).some((p) => p.ipBlock !== undefined))) continue;
          let blocked: boolean;
          let who: string;
          if (controller !== undefined) {
            blocked = admitsController(ctx, iso, controller, port, cp?.name) === 'no';
            who = `the ingress controller (pods ${Object.entries(controller.podLabels).map(([k, v]) => `${k}=${v}`).join(', ')} in "${controller.namespace}")`;
          } else {
            const controllerHere = ctx.index.producersIn(ns).some((p) => [...labelsOf(p).known.values()].some((v) => CONTROLLER_LIKE.test(v)));
            blocked = !controllerHere && !admitsOutsideSources(iso, port, cp?.name);
            who = `any source outside "${ns}" (where the ingress controller runs)`;
          }
          if (!blocked) continue;
          const isolators = iso.policies.map((p) => `"${p.obj.name?.known === true ? p.obj.name.value : '?'}"`).join(', ');
          const labels: Array<[string, string]> = [...(w.obj.pod?.labels?.entries ?? [])].filter((e) => e.value.known).map((e) => [e.key, e.value.known ? e.value.value : '']);
          const fixes = [];
          if (controller !== undefined && labels.length > 0) {
            const doc = allowControllerDocument(ctx.text(ing.uri), `allow-ingress-to-${w.obj.name?.known === true ? w.obj.name.value : 'backend'}`, ns, labels, controller, port);
            fixes.push({ title: `Add a NetworkPolicy admitting the ingress controller to ${describe(w.obj)} on TCP ${port}`, isPreferred: true, edits: [{ uri: ing.uri, span: { start: doc.at, end: doc.at }, newText: doc.newText }] });
          }
          ctx.report({
            uri: ing.uri,
            span: name.span,
            object: ing,
            namespace: ns,
            confidence: 'evidence',
            severity: 'warning',
            message: `${describe(ing, ns)} sends ${ref.route} to Service "${name.value}" → ${describe(w.obj)} on pod port ${port}, but NetworkPolicy ${isolators} isolate${iso.policies.length === 1 ? 's' : ''} those pods and no rule admits ${who} on TCP ${port}. The controller will time out (502/504).`,
            related: iso.policies.map((p) => ({ uri: p.obj.uri, span: p.obj.anchor, message: `${describe(p.obj, ns)} isolates ${describe(w.obj)}` })),
            fixes,
          });
        }
      }
    }
  },
};
