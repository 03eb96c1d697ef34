/**
 * The analysis host's files (host.ts): each file's text and version, its facts once parsed, the
 * files set or removed since the last snapshot, and what decides how a file is read (the chart
 * folders whose `templates/` hold templates, `kubeReach.templateGlobs`, whether any kustomization
 * is held). Parsing lives here: a file is read from the warm-start cache, lowered document by
 * document after an edit, deferred (a chart template), or parsed whole; the size limit and the
 * workspace's object limit are applied, and a file analysis fails on is dropped with a finding.
 * Pure: no clock, no file system, no editor types.
 */

import { ForkMap } from './workspace/forkMap.js';
import { limitedFacts, lowerEdit, lowerFile } from './model/lower.js';
import type { FileFacts } from './model/types.js';
import type { AnalysisSettings } from './settings.js';
import type { ParsedFile } from './syntax/parse.js';
import { readManifest } from './syntax/schemaSkim.js';
import { adoptCachedFacts, cacheableFacts } from './cache/facts.js';
import { LIMITS, formatCount, limitMessage, normalizeBreaks, scanLimits } from './syntax/limits.js';
import { canDefer, deferredTemplateFacts, isDeferred } from './model/deferredFacts.js';
import { chartDirOf, compileTemplateGlobs, isTemplateFile } from './syntax/templateFiles.js';
import { isChartValuesFile, readValuesFile } from './syntax/valuesFile.js';
import { offerValues } from './render/helm/chart.js';
import { isRecord } from './narrow.js';
import { isKustomizationUri } from './render/kustomize/index.js';

interface FileEntry {
  text: string;
  version: number | undefined;
  facts: FileFacts | undefined;
  /** The version this text replaced, until it is lowered (unchanged documents keep their objects). */
  before?: { readonly text: string; readonly facts: FileFacts } | undefined;
  /** Facts the warm-start cache holds for this text (untrusted until `adoptCachedFacts` took them). */
  cached?: unknown;
  /** The facts are the lowering of this text (not a failure's, the size limit's or the workspace limit's). */
  cacheable?: boolean;
  /** `cached` came from a parse worker (`offerLowered`), not from the warm-start cache. */
  lowered?: boolean;
  /** The worker's value of a chart's values file with `cached` (`offerLowered`): the facts keep it (`FileFacts.helmValues`). */
  loweredValue?: { readonly js: unknown } | undefined;
}

/** Counters that tests and the benchmark read (not mocks: the real work is counted). */
export interface HostStats {
  parses: number;
  snapshots: number;
  /** Files whose checks ran in the last snapshot. */
  rechecked: number;
  /** Files whose objects the last snapshot's index placed again (every file when it was built anew: `WorkspaceIndex.placedFiles`). */
  placed: number;
  /** Snapshots whose index was built anew from every file (not derived from the previous one). */
  rebuilds: number;
  /** Snapshots whose checks have run (a deferred snapshot's run when its findings are read). */
  checkRuns: number;
  /** Parses that lowered only the documents an edit changed (`lowerEdit`). */
  documentEdits: number;
  /** Files whose facts came from the warm-start cache instead of a parse (`setFile`'s `cached`). */
  restored: number;
  /** Snapshots whose check results came from the warm-start cache instead of running the checks (`useCachedChecks`). */
  checksRestored: number;
  /** Files whose facts a parse worker lowered (`offerLowered`) instead of a parse here. */
  lowered: number;
}

/** The host's limits that reading files applies (see `AnalysisHost`'s constructor). */
export interface FileLimits {
  readonly objectsPerWorkspace?: number;
  readonly incrementalMinLength?: number;
}

/** The files of one host, their facts, and the parsing of what changed. */
export class HostFiles {
  private readonly files = new Map<string, FileEntry>();
  /** Every file's facts and text; each snapshot takes a fork (see ForkMap), not a copy. */
  readonly factsMap = new ForkMap<string, FileFacts>();
  readonly textsMap = new ForkMap<string, string>();
  /** Files set or removed since the last snapshot (support files too: the host adds them). */
  readonly changed = new Set<string>();
  /** Files whose facts are missing (set but not parsed yet), in insertion order. */
  private readonly pending = new Set<string>();
  /** Folders holding a Chart.yaml (their `templates/` hold templates), with how many (yaml, yml, hints). */
  private readonly chartDirs = new Map<string, number>();
  private kustomizations = 0; // kustomization files held: without any, plain readings are not offered (syntax/parseMemo.ts)
  private templateGlob: (uri: string) => boolean;
  /** Objects in the facts of every file (LIMITS.objectsPerWorkspace). */
  private objectCount = 0;
  /** What each file added to `objectCount` when it was parsed. */
  private readonly counted = new Map<string, number>();
  /** Files that analysis failed on since `takeFailures` was last called (for the server's log). */
  private failures: Array<{ readonly uri: string; readonly message: string }> = [];

  constructor(
    private settings: AnalysisSettings,
    private readonly stats: HostStats,
    private readonly limits: FileLimits,
  ) {
    this.templateGlob = compileTemplateGlobs(settings.templateGlobs);
  }

  /** The files analysis failed on (each dropped with an `input-limit` finding) since the last call. */
  takeFailures(): ReadonlyArray<{ readonly uri: string; readonly message: string }> {
    const out = this.failures;
    this.failures = [];
    return out;
  }

  /** Whether `uri` is read as a template (see syntax/templateFiles.ts). */
  isTemplate(uri: string): boolean {
    return isTemplateFile(uri, this.chartDirs, this.templateGlob);
  }

  /** One more (or one fewer) reason for `dir` to be a chart folder; true when it became or stopped being one. */
  chartDirChanged(dir: string, delta: number): boolean {
    const before = this.chartDirs.get(dir) ?? 0;
    const after = before + delta;
    if (after <= 0) this.chartDirs.delete(dir);
    else this.chartDirs.set(dir, after);
    if (before > 0 === after > 0) return false;
    // The chart's templates are read differently now: parse them again.
    const templates = `${dir}/templates/`;
    for (const [uri, entry] of this.files) {
      if (!uri.startsWith(templates)) continue;
      entry.facts = undefined;
      this.pending.add(uri);
      this.changed.add(uri);
    }
    return true;
  }

  /** Stores a file's text (see `AnalysisHost.setFile`); false when the file already held exactly this text. */
  set(uri: string, text: string, version: number | undefined, cached: unknown): boolean {
    const existing = this.files.get(uri);
    if (existing !== undefined && existing.text === text) {
      existing.version = version;
      return false;
    }
    const before = existing?.facts !== undefined ? { text: existing.text, facts: existing.facts } : existing?.before;
    this.files.set(uri, { text, version, facts: undefined, before, ...(cached !== undefined ? { cached } : {}) });
    const chart = chartDirOf(uri);
    if (existing === undefined && chart !== undefined) this.chartDirChanged(chart, +1);
    if (existing === undefined && isKustomizationUri(uri)) this.kustomizations++;
    this.textsMap.set(uri, text);
    this.pending.add(uri);
    this.changed.add(uri);
    return true;
  }

  /** Forgets a file; false when there was none. */
  remove(uri: string): boolean {
    if (!this.files.delete(uri)) return false;
    this.objectCount -= this.counted.get(uri) ?? 0;
    this.counted.delete(uri);
    const chart = chartDirOf(uri);
    if (chart !== undefined) this.chartDirChanged(chart, -1);
    if (isKustomizationUri(uri)) this.kustomizations--;
    this.pending.delete(uri);
    this.factsMap.delete(uri);
    this.textsMap.delete(uri);
    this.changed.add(uri);
    return true;
  }

  textOf(uri: string): string | undefined {
    return this.files.get(uri)?.text;
  }

  has(uri: string): boolean {
    return this.files.has(uri);
  }

  uris(): IterableIterator<string> {
    return this.files.keys();
  }

  /** New settings: every file is read again under them. */
  reread(settings: AnalysisSettings): void {
    this.settings = settings;
    this.templateGlob = compileTemplateGlobs(settings.templateGlobs);
    for (const entry of this.files.values()) {
      entry.facts = undefined;
      entry.before = undefined;
    }
    for (const uri of this.files.keys()) this.pending.add(uri);
  }

  /** Number of files set since they were last parsed. */
  pendingCount(): number {
    return this.pending.size;
  }

  /** Parses up to `limit` pending files now and returns how many remain (`AnalysisHost.parsePending`). */
  parsePending(limit: number): number {
    let done = 0;
    for (const uri of this.pending) {
      if (done >= limit) break;
      const entry = this.files.get(uri);
      if (entry !== undefined && entry.facts === undefined) this.parseEntry(uri, entry);
      this.pending.delete(uri);
      done++;
    }
    return this.pending.size;
  }

  /**
   * Pending files a parse worker may lower (`AnalysisHost.plainPending`): read whole as plain
   * manifests or as a chart's values file (`values`), so not a template, an edit of earlier facts,
   * a file the warm-start cache holds, or one past the size limit.
   */
  plainPending(): Array<{ readonly uri: string; readonly text: string; readonly values?: true }> {
    const out: Array<{ readonly uri: string; readonly text: string; readonly values?: true }> = [];
    const maxLength = this.settings.maxFileSizeMB * 1024 * 1024;
    for (const uri of this.pending) {
      const entry = this.files.get(uri);
      if (entry === undefined || entry.facts !== undefined || entry.cached !== undefined || entry.before !== undefined) continue;
      if (entry.text.length > maxLength || this.isTemplate(uri)) continue;
      out.push(isChartValuesFile(uri, this.chartDirs) ? { uri, text: entry.text, values: true } : { uri, text: entry.text });
    }
    return out;
  }

  /**
   * Facts lowered elsewhere for `text` (`AnalysisHost.offerLowered`); kept only while the file is
   * pending with that text. A chart's values file's `value` goes to the renderer (`offerValues`).
   */
  offerLowered(uri: string, text: string, facts: unknown, value?: { readonly js: unknown }): void {
    const entry = this.files.get(uri);
    if (entry === undefined || entry.text !== text || entry.facts !== undefined || entry.cached !== undefined || entry.before !== undefined)
      return;
    entry.cached = facts;
    entry.lowered = true;
    if (value !== undefined && isChartValuesFile(uri, this.chartDirs)) {
      offerValues(normalizeBreaks(text), value);
      entry.loweredValue = value;
    }
  }

  /** A file's facts as the warm-start cache stores them (`AnalysisHost.factsForCache`). */
  factsForCache(uri: string): FileFacts | undefined {
    const entry = this.files.get(uri);
    // Deferred template facts not read yet are not stored: the next start defers them again.
    return entry?.facts !== undefined && entry.cacheable === true && !isDeferred(entry.facts) ? cacheableFacts(entry.facts) : undefined;
  }

  /** `factsForCache` when this host holds exactly `text` for the file (`AnalysisHost.factsForText`). */
  factsForText(uri: string, text: string): FileFacts | undefined {
    const entry = this.files.get(uri);
    return entry !== undefined && entry.text === text ? this.factsForCache(uri) : undefined;
  }

  /** Invariant: a file that analysis fails on is dropped with a finding; the others are analysed. */
  private failed(uri: string, entry: FileEntry, e: unknown): FileFacts {
    const message = e instanceof Error ? e.message : String(e);
    this.failures.push({ uri, message: e instanceof Error ? (e.stack ?? message) : message });
    return limitedFacts(uri, typeof entry.text === 'string' ? entry.text : '', entry.version, undefined, {
      span: { start: 0, end: 0 },
      message: `not analysed: Kube Reach failed on this file (${message.split('\n')[0] ?? ''}); please report it`,
    });
  }

  private parseEntry(uri: string, entry: FileEntry): FileFacts {
    // Invariant: oversize text (an open document past kubeReach.maxFileSizeMB) is not analysed,
    // like an oversize file on disk; its facts are empty.
    let facts: FileFacts;
    let text = '';
    let tooLarge = false;
    let cacheable = false;
    let helmValues: { readonly js: unknown } | undefined;
    try {
      tooLarge = entry.text.length > this.settings.maxFileSizeMB * 1024 * 1024;
      text = tooLarge ? '' : normalizeBreaks(entry.text);
      const template = this.isTemplate(uri);
      const restored =
        tooLarge || entry.cached === undefined ? undefined : adoptCachedFacts(entry.cached, uri, text.length, template, entry.version);
      entry.cached = undefined;
      // A chart's values file's value read with these facts (the worker's, or the cache's: same text, same build).
      if (restored !== undefined && !template && isChartValuesFile(uri, this.chartDirs)) {
        helmValues = entry.lowered === true ? entry.loweredValue : cachedHelmValues(restored);
        if (entry.lowered !== true && helmValues !== undefined) offerValues(text, helmValues);
      }
      entry.loweredValue = undefined;
      if (restored === undefined) this.stats.parses++;
      else if (entry.lowered === true) this.stats.lowered++;
      else this.stats.restored++;
      entry.lowered = undefined;
      // A file that changed between template and plain text keeps none of its old documents.
      const before = entry.before !== undefined && entry.before.facts.template === template ? entry.before : undefined;
      // A multi-document file whose edit lies within a few documents lowers only those (T5), so
      // the index touches only their objects' keys (an edit of a Service does not re-check what
      // reads the Deployment beside it).
      const edited =
        restored === undefined && before !== undefined && !tooLarge && !template && text.length >= (this.limits.incrementalMinLength ?? 0)
          ? lowerEdit(uri, text, entry.version, before)
          : undefined;
      if (edited !== undefined) this.stats.documentEdits++;
      const reuse = tooLarge || (before !== undefined && isDeferred(before.facts)) ? undefined : before;
      // A chart's values.yaml is read once for the index and the render (syntax/valuesFile.ts).
      const values = restored === undefined && edited === undefined && !template && isChartValuesFile(uri, this.chartDirs);
      const parse = (): ParsedFile => {
        if (!values) return readManifest(text, { helm: template, offer: this.kustomizations > 0 });
        const v = readValuesFile(text);
        if (v.value !== undefined) offerValues(text, v.value);
        helmValues = v.value;
        return v.parsed;
      };
      const read = (): FileFacts => lowerFile(uri, text, parse(), entry.version, reuse);
      // A template's masked reading waits until something reads it: a chart's render decides a rendered template's facts.
      const deferred =
        restored === undefined && edited === undefined && template && !tooLarge && canDefer(uri, text) && scanLimits(text) === undefined
          ? deferredTemplateFacts(uri, text, entry.version, () => {
              try {
                return read();
              } catch (e) {
                return this.failed(uri, entry, e);
              }
            })
          : undefined;
      facts = deferred ?? withHelmValues(restored ?? edited ?? read(), helmValues);
      cacheable = !tooLarge;
    } catch (e) {
      facts = this.failed(uri, entry, e);
    }
    // The workspace's object limit: a file that would pass it is not analysed (check `input-limit`).
    // Deferred template facts count no objects: their chart's render decides them.
    const others = this.objectCount - (this.counted.get(uri) ?? 0);
    const workspaceLimit = this.limits.objectsPerWorkspace ?? LIMITS.objectsPerWorkspace;
    let counted = isDeferred(facts) ? 0 : facts.objects.length;
    if (others + counted > workspaceLimit) {
      const what = `with this file the workspace would hold ${formatCount(others + counted)} objects, over the limit of ${formatCount(workspaceLimit)}`;
      facts = limitedFacts(uri, text, entry.version, facts.toolConfig, { span: { start: 0, end: 0 }, message: limitMessage(what) });
      cacheable = false;
      counted = 0;
    }
    this.objectCount = others + counted;
    this.counted.set(uri, counted);
    if (tooLarge) facts = { ...facts, tooLarge: { sizeMB: entry.text.length / 1024 / 1024, limitMB: this.settings.maxFileSizeMB } };
    entry.facts = facts;
    entry.cacheable = cacheable;
    entry.before = undefined;
    this.factsMap.set(uri, facts);
    return facts;
  }
}

/** A restored values file's value (`FileFacts.helmValues`), narrowed: the renderer reads any plain data it holds. */
function cachedHelmValues(facts: FileFacts): { readonly js: unknown } | undefined {
  const v: unknown = facts.helmValues;
  return isRecord(v) && 'js' in v ? { js: v['js'] } : undefined;
}

/** `facts` with `helmValues` as this lowering read them (an edit's or an earlier reading's never carried over). */
function withHelmValues(facts: FileFacts, helmValues: { readonly js: unknown } | undefined): FileFacts {
  if (facts.helmValues === helmValues) return facts;
  const { helmValues: _earlier, ...rest } = facts;
  return helmValues === undefined ? rest : { ...rest, helmValues };
}
