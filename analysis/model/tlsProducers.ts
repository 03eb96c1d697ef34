/**
 * What a lowered object says about TLS Secrets: the names it produces (a Secret, a Certificate's
 * `secretName`, a SealedSecret, an ExternalSecret's target…) and whether a Secret holds no
 * certificate (`ingress-tls-secret-missing`, `gateway-tls-secret-missing`).
 */

import type { YMap } from '../syntax/tree.js';
import { get, getPath, isMap } from '../syntax/tree.js';
import { isCertificate } from './kinds.js';
import { plainString } from './values.js';

/** The TLS Secret names an object produces; undefined: none. */
export function tlsSecretNames(
  o: { group: string; kind: string; apiVersion: string },
  root: YMap,
  name: string | undefined,
): string[] | undefined {
  const spec = get(root, 'spec');
  if (o.apiVersion === 'v1' && o.kind === 'Secret') {
    const type = plainString(get(root, 'type'));
    return name !== undefined && (type === undefined || type === 'kubernetes.io/tls') ? [name] : undefined;
  }
  if (isCertificate(o)) {
    const s = plainString(get(spec, 'secretName'));
    return s === undefined ? undefined : [s];
  }
  if (o.kind === 'SealedSecret' && name !== undefined) return [name];
  if (o.kind === 'ExternalSecret') {
    const target = getPath(spec, 'target', 'name');
    const t = target === undefined ? name : plainString(target);
    return t === undefined ? undefined : [t];
  }
  const generic = plainString(get(spec, 'secretName'));
  return generic === undefined ? undefined : [generic];
}

/**
 * A Secret whose data keys (`data` and `stringData`) are all known, at least one, and none of them
 * `tls.crt`: it holds no certificate a TLS listener could serve (a CA bundle, a password), whatever
 * its name. Unknown (templated) keys or no keys at all say nothing.
 */
export function lacksTlsCertificate(root: YMap): boolean {
  let keys = 0;
  for (const field of ['data', 'stringData']) {
    const m = get(root, field);
    if (m === undefined) continue;
    if (!isMap(m) || m.unknown) return false;
    for (const p of m.pairs) {
      if (p.keyUnknown) return false;
      if (p.key === 'tls.crt') return false;
      keys++;
    }
  }
  return keys > 0;
}
