/**
 * Rancher Fleet `GitRepo` resources of the workspace that read this repository: their `paths` (the
 * folders Fleet scans for bundles) and `targetNamespace`, which Fleet's bundle reader writes over
 * every deployment of a bundle it makes (rancher/fleet `internal/bundlereader/read.go`: the bundle's
 * `targetNamespace` and each target customization's). Design notes: docs/dev/fleet.md.
 *
 * Which repository a GitRepo's `repo` URL names is not known here; a GitRepo is taken to read this
 * one when each of its `paths` other than `.` names a folder of the workspace holding files (a glob:
 * at least one, as Fleet expands it with Go's `filepath.Glob`, `fleetGlob.ts`), all from one folder
 * at or above the GitRepo's (as Flux paths are read, units/flux.ts `repositoryRoot`). A GitRepo
 * with only `.` (or `./`, or no `paths`: Fleet scans the repository's root) names the repository root,
 * the bundle root of its scan: the nearest folder at or above the workspace's top folder (the folder
 * holding every file) whose name is the last segment of its `repo` URL (without `.git`), the evidence
 * that it reads this repository (a management repository's GitRepos name others); none, not read. A
 * malformed glob or a templated value is not read.
 */

import { remembered } from './factsMemo.js';
import type { FileFacts } from '../model/types.js';
import type { ParsedFile } from '../syntax/parse.js';
import type { YNode, YScalar } from '../syntax/tree.js';
import { get, isScalar, isSeq } from '../syntax/tree.js';
import { basename, dirname, joinPath } from '../workspace/paths.js';
import { repositoryRoot } from './flux.js';
import { expandPath, isGlob } from './fleetGlob.js';

/** What a GitRepo that reads this repository decides for the bundles below its paths. */
export interface GitRepoReach {
  readonly uri: string;
  /** The folders its `paths` name, resolved in the workspace. */
  readonly dirs: readonly string[];
  /** `spec.targetNamespace`, its span carrying the GitRepo's file. */
  readonly targetNamespace: YScalar | undefined;
}

/** Whether a file holds a Fleet GitRepo (a change to it reshapes the builds). */
export function hasFleetGitRepo(f: FileFacts | undefined): boolean {
  return remembered(gitRepoFacts, f, (x) => x.objects.some((o) => o.group === 'fleet.cattle.io' && o.kind === 'GitRepo'));
}

const gitRepoFacts = new WeakMap<FileFacts, boolean>();

/** A non-empty literal string value. */
function literal(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && typeof n.value === 'string' && n.value !== '' ? n.value : undefined;
}

/**
 * The GitRepos of the workspace and the folders their paths reach. `listFiles` lists the files below a folder (the
 * layout records what it listed: a file that comes or goes there finds the GitRepos again, units/layoutScan.ts).
 */
export function fleetGitRepos(
  files: ReadonlyMap<string, FileFacts>,
  parse: (uri: string) => ParsedFile | undefined,
  listFiles: (dir: string) => readonly string[],
  /** The workspace's top folder, asked for only by a GitRepo that scans the repository's root. */
  top: () => string | undefined = () => undefined,
): GitRepoReach[] {
  const out: GitRepoReach[] = [];
  const holdsFiles = (dir: string): boolean => listFiles(dir).length > 0;
  // The folders holding files directly in each folder (a glob's segments match their names), in the order of their first file.
  const subfolders = (dir: string): readonly string[] => {
    const found = new Set<string>();
    for (const uri of listFiles(dir)) {
      const rest = uri.slice(dir.length + 1);
      const slash = rest.indexOf('/');
      if (slash > 0) found.add(`${dir}/${rest.slice(0, slash)}`);
    }
    return [...found];
  };
  for (const f of files.values()) {
    if (f.template || !hasFleetGitRepo(f)) continue;
    for (const d of parse(f.uri)?.documents ?? []) {
      const doc = d.root;
      if (literal(get(doc, 'kind')) !== 'GitRepo' || literal(get(doc, 'apiVersion'))?.startsWith('fleet.cattle.io/') !== true) continue;
      const spec = get(doc, 'spec');
      const list = get(spec, 'paths');
      // No `paths` (or an empty list): Fleet scans the repository's root (`.`).
      const paths = isSeq(list) ? list.items.map(literal) : list === undefined || isEmptyList(list) ? ['.'] : [undefined];
      const rels = paths.filter((p) => p !== '.' && p !== './');
      if (paths.some((p) => p === undefined)) continue;
      const ns = get(spec, 'targetNamespace');
      const targetNamespace = isScalar(ns) && literal(ns) !== undefined ? { ...ns, span: { ...ns.span, uri: f.uri } } : undefined;
      if (rels.length === 0) {
        // Only the repository root: read when the workspace's top folder, or a folder above it, is the repository `repo` names.
        const root = checkout(literal(get(spec, 'repo')), top());
        if (root !== undefined) out.push({ uri: f.uri, dirs: [root], targetNamespace });
        continue;
      }
      // A glob's root: the nearest folder at or above the GitRepo's from which it names a folder holding files.
      const rootOf = (p: string): string | undefined =>
        isGlob(p)
          ? repositoryRoot(dirname(f.uri), '.', (d) => (expandPath(d, p, subfolders) ?? []).length > 0)
          : repositoryRoot(dirname(f.uri), p, holdsFiles);
      const roots = new Set(rels.map((p) => rootOf(p ?? '')));
      const root = roots.size === 1 ? [...roots][0] : undefined;
      if (root === undefined) continue;
      const dirs = paths.flatMap((p) => (isGlob(p ?? '') ? (expandPath(root, p ?? '', subfolders) ?? []) : [joinPath(root, p ?? '.')]));
      out.push({ uri: f.uri, dirs, targetNamespace });
    }
  }
  return out;
}

/** An empty flow or block sequence (`paths: []`), or a null value (`paths:`): Fleet reads no paths. */
function isEmptyList(n: YNode): boolean {
  return (isSeq(n) && n.items.length === 0) || (isScalar(n) && n.value === null);
}

/** The nearest folder at or above `from` that `repo` names (`namesFolder`): where the repository is checked out. */
function checkout(repo: string | undefined, from: string | undefined): string | undefined {
  for (let d = from; d !== undefined;) {
    if (namesFolder(repo, d)) return d;
    const up = dirname(d);
    if (up === d || up === '.' || /^[a-z][a-z0-9+.-]*:\/*$/i.test(up)) return undefined;
    d = up;
  }
  return undefined;
}

/**
 * Whether a GitRepo's `repo` URL names the repository checked out in folder `dir`: its last path
 * segment, without a trailing `/` or `.git`, is the folder's name (`https://github.com/org/shop.git`,
 * `git@github.com:org/shop`: `shop`), compared without case as Git hosts compare names.
 */
function namesFolder(repo: string | undefined, dir: string): boolean {
  if (repo === undefined) return false;
  const name = /([^/:]+?)(?:\.git)?\/*$/.exec(repo)?.[1];
  let folder = basename(dir);
  try {
    folder = decodeURIComponent(folder);
  } catch {
    // A name that is no valid percent-encoding is compared as it stands.
  }
  return name !== undefined && name !== '' && name.toLowerCase() === folder.toLowerCase();
}

/** Whether a folder holds fleet.yaml (or fleet.yml). */
function holdsFleetYaml(files: ReadonlyMap<string, unknown>, dir: string): boolean {
  return files.has(joinPath(dir, 'fleet.yaml')) || files.has(joinPath(dir, 'fleet.yml'));
}

/**
 * The GitRepo paths that hold no fleet.yaml but manifests (a `.yaml`/`.yml` file in the folder, or
 * below it outside every folder holding fleet.yaml): Fleet's bundle reader makes a bundle of each,
 * with default options (`shouldCreateBundleForThisPath`). Only those the GitRepos give a
 * `targetNamespace` are returned (without one, the bundle's objects land in the agent's default
 * namespace, not known here, as the folder's objects already do), and none inside a bundle of
 * `bundles` (a fleet.yaml folder above it).
 */
export function pathBundles(
  reaches: readonly GitRepoReach[],
  files: ReadonlyMap<string, unknown>,
  bundles: ReadonlyMap<string, { readonly dir: string }>,
  listFiles: (dir: string) => readonly string[],
): Array<{ dir: string; forced: YScalar }> {
  const out: Array<{ dir: string; forced: YScalar }> = [];
  const seen = new Set<string>();
  const inBundle = (dir: string): boolean => [...bundles.values()].some((b) => dir === b.dir || dir.startsWith(`${b.dir}/`));
  for (const r of reaches)
    for (const dir of r.dirs) {
      if (seen.has(dir) || holdsFleetYaml(files, dir) || inBundle(dir)) continue;
      seen.add(dir);
      const forced = gitRepoNamespace(reaches, dir);
      if (forced === undefined) continue;
      const manifests = listFiles(dir).some((u) => {
        if (!/\.ya?ml$/.test(u)) return false;
        for (let d = dirname(u); d !== dir && d.length > dir.length; d = dirname(d)) if (holdsFleetYaml(files, d)) return false;
        return true;
      });
      if (manifests) out.push({ dir, forced });
    }
  return out;
}

/**
 * The namespace the GitRepos that reach bundle folder `dir` write over its deployments: their
 * common `targetNamespace` (undefined when none reaches it, one sets none, or they differ).
 */
export function gitRepoNamespace(reaches: readonly GitRepoReach[], dir: string): YScalar | undefined {
  const by = reaches.filter((r) => r.dirs.some((d) => dir === d || dir.startsWith(`${d}/`)));
  const first = by[0]?.targetNamespace;
  if (first === undefined) return undefined;
  return by.every((r) => r.targetNamespace !== undefined && r.targetNamespace.value === first.value) ? first : undefined;
}
