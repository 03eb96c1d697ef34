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
 * A kustomization's `openapi` as kustomize's `openapi.SetSchema` takes it: the top kustomization's
 * first (`reset`: it replaces none), then, while no schema is set, the first kustomization loaded
 * (a base or component, when kustomize loads it, before its own resources) that has one sets it for
 * itself and everything after, its bases' and the top's patches included; once set, a later one is
 * ignored. `path` is read relative to that kustomization (custom types' schemas), `version` picks
 * a built-in Kubernetes schema (the built-in merge keys). Returns false when a path it takes cannot
 * be read here (remote, missing, unreadable): the build is then incomplete.
 */
export function applyOpenApi(st: BuildState, dir: string, k: YNode | undefined, read: (uri: string) => ParsedFile | undefined): boolean {
  const openapi = getKey(k, 'openapi');
  if (openapi === undefined || st.schema.set) return true;
  const path = text(getKey(openapi, 'path'));
  st.schema.set = true;
  if (path === undefined) return getKey(openapi, 'path') === undefined;
  if (/^[a-z]+:/i.test(path)) return false;
  const file = read(joinPath(dir, path));
  if (file === undefined || file.errors.length > 0 || file.templated) return false;
  const schemas = readOpenApi(file.documents[0]?.root);
  if (schemas === undefined) return false;
  st.schema.custom = schemas;
  return true;
}

/** The top kustomization's `openapi`, set before anything is loaded (kustomize's `krusty` build). */
export function readTopOpenApi(st: BuildState, dir: string, read: (uri: string) => ParsedFile | undefined): boolean {
  const top = kustomizationIn(st, dir);
  const k = top === undefined ? undefined : st.host.parse(top)?.documents.find((d) => isMap(d.root))?.root;
  return applyOpenApi(st, dir, k, read);
}

/** The schema an object's custom type has (false: none, its lists are replaced). */
export function customSchema(st: BuildState, r: Res): Schema {
  const api = apiVersionOf(r);
  return st.schema.custom?.get(`${api.includes('/') ? '' : '/'}${api}/${kindOf(r)}`) ?? false;
}
