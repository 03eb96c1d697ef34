/**
 * "Is this a near-miss?" (docs/dev/checks-spec.md §1.3): small, explainable string similarity.
 */

import { editDistance, MAX_COMPARED_LENGTH } from '../../text/editDistance.js';

export { editDistance, MAX_COMPARED_LENGTH };

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

/**
 * The most a candidate with labels `have` can score against selector pairs `pairs` (`nearestProducer`):
 * one per equal value, a half per other value (a near-miss), none for a missing key.
 */
export function scoreBound(
  pairs: ReadonlyArray<{ readonly key: string; readonly value: { readonly known: boolean; readonly value?: string } }>,
  have: ReadonlyMap<string, string>,
): number {
  let bound = 0;
  for (const e of pairs) {
    const v = have.get(e.key);
    if (v !== undefined) bound += e.value.known && v === e.value.value ? 1 : 0.5;
  }
  return bound;
}
