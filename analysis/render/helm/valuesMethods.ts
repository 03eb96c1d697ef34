/**
 * The methods of Helm's `chartutil.Values`, the type of `.Values` in every template (helm
 * pkg/chartutil/values.go): `.Values.AsMap` (charts generated from Go by gotohelm, such as
 * Redpanda's, start every template with `$values := $dot.Values.AsMap`), `.Values.YAML`,
 * `.Values.Table "a.b"` and `.Values.PathValue "a.b"`. Go looks a method up before a map key, so
 * these names shadow keys of the same name at the top of values.yaml, as in Helm.
 */

import { FuncError } from './template/callable.js';
import type { GoFunc, GoValue } from './template/values.js';
import { withMethods } from './template/values.js';
import { marshalYaml } from './funcs/yaml.js';

const isTable = (v: GoValue): v is Map<string, GoValue> => v instanceof Map;

function table(v: Map<string, GoValue>, name: string): Map<string, GoValue> {
  let t = v;
  for (const n of name.split('.')) {
    const next = t.get(n);
    if (next === undefined || !isTable(next)) throw new FuncError(`${JSON.stringify(n)} is not a table`);
    t = next;
  }
  return t;
}

function pathValue(v: Map<string, GoValue>, path: string): GoValue {
  if (path === '') throw new FuncError('YAML path cannot be empty');
  const parts = path.split('.');
  const key = parts[parts.length - 1] ?? '';
  let t = v;
  if (parts.length > 1) {
    try {
      t = table(v, parts.slice(0, -1).join('.'));
    } catch {
      throw new FuncError(`${JSON.stringify(key)} is not a value`);
    }
  }
  const found = t.get(key);
  if (found === undefined || isTable(found)) throw new FuncError(`${JSON.stringify(key)} is not a value`);
  return found;
}

/** `values` typed as `chartutil.Values`: the same map (a template's `set` on it still writes `.Values`), with its methods. */
export function valuesObject(values: Map<string, GoValue>): Map<string, GoValue> {
  const methods = new Map<string, GoFunc>([
    ['AsMap', () => values],
    ['YAML', () => marshalYaml(values)],
    // A table is a Values too. The model types an object, not a reference: once a template has asked for a
    // table, `.Values.a.AsMap` answers too, where Helm's plain map would give no value.
    ['Table', (name) => valuesObject(table(values, String(name ?? '')))],
    ['PathValue', (path) => pathValue(values, String(path ?? ''))],
  ]);
  return withMethods(values, 'chartutil.Values', methods);
}
