/**
 * The warm-start cache's byte layout (docs/dev/warm-start.md "The codec"): a compact encoding of
 * the pack's plain data (objects, arrays, Maps, Sets, strings, numbers, booleans, null, undefined)
 * that keeps what lowering's facts rely on — property order, properties whose value is undefined,
 * and objects shared between places (a file's `objects` and its `documents`' objects) — and
 * stores what repeats in them once:
 *
 * - every distinct string once, in a table (a JSON array of strings: `JSON.parse` reads it
 *   natively), referred to by number; a workspace's URIs, kinds, label keys and values repeat in
 *   every object (at 10,000 NetworkPolicy-heavy manifests 285,000 strings, 22,000 distinct);
 * - every object shape (its keys in order) once, referred to by number;
 * - numbers as variable-length integers, a list of whole numbers (line starts) as one run of
 *   zigzag deltas, others as 8-byte floats;
 * - an object met again as a back reference to the first. Leaves — arrays and objects whose values
 *   are all primitives (spans, `{known, value}` pairs, lists of names) — are not tracked: one met
 *   twice comes back as two equal copies (nothing in the facts compares them by identity, and
 *   tracking a third of a million spans cost the encoder more than the rest of its work).
 *
 * The bytes: `CODEC_VERSION` and the table's length as variable-length integers, the table (UTF-8),
 * then the root value. Pure (no `node:` modules). What comes back from disk is untrusted:
 * `decodeValue` throws a `CodecError` on anything that is not a complete encoding (an unknown tag,
 * a string, shape or reference number out of range, a length past the end, bytes left over), never
 * loops or allocates past what the bytes can hold, and never sets an object's prototype.
 */

/** The layout's version; bytes of another are refused. */
export const CODEC_VERSION = 1;

const T_UNDEFINED = 0;
const T_NULL = 1;
const T_TRUE = 2;
const T_FALSE = 3;
const T_UINT = 4;
const T_NEGINT = 5;
const T_FLOAT = 6;
const T_STRING = 7;
const T_ARRAY = 8;
const T_OBJECT = 9;
const T_NEW_SHAPE = 10;
const T_MAP = 11;
const T_SET = 12;
const T_REF = 13;
/** An array of at least `MIN_RUN` whole numbers: zigzag deltas, one after another. */
const T_INT_RUN = 14;
/** An array, an object of a known shape or one of a new shape whose values are all primitives (leaves: never referred to again). */
const T_LEAF_ARRAY = 15;
const T_LEAF_OBJECT = 16;
const T_LEAF_NEW_SHAPE = 17;

const MIN_RUN = 4;
/** Largest magnitude stored as an integer (exact in a double). */
const MAX_INT = 2 ** 52;
/** Largest magnitude in a run (a delta's zigzag, twice the delta, stays exact). */
const MAX_RUN_INT = 2 ** 50;

/**
 * UTF-8 for the string table, from the caller (the core has no `TextEncoder`; the server and the
 * CLI pass Node's `Buffer`).
 */
export interface Utf8 {
  encode(text: string): Uint8Array;
  decode(bytes: Uint8Array): string;
}

/** Bytes that are not a complete encoding of this version. */
export class CodecError extends Error {}

function hasPlainPrototype(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Every item a primitive (no object to refer to again inside). */
function isLeaf(a: readonly unknown[]): boolean {
  for (const x of a) if (typeof x === 'object' && x !== null) return false;
  return true;
}

function isRunnable(a: readonly unknown[]): boolean {
  if (a.length < MIN_RUN) return false;
  for (const x of a) if (typeof x !== 'number' || !Number.isInteger(x) || Object.is(x, -0) || Math.abs(x) > MAX_RUN_INT) return false;
  return true;
}

/** A shape: the keys so far, and the shape's number once an object has exactly these keys (-1 before). */
interface ShapeNode {
  readonly next: Map<string, ShapeNode>;
  id: number;
}

/** The first chunk's size; each next one doubles, up to `MAX_CHUNK`. */
const FIRST_CHUNK = 1 << 16;
/**
 * The largest chunk. The bytes are kept as a list of chunks, never copied into a larger buffer as
 * they grow, so a 10,000-file cache (8 MB) never holds them twice or three times over.
 */
const MAX_CHUNK = 1 << 20;

/** A growing byte buffer, as a list of chunks. */
class Writer {
  /** The chunks filled so far (each a view of its own buffer). */
  private readonly full: Uint8Array[] = [];
  bytes = new Uint8Array(FIRST_CHUNK);
  /** Bytes written into `bytes`. */
  n = 0;
  private readonly f64 = new Float64Array(1);
  private readonly f64Bytes = new Uint8Array(this.f64.buffer);

  /** Room for `k` more bytes in `bytes`: a new chunk when the current one cannot take them. */
  private room(k: number): void {
    if (this.n + k <= this.bytes.length) return;
    this.full.push(this.bytes.subarray(0, this.n));
    this.bytes = new Uint8Array(Math.max(Math.min(this.bytes.length * 2, MAX_CHUNK), k));
    this.n = 0;
  }

  byte(b: number): void {
    this.room(1);
    this.bytes[this.n++] = b;
  }

  /** A non-negative integer ≤ 2^53, seven bits a byte, low bits first. */
  uint(v: number): void {
    this.room(8);
    while (v >= 128) {
      this.bytes[this.n++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.bytes[this.n++] = v;
  }

  float(v: number): void {
    this.room(8);
    this.f64[0] = v;
    this.bytes.set(this.f64Bytes, this.n);
    this.n += 8;
  }

  /** The bytes written, in order (views of the writer's chunks: write nothing more after). */
  chunks(): Uint8Array[] {
    return this.n === 0 ? [...this.full] : [...this.full, this.bytes.subarray(0, this.n)];
  }
}

/**
 * The bytes of `value`, as consecutive pieces (throws on a value the layout cannot hold: a function,
 * a class instance, a symbol, a bigint). The pieces joined are `encodeValue`'s bytes; a caller that
 * writes them out one after another (the cache file) never holds a second copy of the encoding.
 */
export function encodeValueChunks(value: unknown, utf8: Utf8): Uint8Array[] {
  const w = new Writer();
  const strings = new Map<string, number>();
  const table: string[] = [];
  // Shapes as a trie of their keys in order: no joined string per object (property names are
  // interned strings whose hashes V8 keeps), and no two shapes can share a path.
  const shapes: ShapeNode = { next: new Map(), id: -1 };
  let shapeCount = 0;
  const seen = new Map<object, number>();
  const string = (s: string): void => {
    let id = strings.get(s);
    if (id === undefined) {
      id = table.length;
      strings.set(s, id);
      table.push(s);
    }
    w.uint(id);
  };
  const put = (v: unknown): void => {
    switch (typeof v) {
      case 'undefined':
        return w.byte(T_UNDEFINED);
      case 'boolean':
        return w.byte(v ? T_TRUE : T_FALSE);
      case 'number':
        if (Number.isInteger(v) && Math.abs(v) <= MAX_INT && !Object.is(v, -0)) {
          w.byte(v >= 0 ? T_UINT : T_NEGINT);
          return w.uint(Math.abs(v));
        }
        w.byte(T_FLOAT);
        return w.float(v);
      case 'string':
        w.byte(T_STRING);
        return string(v);
      case 'object': {
        if (v === null) return w.byte(T_NULL);
        const ref = seen.get(v);
        if (ref !== undefined) {
          w.byte(T_REF);
          return w.uint(ref);
        }
        if (Array.isArray(v)) {
          const a = v as readonly unknown[];
          if (isRunnable(a)) {
            w.byte(T_INT_RUN);
            w.uint(a.length);
            let last = 0;
            for (const x of a as readonly number[]) {
              const d = x - last;
              w.uint(d >= 0 ? d * 2 : -d * 2 - 1);
              last = x;
            }
            return;
          }
          const leaf = isLeaf(a);
          if (!leaf) seen.set(v, seen.size);
          w.byte(leaf ? T_LEAF_ARRAY : T_ARRAY);
          w.uint(a.length);
          for (const x of a) put(x);
          return;
        }
        if (v instanceof Map) {
          seen.set(v, seen.size);
          w.byte(T_MAP);
          w.uint(v.size);
          for (const [k, x] of v as Map<unknown, unknown>) {
            put(k);
            put(x);
          }
          return;
        }
        if (v instanceof Set) {
          seen.set(v, seen.size);
          w.byte(T_SET);
          w.uint(v.size);
          for (const x of v as Set<unknown>) put(x);
          return;
        }
        if (!hasPlainPrototype(v)) throw new CodecError(`cannot encode a ${v.constructor?.name ?? 'non-plain object'}`);
        const keys = Object.keys(v);
        let leaf = true;
        for (const k of keys) {
          const x = v[k];
          if (typeof x === 'object' && x !== null) {
            leaf = false;
            break;
          }
        }
        if (!leaf) seen.set(v, seen.size);
        let node = shapes;
        for (const k of keys) {
          let child = node.next.get(k);
          if (child === undefined) node.next.set(k, (child = { next: new Map(), id: -1 }));
          node = child;
        }
        if (node.id < 0) {
          node.id = shapeCount++;
          w.byte(leaf ? T_LEAF_NEW_SHAPE : T_NEW_SHAPE);
          w.uint(keys.length);
          for (const k of keys) string(k);
        } else {
          w.byte(leaf ? T_LEAF_OBJECT : T_OBJECT);
          w.uint(node.id);
        }
        for (const k of keys) put(v[k]);
        return;
      }
      default:
        throw new CodecError(`cannot encode a ${typeof v}`);
    }
  };
  put(value);
  const tableBytes = utf8.encode(JSON.stringify(table));
  const head = new Writer();
  head.uint(CODEC_VERSION);
  head.uint(tableBytes.length);
  return [...head.chunks(), tableBytes, ...w.chunks()];
}

/** The bytes of `value` in one piece (`encodeValueChunks` joined). */
export function encodeValue(value: unknown, utf8: Utf8): Uint8Array {
  const chunks = encodeValueChunks(value, utf8);
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The value `encodeValue` gave `bytes` for; throws `CodecError` on bytes that are not one. */
export function decodeValue(bytes: Uint8Array, utf8: Utf8): unknown {
  const len = bytes.length;
  let p = 0;
  const fail = (what: string): never => {
    throw new CodecError(`${what} at byte ${p}`);
  };
  const uint = (): number => {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (p >= len) return fail('truncated');
      const b = bytes[p++] as number;
      v += (b & 127) * scale;
      if (b < 128) return v;
      scale *= 128;
      if (scale > 2 ** 56) return fail('integer too long');
    }
  };
  /** A count of items still to read, each at least one byte. */
  const count = (): number => {
    const k = uint();
    return k > len - p ? fail(`count ${k} past the end`) : k;
  };
  if (uint() !== CODEC_VERSION) throw new CodecError(`not codec version ${CODEC_VERSION}`);
  const tableLength = count();
  let table: unknown;
  try {
    table = JSON.parse(utf8.decode(bytes.subarray(p, p + tableLength)));
  } catch {
    return fail('string table unreadable');
  }
  if (!Array.isArray(table) || !table.every((s) => typeof s === 'string')) return fail('string table is not a list of strings');
  const strings = table as readonly string[];
  p += tableLength;
  const string = (): string => {
    const i = uint();
    return i < strings.length ? (strings[i] as string) : fail(`string ${i} of ${strings.length}`);
  };
  const shapes: string[][] = [];
  const objects: object[] = [];
  const f64 = new Float64Array(1);
  const f64Bytes = new Uint8Array(f64.buffer);
  const object = (keys: readonly string[], tracked: boolean): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    if (tracked) objects.push(o);
    for (const k of keys) {
      const v = get();
      // A key named `__proto__` is an own property, as it was; never the object's prototype.
      if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      else o[k] = v;
    }
    return o;
  };
  const get = (): unknown => {
    if (p >= len) return fail('truncated');
    const tag = bytes[p++];
    switch (tag) {
      case T_UNDEFINED:
        return undefined;
      case T_NULL:
        return null;
      case T_TRUE:
        return true;
      case T_FALSE:
        return false;
      case T_UINT:
        return uint();
      case T_NEGINT:
        return -uint();
      case T_FLOAT:
        if (p + 8 > len) return fail('truncated');
        f64Bytes.set(bytes.subarray(p, p + 8));
        p += 8;
        return f64[0];
      case T_STRING:
        return string();
      case T_INT_RUN: {
        const k = count();
        const a = new Array<number>(k);
        let last = 0;
        for (let i = 0; i < k; i++) {
          const z = uint();
          last += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
          a[i] = last;
        }
        return a;
      }
      case T_ARRAY:
      case T_LEAF_ARRAY: {
        const k = count();
        const a = new Array<unknown>(k);
        if (tag === T_ARRAY) objects.push(a);
        for (let i = 0; i < k; i++) a[i] = get();
        return a;
      }
      case T_MAP: {
        const k = count();
        const m = new Map<unknown, unknown>();
        objects.push(m);
        for (let i = 0; i < k; i++) {
          const key = get();
          m.set(key, get());
        }
        return m;
      }
      case T_SET: {
        const k = count();
        const s = new Set<unknown>();
        objects.push(s);
        for (let i = 0; i < k; i++) s.add(get());
        return s;
      }
      case T_NEW_SHAPE:
      case T_LEAF_NEW_SHAPE: {
        const k = count();
        const keys: string[] = [];
        for (let i = 0; i < k; i++) keys.push(string());
        shapes.push(keys);
        return object(keys, tag === T_NEW_SHAPE);
      }
      case T_OBJECT:
      case T_LEAF_OBJECT: {
        const i = uint();
        const keys = shapes[i];
        return keys !== undefined ? object(keys, tag === T_OBJECT) : fail(`shape ${i} of ${shapes.length}`);
      }
      case T_REF: {
        const i = uint();
        // Only an object already complete or being read can be referred to (the encoder's order).
        const o = objects[i];
        return o !== undefined ? o : fail(`reference ${i} of ${objects.length}`);
      }
      default:
        return fail(`unknown tag ${String(tag)}`);
    }
  };
  const value = get();
  if (p !== len) fail(`${len - p} byte${len - p === 1 ? '' : 's'} after the value`);
  return value;
}
