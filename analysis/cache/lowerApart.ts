/**
 * A file lowered apart from any host, for a parse worker (server/parsePool.ts): the facts of a
 * plain manifest (not a template) or of a chart's values file as `AnalysisHost` would lower it on a
 * cold pass, in the warm-start cache's form (analysis/cache/facts.ts `cacheableFacts`: plain data
 * that structured clone and the cache's codec carry). The host takes them back through
 * `AnalysisHost.offerLowered`, narrowed like a cache entry (`adoptCachedFacts`), so whichever
 * thread lowered a file its facts are the same. Pure: the host decides where this runs.
 */

import { lowerFile } from '../model/lower.js';
import type { FileFacts } from '../model/types.js';
import { normalizeBreaks } from '../syntax/limits.js';
import { readManifest } from '../syntax/schemaSkim.js';
import { readValuesFile } from '../syntax/valuesFile.js';
import { cacheableFacts } from './facts.js';

/** The facts of `text` read as a plain manifest at `uri`; throws where the host's own lowering would (the host then lowers it itself). */
export function lowerApart(uri: string, text: string): FileFacts {
  const normalized = normalizeBreaks(text);
  return cacheableFacts(lowerFile(uri, normalized, readManifest(normalized, { helm: false, offer: false }), undefined));
}

/**
 * A chart's values file (values.yaml beside a Chart.yaml) lowered apart: its facts as the host
 * lowers it (syntax/valuesFile.ts `readValuesFile`), and the value that reading gives the renderer
 * when it gives one (`AnalysisHost.offerLowered` hands it to the render, which then does not parse
 * the text again). Throws where the host's own lowering would.
 */
export function lowerValuesApart(uri: string, text: string): { readonly facts: FileFacts; readonly value?: { readonly js: unknown } } {
  const normalized = normalizeBreaks(text);
  const read = readValuesFile(normalized);
  const facts = cacheableFacts(lowerFile(uri, normalized, read.parsed, undefined));
  return read.value === undefined ? { facts } : { facts, value: read.value };
}
