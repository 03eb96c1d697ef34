/**
 * `ingress-tls-host-mismatch`: TLS and rule hosts that do not line up. A rule host not covered by
 * `tls[].hosts` gets the controller's default ("fake") certificate (a warning when the tls entries cover
 * another rule host or name one of its domain; else information); a `tls.hosts` name no rule serves
 * is dead (a warning when it is one edit from a rule host, a likely typo; else information); `hosts` and `secretName` split into two list items make two broken entries; a Certificate
 * whose dnsNames miss a host of the Ingress using its Secret serves a mismatched certificate.
 */

import { about, tier } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { describe } from './support/evidence.js';
import { hostCovered } from './support/ingressTls.js';
import { editDistance } from './support/similarity.js';

export const ingressTlsHostMismatch: Check = {
  code: 'ingress-tls-host-mismatch',
  defaultSeverity: 'warning',
  summary: "Ingress rule hosts and TLS hosts (or the Certificate's dnsNames) do not match.",
  doc: [
    'The certificate an Ingress serves for a host comes from the `tls` entry whose `hosts` list covers it',
    "(`*.example.com` covers one label). A rule host missing from `tls[].hosts` gets the controller's default",
    '"Fake Certificate", and cert-manager\'s ingress-shim puts only `tls.hosts` into the certificate. That is a warning when',
    'the tls entries cover another rule host of the Ingress, or name a host of the same domain or one edit from it; a tls',
    'list in another domain than every rule host may serve the default certificate on purpose (information). Also reported:',
    'a `tls.hosts` entry that no rule serves (a warning when it is one edit away from a rule host, a likely typo;',
    'otherwise information: no request fails because of it), a `tls` entry split into one item with `hosts` and another with',
    '`secretName`, and a cert-manager Certificate whose `dnsNames` do not cover the hosts of the Ingress that uses',
    'its Secret.',
    '',
    '```yaml',
    'tls:',
    '  - hosts: [shop.example.com]',
    '    secretName: shop-tls',
    'rules:',
    '  - host: www.shop.example.com   # not covered: served with the default certificate',
    '```',
    '',
    "**Fix:** list every rule host under `tls[].hosts` (and in the Certificate's `dnsNames`).",
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const ing = o.ingress;
      if (ing === undefined || ing.tls.length === 0) continue;
      const who = describe(o, placed.placements[0]?.namespace);
      const tlsHosts = ing.tls.flatMap((t) => t.hosts);
      const ruleHosts = ing.rules.map((r) => r.host).filter((h): h is NonNullable<typeof h> => h !== undefined);
      // A split entry: one item with hosts and no secretName next to one with secretName and no hosts.
      for (let i = 0; i + 1 < ing.tls.length; i++) {
        const a = ing.tls[i];
        const b = ing.tls[i + 1];
        if (a === undefined || b === undefined) continue;
        const aHostsOnly = a.hosts.length > 0 && a.secretName === undefined;
        const bSecretOnly = b.hosts.length === 0 && b.secretName !== undefined;
        const aSecretOnly = a.hosts.length === 0 && a.secretName !== undefined;
        const bHostsOnly = b.hosts.length > 0 && b.secretName === undefined;
        if ((aHostsOnly && bSecretOnly) || (aSecretOnly && bHostsOnly)) {
          ctx.report({
            ...about(o, b.span),
            ...tier(true),
            message: `${who}: this tls item and the one before it split hosts and secretName into two list items, so the hosts get the default certificate. Make them one item (delete the "-" before the second key).`,
          });
        }
      }
      if (tlsHosts.length === 0) continue;
      // Evidence that a rule host was meant to have a certificate here: the tls entries cover another rule
      // host of this Ingress (one was left out), or name a host of the same domain or one edit from it. A tls
      // list disjoint from every rule host in another domain may use the default certificate on purpose (an
      // e2e test of it): information.
      const coversSome = ruleHosts.some((h) => h.known && h.value !== '' && hostCovered(h.value, tlsHosts));
      for (const h of ruleHosts) {
        if (!h.known || h.value === '' || hostCovered(h.value, tlsHosts)) continue;
        const host = h.value;
        const meant = coversSome || tlsHosts.some((t) => sameDomain(t, host) || editDistance(t.toLowerCase(), host.toLowerCase(), 1) <= 1);
        ctx.report({
          ...about(o, h.span),
          ...tier(meant),
          message: `${who}: host "${host}" is not listed in tls[].hosts (${tlsHosts.join(', ')}), so HTTPS requests for it get the controller's default certificate. ${meant ? "Add it to a tls entry's hosts." : 'No tls host is of its domain: if the default certificate is not meant, add it to a tls entry.'}`,
        });
      }
      const served = ruleHosts.filter((h) => h.known).map((h) => (h.known ? h.value : ''));
      for (const t of ing.tls) {
        for (const th of t.hosts) {
          if (served.some((h) => hostCovered(h, [th]) || h.toLowerCase() === th.toLowerCase())) continue;
          // No request fails because of an extra certificate host: a warning only when it looks like a
          // typo of a rule host (one edit apart, not a digit of a numbered series); else a note (a controller may load it for SNI, a test
          // may list it on purpose).
          // Numbered siblings (`test-1`, `test-2`) are a series, not a typo.
          const series = (h: string): string => h.toLowerCase().replace(/[0-9]/g, '#');
          const typo = served.find((h) => editDistance(h.toLowerCase(), th.toLowerCase(), 1) <= 1 && series(h) !== series(th));
          ctx.report({
            ...about(o, t.span),
            ...(typo !== undefined
              ? {
                  confidence: 'evidence' as const,
                  severity: 'warning' as const,
                  message: `${who}: tls host "${th}" is served by no rule of this Ingress; its certificate covers a host that routes nowhere. Is it a typo of the rule host "${typo}"?`,
                }
              : {
                  confidence: 'no-evidence' as const,
                  severity: 'information' as const,
                  message: `${who}: tls host "${th}" is served by no rule of this Ingress; its certificate covers a host this Ingress does not route.`,
                }),
          });
        }
        const secret = t.secretName?.known === true ? t.secretName.value : undefined;
        if (secret === undefined) continue;
        const ns = placed.placements[0]?.namespace;
        const certs = (ns !== undefined ? ctx.index.tlsObjects({ ns }) : []).filter((p) => p.obj.certificateDnsNames !== undefined);
        for (const c of certs) {
          if (!(c.obj.tlsSecretNames ?? []).includes(secret)) continue;
          if (!c.placements.some((cp) => placed.placements.some((ip) => ip.namespace === cp.namespace))) continue;
          const dns = c.obj.certificateDnsNames ?? [];
          const missing = t.hosts.filter((h) => !hostCovered(h, dns));
          if (dns.length === 0 || missing.length === 0) continue;
          ctx.report({
            ...about(c.obj, c.obj.anchor),
            ...tier(true),
            message: `${describe(c.obj)} writes Secret "${secret}", which ${who} uses for ${missing.join(', ')}, but its dnsNames (${dns.join(', ')}) do not cover ${missing.length === 1 ? 'it' : 'them'}: clients get a certificate for the wrong name.`,
            related: [{ uri: o.uri, span: t.span, message: `${who} tls entry` }],
          });
        }
      }
    }
  },
};

/** Both names end in the same domain of at least two labels (`www.shop.example.com`, `api.example.com`). */
function sameDomain(a: string, b: string): boolean {
  const domain = (h: string): string => h.toLowerCase().replace(/^\*\./, '').split('.').slice(-2).join('.');
  return a.includes('.') && b.includes('.') && a.split('.').length >= 2 && domain(a) === domain(b) && domain(a).includes('.');
}
