/**
 * Reading manifests as a git commit holds them, for the connectivity diff (`kube-reach diff
 * --base REF`, and the editor's `kubeReach/diff` against HEAD): the files under some paths at a
 * ref (`git ls-tree`, then every blob through one `git cat-file --batch`), and the files of the
 * work tree that differ from a ref (`git diff --name-only`, untracked files). Nothing is checked
 * out and nothing is written; git runs with the user's repository read-only.
 */

import { execFile, spawn } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { untar } from './chartFiles.js';
import { decodeManifest, inGoVendor, isManifestPath } from './files.js';

export class GitError extends Error {}

/**
 * How git is run, per server (or CLI run): the executable (`git` on PATH, or the one the editor's git
 * support uses: `initializationOptions.gitPath`) and whether git may run at all (the editor's
 * Restricted Mode forbids it). No module state: two servers in one process keep their own, and a
 * function called without one (the CLI) gets a fresh one: git on PATH, allowed.
 */
export class GitRunner {
  private executable = 'git';
  private allowed = true;

  /** Uses this git executable from now on (an absolute path, or a name looked up on PATH). */
  use(path: string): void {
    this.executable = path === '' ? 'git' : path;
  }

  /** Allows or forbids running git. */
  allow(allowed: boolean): void {
    this.allowed = allowed;
  }

  get isAllowed(): boolean {
    return this.allowed;
  }

  get command(): string {
    return this.executable;
  }
}

/** Never a repository's file-system monitor hook for these read-only commands. */
const SAFE = ['-c', 'core.fsmonitor=false'] as const;

/** Runs git in `cwd` and returns its standard output; a failure is a GitError with git's first line of stderr. */
export function git(cwd: string, args: readonly string[], runner: GitRunner = new GitRunner()): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    if (!runner.isAllowed) {
      reject(new GitError('git is not run in an untrusted workspace (Restricted Mode)'));
      return;
    }
    execFile(runner.command, [...SAFE, ...args], { cwd, maxBuffer: 1 << 30, encoding: 'buffer' }, (err, stdout, stderr) => {
      if (err !== null) {
        const first = stderr.toString('utf8').trim().split('\n')[0] ?? '';
        const missing = (err as { code?: unknown }).code === 'ENOENT';
        reject(
          new GitError(
            missing ? 'git is not installed (or not on PATH)' : `git ${args[0] ?? ''} failed${first !== '' ? `: ${first}` : ''}`,
          ),
        );
      } else resolvePromise(stdout);
    });
  });
}

/** The top folder of the repository holding `cwd`, or undefined outside one (or without git). */
export async function gitTopLevel(cwd: string, runner: GitRunner = new GitRunner()): Promise<string | undefined> {
  try {
    const top = (await git(cwd, ['rev-parse', '--show-toplevel'], runner)).toString('utf8').trim();
    return top === '' ? undefined : top;
  } catch (e) {
    // Not a repository (or no git): undefined; git forbidden: said as such.
    if (!runner.isAllowed) throw e;
    return undefined;
  }
}

/** Throws a GitError unless `ref` names a commit. */
export async function verifyCommit(top: string, ref: string, runner: GitRunner = new GitRunner()): Promise<void> {
  try {
    await git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], runner);
  } catch {
    throw new GitError(`${ref} is not a commit of the repository at ${top}`);
  }
}

/** Paths (relative to the repository's top, `/`-separated) of the files under `rels` at `ref`. */
export async function listAtRef(top: string, ref: string, rels: readonly string[], runner: GitRunner = new GitRunner()): Promise<string[]> {
  const out = await git(top, ['ls-tree', '-r', '-z', '--name-only', ref, '--', ...(rels.length === 0 ? ['.'] : rels)], runner);
  return out
    .toString('utf8')
    .split('\0')
    .filter((f) => f !== '');
}

/** The blobs `ref:path` of `paths`, read through one `git cat-file --batch`; a path git cannot find is left out. */
export function readAtRef(
  top: string,
  ref: string,
  paths: readonly string[],
  runner: GitRunner = new GitRunner(),
): Promise<Map<string, Buffer>> {
  return new Promise((resolvePromise, reject) => {
    const out = new Map<string, Buffer>();
    if (paths.length === 0) {
      resolvePromise(out);
      return;
    }
    if (!runner.isAllowed) {
      reject(new GitError('git is not run in an untrusted workspace (Restricted Mode)'));
      return;
    }
    const child = spawn(runner.command, [...SAFE, 'cat-file', '--batch'], { cwd: top, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (e) => reject(new GitError(`git cat-file failed: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new GitError(`git cat-file failed (exit ${String(code)})`));
        return;
      }
      // Answers come in request order: "<oid> <type> <size>\n<content>\n", or "<name> missing\n".
      const buf = Buffer.concat(chunks);
      let off = 0;
      for (const path of paths) {
        const nl = buf.indexOf(10, off);
        if (nl === -1) break;
        const header = buf.subarray(off, nl).toString('utf8');
        off = nl + 1;
        const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
        if (m === null) continue;
        const size = Number(m[2]);
        if (m[1] === 'blob') out.set(path, buf.subarray(off, off + size));
        off += size + 1;
      }
      resolvePromise(out);
    });
    // A path with a newline cannot be asked for on this protocol: it is left out.
    for (const p of paths) if (!p.includes('\n')) child.stdin.write(`${ref}:${p}\n`);
    child.stdin.end();
  });
}

/**
 * Paths (relative to the top) of the work tree's files that differ from `ref`: changed, added or
 * deleted tracked files and untracked files that are not ignored.
 */
export async function changedSince(top: string, ref: string, runner: GitRunner = new GitRunner()): Promise<string[]> {
  const tracked = await git(top, ['diff', '--name-only', '--no-renames', '-z', ref, '--'], runner);
  const untracked = await git(top, ['ls-files', '--others', '--exclude-standard', '-z'], runner);
  const names = new Set<string>();
  for (const b of [tracked, untracked]) for (const f of b.toString('utf8').split('\0')) if (f !== '') names.add(f);
  return [...names].sort();
}

/** What `filesAtRef` read: manifests and chart support files by path relative to the top, and notes. */
export interface FilesAtRef {
  readonly manifests: Map<string, string>;
  /** Files of the charts (folders holding a Chart.yaml) that are not manifests: partials, `.Files`, unpacked `.tgz` subcharts. */
  readonly support: Map<string, string>;
  /** Folders (relative to the top) holding a Chart.yaml at the ref. */
  readonly chartDirs: string[];
  readonly notes: string[];
}

export interface FilesAtRefOptions {
  readonly excluded: (relPath: string) => boolean;
  readonly maxBytes: number;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}

/** The manifests under `rels` at `ref`, and the non-manifest files of the charts among them. */
export async function filesAtRef(top: string, ref: string, rels: readonly string[], options: FilesAtRefOptions): Promise<FilesAtRef> {
  const listed = await listAtRef(top, ref, rels);
  const notes: string[] = [];
  const chartDirs = listed.filter((f) => /(^|\/)Chart\.ya?ml$/.test(f)).map(dirOf);
  const inChart = (f: string): boolean => chartDirs.some((d) => d === '' || f.startsWith(`${d}/`));
  const all = new Set(listed);
  const wanted = listed.filter(
    (f) =>
      !f.split('/').includes('node_modules') &&
      !inGoVendor(f, (rel) => all.has(rel)) &&
      !options.excluded(f) &&
      (isManifestPath(f) || inChart(f)),
  );
  const blobs = await readAtRef(top, ref, wanted);
  const manifests = new Map<string, string>();
  const support = new Map<string, string>();
  for (const f of wanted) {
    const bytes = blobs.get(f);
    if (bytes === undefined) continue;
    if (bytes.length > options.maxBytes) {
      notes.push(`skipped ${f} at ${ref}: larger than ${Math.round(options.maxBytes / 1024 / 1024)} MB`);
      continue;
    }
    if (isManifestPath(f)) {
      if (bytes.includes(0)) notes.push(`skipped ${f} at ${ref}: binary`);
      else manifests.set(f, decodeManifest(bytes));
      continue;
    }
    const chart = chartDirs.find((d) => d === '' || f.startsWith(`${d}/`)) ?? '';
    const rel = chart === '' ? f : f.slice(chart.length + 1);
    if (/^charts\/[^/]+\.tgz$/.test(rel)) {
      try {
        for (const [name, data] of untar(gunzipSync(bytes))) {
          if (name.indexOf('/') <= 0) continue;
          support.set(`${chart === '' ? '' : `${chart}/`}charts/${name}`, decodeManifest(data));
        }
      } catch (e) {
        notes.push(`${f} at ${ref}: ${e instanceof Error ? e.message : String(e)}`);
      }
    } else if (!bytes.includes(0)) support.set(f, decodeManifest(bytes));
  }
  return { manifests, support, chartDirs, notes };
}
