/**
 * Loading a workspace for the CLI: paths (files or folders, read recursively like the editor
 * does), settings from `.kube-reach.yaml` in the current folder, `--config FILE`, `--exclude GLOB`
 * and `--severity code=level`, in rising priority (design §6).
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AnalysisHost, DEFAULT_SETTINGS, readSettings } from '../analysis/index.js';
import type { AnalysisSettings } from '../analysis/index.js';
import { listManifests, readManifest } from '../server/files.js';
import type { ParsedArgs } from './args.js';
import type { CliIO } from './io.js';
import { UsageError } from './io.js';

/** Flags every workspace-reading command accepts. */
export const WORKSPACE_FLAGS = ['--config', '--exclude', '--severity'] as const;

export interface LoadedWorkspace {
  readonly host: AnalysisHost;
  readonly settings: AnalysisSettings;
  /** uri → the path as reached from the argument, `/`-separated. */
  readonly displayPath: ReadonlyMap<string, string>;
  /** The uri of a path argument resolved like the loader does (for probes and filters). */
  uriOf(path: string): string;
}

function toUri(abs: string): string {
  return 'file://' + abs.split(sep).join('/');
}

function readConfigFile(path: string, io: CliIO, required: boolean): unknown {
  if (!existsSync(path)) {
    if (required) throw new UsageError(`--config: no such file: ${path}`);
    return undefined;
  }
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    if (required) throw new UsageError(`--config: cannot read ${path}: ${msg}`);
    io.stderr(`kube-reach: note: ignoring ${path}: ${msg}\n`);
    return undefined;
  }
}

const LEVELS = ['error', 'warning', 'information', 'hint', 'off'];

/** Settings in rising priority: .kube-reach.yaml, --config, --exclude, --severity. */
export function loadSettings(args: ParsedArgs, io: CliIO): AnalysisSettings {
  let settings = DEFAULT_SETTINGS;
  const apply = (raw: unknown, source: string): void => {
    const r = readSettings(raw, settings);
    for (const p of r.problems) io.stderr(`kube-reach: note: ${source}: ${p}\n`);
    settings = r.settings;
  };
  apply(readConfigFile(join(io.cwd, '.kube-reach.yaml'), io, false), '.kube-reach.yaml');
  for (const c of args.values.get('--config') ?? []) apply(readConfigFile(resolve(io.cwd, c), io, true), c);
  const excludes = args.values.get('--exclude') ?? [];
  if (excludes.length > 0) settings = { ...settings, exclude: [...settings.exclude, ...excludes] };
  const sev: Record<string, string> = {};
  for (const s of args.values.get('--severity') ?? []) {
    const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(s);
    if (m === null || !LEVELS.includes(m[2] ?? '')) throw new UsageError(`--severity expects code=level with level one of ${LEVELS.join(', ')} (got "${s}")`);
    sev[m[1] ?? ''] = m[2] ?? '';
  }
  if (Object.keys(sev).length > 0) apply({ severity: sev }, '--severity');
  return settings;
}

/** Reads every manifest under the paths into a fresh analysis host. */
export function loadWorkspace(paths: readonly string[], args: ParsedArgs, io: CliIO): LoadedWorkspace {
  const settings = loadSettings(args, io);
  const roots = paths.length === 0 ? ['.'] : paths;
  for (const p of roots) {
    const abs = resolve(io.cwd, p);
    try {
      statSync(abs);
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
  }
  const host = new AnalysisHost(settings);
  const displayPath = new Map<string, string>();
  const maxBytes = settings.maxFileSizeMB * 1024 * 1024;
  for (const p of roots) {
    const abs = resolve(io.cwd, p);
    const isFile = statSync(abs).isFile();
    const files = listManifests(abs, settings.exclude);
    for (const file of files) {
      const uri = toUri(file);
      if (displayPath.has(uri)) continue;
      const shown = isAbsolute(p) ? file : relative(io.cwd, file) || p;
      const display = shown.split(sep).join('/');
      const read = readManifest(file, maxBytes);
      if (!read.ok) {
        if (isFile) throw new UsageError(`cannot read ${p}: ${read.reason}`);
        io.stderr(`kube-reach: note: skipped ${display}: ${read.reason}\n`);
        continue;
      }
      displayPath.set(uri, display);
      host.setFile(uri, read.text);
    }
  }
  return { host, settings, displayPath, uriOf: (path) => toUri(resolve(io.cwd, path)) };
}
