/**
 * Validating Helm values against a compiled schema (compile.ts) as santhosh-tekuri/jsonschema v6
 * does, with its error tree and wording (`- at '/image/tag': got number, want string`), three-valued:
 * a part of the schema this module cannot decide (compile.ts) makes its subtree unknown, and only
 * violations that hold whatever the unknown parts say are errors. Go iterates an object's properties
 * in random order; here they come in the order the values have them.
 */

import type { GoValue } from '../template/index.js';
import type { SchemaNode, SchemaObject } from './compile.js';
import { checkFormat } from './format.js';
import { isRecord } from '../../../narrow.js';

/** One violation, as the Go library's ValidationError: where in the values, its message, its causes. */
export interface SchemaViolation {
  readonly at: readonly string[];
  readonly message: string;
  readonly causes: readonly SchemaViolation[];
  /** A `$ref` wrapper (printed only when it has several causes), a group of violations at one place, or `allOf failed` (each cause a violation of its own). */
  readonly kind?: 'ref' | 'group' | 'allOf';
  /** The properties `additionalProperties: false` refuses (reported on the first one's entry). */
  readonly props?: readonly string[];
}

export interface Outcome {
  /** The violation (several are a group: `validation failed` with causes); undefined when none is sure. */
  readonly error: SchemaViolation | undefined;
  /** Whether a part of the schema could not be decided (without `error`: the values may or may not pass). */
  readonly unknown: boolean;
}

type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'invalid';

function typeOf(v: GoValue): JsonType {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    default:
      return Array.isArray(v) ? 'array' : v instanceof Map ? 'object' : 'invalid';
  }
}

const isInteger = (v: GoValue): boolean => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));

/** JSON equality (numbers by value, whatever their Go type). */
export function jsonEquals(a: unknown, b: unknown, depth = 0): boolean {
  if (depth > 200) return false;
  const na = typeof a === 'bigint' ? Number(a) : a;
  const nb = typeof b === 'bigint' ? Number(b) : b;
  if (typeof na === 'number' || typeof nb === 'number') return na === nb;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEquals(x, b[i], depth + 1));
  const ea = entries(a);
  const eb = entries(b);
  if (ea === undefined || eb === undefined) return a === b;
  if (ea.size !== eb.size) return false;
  for (const [k, x] of ea) if (!eb.has(k) || !jsonEquals(x, eb.get(k), depth + 1)) return false;
  return true;
}

function entries(v: unknown): Map<string, unknown> | undefined {
  if (v instanceof Map) return v as Map<string, unknown>;
  if (isRecord(v)) return new Map(Object.entries(v));
  return undefined;
}

/** Go's `%d` through golang.org/x/text's English printer: digits grouped by three. */
export function goInt(n: number): string {
  const s = String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${s}` : s;
}

/** Superscript digits as golang.org/x/text writes an exponent (internal/number `superDigits`). */
const SUPER_DIGITS = '\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079';

/**
 * Go's `%v` of a float64 through x/text's English printer (message/print.go `fmtVariableFloat`):
 * the shortest digits; an exponent below -4 or from 6 on is written as x/text writes English
 * scientific numbers, `1.5×10⁰⁶` (the exponent symbol "E" selects its superscripting form: "×10",
 * superscript digits, at least two, `⁻` when negative); else grouped by three (`70,000`).
 */
export function goFloat(n: number): string {
  if (n === 0) return '0';
  const [m = '', e = '0'] = n.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 6) {
    const digits = [...String(Math.abs(exp)).padStart(2, '0')].map((d) => SUPER_DIGITS[Number(d)] ?? '').join('');
    return `${m}\u00d710${exp < 0 ? '\u207b' : ''}${digits}`;
  }
  const [i, f] = String(Math.abs(n)).split('.');
  return (n < 0 ? '-' : '') + goInt(Number(i)) + (f !== undefined ? `.${f}` : '');
}

/** The library's `quote`: Go's %q with single quotes. */
export function quote(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `'${out}'`;
}

function display(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'object') return 'value';
  return String(v);
}

const POINTER = (at: readonly string[]): string => at.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/** `at '<pointer>'` as the library writes an instance location. */
export function location(at: readonly string[]): string {
  return quote(POINTER(at));
}

class Run {
  readonly errors: SchemaViolation[] = [];
  unknown = false;
  constructor(readonly at: readonly string[]) {}
  add(message: string, causes: readonly SchemaViolation[] = [], kind?: 'allOf'): void {
    this.errors.push({ at: this.at, message, causes, ...(kind === undefined ? {} : { kind }) });
  }
  take(o: Outcome): void {
    if (o.error !== undefined) this.errors.push(o.error);
    if (o.unknown) this.unknown = true;
  }
  outcome(): Outcome {
    const e = this.errors;
    if (e.length === 0) return { error: undefined, unknown: this.unknown };
    if (e.length === 1) return { error: e[0], unknown: this.unknown };
    return { error: { at: this.at, message: 'validation failed', causes: e, kind: 'group' }, unknown: this.unknown };
  }
}

/** Schema applications one top-level `validate` may make: applicators that branch on every level of `$ref`s would take exponential time. */
const BUDGET = 200_000;
let budget = BUDGET;
/** The schema nodes being applied, with the instance location each is applied at (the same array for one instance). */
const active: Array<{ readonly s: SchemaObject; readonly at: readonly string[] }> = [];
const UNKNOWN: Outcome = { error: undefined, unknown: true };

/**
 * Validates `v` (at `at`) against `s`. A `$ref` cycle that comes back to a schema already applied to
 * the same value (the library's RefCycle), a nesting past 300, or more than `BUDGET` applications
 * make the rest unknown: bad schemas never hang or throw.
 */
export function validate(s: SchemaNode, v: GoValue, at: readonly string[] = [], depth = 0): Outcome {
  if (s === true) return { error: undefined, unknown: false };
  if (s === false) return { error: { at, message: 'false schema', causes: [] }, unknown: false };
  if (depth === 0) {
    budget = BUDGET;
    active.length = 0;
  }
  if (depth > 300 || --budget < 0) return UNKNOWN;
  for (let i = active.length - 1; i >= 0 && active[i]?.at === at; i--) if (active[i]?.s === s) return UNKNOWN;
  active.push({ s, at });
  try {
    return validateNode(s, v, at, depth);
  } finally {
    active.pop();
  }
}

function validateNode(s: SchemaObject, v: GoValue, at: readonly string[], depth: number): Outcome {
  const run = new Run(at);
  const t = typeOf(v);
  if (t === 'invalid') return { error: undefined, unknown: true };
  if (s.types !== undefined) {
    const ok = s.types.includes(t) || (s.types.includes('integer') && t === 'number' && isInteger(v));
    if (!ok) {
      const order = ['null', 'boolean', 'number', 'integer', 'string', 'array', 'object'];
      const want = order.filter((x) => s.types?.includes(x));
      if (want.length > 0) return { error: { at, message: `got ${t}, want ${want.join(' or ')}`, causes: [] }, unknown: false };
    }
  }
  if (s.hasConst === true && !jsonEquals(v, s.const)) {
    const c = s.const;
    return {
      error: { at, message: typeof c === 'object' && c !== null ? 'const failed' : `value must be ${display(c)}`, causes: [] },
      unknown: false,
    };
  }
  if (s.enum !== undefined && !s.enum.some((e) => jsonEquals(v, e))) {
    const primitive = s.enum.every((e) => typeof e !== 'object' || e === null);
    const message = !primitive
      ? 'enum failed'
      : s.enum.length === 1
        ? `value must be ${display(s.enum[0])}`
        : `value must be one of ${s.enum.map(display).join(', ')}`;
    return { error: { at, message, causes: [] }, unknown: false };
  }
  if (s.format !== undefined) {
    const f = checkFormat(s.format, v);
    if (f === 'unknown') run.unknown = true;
    else if (f !== undefined) return { error: { at, message: `${display(v)} is not valid ${s.format}: ${f}`, causes: [] }, unknown: false };
  }
  if (s.ref !== undefined) {
    const r = s.ref === 'unknown' ? { error: undefined, unknown: true } : validate(s.ref, v, at, depth + 1);
    const wrapped: Outcome =
      r.error === undefined
        ? r
        : {
            error: { at, message: 'validation failed', causes: r.error.kind === 'group' ? r.error.causes : [r.error], kind: 'ref' },
            unknown: r.unknown,
          };
    if (s.draft < 2019) return wrapped;
    run.take(wrapped);
  }
  if (v instanceof Map) objValidate(s, v, run, depth);
  else if (Array.isArray(v)) arrValidate(s, v, run, depth);
  else if (typeof v === 'string') strValidate(s, v, run);
  else if (typeof v === 'number' || typeof v === 'bigint') numValidate(s, Number(v), run);
  condValidate(s, v, run, depth);
  if (s.unknownKeywords !== undefined && (v instanceof Map || Array.isArray(v))) run.unknown = true;
  return run.outcome();
}

function missing(obj: ReadonlyMap<string, GoValue>, names: readonly string[]): string[] {
  return names.filter((n) => !obj.has(n));
}

const joinQuoted = (names: readonly string[]): string => names.map(quote).join(', ');

function objValidate(s: SchemaObject, obj: Map<string, GoValue>, run: Run, depth: number): void {
  if (s.minProperties !== undefined && obj.size < s.minProperties)
    run.add(`minProperties: got ${goInt(obj.size)}, want ${goInt(s.minProperties)}`);
  if (s.maxProperties !== undefined && obj.size > s.maxProperties)
    run.add(`maxProperties: got ${goInt(obj.size)}, want ${goInt(s.maxProperties)}`);
  if (s.required !== undefined) {
    const m = missing(obj, s.required);
    if (m.length === 1) run.add(`missing property ${quote(m[0] ?? '')}`);
    else if (m.length > 1) run.add(`missing properties ${joinQuoted(m)}`);
  }
  for (const [name, dep] of s.dependencies ?? []) {
    if (!obj.has(name)) continue;
    if (Array.isArray(dep)) {
      const m = missing(obj, dep as readonly string[]);
      if (m.length > 0) run.add(`properties ${joinQuoted(m)} required, if ${quote(name)} exists`);
    } else run.take(validate(dep as SchemaNode, obj, run.at, depth + 1));
  }
  const additional: string[] = [];
  for (const [name, value] of obj) {
    const at = [...run.at, name];
    let evaluated = false;
    let undecided = false;
    const p = s.properties?.get(name);
    if (p !== undefined) {
      evaluated = true;
      run.take(validate(p, value, at, depth + 1));
    }
    for (const pp of s.patternProperties ?? []) {
      if (pp.re === 'unknown') {
        undecided = true;
        continue;
      }
      pp.re.lastIndex = 0;
      if (pp.re.test(name)) {
        evaluated = true;
        run.take(validate(pp.schema, value, at, depth + 1));
      }
    }
    if (!evaluated && s.additionalProperties !== undefined) {
      if (undecided) run.unknown = true;
      else if (s.additionalProperties === false) additional.push(name);
      else run.take(validate(s.additionalProperties, value, at, depth + 1));
    }
  }
  if (additional.length > 0)
    run.errors.push({ at: run.at, message: `additional properties ${joinQuoted(additional)} not allowed`, causes: [], props: additional });
  if (s.propertyNames !== undefined)
    for (const name of obj.keys()) {
      const o = validate(s.propertyNames, name, run.at, depth + 1);
      if (o.error !== undefined) run.errors.push({ at: run.at, message: `invalid propertyName ${quote(name)}`, causes: o.error.causes });
      else if (o.unknown) run.unknown = true;
    }
  for (const [name, sch] of s.dependentSchemas ?? []) if (obj.has(name)) run.take(validate(sch, obj, run.at, depth + 1));
  for (const [name, req] of s.dependentRequired ?? []) {
    if (!obj.has(name)) continue;
    const m = missing(obj, req);
    if (m.length > 0) run.add(`properties ${joinQuoted(m)} required, if ${quote(name)} exists`);
  }
}

function arrValidate(s: SchemaObject, arr: GoValue[], run: Run, depth: number): void {
  if (s.minItems !== undefined && arr.length < s.minItems) run.add(`minItems: got ${goInt(arr.length)}, want ${goInt(s.minItems)}`);
  if (s.maxItems !== undefined && arr.length > s.maxItems) run.add(`maxItems: got ${goInt(arr.length)}, want ${goInt(s.maxItems)}`);
  if (s.uniqueItems === true && arr.length > 1) {
    outer: for (let i = 1; i < arr.length; i++)
      for (let j = 0; j < i; j++)
        if (jsonEquals(arr[i], arr[j])) {
          run.add(`items at ${goInt(j)} and ${goInt(i)} are equal`);
          break outer;
        }
  }
  const item = (sch: SchemaNode, i: number): void => run.take(validate(sch, arr[i], [...run.at, String(i)], depth + 1));
  if (s.draft < 2020) {
    let evaluated = 0;
    if (Array.isArray(s.items)) {
      const tuple = s.items as readonly SchemaNode[];
      evaluated = Math.min(tuple.length, arr.length);
      for (let i = 0; i < evaluated; i++) item(tuple[i] ?? true, i);
    } else if (s.items !== undefined) {
      for (let i = 0; i < arr.length; i++) item(s.items as SchemaNode, i);
      evaluated = arr.length;
    }
    if (s.additionalItems === false && evaluated !== arr.length)
      run.add(`last ${goInt(arr.length - evaluated)} additionalItem(s) not allowed`);
    else if (s.additionalItems !== undefined && s.additionalItems !== false)
      // The library names the extra items by their index among the extra ones.
      for (let i = evaluated; i < arr.length; i++)
        run.take(validate(s.additionalItems, arr[i], [...run.at, String(i - evaluated)], depth + 1));
  } else {
    const prefix = s.prefixItems ?? [];
    const evaluated = Math.min(prefix.length, arr.length);
    for (let i = 0; i < evaluated; i++) item(prefix[i] ?? true, i);
    // As the library does, items after the prefix are named by their index among them.
    if (s.items2020 !== undefined)
      for (let i = evaluated; i < arr.length; i++) run.take(validate(s.items2020, arr[i], [...run.at, String(i - evaluated)], depth + 1));
  }
  if (s.contains !== undefined) {
    const errors: SchemaViolation[] = [];
    let matched = 0;
    let unknown = false;
    const at: number[] = [];
    for (let i = 0; i < arr.length; i++) {
      const o = validate(s.contains, arr[i], [...run.at, String(i)], depth + 1);
      if (o.error !== undefined) errors.push(o.error);
      else if (o.unknown) unknown = true;
      else {
        matched++;
        at.push(i);
      }
    }
    if (unknown) run.unknown = true;
    else if (s.minContains !== undefined) {
      if (matched < s.minContains)
        run.add(
          matched === 0
            ? `min ${goInt(s.minContains)} items required to match contains schema, but none matched`
            : `min ${goInt(s.minContains)} items required to match contains schema, but matched ${goInt(matched)} items at ${at.join(' ')}`,
          errors,
        );
    } else if (matched === 0) run.add('no items match contains schema', errors);
    if (!unknown && s.maxContains !== undefined && matched > s.maxContains)
      run.add(
        `max ${goInt(s.maxContains)} items required to match contains schema, but matched ${goInt(matched)} items at ${at.join(' ')}`,
      );
  }
}

function strValidate(s: SchemaObject, str: string, run: Run): void {
  const len = [...str].length;
  if (s.minLength !== undefined && len < s.minLength) run.add(`minLength: got ${goInt(len)}, want ${goInt(s.minLength)}`);
  if (s.maxLength !== undefined && len > s.maxLength) run.add(`maxLength: got ${goInt(len)}, want ${goInt(s.maxLength)}`);
  if (s.pattern !== undefined) {
    if (s.pattern.re === 'unknown') run.unknown = true;
    else {
      s.pattern.re.lastIndex = 0;
      if (!s.pattern.re.test(str)) run.add(`${quote(str)} does not match pattern ${quote(s.pattern.source)}`);
    }
  }
}

function numValidate(s: SchemaObject, n: number, run: Run): void {
  if (s.minimum !== undefined && n < s.minimum) run.add(`minimum: got ${goFloat(n)}, want ${goFloat(s.minimum)}`);
  if (s.maximum !== undefined && n > s.maximum) run.add(`maximum: got ${goFloat(n)}, want ${goFloat(s.maximum)}`);
  if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum)
    run.add(`exclusiveMinimum: got ${goFloat(n)}, want ${goFloat(s.exclusiveMinimum)}`);
  if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum)
    run.add(`exclusiveMaximum: got ${goFloat(n)}, want ${goFloat(s.exclusiveMaximum)}`);
  if (s.multipleOf !== undefined && s.multipleOf > 0) {
    // Exact in integers; a fraction is decided by the library in exact rationals, which floats may miss.
    if (Number.isInteger(n) && Number.isInteger(s.multipleOf)) {
      if (n % s.multipleOf !== 0) run.add(`multipleOf: got ${goFloat(n)}, want ${goFloat(s.multipleOf)}`);
    } else run.unknown = true;
  }
}

function condValidate(s: SchemaObject, v: GoValue, run: Run, depth: number): void {
  const at = run.at;
  const self = (sch: SchemaNode): Outcome => validate(sch, v, at, depth + 1);
  if (s.not !== undefined) {
    const o = self(s.not);
    if (o.error === undefined && !o.unknown) run.add('not failed');
    else if (o.error === undefined) run.unknown = true;
  }
  if (s.allOf !== undefined) {
    const errors: SchemaViolation[] = [];
    for (const sch of s.allOf) {
      const o = self(sch);
      if (o.error !== undefined) errors.push(o.error);
      if (o.unknown) run.unknown = true;
    }
    if (errors.length > 0) run.add('allOf failed', errors, 'allOf');
  }
  if (s.anyOf !== undefined) {
    const errors: SchemaViolation[] = [];
    let matched = false;
    let unknown = false;
    for (const sch of s.anyOf) {
      const o = self(sch);
      if (o.error !== undefined) errors.push(o.error);
      else if (o.unknown) unknown = true;
      else matched = true;
    }
    if (!matched && unknown) run.unknown = true;
    else if (!matched) run.add('anyOf failed', errors);
  }
  if (s.oneOf !== undefined) {
    const errors: SchemaViolation[] = [];
    const valid: number[] = [];
    let unknown = false;
    s.oneOf.forEach((sch, i) => {
      const o = self(sch);
      if (o.error !== undefined) errors.push(o.error);
      else if (o.unknown) unknown = true;
      else valid.push(i);
    });
    if (unknown) run.unknown = true;
    else if (valid.length >= 2) run.add(`oneOf failed, subschemas ${valid[0] ?? 0}, ${valid[1] ?? 0} matched`);
    else if (valid.length === 0) run.add('oneOf failed, none matched', errors);
  }
  if (s.if !== undefined) {
    const cond = self(s.if);
    if (cond.error === undefined && cond.unknown) run.unknown = true;
    else if (cond.error === undefined) {
      if (s.then !== undefined) run.take(self(s.then));
    } else if (s.else !== undefined) run.take(self(s.else));
  }
}

/** The library's text of a violation tree below the schema line: `- at '<ptr>': <message>`, causes indented. */
export function violationLines(errors: readonly SchemaViolation[]): string {
  const lines: string[] = [];
  const show = (e: SchemaViolation, indent: number): void => {
    if (e.kind === 'ref' && e.causes.length === 1) {
      for (const c of e.causes) show(c, indent);
      return;
    }
    lines.push(`${'  '.repeat(indent)}- at ${location(e.at)}: ${e.message}`);
    for (const c of e.causes) show(c, indent + 1);
  };
  for (const e of errors) show(e, 0);
  return lines.join('\n');
}
