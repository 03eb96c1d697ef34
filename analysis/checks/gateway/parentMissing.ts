/**
 * `gateway-parent-missing`: a route's parentRef names a Gateway that does not exist, so the route
 * is attached to nothing and serves no traffic. docs/dev/gateway-api.md §3; the absence rules of
 * docs/dev/checks-spec.md §1, plus: only where the workspace defines Gateways in that namespace.
 */

import { about } from '../support/findingFields.js';
import type { Check } from '../support/check.js';
import { writerFor } from '../../edits/writer.js';
import type { TextEdit } from '../../types.js';
import { absenceTier, absenceGate, describe, NO_EVIDENCE_HINT } from '../support/evidence.js';
import { isNearMissName, nearestNames } from '../support/similarity.js';
import { targetPlacement } from './backends.js';
import { attachmentOf } from './attach.js';
import { gatewaysAt, gatewaysNamedAnywhere, nameOf, parentRefFixKey } from './resolve.js';

export const gatewayParentMissing: Check = {
  code: 'gateway-parent-missing',
  defaultSeverity: 'warning',
  summary: 'A Gateway API route attaches to a Gateway that does not exist.',
  doc: [
    "A route's `parentRefs` name the Gateways it attaches to (group `gateway.networking.k8s.io` and kind `Gateway`",
    "by default), in the route's namespace unless `namespace` says otherwise. A route whose Gateway does not exist is",
    'attached to nothing: no listener serves its hostnames and paths.',
    '',
    'Gateways are often owned by a platform team outside the repository, so Kube Reach speaks only where the',
    "workspace defines Gateways in the parentRef's namespace: a warning when a Gateway there has a similar name, or",
    'a Gateway of that name exists in another namespace (and the route has a namespace of its own: a namespace-less',
    'route may be applied there); information otherwise, in a namespace the workspace owns.',
    '',
    '```yaml',
    'parentRefs:',
    '  - name: web-gw          # the Gateway is called "web-gateway"',
    '    namespace: infra',
    '```',
    '',
    "**Fix:** use the Gateway's name (quick-fix with the nearest name), or set `namespace` to where it is.",
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      if (o.route === undefined) continue;
      for (const ref of o.route.parentRefs) {
        const nameV = ref.name;
        if (nameV === undefined || !nameV.known) continue;
        for (const pl of placed.placements) {
          const a = attachmentOf(ctx, o, pl, ref);
          if (a.state !== 'no-gateway') continue;
          const at = targetPlacement(ref, pl);
          if (at === undefined) continue;
          const gate = absenceGate(ctx, o, at);
          if (gate.silent) continue;
          const name = nameV.value;
          const visible = gatewaysAt(
            ctx.index,
            pl,
            at === pl ? (pl.floating ? undefined : pl.namespace) : at.namespace,
            ref.namespace !== undefined,
          );
          const names = visible.map((p) => nameOf(p.obj)).filter((n) => n !== '');
          const near = nearestNames(
            name,
            names.filter((n) => isNearMissName(name, n)),
            3,
          );
          const ns = gate.namespace;
          // A floating object (no namespace of its own) lands wherever it is applied, so the name bound
          // in another namespace is no evidence: it may land there too.
          const elsewhere =
            ns === undefined
              ? []
              : [...new Set(gatewaysNamedAnywhere(ctx.index, name).flatMap((p) => p.placements.map((x) => x.namespace)))]
                  .filter((other): other is string => other !== undefined && other !== ns)
                  .sort();
          const who = describe(o, pl.floating ? undefined : pl.namespace);
          const first = `${who} attaches to Gateway "${ns === undefined ? name : `${ns}/${name}`}", which does not exist: the route serves no traffic.`;
          const w = writerFor(ctx, o.uri);
          let detail: string | undefined;
          const fixes: Array<{ title: string; isPreferred?: boolean; edits: TextEdit[]; exclusive?: string }> = [];
          if (near.length > 0) {
            detail = `Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?`;
            // Not when another parentRef of the route names that Gateway and listener already (a duplicate).
            const key = parentRefFixKey(o, pl, ref, { name: near[0] ?? '' });
            if (key !== false)
              fixes.push({
                title: `Attach to Gateway "${near[0] ?? ''}"`,
                isPreferred: true,
                edits: [w.value(nameV.span, near[0] ?? '')],
                ...(key !== undefined ? { exclusive: key } : {}),
              });
          } else if (elsewhere.length > 0 && ref.namespace === undefined) {
            const other = elsewhere[0] ?? '';
            detail = `Gateway "${name}" exists in namespace "${other}": set the parentRef's namespace.`;
            const edit = w.insertAfter(nameV.span, 'namespace', other);
            if (edit !== undefined) fixes.push({ title: `Set namespace "${other}"`, isPreferred: true, edits: [edit] });
          }
          // Without evidence: only where the workspace manages Gateways in that namespace.
          if (detail === undefined && (!gate.owned || visible.length === 0)) continue;
          const target = near[0] === undefined ? undefined : visible.find((p) => nameOf(p.obj) === near[0])?.obj;
          ctx.report({
            ...about(o, nameV.span, ns),
            ...absenceTier(ctx, detail !== undefined, target, o.uri),
            message:
              detail !== undefined
                ? `${first} ${detail}`
                : `${first} Gateways there: ${nearestNames(name, names, 5)
                    .map((n) => `"${n}"`)
                    .join(', ')}. ${NO_EVIDENCE_HINT}`,
            ...(fixes.length > 0 ? { fixes } : {}),
          });
          break;
        }
      }
    }
  },
};
