/**
 * `ingress-rule-conflict`: two Ingresses of the same unit and class route the same host and path.
 * Controllers resolve this differently (ingress-nginx serves the older one; its webhook may reject
 * the newer), so at least one route is not what its author expects.
 */

import { about } from './support/findingFields.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { Check } from './support/check.js';
import { describe } from './support/evidence.js';
import { classKey, effectiveClass } from './support/ingressClasses.js';
import { isSolverIngress } from './support/ingressTls.js';

interface Route {
  readonly placed: Placed;
  readonly key: string;
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  readonly backend: string;
  readonly span: { start: number; end: number };
  /** Traefik entry points the route listens on; undefined when the Ingress does not restrict them. */
  readonly entryPoints: ReadonlySet<string> | undefined;
}

const TRAEFIK_ENTRYPOINTS = 'traefik.ingress.kubernetes.io/router.entrypoints';

/**
 * Traefik serves an Ingress's routers on the entry points its annotation names (comma-separated),
 * else on every entry point; two routes on disjoint entry points (an HTTP `web` route that redirects
 * and an HTTPS `websecure` one) are different listeners, not a conflict.
 */
function entryPointsOf(annotations: ReadonlyMap<string, string>): ReadonlySet<string> | undefined {
  const raw = annotations.get(TRAEFIK_ENTRYPOINTS);
  if (raw === undefined) return undefined;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return names.length === 0 ? undefined : new Set(names);
}

function sameListener(a: Route, b: Route): boolean {
  if (a.entryPoints === undefined || b.entryPoints === undefined) return true;
  for (const e of a.entryPoints) if (b.entryPoints.has(e)) return true;
  return false;
}

function identity(p: Placed): string {
  const o = p.obj;
  return `${o.group}/${o.kind}/${p.placements[0]?.namespace ?? ''}/${o.name?.known === true ? o.name.value : '?'}`;
}

export const ingressRuleConflict: Check = {
  code: 'ingress-rule-conflict',
  defaultSeverity: 'warning',
  summary: 'Two Ingresses of the same class route the same host and path.',
  doc: [
    'Two different Ingresses of the same unit (Kustomize build, Helm chart, else folder) and the same class that',
    'route the same host (case-insensitive) and path (Prefix paths ignore a trailing `/`) with the same pathType',
    'conflict: ingress-nginx serves the older Ingress and its admission webhook may reject the newer one; other',
    'controllers differ. Different backends are a warning; the same backend is redundant (information). Canary',
    'Ingresses, different classes (internal/external controllers), different units (per-cluster folders),',
    'variants of one object, cert-manager solver Ingresses and Traefik routes on disjoint entry points',
    '(`traefik.ingress.kubernetes.io/router.entrypoints`: an HTTP `web` route beside an HTTPS `websecure` one) are',
    'never reported.',
    '',
    '**Fix:** merge the routes into one Ingress, or change one path or host.',
  ].join('\n'),
  run(ctx) {
    const routes = new Map<string, Route[]>();
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const ing = o.ingress;
      if (ing === undefined || isSolverIngress(o.labels?.entries)) continue;
      if (o.annotations.get('nginx.ingress.kubernetes.io/canary') === 'true') continue;
      const cls = effectiveClass(o);
      if (cls.kind === 'unknown') continue;
      const entryPoints = entryPointsOf(o.annotations);
      for (const pl of placed.placements) {
        for (const r of ing.rules) {
          if (r.host !== undefined && !r.host.known) continue;
          const host = r.host?.known === true ? r.host.value.toLowerCase() : '*';
          for (const p of r.paths) {
            if (p.path === undefined || !p.path.known || p.backend === undefined) continue;
            const pathType = p.pathType ?? 'ImplementationSpecific';
            const path = pathType === 'Prefix' && p.path.value.length > 1 ? p.path.value.replace(/\/+$/, '') : p.path.value;
            const b = p.backend;
            const backend = `${b.serviceName?.known === true ? b.serviceName.value : '?'}:${b.portNumber?.known === true ? b.portNumber.value : b.portName?.known === true ? b.portName.value : '?'}`;
            const key = `${pl.unit}|${pl.namespace ?? ''}|${classKey(cls)}|${host}|${pathType}|${path}`;
            const list = routes.get(key) ?? [];
            list.push({ placed, key, host, path, pathType, backend, span: p.path.span, entryPoints });
            routes.set(key, list);
          }
        }
      }
    }
    for (const list of routes.values()) {
      for (let i = 1; i < list.length; i++) {
        const later = list[i];
        if (later === undefined) continue;
        const earlier = list.slice(0, i).find((r) => identity(r.placed) !== identity(later.placed) && sameListener(r, later));
        if (earlier === undefined) continue;
        const same = earlier.backend === later.backend;
        const a = describe(later.placed.obj, later.placed.placements[0]?.namespace);
        const b = describe(earlier.placed.obj, earlier.placed.placements[0]?.namespace);
        const where = `${later.host === '*' ? '(any host)' : later.host} ${later.path} (${later.pathType})`;
        ctx.report({
          ...about(later.placed.obj, later.span),
          confidence: 'evidence',
          severity: same ? 'information' : 'warning',
          message: same
            ? `${a} and ${b} both route ${where} to the same backend ${later.backend}: one of the routes is redundant.`
            : `${a} and ${b} both route ${where}, to ${later.backend} and ${earlier.backend}. ingress-nginx serves the older Ingress (its admission webhook may reject the newer one); other controllers differ.`,
          related: [{ uri: earlier.placed.obj.uri, span: earlier.span, message: `${b} routes it to ${earlier.backend}` }],
        });
      }
    }
  },
};
