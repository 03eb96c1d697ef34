/**
 * Whether a Makefile names a file a kustomization lists but the workspace lacks: a file a `make` step
 * writes before the build and deletes after it (3scale-operator's `sed … secret.yaml >
 * ./config/dev-databases/system-redis/secret-processed.yaml`, then `kubectl apply -k`, then `rm`), not
 * a misspelled one. Pure: the Makefiles' texts come through `text` (the hosts hand them over as support
 * files beside the `.gitignore`s, server/files.ts `readIgnoreFiles`).
 */

import { dirname, foldersUp } from './paths.js';

/** The Makefile names the hosts read in each folder above the manifests. */
export const MAKEFILE_NAMES = ['Makefile', 'GNUmakefile'] as const;

/** A character that can stand before a path in a recipe or a variable (space, quote, `=`, `(`, `>`…). */
const BOUNDARY = /[\s"'=(:,;|<>]/;

/**
 * `path` as a whole path in `text`: nothing of a longer name after it, and before it a boundary or
 * `./` (with `afterSlash`, any `/` too: `$(DIR)/name.yaml` in the file's own folder's Makefile).
 */
function mentions(text: string, path: string, afterSlash = false): boolean {
  for (let at = text.indexOf(path); at >= 0; at = text.indexOf(path, at + 1)) {
    const after = text[at + path.length];
    if (after !== undefined && /[\w./-]/.test(after)) continue;
    const before = text[at - 1];
    if (before === undefined || BOUNDARY.test(before)) return true;
    if (before !== '/') continue;
    if (afterSlash) return true;
    const dot = text[at - 3];
    if (text[at - 2] === '.' && (dot === undefined || BOUNDARY.test(dot))) return true;
  }
  return false;
}

/**
 * The Makefile of a folder at or above `uri`'s that names it (by its path from the Makefile's folder,
 * `./` allowed before it; in the file's own folder, by its name alone), or undefined. `read` is told
 * every Makefile id looked at (a build records them as inputs, so an edit to one rebuilds it).
 */
export function namedByMakefile(uri: string, text: (uri: string) => string | undefined, read?: (uri: string) => void): string | undefined {
  const own = dirname(uri);
  for (const d of foldersUp(uri)) {
    for (const name of MAKEFILE_NAMES) {
      const m = `${d}/${name}`;
      read?.(m);
      const t = text(m);
      if (t === undefined) continue;
      const rel = uri.slice(d.length + 1);
      if (mentions(t, rel) || (d === own && mentions(t, rel.slice(rel.lastIndexOf('/') + 1), true))) return m;
    }
  }
  return undefined;
}

/**
 * The Makefile in `uri`'s own folder whose recipes rewrite the file before they build (a
 * redirection onto it, `> kustomization.yaml`; an in-place edit by sed or yq, `yq -i … kustomization.yaml`; a copy or move onto it): the file as committed is a scratch the recipe replaces
 * (sapcc's `system/kustomization.yaml`, overwritten with `cat … > kustomization.yaml`, built, then
 * `git restore`d). `read` is told every Makefile id looked at.
 */
export function rewrittenByMakefile(
  uri: string,
  text: (uri: string) => string | undefined,
  read?: (uri: string) => void,
): string | undefined {
  const dir = dirname(uri);
  const name = uri.slice(dir.length + 1);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const target = `(?:\\./)?${escaped}(?![\\w./-])`;
  const redirect = new RegExp(`>>?\\s*${target}`);
  const inPlace = new RegExp(`\\b(?:sed|gsed|yq|SED|YQ)\\b.*\\s(?:-i\\S*|--inplace|--in-place)(?:\\s|=|$).*[\\s"']${target}`);
  const copy = new RegExp(`(?:^|[\\s;&|@])(?:cp|mv)\\s.*\\s${target}\\s*(?:$|[;&|])`);
  for (const m of MAKEFILE_NAMES) {
    const id = `${dir}/${m}`;
    read?.(id);
    const t = text(id);
    if (t === undefined) continue;
    for (const line of t.split('\n')) {
      if (!line.includes(name)) continue;
      if (redirect.test(line) || inPlace.test(line) || copy.test(line)) return id;
    }
  }
  return undefined;
}
