/**
 * "Did you mean" over many names at once (issue #17): the answers of `nearestNames` in
 * `similarity.ts`, exactly, without measuring every name against every missing one. A namespace
 * of a thousand Services and a thousand missing backends took a million edit distances; an index
 * built once per namespace answers each name from hash lookups (the same name but for case and
 * separators, the same Service stem) and a scan that rejects a name on two lower bounds of the
 * edit distance before computing it: the length difference, and the characters one name has more
 * of than the other (a multiset bound, computed over the candidate's distinct characters only).
 */

import type { CheckContext } from './check.js';
import type { KObject } from '../../model/types.js';
import { editDistance, isNearMissName, MAX_COMPARED_LENGTH, nearestNames, normalise, sameServiceStem, serviceStem } from './similarity.js';

/** The character classes of the multiset bound: merging characters only weakens a lower bound. */
const BUCKETS = 64;

function bucket(code: number): number {
  if (code >= 97 && code <= 122) return code - 97;
  if (code >= 48 && code <= 57) return 26 + code - 48;
  if (code === 45) return 36;
  if (code === 46) return 37;
  if (code >= 65 && code <= 90) return 38 + ((code - 65) % 13);
  return 51 + (code % 13);
}

interface Entry {
  readonly name: string;
  readonly norm: string;
  /** Distinct buckets of the name and their counts, side by side. */
  readonly buckets: Uint8Array;
  readonly counts: Uint16Array;
}

function entryOf(name: string): Entry {
  const hist = new Uint16Array(BUCKETS);
  countInto(hist, name);
  const present: number[] = [];
  for (let b = 0; b < BUCKETS; b++) if ((hist[b] ?? 0) > 0) present.push(b);
  return {
    name,
    norm: normalise(name),
    buckets: Uint8Array.from(present),
    counts: Uint16Array.from(present.map((b) => hist[b] ?? 0)),
  };
}

/** The histogram of `want`, to bound distances from it. */
function histogram(want: string): Uint16Array {
  const hist = new Uint16Array(BUCKETS);
  countInto(hist, want);
  return hist;
}

function countInto(hist: Uint16Array, s: string): void {
  for (let i = 0; i < s.length; i++) {
    const b = bucket(s.charCodeAt(i));
    hist[b] = (hist[b] ?? 0) + 1;
  }
}

/**
 * A lower bound of the edit distance: an edit adds at most one character and removes at most one,
 * so it takes at least as many edits as the characters one side has in excess.
 */
function multisetBound(e: Entry, wantHist: Uint16Array, wantLength: number): number {
  let excess = 0;
  for (let i = 0; i < e.buckets.length; i++) {
    const d = (e.counts[i] ?? 0) - (wantHist[e.buckets[i] ?? 0] ?? 0);
    if (d > 0) excess += d;
  }
  // Σ(want − e)⁺ = Σ(e − want)⁺ + |want| − |e|.
  return Math.max(excess, excess + wantLength - e.name.length);
}

/**
 * The Levenshtein distance of `t` from the pattern whose character masks are `peq` (Myers' bit-vector
 * algorithm, Hyyrö's formulation): one pass over `t` with a few word operations per character,
 * for patterns of at most 32 characters. Exact, like `editDistance` with no limit.
 */
function bitDistance(peq: ReadonlyMap<number, number>, m: number, t: string): number {
  let pv = -1;
  let mv = 0;
  let score = m;
  const last = 1 << (m - 1);
  for (let i = 0; i < t.length; i++) {
    const eq = peq.get(t.charCodeAt(i)) ?? 0;
    const xv = eq | mv;
    const xh = (((eq & pv) + pv) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    if ((ph & last) !== 0) score++;
    else if ((mh & last) !== 0) score--;
    ph = (ph << 1) | 1;
    mh = mh << 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return score;
}

/** The character masks of a pattern for `bitDistance`; undefined past 32 characters. */
function patternMasks(p: string): ReadonlyMap<number, number> | undefined {
  if (p.length === 0 || p.length > 32) return undefined;
  const peq = new Map<number, number>();
  for (let i = 0; i < p.length; i++) peq.set(p.charCodeAt(i), (peq.get(p.charCodeAt(i)) ?? 0) | (1 << i));
  return peq;
}

/** `editDistance(want, name, limit)`: the distance, or limit + 1 past it. */
function distance(peq: ReadonlyMap<number, number> | undefined, want: string, name: string, limit: number): number {
  if (peq === undefined) return editDistance(want, name, limit);
  return Math.min(bitDistance(peq, want.length, name), limit + 1);
}

interface Scored {
  readonly n: string;
  readonly d: number;
}

function before(x: Scored, y: Scored): boolean {
  return x.d < y.d || (x.d === y.d && x.n < y.n);
}

/** Names of one scope (a namespace's Services), indexed for "did you mean". */
export class NameIndex {
  /** Distinct names of at most MAX_COMPARED_LENGTH characters, by length. */
  private readonly byLength = new Map<number, Entry[]>();
  private readonly lengths: number[];
  private readonly byNorm = new Map<string, string[]>();
  private readonly byStem = new Map<string, string[]>();
  /** Every distinct name, long ones included (a Service stem matches them). */
  readonly names: readonly string[];

  constructor(names: Iterable<string>) {
    const distinct = [...new Set(names)];
    this.names = distinct;
    for (const name of distinct) {
      const stem = serviceStem(name);
      const s = this.byStem.get(stem);
      if (s === undefined) this.byStem.set(stem, [name]);
      else s.push(name);
      if (name.length > MAX_COMPARED_LENGTH) continue;
      const e = entryOf(name);
      const l = this.byLength.get(name.length);
      if (l === undefined) this.byLength.set(name.length, [e]);
      else l.push(e);
      const m = this.byNorm.get(e.norm);
      if (m === undefined) this.byNorm.set(e.norm, [name]);
      else m.push(name);
    }
    this.lengths = [...this.byLength.keys()].sort((a, b) => a - b);
  }

  /**
   * `nearestNames(want, names that are near-misses of want or share its Service stem, max)`: the
   * "did you mean" of the absence checks.
   */
  near(want: string, max: number): readonly string[] {
    return this.remember(`near\u0000${max}\u0000${want}`, () => this.computeNear(want, max));
  }

  /** `nearestNames(want, this.names, max)`: the names closest to `want`, best first. */
  nearest(want: string, max: number): readonly string[] {
    return this.remember(`nearest\u0000${max}\u0000${want}`, () => this.computeNearest(want, max));
  }

  /** Answers by question: routes that name one missing Service ask once. */
  private readonly answers = new Map<string, readonly string[]>();

  private remember(key: string, compute: () => readonly string[]): readonly string[] {
    let a = this.answers.get(key);
    if (a === undefined) this.answers.set(key, (a = compute()));
    return a;
  }

  private computeNear(want: string, max: number): string[] {
    if (want.length > MAX_COMPARED_LENGTH) return [];
    const found = new Set<string>();
    for (const n of this.byNorm.get(normalise(want)) ?? []) if (n !== want) found.add(n);
    for (const n of this.byStem.get(serviceStem(want)) ?? []) if (sameServiceStem(want, n)) found.add(n);
    const limit = Math.max(2, Math.floor(want.length / 3));
    const hist = histogram(want);
    const peq = patternMasks(want);
    for (const len of this.lengths) {
      if (Math.abs(len - want.length) > limit) continue;
      for (const e of this.byLength.get(len) ?? []) {
        if (found.has(e.name) || e.name === want || multisetBound(e, hist, want.length) > limit) continue;
        if (distance(peq, want, e.name, limit) <= limit) found.add(e.name);
      }
    }
    return nearestNames(want, [...found], max);
  }

  private computeNearest(want: string, max: number): string[] {
    if (want.length > MAX_COMPARED_LENGTH || max <= 0) return [];
    const best: Scored[] = [];
    const offer = (s: Scored): void => {
      if (best.length === max && !before(s, best[max - 1] as Scored)) return;
      let i = best.length;
      while (i > 0 && before(s, best[i - 1] as Scored)) i--;
      best.splice(i, 0, s);
      if (best.length > max) best.pop();
    };
    const wantNorm = normalise(want);
    for (const n of this.byNorm.get(wantNorm) ?? []) offer({ n, d: 0 });
    const hist = histogram(want);
    const peq = patternMasks(want);
    // Lengths nearest first: once the list is full, a length further than its worst distance
    // holds no name that beats or ties it.
    const order = [...this.lengths].sort((a, b) => Math.abs(a - want.length) - Math.abs(b - want.length) || a - b);
    for (const len of order) {
      const gap = Math.abs(len - want.length);
      const worst = (): number => (best.length === max ? (best[max - 1] as Scored).d : 65);
      if (best.length === max && gap > worst()) break;
      for (const e of this.byLength.get(len) ?? []) {
        if (e.norm === wantNorm) continue;
        const w = worst();
        const bound = Math.min(65, Math.max(gap, multisetBound(e, hist, want.length)));
        // Full: a name that cannot score below the worst, nor tie it with a name before it, is out.
        if (best.length === max && (bound > w || (bound === w && e.name > (best[max - 1] as Scored).n))) continue;
        // Past 64 edits every name scores 65 (`nearestNames`' limit): no distance to compute.
        // Past the worst distance, `editDistance` stops at limit + 1: more than the worst, so rejected.
        offer({ n: e.name, d: bound > 64 ? 65 : distance(peq, want, e.name, Math.min(64, w)) });
      }
    }
    return best.map((s) => s.n);
  }
}

/** The reference answers `NameIndex` must equal (for tests). */
export function nearReference(want: string, names: readonly string[], max: number): string[] {
  return nearestNames(
    want,
    names.filter((n) => isNearMissName(want, n) || sameServiceStem(want, n)),
    max,
  );
}

/** The Services of a scope by name, for "did you mean" and the near-miss object of a finding. */
export interface ServiceNames {
  readonly names: NameIndex;
  /** The first Service of each name, in index order. */
  readonly first: ReadonlyMap<string, KObject>;
  readonly count: number;
}

/**
 * The Services bound to `ns` (core Services), or of `unit` when `ns` is undefined (every object
 * with Service facts), indexed once per index and scope.
 */
export function serviceNamesAt(ctx: CheckContext, ns: string | undefined, unit: string): ServiceNames {
  return ctx.index.cached(ns !== undefined ? `svc-names:${ns}` : `unit-svc-names:${unit}`, () => {
    const list = ns !== undefined ? ctx.index.servicesIn(ns) : ctx.index.servicesOfUnit(unit);
    const first = new Map<string, KObject>();
    for (const p of list)
      if (p.obj.name?.known === true && p.obj.name.value !== '' && !first.has(p.obj.name.value)) first.set(p.obj.name.value, p.obj);
    return { names: nameIndexOf([...first.keys()]), first, count: list.length };
  });
}

/**
 * Name indexes by their names, shared by the indexes an edit derives (docs/dev/design.md §9, T5):
 * an edit that does not add, remove or rename a Service of a namespace finds that namespace's index
 * (and its remembered answers, which depend only on the names) here instead of building it again.
 * A `NameIndex` is a pure function of its names, so sharing one changes no answer.
 */
const byNames = new Map<string, NameIndex>();
const KEPT_NAME_INDEXES = 256;

function nameIndexOf(names: readonly string[]): NameIndex {
  let key = '';
  for (const n of names) key += `${n.length}:${n}`;
  const hit = byNames.get(key);
  if (hit !== undefined) {
    // Most recently used last.
    byNames.delete(key);
    byNames.set(key, hit);
    return hit;
  }
  const made = new NameIndex(names);
  byNames.set(key, made);
  if (byNames.size > KEPT_NAME_INDEXES) {
    const oldest = byNames.keys().next();
    if (oldest.done !== true) byNames.delete(oldest.value);
  }
  return made;
}
