/**
 * `configMapGenerator` and `secretGenerator`: ConfigMaps and Secrets made from literals, files and
 * env files, and kustomize's content-hash name suffix (its `hasher` package: SHA-256 of the
 * object's kind, name, data (and type) encoded as Go's encoding/json would, the first ten hex
 * digits with 0, 1, 3, a and e replaced by g, h, k, m and t, so a suffix never reads as a number).
 * The name it hashes is always empty: `hasher.getNodeValues` looks `metadata/name` up as one field
 * name (`yaml.Lookup("metadata/name")`), finds nothing and uses "". Checked against `kubectl
 * kustomize` (kustomize v5.5.0): `literals: [a=b]` on ConfigMap `c` gives `c-4h2mbtbbt6`.
 */

import type { Span } from '../../types.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import { isMap, isSeq } from '../../syntax/tree.js';
import { getKey, mapNode, plain, removeWhere, scalarNode, setKey, text } from './nodes.js';
import type { Res } from './resource.js';
// One SHA-256 in the core: the Sprig digest functions' (FIPS 180-4, lowercase hex of the UTF-8 bytes).
import { base64Encode, sha256 as sha256Hex } from '../helm/funcs/digest.js';
import { utf8Encode } from '../helm/template/utf8.js';

/** Go's json.Marshal of plain data: object keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string')
    return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${goJson(k)}:${goJson(o[k])}`)
    .join(',')}}`;
}

export function encodeHash(hex: string): string {
  const sub: Readonly<Record<string, string>> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => sub[c] ?? c).join('');
}

/** kustomize's name suffix of a ConfigMap or Secret node; undefined when its content is not known. */
export function contentHash(node: YMap): string | undefined {
  const kind = text(getKey(node, 'kind'));
  const name = text(getKey(getKey(node, 'metadata'), 'name'));
  const data = plain(getKey(node, 'data')) ?? {};
  if (name === undefined || data === undefined) return undefined;
  // kustomize's hasher never finds the name (see above): it hashes "".
  const m: Record<string, unknown> = { kind, name: '', data: data ?? {} };
  if (kind === 'ConfigMap') {
    const binary = plain(getKey(node, 'binaryData'));
    if (binary === undefined) return undefined;
    if (binary !== null && typeof binary === 'object' && Object.keys(binary).length > 0) m['binaryData'] = binary;
  } else if (kind === 'Secret') {
    m['type'] = text(getKey(node, 'type')) ?? '';
  } else return undefined;
  return encodeHash(sha256Hex(goJson(m)));
}

export interface GeneratorInput {
  /** The text of a file named relative to the kustomization, or undefined when it is not in the workspace. */
  readonly read: (rel: string, at: Span) => string | undefined;
}

/**
 * `KEY=value` lines of an env file as kustomize reads them (its `kv` loader): a BOM at the start
 * and leading white space dropped, blank lines and `#` comments skipped, a bare `KEY` is the
 * empty value.
 */
function envPairs(textOf: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const raw of textOf.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    if (i === 0) continue;
    out.push(i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i + 1)]);
  }
  return out;
}

export interface Generated {
  readonly node: YMap;
  readonly hashSuffix: boolean;
  readonly contentUnknown: boolean;
  readonly behavior: string;
}

/**
 * The object one generator entry makes. Spans point into the kustomization (`span` for parts that
 * have no text of their own).
 */
/**
 * A Secret value as kustomize writes it (api/internal/generators `encodeBase64`): base64 in lines of
 * 70 characters, each ended by a line break once the text is longer than one line (72 characters of
 * base64 are `…70…\n==\n`; 68 stay on one line). The content hash reads these lines too. Checked
 * against kubectl kustomize v5.5.0.
 */
function secretValue(s: string): string {
  const b64 = base64Encode(utf8Encode(s));
  const lines = Math.floor(b64.length / 70) + 1;
  if (lines === 1) return b64;
  let out = '';
  for (let i = 0; i < b64.length; i += 70) out += `${b64.slice(i, i + 70)}\n`;
  return out;
}

export function generate(
  kind: 'ConfigMap' | 'Secret',
  entry: YNode,
  options: YNode | undefined,
  input: GeneratorInput,
  span: Span,
): Generated | undefined {
  const nameNode = getKey(entry, 'name');
  const name = text(nameNode);
  if (name === undefined) return undefined;
  const data = new Map<string, string>();
  let contentUnknown = false;
  const literals = getKey(entry, 'literals');
  if (isSeq(literals)) {
    for (const l of literals.items) {
      const s = text(l);
      if (s === undefined) {
        contentUnknown = true;
        continue;
      }
      const i = s.indexOf('=');
      if (i <= 0) continue;
      let v = s.slice(i + 1);
      if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) v = v.slice(1, -1);
      data.set(s.slice(0, i), v);
    }
  }
  const files = getKey(entry, 'files');
  if (isSeq(files)) {
    for (const f of files.items) {
      const s = text(f);
      if (s === undefined) {
        contentUnknown = true;
        continue;
      }
      const eq = s.indexOf('=');
      const key = eq > 0 ? s.slice(0, eq) : s.slice(s.lastIndexOf('/') + 1);
      const path = eq > 0 ? s.slice(eq + 1) : s;
      const content = input.read(path, f.span);
      if (content === undefined) contentUnknown = true;
      else data.set(key, content);
    }
  }
  const envs = [...(isSeq(getKey(entry, 'envs')) ? (getKey(entry, 'envs') as { items: YNode[] }).items : []), getKey(entry, 'env')].filter(
    (e): e is YNode => e !== undefined,
  );
  for (const e of envs) {
    const s = text(e);
    const content = s === undefined ? undefined : input.read(s, e.span);
    if (content === undefined) contentUnknown = true;
    else for (const [k, v] of envPairs(content)) data.set(k, v);
  }
  const meta = mapNode(span);
  setKey(meta, 'name', scalarNode(name, nameNode?.span ?? span));
  // The generator's own `namespace` (kustomize's GeneratorArgs), which a kustomization's `namespace` replaces later.
  const nsNode = getKey(entry, 'namespace');
  const ns = text(nsNode);
  if (ns !== undefined && ns !== '') setKey(meta, 'namespace', scalarNode(ns, nsNode?.span ?? span));
  const own = getKey(entry, 'options');
  for (const field of ['labels', 'annotations']) {
    const merged = mapNode(span);
    for (const src of [options, own]) {
      const m = getKey(src, field);
      if (isMap(m)) for (const p of m.pairs) if (p.value !== undefined) setKey(merged, p.key, p.value, p.keySpan);
    }
    if (merged.pairs.length > 0) setKey(meta, field, merged);
  }
  const node = mapNode(span);
  setKey(node, 'apiVersion', scalarNode('v1', span));
  setKey(node, 'kind', scalarNode(kind, span));
  setKey(node, 'metadata', meta);
  if (kind === 'Secret') setKey(node, 'type', scalarNode(text(getKey(entry, 'type')) ?? 'Opaque', getKey(entry, 'type')?.span ?? span));
  const dataNode = mapNode(span);
  for (const k of [...data.keys()].sort())
    setKey(dataNode, k, scalarNode(kind === 'Secret' ? secretValue(data.get(k) ?? '') : (data.get(k) ?? ''), span), span);
  if (contentUnknown) dataNode.unknown = true;
  setKey(node, 'data', dataNode);
  const flag = (n: YNode | undefined, key: string): boolean => plain(getKey(n, key)) === true;
  // kustomize's MergeGlobalOptionsIntoLocal: either level's `immutable` or `disableNameSuffixHash` holds.
  if (flag(options, 'immutable') || flag(own, 'immutable')) {
    const at = getKey(own, 'immutable') ?? getKey(options, 'immutable');
    setKey(node, 'immutable', scalarNode(true, at?.span ?? span, false));
  }
  return {
    node,
    hashSuffix: !flag(options, 'disableNameSuffixHash') && !flag(own, 'disableNameSuffixHash'),
    contentUnknown,
    behavior: text(getKey(entry, 'behavior')) ?? 'create',
  };
}

/**
 * A generator with `behavior: merge | replace` (kustomize's appendReplaceOrMerge): the generated
 * object takes the place of the existing one, with the existing one's name and namespace, its
 * labels and annotations under the generated ones, and for `merge` its `data` and `binaryData`
 * under the generated ones; everything else is the generated object's (`type`, `immutable`).
 */
export function mergeGenerated(existing: Res, behavior: 'merge' | 'replace', generated: YMap): void {
  const old = existing.node;
  const oldMeta = getKey(old, 'metadata');
  const meta = getKey(generated, 'metadata');
  if (!isMap(meta)) return;
  for (const field of ['labels', 'annotations']) {
    const before = getKey(oldMeta, field);
    if (!isMap(before)) continue;
    const now = getKey(meta, field);
    const merged = { ...before, pairs: [...before.pairs] };
    if (isMap(now)) for (const p of now.pairs) if (p.value !== undefined) setKey(merged, p.key, p.value, p.keySpan);
    merged.unknown = before.unknown || (isMap(now) && now.unknown);
    setKey(meta, field, merged);
  }
  for (const field of ['name', 'namespace']) {
    const v = getKey(oldMeta, field);
    if (v !== undefined) setKey(meta, field, v);
    else removeWhere(meta.pairs, (p) => p.key === field);
  }
  if (behavior === 'merge') {
    for (const field of ['data', 'binaryData']) {
      const before = getKey(old, field);
      if (!isMap(before)) continue;
      const now = getKey(generated, field);
      const merged = { ...before, pairs: [...before.pairs] };
      if (isMap(now)) for (const p of now.pairs) if (p.value !== undefined) setKey(merged, p.key, p.value, p.keySpan);
      merged.unknown = before.unknown || (isMap(now) && now.unknown);
      setKey(generated, field, merged);
    }
  }
  existing.node = generated;
}
