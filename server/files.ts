/**
 * Reading manifests from disk, shared by the language server and the CLI: which files count
 * (docs/dev/design.md §2: `**\/*.{yaml,yml,json}`, minus node_modules, .git, Go's vendor/, exclude globs and Kube Reach's
 * own `.kube-reach.yaml`), and how a file is read (binary and oversize files are skipped with a
 * note; UTF-16 with a byte order mark is decoded, UTF-16 that does not decode or has no BOM is
 * named in the note; invalid UTF-8 is decoded with replacement characters).
 */

import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { Minimatch } from 'minimatch';
import { KUSTOMIZATION_FILES, MAKEFILE_NAMES, testAssertion } from '../analysis/index.js';

export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];
const ALWAYS_SKIPPED: ReadonlySet<string> = new Set(['node_modules', '.git']);

export type ReadResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/**
 * Go's vendored dependencies: a `vendor/` folder that holds `modules.txt` (`go mod vendor`) copies
 * other modules' files, test manifests included; like node_modules, never the repository's own.
 * `hasFile` says whether a path (relative, `/`-separated) exists.
 */
export function inGoVendor(relPath: string, hasFile: (rel: string) => boolean): boolean {
  const parts = relPath.split(/[\\/]/);
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] === 'vendor' && hasFile([...parts.slice(0, i + 1), 'modules.txt'].join('/'))) return true;
  }
  return false;
}

/** Kube Reach's own settings file (`.kube-reach.yaml`, or `.yml`): never a manifest. */
export function isSettingsFile(path: string): boolean {
  return /(^|[\\/])\.kube-reach\.ya?ml$/i.test(path);
}

export function isManifestPath(path: string): boolean {
  const lower = path.toLowerCase();
  return MANIFEST_EXTENSIONS.some((e) => lower.endsWith(e)) && !isSettingsFile(path);
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

/** Reads one manifest: skips binary (a NUL byte) and oversize files, never throws. */
export function readManifest(path: string, maxBytes: number): ReadResult {
  try {
    const st = statSync(path);
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    if (st.size > maxBytes) return { ok: false, reason: `larger than ${Math.round(maxBytes / 1024 / 1024)} MB (kubeReach.maxFileSizeMB)` };
    return decodeBytes(readFileSync(path));
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return { ok: false, reason: typeof code === 'string' ? `unreadable (${code})` : 'unreadable' };
  }
}

/**
 * A manifest's bytes as text: UTF-16 with a byte order mark decoded, UTF-16 without one or that
 * does not decode named, other bytes with a NUL skipped as binary, the rest read as UTF-8.
 */
export function decodeBytes(bytes: Uint8Array): ReadResult {
  const utf16 = utf16Encoding(bytes);
  if (utf16 !== undefined) {
    const text = decodeUtf16(bytes, utf16);
    return text === undefined
      ? { ok: false, reason: `${utf16.toUpperCase()} text that does not decode (invalid surrogates)` }
      : { ok: true, text };
  }
  if (bytes.subarray(0, 8192).includes(0))
    return {
      ok: false,
      reason: looksUtf16(bytes) ? 'UTF-16 text without a byte order mark (save it as UTF-8, or with a BOM)' : 'binary file',
    };
  return { ok: true, text: decodeManifest(bytes) };
}

/** The UTF-16 encoding a byte order mark announces, if any. */
function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** UTF-16 text after its BOM, or undefined when it does not decode. */
function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): string | undefined {
  if (bytes.length % 2 !== 0) return undefined;
  let body = bytes.subarray(2);
  if (encoding === 'utf-16be') {
    // Swapped to little-endian: Node's TextDecoder does not know UTF-16BE without full ICU.
    const swapped = new Uint8Array(body.length);
    for (let i = 0; i + 1 < body.length; i += 2) {
      swapped[i] = body[i + 1] ?? 0;
      swapped[i + 1] = body[i] ?? 0;
    }
    body = swapped;
  }
  try {
    return new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return undefined;
  }
}

/** ASCII text in UTF-16 without a BOM: a NUL in every other byte of the first line. */
function looksUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 64) & ~1;
  if (n < 4) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  return even === n / 2 || odd === n / 2;
}

/** UTF-8 with replacement characters for invalid bytes; a BOM is kept out of the text's meaning. */
export function decodeManifest(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
}

/**
 * Lists manifest files under `root` (a file or folder), sorted, honouring the exclude globs.
 * Symbolic links are followed when their target lies inside `root` (a linked file is listed under
 * its link's path, a linked folder walked once); links that leave `root`, dangling links and link
 * loops are skipped, each with a note to `note` (when given). A linked file whose target is listed
 * already is not listed again, unless a kustomization lies beside the link (a build reads the file
 * by the link's path). A file every link names as a test assertion is listed under its links' paths
 * instead of its own (`assertionTargets`).
 */
export function listManifests(root: string, exclude: readonly string[], note?: (message: string) => void): string[] {
  const out: string[] = [];
  let st;
  try {
    st = statSync(root);
  } catch {
    return out;
  }
  if (st.isFile()) return isSettingsFile(root) ? [] : [root];
  const excluded = compileExcludes(exclude);
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return out;
  }
  const inside = (real: string): boolean => {
    const rel = relative(realRoot, real);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  /** Real paths of the folders walked so far: a link back to one of them is a loop. */
  const walked = new Set<string>([realRoot]);
  // A folder's real path is its parent's real path and its name unless it is a link (links are
  // resolved where they are met), so entries that are not links need no realpath of their own.
  const walk = (dir: string, realDir: string): void => {
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
      if (e.isSymbolicLink()) {
        let real: string;
        let target;
        try {
          real = realpathSync(full);
          target = statSync(real);
        } catch {
          note?.(`skipped ${full}: a symbolic link whose target does not exist`);
          continue;
        }
        if (!inside(real)) {
          if (target.isDirectory() || isManifestPath(e.name)) note?.(`skipped ${full}: a symbolic link to ${real}, outside the workspace`);
          continue;
        }
        if (target.isDirectory()) {
          // Walked after the real folders, so a folder is read under its own path when it can be.
          linkedDirs.push({ path: full, real });
        } else if (target.isFile() && isManifestPath(e.name)) {
          linked.push({ path: full, real });
        }
        continue;
      }
      if (e.isDirectory()) {
        const real = join(realDir, e.name);
        if (walked.has(real)) continue;
        if (e.name === 'vendor' && existsSync(join(full, 'modules.txt'))) {
          note?.(`skipped ${full}: Go module dependencies (vendor/modules.txt), not this repository's manifests`);
          continue;
        }
        walked.add(real);
        walk(full, real);
      } else if (e.isFile() && isManifestPath(e.name)) {
        out.push(full);
        listed.add(join(realDir, e.name));
        realOf.set(full, join(realDir, e.name));
      }
    }
  };
  /** Files reached through links, added after the walk unless their target was listed (no file is read twice). */
  const linked: Array<{ readonly path: string; readonly real: string }> = [];
  const listed = new Set<string>();
  const realOf = new Map<string, string>();
  const linkedDirs: Array<{ readonly path: string; readonly real: string }> = [];
  walk(root, realRoot);
  for (let i = 0; i < linkedDirs.length; i++) {
    const d = linkedDirs[i];
    if (d === undefined) continue;
    if (walked.has(d.real)) {
      note?.(`skipped ${d.path}: a symbolic link to a folder read already (a loop, or a second way to ${d.real})`);
      continue;
    }
    walked.add(d.real);
    walk(d.path, d.real);
  }
  const asAssertions = assertionTargets(out, realOf, linked);
  const readByLink = new Set([...asAssertions].map((f) => realOf.get(f) ?? f));
  for (const l of linked) {
    // A kustomization beside the link reads the file by the link's path (kustomize follows it):
    // listed there as well, or the build would miss it (volsync's config/openshift links its SCC).
    const byLink = readByLink.has(l.real) || KUSTOMIZATION_FILES.some((k) => existsSync(join(dirname(l.path), k)));
    if (listed.has(l.real) && !byLink) continue;
    listed.add(l.real);
    out.push(l.path);
  }
  return asAssertions.size === 0 ? out : out.filter((f) => !asAssertions.has(f));
}

/**
 * Listed files that test harnesses read only through links named as assertions: every link to the file is
 * a kuttl or chainsaw assertion (`03-errors.yaml` → `../../common/errors_cleanup.yaml`, openstack-k8s-operators'
 * kuttl tests), no kustomization lies beside it, and its own name is none. kuttl reads it by the link's
 * path, as partial objects; read at its own path it would be a manifest of incomplete objects no tool
 * applies. Such a file is listed under its links' paths instead.
 */
function assertionTargets(
  out: readonly string[],
  realOf: ReadonlyMap<string, string>,
  linked: ReadonlyArray<{ readonly path: string; readonly real: string }>,
): Set<string> {
  const links = new Map<string, string[]>();
  for (const l of linked) links.set(l.real, [...(links.get(l.real) ?? []), l.path]);
  const found = new Set<string>();
  if (links.size === 0) return found;
  for (const f of out) {
    const paths = links.get(realOf.get(f) ?? f);
    if (paths === undefined || testAssertion(basename(f)) || !paths.every((p) => testAssertion(basename(p)))) continue;
    if (KUSTOMIZATION_FILES.some((k) => existsSync(join(dirname(f), k)))) continue;
    found.add(f);
  }
  return found;
}

/**
 * The files `readIgnoreFiles` reads in each folder: ignore files, Makefiles that write files a kustomization names,
 * start test harnesses or apply folders, and `go.mod` (a Go module's `testdata` folders below it hold test inputs).
 */
const IGNORE_FILES = ['.gitignore', '.fleetignore', ...MAKEFILE_NAMES, 'go.mod'] as const;

/**
 * The `.gitignore` files that can say a file a kustomization names is generated (absent on a fresh
 * clone, written by a Makefile before `kustomize build`), and the `.fleetignore` files that leave
 * files out of a Fleet bundle: those of every folder holding a listed file and of the folders above
 * it, up to the repository's top (a folder with `.git`) or the file system's root; and the Makefiles
 * of the same folders, which can name such a file (`sed … > secret-processed.yaml` before the build), and their
 * `go.mod` files (a Go module: its `testdata` folders hold test inputs); the CI files of the repository's top and
 * the shell scripts that the Makefiles, CI files and scripts name (what they run: `readRunners`; a listing of every
 * folder's scripts would cost a directory read per folder, and a script nothing runs has no known folder to run in). Path → text. The analysis reads them as support files (analysis/workspace/gitignore.ts,
 * makefiles.ts, analysis/units/fleetIgnore.ts, testData.ts, runSources.ts).
 */
export function readIgnoreFiles(files: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  const tops = new Set<string>();
  for (const file of files) {
    for (let dir = dirname(file); !seen.has(dir);) {
      seen.add(dir);
      for (const name of IGNORE_FILES) readSmall(join(dir, name), 1024 * 1024, out);
      let top = false;
      try {
        top = statSync(join(dir, '.git'), { throwIfNoEntry: false }) !== undefined;
      } catch {
        // Not the repository's top.
      }
      if (top) tops.add(dir);
      const up = dirname(dir);
      if (top || up === dir) break;
      dir = up;
    }
  }
  readRunners(tops, out);
  return out;
}

/** The largest shell script or CI file read. */
const SCRIPT_LIMIT = 256 * 1024;

/** Reads file `path` into `out` when it is a file of at most `limit` bytes. */
function readSmall(path: string, limit: number, out: Map<string, string>): void {
  // `throwIfNoEntry: false`: most folders have none, and an error per folder (its stack
  // trace) cost more than the rest of the walk (0.4 s of a 7,000-file warm start).
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st?.isFile() === true && st.size <= limit) out.set(path, readFileSync(path, 'utf8'));
  } catch {
    // Unreadable: as if there were none.
  }
}

/** How many shell scripts the runners' lines may name, all told. */
const NAMED_SCRIPTS = 200;

/**
 * The CI files of each repository top (`.github/workflows/*.yml`, `.yaml`; `.gitlab-ci.yml`), and the shell scripts
 * the Makefiles, CI files and scripts read so far name (`./hack/e2e.sh`, `bash scripts/deploy.sh`), read from the
 * folder of the file that names them, the repository's top, or the naming script's folder: what they run is read by
 * analysis/units/runSources.ts and harnessRuns.ts.
 */
function readRunners(tops: ReadonlySet<string>, out: Map<string, string>): void {
  for (const top of tops) {
    const workflows = join(top, '.github', 'workflows');
    try {
      for (const e of readdirSync(workflows, { withFileTypes: true }))
        if (e.isFile() && /\.ya?ml$/.test(e.name)) readSmall(join(workflows, e.name), SCRIPT_LIMIT, out);
    } catch {
      // No workflows.
    }
    readSmall(join(top, '.gitlab-ci.yml'), SCRIPT_LIMIT, out);
  }
  const done = new Set<string>();
  let budget = NAMED_SCRIPTS;
  for (let more = true; more && budget > 0;) {
    more = false;
    for (const [path, text] of [...out]) {
      if (done.has(path) || !isRunnerPath(path)) continue;
      done.add(path);
      for (const m of text.matchAll(/(?:^|[\s"'=(])((?:\.{1,2}\/)?[\w.@-]+(?:\/[\w.@-]+)*\.sh)(?=$|[\s"';)|&])/gm)) {
        const rel = m[1] ?? '';
        for (const base of [dirname(path), ...tops]) {
          const at = join(base, rel);
          if (out.has(at) || budget <= 0) continue;
          const before = out.size;
          readSmall(at, SCRIPT_LIMIT, out);
          if (out.size > before) {
            budget--;
            more = true;
          }
        }
      }
    }
  }
}

/** A Makefile, a CI file or a shell script: a file whose lines may run a script. */
function isRunnerPath(path: string): boolean {
  const name = basename(path);
  return (
    (MAKEFILE_NAMES as readonly string[]).includes(name) ||
    name.endsWith('.sh') ||
    name === '.gitlab-ci.yml' ||
    (/\.ya?ml$/.test(name) && basename(dirname(path)) === 'workflows' && basename(dirname(dirname(path))) === '.github')
  );
}
