/**
 * Globs in a Fleet GitRepo's `paths`: Fleet expands each with Go's `filepath.Glob` and keeps the
 * folders (rancher/fleet `internal/cmd/cli/apply/apply.go` `globDirs`). Pure; design notes: docs/dev/fleet.md.
 */

import { joinPath } from '../workspace/paths.js';

/**
 * Go's `filepath.Match` for one path segment (rancher/fleet `internal/cmd/cli/apply/apply.go`
 * `globDirs` expands a GitRepo's `paths` with `filepath.Glob`): `*` any run of characters, `?` one,
 * `[…]` a class (`^` negates, `a-z` ranges), `\` escapes the next character. Undefined for a
 * malformed pattern (Go's `ErrBadPattern`: Fleet fails the scan).
 */
function segmentPattern(seg: string): RegExp | undefined {
  let out = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i] ?? '';
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '\\') {
      const next = seg[++i];
      if (next === undefined) return undefined;
      out += escapeRegex(next);
    } else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end === -1) return undefined;
      let body = seg.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      if (body === '') return undefined;
      out += `[${negate ? '^' : ''}${body.replace(/[\]\\^]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else out += escapeRegex(c);
  }
  try {
    return new RegExp(`^${out}$`, 's');
  } catch {
    // A class JavaScript refuses is a range whose ends are reversed (`[z-a]`): Go's matcher accepts
    // it and no character falls in it, so the pattern matches nothing.
    return NOTHING;
  }
}

const NOTHING = /(?!)/;

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, (m) => `\\${m}`);
}

const META = /[*?[\\]/;

/** A path Fleet expands as a glob (a character `filepath.Match` reads as a pattern). */
export function isGlob(path: string): boolean {
  return META.test(path);
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
    if (!META.test(seg)) {
      at = at.map((d) => joinPath(d, seg));
      continue;
    }
    const re = segmentPattern(seg);
    if (re === undefined) return undefined;
    at = at.flatMap((d) => dirsIn(d).filter((sub) => re.test(sub.slice(sub.lastIndexOf('/') + 1))));
  }
  return at;
}
