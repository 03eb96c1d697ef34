/**
 * `NpUnions` (analysis/reachability/sideEntries.ts): the per-atom union of a side's NetworkPolicy
 * entries that the tiered sides read instead of OR-ing the entries for every pod. Each atom's
 * union must be the OR of exactly the entries that hold the atom (`any` taking a maybe-selecting
 * side's `any` over `maybe`), and atoms held by the same entries must share one key, with more
 * than 30 entries too (the key is then a string).
 */

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { SideEntry } from '../../analysis/reachability/sideEntries.js';
import { BitsSlab } from '../../analysis/reachability/bitset.js';
import { NP_KEYS, npUnionsOf } from '../../analysis/reachability/sideEntries.js';
import { rng } from '../support/fuzz.js';

function randomBits(r: () => number, words: number, density: number): Uint32Array {
  const b = new Uint32Array(words);
  for (let i = 0; i < words * 32; i++) if (r() < density) b[i >>> 5] = (b[i >>> 5] ?? 0) | (1 << (i & 31));
  return b;
}

const has = (b: Uint32Array, i: number): boolean => ((b[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;

for (const [entries, seed] of [
  [4, 1],
  [29, 2],
  [30, 3],
  [45, 4],
] as const) {
  test(`NetworkPolicy entry unions per atom: ${entries} entries`, () => {
    const r = rng(seed);
    const atoms = 40;
    const words = 3;
    const np: SideEntry[] = [];
    for (let i = 0; i < entries; i++)
      np.push({
        atoms: randomBits(r, 2, 0.15),
        yes: randomBits(r, words, 0.2),
        maybe: randomBits(r, words, 0.2),
        any: r() < 0.5 ? randomBits(r, words, 0.3) : undefined,
      });
    const slab = new BitsSlab(1024);
    const unions = npUnionsOf(np, slab);
    assert.equal(npUnionsOf(np, new BitsSlab()), unions, 'one NpUnions per entries list');
    const byCover = new Map<string, string | number>();
    for (let a = 0; a < atoms; a++) {
      const u = unions.at(a);
      const yes = new Uint32Array(words);
      const any = new Uint32Array(words);
      const cover: number[] = [];
      np.forEach((en, i) => {
        if (!has(en.atoms, a)) return;
        cover.push(i);
        for (let w = 0; w < words; w++) {
          yes[w] = (yes[w] ?? 0) | (en.yes[w] ?? 0);
          any[w] = (any[w] ?? 0) | (en.yes[w] ?? 0) | ((en.any ?? en.maybe)[w] ?? 0);
        }
      });
      assert.deepEqual([...u.yes], [...yes], `atom ${a}: yes`);
      assert.deepEqual([...u.any], [...any], `atom ${a}: any`);
      if (cover.every((i) => i < 30)) assert.ok(typeof u.key === 'number' && u.key < NP_KEYS, `atom ${a}: a numeric key`);
      else assert.equal(typeof u.key, 'string', `atom ${a}: entries past the 30th`);
      const c = cover.join(',');
      const seen = byCover.get(c);
      if (seen === undefined) {
        assert.ok(![...byCover.values()].includes(u.key), `atom ${a}: other entries, another key`);
        byCover.set(c, u.key);
      } else assert.equal(u.key, seen, `atom ${a}: the same entries, the same key`);
      assert.equal(unions.at(a), u, `atom ${a}: computed once`);
    }
  });
}

test('NetworkPolicy entry unions: an id per content, shared by lists that hold the same entry sets (the tiered sides key their results by it)', () => {
  const r = rng(7);
  const words = 3;
  const set = (): { yes: Uint32Array; maybe: Uint32Array } => ({ yes: randomBits(r, words, 0.2), maybe: randomBits(r, words, 0.2) });
  const [a, b, c] = [set(), set(), set()];
  const atoms = (...on: number[]): Uint32Array => {
    const b = new Uint32Array(1);
    for (const a of on) b[0] = (b[0] ?? 0) | (1 << a);
    return b;
  };
  // Lists of pods alike share entries' sets, each list with its own atoms: atom 0 one entry alone, atom 1 two, atom 2 none.
  const first = npUnionsOf(
    [
      { atoms: atoms(0, 1), ...a },
      { atoms: atoms(1), ...b },
    ],
    new BitsSlab(),
  );
  const second = npUnionsOf(
    [
      { atoms: atoms(1), ...b },
      { atoms: atoms(0, 1, 3), ...a },
      { atoms: atoms(4), ...c },
    ],
    new BitsSlab(),
  );
  assert.equal(second.at(0).id, first.at(0).id, 'one entry alone with the same sets: the same union');
  assert.deepEqual([...second.at(0).any], [...first.at(0).any]);
  assert.notEqual(second.at(4).id, first.at(0).id, 'another entry: another union');
  assert.equal(second.at(2).id, first.at(2).id, 'no entry: the same empty union');
  assert.deepEqual([...second.at(2).yes], [0, 0, 0]);
  const ids = new Set([first.at(0).id, first.at(1).id, first.at(2).id, second.at(1).id, second.at(4).id]);
  assert.equal(ids.size, 5, 'unions of several entries belong to their list; different contents never share an id');
  assert.equal(second.at(3).id, second.at(0).id, 'atoms the same entries hold in one list share it');
});

test('BitsSlab: zeroed, disjoint sets across buffers; large sets get their own buffer', () => {
  const slab = new BitsSlab(256);
  const sets = Array.from({ length: 40 }, (_, i) => {
    const b = slab.words(5);
    assert.deepEqual([...b], [0, 0, 0, 0, 0], `set ${i} is zeroed`);
    b.fill(i + 1);
    return b;
  });
  sets.forEach((b, i) => assert.deepEqual([...b], [i + 1, i + 1, i + 1, i + 1, i + 1], `set ${i} kept its words`));
  assert.ok(new Set(sets.map((b) => b.buffer)).size > 1, 'the sets span several buffers');
  const big = slab.words(100);
  assert.equal(big.length, 100);
  assert.equal(big.byteOffset, 0);
  assert.notEqual(big.buffer, sets[sets.length - 1]?.buffer);
});
