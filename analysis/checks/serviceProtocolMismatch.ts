/**
 * `service-protocol-mismatch`: a Service port's numeric targetPort is declared by the selected pods
 * only with another protocol (typically a UDP app behind a Service whose protocol defaulted to
 * TCP). Named targetPorts with another protocol are reported by `service-target-port-unknown`.
 */

import { about, tier } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { writerFor } from '../edits/writer.js';
import { describe, unitsComplete } from './support/evidence.js';
import { selectedBy } from './support/serviceTargets.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { ContainerPort } from '../model/types.js';
import { podPorts, portSite } from './support/sidecarSets.js';
import type { PodPorts } from './support/sidecarSets.js';

/** `container "c" of Deployment "d"`, or, for a port a SidecarSet injects, `container "c" that SidecarSet "s" injects into Deployment "d"`. */
function containerOf(d: { readonly c: ContainerPort; readonly p: Placed; readonly pp: PodPorts }): string {
  const set = portSite(d.p, d.c, d.pp).injectedBy;
  return set === undefined
    ? `container "${d.c.container}" of ${describe(d.p.obj)}`
    : `container "${d.c.container}" that ${describe(set.obj)} injects into ${describe(d.p.obj)}`;
}

/** Port names that say the protocol runs on UDP only (QUIC, WireGuard, or the word itself). */
const UDP_NAMED = /(?:^|[-_.])(?:quic|udp|wireguard|wg)(?:$|[-_.\d])/i;

export const serviceProtocolMismatch: Check = {
  code: 'service-protocol-mismatch',
  defaultSeverity: 'warning',
  summary: 'A Service port uses another protocol than the container port it forwards to.',
  doc: [
    "A Service port's `protocol` defaults to TCP. When the pods declare the target port only as UDP (statsd,",
    'syslog, DNS, WireGuard, QUIC), TCP connections reach nothing and UDP datagrams are not forwarded at all.',
    "Silent when the pods also declare the port with the Service's protocol (DNS servers declare 53/UDP and 53/TCP).",
    "Information when the Service names its protocol and the container's port omits `protocol` (so TCP by default): the",
    "Service's protocol is then the deliberate one (a syslog server on 514/UDP declared as plain `containerPort: 514`). Information",
    "too when the Service forwards the port with the container's protocol as well (DNS on 53/TCP and 53/UDP to a container",
    'that declares only 1053/TCP): both protocols are deliberate, and the container does not declare one. Information as well',
    "when the Service says UDP and its port's name says the protocol runs on UDP only (`cloudhub-quic`, `wg-udp`): the",
    "container's TCP declaration is then the likelier slip (KubeEdge's cloudcore). Ports of containers an OpenKruise",
    "`SidecarSet` injects into the pods (docs/operators.md) count as the pods' own; a SidecarSet that leaves open whether or",
    'what it injects keeps the check silent.',
    '',
    '```yaml',
    'ports:',
    '  - port: 8125        # TCP by default; the container declares 8125/UDP',
    '```',
    '',
    "**Fix:** set `protocol` to the container port's (quick-fix).",
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const svc = o.service;
      if (svc === undefined || svc.type === 'ExternalName' || svc.portsUnknown) continue;
      if (!unitsComplete(ctx, placed)) continue;
      const sel = selectedBy(ctx, placed);
      if (sel === undefined || sel.maybe || sel.producers.length === 0) continue;
      if (sel.producers.some((p) => p.obj.pod?.portsUnknown === true)) continue;
      // With the ports OpenKruise SidecarSets inject (support/sidecarSets.ts): unknown ones, silent.
      const own = sel.producers.map((p) => ({ p, pp: podPorts(ctx, p, sel.placement) }));
      if (own.some((x) => x.pp.unknown)) continue;
      const declared = own.flatMap(({ p, pp }) => pp.ports.map((c) => ({ c, p, pp })));
      for (const sp of svc.ports) {
        const tp = sp.targetPort ?? sp.port;
        if (tp === undefined || !tp.known || typeof tp.value !== 'number') continue;
        const value = tp.value;
        const same = declared.filter((d) => d.c.containerPort === value);
        if (same.length === 0 || same.some((d) => d.c.protocol === sp.protocol)) continue;
        const other = same[0];
        if (other === undefined) continue;
        const span = sp.protocolSpan ?? tp.span;
        // The Service names its protocol and the container's port only defaulted to TCP: the
        // Service's word is the deliberate one (a syslog server on 514/UDP declared as plain 514).
        if (sp.protocolSpan !== undefined && same.every((d) => d.c.protocolOmitted === true)) {
          ctx.report({
            ...about(o, span),
            ...tier(false),
            message: `${describe(o, sel.placement.namespace)} port ${value} is ${sp.protocol}, but ${containerOf(other)} declares ${value} without a protocol (so ${other.c.protocol}). If the container listens on ${sp.protocol}, declare protocol: ${sp.protocol} on its port.`,
            related: [
              {
                uri: portSite(other.p, other.c, other.pp).uri,
                span: other.c.span,
                message: `${value}/${other.c.protocol} (protocol omitted)`,
              },
            ],
          });
          continue;
        }
        // The Service forwards this target port with the container's protocol too (DNS on 1053/TCP
        // and 1053/UDP): its other protocol is deliberate, and setting it would repeat a port. The
        // container merely does not declare it: information.
        const twin = svc.ports.some((q) => {
          const qt = q.targetPort ?? q.port;
          return q !== sp && q.protocol === other.c.protocol && qt?.known === true && qt.value === value;
        });
        if (twin) {
          ctx.report({
            ...about(o, span),
            ...tier(false),
            message: `${describe(o, sel.placement.namespace)} forwards port ${value} as ${sp.protocol} and as ${other.c.protocol}, but ${containerOf(other)} declares ${value} only as ${other.c.protocol}. If the container listens on ${sp.protocol} too, declare ${value}/${sp.protocol} on its ports.`,
            related: [{ uri: portSite(other.p, other.c, other.pp).uri, span: other.c.span, message: `${value}/${other.c.protocol}` }],
          });
          continue;
        }
        // The Service says UDP and its port's name names a protocol that runs on UDP only (`cloudhub-quic`,
        // `wg-udp`): the Service's word is deliberate and the container's declaration the likelier slip.
        const portName = sp.name?.known === true ? sp.name.value : '';
        if (sp.protocolSpan !== undefined && sp.protocol === 'UDP' && UDP_NAMED.test(portName)) {
          ctx.report({
            ...about(o, span),
            ...tier(false),
            message: `${describe(o, sel.placement.namespace)} port ${value} is UDP, as its name "${portName}" says, but ${containerOf(other)} declares ${value}/${other.c.protocol}. If the container listens on UDP, declare protocol: UDP on its port.`,
            related: [{ uri: portSite(other.p, other.c, other.pp).uri, span: other.c.span, message: `${value}/${other.c.protocol}` }],
          });
          continue;
        }
        const edit =
          sp.protocolSpan !== undefined
            ? writerFor(ctx, o.uri).value(sp.protocolSpan, other.c.protocol)
            : sp.port !== undefined
              ? writerFor(ctx, o.uri).insertAfter(sp.port.span, 'protocol', other.c.protocol)
              : undefined;
        ctx.report({
          ...about(o, span),
          ...tier(true),
          message: `${describe(o, sel.placement.namespace)} port ${value} is ${sp.protocol}${sp.protocolSpan === undefined ? ' (the default when protocol is omitted)' : ''}, but ${containerOf(other)} declares ${value}/${other.c.protocol}. ${sp.protocolSpan === undefined ? 'Add' : 'Set'} protocol: ${other.c.protocol}.`,
          related: [{ uri: portSite(other.p, other.c, other.pp).uri, span: other.c.span, message: `${value}/${other.c.protocol}` }],
          ...(edit !== undefined ? { fixes: [{ title: `Set protocol to ${other.c.protocol}`, isPreferred: true, edits: [edit] }] } : {}),
        });
      }
    }
  },
};
