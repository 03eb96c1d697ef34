/**
 * The last few derivations that led to an index (`WorkspaceIndex.derive`): for each, the parent
 * index's generation, the files it changed and the dependency keys it touched. Caches that outlive
 * one index read it: `changedSince` (checks/support/evidenceMemo.ts) and `touchedSince`
 * (`Reads.carriedFor`: a value whose recorded keys no derivation since touched is still true).
 */

/** How many derivations an index remembers. */
const LINEAGE = 8;

interface Step {
  readonly parent: number;
  readonly changed: ReadonlySet<string>;
  /** The keys the derivation touched; undefined until `derive` has them all. */
  keys: ReadonlySet<string> | undefined;
}

export class Lineage {
  /** `touchedSince` answers, by older generation (an index's lineage does not change once its keys are set). */
  private readonly touched = new Map<number, ReadonlySet<string> | undefined>();

  private constructor(
    private readonly steps: readonly Step[],
    private readonly generation: number,
  ) {}

  /** An index built from scratch. */
  static root(generation: number): Lineage {
    return new Lineage([], generation);
  }

  /** The lineage of the index `generation` derived from the one of `prev` by changing `changed`. */
  static derived(prev: Lineage, generation: number, changed: ReadonlySet<string>): Lineage {
    return new Lineage(
      [...prev.steps.slice(1 - LINEAGE), { parent: prev.generation, changed: new Set(changed), keys: undefined }],
      generation,
    );
  }

  /** Records the keys the last derivation touched (`WorkspaceIndex.derive`, once its keys are complete). */
  setKeys(keys: ReadonlySet<string>): void {
    const last = this.steps[this.steps.length - 1];
    if (last !== undefined) last.keys = keys;
    this.touched.clear();
  }

  /** The files changed since the index `older`, when it is one of the last few ancestors (or this index); else undefined. */
  changedSince(older: number): ReadonlySet<string> | undefined {
    if (older === this.generation) return new Set();
    const out = new Set<string>();
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const step = this.steps[i];
      if (step === undefined) break;
      for (const uri of step.changed) out.add(uri);
      if (step.parent === older) return out;
    }
    return undefined;
  }

  /** The dependency keys touched since the index `older`, as `changedSince`; undefined also when a step's keys are not known. */
  touchedSince(older: number): ReadonlySet<string> | undefined {
    if (older === this.generation) return new Set();
    if (this.touched.has(older)) return this.touched.get(older);
    let out: Set<string> | undefined = new Set<string>();
    let found = false;
    for (let i = this.steps.length - 1; i >= 0 && out !== undefined; i--) {
      const step = this.steps[i];
      if (step?.keys === undefined) out = undefined;
      else {
        for (const k of step.keys) out.add(k);
        if (step.parent === older) {
          found = true;
          break;
        }
      }
    }
    const answer = found ? out : undefined;
    this.touched.set(older, answer);
    return answer;
  }
}
