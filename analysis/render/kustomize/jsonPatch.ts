/**
 * JSON patches (RFC 6902) as kustomize applies them with a `target`: add, remove, replace, move,
 * copy and test on a copied tree. Values set by a patch keep the patch's spans.
 */

import type { Span } from '../../types.js';
import type { YNode } from '../../syntax/tree.js';
import { isMap, isSeq } from '../../syntax/tree.js';
import { cloneNode, getKey, mapNode, plain, removeWhere, setKey, text } from './nodes.js';

export interface JsonPatchOp {
  readonly op: string;
  readonly path: string;
  readonly from: string | undefined;
  readonly value: YNode | undefined;
  /** The operation's entry (where a value it sets without `value:` points). */
  readonly span: Span;
}

/** Reads the operations of a patch document; undefined when it is not a list of operations. */
export function readOps(doc: YNode | undefined): JsonPatchOp[] | undefined {
  if (!isSeq(doc)) return undefined;
  const ops: JsonPatchOp[] = [];
  for (const it of doc.items) {
    const op = text(getKey(it, 'op'));
    const path = text(getKey(it, 'path'));
    if (op === undefined || path === undefined) return undefined;
    ops.push({ op, path, from: text(getKey(it, 'from')), value: getKey(it, 'value'), span: it.span });
  }
  return ops;
}

function pointer(path: string): string[] | undefined {
  if (path === '') return [];
  if (!path.startsWith('/')) return undefined;
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function child(n: YNode | undefined, seg: string): YNode | undefined {
  if (isMap(n)) return getKey(n, seg);
  if (isSeq(n) && /^\d+$/.test(seg)) return n.items[Number(seg)];
  return undefined;
}

function resolve(root: YNode, segs: readonly string[]): YNode | undefined {
  let cur: YNode | undefined = root;
  for (const s of segs) cur = child(cur, s);
  return cur;
}

/**
 * Applies `ops` to `root` in place; returns an error message for the first failing operation. As
 * kustomize applies them (evanphx/json-patch v4 on the object as the build holds it): `replace` of
 * a missing key of an existing map sets it, and `metadata.annotations` exists (the build keeps its
 * own annotations there), so adding one annotation to an object without any works.
 */
export function applyOps(root: YNode, ops: readonly JsonPatchOp[], uri: string | undefined): string | undefined {
  const meta = getKey(root, 'metadata');
  const annotations = isMap(meta) && getKey(meta, 'annotations') === undefined ? mapNode(meta.span) : undefined;
  if (annotations !== undefined && isMap(meta)) setKey(meta, 'annotations', annotations);
  try {
    return applyAll(root, ops, uri);
  } finally {
    if (annotations !== undefined && isMap(meta) && getKey(meta, 'annotations') === annotations && annotations.pairs.length === 0)
      removeWhere(meta.pairs, (p) => p.key === 'annotations');
  }
}

function applyAll(root: YNode, ops: readonly JsonPatchOp[], uri: string | undefined): string | undefined {
  for (const o of ops) {
    const segs = pointer(o.path);
    if (segs === undefined || segs.length === 0) return `invalid path "${o.path}"`;
    const parent = resolve(root, segs.slice(0, -1));
    const last = segs[segs.length - 1] ?? '';
    let value: YNode | undefined;
    if (o.op === 'move' || o.op === 'copy') {
      const fromSegs = o.from === undefined ? undefined : pointer(o.from);
      const src = fromSegs === undefined ? undefined : resolve(root, fromSegs);
      if (src === undefined || fromSegs === undefined) return `"${o.op}" from a missing path "${o.from ?? ''}"`;
      value = o.op === 'copy' ? cloneNode(src, undefined) : src;
      if (o.op === 'move') {
        const err = remove(resolve(root, fromSegs.slice(0, -1)), fromSegs[fromSegs.length - 1] ?? '');
        if (err !== undefined) return err;
      }
    } else if (o.value !== undefined) {
      value = cloneNode(o.value, uri);
    } else if (o.op === 'add' || o.op === 'replace') {
      // Without `value:` (a typo such as `vallue:`), kustomize's json-patch (evanphx v4) sets null.
      value = { kind: 'scalar', value: null, unknown: false, quoted: false, span: uri === undefined ? o.span : { ...o.span, uri } };
    }
    switch (o.op) {
      case 'test':
        if (JSON.stringify(plain(child(parent, last))) !== JSON.stringify(plain(o.value))) return `test failed at "${o.path}"`;
        break;
      case 'remove': {
        const err = remove(parent, last);
        if (err !== undefined) return `${err} ("${o.path}")`;
        break;
      }
      case 'add':
      case 'move':
      case 'copy':
        if (value === undefined) return `"${o.op}" without a value`;
        if (isSeq(parent)) {
          const i = last === '-' ? parent.items.length : Number(last);
          if (!Number.isInteger(i) || i < 0 || i > parent.items.length) return `index out of range at "${o.path}"`;
          parent.items.splice(i, 0, value);
        } else if (isMap(parent)) setKey(parent, last, value, { ...value.span });
        else return `missing parent of "${o.path}"`;
        break;
      case 'replace':
        if (value === undefined) return '"replace" without a value';
        if (isSeq(parent)) {
          if (child(parent, last) === undefined) return `replace of a missing path "${o.path}"`;
          parent.items[Number(last)] = value;
        } else if (isMap(parent)) setKey(parent, last, value);
        else return `replace of a missing path "${o.path}"`;
        break;
      default:
        return `unknown operation "${o.op}"`;
    }
  }
  return undefined;
}

function remove(parent: YNode | undefined, last: string): string | undefined {
  if (isSeq(parent) && /^\d+$/.test(last) && Number(last) < parent.items.length) {
    parent.items.splice(Number(last), 1);
    return undefined;
  }
  if (isMap(parent) && parent.pairs.some((p) => p.key === last)) {
    removeWhere(parent.pairs, (p) => p.key === last);
    return undefined;
  }
  return 'remove of a missing path';
}
