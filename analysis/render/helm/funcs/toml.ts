/**
 * Helm's toToml (BurntSushi/toml's Encoder, as Helm's "Template Function List" documents):
 * the top level must be a map; plain keys first, then tables `[a.b]` and arrays of tables
 * `[[a]]`, keys sorted, nested tables indented by two spaces per level. A value TOML cannot hold
 * (nil) makes the result the encoder's error text, as Helm returns it.
 */

import { FuncError } from '../template/callable.js';
import { formatFloat } from '../template/fmt.js';
import { sortedKeys } from '../template/values.js';
import type { GoValue } from '../template/values.js';
import { jsonString } from './json.js';

const bareKey = (k: string): string => (/^[A-Za-z0-9_-]+$/.test(k) ? k : jsonString(k, false));

function isTable(v: GoValue): v is Map<string, GoValue> {
  return v instanceof Map;
}

function isTableArray(v: GoValue): v is Map<string, GoValue>[] {
  return Array.isArray(v) && v.length > 0 && v.every((e) => e instanceof Map);
}

function inline(v: GoValue, depth: number): string {
  if (depth > 100) throw new FuncError('toml: value too deep');
  if (v === null || v === undefined) throw new FuncError('toml: cannot encode a nil value');
  switch (typeof v) {
    case 'string':
      return jsonString(v, false);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number': {
      if (Number.isNaN(v)) return 'nan';
      if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
      const s = formatFloat(v, 'g', -1);
      return /[.eEn]/.test(s) ? s.replace(/e\+?/, 'e') : s + '.0';
    }
  }
  if (Array.isArray(v)) return '[' + v.map((e) => inline(e, depth + 1)).join(', ') + ']';
  if (v instanceof Map)
    return (
      '{' +
      sortedKeys(v)
        .map((k) => `${bareKey(k)} = ${inline(v.get(k), depth + 1)}`)
        .join(', ') +
      '}'
    );
  throw new FuncError(`toml: cannot encode ${v.typeName}`);
}

function table(m: Map<string, GoValue>, path: string[], depth: number, out: string[]): void {
  if (depth > 100) throw new FuncError('toml: value too deep');
  const pad = '  '.repeat(Math.max(0, path.length - 1));
  const keys = sortedKeys(m);
  for (const k of keys) {
    const v = m.get(k);
    if (v === null || v === undefined) continue;
    if (isTable(v) || isTableArray(v)) continue;
    out.push(`${pad}${path.length > 0 ? '  ' : ''}${bareKey(k)} = ${inline(v, depth + 1)}`);
  }
  for (const k of keys) {
    const v = m.get(k);
    const sub = [...path, bareKey(k)];
    const subPad = '  '.repeat(path.length);
    if (v !== undefined && v !== null && isTable(v)) {
      if (out.length > 0) out.push('');
      out.push(`${subPad}[${sub.join('.')}]`);
      table(v, sub, depth + 1, out);
    } else if (v !== undefined && v !== null && isTableArray(v)) {
      for (const e of v) {
        if (out.length > 0) out.push('');
        out.push(`${subPad}[[${sub.join('.')}]]`);
        table(e, sub, depth + 1, out);
      }
    }
  }
}

export function toToml(v: GoValue): string {
  try {
    if (!(v instanceof Map)) throw new FuncError('toml: top-level values must be Go maps or structs');
    const out: string[] = [];
    table(v, [], 0, out);
    return out.length === 0 ? '' : out.join('\n') + '\n';
  } catch (e) {
    if (e instanceof FuncError) return e.message;
    throw e;
  }
}
