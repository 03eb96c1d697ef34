/**
 * The reachability engines a host keeps from snapshot to snapshot (host.ts), so the next
 * snapshot's engines start from them instead of gathering the workspace afresh: the last workspace
 * engine per unit, and the namespace-scoped engines of the last two snapshots whose checks ran.
 * Pure: no clock, no file system, no editor types.
 */

import type { ReachEngine } from './reachability/engine.js';
import type { EngineChain } from './snapshot.js';

export class EngineMemory {
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
  readonly chain: EngineChain = {
    previous: (key) => this.lastEngines.get(key),
    built: (key, engine) => {
      this.lastEngines.set(key, engine);
    },
  };

  /** The last workspace engine per unit (a variant's engines start from them). */
  get workspaceEngines(): ReadonlyMap<string, ReachEngine> {
    return this.lastEngines;
  }

  /** The scoped engines a new snapshot's start from. */
  get scoped(): ReadonlyMap<string, ReachEngine> | undefined {
    return this.lastScoped;
  }

  /** Forgets every engine (new settings). */
  clear(): void {
    this.lastEngines.clear();
    this.lastScoped = undefined;
    this.carried = new Set();
  }

  /** A snapshot's checks ran and built `scoped`: they are the newest generation. */
  checked(scoped: ReadonlyMap<string, ReachEngine>): void {
    const carried = new Map<string, ReachEngine>();
    // The engines of the snapshot before, unless this one built them again (those it built are
    // newer): kept one more generation only, so none is carried twice.
    for (const [k, e] of this.lastScoped ?? []) if (!scoped.has(k) && !this.carried.has(k)) carried.set(k, e);
    this.carried = new Set(carried.keys());
    for (const [k, e] of scoped) carried.set(k, e);
    this.lastScoped = carried;
  }
}
