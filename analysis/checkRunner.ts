/**
 * Runs the checks file by file and remembers, per file, what they found and which index keys they
 * read (namespaces, units, label pairs, Service names, the global layout). After an edit only the
 * files whose checks read a key the edit touched run again: the incremental half of "editing one
 * file re-parses only that file".
 */

import type { Check, CheckContext, Finding } from './checks/check.js';
import { CHECKS } from './checks/registry.js';
import type { Placed, WorkspaceIndex } from './index/workspaceIndex.js';
import { NO_ALTERNATIVES } from './units/alternatives.js';
import type { View } from './units/alternatives.js';
import type { ReachEngine } from './reachability/engine.js';
import type { AnalysisSettings } from './settings.js';
import type { RelatedInformation, SeveritySetting, Span, TextEdit } from './types.js';
import { rootNames } from './units/kustomize.js';
import { adjustForTemplates } from './units/helm.js';

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

function bare(span: Span): Span {
  return span.uri === undefined ? span : { start: span.start, end: span.end };
}

/**
 * A finding on a built object lands where its span lies: a field a Kustomize patch set is reported
 * on the patch, with the object in related information. Quick-fixes whose edits lie in another
 * file than they name are dropped (their text was computed for the wrong file).
 */
export function relocate(f: Finding): Finding {
  const target = f.span.uri;
  const related: RelatedInformation[] = (f.related ?? []).map((r) =>
    r.span.uri === undefined ? r : { ...r, uri: r.span.uri, span: bare(r.span) },
  );
  const o = f.object;
  if (target !== undefined && target !== f.uri && o !== undefined) {
    const name = o.name?.known === true ? o.name.value : '?';
    related.unshift({
      uri: o.uri,
      span: bare(o.anchor),
      message: `${o.kind} "${name}"${o.build !== undefined ? ` as built in ${o.build.root.slice(o.build.root.lastIndexOf('/') + 1)}` : ''}`,
    });
  }
  const fixes = f.fixes
    ?.filter((x) => x.edits.every((e) => e.span.uri === undefined || e.span.uri === e.uri))
    .map((x) => ({ ...x, edits: x.edits.map((e): TextEdit => (e.span.uri === undefined ? e : { ...e, span: bare(e.span) })) }));
  if (target === undefined && f.related === undefined && fixes === f.fixes) return f;
  return {
    ...f,
    uri: target ?? f.uri,
    span: bare(f.span),
    ...(related.length > 0 ? { related } : {}),
    ...(fixes !== undefined ? { fixes } : {}),
  };
}

/**
 * Findings about an object that several Kustomize roots build, at one place: reported once. One
 * that holds in only some of those roots names them ("in overlays prod, staging"); one that holds
 * in every root names them only when the roots' messages differ (a namespace each).
 */
export function nameRoots(found: readonly RawFinding[]): RawFinding[] {
  const groups = new Map<string, RawFinding[]>();
  for (const r of found) {
    const f = r.finding;
    if (f.object?.build === undefined || f.object.build.roots.length < 2) continue;
    const key = `${r.check.code}|${f.uri}|${f.span.start}|${f.span.end}`;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [r]);
    else list.push(r);
  }
  if (groups.size === 0) return [...found];
  const replaced = new Map<RawFinding, RawFinding | undefined>();
  for (const list of groups.values()) {
    const all = new Set(list.flatMap((r) => r.finding.object?.build?.roots ?? []));
    const holds = [...new Set(list.map((r) => r.finding.object?.build?.root ?? ''))].sort();
    const ordered = [...list].sort((a, b) => ((a.finding.object?.build?.root ?? '') < (b.finding.object?.build?.root ?? '') ? -1 : 1));
    const first = ordered[0];
    if (first === undefined) continue;
    const same = list.every((r) => r.finding.message === first.finding.message);
    const suffix = holds.length >= all.size && same ? '' : ` (in ${rootNames(holds)})`;
    for (const r of list) replaced.set(r, undefined);
    replaced.set(list[0] ?? first, { check: first.check, finding: { ...first.finding, message: first.finding.message + suffix } });
  }
  const out: RawFinding[] = [];
  for (const r of found) {
    if (!replaced.has(r)) out.push(r);
    else {
      const next = replaced.get(r);
      if (next !== undefined) out.push(next);
    }
  }
  return out;
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

export class CheckRunner {
  private readonly results = new Map<string, readonly RawFinding[]>();
  /** The keys each file's checks read (an array: a Set per file costs four times the memory). */
  private readonly deps = new Map<string, readonly string[]>();
  private readonly dependents = new Map<string, { readonly key: string; readonly files: Set<string> }>();
  /** Files whose checks ran in the last pass. */
  lastRechecked = 0;

  /** Forgets everything (settings changed, or the workspace was rebuilt). */
  clear(): void {
    this.results.clear();
    this.deps.clear();
    this.dependents.clear();
  }

  drop(uri: string): void {
    for (const key of this.deps.get(uri) ?? []) this.dependents.get(key)?.files.delete(uri);
    this.deps.delete(uri);
    this.results.delete(uri);
  }

  /** Files whose checks read one of `keys` (or everything). */
  invalidated(keys: ReadonlySet<string>): Set<string> {
    const out = new Set<string>();
    for (const key of [...keys, 'all']) for (const uri of this.dependents.get(key)?.files ?? []) out.add(uri);
    return out;
  }

  run(
    index: WorkspaceIndex,
    settings: AnalysisSettings,
    text: (uri: string) => string | undefined,
    sources: Iterable<string>,
    reach: (namespaces: readonly string[], unit?: string, view?: string) => ReachEngine,
  ): void {
    const enabled = CHECKS.filter((c) => {
      const level = configuredLevel(settings, c);
      return level !== 'off' && !(c.enabledByDefault === false && level === undefined);
    });
    let n = 0;
    for (const uri of sources) {
      // A rendered template's facts are its render's (analysis/units/helm.ts).
      const facts = index.factsForChecks(uri);
      this.drop(uri);
      if (facts === undefined) continue;
      n++;
      const found: RawFinding[] = [];
      index.startTracking();
      // Objects that have alternatives are judged under their view (analysis/units/alternatives.ts):
      // lookups leave out their alternatives' objects. File-level findings are reported once.
      for (const [i, group] of viewGroups(index, index.objectsOfFile(uri)).entries()) {
        let current: Check | undefined;
        let filtered = false;
        const view = group.view;
        const ctx: CheckContext = {
          index,
          settings,
          objects: group.objects,
          files: i === 0 ? [facts] : [],
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
            found.push({ check: current, finding: adjustForTemplates(relocate(named), (u) => index.renderedTemplate(u)) });
          },
        };
        index.setView(view);
        try {
          for (const check of enabled) {
            current = check;
            filtered = false;
            index.takeViewFiltered();
            try {
              check.run(ctx);
            } catch {
              // Invariant: a check that trips on unexpected input loses its findings, never the pass.
            }
          }
        } finally {
          index.setView(undefined);
        }
      }
      const keys = index.stopTracking();
      this.results.set(uri, nameRoots(found));
      // Each key is kept once (the first file's string), not once per file that read it.
      const kept: string[] = [];
      for (const key of keys) {
        let entry = this.dependents.get(key);
        if (entry === undefined) this.dependents.set(key, (entry = { key, files: new Set() }));
        entry.files.add(uri);
        kept.push(entry.key);
      }
      this.deps.set(uri, kept);
    }
    this.lastRechecked = n;
  }

  /** Every current finding (a stable copy for one snapshot). */
  findings(): RawFinding[] {
    const out: RawFinding[] = [];
    for (const list of this.results.values()) for (const f of list) out.push(f);
    return out;
  }
}
