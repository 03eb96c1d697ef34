/**
 * kustomize's `replacements` (api/filters/replacement at kustomize v5.5.0): each copies one value
 * of one object (its `source`) into fields of the objects its `targets` select, as the last
 * transformer of its kustomization.
 *
 * - The source is the one object whose id (current or previous: kind, group, version, name,
 *   namespace; empty fields match anything) the selector names; `fieldPath` (default
 *   `metadata.name`) is looked up with kyaml's path syntax (`a.b`, `[name=x]`, an index, `-`);
 *   `options.delimiter`/`index` take one part of it.
 * - A target's `select` and `reject` are ids as above plus label and annotation selectors; each
 *   of its `fieldPaths` (default `metadata.name`) is matched as kyaml's PathMatcher matches it:
 *   `*` is every item of a list, `[name=x]` every item whose field matches the regular
 *   expression `x` (unanchored, as kyaml compiles it), an index one item; `options.create`
 *   creates what is missing; `options.delimiter`/`index` replace one part of the target's text (a
 *   negative index prefixes, one past the end appends).
 * - A scalar target keeps its type where the new text reads as one (a `replicas` count filled
 *   from a ConfigMap string is a number); a map or list target is replaced by a copy of the value.
 *
 * Whatever makes kustomize stop the build (no source or several, a missing field, a path through
 * a scalar) makes the build incomplete here, never wrong: `unknown` is called, the remaining
 * replacements of the kustomization are not applied, and the fields this one and the remaining ones
 * target become unknown (a source generated from an env file a `.gitignore` keeps out of the
 * repository writes values only the author's checkout has).
 */

import type { Span } from '../../types.js';
import type { ScalarValue, YMap, YNode } from '../../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { cloneNode, getKey, mapNode, plain, setKey, text } from './nodes.js';
import type { Res } from './resource.js';
import { apiVersionOf, effectiveNamespace, groupOf, isClusterScoped, kindOf } from './resource.js';
import { selectorMatches } from './targets.js';

export interface ReplacementIo {
  /** The documents of a replacement file (`path`, relative to the kustomization). */
  readonly load: (rel: string) => readonly YNode[] | undefined;
  /** kustomize would stop, or the value is not known here: the build is incomplete. */
  readonly unknown: () => void;
}

/** Applies the `replacements` list of one kustomization to `ra`. */
export function applyReplacements(list: YNode | undefined, ra: readonly Res[], io: ReplacementIo): void {
  if (!isSeq(list)) {
    // `replacements:` with every entry commented out (kubebuilder's scaffold) is null: none.
    if (list !== undefined && !(isScalar(list) && list.value === null && !list.unknown)) io.unknown();
    return;
  }
  const entries: YNode[] = [];
  for (const item of list.items) {
    const path = text(getKey(item, 'path'));
    if (path === undefined) {
      entries.push(item);
      continue;
    }
    const docs = io.load(path);
    if (docs === undefined) return io.unknown();
    for (const d of docs) for (const e of isSeq(d) ? d.items : [d]) entries.push(e);
  }
  const failed = entries.findIndex((r) => !replace(r, ra));
  if (failed === -1) return;
  // The fields the failed and later replacements write hold values not known here (a source from a generator whose
  // env file is not in the workspace): they are unknown, not the placeholders the files hold.
  for (const r of entries.slice(failed)) hideTargets(r, ra);
  io.unknown();
}

/** Makes every existing field a replacement's targets name unknown (what kustomize writes there is not known here). */
function hideTargets(r: YNode, ra: readonly Res[]): void {
  const targets = getKey(r, 'targets');
  for (const t of isSeq(targets) ? targets.items : []) {
    const select = getKey(t, 'select');
    if (!isMap(select)) continue;
    const paths = isSeq(getKey(t, 'fieldPaths')) ? (getKey(t, 'fieldPaths') as { items: YNode[] }).items.map(text) : ['metadata.name'];
    for (const x of ra) {
      if (!bySelectors(x, select) || !selectedBy(x, select)) continue;
      for (const p of paths) {
        for (const f of (p === undefined ? undefined : matchPath(x.node, splitPath(p), undefined)) ?? []) {
          const n = f.get();
          if (n !== undefined) f.set(isScalar(n) ? { ...n, unknown: true, value: null } : { ...n, unknown: true });
        }
      }
    }
  }
}

/** One replacement; false where kustomize would stop the build. */
function replace(r: YNode, ra: readonly Res[]): boolean {
  const source = getKey(r, 'source');
  const targets = getKey(r, 'targets');
  if (!isMap(source) || !isSeq(targets)) return false;
  const from = ra.filter((x) => selectedBy(x, source));
  if (from.length !== 1 || from[0] === undefined) return false;
  const found = lookup(from[0].node, splitPath(text(getKey(source, 'fieldPath')) ?? 'metadata.name'));
  if (found === undefined || (isScalar(found) && found.value === null && !found.unknown)) return false;
  // The value, with spans in the source object's file.
  const home = from[0].uri;
  let value: YNode = cloneNode(found, undefined);
  const delimiter = text(getKey(getKey(source, 'options'), 'delimiter')) ?? '';
  if (delimiter !== '') {
    if (!isScalar(value)) return false;
    if (!value.unknown) {
      const index = indexOf(getKey(source, 'options'));
      const parts = String(value.value).split(delimiter);
      if (index < 0 || index >= parts.length) return false;
      value = { ...value, value: parts[index] ?? '', quoted: true };
    }
  }
  for (const t of targets.items) {
    const select = getKey(t, 'select');
    if (!isMap(select)) return false;
    const rejects = isSeq(getKey(t, 'reject')) ? (getKey(t, 'reject') as { items: YNode[] }).items : [];
    const paths = isSeq(getKey(t, 'fieldPaths')) ? (getKey(t, 'fieldPaths') as { items: YNode[] }).items.map(text) : ['metadata.name'];
    const options = getKey(t, 'options');
    for (const x of ra) {
      if (!bySelectors(x, select) || rejects.some((j) => hasSelectors(j) && bySelectors(x, j))) continue;
      if (!selectedBy(x, select) || rejects.some((j) => hasId(j) && selectedBy(x, j))) continue;
      for (const p of paths) {
        if (p === undefined) return false;
        const fields = matchPath(x.node, splitPath(p), plain(getKey(options, 'create')) === true ? value.kind : undefined);
        if (fields === undefined || fields.length === 0) return false;
        for (const f of fields) if (!setField(f, value, options, home === x.uri ? undefined : home)) return false;
      }
    }
  }
  return true;
}

/** A place a value goes: the key of a map or the item of a list. */
interface Slot {
  readonly get: () => YNode | undefined;
  readonly set: (n: YNode) => void;
}

function setField(slot: Slot, value: YNode, options: YNode | undefined, uri: string | undefined): boolean {
  const target = slot.get();
  const copy = cloneNode(value, uri);
  const delimiter = text(getKey(options, 'delimiter')) ?? '';
  if (delimiter !== '') {
    if (!isScalar(target) || !isScalar(copy)) return false;
    if (target.unknown || copy.unknown) {
      slot.set({ ...copy, unknown: true, value: null });
      return true;
    }
    const parts = target.value === null ? [''] : String(target.value).split(delimiter);
    const v = String(copy.value ?? '');
    const index = indexOf(options);
    if (index < 0) parts.unshift(v);
    else if (index >= parts.length) parts.push(v);
    else parts[index] = v;
    slot.set({ ...copy, value: parts.join(delimiter), quoted: true });
    return true;
  }
  if (isScalar(target)) {
    // kyaml sets the text and keeps the target's tag.
    if (!isScalar(copy)) return false;
    slot.set(copy.unknown ? copy : { ...copy, ...typedAs(target, copy.value === null ? '' : String(copy.value)) });
    return true;
  }
  slot.set(copy);
  return true;
}

/** The text `s` in the type of `target` (kyaml keeps the node's tag); a created or null field reads it as YAML does. */
function typedAs(target: { value: ScalarValue; quoted: boolean } | undefined, s: string): { value: ScalarValue; quoted: boolean } {
  if (target !== undefined && (target.quoted || typeof target.value === 'string')) return { value: s, quoted: true };
  if (target !== undefined && typeof target.value === 'number' && /^-?\d+(\.\d+)?$/.test(s)) return { value: Number(s), quoted: false };
  if (target !== undefined && typeof target.value === 'boolean' && (s === 'true' || s === 'false'))
    return { value: s === 'true', quoted: false };
  if (target !== undefined && target.value !== null) return { value: s, quoted: true };
  if (/^-?(0|[1-9]\d*)$/.test(s)) return { value: Number(s), quoted: false };
  if (s === 'true' || s === 'false') return { value: s === 'true', quoted: false };
  if (s === '' || s === 'null' || s === '~') return { value: null, quoted: false };
  return { value: s, quoted: true };
}

function indexOf(options: YNode | undefined): number {
  const i = plain(getKey(options, 'index'));
  return typeof i === 'number' ? i : 0;
}

/**
 * kyaml's SmarterPathSplitter: `.`-separated (a leading `.` dropped, `\.` a dot inside a field
 * name, as its PathSplitter reads them), a `[…=…]` part may hold dots.
 */
export function splitPath(path: string): string[] {
  const raw = path.split('.');
  if (raw.length > 1 && raw[0] === '') raw.shift();
  const split: string[] = [];
  for (const p of raw) {
    const last = split.length - 1;
    if (last >= 0 && (split[last] ?? '').endsWith('\\')) split[last] = `${(split[last] ?? '').slice(0, -1)}.${p}`;
    else split.push(p);
  }
  const out: string[] = [];
  for (let i = 0; i < split.length; i++) {
    const e = split[i] ?? '';
    if (e.startsWith('[') && !e.endsWith(']')) {
      const parts = [e];
      while (i < split.length - 1) {
        i++;
        parts.push(split[i] ?? '');
        if ((split[i] ?? '').endsWith(']')) break;
      }
      const joined = parts.join('.');
      out.push(joined.includes('=') ? joined : joined.replace(/^\[+|\]+$/g, ''));
    } else out.push(e);
  }
  return out;
}

/** kyaml's Lookup: fields, `[k=v]` (the first item whose `k` is `v`), an index, `-` (the last item). */
function lookup(root: YNode, path: readonly string[]): YNode | undefined {
  let cur: YNode | undefined = root;
  for (const part of path) {
    if (cur === undefined || cur.unknown) return cur;
    if (part.startsWith('[') && part.endsWith(']')) {
      if (!isSeq(cur)) return undefined;
      const [k, v] = splitIndex(part);
      if (k === undefined) return undefined;
      cur = cur.items.find((it) => (k === '' ? text(it) === v : text(getKey(it, k)) === v));
    } else if (/^\d+$/.test(part) || part === '-') {
      if (!isSeq(cur)) return undefined;
      cur = part === '-' ? cur.items[cur.items.length - 1] : cur.items[Number(part)];
    } else {
      if (!isMap(cur)) return undefined;
      cur = getKey(cur, part);
    }
  }
  return cur;
}

function splitIndex(part: string): [string | undefined, string] {
  const inner = part.slice(1, -1);
  const eq = inner.indexOf('=');
  return eq === -1 ? [undefined, ''] : [inner.slice(0, eq), inner.slice(eq + 1)];
}

/**
 * kyaml's PathMatcher: the places `path` reaches under `root`, created (a map, a list, or a
 * field of `create`'s kind at the end) where missing when `create` is given; undefined where
 * kustomize fails (a path through a scalar, an index past the end, an invalid expression).
 */
function matchPath(root: YNode, path: readonly string[], create: 'scalar' | 'map' | 'seq' | undefined): Slot[] | undefined {
  const out: Slot[] = [];
  let failed = false;
  const newNode = (next: string | undefined, at: Span): YNode => {
    if (next === undefined) {
      if (create === 'map') return mapNode(at);
      if (create === 'seq') return { kind: 'seq', span: at, items: [], unknown: false, flow: false };
      return { kind: 'scalar', span: at, value: null, unknown: false, quoted: false };
    }
    if (/^\d+$/.test(next) || next === '*' || (next.startsWith('[') && next.endsWith(']')))
      return { kind: 'seq', span: at, items: [], unknown: false, flow: false };
    return mapNode(at);
  };
  const walk = (slot: Slot, i: number): void => {
    if (failed) return;
    const part = path[i];
    if (part === undefined) {
      out.push(slot);
      return;
    }
    const n = slot.get();
    if (n === undefined) return;
    if (n.unknown) {
      // A templated part: the place is not known, nor is what the replacement does there.
      failed = true;
      return;
    }
    const next = path[i + 1];
    if (part === '*') {
      if (!isSeq(n)) return;
      n.items.forEach((_, j) => walk(itemSlot(n.items, j), i + 1));
      return;
    }
    if (/^\d+$/.test(part)) {
      if (!isSeq(n)) {
        failed = true;
        return;
      }
      const j = Number(part);
      if (j === n.items.length && create !== undefined) n.items.push(newNode(next, n.span));
      if (j >= n.items.length) {
        failed = true;
        return;
      }
      walk(itemSlot(n.items, j), i + 1);
      return;
    }
    if (part.startsWith('[') && part.endsWith(']')) {
      if (!isSeq(n)) return;
      const [k, v] = splitIndex(part);
      let re: RegExp;
      try {
        re = new RegExp(v);
      } catch {
        failed = true;
        return;
      }
      if (k === undefined) {
        failed = true;
        return;
      }
      const hits = (): number[] =>
        n.items.flatMap((it, j) => {
          const s = k === '' ? text(it) : text(getKey(it, k));
          return s !== undefined && re.test(s.trim()) ? [j] : [];
        });
      let js = hits();
      if (js.length === 0 && create !== undefined) {
        const at = n.span;
        const valueNode: YNode = { kind: 'scalar', span: at, value: v, unknown: false, quoted: true };
        const made: YMap = mapNode(at);
        if (k !== '') setKey(made, k, valueNode, at);
        n.items.push(k === '' ? valueNode : made);
        js = hits();
      }
      for (const j of js) walk(itemSlot(n.items, j), i + 1);
      return;
    }
    if (!isMap(n)) {
      // kyaml cannot look a field up in a scalar or a list: kustomize stops.
      failed = true;
      return;
    }
    let v = getKey(n, part);
    if (v === undefined) {
      if (create === undefined) return;
      v = newNode(next, n.span);
      setKey(n, part, v, n.span);
    }
    walk(pairSlot(n, part), i + 1);
  };
  walk({ get: () => root, set: () => undefined }, 0);
  return failed ? undefined : out;
}

function itemSlot(items: YNode[], j: number): Slot {
  return { get: () => items[j], set: (x) => (items[j] = x) };
}

function pairSlot(map: YMap, key: string): Slot {
  return { get: () => getKey(map, key), set: (x) => setKey(map, key, x) };
}

/** kustomize's ResId.IsSelectedBy for the id fields a selector gives (current or earlier names and namespaces). */
function selectedBy(r: Res, sel: YNode): boolean {
  const kind = text(getKey(sel, 'kind'));
  if (kind !== undefined && kind !== '' && kind !== kindOf(r)) return false;
  const group = text(getKey(sel, 'group'));
  if (group !== undefined && group !== '' && group !== groupOf(r)) return false;
  const version = text(getKey(sel, 'version'));
  const v = apiVersionOf(r);
  if (version !== undefined && version !== '' && version !== v.slice(v.indexOf('/') + 1)) return false;
  const name = text(getKey(sel, 'name'));
  if (name !== undefined && name !== '' && !r.names.includes(name) && !(r.previous ?? []).includes(name)) return false;
  const ns = text(getKey(sel, 'namespace'));
  if (ns !== undefined && ns !== '') {
    if (isClusterScoped(r)) return false;
    const want = ns === 'default' ? undefined : ns;
    const had = r.namespaces.map((x) => (x === 'default' || x === '' ? undefined : x));
    if (!had.includes(want) && effectiveNamespace(r) !== ns) return false;
  }
  return true;
}

function hasId(sel: YNode): boolean {
  return ['kind', 'group', 'version', 'name', 'namespace'].some((k) => (text(getKey(sel, k)) ?? '') !== '');
}

function hasSelectors(sel: YNode): boolean {
  return (text(getKey(sel, 'labelSelector')) ?? '') !== '' || (text(getKey(sel, 'annotationSelector')) ?? '') !== '';
}

function bySelectors(r: Res, sel: YNode): boolean {
  const meta = getKey(r.node, 'metadata');
  const labels = text(getKey(sel, 'labelSelector'));
  const annotations = text(getKey(sel, 'annotationSelector'));
  if (labels !== undefined && labels !== '' && !selectorMatches(labels, getKey(meta, 'labels'))) return false;
  if (annotations !== undefined && annotations !== '' && !selectorMatches(annotations, getKey(meta, 'annotations'))) return false;
  return true;
}
