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

/** A file URI in a note, with a GitOps root's `#Kind:name` after it. */
const URI_IN_NOTE = /file:\/\/[^\s,()#]+(#[^\s,()]*)?/g;

/**
 * `notes` with every file URI written as a path relative to `roots` (one root: the CLI's current
 * folder; several: the workspace folder holding the file); a GitOps root's `#Kind:name` stays, as
 * `--unit` takes it (`apps.yaml#Application:web`).
 */
export function readableNotes(notes: readonly string[], roots: readonly string[]): string[] {
  return notes.map((n) =>
    n.replace(URI_IN_NOTE, (uri, fragment: string | undefined) => {
      const path = uriToPath(fragment === undefined ? uri : uri.slice(0, -fragment.length));
      return path === undefined ? uri : relativeTo(roots, path) + (fragment ?? '');
    }),
  );
}

/**
 * The files `notes` name (those `isFile` holds, not folders), each as `readableNotes` writes it and
 * with its URI, once: the panel makes them links that open the file.
 */
export function notedFiles(
  notes: readonly string[],
  roots: readonly string[],
  isFile: (uri: string) => boolean,
): Array<{ readonly text: string; readonly uri: string }> {
  const out = new Map<string, string>();
  for (const n of notes)
    for (const m of n.matchAll(URI_IN_NOTE)) {
      const fragment = m[1];
      const uri = fragment === undefined ? m[0] : m[0].slice(0, -fragment.length);
      const path = isFile(uri) ? uriToPath(uri) : undefined;
      if (path === undefined) continue;
      const text = relativeTo(roots, path);
      if (!out.has(text)) out.set(text, uri);
    }
  return [...out].map(([text, uri]) => ({ text, uri }));
}
