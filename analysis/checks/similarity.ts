/**
 * "Is this a near-miss?" (checks-spec §1.3): small, explainable string similarity.
 */

/** Levenshtein distance, bounded: returns limit + 1 as soon as the distance exceeds `limit`. */
export function editDistance(a: string, b: string, limit = 8): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length] ?? limit + 1;
}

function normalise(s: string): string {
  return s.toLowerCase().replace(/[-_.]/g, '');
}

/** A label value that differs only by case, separators, a plural `s`, or ≤ 2 edits (≥ 4 chars). */
export function isNearMissValue(want: string, have: string): boolean {
  if (want === have) return false;
  const a = normalise(want);
  const b = normalise(have);
  if (a === b || a + 's' === b || b + 's' === a) return true;
  return Math.min(want.length, have.length) >= 4 && editDistance(want, have, 2) <= 2;
}

/** A name within edit distance max(2, ⌊len/3⌋) (design §3.3), or equal but for case/separators. */
export function isNearMissName(want: string, have: string): boolean {
  if (want === have) return false;
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
  return [...new Set(names)]
    .map((n) => ({ n, d: normalise(n) === normalise(want) ? 0 : editDistance(want, n, 64) }))
    .sort((x, y) => x.d - y.d || (x.n < y.n ? -1 : x.n > y.n ? 1 : 0))
    .slice(0, max)
    .map((x) => x.n);
}
