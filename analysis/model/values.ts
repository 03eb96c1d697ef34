/**
 * Reading typed values out of the syntax tree: literal or unknown, with spans.
 */

import type { Span } from '../types.js';
import type { YNode } from '../syntax/tree.js';
import { get, isMap, isScalar, isSeq } from '../syntax/tree.js';
import type { LabelEntry, LabelMap, Selector, SelectorOperator, SelectorRequirement, Value } from './types.js';

export function unknownValue<T>(span: Span): Value<T> {
  return { known: false, span };
}

/** A string value; numbers and booleans are rendered as text. */
export function stringValue(n: YNode | undefined): Value<string> | undefined {
  if (n === undefined) return undefined;
  if (!isScalar(n)) return n.unknown ? unknownValue(n.span) : undefined;
  if (n.unknown) return unknownValue(n.span);
  if (n.value === null) return undefined;
  return { known: true, value: String(n.value), span: n.span };
}

export function numberValue(n: YNode | undefined): Value<number> | undefined {
  if (n === undefined) return undefined;
  if (!isScalar(n)) return n.unknown ? unknownValue(n.span) : undefined;
  if (n.unknown) return unknownValue(n.span);
  if (typeof n.value === 'number' && Number.isInteger(n.value)) return { known: true, value: n.value, span: n.span };
  return undefined;
}

/** An IntOrString: an unquoted integer is a number, anything else a string. */
export function intOrString(n: YNode | undefined): Value<number | string> | undefined {
  if (n === undefined) return undefined;
  if (!isScalar(n)) return n.unknown ? unknownValue(n.span) : undefined;
  if (n.unknown) return unknownValue(n.span);
  if (n.value === null) return undefined;
  if (typeof n.value === 'number' && Number.isInteger(n.value)) return { known: true, value: n.value, span: n.span };
  return { known: true, value: String(n.value), span: n.span };
}

export function plainString(n: YNode | undefined): string | undefined {
  const v = stringValue(n);
  return v !== undefined && v.known ? v.value : undefined;
}

/**
 * `list` at its own size. An array grown by push keeps room for at least 17 elements; the lists
 * kept in every file's facts (labels, ports, peers, …) mostly hold one or two, and at 10,000
 * manifests the spare room is megabytes of heap.
 */
export function exact<T>(list: T[]): T[] {
  return list.length === 0 ? [] : list.slice();
}

export function stringList(n: YNode | undefined): string[] {
  if (!isSeq(n)) return [];
  const out: string[] = [];
  for (const it of n.items) {
    const s = plainString(it);
    if (s !== undefined) out.push(s);
  }
  return exact(out);
}

/** A map of strings (labels, annotations, matchLabels, a Service selector). */
export function labelMap(n: YNode | undefined): LabelMap | undefined {
  if (n === undefined) return undefined;
  if (isScalar(n)) {
    if (n.unknown) return { span: n.span, entries: [], unknown: true };
    return n.value === null ? undefined : { span: n.span, entries: [], unknown: true };
  }
  if (!isMap(n)) return { span: n.span, entries: [], unknown: true };
  const entries: LabelEntry[] = [];
  let unknown = n.unknown;
  for (const p of n.pairs) {
    if (p.keyUnknown) {
      unknown = true;
      continue;
    }
    const v = p.value;
    let value: Value<string>;
    if (v === undefined || (isScalar(v) && !v.unknown && v.value === null)) {
      value = { known: true, value: '', span: v?.span ?? { start: p.keySpan.end, end: p.keySpan.end } };
    } else {
      value = stringValue(v) ?? unknownValue(v.span);
    }
    entries.push({ key: p.key, keySpan: p.keySpan, value });
  }
  return { span: n.span, entries: exact(entries), unknown };
}

export function annotationMap(n: YNode | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!isMap(n)) return out;
  for (const p of n.pairs) {
    const v = plainString(p.value);
    if (!p.keyUnknown && v !== undefined) out.set(p.key, v);
  }
  return out;
}

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A metav1.LabelSelector. `serviceStyle` reads a plain map as matchLabels. */
export function selector(n: YNode | undefined, serviceStyle = false): Selector | undefined {
  if (n === undefined) return undefined;
  if (serviceStyle) {
    const ml = labelMap(n);
    if (ml === undefined) return undefined;
    return { span: n.span, matchLabels: ml, matchExpressions: [], unknown: ml.unknown || ml.entries.some((e) => !e.value.known) };
  }
  if (isScalar(n)) {
    if (n.unknown) return { span: n.span, matchLabels: undefined, matchExpressions: [], unknown: true };
    if (n.value === null) return undefined;
    return { span: n.span, matchLabels: undefined, matchExpressions: [], unknown: true };
  }
  if (!isMap(n)) return { span: n.span, matchLabels: undefined, matchExpressions: [], unknown: true };
  const ml = labelMap(get(n, 'matchLabels'));
  const exprs: SelectorRequirement[] = [];
  let unknown = n.unknown || (ml !== undefined && (ml.unknown || ml.entries.some((e) => !e.value.known)));
  const me = get(n, 'matchExpressions');
  if (me !== undefined && !isScalar(me)) {
    if (!isSeq(me) || me.unknown) unknown = true;
    if (isSeq(me)) {
      for (const it of me.items) {
        const key = plainString(get(it, 'key'));
        const op = plainString(get(it, 'operator'));
        const valuesNode = get(it, 'values');
        const values = stringList(valuesNode);
        const bad =
          !isMap(it) ||
          it.unknown ||
          key === undefined ||
          op === undefined ||
          !OPERATORS.includes(op) ||
          (isSeq(valuesNode) && (valuesNode.unknown || values.length !== valuesNode.items.length));
        if (bad) unknown = true;
        exprs.push({ key: key ?? '', operator: (op ?? 'Exists') as SelectorOperator, values, span: it.span, unknown: bad });
      }
    }
  } else if (isScalar(me) && me.unknown) {
    unknown = true;
  }
  return { span: n.span, matchLabels: ml, matchExpressions: exact(exprs), unknown };
}

/** True when the selector has no requirements at all (`{}`): it selects everything. */
export function selectorIsEmpty(s: Selector): boolean {
  return !s.unknown && (s.matchLabels === undefined || s.matchLabels.entries.length === 0) && s.matchExpressions.length === 0;
}
