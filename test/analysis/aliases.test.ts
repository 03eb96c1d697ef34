/**
 * Aliases resolve in one walk of the document (syntax/aliases.ts) to what `yaml`'s own
 * `Alias.resolve` finds, on seeded documents with redefined anchors, aliases before their anchor,
 * aliases inside their own anchor and unknown anchors.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAlias, parseAllDocuments, visit } from 'yaml';
import type { Alias } from 'yaml';
import { aliasTargets } from '../../analysis/syntax/aliases.js';
import { rng } from '../support/fuzz.js';

function randomDocument(random: () => number): string {
  const names = ['a', 'b', 'c'];
  const pick = (): string => names[Math.floor(random() * names.length)] ?? 'a';
  const value = (depth: number): string => {
    const r = random();
    if (r < 0.3) return `*${pick()}`;
    if (depth > 2 || r < 0.55) return `${random() < 0.4 ? `&${pick()} ` : ''}v${Math.floor(random() * 9)}`;
    const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => value(depth + 1));
    const anchor = random() < 0.4 ? `&${pick()} ` : '';
    return random() < 0.5 ? `${anchor}[${items.join(', ')}]` : `${anchor}{${items.map((v, i) => `k${i}: ${v}`).join(', ')}}`;
  };
  return Array.from({ length: 2 + Math.floor(random() * 4) }, (_, i) => `f${i}: ${value(0)}`).join('\n') + '\n';
}

test('every alias resolves to the node yaml resolves it to, on 500 seeded documents', () => {
  const random = rng(20261207);
  let aliases = 0;
  for (let n = 0; n < 500; n++) {
    const text = randomDocument(random);
    for (const doc of parseAllDocuments(text)) {
      if (!('contents' in doc)) continue;
      const table = aliasTargets(doc);
      visit(doc, {
        Alias: (_key, node: Alias) => {
          aliases++;
          assert.equal(table.get(node), node.resolve(doc), `${text}\n${node.source}`);
        },
      });
      visit(doc, { Node: (_k, node) => void (isAlias(node) && assert.ok(table.has(node))) });
    }
  }
  assert.ok(aliases > 500, `${aliases} aliases`);
});
