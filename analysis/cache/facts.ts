/**
 * The warm-start cache's data (docs/dev/warm-start.md): the lowered facts of files, keyed by the
 * file's URI and a hash of its text, in a pack that names the analysis build and the settings the
 * lowering read. Pure: the host hands facts out (`AnalysisHost.factsForCache`) and takes them back
 * (`setFile`'s `cached`); the server and the CLI compute the hashes and store the pack
 * (server/factsCache.ts). The pack is plain data (objects, arrays, Maps, strings, numbers,
 * booleans), as the cache's codec (cache/codec.ts) carries it.
 *
 * What comes back from disk is untrusted: `readPack` and `adoptCachedFacts` narrow it, and
 * anything that does not fit (another build, other settings, another text, another reading of the
 * file) is ignored, never used: the file is parsed again.
 */

import { isRecord } from '../narrow.js';
import { lineStartsList } from '../text/lineIndex.js';
import { nextDocumentId, nextFactsSerial } from '../model/serials.js';
import type { FileFacts, LoweredDocument } from '../model/types.js';
import type { AnalysisSettings } from '../settings.js';

/** The pack's layout and its codec's (cache/codec.ts); a pack of another format is ignored. */
export const FACTS_CACHE_FORMAT = 2;

/** One file's facts as lowered from the text whose hash is `hash`. */
export interface CachedFacts {
  readonly uri: string;
  readonly hash: string;
  readonly facts: FileFacts;
}

export interface FactsCachePack {
  readonly format: number;
  /** The analysis build that lowered the facts (the server's: a hash of its bundle). */
  readonly analysis: string;
  /** `factsCacheSettingsKey` of the settings the facts were lowered under. */
  readonly settings: string;
  readonly files: readonly CachedFacts[];
  /**
   * The check results of the files as they were when the pack was written (analysis/cache/checks.ts),
   * with `inputs`: the caller's key of everything they were found in (every file's text, the
   * support files, the settings); used only when that key is the same again.
   */
  readonly checks?: CachedCheckResults;
}

export interface CachedCheckResults {
  readonly inputs: string;
  /** Untrusted when read back: the host narrows it (`AnalysisHost.useCachedChecks`). */
  readonly state: unknown;
}

/**
 * The settings lowering depends on. Lowering reads only the text, the URI and whether the file is
 * a template; `templateGlobs` decide the last (it is also checked per file, as chart folders come
 * and go), and `maxFileSizeMB` which files are lowered at all.
 */
export function factsCacheSettingsKey(settings: AnalysisSettings): string {
  return JSON.stringify({ templateGlobs: settings.templateGlobs, maxFileSizeMB: settings.maxFileSizeMB });
}

/** A pack of the given facts. */
export function makePack(analysis: string, settings: string, files: readonly CachedFacts[], checks?: CachedCheckResults): FactsCachePack {
  return { format: FACTS_CACHE_FORMAT, analysis, settings, files, ...(checks !== undefined ? { checks } : {}) };
}

/**
 * The entries of a pack read back, by URI; or why the whole pack is ignored (another format,
 * build or settings, or not a pack). Entries that are not shaped like one are left out.
 */
export function readPack(
  value: unknown,
  analysis: string,
  settings: string,
): { readonly files: ReadonlyMap<string, CachedFacts>; readonly checks?: CachedCheckResults } | { readonly problem: string } {
  if (!isRecord(value) || !Array.isArray(value['files'])) return { problem: 'not a cache pack' };
  if (value['format'] !== FACTS_CACHE_FORMAT) return { problem: `format ${String(value['format'])}, expected ${FACTS_CACHE_FORMAT}` };
  if (value['analysis'] !== analysis) return { problem: 'written by another Kube Reach build' };
  if (value['settings'] !== settings) return { problem: 'written under other settings' };
  const files = new Map<string, CachedFacts>();
  for (const e of value['files'] as unknown[]) {
    if (!isRecord(e)) continue;
    const uri = e['uri'];
    const hash = e['hash'];
    const facts = e['facts'];
    if (typeof uri !== 'string' || typeof hash !== 'string' || !isRecord(facts)) continue;
    files.set(uri, { uri, hash, facts: facts as unknown as FileFacts });
  }
  const checks = value['checks'];
  if (isRecord(checks) && typeof checks['inputs'] === 'string')
    return { files, checks: { inputs: checks['inputs'], state: checks['state'] } };
  return { files };
}

/** Facts as the cache stores them: without this process's identities and the document version. */
export function cacheableFacts(facts: FileFacts): FileFacts {
  const { serial: _serial, lastEdit: _lastEdit, version: _version, ...rest } = facts;
  // An edit's splice of line starts is stored as the list it stands for (the pack holds plain data).
  return { ...rest, lineStarts: lineStartsList(rest.lineStarts), version: undefined };
}

function isSpan(v: unknown): boolean {
  return isRecord(v) && typeof v['start'] === 'number' && typeof v['end'] === 'number';
}

/**
 * Cached facts for `uri`, checked against what the host knows of the text (its length after line
 * break normalisation, and whether it is read as a template), with fresh identities and the
 * document's version; undefined when they do not fit (the file is parsed instead).
 */
export function adoptCachedFacts(
  cached: unknown,
  uri: string,
  length: number,
  template: boolean,
  version: number | undefined,
): FileFacts | undefined {
  if (!isRecord(cached) || cached['uri'] !== uri || cached['length'] !== length) return undefined;
  // A file not known to be a template may have been read as one because its text is a Go
  // template (`guessedTemplate`, syntax/parse.ts `parseManifest`): the same text reads the same.
  const guessed = !template && cached['template'] === true && isRecord(cached['guessedTemplate']);
  if (cached['template'] !== template && !guessed) return undefined;
  const objects = cached['objects'];
  const lineStarts = cached['lineStarts'];
  const suppressions = cached['suppressions'];
  const documents = cached['documents'];
  if (
    !Array.isArray(objects) ||
    !Array.isArray(lineStarts) ||
    !Array.isArray(cached['syntaxErrors']) ||
    typeof cached['templated'] !== 'boolean' ||
    !isRecord(suppressions) ||
    !(suppressions['lines'] instanceof Map) ||
    !Array.isArray(suppressions['fromLine']) ||
    (documents !== undefined && !Array.isArray(documents))
  )
    return undefined;
  for (const o of objects as unknown[]) {
    if (!isRecord(o) || o['uri'] !== uri || typeof o['kind'] !== 'string' || !isSpan(o['span']) || !(o['annotations'] instanceof Map))
      return undefined;
  }
  const docs = documents as unknown[] | undefined;
  if (docs !== undefined) {
    for (const d of docs) if (!isRecord(d) || !isSpan(d['span']) || !Array.isArray(d['objects'])) return undefined;
  }
  const { lastEdit: _lastEdit, ...facts } = cached as unknown as FileFacts;
  return {
    ...facts,
    version,
    serial: nextFactsSerial(),
    // Document ids are this process's: an edit keeps a document by its id.
    ...(facts.documents !== undefined ? { documents: facts.documents.map((d): LoweredDocument => ({ ...d, id: nextDocumentId() })) } : {}),
  };
}
