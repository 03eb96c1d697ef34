/**
 * `ingress-acme-solver-blocked`: cert-manager answers HTTP-01 challenges from temporary solver pods
 * (`acme.cert-manager.io/http01-solver: "true"`) in the Ingress's namespace, reached through the
 * ingress controller on TCP 8089. When a policy isolates those pods and none admits the controller,
 * certificates never issue or renew: an outage 60–90 days later.
 */

import { matchSelector, plainLabels } from '../model/labels.js';
import type { Check } from './check.js';
import { describe, unitsComplete } from './evidence.js';
import { hasIngressShim } from './ingressTls.js';
import { admitsController, allowControllerDocument, controllerOf, ingressIsolation } from './ingressReachesBackend.js';

const SOLVER_LABELS: ReadonlyArray<[string, string]> = [['acme.cert-manager.io/http01-solver', 'true']];
const SOLVER_PORT = 8089;

export const ingressAcmeSolverBlocked: Check = {
  code: 'ingress-acme-solver-blocked',
  defaultSeverity: 'warning',
  summary: 'NetworkPolicies block cert-manager\'s HTTP-01 solver: certificates will not issue or renew.',
  doc: [
    'For an HTTP-01 challenge cert-manager starts solver pods labelled `acme.cert-manager.io/http01-solver: "true"` in',
    'the Ingress\'s namespace and routes `/.well-known/acme-challenge/…` to them through the ingress controller, on',
    'TCP 8089. A policy that isolates those pods (a namespace-wide `podSelector: {}` deny is enough) and admits no',
    'controller there makes issuance and renewal fail silently — the outage comes when the certificate expires.',
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
      if (pl === undefined || pl.namespace === undefined || pl.floating) continue;
      const ns = pl.namespace;
      const controller = controllerOf(ctx, ing);
      if (controller === undefined) continue;
      const solver = plainLabels(new Map(SOLVER_LABELS));
      const iso = ingressIsolation(ctx, ns, (policy) => matchSelector(policy.networkPolicy?.podSelector ?? { span: { start: 0, end: 0 }, matchLabels: undefined, matchExpressions: [], unknown: false }, solver));
      if (iso.uncertain || iso.policies.length === 0) continue;
      if (admitsController(ctx, iso, controller, SOLVER_PORT, undefined) !== 'no') continue;
      const issuerName = ing.annotations.get('cert-manager.io/cluster-issuer') ?? ing.annotations.get('cert-manager.io/issuer') ?? ing.annotations.get('certmanager.k8s.io/cluster-issuer') ?? ing.annotations.get('certmanager.k8s.io/issuer');
      const issuers = [...ctx.index.objectsIn(ns), ...ctx.index.objectsOfUnit(pl.unit)].map((p) => p.obj).filter((o) => o.acmeHttp01 !== undefined && o.name?.known === true && o.name.value === issuerName);
      const http01 = issuers.some((o) => o.acmeHttp01 === true);
      if (issuers.length > 0 && !http01) continue;
      const hosts = ing.ingress.rules.map((r) => (r.host?.known === true ? r.host.value : '')).filter((h) => h !== '');
      const doc = allowControllerDocument(ctx.text(ing.uri), 'allow-acme-http01-solver', ns, SOLVER_LABELS, controller, SOLVER_PORT);
      ctx.report({
        uri: ing.uri,
        span: ing.anchor,
        object: ing,
        namespace: ns,
        confidence: http01 ? 'evidence' : 'no-evidence',
        severity: http01 ? 'warning' : 'information',
        message: `Certificates for ${hosts.length > 0 ? hosts.join(', ') : describe(ing, ns)} will not issue or renew over HTTP-01: NetworkPolicy ${iso.policies.map((p) => `"${p.obj.name?.known === true ? p.obj.name.value : '?'}"`).join(', ')} isolates cert-manager's solver pods in "${ns}" and no rule admits the ingress controller on TCP ${SOLVER_PORT}.`,
        related: iso.policies.map((p) => ({ uri: p.obj.uri, span: p.obj.anchor, message: `${describe(p.obj, ns)} isolates the solver pods` })),
        fixes: [{ title: `Add a NetworkPolicy admitting the ingress controller to the HTTP-01 solver pods on TCP ${SOLVER_PORT}`, isPreferred: true, edits: [{ uri: ing.uri, span: { start: doc.at, end: doc.at }, newText: doc.newText }] }],
      });
    }
  },
};
