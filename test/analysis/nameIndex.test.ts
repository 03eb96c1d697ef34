/**
 * The "did you mean" index (analysis/checks/support/nameIndex.ts) answers exactly what measuring every
 * name gives (`nearestNames` in similarity.ts), on seeded random names made to collide: shared
 * stems, Service suffixes, case and separator variants, one-character edits, long names.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { NameIndex, nearReference } from '../../analysis/checks/support/nameIndex.js';
import { nearestNames } from '../../analysis/checks/support/similarity.js';
import { rng } from '../../scripts/bench/generate.js';

function randomNames(seed: number, count: number): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  // Some stems past 32 characters: the index measures those without its bit-vector distance.
  const stems = [
    'store',
    'api',
    'payments-ledger',
    'web',
    'auth',
    'cart',
    'db',
    'a',
    'Store_API',
    'x.y',
    'payments-ledger-reconciliation-backend',
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let n = pick(stems);
    if (r() < 0.6) n += `-${Math.floor(r() * 40)}`;
    if (r() < 0.3) n += pick(['-svc', '-service', '-srv', 's', '-backend']);
    if (r() < 0.2) {
      // One random edit.
      const at = Math.floor(r() * (n.length + 1));
      const c = pick([...'abcxyz019-_.E']);
      n = r() < 0.5 ? n.slice(0, at) + c + n.slice(at) : n.slice(0, at) + n.slice(at + 1);
    }
    if (r() < 0.03) n = n.repeat(Math.ceil(300 / Math.max(1, n.length)));
    if (n !== '') out.push(n);
  }
  return out;
}

it('NameIndex.near and nearest equal nearestNames over every name', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const names = randomNames(seed, 80 + seed * 10);
    const index = new NameIndex(names);
    const wants = [...randomNames(seed + 100, 60), ...names.slice(0, 20)];
    for (const want of wants) {
      for (const max of [1, 3, 5])
        assert.deepEqual(index.near(want, max), nearReference(want, names, max), `near(${JSON.stringify(want)}, ${max}), seed ${seed}`);
      for (const max of [1, 5, 200])
        assert.deepEqual(
          index.nearest(want, max),
          nearestNames(want, names, max),
          `nearest(${JSON.stringify(want)}, ${max}), seed ${seed}`,
        );
    }
  }
});

it('NameIndex finds the near-misses the absence checks name', () => {
  const index = new NameIndex(['store', 'store-api', 'payments', 'STORE_API', 'cart-svc']);
  // "store-api" is 3 edits away (within ⌊9/3⌋), "store" the same Service stem at 4.
  assert.deepEqual(index.near('store-svc', 3), ['store-api', 'store']);
  assert.deepEqual(index.near('cart', 3), ['cart-svc']);
  assert.deepEqual(index.near('storeapi', 3), ['STORE_API', 'store-api']);
  assert.deepEqual(index.near('zzzzzzzzzz', 3), []);
  assert.deepEqual(index.nearest('zzzzzzzzzz', 2), ['STORE_API', 'cart-svc']);
});
