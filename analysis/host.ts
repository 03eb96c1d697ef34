/**
 * The analysis host: owns the files of a workspace, re-parses only what changed, and answers
 * everything else from immutable snapshots. Pure: no clock, no file system, no editor types.
 */

import type { Check, Finding } from './checks/support/check.js';
import { fleetIgnoreNotes } from './units/fleetIgnoreNotes.js';
import { FLEET_IGNORE } from './units/fleetIgnore.js';
import type { SupportNote } from './units/fleetIgnoreNotes.js';
import { CheckRunner } from './checkRunner.js';
import type { CheckFailure, CheckJob, RawFinding } from './checkRunner.js';
import { WorkspaceIndex } from './workspace/workspaceIndex.js';
import { CHECKS } from './checks/registry.js';
import { INCREMENTAL_MIN_LENGTH } from './model/lower.js';
import type { FileFacts } from './model/types.js';
import { DEFAULT_SETTINGS } from './settings.js';
import type { AnalysisSettings } from './settings.js';
import { parseFile, type ParsedFile } from './syntax/parse.js';
import { restoreChecks, storeChecks } from './cache/checks.js';
import type { CachedChecks } from './cache/checks.js';
import type { HelmOptions } from './units/helm.js';
import type { Values } from './render/helm/values.js';
import { Analysis } from './snapshot.js';
import { deriveVariant } from './variant.js';
import type { CheckSteps, StoredDiagnostic } from './snapshot.js';
import { HostFiles } from './hostFiles.js';
import type { HostStats } from './hostFiles.js';
import { EngineMemory } from './engineMemory.js';

// The snapshot class lives in snapshot.ts; importers of the host get it here too.
export { Analysis } from './snapshot.js';

export type { HostStats } from './hostFiles.js';

/** Dependency keys the server indexes per turn of its event loop (`prepareForEdits`): about 15 ms of CPU. */
export const PREPARE_KEYS_PER_TURN = 20_000;

/**
 * Owns the workspace's files. `setFile` is cheap (it only stores the text); `snapshot` parses
 * what changed since the last snapshot and nothing else.
 */
export class AnalysisHost {
  private settings: AnalysisSettings;
  private last: Analysis | undefined;
  /** The files, their facts and their parsing (hostFiles.ts). */
  private readonly files: HostFiles;
  /** The checks of the last snapshot, while they are deferred (`snapshot({ deferChecks })`). */
  private pendingChecks: (() => void) | undefined;
  /** Ends them where they are (`supersede`). */
  private abandonChecks: (() => void) | undefined;
  private index: WorkspaceIndex | undefined;
  private readonly runner: CheckRunner;
  /** The engines the next snapshot's start from (engineMemory.ts). */
  private readonly engines = new EngineMemory();
  /** Accepted diagnostics per finding (settings are fixed for the cache's lifetime). */
  private accepted = new WeakMap<Finding, { readonly facts: FileFacts; readonly stored: StoredDiagnostic | undefined }>();
  readonly stats: HostStats = {
    parses: 0,
    snapshots: 0,
    rechecked: 0,
    placed: 0,
    rebuilds: 0,
    checkRuns: 0,
    documentEdits: 0,
    restored: 0,
    checksRestored: 0,
    lowered: 0,
  };
  /** Chart files that are not manifests (`_helpers.tpl`, `.Files`, unpacked `.tgz` subcharts): read by renders only. */
  private readonly support = new Map<string, string>();
  /** A support file came or went since the last snapshot: the next index is built anew (renders kept). */
  private supportReshaped = false;
  /** Values over every chart's value files (the CLI's `--values` and `--set`). */
  private helmValues: { readonly values: Values; readonly key: string } | undefined;
  /** Check results of the warm-start cache for exactly the files as set now (`useCachedChecks`; untrusted). */
  private cachedChecks: unknown;

  /** The files analysis failed on (each dropped with an `input-limit` finding) since the last call. */
  takeFailures(): ReadonlyArray<{ readonly uri: string; readonly message: string }> {
    return this.files.takeFailures();
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
    this.files = new HostFiles(settings, this.stats, limits);
  }

  /**
   * A chart folder whose Chart.yaml is not among the files (the CLI checks a chart's templates
   * folder alone): its `templates/` hold templates all the same.
   */
  addChartDir(dir: string): void {
    this.cachedChecks = undefined;
    if (this.files.chartDirChanged(dir, +1)) this.last = undefined;
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
    this.files.changed.add(uri);
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
    return this.files.isTemplate(uri);
  }

  /**
   * Stores a file's text. `cached`: facts the warm-start cache holds for exactly this text (analysis/cache/facts.ts;
   * untrusted): used instead of a parse when they fit the file, else ignored.
   */
  setFile(uri: string, text: string, version?: number, cached?: unknown): void {
    if (!this.files.set(uri, text, version, cached)) return;
    this.cachedChecks = undefined;
    this.last = undefined;
  }

  removeFile(uri: string): void {
    if (!this.files.remove(uri)) return;
    this.cachedChecks = undefined;
    this.last = undefined;
  }

  /** The text of a file as set (undefined: no such file). */
  textOf(uri: string): string | undefined {
    return this.files.textOf(uri);
  }

  hasFile(uri: string): boolean {
    return this.files.has(uri);
  }

  fileUris(): string[] {
    return [...this.files.uris()];
  }

  getSettings(): AnalysisSettings {
    return this.settings;
  }

  updateSettings(settings: AnalysisSettings): void {
    // The runner finishes the last snapshot before it forgets everything.
    this.pendingChecks?.();
    this.cachedChecks = undefined;
    this.settings = settings;
    this.last = undefined;
    // Severity, scope and parsing limits change every finding: the next pass starts over.
    this.index = undefined;
    this.engines.clear();
    this.runner.clear();
    this.accepted = new WeakMap();
    this.files.reread(settings);
  }

  /** Parses one text without storing it (for open documents' syntax trees). */
  static parse(text: string, options: { readonly helm?: boolean } = {}): ParsedFile {
    return parseFile(text, options);
  }

  /** Number of files set since they were last parsed. */
  pendingCount(): number {
    return this.files.pendingCount();
  }

  /**
   * Parses up to `limit` pending files now and returns how many remain, so a caller can spread a
   * large initial parse over several turns of its event loop; `snapshot` parses the rest.
   */
  parsePending(limit: number): number {
    return this.files.parsePending(limit);
  }

  /**
   * Pending files a host process may lower elsewhere (a parse worker, analysis/cache/lowerApart.ts
   * `lowerApart`) and hand back with `offerLowered` before the next snapshot parses them.
   */
  plainPending(): Array<{ readonly uri: string; readonly text: string; readonly values?: true }> {
    return this.files.plainPending();
  }

  /**
   * `lowerApart(uri, text)` (`lowerValuesApart` for a file `plainPending` marked `values`) from
   * elsewhere (untrusted): used instead of a parse when the file still holds `text` and they fit it;
   * a values file's `value` is the render's instead of its own parse of the text.
   */
  offerLowered(uri: string, text: string, facts: unknown, value?: { readonly js: unknown }): void {
    this.files.offerLowered(uri, text, facts, value);
  }

  /**
   * A file's facts as the warm-start cache stores them (analysis/cache/facts.ts), when they are
   * the lowering of its text as the host holds it; undefined otherwise (not parsed yet, past a
   * limit, or analysis failed on it).
   */
  factsForCache(uri: string): FileFacts | undefined {
    return this.files.factsForCache(uri);
  }

  /**
   * A file's facts as `factsForCache` gives them, when this host holds exactly `text` for it:
   * another host reading the same text adopts them through `setFile`'s `cached` (server/headDiff.ts),
   * sharing their objects instead of parsing the file a second time.
   */
  factsForText(uri: string, text: string): FileFacts | undefined {
    return this.files.factsForText(uri, text);
  }

  /**
   * The check results of the last snapshot for the warm-start cache (analysis/cache/checks.ts):
   * undefined unless its checks ran on the files as the host holds them now, and none failed.
   * They are valid for exactly these files' texts, the support files and the settings: the caller
   * keys them by all of those.
   */
  checksForCache(): CachedChecks | undefined {
    if (this.last === undefined || this.pendingChecks !== undefined || this.files.pendingCount() > 0 || this.files.changed.size > 0)
      return undefined;
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

  /**
   * Does now what the first diagnostics left for the first edit (`CheckRunner.prepare`: the index of
   * which unit read which key), for checked units until about `keys` keys are indexed; true when
   * there was any. The rest waits for the next call (`unpreparedCount`), or the next edit does it first.
   */
  prepareForEdits(keys = Infinity): boolean {
    return this.runner.prepare(keys);
  }

  /** Checked units `prepareForEdits` has not indexed yet. */
  unpreparedCount(): number {
    return this.runner.unprepared;
  }

  /** Takes the warm-start cache's check results for the new index, when they fit it. */
  private restoreChecks(): boolean {
    const cached = this.cachedChecks;
    this.cachedChecks = undefined;
    const index = this.index;
    if (cached === undefined || index === undefined) return false;
    const units = restoreChecks(cached, index, this.limits.checks ?? CHECKS);
    if (units === undefined || !this.runner.restore(index, units, new Set(this.files.uris()))) return false;
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
    const source = { index: this.index, facts: this.files.factsMap.fork(), texts: this.files.textsMap.fork(), support: this.support };
    return deriveVariant(
      { ...source, settings: this.settings, isTemplate: (uri) => this.isTemplate(uri), engines: this.engines.workspaceEngines },
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
    const texts = this.files.textsMap.fork();
    const facts = this.files.factsMap.fork();
    const support = this.support;
    const text = (uri: string): string | undefined => texts.get(uri) ?? support.get(uri);
    const derived = this.supportReshaped ? undefined : this.index?.derive(facts, this.files.changed, this.settings.defaultNamespace, text);
    this.supportReshaped = false;
    let sources: Iterable<string>;
    if (derived !== undefined) {
      this.index = derived.index;
      // The engines kept from the last snapshot were gathered under the old relation of alternatives.
      if (derived.relation) this.engines.clear();
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
      this.stats.rebuilds++;
      sources = this.restoreChecks() ? [] : [...this.files.uris()];
    }
    this.stats.placed = this.index.placedFiles;
    this.files.changed.clear();
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
      analysis.keepBiggestScoped();
      this.engines.checked(analysis.scoped);
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
    // Notes on the `.fleetignore` files (their texts as they are now: the host's support map changes under older snapshots),
    // from the Fleet bundles of the layout (units/fleetIgnoreNotes.ts).
    const ignores = new Map([...this.support].filter(([uri]) => uri.endsWith(`/${FLEET_IGNORE}`)));
    let notes: readonly SupportNote[] | undefined;
    const supportNotes = {
      notes: (): readonly SupportNote[] =>
        (notes ??= fleetIgnoreNotes(ignores.keys(), new Set([...(index.kustomizeLayout().fleet?.values() ?? [])].map((b) => b.dir)), (u) =>
          ignores.get(u),
        )),
      text: (uri: string): string | undefined => ignores.get(uri),
    };
    const analysis = new Analysis(
      index,
      settings,
      texts,
      raw,
      this.accepted,
      this.engines.chain,
      ensureChecked,
      failed,
      steps,
      supportNotes,
    );
    analysis.previousScoped = this.engines.scoped;
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
