/**
 * Bounded Levenshtein distance, shared by the checks' near-miss tests (checks/support/similarity.ts)
 * and the API rules' kind typos (model/apiDeprecated.ts).
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
