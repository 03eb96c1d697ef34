/**
 * What a `.fleetignore` says that Fleet reads otherwise than it is written (docs/dev/fleet.md
 * ".fleetignore"): notes published on the `.fleetignore` itself, a support file the hosts hand over
 * (it has no objects, and one outside every bundle has no other file to carry them). Pure.
 *
 * - A line Go's `filepath.Match` refuses (`[z`) fails Fleet's walk of every bundle that reads the
 *   file, so none of them is deployed: a warning on the line.
 * - A line holding `/` (but `<name>/*`) is matched against a file's or folder's name, never a path
 *   (rancher/fleet `internal/bundlereader/loaddirectory.go` `ignoreTree.isIgnored`), so it leaves
 *   nothing out: information on the line (DataKnifeAI/gitops-dev's `coder/overlays`).
 * - A `.fleetignore` that no bundle of the workspace holds (no bundle folder at or above it) but with
 *   bundles below it: each of those walks its own folder only (`GetContent` starts at the bundle's
 *   folder), so its lines leave nothing out of them: information on its first line that is a pattern.
 *   Without bundles below it nothing is said (a GitRepo outside the workspace may make a bundle of a
 *   folder above it).
 */

import type { Span } from '../types.js';
import { basename, dirname } from '../workspace/paths.js';
import { FLEET_IGNORE } from './fleetIgnore.js';
import { goMatchPattern } from '../text/goGlob.js';

/** A note on a support file: where, what, and how severe (information, or a warning for what makes Fleet fail). */
export interface SupportNote {
  readonly uri: string;
  readonly span: Span;
  readonly message: string;
  readonly severity: 'information' | 'warning';
}

/** The pattern lines of a `.fleetignore` as Fleet's `readFleetIgnore` keeps them, with their spans (the line's text before trailing white space). */
function patternLines(text: string): Array<{ line: string; span: Span }> {
  const out: Array<{ line: string; span: Span }> = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    const end = start + raw.length;
    const body = (raw.endsWith('\r') ? raw.slice(0, -1) : raw).replace(/([^\\])[\t\n\f\r ]+$/, '$1');
    if (body !== '' && !body.startsWith('#')) out.push({ line: body, span: { start, end: start + body.length } });
    start = end + 1;
  }
  return out;
}

/** Whether Fleet's `isIgnored` can match a line against some name: a `<name>/*` line naming a folder, or any line without `/`. */
function matchesNames(line: string): boolean {
  if (/^.+\/\*/s.test(line)) return line.endsWith('/*') && !line.slice(0, -2).includes('/');
  return !line.includes('/');
}

/** The name a path-like line most likely meant (its last segment), as the note suggests it. */
function meantName(line: string): string | undefined {
  const parts = line
    .replace(/\/\*$/, '')
    .split('/')
    .filter((s) => s !== '' && s !== '*' && s !== '**');
  return parts[parts.length - 1];
}

/** `a`, `b`, …: at most four quoted names, then how many more. */
function names(list: readonly string[]): string {
  const shown = list.slice(0, 4).map((n) => `"${n}"`);
  return `${shown.join(', ')}${list.length > 4 ? ` and ${list.length - 4} more` : ''}`;
}

/**
 * The notes on the `.fleetignore` files among `support` (uris), given the folders of the workspace's
 * Fleet bundles (`bundleDirs`, fleet.yaml folders and GitRepo path bundles) and the files' texts.
 */
export function fleetIgnoreNotes(
  support: Iterable<string>,
  bundleDirs: ReadonlySet<string>,
  text: (uri: string) => string | undefined,
): SupportNote[] {
  const out: SupportNote[] = [];
  const dirs = [...bundleDirs].sort();
  for (const uri of support) {
    if (basename(uri) !== FLEET_IGNORE) continue;
    const t = text(uri);
    if (t === undefined) continue;
    const lines = patternLines(t);
    const first = lines[0];
    if (first === undefined) continue;
    const dir = dirname(uri);
    const readers = dirs.filter((b) => dir === b || dir.startsWith(`${b}/`));
    if (readers.length === 0) {
      const below = dirs.filter((b) => b.startsWith(`${dir}/`)).map((b) => b.slice(dir.length + 1));
      if (below.length === 0) continue;
      out.push({
        uri,
        span: first.span,
        severity: 'information',
        message: `No Fleet bundle holds this .fleetignore, and the ${below.length === 1 ? 'bundle' : `${below.length} bundles`} below it (${names(below)}) never read it: Fleet reads the .fleetignore files of the folder a bundle's walk starts at (its fleet.yaml's, or a GitRepo path's) and below, never above, so its lines leave nothing out of them; put them in a .fleetignore in each bundle's folder`,
      });
      continue;
    }
    const bundles = readers.map((b) => basename(b));
    for (const { line, span } of lines) {
      if (!/^.+\/\*/s.test(line) && goMatchPattern(line) === undefined) {
        out.push({
          uri,
          span,
          severity: 'warning',
          message: `Fleet cannot read the pattern "${line}" (Go's filepath.Match: syntax error in pattern): its walk of ${readers.length === 1 ? 'bundle' : 'bundles'} ${names(bundles)} fails on it, so Fleet does not deploy ${readers.length === 1 ? 'it' : 'them'}`,
        });
        continue;
      }
      if (matchesNames(line)) continue;
      const meant = meantName(line);
      out.push({
        uri,
        span,
        severity: 'information',
        message: `Fleet matches each .fleetignore line against the name of a file or folder, never a path, so "${line}" leaves nothing out${meant !== undefined ? `: write "${meant}" to leave out every file or folder of that name, or "${meant}/*" for folders only` : ''}`,
      });
    }
  }
  return out;
}
