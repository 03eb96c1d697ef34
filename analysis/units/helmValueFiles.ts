/**
 * The values a Helm unit renders a chart with besides its own values.yaml: the value files
 * `kubeReach.helm.valueFiles` names for the chart (found relative to the workspace root, else the
 * chart folder), then the values the host hands over (the CLI's `--values`/`--set`).
 */

import { dirname, joinPath } from '../workspace/paths.js';
import { mergeValues } from '../render/helm/values.js';
import type { Values } from '../render/helm/values.js';
import { readValuesDocuments } from '../render/helm/chart.js';
import type { HelmOptions } from './helm.js';

/** The user values of one chart: the value files the settings name for it (`files`, in order), then the host's values. */
export function userValuesFor(
  dir: string,
  options: HelmOptions,
  globs: ReadonlyArray<{ match: (uri: string) => boolean; files: readonly string[] }>,
  text: (uri: string) => string | undefined,
  texts: Map<string, string | undefined>,
): { values: Values; notes: string[]; files: string[] } {
  const values: Values = new Map();
  const notes: string[] = [];
  const files: string[] = [];
  const ancestors: string[] = [];
  for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) ancestors.unshift(d);
  const seen = new Set<string>();
  for (const g of globs) {
    if (!g.match(dir)) continue;
    for (const f of g.files) {
      let uri: string | undefined;
      let t: string | undefined;
      for (const base of [...ancestors, dir]) {
        const candidate = joinPath(base, f);
        const ct = text(candidate);
        if (ct !== undefined) {
          uri = candidate;
          t = ct;
          break;
        }
        // Absent: an input all the same, so the chart renders again when the file comes (it would be read from here).
        if (!texts.has(candidate)) texts.set(candidate, undefined);
      }
      if (uri === undefined || t === undefined) {
        notes.push(`values file ${f} is not in the workspace`);
        continue;
      }
      if (seen.has(uri)) continue;
      seen.add(uri);
      files.push(uri);
      texts.set(uri, t);
      // As Helm 4 reads a `-f` file: every `---` document, YAML 1.1 scalars; a file Helm refuses gives no values and a note.
      const problems: string[] = [];
      const v = readValuesDocuments(t, f, problems);
      if (problems.length > 0) notes.push(`values file ${problems[0] ?? f}`);
      else mergeValues(values, v);
    }
  }
  if (options.values !== undefined) mergeValues(values, options.values);
  return { values, notes, files };
}
