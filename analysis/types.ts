/**
 * Plain data types shared by every layer. Analysis speaks UTF-16 offsets (`Span`) and stable
 * diagnostic codes; the server converts them to LSP line/character positions.
 */

/**
 * A half-open range of UTF-16 code-unit offsets into one file's text. `uri` is set only on spans
 * of a built object (a Kustomize build) that lie in another file than the object's own: a field a
 * patch set, a label a kustomization added. Findings on such a span land on that file
 * (`checkRunner.ts`); spans without it lie in the file that holds them.
 */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly uri?: string;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A severity as configured; `off` disables a code. */
export type SeveritySetting = Severity | 'off';

/** Which evidence tier produced a finding (docs/dev/design.md §3.1). */
export type Confidence = 'evidence' | 'no-evidence' | 'definite';

export interface RelatedInformation {
  readonly uri: string;
  readonly span: Span;
  readonly message: string;
}

export interface DiagnosticData {
  readonly confidence: Confidence;
  /** Free-form structured facts for quick-fixes; never parsed from the message. */
  readonly [key: string]: unknown;
}

export interface Diagnostic {
  readonly uri: string;
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related?: readonly RelatedInformation[];
  readonly data?: DiagnosticData;
}

/**
 * A replacement of `span` in `uri` by `newText`. With `create`, `uri` is a file that does not exist
 * yet: the edit creates it with `newText` (span 0–0), e.g. a new object next to a JSON manifest.
 */
export interface TextEdit {
  readonly uri: string;
  readonly span: Span;
  readonly newText: string;
  readonly create?: boolean;
}

/** A quick-fix: an explicit edit the user asks for. */
export interface Fix {
  readonly title: string;
  /** The diagnostic code this fix resolves. */
  readonly code: string;
  readonly isPreferred?: boolean;
  readonly edits: readonly TextEdit[];
  /** The span of the diagnostic the fix belongs to. */
  readonly diagnosticSpan: Span;
  /**
   * Fixes of one file with the same key make the same thing (two typo'd parentRefs of one route
   * renamed to the same Gateway and listener): each is right alone, both together would repeat it,
   * so "Fix all" applies the first only.
   */
  readonly exclusive?: string;
}

/**
 * A code action that is not a fix of a finding: a refactoring the user asks for (LSP
 * `refactor.rewrite`), such as "Convert to Gateway API" on an Ingress.
 */
export interface Refactor {
  readonly title: string;
  readonly kind: 'refactor.rewrite';
  readonly edits: readonly TextEdit[];
}

export interface HoverResult {
  /** Markdown. */
  readonly contents: string;
  readonly span: Span;
}

export type CompletionKind = 'value' | 'property' | 'reference';

export interface CompletionResult {
  readonly label: string;
  readonly insertText: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  /** The text that the item replaces (the word under the cursor). */
  readonly replace: Span;
  readonly sortText?: string;
}

/** A place in a file, for navigation. */
export interface Location {
  readonly uri: string;
  readonly span: Span;
}

/** One object of a (multi-document) file, for the outline. */
export interface SymbolInfo {
  readonly name: string;
  readonly detail: string;
  readonly kind: string;
  /** The whole object. */
  readonly span: Span;
  /** Its name. */
  readonly selection: Span;
}

/** A code lens: a title above an object, and what clicking it does. */
export interface CodeLensInfo {
  readonly span: Span;
  readonly title: string;
  /** `references` shows `locations`; `reachability` opens the panel filtered to `policy` (`ns/name`). */
  readonly action: 'references' | 'reachability';
  readonly locations: readonly Location[];
  readonly policy?: string;
  /**
   * A `reachability` lens's unit when the workspace's engine (its first alternatives in path
   * order) leaves the policy out: its counts, its panel and its changes since HEAD are that unit's.
   */
  readonly unit?: string;
}

/**
 * Editor features another extension may already provide: with `schemaDocs: false` (Red Hat's YAML
 * extension shows the Kubernetes schema) hover leaves out the API field docs and completion the
 * schema keys and enum values; workspace facts and values stay.
 */
export interface IdeOptions {
  readonly schemaDocs?: boolean;
}
