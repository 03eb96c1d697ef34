/**
 * Where lowered objects (`KObject`) are made: one object literal with the fields every object has,
 * the kind's own fields assigned after it. Never `{ ...base, ...extra }` or `{ ...o, build }`: V8
 * gives each object made by a spread followed by a field it did not have a hidden class (and
 * descriptor array) of its own: 9,500 classes for 10,200 objects at 10,000 NetworkPolicy-heavy
 * manifests (4.3 MB), and every check reading `o.kind` or `o.pod` through V8's megamorphic lookups
 * (the cold pass about a fifth slower). Made here, the objects of a workspace share a few classes
 * (test/analysis/objectShapes.test.ts asks V8).
 */

import type { KObject } from './types.js';

export type MutableObject = { -readonly [K in keyof KObject]: KObject[K] };

/** The fields every lowered object has. */
export type ObjectBase = Pick<
  KObject,
  | 'uri'
  | 'docIndex'
  | 'ordinal'
  | 'apiVersion'
  | 'group'
  | 'version'
  | 'kind'
  | 'name'
  | 'namespace'
  | 'labels'
  | 'annotations'
  | 'span'
  | 'anchor'
  | 'isPatch'
  | 'renderedHelm'
>;

/** A new object with `b`'s common fields (in this order); the caller assigns the kind's own. */
export function newObject(b: ObjectBase): MutableObject {
  return {
    uri: b.uri,
    docIndex: b.docIndex,
    ordinal: b.ordinal,
    apiVersion: b.apiVersion,
    group: b.group,
    version: b.version,
    kind: b.kind,
    name: b.name,
    namespace: b.namespace,
    labels: b.labels,
    annotations: b.annotations,
    span: b.span,
    anchor: b.anchor,
    isPatch: b.isPatch,
    renderedHelm: b.renderedHelm,
  };
}

/** `o` (a plain lowered object) at `ordinal` with its Kustomize build: what `{ ...o, ordinal, build }` reads as. */
export function withBuild(o: KObject, ordinal: number, build: NonNullable<KObject['build']>): KObject {
  const out = newObject(o);
  out.ordinal = ordinal;
  const from = o as unknown as Readonly<Record<string, unknown>>;
  const to = out as unknown as Record<string, unknown>;
  for (const key in from) if (!(key in to)) to[key] = from[key];
  out.build = build;
  return out;
}
