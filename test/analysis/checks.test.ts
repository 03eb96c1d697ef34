/**
 * Diagnostics fixtures: every file under test/fixtures/checks/<code>/ is analysed and must read
 * exactly as its inline annotations say (UPDATE_EXPECT=1 rewrites them). Each registered code has
 * a fixture that triggers it and one that must not.
 */

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CHECKS } from '../../analysis/index.js';
import { checkDiagnostics } from '../support/fixture.js';

const root = join(__dirname, '..', 'fixtures', 'checks');
const folders = existsSync(root) ? readdirSync(root).sort() : [];

describe('check fixtures', () => {
  for (const folder of folders) {
    for (const file of readdirSync(join(root, folder))
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      it(`${folder}/${file}`, () => {
        const { actual, expected } = checkDiagnostics(join(root, folder, file), `${folder}/${file.replace(/\.yaml$/, '')}`);
        assert.equal(actual, expected);
      });
    }
  }
});

describe('check registry', () => {
  for (const check of CHECKS) {
    it(`${check.code} has a triggering and a non-triggering fixture`, () => {
      const dir = join(root, check.code);
      assert.ok(existsSync(dir), `test/fixtures/checks/${check.code}/ is missing`);
      const texts = readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => readFileSync(join(dir, f), 'utf8'));
      const marker = `[${check.code}]`;
      assert.ok(
        texts.some((t) => t.includes(marker)),
        `no fixture triggers ${check.code}`,
      );
      assert.ok(
        texts.some((t) => !t.includes(marker)),
        `no fixture shows ${check.code} staying silent`,
      );
    });
  }

  it('codes are unique kebab-case', () => {
    const codes = CHECKS.map((c) => c.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const c of codes) assert.match(c, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });
});
