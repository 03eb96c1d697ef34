/**
 * TLS host matching for Ingresses: wildcard `*.example.com` covers exactly one label; the TLS
 * Secret a near-miss name most likely meant (Ingress and Gateway listener certificates).
 */

import type { Placed } from '../../units/placement.js';
import { isNearMissName } from './similarity.js';

export function hostCovered(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase();
  return patterns.some((p) => {
    const q = p.toLowerCase();
    if (q === h) return true;
    if (q.startsWith('*.')) {
      const rest = q.slice(1);
      return h.endsWith(rest) && !h.slice(0, h.length - rest.length).includes('.') && h.length > rest.length;
    }
    return false;
  });
}

/** Hosts that never get certificates from a public CA, so plain HTTP is expected. */
export function isLocalHost(host: string): boolean {
  return /\.(local|internal|localhost)$/.test(host.toLowerCase()) || host === 'localhost';
}

/** Annotations of cloud load balancers that terminate TLS without a `tls:` block. */
export const CLOUD_TLS_ANNOTATIONS: readonly string[] = [
  'alb.ingress.kubernetes.io/certificate-arn',
  'networking.gke.io/managed-certificates',
  'ingress.gcp.kubernetes.io/pre-shared-cert',
];

/** ingress-shim annotations: cert-manager creates the TLS Secret. */
export function hasIngressShim(annotations: ReadonlyMap<string, string>): boolean {
  if (annotations.has('cert-manager.io/issuer') || annotations.has('cert-manager.io/cluster-issuer')) return true;
  if (annotations.get('kubernetes.io/tls-acme') === 'true') return true;
  return [...annotations.keys()].some((k) => k.startsWith('certmanager.k8s.io/'));
}

export function isSolverIngress(labels: ReadonlyArray<{ key: string }> | undefined): boolean {
  return (labels ?? []).some((e) => e.key === 'acme.cert-manager.io/http01-solver');
}

/**
 * The producer of a TLS Secret whose name is a near miss of `name`, for a did-you-mean: never a
 * Secret whose known data keys lack `tls.crt` (a CA bundle named `casecret` is no answer for
 * `mysecret`); TLS material (a `kubernetes.io/tls` Secret, a Certificate…) before other Secrets.
 */
export function nearTlsProducer(
  name: string,
  inScope: readonly Placed[],
): { readonly near: string; readonly producer: Placed } | undefined {
  let fallback: { readonly near: string; readonly producer: Placed } | undefined;
  for (const p of inScope) {
    if (p.obj.lacksTlsCertificate === true) continue;
    const near = (p.obj.tlsSecretNames ?? []).find((n) => n !== name && isNearMissName(name, n));
    if (near === undefined) continue;
    if (p.obj.tlsMaterial === true) return { near, producer: p };
    fallback ??= { near, producer: p };
  }
  return fallback;
}
