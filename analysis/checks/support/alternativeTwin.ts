/**
 * What an alternative of an object makes (analysis/units/alternatives.ts): an absence claim about an
 * object that has alternatives is judged in its own alternative only (its view). When an
 * alternative defines the same object (group, kind, namespace and name: its *twin*) and, there,
 * the target exists, and the object's own alternative has no object of that target's identity at
 * all, the target is one this configuration leaves out, as a chart's template behind an `if` is
 * (checks/support/otherValues.ts). Test baselines rendered from one chart under several values
 * files are such alternatives: the default values' file lacks the DaemonSet the API key's file
 * has, and both define the Service that selects it. The claim is then information naming that
 * alternative, never a warning.
 *
 * A target whose identity the object's own alternative does define (its own Deployment `web`, with
 * other labels) is a mistake there, not a configuration left out: the claim keeps its evidence.
 */

import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import type { View } from '../../units/alternatives.js';
import type { KObject, Selector, Value } from '../../model/types.js';
import type { RelatedInformation } from '../../types.js';
import type { CheckContext } from './check.js';
import { selectProducers } from './selection.js';
import { describe, otherValuesNote } from './evidence.js';
import { shortPath } from '../../workspace/paths.js';
import { namedUnderOtherValues } from './otherValues.js';

/** A target found in an alternative: it, and the twin that alternative defines. */
export interface InAlternative {
  readonly target: KObject;
  readonly twin: KObject;
}

/** `compute` with the index's lookups under `view` (the runner's view is put back after). */
function under<T>(ctx: CheckContext, view: View | undefined, restore: View, compute: () => T): T {
  ctx.index.setView(view);
  try {
    return compute();
  } finally {
    ctx.index.setView(restore);
  }
}

const sameIdentity = (a: KObject, b: KObject): boolean =>
  a.group === b.group && a.kind === b.kind && a.name?.known === true && b.name?.known === true && a.name.value === b.name.value;

/** The objects in `ns` of `obj`'s kind, by the narrowest lookup the index has. */
function sameKindIn(ctx: CheckContext, obj: KObject, ns: string): readonly Placed[] {
  if (obj.service !== undefined) return ctx.index.servicesIn(ns);
  if (obj.kind === 'NetworkPolicy' && obj.group === 'networking.k8s.io') return ctx.index.networkPoliciesIn(ns);
  return ctx.index.objectsIn(ns);
}

/**
 * Twins of `obj` in the alternatives its view leaves out, each with its placement in `placement`'s
 * namespace, looked up without the view (the runner's view is put back after).
 */
function twins(
  ctx: CheckContext,
  obj: KObject,
  placement: Placement,
  view: View,
): Array<{ readonly placed: Placed; readonly at: Placement }> {
  const ns = placement.namespace;
  if (ns === undefined || placement.floating || obj.name?.known !== true) return [];
  return under(ctx, undefined, view, () =>
    sameKindIn(ctx, obj, ns)
      .filter((t) => t.obj !== obj && view.excludes(t) && sameIdentity(t.obj, obj))
      .flatMap((t) => {
        const at = t.placements.find((pl) => !pl.floating && pl.namespace === ns);
        return at === undefined ? [] : [{ placed: t, at }];
      }),
  );
}

/**
 * A pod producer `sel` selects in an alternative that defines `obj` too, of an identity `obj`'s own
 * alternative does not define (see above); undefined when there is none or `obj` has no alternatives.
 */
export function podsInAlternative(ctx: CheckContext, obj: KObject, placement: Placement, sel: Selector): InAlternative | undefined {
  const view = ctx.index.currentView();
  if (view === undefined) return undefined;
  const ns = placement.namespace;
  for (const t of twins(ctx, obj, placement, view)) {
    const matched = under(ctx, ctx.index.viewFor(t.placed), view, () => selectProducers(ctx, t.at, sel).matched);
    const mine = ns === undefined ? [] : ctx.index.producersIn(ns);
    const target = matched.find((m) => !mine.some((q) => sameIdentity(q.obj, m.obj)));
    if (target !== undefined) return { target: target.obj, twin: t.placed.obj };
  }
  return undefined;
}

/**
 * A Service named `name` in namespace `ns` (where `obj`, placed at `placement`, looks for it: its own
 * namespace, or the one a route's backendRef names) in an alternative that defines `obj` too (a twin
 * at `placement`), where `obj`'s own alternative defines no Service of that name (see above);
 * undefined otherwise.
 */
export function serviceInAlternative(
  ctx: CheckContext,
  obj: KObject,
  placement: Placement,
  ns: string,
  name: string,
): InAlternative | undefined {
  const view = ctx.index.currentView();
  if (view === undefined) return undefined;
  const named = (s: Placed): boolean => s.obj.name?.known === true && s.obj.name.value === name;
  if (ctx.index.servicesIn(ns).some(named)) return undefined;
  for (const t of twins(ctx, obj, placement, view)) {
    const found = under(ctx, ctx.index.viewFor(t.placed), view, () => ctx.index.servicesIn(ns).find(named));
    if (found !== undefined) return { target: found.obj, twin: t.placed.obj };
  }
  return undefined;
}

/**
 * Where a Service `obj` names but its render or alternative lacks is written: a template of its
 * chart under other values (checks/support/otherValues.ts), or an alternative that defines `obj`
 * too; the no-evidence tier's last sentence and related information, or undefined.
 */
export function serviceElsewhere(
  ctx: CheckContext,
  obj: KObject,
  placement: Placement,
  ns: string | undefined,
  name: Value<string>,
): { readonly hint: string; readonly related: RelatedInformation; readonly alternative: boolean } | undefined {
  const other = namedUnderOtherValues(ctx, obj, 'Service', name);
  if (other !== undefined) return { ...otherValuesNote(other, obj.uri), alternative: false };
  const alt = ns === undefined || !name.known ? undefined : serviceInAlternative(ctx, obj, placement, ns, name.value);
  return alt === undefined ? undefined : { ...alternativeNote(alt, obj.uri, false), alternative: true };
}

/** How an absence finding names the alternative that holds its target (the no-evidence tier's last sentence): `pods` that a selector picks, or a named object. */
export function alternativeNote(
  found: InAlternative,
  fromUri: string,
  pods: boolean,
): { readonly hint: string; readonly related: RelatedInformation } {
  const alt = shortPath(found.twin.uri, fromUri);
  const where = shortPath(found.target.uri, fromUri);
  const t = found.target;
  const there = `${pods ? 'such pods there: ' : ''}${describe(t)}${where === alt ? '' : ` (${where})`}${pods ? '' : ' there'}`;
  return {
    hint: `The alternative ${alt} defines this ${found.twin.kind} too, and ${there}; this alternative has no ${t.kind} of that name.`,
    related: { uri: t.uri, span: t.anchor, message: `${describe(t)} (${where}), in the alternative ${alt}` },
  };
}
