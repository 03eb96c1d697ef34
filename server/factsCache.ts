/**
 * The warm-start cache on disk (docs/dev/warm-start.md), shared by the language server (in the
 * editor's storage folder) and the CLI (`--cache DIR`): the lowered facts of every file, keyed by
 * its URI and a hash of its text, so reopening a workspace reads them instead of parsing again.
 *
 * One file per workspace (`kube-reach-facts-<hash of the roots>.bin`): a line naming the format,
 * a JSON header line (the analysis build, the settings key, the payload's length and SHA-256),
 * then the pack (analysis/cache/facts.ts) in the cache's codec (analysis/cache/codec.ts). A file that is truncated,
 * corrupt (the checksum), of another build or format, or written under other settings is ignored
 * as a whole; an entry whose hash is not the text's is ignored alone (the file is parsed). Writes
 * go to a temporary file renamed over the old one, so a reader never sees half a cache. Nothing
 * is ever written beside the user's files.
 */

import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FACTS_CACHE_FORMAT, decodeValue, encodeValueChunks, factsCacheSettingsKey, makePack, readPack } from '../analysis/index.js';
import type { AnalysisSettings, CachedCheckResults, CachedFacts, FileFacts, Utf8 } from '../analysis/index.js';
import { isRecord } from '../analysis/index.js';
import { PRODUCT_VERSION } from '../protocol/product.js';

const MAGIC = 'kube-reach facts cache\n';

/** The codec's string table in UTF-8 (analysis/cache/codec.ts). */
export const UTF8: Utf8 = {
  encode: (text) => Buffer.from(text, 'utf8'),
  decode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
};

/** A hash of a file's text (the cache key besides its URI). */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** Runs `compute` on the first call and returns its value ever after (a constant of the process). */
function once<T>(compute: () => T): () => T {
  const box: { value?: T; done: boolean } = { done: false };
  return () => {
    if (!box.done) {
      box.value = compute();
      box.done = true;
    }
    return box.value as T;
  };
}

/**
 * The analysis build: the product version and a hash of the running bundle (dist/server.js or
 * dist/cli.js), so a rebuilt or updated Kube Reach never reads facts an older lowering wrote.
 * Computed once, on first use (hashing the bundle costs milliseconds a run without a cache need not pay).
 */
export const analysisBuild: () => string = once(() => {
  let code: string;
  try {
    code = createHash('sha256').update(readFileSync(__filename)).digest('base64url');
  } catch {
    code = 'unknown';
  }
  return `${PRODUCT_VERSION}+${code}`;
});

/** The cache file of a workspace (its roots) in a storage folder. */
export function cacheFileFor(dir: string, roots: readonly string[]): string {
  const id = createHash('sha256')
    .update([...roots].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
  return join(dir, `kube-reach-facts-${id}.bin`);
}

export interface CacheLoad {
  readonly entries: ReadonlyMap<string, CachedFacts>;
  readonly checks?: CachedCheckResults;
  /** Why the file was ignored, when it was there and could not be used. */
  readonly problem?: string;
}

/** Reads a cache file; never throws (a missing file is an empty cache without a problem). */
export function loadFactsCache(file: string, build: string, settingsKey: string): CacheLoad {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { entries: new Map() };
  }
  const ignored = (problem: string): CacheLoad => ({ entries: new Map(), problem: `cache ${file} ignored: ${problem}` });
  const magic = Buffer.from(MAGIC);
  if (bytes.length < magic.length || !bytes.subarray(0, magic.length).equals(magic)) return ignored('not a Kube Reach cache file');
  const headerEnd = bytes.indexOf(0x0a, magic.length);
  if (headerEnd < 0) return ignored('truncated (no header)');
  let header: unknown;
  try {
    header = JSON.parse(bytes.subarray(magic.length, headerEnd).toString('utf8'));
  } catch {
    return ignored('corrupt header');
  }
  if (!isRecord(header) || typeof header['bytes'] !== 'number' || typeof header['sha256'] !== 'string') return ignored('corrupt header');
  if (header['format'] !== FACTS_CACHE_FORMAT) return ignored(`format ${String(header['format'])}, expected ${FACTS_CACHE_FORMAT}`);
  if (header['analysis'] !== build) return ignored('written by another Kube Reach build');
  if (header['settings'] !== settingsKey) return ignored('written under other settings');
  const payload = bytes.subarray(headerEnd + 1);
  if (payload.length !== header['bytes']) return ignored(`truncated (${payload.length} of ${header['bytes']} bytes)`);
  if (createHash('sha256').update(payload).digest('base64url') !== header['sha256']) return ignored('corrupt (checksum mismatch)');
  let value: unknown;
  try {
    value = decodeValue(payload, UTF8);
  } catch (e) {
    return ignored(`corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
  const read = readPack(value, build, settingsKey);
  return 'problem' in read ? ignored(read.problem) : { entries: read.files, ...(read.checks !== undefined ? { checks: read.checks } : {}) };
}

/**
 * Writes a cache file (temporary file, then rename); returns a problem instead of throwing. The
 * payload goes out in the codec's pieces, never joined into one buffer (a 10,000-file cache would
 * otherwise be held two or three times over while it is written: the peak memory of a run).
 */
export function saveFactsCache(
  file: string,
  build: string,
  settingsKey: string,
  files: readonly CachedFacts[],
  checks?: CachedCheckResults,
): string | undefined {
  const tmp = `${file}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    const payload = encodeValueChunks(makePack(build, settingsKey, files, checks), UTF8);
    const sha256 = createHash('sha256');
    let bytes = 0;
    for (const chunk of payload) {
      sha256.update(chunk);
      bytes += chunk.length;
    }
    const header = JSON.stringify({
      format: FACTS_CACHE_FORMAT,
      analysis: build,
      settings: settingsKey,
      files: files.length,
      bytes,
      sha256: sha256.digest('base64url'),
    });
    mkdirSync(join(file, '..'), { recursive: true });
    fd = openSync(tmp, 'w');
    writeAll(fd, Buffer.from(MAGIC + header + '\n'));
    for (const chunk of payload) writeAll(fd, chunk);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
    return undefined;
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Closed already or unusable: the temporary file is removed either way.
      }
    }
    rmSync(tmp, { force: true });
    return `cache ${file} not written: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Writes all of `bytes` at the file's position (`writeSync` may write less than it is given). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
}

/**
 * One workspace's cache as the server and the CLI use it: `lookup` while reading files (the
 * facts for a text when the cache holds them for its hash), `record` for every file read from
 * disk, `save` to write what the host lowered for those texts.
 */
export class FactsCache {
  private entries: ReadonlyMap<string, CachedFacts> = new Map();
  /** The check results the file held (for the inputs they name). */
  private checks: CachedCheckResults | undefined;
  /** The hash of every file's text as read from disk (what `save` keys the facts by). */
  private readonly hashes = new Map<string, { readonly hash: string; readonly length: number }>();
  private settingsKey = '';
  /** A file's facts are not the cache's (read, changed or gone since the load or the last write). */
  private dirty = false;
  /** The file held no check results (the server's next write adds them). */
  private checksMissing = false;
  /** Entries used and ignored since the last load (for the log and the tests). */
  readonly counts = { hits: 0, stale: 0 };

  constructor(
    readonly file: string,
    readonly build: string = analysisBuild(),
  ) {}

  /** Reads the file under these settings; returns the reason it was ignored, if it was. */
  load(settings: AnalysisSettings): string | undefined {
    this.settingsKey = factsCacheSettingsKey(settings);
    const loaded = loadFactsCache(this.file, this.build, this.settingsKey);
    this.entries = loaded.entries;
    this.checks = loaded.checks;
    // Without check results the next write adds them.
    this.checksMissing = loaded.checks === undefined;
    this.counts.hits = 0;
    this.counts.stale = 0;
    return loaded.problem;
  }

  /** Settings changed: the entries lowered under others are of no use. */
  settingsChanged(settings: AnalysisSettings): void {
    const key = factsCacheSettingsKey(settings);
    if (key === this.settingsKey) return;
    this.settingsKey = key;
    this.entries = new Map();
    this.checks = undefined;
    this.dirty = true;
  }

  /**
   * A key of everything checks read: `settings`, and the text of every file the host holds (by the
   * hashes of the files read from disk, or `texts`: open documents and chart support files, whose
   * text is not the disk's or not a manifest's). Equal keys, equal inputs.
   */
  inputsKey(settings: AnalysisSettings, texts: ReadonlyMap<string, string>): string {
    const lines: string[] = [];
    for (const [uri, { hash }] of this.hashes) if (!texts.has(uri)) lines.push(`${uri}\u0000${hash}`);
    for (const [uri, text] of texts) lines.push(`${uri}\u0000${contentHash(text)}`);
    lines.sort();
    return createHash('sha256').update(JSON.stringify(settings)).update('\n').update(lines.join('\n')).digest('base64url');
  }

  /** The check results the file held, when they were found in inputs whose key is `inputs`. */
  checksFor(inputs: string): unknown {
    return this.checks?.inputs === inputs ? this.checks.state : undefined;
  }

  /** The cached facts of `uri` when they were lowered from this very text (untrusted: the host checks them). */
  lookup(uri: string, text: string): FileFacts | undefined {
    const hash = contentHash(text);
    this.hashes.set(uri, { hash, length: text.length });
    const entry = this.entries.get(uri);
    if (entry === undefined) {
      this.dirty = true;
      return undefined;
    }
    if (entry.hash !== hash) {
      this.counts.stale++;
      this.dirty = true;
      return undefined;
    }
    this.counts.hits++;
    return entry.facts;
  }

  /** `uri` no longer comes from disk. */
  forget(uri: string): void {
    if (this.hashes.delete(uri)) this.dirty = true;
  }

  /** Something to write since the last save or load: a file's facts, or check results the file lacks. */
  isDirty(): boolean {
    return this.dirty || this.checksMissing;
  }

  /** A file's facts to write since the last save or load (what a run that does not check writes for). */
  factsChanged(): boolean {
    return this.dirty;
  }

  /**
   * Writes the facts `factsOf` gives for the files read from disk. `factsOf` must give only facts
   * lowered from the text that was read (the server leaves open documents out). `checks`: the
   * host's check results, keyed by `inputsKey` of the inputs they were found in.
   */
  save(factsOf: (uri: string) => FileFacts | undefined, checks?: CachedCheckResults): string | undefined {
    const files: CachedFacts[] = [];
    for (const [uri, { hash, length }] of this.hashes) {
      const facts = factsOf(uri);
      if (facts === undefined || facts.uri !== uri) continue;
      // Facts of another text than the disk's (the caller leaves open documents out) are not written.
      if (facts.length !== length) continue;
      files.push({ uri, hash, facts });
    }
    const problem = saveFactsCache(this.file, this.build, this.settingsKey, files, checks);
    if (problem === undefined) {
      this.dirty = false;
      this.checksMissing = false;
      this.checks = checks;
    }
    return problem;
  }
}
