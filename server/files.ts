/**
 * Reading manifests from disk, shared by the language server and the CLI: which files count
 * (design §2: `**\/*.{yaml,yml,json}`, minus node_modules, .git and exclude globs), and how a file
 * is read (binary and oversize files are skipped with a note; invalid UTF-8 is decoded with
 * replacement characters).
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Minimatch } from 'minimatch';

export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];
const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);

export type ReadResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

export function isManifestPath(path: string): boolean {
  const lower = path.toLowerCase();
  return MANIFEST_EXTENSIONS.some((e) => lower.endsWith(e));
}

/**
 * Compiles exclude globs once into a predicate on paths relative to a root. A glob matches the
 * path itself or anything below it; a glob without `/` matches a base name at any depth.
 * (Compiling per call made listing 10,000 files with VS Code's six default `files.exclude` globs
 * take seconds.)
 */
export function compileExcludes(globs: readonly string[]): (relPath: string) => boolean {
  if (globs.length === 0) return () => false;
  const matchers = globs.flatMap((g) => [
    new Minimatch(g, { dot: true, matchBase: !g.includes('/') }),
    new Minimatch(`${g.replace(/\/+$/, '')}/**`, { dot: true }),
  ]);
  return (relPath) => {
    const p = relPath.split(sep).join('/');
    return matchers.some((m) => m.match(p));
  };
}

/** True when `relPath` (relative to a root, `/`-separated) matches one of the globs. */
export function isExcluded(relPath: string, globs: readonly string[]): boolean {
  return compileExcludes(globs)(relPath);
}

/** Reads one manifest: skips binary (a NUL byte) and oversize files, never throws. */
export function readManifest(path: string, maxBytes: number): ReadResult {
  try {
    const st = statSync(path);
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    if (st.size > maxBytes) return { ok: false, reason: `larger than ${Math.round(maxBytes / 1024 / 1024)} MB (kubeReach.maxFileSizeMB)` };
    const bytes = readFileSync(path);
    if (bytes.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary file' };
    return { ok: true, text: decodeManifest(bytes) };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return { ok: false, reason: typeof code === 'string' ? `unreadable (${code})` : 'unreadable' };
  }
}

/** UTF-8 with replacement characters for invalid bytes; a BOM is kept out of the text's meaning. */
export function decodeManifest(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
}

/** Lists manifest files under `root` (a file or folder), sorted, honouring the exclude globs. */
export function listManifests(root: string, exclude: readonly string[]): string[] {
  const out: string[] = [];
  let st;
  try {
    st = statSync(root);
  } catch {
    return out;
  }
  if (st.isFile()) return [root];
  const excluded = compileExcludes(exclude);
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (ALWAYS_SKIPPED.has(e.name)) continue;
      const full = join(dir, e.name);
      const rel = relative(root, full);
      if (excluded(rel)) continue;
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && isManifestPath(e.name)) out.push(full);
    }
  };
  walk(root);
  return out;
}
