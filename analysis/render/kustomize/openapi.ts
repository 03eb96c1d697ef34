/**
 * kustomize's `openapi: {path: …}`: an OpenAPI (Swagger 2) document whose definitions give custom
 * types the merge keys strategic merge patches use (kyaml's `openapi.SetSchema`, then its walker's
 * `PatchStrategyAndKeyList`): a list field with `x-kubernetes-patch-strategy` (containing `merge`)
 * is merged by `x-kubernetes-list-map-keys` (its first key) or `x-kubernetes-patch-merge-key`, or
 * as a set of scalars without a key; any other list of the type is replaced, as without a schema.
 * A definition names its types by `x-kubernetes-group-version-kind`; `$ref`s (`#/definitions/…`)
 * are followed. kustomize keeps one schema for a whole build, set by the top kustomization (or,
 * when it names none, by the first kustomization loaded that does: that order is not followed
 * here, the build is incomplete then; build.ts). `openapi: {version: …}` picks kustomize's
 * built-in Kubernetes schema, whose merge keys the builder has (merge.ts).
 */

import type { ParsedFile } from '../../syntax/parse.js';
import type { YNode } from '../../syntax/tree.js';
import { isMap, isSeq } from '../../syntax/tree.js';
import { joinPath } from '../../workspace/paths.js';
import { getKey, text } from './nodes.js';
import type { Res } from './resource.js';
import { apiVersionOf, kindOf } from './resource.js';
import type { BuildState } from './subBuilds.js';
import { kustomizationIn } from './subBuilds.js';

/** Where a field's merge keys are known: a custom type's schema node. */
export interface SchemaNode {
  child(key: string): Schema;
  items(): Schema;
  /** The key a merged list's items are matched by. */
  readonly mergeKey: string | undefined;
  /** A merged list of scalars (a set). */
  readonly setList: boolean;
}

/** `true`: a built-in type (merge.ts's merge keys); `false`: no schema (lists are replaced). */
export type Schema = boolean | SchemaNode;

/** Custom types' schemas by `group/version/kind`. */
export type CustomSchemas = ReadonlyMap<string, SchemaNode>;

/** `$ref`s followed at most this deep at one place (a definition that refers to itself ends there). */
const MAX_REFS = 16;

/** The custom types an OpenAPI document defines; undefined when it is not one. */
export function readOpenApi(doc: YNode | undefined): CustomSchemas | undefined {
  const definitions = getKey(doc, 'definitions');
  if (!isMap(definitions)) return undefined;
  const resolve = (n: YNode | undefined): YNode | undefined => {
    let cur = n;
    for (let i = 0; i < MAX_REFS; i++) {
      const ref = text(getKey(cur, '$ref'));
      if (ref === undefined) return cur;
      cur = getKey(definitions, ref.replace(/^#\/definitions\//, ''));
    }
    return undefined;
  };
  const node = (raw: YNode | undefined): Schema => {
    const n = resolve(raw);
    if (!isMap(n)) return false;
    const strategy = text(getKey(n, 'x-kubernetes-patch-strategy'));
    const mapKeys = getKey(n, 'x-kubernetes-list-map-keys');
    const key =
      strategy === undefined
        ? undefined
        : ((isSeq(mapKeys) ? text(mapKeys.items[0]) : undefined) ?? text(getKey(n, 'x-kubernetes-patch-merge-key')));
    const merged = strategy?.split(',').includes('merge') === true;
    return {
      child: (k) => node(getKey(getKey(n, 'properties'), k)),
      items: () => node(getKey(n, 'items')),
      mergeKey: merged ? key : undefined,
      setList: merged && key === undefined,
    };
  };
  const out = new Map<string, SchemaNode>();
  for (const d of definitions.pairs) {
    const gvks = getKey(d.value, 'x-kubernetes-group-version-kind');
    const schema = node(d.value);
    if (!isSeq(gvks) || typeof schema === 'boolean') continue;
    for (const g of gvks.items) {
      const kind = text(getKey(g, 'kind'));
      const version = text(getKey(g, 'version'));
      if (kind !== undefined && version !== undefined) out.set(`${text(getKey(g, 'group')) ?? ''}/${version}/${kind}`, schema);
    }
  }
  return out;
}

/** The schema of a field of a node's schema. */
export function childSchema(s: Schema, key: string): Schema {
  return typeof s === 'boolean' ? s : s.child(key);
}

/** The schema of a list's items. */
export function itemSchema(s: Schema): Schema {
  return typeof s === 'boolean' ? s : s.items();
}

/**
 * The top kustomization's `openapi.path` (kustomize sets it first, for the whole build): its custom
 * types' schemas in `st.schemas`. A remote, missing or unreadable one leaves them unset (the
 * build is then incomplete: `openApiKnown`).
 */
export function readTopOpenApi(st: BuildState, dir: string, read: (uri: string) => ParsedFile | undefined): void {
  const top = kustomizationIn(st, dir);
  const k = top === undefined ? undefined : st.host.parse(top)?.documents.find((d) => isMap(d.root))?.root;
  const path = text(getKey(getKey(k, 'openapi'), 'path'));
  if (path === undefined || /^[a-z]+:/i.test(path)) return;
  const file = read(joinPath(dir, path));
  if (file === undefined || file.errors.length > 0 || file.templated) return;
  const schemas = readOpenApi(file.documents[0]?.root);
  if (schemas !== undefined) st.schemas = schemas;
}

/** Whether a kustomization's `openapi` is followed: a built-in `version`, or a `path` when the top kustomization's schema was read. */
export function openApiKnown(st: BuildState, k: YNode): boolean {
  return getKey(getKey(k, 'openapi'), 'path') === undefined || st.schemas !== undefined;
}

/** The schema an object's custom type has (false: none, its lists are replaced). */
export function customSchema(st: BuildState, r: Res): Schema {
  const api = apiVersionOf(r);
  return st.schemas?.get(`${api.includes('/') ? '' : '/'}${api}/${kindOf(r)}`) ?? false;
}
