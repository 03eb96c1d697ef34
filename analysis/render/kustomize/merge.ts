/**
 * Strategic merge patches (kustomize `patches` with a strategic-merge body, and the legacy
 * `patchesStrategicMerge`), as the Kubernetes API types define them: lists with a merge key merge
 * item by item (containers by name, container ports by containerPort, Service ports by port, env
 * by name, …; the patch's items first, as kustomize orders them), other lists are replaced, `null` deletes a key, and `$patch: delete | replace | merge`
 * directives act on maps and list items. Custom resources' lists are replaced, as kustomize does
 * without an OpenAPI schema for them, unless the build's `openapi` schema gives them merge keys
 * (openapi.ts).
 *
 * Design notes: docs/dev/kustomize.md.
 */

import type { Schema } from './openapi.js';
import { childSchema, itemSchema } from './openapi.js';
import type { YMap, YNode, YSeq } from '../../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { cloneNode, getKey, plain, removeWhere, scalarNode, setKey, spanIn, text } from './nodes.js';

/**
 * Merge keys of list fields of the built-in API types, by field name (patchMergeKey in
 * k8s.io/api). A field name alone is enough for the kinds Kube Reach reads; `ports` is told apart
 * by its items (`containerPort` for containers, `port` for Services).
 */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  resourceClaims: 'name',
  topologySpreadConstraints: 'topologyKey',
  ownerReferences: 'uid',
  conditions: 'type',
  // Validating/MutatingWebhookConfiguration.webhooks
  webhooks: 'name',
};

/** Lists of scalars merged as sets (patchStrategy merge without a key). */
const SET_LISTS: ReadonlySet<string> = new Set(['finalizers']);

function mergeKeyOf(field: string, base: YSeq, patch: YSeq): string | undefined {
  if (field === 'ports') {
    const sample = [...base.items, ...patch.items].find((i) => isMap(i));
    if (getKey(sample, 'containerPort') !== undefined) return 'containerPort';
    if (getKey(sample, 'port') !== undefined) return 'port';
    return undefined;
  }
  return MERGE_KEYS[field];
}

function directive(n: YNode | undefined): string | undefined {
  return text(getKey(n, '$patch'));
}

/** A copy of a patch node without its directives, in the patch's file. */
function fromPatch(n: YNode, uri: string | undefined): YNode {
  const c = cloneNode(n, uri);
  strip(c);
  return c;
}

function strip(n: YNode): void {
  if (isMap(n)) {
    removeWhere(n.pairs, (p) => p.key.startsWith('$'));
    for (const p of n.pairs) if (p.value !== undefined) strip(p.value);
  } else if (isSeq(n)) {
    removeWhere(n.items, (i) => isMap(i) && directive(i) === 'delete');
    for (const i of n.items) strip(i);
  }
}

function sameKey(a: YNode, b: YNode, key: string): boolean {
  const va = plain(getKey(a, key));
  const vb = plain(getKey(b, key));
  return va !== undefined && va !== null && va === vb;
}

function protocolOf(n: YNode): string | undefined {
  const v = plain(getKey(n, 'protocol'));
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

/** Two ports with protocols that differ: different items (53/UDP and 53/TCP). */
function otherProtocols(a: YNode, b: YNode): boolean {
  const pa = protocolOf(a);
  const pb = protocolOf(b);
  return pa !== undefined && pb !== undefined && pa !== pb;
}

function mergeList(field: string, base: YSeq, patch: YSeq, uri: string | undefined, schema: Schema): YSeq {
  if (patch.items.some((i) => isMap(i) && directive(i) === 'replace')) {
    const kept = patch.items.filter((i) => !(isMap(i) && directive(i) === 'replace'));
    return { ...(fromPatch({ ...patch, items: kept }, uri) as YSeq) };
  }
  const key = typeof schema === 'object' ? schema.mergeKey : schema ? mergeKeyOf(field, base, patch) : undefined;
  // kustomize merges with `ListIncreaseDirection: prepend` (its patchstrategicmerge filter): the
  // patch's items come first, in the patch's order, then the base's items the patch did not name.
  if (key === undefined) {
    if (typeof schema === 'object' ? schema.setList : schema && SET_LISTS.has(field)) {
      const items = patch.items.map((it) => fromPatch(it, uri));
      for (const b of base.items) if (!patch.items.some((it) => plain(b) === plain(it))) items.push(b);
      return { ...base, items };
    }
    return fromPatch(patch, uri) as YSeq;
  }
  const items: YNode[] = [];
  const named = new Map<number, YNode | undefined>();
  const added: YNode[] = [];
  const ports = schema === true && field === 'ports';
  for (const it of patch.items) {
    if (!isMap(it)) continue;
    const i = base.items.findIndex((b, j) => !named.has(j) && isMap(b) && sameKey(b, it, key) && (!ports || !otherProtocols(b, it)));
    const found = base.items[i];
    // Ports are keyed by port and protocol (x-kubernetes-list-map-keys): kyaml's walker gives a patch item without a
    // protocol the protocol of the base item with its port (or the base item the patch's), then finds no patch item
    // (or no base item) with both: the patch item is ignored, `$patch: delete` too, and the base item stays as it is.
    if (found !== undefined && ports && protocolOf(found) !== protocolOf(it)) {
      named.set(i, found);
      items.push(found);
      continue;
    }
    const merged =
      directive(it) === 'delete'
        ? undefined
        : found === undefined
          ? fromPatch(it, uri)
          : mergeNode(found, it, uri, itemSchema(schema), field);
    if (found !== undefined) named.set(i, merged);
    else if (merged !== undefined) added.push(merged);
    if (merged !== undefined) items.push(merged);
  }
  // Ports keyed by both keys (some item names a protocol): kyaml's appendListNode takes each base
  // item out and appends it again, so the items only the patch has come first (in its order), then
  // the base's items in the base's order, merged where the patch named them (kubectl kustomize v5.5.0).
  if (ports && [...base.items, ...patch.items].some((x) => isMap(x) && protocolOf(x) !== undefined)) {
    const ordered = [...added];
    for (const [j, b] of base.items.entries()) {
      if (!named.has(j)) ordered.push(b);
      else {
        const m = named.get(j);
        if (m !== undefined) ordered.push(m);
      }
    }
    return { ...base, items: ordered };
  }
  for (const [j, b] of base.items.entries()) if (!named.has(j)) items.push(b);
  return { ...base, items };
}

/**
 * `patch` merged into `base` (a new node where anything changed; `base` is not modified). Nodes
 * taken from the patch get spans in `uri`. undefined: the directive deleted the node.
 */
export function mergeNode(base: YNode, patch: YNode, uri: string | undefined, schema: Schema, field = ''): YNode {
  if (isMap(patch)) {
    const d = directive(patch);
    if (d === 'replace') return fromPatch(patch, uri);
    if (!isMap(base)) return fromPatch(patch, uri);
    const out: YMap = { ...base, pairs: [...base.pairs], unknown: base.unknown || patch.unknown };
    for (const p of patch.pairs) {
      if (p.key.startsWith('$')) continue;
      const v = p.value;
      if (v === undefined || (isScalar(v) && !v.unknown && v.value === null)) {
        removeWhere(out.pairs, (q) => q.key === p.key);
        continue;
      }
      const current = getKey(out, p.key);
      if (isMap(v) && directive(v) === 'delete') {
        removeWhere(out.pairs, (q) => q.key === p.key);
        continue;
      }
      if (isScalar(current) && isScalar(v) && !current.unknown && !v.unknown && current.value === v.value) continue;
      // A key whose value the patch changed (set, replaced, or merged into with a difference) gets
      // the patch's span: a finding anchored on it is the patch's doing.
      let merged: YNode;
      if (current === undefined) merged = fromPatch(v, uri);
      else if (isSeq(current) && isSeq(v)) merged = mergeList(p.key, current, v, uri, childSchema(schema, p.key));
      else if (isMap(current) && isMap(v)) merged = mergeNode(current, v, uri, childSchema(schema, p.key), p.key);
      else merged = fromPatch(v, uri);
      if (current !== undefined && sameTree(current, merged)) continue;
      setKey(out, p.key, merged, spanIn(p.keySpan, uri));
    }
    return out;
  }
  if (isSeq(patch) && isSeq(base)) return mergeList(field, base, patch, uri, schema);
  return fromPatch(patch, uri);
}

/** Same structure and values (spans aside). */
function sameTree(a: YNode, b: YNode): boolean {
  if (a.kind !== b.kind || a.unknown !== b.unknown) return false;
  if (isScalar(a) && isScalar(b)) return a.value === b.value;
  if (isSeq(a) && isSeq(b))
    return (
      a.items.length === b.items.length &&
      a.items.every((x, i) => {
        const y = b.items[i];
        return y !== undefined && sameTree(x, y);
      })
    );
  if (isMap(a) && isMap(b)) {
    if (a.pairs.length !== b.pairs.length) return false;
    return a.pairs.every((p, i) => {
      const q = b.pairs[i];
      return (
        q !== undefined &&
        q.key === p.key &&
        (p.value === undefined ? q.value === undefined : q.value !== undefined && sameTree(p.value, q.value))
      );
    });
  }
  return false;
}

/**
 * kyaml's merge walks the whole object, not only what the patch names: every list with a merge
 * key keeps one item per key, where the key first appears, with the value of its last
 * occurrence (its ElementSetter); ports are keyed by port and protocol. Only for types with a
 * schema (built-in ones), after a strategic merge patch; changed in place (the object's own tree).
 */
export function dedupeMergeLists(n: YNode, field = ''): void {
  if (isMap(n)) {
    for (const p of n.pairs) if (p.value !== undefined) dedupeMergeLists(p.value, p.key);
    return;
  }
  if (!isSeq(n)) return;
  const key = mergeKeyOf(field, n, n);
  if (key !== undefined) {
    const idOf = (it: YNode): string | undefined => {
      const v = plain(getKey(it, key));
      if (v === undefined || v === null || !isMap(it)) return undefined;
      return field === 'ports' ? JSON.stringify([v, plain(getKey(it, 'protocol')) ?? null]) : JSON.stringify(v);
    };
    const last = new Map<string, YNode>();
    for (const it of n.items) {
      const id = idOf(it);
      if (id !== undefined) last.set(id, it);
    }
    if (last.size < n.items.filter((it) => idOf(it) !== undefined).length) {
      const placed = new Set<string>();
      const items: YNode[] = [];
      for (const it of n.items) {
        const id = idOf(it);
        if (id === undefined) items.push(it);
        else if (!placed.has(id)) {
          placed.add(id);
          items.push(last.get(id) ?? it);
        }
      }
      n.items.splice(0, n.items.length, ...items);
    }
  }
  for (const it of n.items) dedupeMergeLists(it);
}

/** Is this patch document a deletion of the object it names (`$patch: delete` at its top)? */
export function isDeletePatch(patch: YNode): boolean {
  return directive(patch) === 'delete' || directive(getKey(patch, 'metadata')) === 'delete';
}

/** Puts back the kind, name (unless allowed to change) and namespace an object had before a strategic merge patch. */
export function keepId(node: YMap, kind: YNode | undefined, meta: YNode | undefined, kindChange: boolean, nameChange: boolean): void {
  if (!kindChange && kind !== undefined) setKey(node, 'kind', kind);
  const now = getKey(node, 'metadata');
  if (!isMap(now)) return;
  const name = getKey(meta, 'name');
  if (!nameChange && name !== undefined) setKey(now, 'name', name);
  const ns = getKey(meta, 'namespace');
  if (ns !== undefined) setKey(now, 'namespace', ns);
  else removeWhere(now.pairs, (p) => p.key === 'namespace');
}

/** With a target, the patch's own name does not rename the targets (kustomize drops it). */
function withoutName(n: YMap): YMap {
  const meta = getKey(n, 'metadata');
  if (!isMap(meta)) return n;
  const m: YMap = { ...meta, pairs: meta.pairs.filter((p) => p.key !== 'name') };
  return { ...n, pairs: n.pairs.map((p) => (p.key === 'metadata' ? { ...p, value: m } : p)) };
}

export function isBuiltin(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

/**
 * A strategic merge patch kustomize applies through its resource map (a targeted `patches` entry,
 * `patchesStrategicMerge`: resWrangler.ApplySmPatch) has its labels and annotations copied as a
 * string map first (`CopyMergeMetaDataFieldsFrom`): each value becomes its text, so `null` is the
 * string "null", not a deletion (an untargeted `patches` entry deletes). `source` is the parsed
 * patch whose spans index `fileText`; `copy` its copy, changed in place.
 */
function stringMetadata(source: YNode, copy: YNode, fileText: string | undefined): void {
  for (const field of ['labels', 'annotations']) {
    const from = getKey(getKey(source, 'metadata'), field);
    const to = getKey(getKey(copy, 'metadata'), field);
    if (!isMap(from) || !isMap(to) || from.pairs.length !== to.pairs.length) continue;
    to.pairs.forEach((p, i) => {
      const v = p.value;
      const raw = from.pairs[i]?.value;
      if (v === undefined) {
        to.pairs[i] = { ...p, value: scalarNode('', p.keySpan) };
        return;
      }
      if (!isScalar(v) || v.quoted || v.unknown || !isScalar(raw)) return;
      const textOf = fileText?.slice(raw.span.start, raw.span.end) ?? String(v.value);
      to.pairs[i] = { ...p, value: scalarNode(textOf, v.span) };
    });
  }
}

/** A targeted strategic merge patch as kustomize applies it: no apiVersion, and no name unless it may rename. */
export function forTarget(patch: YMap, keepName: boolean): YMap {
  const p = keepName ? patch : withoutName(patch);
  return { ...p, pairs: p.pairs.filter((x) => x.key !== 'apiVersion') };
}

/**
 * The text of a strategic merge patch (a map), whose folded scalars kustomize writes out as it
 * does a resource's; a JSON 6902 patch (a list) is read from JSON, its values never written folded.
 */
export function smp(root: YNode | undefined, fileText: string | undefined): string | undefined {
  return isMap(root) ? fileText : undefined;
}

export function patchNode(source: YNode, copy: YNode, fileText: string | undefined, viaResMap: boolean): YNode {
  if (viaResMap) stringMetadata(source, copy, fileText);
  return copy;
}
