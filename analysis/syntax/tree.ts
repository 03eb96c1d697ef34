/**
 * A compact, source-mapped view of one YAML document: maps, sequences and scalars with spans and
 * an `unknown` flag for templated or structurally unknown values. Aliases are shared, not copied,
 * so an alias bomb costs nothing here; walkers that visit every node must carry a budget.
 */

import type { Span } from '../types.js';

export type ScalarValue = string | number | boolean | null;

export interface YScalar {
  readonly kind: 'scalar';
  readonly span: Span;
  readonly value: ScalarValue;
  /** The value is (partly) a template or placeholder, or the node could not be read. */
  unknown: boolean;
  /** True for quoted or block scalars, whose value is always a string. */
  readonly quoted: boolean;
}

export interface YPair {
  readonly key: string;
  readonly keySpan: Span;
  readonly value: YNode | undefined;
  /** The key is templated: the whole map is then structurally unknown. */
  readonly keyUnknown: boolean;
}

export interface YMap {
  readonly kind: 'map';
  readonly span: Span;
  readonly pairs: YPair[];
  /** Keys may be added by a template (an include, or control flow inside the map). */
  unknown: boolean;
  readonly flow: boolean;
}

export interface YSeq {
  readonly kind: 'seq';
  readonly span: Span;
  readonly items: YNode[];
  unknown: boolean;
  readonly flow: boolean;
}

export type YNode = YMap | YSeq | YScalar;

export function isMap(n: YNode | undefined): n is YMap {
  return n !== undefined && n.kind === 'map';
}

export function isSeq(n: YNode | undefined): n is YSeq {
  return n !== undefined && n.kind === 'seq';
}

export function isScalar(n: YNode | undefined): n is YScalar {
  return n !== undefined && n.kind === 'scalar';
}

/** The pair with `key` in a map (the last one wins, as in YAML loaders that allow duplicates). */
export function pair(map: YNode | undefined, key: string): YPair | undefined {
  if (!isMap(map)) return undefined;
  let found: YPair | undefined;
  for (const p of map.pairs) if (p.key === key) found = p;
  return found;
}

export function get(map: YNode | undefined, key: string): YNode | undefined {
  return pair(map, key)?.value;
}

/** Follows a path of keys through nested maps. */
export function getPath(node: YNode | undefined, ...keys: string[]): YNode | undefined {
  let cur = node;
  for (const k of keys) cur = get(cur, k);
  return cur;
}

/** A known string value (numbers and booleans are rendered as YAML would print them). */
export function str(n: YNode | undefined): string | undefined {
  if (!isScalar(n) || n.unknown || n.value === null) return undefined;
  return String(n.value);
}
