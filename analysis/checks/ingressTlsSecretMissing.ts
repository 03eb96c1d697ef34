/**
 * `ingress-tls-secret-missing`: an Ingress's TLS Secret is produced by nothing in the workspace, in a
 * namespace whose TLS material the workspace manages. Elsewhere secrets are clearly managed out of
 * band, which is the norm, and nothing is said.
 */

import { about, tier } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { writerFor } from '../edits/writer.js';
import { absenceGate, describe } from './support/evidence.js';
import { CLOUD_TLS_ANNOTATIONS, hasIngressShim, nearTlsProducer } from './support/ingressTls.js';

export const ingressTlsSecretMissing: Check = {
  code: 'ingress-tls-secret-missing',
  defaultSeverity: 'warning',
  summary: 'An Ingress TLS Secret is produced by nothing, where the workspace manages TLS material.',
  doc: [
    'An Ingress `tls[].secretName` must name a `kubernetes.io/tls` Secret in its namespace, or the controller serves',
    'its default certificate. Secrets usually live outside the repository, so Kube Reach checks only namespaces (or',
    'units) where the workspace manages TLS material itself (a TLS Secret, SealedSecret, ExternalSecret or',
    "cert-manager Certificate). A producer is a Secret, a Certificate's `spec.secretName`, a SealedSecret or",
    'ExternalSecret target, any custom resource with `spec.secretName`, or cert-manager ingress-shim annotations on',
    'the Ingress. Information without evidence; a warning when a producer has a near-miss name (a `kubernetes.io/tls`',
    'Secret or Certificate first; never a Secret whose data keys lack `tls.crt`, such as a CA bundle).',
    "Silent when a producer in scope writes a Secret whose name is not known here (a Certificate's",
    '`secretName: wildcard-${DOMAIN//./-}` that Flux fills in): it may write the one named.',
    '',
    '**Fix:** use the name the producer writes (quick-fix), or add a Certificate for it.',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const ing = o.ingress;
      if (ing === undefined || ing.tls.length === 0) continue;
      if (hasIngressShim(o.annotations) || CLOUD_TLS_ANNOTATIONS.some((a) => o.annotations.has(a))) continue;
      const pl = placed.placements[0];
      if (pl === undefined) continue;
      const gate = absenceGate(ctx, o, pl);
      if (gate.silent) continue;
      const inScope = ctx.index.tlsObjects(pl.namespace !== undefined && !pl.floating ? { ns: pl.namespace } : { unit: pl.unit });
      if (!inScope.some((p) => p.obj.tlsMaterial === true)) continue;
      // A producer whose Secret's name is not known here may write this one: no claim that nothing does.
      if (inScope.some((p) => p.obj.tlsSecretNameUnknown === true)) continue;
      const produced = new Set(inScope.flatMap((p) => p.obj.tlsSecretNames ?? []));
      for (const t of ing.tls) {
        const s = t.secretName;
        if (s === undefined || !s.known || produced.has(s.value)) continue;
        const hit = nearTlsProducer(s.value, inScope);
        const near = hit?.near;
        const producer = hit?.producer;
        const who = describe(o, gate.namespace);
        const hosts = t.hosts.length > 0 ? ` for ${t.hosts.join(', ')}` : '';
        ctx.report({
          ...about(o, s.span, gate.namespace),
          ...tier(near !== undefined),
          message:
            near !== undefined && producer !== undefined
              ? `${who}: TLS secret "${s.value}"${hosts} is produced by nothing in ${gate.namespace === undefined ? 'its namespace' : `"${gate.namespace}"`}. ${describe(producer.obj)} writes "${near}". Did you mean it?`
              : `${who}: TLS secret "${s.value}"${hosts} is produced by nothing in this workspace, which manages other TLS material here; the controller will serve its default certificate. If the Secret is created elsewhere, suppress.`,
          ...(producer !== undefined
            ? { related: [{ uri: producer.obj.uri, span: producer.obj.anchor, message: describe(producer.obj) }] }
            : {}),
          ...(near !== undefined
            ? { fixes: [{ title: `Use Secret "${near}"`, isPreferred: true, edits: [writerFor(ctx, o.uri).value(s.span, near)] }] }
            : {}),
        });
      }
    }
  },
};
