/**
 * What "Convert to Gateway API" reads of an Ingress before converting it (docs/dev/gateway-api.md
 * §8): whether it can be converted, its class, its hosts' names, and the shapes the conversion
 * passes around. Pure; the conversion is `ingressToGateway.ts`.
 */

import type { EditValue } from '../edits/writer.js';
import type { IngressBackend, IngressPath, KObject } from '../model/types.js';
import { boolAnnotation, NGINX } from './nginxAnnotations.js';

export type Obj = { [key: string]: EditValue };

export const GATEWAY_API_VERSION = 'gateway.networking.k8s.io/v1';

export interface Conversion {
  /** The Gateway (when written) first, then the HTTPRoutes (TLSRoutes for ssl-passthrough). */
  readonly objects: readonly Obj[];
  /** Whether `objects` starts with a Gateway the conversion wrote. */
  readonly gatewayWritten: boolean;
  /** The Gateway the routes attach to, `ns/name` or `name`. */
  readonly gateway: string;
  readonly routes: number;
  /** What the conversion could not map, one line each. */
  readonly notes: readonly string[];
}

/** ingress2gateway's name for a host: runs of other characters as `-`, `all-hosts` when empty. */
export function nameFromHost(host: string): string {
  if (host === '') return 'all-hosts';
  return host
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .replace(/-+$/, '');
}

/** Every value the conversion reads is literal (a templated Ingress is not converted). */
export function literal(o: KObject): boolean {
  const ing = o.ingress;
  if (ing === undefined || o.name?.known !== true) return false;
  if (ing.className !== undefined && !ing.className.known) return false;
  const backendKnown = (b: IngressBackend | undefined): boolean =>
    b === undefined ||
    b.resource ||
    ((b.serviceName?.known ?? false) &&
      (b.portNumber === undefined || b.portNumber.known) &&
      (b.portName === undefined || b.portName.known));
  if (!backendKnown(ing.defaultBackend)) return false;
  for (const r of ing.rules) {
    if (r.host !== undefined && !r.host.known) return false;
    for (const p of r.paths) if ((p.path !== undefined && !p.path.known) || !backendKnown(p.backend)) return false;
  }
  return ing.tls.every((t) => t.secretName === undefined || t.secretName.known);
}

export function ingressClass(o: KObject): string {
  const ing = o.ingress;
  if (ing?.className?.known === true && ing.className.value !== '') return ing.className.value;
  if (ing?.classAnnotation !== undefined) return ing.classAnnotation;
  return o.name?.known === true ? o.name.value : '';
}

export function isCanary(o: KObject): boolean {
  return boolAnnotation(o.annotations.get(`${NGINX}canary`)) === true;
}

export interface Group {
  readonly host: string;
  readonly paths: Array<{ readonly path: IngressPath; readonly ingress: KObject }>;
  readonly secrets: string[];
}

/** A path's match and whether a prefix rewrite was folded into it. */
export interface Match {
  readonly type: string;
  readonly value: string;
  readonly replacePrefix?: string;
  /** The Ingress path it was made from, where it differs from `value` (a regular expression). */
  readonly path?: string;
}

export interface Listeners {
  /** The parentRef every route of this host carries (name, namespace, sectionName). */
  readonly http: Obj;
  readonly https: Obj | undefined;
}
