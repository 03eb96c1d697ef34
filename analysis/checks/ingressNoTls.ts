/**
 * `ingress-no-tls` (opt-in): an Ingress host served over plain HTTP only, evaluated across all
 * Ingresses of the same class and unit (ingress-nginx merges TLS per host).
 */

import { about } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { describe } from './support/evidence.js';
import { classKey, effectiveClass } from './support/ingressClasses.js';
import { CLOUD_TLS_ANNOTATIONS, hostCovered, isLocalHost, isSolverIngress } from './support/ingressTls.js';

export const ingressNoTls: Check = {
  code: 'ingress-no-tls',
  defaultSeverity: 'information',
  enabledByDefault: false,
  summary: 'An Ingress host is served over plain HTTP only (opt-in policy check).',
  doc: [
    'Off by default; enable it with a severity (`kubeReach.diagnostics.severity: {"ingress-no-tls": "warning"}`).',
    'Reports each Ingress host that no `tls` entry of any Ingress of the same class and unit covers. Never for',
    'cloud-managed certificates (ALB certificate ARN, GKE managed certificates, pre-shared certs), cert-manager',
    'HTTP-01 solver Ingresses, or hosts ending in `.local`, `.internal` or `.localhost`.',
    '',
    '**Fix:** add a `tls` entry for the host (with cert-manager, an issuer annotation creates the Secret).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const ing = o.ingress;
      if (ing === undefined || isSolverIngress(o.labels?.entries) || CLOUD_TLS_ANNOTATIONS.some((a) => o.annotations.has(a))) continue;
      if ((o.annotations.get('alb.ingress.kubernetes.io/listen-ports') ?? '').includes('HTTPS')) continue;
      const cls = classKey(effectiveClass(o));
      const units = new Set(placed.placements.map((p) => p.unit));
      const peers = [...new Set([...units].flatMap((u) => ctx.index.objectsOfUnit(u)))].filter(
        (p) => p.obj.ingress !== undefined && classKey(effectiveClass(p.obj)) === cls,
      );
      const tlsHosts = peers.flatMap((p) => p.obj.ingress?.tls.flatMap((t) => t.hosts) ?? []);
      for (const r of ing.rules) {
        const h = r.host;
        if (h === undefined || !h.known || h.value === '' || isLocalHost(h.value) || hostCovered(h.value, tlsHosts)) continue;
        ctx.report({
          ...about(o, h.span),
          confidence: 'definite',
          severity: 'information',
          message: `${describe(o, placed.placements[0]?.namespace)} serves "${h.value}" over plain HTTP only: no tls entry of an Ingress of this class covers it.`,
        });
      }
    }
  },
};
