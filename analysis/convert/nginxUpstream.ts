/**
 * What ingress-nginx's annotations say about the connection to the upstream, where Gateway API has a
 * standard object or field for it (docs/dev/gateway-api.md §8), as ingress2gateway converts them:
 *
 * - `proxy-connect-timeout`, `proxy-send-timeout`, `proxy-read-timeout` (unitless seconds, each a
 *   limit on one TCP operation) become an HTTPRoute rule's `timeouts.request`, the whole request's
 *   limit: ten times the largest, ingress2gateway's best-effort translation (its common emitter's
 *   `tcpTimeoutMultiplier`); a value that is not a whole number of seconds above 0 is skipped.
 * - `backend-protocol: HTTPS` (or `GRPCS`) with `proxy-ssl-verify: "on"`, `proxy-ssl-secret`,
 *   `proxy-ssl-name` and `proxy-ssl-server-name: "on"` becomes a BackendTLSPolicy per backend Service
 *   (`<service>-backend-tls`): `validation.hostname` the proxy-ssl-name, `caCertificateRefs` a
 *   ConfigMap of the Secret's name (BackendTLSPolicy reads CA certificates from ConfigMaps: the user
 *   copies `ca.crt` into one). A Secret of another namespace, or any of the four missing, writes no
 *   policy (ingress2gateway's strict rules) and the note says what is missing.
 *
 * Pure: the annotations in, objects and notes out.
 */

import type { Obj } from './ingressFacts.js';
import { GATEWAY_API_VERSION } from './ingressFacts.js';
import { NGINX } from './nginxAnnotations.js';

const TIMEOUTS = ['proxy-connect-timeout', 'proxy-send-timeout', 'proxy-read-timeout'] as const;

/** ingress2gateway's factor from a TCP operation's limit to the whole request's. */
const TIMEOUT_FACTOR = 10;

/** A Go `time.Duration` string of whole seconds (`20s`, `1m40s`, `2h30m0s`), as ingress2gateway writes it. */
function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/**
 * The HTTPRoute rule `timeouts` of the timeout annotations, or undefined when none holds a whole
 * number of seconds above 0. `converted` gets the annotations it used; `notes` why others were skipped.
 */
export function ruleTimeouts(a: (name: string) => string | undefined, converted: Set<string>, notes: string[]): Obj | undefined {
  let max = 0;
  for (const name of TIMEOUTS) {
    const v = a(name);
    if (v === undefined || v === '') continue;
    const t = v.trim();
    const secs = /^[+-]?\d+$/.test(t) ? Number(t) : Number.NaN;
    if (!Number.isSafeInteger(secs) || secs <= 0) {
      // Told here, not again among the annotations without an equivalent.
      converted.add(NGINX + name);
      notes.push(`${NGINX}${name}: "${v}" is not a whole number of seconds above 0; not converted`);
      continue;
    }
    converted.add(NGINX + name);
    max = Math.max(max, secs);
  }
  if (max === 0) return undefined;
  // Gateway API durations take at most 5 digits per unit (GEP-2257): 99999h.
  if (max * TIMEOUT_FACTOR >= 99999 * 3600) {
    notes.push(`${NGINX}proxy-*-timeout: ten times ${max} s is past the longest Gateway API duration; not converted`);
    return undefined;
  }
  return { request: goDuration(max * TIMEOUT_FACTOR) };
}

/** The note that says what the timeouts became (once per conversion). */
export function timeoutsNote(request: string): string {
  return `${NGINX}proxy-*-timeout: ingress-nginx limits each connect, send and read; timeouts.request (${request}) limits the whole request, ten times the largest as ingress2gateway writes it: check it fits`;
}

/** The proxy-ssl annotations a BackendTLSPolicy uses (the others stay notes). */
const POLICY_ANNOTATIONS = ['proxy-ssl-verify', 'proxy-ssl-secret', 'proxy-ssl-name', 'proxy-ssl-server-name'].map((x) => NGINX + x);

/**
 * The BackendTLSPolicies of `services` (the Ingress's backend Service names), or [] with the notes
 * when backend TLS is asked for but cannot be written; `converted` gets the annotations it used.
 * `meta`: the metadata of a new object of that name (the Ingress's namespace as it writes it).
 */
export function backendTlsPolicies(
  a: (name: string) => string | undefined,
  namespace: string | undefined,
  services: readonly string[],
  meta: (name: string) => Obj,
  converted: Set<string>,
  notes: string[],
): Obj[] {
  const protocol = a('backend-protocol')?.trim().toUpperCase();
  if (protocol !== 'HTTPS' && protocol !== 'GRPCS') return [];
  const verify = a('proxy-ssl-verify')?.trim();
  const secret = a('proxy-ssl-secret')?.trim() ?? '';
  const serverName = a('proxy-ssl-server-name')?.trim();
  const hostname = a('proxy-ssl-name')?.trim() ?? '';
  if (verify === undefined && secret === '' && hostname === '') return [];
  const missing: string[] = [];
  if (verify !== 'on') missing.push(`${NGINX}proxy-ssl-verify is not "on"`);
  if (secret === '') missing.push(`no ${NGINX}proxy-ssl-secret (the CA certificate)`);
  if (serverName !== 'on') missing.push(`${NGINX}proxy-ssl-server-name is not "on" (a BackendTLSPolicy always sends SNI)`);
  if (hostname === '') missing.push(`no ${NGINX}proxy-ssl-name (the hostname to verify)`);
  const slash = secret.indexOf('/');
  const secretNs = slash === -1 ? undefined : secret.slice(0, slash);
  const secretName = slash === -1 ? secret : secret.slice(slash + 1);
  if (secretNs !== undefined && namespace !== undefined && secretNs !== namespace)
    missing.push(`Secret ${secret} is in another namespace (a BackendTLSPolicy names a ConfigMap of its own)`);
  if (secretNs !== undefined && namespace === undefined)
    missing.push(`Secret ${secret} names a namespace and the Ingress none (a BackendTLSPolicy names a ConfigMap of its own)`);
  if (services.length === 0) missing.push('no backend Service to target');
  if (missing.length > 0) {
    notes.push(`backend TLS (${NGINX}proxy-ssl-*): no BackendTLSPolicy written: ${missing.join('; ')}`);
    return [];
  }
  for (const k of POLICY_ANNOTATIONS) converted.add(k);
  notes.push(
    `BackendTLSPolicy ${services.map((s) => `${s}-backend-tls`).join(', ')}: its caCertificateRefs name ConfigMap ${secretName}, which you create with the CA certificate of Secret ${secret} under the key ca.crt; the Secret's client certificate (mutual TLS) is not converted`,
  );
  return services.map((svc) => ({
    apiVersion: GATEWAY_API_VERSION,
    kind: 'BackendTLSPolicy',
    metadata: meta(`${svc}-backend-tls`),
    spec: {
      targetRefs: [{ group: '', kind: 'Service', name: svc }],
      validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: secretName }], hostname },
    },
  }));
}
