/**
 * The warm-start cache's check results (docs/dev/warm-start.md, issue 19 point 3): what the check
 * runner found in each file (or each document of a big file) and the index keys its checks read,
 * so reopening an unchanged workspace publishes them without running a check. Pure: the host hands
 * them out (`AnalysisHost.checksForCache`) and takes them back (`useCachedChecks`).
 *
 * They are valid only for exactly the inputs they were found in: every file's text, the chart
 * support files, every setting and the analysis build. The caller keys them by all of those
 * (server/factsCache.ts `inputsKey`) and hands them back only when the key is the same; any change
 * (one file, one setting) and none is used. What comes back is untrusted: `restoreChecks` narrows
 * it, and finds every finding's object again in the new index (by file, position and kind); when
 * anything does not fit, nothing is restored and the checks run.
 */

import type { Check, Finding } from '../checks/support/check.js';
import type { WorkspaceIndex } from '../workspace/workspaceIndex.js';
import type { KObject } from '../model/types.js';
import { isRecord } from '../narrow.js';

export const CHECKS_CACHE_FORMAT = 1;

/** Which object a finding is about: its file, its place in the file's objects, its kind (and Kustomize root). */
interface ObjectRef {
  readonly uri: string;
  readonly ordinal: number;
  readonly kind: string;
  readonly root?: string;
}

type StoredFinding = Omit<Finding, 'object'> & { readonly object?: ObjectRef };

/**
 * A unit's dependency keys: the keys, or, restored from the cache and not yet indexed, their places
 * in the cache's table of keys (`refs`): a warm start makes no list of strings per unit for keys
 * that only an edit reads (`CheckRunner.prepare`).
 */
export type UnitDeps = readonly string[] | { readonly table: readonly string[]; readonly refs: readonly number[] };

/** The keys of `deps`. */
export function depKeys(deps: UnitDeps): readonly string[] {
  if (Array.isArray(deps)) return deps as readonly string[];
  const { table, refs } = deps as { readonly table: readonly string[]; readonly refs: readonly number[] };
  return refs.map((i) => table[i] as string);
}

/** One unit of the runner's work: a file (`document` -1) or one document of a big file (its place in the file). */
export interface CheckUnit {
  readonly uri: string;
  readonly document: number;
  readonly deps: UnitDeps;
  readonly found: ReadonlyArray<{ readonly check: Check; readonly finding: Finding }>;
}

interface StoredUnit {
  readonly uri: string;
  readonly document: number;
  /** Indexes into `CachedChecks.keys`. */
  readonly deps: readonly number[];
  readonly found: ReadonlyArray<{ readonly code: string; readonly finding: StoredFinding }>;
}

export interface CachedChecks {
  readonly format: number;
  /** Every dependency key once (units name them by index). */
  readonly keys: readonly string[];
  readonly units: readonly StoredUnit[];
}

/** The runner's units as the cache stores them. */
export function storeChecks(units: Iterable<CheckUnit>): CachedChecks {
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const stored: StoredUnit[] = [];
  for (const u of units) {
    const deps: number[] = [];
    for (const k of depKeys(u.deps)) {
      let i = keyIndex.get(k);
      if (i === undefined) {
        i = keys.length;
        keys.push(k);
        keyIndex.set(k, i);
      }
      deps.push(i);
    }
    const found = u.found.map(({ check, finding }) => {
      const { object, ...rest } = finding;
      const ref: ObjectRef | undefined =
        object === undefined
          ? undefined
          : {
              uri: object.uri,
              ordinal: object.ordinal,
              kind: object.kind,
              ...(object.build !== undefined ? { root: object.build.root } : {}),
            };
      return { code: check.code, finding: ref === undefined ? rest : { ...rest, object: ref } };
    });
    stored.push({ uri: u.uri, document: u.document, deps, found });
  }
  return { format: CHECKS_CACHE_FORMAT, keys, units: stored };
}

function isSpan(v: unknown): boolean {
  return isRecord(v) && typeof v['start'] === 'number' && typeof v['end'] === 'number';
}

/**
 * The runner's units from a cache value, their findings' objects found in `index`; undefined when
 * anything does not fit (another format, a shape that is not this, a check this build does not
 * have, an object the index does not hold).
 */
export function restoreChecks(value: unknown, index: WorkspaceIndex, checks: readonly Check[]): CheckUnit[] | undefined {
  if (!isRecord(value) || value['format'] !== CHECKS_CACHE_FORMAT || !Array.isArray(value['keys']) || !Array.isArray(value['units']))
    return undefined;
  const keys = value['keys'] as unknown[];
  if (!keys.every((k) => typeof k === 'string')) return undefined;
  const table = keys as readonly string[];
  const byCode = new Map(checks.map((c) => [c.code, c]));
  // The objects of each file by place (and Kustomize root), looked up once per file.
  const objectsOf = new Map<string, Map<string, KObject>>();
  const resolve = (ref: unknown): KObject | undefined => {
    if (!isRecord(ref) || typeof ref['uri'] !== 'string' || typeof ref['ordinal'] !== 'number' || typeof ref['kind'] !== 'string')
      return undefined;
    const uri = ref['uri'];
    let objects = objectsOf.get(uri);
    if (objects === undefined) {
      objects = new Map();
      for (const p of index.untracked(() => index.objectsOfFile(uri)))
        objects.set(`${p.obj.ordinal}\u0000${p.obj.build?.root ?? ''}`, p.obj);
      objectsOf.set(uri, objects);
    }
    const o = objects.get(`${ref['ordinal']}\u0000${typeof ref['root'] === 'string' ? ref['root'] : ''}`);
    return o !== undefined && o.kind === ref['kind'] ? o : undefined;
  };
  const out: CheckUnit[] = [];
  for (const u of value['units'] as unknown[]) {
    if (!isRecord(u) || typeof u['uri'] !== 'string' || typeof u['document'] !== 'number') return undefined;
    if (!Array.isArray(u['deps']) || !Array.isArray(u['found'])) return undefined;
    // Places in the table, checked here and kept as they are (`UnitDeps`).
    const refs = u['deps'] as unknown[];
    for (const i of refs) if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= table.length) return undefined;
    const deps: UnitDeps = { table, refs: refs as number[] };
    const found: Array<{ check: Check; finding: Finding }> = [];
    for (const f of u['found'] as unknown[]) {
      const check = isRecord(f) && typeof f['code'] === 'string' ? byCode.get(f['code']) : undefined;
      const finding = isRecord(f) ? f['finding'] : undefined;
      if (check === undefined || !isRecord(finding) || typeof finding['uri'] !== 'string' || !isSpan(finding['span'])) return undefined;
      if (typeof finding['message'] !== 'string') return undefined;
      if (finding['object'] === undefined) {
        found.push({ check, finding: finding as unknown as Finding });
        continue;
      }
      const object = resolve(finding['object']);
      if (object === undefined) return undefined;
      found.push({ check, finding: { ...(finding as unknown as Finding), object } });
    }
    out.push({ uri: u['uri'], document: u['document'], deps, found });
  }
  return out;
}
