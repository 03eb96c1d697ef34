/**
 * `gateway-reference-not-permitted`: a cross-namespace backendRef (route → Service) or
 * certificateRef (Gateway listener → Secret) that no ReferenceGrant in the target namespace
 * permits. docs/dev/gateway-api.md §4. The grant lives with the target, often in another team's
 * repository: silent unless the workspace owns the target namespace; a warning only with evidence
 * (a grant there that nearly permits it, or the target defined in the referrer's own unit).
 */

import { about, tier } from '../support/findingFields.js';
import type { Check, CheckContext } from '../support/check.js';
import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import type { GatewayObjectRef } from '../../model/gateway.js';
import { GATEWAY_GROUP } from '../../model/gateway.js';
import type { KObject } from '../../model/types.js';
import { absenceGate, describe, NO_EVIDENCE_HINT } from '../support/evidence.js';
import { crossesNamespace, grantsIn, referenceGranted } from './resolve.js';

function kindText(group: string, kind: string): string {
  return group === '' ? kind : `${kind}.${group}`;
}

/** A grant in the target namespace that covers one side of the reference but not the other. */
function nearGrant(
  ctx: CheckContext,
  toNs: string,
  from: { group: string; kind: string; namespace: string },
  to: { group: string; kind: string; name: string },
): Placed | undefined {
  return grantsIn(ctx.index, toNs).find((p) => {
    const g = p.obj.referenceGrant;
    if (g === undefined) return false;
    const fromOk = g.from.some((f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace);
    const toOk = g.to.some((t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === to.name));
    return fromOk !== toOk;
  });
}

/**
 * A backendRef to a Gateway API route (an HTTPRoute naming HTTPRoutes of another namespace: kgateway's and agentgateway's
 * route delegation) is implementation-specific, and so is its consent: the name selects child routes (`*`, a label
 * `key=value`), and a child that names the parent in its own parentRefs accepts it without a ReferenceGrant
 * (agentgateway `translator/route_collections.go` `childAllowsParent`). Not judged.
 */
function delegation(ref: GatewayObjectRef): boolean {
  return ref.group === GATEWAY_GROUP && ref.kind.endsWith('Route');
}

function judge(ctx: CheckContext, o: KObject, pl: Placement, ref: GatewayObjectRef, what: string, consequence: string): void {
  if (ref.unknown || ref.name === undefined || !ref.name.known || ref.namespace === undefined || !ref.namespace.known) return;
  if (crossesNamespace(ref, pl) !== true || pl.namespace === undefined) return;
  const toNs = ref.namespace.value;
  const from = { group: GATEWAY_GROUP, kind: o.kind, namespace: pl.namespace };
  const to = { group: ref.group, kind: ref.kind, name: ref.name.value };
  const at: Placement = { unit: pl.unit, namespace: toNs, floating: false };
  const gate = absenceGate(ctx, o, at);
  if (gate.silent) return;
  if (referenceGranted(ctx, from, toNs, to) !== 'no') return;
  const near = nearGrant(ctx, toNs, from, to);
  const sameUnit = ctx.index
    .objectsOfUnit(pl.unit)
    .some(
      (p) =>
        p.obj.kind === ref.kind &&
        p.obj.group === ref.group &&
        p.obj.name?.known === true &&
        p.obj.name.value === to.name &&
        p.placements.some((x) => x.namespace === toNs && !x.floating),
    );
  const evidence = near !== undefined || sameUnit;
  if (!evidence && !gate.owned) return;
  const who = describe(o, pl.namespace);
  const target = `${kindText(to.group, to.kind)} "${toNs}/${to.name}"`;
  const first = `${who} ${what} ${target} in another namespace, and no ReferenceGrant in "${toNs}" permits it: ${consequence}.`;
  let detail: string;
  if (near !== undefined) {
    const g = near.obj.referenceGrant;
    const froms = (g?.from ?? []).map((f) => `${f.kind} from "${f.namespace}"`).join(', ');
    const tos = (g?.to ?? []).map((t) => `${t.kind}${t.name !== undefined ? ` "${t.name}"` : ''}`).join(', ');
    detail = `${describe(near.obj, toNs)} permits ${froms} to reach ${tos}, not this ${o.kind} from "${pl.namespace}".`;
  } else if (sameUnit) {
    detail = `Add a ReferenceGrant in "${toNs}" from ${o.kind} in "${pl.namespace}" to ${to.kind} "${to.name}".`;
  } else {
    detail = NO_EVIDENCE_HINT;
  }
  ctx.report({
    ...about(o, ref.namespace.span, toNs),
    ...tier(evidence),
    message: `${first} ${detail}`,
    ...(near !== undefined ? { related: [{ uri: near.obj.uri, span: near.obj.anchor, message: describe(near.obj, toNs) }] } : {}),
  });
}

export const gatewayReferenceNotPermitted: Check = {
  code: 'gateway-reference-not-permitted',
  defaultSeverity: 'warning',
  summary: 'A cross-namespace backendRef or certificateRef that no ReferenceGrant permits.',
  doc: [
    "A route's `backendRef` to a Service in another namespace, or a Gateway listener's `certificateRef` to a Secret in",
    'another namespace, is followed only when a **ReferenceGrant in the target namespace** permits it: a `from` entry',
    "with the referrer's group, kind and namespace and a `to` entry with the target's group and kind (and its name, or",
    'none). Without one the backend gets no traffic (HTTP 500 for HTTPRoute) and the listener no certificate.',
    "(Attaching a route to a Gateway in another namespace is governed by the listener's `allowedRoutes`, see",
    '`gateway-route-not-allowed`.)',
    '',
    'Grants live with the target, often in another repository: Kube Reach speaks only when the workspace owns the target',
    'namespace; a warning when a grant there nearly permits the reference (another namespace or kind) or the target is',
    "defined in the referrer's own unit, information otherwise. A backendRef to a route (kgateway's and agentgateway's route",
    "delegation) is not judged: which child routes it selects and how they consent is the implementation's.",
    '',
    '```yaml',
    'backendRefs:',
    '  - name: catalog',
    '    namespace: catalog     # needs a ReferenceGrant in "catalog" from HTTPRoute in this namespace',
    '    port: 80',
    '```',
    '',
    '**Fix:** add the ReferenceGrant in the target namespace, or move the backend next to the route.',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const pl = placed.placements[0];
      if (pl === undefined) continue;
      if (o.route !== undefined) {
        const consequence =
          o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute' ? 'the Gateway will answer 500 for its share' : 'its connections will fail';
        for (const r of o.route.rules)
          for (const ref of r.backendRefs) if (!delegation(ref)) judge(ctx, o, pl, ref, 'sends traffic to', consequence);
      }
      if (o.gateway !== undefined) {
        for (const l of o.gateway.listeners)
          for (const ref of l.certificateRefs)
            judge(
              ctx,
              o,
              pl,
              ref,
              `serves listener ${l.name?.known === true ? `"${l.name.value}"` : ''} with`,
              'the listener gets no certificate',
            );
      }
    }
  },
};
