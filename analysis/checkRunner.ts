/**
 * Runs the checks file by file and remembers, per file, what they found and which index keys they
 * read (namespaces, units, label pairs, Service names, the global layout). After an edit only the
 * files whose checks read a key the edit touched run again: the incremental half of "editing one
 * file re-parses only that file".
 */

import type { Check, CheckContext, Finding } from './checks/check.js';
import { CHECKS } from './checks/registry.js';
import type { WorkspaceIndex } from './index/workspaceIndex.js';
import type { ReachEngine } from './reachability/engine.js';
import type { AnalysisSettings } from './settings.js';
import type { SeveritySetting } from './types.js';

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

  run(index: WorkspaceIndex, settings: AnalysisSettings, text: (uri: string) => string | undefined, sources: Iterable<string>, reach: (namespaces: readonly string[], unit?: string) => ReachEngine): void {
    const enabled = CHECKS.filter((c) => {
      const level = configuredLevel(settings, c);
      return level !== 'off' && !(c.enabledByDefault === false && level === undefined);
    });
    let n = 0;
    for (const uri of sources) {
      const facts = index.files.get(uri);
      this.drop(uri);
      if (facts === undefined) continue;
      n++;
      const found: RawFinding[] = [];
      const objects = index.objectsOfFile(uri);
      let current: Check | undefined;
      const ctx: CheckContext = {
        index,
        settings,
        objects,
        files: [facts],
        text,
        reach: (namespaces, unit) => index.untracked(() => reach(namespaces, unit)),
        report: (finding) => {
          if (current !== undefined) found.push({ check: current, finding });
        },
      };
      index.startTracking();
      for (const check of enabled) {
        current = check;
        try {
          check.run(ctx);
        } catch {
          // Invariant: a check that trips on unexpected input loses its findings, never the pass.
        }
      }
      const keys = index.stopTracking();
      this.results.set(uri, found);
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
