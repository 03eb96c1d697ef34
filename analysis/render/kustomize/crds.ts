/**
 * kustomize's `crds`: files of OpenAPI definitions (a map of Go type names to `{Schema,
 * Dependencies}`, as openapi-gen writes them, JSON or YAML) whose `x-kubernetes-*` extensions
 * teach the build's transformers more fields of the custom types, as kustomize's
 * `LoadConfigFromCRDs` (api/internal/accumulator/loadconfigfromcrds.go) reads them. A type whose
 * properties hold `kind`, `apiVersion` and `metadata` is a custom type, its kind the type name's
 * last `.`-separated part; its properties, and those of the types their `$ref`s name (in the same
 * file), are walked:
 * - `x-kubernetes-object-ref-kind` with `x-kubernetes-object-ref-api-version`: the property names
 *   an object of that kind by its `x-kubernetes-object-ref-name-key` (default `name`), followed
 *   when that object is renamed (a name reference);
 * - `x-kubernetes-annotation`: more annotations (`commonAnnotations`);
 * - `x-kubernetes-label-selector`: more labels and selectors (`commonLabels`);
 * - `x-kubernetes-identity`: a name that gets the `namePrefix`.
 * What a `crds` file teaches holds as `configurations` do (configurations.ts).
 */

import type { YNode } from '../../syntax/tree.js';
import { isMap } from '../../syntax/tree.js';
import { getKey, text } from './nodes.js';
import type { Configuration, FieldSpecSection } from './configurations.js';

/** The extensions that add a field spec, and the section they add it to. */
const SECTIONS: ReadonlyArray<readonly [string, FieldSpecSection]> = [
  ['x-kubernetes-annotation', 'commonAnnotations'],
  ['x-kubernetes-label-selector', 'commonLabels'],
  ['x-kubernetes-identity', 'namePrefix'],
];

/** Types followed through `$ref`s at most this deep (kustomize has no limit; a cycle would not end there). */
const MAX_DEPTH = 32;

/** What a `crds` file teaches; undefined when it is not a map of type definitions. */
export function readCrdConfiguration(doc: YNode | undefined): Configuration | undefined {
  if (!isMap(doc) || doc.unknown) return undefined;
  const out: Configuration = { references: [], fieldSpecs: [] };
  const properties = (typeName: string): YNode | undefined => getKey(getKey(getKey(doc, typeName), 'Schema'), 'properties');
  const walk = (kind: string, typeName: string, path: readonly string[], depth: number): void => {
    const props = properties(typeName);
    if (!isMap(props) || depth > MAX_DEPTH) return;
    for (const p of props.pairs) {
      const at = [...path, p.key];
      const has = (ext: string): boolean => getKey(p.value, ext) !== undefined;
      for (const [ext, section] of SECTIONS) if (has(ext)) out.fieldSpecs.push({ section, spec: { kind, path: at, create: false } });
      const version = text(getKey(p.value, 'x-kubernetes-object-ref-api-version'));
      const refKind = text(getKey(p.value, 'x-kubernetes-object-ref-kind'));
      if (version !== undefined && refKind !== undefined)
        out.references.push({
          kind: refKind,
          referrerKind: kind,
          path: [...at, text(getKey(p.value, 'x-kubernetes-object-ref-name-key')) ?? 'name'],
        });
      const ref = text(getKey(p.value, '$ref'));
      if (ref !== undefined && ref !== '') walk(kind, ref, at, depth + 1);
    }
  };
  for (const p of doc.pairs) {
    const props = properties(p.key);
    if (!isMap(props) || !['kind', 'apiVersion', 'metadata'].every((k) => getKey(props, k) !== undefined)) continue;
    walk(p.key.slice(p.key.lastIndexOf('.') + 1), p.key, [], 0);
  }
  return out;
}
