/**
 * `ingress-acme-solver-blocked`: cert-manager answers HTTP-01 challenges from temporary solver pods
 * (`acme.cert-manager.io/http01-solver: "true"`) in the Ingress's namespace, reached through the
 * ingress controller on TCP 8089. When a policy isolates those pods and none admits the controller,
 * certificates never issue or renew: an outage 60–90 days later. The solver is a virtual pod class of
 * the reachability engine in every namespace with a policy (docs/dev/checks-spec.md C6: "model the solver as an
 * implicit pod class and reuse the engine"), judged like any other pod.
 */

import { about, tier } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { describe, unitsComplete } from './support/evidence.js';
import { hasIngressShim } from './support/ingressTls.js';
import { freePolicyName, scopeLabel, scopeOf, scopeText } from './support/policies.js';
import { writerFor } from '../edits/writer.js';
import { allowControllerDocument, connectivity, controllerOf, mayIsolate, policyNames } from './ingressReachesBackend.js';
import {
  ACME_SOLVER,
  ACME_SOLVER_LABELS,
  ACME_SOLVER_PORT,
  classPeer,
  controllerClasses,
  engineForScope,
  isolatingPolicies,
  trackVerdict,
  virtualClass,
} from './support/checkEngine.js';

export const ingressAcmeSolverBlocked: Check = {
  code: 'ingress-acme-solver-blocked',
  defaultSeverity: 'warning',
  summary: "NetworkPolicies block cert-manager's HTTP-01 solver: certificates will not issue or renew.",
  doc: [
    'For an HTTP-01 challenge cert-manager starts solver pods labelled `acme.cert-manager.io/http01-solver: "true"` in',
    "the Ingress's namespace and routes `/.well-known/acme-challenge/…` to them through the ingress controller, on",
    'TCP 8089. A policy that isolates those pods (a namespace-wide `podSelector: {}` deny is enough) and admits no',
    'controller there makes issuance and renewal fail silently — the outage comes when the certificate expires.',
    '',
    "The verdict is the reachability engine's: the solver is a pod of the Ingress's namespace with that label and",
    "port, judged by the union of the policies selecting it (and the controller's own egress policies when its",
    'namespace is in the workspace), exactly as any workload; undefined verdicts stay silent.',
    '',
    'Reported for Ingresses with cert-manager ingress-shim annotations: a warning when HTTP-01 is known (an Issuer or',
    'ClusterIssuer in the workspace with an `http01` solver), information when the issuer is not in the workspace.',
    '',
    '**Fix:** admit the ingress controller to the solver pods on TCP 8089 (the quick-fix adds such a policy).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const ing = placed.obj;
      if (ing.ingress === undefined || !hasIngressShim(ing.annotations) || !unitsComplete(ctx, placed)) continue;
      const pl = placed.placements[0];
      const sc = scopeOf(pl);
      if (pl === undefined || sc === undefined) continue;
      const ns = sc.ns;
      const label = scopeLabel(sc);
      const controller = controllerOf(ctx, ing);
      if (controller === undefined || !mayIsolate(ctx, sc, 'Ingress')) continue;
      // From the controller to the solver stand-in: no workload of the namespace is an end.
      trackVerdict(ctx, [ns, controller.namespace], { judged: [], sources: [controller.podLabels] });
      const engine = engineForScope(ctx, sc, [controller.namespace], pl.unit, (e) => virtualClass(e, ACME_SOLVER, ns) !== undefined);
      const solver = engine === undefined ? undefined : virtualClass(engine, ACME_SOLVER, ns);
      if (engine === undefined || solver === undefined || isolatingPolicies(engine, solver, 'ingress').length === 0) continue;
      const blocked = connectivity(ctx, engine, controllerClasses(engine, controller.class).map(classPeer), solver, ACME_SOLVER_PORT);
      if (blocked.verdict !== 'no') continue;
      const issuerName =
        ing.annotations.get('cert-manager.io/cluster-issuer') ??
        ing.annotations.get('cert-manager.io/issuer') ??
        ing.annotations.get('certmanager.k8s.io/cluster-issuer') ??
        ing.annotations.get('certmanager.k8s.io/issuer');
      const issuers = [...(label !== undefined ? ctx.index.objectsIn(label) : []), ...ctx.index.objectsOfUnit(pl.unit)]
        .map((p) => p.obj)
        .filter((o) => o.acmeHttp01 !== undefined && o.name?.known === true && o.name.value === issuerName);
      const http01 = issuers.some((o) => o.acmeHttp01 === true);
      if (issuers.length > 0 && !http01) continue;
      const hosts = ing.ingress.rules.map((r) => (r.host?.known === true ? r.host.value : '')).filter((h) => h !== '');
      const doc = allowControllerDocument(
        writerFor(ctx, ing.uri),
        freePolicyName(ctx, sc, 'allow-acme-http01-solver'),
        label,
        ACME_SOLVER_LABELS,
        controller,
        ACME_SOLVER_PORT,
      );
      const what = `Certificates for ${hosts.length > 0 ? hosts.join(', ') : describe(ing, label)} will not issue or renew over HTTP-01`;
      const names = policyNames(blocked.policies);
      ctx.report({
        ...about(ing, ing.anchor, label),
        ...tier(http01),
        message:
          blocked.side === 'ingress'
            ? `${what}: NetworkPolicy ${names} isolates cert-manager's solver pods in ${scopeText(sc)} and no rule admits the ingress controller on TCP ${ACME_SOLVER_PORT}.`
            : `${what}: NetworkPolicy ${names} isolates the ingress controller's egress in "${controller.namespace}" and no rule lets it reach cert-manager's solver pods in ${scopeText(sc)} on TCP ${ACME_SOLVER_PORT}.`,
        related: blocked.policies.map((p) => ({
          uri: p.obj.uri,
          span: p.obj.anchor,
          message:
            blocked.side === 'ingress'
              ? `${describe(p.obj, label)} isolates the solver pods`
              : `${describe(p.obj, p.namespace)} isolates the ingress controller's egress`,
        })),
        fixes:
          blocked.side === 'ingress'
            ? [
                {
                  title: `Add a NetworkPolicy admitting the ingress controller to the HTTP-01 solver pods on TCP ${ACME_SOLVER_PORT}`,
                  isPreferred: true,
                  edits: doc,
                },
              ]
            : [],
      });
    }
  },
};
