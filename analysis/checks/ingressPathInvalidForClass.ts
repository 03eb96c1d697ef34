/**
 * `ingress-path-invalid-for-class`: ingress-nginx (v1.12+ by default) rejects Exact and Prefix paths
 * that contain anything but letters, digits, `/`, `_` and `-` — regex captures, but also `.` and `:`.
 */

import { about, tier } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { writerFor } from '../edits/writer.js';
import { describe } from './support/evidence.js';
import { effectiveClass, isIngressNginx } from './support/ingressClasses.js';

const SAFE = /^[A-Za-z0-9/_-]*$/;

export const ingressPathInvalidForClass: Check = {
  code: 'ingress-path-invalid-for-class',
  defaultSeverity: 'warning',
  summary: 'ingress-nginx rejects this Exact/Prefix path (characters outside [A-Za-z0-9/_-]).',
  doc: [
    'Since controller v1.12, ingress-nginx validates paths strictly (`strict-validate-path-type`): a path with',
    '`pathType: Exact` or `Prefix` may contain only letters, digits, `/`, `_` and `-`. Regex captures like',
    '`/api(/|$)(.*)`, and also plain `.` or `:` (`/.well-known/openid-configuration`), make its admission webhook',
    'reject the whole Ingress. Reported only when the class is served by ingress-nginx.',
    '',
    '**Fix:** `pathType: ImplementationSpecific` (quick-fix), which ingress-nginx matches as before.',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      if (o.ingress === undefined || !isIngressNginx(ctx.index, effectiveClass(o))) continue;
      const text = ctx.text(o.uri);
      for (const r of o.ingress.rules) {
        for (const p of r.paths) {
          if (p.path === undefined || !p.path.known || (p.pathType !== 'Exact' && p.pathType !== 'Prefix')) continue;
          if (SAFE.test(p.path.value)) continue;
          const ptSpan = text === undefined ? undefined : findPathTypeSpan(text, p.span.start, p.span.end, p.pathType);
          ctx.report({
            ...about(o, p.path.span),
            ...tier(true),
            message: `${describe(o, placed.placements[0]?.namespace)}: ingress-nginx rejects path "${p.path.value}" with pathType ${p.pathType}: such paths may contain only letters, digits, "/", "_" and "-" (strict path validation, on by default since v1.12). Use pathType: ImplementationSpecific.`,
            ...(ptSpan !== undefined
              ? {
                  fixes: [
                    {
                      title: 'Set pathType to ImplementationSpecific',
                      isPreferred: true,
                      edits: [writerFor(ctx, o.uri).value(ptSpan, 'ImplementationSpecific')],
                    },
                  ],
                }
              : {}),
          });
        }
      }
    }
  },
};

/** The span of the `pathType` value within a path item's text. */
function findPathTypeSpan(text: string, start: number, end: number, value: string): { start: number; end: number } | undefined {
  const slice = text.slice(start, end);
  const m = new RegExp(`pathType\\s*:\\s*["']?(${value})`).exec(slice);
  if (m === null || m[1] === undefined) return undefined;
  const at = start + m.index + m[0].length - m[1].length;
  return { start: at, end: at + m[1].length };
}
