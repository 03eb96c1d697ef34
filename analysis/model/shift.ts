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

/** What a moved object was made from: the object as lowered (never a moved one), how far it moved since, and the memo of its moved parts. */
interface MovedFrom {
  readonly base: Readonly<Record<string, unknown>>;
  readonly delta: number;
  /**
   * Parts shared within the object stay shared when moved (an anchor that is its name's span).
   * Made when a first field is read: most moved objects are never read before the next edit moves them again.
   */
  memo: Map<object, unknown> | undefined;
}

const MOVED = Symbol('moved');

/**
 * The getter of a nested field `key` of moved objects, one per field name for all of them (not a
 * closure per object and field): it moves the base's value when first read and leaves a plain field.
 */
const lazyFields = new Map<string, PropertyDescriptor>();

function lazyField(key: string): PropertyDescriptor {
  let descriptor = lazyFields.get(key);
  if (descriptor === undefined) {
    descriptor = {
      enumerable: true,
      configurable: true,
      get(this: Record<string | symbol, unknown>): unknown {
        const from = this[MOVED] as MovedFrom;
        from.memo ??= new Map<object, unknown>();
        const value = shiftSpans(from.base[key], from.delta, from.memo);
        // From now on a plain field.
        Object.defineProperty(this, key, { value, enumerable: true, configurable: false, writable: false });
        return value;
      },
    };
    lazyFields.set(key, descriptor);
  }
  return descriptor;
}

/**
 * `o` (an object of a document after an edit's run) moved by `delta`, with `own` fields (its places
 * in the file) set anew: a new object whose nested values are moved when first read, not now
 * (docs/dev/design.md §9, T5). Moving costs what the object's top-level keys cost, not what it
 * holds: an edit in a 5 MB bundle moves thousands of objects that nothing reads before the next
 * edit moves them again. A moved object of a moved object is made from the first one's base, so
 * reading a field shifts once however many edits moved it. It reads, spreads, serialises and
 * compares as the copy `shiftSpans` makes would (the getters are enumerable, and each keeps the
 * value it made first, so a field is the same object on every read).
 */
export function movedObject<T extends object>(o: T, delta: number, own: Readonly<Record<string, unknown>>): T {
  const from = (o as { [MOVED]?: MovedFrom })[MOVED];
  const base = (from?.base ?? o) as Readonly<Record<string, unknown>>;
  const total = (from?.delta ?? 0) + delta;
  const out: Record<string, unknown> = {};
  // `for…in` over a plain object reads its keys without making an array of them per moved object.
  for (const key in base) {
    if (key in own) {
      out[key] = own[key];
      continue;
    }
    const v = base[key];
    if (total === 0 || typeof v !== 'object' || v === null || (Object.getPrototypeOf(v) !== Object.prototype && !Array.isArray(v))) {
      out[key] = v;
      continue;
    }
    // Spans and names too: moving one costs an allocation, and nothing reads most of them before the next edit.
    Object.defineProperty(out, key, lazyField(key));
  }
  for (const key in own) if (!(key in out)) out[key] = own[key];
  Object.defineProperty(out, MOVED, { value: { base, delta: total, memo: undefined } satisfies MovedFrom });
  return out as T;
}
