/**
 * Moving lowered facts within their file: an edit in one document of a multi-document file moves
 * every later document by the edit's length difference (`lower.ts`, `lowerEdit`). Their objects,
 * findings and trees are copied with every span of the file moved, instead of being parsed and
 * lowered again: a copy costs what the objects hold, a parse what the text holds.
 */

/**
 * A deep copy of `value` with every span (an object with numeric `start` and `end`) that lies in
 * the file itself (no `uri`) moved by `delta`, and every numeric `objectStart` (an API finding's
 * link to its object) too. Maps, Sets and primitives are kept as they are (none holds a span);
 * shared parts stay shared (a tree's aliases, an operator's second workload sharing labels).
 */
export function shiftSpans<T>(value: T, delta: number, memo: Map<object, unknown> = new Map()): T {
  if (delta === 0) return value;
  return shiftAny(value, delta, memo) as T;
}

function shiftAny(value: unknown, delta: number, memo: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = memo.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    memo.set(value, out);
    for (let i = 0; i < value.length; i++) out[i] = shiftAny(value[i], delta, memo);
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  memo.set(value, out);
  const isSpan = typeof src['start'] === 'number' && typeof src['end'] === 'number' && src['uri'] === undefined;
  for (const key of Object.keys(src)) {
    const v = src[key];
    if (isSpan && (key === 'start' || key === 'end')) out[key] = (v as number) + delta;
    else if (key === 'objectStart' && typeof v === 'number') out[key] = v + delta;
    else out[key] = shiftAny(v, delta, memo);
  }
  return out;
}
