/**
 * The analysis host: owns the files of a workspace, re-parses only what changed, and answers
 * everything else from immutable snapshots. Pure: no clock, no file system, no editor types.
 */

import type { Check, Finding } from './checks/support/check.js';
import { CheckRunner } from './checkRunner.js';
import type { CheckFailure, CheckJob, RawFinding } from './checkRunner.js';
import { WorkspaceIndex } from './workspace/workspaceIndex.js';
import { ForkMap } from './workspace/forkMap.js';
import { CHECKS } from './checks/registry.js';
import { INCREMENTAL_MIN_LENGTH, limitedFacts, lowerEdit, lowerFile } from './model/lower.js';
import type { FileFacts } from './model/types.js';
import { DEFAULT_SETTINGS } from './settings.js';
import type { AnalysisSettings } from './settings.js';
import { parseFile, type ParsedFile } from './syntax/parse.js';
import { readManifest } from './syntax/schemaSkim.js';
import { adoptCachedFacts, cacheableFacts } from './cache/facts.js';
import { LIMITS, formatCount, limitMessage, normalizeBreaks, scanLimits } from './syntax/limits.js';
import { canDefer, deferredTemplateFacts, isDeferred } from './model/deferredFacts.js';
import { restoreChecks, storeChecks } from './cache/checks.js';
import type { CachedChecks } from './cache/checks.js';
import { chartDirOf, compileTemplateGlobs, isTemplateFile } from './syntax/templateFiles.js';
import { isChartValuesFile, readValuesFile } from './syntax/valuesFile.js';
import { offerValues } from './render/helm/chart.js';
import { isKustomizationUri } from './render/kustomize/index.js';
import { ReachEngine } from './reachability/engine.js';
import type { HelmOptions } from './units/helm.js';
import type { Values } from './render/helm/values.js';
import { Analysis } from './snapshot.js';
import { deriveVariant } from './variant.js';
import type { CheckSteps, StoredDiagnostic, EngineChain } from './snapshot.js';

// The snapshot class lives in snapshot.ts; importers of the host get it here too.
export { Analysis } from './snapshot.js';

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
}

/** Counters that tests and the benchmark read (not mocks: the real work is counted). */
export interface HostStats {
  parses: number;
  snapshots: number;
  /** Files whose checks ran in the last snapshot. */
  rechecked: number;
  /** Snapshots whose checks have run (a deferred snapshot's run when its findings are read). */
  checkRuns: number;
  /** Parses that lowered only the documents an edit changed (`lowerEdit`). */
  documentEdits: number;
  /** Files whose facts came from the warm-start cache instead of a parse (`setFile`'s `cached`). */
  restored: number;
  /** Snapshots whose check results came from the warm-start cache instead of running the checks (`useCachedChecks`). */
  checksRestored: number;
}

/**
 * Owns the workspace's files. `setFile` is cheap (it only stores the text); `snapshot` parses
 * what changed since the last snapshot and nothing else.
 */
export class AnalysisHost {
  private readonly files = new Map<string, FileEntry>();
  private settings: AnalysisSettings;
  private last: Analysis | undefined;
  /** Every file's facts and text; each snapshot takes a fork (see ForkMap), not a copy. */
  private readonly factsMap = new ForkMap<string, FileFacts>();
  private readonly textsMap = new ForkMap<string, string>();
  /** The checks of the last snapshot, while they are deferred (`snapshot({ deferChecks })`). */
  private pendingChecks: (() => void) | undefined;
  /** Ends them where they are (`supersede`). */
  private abandonChecks: (() => void) | undefined;
  /** Files set or removed since the last snapshot. */
  private readonly changed = new Set<string>();
  private index: WorkspaceIndex | undefined;
  private readonly runner: CheckRunner;
  /** The last workspace engine per unit ('' = none): the next snapshot's engine starts from it. */
  private readonly lastEngines = new Map<string, ReachEngine>();
  /**
   * The scoped engines of the last snapshot whose checks ran, and those of the one before that it
   * did not build again: the next one's start from them. Two generations, so edits that take turns
   * (a Service, then a workload whose checks read an engine) still find the engine of the edit
   * before last instead of gathering its namespaces afresh (issue #21); no older engine stays alive.
   */
  private lastScoped: ReadonlyMap<string, ReachEngine> | undefined;
  /** The keys of `lastScoped` carried over from the snapshot before (dropped at the next one). */
  private carried: ReadonlySet<string> = new Set();
  private readonly engineChain: EngineChain = {
    previous: (key) => this.lastEngines.get(key),
    built: (key, engine) => {
      this.lastEngines.set(key, engine);
    },
  };
  /** Accepted diagnostics per finding (settings are fixed for the cache's lifetime). */
  private accepted = new WeakMap<Finding, { readonly facts: FileFacts; readonly stored: StoredDiagnostic | undefined }>();
  /** Files whose facts are missing (set but not parsed yet), in insertion order. */
  private readonly pending = new Set<string>();
  /** Folders holding a Chart.yaml (their `templates/` hold templates), with how many (yaml, yml, hints). */
  private readonly chartDirs = new Map<string, number>();
  private kustomizations = 0; // kustomization files held: without any, plain readings are not offered (syntax/parseMemo.ts)
  private templateGlob: (uri: string) => boolean;
  readonly stats: HostStats = { parses: 0, snapshots: 0, rechecked: 0, checkRuns: 0, documentEdits: 0, restored: 0, checksRestored: 0 };
  /** Objects in the facts of every file (LIMITS.objectsPerWorkspace). */
  private objectCount = 0;
  /** What each file added to `objectCount` when it was parsed. */
  private readonly counted = new Map<string, number>();
  /** Chart files that are not manifests (`_helpers.tpl`, `.Files`, unpacked `.tgz` subcharts): read by renders only. */
  private readonly support = new Map<string, string>();
  /** A support file came or went since the last snapshot: the next index is built anew (renders kept). */
  private supportReshaped = false;
  /** Values over every chart's value files (the CLI's `--values` and `--set`). */
  private helmValues: { readonly values: Values; readonly key: string } | undefined;
  /** Check results of the warm-start cache for exactly the files as set now (`useCachedChecks`; untrusted). */
  private cachedChecks: unknown;
  /** Files that analysis failed on since `takeFailures` was last called (for the server's log). */
  private failures: Array<{ readonly uri: string; readonly message: string }> = [];

  /** The files analysis failed on (each dropped with an `input-limit` finding) since the last call. */
  takeFailures(): ReadonlyArray<{ readonly uri: string; readonly message: string }> {
    const out = this.failures;
    this.failures = [];
    return out;
  }

  /** Smallest text checked document by document (`CheckRunner`). */
  private readonly incrementalMinLength: number;

  /**
   * `limits.objectsPerWorkspace`: a lower workspace object limit (tests); `limits.incrementalMinLength`:
   * the smallest file checked document by document, and whose edits are lowered document by
   * document (tests use small files; by default every multi-document file's edits are);
   * `limits.checks`: other checks than the registry's (tests).
   */
  constructor(
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    private readonly limits: {
      readonly objectsPerWorkspace?: number;
      readonly incrementalMinLength?: number;
      readonly checks?: readonly Check[];
    } = {},
  ) {
    this.settings = settings;
    this.incrementalMinLength = limits.incrementalMinLength ?? INCREMENTAL_MIN_LENGTH;
    this.runner = new CheckRunner(this.incrementalMinLength, limits.checks);
    this.templateGlob = compileTemplateGlobs(settings.templateGlobs);
  }

  /**
   * A chart folder whose Chart.yaml is not among the files (the CLI checks a chart's templates
   * folder alone): its `templates/` hold templates all the same.
   */
  addChartDir(dir: string): void {
    this.cachedChecks = undefined;
    this.chartDirChanged(dir, +1);
  }

  /**
   * Values every chart is rendered with, over its value files (the CLI's `--values` files and
   * `--set`, as Go values); `key` identifies them. The next snapshot renders every chart again.
   */
  setHelmValues(values: Values | undefined, key = ''): void {
    this.pendingChecks?.();
    this.cachedChecks = undefined;
    this.helmValues = values === undefined ? undefined : { values, key };
    this.last = undefined;
    this.index = undefined;
    this.runner.clear();
  }

  /**
   * A chart file that is not a manifest (a `.tpl` partial, a file `.Files` reads, a file of an
   * unpacked `.tgz` subchart): charts render with it, nothing analyses it. A manifest set with
   * `setFile` wins over a support file of the same uri. `undefined` removes it.
   */
  setSupportFile(uri: string, text: string | undefined): void {
    const before = this.support.get(uri);
    if (before === text) return;
    if (text === undefined) this.support.delete(uri);
    else this.support.set(uri, text);
    this.cachedChecks = undefined;
    if ((before === undefined) !== (text === undefined)) this.supportReshaped = true;
    this.changed.add(uri);
    this.last = undefined;
  }

  /** The support files (uri → text): a second host reading the same workspace at another commit starts from them. */
  supportFiles(): ReadonlyMap<string, string> {
    return this.support;
  }

  private helmOptions(): HelmOptions {
    const s = this.settings;
    return {
      kubernetesVersion: s.kubernetesVersion,
      releaseName: s.helm.releaseName,
      namespace: s.helm.namespace,
      valueFiles: s.helm.valueFiles,
      ...(this.helmValues !== undefined ? { values: this.helmValues.values, valuesKey: this.helmValues.key } : {}),
    };
  }

  /** Whether `uri` is read as a template (see syntax/templateFiles.ts). */
  isTemplate(uri: string): boolean {
    return isTemplateFile(uri, this.chartDirs, this.templateGlob);
  }

  private chartDirChanged(dir: string, delta: number): void {
    const before = this.chartDirs.get(dir) ?? 0;
    const after = before + delta;
    if (after <= 0) this.chartDirs.delete(dir);
    else this.chartDirs.set(dir, after);
    if (before > 0 === after > 0) return;
    // The chart's templates are read differently now: parse them again.
    for (const [uri, entry] of this.files) {
      if (!uri.startsWith(`${dir}/templates/`)) continue;
      entry.facts = undefined;
      this.pending.add(uri);
      this.changed.add(uri);
    }
    this.last = undefined;
  }

  /**
   * Stores a file's text. `cached`: facts the warm-start cache holds for exactly this text (analysis/cache/facts.ts;
   * untrusted): used instead of a parse when they fit the file, else ignored.
   */
  setFile(uri: string, text: string, version?: number, cached?: unknown): void {
    const existing = this.files.get(uri);
    if (existing !== undefined && existing.text === text) {
      existing.version = version;
      return;
    }
    this.cachedChecks = undefined;
    const before = existing?.facts !== undefined ? { text: existing.text, facts: existing.facts } : existing?.before;
    this.files.set(uri, { text, version, facts: undefined, before, ...(cached !== undefined ? { cached } : {}) });
    const chart = chartDirOf(uri);
    if (existing === undefined && chart !== undefined) this.chartDirChanged(chart, +1);
    if (existing === undefined && isKustomizationUri(uri)) this.kustomizations++;
    this.textsMap.set(uri, text);
    this.pending.add(uri);
    this.changed.add(uri);
    this.last = undefined;
  }

  removeFile(uri: string): void {
    if (this.files.delete(uri)) {
      this.cachedChecks = undefined;
      this.objectCount -= this.counted.get(uri) ?? 0;
      this.counted.delete(uri);
      const chart = chartDirOf(uri);
      if (chart !== undefined) this.chartDirChanged(chart, -1);
      if (isKustomizationUri(uri)) this.kustomizations--;
      this.pending.delete(uri);
      this.factsMap.delete(uri);
      this.textsMap.delete(uri);
      this.changed.add(uri);
      this.last = undefined;
    }
  }

  /** The text of a file as set (undefined: no such file). */
  textOf(uri: string): string | undefined {
    return this.files.get(uri)?.text;
  }

  hasFile(uri: string): boolean {
    return this.files.has(uri);
  }

  fileUris(): string[] {
    return [...this.files.keys()];
  }

  getSettings(): AnalysisSettings {
    return this.settings;
  }

  updateSettings(settings: AnalysisSettings): void {
    // The runner finishes the last snapshot before it forgets everything.
    this.pendingChecks?.();
    this.cachedChecks = undefined;
    this.settings = settings;
    this.templateGlob = compileTemplateGlobs(settings.templateGlobs);
    this.last = undefined;
    // Severity, scope and parsing limits change every finding: the next pass starts over.
    this.index = undefined;
    this.lastEngines.clear();
    this.lastScoped = undefined;
    this.carried = new Set();
    this.runner.clear();
    this.accepted = new WeakMap();
    for (const entry of this.files.values()) {
      entry.facts = undefined;
      entry.before = undefined;
    }
    for (const uri of this.files.keys()) this.pending.add(uri);
  }

  /** Parses one text without storing it (for open documents' syntax trees). */
  static parse(text: string, options: { readonly helm?: boolean } = {}): ParsedFile {
    return parseFile(text, options);
  }

  /** Number of files set since they were last parsed. */
  pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Parses up to `limit` pending files now and returns how many remain, so a caller can spread a
   * large initial parse over several turns of its event loop; `snapshot` parses the rest.
   */
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
   * A file's facts as the warm-start cache stores them (analysis/cache/facts.ts), when they are
   * the lowering of its text as the host holds it; undefined otherwise (not parsed yet, past a
   * limit, or analysis failed on it).
   */
  factsForCache(uri: string): FileFacts | undefined {
    const entry = this.files.get(uri);
    // Deferred template facts not read yet are not stored: the next start defers them again.
    return entry?.facts !== undefined && entry.cacheable === true && !isDeferred(entry.facts) ? cacheableFacts(entry.facts) : undefined;
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

  /**
   * A file's facts as `factsForCache` gives them, when this host holds exactly `text` for it:
   * another host reading the same text adopts them through `setFile`'s `cached` (server/headDiff.ts),
   * sharing their objects instead of parsing the file a second time.
   */
  factsForText(uri: string, text: string): FileFacts | undefined {
    const entry = this.files.get(uri);
    return entry !== undefined && entry.text === text ? this.factsForCache(uri) : undefined;
  }

  /**
   * The check results of the last snapshot for the warm-start cache (analysis/cache/checks.ts):
   * undefined unless its checks ran on the files as the host holds them now, and none failed.
   * They are valid for exactly these files' texts, the support files and the settings: the caller
   * keys them by all of those.
   */
  checksForCache(): CachedChecks | undefined {
    if (this.last === undefined || this.pendingChecks !== undefined || this.pending.size > 0 || this.changed.size > 0) return undefined;
    const units = this.runner.units();
    return units === undefined ? undefined : storeChecks(units);
  }

  /**
   * Check results of the warm-start cache (`checksForCache` of an earlier host; untrusted) found in
   * exactly the files, support files and settings the host holds now: the next snapshot takes them
   * instead of running the checks, when they fit its index (else the checks run). Any change to
   * the files or settings before that snapshot drops them.
   */
  useCachedChecks(cached: unknown): void {
    this.cachedChecks = cached;
  }

  /** Does now what restored check results left for the first edit (`CheckRunner.prepare`); true when there was any. */
  prepareForEdits(): boolean {
    return this.runner.prepare();
  }

  private parseEntry(uri: string, entry: FileEntry): FileFacts {
    // Invariant: oversize text (an open document past kubeReach.maxFileSizeMB) is not analysed,
    // like an oversize file on disk; its facts are empty.
    let facts: FileFacts;
    let text = '';
    let tooLarge = false;
    let cacheable = false;
    try {
      tooLarge = entry.text.length > this.settings.maxFileSizeMB * 1024 * 1024;
      text = tooLarge ? '' : normalizeBreaks(entry.text);
      const template = this.isTemplate(uri);
      const restored =
        tooLarge || entry.cached === undefined ? undefined : adoptCachedFacts(entry.cached, uri, text.length, template, entry.version);
      entry.cached = undefined;
      if (restored !== undefined) this.stats.restored++;
      else this.stats.parses++;
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
      facts = restored ?? edited ?? deferred ?? read();
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

  /** Takes the warm-start cache's check results for the new index, when they fit it. */
  private restoreChecks(): boolean {
    const cached = this.cachedChecks;
    this.cachedChecks = undefined;
    const index = this.index;
    if (cached === undefined || index === undefined) return false;
    const units = restoreChecks(cached, index, this.limits.checks ?? CHECKS);
    if (units === undefined || !this.runner.restore(index, units, new Set(this.files.keys()))) return false;
    this.stats.checksRestored++;
    return true;
  }

  /**
   * The last snapshot's checks, if under way (`Analysis.checkSome`), end where they are: the files
   * they did not reach are checked with the next snapshot's, and the last snapshot's findings stay
   * as far as they got. For a host whose newer edits make that snapshot stale (the server, when an
   * edit arrives during a long check phase): its checks are not finished for nothing.
   */
  supersede(): void {
    this.abandonChecks?.();
  }

  /**
   * The snapshot `of` (the host's last) with `files` set (a text) or removed (undefined), derived
   * from its index as an edit is: only those files are read (analysis/variant.ts). Undefined when
   * `of` is not the last snapshot or the files change the workspace's layout.
   */
  variant(of: Analysis, files: ReadonlyMap<string, string | undefined>): Analysis | undefined {
    if (of !== this.last || this.index === undefined) return undefined;
    const source = { index: this.index, facts: this.factsMap.fork(), texts: this.textsMap.fork(), support: this.support };
    return deriveVariant(
      { ...source, settings: this.settings, isTemplate: (uri) => this.isTemplate(uri), engines: this.lastEngines },
      files,
    );
  }

  /**
   * The analysis of the files as they are now. With `deferChecks`, the checks of a new snapshot run
   * when its findings are first read (diagnostics, fixes), not before it is returned: a request that
   * needs only the index or the reachability engine is answered without waiting for them. The
   * runner sees snapshots in order: a snapshot's deferred checks run before the next one is made.
   */
  snapshot(options: { readonly deferChecks?: boolean } = {}): Analysis {
    if (this.last !== undefined) {
      if (options.deferChecks !== true) this.pendingChecks?.();
      return this.last;
    }
    this.pendingChecks?.();
    this.stats.snapshots++;
    this.parsePending(Infinity);
    // Every file without facts is pending (setFile, updateSettings), so all are parsed now.
    // Each snapshot gets its own maps: an older snapshot must keep seeing the files it was built from.
    const texts = this.textsMap.fork();
    const facts = this.factsMap.fork();
    const support = this.support;
    const text = (uri: string): string | undefined => texts.get(uri) ?? support.get(uri);
    const derived = this.supportReshaped ? undefined : this.index?.derive(facts, this.changed, this.settings.defaultNamespace, text);
    this.supportReshaped = false;
    let sources: Iterable<string>;
    if (derived !== undefined) {
      this.index = derived.index;
      const again = this.runner.invalidated(derived.keys);
      // The edited files, and the files whose built objects a Kustomize rebuild changed.
      for (const uri of derived.changed) {
        if (this.files.has(uri)) again.add(uri);
        else this.runner.drop(uri);
      }
      sources = again;
    } else {
      // The previous index's Kustomize builds are kept for the roots whose inputs did not change.
      this.index = new WorkspaceIndex(facts, this.settings.defaultNamespace, undefined, {
        text,
        previous: this.index,
        helm: this.helmOptions(),
        support: [...support.keys()],
      });
      this.runner.clear();
      sources = this.restoreChecks() ? [] : [...this.files.keys()];
    }
    this.changed.clear();
    // The snapshot exists before its checks run: the checks that judge reachability read its engine.
    const raw: RawFinding[] = [];
    const failed: CheckFailure[] = [];
    const index = this.index;
    const settings = this.settings;
    let checked = false;
    let job: CheckJob | undefined;
    const started = (): CheckJob =>
      (job ??= this.runner.begin(
        index,
        settings,
        (uri) => texts.get(uri),
        sources,
        (namespaces, unit, view) => analysis.scopedEngine(namespaces, unit, view),
      ));
    const finish = (): void => {
      checked = true;
      this.pendingChecks = undefined;
      this.abandonChecks = undefined;
      // Engines start from the last checked snapshot's only while the checks run (no chain of snapshots stays alive).
      analysis.previousScoped = undefined;
      const carried = new Map<string, ReachEngine>();
      // The engines of the snapshot before, unless this one built them again (those it built are
      // newer): kept one more generation only, so none is carried twice.
      for (const [k, e] of this.lastScoped ?? []) if (!analysis.scoped.has(k) && !this.carried.has(k)) carried.set(k, e);
      this.carried = new Set(carried.keys());
      for (const [k, e] of analysis.scoped) carried.set(k, e);
      this.lastScoped = carried;
      for (const f of this.runner.findings()) raw.push(f);
      for (const f of this.runner.lastFailures) failed.push(f);
      this.stats.rechecked = this.runner.lastRechecked;
      this.stats.checkRuns++;
    };
    const ensureChecked = (): void => {
      if (checked) return;
      started().step(Infinity);
      finish();
    };
    const steps: CheckSteps = {
      step: (max) => {
        if (!checked && started().step(max)) finish();
        return checked;
      },
      progress: () => ({ done: job?.done ?? 0, total: job?.total ?? 0 }),
    };
    const analysis = new Analysis(index, settings, texts, raw, this.accepted, this.engineChain, ensureChecked, failed, steps);
    analysis.previousScoped = this.lastScoped;
    this.pendingChecks = ensureChecked;
    this.abandonChecks = (): void => {
      if (checked) return;
      started().abandon();
      finish();
    };
    this.last = analysis;
    if (options.deferChecks !== true) ensureChecked();
    return analysis;
  }
}
