/**
 * The ingress-nginx annotations "Convert to Gateway API" reads (docs/dev/gateway-api.md §8): what
 * each maps to, and a short reason for those it cannot map. Pure data and small parsers; the
 * conversion itself is `ingressToGateway.ts`.
 */

export const NGINX = 'nginx.ingress.kubernetes.io/';

/** Annotations the conversion turns into Gateway API fields (read in ingressToGateway.ts). */
export const MAPPED: ReadonlySet<string> = new Set(
  [
    'rewrite-target',
    'use-regex',
    'ssl-redirect',
    'force-ssl-redirect',
    'permanent-redirect',
    'permanent-redirect-code',
    'temporal-redirect',
    'temporal-redirect-code',
    'app-root',
    'x-forwarded-prefix',
    'connection-proxy-header',
    'from-to-www-redirect',
    'upstream-vhost',
    'server-alias',
    'canary',
    'canary-weight',
    'canary-weight-total',
    'canary-by-header',
    'canary-by-header-value',
    'canary-by-header-pattern',
    'canary-by-cookie',
    'enable-cors',
    'cors-allow-origin',
    'cors-allow-methods',
    'cors-allow-headers',
    'cors-expose-headers',
    'cors-allow-credentials',
    'cors-max-age',
    'ssl-passthrough',
  ].map((a) => NGINX + a),
);

/** Annotations other tools read that the Gateway keeps or that say nothing about routing. */
export const CARRIED: ReadonlySet<string> = new Set([
  'kubernetes.io/ingress.class',
  'cert-manager.io/issuer',
  'cert-manager.io/cluster-issuer',
  'cert-manager.io/issuer-kind',
  'cert-manager.io/issuer-group',
]);

/** cert-manager's gateway-shim reads these on a Gateway as it reads them on an Ingress. */
export const GATEWAY_SHIM: readonly string[] = [
  'cert-manager.io/issuer',
  'cert-manager.io/cluster-issuer',
  'cert-manager.io/issuer-kind',
  'cert-manager.io/issuer-group',
];

/** Why an annotation with no Gateway API equivalent was left out, by its name after the prefix. */
const REASONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(auth-|enable-global-auth)/, 'authentication is a policy of your Gateway implementation'],
  [/^(limit-|global-rate-limit)/, 'rate limiting is a policy of your Gateway implementation'],
  [
    /^(whitelist-source-range|allowlist-source-range|denylist-source-range)$/,
    'source ranges: use NetworkPolicies or an implementation policy',
  ],
  [/^(proxy-.*timeout|proxy-next-upstream.*)$/, 'timeouts: see HTTPRoute rules[].timeouts (semantics differ)'],
  [/^(proxy-body-size|client-body-buffer-size|proxy-buffer.*)$/, 'body and buffer sizes are implementation-specific'],
  [
    /^(affinity|session-cookie-.*|affinity-mode|upstream-hash-by.*)$/,
    'session affinity is implementation-specific (the nearest is HTTPRoute rules[].sessionPersistence, type Cookie, of the experimental channel; ingress2gateway does not convert it either)',
  ],
  [/^proxy-ssl-verify-depth$/, 'a BackendTLSPolicy has no verification depth'],
  [/^proxy-ssl-protocols$/, 'a BackendTLSPolicy does not choose TLS protocol versions'],
  [/^(proxy-ssl-.*|secure-verify-ca-secret)$/, 'backend TLS: see BackendTLSPolicy'],
  [
    /^(configuration-snippet|server-snippet|stream-snippet|modsecurity-.*|enable-modsecurity|enable-owasp-core-rules)$/,
    'NGINX configuration has no Gateway API equivalent',
  ],
  [/^(custom-headers)$/, 'header sets from ConfigMaps: write a RequestHeaderModifier filter by hand'],
  [/^(default-backend|custom-http-errors)$/, 'error pages and default backends are implementation-specific'],
  [/^(mirror-.*)$/, 'mirroring: a RequestMirror filter pointing at a backend Service'],
];

export function unmappedReason(annotation: string): string {
  const short = annotation.startsWith(NGINX) ? annotation.slice(NGINX.length) : annotation;
  for (const [re, why] of REASONS) if (annotation.startsWith(NGINX) && re.test(short)) return why;
  return 'no Gateway API equivalent';
}

/** Annotations of an ingress controller (their domain names one), which a conversion must account for. */
export function isControllerAnnotation(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash === -1) return false;
  const domain = key.slice(0, slash);
  return domain.includes('ingress') || domain === 'nginx.org' || domain === 'konghq.com' || domain.endsWith('.kubernetes.io/ingress');
}

/** `true`/`false` as ingress-nginx reads a boolean annotation; undefined for anything else. */
export function boolAnnotation(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

/** A redirect target URL split as HTTPRequestRedirectFilter wants it. */
export interface RedirectTarget {
  readonly scheme?: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly path?: string;
}

/** Parses `https://host:8443/path`; undefined when it is not an absolute http(s) URL or a path. */
export function parseRedirect(url: string): RedirectTarget | undefined {
  const u = url.trim();
  if (u.startsWith('/')) return /[\s?#]/.test(u) ? undefined : { path: u };
  const m = /^(https?):\/\/([A-Za-z0-9.-]+)(?::(\d{1,5}))?(\/[^\s?#]*)?$/.exec(u);
  if (m === null) return undefined;
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return {
    scheme: m[1],
    hostname: m[2]?.toLowerCase(),
    ...(port === undefined ? {} : { port }),
    // ingress-nginx answers with the URL as written: without a path, the request's path is dropped.
    path: m[4] === undefined || m[4] === '' ? '/' : m[4],
  };
}

/** Redirect status codes HTTPRequestRedirectFilter accepts. */
export const REDIRECT_CODES: readonly number[] = [301, 302, 303, 307, 308];

/** Characters that make an ingress-nginx path a regular expression. */
export function looksLikeRegex(path: string): boolean {
  return /[()[\]{}*+?^$|\\]/.test(path);
}

/**
 * The rewrite-target idioms that are a prefix rewrite: path `P(/|$)(.*)` with target `T$2`, and
 * `P/?(.*)` or `P/(.*)` with target `T$1`, become PathPrefix `P` with ReplacePrefixMatch `T` (`/`
 * when T is empty). Undefined for every other regex.
 */
export function prefixRewrite(path: string, target: string): { readonly prefix: string; readonly replace: string } | undefined {
  const idioms: ReadonlyArray<readonly [RegExp, string]> = [
    [/^(\/[^()[\]{}*+?^$|\\]*?)\(\/\|\$\)\(\.\*\)$/, '$2'],
    [/^(\/[^()[\]{}*+?^$|\\]*?)\/\??\(\.\*\)$/, '$1'],
  ];
  for (const [re, ref] of idioms) {
    const m = re.exec(path);
    if (m === null || !target.endsWith(ref)) continue;
    const head = target.slice(0, -ref.length);
    if (/\$/.test(head)) continue;
    const prefix = (m[1] ?? '').replace(/\/+$/, '') || '/';
    const replace = head.replace(/\/+$/, '') || '/';
    return { prefix, replace };
  }
  return undefined;
}
