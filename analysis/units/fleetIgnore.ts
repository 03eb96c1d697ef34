/**
 * Fleet's `.fleetignore` files: what a bundle's content leaves out (rancher/fleet
 * `internal/bundlereader/loaddirectory.go` `GetContent`, `ignoreTree`, `readFleetIgnore`). Fleet walks
 * the bundle's folder (never above it) in lexical order and leaves out hidden files and folders and
 * what a `.fleetignore` of a folder walked so far names; a folder left out is not walked. Pure; design
 * notes: docs/dev/fleet.md ".fleetignore".
 *
 * - Lines: trailing white space is dropped unless escaped with `\` (the regexp `([^\\])\s+$`), and
 *   empty lines and lines starting with `#` are skipped. There is no negation (`!x` names `!x`).
 * - A line `<name>/*` (the regexp `^.+/\*`) leaves out a folder called `<name>`, whatever its
 *   depth; any other line is Go's `filepath.Match` against the file's or folder's own name (never a
 *   path: a line holding `/`, such as `apps/web` or `web/`, matches nothing).
 * - A folder's lines apply to every path whose text starts with the folder's path: its files and
 *   folders at any depth, and also those of a sibling whose name starts with the folder's name
 *   (`web`'s lines reach `web-dev/` and `web.yaml`: Fleet's tree compares strings).
 * - A malformed pattern (`filepath.ErrBadPattern`) fails Fleet's walk, so the whole bundle.
 */

import { goMatchPattern } from '../text/goGlob.js';
import { basename, dirname, displayPart } from '../workspace/paths.js';

export const FLEET_IGNORE = '.fleetignore';

/** One line as Fleet matches it against a name (`dir`: the name is a folder's). */
type Rule = (name: string, dir: boolean) => boolean;

/** The lines of a `.fleetignore` as `readFleetIgnore` keeps them. */
export function fleetIgnoreLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    // bufio.ScanLines drops a line's `\r`; Go's `\s` is [\t\n\f\r ].
    const line = (raw.endsWith('\r') ? raw.slice(0, -1) : raw).replace(/([^\\])[\t\n\f\r ]+$/, '$1');
    if (line === '' || line.startsWith('#')) continue;
    out.push(line);
  }
  return out;
}

/** One line as `ignoreTree.isIgnored` reads it; undefined for a pattern Go refuses. */
function compile(line: string): Rule | undefined {
  if (/^.+\/\*/s.test(line)) {
    // `isAllFilesInDirPattern`: the name before `/*` compared with a folder's name (TrimSuffix leaves any other line whole, matching no name).
    const dirName = line.endsWith('/*') ? line.slice(0, -2) : undefined;
    return (name, dir) => dir && name === dirName;
  }
  const re = goMatchPattern(line);
  return re === undefined ? undefined : (name) => re.test(name);
}

/** What Fleet's walk of one bundle's folder leaves out. */
export interface FleetIgnore {
  /** Whether the bundle's content leaves this file (below the bundle's folder) out. */
  ignored(uri: string): boolean;
  /** A `.fleetignore` line Go refuses (Fleet's walk fails, and so the bundle): its file and line. */
  readonly malformed: { readonly uri: string; readonly line: string } | undefined;
}

/**
 * The `.fleetignore` reading of the bundle folder `root`. `folders`: the folders at or below `root`
 * that may hold a `.fleetignore` (those holding workspace files, and their folders up to `root`);
 * `text` reads one (each id it asks for is an input of the build).
 */
export function fleetIgnore(root: string, folders: Iterable<string>, text: (uri: string) => string | undefined): FleetIgnore {
  const rules = new Map<string, Rule[]>();
  let malformed: { uri: string; line: string } | undefined;
  for (const d of folders) {
    const uri = `${d}/${FLEET_IGNORE}`;
    const t = text(uri);
    if (t === undefined) continue;
    const list: Rule[] = [];
    for (const line of fleetIgnoreLines(t)) {
      const r = compile(line);
      if (r !== undefined) list.push(r);
      else malformed ??= { uri, line };
    }
    if (list.length > 0) rules.set(d, list);
  }
  // Every folder with rules whose path is a prefix of a path's text applies to it.
  const holders = [...rules.keys()];
  const walked = new Map<string, boolean>();
  const leftOut = (path: string, dir: boolean): boolean => {
    const raw = basename(path);
    // Hidden files and folders are never part of a bundle.
    if (raw.startsWith('.')) return true;
    const name = displayPart(raw, path);
    for (const d of holders) {
      // Rules of a folder Fleet walked before `path` (its path a prefix of the text, not the path itself).
      if (d.length >= path.length || !path.startsWith(d) || !isWalked(d)) continue;
      for (const r of rules.get(d) ?? []) if (r(name, dir)) return true;
    }
    return false;
  };
  const isWalked = (d: string): boolean => {
    if (d === root || d.length <= root.length) return true;
    let v = walked.get(d);
    if (v === undefined) {
      v = isWalked(dirname(d)) && !leftOut(d, true);
      walked.set(d, v);
    }
    return v;
  };
  return {
    ignored: (uri) => uri.startsWith(`${root}/`) && (!isWalked(dirname(uri)) || leftOut(uri, false)),
    malformed,
  };
}

/** The folders at or below `root` holding the files, and those between them and `root`. */
export function foldersOf(root: string, files: readonly string[]): Set<string> {
  const out = new Set<string>([root]);
  for (const f of files)
    for (let d = dirname(f); d.length > root.length && d.startsWith(`${root}/`) && !out.has(d); d = dirname(d)) out.add(d);
  return out;
}
