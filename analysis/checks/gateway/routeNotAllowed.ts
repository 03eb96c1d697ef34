/**
 * `gateway-route-not-allowed`: every listener a parentRef selects rejects the route, by kind or by
 * namespace (allowedRoutes). docs/dev/gateway-api.md §3.
 */

import { about, tier } from '../support/findingFields.js';
import type { Check } from '../support/check.js';
import { describe } from '../support/evidence.js';
import { selectorText } from '../support/evidence.js';
import type { GatewayListener } from '../../model/gateway.js';
import { attachmentOf } from './attach.js';
import { listenerText } from './resolve.js';

function why(
  l: GatewayListener,
  reason: 'kind' | 'namespace',
  routeKind: string,
  gwNs: string | undefined,
  routeNs: string | undefined,
): string {
  const name = listenerText(l);
  if (reason === 'kind') {
    if (l.kinds !== undefined)
      return `listener ${name} admits only ${l.kinds.map((k) => k.kind).join(', ')} (allowedRoutes.kinds), not ${routeKind}`;
    if (l.protocol === 'TLS' && l.tlsMode === 'Passthrough')
      return `listener ${name} passes TLS through (tls.mode: Passthrough), which carries TLSRoutes only, not ${routeKind} (a TLS listener that terminates TLS takes TCPRoutes)`;
    return `listener ${name} speaks ${l.protocol ?? '?'}, which carries no ${routeKind}`;
  }
  if (l.from === 'Same')
    return `listener ${name} admits routes only from its own namespace${gwNs !== undefined ? ` "${gwNs}"` : ''} (allowedRoutes.namespaces.from defaults to Same)`;
  return `listener ${name} admits routes only from namespaces with ${l.namespaceSelector !== undefined ? selectorText(l.namespaceSelector) : '?'}${routeNs !== undefined ? `, which "${routeNs}" lacks` : ''}`;
}

export const gatewayRouteNotAllowed: Check = {
  code: 'gateway-route-not-allowed',
  defaultSeverity: 'warning',
  summary: "A Gateway's listeners do not allow the route (allowedRoutes kinds or namespaces).",
  doc: [
    "A Gateway listener's `allowedRoutes` decides which routes may attach: `namespaces.from` is `Same` by default (only",
    "routes in the Gateway's namespace), `All`, or `Selector` (namespaces whose labels match); `kinds` lists the route",
    'kinds, and without it the listener protocol decides (HTTP/HTTPS: HTTPRoute and GRPCRoute; TLS: TLSRoute, and',
    'TCPRoute where the listener terminates TLS; TCP: TCPRoute; UDP: UDPRoute). When every listener the parentRef',
    'selects rejects the route, it is not attached and serves no traffic. A route in another namespace than a Gateway',
    'with the default `from: Same` is the usual case.',
    "Namespace labels are those the workspace declares; an undeclared namespace's labels are unknown (silence).",
    '',
    '```yaml',
    'listeners:',
    '  - name: https',
    '    protocol: HTTPS',
    '    port: 443          # no allowedRoutes: routes from other namespaces cannot attach',
    '```',
    '',
    "**Fix:** allow the route's namespace on the listener (`allowedRoutes.namespaces.from: Selector` with a selector",
    "that matches it, or `All`), or attach to a listener that speaks the route's protocol.",
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      if (o.route === undefined) continue;
      for (const ref of o.route.parentRefs) {
        const pl = placed.placements[0];
        if (pl === undefined || ref.name === undefined || !ref.name.known) continue;
        const a = attachmentOf(ctx, o, pl, ref);
        if (a.state !== 'not-allowed') continue;
        const gw = a.gateway.obj;
        const gwPl = a.gateway.placements[0];
        const gwNs = gwPl === undefined || gwPl.floating ? undefined : gwPl.namespace;
        const routeNs = pl.floating ? undefined : pl.namespace;
        const reasons = a.reasons.map((r) => why(r.listener, r.why, o.kind, gwNs, routeNs));
        ctx.report({
          ...about(o, ref.name.span),
          ...tier(true),
          message: `${describe(o, routeNs)} cannot attach to ${describe(gw, gwNs)}: ${reasons.join('; ')}. The route serves no traffic through it.`,
          related: a.reasons.map((r) => ({
            uri: gw.uri,
            span: r.listener.fromSpan ?? r.listener.span,
            message: `${describe(gw, gwNs)}: listener ${listenerText(r.listener)}`,
          })),
        });
      }
    }
  },
};
