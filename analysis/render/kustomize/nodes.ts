/**
 * Mutable copies of parsed YAML trees for the Kustomize builder. Parsed trees are shared (aliases,
 * cached documents) and never changed: the builder copies what it loads, and every copied span
 * records the file it lies in when that is not the file the object comes from (`Span.uri`).
 */

import type { Span } from '../../types.js';
import type { ScalarValue, YMap, YNode, YPair, YScalar } from '../../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { kustomizeScalarValue } from './folded.js';

/** Nodes copied per loaded document at most (alias bombs stay cheap). */
const CLONE_BUDGET = 200_000;

/** A span in `uri` (undefined: the file of the object that holds it). */
export function spanIn(span: Span, uri: string | undefined): Span {
  if (uri === undefined) return span.uri === undefined ? span : { start: span.start, end: span.end };
  return span.uri === uri ? span : { start: span.start, end: span.end, uri };
}

/**
 * A deep copy of `n` whose spans lie in `uri` (undefined: the object's own file). `map` remaps
 * offsets (an inline patch parsed out of a block scalar). With `loadedFrom`, the text `n`'s own
 * spans index (a resource or a strategic merge patch), folded scalars get the value kustomize
 * writes out for them (`folded.ts`).
 */
export function cloneNode(n: YNode, uri: string | undefined, map?: (offset: number) => number, loadedFrom?: string): YNode {
  return mapSpans(
    n,
    (s) => (map === undefined ? spanIn(s, uri) : spanIn({ start: map(s.start), end: map(s.end) }, uri)),
    loadedFrom === undefined ? undefined : (x) => kustomizeScalarValue(x, loadedFrom),
  );
}

/**
 * A deep copy of `n` with every span passed through `sp` and every scalar's value through
 * `value` (past the copy budget, nodes are unknown).
 */
export function mapSpans(n: YNode, sp: (s: Span) => Span, value?: (x: YScalar) => ScalarValue): YNode {
  let budget = CLONE_BUDGET;
  const walk = (x: YNode): YNode => {
    if (--budget < 0) return { kind: 'scalar', span: sp(x.span), value: null, unknown: true, quoted: false };
    if (x.kind === 'scalar')
      return { kind: 'scalar', span: sp(x.span), value: value === undefined ? x.value : value(x), unknown: x.unknown, quoted: x.quoted };
    if (x.kind === 'seq') return { kind: 'seq', span: sp(x.span), items: x.items.map(walk), unknown: x.unknown, flow: x.flow };
    return {
      kind: 'map',
      span: sp(x.span),
      unknown: x.unknown,
      flow: x.flow,
      pairs: x.pairs.map((p) => ({
        key: p.key,
        keySpan: sp(p.keySpan),
        keyUnknown: p.keyUnknown,
        value: p.value === undefined ? undefined : walk(p.value),
      })),
    };
  };
  return walk(n);
}

export function scalarNode(value: ScalarValue, span: Span, quoted = typeof value === 'string'): YScalar {
  return { kind: 'scalar', span, value, unknown: false, quoted };
}

export function mapNode(span: Span, pairs: YPair[] = []): YMap {
  return { kind: 'map', span, pairs, unknown: false, flow: false };
}

/**
 * Sets `key` in `map` (replacing an existing pair in place, else appending). The key's span is
 * `keySpan` when given (the file that set it), else the existing key's, else the value's.
 */
export function setKey(map: YMap, key: string, value: YNode, keySpan?: Span): void {
  const i = map.pairs.findIndex((p) => p.key === key);
  const pair: YPair = {
    key,
    keySpan: keySpan ?? (i === -1 ? value.span : (map.pairs[i]?.keySpan ?? value.span)),
    value,
    keyUnknown: false,
  };
  if (i === -1) map.pairs.push(pair);
  else map.pairs[i] = pair;
}

export function getKey(n: YNode | undefined, key: string): YNode | undefined {
  if (!isMap(n)) return undefined;
  for (let i = n.pairs.length - 1; i >= 0; i--) if (n.pairs[i]?.key === key) return n.pairs[i]?.value;
  return undefined;
}

/** The map at `path` under `root`, created (with `span`) when `create` and missing; undefined if a non-map is in the way. */
export function mapAt(root: YMap, path: readonly string[], create: boolean, span: Span): YMap | undefined {
  let cur: YMap = root;
  for (const k of path) {
    const next = getKey(cur, k);
    if (isMap(next)) {
      cur = next;
      continue;
    }
    if (!create || (next !== undefined && !(isScalar(next) && next.value === null && !next.unknown))) return undefined;
    const made = mapNode(span);
    setKey(cur, k, made, span);
    cur = made;
  }
  return cur;
}

/** A known string (numbers and booleans as YAML prints them), else undefined. */
export function text(n: YNode | undefined): string | undefined {
  if (!isScalar(n) || n.unknown || n.value === null) return undefined;
  return String(n.value);
}

/** The plain value of a node (for hashing and comparing); undefined where a template decides it. */
export function plain(n: YNode | undefined): unknown {
  if (n === undefined) return null;
  if (n.unknown) return undefined;
  if (isScalar(n)) return n.value;
  if (isSeq(n)) return n.items.map(plain);
  const out: Record<string, unknown> = {};
  for (const p of n.pairs) out[p.key] = plain(p.value);
  return out;
}

/**
 * `n` with every string scalar that holds one of `texts` unknown (template text a kustomization
 * copied into the objects, build.ts `templateText`); copied only where something changes, so
 * shared nodes are never written.
 */
export function unknownTemplateText<T extends YNode>(n: T, texts: ReadonlySet<string>): T {
  if (isScalar(n)) {
    const v = n.value;
    return (typeof v === 'string' && !n.unknown && [...texts].some((t) => v.includes(t)) ? { ...n, unknown: true } : n) as T;
  }
  if (isSeq(n)) {
    const items = n.items.map((i) => unknownTemplateText(i, texts));
    return (items.every((x, i) => x === n.items[i]) ? n : { ...n, items }) as T;
  }
  if (isMap(n)) {
    const pairs = n.pairs.map((p) => {
      const value = p.value === undefined ? undefined : unknownTemplateText(p.value, texts);
      return value === p.value ? p : { ...p, value };
    });
    return (pairs.every((x, i) => x === n.pairs[i]) ? n : { ...n, pairs }) as T;
  }
  return n;
}

/** Does a node hold an unknown part anywhere? */
export function hasUnknown(n: YNode | undefined): boolean {
  if (n === undefined) return false;
  if (n.unknown) return true;
  if (isSeq(n)) return n.items.some(hasUnknown);
  if (isMap(n)) return n.pairs.some((p) => p.keyUnknown || hasUnknown(p.value));
  return false;
}

/** Every node under `root` reached by `path` (`[]` steps into each item of a sequence). */
export function nodesAt(root: YNode | undefined, path: readonly string[]): Array<{ parent: YMap; key: string; node: YNode | undefined }> {
  const out: Array<{ parent: YMap; key: string; node: YNode | undefined }> = [];
  const walk = (n: YNode | undefined, i: number): void => {
    if (n === undefined) return;
    const step = path[i];
    if (step === undefined) return;
    if (step === '[]') {
      if (isSeq(n)) for (const it of n.items) walk(it, i + 1);
      return;
    }
    if (!isMap(n)) return;
    const v = getKey(n, step);
    if (i === path.length - 1) out.push({ parent: n, key: step, node: v });
    else walk(v, i + 1);
  };
  walk(root, 0);
  return out;
}

/** Removes, in place, the elements of `list` that `drop` picks. */
export function removeWhere<T>(list: T[], drop: (x: T) => boolean): void {
  for (let i = list.length - 1; i >= 0; i--) if (drop(list[i] as T)) list.splice(i, 1);
}

/**
 * The offset in the kustomization of an offset in a block scalar's value (an inline patch), line
 * by line; other scalars map every offset to their start.
 */
export function blockOffsets(fileText: string | undefined, node: YNode, value: string): (o: number) => number {
  const start = node.span.start;
  if (fileText === undefined || fileText[start] !== '|') return () => start;
  const firstNl = fileText.indexOf('\n', start);
  if (firstNl === -1) return () => start;
  const valueLines = value.split('\n');
  const lineStarts: Array<{ value: number; file: number }> = [];
  let filePos = firstNl + 1;
  let indent: number | undefined;
  let valuePos = 0;
  for (const line of valueLines) {
    // Blank lines of the file may hold no indentation.
    const eol = fileText.indexOf('\n', filePos);
    const fileLine = fileText.slice(filePos, eol === -1 ? fileText.length : eol);
    if (indent === undefined && line !== '') indent = fileLine.length - fileLine.trimStart().length;
    lineStarts.push({ value: valuePos, file: filePos + (line === '' ? 0 : (indent ?? 0)) });
    valuePos += line.length + 1;
    if (eol === -1) break;
    filePos = eol + 1;
  }
  return (o: number): number => {
    let best = lineStarts[0];
    for (const l of lineStarts) if (l.value <= o) best = l;
    return best === undefined ? start : best.file + (o - best.value);
  };
}

/**
 * Whether two built trees are the same down to every span (and the file each lies in): a
 * later build's object that is the same as an earlier one lowers to the same object.
 */
export function sameTree(a: YNode, b: YNode): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.unknown !== b.unknown || !sameSpan(a.span, b.span)) return false;
  if (a.kind === 'scalar') return b.kind === 'scalar' && a.value === b.value && a.quoted === b.quoted;
  if (a.kind === 'seq') {
    if (b.kind !== 'seq' || a.flow !== b.flow || a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const x = a.items[i];
      const y = b.items[i];
      if (x === undefined || y === undefined || !sameTree(x, y)) return false;
    }
    return true;
  }
  if (b.kind !== 'map' || a.flow !== b.flow || a.pairs.length !== b.pairs.length) return false;
  for (let i = 0; i < a.pairs.length; i++) {
    const p = a.pairs[i];
    const q = b.pairs[i];
    if (p === undefined || q === undefined || p.key !== q.key || p.keyUnknown !== q.keyUnknown || !sameSpan(p.keySpan, q.keySpan))
      return false;
    if (p.value === undefined || q.value === undefined ? p.value !== q.value : !sameTree(p.value, q.value)) return false;
  }
  return true;
}

function sameSpan(a: Span, b: Span): boolean {
  return a.start === b.start && a.end === b.end && a.uri === b.uri;
}
