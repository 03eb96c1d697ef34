/**
 * Whether git ignores a path, from the `.gitignore` files the host handed over as support files
 * (gitignore(5)): a kustomization that names a file a `.gitignore` lists names a file some step
 * writes before the build (a Makefile's image patch), not a misspelled one. Pure: the texts come
 * through `text`, so no file system is read here.
 *
 * Supported: blank lines and `#` comments, `\` escapes of a leading `#`/`!` and of trailing
 * spaces, `!` negation, a leading or middle `/` anchoring a pattern to its `.gitignore`'s folder,
 * a trailing `/` matching folders only, `*`, `?`, `[…]` classes, and `**` (leading, trailing and
 * between slashes). A deeper `.gitignore` overrides a higher one, a later line an earlier one, and
 * as git does, a file cannot be re-included when a folder above it is ignored.
 */

import { foldersUp } from './paths.js';

interface Rule {
  readonly negate: boolean;
  readonly dirOnly: boolean;
  /** Matched against the path relative to the `.gitignore`'s folder (anchored) or against each name. */
  readonly anchored: boolean;
  readonly re: RegExp;
}

const cache = new Map<string, readonly Rule[]>();

/** The rules of one `.gitignore` text (memoized by text: the same file is read by many lookups). */
export function parseGitignore(text: string): readonly Rule[] {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)[ \t]+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\#') || line.startsWith('\\!')) line = line.slice(1);
    let dirOnly = false;
    if (line.endsWith('/')) {
      dirOnly = true;
      line = line.slice(0, -1);
    }
    if (line === '') continue;
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    rules.push({ negate, dirOnly, anchored, re: new RegExp(`^${globToRegExp(line)}$`) });
  }
  if (cache.size > 256) cache.clear();
  cache.set(text, rules);
  return rules;
}

function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const before = i === 0 || glob[i - 1] === '/';
        const after = i + 2 === glob.length || glob[i + 2] === '/';
        if (before && after) {
          if (i + 2 === glob.length) out += '.*';
          else {
            out += '(?:.*/)?';
            i += 2; // the slash after `**`
            continue;
          }
          i += 1;
          continue;
        }
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escapeRe(glob[i + 1] ?? '');
      i++;
    } else out += escapeRe(c);
  }
  return out;
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** The verdict of one `.gitignore`'s rules on `rel` (relative to its folder): the last matching rule's. */
function verdict(rules: readonly Rule[], rel: string, isDir: boolean): boolean | undefined {
  let out: boolean | undefined;
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  for (const r of rules) {
    if (r.dirOnly && !isDir) continue;
    if (r.re.test(r.anchored ? rel : name)) out = !r.negate;
  }
  return out;
}

/**
 * The `.gitignore` file that makes git ignore `uri` (a file), or undefined. `text(dir + '/.gitignore')`
 * gives the text of a folder's `.gitignore` when the host has one; `read` is told every `.gitignore`
 * id looked at (a build records them as inputs, so an edit to one rebuilds it).
 */
export function ignoredBy(uri: string, text: (uri: string) => string | undefined, read?: (uri: string) => void): string | undefined {
  // The folders from the top down to the file's own, then the file: an ignored folder ignores all below.
  const chain = foldersUp(uri).reverse();
  const ignores: Array<{ dir: string; uri: string; rules: readonly Rule[] }> = [];
  for (const d of chain) {
    const g = `${d}/.gitignore`;
    read?.(g);
    const t = text(g);
    if (t !== undefined) ignores.push({ dir: d, uri: g, rules: parseGitignore(t) });
  }
  if (ignores.length === 0) return undefined;
  // Each path from the first folder below the top one down to the file itself.
  const paths = [...chain.slice(1).map((d) => ({ path: d, isDir: true })), { path: uri, isDir: false }];
  for (const p of paths) {
    let by: string | undefined;
    for (const g of ignores) {
      if (!p.path.startsWith(`${g.dir}/`)) continue;
      const v = verdict(g.rules, p.path.slice(g.dir.length + 1), p.isDir);
      if (v !== undefined) by = v ? g.uri : undefined;
    }
    if (by !== undefined) return by;
  }
  return undefined;
}
