/**
 * `editDistance` (checks/support/similarity.ts) against the textbook Levenshtein table, over seeded
 * strings of mixed lengths and limits in one sequence: the bounded band and the rows it keeps
 * between calls must give the full table's distance (or limit + 1 past the limit) every time.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { editDistance } from '../../analysis/checks/support/similarity.js';
import { rng } from '../../scripts/bench/generate.js';

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

it('equals the full Levenshtein table within its limit, call after call', () => {
  const random = rng(5);
  const word = (n: number): string => Array.from({ length: n }, () => 'abc-'[Math.floor(random() * 4)]).join('');
  let near = 0;
  for (let k = 0; k < 3000; k++) {
    // Long and short strings alternate, so a call meets rows a longer call left behind.
    const a = word(Math.floor(random() * (k % 3 === 0 ? 300 : 12)));
    const b = random() < 0.5 ? word(Math.floor(random() * 12)) : a.slice(0, Math.floor(random() * (a.length + 1))) + word(2);
    const limit = [0, 1, 2, 8, 64][Math.floor(random() * 5)] ?? 2;
    const d = levenshtein(a, b);
    if (d <= limit) near++;
    assert.equal(editDistance(a, b, limit), Math.min(d, limit + 1), `editDistance(${JSON.stringify(a)}, ${JSON.stringify(b)}, ${limit})`);
  }
  assert.ok(near > 500, `${near} pairs within their limit`);
});
