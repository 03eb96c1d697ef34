/**
 * `nginx.ingress.kubernetes.io/ssl-passthrough: "true"` as Gateway API (docs/dev/gateway-api.md §8):
 * ingress-nginx then hands the TLS stream of each host to its backend undecrypted, choosing by the
 * SNI name alone (layer 4: paths and every other annotation no longer apply). Gateway API says the
 * same with a `TLS` listener in `Passthrough` mode per host and a TLSRoute (v1, Standard since
 * Gateway API v1.5) whose hostnames are the host. A Gateway of the workspace that already has such
 * a listener for every host, admitting TLSRoutes from the Ingress's namespace, is used instead.
 */

import type { CheckContext } from '../checks/support/check.js';
import { acceptsNamespace, listenerAdmitsHostnames } from '../checks/gateway/resolve.js';
import type { GatewayListener } from '../model/gateway.js';
import { acceptsKind } from '../model/gateway.js';
import type { IngressBackend } from '../model/types.js';
import type { Conversion, Group, Obj } from './ingressFacts.js';
import { GATEWAY_API_VERSION, nameFromHost } from './ingressFacts.js';
import { isControllerAnnotation, NGINX } from './nginxAnnotations.js';

export interface PassthroughInput {
  readonly ctx: CheckContext;
  /** The Ingress's namespace (undefined: floating). */
  readonly ns: string | undefined;
  readonly name: string;
  readonly cls: string;
  readonly groups: readonly Group[];
  readonly annotations: ReadonlyMap<string, string>;
  readonly defaultBackend: boolean;
  readonly notes: string[];
  meta(name: string): Obj;
  backendRefs(backends: readonly IngressBackend[], where: string): Obj[];
  gatewayNameTaken(name: string): boolean;
}

/** A listener that passes TLS for `host` through to TLSRoutes of `routeNs`. */
function passes(ctx: CheckContext, l: GatewayListener, gatewayNs: string, routeNs: string, host: string): boolean {
  return (
    !l.unknown &&
    l.protocol === 'TLS' &&
    l.tlsMode === 'Passthrough' &&
    l.name?.known === true &&
    acceptsKind(l, 'TLSRoute') === 'yes' &&
    acceptsNamespace(ctx, l, gatewayNs, routeNs) === 'yes' &&
    listenerAdmitsHostnames(l, [{ known: true, value: host }]) === 'yes'
  );
}

/** A Gateway of the workspace with a passthrough listener for every host: its parentRef per host. */
function fittingGateway(p: PassthroughInput, hosts: readonly string[]): { label: string; parent: (host: string) => Obj } | undefined {
  const own = p.ns;
  if (own === undefined) return undefined;
  const namespaces = [own, ...p.ctx.index.namespaceNames().filter((n) => n !== own)];
  for (const ns of namespaces) {
    const gws = p.ctx.index
      .objectsIn(ns)
      .filter((g) => g.obj.gateway !== undefined && g.obj.name?.known === true && !g.obj.gateway.listenersUnknown)
      .sort((a, b) => (a.obj.name?.known === true && b.obj.name?.known === true ? a.obj.name.value.localeCompare(b.obj.name.value) : 0));
    for (const gw of gws) {
      const gwName = gw.obj.name?.known === true ? gw.obj.name.value : '';
      const pick = (h: string): GatewayListener | undefined => gw.obj.gateway?.listeners.find((l) => passes(p.ctx, l, ns, own, h));
      if (!hosts.every((h) => pick(h) !== undefined)) continue;
      const base: Obj = ns === own ? { name: gwName } : { name: gwName, namespace: ns };
      return {
        label: ns === own ? gwName : `${ns}/${gwName}`,
        parent: (h) => {
          const l = pick(h);
          return l?.name?.known === true ? { ...base, sectionName: l.name.value } : base;
        },
      };
    }
  }
  return undefined;
}

/** The backend ingress-nginx passes a host's stream to: the path `/`'s, else the host's first path's. */
function hostBackend(g: Group): IngressBackend | undefined {
  const root = g.paths.find(
    ({ path }) => path.path === undefined || (path.path.known && (path.path.value === '/' || path.path.value === '')),
  );
  return (root ?? g.paths[0])?.path.backend;
}

/** Undefined when no rule has a host (passthrough routes by SNI name alone). */
export function passthroughConversion(p: PassthroughInput): Conversion | undefined {
  for (const k of [...p.annotations.keys()].sort())
    if (k !== `${NGINX}ssl-passthrough` && isControllerAnnotation(k))
      p.notes.push(`${k}: ignored with ssl-passthrough (ingress-nginx passes the TLS stream on at layer 4)`);
  const groups = p.groups.filter((g) => {
    if (g.host !== '') return true;
    p.notes.push('rules without a host: TLS passthrough routes by the SNI name, so they are not converted');
    return false;
  });
  if (groups.length === 0) return undefined;
  if (p.defaultBackend) p.notes.push('defaultBackend: TLS passthrough routes by the SNI name alone; not converted');
  const secrets = [...new Set(groups.flatMap((g) => g.secrets))];
  if (secrets.length > 0) p.notes.push(`TLS Secret ${secrets.join(', ')}: not used; with passthrough the backend terminates TLS`);
  const hosts = groups.map((g) => g.host);
  const existing = fittingGateway(p, hosts);
  const objects: Obj[] = [];
  let gateway: string;
  let parent: (host: string) => Obj;
  if (existing !== undefined) {
    gateway = existing.label;
    parent = existing.parent;
  } else {
    const taken = p.ns !== undefined && p.gatewayNameTaken(p.cls);
    gateway = taken ? `${p.cls}-${p.name}` : p.cls;
    if (taken)
      p.notes.push(`Gateway ${p.cls} exists but has no passthrough listeners for these hosts: a new Gateway ${gateway} is written`);
    const listeners = hosts.map((h) => ({
      name: `${nameFromHost(h)}-tls-passthrough`,
      hostname: h,
      port: 443,
      protocol: 'TLS',
      tls: { mode: 'Passthrough' },
    }));
    objects.push({
      apiVersion: GATEWAY_API_VERSION,
      kind: 'Gateway',
      metadata: p.meta(gateway),
      spec: { gatewayClassName: p.cls, listeners },
    });
    const name = gateway;
    parent = (h) => ({ name, sectionName: `${nameFromHost(h)}-tls-passthrough` });
  }
  let routes = 0;
  for (const g of groups) {
    const backend = hostBackend(g);
    const distinct = new Set(
      g.paths.map(({ path }) => `${path.backend?.serviceName?.known === true ? path.backend.serviceName.value : ''}`),
    );
    if (distinct.size > 1)
      p.notes.push(`host ${g.host}: paths are not seen through TLS; every connection goes to the backend of path ${hostBackendPath(g)}`);
    const refs = p.backendRefs(backend === undefined ? [] : [backend], `host ${g.host}`);
    objects.push({
      apiVersion: GATEWAY_API_VERSION,
      kind: 'TLSRoute',
      metadata: p.meta(`${p.name}-${nameFromHost(g.host)}-tls-passthrough`),
      spec: { parentRefs: [parent(g.host)], hostnames: [g.host], rules: [refs.length > 0 ? { backendRefs: refs } : {}] },
    });
    routes++;
  }
  return { objects, gatewayWritten: existing === undefined, gateway, routes, notes: p.notes };
}

function hostBackendPath(g: Group): string {
  const b = hostBackend(g);
  const at = g.paths.find(({ path }) => path.backend === b);
  return at?.path.path?.known === true && at.path.path.value !== '' ? at.path.path.value : '/';
}
