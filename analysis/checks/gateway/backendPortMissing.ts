/**
 * `gateway-backend-port-missing`: a route's backendRef names a port its Service does not expose
 * (often the container port, the Service's targetPort). docs/dev/gateway-api.md §5.
 */

import { about, tier } from '../support/findingFields.js';
import type { Check, CheckContext } from '../support/check.js';
import { writerFor } from '../../edits/writer.js';
import type { KObject, ServicePort } from '../../model/types.js';
import type { Placement } from '../../workspace/workspaceIndex.js';
import type { TextEdit } from '../../types.js';
import { describe, unitsComplete } from '../support/evidence.js';
import { findPort, selectedBy } from '../support/serviceTargets.js';
import { podPorts as portsOf } from '../support/sidecarSets.js';
import { serviceBackendRefs, servicesForRef } from './backends.js';
import { attachment, controllerOf } from './resolve.js';
import { onAnyPortGateway } from './anyPort.js';

function portText(p: ServicePort): string {
  const n = p.port?.known === true ? String(p.port.value) : '?';
  return p.name?.known === true ? `${n} ("${p.name.value}")` : n;
}

/**
 * Consul's API gateway (controllers `consul.hashicorp.com/…`) forwards a backendRef to the Consul
 * service the mesh registered for the Service's pods, whose port is the container port: consul-k8s'
 * own acceptance routes name it (`port: 8080` behind Service port 80). A route attached to such a
 * Gateway reaches the pods through either port.
 */
function consulGateway(ctx: CheckContext, route: KObject, pl: Placement): boolean {
  for (const ref of route.route?.parentRefs ?? []) {
    const a = attachment(ctx, route, pl, ref);
    if (a.state === 'unknown' || a.state === 'no-gateway') continue;
    if (controllerOf(ctx, a.gateway)?.startsWith('consul.hashicorp.com/') === true) return true;
  }
  return false;
}

/** The transport a route kind carries. */
function transport(kind: string): 'TCP' | 'UDP' {
  return kind === 'UDPRoute' ? 'UDP' : 'TCP';
}

export const gatewayBackendPortMissing: Check = {
  code: 'gateway-backend-port-missing',
  defaultSeverity: 'warning',
  summary: 'A Gateway API backendRef uses a port that its Service does not expose.',
  doc: [
    "A `backendRef`'s `port` names a **Service port**, not a container port. When the Service has no such port (over",
    "the route's transport: UDP for UDPRoute, TCP for the others), the Gateway cannot forward to it. The most common",
    "cause is the container port, the Service port's `targetPort`: the message says so. Reported only when the Service",
    'exists and its ports are literal in every variant; ExternalName Services without ports are left alone. A route',
    "attached to Consul's API gateway (`consul.hashicorp.com/…` controllers) may name the container port: Consul forwards",
    'to the service its mesh registered for the pods, on that port. A UDPRoute attached to a STUNner Gateway',
    "(`stunner.l7mp.io/gateway-operator`) is not judged: STUNner ignores the backendRef's port and reaches any UDP port",
    'of the pods (its docs: "an arbitrary port ... will be omitted").',
    '',
    '```yaml',
    'backendRefs:',
    '  - name: store',
    '    port: 8080      # the Service exposes 80, whose targetPort is 8080',
    '```',
    '',
    '**Fix:** use the Service port (quick-fix).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      if (o.route === undefined) continue;
      if (!unitsComplete(ctx, placed)) continue;
      const pl = placed.placements[0];
      if (pl === undefined) continue;
      const proto = transport(o.kind);
      if (o.anyPortBackends !== undefined && onAnyPortGateway(ctx, o, pl)) continue;
      for (const b of serviceBackendRefs(o)) {
        const portV = b.ref.port;
        if (portV === undefined || !portV.known) continue;
        const want = portV.value;
        const services = servicesForRef(ctx.index, b.ref, pl, b.name);
        if (services.length === 0) continue;
        if (services.some((s) => s.obj.service === undefined || s.obj.service.portsUnknown)) continue;
        if (services.some((s) => s.obj.service?.type === 'ExternalName' && s.obj.service.ports.length === 0)) continue;
        // A Service without ports that is not headless cannot be created as written ("spec.ports: Required value") or
        // only names one (apiVersion, kind and metadata alone: a test's stub): its ports are not known.
        if (services.some((s) => s.obj.service?.ports.length === 0 && !s.obj.service.headless)) continue;
        const matches = services.flatMap((s) =>
          (s.obj.service?.ports ?? []).filter((p) => p.port?.known === true && p.port.value === want),
        );
        const who = describe(o, pl.floating ? undefined : pl.namespace);
        if (matches.length > 0) {
          if (matches.every((m) => m.protocol !== proto)) {
            ctx.report({
              ...about(o, portV.span),
              ...tier(true),
              message: `${who} uses port ${want} of Service "${b.name}", which is ${matches[0]?.protocol ?? ''} only; a ${o.kind} carries ${proto}, so its connections cannot reach it.`,
            });
          }
          continue;
        }
        const svc = services[0]?.obj;
        const ports = svc?.service?.ports ?? [];
        // The pods' ports with those OpenKruise SidecarSets inject (support/sidecarSets.ts): a named targetPort a sidecar declares.
        const selected = services[0] !== undefined ? selectedBy(ctx, services[0]) : undefined;
        const podPorts = (selected?.producers ?? []).flatMap((p) => portsOf(ctx, p, selected?.placement).ports);
        const viaTarget = ports.find(
          (p) => (p.targetPort?.known === true && p.targetPort.value === want) || findPort(podPorts, p)?.containerPort === want,
        );
        if (viaTarget !== undefined && consulGateway(ctx, o, pl)) continue;
        const exposes = ports.length === 0 ? 'no ports' : `only ${ports.length === 1 ? 'port' : 'ports'} ${ports.map(portText).join(', ')}`;
        const cause =
          viaTarget !== undefined
            ? ` ${want} is the container port behind Service port ${portText(viaTarget)}: backendRefs name the Service port, not the container port.`
            : '';
        const consequence = o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute' ? 'the Gateway will answer 500' : 'its connections will fail';
        const w = writerFor(ctx, o.uri);
        const candidates = viaTarget !== undefined ? [viaTarget] : ports.filter((p) => p.protocol === proto);
        const fixes: Array<{ title: string; isPreferred?: boolean; edits: TextEdit[] }> = [];
        for (const p of candidates) {
          if (p.port?.known !== true) continue;
          fixes.push({
            title: `Use Service port ${p.port.value}`,
            ...(candidates.length === 1 ? { isPreferred: true } : {}),
            edits: [w.value(portV.span, p.port.value)],
          });
        }
        ctx.report({
          ...about(o, portV.span),
          ...tier(true),
          message: `${who} uses port ${want} of Service "${b.name}", which exposes ${exposes}: ${consequence}.${cause}`,
          ...(svc !== undefined
            ? { related: [{ uri: svc.uri, span: svc.service?.portsSpan ?? svc.anchor, message: `${describe(svc)}: ports` }] }
            : {}),
          fixes,
        });
      }
    }
  },
};
