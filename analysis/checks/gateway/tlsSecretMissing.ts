/**
 * `gateway-tls-secret-missing`: a Gateway listener's certificateRef names a Secret that nothing in
 * the workspace produces, where the workspace manages TLS material (the rules of
 * `ingress-tls-secret-missing`). docs/dev/gateway-api.md §6.
 */

import { about, tier } from '../support/findingFields.js';
import type { Check } from '../support/check.js';
import { writerFor } from '../../edits/writer.js';
import { absenceGate, describe } from '../support/evidence.js';
import { nearTlsProducer } from '../support/ingressTls.js';
import { targetPlacement } from './backends.js';

/** cert-manager's gateway-shim annotations: cert-manager creates the listeners' Secrets. */
function hasGatewayShim(annotations: ReadonlyMap<string, string>): boolean {
  return annotations.has('cert-manager.io/issuer') || annotations.has('cert-manager.io/cluster-issuer');
}

export const gatewayTlsSecretMissing: Check = {
  code: 'gateway-tls-secret-missing',
  defaultSeverity: 'warning',
  summary: 'A Gateway listener certificate Secret is produced by nothing, where the workspace manages TLS material.',
  doc: [
    "A Gateway listener's `tls.certificateRefs` name Secrets (core group, kind `Secret`). When the Secret does not exist",
    'the listener has no certificate and HTTPS/TLS connections to it fail. As for `ingress-tls-secret-missing`, Kube Reach',
    'checks only namespaces (or units) where the workspace manages TLS material itself (a TLS Secret, SealedSecret,',
    'ExternalSecret or cert-manager Certificate), and a Gateway with cert-manager annotations (`cert-manager.io/issuer`,',
    '`cert-manager.io/cluster-issuer`) gets its Secrets from cert-manager. Information without evidence; a warning when a',
    'producer has a near-miss name (a `kubernetes.io/tls` Secret or Certificate first; never a Secret whose data keys lack',
    '`tls.crt`, such as a CA bundle).',
    "Silent when a producer in scope writes a Secret whose name is not known here (a Certificate's",
    '`secretName: wildcard-${DOMAIN//./-}` that Flux fills in): it may write the one named.',
    '',
    '**Fix:** use the name the producer writes (quick-fix), or add a Certificate for it.',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const gw = o.gateway;
      if (gw === undefined || hasGatewayShim(o.annotations)) continue;
      const pl = placed.placements[0];
      if (pl === undefined) continue;
      for (const l of gw.listeners) {
        for (const ref of l.certificateRefs) {
          if (ref.unknown || ref.group !== '' || ref.kind !== 'Secret' || ref.name === undefined || !ref.name.known) continue;
          const at = targetPlacement(ref, pl);
          if (at === undefined) continue;
          const gate = absenceGate(ctx, o, at);
          if (gate.silent) continue;
          const inScope = ctx.index.tlsObjects(at.namespace !== undefined && !at.floating ? { ns: at.namespace } : { unit: at.unit });
          if (!inScope.some((p) => p.obj.tlsMaterial === true)) continue;
          // A producer whose Secret's name is not known here may write this one: no claim that nothing does.
          if (inScope.some((p) => p.obj.tlsSecretNameUnknown === true)) continue;
          const produced = new Set(inScope.flatMap((p) => p.obj.tlsSecretNames ?? []));
          const name = ref.name.value;
          if (produced.has(name)) continue;
          const hit = nearTlsProducer(name, inScope);
          const near = hit?.near;
          const producer = hit?.producer;
          const who = describe(o, pl.floating ? undefined : pl.namespace);
          const listener = l.name?.known === true ? `listener "${l.name.value}"` : 'a listener';
          const host = l.hostname?.known === true ? ` (${l.hostname.value})` : '';
          const where = gate.namespace === undefined ? 'its namespace' : `"${gate.namespace}"`;
          ctx.report({
            ...about(o, ref.name.span, gate.namespace),
            ...tier(near !== undefined),
            message:
              near !== undefined && producer !== undefined
                ? `${who}: certificate Secret "${name}" of ${listener}${host} is produced by nothing in ${where}. ${describe(producer.obj)} writes "${near}". Did you mean it?`
                : `${who}: certificate Secret "${name}" of ${listener}${host} is produced by nothing in this workspace, which manages other TLS material here; TLS connections to the listener will fail. If the Secret is created elsewhere, suppress.`,
            ...(producer !== undefined
              ? { related: [{ uri: producer.obj.uri, span: producer.obj.anchor, message: describe(producer.obj) }] }
              : {}),
            ...(near !== undefined
              ? { fixes: [{ title: `Use Secret "${near}"`, isPreferred: true, edits: [writerFor(ctx, o.uri).value(ref.name.span, near)] }] }
              : {}),
          });
        }
      }
    }
  },
};
