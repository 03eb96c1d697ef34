/**
 * The Service backends of an Ingress: every rule path's backend plus the default backend, minus
 * pseudo-backends that controllers handle themselves (ALB `use-annotation` actions).
 */

import type { IngressBackend, KObject } from '../../model/types.js';

export interface BackendRef {
  readonly backend: IngressBackend;
  /** `host/path` for messages, or "the default backend". */
  readonly route: string;
}

export function serviceBackends(o: KObject): BackendRef[] {
  const ing = o.ingress;
  if (ing === undefined) return [];
  const out: BackendRef[] = [];
  const isPseudo = (b: IngressBackend): boolean => {
    if (b.portName?.known === true && b.portName.value === 'use-annotation') return true;
    const name = b.serviceName?.known === true ? b.serviceName.value : undefined;
    if (name === undefined) return false;
    return (
      o.annotations.has(`alb.ingress.kubernetes.io/actions.${name}`) || o.annotations.has(`alb.ingress.kubernetes.io/conditions.${name}`)
    );
  };
  for (const r of ing.rules) {
    const host = r.host?.known === true ? r.host.value : '*';
    for (const p of r.paths) {
      if (p.backend === undefined || p.backend.resource || isPseudo(p.backend)) continue;
      const path = p.path?.known === true ? p.path.value : '/';
      out.push({ backend: p.backend, route: `${host}${path.startsWith('/') ? '' : '/'}${path}` });
    }
  }
  if (ing.defaultBackend !== undefined && !ing.defaultBackend.resource && !isPseudo(ing.defaultBackend)) {
    out.push({ backend: ing.defaultBackend, route: 'the default backend' });
  }
  return out;
}
