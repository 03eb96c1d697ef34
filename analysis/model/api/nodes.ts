/** Tree helpers shared by the API rules: literal values, closed maps, spans to anchor findings on. */

import type { Span } from '../../types.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import { get, isMap, isScalar, isSeq, pair } from '../../syntax/tree.js';

/** A literal string (not a number: Kubernetes' decoder refuses those for string fields). */
export function str(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && typeof n.value === 'string' ? n.value : undefined;
}

export function int(n: YNode | undefined): number | undefined {
  return isScalar(n) && !n.unknown && typeof n.value === 'number' && Number.isInteger(n.value) ? n.value : undefined;
}

/** Absent, or a literal null. */
export function absent(n: YNode | undefined): boolean {
  return n === undefined || (isScalar(n) && !n.unknown && n.value === null);
}

/** Absent/null/"" — an unset string field. */
export function unsetString(n: YNode | undefined): boolean {
  return absent(n) || str(n) === '';
}

export function closed(n: YNode | undefined): n is YMap {
  return isMap(n) && !n.unknown;
}

/** A list that a template may add items to or hide items in: its items' fields are not related. */
export function isUnknownSeq(n: YNode | undefined): boolean {
  return isSeq(n) && n.unknown;
}

export function seqItems(n: YNode | undefined): readonly YNode[] {
  return isSeq(n) ? n.items : [];
}

/** The span to anchor "missing" findings in a map: the key of `key` if present, else the map's first key. */
export function anchorIn(map: YMap, key?: string): Span {
  const p = key === undefined ? undefined : pair(map, key);
  if (p !== undefined) return p.keySpan;
  const first = map.pairs[0];
  return first !== undefined ? first.keySpan : { start: map.span.start, end: Math.min(map.span.end, map.span.start + 1) };
}

export function keySpan(map: YNode | undefined, key: string, fallback: Span): Span {
  return pair(map, key)?.keySpan ?? fallback;
}

export function mapValue(map: YNode | undefined, key: string): YMap | undefined {
  const v = get(map, key);
  return isMap(v) ? v : undefined;
}
