/**
 * The check runner's key → readers table (analysis/dependents.ts) answers as a plain map of sets
 * does, whatever the mix of few and many readers, units leaving and ids reused; and a key read by
 * many units holds bits, not a list (what keeps it small at 10,000 manifests).
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Dependents } from '../../analysis/dependents.js';
import { rng } from '../../scripts/bench/generate.js';

function readers(d: Dependents, key: string): string[] {
  const out = new Set<string>();
  d.readersOf(key, out);
  return [...out].sort();
}

it('answers as a map of sets under random runs of units reading keys, re-run and dropped', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const random = rng(seed);
    const d = new Dependents();
    const model = new Map<string, Set<string>>();
    const unitKeys = new Map<string, string[]>();
    const keys = Array.from({ length: 40 }, (_, i) => (i < 3 ? `wide:${i}` : `k:${i}`));
    const units = Array.from({ length: 300 }, (_, i) => `file:///ws/u${i}.yaml`);
    for (let step = 0; step < 1500; step++) {
      const unit = units[Math.floor(random() * units.length)] ?? 'none';
      // The runner drops a unit's keys before it runs again (or leaves).
      const old = unitKeys.get(unit);
      if (old !== undefined) {
        d.removeUnit(unit, old);
        for (const k of old) model.get(k)?.delete(unit);
        unitKeys.delete(unit);
      }
      if (random() < 0.15) continue;
      const read = new Set<string>();
      // Three keys nearly every unit reads (they turn into bits), and a few of the others.
      for (const k of keys.slice(0, 3)) if (random() < 0.9) read.add(k);
      for (let n = Math.floor(random() * 6); n > 0; n--) read.add(keys[3 + Math.floor(random() * (keys.length - 3))] ?? 'none');
      const kept: string[] = [];
      for (const k of read) {
        const shared = d.add(k, unit);
        assert.equal(shared, k);
        kept.push(shared);
        let s = model.get(k);
        if (s === undefined) model.set(k, (s = new Set()));
        s.add(unit);
      }
      unitKeys.set(unit, kept);
      if (step % 100 === 0)
        for (const k of [...keys, 'nobody'])
          assert.deepEqual(readers(d, k), [...(model.get(k) ?? [])].sort(), `seed ${seed} step ${step} key ${k}`);
    }
    for (const k of keys) assert.deepEqual(readers(d, k), [...(model.get(k) ?? [])].sort(), `seed ${seed} key ${k}`);
  }
});

it('holds a key read by many units as bits and a key read by few as a list; shares the first string of a key', () => {
  const d = new Dependents();
  for (let i = 0; i < 2000; i++) {
    d.add('ingressclasses', `u${i}`);
    if (i % 500 === 0) d.add(`svc:${i}`, `u${i}`);
  }
  const table = (d as unknown as { byKey: Map<string, { ids?: number[]; bits?: Uint32Array }> }).byKey;
  assert.ok(table.get('ingressclasses')?.bits !== undefined && table.get('ingressclasses')?.ids === undefined);
  assert.ok(table.get('svc:500')?.ids !== undefined && table.get('svc:500')?.bits === undefined);
  const first = ['svc', '0'].join(':');
  assert.equal(d.add(first, 'u1'), 'svc:0');
  assert.deepEqual(readers(d, 'svc:0'), ['u0', 'u1']);
  // A unit that leaves frees its id for the next; the key it alone read is gone.
  d.removeUnit('u500', ['ingressclasses', 'svc:500']);
  assert.deepEqual(readers(d, 'svc:500'), []);
  d.add('svc:500', 'newcomer');
  assert.deepEqual(readers(d, 'svc:500'), ['newcomer']);
  assert.ok(!readers(d, 'ingressclasses').includes('newcomer'));
  assert.equal(readers(d, 'ingressclasses').length, 1999);
  // A key interned before any unit is recorded as its reader (a checked unit not indexed yet):
  // later strings of it are the first one, and it has no reader until `add`.
  const interned = d.intern(['pod', 'x'].join(':'));
  assert.equal(d.intern(['pod', 'x'].join(':')), interned);
  assert.deepEqual(readers(d, 'pod:x'), []);
  assert.equal(d.add(['pod', 'x'].join(':'), 'u7'), interned);
  assert.deepEqual(readers(d, 'pod:x'), ['u7']);
});
