/**
 * Loading a workspace for the CLI: paths (folders read recursively like the editor does; a file
 * named explicitly is read whatever its extension or kind, FIFOs and /dev/stdin included; `-` is
 * standard input), settings from `.kube-reach.yaml` in the current folder, `--config FILE`,
 * `--exclude GLOB` and `--severity code=level`, in rising priority (docs/dev/design.md §6, docs/cli.md).
 * A run that reads no manifest is a usage error (exit 2): CI must not pass on nothing.
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AnalysisHost, DEFAULT_SETTINGS } from '../analysis/index.js';
import type { AnalysisSettings } from '../analysis/index.js';
import { decodeBytes, isSettingsFile, listManifests, readIgnoreFiles, readManifest } from '../server/files.js';
import { readChartFolders } from '../server/chartFiles.js';
import { FactsCache, cacheFileFor } from '../server/factsCache.js';
import { lowerOnWorkers, parseWorkers } from '../server/parsePool.js';
import type { ParseWorkers } from '../server/parsePool.js';
import { pathToUri, uriToPath } from '../server/uris.js';
import type { Flag, ParsedArgs } from './args.js';
import { oneOf } from './args.js';
import { applyConfigFile, applySeverityFlags } from './config.js';
import type { CliIO } from './io.js';
import { escapeControl, UsageError } from './io.js';

/** Flags every workspace-reading command accepts. */
export const WORKSPACE_FLAGS: readonly Flag[] = [
  { name: '--config', value: 'FILE', repeatable: true, help: 'settings file (the keys of .kube-reach.yaml)' },
  { name: '--exclude', value: 'GLOB', repeatable: true, help: 'leave out matching files' },
  { name: '--severity', value: 'CODE=LEVEL', repeatable: true, help: 'error|warning|information|hint|off for one check' },
  {
    name: '--gateway-api-channel',
    value: 'CHANNEL',
    help: "auto|standard|experimental: the Gateway API CRDs' channel the cluster runs (kubeReach.gatewayApi.channel)",
  },
  {
    name: '--cache',
    value: 'DIR',
    help: 'keep parsed files (and check results) in DIR and reuse them on the next run (unchanged files are not parsed again)',
  },
  {
    name: '--parse-workers',
    value: 'N',
    help: 'auto|N: threads that parse files, this one included (1: no worker; auto: one per core, for over 2 MB of files)',
  },
];

/** `--parse-workers`: `auto` (or absent), or a whole number of threads ≥ 1. */
function parseWorkersArgument(value: string | undefined): ParseWorkers {
  if (value === undefined || value === 'auto') return parseWorkers('auto');
  if (!/^[1-9][0-9]{0,3}$/.test(value))
    throw new UsageError(`--parse-workers takes auto or a whole number of threads (1 or more), not ${escapeControl(value)}`);
  return parseWorkers(value);
}

/** How standard input is named in output (file names, SARIF, annotations). */
export const STDIN_NAME = '<stdin>';

/** Names of standard input as a file. */
const STDIN_PATHS = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

export interface LoadedWorkspace {
  readonly host: AnalysisHost;
  readonly settings: AnalysisSettings;
  /** uri → the path as reached from the argument, `/`-separated. */
  readonly displayPath: ReadonlyMap<string, string>;
  /** uri → the path of a support file that may carry notes (a `.fleetignore`), relative to the working folder when below it. */
  readonly supportPath?: ReadonlyMap<string, string>;
  /** The uri of a path argument resolved like the loader does (for probes and filters). */
  uriOf(path: string): string;
  /** `--cache DIR` as `check` uses it (undefined without `--cache`, or when `loadWorkspace` wrote the cache itself). */
  readonly cache?: CheckResultsCache;
}

/**
 * The warm-start cache of a `check` run (docs/dev/warm-start.md): the check results it holds are
 * taken when they were found in exactly these inputs, and the cache is written after checking,
 * with the results, only when a file's facts or the results are not the cache's already.
 */
export interface CheckResultsCache {
  /**
   * Hands the host the check results the cache holds for the files read, the support files, the
   * settings and `extra` (what else the checks read: the Helm values of `--values`/`--set`); true
   * when it held some.
   */
  useChecks(extra: string): boolean;
  /** Writes the cache (the facts and the last snapshot's check results) unless it holds them already. */
  save(): void;
}

/** The key's text of what checks read besides files and settings (`CheckResultsCache.useChecks`'s `extra`). */
const EXTRA_INPUTS = 'kube-reach:inputs';

/** Settings in rising priority: .kube-reach.yaml, --config, --release/--namespace, --gateway-api-channel, --exclude, --severity. */
export function loadSettings(args: ParsedArgs, io: CliIO): AnalysisSettings {
  let settings = DEFAULT_SETTINGS;
  const local = join(io.cwd, '.kube-reach.yaml');
  if (existsSync(local)) settings = applyConfigFile(local, '.kube-reach.yaml', settings);
  for (const c of args.values.get('--config') ?? []) {
    const abs = resolve(io.cwd, c);
    if (!existsSync(abs)) throw new UsageError(`--config: no such file: ${c}`);
    settings = applyConfigFile(abs, c, settings);
  }
  // `check --release/--namespace` (cli/render.ts HELM_FLAGS): how charts are rendered.
  const release = args.values.get('--release')?.[0];
  const namespace = args.values.get('--namespace')?.[0];
  if (release !== undefined || namespace !== undefined)
    settings = {
      ...settings,
      helm: {
        ...settings.helm,
        ...(release !== undefined ? { releaseName: release } : {}),
        ...(namespace !== undefined ? { namespace } : {}),
      },
    };
  const channel = args.values.get('--gateway-api-channel')?.[0];
  if (channel !== undefined)
    settings = {
      ...settings,
      gatewayApi: { channel: oneOf('--gateway-api-channel', channel, ['auto', 'standard', 'experimental'], 'auto') },
    };
  const excludes = args.values.get('--exclude') ?? [];
  if (excludes.length > 0) settings = { ...settings, exclude: [...settings.exclude, ...excludes] };
  return applySeverityFlags(args.values.get('--severity') ?? [], settings);
}

/** Bytes of an explicitly named file or of stdin, checked like readManifest checks files. */
function fromBytes(bytes: Uint8Array, maxBytes: number): { ok: true; text: string } | { ok: false; reason: string } {
  if (bytes.length > maxBytes)
    return { ok: false, reason: `larger than ${Math.round(maxBytes / 1024 / 1024)} MB (kubeReach.maxFileSizeMB)` };
  return decodeBytes(bytes);
}

/**
 * The chart a path lies in the templates/ of (`kube-reach check chart/templates`): its Chart.yaml
 * is not among the files read, but the templates are templates all the same.
 */
function chartAbove(abs: string): string | undefined {
  let dir = abs;
  for (let guard = 0; guard < 64; guard++) {
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    if (dir.endsWith(`${sep}templates`) || dir === join(parent, 'templates')) {
      if (existsSync(join(parent, 'Chart.yaml')) || existsSync(join(parent, 'Chart.yml'))) return parent;
    }
    dir = parent;
  }
  return undefined;
}

/**
 * Reads every manifest under the paths into a fresh analysis host. With `--cache`, the cache is
 * written here when any file was not in it, unless `options.checkResults` (`check`): then the caller
 * writes it after checking, with the results (`LoadedWorkspace.cache`).
 */
export async function loadWorkspace(
  paths: readonly string[],
  args: ParsedArgs,
  io: CliIO,
  options: { readonly checkResults?: boolean } = {},
): Promise<LoadedWorkspace> {
  const settings = loadSettings(args, io);
  const roots = paths.length === 0 ? ['.'] : paths;
  if (roots.filter((p) => p === '-').length > 1) throw new UsageError('- (standard input) may be given only once');
  const kinds = new Map<string, 'dir' | 'file' | 'stdin'>();
  for (const p of roots) {
    if (p === '-') {
      kinds.set(p, 'stdin');
      continue;
    }
    try {
      kinds.set(p, statSync(resolve(io.cwd, p)).isDirectory() ? 'dir' : 'file');
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
  }
  const workers = parseWorkersArgument(args.values.get('--parse-workers')?.[0]);
  const host = new AnalysisHost(settings);
  // A settings file given with --config is not a manifest, whatever its name.
  const configs = new Set((args.values.get('--config') ?? []).map((c) => resolve(io.cwd, c)));
  const displayPath = new Map<string, string>();
  // `--cache DIR`: the warm-start cache (docs/dev/warm-start.md), one file per set of paths.
  const cacheDir = args.values.get('--cache')?.[0];
  const cache =
    cacheDir === undefined
      ? undefined
      : new FactsCache(
          cacheFileFor(
            resolve(io.cwd, cacheDir),
            roots.map((p) => (p === '-' ? p : resolve(io.cwd, p))),
          ),
        );
  if (cache !== undefined) {
    const problem = cache.load(settings);
    if (problem !== undefined) io.stderr(`kube-reach: note: ${escapeControl(problem)}\n`);
  }
  const chartDirsSeen: string[] = [];
  // Standard input's file: not from disk, so the cache keys the check results by its text.
  let stdinUri: string | undefined;
  const maxBytes = settings.maxFileSizeMB * 1024 * 1024;
  for (const p of roots) {
    const kind = kinds.get(p);
    if (kind === 'stdin') {
      if (io.readStdin === undefined) throw new UsageError('- reads standard input, and there is none');
      const read = fromBytes(await io.readStdin(), maxBytes);
      if (!read.ok) throw new UsageError(`cannot read standard input: ${read.reason}`);
      const uri = pathToUri(join(io.cwd, STDIN_NAME));
      displayPath.set(uri, STDIN_NAME);
      host.setFile(uri, read.text);
      stdinUri = uri;
      continue;
    }
    const abs = resolve(io.cwd, p);
    const chart = chartAbove(abs);
    if (chart !== undefined) {
      host.addChartDir(pathToUri(chart));
      chartDirsSeen.push(chart);
    }
    if (kind === 'file') {
      // Kube Reach's own settings file is never a manifest, even when named explicitly.
      if (isSettingsFile(abs) || configs.has(abs)) {
        io.stderr(
          `kube-reach: note: skipped ${escapeControl(p)}: a Kube Reach settings file, not a manifest (settings are read from .kube-reach.yaml in the current folder and from --config)\n`,
        );
        continue;
      }
      // Named explicitly: read whatever it is (no extension test; a FIFO or /dev/stdin is read to its end).
      const uri = pathToUri(abs);
      if (displayPath.has(uri)) continue;
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(abs);
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        // /dev/stdin on a socket (how some CI runners and Node's child processes pass input) cannot be opened: read the stream.
        if (code === 'ENXIO' && STDIN_PATHS.has(abs) && io.readStdin !== undefined) bytes = await io.readStdin();
        else throw new UsageError(`cannot read ${p}: unreadable${typeof code === 'string' ? ` (${code})` : ''}`);
      }
      const read = fromBytes(bytes, maxBytes);
      if (!read.ok) throw new UsageError(`cannot read ${p}: ${read.reason}`);
      displayPath.set(uri, (isAbsolute(p) ? abs : relative(io.cwd, abs) || p).split(sep).join('/'));
      host.setFile(uri, read.text, undefined, cache?.lookup(uri, read.text));
      continue;
    }
    for (const file of listManifests(abs, settings.exclude, (m) => io.stderr(`kube-reach: note: ${m}\n`))) {
      if (configs.has(file)) continue;
      const uri = pathToUri(file);
      if (displayPath.has(uri)) continue;
      const shown = isAbsolute(p) ? file : relative(io.cwd, file) || p;
      const display = shown.split(sep).join('/');
      const read = readManifest(file, maxBytes);
      if (!read.ok) {
        io.stderr(`kube-reach: note: skipped ${escapeControl(display)}: ${read.reason}\n`);
        continue;
      }
      displayPath.set(uri, display);
      host.setFile(uri, read.text, undefined, cache?.lookup(uri, read.text));
    }
  }
  // Charts render with their files that are not manifests (partials, `.Files`, `.tgz` subcharts).
  const charts = new Set(chartDirsSeen);
  for (const uri of displayPath.keys()) {
    if (!/\/Chart\.ya?ml$/.test(uri)) continue;
    const path = uriToPath(uri);
    if (path !== undefined) charts.add(dirname(path));
  }
  // Manifests' texts are the host's (read above); a vendored subchart's folder comes from its parent's read.
  for (const [dir, read] of readChartFolders(charts, (path) => host.textOf(pathToUri(path)))) {
    for (const n of read.notes) io.stderr(`kube-reach: note: ${escapeControl(relative(io.cwd, dir) || '.')}: ${n}\n`);
    for (const [rel, text] of read.files) {
      const uri = pathToUri(join(dir, rel));
      if (!host.hasFile(uri)) host.setSupportFile(uri, text);
    }
  }
  // The `.gitignore` files above the manifests (a kustomization naming a file one lists names a generated file) and the `.fleetignore` files (what a Fleet bundle leaves out).
  const listed: string[] = [];
  for (const uri of displayPath.keys()) {
    const path = uriToPath(uri);
    if (path !== undefined) listed.push(path);
  }
  const supportPath = new Map<string, string>();
  for (const [path, text] of readIgnoreFiles(listed)) {
    const uri = pathToUri(path);
    if (host.hasFile(uri)) continue;
    host.setSupportFile(uri, text);
    // A `.fleetignore` may carry notes of its own (analysis/units/fleetIgnoreNotes.ts): named as the manifests are.
    const rel = relative(io.cwd, path);
    if (basename(path) === '.fleetignore') supportPath.set(uri, (rel === '' || rel.startsWith('..') ? path : rel).split(sep).join('/'));
  }
  if (displayPath.size === 0) {
    const where = roots.map((r) => (r === '-' ? 'standard input' : r)).join(', ');
    throw new UsageError(
      `no manifest read from ${where} (folders are searched for *.yaml, *.yml and *.json; name a file to read it whatever its extension)`,
    );
  }
  // Plain manifests not in the cache are lowered on parse workers (server/parsePool.ts).
  await lowerOnWorkers(host.plainPending(), workers, (uri, text, facts, value) => host.offerLowered(uri, text, facts, value));
  const note = (problem: string | undefined): void => {
    if (problem !== undefined) io.stderr(`kube-reach: note: ${escapeControl(problem)}\n`);
  };
  const uriOf = (path: string): string => pathToUri(resolve(io.cwd, path));
  if (cache !== undefined && options.checkResults === true) {
    let inputs: string | undefined;
    let restored = false;
    const checkCache: CheckResultsCache = {
      useChecks: (extra) => {
        const texts = new Map<string, string>(host.supportFiles());
        const stdin = stdinUri === undefined ? undefined : host.textOf(stdinUri);
        if (stdinUri !== undefined && stdin !== undefined) texts.set(stdinUri, stdin);
        texts.set(EXTRA_INPUTS, extra);
        inputs = cache.inputsKey(settings, texts);
        const state = cache.checksFor(inputs);
        restored = state !== undefined;
        if (restored) host.useCachedChecks(state);
        return restored;
      },
      save: () => {
        // Nothing new: the facts were all the cache's and so were the check results.
        if (!cache.factsChanged() && restored) return;
        const state = inputs === undefined ? undefined : host.checksForCache();
        note(cache.save((uri) => host.factsForCache(uri), inputs === undefined || state === undefined ? undefined : { inputs, state }));
      },
    };
    return { host, settings, displayPath, supportPath, uriOf, cache: checkCache };
  }
  // Only when a file's facts are not the cache's: a cache without check results (`check` writes
  // them) is not written again by every run of another command.
  if (cache?.factsChanged() === true) {
    // The files are parsed now (the analysis would parse them first thing) so the cache can hold them.
    host.parsePending(Infinity);
    note(cache.save((uri) => host.factsForCache(uri)));
  }
  return { host, settings, displayPath, supportPath, uriOf };
}

/**
 * A `--unit` argument as the analysis names units: a folder (a Kustomize build, a chart, a folder of
 * manifests) as a path, or a GitOps root as its file's path and the root's name after `#`
 * (`argocd/apps.yaml#Application:web` for an Argo CD Application, `clusters/apps.yaml#web` for a Flux
 * Kustomization); a `file://` id as a note printed it is taken as it is.
 */
export function unitArgument(arg: string, uriOf: (path: string) => string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) return arg.replace(/\/+$/, '');
  const hash = arg.indexOf('#');
  if (hash > 0) return `${uriOf(arg.slice(0, hash))}#${arg.slice(hash + 1)}`;
  return uriOf(arg).replace(/\/+$/, '');
}
