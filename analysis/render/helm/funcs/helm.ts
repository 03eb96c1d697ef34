/**
 * Helm's own template functions (Helm's "Template Function List" and engine documentation):
 * include, tpl, required, fail, lookup (an empty map, as `helm template` has no cluster), and the
 * serialisers Helm adds or overrides: toYaml, fromYaml, fromYamlArray, toJson, fromJson,
 * fromJsonArray, toToml, with Sprig's toPrettyJson, toRawJson and must* forms.
 */

import { parseAllDocuments } from 'yaml';
import { FuncError, UserFail, def } from '../template/callable.js';
import type { FuncDef } from '../template/callable.js';
import { fromYamlValue } from '../template/values.js';
import type { GoValue } from '../template/values.js';
import { parseJson, toJsonText } from './json.js';
import { toToml } from './toml.js';
import { toYaml, toYamlPretty } from './yaml.js';

/** Texts `fromYaml` read lately and what they gave, up to this much text (charts call it on the same texts in every render). */
const READ_CACHE_CHARS = 1_000_000;
const readCache = new Map<string, { value: GoValue } | { error: string }>();
let readCacheChars = 0;

/** A fresh copy of a value read from YAML (templates may change the maps and lists they get). */
function fresh(v: GoValue, depth = 0): GoValue {
  if (depth > 300) return v;
  if (Array.isArray(v)) return v.map((e) => fresh(e, depth + 1));
  if (v instanceof Map) {
    const m = new Map<string, GoValue>();
    for (const [k, e] of v) m.set(k, fresh(e, depth + 1));
    return m;
  }
  return v;
}

/** `readYaml` remembered by text; each caller gets its own copy of the value. */
function readYamlCached(text: string): { value: GoValue } | { error: string } {
  let r = readCache.get(text);
  if (r === undefined) {
    r = readYaml(text);
    if (text.length <= READ_CACHE_CHARS / 8) {
      readCache.set(text, r);
      readCacheChars += text.length;
      for (const k of readCache.keys()) {
        if (readCacheChars <= READ_CACHE_CHARS) break;
        readCache.delete(k);
        readCacheChars -= k.length;
      }
    }
  }
  return 'error' in r ? r : { value: fresh(r.value) };
}

/** sigs.k8s.io/yaml's Unmarshal: the first document, YAML 1.1 scalars, numbers as float64. */
function readYaml(text: string): { value: GoValue } | { error: string } {
  try {
    const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: false });
    const list = Array.isArray(docs) ? docs : [docs];
    const doc = list[0];
    if (doc === undefined) return { value: null };
    const err = doc.errors[0];
    if (err !== undefined) return { error: `error converting YAML to JSON: yaml: ${err.message.split('\n')[0] ?? ''}` };
    return { value: fromYamlValue(doc.toJS({ maxAliasCount: 1000 }) as unknown) };
  } catch (e) {
    return { error: `error converting YAML to JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

const kindWord = (v: GoValue): string =>
  Array.isArray(v) ? 'array' : v instanceof Map ? 'object' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'number';

function asMap(r: { value: GoValue } | { error: string }, prefix: string): Map<string, GoValue> {
  if ('error' in r) return new Map([['Error', r.error]]);
  if (r.value === null || r.value === undefined) return new Map();
  if (r.value instanceof Map) return r.value;
  return new Map([['Error', `${prefix}json: cannot unmarshal ${kindWord(r.value)} into Go value of type map[string]interface {}`]]);
}

function asList(r: { value: GoValue } | { error: string }, prefix: string): GoValue[] {
  if ('error' in r) return [r.error];
  if (r.value === null || r.value === undefined) return [];
  if (Array.isArray(r.value)) return r.value;
  return [`${prefix}json: cannot unmarshal ${kindWord(r.value)} into Go value of type []interface {}`];
}

const YAML_PREFIX = 'error unmarshaling JSON: while decoding JSON: ';

function json(v: GoValue, indent: string, escapeHtml: boolean, must: boolean): string {
  try {
    return toJsonText(v, { indent, escapeHtml });
  } catch (e) {
    if (e instanceof FuncError && !must) return '';
    throw e;
  }
}

export const HELM_FUNCS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  ['include', def(['string', 'any'], ([name, data], ctx) => ctx.include(String(name), data ?? null))],
  [
    'tpl',
    def(['string', 'any'], ([text, data], ctx) => {
      if (data !== null && data !== undefined && !(data instanceof Map))
        throw new FuncError(`wrong type for value; expected chartutil.Values; got ${typeof data}`);
      return ctx.tpl(String(text), data ?? null);
    }),
  ],
  [
    'required',
    def(['string', 'any'], ([msg, val]) => {
      if (val === null || val === undefined || val === '') throw new UserFail(String(msg), 'required');
      return val;
    }),
  ],
  [
    'fail',
    def(['string'], ([msg]) => {
      throw new UserFail(String(msg), 'fail');
    }),
  ],
  ['lookup', def(['string', 'string', 'string', 'string'], (): GoValue => new Map())],
  ['toYaml', def(['any'], ([v]) => toYaml(v ?? null))],
  ['toYamlPretty', def(['any'], ([v]) => toYamlPretty(v ?? null))],
  ['fromYaml', def(['string'], ([s]) => asMap(readYamlCached(String(s)), YAML_PREFIX))],
  ['fromYamlArray', def(['string'], ([s]) => asList(readYamlCached(String(s)), YAML_PREFIX))],
  ['toJson', def(['any'], ([v]) => json(v ?? null, '', true, false))],
  ['mustToJson', def(['any'], ([v]) => json(v ?? null, '', true, true))],
  ['toPrettyJson', def(['any'], ([v]) => json(v ?? null, '  ', true, false))],
  ['mustToPrettyJson', def(['any'], ([v]) => json(v ?? null, '  ', true, true))],
  ['toRawJson', def(['any'], ([v]) => json(v ?? null, '', false, false))],
  ['mustToRawJson', def(['any'], ([v]) => json(v ?? null, '', false, true))],
  ['fromJson', def(['string'], ([s]) => asMap(parseJson(String(s)), ''))],
  ['fromJsonArray', def(['string'], ([s]) => asList(parseJson(String(s)), ''))],
  [
    'mustFromJson',
    def(['string'], ([s]) => {
      const r = parseJson(String(s));
      if ('error' in r) throw new FuncError(r.error);
      return r.value;
    }),
  ],
  ['toToml', def(['any'], ([v]) => toToml(v ?? null))],
]);
