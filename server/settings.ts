/**
 * Where the server's analysis settings come from, in rising priority: the defaults, the
 * `.kube-reach.yaml` of each workspace root (so CI and the editor agree), then the editor's
 * `kubeReach.*` settings. Exclude globs are the exception: they accumulate (the file's, the
 * editor's and `files.exclude`), because an editor reports its defaults as values and an empty
 * editor list must not silently re-include what the project file excludes.
 */

import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_SETTINGS, readSettings } from '../analysis/index.js';
import type { AnalysisSettings } from '../analysis/index.js';
import { isRecord } from '../analysis/index.js';

/** The project settings file at a workspace root (docs/dev/design.md §2). */
export const CONFIG_FILE_NAME = '.kube-reach.yaml';

export function configFilePath(root: string): string {
  return join(root, CONFIG_FILE_NAME);
}

/** Settings as sent by the editor: the `kubeReach` section and `files.exclude`. */
export interface EditorSettings {
  readonly kubeReach: unknown;
  readonly filesExclude: unknown;
}

export interface ResolvedSettings {
  readonly settings: AnalysisSettings;
  /** One line per ignored or invalid value, for the output channel. */
  readonly problems: string[];
}

/** Parses a `.kube-reach.yaml`; invalid YAML is a problem, never a crash. */
export function parseConfigFile(text: string, source: string): { raw: unknown; problems: string[] } {
  try {
    return { raw: parseYaml(text, { maxAliasCount: 100 }), problems: [] };
  } catch (e) {
    return { raw: undefined, problems: [`${source}: ${e instanceof Error ? e.message.split('\n')[0] : 'invalid YAML'}`] };
  }
}

/** The globs of a `files.exclude` map whose value is `true`. */
export function filesExcludeGlobs(raw: unknown): string[] {
  if (!isRecord(raw)) return [];
  return Object.entries(raw)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
}

/** Combines project files and editor settings (see the module comment for the priority). */
export function resolveSettings(
  files: ReadonlyArray<{ readonly source: string; readonly raw: unknown }>,
  editor: EditorSettings | undefined,
): ResolvedSettings {
  const problems: string[] = [];
  let settings: AnalysisSettings = DEFAULT_SETTINGS;
  const exclude: string[] = [];
  for (const f of files) {
    const r = readSettings(f.raw, settings);
    for (const p of r.problems) problems.push(`${f.source}: ${p}`);
    settings = r.settings;
    for (const g of r.settings.exclude) exclude.push(g);
  }
  if (editor !== undefined) {
    const r = readSettings(editor.kubeReach, settings);
    for (const p of r.problems) problems.push(`kubeReach settings: ${p}`);
    settings = r.settings;
    for (const g of [...r.settings.exclude, ...filesExcludeGlobs(editor.filesExclude)]) exclude.push(g);
  }
  return { settings: { ...settings, exclude: [...new Set(exclude)] }, problems };
}

/** True when two settings would list a different set of files. */
export function fileSetChanged(a: AnalysisSettings, b: AnalysisSettings): boolean {
  return a.maxFileSizeMB !== b.maxFileSizeMB || a.exclude.length !== b.exclude.length || a.exclude.some((g, i) => g !== b.exclude[i]);
}
