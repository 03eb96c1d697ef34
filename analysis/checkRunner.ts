/**
 * Runs the checks file by file and remembers, per file, what they found and which index keys they
 * read (namespaces, units, label pairs, Service names, the global layout). After an edit only the
 * files whose checks read a key the edit touched run again: the incremental half of "editing one
 * file re-parses only that file".
 */

import type { Check, CheckContext, Finding } from './checks/support/check.js';
import { CHECKS } from './checks/registry.js';
import type { Placed, WorkspaceIndex } from './workspace/workspaceIndex.js';
import { NO_ALTERNATIVES } from './units/alternatives.js';
import type { View } from './units/alternatives.js';
import type { ReachEngine } from './reachability/engine.js';
import type { AnalysisSettings } from './settings.js';
import type { SeveritySetting, Span } from './types.js';
import type { DocumentEdit, FileFacts, KObject, LoweredDocument } from './model/types.js';
import { nameRoots } from './rootFindings.js';
import { adjustForTemplates } from './units/helmFindings.js';
import { archivePlace } from './checks/support/objectPath.js';
import { insideArchives, relocate } from './relocate.js';
import { depKeys } from './cache/checks.js';
import type { CheckUnit, UnitDeps } from './cache/checks.js';
import { Dependents } from './dependents.js';

export interface RawFinding {
  readonly check: Check;
  readonly finding: Finding;
}

/** The configured level of a check, by its code or one of its aliases. */
export function configuredLevel(settings: AnalysisSettings, check: Check): SeveritySetting | undefined {
  const own = settings.severity[check.code];
  if (own !== undefined) return own;
  for (const a of check.aliases ?? []) {
    const v = settings.severity[a];
    if (v !== undefined) return v;
  }
  return undefined;
}

/** A file's objects grouped by the view they are judged under (undefined: no alternatives), in file order. */
function viewGroups(index: WorkspaceIndex, objects: readonly Placed[]): Array<{ view: View | undefined; objects: readonly Placed[] }> {
  if (index.alternatives === NO_ALTERNATIVES) return [{ view: undefined, objects }];
  const groups = new Map<string, { view: View | undefined; objects: Placed[] }>();
  for (const p of objects) {
    const view = index.viewFor(p);
    const key = view?.key ?? '';
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { view, objects: [] }));
    g.objects.push(p);
  }
  return groups.size === 0 ? [{ view: undefined, objects }] : [...groups.values()];
}

/** The key of one document's checks in a file checked document by document. */
function partKey(uri: string, id: number): string {
  return `${uri}\u0000${id}`;
}

/** A finding of the text before an edit, with what it says about `uri` moved as the edit moved it. */
function moveFinding(f: Finding, uri: string, edit: DocumentEdit, objects: readonly KObject[]): Finding {
  const from = edit.movedFrom;
  const delta = edit.delta;
  const moves = (s: Span): boolean => s.uri === undefined && s.start >= from;
  const at = (s: Span): Span => (moves(s) ? { start: s.start + delta, end: s.end + delta } : s);
  const firstMoved = edit.firstObject + edit.removedObjects;
  const o = f.object;
  const objectMoves = o !== undefined && o.uri === uri && o.build === undefined && o.ordinal >= firstMoved;
  // Most findings of a workspace say nothing about the moved part of this file: no copy for them.
  if (
    !objectMoves &&
    !(f.uri === uri && moves(f.span)) &&
    !(f.related?.some((r) => r.uri === uri && moves(r.span)) ?? false) &&
    !(f.fixes?.some((x) => x.edits.some((e) => e.uri === uri && moves(e.span))) ?? false)
  )
    return f;
  let changed = false;
  const span = f.uri === uri ? at(f.span) : f.span;
  if (span !== f.span) changed = true;
  const related = f.related?.map((r) => {
    if (r.uri !== uri) return r;
    const moved = at(r.span);
    if (moved === r.span) return r;
    changed = true;
    return { ...r, span: moved };
  });
  const fixes = f.fixes?.map((x) => {
    let any = false;
    const edits = x.edits.map((e) => {
      if (e.uri !== uri) return e;
      const moved = at(e.span);
      if (moved === e.span) return e;
      any = true;
      return { ...e, span: moved };
    });
    if (!any) return x;
    changed = true;
    return { ...x, edits };
  });
  let object = o;
  if (objectMoves) {
    const moved = objects[o.ordinal + edit.addedObjects - edit.removedObjects];
    if (moved !== undefined && moved !== o) {
      object = moved;
      changed = true;
    }
  }
  if (!changed) return f;
  return {
    ...f,
    span,
    ...(related !== undefined ? { related } : {}),
    ...(fixes !== undefined ? { fixes } : {}),
    ...(object !== undefined ? { object } : {}),
  };
}

/** What makes two findings the same, but for the object they are about (compared by identity). */
function signature(r: RawFinding): string {
  return `${r.check.code}\u0000${JSON.stringify(r.finding, (k, v: unknown) => (k === 'object' ? undefined : v))}`;
}

/** Smallest file (UTF-16 code units) whose documents are checked one by one. */
const SPLIT_MIN_LENGTH = 32 * 1024;

/** A check that threw on a file: its findings there were dropped (the rest of the pass went on). */
export interface CheckFailure {
  readonly code: string;
  readonly uri: string;
  readonly message: string;
}

/** A run of the checks in progress (`CheckRunner.begin`). */
export interface CheckJob {
  /** The files and documents to check, and how many are done. */
  readonly total: number;
  readonly done: number;
  /** Checks up to `max` more of them; true when the run is over. */
  step(max: number): boolean;
  /** Ends the run here: the files and documents it did not reach are checked in the next run. */
  abandon(): void;
}

export class CheckRunner {
  /** The checks of the last `run` that threw. */
  lastFailures: CheckFailure[] = [];
  /** Findings per checked unit: a file, or one document of a file checked document by document (`partKey`). */
  private readonly results = new Map<string, readonly RawFinding[]>();
  /** The keys each unit's checks read (an array: a Set per file costs four times the memory). */
  private readonly deps = new Map<string, UnitDeps>();
  /** Which units read each key (analysis/dependents.ts: compact, a key read by thousands of units is a bit set). */
  private readonly dependents = new Dependents();
  /**
   * Units whose keys are not in `dependents` yet (`prepare`): those a run checked and those restored
   * from the cache. Only an edit asks which units read a key, so the first diagnostics, cold or
   * warm, do not wait for the index (and `kube-reach check` never builds it).
   */
  private readonly unindexed = new Set<string>();
  /**
   * Files checked document by document (big multi-document files, docs/dev/design.md §9, T5): the
   * serial of the facts last checked and their documents' ids. After an edit that lowered only some
   * documents (`FileFacts.lastEdit`) only those are checked again, and the findings of the others
   * are moved with their text.
   */
  private readonly split = new Map<string, { readonly serial: number | undefined; readonly ids: readonly number[] }>();
  /**
   * Files checked whole: the serial of the facts last checked, so that an edit lowered document by
   * document (`FileFacts.lastEdit`) from exactly those facts moves what other files found there.
   */
  private readonly serials = new Map<string, number>();
  /** Findings of units dropped in this run, until they are checked again (`keepSame`). */
  private readonly stale = new Map<string, readonly RawFinding[]>();
  /** Files (or documents) whose checks ran in the last pass. */
  lastRechecked = 0;
  /** Sources an abandoned run did not reach: the next run checks them first. */
  private readonly carried = new Set<string>();
  /** The smallest file checked document by document (tests use small files); other checks than the registry's (tests). */
  constructor(
    private readonly splitMinLength = SPLIT_MIN_LENGTH,
    private readonly checks: readonly Check[] = CHECKS,
  ) {}

  /** Forgets everything (settings changed, or the workspace was rebuilt). */
  clear(): void {
    this.carried.clear();
    this.stale.clear();
    this.serials.clear();
    this.results.clear();
    this.deps.clear();
    this.dependents.clear();
    this.unindexed.clear();
    this.split.clear();
  }

  /**
   * Indexes the dependency keys of the units checked or restored since the last call (`run` and
   * `restore` leave that for later: an edit, or the server once the first diagnostics are out);
   * true when it had any to do. Each key is then kept once (the first unit's string), not once per
   * unit that read it. `maxKeys`: units are indexed until that many keys are (at least one unit): the
   * server spreads the index over turns of its event loop, so a request right after the first
   * diagnostics does not wait for all of it; an edit's `invalidated` indexes the rest first.
   */
  prepare(maxKeys = Infinity): boolean {
    if (this.unindexed.size === 0) return false;
    let n = 0;
    for (const key of this.unindexed) {
      if (n >= maxKeys) break;
      this.unindexed.delete(key);
      const deps = this.deps.get(key);
      if (deps === undefined) continue;
      const keys = depKeys(deps);
      n += keys.length;
      const shared = new Array<string>(keys.length);
      for (let i = 0; i < keys.length; i++) shared[i] = this.dependents.add(keys[i] as string, key);
      this.deps.set(key, shared);
    }
    return true;
  }

  /** Units whose keys `prepare` has not indexed yet. */
  get unprepared(): number {
    return this.unindexed.size;
  }

  drop(uri: string): void {
    this.serials.delete(uri);
    const parts = this.split.get(uri);
    if (parts !== undefined) {
      this.split.delete(uri);
      for (const id of parts.ids) this.dropKey(partKey(uri, id));
    }
    this.dropKey(uri);
  }

  private dropKey(key: string): void {
    // A unit not indexed yet is in no key's readers.
    if (!this.unindexed.delete(key)) this.dependents.removeUnit(key, depKeys(this.deps.get(key) ?? []));
    this.deps.delete(key);
    const old = this.results.get(key);
    if (old !== undefined && old.length > 0) this.stale.set(key, old);
    this.results.delete(key);
  }

  /**
   * The findings of a unit checked again, with the previous objects of those that came out the
   * same (same check, object and content): the host converts a finding once and the server sends
   * only what changed, so findings that an edit did not change must stay the same objects.
   */
  private keepSame(key: string, next: RawFinding[]): RawFinding[] {
    const old = this.stale.get(key);
    this.stale.delete(key);
    if (old === undefined || next.length === 0) return next;
    const bySignature = new Map<string, RawFinding[]>();
    for (const r of old) {
      const sig = signature(r);
      const list = bySignature.get(sig);
      if (list === undefined) bySignature.set(sig, [r]);
      else list.push(r);
    }
    return next.map((r) => {
      const list = bySignature.get(signature(r));
      const i = list?.findIndex((o) => o.finding.object === r.finding.object) ?? -1;
      if (list === undefined || i < 0) return r;
      const [same] = list.splice(i, 1);
      return same ?? r;
    });
  }

  /** Files (or documents of files, as keys the host passes back to `run`) whose checks read one of `keys` (or everything). */
  invalidated(keys: ReadonlySet<string>): Set<string> {
    this.prepare();
    const out = new Set<string>();
    for (const key of keys) this.dependents.readersOf(key, out);
    this.dependents.readersOf('all', out);
    return out;
  }

  /** Whether a file is checked document by document: many documents, all of them its own objects. */
  private splits(index: WorkspaceIndex, facts: FileFacts): boolean {
    if (facts.template) return false;
    const docs = facts.documents;
    if (docs === undefined || docs.length < 2 || facts.length < this.splitMinLength) return false;
    if (facts.inputLimit !== undefined || facts.tooLarge !== undefined || facts.toolConfig !== undefined) return false;
    if (facts.syntaxErrors.length !== docs.reduce((n, d) => n + (d.errors?.length ?? 0), 0)) return false;
    const placed = index.untracked(() => index.objectsOfFile(facts.uri));
    return placed.every((p) => p.obj.uri === facts.uri && p.obj.build === undefined);
  }

  /** Runs the checks of `sources` (files, and documents of files checked document by document) to the end. */
  run(
    index: WorkspaceIndex,
    settings: AnalysisSettings,
    text: (uri: string) => string | undefined,
    sources: Iterable<string>,
    reach: (namespaces: readonly string[], unit?: string, view?: string) => ReachEngine,
  ): void {
    this.begin(index, settings, text, sources, reach).step(Infinity);
  }

  /**
   * Starts a run that the caller advances a few files at a time (`CheckJob.step`), so a long check
   * phase can let requests in between and be superseded (`CheckJob.abandon`: the files it did not
   * reach are checked in the next run). Findings moved by document edits are moved at once.
   */
  begin(
    index: WorkspaceIndex,
    settings: AnalysisSettings,
    text: (uri: string) => string | undefined,
    sources: Iterable<string>,
    reach: (namespaces: readonly string[], unit?: string, view?: string) => ReachEngine,
  ): CheckJob {
    this.lastFailures = [];
    const enabled = this.checks.filter((c) => {
      const level = configuredLevel(settings, c);
      return level !== 'off' && !(c.enabledByDefault === false && level === undefined);
    });
    let n = 0;
    const check = (key: string, objects: readonly Placed[], files: FileFacts[]): void => {
      n++;
      const found: RawFinding[] = [];
      index.startTracking();
      // Objects that have alternatives are judged under their view (analysis/units/alternatives.ts):
      // lookups leave out their alternatives' objects. File-level findings are reported once.
      for (const [i, group] of viewGroups(index, objects).entries()) {
        let current: Check | undefined;
        let filtered = false;
        const view = group.view;
        const ctx: CheckContext = {
          index,
          settings,
          objects: group.objects,
          files: i === 0 ? files : [],
          text,
          reach: (namespaces, unit) => index.untracked(() => reach(namespaces, unit, view?.key)),
          report: (finding) => {
            if (current === undefined) return;
            // A finding that depends on what the view left out names the alternative it holds in.
            if (view !== undefined) filtered = index.takeViewFiltered() || filtered;
            const named =
              view !== undefined && view.label !== '' && filtered
                ? { ...finding, message: `${finding.message} (in alternative ${view.label})` }
                : finding;
            const placed = insideArchives(relocate(named), (u) => archivePlace(index, u));
            if (placed !== undefined) found.push({ check: current, finding: adjustForTemplates(placed, (u) => index.renderedTemplate(u)) });
          },
        };
        index.setView(view);
        try {
          for (const c of enabled) {
            current = c;
            filtered = false;
            index.takeViewFiltered();
            const before = found.length;
            try {
              c.run(ctx);
            } catch (e) {
              // Invariant: a check that trips on unexpected input loses its findings, never the pass;
              // the failure is counted and logged (kubeReach/analysisComplete, the output, CLI stderr).
              found.length = before;
              const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
              this.lastFailures.push({ code: c.code, uri: key.split('\u0000')[0] ?? key, message });
            }
          }
        } finally {
          index.setView(undefined);
        }
      }
      const keys = index.stopTracking();
      this.results.set(key, this.keepSame(key, nameRoots(found)));
      // At its own size (a list grown by push keeps up to half again as much room: 6 MB at 10,000
      // NetworkPolicy-heavy manifests), each key once (the first unit's string), not once per unit
      // that read it; indexed by `prepare`, when an edit first asks.
      const kept = new Array<string>(keys.size);
      let i = 0;
      for (const k of keys) kept[i++] = this.dependents.intern(k);
      this.deps.set(key, kept);
      this.unindexed.add(key);
    };
    /** One document of a file checked document by document: its objects and its part of the file-level facts. */
    const checkPart = (facts: FileFacts, doc: LoweredDocument): void => {
      const key = partKey(facts.uri, doc.id);
      this.dropKey(key);
      const placed = index.untracked(() => index.objectsOfFile(facts.uri));
      const first = doc.objects[0]?.ordinal;
      const last = doc.objects[doc.objects.length - 1]?.ordinal;
      const objects: Placed[] = [];
      if (first !== undefined && last !== undefined) {
        // Placed objects are in file order: a binary search finds the document's first.
        let lo = 0;
        let hi = placed.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((placed[mid]?.obj.ordinal ?? 0) < first) lo = mid + 1;
          else hi = mid;
        }
        for (let i = lo; i < placed.length; i++) {
          const p = placed[i];
          if (p === undefined || p.obj.ordinal > last) break;
          objects.push(p);
        }
      }
      // The file as far as this document goes: its lists and its one document (a check that walks
      // the documents, as yaml-1-1-value does, must not walk all of a bundle's for each of them).
      const part: FileFacts = {
        ...facts,
        syntaxErrors: doc.errors ?? [],
        yaml11: doc.yaml11 ?? [],
        apiFindings: doc.apiFindings,
        documents: [doc],
      };
      check(key, objects, [part]);
    };
    const files: string[] = [];
    const parts: string[] = [];
    // What an abandoned run did not reach comes first.
    const all = new Set([...this.carried, ...sources]);
    this.carried.clear();
    for (const source of all) (source.includes('\u0000') ? parts : files).push(source);
    // First the edits that moved documents: every finding about those files moves with the text,
    // before any check runs on the new text.
    const moved = new Set<string>();
    const moveFindings = (uri: string, edit: DocumentEdit, objects: readonly KObject[]): void => {
      if (edit.delta === 0 && edit.addedObjects === edit.removedObjects) return;
      // forEach, not entries: no array per key (a bundle's results have a key per document).
      this.results.forEach((list, key) => {
        let changed: RawFinding[] | undefined;
        for (let i = 0; i < list.length; i++) {
          const r = list[i];
          if (r === undefined) continue;
          const f = moveFinding(r.finding, uri, edit, objects);
          if (f === r.finding) continue;
          changed ??= list.slice();
          changed[i] = { check: r.check, finding: f };
        }
        if (changed !== undefined) this.results.set(key, changed);
      });
    };
    for (const uri of files) {
      const facts = index.factsForChecks(uri);
      const edit = facts?.lastEdit;
      if (facts === undefined || edit === undefined) continue;
      const prev = this.split.get(uri);
      if (prev === undefined) {
        // A file checked whole whose edit lowered only some documents (the index touched only
        // their keys): what other files found in the documents after them moves with the text.
        if (this.serials.get(uri) === edit.baseSerial && !this.splits(index, facts)) moveFindings(uri, edit, facts.objects);
        continue;
      }
      if (edit.baseSerial !== prev.serial || !this.splits(index, facts)) continue;
      for (const id of prev.ids.slice(edit.firstDocument, edit.firstDocument + edit.removedDocuments)) this.dropKey(partKey(uri, id));
      moveFindings(uri, edit, facts.objects);
      this.split.set(uri, { serial: facts.serial, ids: (facts.documents ?? []).map((d) => d.id) });
      for (const d of (facts.documents ?? []).slice(edit.firstDocument, edit.firstDocument + edit.addedDocuments)) checkPart(facts, d);
      moved.add(uri);
    }
    const checkFile = (uri: string): void => {
      const facts = index.factsForChecks(uri);
      this.drop(uri);
      if (facts === undefined) return;
      if (this.splits(index, facts)) {
        this.split.set(uri, { serial: facts.serial, ids: (facts.documents ?? []).map((d) => d.id) });
        for (const d of facts.documents ?? []) checkPart(facts, d);
      } else {
        check(uri, index.objectsOfFile(uri), [facts]);
        if (facts.serial !== undefined) this.serials.set(uri, facts.serial);
      }
    };
    // Documents whose checks read what the edit changed.
    const checkDocument = (key: string): void => {
      const sep = key.indexOf('\u0000');
      const uri = key.slice(0, sep);
      const id = Number(key.slice(sep + 1));
      const facts = index.factsForChecks(uri);
      const entry = this.split.get(uri);
      this.dropKey(key);
      if (facts === undefined || entry === undefined || !entry.ids.includes(id)) return;
      const doc = facts.documents?.find((d) => d.id === id);
      if (doc !== undefined) checkPart(facts, doc);
    };
    const queue = [...files.filter((uri) => !moved.has(uri)), ...parts];
    let next = 0;
    let ended = false;
    const end = (): void => {
      ended = true;
      this.lastRechecked = n;
      this.stale.clear();
    };
    return {
      total: queue.length,
      get done(): number {
        return next;
      },
      step: (max: number): boolean => {
        if (ended) return true;
        for (let i = 0; i < max && next < queue.length; i++) {
          const source = queue[next++] ?? '';
          if (source.includes('\u0000')) checkDocument(source);
          else checkFile(source);
        }
        if (next >= queue.length) end();
        return ended;
      },
      abandon: (): void => {
        if (ended) return;
        for (const source of queue.slice(next)) this.carried.add(source);
        end();
      },
    };
  }

  /**
   * What the last run left, unit by unit (a file, or a document of a file checked document by
   * document, by its place in the file), for the warm-start cache (analysis/cache/checks.ts);
   * undefined when a check failed in it or it was abandoned.
   */
  units(): CheckUnit[] | undefined {
    // A run abandoned before it reached every file left some results behind the files.
    if (this.lastFailures.length > 0 || this.stale.size > 0 || this.carried.size > 0) return undefined;
    const out: CheckUnit[] = [];
    for (const [key, found] of this.results) {
      const sep = key.indexOf('\u0000');
      const uri = sep < 0 ? key : key.slice(0, sep);
      const document = sep < 0 ? -1 : (this.split.get(uri)?.ids.indexOf(Number(key.slice(sep + 1))) ?? -1);
      if (sep >= 0 && document < 0) return undefined;
      out.push({ uri, document, deps: this.deps.get(key) ?? [], found });
    }
    return out;
  }

  /**
   * Takes `units` (analysis/cache/checks.ts, found in exactly these inputs) as what the checks
   * found in `index`'s files, instead of running them; false (and nothing kept) when they do not
   * cover the files as the index holds them.
   */
  restore(index: WorkspaceIndex, units: readonly CheckUnit[], files: ReadonlySet<string>): boolean {
    this.clear();
    const whole = new Set<string>();
    const parts = new Map<string, Set<number>>();
    // Whether a file is split, asked once per file (not once per document: a bundle of 7,000 documents).
    const split = new Map<string, boolean>();
    const splits = (facts: FileFacts): boolean => {
      let s = split.get(facts.uri);
      if (s === undefined) split.set(facts.uri, (s = this.splits(index, facts)));
      return s;
    };
    for (const u of units) {
      const facts = index.factsForChecks(u.uri);
      if (facts === undefined || !files.has(u.uri)) return this.failRestore();
      let key = u.uri;
      if (u.document >= 0) {
        const doc = facts.documents?.[u.document];
        if (doc === undefined || !splits(facts)) return this.failRestore();
        key = partKey(u.uri, doc.id);
        let seen = parts.get(u.uri);
        if (seen === undefined) parts.set(u.uri, (seen = new Set()));
        seen.add(u.document);
      } else {
        whole.add(u.uri);
      }
      this.results.set(key, u.found);
      // Each key is one string of the cache's table already; `prepare` indexes them.
      this.deps.set(key, u.deps);
      this.unindexed.add(key);
    }
    // Every file is one unit, or all of its documents are.
    for (const uri of files) {
      const facts = index.factsForChecks(uri);
      const seen = parts.get(uri);
      if (facts === undefined) return this.failRestore();
      if (seen === undefined) {
        if (!whole.has(uri) || splits(facts)) return this.failRestore();
        if (facts.serial !== undefined) this.serials.set(uri, facts.serial);
      } else {
        const ids = (facts.documents ?? []).map((d) => d.id);
        if (whole.has(uri) || seen.size !== ids.length) return this.failRestore();
        this.split.set(uri, { serial: facts.serial, ids });
      }
    }
    this.lastFailures = [];
    return true;
  }

  private failRestore(): false {
    this.clear();
    return false;
  }

  /** Every current finding (a stable copy for one snapshot). */
  findings(): RawFinding[] {
    const out: RawFinding[] = [];
    for (const list of this.results.values()) for (const f of list) out.push(f);
    return out;
  }
}
