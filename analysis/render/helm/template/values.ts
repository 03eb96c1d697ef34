/**
 * The value model of the template engine: Go values as JS values (see HELM-CONTRACT in docs/dev/helm-engine.md).
 *
 * nil → null (a missing map key reads as undefined), string, bool, float64 → number, int → bigint,
 * []interface{} → GoValue[], map[string]interface{} → Map (iterated in sorted key order), Helm's
 * built-in objects → GoStruct.
 */

export type GoFunc = (...args: GoValue[]) => GoValue;

/** A Go struct (or pointer to one) with exported fields and methods, such as `.Release` or `.Files`. */
export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: Map<string, GoValue> = new Map(),
    readonly methods: Map<string, GoFunc> = new Map(),
  ) {}
}

export type GoValue = null | undefined | string | boolean | number | bigint | GoValue[] | Map<string, GoValue> | GoStruct;

/** A named Go map or slice type with methods (Helm's `files`, map[string][]byte; `chartutil.VersionSet`, []string). */
interface NamedType {
  readonly typeName: string;
  readonly methods: ReadonlyMap<string, GoFunc>;
}

const namedTypes = new WeakMap<Map<string, GoValue> | GoValue[], NamedType>();

/**
 * Gives a map or slice a named type with methods: it still ranges, indexes and counts as a map or
 * slice (Sprig's `has`, `keys`), and `.Method` calls a method first, as Go's text/template looks a
 * method up before a map key. Copies (`deepCopy`, Sprig's list and dict functions) are plain again.
 */
export function withMethods<T extends Map<string, GoValue> | GoValue[]>(v: T, typeName: string, methods: ReadonlyMap<string, GoFunc>): T {
  namedTypes.set(v, { typeName, methods });
  return v;
}

/** The method `name` of a named map or slice type, if `v` has one. */
export function methodOf(v: Map<string, GoValue> | GoValue[], name: string): GoFunc | undefined {
  return namedTypes.get(v)?.methods.get(name);
}

export type GoKind = 'invalid' | 'string' | 'bool' | 'float64' | 'int' | 'slice' | 'map' | 'struct';

export function kindOf(v: GoValue): GoKind {
  if (v === null || v === undefined) return 'invalid';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
    default:
      if (Array.isArray(v)) return 'slice';
      if (v instanceof Map) return 'map';
      return 'struct';
  }
}

/** Go's `%T` of a value (`<nil>` for nil). */
export function typeName(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int';
  if (Array.isArray(v)) return namedTypes.get(v)?.typeName ?? '[]interface {}';
  if (v instanceof Map) return namedTypes.get(v)?.typeName ?? 'map[string]interface {}';
  return v.typeName;
}

/** Go's template truth: false, 0, "", nil and empty collections are false; structs are true. */
export function isTrue(v: GoValue): boolean {
  if (v === null || v === undefined) return false;
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    default:
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof Map) return v.size > 0;
      return true;
  }
}

/** Sorted keys of a map, as Go's text/template and fmt iterate them. */
export function sortedKeys(m: Map<string, GoValue>): string[] {
  return [...m.keys()].sort(compareStrings);
}

/** Byte-wise (here: code unit) string order, as Go's `<` on strings. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** YAML- or JSON-parsed JS → Go values, as Helm's values (numbers become float64). */
export function fromYamlValue(js: unknown, depth = 0): GoValue {
  if (depth > 1000) return null;
  if (js === null || js === undefined) return null;
  if (typeof js === 'string' || typeof js === 'boolean' || typeof js === 'number') return js;
  if (typeof js === 'bigint') return Number(js);
  if (Array.isArray(js)) return js.map((e: unknown) => fromYamlValue(e, depth + 1));
  if (js instanceof Map) {
    const m = new Map<string, GoValue>();
    for (const [k, v] of js) m.set(String(k), fromYamlValue(v, depth + 1));
    return m;
  }
  if (js instanceof Uint8Array) {
    // In chunks: spreading a large array into a call overflows the stack.
    let s = '';
    for (let i = 0; i < js.length; i += 8192) s += String.fromCharCode.apply(null, Array.from(js.subarray(i, i + 8192)));
    return s;
  }
  if (typeof js === 'object') {
    const m = new Map<string, GoValue>();
    for (const [k, v] of Object.entries(js as Record<string, unknown>)) m.set(k, fromYamlValue(v, depth + 1));
    return m;
  }
  return null;
}

/** Go values → plain JS (maps become objects, ints become numbers when safe). */
export function toJs(v: GoValue, depth = 0): unknown {
  if (depth > 1000) return null;
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (Array.isArray(v)) return v.map((e) => toJs(e, depth + 1));
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const k of sortedKeys(v)) o[k] = toJs(v.get(k), depth + 1);
    return o;
  }
  if (v instanceof GoStruct) {
    const o: Record<string, unknown> = {};
    for (const [k, f] of v.fields) o[k] = toJs(f, depth + 1);
    return o;
  }
  return v;
}

/** A deep copy of lists and maps (structs are shared). */
export function deepCopy(v: GoValue, depth = 0): GoValue {
  if (depth > 1000) return null;
  if (Array.isArray(v)) return v.map((e) => deepCopy(e, depth + 1));
  if (v instanceof Map) {
    const m = new Map<string, GoValue>();
    for (const [k, e] of v) m.set(k, deepCopy(e, depth + 1));
    return m;
  }
  return v;
}
