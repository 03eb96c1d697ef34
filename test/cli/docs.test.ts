/**
 * docs/rules.md and the README's checks table are generated from the registry; regenerating them
 * must change nothing (run `npm run docs` after changing a check).
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { CHECKS } from '../../analysis/index.js';
import { rulesMarkdown, withTable } from '../../scripts/docs.js';

const root = join(__dirname, '..', '..');

it('docs/rules.md equals its generated form', () => {
  assert.equal(readFileSync(join(root, 'docs/rules.md'), 'utf8'), rulesMarkdown());
});

it('the README checks table equals its generated form', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.equal(readme, withTable(readme));
});

it('every code has a section and a README row', () => {
  const rules = readFileSync(join(root, 'docs/rules.md'), 'utf8');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const c of CHECKS) {
    assert.ok(rules.includes(`\n## ${c.code}\n`), c.code);
    assert.ok(readme.includes(`docs/rules.md#${c.code}`), c.code);
  }
});
