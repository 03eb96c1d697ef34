/**
 * Quick-fix fixtures: each test/fixtures/fixes/<name>.yaml has at least one diagnostic with fixes.
 * The preferred fix (else the first) of the first such diagnostic is applied — or the one whose title
 * starts with the text of a first line `# apply: <title>`; the result must equal
 * <name>.fixed.yaml (annotated with the diagnostics that remain), the fixed diagnostic must be gone
 * and no new diagnostic may appear.
 */

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TextEdit } from '../../analysis/index.js';
import { analyseFixture, parseFixture, renderFixture, UPDATE } from '../support/fixture.js';
import type { Fixture } from '../support/fixture.js';

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start))
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

const dir = join(__dirname, '..', 'fixtures', 'fixes');
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') && !f.endsWith('.fixed.yaml'))
      .sort()
  : [];

describe('quick-fix fixtures', () => {
  for (const file of files) {
    it(file, () => {
      const name = file.replace(/\.yaml$/, '');
      const source = readFileSync(join(dir, file), 'utf8');
      const wanted = /^# apply: (.+)$/m.exec(source.split('\n')[0] ?? '')?.[1];
      const fx = parseFixture(`fixes/${name}`, source);
      const { analysis } = analyseFixture(fx);
      // Every diagnostic offers "Suppress …"; the fix under test is another one unless `# apply:` names it.
      const eligible = (title: string): boolean => (wanted !== undefined ? title.startsWith(wanted) : !title.startsWith('Suppress '));
      const target = fx.files
        .flatMap((f) => analysis.diagnosticsFor(f.uri).map((d) => ({ f, d })))
        .find(({ f, d }) => analysis.fixes(f.uri, d.span).some((x) => x.code === d.code && eligible(x.title)));
      assert.ok(target !== undefined, 'the fixture has no diagnostic with a fix');
      const fixes = analysis.fixes(target.f.uri, target.d.span).filter((x) => x.code === target.d.code && eligible(x.title));
      const fix = fixes.find((x) => x.isPreferred === true) ?? fixes[0];
      assert.ok(fix !== undefined);
      const fixed: Fixture = {
        ...fx,
        files: fx.files.map((f) => ({
          ...f,
          text: applyEdits(
            f.text,
            fix.edits.filter((e) => e.uri === f.uri),
          ),
        })),
      };
      const after = analyseFixture(fixed).analysis;
      const before = fx.files.flatMap((f) => analysis.diagnosticsFor(f.uri).map((d) => `${f.path}|${d.code}`));
      const remaining = fixed.files.flatMap((f) => after.diagnosticsFor(f.uri).map((d) => `${f.path}|${d.code}`));
      assert.equal(
        remaining.filter((r) => r === `${target.f.path}|${target.d.code}`).length,
        before.filter((r) => r === `${target.f.path}|${target.d.code}`).length - 1,
        `"${fix.title}" did not remove the diagnostic`,
      );
      for (const r of remaining) assert.ok(before.includes(r), `"${fix.title}" introduced ${r}`);
      const rendered = `# fix: ${fix.title}\n` + renderFixture(fixed, after);
      const expectedPath = join(dir, `${name}.fixed.yaml`);
      if (UPDATE) writeFileSync(expectedPath, rendered);
      assert.ok(existsSync(expectedPath), `missing ${expectedPath}; run with UPDATE_EXPECT=1`);
      assert.equal(rendered, readFileSync(expectedPath, 'utf8'));
    });
  }
});
