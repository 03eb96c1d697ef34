/**
 * The one-line note a chart gets when part of it could not be rendered. Templates that fail for
 * the same reason (often dozens: every template that includes one helper reading a subchart's
 * values) are named together, the reason once; dependencies missing from charts/ are named in one
 * clause, as `helm dependency build` fetches them together.
 */

import type { TemplateError } from '../render/helm/template/index.js';

/** How many template paths one reason names before it counts the rest. */
export const NAMED_TEMPLATES = 5;

export interface NotRendered {
  /** The template's path relative to the chart. */
  readonly path: string;
  readonly reason: string;
}

/**
 * `missing` holds the render's `<chart id>: dependency "<name>" is not in charts/` lines;
 * `chartName` is the root chart's name, dropped from its own lines.
 */
export function chartNoteLines(
  notRendered: readonly NotRendered[],
  missing: readonly string[],
  problems: readonly string[],
  chartName: string,
): string[] {
  const lines: string[] = [];
  const byReason = new Map<string, string[]>();
  for (const n of notRendered) {
    const reason = innermost(n.reason);
    const paths = byReason.get(reason);
    if (paths === undefined) byReason.set(reason, [n.path]);
    else paths.push(n.path);
  }
  const groups = [...byReason].map(([reason, paths]) => {
    const named = paths.slice(0, NAMED_TEMPLATES).join(', ');
    const rest = paths.length - NAMED_TEMPLATES;
    return `${rest > 0 ? `${named} and ${rest} more` : named} (${reason})`;
  });
  // One clause per chart that misses dependencies: `dependencies "a", "b" are not in charts/`.
  const missingBy = new Map<string, string[]>();
  for (const m of missing) {
    const at = /^(.*): dependency ("(?:[^"\\]|\\.)*") is not in charts\/$/.exec(m);
    if (at === null) {
      lines.push(m);
      continue;
    }
    const id = at[1] ?? '';
    const names = missingBy.get(id);
    if (names === undefined) missingBy.set(id, [at[2] ?? '']);
    else names.push(at[2] ?? '');
  }
  for (const [id, names] of missingBy) {
    const clause =
      names.length === 1
        ? `dependency ${names.join('')} is not in charts/ (helm dependency build fetches it)`
        : `dependencies ${names.join(', ')} are not in charts/ (helm dependency build fetches them)`;
    lines.push(id === chartName ? clause : `${id}: ${clause}`);
  }
  // Missing dependencies first: they are usually why templates that read their values failed.
  if (groups.length > 0) lines.push(`not rendered, read as templates: ${groups.join('; ')}`);
  for (const p of problems) lines.push(p);
  return lines;
}

const INCLUDED = /^error calling include: (template: \S+: executing "[^"]*" at <[^>]*>: [\s\S]*)$/;
const DEEPER = /^template: \S+: executing "[^"]*" at <[^>]*>: (error calling include: [\s\S]*)$/;

/**
 * Go nests an error raised inside `include` in one clause per include on the way
 * (`error calling include: template: a.tpl:3:5: executing "x" at <include "y" .>: error calling
 * include: template: b.tpl:9:2: executing "y" at <.Values.kafka.port>: nil pointer …`); the note
 * keeps the innermost clause, in Go's words, where the template failed. Templates that reach one
 * failing helper through different includes then share one reason.
 */
export function innermost(reason: string): string {
  let r = reason;
  for (;;) {
    const inner = INCLUDED.exec(r)?.[1];
    if (inner === undefined) return r;
    const deeper = DEEPER.exec(inner)?.[1];
    if (deeper === undefined) return inner;
    r = deeper;
  }
}

/** A `tpl` argument quoted in an error (Helm quotes the whole text) longer than this is cut in the note. */
const TPL_QUOTED = 60;

export function reasonOf(e: TemplateError): string {
  if (e.kind === 'unsupported' && e.func !== undefined) return `function "${e.func}" is not supported`;
  if (e.kind === 'fail' || e.kind === 'required') return e.message.replace(/^execution error at \([^)]*\): /, `${e.kind}: `);
  const m = /^template: [^ ]*: (?:executing "[^"]*" at <[^>]*>: )?(.*)$/.exec(e.message);
  // One line per chart: a `tpl` text (a whole config file, quoted) is named by its start.
  return (m?.[1] ?? e.message).replace(
    /(error during tpl function execution for )"((?:[^"\\]|\\.)*)"/g,
    (all: string, lead: string, quoted: string) =>
      quoted.length <= TPL_QUOTED ? all : `${lead}"${quoted.slice(0, TPL_QUOTED).replace(/\\$/, '')}…"`,
  );
}
