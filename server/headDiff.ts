/**
 * The workspace against git HEAD, for `kubeReach/diff` and the NetworkPolicy code lens's
 * "+2 / −1 since HEAD" (docs/protocol.md). The base is the workspace as HEAD has it: the current
 * texts, except the files git says differ from HEAD (read from HEAD with `server/git.ts`, or absent
 * when HEAD lacks them) and open documents with unsaved edits (their disk text). It is derived from
 * the workspace's own index as an edit of those files would be (`AnalysisHost.variant`: only they
 * are read, the rest of the index is shared). When that cannot be done (a support file differs, or
 * the differing files change the workspace's layout: a kustomization, a Chart.yaml), a second
 * analysis host holds the base, updated file by file, so after the first request a pass costs
 * what changed.
 * The comparison itself is the pure core's (`analysis/ide/changes.ts`). Nothing is written.
 */

import { join } from 'node:path';
import type { Analysis, AnalysisSettings } from '../analysis/index.js';
import { AnalysisHost, CHECKS } from '../analysis/index.js';
import { changeScope, noChanges, panelPickUnit, sinceBaseTitle, workspaceChanges } from '../analysis/index.js';
import type { ChangesMatrices, WorkspaceChanges } from '../analysis/index.js';
import { diffEntryJson, orderDiff } from '../analysis/index.js';
import type { DiffNote, DiffPolicyChange, DiffResult } from '../protocol/changes.js';
import { toWireLocation } from './convert.js';
import { decodeManifest, readManifest } from './files.js';
import { notedFiles, readableNotes } from './notes.js';
import { GitError, changedSince, gitTopLevel, readAtRef, verifyCommit } from './git.js';
import type { GitRunner } from './git.js';
import { pathToUri, uriToPath } from './uris.js';
import type { Workspace } from './workspace.js';

export const BASE_REF = 'HEAD';

export type HeadComparison =
  | { readonly available: true; readonly base: Analysis; readonly changes: WorkspaceChanges }
  | { readonly available: false; readonly reason: string };

/** The workspace as HEAD has it, for a snapshot: the same snapshot when nothing differs; `scope` from `changeScope`. */
type HeadBase =
  | { readonly available: true; readonly base: Analysis; readonly same: boolean; readonly scope: ReadonlySet<string> | undefined }
  | { readonly available: false; readonly reason: string };

export class HeadDiff {
  private baseHost: AnalysisHost | undefined;
  /** The last comparison's all-pairs matrices, per unit ('' for none): the next one starts from them. */
  private readonly matrices = new Map<string, ChangesMatrices>();
  /** Each snapshot's base, made once whatever the units compared. */
  private readonly bases = new WeakMap<Analysis, Promise<HeadBase>>();
  /** The workspace settings the base host's were made from. */
  private settingsOf: AnalysisSettings | undefined;
  private readonly baseFiles = new Map<string, string>();
  private readonly baseSupport = new Map<string, string>();
  /** Each snapshot's comparisons, by unit ('' for none). */
  private readonly results = new WeakMap<Analysis, Map<string, Promise<HeadComparison>>>();
  private chain: Promise<unknown> = Promise.resolve();
  /** The last comparison finished per unit ('' for none), and the snapshot it was made for. */
  private readonly done = new Map<string, { readonly analysis: Analysis; readonly result: HeadComparison }>();

  constructor(
    private readonly host: AnalysisHost,
    private readonly workspace: Workspace,
    private readonly log: (message: string) => void,
    /** The server's git (its executable and whether the workspace is trusted). */
    private readonly git: GitRunner,
  ) {}

  /** The comparison for `analysis` (of `unit`'s engines; the workspace's without one), if it is already made. */
  ready(analysis: Analysis, unit?: string): HeadComparison | undefined {
    const d = this.done.get(unit ?? '');
    return d?.analysis === analysis ? d.result : undefined;
  }

  /**
   * The comparison for `analysis` (one at a time, once per snapshot and unit); `unit`: the unit
   * picked on both sides (the panel's Unit list, as `kube-reach diff --unit`). HEAD's workspace
   * is made once per snapshot, whichever units are compared.
   */
  compare(analysis: Analysis, unit?: string): Promise<HeadComparison> {
    let byUnit = this.results.get(analysis);
    if (byUnit === undefined) this.results.set(analysis, (byUnit = new Map()));
    const key = unit ?? '';
    let p = byUnit.get(key);
    if (p === undefined) {
      p = this.chain.then(async () => this.changes(analysis, await this.baseOf(analysis), unit));
      byUnit.set(key, p);
      this.chain = p.catch(() => undefined);
      void p.then((result) => this.done.set(key, { analysis, result })).catch(() => undefined);
    }
    return p;
  }

  private baseOf(analysis: Analysis): Promise<HeadBase> {
    let p = this.bases.get(analysis);
    if (p === undefined) this.bases.set(analysis, (p = this.computeBase(analysis)));
    return p;
  }

  /** The connections that differ from HEAD's for `unit`'s engines (the workspace's without one). */
  private changes(analysis: Analysis, b: HeadBase, unit: string | undefined): HeadComparison {
    if (!b.available) return b;
    const options = { ...(unit !== undefined ? { unit } : {}), pickUnit: panelPickUnit(analysis) };
    if (b.same) return { available: true, base: analysis, changes: noChanges(analysis, options) };
    const key = unit ?? '';
    const changes = workspaceChanges(b.base, analysis, this.matrices.get(key), b.scope, options);
    this.matrices.set(key, changes.matrices ?? {});
    return { available: true, base: b.base, changes };
  }

  private async computeBase(analysis: Analysis): Promise<HeadBase> {
    const roots = this.workspace.getRoots();
    if (roots.length === 0) return { available: false, reason: 'no workspace folder is open' };
    const tops = new Set<string>();
    try {
      for (const root of roots) {
        const top = await gitTopLevel(root, this.git);
        if (top !== undefined) tops.add(top);
      }
    } catch (e) {
      if (e instanceof GitError) return { available: false, reason: e.message };
      throw e;
    }
    if (tops.size === 0) return { available: false, reason: 'the workspace is not in a git repository' };
    const desired = new Map<string, string>();
    for (const uri of analysis.uris()) {
      const text = analysis.text(uri);
      if (text !== undefined) desired.set(uri, text);
    }
    const support = new Map(this.host.supportFiles());
    const overridden = new Set<string>();
    /** Something in the base differs from the current texts. */
    let differs = false;
    const put = (target: Map<string, string>, uri: string, text: string | undefined): void => {
      if (target.get(uri) === text) return;
      differs = true;
      if (text === undefined) target.delete(uri);
      else target.set(uri, text);
    };
    try {
      for (const top of tops) {
        await verifyCommit(top, BASE_REF, this.git);
        const rels: string[] = [];
        for (const rel of await changedSince(top, BASE_REF, this.git)) {
          const abs = join(top, rel);
          const uri = pathToUri(abs);
          if (this.workspace.included(abs) || support.has(uri)) rels.push(rel);
        }
        const blobs = await readAtRef(top, BASE_REF, rels, this.git);
        for (const rel of rels) {
          const uri = pathToUri(join(top, rel));
          overridden.add(uri);
          const bytes = blobs.get(rel);
          const target = support.has(uri) && !desired.has(uri) ? support : desired;
          put(target, uri, bytes === undefined || bytes.includes(0) ? undefined : decodeManifest(bytes));
        }
      }
    } catch (e) {
      if (e instanceof GitError) return { available: false, reason: e.message };
      throw e;
    }
    // Open documents git does not list: the base is what is saved (HEAD's text).
    const maxBytes = this.host.getSettings().maxFileSizeMB * 1024 * 1024;
    for (const key of this.workspace.openKeys()) {
      if (overridden.has(key)) continue;
      const path = uriToPath(key);
      const read = path === undefined ? undefined : readManifest(path, maxBytes);
      put(desired, key, read?.ok === true ? read.text : undefined);
    }
    // Nothing differs from HEAD: no second analysis is needed (the one kept is brought up to date
    // when something differs again: an edit and its undo cost the files they touch).
    if (!differs) return { available: true, base: analysis, same: true, scope: undefined };
    const differing = new Map<string, string | undefined>();
    for (const [uri, text] of desired) if (analysis.text(uri) !== text) differing.set(uri, text);
    for (const uri of analysis.uris()) if (!desired.has(uri)) differing.set(uri, undefined);
    const current = new Map(this.host.supportFiles());
    const supportDiffers = support.size !== current.size || [...support].some(([uri, text]) => current.get(uri) !== text);
    // The workspace's index with the differing files read as HEAD has them; else the second host.
    const derived = supportDiffers ? undefined : this.host.variant(analysis, differing);
    const base = derived ?? this.sync(desired, support);
    // Only the connections the differing files can alter are compared, when those files confine
    // the change to some namespaces (`changeScope`); any support file that differs widens it.
    const scope = supportDiffers ? undefined : changeScope(base, analysis, new Set(differing.keys()));
    return { available: true, base, same: false, scope };
  }

  /** Brings the base host to these texts, file by file, and takes its snapshot. */
  private sync(files: ReadonlyMap<string, string>, support: ReadonlyMap<string, string>): Analysis {
    // The workspace's settings with every check off: the base is read for its connections only.
    const settings = this.host.getSettings();
    if (this.baseHost === undefined || this.settingsOf !== settings) {
      const quiet = { ...settings, severity: { ...settings.severity, ...Object.fromEntries(CHECKS.map((c) => [c.code, 'off' as const])) } };
      if (this.baseHost === undefined) this.baseHost = new AnalysisHost(quiet);
      else this.baseHost.updateSettings(quiet);
      this.settingsOf = settings;
    }
    const h = this.baseHost;
    for (const uri of [...this.baseFiles.keys()]) {
      if (files.has(uri)) continue;
      h.removeFile(uri);
      this.baseFiles.delete(uri);
    }
    for (const [uri, text] of files) {
      if (this.baseFiles.get(uri) === text) continue;
      // A file HEAD has as the workspace does: the workspace's facts, shared (their objects are
      // immutable), not a second parse and a second copy in memory.
      h.setFile(uri, text, undefined, this.host.factsForText(uri, text));
      this.baseFiles.set(uri, text);
    }
    for (const uri of [...this.baseSupport.keys()]) {
      if (support.has(uri)) continue;
      h.setSupportFile(uri, undefined);
      this.baseSupport.delete(uri);
    }
    for (const [uri, text] of support) {
      if (this.baseSupport.get(uri) === text) continue;
      h.setSupportFile(uri, text);
      this.baseSupport.set(uri, text);
    }
    for (const f of h.takeFailures()) this.log(`Changes since ${BASE_REF}: analysis failed on ${f.uri}: ${f.message}`);
    return h.snapshot({ deferChecks: true });
  }
}

/** The changed policies' wire form, with their lenses' words. */
function policyChanges(analysis: Analysis, changes: WorkspaceChanges): DiffPolicyChange[] {
  return changes.policies.map((p) => ({
    policy: p.key,
    added: p.added,
    removed: p.removed,
    changed: p.changed,
    isNew: p.isNew,
    title: sinceBaseTitle(p, BASE_REF),
    ...(p.uri !== undefined && p.anchor !== undefined ? { location: toWireLocation(analysis, { uri: p.uri, span: p.anchor }) } : {}),
  }));
}

/**
 * Each side's notes as `kube-reach diff` prints them: HEAD's in order (`both` when the current
 * side carries it too), then the current side's own; files relative to `roots` (the workspace folders).
 */
function sideNotes(changes: WorkspaceChanges, roots: readonly string[]): DiffNote[] {
  const base = readableNotes(changes.notes.base, roots);
  const current = readableNotes(changes.notes.current, roots);
  return [
    ...base.map((note): DiffNote => ({ sides: current.includes(note) ? 'both' : 'base', note })),
    ...current.filter((note) => !base.includes(note)).map((note): DiffNote => ({ sides: 'current', note })),
  ];
}

/**
 * The wire form of a comparison (`kubeReach/diff`); `roots`, the workspace folders (paths) the
 * notes' files are written relative to.
 */
export function diffResult(analysis: Analysis, c: HeadComparison, roots: readonly string[] = []): DiffResult {
  if (!c.available) return { available: false, reason: c.reason, base: BASE_REF, changes: [], policies: [], notes: [] };
  // The files the notes name that exist now open from the panel (a file only HEAD has does not).
  const noteFiles = notedFiles([...c.changes.notes.base, ...c.changes.notes.current], roots, (uri) => analysis.index.files.has(uri));
  return {
    available: true,
    base: BASE_REF,
    changes: orderDiff(c.changes.entries).map(diffEntryJson),
    policies: policyChanges(analysis, c.changes),
    notes: sideNotes(c.changes, roots),
    ...(noteFiles.length > 0 ? { noteFiles } : {}),
  };
}

function titlesOf(analysis: Analysis, c: HeadComparison): ReadonlyMap<string, string> {
  return c.available ? new Map(policyChanges(analysis, c.changes).map((p) => [p.policy, p.title])) : new Map();
}

function sameTitles(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/**
 * The policy lenses' "+2 / −1 since HEAD", per policy (`ns/name`). A snapshot's comparison is made
 * after its lenses are first asked for (not in workspaces over `maxFiles`: it holds a second
 * analysis; the panel's Changes view still asks); meanwhile, with a client that can be asked to
 * refresh its lenses, the last words shown stay (so they do not blink at every keystroke) and the
 * client is asked to refresh when the new ones differ.
 */
export class SinceHeadTitles {
  /** The words shown per unit ('' for the workspace's engine). */
  private readonly shown = new Map<string, ReadonlyMap<string, string>>();

  constructor(
    private readonly headDiff: HeadDiff,
    private readonly options: {
      readonly maxFiles: number;
      readonly files: () => number;
      /** The client can be asked for its lenses again (`workspace.codeLens.refreshSupport`). */
      readonly canRefresh: () => boolean;
      readonly refresh: () => void;
      readonly log: (message: string) => void;
    },
  ) {}

  /** The words of the policies `unit`'s engine takes (the workspace's without one: the lens's `unit`). */
  titles(analysis: Analysis, unit?: string): ReadonlyMap<string, string> | undefined {
    const key = unit ?? '';
    const ready = this.headDiff.ready(analysis, unit);
    if (ready !== undefined) {
      const now = titlesOf(analysis, ready);
      this.shown.set(key, now);
      return now;
    }
    if (this.options.files() > this.options.maxFiles) return undefined;
    void this.headDiff
      .compare(analysis, unit)
      .then((c) => {
        const next = titlesOf(analysis, c);
        if (sameTitles(next, this.shown.get(key) ?? new Map())) return;
        this.shown.set(key, next);
        if (this.options.canRefresh()) this.options.refresh();
      })
      .catch((e: unknown) => this.options.log(`Changes since ${BASE_REF}: ${e instanceof Error ? e.message : String(e)}`));
    return this.options.canRefresh() ? (this.shown.get(key) ?? new Map()) : undefined;
  }
}
