/**
 * "Is this a near-miss?" (docs/dev/checks-spec.md §1.3): small, explainable string similarity.
 */

/**
 * Texts longer than this are never near-misses: Kubernetes names are at most 253 characters and
 * label values 63, and the edit distance of two long texts would cost their product in time (two
 * 20,000-character label values took 22 s before this cap).
 */
export const MAX_COMPARED_LENGTH = 256;

/**
 * Levenshtein distance, bounded: returns limit + 1 as soon as the distance exceeds `limit`. Only
 * the band of width 2·limit + 1 around the diagonal is computed: O(length · limit) time.
 */
/** The two rows `editDistance` works in, kept between calls (a missing selector's value is compared with thousands of candidates' values). */
let rows: [Uint32Array, Uint32Array] = [new Uint32Array(MAX_COMPARED_LENGTH + 2), new Uint32Array(MAX_COMPARED_LENGTH + 2)];

export function editDistance(a: string, b: string, limit = 8): number {
  const over = limit + 1;
  if (Math.abs(a.length - b.length) > limit) return over;
  const n = a.length;
  const m = b.length;
  if (rows[0].length < m + 1) rows = [new Uint32Array(m + 1), new Uint32Array(m + 1)];
  // Every cell read is written first (the band's edges are set to "too far"): the rows are reused.
  let [prev, cur] = rows;
  for (let j = 0; j <= m; j++) prev[j] = j <= limit ? j : over;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - limit);
    const hi = Math.min(m, i + limit);
    cur[lo - 1] = lo === 1 ? Math.min(i, over) : over;
    let rowMin = cur[lo - 1] ?? over;
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] ?? over) + 1, (cur[j - 1] ?? over) + 1, (prev[j - 1] ?? over) + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // The cell right of the band is read by the next row: outside the band means "too far".
    if (hi < m) cur[hi + 1] = over;
    if (rowMin > limit) return over;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m] ?? over, over);
}

/** Lower case without separators: `My_API.v1` and `myapiv1` are one name. */
export function normalise(s: string): string {
  return s.toLowerCase().replace(/[-_.]/g, '');
}

/** A label value that differs only by case, separators, a plural `s`, or ≤ 2 edits (≥ 4 chars). */
/** The last `want` normalised: a selector's value is compared with every candidate's in turn. */
let lastWant = '';
let lastWantNormal = '';

export function isNearMissValue(want: string, have: string): boolean {
  if (want === have || want.length > MAX_COMPARED_LENGTH || have.length > MAX_COMPARED_LENGTH) return false;
  if (want !== lastWant) {
    lastWant = want;
    lastWantNormal = normalise(want);
  }
  const a = lastWantNormal;
  const b = normalise(have);
  if (a === b || a + 's' === b || b + 's' === a) return true;
  return Math.min(want.length, have.length) >= 4 && editDistance(want, have, 2) <= 2;
}

/** A name within edit distance max(2, ⌊len/3⌋) (docs/dev/design.md §3.3), or equal but for case/separators. */
export function isNearMissName(want: string, have: string): boolean {
  if (want === have || want.length > MAX_COMPARED_LENGTH || have.length > MAX_COMPARED_LENGTH) return false;
  if (normalise(want) === normalise(have)) return true;
  const limit = Math.max(2, Math.floor(want.length / 3));
  return editDistance(want, have, limit) <= limit;
}

/** Keys that differ only by a prefix: `app` vs `app.kubernetes.io/name`. */
export function isKeyPrefixVariant(a: string, b: string): boolean {
  if (a === b) return false;
  const base = (k: string): string => {
    const slash = k.lastIndexOf('/');
    const name = slash === -1 ? k : k.slice(slash + 1);
    const prefix = slash === -1 ? '' : k.slice(0, slash);
    return name === 'name' && prefix.startsWith('app') ? 'app' : name;
  };
  return base(a) === base(b) || a.endsWith('/' + b) || b.endsWith('/' + a);
}

/** The candidates closest to `want` (for "did you mean"), best first. */
export function nearestNames(want: string, names: readonly string[], max = 5): string[] {
  if (want.length > MAX_COMPARED_LENGTH) return [];
  return [...new Set(names)]
    .filter((n) => n.length <= MAX_COMPARED_LENGTH)
    .map((n) => ({ n, d: normalise(n) === normalise(want) ? 0 : editDistance(want, n, 64) }))
    .sort((x, y) => x.d - y.d || (x.n < y.n ? -1 : x.n > y.n ? 1 : 0))
    .slice(0, max)
    .map((x) => x.n);
}

/** Suffixes that name a Service without changing what it is: `api-svc` and `api-service` are one name. */
const SERVICE_SUFFIXES = /-(svc|service|srv)$/;

/** The same name up to a Service suffix (`api-svc` and `api-service`, `api` and `api-svc`). */
export function sameServiceStem(want: string, have: string): boolean {
  return want !== have && serviceStem(want) === serviceStem(have);
}

/** A Service name without its Service suffix. */
export function serviceStem(name: string): string {
  return name.replace(SERVICE_SUFFIXES, '');
}
