/**
 * Joining the findings about objects that several Kustomize roots build (docs/dev/kustomize.md §3).
 */

import type { RawFinding } from './checkRunner.js';
import { rootNames } from './units/rootNames.js';

/**
 * Findings about an object that several Kustomize roots build, at one place: reported once. One
 * that holds in only some of those roots names them ("in overlays prod, staging"); one that holds
 * in every root names them only when the roots' messages differ (a namespace each). A check may say
 * what holding in only some roots shows (`Check.inSomeRoots`).
 */
export function nameRoots(found: readonly RawFinding[]): RawFinding[] {
  const groups = new Map<string, RawFinding[]>();
  for (const r of found) {
    const f = r.finding;
    if (f.object?.build === undefined || f.object.build.roots.length < 2) continue;
    const key = `${r.check.code}|${f.uri}|${f.span.start}|${f.span.end}`;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [r]);
    else list.push(r);
  }
  if (groups.size === 0) return [...found];
  const replaced = new Map<RawFinding, RawFinding | undefined>();
  for (const list of groups.values()) {
    const all = new Set(list.flatMap((r) => r.finding.object?.build?.roots ?? []));
    const holds = [...new Set(list.map((r) => r.finding.object?.build?.root ?? ''))].sort();
    const ordered = [...list].sort((a, b) => ((a.finding.object?.build?.root ?? '') < (b.finding.object?.build?.root ?? '') ? -1 : 1));
    const first = ordered[0];
    if (first === undefined) continue;
    const same = list.every((r) => r.finding.message === first.finding.message);
    const others = [...all].filter((root) => !holds.includes(root));
    const some = first.check.inSomeRoots;
    const finding =
      others.length > 0 && some !== undefined
        ? { ...first.finding, ...some.call(first.check, first.finding, rootNames(holds), rootNames(others)) }
        : { ...first.finding, message: first.finding.message + (holds.length >= all.size && same ? '' : ` (in ${rootNames(holds)})`) };
    for (const r of list) replaced.set(r, undefined);
    replaced.set(list[0] ?? first, { check: first.check, finding });
  }
  const out: RawFinding[] = [];
  for (const r of found) {
    if (!replaced.has(r)) out.push(r);
    else {
      const next = replaced.get(r);
      if (next !== undefined) out.push(next);
    }
  }
  return out;
}
