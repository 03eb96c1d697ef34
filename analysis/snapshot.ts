/**
 * A snapshot of the workspace (`Analysis`): immutable, built by the host (host.ts) from the files as they
 * were; diagnostics, fixes, editor features and reachability engines are answered from it. Pure.
 */

import type { Check, Finding } from './checks/support/check.js';
import { configuredLevel } from './checkRunner.js';
import type { CheckFailure, RawFinding } from './checkRunner.js';
import { WorkspaceIndex } from './workspace/workspaceIndex.js';
import { firstDocumentFrom, INCREMENTAL_MIN_LENGTH } from './model/lower.js';
import type { FileFacts, KObject } from './model/types.js';
import type { AnalysisSettings } from './settings.js';
import { dnsModel } from './settings.js';
import { parseFile } from './syntax/parse.js';
import type { ParsedDocument, ParsedFile } from './syntax/parse.js';
import { documentRun } from './syntax/region.js';
import { shiftSpans } from './model/shift.js';
import { documentAt as findDocument } from './ide/yamlPath.js';
import { computeLineStarts, offsetAt, positionAt } from './text/lineIndex.js';
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
import { openable } from './checks/support/objectPath.js';
import { policyConnectionCounter, policyUnit } from './ide/policyConnections.js';
import { lookupContext } from './ide/context.js';
import { convertActions } from './convert/convertAction.js';
import { diagnosticEngineOptions } from './checks/support/checkEngine.js';
import { ReachEngine } from './reachability/engine.js';
import type { EngineOptions } from './reachability/engine.js';
import type { Placed } from './workspace/workspaceIndex.js';
import { languageOf, lineBreakOf, writerFor } from './edits/writer.js';
import type { HelmNote } from './units/helm.js';
import type { SupportNote } from './units/fleetIgnoreNotes.js';
import { kustomizeBuildProblem } from './checks/kustomizeBuildProblem.js';
import { objectsOverlapping } from './workspace/objectsAt.js';

const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

export interface StoredDiagnostic {
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

/**
 * Scoped engines a snapshot keeps once its checks have run (`Analysis.keepBiggestScoped`): those
 * over the most objects, whose gathering and class model an edit there would pay for again. A
 * cold pass over 116 namespaces of the NetworkPolicy-heavy mix builds 116 engines holding 27 MB
 * of the server's live heap; an edit in a small namespace builds its engine again from nothing in
 * a few milliseconds (its checks read only that one), in a big one it patches the kept engine.
 */
export const SCOPED_ENGINES_AFTER_CHECKS = 16;

/** Where a snapshot's engine comes from and goes: the host's last engine, reused when it can be. */
export interface EngineChain {
  /** The last workspace engine of a unit ('' = none). */
  previous(key: string): ReachEngine | undefined;
  built(key: string, engine: ReachEngine): void;
}

/** A snapshot's checks run a few files at a time (`Analysis.checkSome`). */
export interface CheckSteps {
  step(max: number): boolean;
  progress(): { readonly done: number; readonly total: number };
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
    private readonly steps?: CheckSteps,
    /** Notes on support files (a `.fleetignore`: units/fleetIgnoreNotes.ts), made on first use, and those files' texts. */
    private readonly support?: { readonly notes: () => readonly SupportNote[]; readonly text: (uri: string) => string | undefined },
  ) {
    this.index = index;
  }

  /**
   * Runs up to `max` more files of this snapshot's checks (deferred ones: `snapshot({ deferChecks })`);
   * true when they are all done. A host that runs them a few files at a time can answer requests in
   * between, and end a stale snapshot's checks with `AnalysisHost.supersede`.
   */
  checkSome(max: number): boolean {
    if (this.steps === undefined) {
      this.ensureChecked?.();
      return true;
    }
    return this.steps.step(max);
  }

  /** How far this snapshot's checks are: files (or documents) checked of those to check. */
  checkProgress(): { readonly done: number; readonly total: number } {
    return this.steps?.progress() ?? { done: 0, total: 0 };
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
    // Every set also holds the namespaces checks pair a namespace with (the DNS pods', the ingress
    // controllers'): the DNS check's engine over [ns, kube-system] and the Ingress checks' over
    // [ingress-nginx, ns] are then one engine, and a namespace's policies are compiled once.
    const sorted = [...new Set([...namespaces, ...this.partnerNamespaces()])].sort();
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
      // The objects landing in those namespaces, collected only if the gathering asks (an edit that
      // keeps every identity starts from the last gathering and reads the edited files alone).
      const index = this.index;
      let landing: Placed[] | undefined;
      const objects = (): Placed[] => {
        if (landing === undefined) this.scopedCollections++;
        return (landing ??= index.untracked(() => [
          ...new Set([
            ...sorted.flatMap((ns) => index.objectsLandingIn(ns)),
            ...index.clusterPolicies(),
            ...index.gatewayClasses(),
            ...index.sidecarSets(),
          ]),
        ]));
      };
      // The last snapshot's engine over the same namespaces: its class model, port space and
      // compiled policies are kept when their inputs are the same (an edit of a Service or a
      // policy in a namespace of thousands of workloads does not classify them all again), and
      // its classes rebuilt for the producers an edit changed (`ClassModel.patch`).
      const previous = this.previousScoped?.get(key);
      const options: EngineOptions = {
        ...diagnosticEngineOptions(this.settings),
        unit,
        namespaces: sorted,
        get objects(): Placed[] {
          return objects();
        },
      };
      return new ReachEngine(this, options, previous);
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

  /**
   * Once this snapshot's checks have run: keeps its SCOPED_ENGINES_AFTER_CHECKS scoped engines over
   * the most objects (pod producers, Services and policies gathered; the most recently used first
   * among equals) and drops the others, here and for the next snapshot's checks (host.ts). The
   * dropped ones are built again, from nothing, when something asks (identical engines).
   */
  keepBiggestScoped(): void {
    if (this.scoped.size <= SCOPED_ENGINES_AFTER_CHECKS) return;
    const size = (e: ReachEngine): number => {
      const g = e.gathering.gathered;
      return g.producers.length + g.services.length + g.policies.length;
    };
    // Most recently used first (the map's order is least recently used first); the sort is stable.
    const ranked = [...this.scoped].reverse().sort((a, b) => size(b[1]) - size(a[1]));
    for (const [key] of ranked.slice(SCOPED_ENGINES_AFTER_CHECKS)) this.scoped.delete(key);
  }

  private partners: readonly string[] | undefined;

  /** The namespaces every scoped engine holds (`scopedEngine`), from the settings. */
  private partnerNamespaces(): readonly string[] {
    return (this.partners ??= [...dnsModel(this.settings).namespaces, ...this.settings.ingressControllers.map((c) => c.namespace)]);
  }

  /**
   * How many of this snapshot's scoped engines collected every object landing in their namespaces
   * (a gathering from nothing); an edit that keeps every identity patches the last one's instead.
   */
  scopedCollections = 0;

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
    // (`template` first: a template's documents are its deferred masked reading, model/deferredFacts.ts.)
    const docs = facts === undefined || facts.template ? undefined : facts.documents;
    const run =
      facts === undefined || docs === undefined || facts.templated || text.length < INCREMENTAL_MIN_LENGTH
        ? undefined
        : documentRun(text, offset, facts.lastEdit !== undefined && text.length === facts.length);
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

  /** Diagnostics of every file (files without findings map to an empty list), then of the support files that have any (a `.fleetignore`). */
  diagnostics(): ReadonlyMap<string, readonly Diagnostic[]> {
    const all = this.compute();
    const out = new Map<string, readonly Diagnostic[]>();
    this.index.files.forEach((_, uri) => {
      const list = all.get(uri);
      out.set(uri, list === undefined ? NO_DIAGNOSTICS : list.map((d) => d.diagnostic));
    });
    for (const [uri, list] of all)
      if (!out.has(uri))
        out.set(
          uri,
          list.map((d) => d.diagnostic),
        );
    return out;
  }

  /**
   * Whether a host publishes diagnostics for `uri`: one of this snapshot's files, or a support file
   * with diagnostics (a `.fleetignore`; one whose diagnostics are gone is cleared like a file removed).
   */
  publishes(uri: string): boolean {
    return this.index.files.has(uri) || this.compute().has(uri);
  }

  /**
   * The files that have diagnostics, each with its list (what `diagnostics()` holds but the empty
   * lists): a publisher visits these, not every file of a workspace of thousands, after each edit.
   */
  diagnosticsFound(): ReadonlyMap<string, readonly Diagnostic[]> {
    return (this.found ??= new Map(
      [...this.compute()].map(([uri, list]): [string, readonly Diagnostic[]] => [uri, list.map((d) => d.diagnostic)]),
    ));
  }

  private found: ReadonlyMap<string, readonly Diagnostic[]> | undefined;

  /** Whether `uri` is one of this snapshot's files, and how many it has. */
  hasFile(uri: string): boolean {
    return this.index.files.has(uri);
  }

  get fileCount(): number {
    return this.index.files.size;
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
    return convertActions(
      lookupContext(this),
      objectsOverlapping(this.index, uri, span.start, span.end),
      uri,
      span,
      facts?.template === true,
    );
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
    return text === undefined ? [] : openable(this.index, definitionAt(this, uri, text, offset));
  }

  /** Find references: what refers to the object or port under the cursor. */
  references(uri: string, offset: number): Location[] {
    const text = this.analysable(uri);
    return text === undefined ? [] : openable(this.index, referencesAt(this, uri, text, offset));
  }

  /** The objects of a file, for the outline. */
  symbols(uri: string): SymbolInfo[] {
    return documentSymbols(this, uri);
  }

  /** Code lenses on the Services and NetworkPolicies of a file. */
  codeLenses(uri: string): CodeLensInfo[] {
    return codeLenses(this, uri, policyConnectionCounter(this), (p) => policyUnit(this, p)).map((l) => ({
      ...l,
      locations: openable(this.index, l.locations),
    }));
  }

  positionAt(uri: string, offset: number): Position {
    const f = this.index.files.get(uri);
    if (f !== undefined) return positionAt(f.lineStarts, offset);
    // A support file that carries notes (a `.fleetignore`): its own text's lines.
    const starts = this.supportLines(uri);
    if (starts !== undefined) return positionAt(starts, offset);
    // A packed subchart's template (a support file): counted in the text its chart rendered.
    const r = this.index.renderedTemplate(uri);
    const text = r === undefined ? undefined : this.index.helmLayout().renders.get(r.chart)?.texts.get(uri);
    if (text === undefined) return { line: 0, character: offset };
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - (before.lastIndexOf('\n') + 1) };
  }

  offsetAt(uri: string, pos: Position): number {
    const f = this.index.files.get(uri);
    if (f !== undefined) return offsetAt(f.lineStarts, f.length, pos);
    const starts = this.supportLines(uri);
    return starts === undefined ? 0 : offsetAt(starts, this.support?.text(uri)?.length ?? 0, pos);
  }

  /** The line starts of a support file (its diagnostics' positions), once asked. */
  private supportLines(uri: string): readonly number[] | undefined {
    return this.memo(`support-lines:${uri}`, () => {
      const t = this.support?.text(uri);
      return t === undefined ? undefined : computeLineStarts(t);
    });
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
    // Notes on support files (no objects, no facts: no suppression comments), under the code of Fleet's problems.
    const level = configuredLevel(this.settings, kustomizeBuildProblem);
    if (level !== 'off')
      for (const n of this.support?.notes() ?? []) {
        if (this.index.files.has(n.uri)) continue;
        const stored: StoredDiagnostic = {
          diagnostic: {
            uri: n.uri,
            code: kustomizeBuildProblem.code,
            severity: level ?? n.severity,
            message: `${n.message}.`,
            span: n.span,
            data: { confidence: 'definite' },
          },
          fixes: [],
        };
        const list = result.get(n.uri);
        if (list === undefined) result.set(n.uri, [stored]);
        else list.push(stored);
      }
    for (const [uri, list] of result) {
      // One finding (most files that have any): nothing to dedupe or sort.
      if (list.length < 2) continue;
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
      ...(x.exclusive !== undefined ? { exclusive: x.exclusive } : {}),
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
