/**
 * The absence finding of a backend that names a Service nothing defines where it points: one core
 * for `ingress-backend-missing` and `gateway-backend-missing` (docs/dev/checks-spec.md §1). The
 * gate (owned namespace, complete unit, operators), the evidence (a near-miss name, the same name
 * in another namespace), the chart's other values and the quick-fix are judged here; the checks
 * bring the backend, whether a Service answers it, and their words.
 */

import type { KObject, Value } from '../../model/types.js';
import type { Placement } from '../../workspace/workspaceIndex.js';
import { writerFor } from '../../edits/writer.js';
import { about } from './findingFields.js';
import type { CheckContext } from './check.js';
import { absenceGate, absenceTier, NO_EVIDENCE_HINT, operatorProducedName, unseenPodMakers } from './evidence.js';
import { serviceElsewhere } from './alternativeTwin.js';
import { serviceNamesAt } from './nameIndex.js';
import { assertedService } from './asserted.js';

export interface MissingBackend {
  readonly obj: KObject;
  /** The Service name as written (known), where the finding and the fix go. */
  readonly nameV: Value<string> & { readonly known: true };
  /** Where the Service must be: the object's placement, or the namespace the backend names. */
  readonly at: Placement;
  /** The object's own placement when `at` is another namespace (a backendRef's `namespace`): its alternatives' twins are there. */
  readonly own?: Placement;
  /** Whether a Service answers the backend there. */
  readonly exists: () => boolean;
  /** The message's first sentence, given the namespace the absence is judged in (undefined: the unit's). */
  readonly first: (ns: string | undefined) => string;
  /**
   * The detail when the Service exists only in namespace `other`; undefined when that is no
   * evidence for this backend (a backendRef that already names its namespace).
   */
  readonly elsewhere: ((other: string) => string) | undefined;
  /**
   * Without evidence, list the unit's Services as neighbours and offer the nearest as a quick-fix
   * that is not preferred (an Ingress); otherwise the fix is offered only with evidence.
   */
  readonly neighbours: boolean;
  readonly fixTitle: (service: string) => string;
}

/** Reports the finding of `b` if it holds; true when it was reported (the backend is told once). */
export function reportMissingBackend(ctx: CheckContext, b: MissingBackend): boolean {
  const o = b.obj;
  const name = b.nameV.value;
  const gate = absenceGate(ctx, o, b.at);
  if (gate.silent) return false;
  if (b.exists()) return false;
  const ns = gate.namespace;
  // An operator's name, or a Service the test folder's assertions expect (support/asserted.ts).
  if (operatorProducedName(ctx, ns ?? b.at, name) || assertedService(ctx, o, name)) return false;
  // Indexed once per scope (checks/support/nameIndex.ts): not every Service measured for every backend.
  const local = serviceNamesAt(ctx, ns, b.at.unit);
  const near = local.names.near(name, 3);
  // A floating object (no namespace of its own) lands wherever it is applied, so the name bound
  // in another namespace is no evidence: it may land there too. Likewise a floating Service of
  // that name (a test harness applies `testdata/podinfo.yaml` into each test's namespace): it
  // exists in no namespace of its own, so it is no evidence that it lives elsewhere.
  const elsewhere =
    ns === undefined || b.elsewhere === undefined
      ? []
      : [...new Set(ctx.index.servicesNamedAnywhere(name).flatMap((p) => p.placements.filter((x) => !x.floating).map((x) => x.namespace)))]
          .filter((other): other is string => other !== undefined && other !== ns)
          .sort();
  // Whether the unit has Services, and the suggestion's first by name: no pass over every Service of
  // the unit (each read moved a moved Service's name), and no re-check when one of them changes (a
  // 5 MB bundle's Service edit re-checked every Ingress of the file with a missing backend).
  const listed = b.neighbours && ctx.index.hasServicesInUnit(b.at.unit);
  const first = b.first(ns);
  // Evidence is about the missing Service itself: a near-miss of its name, or the same name in
  // another namespace. The unit's other Services are neighbours, not evidence: listed, but the
  // finding stays information. A custom resource of an unknown operator here may make the
  // Service: no evidence then.
  const unseen = unseenPodMakers(ctx, ns ?? b.at).length > 0;
  let detail: string | undefined;
  if (!unseen && near.length > 0) detail = `Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?`;
  else if (!unseen && elsewhere[0] !== undefined && b.elsewhere !== undefined) detail = b.elsewhere(elsewhere[0]);
  const suggestion = near[0] ?? (listed ? local.names.nearest(name, 5)[0] : undefined);
  const neighbours =
    detail === undefined && listed && suggestion !== undefined
      ? `Services in this unit: ${local.names
          .nearest(name, 5)
          .map((n) => `"${n}"`)
          .join(', ')}.`
      : undefined;
  // A Service template of the chart the render left out writes it under other values, or an alternative
  // that defines this object too does (support/alternativeTwin.ts): information naming it.
  const note = serviceElsewhere(ctx, o, b.own ?? b.at, ns, b.nameV);
  if ((detail === undefined || note !== undefined) && !gate.owned) return false;
  if (note !== undefined) {
    ctx.report({
      ...about(o, b.nameV.span, ns),
      ...absenceTier(ctx, false, undefined, o.uri),
      message: `${first} ${note.hint}`,
      related: [note.related],
    });
    return true;
  }
  const target =
    suggestion === undefined
      ? undefined
      : b.neighbours
        ? ctx.index.servicesNamedInUnit(b.at.unit, suggestion)[0]?.obj
        : local.first.get(suggestion);
  // An Ingress is offered its nearest neighbour too (not preferred); a route only the evidence's name.
  const fixed = suggestion !== undefined && (b.neighbours ? near.length > 0 || listed : detail !== undefined);
  ctx.report({
    ...about(o, b.nameV.span, ns),
    ...absenceTier(ctx, detail !== undefined, target, o.uri),
    message: `${first} ${detail ?? neighbours ?? NO_EVIDENCE_HINT}`,
    ...(fixed
      ? {
          fixes: [
            {
              title: b.fixTitle(suggestion),
              isPreferred: near.length > 0,
              edits: [writerFor(ctx, o.uri).value(b.nameV.span, suggestion)],
            },
          ],
        }
      : {}),
  });
  return true;
}
