/**
 * The reachability model's selector index (reachability/selectors.ts) answers as `matchSelector`
 * does, class by class, whether built or patched: a label pair's classes are a list while few
 * classes have it and a bitset past that, and a patch (`ClassModel.patch` relabelling a few
 * classes) moves pairs across that line both ways. Seeded classes and selectors, 40 patches in a
 * row, each checked against a fresh index and against `matchSelector`.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SelectorIndex } from '../../analysis/reachability/selectors.js';
import type { PodLabels } from '../../analysis/model/labels.js';
import { matchSelector, plainLabels } from '../../analysis/model/labels.js';
import type { Selector } from '../../analysis/model/types.js';
import type { Bits } from '../../analysis/reachability/bitset.js';
import { forEachBit } from '../../analysis/reachability/bitset.js';
import { rng } from '../../scripts/bench/generate.js';

const SPAN = { start: 0, end: 0 };

function selector(pairs: ReadonlyArray<readonly [string, string]>, expressions: Selector['matchExpressions'] = []): Selector {
  return {
    span: SPAN,
    matchLabels: {
      span: SPAN,
      unknown: false,
      entries: pairs.map(([key, value]) => ({ key, keySpan: SPAN, value: { known: true, value, span: SPAN } })),
    },
    matchExpressions: expressions,
    unknown: false,
  };
}

function members(b: Bits): number[] {
  const out: number[] = [];
  forEachBit(b, (i) => out.push(i));
  return out;
}

it('built and patched indexes select what matchSelector selects, as pairs turn from lists to bitsets and back', () => {
  const random = rng(3);
  const SIZE = 640; // lists up to 10 classes (640 >> 6), bitsets past that
  const label = (): PodLabels => {
    const m = new Map<string, string>([['app', `a${Math.floor(random() * 200)}`]]);
    if (random() < 0.7) m.set('tier', random() < 0.5 ? 'web' : 'db');
    if (random() < 0.3) m.set('team', `t${Math.floor(random() * 3)}`);
    return plainLabels(m, random() < 0.02);
  };
  let labels = Array.from({ length: SIZE }, label);
  const selectors: Selector[] = [];
  for (let a = 0; a < 200; a += 7)
    selectors.push(
      selector([['app', `a${a}`]]),
      selector([
        ['app', `a${a}`],
        ['tier', 'web'],
      ]),
    );
  selectors.push(
    selector([['tier', 'db']]),
    selector([], [{ key: 'app', operator: 'In', values: ['a1', 'a2', 'a3'], span: SPAN, unknown: false }]),
    selector([['tier', 'web']], [{ key: 'app', operator: 'NotIn', values: ['a4'], span: SPAN, unknown: false }]),
    selector([], [{ key: 'team', operator: 'Exists', values: [], span: SPAN, unknown: false }]),
    selector([['app', 'crowd']]),
  );
  const check = (index: SelectorIndex, what: string): void => {
    for (const sel of selectors) {
      const want = labels.flatMap((l, i) => (matchSelector(sel, l) === 'yes' ? [i] : []));
      assert.deepEqual(members(index.evaluate(sel).yes), want, `${what}: ${JSON.stringify(sel.matchLabels?.entries.map((e) => e.key))}`);
    }
  };
  let index = new SelectorIndex(labels);
  check(index, 'built');
  let crossings = 0;
  for (let step = 0; step < 40; step++) {
    // Relabel a few classes; now and then many onto one value, which turns its list into a bitset, and off it again.
    const next = labels.slice();
    const changed = new Set<number>();
    const crowd = step % 8 === 3 ? 'crowd' : undefined;
    for (let k = 0; k < (crowd === undefined ? 3 : 30); k++) {
      const i = Math.floor(random() * SIZE);
      changed.add(i);
      next[i] = crowd === undefined || step % 16 === 11 ? label() : plainLabels(new Map([['app', crowd]]));
    }
    if (crowd !== undefined) crossings++;
    labels = next;
    index = new SelectorIndex(labels, { index, changed: [...changed] });
    check(index, `patch ${step}`);
    check(new SelectorIndex(labels), `fresh ${step}`);
  }
  assert.ok(crossings >= 4, `${crossings} patches crowded one value`);
});
