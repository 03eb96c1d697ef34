/**
 * `gateway-hostname-mismatch`: no hostname of a route intersects the hostname of any listener it
 * would attach to, so none accepts it (docs/dev/gateway-api.md §2); or every name it answers there
 * is taken by a listener with a more specific hostname on the same port (§10 rule 1).
 */

import { about, tier } from '../support/findingFields.js';
import type { Check } from '../support/check.js';
import { describe } from '../support/evidence.js';
import { attachmentOf } from './attach.js';
import { listenerText } from './resolve.js';
import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import type { GatewayListener, GatewayObjectRef } from '../../model/gateway.js';
import type { KObject } from '../../model/types.js';
import type { CheckContext } from '../support/check.js';
import { claimingListener, hostsOnListener } from '../../model/gatewayMatchKeys.js';

export const gatewayHostnameMismatch: Check = {
  code: 'gateway-hostname-mismatch',
  defaultSeverity: 'warning',
  summary:
    "A route's hostnames intersect no hostname of the listeners it attaches to, or only names a more specific listener on the same port takes.",
  doc: [
    'When both a listener and a route specify hostnames, the route attaches to the listener only if some hostname of',
    'each intersects (equal, or a wildcard `*.example.com` matching `a.example.com` and `a.b.example.com`, never',
    "`example.com`). When no listener that the parentRef selects and allows admits any of the route's hostnames, the",
    'route is not accepted and serves no traffic.',
    '',
    '```yaml',
    '# listener: hostname: "*.example.com"',
    'hostnames: [store.example.org]',
    '```',
    '',
    '**Fix:** use a hostname the listener serves, or add a listener for it.',
    '',
    'A Gateway gives a request to the listener with the most specific hostname on its port ("inbound request hostnames',
    'MUST match from the most specific to least specific Hostname values to choose the correct Listener and its',
    'associated set of Routes", the Listener API; conformance: GatewayHTTPListenerIsolation). A route attached to a',
    '`*.example.com` listener only for `shop.example.com`, where a `shop.example.com` listener is on the same port, is',
    'accepted but gets no request: that listener and its routes take them all. Reported too (HTTP and HTTPS',
    'listeners; TLS listeners choose by the server name a TLSRoute answers likewise), naming the listener that takes them. **Fix:** attach the route to that listener (`sectionName`).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const route = o.route;
      if (route === undefined) continue;
      for (const ref of route.parentRefs) {
        const pl = placed.placements[0];
        if (pl === undefined) continue;
        const a = attachmentOf(ctx, o, pl, ref);
        if (a.state === 'attached') {
          reportClaimed(ctx, placed.obj, pl, ref, a.gateway, a.listeners);
          continue;
        }
        if (a.state !== 'no-hostname') continue;
        const gw = a.gateway.obj;
        const gwPl = a.gateway.placements[0];
        const gwNs = gwPl === undefined || gwPl.floating ? undefined : gwPl.namespace;
        const hosts = (route.hostnames ?? []).map((h) => (h.known ? h.value : '?'));
        const listeners = a.listeners.map((l) => `${listenerText(l)}: ${l.hostname?.known === true ? l.hostname.value : '*'}`);
        ctx.report({
          ...about(o, route.hostnamesSpan ?? ref.span),
          ...tier(true),
          message: `${describe(o, pl.floating ? undefined : pl.namespace)}: no hostname (${hosts.join(', ')}) intersects the listeners of ${describe(gw, gwNs)} it attaches to (${listeners.join('; ')}): the route is not accepted there.`,
          related: a.listeners.map((l) => ({
            uri: gw.uri,
            span: l.hostname?.span ?? l.span,
            message: `${describe(gw, gwNs)}: listener ${listenerText(l)}`,
          })),
        });
      }
    }
  },
};

/**
 * An HTTPRoute, GRPCRoute or TLSRoute whose parentRef attaches it only to listeners where another listener on the same port, with a
 * more specific hostname, takes every name it answers (docs/dev/gateway-api.md §10 rule 1): it gets no request there.
 */
function reportClaimed(
  ctx: CheckContext,
  o: KObject,
  pl: Placement,
  ref: GatewayObjectRef,
  gateway: Placed,
  listeners: readonly GatewayListener[],
): void {
  const route = o.route;
  if (route === undefined || !['HTTPRoute', 'GRPCRoute', 'TLSRoute'].includes(o.kind) || route.hostnames === undefined) return;
  const own: string[] = [];
  for (const h of route.hostnames) {
    if (!h.known) return;
    own.push(h.value.toLowerCase());
  }
  const all = gateway.obj.gateway?.listeners ?? [];
  const taken: Array<{ readonly host: string; readonly on: GatewayListener; readonly by: GatewayListener }> = [];
  for (const l of listeners) {
    if (l.hostname !== undefined && !l.hostname.known) return;
    const claimer = claimingListener(l, all);
    for (const { host } of hostsOnListener(own, l.hostname?.known === true ? l.hostname.value.toLowerCase() : undefined)) {
      const by = claimer(host);
      if (by === undefined) return;
      taken.push({ host, on: l, by });
    }
  }
  const first = taken[0];
  if (first === undefined) return;
  const gpl = gateway.placements[0];
  const gwNs = gpl === undefined || gpl.floating ? undefined : gpl.namespace;
  const by = [...new Set(taken.map((t) => t.by))];
  const on = [...new Set(taken.map((t) => t.on))];
  ctx.report({
    ...about(o, route.hostnamesSpan ?? ref.span),
    ...tier(true),
    message: `${describe(o, pl.floating ? undefined : pl.namespace)} is attached to ${on.map((l) => `listener ${listenerText(l)}`).join(', ')} of ${describe(gateway.obj, gwNs)} for ${[...new Set(taken.map((t) => t.host))].join(', ')} only, which ${by.map((l) => `listener ${listenerText(l)}, hostname ${l.hostname?.known === true ? l.hostname.value : '*'},`).join(' and ')} on the same port ${by.length === 1 ? 'takes' : 'take'}: a Gateway gives ${o.kind === 'TLSRoute' ? 'a connection (by its server name)' : 'a request'} to the listener with the most specific hostname on its port, so the route gets none of them. Attach it to ${by.length === 1 ? 'that listener' : 'those listeners'} (sectionName).`,
    related: by.map((l) => ({
      uri: gateway.obj.uri,
      span: l.hostname?.span ?? l.span,
      message: `${describe(gateway.obj, gwNs)}: listener ${listenerText(l)}, which takes ${first.host}`,
    })),
  });
}
