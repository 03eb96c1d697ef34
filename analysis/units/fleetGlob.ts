/**
 * Globs in a Fleet GitRepo's `paths`: Fleet expands each with Go's `filepath.Glob` and keeps the
 * folders (rancher/fleet `internal/cmd/cli/apply/apply.go` `globDirs`). Pure; design notes: docs/dev/fleet.md.
 */

import { joinPath } from '../workspace/paths.js';
import { goMatchPattern, hasGoGlobMeta } from '../text/goGlob.js';

/** A path Fleet expands as a glob (a character `filepath.Match` reads as a pattern). */
export function isGlob(path: string): boolean {
  return hasGoGlobMeta(path);
}

/**
 * The folders of the workspace below `root` a GitRepo path names: the folder itself, or for a
 * glob, every folder that holds files whose path matches it segment by segment (Go's
 * `filepath.Glob`; a leading `/` is dropped as `globDirs` drops it). `dirsIn(d)`: the folders
 * directly in `d` that hold files.
 */
export function expandPath(root: string, path: string, dirsIn: (dir: string) => readonly string[]): string[] | undefined {
  const segs = path
    .replace(/^\/+/, '')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  let at = [root];
  for (const seg of segs) {
    if (!hasGoGlobMeta(seg)) {
      at = at.map((d) => joinPath(d, seg));
      continue;
    }
    // Go's filepath.Match for the segment; a malformed one is ErrBadPattern: Fleet fails the scan.
    const re = goMatchPattern(seg);
    if (re === undefined) return undefined;
    at = at.flatMap((d) => dirsIn(d).filter((sub) => re.test(sub.slice(sub.lastIndexOf('/') + 1))));
  }
  return at;
}
