/**
 * `gateway-listener-missing`: a parentRef's sectionName or port matches no listener of its
 * Gateway, so the route attaches to nothing there. docs/dev/gateway-api.md §3.
 */

import { about, tier } from '../support/findingFields.js';
import type { Check } from '../support/check.js';
import { writerFor } from '../../edits/writer.js';
import { describe } from '../support/evidence.js';
import { isNearMissName, nearestNames } from '../support/similarity.js';
import { attachmentOf } from './attach.js';
import { listenerText, parentRefFixKey } from './resolve.js';

export const gatewayListenerMissing: Check = {
  code: 'gateway-listener-missing',
  defaultSeverity: 'warning',
  summary: "A parentRef's sectionName or port matches no listener of its Gateway.",
  doc: [
    "A parentRef's `sectionName` selects the Gateway listener of that name, its `port` the listeners on that port (both:",
    'the listener with both). When no listener matches, the route is attached to nothing on that Gateway and serves no',
    'traffic through it. Reported when the Gateway exists with literal listeners.',
    '',
    '```yaml',
    'parentRefs:',
    '  - name: web',
    '    sectionName: http-s     # the listener is called "https"',
    '```',
    '',
    '**Fix:** name an existing listener (quick-fix with the nearest name).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      if (o.route === undefined) continue;
      for (const ref of o.route.parentRefs) {
        const pl = placed.placements[0];
        if (pl === undefined) continue;
        const a = attachmentOf(ctx, o, pl, ref);
        if (a.state !== 'no-listener') continue;
        const gw = a.gateway.obj;
        const listeners = gw.gateway?.listeners ?? [];
        const section = ref.sectionName?.known === true && ref.sectionName.value !== '' ? ref.sectionName : undefined;
        const port = ref.port?.known === true ? ref.port : undefined;
        const want = [section !== undefined ? `sectionName "${section.value}"` : '', port !== undefined ? `port ${port.value}` : '']
          .filter((s) => s !== '')
          .join(' and ');
        const names = listeners.map((l) => (l.name?.known === true ? l.name.value : '')).filter((n) => n !== '');
        const near =
          section !== undefined
            ? nearestNames(
                section.value,
                names.filter((n) => isNearMissName(section.value, n)),
                1,
              )[0]
            : undefined;
        const span = section?.span ?? port?.span ?? ref.span;
        // Not when another parentRef of the route names that listener already (a duplicate).
        const key = near === undefined ? undefined : parentRefFixKey(o, pl, ref, { sectionName: near });
        const who = describe(o, pl.floating ? undefined : pl.namespace);
        const gwPl = a.gateway.placements[0];
        const gwName = describe(gw, gwPl === undefined || gwPl.floating ? undefined : gwPl.namespace);
        ctx.report({
          ...about(o, span),
          ...tier(true),
          message: `${who} attaches to ${want} of ${gwName}, which has no such listener: the route serves no traffic through it. Listeners: ${listeners.map(listenerText).join(', ') || 'none'}.${near !== undefined ? ` Did you mean "${near}"?` : ''}`,
          related: [{ uri: gw.uri, span: gw.anchor, message: `${gwName}: listeners` }],
          ...(near !== undefined && section !== undefined && key !== false
            ? {
                fixes: [
                  {
                    title: `Attach to listener "${near}"`,
                    isPreferred: true,
                    edits: [writerFor(ctx, o.uri).value(section.span, near)],
                    ...(key !== undefined ? { exclusive: key } : {}),
                  },
                ],
              }
            : {}),
        });
      }
    }
  },
};
