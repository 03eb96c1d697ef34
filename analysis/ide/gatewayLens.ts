/**
 * The code lens on a Gateway API route (docs/dev/gateway-api.md §3): where it attaches
 * ("attached to infra/web/https · 2 backends") or why not, with the listeners and backend
 * Services as its locations.
 */

import type { CheckContext } from '../checks/support/check.js';
import { attachmentOf } from '../checks/gateway/attach.js';
import { serviceBackendRefs, servicesForRef } from '../checks/gateway/backends.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { CodeLensInfo, Location } from '../types.js';

function gatewayPath(p: Placed): string {
  const pl = p.placements[0];
  const name = p.obj.name?.known === true ? p.obj.name.value : '?';
  return pl === undefined || pl.floating || pl.namespace === undefined ? name : `${pl.namespace}/${name}`;
}

const WHY: Readonly<Record<string, string>> = {
  'no-gateway': 'no such Gateway',
  'no-listener': 'no such listener',
  'not-allowed': 'not allowed',
  'no-hostname': 'no hostname in common',
};

export function routeLens(ctx: CheckContext, p: Placed): CodeLensInfo | undefined {
  const route = p.obj.route;
  const pl = p.placements[0];
  if (route === undefined || pl === undefined) return undefined;
  const parents: string[] = [];
  const locations: Location[] = [];
  for (const ref of route.parentRefs) {
    const a = attachmentOf(ctx, p.obj, pl, ref);
    const name = ref.name?.known === true ? ref.name.value : '?';
    if (a.state === 'attached') {
      const listeners = a.listeners.map((l) => (l.name?.known === true ? l.name.value : '?'));
      parents.push(`attached to ${gatewayPath(a.gateway)}/${listeners.join('+')}`);
      for (const l of a.listeners) locations.push({ uri: a.gateway.obj.uri, span: l.span });
    } else if (a.state === 'unknown') {
      parents.push(`parent ${name}`);
    } else {
      parents.push(`not attached to ${name} (${WHY[a.state] ?? a.state})`);
    }
  }
  const backends = serviceBackendRefs(p.obj);
  for (const b of backends) {
    const svc = servicesForRef(ctx.index, b.ref, pl, b.name)[0];
    if (svc !== undefined && !locations.some((l) => l.uri === svc.obj.uri && l.span === svc.obj.anchor))
      locations.push({ uri: svc.obj.uri, span: svc.obj.anchor });
  }
  const count = new Set(
    backends.map(
      (b) =>
        `${b.ref.namespace?.known === true ? b.ref.namespace.value : ''}/${b.name}:${b.ref.port?.known === true ? b.ref.port.value : ''}`,
    ),
  ).size;
  const title = [parents.length > 0 ? parents.join(', ') : 'no parentRefs', `${count} backend${count === 1 ? '' : 's'}`].join(' · ');
  return { span: p.obj.anchor, title, action: 'references', locations };
}
