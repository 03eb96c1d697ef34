/**
 * A packed panel model (protocol/packedModel.ts) posted as the change from the one before (issue
 * #16: an edit to one policy changes a few connections of thousands). The host keeps the packed
 * model it last posted to a webview (client/panel/wire.ts `ModelWire`) and posts the next one as a
 * `PackedDelta` against it: each field equal to the base's left out, each list as runs copied from
 * the base's list and the entries that are new. The webview keeps the packed model it last read
 * and rebuilds the new one with `applyDelta`, then reads it with webview/unpack.ts as it reads a
 * whole one (every index checked there). Pure and shared by both sides.
 *
 * The delta is untrusted in the webview: `applyDelta` checks every run against its base list and
 * gives undefined for anything malformed, or for a delta whose base is not the model it has (the
 * webview then asks for everything again).
 */

import { isRecord } from './narrow.js';
import { PACKED_MODEL_VERSION, type PackedModel } from './packedModel.js';

/**
 * A list as runs: flat triples `[baseStart, copied, added]`: `copied` entries of the base list
 * from `baseStart`, then the next `added` entries of `added`. Entries of a flat list (the
 * connections, the layout's boxes) are taken `width` numbers at a time (`FLAT_WIDTH`).
 */
export interface ListDelta {
  readonly runs: readonly number[];
  readonly added: readonly unknown[];
}

/** An object's change: fields replaced whole, lists patched, objects patched field by field. */
export interface ObjectDelta {
  readonly set?: Readonly<Record<string, unknown>>;
  readonly lists?: Readonly<Record<string, ListDelta>>;
  readonly objects?: Readonly<Record<string, ObjectDelta>>;
}

/** The model posted as its change from model revision `base` (the last one posted to that webview). */
export interface PackedDelta extends ObjectDelta {
  readonly packed: typeof PACKED_MODEL_VERSION;
  readonly base: number;
  readonly revision: number;
}

/** Flat lists, by path: how many numbers one entry takes (protocol/packedModel.ts). */
const FLAT_WIDTH: Readonly<Record<string, number>> = { edges: 5, 'layout.groups': 5, 'layout.boxes': 5 };

/** The fields that are never patched (the delta carries them itself). */
const OWN = new Set(['packed', 'base', 'revision']);

/** Are two entries the same (numbers, strings, null, or arrays of them, nested)? */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (!same(a[k], b[k])) return false;
  return true;
}

/** How far ahead in the base list an entry is looked for (entries the edit removed are skipped). */
const WINDOW = 64;

/**
 * `next` as runs over `base` (entries of `width` values); undefined when it shares nothing with
 * it. Both lists in step: an entry of `next` equal to the base's next one, or to one of the
 * `WINDOW` after it (those before it removed), is copied; any other is added. A list reordered
 * more than that comes out larger, never wrong.
 */
function diffList(base: readonly unknown[], next: readonly unknown[], width: number): ListDelta | undefined {
  const baseCount = Math.floor(base.length / width);
  const nextCount = Math.floor(next.length / width);
  const equal = (i: number, j: number): boolean => {
    for (let k = 0; k < width; k++) if (!same(next[i * width + k], base[j * width + k])) return false;
    return true;
  };
  const runs: number[] = [];
  const added: unknown[] = [];
  let start = -1;
  let copied = 0;
  let adds = 0;
  let shared = 0;
  let j = 0;
  const close = (): void => {
    if (copied > 0 || adds > 0) runs.push(start < 0 ? 0 : start, copied, adds);
    start = -1;
    copied = 0;
    adds = 0;
  };
  for (let i = 0; i < nextCount; i++) {
    let at = -1;
    for (let d = 0; d < WINDOW && j + d < baseCount; d++)
      if (equal(i, j + d)) {
        at = j + d;
        break;
      }
    if (at >= 0) {
      if (adds === 0 && start >= 0 && start + copied === at) copied++;
      else {
        close();
        start = at;
        copied = 1;
      }
      shared++;
      j = at + 1;
      continue;
    }
    for (let k = 0; k < width; k++) added.push(next[i * width + k]);
    adds++;
  }
  close();
  return shared === 0 && nextCount > 0 ? undefined : { runs, added };
}

/** Is the list delta `d` the base list itself (`length` entries, `width` values each)? */
function sameList(d: ListDelta, baseLength: number, length: number, width: number): boolean {
  if (d.added.length > 0 || baseLength !== length) return false;
  return d.runs.length === 0 ? length === 0 : d.runs.length === 3 && d.runs[0] === 0 && d.runs[1] === length / width;
}

function diffObject(base: Readonly<Record<string, unknown>>, next: Readonly<Record<string, unknown>>, path: string): ObjectDelta {
  const set: Record<string, unknown> = {};
  const lists: Record<string, ListDelta> = {};
  const objects: Record<string, ObjectDelta> = {};
  for (const [k, v] of Object.entries(next)) {
    if (path === '' && OWN.has(k)) continue;
    const b = base[k];
    const p = path === '' ? k : `${path}.${k}`;
    if (Array.isArray(v) && Array.isArray(b)) {
      const d = diffList(b as unknown[], v as unknown[], FLAT_WIDTH[p] ?? 1);
      if (d === undefined) set[k] = v;
      else if (!sameList(d, b.length, v.length, FLAT_WIDTH[p] ?? 1)) lists[k] = d;
    } else if (isRecord(v) && isRecord(b) && !Array.isArray(v) && !Array.isArray(b)) {
      const d = diffObject(b, v, p);
      if (d.set !== undefined || d.lists !== undefined || d.objects !== undefined) objects[k] = d;
    } else if (!same(v, b)) set[k] = v;
  }
  // A field the new object lacks (an optional one): set to undefined, which JSON drops; mark it.
  for (const k of Object.keys(base)) if (!(k in next) && !(path === '' && OWN.has(k))) set[k] = null;
  return {
    ...(Object.keys(set).length > 0 ? { set } : {}),
    ...(Object.keys(lists).length > 0 ? { lists } : {}),
    ...(Object.keys(objects).length > 0 ? { objects } : {}),
  };
}

/** The model `next` as its change from `base` (both as packModel made them). */
export function diffPacked(base: PackedModel, next: PackedModel): PackedDelta {
  return {
    packed: PACKED_MODEL_VERSION,
    base: base.revision,
    revision: next.revision,
    ...diffObject(base as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>, ''),
  };
}

/** How many entries a delta adds (what it costs to post, against the whole model's entries). */
export function deltaSize(d: ObjectDelta): number {
  let n = 0;
  for (const v of Object.values(d.set ?? {})) n += Array.isArray(v) ? v.length : 1;
  for (const l of Object.values(d.lists ?? {})) {
    n += l.runs.length;
    for (const a of l.added) n += Array.isArray(a) ? a.length : 1;
  }
  for (const o of Object.values(d.objects ?? {})) n += deltaSize(o);
  return n;
}

/** Is `v` a delta (and not a whole packed model)? */
export function isDelta(v: unknown): boolean {
  return isRecord(v) && v['packed'] === PACKED_MODEL_VERSION && 'base' in v;
}

const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function applyList(base: readonly unknown[], d: unknown, width: number): unknown[] | undefined {
  if (!isRecord(d) || !Array.isArray(d['runs']) || !Array.isArray(d['added'])) return undefined;
  const runs = d['runs'] as unknown[];
  const added = d['added'] as unknown[];
  if (runs.length % 3 !== 0) return undefined;
  const out: unknown[] = [];
  let next = 0;
  for (let i = 0; i < runs.length; i += 3) {
    const start = runs[i];
    const copied = runs[i + 1];
    const adds = runs[i + 2];
    if (!isNat(start) || !isNat(copied) || !isNat(adds)) return undefined;
    if ((start + copied) * width > base.length || next + adds * width > added.length) return undefined;
    for (let j = start * width; j < (start + copied) * width; j++) out.push(base[j]);
    for (let j = 0; j < adds * width; j++) out.push(added[next++]);
  }
  return next === added.length ? out : undefined;
}

function applyObject(
  base: Readonly<Record<string, unknown>>,
  d: Readonly<Record<string, unknown>>,
  path: string,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = { ...base };
  const { set, lists, objects } = d;
  if (set !== undefined) {
    if (!isRecord(set)) return undefined;
    for (const [k, v] of Object.entries(set)) {
      if (path === '' && OWN.has(k)) return undefined;
      if (v === null && !(k in base)) return undefined;
      // null for a field the new object lacks, unless the field itself may be null (overview, layout).
      if (v === null && path !== '') Reflect.deleteProperty(out, k);
      else out[k] = v;
    }
  }
  if (lists !== undefined) {
    if (!isRecord(lists)) return undefined;
    for (const [k, l] of Object.entries(lists)) {
      const b = base[k];
      if (!Array.isArray(b)) return undefined;
      const p = path === '' ? k : `${path}.${k}`;
      const list = applyList(b as unknown[], l, FLAT_WIDTH[p] ?? 1);
      if (list === undefined) return undefined;
      out[k] = list;
    }
  }
  if (objects !== undefined) {
    if (!isRecord(objects)) return undefined;
    for (const [k, o] of Object.entries(objects)) {
      const b = base[k];
      if (!isRecord(b) || Array.isArray(b) || !isRecord(o)) return undefined;
      const obj = applyObject(b, o, path === '' ? k : `${path}.${k}`);
      if (obj === undefined) return undefined;
      out[k] = obj;
    }
  }
  return out;
}

/**
 * The packed model a delta makes of `base` (the packed model the webview last read), or undefined
 * when the delta is malformed or is not a change from `base`. The result is checked as any packed
 * model is (webview/unpack.ts).
 */
export function applyDelta(base: unknown, delta: unknown): Record<string, unknown> | undefined {
  if (!isRecord(base) || !isRecord(delta) || delta['packed'] !== PACKED_MODEL_VERSION || base['packed'] !== PACKED_MODEL_VERSION)
    return undefined;
  if (!isNat(delta['base']) || delta['base'] !== base['revision'] || !isNat(delta['revision'])) return undefined;
  const out = applyObject(base, delta, '');
  if (out === undefined) return undefined;
  out['revision'] = delta['revision'];
  return out;
}
