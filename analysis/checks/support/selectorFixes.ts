/**
 * Quick-fixes for a selector that matches no pod, from its evidence (docs/dev/checks-spec.md §1.3): set the
 * differing value (preferred); or add the missing label to the intended workload's pod template (an
 * edit in the other file); or, when the pods live in another namespace, move the object there.
 */

import type { KObject } from '../../model/types.js';
import type { TextEdit } from '../../types.js';
import type { CheckContext } from './check.js';
import { writerFor } from '../../edits/writer.js';
import { describe, labelsOf } from './evidence.js';
import type { Evidence } from './evidence.js';
import type { Selector } from '../../model/types.js';

export interface FixSpec {
  readonly title: string;
  readonly isPreferred: boolean;
  readonly edits: TextEdit[];
}

export function selectorFixes(ctx: CheckContext, obj: KObject, sel: Selector, ev: Evidence, field: string): FixSpec[] {
  const out: FixSpec[] = [];
  const w = writerFor(ctx, obj.uri);
  if (ev.fix !== undefined) {
    // The value may come from another file than the object's (a kustomization's patch): the edit goes there.
    const at = ev.fix.entry.value.span;
    out.push({
      title: `Set ${field} ${ev.fix.key} to "${ev.fix.value}"`,
      isPreferred: true,
      edits: [(at.uri === undefined || at.uri === obj.uri ? w : writerFor(ctx, at.uri)).value(at, ev.fix.value)],
    });
  }
  const cand = ev.candidate;
  if (ev.kind !== 'wrong-namespace' && sel.matchExpressions.length === 0) {
    // The label the selector wants, added to the candidate's pod template: only when exactly one is
    // missing and the template does not already use that key (changing it could break others).
    const labels = labelsOf(cand);
    const missing = (sel.matchLabels?.entries ?? []).filter((e) => e.value.known && labels.known.get(e.key) !== e.value.value);
    const entries = cand.obj.pod?.labels?.entries ?? [];
    const last = entries[entries.length - 1];
    const only = missing[0];
    if (
      missing.length === 1 &&
      only !== undefined &&
      only.value.known &&
      !labels.known.has(only.key) &&
      last !== undefined &&
      cand.obj.pod?.labels?.unknown !== true
    ) {
      const edit = writerFor(ctx, cand.obj.uri).insertAfter(last.value.span, only.key, only.value.value);
      if (edit !== undefined)
        out.push({
          title: `Add ${only.key}=${only.value.value} to the pod template of ${describe(cand.obj)} (another file may change)`,
          isPreferred: false,
          edits: [edit],
        });
    }
  }
  if (ev.kind === 'wrong-namespace') {
    const ns = cand.placements.find((p) => p.namespace !== undefined && !p.floating)?.namespace;
    // A namespace or name a build wrote (a kustomization's `namespace:`, its span in that file) is
    // not the object file's text: no edit of the object's file moves it.
    const own = (span: { readonly uri?: string }): boolean => span.uri === undefined || span.uri === obj.uri;
    const edit =
      ns === undefined
        ? undefined
        : obj.namespace !== undefined && obj.namespace.known
          ? own(obj.namespace.span)
            ? w.value(obj.namespace.span, ns)
            : undefined
          : obj.namespace === undefined && obj.name?.known === true && own(obj.name.span)
            ? w.insertAfter(obj.name.span, 'namespace', ns)
            : undefined;
    if (edit !== undefined && ns !== undefined)
      out.push({
        title: `Move ${obj.kind} "${obj.name?.known === true ? obj.name.value : ''}" to namespace "${ns}"`,
        isPreferred: false,
        edits: [edit],
      });
  }
  return out;
}
