/**
 * A chart's values file read once for the index and the renderer. The index parses every YAML
 * file leniently (`strict: false`, its own duplicate-key check); Helm's values are read by the
 * renderer with the `yaml` package's defaults (render/helm/chart.ts: `parse(text, {maxAliasCount})`,
 * which refuses any error). Composed with the defaults' strictness instead, a values file without
 * any error or warning gives the index the very documents the lenient reading gives (strictness
 * only adds errors), and its value is what the renderer's own parse would give: the renderer takes
 * it (`offerValues`) instead of parsing the text again. Anything else is read as before.
 */

import type { Document } from 'yaml';
import { normalizeBreaks } from './limits.js';
import { parseFile, parseManifest } from './parse.js';
import type { ParsedFile } from './parse.js';

export interface ValuesFileRead {
  /** What `parseManifest(text)` gives; a text holding `${…}`/`$(…)` that composes cleanly: read with them as text. */
  readonly parsed: ParsedFile;
  /** The file's value as `yaml`'s `parse(text, { maxAliasCount: 1000 })` returns it, when that would not throw or warn. */
  readonly value?: { readonly js: unknown };
}

/** Whether `uri` is a chart's values file (values.yaml beside a Chart.yaml: `chartDirs` holds the folder). */
export function isChartValuesFile(uri: string, chartDirs: { has(dir: string): boolean }): boolean {
  const m = /^(.*)\/values\.ya?ml$/.exec(uri);
  return m?.[1] !== undefined && chartDirs.has(m[1]);
}

export function readValuesFile(text: string): ValuesFileRead {
  // The renderer parses the text as it is: the index's reading must see the same characters (no
  // line breaks normalised). `${…}` and `$(…)` are read as text, as Helm reads them (nothing
  // substitutes a chart's values), so such a file is composed once too.
  if (normalizeBreaks(text) !== text) return { parsed: parseManifest(text) };
  let count = 0;
  let clean = true;
  let js: unknown;
  const parsed = parseFile(text, {
    placeholdersAsText: 'all',
    strict: (doc: Document.Parsed) => {
      count++;
      if (doc.errors.length > 0 || doc.warnings.length > 0) clean = false;
      else if (count === 1) {
        try {
          // The `yaml` package's warnings (a `{ .Values.port }` flow-map key stringified) are not ours to print.
          doc.options.logLevel = 'error';
          js = doc.toJS({ maxAliasCount: 1000 });
        } catch {
          clean = false;
        }
      }
    },
  });
  // Strict composition found errors (perhaps only strict ones): the lenient reading decides.
  if (!clean || parsed.limit !== undefined) return { parsed: parseManifest(text) };
  // The index's own checks (duplicate keys) found errors: parseManifest may read the file otherwise.
  const index = parsed.errors.length === 0 ? parsed : parseManifest(text);
  // A plain scalar go-yaml v2 reads otherwise (`0644`, `yes`, `on:`): the renderer reads the text itself, as Helm does (chart.ts `helmScalarTags`).
  const yaml11 = index.documents.some((d) => d.yaml11.length > 0);
  return count === 1 && !yaml11 ? { parsed: index, value: { js } } : { parsed: index };
}
