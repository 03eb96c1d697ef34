/**
 * `gateway-hostname-mismatch`: no hostname of a route intersects the hostname of any listener it
 * would attach to, so none accepts it. docs/dev/gateway-api.md §2.
 */

import { about, tier } from '../support/findingFields.js';
import type { Check } from '../support/check.js';
import { describe } from '../support/evidence.js';
import { attachmentOf } from './attach.js';
import { listenerText } from './resolve.js';

export const gatewayHostnameMismatch: Check = {
  code: 'gateway-hostname-mismatch',
  defaultSeverity: 'warning',
  summary: "A route's hostnames intersect no hostname of the listeners it attaches to.",
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
