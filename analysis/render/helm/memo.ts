/**
 * What a chart's render keeps for the next one (docs/dev/helm-units.md): after an edit in template
 * files only, the templates the edit cannot change keep what they wrote.
 */

import type { RenderedTemplate } from './render.js';
import { definesOthers } from './template/index.js';
import type { GoValue } from './template/index.js';

/**
 * What a render keeps so that the next one, after an edit in template files only, runs again just
 * the templates the edit can change: the edited files, and every template that looked up one of
 * them (`include (print $.Template.BasePath "/configmap.yaml")`), and so on. A template's output
 * depends only on its text, the templates it looked up and the values, unless a template writes
 * into the values (`set .Values …`, `merge .Values.x …`), which every later template sees: then, and
 * when an edited file defines templates (`define`, `block`), every template runs again.
 */
export interface RenderMemo {
  /** Every template file's text, by name (`<chart>/templates/x.yaml`). */
  readonly texts: ReadonlyMap<string, string>;
  /** What each executed template wrote, the template names it looked up, and the chart files it read. */
  readonly runs: ReadonlyMap<string, TemplateRun>;
  /** Whether a template wrote into a map of the values (or `.Release`, `.Subcharts`, `.Chart`). */
  readonly sharedWrite: boolean;
}

export interface TemplateRun {
  readonly result: RenderedTemplate;
  readonly used: ReadonlySet<string>;
  readonly reads: ReadonlySet<string>;
}

/** Every map reachable from `v` (the values templates share), into `out`. */
export function collectMaps(v: GoValue, out: WeakSet<object>, depth = 0): void {
  if (depth > 200) return;
  if (v instanceof Map) {
    if (out.has(v)) return;
    out.add(v);
    for (const e of v.values()) collectMaps(e, out, depth + 1);
  } else if (Array.isArray(v)) for (const e of v) collectMaps(e, out, depth + 1);
}

/**
 * The templates of `renderables` that must run again after `previous` (see `RenderMemo`): the
 * edited ones and those that looked up an edited or re-run one; undefined when every one must.
 */
export function templatesToRun(
  previous: RenderMemo | undefined,
  renderables: ReadonlyArray<{ readonly name: string; readonly text: string }>,
): Set<string> | undefined {
  if (previous === undefined || previous.sharedWrite || previous.texts.size !== renderables.length) return undefined;
  const dirty = new Set<string>();
  for (const r of renderables) {
    const before = previous.texts.get(r.name);
    if (before === undefined) return undefined;
    if (before === r.text) continue;
    if (definesOthers(r.name, before) || definesOthers(r.name, r.text)) return undefined;
    dirty.add(r.name);
  }
  for (let grew = dirty.size > 0; grew;) {
    grew = false;
    for (const [name, run] of previous.runs) {
      if (dirty.has(name)) continue;
      for (const u of run.used)
        if (dirty.has(u)) {
          dirty.add(name);
          grew = true;
          break;
        }
    }
  }
  return dirty;
}
