/**
 * Workspace facts on hover in Gateway API routes (docs/dev/design.md §4, docs/dev/gateway-api.md):
 * on a parentRef, the Gateway and the listeners it attaches to (or why not); on a backendRef, the
 * Service, the port's targetPort and the pods behind it.
 */

import { attachmentOf } from '../checks/gateway/attach.js';
import { servicesForRef } from '../checks/gateway/backends.js';
import { listenerText } from '../checks/gateway/resolve.js';
import { describe } from '../checks/support/evidence.js';
import { objectPath } from '../checks/support/objectPath.js';
import { findPort, selectedBy } from '../checks/support/serviceTargets.js';
import type { Analysis } from '../host.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { GatewayListener } from '../model/gateway.js';
import { lookupContext } from './context.js';

function listenerLine(l: GatewayListener): string {
  const host = l.hostname?.known === true ? l.hostname.value : 'any hostname';
  return `- listener ${listenerText(l)} · ${l.protocol ?? '?'} · ${host}`;
}

function gatewayName(p: Placed): string {
  const pl = p.placements[0];
  return describe(p.obj, pl === undefined || pl.floating ? undefined : pl.namespace);
}

export function routeRefHover(analysis: Analysis, placed: Placed, keys: readonly string[], offset: number): string | undefined {
  const route = placed.obj.route;
  const pl = placed.placements[0];
  if (route === undefined || pl === undefined) return undefined;
  const ctx = lookupContext(analysis);
  if (keys[1] === 'parentRefs') {
    const ref = route.parentRefs.find((r) => r.span.start <= offset && offset <= r.span.end);
    if (ref === undefined) return undefined;
    const a = attachmentOf(ctx, placed.obj, pl, ref);
    const name = ref.name?.known === true ? ref.name.value : '?';
    switch (a.state) {
      case 'attached':
        return [
          `**Parent** → ${gatewayName(a.gateway)} — \`${objectPath(analysis.index, a.gateway.obj.uri, placed.obj.uri)}\``,
          '',
          'Attached to:',
          ...a.listeners.map(listenerLine),
        ].join('\n');
      case 'no-gateway':
        return `**Parent** Gateway \`${name}\`: no such Gateway in ${a.namespace === undefined ? 'this unit' : `namespace "${a.namespace}"`} in the workspace.`;
      case 'no-listener':
        return [
          `**Parent** → ${gatewayName(a.gateway)}: no listener matches this sectionName/port.`,
          '',
          ...(a.gateway.obj.gateway?.listeners ?? []).map(listenerLine),
        ].join('\n');
      case 'not-allowed':
        return [
          `**Parent** → ${gatewayName(a.gateway)}: its listeners do not allow this route (allowedRoutes).`,
          '',
          ...a.reasons.map((r) => listenerLine(r.listener)),
        ].join('\n');
      case 'no-hostname':
        return [
          `**Parent** → ${gatewayName(a.gateway)}: no hostname of the route intersects these listeners'.`,
          '',
          ...a.listeners.map(listenerLine),
        ].join('\n');
      default:
        return undefined;
    }
  }
  const ref = route.rules.flatMap((r) => r.backendRefs).find((r) => r.span.start <= offset && offset <= r.span.end);
  if (ref === undefined || ref.unknown || ref.group !== '' || ref.kind !== 'Service' || ref.name === undefined || !ref.name.known)
    return undefined;
  const name = ref.name.value;
  const svc = servicesForRef(analysis.index, ref, pl, name)[0];
  if (svc === undefined)
    return `**Backend** Service \`${name}\`: no such Service ${ref.namespace?.known === true ? `in namespace "${ref.namespace.value}" ` : ''}in the workspace.`;
  const svcPl = svc.placements[0];
  const lines = [
    `**Backend** → ${describe(svc.obj, svcPl === undefined || svcPl.floating ? undefined : svcPl.namespace)} — \`${objectPath(analysis.index, svc.obj.uri, placed.obj.uri)}\``,
    '',
  ];
  const want = ref.port?.known === true ? ref.port.value : undefined;
  const sp = (svc.obj.service?.ports ?? []).find((p) => p.port?.known === true && p.port.value === want);
  if (sp === undefined) {
    lines.push(`Port ${want ?? '?'} is not one of its ports.`);
    return lines.join('\n');
  }
  const tp = sp.targetPort ?? sp.port;
  const weight = ref.weight?.known === true ? ` · weight ${ref.weight.value}` : '';
  lines.push(
    `Service port ${want ?? '?'}/${sp.protocol}${sp.name?.known === true ? ` ("${sp.name.value}")` : ''} → targetPort ${tp?.known === true ? tp.value : '?'}${weight}`,
    '',
  );
  const sel = selectedBy(ctx, svc);
  for (const p of sel?.producers ?? []) {
    const cp = findPort(p.obj.pod?.ports ?? [], sp);
    lines.push(`- ${describe(p.obj)}${cp !== undefined ? `: pod port ${cp.containerPort}/${cp.protocol}` : ''}`);
  }
  if ((sel?.producers.length ?? 0) === 0) lines.push('- no pods: the Service selects no workload in this workspace');
  return lines.join('\n');
}
