/**
 * JSON Schema documents as Helm's validator compiles them (santhosh-tekuri/jsonschema v6, which Helm
 * uses since v3.18.5 and in v4; docs/dev/helm-engine.md "values.schema.json"): the draft comes from
 * `$schema` (draft-04, -06, -07, 2019-09, 2020-12; none: 2020-12), in drafts before 2019-09 a `$ref`
 * hides its sibling keywords, `format` is asserted only before 2019-09, `pattern` is Go's RE2
 * (unanchored). Pure: the schema's text in, a tree of compiled nodes out.
 *
 * What cannot be decided here is marked, never guessed: a `$ref` to another document (Helm would
 * fetch it over the network), a pattern that RE2 and JavaScript may read differently, a format this
 * module does not check. The validator treats such a part as unknown (neither valid nor invalid).
 */

import { isRecord } from '../../../narrow.js';
import { goRegexpError } from '../goRegexp.js';
import { goQuote } from '../template/fmt.js';
import { utf8Encode } from '../template/utf8.js';

/** A compiled schema node. `true`/`false` are the boolean schemas. */
export type SchemaNode = boolean | SchemaObject;

export interface SchemaObject {
  readonly draft: number;
  /** A `$ref` target; `unknown` when it cannot be resolved here. */
  ref?: SchemaNode | 'unknown';
  types?: readonly string[];
  enum?: readonly unknown[];
  hasConst?: boolean;
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  /** A pattern's matcher; `unknown` when RE2 and JavaScript may disagree on it. */
  pattern?: { readonly source: string; readonly re: RegExp | 'unknown' };
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  required?: readonly string[];
  properties?: ReadonlyMap<string, SchemaNode>;
  patternProperties?: ReadonlyArray<{ readonly re: RegExp | 'unknown'; readonly schema: SchemaNode }>;
  additionalProperties?: SchemaNode;
  propertyNames?: SchemaNode;
  dependencies?: ReadonlyMap<string, readonly string[] | SchemaNode>;
  dependentRequired?: ReadonlyMap<string, readonly string[]>;
  dependentSchemas?: ReadonlyMap<string, SchemaNode>;
  /** draft < 2020: `items` as one schema or a tuple, and `additionalItems`. */
  items?: SchemaNode | readonly SchemaNode[];
  additionalItems?: SchemaNode;
  /** 2020-12: `prefixItems` and `items`. */
  prefixItems?: readonly SchemaNode[];
  items2020?: SchemaNode;
  contains?: SchemaNode;
  minContains?: number;
  maxContains?: number;
  allOf?: readonly SchemaNode[];
  anyOf?: readonly SchemaNode[];
  oneOf?: readonly SchemaNode[];
  not?: SchemaNode;
  if?: SchemaNode;
  then?: SchemaNode;
  else?: SchemaNode;
  /** Keywords whose effect is not computed here (`unevaluatedProperties`, `$dynamicRef`, …). */
  unknownKeywords?: readonly string[];
}

const DRAFTS: ReadonlyArray<[RegExp, number]> = [
  [/^https?:\/\/json-schema\.org\/draft-04\/schema#?$/, 4],
  [/^https?:\/\/json-schema\.org\/draft-06\/schema#?$/, 6],
  [/^https?:\/\/json-schema\.org\/draft-07\/schema#?$/, 7],
  [/^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/, 2019],
  [/^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/, 2020],
  // `http://json-schema.org/schema#` names the latest draft.
  [/^https?:\/\/json-schema\.org\/schema#?$/, 2020],
];

/** The draft a `$schema` URL names; undefined for one Helm would have to load (its metaschema is unknown here). */
export function draftOf(url: unknown): number | undefined {
  if (url === undefined) return 2020;
  if (typeof url !== 'string') return undefined;
  for (const [re, d] of DRAFTS) if (re.test(url)) return d;
  return undefined;
}

/**
 * A Go RE2 pattern as a JavaScript regular expression, or `unknown` where the two may read it
 * differently (POSIX classes, `\z`, `\pL`, inline flags other than a leading `(?i)`/`(?s)`/`(?m)`,
 * look-around and back-references, which RE2 refuses).
 */
export function goRegExp(source: string): RegExp | 'unknown' {
  let flags = 'u';
  let body = source;
  const lead = /^\(\?([ism]+)\)/.exec(body);
  if (lead !== null) {
    for (const f of lead[1] ?? '') if (!flags.includes(f)) flags += f;
    body = body.slice(lead[0].length);
  }
  if (/\[\[:|\\[zACQEpP]|\(\?[^:]|\\[1-9]/.test(body)) return 'unknown';
  try {
    return new RegExp(body, flags);
  } catch {
    return 'unknown';
  }
}

const UNKNOWN_KEYWORDS = ['unevaluatedProperties', 'unevaluatedItems', '$dynamicRef', '$recursiveRef'];

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

function unescapePointer(tok: string): string {
  return tok.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * A pattern the validator's compiler refuses (2019-09 and 2020-12, whose metaschemas do not assert
 * `format: regex`): objcompiler.go's `InvalidRegexError`, `invalid regex "<pattern>" at
 * "file:///values.schema.json#/properties/tag/pattern": error parsing regexp: …`.
 */
export interface PatternRefusal {
  /** The keyword's place in the schema document (`['properties', 'tag', 'pattern']`). */
  readonly at: readonly string[];
  /** Helm's error text. */
  readonly message: string;
}

/**
 * Compiles a schema document (the parsed JSON of values.schema.json); undefined when Helm would load
 * its dialect from elsewhere. In 2019-09 and 2020-12, `refused.pattern` is set to the first
 * `patternProperties` name or `pattern` Go's regexp refuses among the compiled subschemas (Helm's
 * compiler goes through a schema's properties in Go's random map order, so with several it names
 * any one of them).
 */
export function compileSchema(doc: unknown, refused?: { pattern?: PatternRefusal }): SchemaNode | undefined {
  const draft = draftOf(isRecord(doc) ? doc['$schema'] : undefined);
  if (draft === undefined) return undefined;
  const compiled = new Map<object, SchemaObject>();
  const anchors = new Map<string, unknown>();
  /** Each schema object's place in the document (JSON pointer tokens), for the compiler's errors. */
  const places = new Map<object, readonly string[]>();
  // Anchors: `$anchor` (2019+) and `$id: "#name"` (before 2019) anywhere in the document.
  const collect = (v: unknown, depth: number, at: readonly string[]): void => {
    if (depth > 200) return;
    if (Array.isArray(v)) v.forEach((x, i) => collect(x, depth + 1, [...at, String(i)]));
    else if (isRecord(v)) {
      if (!places.has(v)) places.set(v, at);
      const a = draft >= 2019 ? v['$anchor'] : typeof v['$id'] === 'string' && v['$id'].startsWith('#') ? v['$id'].slice(1) : undefined;
      if (typeof a === 'string' && !anchors.has(a)) anchors.set(a, v);
      for (const [k, x] of Object.entries(v))
        if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples') collect(x, depth + 1, [...at, k]);
    }
  };
  collect(doc, 0, []);
  const refuse = (v: object, keyword: string, pattern: string): void => {
    if (refused === undefined || refused.pattern !== undefined || draft < 2019) return;
    const error = goRegexpError(pattern);
    if (error === undefined || error === 'unknown') return;
    const at = [...(places.get(v) ?? []), keyword];
    const url = `file:///values.schema.json#${at.map((t) => '/' + pathEscape(t.replace(/~/g, '~0').replace(/\//g, '~1'))).join('')}`;
    refused.pattern = {
      at: keyword === 'pattern' ? at : [...at, pattern],
      message: `invalid regex ${goQuote(pattern)} at ${goQuote(url)}: ${error}`,
    };
  };
  const rootId = isRecord(doc) && typeof doc[draft >= 6 ? '$id' : 'id'] === 'string' ? String(doc[draft >= 6 ? '$id' : 'id']) : '';
  const resolve = (ref: string): unknown => {
    let frag: string;
    if (ref.startsWith('#')) frag = ref.slice(1);
    else if (rootId !== '' && ref.startsWith(rootId.replace(/#$/, '') + '#')) frag = ref.slice(ref.indexOf('#') + 1);
    else if (rootId !== '' && ref === rootId.replace(/#$/, '')) frag = '';
    else return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(frag);
    } catch {
      return undefined;
    }
    if (decoded !== '' && !decoded.startsWith('/')) return anchors.get(decoded);
    let cur: unknown = doc;
    for (const tok of decoded === '' ? [] : decoded.slice(1).split('/').map(unescapePointer)) {
      if (Array.isArray(cur)) cur = /^(?:0|[1-9]\d*)$/.test(tok) ? cur[Number(tok)] : undefined;
      else if (isRecord(cur)) cur = Object.prototype.hasOwnProperty.call(cur, tok) ? cur[tok] : undefined;
      else return undefined;
    }
    return cur;
  };
  const node = (v: unknown, depth: number): SchemaNode => {
    if (typeof v === 'boolean') return v;
    if (!isRecord(v) || depth > 200) return true;
    const hit = compiled.get(v);
    if (hit !== undefined) return hit;
    const s: SchemaObject = { draft };
    compiled.set(v, s);
    const sub = (x: unknown): SchemaNode | undefined => (x === undefined ? undefined : node(x, depth + 1));
    const subs = (x: unknown): SchemaNode[] | undefined => (Array.isArray(x) ? x.map((e) => node(e, depth + 1)) : undefined);
    const map = (x: unknown): Map<string, SchemaNode> | undefined =>
      isRecord(x) ? new Map(Object.entries(x).map(([k, e]) => [k, node(e, depth + 1)])) : undefined;
    if (typeof v['$ref'] === 'string') {
      const target = resolve(v['$ref']);
      s.ref = target === undefined ? 'unknown' : node(target, depth + 1);
      // Before 2019-09 every other keyword beside `$ref` is ignored.
      if (draft < 2019) return s;
    }
    if (v['type'] !== undefined) {
      const t = typeof v['type'] === 'string' ? [v['type']] : (strings(v['type']) ?? []);
      if (t.length > 0) s.types = t;
    }
    if (Array.isArray(v['enum'])) s.enum = v['enum'];
    if (draft >= 6 && 'const' in v) {
      s.hasConst = true;
      s.const = v['const'];
    }
    if (typeof v['format'] === 'string' && draft < 2019) s.format = v['format'];
    s.multipleOf = num(v['multipleOf']);
    s.maximum = num(v['maximum']);
    s.minimum = num(v['minimum']);
    if (v['exclusiveMaximum'] === true) [s.exclusiveMaximum, s.maximum] = [s.maximum, undefined];
    else s.exclusiveMaximum = num(v['exclusiveMaximum']);
    if (v['exclusiveMinimum'] === true) [s.exclusiveMinimum, s.minimum] = [s.minimum, undefined];
    else s.exclusiveMinimum = num(v['exclusiveMinimum']);
    s.minLength = int(v['minLength']);
    s.maxLength = int(v['maxLength']);
    // The compiler reads `patternProperties` (applicator) before `pattern` (validation).
    if (isRecord(v['patternProperties'])) for (const p of Object.keys(v['patternProperties'])) refuse(v, 'patternProperties', p);
    if (typeof v['pattern'] === 'string') {
      refuse(v, 'pattern', v['pattern']);
      s.pattern = { source: v['pattern'], re: goRegExp(v['pattern']) };
    }
    s.minItems = int(v['minItems']);
    s.maxItems = int(v['maxItems']);
    s.uniqueItems = v['uniqueItems'] === true;
    s.minProperties = int(v['minProperties']);
    s.maxProperties = int(v['maxProperties']);
    s.required = strings(v['required']);
    s.properties = map(v['properties']);
    if (isRecord(v['patternProperties']))
      s.patternProperties = Object.entries(v['patternProperties']).map(([p, e]) => ({ re: goRegExp(p), schema: node(e, depth + 1) }));
    s.additionalProperties = sub(v['additionalProperties']);
    if (isRecord(v['dependencies'])) {
      const deps = new Map<string, readonly string[] | SchemaNode>();
      for (const [k, d] of Object.entries(v['dependencies'])) deps.set(k, Array.isArray(d) ? (strings(d) ?? []) : node(d, depth + 1));
      s.dependencies = deps;
    }
    if (draft >= 6) {
      s.propertyNames = sub(v['propertyNames']);
      s.contains = sub(v['contains']);
    }
    if (draft >= 2019) {
      if (isRecord(v['dependentRequired']))
        s.dependentRequired = new Map(Object.entries(v['dependentRequired']).map(([k, d]) => [k, strings(d) ?? []]));
      s.dependentSchemas = map(v['dependentSchemas']);
      s.minContains = int(v['minContains']);
      s.maxContains = int(v['maxContains']);
    }
    if (draft < 2020) {
      s.items = Array.isArray(v['items']) ? subs(v['items']) : sub(v['items']);
      if (Array.isArray(v['items'])) s.additionalItems = sub(v['additionalItems']);
    } else {
      s.prefixItems = subs(v['prefixItems']);
      s.items2020 = sub(v['items']);
    }
    s.allOf = subs(v['allOf']);
    s.anyOf = subs(v['anyOf']);
    s.oneOf = subs(v['oneOf']);
    s.not = sub(v['not']);
    if (draft >= 7 && v['if'] !== undefined) {
      s.if = sub(v['if']);
      if (v['if'] !== false) s.then = sub(v['then']);
      if (v['if'] !== true) s.else = sub(v['else']);
    }
    const unknown = UNKNOWN_KEYWORDS.filter((k) => v[k] !== undefined && draft >= 2019);
    if (unknown.length > 0) s.unknownKeywords = unknown;
    return s;
  };
  return node(doc, 0);
}

/** Go's `url.PathEscape` of one path segment (UTF-8 bytes; letters, digits, `-_.~$&+:=@` kept). */
function pathEscape(seg: string): string {
  let out = '';
  for (const b of utf8Encode(seg)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~$&+:=@]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
