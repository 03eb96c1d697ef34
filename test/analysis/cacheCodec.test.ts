/**
 * The warm-start cache's codec (analysis/cache/codec.ts): what goes in comes out (property order,
 * properties whose value is undefined, shared and cyclic objects (leaves as equal copies), Maps and Sets, every kind of
 * number), repeated strings are stored once, and bytes that are not a complete encoding — cut
 * anywhere, any byte changed, another version, bytes left over — throw a `CodecError` and nothing
 * else, and never give an object another prototype.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost, CodecError, decodeValue, encodeValue, encodeValueChunks } from '../../analysis/index.js';
import type { Utf8 } from '../../analysis/index.js';
import { mixedWorkspace } from '../support/corpus.js';

/** The codec with UTF-8 as the server gives it (analysis/cache/codec.ts `Utf8`). */
const UTF8: Utf8 = { encode: (text) => new TextEncoder().encode(text), decode: (bytes) => new TextDecoder().decode(bytes) };
const encode = (value: unknown): Uint8Array => encodeValue(value, UTF8);
const decode = (bytes: Uint8Array): unknown => decodeValue(bytes, UTF8);

function sample(): Record<string, unknown> {
  const span = { start: 3, end: 17 };
  const shared = { key: 'app', value: { known: true, value: 'web', span } };
  const cyclic: Record<string, unknown> = { name: 'self' };
  cyclic['me'] = cyclic;
  const own = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
  return {
    uri: 'file:///w/a.yaml',
    missing: undefined,
    nothing: null,
    yes: true,
    no: false,
    numbers: [0, 1, 127, 128, 16_383, 16_384, 2 ** 40, -1, -300, -(2 ** 45), 2 ** 60, -0, 0.5, -2.25, NaN, Infinity, -Infinity, 1e-300],
    lineStarts: [0, 12, 40, 41, 90, 1_000_000],
    descending: [90, 41, 40, 12, 0, -7],
    // A values file's whole numbers (the warm-start cache keeps a chart's values): -0 stays -0 in a run too.
    negativeZeroRun: [3, 2, -0, 1, 0],
    mixed: [1, 2, 3, 'four', 5],
    labels: new Map<unknown, unknown>([
      ['app', 'web'],
      [7, { nested: [shared] }],
    ]),
    set: new Set(['a', 'b', 3]),
    entries: [shared, shared, { other: shared.value }],
    span,
    again: span,
    cyclic,
    own,
    empty: {},
    emptyList: [],
    emptyMap: new Map(),
    nulKeys: [
      { 'a\u0000b': 1, c: 2 },
      { a: 1, 'b\u0000c': 2 },
    ],
    unicode: 'µs — ✓ 😀 \u0000 "quoted" \\',
  };
}

it('gives back what it was given: order, undefined properties, shared and cyclic objects, Maps, Sets, numbers', () => {
  const value = sample();
  const back = decode(encode(value)) as Record<string, unknown>;
  assert.deepStrictEqual(back, value);
  assert.deepEqual(Object.keys(back), Object.keys(value), 'property order');
  assert.ok('missing' in back && back['missing'] === undefined, 'an undefined property stays a property');
  assert.ok(Object.is((back['numbers'] as number[])[11], -0), '-0 stays -0');
  const entries = back['entries'] as Array<Record<string, unknown>>;
  assert.equal(entries[0], entries[1], 'an object met twice is one object');
  assert.equal((entries[2] as { other: unknown }).other, (entries[0] as { value: unknown }).value);
  // A leaf (only primitives inside) is not tracked: met twice, it comes back as two equal copies.
  assert.deepEqual(back['again'], back['span']);
  const cyclic = back['cyclic'] as Record<string, unknown>;
  assert.equal(cyclic['me'], cyclic, 'a cycle survives');
  const own = back['own'] as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(own), Object.prototype, '__proto__ is an own property, not the prototype');
  assert.deepEqual(Object.getOwnPropertyDescriptor(own, '__proto__')?.value, { polluted: true });
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

it('stores a repeated string once', () => {
  const long = 'file:///home/user/platform/apps/frontend/deployment.yaml';
  const bytes = encode(Array.from({ length: 1000 }, (_, i) => ({ uri: long, ordinal: i })));
  // A tag, a shape, the string and the ordinal: at most eight bytes an object, the URI once.
  assert.ok(bytes.length < long.length + 1000 * 8, `${bytes.length} bytes for 1,000 objects naming one URI`);
});

it("round-trips a workspace's lowered facts and check results, smaller than the structured clone", async () => {
  const { serialize } = await import('node:v8');
  const host = new AnalysisHost();
  const files = mixedWorkspace();
  for (const [uri, text] of files) host.setFile(uri, text);
  host.snapshot().diagnostics();
  const pack = { files: [...files.keys()].map((uri) => host.factsForCache(uri)), checks: host.checksForCache() };
  const bytes = encode(pack);
  assert.deepStrictEqual(decode(bytes), pack);
  const clone = serialize(pack).length;
  assert.ok(bytes.length * 2 < clone, `${bytes.length} bytes, structured clone ${clone}`);
});

it('writes a large value in pieces of at most a megabyte that join into its encoding (never one buffer grown by copying)', () => {
  // Floats, long integers and references at every offset, so items straddle every piece's end.
  const shared = { name: 'shared', labels: new Map([['app', 'web']]) };
  const value = Array.from({ length: 150_000 }, (_, i) => ({
    i,
    f: i + 0.5,
    big: 2 ** 40 + i * 7,
    s: `name-${i % 997}`,
    span: { start: i, end: i * 3 },
    ref: i % 5 === 0 ? shared : [i, 'x'],
  }));
  const chunks = encodeValueChunks(value, UTF8);
  let length = 0;
  for (const c of chunks) {
    assert.ok(c.length <= 1 << 20, `a piece of ${c.length} bytes`);
    length += c.length;
  }
  assert.ok(length > 3 * (1 << 20) && chunks.length > 4, `${length} bytes in ${chunks.length} pieces`);
  const joined = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    joined.set(c, at);
    at += c.length;
  }
  assert.deepStrictEqual(joined, encode(value));
  const back = decode(joined) as Array<{ ref: unknown }>;
  assert.deepStrictEqual(back, value);
  assert.equal(back[0]?.ref, back[5]?.ref, 'a shared object comes back as one object');
});

it('refuses what it cannot hold', () => {
  class Point {
    x = 1;
  }
  for (const v of [new Point(), () => 1, Symbol('s'), 10n, { nested: [new Date()] }])
    assert.throws(() => encode(v), CodecError, String(typeof v));
});

/** Decodes `bytes`; the value, or the CodecError, and fails on any other error. */
function tryDecode(bytes: Uint8Array, what: string): unknown {
  try {
    return decode(bytes);
  } catch (e) {
    assert.ok(e instanceof CodecError, `${what}: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
    return e;
  }
}

/** Every object in `v` has a prototype the codec makes (Object, Array, Map, Set). */
function prototypesOk(v: unknown, seen = new Set<unknown>()): boolean {
  if (v === null || typeof v !== 'object' || seen.has(v)) return true;
  seen.add(v);
  const proto: unknown = Object.getPrototypeOf(v);
  if (![Object.prototype, Array.prototype, Map.prototype, Set.prototype, CodecError.prototype].includes(proto as object)) return false;
  if (v instanceof Map) return [...v].every(([k, x]) => prototypesOk(k, seen) && prototypesOk(x, seen));
  if (v instanceof Set) return [...v].every((x) => prototypesOk(x, seen));
  return Object.values(v).every((x) => prototypesOk(x, seen));
}

it('corrupted on purpose: every cut and every changed byte is refused with a CodecError or read as some plain value', () => {
  const bytes = encode(sample());
  for (let n = 0; n < bytes.length; n++) assert.ok(tryDecode(bytes.subarray(0, n), `cut at ${n}`) instanceof CodecError, `cut at ${n}`);
  let refused = 0;
  for (let i = 0; i < bytes.length; i++) {
    for (const flip of [0x01, 0x80, 0xff]) {
      const bad = Uint8Array.from(bytes);
      bad[i] = (bad[i] ?? 0) ^ flip;
      const got = tryDecode(bad, `byte ${i} ^ ${flip}`);
      if (got instanceof CodecError) refused++;
      else assert.ok(prototypesOk(got), `byte ${i} ^ ${flip}: only plain objects`);
    }
  }
  assert.ok(refused > bytes.length, `most changes are refused (${refused} of ${bytes.length * 3})`);
  assert.throws(() => decode(new Uint8Array([...bytes, 0])), /after the value/);
  assert.throws(() => decode(Uint8Array.from([2, ...bytes.subarray(1)])), /not codec version/);
  assert.throws(() => decode(new Uint8Array()), CodecError);
  // A huge count in a short file is refused before anything is allocated for it.
  assert.throws(() => decode(new Uint8Array([1, 2, 0x5b, 0x5d, 8, 0xff, 0xff, 0xff, 0xff, 0x0f])), /past the end/);
});
