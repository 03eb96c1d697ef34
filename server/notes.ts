/**
 * The reachability notes (analysis/reachability/notes.ts) as a person reads them: every file URI
 * written as a path relative to a folder they know (the CLI's current folder; the editor's
 * workspace folder that holds it), so `reach`, `explain`, `diff` and the panel print one text.
 */

import { isAbsolute, relative, sep } from 'node:path';
import { uriToPath } from './uris.js';

/** `path` relative to the innermost root that holds it (the first root when none does); `.` for a root itself. */
function relativeTo(roots: readonly string[], path: string): string {
  let best: string | undefined;
  for (const r of roots) {
    const rel = relative(r, path);
    const inside = rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
    if (inside && (best === undefined || rel.length < best.length)) best = rel;
  }
  const rel = best ?? (roots[0] === undefined ? path : relative(roots[0], path));
  return rel.split(sep).join('/') || '.';
}

/**
 * `notes` with every file URI written as a path relative to `roots` (one root: the CLI's current
 * folder; several: the workspace folder holding the file); a GitOps root's `#Kind:name` stays, as
 * `--unit` takes it (`apps.yaml#Application:web`).
 */
export function readableNotes(notes: readonly string[], roots: readonly string[]): string[] {
  return notes.map((n) =>
    n.replace(/file:\/\/[^\s,()#]+(#[^\s,()]*)?/g, (uri, fragment: string | undefined) => {
      const path = uriToPath(fragment === undefined ? uri : uri.slice(0, -fragment.length));
      return path === undefined ? uri : relativeTo(roots, path) + (fragment ?? '');
    }),
  );
}
