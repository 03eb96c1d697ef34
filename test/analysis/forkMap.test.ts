/**
 * ForkMap against a plain Map: a seeded sequence of sets, deletes and forks (enough to make forks
 * fold their overlays many times) must leave every live fork with exactly the entries a copied
 * Map would have, and a fork must never see changes made to its parent after it was taken, or
 * the parent changes made to the fork.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ForkMap } from '../../analysis/workspace/forkMap.js';
import { rng } from '../../scripts/bench/generate.js';

function sameEntries(actual: ForkMap<number, string>, expected: ReadonlyMap<number, string>, what: string): void {
  assert.equal(actual.size, expected.size, `${what}: size`);
  const sorted = (m: Iterable<readonly [number, string]>): Array<readonly [number, string]> => [...m].sort((a, b) => a[0] - b[0]);
  assert.deepEqual(sorted(actual), sorted(expected), `${what}: entries`);
  assert.deepEqual(
    [...actual.keys()].sort((a, b) => a - b),
    [...expected.keys()].sort((a, b) => a - b),
    `${what}: keys`,
  );
  assert.deepEqual([...actual.values()].sort(), [...expected.values()].sort(), `${what}: values`);
  for (let k = -1; k < 70; k++) {
    assert.equal(actual.get(k), expected.get(k), `${what}: get(${k})`);
    assert.equal(actual.has(k), expected.has(k), `${what}: has(${k})`);
  }
}

it('behaves as a copied Map through sets, deletes and forks', () => {
  const random = rng(7);
  // Each live pair: the fork and the plain Map it must equal.
  const live: Array<{ fork: ForkMap<number, string>; model: Map<number, string> }> = [
    { fork: new ForkMap([[1, 'a']]), model: new Map([[1, 'a']]) },
  ];
  for (let step = 0; step < 4000; step++) {
    const i = Math.floor(random() * live.length);
    const pair = live[i];
    if (pair === undefined) continue;
    const r = random();
    const key = Math.floor(random() * 64);
    if (r < 0.55) {
      const value = `v${step}`;
      pair.fork.set(key, value);
      pair.model.set(key, value);
    } else if (r < 0.85) {
      assert.equal(pair.fork.delete(key), pair.model.delete(key), `delete(${key}) at step ${step}`);
    } else {
      live.push({ fork: pair.fork.fork(), model: new Map(pair.model) });
      if (live.length > 12) live.splice(Math.floor(random() * live.length), 1);
    }
    if (step % 97 === 0) live.forEach((p, n) => sameEntries(p.fork, p.model, `step ${step}, map ${n}`));
  }
  live.forEach((p, n) => sameEntries(p.fork, p.model, `end, map ${n}`));
});

it('keeps a plain Map order for keys that were never deleted', () => {
  const m = new ForkMap<string, number>([
    ['a', 1],
    ['b', 2],
  ]);
  m.set('c', 3);
  const f = m.fork();
  f.set('a', 10);
  f.set('d', 4);
  assert.deepEqual(
    [...f],
    [
      ['a', 10],
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ],
  );
  assert.deepEqual(
    [...m],
    [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ],
  );
  const seen: string[] = [];
  f.forEach((v, k, map) => {
    assert.equal(map, f);
    seen.push(`${k}=${v}`);
  });
  assert.deepEqual(seen, ['a=10', 'b=2', 'c=3', 'd=4']);
});

it('writes into its own base until the first fork, which then copies nothing', () => {
  const m = new ForkMap<number, string>();
  for (let k = 0; k < 1000; k++) m.set(k, `v${k}`);
  m.delete(3);
  assert.equal(m.ownChanges, 0);
  assert.equal(m.size, 999);
  const f = m.fork();
  assert.equal(f.ownChanges, 0);
  // From the fork on, both write changes of their own: neither sees the other's.
  m.set(3, 'back');
  f.delete(4);
  f.set(1000, 'new');
  assert.equal(m.ownChanges, 1);
  assert.equal(f.ownChanges, 2);
  assert.equal(f.get(3), undefined);
  assert.equal(m.get(4), 'v4');
  assert.equal(m.get(1000), undefined);
  assert.equal(m.size, 1000);
  assert.equal(f.size, 999);
});
