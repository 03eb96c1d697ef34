/**
 * The shape of a check: one file per code in checks/, registered in `checks/registry.ts`.
 */

import type { Placed, WorkspaceIndex } from '../../workspace/workspaceIndex.js';
import type { FileFacts, KObject } from '../../model/types.js';
import type { ReachEngine } from '../../reachability/engine.js';
import type { AnalysisSettings } from '../../settings.js';
import type { Confidence, DiagnosticData, RelatedInformation, Severity, Span, TextEdit } from '../../types.js';

/** A finding before severity settings and suppressions are applied. */
export interface Finding {
  readonly uri: string;
  readonly span: Span;
  readonly message: string;
  /** The object the finding is about (for annotation suppressions). */
  readonly object?: KObject;
  /** The namespace the finding concerns (for `completeNamespaces`). */
  readonly namespace?: string;
  readonly confidence: Confidence;
  /** The level of this tier before settings: the check's default for evidence, else information/hint. */
  readonly severity: Severity;
  readonly related?: readonly RelatedInformation[];
  readonly data?: Omit<DiagnosticData, 'confidence'>;
  readonly fixes?: ReadonlyArray<{
    readonly title: string;
    readonly edits: readonly TextEdit[];
    readonly isPreferred?: boolean;
    /** `Fix.exclusive`. */
    readonly exclusive?: string;
  }>;
}

export interface CheckContext {
  readonly index: WorkspaceIndex;
  /** The objects to check in this run (one file's); lookups go through `index`. */
  readonly objects: readonly Placed[];
  /** The files to check in this run (for file-level findings such as syntax errors). */
  readonly files: readonly FileFacts[];
  readonly settings: AnalysisSettings;
  /** The text of a file (for fixes that must keep formatting). */
  text(uri: string): string | undefined;
  /**
   * The snapshot's reachability engine over the objects of `namespaces` (`Analysis.scopedEngine`):
   * its verdicts between pods of those namespaces are the workspace's. Built on first use, without
   * dependency tracking: a check that reads it records the keys its verdict depends on itself
   * (`checks/support/checkEngine.ts`). With `unit`, over that unit's objects (a variant the workspace engine left out).
   */
  reach(namespaces: readonly string[], unit?: string): ReachEngine;
  report(finding: Finding): void;
}

export interface Check {
  readonly code: string;
  /** The evidence tier's default severity (docs/dev/design.md §3.2). */
  readonly defaultSeverity: Severity;
  /** One line for the README table. */
  readonly summary: string;
  /** Markdown for docs/rules.md: what, why, example, fix. */
  readonly doc: string;
  /** Opt-in checks (docs/dev/design.md §3.2 "off") run only when a severity is configured for them. */
  readonly enabledByDefault?: boolean;
  /** Other names of this code, accepted in settings and suppressions. */
  readonly aliases?: readonly string[];
  /** kube-linter / kube-score check names whose ignore annotations also silence this code. */
  readonly compatibleSuppressions?: { readonly kubeLinter?: readonly string[]; readonly kubeScore?: readonly string[] };
  /**
   * A finding at a place that several Kustomize roots build, holding in only some of them (`holds`;
   * the other roots, `others`, build the object without it): what that shows, when the check knows
   * (deprecated-api: the others upgrade the apiVersion, so the roots holding it are flavours for older
   * clusters). Returns the finding's tier and message; the runner adds nothing else.
   */
  inSomeRoots?(finding: Finding, holds: string, others: string): Pick<Finding, 'confidence' | 'severity' | 'message'>;
  run(ctx: CheckContext): void;
}
