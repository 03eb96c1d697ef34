/**
 * `ingress-backend-port-missing`: an Ingress backend names a port that its Service does not
 * expose. The most common cause is using the container port (the Service's targetPort) instead of
 * the Service port.
 */

import { about, tier } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { writerFor } from '../edits/writer.js';
import type { TextEdit } from '../types.js';
import { describe, unitsComplete } from './support/evidence.js';
import { serviceBackends } from './support/ingressBackends.js';
import { findPort, selectedBy, servicesNamed } from './support/serviceTargets.js';
import { podPorts as portsOf } from './support/sidecarSets.js';
import type { ServicePort } from '../model/types.js';

function portText(p: ServicePort): string {
  const n = p.port?.known === true ? String(p.port.value) : '?';
  return p.name?.known === true ? `${n} ("${p.name.value}")` : n;
}

export const ingressBackendPortMissing: Check = {
  code: 'ingress-backend-port-missing',
  defaultSeverity: 'warning',
  summary: 'An Ingress backend uses a port that its Service does not expose.',
  doc: [
    "An Ingress backend's `port.number` (or `port.name`) names a **Service port**, not a container port. When the",
    'Service has no such port, the controller cannot route the request (503). It is reported only when the Service',
    'exists and its ports are literal in every variant; ExternalName Services without ports are left alone.',
    '',
    'An Ingress carries HTTP over TCP, so a backend port that the Service exposes only over UDP is reported too.',
    '',
    '```yaml',
    'backend:',
    '  service:',
    '    name: web',
    '    port:',
    '      number: 8080     # the Service exposes 80, whose targetPort is 8080',
    '```',
    '',
    '**Fix:** use the Service port (quick-fix by number or by name).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      if (o.ingress === undefined) continue;
      if (!unitsComplete(ctx, placed)) continue;
      for (const ref of serviceBackends(o)) {
        const b = ref.backend;
        const nameV = b.serviceName;
        if (nameV === undefined || !nameV.known) continue;
        const wantNumber = b.portNumber?.known === true ? b.portNumber.value : undefined;
        const wantName = b.portName?.known === true ? b.portName.value : undefined;
        if (wantNumber === undefined && wantName === undefined) continue;
        const pl = placed.placements[0];
        if (pl === undefined) continue;
        const services = servicesNamed(ctx.index, pl, nameV.value);
        if (services.length === 0) continue;
        if (services.some((s) => s.obj.service === undefined || s.obj.service.portsUnknown)) continue;
        if (services.some((s) => s.obj.service?.type === 'ExternalName' && s.obj.service.ports.length === 0)) continue;
        const matches = services.flatMap((s) =>
          (s.obj.service?.ports ?? []).filter((p) =>
            wantNumber !== undefined
              ? p.port?.known === true && p.port.value === wantNumber
              : p.name?.known === true && p.name.value === wantName,
          ),
        );
        const svc = services[0]?.obj;
        const ports = svc?.service?.ports ?? [];
        const span = (wantNumber !== undefined ? b.portNumber?.span : b.portName?.span) ?? b.span;
        const who = describe(o, pl.floating ? undefined : pl.namespace);
        const want = wantNumber !== undefined ? `port ${wantNumber}` : `port "${wantName ?? ''}"`;
        if (matches.length > 0) {
          if (matches.every((m) => m.protocol === 'UDP')) {
            ctx.report({
              ...about(o, span),
              ...tier(true),
              message: `${who} uses ${want} of Service "${nameV.value}", which is UDP only; an Ingress carries HTTP over TCP, so requests cannot reach it.`,
            });
          }
          continue;
        }
        // The number may be the targetPort itself, or the container port a named targetPort resolves to.
        // The pods' ports with those OpenKruise SidecarSets inject (support/sidecarSets.ts): a named targetPort a sidecar declares.
        const selected = services[0] !== undefined ? selectedBy(ctx, services[0]) : undefined;
        const podPorts = (selected?.producers ?? []).flatMap((p) => portsOf(ctx, p, selected?.placement).ports);
        const viaTarget =
          wantNumber !== undefined
            ? ports.find(
                (p) =>
                  (p.targetPort?.known === true && p.targetPort.value === wantNumber) ||
                  findPort(podPorts, p)?.containerPort === wantNumber,
              )
            : ports.find((p) => p.targetPort?.known === true && p.targetPort.value === wantName);
        const exposes = ports.length === 0 ? 'no ports' : `only ${ports.length === 1 ? 'port' : 'ports'} ${ports.map(portText).join(', ')}`;
        const cause =
          viaTarget !== undefined
            ? ` ${wantNumber ?? `"${wantName ?? ''}"`} is the pod port behind Service port ${portText(viaTarget)}: Ingress backends name the Service port, not the container port.`
            : '';
        const w = writerFor(ctx, o.uri);
        const fixes: Array<{ title: string; isPreferred?: boolean; edits: TextEdit[] }> = [];
        const tcp = ports.filter((p) => p.protocol !== 'UDP');
        const candidates = viaTarget !== undefined ? [viaTarget] : tcp;
        for (const p of candidates) {
          if (wantNumber !== undefined && p.port?.known === true && b.portNumber !== undefined) {
            fixes.push({
              title: `Use Service port ${p.port.value}`,
              ...(candidates.length === 1 ? { isPreferred: true } : {}),
              edits: [w.value(b.portNumber.span, p.port.value)],
            });
          } else if (wantName !== undefined && p.name?.known === true && b.portName !== undefined) {
            fixes.push({
              title: `Use Service port "${p.name.value}"`,
              ...(candidates.length === 1 ? { isPreferred: true } : {}),
              edits: [w.value(b.portName.span, p.name.value)],
            });
          }
        }
        ctx.report({
          ...about(o, span),
          ...tier(true),
          message: `${who} uses ${want} of Service "${nameV.value}", which exposes ${exposes}: the controller will answer 503.${cause}`,
          ...(svc !== undefined
            ? { related: [{ uri: svc.uri, span: svc.service?.portsSpan ?? svc.anchor, message: `${describe(svc)}: ports` }] }
            : {}),
          fixes,
        });
      }
    }
  },
};
