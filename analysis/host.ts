/**
 * The analysis host: owns the files of a workspace, re-parses only what changed, and answers
 * everything else from immutable snapshots. Pure: no clock, no file system, no editor types.
 */

import type { Check, Finding } from './checks/check.js';
import { CheckRunner, configuredLevel } from './checkRunner.js';
import type { CheckFailure, RawFinding } from './checkRunner.js';
import { WorkspaceIndex } from './index/workspaceIndex.js';
import { ForkMap } from './index/forkMap.js';
import { firstDocumentFrom, INCREMENTAL_MIN_LENGTH, limitedFacts, lowerEdit, lowerFile } from './model/lower.js';
import type { FileFacts, KObject } from './model/types.js';
import { DEFAULT_SETTINGS } from './settings.js';
import type { AnalysisSettings } from './settings.js';
import { parseFile, parseManifest } from './syntax/parse.js';
import { adoptCachedFacts, cacheableFacts } from './cache/facts.js';
import { LIMITS, formatCount, limitMessage, normalizeBreaks } from './syntax/limits.js';
import type { ParsedDocument, ParsedFile } from './syntax/parse.js';
import { documentRun } from './syntax/region.js';
import { shiftSpans } from './model/shift.js';
import { documentAt as findDocument } from './ide/yamlPath.js';
import { chartDirOf, compileTemplateGlobs, isTemplateFile } from './syntax/templateFiles.js';
import { offsetAt, positionAt } from './text/lineIndex.js';
import type { Position } from './text/lineIndex.js';
import type {
  CodeLensInfo,
  CompletionResult,
  Diagnostic,
  Fix,
  HoverResult,
  IdeOptions,
  Location,
  Refactor,
  Severity,
  Span,
  SymbolInfo,
} from './types.js';
import { hoverAt } from './ide/hover.js';
import { completeAt } from './ide/completion.js';
import { codeLenses, definitionAt, documentSymbols, referencesAt } from './ide/navigation.js';
import { policyConnectionCounter } from './ide/policyConnections.js';
import { lookupContext } from './ide/context.js';
import { convertActions } from './convert/convertAction.js';
import { diagnosticEngineOptions } from './checks/reach.js';
import { ReachEngine } from './reachability/engine.js';
import { languageOf, lineBreakOf, writerFor } from './edits/writer.js';
import type { HelmNote, HelmOptions } from './units/helm.js';
import type { Values } from './render/helm/values.js';

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
}

const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

interface StoredDiagnostic {
  readonly diagnostic: Diagnostic;
  readonly fixes: readonly Fix[];
}

/** Codes that other tools use for the same finding (docs/dev/checks-spec.md §1.7). */
function suppressedByAnnotation(check: Check, obj: KObject | undefined): boolean {
  if (obj === undefined) return false;
  const own = obj.annotations.get('kube-reach.io/ignore');
  if (
    own !== undefined &&
    own.split(',').some((c) => c.trim() === check.code || c.trim() === 'all' || (check.aliases ?? []).includes(c.trim()))
  )
    return true;
  for (const name of check.compatibleSuppressions?.kubeLinter ?? []) {
    if (obj.annotations.has(`ignore-check.kube-linter.io/${name}`)) return true;
  }
  const score = obj.annotations.get('kube-score/ignore');
  if (score !== undefined) {
    const names = score.split(',').map((s) => s.trim());
    if ((check.compatibleSuppressions?.kubeScore ?? []).some((n) => names.includes(n))) return true;
  }
  return false;
}

function suppressedByComment(facts: FileFacts, check: Check, span: Span): boolean {
  const line = positionAt(facts.lineStarts, span.start).line;
  const names = [check.code, ...(check.aliases ?? [])];
  if (facts.suppressions.lines.get(line)?.some((c) => names.includes(c)) === true) return true;
  return facts.suppressions.fromLine.some((s) => s.line <= line && s.codes.some((c) => names.includes(c)));
}

/**
 * Namespace-scoped engines a snapshot keeps (least recently used dropped first). Policy and
 * Ingress checks ask for a namespace with each namespace its peers reach, and the ingress
 * controller's; a cold pass over 10,000 manifests asks for about 120 distinct sets, and with room
 * for only 16 it rebuilt them a thousand times (700 ms). Each is small (a few namespaces' classes).
 * At least three per namespace are kept: the NetworkPolicy-heavy mix (`generate.ts --netpol`) asks
 * for 232 sets over 116 namespaces, and with 128 it rebuilt them 1,400 times (8 s).
 */
const SCOPED_ENGINES_KEPT = 128;

/** Where a snapshot's engine comes from and goes: the host's last engine, reused when it can be. */
interface EngineChain {
  /** The last workspace engine of a unit ('' = none). */
  previous(key: string): ReachEngine | undefined;
  built(key: string, engine: ReachEngine): void;
}

/** An immutable view of the workspace at one moment. */
export class Analysis {
  readonly index: WorkspaceIndex;
  private computed: Map<string, StoredDiagnostic[]> | undefined;

  constructor(
    index: WorkspaceIndex,
    readonly settings: AnalysisSettings,
    private readonly texts: ReadonlyMap<string, string>,
    private readonly raw: readonly RawFinding[],
    private readonly accepted: WeakMap<
      Finding,
      { readonly facts: FileFacts; readonly stored: StoredDiagnostic | undefined }
    > = new WeakMap(),
    private readonly engines?: EngineChain,
    /** Runs this snapshot's checks if they have not run yet (`AnalysisHost.snapshot({ deferChecks })`). */
    private readonly ensureChecked?: () => void,
    private readonly failedChecks: readonly CheckFailure[] = [],
  ) {
    this.index = index;
  }

  /** The checks that threw in this snapshot's pass (their findings on that file were dropped). */
  checkFailures(): readonly CheckFailure[] {
    this.ensureChecked?.();
    return this.failedChecks;
  }

  /**
   * The reachability engine of this snapshot (docs/dev/design.md §5), built on first use from the previous
   * snapshot's engine (its class model is reused when only policies changed). The code lenses and
   * the server's reachability requests read this one engine. With `unit`, the engine of one unit
   * (`kube-reach reach --unit`).
   */
  reachEngine(unit?: string): ReachEngine {
    return this.engine(unit);
  }

  /**
   * An engine of this snapshot over the objects of `namespaces` only (`EngineOptions.namespaces`):
   * what the checks that judge reachability read. Policies are namespaced, so its verdicts between
   * pods of those namespaces are the workspace engine's, the ones `kube-reach reach/explain` gives;
   * it costs what those namespaces hold (a few milliseconds), not the workspace (about a second at
   * 10,000 manifests). Up to SCOPED_ENGINES_KEPT are kept, least recently used dropped first;
   * none outlives the snapshot.
   */
  scopedEngine(namespaces: readonly string[], unit?: string, view?: string): ReachEngine {
    const sorted = [...new Set(namespaces)].sort();
    // Under a view (analysis/units/alternatives.ts) the index's lookups leave out alternatives.
    const key = `${view ?? ''}|${unit ?? ''}|${sorted.join(',')}`;
    const hit = this.scoped.get(key);
    if (hit !== undefined) {
      // Most recently used last.
      this.scoped.delete(key);
      this.scoped.set(key, hit);
      return hit;
    }
    const engine = this.index.untracked(() => {
      const objects = [
        ...new Set([
          ...sorted.flatMap((ns) => this.index.objectsLandingIn(ns)),
          ...this.index.clusterPolicies(),
          ...this.index.gatewayClasses(),
        ]),
      ];
      // The last snapshot's engine over the same namespaces: its class model, port space and
      // compiled policies are kept when their inputs are the same (an edit of a Service or a
      // policy in a namespace of thousands of workloads does not classify them all again).
      const previous = this.previousScoped?.get(key);
      return new ReachEngine(this, { ...diagnosticEngineOptions(this.settings), unit, namespaces: sorted, objects }, previous);
    });
    this.scoped.set(key, engine);
    // Room for every namespace's few sets (with the DNS namespace, with the ingress controller's):
    // checks run file by file, so a pass that cycles through more sets than it keeps rebuilds them all.
    const kept = Math.max(SCOPED_ENGINES_KEPT, 3 * this.index.untracked(() => this.index.namespaceNames()).length);
    for (const k of this.scoped.keys()) {
      if (this.scoped.size <= kept) break;
      this.scoped.delete(k);
    }
    return engine;
  }

  /** This snapshot's engines over a few namespaces (`scopedEngine`). */
  readonly scoped = new Map<string, ReachEngine>();
  /** The previous snapshot's, while this one's checks run (`AnalysisHost.snapshot`); then dropped. */
  previousScoped: ReadonlyMap<string, ReachEngine> | undefined;

  private engine(unit: string | undefined): ReachEngine {
    const key = unit ?? '';
    return this.memo(`reach.engine:${key}`, () =>
      this.index.untracked(() => {
        const engine = new ReachEngine(this, { ...diagnosticEngineOptions(this.settings), unit }, this.engines?.previous(key));
        this.engines?.built(key, engine);
        return engine;
      }),
    );
  }

  text(uri: string): string | undefined {
    return this.texts.get(uri);
  }

  /** What the workspace's charts could not render, one note per chart (files and reasons). */
  helmNotes(): readonly HelmNote[] {
    return this.index.helmNotes();
  }

  /** A file's text parsed as the host parsed it (a template's actions masked). */
  parse(uri: string, text: string): ParsedFile {
    return parseFile(text, { helm: this.index.files.get(uri)?.template === true });
  }

  /**
   * The parsed document of `uri` that holds `offset`, spans and index as a parse of the whole
   * text gives them. In a big multi-document file only the documents between the marker lines
   * around `offset` are parsed (`syntax/region.ts`): hover, completion and navigation cost the
   * document, not the file (docs/dev/design.md §9, T5/T6).
   */
  documentAt(uri: string, text: string, offset: number): ParsedDocument | undefined {
    const facts = this.index.files.get(uri);
    const docs = facts?.documents;
    const run =
      facts === undefined || docs === undefined || facts.template || facts.templated || text.length < INCREMENTAL_MIN_LENGTH
        ? undefined
        : documentRun(text, offset);
    if (run === undefined || docs === undefined) return findDocument(this.parse(uri, text).documents, offset);
    const first = firstDocumentFrom(docs, run.start);
    // The run must start and end where the file's documents do (as when it was lowered).
    const before = docs[first - 1];
    if (before !== undefined && before.span.end > run.start) return findDocument(this.parse(uri, text).documents, offset);
    const parsed = parseFile(text.slice(run.start, run.end));
    const found = findDocument(parsed.documents, offset - run.start);
    return found === undefined ? undefined : { ...shiftSpans(found, run.start), index: first + found.index };
  }

  private readonly memos = new Map<string, unknown>();

  /** A value computed once per snapshot (editor features' vocabularies, engines). */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = compute();
    this.memos.set(key, v);
    return v;
  }

  uris(): string[] {
    return [...this.index.files.keys()];
  }

  /** Diagnostics of every file (files without findings map to an empty list). */
  diagnostics(): ReadonlyMap<string, readonly Diagnostic[]> {
    const all = this.compute();
    const out = new Map<string, readonly Diagnostic[]>();
    this.index.files.forEach((_, uri) => {
      const list = all.get(uri);
      out.set(uri, list === undefined ? NO_DIAGNOSTICS : list.map((d) => d.diagnostic));
    });
    return out;
  }

  diagnosticsFor(uri: string): readonly Diagnostic[] {
    return (this.compute().get(uri) ?? []).map((d) => d.diagnostic);
  }

  /** Quick-fixes for the diagnostics that overlap `span` in `uri`. */
  fixes(uri: string, span: Span): Fix[] {
    const out: Fix[] = [];
    for (const d of this.compute().get(uri) ?? []) {
      const s = d.diagnostic.span;
      if (s.start <= span.end && span.start <= s.end) for (const x of d.fixes) out.push(x);
    }
    return out;
  }

  /** Refactorings offered at `span` of `uri` ("Convert to Gateway API" on an Ingress). */
  refactors(uri: string, span: Span): Refactor[] {
    if (this.analysable(uri) === undefined) return [];
    const facts = this.index.files.get(uri);
    return convertActions(lookupContext(this), this.index.objectsOfFile(uri), uri, span, facts?.template === true);
  }

  hover(uri: string, offset: number, options: IdeOptions = {}): HoverResult | undefined {
    const text = this.analysable(uri);
    return text === undefined ? undefined : hoverAt(this, uri, text, offset, options);
  }

  completion(uri: string, offset: number, options: IdeOptions = {}): CompletionResult[] {
    const text = this.analysable(uri);
    return text === undefined ? [] : completeAt(this, uri, text, offset, options);
  }

  /** The text of a file that is not past the size limit (oversize files are not analysed). */
  private analysable(uri: string): string | undefined {
    const text = this.texts.get(uri);
    return text === undefined || text.length > this.settings.maxFileSizeMB * 1024 * 1024 ? undefined : text;
  }

  /** Go to definition: where what the cursor names is defined. */
  definition(uri: string, offset: number): Location[] {
    const text = this.analysable(uri);
    return text === undefined ? [] : definitionAt(this, uri, text, offset);
  }

  /** Find references: what refers to the object or port under the cursor. */
  references(uri: string, offset: number): Location[] {
    const text = this.analysable(uri);
    return text === undefined ? [] : referencesAt(this, uri, text, offset);
  }

  /** The objects of a file, for the outline. */
  symbols(uri: string): SymbolInfo[] {
    return documentSymbols(this, uri);
  }

  /** Code lenses on the Services and NetworkPolicies of a file. */
  codeLenses(uri: string): CodeLensInfo[] {
    return codeLenses(this, uri, policyConnectionCounter(this));
  }

  positionAt(uri: string, offset: number): Position {
    const f = this.index.files.get(uri);
    return f === undefined ? { line: 0, character: offset } : positionAt(f.lineStarts, offset);
  }

  offsetAt(uri: string, pos: Position): number {
    const f = this.index.files.get(uri);
    return f === undefined ? 0 : offsetAt(f.lineStarts, f.length, pos);
  }

  /** Turns the checks' findings into diagnostics: settings, suppressions, dedupe, order. */
  private compute(): Map<string, StoredDiagnostic[]> {
    if (this.computed !== undefined) return this.computed;
    this.ensureChecked?.();
    const result = new Map<string, StoredDiagnostic[]>();
    for (const { check, finding } of this.raw) {
      const facts = this.index.files.get(finding.uri);
      if (facts === undefined) continue;
      // A finding from an unchanged file, about an unchanged file, was accepted before: reuse it.
      let memo = this.accepted.get(finding);
      if (memo === undefined || memo.facts !== facts) {
        memo = { facts, stored: this.accept(check, finding, facts) };
        this.accepted.set(finding, memo);
      }
      if (memo.stored === undefined) continue;
      const list = result.get(finding.uri);
      if (list === undefined) result.set(finding.uri, [memo.stored]);
      else list.push(memo.stored);
    }
    for (const [uri, list] of result) {
      if (list.length === 0) continue;
      const seen = new Set<string>();
      const unique = list.filter((d) => {
        const key = `${d.diagnostic.code}|${d.diagnostic.span.start}|${d.diagnostic.span.end}|${d.diagnostic.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      unique.sort((a, b) => a.diagnostic.span.start - b.diagnostic.span.start || a.diagnostic.code.localeCompare(b.diagnostic.code));
      result.set(uri, unique);
    }
    this.computed = result;
    return result;
  }

  private accept(check: Check, f: Finding, facts: FileFacts): StoredDiagnostic | undefined {
    if (suppressedByAnnotation(check, f.object) || suppressedByComment(facts, check, f.span)) return undefined;
    const configured = configuredLevel(this.settings, check);
    let severity: Severity = f.severity;
    let confidence = f.confidence;
    if (confidence === 'no-evidence' && f.namespace !== undefined && this.settings.completeNamespaces.includes(f.namespace)) {
      confidence = 'evidence';
      severity = check.defaultSeverity;
    }
    if (configured !== undefined && configured !== 'off' && confidence !== 'no-evidence') severity = configured;
    const diagnostic: Diagnostic = {
      uri: f.uri,
      code: check.code,
      severity,
      message: f.message,
      span: f.span,
      ...(f.related !== undefined && f.related.length > 0 ? { related: f.related } : {}),
      data: { ...(f.data ?? {}), confidence },
    };
    const fixes: Fix[] = (f.fixes ?? []).map((x) => ({
      title: x.title,
      code: check.code,
      edits: x.edits,
      diagnosticSpan: f.span,
      ...(x.isPreferred === true ? { isPreferred: true } : {}),
    }));
    // Suppressions are written in the file's language (a comment in YAML, the annotation in JSON).
    const suppress =
      // A file that was not read (a syntax error, over the size or input limits) cannot honour a suppression comment.
      check.code === 'yaml-syntax' || check.code === 'file-too-large' || check.code === 'input-limit'
        ? undefined
        : writerFor({ text: (u) => this.texts.get(u) }, f.uri).suppress(f.span, check.code, f.object?.span);
    if (suppress !== undefined) fixes.push({ title: suppress.title, code: check.code, edits: [suppress.edit], diagnosticSpan: f.span });
    const text = this.texts.get(f.uri);
    if (suppress !== undefined && languageOf(f.uri, text) !== 'json') {
      // `# kube-reach-disable <code>` on the first line silences the code for the rest of the file (docs/rules.md); JSON has no comments.
      // It goes after a byte-order mark, which must stay the file's first character.
      const nl = lineBreakOf(text);
      const start = text?.startsWith('\uFEFF') === true ? 1 : 0;
      fixes.push({
        title: `Suppress ${check.code} in this file`,
        code: check.code,
        edits: [{ uri: f.uri, span: { start, end: start }, newText: `# kube-reach-disable ${check.code}${nl}` }],
        diagnosticSpan: f.span,
      });
    }
    return { diagnostic, fixes };
  }
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
  /** Files set or removed since the last snapshot. */
  private readonly changed = new Set<string>();
  private index: WorkspaceIndex | undefined;
  private readonly runner: CheckRunner;
  /** The last workspace engine per unit ('' = none): the next snapshot's engine starts from it. */
  private readonly lastEngines = new Map<string, ReachEngine>();
  /** The scoped engines of the last snapshot whose checks ran: the next one's start from them. */
  private lastScoped: ReadonlyMap<string, ReachEngine> | undefined;
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
  private templateGlob: (uri: string) => boolean;
  readonly stats: HostStats = { parses: 0, snapshots: 0, rechecked: 0, checkRuns: 0, documentEdits: 0, restored: 0 };
  /** Objects in the facts of every file (LIMITS.objectsPerWorkspace). */
  private objectCount = 0;
  /** Chart files that are not manifests (`_helpers.tpl`, `.Files`, unpacked `.tgz` subcharts): read by renders only. */
  private readonly support = new Map<string, string>();
  /** A support file came or went since the last snapshot: the next index is built anew (renders kept). */
  private supportReshaped = false;
  /** Values over every chart's value files (the CLI's `--values` and `--set`). */
  private helmValues: { readonly values: Values; readonly key: string } | undefined;
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
    this.chartDirChanged(dir, +1);
  }

  /**
   * Values every chart is rendered with, over its value files (the CLI's `--values` files and
   * `--set`, as Go values); `key` identifies them. The next snapshot renders every chart again.
   */
  setHelmValues(values: Values | undefined, key = ''): void {
    this.pendingChecks?.();
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
   * Stores a file's text. `cached`: facts the warm-start cache holds for exactly this text
   * (analysis/cache/facts.ts; untrusted): used instead of a parse when they fit the file, else
   * ignored.
   */
  setFile(uri: string, text: string, version?: number, cached?: unknown): void {
    const existing = this.files.get(uri);
    if (existing !== undefined && existing.text === text) {
      existing.version = version;
      return;
    }
    const before = existing?.facts !== undefined ? { text: existing.text, facts: existing.facts } : existing?.before;
    this.files.set(uri, { text, version, facts: undefined, before, ...(cached !== undefined ? { cached } : {}) });
    const chart = chartDirOf(uri);
    if (existing === undefined && chart !== undefined) this.chartDirChanged(chart, +1);
    this.textsMap.set(uri, text);
    this.pending.add(uri);
    this.changed.add(uri);
    this.last = undefined;
  }

  removeFile(uri: string): void {
    if (this.files.delete(uri)) {
      this.objectCount -= this.factsMap.get(uri)?.objects.length ?? 0;
      const chart = chartDirOf(uri);
      if (chart !== undefined) this.chartDirChanged(chart, -1);
      this.pending.delete(uri);
      this.factsMap.delete(uri);
      this.textsMap.delete(uri);
      this.changed.add(uri);
      this.last = undefined;
    }
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
    this.settings = settings;
    this.templateGlob = compileTemplateGlobs(settings.templateGlobs);
    this.last = undefined;
    // Severity, scope and parsing limits change every finding: the next pass starts over.
    this.index = undefined;
    this.lastEngines.clear();
    this.lastScoped = undefined;
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
    return entry?.facts !== undefined && entry.cacheable === true ? cacheableFacts(entry.facts) : undefined;
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
      facts =
        restored ?? edited ?? lowerFile(uri, text, parseManifest(text, { helm: template }), entry.version, tooLarge ? undefined : before);
      cacheable = !tooLarge;
    } catch (e) {
      // Invariant: a file that analysis fails on is dropped with a finding; the others are analysed.
      const message = e instanceof Error ? e.message : String(e);
      this.failures.push({ uri, message: e instanceof Error ? (e.stack ?? message) : message });
      facts = limitedFacts(uri, typeof entry.text === 'string' ? entry.text : '', entry.version, undefined, {
        span: { start: 0, end: 0 },
        message: `not analysed: Kube Reach failed on this file (${message.split('\n')[0] ?? ''}); please report it`,
      });
    }
    // The workspace's object limit: a file that would pass it is not analysed (check `input-limit`).
    const others = this.objectCount - (this.factsMap.get(uri)?.objects.length ?? 0);
    const workspaceLimit = this.limits.objectsPerWorkspace ?? LIMITS.objectsPerWorkspace;
    if (others + facts.objects.length > workspaceLimit) {
      const what = `with this file the workspace would hold ${formatCount(others + facts.objects.length)} objects, over the limit of ${formatCount(workspaceLimit)}`;
      facts = limitedFacts(uri, text, entry.version, facts.toolConfig, { span: { start: 0, end: 0 }, message: limitMessage(what) });
      cacheable = false;
    }
    this.objectCount = others + facts.objects.length;
    if (tooLarge) facts = { ...facts, tooLarge: { sizeMB: entry.text.length / 1024 / 1024, limitMB: this.settings.maxFileSizeMB } };
    entry.facts = facts;
    entry.cacheable = cacheable;
    entry.before = undefined;
    this.factsMap.set(uri, facts);
    return facts;
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
      sources = [...this.files.keys()];
    }
    this.changed.clear();
    // The snapshot exists before its checks run: the checks that judge reachability read its engine.
    const raw: RawFinding[] = [];
    const failed: CheckFailure[] = [];
    const index = this.index;
    const settings = this.settings;
    let checked = false;
    const ensureChecked = (): void => {
      if (checked) return;
      checked = true;
      this.pendingChecks = undefined;
      this.runner.run(
        index,
        settings,
        (uri) => texts.get(uri),
        sources,
        (namespaces, unit, view) => analysis.scopedEngine(namespaces, unit, view),
      );
      // Engines start from the last checked snapshot's only while the checks run (no chain of snapshots stays alive).
      analysis.previousScoped = undefined;
      this.lastScoped = analysis.scoped;
      for (const f of this.runner.findings()) raw.push(f);
      for (const f of this.runner.lastFailures) failed.push(f);
      this.stats.rechecked = this.runner.lastRechecked;
      this.stats.checkRuns++;
    };
    const analysis = new Analysis(index, settings, texts, raw, this.accepted, this.engineChain, ensureChecked, failed);
    analysis.previousScoped = this.lastScoped;
    this.pendingChecks = ensureChecked;
    this.last = analysis;
    if (options.deferChecks !== true) ensureChecked();
    return analysis;
  }
}
